"""The shared filters (县市区, 年度, 月份范围) in the sidebar, kept in the URL.

The URL is the state a leader can share: `?county=…&year=2026&months=1-8`.
Navigating between pages clears query parameters, so the values also live in
`st.session_state` and are written back to the URL on every run of the
entrypoint. Pages read them through `current()`.

A session whose period is the default follows the default: after an import
(by the page or the command line) moves it, the next run shows the new default,
and the URL carries no year or months, so a reload follows too. A period the
user chose, or one a link named, stays; the page then says that newer data exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import streamlit as st

from analytics.metrics.common import default_period, filter_options
from analytics.metrics.periods import Period, parse_months
from analytics.text.zh import t
from ui import auth, data, safe

# Query parameter names (the URL contract of the dashboard).
COUNTY, YEAR, MONTHS = "county", "year", "months"
# The values live under _STATE_KEYS; each widget has its own key, re-seeded from them on every
# run, because Streamlit drops (or garbles) a widget's own state when the page changes.
_STATE_KEYS = {COUNTY: "filters_county", YEAR: "filters_year", MONTHS: "filters_months"}
_WIDGET_KEYS = {COUNTY: "filter_county", YEAR: "filter_year", MONTHS: "filter_months"}
# Whether the period follows the default, and the default it was last set from.
_FOLLOWS, _SEEN_DEFAULT = "filters_follows_default", "filters_seen_default"
_LINK_PROBLEMS, _DEFAULT = "filters_link_problems", "filters_default"
_DRAWN = "filters_drawn"  # set by render_sidebar, taken by current(): was the sidebar drawn this run?
_YEAR_TEXT = re.compile(r"[0-9]{4}")  # ASCII digits only: "²".isdigit() is true, int("²") fails
_MONTHS_TEXT = re.compile(r"[0-9]{1,2}(?:[-–—][0-9]{1,2})?")
_SHOWN_CHARS = 20


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
    counties, years, default, home = data.query(filter_options)
    return counties, years, default, home


def _months_text(months: tuple[int, int]) -> str:
    return f"{months[0]}-{months[1]}"


def _from_url(name: str) -> str | None:
    value = st.query_params.get(name)
    return value if value else None


def _shown(value: str) -> str:
    """A link's value as the warning quotes it (a 5000-digit year is cut short)."""
    return value if len(value) <= _SHOWN_CHARS else value[:_SHOWN_CHARS] + "…"


def _link_problem(name: str, value: str, reason: str, instead: str) -> str:
    return t("filters.link_problem", name=name, value=_shown(value), reason=reason, instead=instead)


def _url_county(counties: list[str], fallback: str, problems: list[str]) -> str:
    wanted = _from_url(COUNTY)
    if wanted is None or wanted in counties:
        return wanted or fallback
    problems.append(_link_problem(COUNTY, wanted, t("filters.link_unknown_county"), fallback))
    return fallback


def _url_year(years: list[int], default: Period, problems: list[str]) -> int | None:
    wanted = _from_url(YEAR)
    if wanted is None:
        return None
    instead = t("filters.year_value", year=default.year)
    if not _YEAR_TEXT.fullmatch(wanted):
        problems.append(_link_problem(YEAR, wanted, t("filters.link_bad_year"), instead))
        return None
    if int(wanted) not in years:
        problems.append(_link_problem(YEAR, wanted, t("filters.link_no_year", year=wanted), instead))
        return None
    return int(wanted)


def _url_months(default: Period, problems: list[str]) -> tuple[int, int] | None:
    wanted = _from_url(MONTHS)
    if wanted is None:
        return None
    instead = default.label
    try:
        if not _MONTHS_TEXT.fullmatch(wanted):
            raise ValueError(wanted)
        return parse_months(wanted)
    except ValueError:
        problems.append(_link_problem(MONTHS, wanted, t("filters.link_bad_months"), instead))
        return None


def _initial_state(counties: list[str], years: list[int], default: Period, home: str | None) -> None:
    """Fill session state once per session, from the URL where it holds a valid value."""
    state = st.session_state
    problems: list[str] = []
    if _STATE_KEYS[COUNTY] not in state or state[_STATE_KEYS[COUNTY]] not in counties:
        state[_STATE_KEYS[COUNTY]] = _url_county(
            counties, home if home in counties else counties[0], problems
        )
    if _STATE_KEYS[YEAR] not in state or state[_STATE_KEYS[YEAR]] not in years:
        year = _url_year(years, default, problems)
        state[_STATE_KEYS[YEAR]] = default.year if year is None else year
        state[_FOLLOWS] = year is None
    if not isinstance(state.get(_STATE_KEYS[MONTHS]), tuple):
        months = _url_months(default, problems)
        state[_STATE_KEYS[MONTHS]] = (default.first_month, default.last_month) if months is None else months
        state[_FOLLOWS] = state.get(_FOLLOWS, True) and months is None
        state[_SEEN_DEFAULT] = default
    state[_LINK_PROBLEMS] = problems


