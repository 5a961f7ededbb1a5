"""Supervision figures (hazards, enforcement, training, townships): labels, colours by meaning, charts.

What each field is called and which way is good comes from the field catalogue
(`analytics.text.fields`): fewer accidents and fewer overdue hazards are good
(green), more enforcement, training and a higher 整改率 are good too. How many
hazards were found says nothing good or bad on its own, so it is drawn in the
palette's neutral blue. A DataFrame goes in, a Plotly figure comes out; no Streamlit.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics.charts import palette
from analytics.charts.leader import (
    EQUAL,
    GREEN,
    PREVIOUS_GREY,
    RED,
    base_layout,
    colour_key,
    meaning_colours,
    month_pairs,
)
from analytics.metrics import townships as townships_metrics
from analytics.metrics.common import NO_TOWNSHIP
from analytics.metrics.training import behind_time_progress
from analytics.text import fields, wording
from analytics.text.zh import t

# The field catalogue's names, as the chart and table code reads them.
HIGHER_IS_BETTER, LOWER_IS_BETTER, NEUTRAL = fields.HIGHER_IS_BETTER, fields.LOWER_IS_BETTER, fields.NEUTRAL
NEUTRAL_BLUE = palette.NEUTRAL
TIME_PROGRESS_COLOUR = palette.TIME_PROGRESS
KEY_LABELS = fields.KEY_LABELS
label, short_label, direction = fields.label, fields.short_label, fields.direction
fmt_change, fmt_value = fields.fmt_change, fields.fmt_value


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def _floats(values) -> pd.Series:
    """Values as float64, every kind of missing (None, NaN, pd.NA) as NaN."""
    return pd.Series([float("nan") if _missing(v) else float(v) for v in values], dtype="float64")


NOT_FILLED = t("chart.not_filled")


def key_text(value, key: str = "township") -> str:
    """A breakdown key on screen: an empty township reads 县直/未填乡镇, any other empty key 未填写."""
    if _missing(value):
        return NO_TOWNSHIP if key == "township" else NOT_FILLED
    return str(value)


def key_texts(values: pd.Series, key: str = "township") -> pd.Series:
    """`key_text` of a whole column (a list of thousands): each distinct value rendered once."""
    shown = {value: key_text(value, key) for value in values.dropna().unique()}
    return values.map(shown).astype(object).fillna(key_text(None, key))


def _blend(colour: str, weight: float) -> str:
    """`colour` mixed into white: weight 0 is white, 1 the colour itself."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(255 + (c - 255) * weight) for c in (red, green, blue)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


# The strongest shade a table cell gets: light enough that black text stays readable.
_MAX_SHADE = 0.45


def meaning_shades(values, field: str) -> list[str | None]:
    """Per value, a background colour by meaning: best green, worst red, middle white; neutral fields blue.

    Null values get None (no colour); a column whose values are all equal stays white.
    """
    series = _floats(values)
    present = series.dropna()
    if present.empty or present.min() == present.max():
        return [None if _missing(v) else "#ffffff" for v in series]
    low, high = present.min(), present.max()
    way = direction(field)
    shades: list[str | None] = []
    for value in series:
        if _missing(value):
            shades.append(None)
            continue
        position = (value - low) / (high - low)  # 0 = smallest, 1 = largest
        if way == NEUTRAL:
            shades.append(_blend(NEUTRAL_BLUE, position * _MAX_SHADE * 0.8))
            continue
        goodness = position if way == HIGHER_IS_BETTER else 1 - position
        if goodness >= 0.5:
            shades.append(_blend(GREEN, (goodness - 0.5) * 2 * _MAX_SHADE))
        else:
            shades.append(_blend(RED, (0.5 - goodness) * 2 * _MAX_SHADE))
    return shades


