"""重大危险源: sources in force by level and township, online monitoring, new registrations this period."""

import pandas as pd
import streamlit as st

from analytics.charts import progress as charts
from analytics.metrics.sources import sources_page
from analytics.text.zh import t
from ui import cards, data, filters, layout, programmes, supervision

FIELDS = ["in_force", "monitored", "monitoring_rate", "new"]

selected = filters.current()
layout.require_data(selected, "sources")
period, county, year = selected.period, selected.county, selected.period.year
page = data.query(sources_page, period=period, county=county)
by_level = page["level"]
total = by_level["total"]

layout.title(t("nav.sources"), selected)
layout.notices(by_level)
if not total["in_force"] and not total["new"]:
    supervision.stop_without_records(t("sources.what"))
st.caption(t("sources.caption", as_of=by_level["period"]["as_of"], year=year, months=period.label))
cards.show_cards(programmes.source_cards(by_level))

by_township = page["township"]
for doc, key, name in (
    (by_level, "level", t("sources.by_level")),
    (by_township, "township", t("sources.by_township")),
):
    st.subheader(name)
    rows = [row for row in doc["rows"] if row["in_force"] or row["new"]]
    if rows:
        layout.chart(
            data.figure(charts.source_bars, pd.DataFrame(rows), key, t("sources.chart_title", by=name)),
            file_stem=t("sources.file", county=county, year=year, months=period.label, by=name),
            key=f"sources-{key}",
        )
    supervision.show_breakdown(doc, key, FIELDS, shade=["monitoring_rate"])
st.caption(t("sources.table_caption"))
