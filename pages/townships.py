"""乡镇对比: one row per township, each column coloured by meaning; a ranking on a chosen column; one township's
profile; the townships' 控制指标."""

import pandas as pd
import streamlit as st

from analytics.charts import supervision as cs
from analytics.metrics import townships as tm
from analytics.metrics.control import control
from analytics.metrics.townships import townships
from analytics.text.zh import t
from ui import cards, data, filters, layout, supervision
from ui import control as control_view

VERDICTS = {
    "better": (t("townships.verdict.better"), cards.GOOD),
    "worse": (t("townships.verdict.worse"), cards.BAD),
    "level": (t("townships.verdict.level"), cards.NEUTRAL),
}

selected = filters.current()
layout.require_data(selected, "townships")
period, county, year = selected.period, selected.county, selected.period.year
doc = data.query(townships, period=period, county=county)

layout.title(t("nav.townships"), selected)
layout.notices(doc)
if not doc["rows"]:
    supervision.stop_without_records(t("townships.what"))
st.caption(t("townships.caption", year=year, months=period.label, county=county))

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
    t("townships.file.table", county=county, year=year, months=period.label),
    t("townships.table_title", county=county, year=year, months=period.label),
    key="townships-xlsx",
)

st.subheader(t("townships.ranking_heading"))
field = st.selectbox(
    t("townships.ranking_field"), fields, format_func=cs.short_label, key="townships-rank-field"
)
layout.chart(
    data.figure(
        cs.township_ranking,
        doc,
        field,
        t("townships.ranking_scope", county=county, year=year, months=period.label),
    ),
    file_stem=t(
        "townships.file.ranking", county=county, year=year, months=period.label, label=cs.short_label(field)
    ),
    key="townships-ranking",
)

st.subheader(t("townships.profile_heading"))
keys = [row["township"] for row in doc["rows"]]
township = st.selectbox(t("townships.profile_select"), keys, format_func=cs.key_text, key="townships-profile")
profile = tm.profile(doc, township)
towns = len(tm.real_townships(doc))


def detail(item: dict) -> str:
    field, county_text = item["field"], cs.fmt_value(item["field"], item["county"])
    if field in tm.RATES:
        return t("townships.detail.rate", county=county_text)
    share = (
        "" if item["share_pct"] is None else t("townships.detail.share", share=f"{item['share_pct']:.1f}%")
    )
    if item["average"] is None:
        return t("townships.detail.total", county=county_text, share=share)
    average = cs.fmt_value(field, item["average"]) if field.endswith("_wan") else f"{item['average']:,.1f}"
    return t("townships.detail.average", county=county_text, average=average, share=share)


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
st.caption(t("townships.profile_caption", count=towns, no_township=cs.key_text(None)))

control_view.townships_section(
    data.query(control, period=period, county=county),
    t(
        "townships.ranking_scope",
        county=county,
        year=year,
        months=t("control.months", last_month=period.last_month),
    ),
    t("townships.file.control", county=county, year=year, last_month=period.last_month),
)
