"""Charts: a DataFrame in, a Plotly figure out (no Streamlit), and PNG export through kaleido.

Colour follows meaning, not sign (domain.md): for the four indicators a month,
sector or township above 同期 is red and below is green; 同期 itself is grey;
in the ranking the home county stands out. Titles and axes are Chinese and
the font is Noto Sans CJK SC, so a PNG keeps its Chinese.
"""

from __future__ import annotations

import threading
import warnings

import pandas as pd
import plotly.graph_objects as go

from analytics.charts import palette
from analytics.text import fields
from analytics.text.zh import t

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans CJK, Noto Sans SC, sans-serif"
# Short names of the palette's colours, as the chart code reads them.
RED, GREEN, EQUAL = palette.BAD, palette.GOOD, palette.LEVEL
PREVIOUS_GREY = palette.PREVIOUS
HOME_COLOUR, OTHER_COLOUR = palette.HOME, palette.OTHER


def axis_label(indicator: str) -> str:
    """'事故起数（起）' for an indicator key."""
    return fields.label(indicator)


def base_layout(figure: go.Figure, title: str, height: int = 420) -> go.Figure:
    figure.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "y": 0.98, "yanchor": "top"},
        font={"family": FONT_FAMILY, "size": 14},
        height=height,
        margin={"l": 60, "r": 20, "t": 96, "b": 50},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        # The legend sits between the title and the plot, left-aligned, so a narrow column wraps it cleanly.
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.01, "xanchor": "left", "x": 0.0},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        separators=".,",
    )
    figure.update_xaxes(showline=True, linecolor="#90a4ae")
    figure.update_yaxes(gridcolor="#eceff1", zerolinecolor="#90a4ae", rangemode="tozero")
    return figure


def warm_up() -> None:
    """Build and serialise a throwaway chart with every kind of part the charts use (bars across and up,
    lines with labels, a second y axis, a reference line, a note, the base layout and a colour key).

    Plotly imports each part's classes and validators on first use: 0.1-0.3 s that the server's start
    (app.py) takes off the first page with a chart.
    """
    from plotly.io import to_json
    from plotly.subplots import make_subplots

    figure = make_subplots(specs=[[{"secondary_y": True}]])
    figure.add_bar(
        x=[1],
        y=["a"],
        orientation="h",
        text=["1"],
        textposition="outside",
        textfont={"size": 12},
        marker_color=[RED],
        hovertemplate="%{x}<extra></extra>",
    )
    figure.add_scatter(
        x=[1],
        y=[1.0],
        mode="lines+markers+text",
        line={"color": GREEN, "width": 3},
        text=["1"],
        textposition="top center",
        connectgaps=False,
        secondary_y=True,
    )
    figure.update_yaxes(title_text="a", range=[0, 2], tickvals=[0, 1], showgrid=False, secondary_y=True)
    figure.add_vline(x=1, line_dash="dash", line_color=EQUAL)
    figure.add_annotation(text="a", x=1, y=1, showarrow=False)
    colour_key(figure, 2000)
    base_layout(figure, "a").update_layout(barmode="group")
    to_json(figure, validate=False)


def colour_key(
    figure: go.Figure,
    year: int,
    entries: tuple[tuple[str, str], ...] | None = None,
) -> None:
    """Legend entries for this year's bar colours (the bars themselves carry no single colour).

    `entries` pairs each colour with what it means. Markers without points add
    legend entries without taking a slot in a bar group.
    """
    if entries is None:
        entries = (
            (RED, t("chart.above_previous")),
            (GREEN, t("chart.below_previous")),
            (EQUAL, t("chart.level")),
        )
    for colour, meaning in entries:
        figure.add_scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=t("chart.key", year=year, meaning=meaning),
            marker={"color": colour, "size": 12, "symbol": "square"},
            hoverinfo="skip",
        )


def meaning_colours(values, previous, lower_is_better: bool = True) -> list[str]:
    """Per bar: red where the value is worse than 同期, green where better, grey where equal or missing."""
    colours = []
    for value, before in zip(values, previous, strict=True):
        if pd.isna(value) or pd.isna(before) or value == before:
            colours.append(EQUAL)
        elif (value > before) == lower_is_better:
            colours.append(RED)
        else:
            colours.append(GREEN)
    return colours


def _number_format(indicator: str) -> str:
    return ",.2f" if indicator == "direct_loss_wan" else ",d"


def _scoped(title: str, scope: str | None) -> str:
    # A downloaded image travels alone: its title must say whose figures these are.
    return t("chart.scoped_title", scope=scope, title=title) if scope else title


