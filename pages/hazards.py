"""隐患整改: hazards found and rectified, 重大隐患, overdue, 整改指令书复查; by township and department; inspections."""

import pandas as pd
import streamlit as st

from analytics.charts import supervision as cs
from analytics.metrics.hazards import hazard_monthly, hazards, inspections_by, overdue_hazards
from analytics.text import wording
from ui import cards, data, filters, layout, supervision

HAZARD_FIELDS = [
    "found",
    "rectified",
    "rectification_rate",
    "major_found",
    "major_rectified",
    "major_rectification_rate",
    "overdue",
    "orders_due",
    "reviewed",
    "review_rate",
    "avg_days_to_rectify",
]
# Counts depend on a township's size; only rates, overdue and speed compare fairly, so only they are coloured.
SHADED = ["rectification_rate", "major_rectification_rate", "overdue", "review_rate", "avg_days_to_rectify"]

selected = filters.current()
layout.require_data(selected, "hazards")
period, county = selected.period, selected.county
by_township = data.query(hazards, period=period, county=county, by="township")
total = by_township["total"]

layout.title("隐患整改", selected)
layout.notices(by_township)
if not total["found"] and not total["inspections"]:
    supervision.stop_without_records("隐患排查或安全检查")
st.caption(
    f"统计口径：排查日期在{period.year}年{period.label}内的隐患，整改、逾期、复查状态截至{by_township['period']['as_of']}。"
)
previous = data.query(hazards, period=period.previous, county=county, by="township")["total"]
cards.show_cards(supervision.hazard_cards(total, previous))

st.subheader("分乡镇、分部门")
by_department = data.query(hazards, period=period, county=county, by="department")
township_tab, department_tab = st.tabs(["分乡镇（街道）", "分部门"])
with township_tab:
    supervision.show_breakdown(by_township, "township", HAZARD_FIELDS, shade=SHADED)
with department_tab:
    supervision.show_breakdown(by_department, "department", HAZARD_FIELDS, shade=SHADED)
st.caption(
    "点击表头可排序；整改率、逾期、复查率和整改天数按含义着色（绿色较好、红色较差）；全县合计单列在表格下方，不参与排序。"
)

st.subheader("逾期未整改及未整改重大隐患清单")
overdue = data.query(overdue_hazards, period=period, county=county)
if overdue.empty:
    st.success("截至统计期末，没有逾期未整改的隐患，也没有未整改的重大隐患。")
else:
    listing = pd.DataFrame(
        {
            "隐患编号": overdue["hazard_id"],
            "隐患单位": overdue["unit"],
            "乡镇（街道）": [cs.key_text(t) for t in overdue["township"]],
            "检查部门": overdue["department"],
            "隐患等级": overdue["level"],
            "排查日期": overdue["found_on"],
            "整改期限": overdue["deadline"],
            "逾期天数": overdue["days_overdue"].astype("Int64"),
        }
    )
    st.caption(f"共 {len(listing):,} 处，逾期天数最多者在前（逾期天数为0的是期限未到但尚未整改的重大隐患）。")
    layout.table(listing, hide_index=True, width="stretch", height=min(38 + 35 * len(listing), 460))
    supervision.download_xlsx(
        listing,
        f"{county}_{period.year}年{period.label}_逾期及重大隐患清单",
        f"{county}{period.year}年{period.label}逾期未整改及未整改重大隐患清单",
        key="overdue-xlsx",
    )

st.subheader("隐患整改率逐月趋势")
monthly = data.query(hazard_monthly, year=period.year, county=county, last_month=period.last_month)
trend_table = pd.DataFrame(
    {
        "月份": [f"{m}月" for m in monthly["month"]],
        "排查隐患（处）": [wording.fmt_count(v) for v in monthly["found"]],
        "已整改（处）": [wording.fmt_count(v) for v in monthly["rectified"]],
        "整改率": [cs.fmt_value("rectification_rate", v) for v in monthly["rectification_rate"]],
    }
)
layout.chart(
    cs.rectification_trend(monthly, period.year),
    trend_table,
    file_stem=f"{county}_{period.year}年_隐患整改率逐月",
    key="hazard-trend",
)
st.caption("隐患按排查月份归入各月；最近月份排查的隐患有的仍在整改期限内，其整改率会随整改完成而上升。")

st.subheader("安全检查")
left, right = st.columns(2)
for column, by, name in ((left, "department", "分部门"), (right, "kind", "分检查类型")):
    with column:
        inspections = data.query(inspections_by, period=period, county=county, by=by)
        if inspections.empty:
            st.info("本期没有安全检查记录。")
            continue
        shown = supervision.frame(inspections.to_dict("records"), by, ["inspections", "units_inspected"])
        layout.chart(
            cs.grouped_bars(inspections, by, ["inspections", "units_inspected"], f"安全检查：{name}"),
            shown,
            file_stem=f"{county}_{period.year}年{period.label}_安全检查{name}",
            key=f"inspections-{by}",
        )
