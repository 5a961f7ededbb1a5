"""执法检查: cases, fines, 作出行政处罚, 责令停产停业整改 and 取缔关闭 with 同比; by department and measure;
monthly trend; the departments' monthly report items (部门月报) with 同比."""

import pandas as pd
import streamlit as st

from analytics.charts import supervision as cs
from analytics.metrics.enforcement import (
    CLOSURE,
    SUSPENSION,
    enforcement,
    enforcement_by_measure,
    enforcement_monthly,
)
from analytics.metrics.reports import reports
from analytics.text import fields
from analytics.text.zh import t
from ui import cards, data, filters, layout, monthly_reports, supervision

FIELDS = ["cases", "previous_cases", "cases_change_pct", "fine_wan", "previous_fine_wan", "fine_change_pct"]
CHANGES = ["cases_change_pct", "fine_change_pct"]

selected = filters.current()
layout.require_data(selected, "enforcement")
period, county, year = selected.period, selected.county, selected.period.year
by_department = data.query(enforcement, period=period, county=county, by="department")
measures = data.query(enforcement_by_measure, period=period, county=county)
total = by_department["total"]
report_items = data.query(reports, period=period, county=county, by="item")

layout.title(t("nav.enforcement"), selected)
layout.notices(by_department, report_items)
if not total["cases"] and not total["previous"]["cases"]:
    supervision.stop_without_records(t("enforcement.what"))
st.caption(t("enforcement.caption", year=year, months=period.label, previous=year - 1))

by_measure = measures.set_index("measure")


def card(field: str, value, previous, change_pct: float | None) -> cards.Card:
    """A card of one field against 同期 (the metric's 同比); more enforcement is good (green)."""
    change, tone = supervision.count_change(
        value, previous, change_pct, fields.unit(field), fields.lower_is_better(field)
    )
    return cards.Card(
        fields.short_label(field),
        fields.fmt_with_unit(field, value),
        t("cards.previous", amount=fields.fmt_with_unit(field, previous)),
        change,
        tone,
    )


def measure_card(field: str, measure: str) -> cards.Card:
    row = by_measure.loc[measure]
    change_pct = None if pd.isna(row["cases_change_pct"]) else float(row["cases_change_pct"])
    return card(field, int(row["cases"]), int(row["previous_cases"]), change_pct)


cards.show_cards(
    [
        card("cases", total["cases"], total["previous"]["cases"], total["change_pct"]["cases"]),
        card("fine_wan", total["fine_wan"], total["previous"]["fine_wan"], total["change_pct"]["fine_wan"]),
        card(
            "penalties", total["penalties"], total["previous"]["penalties"], total["change_pct"]["penalties"]
        ),
        measure_card("suspensions", SUSPENSION),
        measure_card("closures", CLOSURE),
    ]
)


def flat(row: dict) -> dict:
    return {
        **row,
        "previous_cases": row["previous"]["cases"],
        "previous_fine_wan": row["previous"]["fine_wan"],
        "cases_change_pct": row["change_pct"]["cases"],
        "fine_change_pct": row["change_pct"]["fine_wan"],
    }


st.subheader(t("enforcement.by_department"))
departments = {"rows": [flat(r) for r in by_department["rows"]], "total": flat(total)}
supervision.show_breakdown(departments, "department", [*FIELDS, "suspensions", "closures"], shade=CHANGES)
department_frame = pd.DataFrame(departments["rows"], columns=["department", "cases", "previous_cases"])
if not department_frame.empty:
    layout.chart(
        data.figure(
            cs.year_compare_bars,
            department_frame,
            "department",
            "cases",
            "previous_cases",
            year,
            t("enforcement.department_title"),
        ),
        file_stem=t("enforcement.file.departments", county=county, year=year, months=period.label),
        key="departments",
    )

st.subheader(t("enforcement.by_measure"))
layout.chart(
    data.figure(
        cs.year_compare_bars,
        measures,
        "measure",
        "cases",
        "previous_cases",
        year,
        t("enforcement.measure_title"),
    ),
    file_stem=t("enforcement.file.measures", county=county, year=year, months=period.label),
    key="measures",
)
measure_table = supervision.frame(measures.to_dict("records"), "measure", FIELDS)
layout.table(supervision.styled(measure_table, FIELDS, shade=CHANGES), hide_index=True, width="stretch")

st.subheader(t("enforcement.monthly_heading", year=year, last_month=period.last_month))
monthly = data.query(
    enforcement_monthly,
    year=year,
    county=county,
    last_month=period.last_month,
)
field = layout.one_of(t("layout.indicator"), ["cases", "fine_wan"], "enforcement-monthly", fields.short_label)
previous = f"previous_{field}"
table = pd.DataFrame(
    {
        t("tables.month"): [t("tables.month_value", month=m) for m in monthly["month"]],
        t("enforcement.year_column", year=year): [cs.fmt_value(field, v) for v in monthly[field]],
        t("enforcement.previous_column", year=year - 1): [cs.fmt_value(field, v) for v in monthly[previous]],
    }
)
layout.chart(
    data.figure(cs.monthly_compare, monthly, field, previous, year),
    table,
    file_stem=t("enforcement.file.monthly", county=county, year=year, label=cs.short_label(field)),
    key=f"monthly-{field}",
)

monthly_reports.section(
    report_items, data.query(reports, period=period, county=county, by="department"), year, period.label
)
