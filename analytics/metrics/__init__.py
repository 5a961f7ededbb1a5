"""Metric definitions from `spec/metrics.md`: pure functions over a connection and plain arguments."""
