"""控制指标 on the pages: the county's caps beside time progress (总览), the townships' caps (乡镇对比).

The figures and the status of each are the `control` metric's; here they are drawn: 超出控制指标 red,
超过时间进度 amber (both warnings), 正常 plain.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.charts import progress as charts
from analytics.charts.supervision import key_text
from analytics.text import fields, wording
from analytics.text.zh import t
from ui import cards, data, layout, supervision

TONES = {charts.OVER_CAP: cards.BAD, charts.AHEAD_OF_TIME: cards.WARN, charts.NORMAL: cards.NEUTRAL}


def _amount(indicator: str, value) -> str:
    return wording.DASH if value is None else fields.fmt_with_unit(indicator, value)


def indicator_card(row: dict, indicator: str, time_progress: float) -> cards.Card:
    """One indicator of a control ROW: the value, its share of the cap beside time progress, the status."""
    cap, progress, status = row[f"{indicator}_cap"], row[f"{indicator}_progress"], row[f"{indicator}_status"]
    if cap is None:
        detail = t("control.card.no_cap")
    else:
        detail = t(
            "control.card.detail",
            cap=_amount(indicator, cap),
            progress=wording.DASH if progress is None else wording.fmt_pct(progress),
            time_progress=wording.fmt_pct(time_progress),
        )
    return cards.Card(
        t("control.card.label", label=fields.short_label(indicator)),
        _amount(indicator, row[indicator]),
        detail,
        status or "",
        TONES.get(status, cards.NEUTRAL),
    )


def county_section(doc: dict, year: int, last_month: int) -> None:
    """On 总览: the county's two control targets as cards (nothing when the county has no caps for the year)."""
    row = doc["county"]
    if row is None:
        return
    st.subheader(
        t(
            "control.heading",
            year=year,
            last_month=last_month,
            time_progress=wording.fmt_pct(doc["time_progress"]),
        )
    )
    cards.show_cards(
        [indicator_card(row, name, doc["time_progress"]) for name in charts.INDICATORS], per_row=2
    )
    st.caption(t("control.caption"))


def _column(indicator: str, part: str) -> str:
    """A column header, from the field catalogue: 事故起数（起）, 事故起数控制数（起）, 事故起数控制进度, 事故起数控制情况."""
    return fields.label(indicator if part == "value" else f"{indicator}_{part}")


def township_frame(rows: list[dict], indicator: str) -> pd.DataFrame:
    """The townships' control ROWs on one indicator: value, cap, progress and status (numbers kept numbers)."""
    return pd.DataFrame(
        {
            fields.KEY_LABELS["township"]: [key_text(row["township"]) for row in rows],
            _column(indicator, "value"): pd.array([row[indicator] for row in rows], dtype="Int64"),
            _column(indicator, "cap"): pd.array([row[f"{indicator}_cap"] for row in rows], dtype="Int64"),
            _column(indicator, "progress"): pd.array(
                [row[f"{indicator}_progress"] for row in rows], dtype="Float64"
            ),
            _column(indicator, "status"): [row[f"{indicator}_status"] or wording.DASH for row in rows],
        }
    )


def _shade(status: str) -> str:
    colour = charts.STATUS_SHADES.get(status)
    return f"background-color: {colour}; color: #111111; font-weight: 700" if colour else ""


def styled(table: pd.DataFrame, indicator: str):
    """The table as shown: a missing cap or progress reads — (and sorts last), status cells coloured
    (warnings only)."""
    shown = supervision.styled(table, [indicator, f"{indicator}_cap", f"{indicator}_progress"])
    return shown.map(_shade, subset=[_column(indicator, "status")])


def townships_section(doc: dict, scope: str, file_stem: str) -> None:
    """On 乡镇对比: every township with caps, per indicator a table of its progress and status and a chart."""
    rows = doc["townships"]
    st.subheader(t("control.townships_heading", time_progress=wording.fmt_pct(doc["time_progress"])))
    if not rows:
        st.info(t("control.no_township_caps"))
        return
    st.caption(t("control.townships_caption"))
    name = layout.one_of(t("layout.indicator"), charts.INDICATORS, "control-indicator", fields.short_label)
    layout.table(styled(township_frame(rows, name), name), hide_index=True, width="stretch")
    title = t("control.chart_title", scope=scope, label=fields.short_label(name))
    layout.chart(
        data.figure(charts.township_control, rows, name, doc["time_progress"], title),
        file_stem=t("control.file", stem=file_stem, label=fields.short_label(name)),
        key=f"control-{name}",
    )
