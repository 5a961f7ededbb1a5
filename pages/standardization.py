"""标准化达标: the year's 安全生产标准化 tasks by grade, applications and passes, certificates about to expire."""

import pandas as pd
import streamlit as st

from analytics.charts import progress as charts
from analytics.charts.supervision import key_text
from analytics.metrics.standardization import standardization_page
from analytics.metrics.training import time_progress
from analytics.text import fields
from analytics.text.zh import t
from ui import cards, data, filters, layout, programmes, supervision

PASSED = programmes.PASSED
GRADE_FIELDS = ["target", "applied", "application_pct", PASSED, "completion_pct", "certified", "expiring"]
TOWNSHIP_FIELDS = ["applied", PASSED, "certified", "expiring"]

selected = filters.current()
layout.require_data(selected, "standardization")
period, county, year = selected.period, selected.county, selected.period.year
page = data.query(standardization_page, period=period, county=county)
by_grade = programmes.named(page["grade"])
total = by_grade["total"]

layout.title(t("nav.standardization"), selected)
layout.notices(by_grade)
if not total["applied"] and not total["certified"] and total["target"] is None:
    supervision.stop_without_records(t("standardization.what"))
progress = time_progress(period)
st.caption(
    t(
        "standardization.caption",
        year=year,
        as_of=by_grade["period"]["as_of"],
        progress=fields.fmt_value("completion_pct", progress),
    )
)
headline = programmes.standardization_cards(by_grade, progress)
cards.show_cards(headline, per_row=max(len(headline), 4))  # at most 3 grades and 2 totals: one row

st.subheader(t("standardization.by_grade"))
grades = programmes.shown_grades(by_grade)
if grades:
    layout.chart(
        data.figure(
            charts.target_bars, pd.DataFrame(grades), "grade", t("standardization.chart_title", year=year)
        ),
        file_stem=t("standardization.file.grades", county=county, year=year, months=period.label),
        key="standardization-grades",
    )
supervision.show_breakdown(by_grade, "grade", GRADE_FIELDS, shade=["completion_pct", "application_pct"])
st.caption(t("standardization.grade_caption"))

st.subheader(t("standardization.by_township"))
by_township = programmes.named(page["township"])
if by_township["rows"]:
    supervision.show_breakdown(by_township, "township", TOWNSHIP_FIELDS, shade=["expiring"])
    st.caption(t("standardization.township_caption"))
else:
    st.info(t("standardization.no_townships"))

st.subheader(t("standardization.expiring_heading"))
expiring = page["expiring"]
if expiring.empty:
    st.success(t("standardization.expiring_none", as_of=by_grade["period"]["as_of"]))
else:
    listing = pd.DataFrame(
        {
            t("standardization.list.enterprise"): expiring["enterprise"],
            fields.KEY_LABELS["township"]: [key_text(name) for name in expiring["township"]],
            fields.KEY_LABELS["grade"]: expiring["grade"],
            t("standardization.list.passed_on"): expiring["passed_on"],
            t("standardization.list.expires_on"): expiring["expires_on"],
            fields.label("days_left"): expiring["days_left"].astype("Int64"),
        }
    )
    st.caption(t("standardization.expiring_caption", count=f"{len(listing):,}"))
    layout.table(listing, hide_index=True, width="stretch", height=min(38 + 35 * len(listing), 460))
    supervision.download_xlsx(
        listing,
        t("standardization.file.expiring", county=county, year=year, months=period.label),
        t("standardization.expiring_title", county=county, as_of=by_grade["period"]["as_of"]),
        key="expiring-xlsx",
    )