def sign_shades(values, field: str) -> list[str | None]:
    """Per 同比 value, green where the change is good by meaning, red where bad; 新增 (null) counts as a rise."""
    good_rise = direction(field) == HIGHER_IS_BETTER
    shades: list[str | None] = []
    for value in values:
        rose = True if _missing(value) else value > 0
        if not _missing(value) and value == 0:
            shades.append(None)
        else:
            shades.append(_blend(GREEN if rose == good_rise else RED, _MAX_SHADE * 0.6))
    return shades


def _strong_colours(values, field: str) -> list[str]:
    """Bar colours: the table's shades at full strength, so a chart and its table agree."""
    series = _floats(values)
    present = series.dropna()
    way = direction(field)
    colours = []
    for value in series:
        if _missing(value):
            colours.append(EQUAL)
        elif way == NEUTRAL or present.min() == present.max():
            colours.append(NEUTRAL_BLUE if way == NEUTRAL else EQUAL)
        else:
            position = (value - present.min()) / (present.max() - present.min())
            goodness = position if way == HIGHER_IS_BETTER else 1 - position
            colours.append(GREEN if goodness >= 0.5 else RED)
    return colours


def rectification_trend(frame: pd.DataFrame, year: int) -> go.Figure:
    """Monthly hazards found (bars) and 整改率 (line, right axis); columns of `hazard_monthly`."""
    months = [t("chart.month", month=m) for m in frame["month"]]
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    figure.add_bar(x=months, y=frame["found"], name=label("found"), marker_color=PREVIOUS_GREY)
    rates = _floats(frame["rectification_rate"])
    figure.add_scatter(
        x=months,
        y=rates,
        name=t("chart.rate_axis", label=short_label("rectification_rate")),
        mode="lines+markers+text",
        line={"color": GREEN, "width": 3},
        text=[fmt_value("rectification_rate", v) for v in rates],
        textposition="top center",
        connectgaps=False,
        secondary_y=True,
    )
    # The bars keep to the lower half, so the 整改率 line and its labels above them stay readable.
    most = max([*frame["found"].tolist(), 1])
    figure.update_yaxes(title_text=label("found"), range=[0, most * 1.9], secondary_y=False)
    figure.update_yaxes(
        title_text=t("chart.rate_axis", label=short_label("rectification_rate")),
        range=[0, 118],  # room above 100% for the labels
        tickvals=[0, 20, 40, 60, 80, 100],
        secondary_y=True,
        showgrid=False,
    )
    return base_layout(figure, t("chart.rectification_trend_title", year=year))


def _meaning_key(figure: go.Figure, year: int, field: str) -> None:
    """Legend entries saying what this year's bar colours mean for `field`."""
    more, fewer = t("chart.more_than_previous"), t("chart.fewer_than_previous")
    good, bad = (more, fewer) if direction(field) == HIGHER_IS_BETTER else (fewer, more)
    colour_key(figure, year, ((GREEN, good), (RED, bad), (EQUAL, t("chart.same_as_previous"))))


def grouped_bars(
    frame: pd.DataFrame, key: str, fields: list[str], title: str, colours: list[str] | None = None
) -> go.Figure:
    """Horizontal bars per key (department, kind, measure), one series per field, first row on top."""
    frame = frame.iloc[::-1]
    keys = [key_text(k, key) for k in frame[key]]
    series_colours = colours or [NEUTRAL_BLUE, PREVIOUS_GREY, GREEN, RED]
    figure = go.Figure()
    for field, colour in zip(fields, series_colours, strict=False):
        figure.add_bar(
            y=keys,
            x=frame[field],
            name=label(field),
            orientation="h",
            marker_color=colour,
            text=[fmt_value(field, v) for v in frame[field]],
            textposition="outside",
            cliponaxis=False,
        )
    # The title names the categories; an axis title would collide with long department names.
    figure.update_layout(barmode="group", yaxis_title=None)
    figure.update_xaxes(gridcolor="#eceff1", rangemode="tozero")
    figure.update_yaxes(automargin=True, type="category")
    figure = base_layout(figure, title, height=max(340, 110 + 26 * len(frame) * len(fields)))
    figure.update_layout(margin={"r": 60})
    return figure


