"""Charts: DataFrame in, Plotly figure out."""
