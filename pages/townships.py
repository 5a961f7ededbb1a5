"""乡镇对比: one row per township, each column coloured by meaning; a ranking on a chosen column; one township's profile."""

import pandas as pd
import streamlit as st

from analytics.charts import supervision as cs
from analytics.metrics import townships as tm
from analytics.metrics.townships import townships
from ui import cards, data, filters, layout, supervision

VERDICTS = {
    "better": ("优于全县水平", cards.GOOD),
    "worse": ("差于全县水平", cards.BAD),
    "level": ("与全县水平持平", cards.NEUTRAL),
}

selected = filters.current()
layout.require_data(selected, "townships")
period, county, year = selected.period, selected.county, selected.period.year
doc = data.query(townships, period=period, county=county)

layout.title("乡镇对比", selected)
layout.notices(doc)
if not doc["rows"]:
    supervision.stop_without_records("乡镇区划或带乡镇的")
st.caption(
    f"{year}年{period.label}，{county}各乡镇（街道）。事故、整改率、逾期未整改、培训覆盖率按与乡镇平均"
    "（比率与全县整体）比较着色：绿为好于、红为差于；排查隐患、立案、罚款、参训人数是工作量，"
    "只用蓝色深浅表示多少，不评优劣。点击表头可排序，合计单列在下方。"
)

fields = list(tm.TOWNSHIP_FIELDS)
table = supervision.frame(doc["rows"], "township", fields)
widths = supervision.fixed_widths(table)
layout.table(
    supervision.styled(table, fields, given={f: cs.township_shades(doc, f) for f in fields}),
    hide_index=True,
    column_config=widths,
    height=min(38 + 35 * len(table), 720),
)
total_table = supervision.frame([doc["total"]], "township", fields)
layout.table(supervision.styled(total_table, fields), hide_index=True, column_config=widths)
supervision.download_xlsx(
    pd.concat([table, total_table], ignore_index=True),
    f"{county}_{year}年{period.label}_乡镇对比",
    f"{county}{year}年{period.label}乡镇对比",
    key="townships-xlsx",
)

st.subheader("乡镇排名")
field = st.selectbox("排名指标", fields, format_func=cs.short_label, key="townships-rank-field")
layout.chart(
    cs.township_ranking(doc, field, f"{county} {year}年{period.label}"),
    file_stem=f"{county}_{year}年{period.label}_乡镇{cs.short_label(field)}排名",
    key="townships-ranking",
)

st.subheader("单个乡镇情况")
keys = [row["township"] for row in doc["rows"]]
township = st.selectbox("选择乡镇（街道）", keys, format_func=cs.key_text, key="townships-profile")
profile = tm.profile(doc, township)
towns = len(tm.real_townships(doc))


def detail(item: dict) -> str:
    field, county_text = item["field"], cs.fmt_value(item["field"], item["county"])
    if field in tm.RATES:
        return f"全县整体 {county_text}"
    share = "" if item["share_pct"] is None else f"，占全县 {item['share_pct']:.1f}%"
    if item["average"] is None:
        return f"全县合计 {county_text}{share}"
    average = cs.fmt_value(field, item["average"]) if field.endswith("_wan") else f"{item['average']:,.1f}"
    return f"全县合计 {county_text}，乡镇平均 {average}{share}"


cards.show_cards(
    [
        cards.Card(
            cs.label(item["field"]),
            cs.fmt_value(item["field"], item["value"]),
            detail(item),
            *VERDICTS.get(item["verdict"], ("", cards.NEUTRAL)),
        )
        for item in profile
    ],
    per_row=4,
)
st.caption(
    f"事故、逾期未整改与{towns}个乡镇（街道）的平均比较（{cs.key_text(None)}不是乡镇，不计入平均、不作评价），"
    "整改率、培训覆盖率与全县整体比较；排查隐患、立案数、罚款金额、参训人数是工作量，不评优劣。"
)