def year_compare_bars(
    frame: pd.DataFrame, key: str, field: str, previous_column: str, year: int, title: str
) -> go.Figure:
    """Per key, this period against 同期; this year's bar green where better by meaning, red where worse."""
    frame = frame.iloc[::-1]
    keys = [key_text(k, key) for k in frame[key]]
    current, previous = frame[field], frame[previous_column]
    figure = go.Figure()
    figure.add_bar(
        y=keys,
        x=previous,
        name=t("chart.previous_year", year=year - 1),
        orientation="h",
        marker_color=PREVIOUS_GREY,
    )
    figure.add_bar(
        y=keys,
        x=current,
        name=t("chart.this_year", year=year),
        showlegend=False,
        orientation="h",
        marker_color=meaning_colours(current, previous, lower_is_better=direction(field) == LOWER_IS_BETTER),
        text=[fmt_value(field, v) for v in current],
        textposition="outside",
        cliponaxis=False,
    )
    _meaning_key(figure, year, field)
    # The title names the categories; an axis title would collide with long department names.
    figure.update_layout(barmode="group", xaxis_title=label(field), yaxis_title=None)
    figure.update_xaxes(gridcolor="#eceff1", rangemode="tozero")
    figure.update_yaxes(automargin=True, type="category")
    figure = base_layout(figure, title, height=max(340, 110 + 46 * len(frame)))
    figure.update_layout(margin={"r": 60})
    return figure


def monthly_compare(frame: pd.DataFrame, field: str, previous_column: str, year: int) -> go.Figure:
    """Each month of `year` against the same month of `year`−1, this year's bars coloured by meaning."""
    current, previous = frame[field], frame[previous_column]
    figure = month_pairs(
        frame["month"],
        current,
        previous,
        year,
        meaning_colours(current, previous, lower_is_better=direction(field) == LOWER_IS_BETTER),
        text=[fmt_value(field, v) for v in current],
    )
    _meaning_key(figure, year, field)
    figure.update_layout(barmode="group", yaxis_title=label(field))
    return base_layout(
        figure, t("chart.monthly_compare_title", label=short_label(field), year=year, previous=year - 1)
    )


def coverage_bars(frame: pd.DataFrame, key: str, time_progress: float | None, title: str) -> go.Figure:
    """Coverage per row as horizontal bars beside a time-progress line: green at or past it, red behind it."""
    frame = frame.iloc[::-1]
    keys = [key_text(k, key) for k in frame[key]]
    coverage = _floats(frame["coverage_pct"])
    behind = [None if _missing(v) else behind_time_progress(float(v), time_progress) for v in coverage]
    colours = [EQUAL if b is None else (RED if b else GREEN) for b in behind]
    top = max([time_progress or 0, *coverage.dropna().tolist(), 100])
    figure = go.Figure(
        go.Bar(
            y=keys,
            x=coverage.fillna(0),
            orientation="h",
            marker_color=colours,
            text=[
                t(
                    "chart.coverage_text",
                    coverage=fmt_value("coverage_pct", v),
                    trained=fmt_value("trained", trained),
                    required=fmt_value("required", required),
                    unit=fields.unit("required"),
                )
                for v, trained, required in zip(coverage, frame["trained"], frame["required"], strict=True)
            ],
            # Inside the bar from its base, the label stays clear of the time-progress line near its end;
            # "auto" puts the label inside where it fits; a missing coverage has no bar to hold it.
            textposition=["outside" if _missing(v) else "auto" for v in coverage],
            insidetextanchor="start",
            insidetextfont={"color": "#ffffff"},
            outsidetextfont={"color": "#37474f"},
            cliponaxis=False,
            showlegend=False,
            hovertemplate=t("chart.hover"),
        )
    )
    for colour, meaning in ((GREEN, t("chart.meets_progress")), (RED, t("chart.behind_progress"))):
        figure.add_scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=meaning,
            marker={"color": colour, "size": 12, "symbol": "square"},
            hoverinfo="skip",
        )
    if time_progress is not None:
        line = {"color": TIME_PROGRESS_COLOUR, "width": 3, "dash": "dash"}
        figure.add_vline(x=time_progress, line=line)
        # The line's name goes in the legend: an annotation at its top would sit on the legend.
        figure.add_scatter(
            x=[None],
            y=[None],
            mode="lines",
            line=line,
            name=t("chart.time_progress", progress=wording.fmt_pct(time_progress)),
        )
    figure.update_layout(
        xaxis_title=t("chart.rate_axis", label=short_label("coverage_pct")), yaxis_title=None
    )
    figure.update_xaxes(range=[0, top * 1.15], gridcolor="#eceff1")
    figure.update_yaxes(automargin=True, type="category")
    figure = base_layout(figure, title, height=max(340, 130 + 34 * len(frame)))
    figure.update_layout(margin={"r": 40})
    return figure