def month_pairs(months, current, previous, year: int, colours, **text) -> go.Figure:
    """Bars of each month of `year` beside the same month of `year`−1 (grey), this year's in `colours`.

    `text` sets how this year's bars are labelled (texttemplate or text).
    """
    labels = [t("chart.month", month=m) for m in months]
    figure = go.Figure()
    figure.add_bar(
        x=labels, y=previous, name=t("chart.previous_year", year=year - 1), marker_color=PREVIOUS_GREY
    )
    figure.add_bar(
        x=labels,
        y=current,
        name=t("chart.this_year", year=year),
        showlegend=False,
        marker_color=colours,
        textposition="outside",
        cliponaxis=False,
        **text,
    )
    return figure


def monthly_bars(frame: pd.DataFrame, indicator: str, year: int, scope: str | None = None) -> go.Figure:
    """Each month of `year` against the same month of `year`−1 (columns of `indicators.monthly`).

    `scope` (e.g. "云溪县 2026年") leads the title.
    """
    current, previous = frame[indicator], frame[f"{indicator}_previous"]
    figure = month_pairs(
        frame["month"],
        current,
        previous,
        year,
        meaning_colours(current, previous),
        texttemplate=f"%{{y:{_number_format(indicator)}}}",
    )
    colour_key(figure, year)
    figure.update_layout(barmode="group", yaxis_title=axis_label(indicator))
    return base_layout(figure, _scoped(t("chart.monthly_title", label=fields.short_label(indicator)), scope))


def cumulative_lines(frame: pd.DataFrame, indicator: str, year: int, scope: str | None = None) -> go.Figure:
    """Running totals of `year` and `year`−1, month by month; this year's line red if above 同期 at its end."""
    months = [t("chart.month", month=m) for m in frame["month"]]
    current, previous = frame[f"{indicator}_cum"], frame[f"{indicator}_previous_cum"]
    shown = current.dropna()
    colour = EQUAL
    if len(shown):
        last = shown.index[-1]
        colour = meaning_colours([current[last]], [previous[last]])[0]
    figure = go.Figure()
    figure.add_scatter(
        x=months,
        y=previous,
        name=t("chart.previous_year_cumulative", year=year - 1),
        mode="lines+markers",
        line={"color": PREVIOUS_GREY, "width": 3, "dash": "dash"},
    )
    figure.add_scatter(
        x=months,
        y=current,
        name=t("chart.this_year_cumulative", year=year),
        mode="lines+markers",
        line={"color": colour, "width": 4},
    )
    figure.update_layout(yaxis_title=axis_label(indicator))
    return base_layout(
        figure, _scoped(t("chart.cumulative_title", label=fields.short_label(indicator)), scope)
    )


def comparison_bars(frame: pd.DataFrame, category: str, indicator: str, year: int, title: str) -> go.Figure:
    """Horizontal bars per category (sector or township): the period against 同期.

    `frame` has the category column, the indicator column and `previous_<indicator>`.
    """
    frame = frame.iloc[::-1]  # plotly draws the first row at the bottom
    current, previous = frame[indicator], frame[f"previous_{indicator}"]
    figure = go.Figure()
    figure.add_bar(
        y=frame[category],
        x=previous,
        name=t("chart.previous_year", year=year - 1),
        orientation="h",
        marker_color=PREVIOUS_GREY,
    )
    figure.add_bar(
        y=frame[category],
        x=current,
        name=t("chart.this_year", year=year),
        showlegend=False,
        orientation="h",
        marker_color=meaning_colours(current, previous),
        texttemplate=f"%{{x:{_number_format(indicator)}}}",
        textposition="outside",
        cliponaxis=False,
    )
    colour_key(figure, year)
    # The title names the categories; an axis title would collide with long township names.
    figure.update_layout(barmode="group", xaxis_title=axis_label(indicator), yaxis_title=None)
    figure.update_xaxes(rangemode="tozero", gridcolor="#eceff1")
    figure.update_yaxes(automargin=True, type="category")
    height = max(340, 110 + 46 * len(frame))
    return base_layout(figure, title, height=height)


def ranking_bars(
    frame: pd.DataFrame,
    value_column: str,
    home_county: str | None,
    title: str,
    axis: str,
    mark: str | None = None,
) -> go.Figure:
    """Counties as horizontal bars, rank 1 (smallest) on top, one county highlighted and marked （mark）.

    `frame` has `county`, the value column and `rank`; rows may come in any order.
    """
    mark = t("tables.home") if mark is None else mark
    ordered = frame.sort_values(["rank", "county"], ascending=[False, False], na_position="first")
    colours = [HOME_COLOUR if county == home_county else OTHER_COLOUR for county in ordered["county"]]
    labels = [
        t("chart.rank_label", rank=int(rank), county=county)
        + (t("chart.rank_mark", mark=mark) if county == home_county else "")
        for county, rank in zip(ordered["county"], ordered["rank"], strict=True)
    ]
    values = ordered[value_column]
    texts = [_ranking_value(value, value_column) for value in values]
    figure = go.Figure(
        go.Bar(
            y=labels,
            x=values.fillna(0),
            orientation="h",
            marker_color=colours,
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertemplate=t("chart.hover"),
        )
    )
    figure.update_layout(xaxis_title=axis, showlegend=False)
    # "第10位 东山县（本县）" is long: the margin grows to hold it rather than cut it.
    figure.update_yaxes(automargin=True, type="category")
    # Room on both sides for the labels written outside the bars (negative changes point left).
    filled = values.fillna(0).astype(float)
    low, high = min(0.0, filled.min()), max(0.0, filled.max())
    span = (high - low) or 1.0
    figure.update_xaxes(
        gridcolor="#eceff1",
        zerolinecolor="#90a4ae",
        range=[low - 0.35 * span if low < 0 else 0, high + 0.35 * span if high > 0 else 0.1 * span],
    )
    figure = base_layout(figure, title, height=max(360, 90 + 40 * len(frame)))
    figure.update_layout(margin={"l": 60, "r": 40, "t": 60, "b": 50})
    return figure


