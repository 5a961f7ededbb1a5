"""执法检查: cases, fines, 责令停产停业整改 and 取缔关闭 with 同比; by department and measure; monthly trend."""

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
from ui import cards, data, filters, layout, supervision

FIELDS = ["cases", "previous_cases", "cases_change_pct", "fine_wan", "previous_fine_wan", "fine_change_pct"]
CHANGES = ["cases_change_pct", "fine_change_pct"]

selected = filters.current()
layout.require_data(selected, "enforcement")
period, county, year = selected.period, selected.county, selected.period.year
by_department = data.query(enforcement, period=period, county=county, by="department")
measures = data.query(enforcement_by_measure, period=period, county=county)
total = by_department["total"]

layout.title("执法检查", selected)
layout.notices(by_department)
if not total["cases"] and not total["previous"]["cases"]:
    supervision.stop_without_records("行政执法")
st.caption(
    f"统计口径：立案日期在{year}年{period.label}内的案件，与{year - 1}年同期对比；"
    "执法力度加大（立案、罚款、停产整顿、取缔关闭增加）以绿色表示，减少以红色表示。"
)

by_measure = measures.set_index("measure")


def _change(value) -> float | None:
    return None if pd.isna(value) else float(value)


def measure_card(title: str, measure: str) -> cards.Card:
    row = by_measure.loc[measure]
    change, tone = supervision.count_change(
        int(row["cases"]), int(row["previous_cases"]), _change(row["cases_change_pct"]), "家", False
    )
    return cards.Card(
        title, f"{int(row['cases']):,}家", f"去年同期 {int(row['previous_cases']):,}家", change, tone
    )


case_change, case_tone = supervision.count_change(
    total["cases"], total["previous"]["cases"], total["change_pct"]["cases"], "件", False
)
fine_change, fine_tone = supervision.count_change(
    total["fine_wan"], total["previous"]["fine_wan"], total["change_pct"]["fine_wan"], "万元", False
)
cards.show_cards(
    [
        cards.Card(
            "立案数",
            f"{cs.fmt_value('cases', total['cases'])}件",
            f"去年同期 {cs.fmt_value('cases', total['previous']['cases'])}件",
            case_change,
            case_tone,
        ),
        cards.Card(
            "罚款金额",
            f"{cs.fmt_value('fine_wan', total['fine_wan'])}万元",
            f"去年同期 {cs.fmt_value('fine_wan', total['previous']['fine_wan'])}万元",
            fine_change,
            fine_tone,
        ),
        measure_card("责令停产停业整改", SUSPENSION),
        measure_card("取缔关闭", CLOSURE),
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


st.subheader("分部门")
departments = {"rows": [flat(r) for r in by_department["rows"]], "total": flat(total)}
supervision.show_breakdown(departments, "department", [*FIELDS, "suspensions", "closures"], shade=CHANGES)
department_frame = pd.DataFrame(departments["rows"])
if not department_frame.empty:
    layout.chart(
        cs.year_compare_bars(
            department_frame, "department", "cases", "previous_cases", year, "立案数：分部门"
        ),
        file_stem=f"{county}_{year}年{period.label}_立案数分部门",
        key="departments",
    )

st.subheader("分处理措施")
layout.chart(
    cs.year_compare_bars(measures, "measure", "cases", "previous_cases", year, "案件数：分处理措施"),
    file_stem=f"{county}_{year}年{period.label}_分处理措施",
    key="measures",
)
measure_table = supervision.frame(measures.to_dict("records"), "measure", FIELDS)
layout.table(supervision.styled(measure_table, FIELDS, shade=CHANGES), hide_index=True, width="stretch")

st.subheader(f"逐月趋势（{year}年1-{period.last_month}月与去年同期）")
monthly = data.query(
    enforcement_monthly,
    year=year,
    county=county,
    last_month=period.last_month,
)
for tab, field, previous in zip(
    st.tabs(["立案数", "罚款金额"]),
    ["cases", "fine_wan"],
    ["previous_cases", "previous_fine_wan"],
    strict=True,
):
    with tab:
        table = pd.DataFrame(
            {
                "月份": [f"{m}月" for m in monthly["month"]],
                f"{year}年": [cs.fmt_value(field, v) for v in monthly[field]],
                f"{year - 1}年同期": [cs.fmt_value(field, v) for v in monthly[previous]],
            }
        )
        layout.chart(
            cs.monthly_compare(monthly, field, previous, year),
            table,
            file_stem=f"{county}_{year}年_{cs.short_label(field)}逐月",
            key=f"monthly-{field}",
        )