def _follow(default: Period) -> None:
    """Move a default-following session to the current default; note newer data for a chosen period."""
    state = st.session_state
    if state.get(_FOLLOWS, True):
        state[_STATE_KEYS[YEAR]] = default.year
        state[_STATE_KEYS[MONTHS]] = (default.first_month, default.last_month)
        state[_SEEN_DEFAULT] = default


def _keep(name: str) -> None:
    value = st.session_state[_WIDGET_KEYS[name]]
    if name == MONTHS:
        # On a page switch the range slider can report a single month; keep the range then.
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            return
        value = (int(value[0]), int(value[1]))
    st.session_state[_STATE_KEYS[name]] = value
    if name != COUNTY:
        st.session_state[_FOLLOWS] = False
        st.session_state[_SEEN_DEFAULT] = data.query(default_period)


def _to_default() -> None:
    st.session_state[_FOLLOWS] = True


def _notes(period: Period, default: Period) -> None:
    """On the page: what was wrong with the link, and that a chosen period is no longer the newest."""
    for problem in st.session_state.pop(_LINK_PROBLEMS, []):
        st.warning(safe.text(problem), icon=":material/link_off:")
    seen = st.session_state.get(_SEEN_DEFAULT)
    if st.session_state.get(_FOLLOWS, True) or seen == default or period == default:
        return
    note = t(
        "filters.newer_data",
        default_year=default.year,
        default_months=default.label,
        year=period.year,
        months=period.label,
    )
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.info(note, icon=":material/update:")
    right.button(t("filters.to_default"), key="filters-to-default", on_click=_to_default)


def render_sidebar() -> Filters:
    """Draw the filters in the sidebar, mirror them into the URL, and return them."""
    counties, years, default, home = _options()
    fixed = auth.fixed_county()  # an account limited to one county sees only it
    if fixed:
        counties = [fixed]
    if default is None or not counties:
        st.session_state["filters"] = Filters(None, None, home)
        return st.session_state["filters"]
    if default.year not in years:
        years = [default.year, *years]
    _initial_state(counties, years, default, home)
    if fixed:
        st.session_state[_STATE_KEYS[COUNTY]] = fixed
    _follow(default)
    state = st.session_state
    for name in _STATE_KEYS:
        state[_WIDGET_KEYS[name]] = state[_STATE_KEYS[name]]
    with st.sidebar:
        st.selectbox(
            t("filters.county"),
            counties,
            key=_WIDGET_KEYS[COUNTY],
            format_func=lambda c: (
                t("tables.marked_county", county=c, mark=t("tables.home")) if c == home else c
            ),
            on_change=_keep,
            args=(COUNTY,),
        )
        st.selectbox(
            t("filters.year"),
            years,
            key=_WIDGET_KEYS[YEAR],
            format_func=lambda y: t("filters.year_value", year=y),
            on_change=_keep,
            args=(YEAR,),
        )
        st.select_slider(
            t("filters.months"),
            options=list(range(1, 13)),
            key=_WIDGET_KEYS[MONTHS],
            format_func=lambda m: t("filters.month_value", month=m),
            on_change=_keep,
            args=(MONTHS,),
        )
    first, last = state[_STATE_KEYS[MONTHS]]
    filters = Filters(state[_STATE_KEYS[COUNTY]], Period(int(state[_STATE_KEYS[YEAR]]), first, last), home)
    st.session_state["filters"] = filters
    state[_DEFAULT], state[_DRAWN] = default, True
    write_url(filters, follows_default=bool(state.get(_FOLLOWS, True)))
    return filters


def write_url(filters: Filters, follows_default: bool = False) -> None:
    """Put the filters into the URL (only what changed, so the browser history stays quiet).

    A period that follows the default is left out: the link (or a reload) then follows it too.
    """
    wanted = {
        COUNTY: filters.county,
        YEAR: None if follows_default else str(filters.period.year),
        MONTHS: None
        if follows_default
        else _months_text((filters.period.first_month, filters.period.last_month)),
    }
    for name, value in wanted.items():
        if value is None:
            if name in st.query_params:
                del st.query_params[name]
        elif st.query_params.get(name) != value:
            st.query_params[name] = value


def current() -> Filters:
    """The filters of this run (set by the entrypoint before the page runs), with the notes about them.

    The notes (a bad link, newer data than the chosen period) go on the page, above its title.
    """
    # A page script run without the entrypoint (pages-directory mode, AppTest's reruns) draws them itself,
    # so it never shows the filters of an earlier run.
    if not st.session_state.pop(_DRAWN, False):
        render_sidebar()
        st.session_state.pop(_DRAWN, None)
    filters = st.session_state["filters"]
    if not filters.empty:
        _notes(filters.period, st.session_state[_DEFAULT])
    return filters
