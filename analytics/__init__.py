"""安全生产监管数据看板: the store, import, metrics, charts and report, without Streamlit."""
