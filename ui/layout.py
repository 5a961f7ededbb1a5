"""Page furniture shared by all pages: the empty state, the title line, charts with table and PNG."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.metrics.common import data_years
from analytics.metrics.coverage import SOURCES, no_data_reason
from analytics.text.wording import coverage_notices
from analytics.text.zh import t
from ui import chinese, data, meeting, safe
from ui.filters import Filters

IMPORT_PAGE = "pages/data_import.py"
PNG_WIDTH = 1200  # px of a downloaded chart
EMPTY_TITLE = t("layout.empty_title")
NO_DATA_TITLE = EMPTY_TITLE
EMPTY_TEXT = t("layout.empty_text")


def require_data(filters: Filters, metric: str | None = None) -> None:
    """Stop the page with a clear 暂无数据 note while there is nothing to show.

    With `metric` (a key of coverage.SOURCES), also when the period lies outside the span of
    that figure's sources: "no data" is never a verdict (metrics.md, Periods).
    """
    if filters.empty:
        show_empty()
        meeting.exit_button()
        st.stop()
    if metric is None:
        return
    county = None if metric == "ranking" else filters.county
    reason = data.query(no_data_reason, period=filters.period, sources=SOURCES[metric], county=county)
    if reason:
        st.subheader(NO_DATA_TITLE)
        st.info(reason)
        meeting.exit_button()
        st.stop()


def notices(*docs: dict) -> None:
    """The coverage notices of the documents a page shows: which source stops before the period."""
    lines = list(dict.fromkeys(line for doc in docs for line in coverage_notices(doc)))
    if lines:
        st.warning("；".join(lines) + "。", icon=":material/event_busy:")


def show_empty(text: str = EMPTY_TEXT) -> None:
    """The 暂无数据 state: a title, what to do, and a link to the import page."""
    st.subheader(EMPTY_TITLE)
    st.info(text)
    st.page_link(IMPORT_PAGE, label=t("layout.go_to_import"), icon=":material/upload_file:")


def title(text: str, filters: Filters, note: str | None = None) -> None:
    """The page title with the county and period it shows (and a short note, e.g. 数据截至 …)."""
    scope = t(
        "layout.scope",
        county=safe.text(filters.county),
        year=filters.period.year,
        months=filters.period.label,
    )
    if meeting.active():
        # One line on the projector: the figures need the height.
        st.markdown(f"## {text}　<small>{scope}{'　' + note if note else ''}</small>", unsafe_allow_html=True)
        return
    st.title(text)
    st.markdown(f"{scope}{'　**' + note + '**' if note else ''}")


def chart(
    figure, table: pd.DataFrame | None = None, file_stem: str = "chart", key: str | None = None
) -> None:
    """A Plotly chart, the same figures as a table beneath it, and a PNG download of the chart."""
    from analytics.charts.leader import figure_png

    if meeting.active():
        figure = go.Figure(figure)  # a shared figure (ui.data.figure): the projector's sizes go on a copy
        meeting.projector_fonts(figure)
    # The tool bar shows on hover only: always on, it covers the right end of the chart title.
    # Plotly's own PNG button is left out: the 下载图片（PNG） button below exports the chart whole, titled.
    config = chinese.plotly_config(
        displaylogo=False,
        displayModeBar=False if meeting.active() else "hover",
        modeBarButtonsToRemove=["toImage"],
    )
    st.plotly_chart(figure, width="stretch", config=config, key=key)
    if table is not None and not meeting.active():
        st.dataframe(table, hide_index=True, width="stretch")
    if not meeting.active():
        st.download_button(
            t("layout.download_png"),
            data=lambda: figure_png(exported(figure), PNG_WIDTH, max(600, figure.layout.height or 0)),
            file_name=f"{file_stem}.png",
            mime="image/png",
            key=f"png-{key or file_stem}",
            on_click="ignore",
        )


def one_of(label: str, options, key: str, format_func=str):
    """Which of several views to show (a segmented control in place of tabs): only the chosen one is built
    and sent to the browser, where tabs would build and draw every one of them on each run."""
    return st.segmented_control(
        label, list(options), default=options[0], format_func=format_func, key=key, required=True
    )


LIST_ROWS = 500  # rows of a long list drawn on the page; its Excel download holds them all


def first_rows(listing: pd.DataFrame) -> pd.DataFrame:
    """A long list (most urgent first) cut to the LIST_ROWS the page draws, with a note when cut.

    Ten thousand rows cost seconds to style, send and draw on every run, and nobody reads them on screen.
    """
    if len(listing) <= LIST_ROWS:
        return listing
    st.caption(t("layout.rows_shown", shown=f"{LIST_ROWS:,}", total=f"{len(listing):,}"))
    return listing.head(LIST_ROWS)


def table(data, **options) -> None:
    """A table: st.dataframe on screen; on the projector a static table that wraps its headers to fit
    the width (and scrolls with a visible scrollbar when it still cannot), text at projector size."""
    if meeting.active():
        height = options.get("height")
        st.table(
            data,
            border="horizontal",
            hide_index=options.get("hide_index", True),
            height=height if isinstance(height, int) else "content",
        )
        return
    st.dataframe(data, **options)


def exported(figure):
    """The figure as its PNG download draws it: labels whole, the title naming county and period."""
    from analytics.charts.leader import export_ready

    shown = st.session_state.get("filters")
    if shown is None or shown.empty:
        return export_ready(figure, None, None)
    scope = t("period.year_months", year=shown.period.year, months=shown.period.label)
    return export_ready(figure, shown.county, scope, PNG_WIDTH)


def copyable(heading: str, text: str) -> None:
    """A generated paragraph: a block with a copy button, or large plain text on the projector."""
    if meeting.active():
        st.subheader(heading)
        st.markdown(
            f'<div style="font-size:1.15rem;line-height:1.7">{html.escape(text)}</div>',
            unsafe_allow_html=True,
        )
        return
    st.subheader(t("layout.copyable_heading", heading=heading))
    st.code(text, language=None, wrap_lines=True)
    st.caption(t("layout.copy_hint"))


def no_previous_year(filters: Filters) -> bool:
    """True when the database holds nothing for the year before: 同比 would read as 新增 everywhere.

    Pages then say so instead of colouring every figure as a rise.
    """
    years = data.query(data_years)
    if filters.period.year - 1 in years:
        return False
    st.info(t("layout.no_previous_year", previous=filters.period.year - 1, year=filters.period.year))
    return True
