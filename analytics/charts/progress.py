"""Progress against a year's number: 控制指标 beside time progress, 标准化 passes against the year's task.

A control target is a cap: using it faster than the year goes by (超过时间进度) is a warning in amber,
going over it (超出控制指标) is red, 正常 is drawn plain green (metrics.md, Control targets). The
status itself comes from `analytics.metrics.control`; here it only picks a colour. A DataFrame or
metric rows go in, a Plotly figure comes out; no Streamlit.
"""

from __future__ import annotations

import plotly.graph_objects as go

from analytics.charts import palette
from analytics.charts.leader import PREVIOUS_GREY, base_layout
from analytics.charts.supervision import NEUTRAL_BLUE, grouped_bars, key_text
from analytics.metrics.control import AHEAD_OF_TIME, CONTROL_INDICATORS, NORMAL, OVER_CAP
from analytics.text import fields, wording
from analytics.text.zh import t

STATUS_COLOURS = {OVER_CAP: palette.BAD, AHEAD_OF_TIME: palette.WARNING, NORMAL: palette.GOOD}
STATUS_SHADES = {OVER_CAP: palette.BAD_SHADE, AHEAD_OF_TIME: palette.WARNING_SHADE}
INDICATORS = CONTROL_INDICATORS


def _item(row: dict, indicator: str, name: str) -> dict:
    """One bar: a control ROW's figures on one indicator, under `name`."""
    return {
        "name": name,
        "value": row[indicator],
        "cap": row[f"{indicator}_cap"],
        "progress": row[f"{indicator}_progress"],
        "status": row[f"{indicator}_status"],
        "unit": fields.unit(indicator),
    }


def _text(item: dict) -> str:
    """ "8/10起　80.0%" (the colour says the status); "1/—起　未下达控制数" without a cap."""
    cap, progress = item["cap"], item["progress"]
    return t(
        "chart.control_text",
        value=wording.fmt_count(item["value"]),
        cap=wording.DASH if cap is None else wording.fmt_count(cap),
        unit=item["unit"],
        progress=t("chart.control_no_cap")
        if cap is None
        else wording.DASH
        if progress is None
        else wording.fmt_pct(progress),
    )


def _bars(items: list[dict], time_progress: float, title: str) -> go.Figure:
    """One horizontal bar per item, first on top: its progress against the cap, coloured by status,
    beside the time-progress line (dashed) and the cap itself (100%)."""
    items = items[::-1]
    progress = [item["progress"] for item in items]
    figure = go.Figure(
        go.Bar(
            y=[item["name"] for item in items],
            x=[0 if p is None else p for p in progress],
            orientation="h",
            marker_color=[STATUS_COLOURS.get(item["status"], palette.LEVEL) for item in items],
            text=[_text(item) for item in items],
            textposition="none",
            showlegend=False,
            hovertemplate=t("chart.hover"),
        )
    )
    # Each bar's figures in a column right of the plot, clear of the time-progress and cap lines.
    for item in items:
        figure.add_annotation(
            x=1.01, xref="paper", y=item["name"], yref="y", text=_text(item), showarrow=False, xanchor="left"
        )
    for status in (OVER_CAP, AHEAD_OF_TIME, NORMAL):
        figure.add_scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=status,
            marker={"color": STATUS_COLOURS[status], "size": 12, "symbol": "square"},
            hoverinfo="skip",
        )
    line = {"color": palette.TIME_PROGRESS, "width": 3, "dash": "dash"}
    figure.add_vline(x=time_progress, line=line)
    figure.add_vline(x=100, line={"color": palette.BAD, "width": 2})
    figure.add_scatter(
        x=[None],
        y=[None],
        mode="lines",
        line=line,
        name=t("chart.time_progress", progress=wording.fmt_pct(time_progress)),
    )
    top = max([100, time_progress, *(p for p in progress if p is not None)])
    figure.update_xaxes(range=[0, top * 1.05], gridcolor="#eceff1", title_text=t("chart.control_axis"))
    figure.update_yaxes(automargin=True, type="category")
    figure = base_layout(figure, title, height=max(300, 150 + 40 * len(items)))
    figure.update_layout(margin={"r": 240})
    return figure


def township_control(rows: list[dict], indicator: str, time_progress: float, title: str) -> go.Figure:
    """Each township's progress on one indicator against its own cap, beside time progress."""
    return _bars([_item(row, indicator, key_text(row["township"])) for row in rows], time_progress, title)


def target_bars(frame, key: str, title: str) -> go.Figure:
    """Per grade: the year's task, applications and passes side by side (columns target, applied and
    standardization_passed, the field catalogue's name of a standardization row's "passed")."""
    fields_shown = ["target", "applied", "standardization_passed"]
    return grouped_bars(frame, key, fields_shown, title, [PREVIOUS_GREY, NEUTRAL_BLUE, palette.GOOD])


def source_bars(frame, key: str, title: str) -> go.Figure:
    """Per level (or township): major hazard sources in force and those monitored online (green)."""
    return grouped_bars(frame, key, ["in_force", "monitored"], title, [NEUTRAL_BLUE, palette.GOOD])


def project_bars(frame, key: str, title: str) -> go.Figure:
    """Per township: new projects, those with a safety evaluation (green) and those accepted."""
    return grouped_bars(
        frame, key, ["projects", "evaluated", "accepted"], title, [NEUTRAL_BLUE, palette.GOOD, PREVIOUS_GREY]
    )