VERDICT_COLOURS = {"better": GREEN, "worse": RED, "level": EQUAL}
VERDICT_SHADES = {"better": _blend(GREEN, _MAX_SHADE), "worse": _blend(RED, _MAX_SHADE), "level": "#ffffff"}


def township_shades(document: dict, field: str) -> list[str | None]:
    """Per row of a `townships` document, the table cell's colour by the profile's verdict on `field`.

    A volume (no verdict) is shaded blue by size, like 排查隐患 everywhere; 县直/未填乡镇 and nulls stay plain.
    """
    if field not in townships_metrics.JUDGED:
        return meaning_shades([row[field] for row in document["rows"]], "found")
    return [VERDICT_SHADES.get(v) for v in townships_metrics.row_verdicts(document, field)]


def township_ranking(document: dict, field: str, scope: str | None = None) -> go.Figure:
    """Townships ranked on one field, coloured by the profile's verdict against the township average.

    Best on top for a judged field; largest on top, in blue and with no verdict, for a volume. `scope`
    (e.g. "云溪县 2026年1-10月") leads the title.
    """
    way = townships_metrics.JUDGED.get(field)
    frame = pd.DataFrame(
        {
            "township": [row["township"] for row in document["rows"]],
            "value": _floats([row[field] for row in document["rows"]]),
            "verdict": townships_metrics.row_verdicts(document, field),
        }
    )
    ordered = frame.sort_values("value", ascending=way == LOWER_IS_BETTER, na_position="last", kind="stable")
    ordered = ordered.iloc[::-1]
    colours = [
        NEUTRAL_BLUE if way is None and not _missing(v) else VERDICT_COLOURS.get(verdict, EQUAL)
        for v, verdict in zip(ordered["value"], ordered["verdict"], strict=True)
    ]
    figure = go.Figure(
        go.Bar(
            y=[key_text(k) for k in ordered["township"]],
            x=ordered["value"].fillna(0),
            orientation="h",
            marker_color=colours,
            text=[fmt_value(field, v) for v in ordered["value"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=t("chart.hover"),
        )
    )
    basis = t("chart.basis.rate") if field in townships_metrics.RATES else t("chart.basis.average")
    if way is None:
        note = t("chart.volume_note")
    elif way == HIGHER_IS_BETTER:
        note = t("chart.higher_better_note", basis=basis)
    else:
        note = t("chart.lower_better_note", basis=basis)
    figure.update_layout(xaxis_title=label(field), showlegend=False)
    figure.update_xaxes(gridcolor="#eceff1", rangemode="tozero")
    figure.update_yaxes(automargin=True, type="category")
    title = t("chart.township_ranking_title", label=short_label(field), note=note)
    figure = base_layout(
        figure,
        t("chart.scoped_title", scope=scope, title=title) if scope else title,
        height=max(340, 100 + 34 * len(ordered)),
    )
    # No legend here, so the room the shared layout keeps for one between title and plot is not needed.
    figure.update_layout(margin={"r": 80, "t": 60})
    return figure
