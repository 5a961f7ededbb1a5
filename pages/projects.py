"""三同时: new construction projects, their safety evaluation and completion acceptance, by township."""

import pandas as pd
import streamlit as st

from analytics.charts import progress as charts
from analytics.metrics.projects import projects_page
from analytics.text.zh import t
from ui import cards, data, filters, layout, programmes, supervision

FIELDS = ["projects", "evaluated", "evaluation_rate", "accepted"]

selected = filters.current()
layout.require_data(selected, "projects")
period, county, year = selected.period, selected.county, selected.period.year
page = data.query(projects_page, period=period, county=county)
doc = page["current"]
total = doc["total"]

layout.title(t("nav.projects"), selected)
layout.notices(doc)
if not total["projects"]:
    supervision.stop_without_records(t("projects.what"))
st.caption(t("projects.caption", year=year, months=period.label, as_of=doc["period"]["as_of"]))
previous = page["previous"]["total"]
cards.show_cards(programmes.project_cards(total, previous))

st.subheader(t("projects.by_township"))
rows = [row for row in doc["rows"] if row["projects"]]
layout.chart(
    data.figure(charts.project_bars, pd.DataFrame(rows), "township", t("projects.chart_title")),
    file_stem=t("projects.file", county=county, year=year, months=period.label),
    key="projects-townships",
)
supervision.show_breakdown(doc, "township", FIELDS, shade=["evaluation_rate"])
st.caption(t("projects.table_caption"))
