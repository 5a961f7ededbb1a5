"""Streamlit-side helpers shared by every page: cached data access, filters, cards, meeting mode.

Nothing here computes a figure: metrics come from `analytics`, called through
`ui.data.query` so every page reads the same cached result.
"""