def _ranking_value(value, column: str) -> str:
    if column == "change_pct":
        return t("chart.new") if pd.isna(value) else f"{value:+.1f}%"
    return f"{value:,.2f}" if column == "direct_loss_wan" else f"{value:,.0f}"


def _axis_names(figure: go.Figure) -> list[str]:
    return [name for name in figure.layout.to_plotly_json() if name.startswith(("xaxis", "yaxis"))] or [
        "xaxis",
        "yaxis",
    ]


def title_of(figure: go.Figure) -> str:
    """A figure's title as read: its text and, if any, its subtitle."""
    title = figure.layout.title
    return " ".join(t for t in (title.text, title.subtitle.text) if t)


def _text_width(text: str, size: float) -> float:
    """Rough drawn width in px: a CJK character is about one em wide, other characters about half."""
    return sum(size if ord(ch) > 0x2E80 else 0.55 * size for ch in text)


def export_ready(
    figure: go.Figure, county: str | None, period_text: str | None, width: int | None = None
) -> go.Figure:
    """A copy of `figure` fit to travel alone as an image: whole category labels, a title naming whose
    figures for which period.

    Every axis gets automargin, so a long category label ("第10位 东山县（本县）") widens the margin
    instead of being cut; the title gains the county and the period (e.g. "2026年1-10月") where it does
    not already name them. Given the image `width`, a title too long for one line keeps its text and
    takes the county and period as its subtitle (see `title_of`), and the top margin grows by that line.
    """
    exported = go.Figure(figure)
    for name in _axis_names(exported):
        exported.layout[name].automargin = True
    title = exported.layout.title.text or ""
    missing = " ".join(part for part in (county, period_text) if part and part not in title)
    if not missing:
        return exported
    text = f"{missing}　{title}" if title else missing
    size = exported.layout.title.font.size or (exported.layout.font.size or 14) * 1.4
    if title and width and _text_width(text, size) > width - 40:
        # A <br> in a top-anchored title pushes its first line out of the image; a subtitle does not.
        top = exported.layout.margin.t if exported.layout.margin.t is not None else 80
        exported.update_layout(title_subtitle_text=missing, margin_t=top + round(size * 1.2))
        return exported
    exported.update_layout(title_text=text)
    return exported


_png_lock = threading.Lock()
_server_started = False
_idle_timer: threading.Timer | None = None
_images = 0  # images drawn: an idle timer stops the browser only if none was drawn since it was set
# The chart-image browser (Chromium, several processes, hundreds of MiB) exits after this long without an
# image and starts again (about 2 s) for the next one: a day's brief or PNG downloads come in bursts.
PNG_BROWSER_IDLE_SECONDS = 120.0


def _stop_idle_browser(images: int) -> None:
    import kaleido

    global _server_started
    with _png_lock:
        if _server_started and images == _images:
            kaleido.stop_sync_server(silence_warnings=True)
            _server_started = False


def png_browser_running() -> bool:
    """Whether the chart-image browser is up (it exits PNG_BROWSER_IDLE_SECONDS after the last image)."""
    return _server_started


def figure_png(figure: go.Figure, width: int = 1200, height: int = 600) -> bytes:
    """The figure as PNG bytes (Chinese intact), through kaleido and the system Chromium."""
    import kaleido

    global _server_started, _idle_timer, _images
    with _png_lock:
        if _idle_timer is not None:
            _idle_timer.cancel()
        if not _server_started:
            # One browser kept while images are asked for: ~0.15 s per image instead of ~2 s. No MathJax: the
            # charts have no formulas, and kaleido would fetch it from a CDN (the app runs offline).
            kaleido.start_sync_server(silence_warnings=True, mathjax=False, enable_extensions=False)
            _server_started = True
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="The kopts argument is ignored")
                return figure.to_image(format="png", width=width, height=height, scale=1)
        finally:
            _images += 1
            _idle_timer = threading.Timer(PNG_BROWSER_IDLE_SECONDS, _stop_idle_browser, args=(_images,))
            _idle_timer.daemon = True
            _idle_timer.start()
