"""乡镇对比: one row per township, each column coloured by meaning; a ranking on a chosen column; one township's profile."""

import pandas as pd
import streamlit as st

from analytics.charts import supervision as cs
from analytics.metrics.townships import TOWNSHIP_FIELDS, townships
from ui import cards, data, filters, layout, supervision

VERDICTS = {
    "better": ("优于全县水平", cards.GOOD),
    "worse": ("差于全县水平", cards.BAD),
    "level": ("与全县水平持平", cards.NEUTRAL),
    "higher": ("高于平均", cards.NEUTRAL),
    "lower": ("低于平均", cards.NEUTRAL),
}

selected = filters.current()
layout.require_data(selected)
period, county, year = selected.period, selected.county, selected.period.year
doc = data.query(townships, period=period, county=county)

layout.title("乡镇对比", selected)
if not doc["rows"]:
    supervision.stop_without_records("乡镇区划或带乡镇的")
st.caption(
    f"{year}年{period.label}，{county}各乡镇（街道）。各列按含义着色：事故、逾期未整改越多越红；"
    "整改率、执法、培训越高越绿；排查隐患数量只表示工作量，用蓝色深浅表示。点击表头可排序。"
)

fields = list(TOWNSHIP_FIELDS)
table = supervision.frame(doc["rows"], "township", fields)
widths = supervision.fixed_widths(table)
st.dataframe(
    supervision.styled(table, fields, shade=fields),
    hide_index=True,
    column_config=widths,
    height=min(38 + 35 * len(table), 720),
)
total_table = supervision.frame([doc["total"]], "township", fields)
st.dataframe(supervision.styled(total_table, fields), hide_index=True, column_config=widths)
supervision.download_xlsx(
    pd.concat([table, total_table], ignore_index=True),
    f"{county}_{year}年{period.label}_乡镇对比",
    f"{county}{year}年{period.label}乡镇对比",
    key="townships-xlsx",
)

st.subheader("乡镇排名")
field = st.selectbox("排名指标", fields, format_func=cs.short_label, key="townships-rank-field")
ranking = pd.DataFrame(doc["rows"])
layout.chart(
    cs.township_ranking(ranking, field),
    file_stem=f"{county}_{year}年{period.label}_乡镇{cs.short_label(field)}排名",
    key="townships-ranking",
)

st.subheader("单个乡镇情况")
keys = [row["township"] for row in doc["rows"]]
township = st.selectbox("选择乡镇（街道）", keys, format_func=cs.key_text, key="townships-profile")
profile = cs.township_profile(doc, township)


def detail(r) -> str:
    if pd.isna(r.average):
        return f"全县 {cs.fmt_value(r.field, r.county)}"
    average = cs.fmt_value(r.field, r.average) if r.field == "direct_loss_wan" else f"{r.average:,.1f}"
    share = "" if pd.isna(r.share_pct) else f"，占全县 {r.share_pct:.1f}%"
    return f"全县合计 {cs.fmt_value(r.field, r.county)}，乡镇平均 {average}{share}"


cards.show_cards(
    [
        cards.Card(
            r.label,
            cs.fmt_value(r.field, r.value),
            detail(r),
            *VERDICTS.get(r.verdict, ("", cards.NEUTRAL)),
        )
        for r in profile.itertuples()
    ],
    per_row=4,
)
st.caption(
    f"数量类指标与各乡镇平均（全县合计 ÷ {len(keys)}个乡镇）比较，比率类指标与全县整体比率比较；"
    "“优于/差于全县水平”按含义判断（如事故少、整改率高为优）。"
)
