"""The shared filters (县市区, 年度, 月份范围) in the sidebar, kept in the URL.

The URL is the state a leader can share: `?county=…&year=2026&months=1-8`.
Navigating between pages clears query parameters, so the values also live in
`st.session_state` and are written back to the URL on every run of the
entrypoint. Pages read them through `current()`.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from analytics.metrics.common import counties as county_names
from analytics.metrics.common import data_years, default_period, home_county
from analytics.metrics.periods import Period, parse_months
from ui import data

# Query parameter names (the URL contract of the dashboard).
COUNTY, YEAR, MONTHS = "county", "year", "months"
# The values live under _STATE_KEYS; each widget has its own key, re-seeded from them on every
# run, because Streamlit drops (or garbles) a widget's own state when the page changes.
_STATE_KEYS = {COUNTY: "filters_county", YEAR: "filters_year", MONTHS: "filters_months"}
_WIDGET_KEYS = {COUNTY: "filter_county", YEAR: "filter_year", MONTHS: "filter_months"}


@dataclass(frozen=True)
class Filters:
    """What every page shows: one county and one period; both None while the database is empty."""

    county: str | None
    period: Period | None
    home_county: str | None

    @property
    def empty(self) -> bool:
        return self.county is None or self.period is None


def _options() -> tuple[list[str], list[int], Period | None, str | None]:
    counties = data.query(county_names)
    years = data.query(data_years)
    default = data.query(default_period)
    home = data.query(home_county)
    return counties, years, default, home


def _months_text(months: tuple[int, int]) -> str:
    return f"{months[0]}-{months[1]}"


def _from_url(name: str) -> str | None:
    value = st.query_params.get(name)
    return value if value else None


def _initial_state(counties: list[str], years: list[int], default: Period, home: str | None) -> None:
    """Fill session state once per session, from the URL where it holds a valid value."""
    state = st.session_state
    if _STATE_KEYS[COUNTY] not in state or state[_STATE_KEYS[COUNTY]] not in counties:
        wanted = _from_url(COUNTY)
        state[_STATE_KEYS[COUNTY]] = (
            wanted if wanted in counties else (home if home in counties else counties[0])
        )
    if _STATE_KEYS[YEAR] not in state or state[_STATE_KEYS[YEAR]] not in years:
        wanted = _from_url(YEAR)
        state[_STATE_KEYS[YEAR]] = (
            int(wanted) if wanted and wanted.isdigit() and int(wanted) in years else default.year
        )
    if not isinstance(state.get(_STATE_KEYS[MONTHS]), tuple):
        try:
            months = parse_months(_from_url(MONTHS) or "")
        except ValueError:
            months = (default.first_month, default.last_month)
        state[_STATE_KEYS[MONTHS]] = months


def _keep(name: str) -> None:
    value = st.session_state[_WIDGET_KEYS[name]]
    if name == MONTHS:
        # On a page switch the range slider can report a single month; keep the range then.
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            return
        value = (int(value[0]), int(value[1]))
    st.session_state[_STATE_KEYS[name]] = value


def render_sidebar() -> Filters:
    """Draw the filters in the sidebar, mirror them into the URL, and return them."""
    counties, years, default, home = _options()
    if default is None or not counties:
        st.session_state["filters"] = Filters(None, None, home)
        return st.session_state["filters"]
    if default.year not in years:
        years = [default.year, *years]
    _initial_state(counties, years, default, home)
    state = st.session_state
    for name in _STATE_KEYS:
        state[_WIDGET_KEYS[name]] = state[_STATE_KEYS[name]]
    with st.sidebar:
        st.selectbox(
            "县市区",
            counties,
            key=_WIDGET_KEYS[COUNTY],
            format_func=lambda c: f"{c}（本县）" if c == home else c,
            on_change=_keep,
            args=(COUNTY,),
        )
        st.selectbox(
            "年度",
            years,
            key=_WIDGET_KEYS[YEAR],
            format_func=lambda y: f"{y}年",
            on_change=_keep,
            args=(YEAR,),
        )
        st.select_slider(
            "月份范围",
            options=list(range(1, 13)),
            key=_WIDGET_KEYS[MONTHS],
            format_func=lambda m: f"{m}月",
            on_change=_keep,
            args=(MONTHS,),
        )
    first, last = state[_STATE_KEYS[MONTHS]]
    filters = Filters(state[_STATE_KEYS[COUNTY]], Period(int(state[_STATE_KEYS[YEAR]]), first, last), home)
    st.session_state["filters"] = filters
    write_url(filters)
    return filters


def write_url(filters: Filters) -> None:
    """Put the filters into the URL (only what changed, so the browser history stays quiet)."""
    wanted = {
        COUNTY: filters.county,
        YEAR: str(filters.period.year),
        MONTHS: _months_text((filters.period.first_month, filters.period.last_month)),
    }
    for name, value in wanted.items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value


def current() -> Filters:
    """The filters of this run (set by the entrypoint before the page runs)."""
    if "filters" not in st.session_state:
        return render_sidebar()
    return st.session_state["filters"]
