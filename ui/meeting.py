"""会议模式: large type for a projector, no sidebar or controls, and an optional page carousel.

Turned on by the sidebar switch or the URL (`?meeting=1`); `&cycle=30` steps
through the leader pages every 30 seconds, keeping the filters in the URL.
"""

from __future__ import annotations

import re

import streamlit as st

from analytics import settings
from analytics.text.zh import t

MEETING, CYCLE = "meeting", "cycle"
_STATE = "meeting_on"
_WIDGET = "meeting_mode"  # the switch's own key, re-seeded from _STATE on every run (see ui.filters)
_CYCLE_STATE = "meeting_cycle_seconds"
_TICKS = "meeting_cycle_ticks"
MIN_CYCLE_SECONDS = settings.MEETING_MIN_CYCLE_SECONDS

# rem-based sizes in Streamlit scale with the root font size; 1280×720 must still fit.
_CSS = """
<style>
html { font-size: 18px; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stDownloadButton"], [data-testid="stElementToolbar"] { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { padding-top: 1rem !important;
  max-width: 100% !important; padding-left: 2rem !important; padding-right: 2rem !important; }
h2 { font-size: 1.8rem !important; padding-top: 0 !important; }
/* A rank card never breaks inside a word (a shared rank stays on one line); the value shrinks instead. */
.kpi-value { font-size: clamp(1.3rem, 2.3vw, 2.6rem) !important; white-space: nowrap !important;
  word-break: keep-all !important; }
/* Tables are static on the projector (ui.layout.table): headers wrap so the table fits the width; one
   that still cannot fit scrolls, with a scrollbar that is always drawn. */
[data-testid="stTable"] { max-width: 100%; overflow-x: auto !important; }
[data-testid="stTable"] table { font-size: 0.8rem; }
[data-testid="stTable"] th { white-space: normal !important; word-break: keep-all; }
[data-testid="stTable"] td { white-space: nowrap; }
[data-testid="stTable"]::-webkit-scrollbar { height: 12px; }
[data-testid="stTable"]::-webkit-scrollbar-thumb { background: #90a4ae; border-radius: 6px; }
.kpi-label, .kpi-change { font-size: 1.2rem !important; }
.verdict { font-size: 1.5rem !important; }
</style>
"""


# Chart text on the projector: no smaller than 18 px, titles larger.
PROJECTOR_FONT_PX, PROJECTOR_TITLE_PX = 18, 22


def projector_fonts(figure) -> None:
    """Set a figure's text for the projector: every font at least 18 px, and room for it."""
    figure.update_layout(
        height=max(figure.layout.height or 0, 460),
        font_size=PROJECTOR_FONT_PX,
        title_font_size=PROJECTOR_TITLE_PX,
        legend_font_size=PROJECTOR_FONT_PX,
        hoverlabel_font_size=PROJECTOR_FONT_PX,
    )
    figure.update_xaxes(tickfont_size=PROJECTOR_FONT_PX, title_font_size=PROJECTOR_FONT_PX, automargin=True)
    figure.update_yaxes(tickfont_size=PROJECTOR_FONT_PX, title_font_size=PROJECTOR_FONT_PX, automargin=True)
    figure.update_traces(textfont_size=PROJECTOR_FONT_PX, selector=lambda t: hasattr(t, "textfont"))
    # Plotly shrinks a label written inside a bar to fit the bar: on the projector it stays full size.
    figure.update_traces(
        constraintext="none",
        insidetextfont_size=PROJECTOR_FONT_PX,
        outsidetextfont_size=PROJECTOR_FONT_PX,
        selector={"type": "bar"},
    )
    for annotation in figure.layout.annotations or ():
        annotation.font.size = max(annotation.font.size or 0, PROJECTOR_FONT_PX)


def _url_flag() -> bool:
    return st.query_params.get(MEETING) in ("1", "true", "yes", "on")


_CYCLE_TEXT = re.compile(r"[0-9]{1,6}")  # ASCII digits only: "²".isdigit() is true, int("²") fails


def _url_cycle() -> int:
    """`&cycle=` in seconds (at least the minimum); 0 for a missing, non-numeric or absurdly long value."""
    text = st.query_params.get(CYCLE) or ""
    return max(int(text), MIN_CYCLE_SECONDS) if _CYCLE_TEXT.fullmatch(text) and int(text) > 0 else 0


def init() -> bool:
    """Read the mode from the URL once per session; return whether it is on."""
    if _STATE not in st.session_state:
        st.session_state[_STATE] = _url_flag()
        st.session_state[_CYCLE_STATE] = _url_cycle()
    return active()


def active() -> bool:
    """Whether meeting mode is on in this session."""
    return bool(st.session_state.get(_STATE, False))


def cycle_seconds() -> int:
    """Seconds per page of the carousel; 0 when it is off."""
    return int(st.session_state.get(_CYCLE_STATE, 0)) if active() else 0


def _write_url() -> None:
    if active():
        if st.query_params.get(MEETING) != "1":
            st.query_params[MEETING] = "1"
        seconds = cycle_seconds()
        if seconds and st.query_params.get(CYCLE) != str(seconds):
            st.query_params[CYCLE] = str(seconds)
    else:
        for name in (MEETING, CYCLE):
            if name in st.query_params:
                del st.query_params[name]


def render_switch() -> None:
    """The 会议模式 switch at the top of the sidebar (seen without scrolling), mirrored into the URL."""
    st.session_state[_WIDGET] = active()
    st.sidebar.toggle(
        t("meeting.switch"),
        key=_WIDGET,
        on_change=_switched,
        help=t("meeting.switch_help"),
    )
    st.sidebar.divider()
    _write_url()


def _switched() -> None:
    st.session_state[_STATE] = bool(st.session_state[_WIDGET])


def apply(pages: list, current) -> None:
    """Style the page for a projector and, with a cycle set, move on to the next leader page in time."""
    if not active():
        return
    st.html(_CSS)
    seconds = cycle_seconds()
    paths = [p.url_path for p in pages]
    if seconds and current.url_path in paths:
        following = pages[(paths.index(current.url_path) + 1) % len(pages)]
        st.session_state[_TICKS] = 0
        _carousel(following, seconds)


def _carousel(following, seconds: int) -> None:
    @st.fragment(run_every=seconds)
    def tick() -> None:
        # The first call is part of the full page run; later calls are the timer.
        st.session_state[_TICKS] += 1
        if st.session_state[_TICKS] > 1:
            params = {name: st.query_params[name] for name in st.query_params}
            st.switch_page(following, query_params=params)

    tick()


def footer(pages: list) -> None:
    """At the foot of the page (the sidebar is hidden): the leader pages to step through, and the way out."""
    if not active():
        return
    st.divider()
    columns = st.columns(len(pages) + 1)
    for column, page in zip(columns, pages, strict=False):
        column.page_link(page, label=page.title, icon=page.icon or None)
    with columns[-1]:
        _exit()


def exit_button() -> None:
    """Only the way out of meeting mode, for a page that stops early (e.g. with nothing to show)."""
    if not active():
        return
    st.divider()
    _exit()


def _exit() -> None:
    st.button(t("meeting.exit"), type="tertiary", key="meeting-exit", on_click=_leave)


def _leave() -> None:
    st.session_state[_STATE] = False
    st.session_state[_CYCLE_STATE] = 0
