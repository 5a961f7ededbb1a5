"""隐患整改: hazards found and rectified, 一般 and 重大隐患, overdue, 整改指令书复查; by township and department;
the 挂牌督办 list and its 销号率; inspections."""

import pandas as pd
import streamlit as st

from analytics.charts import supervision as cs
from analytics.metrics.hazards import hazard_monthly, hazard_page, listed_hazards, overdue_hazards
from analytics.text import fields
from analytics.text.zh import t
from ui import cards, data, filters, layout, listed, supervision

HAZARD_FIELDS = [
    "found",
    "general_found",
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
    "listed",
    "closure_rate",
    "listed_overdue",
]
TREND_FIELDS = ["found", "rectified", "rectification_rate"]
# Counts depend on a township's size; only rates, overdue and speed compare fairly, so only they are coloured.
SHADED = [
    "rectification_rate",
    "major_rectification_rate",
    "overdue",
    "review_rate",
    "avg_days_to_rectify",
    "closure_rate",
    "listed_overdue",
]
BREAKDOWN_LABELS = {
    "township": t("hazards.breakdown.township"),
    "department": t("hazards.breakdown.department"),
}

selected = filters.current()
layout.require_data(selected, "hazards")
period, county = selected.period, selected.county
page = data.query(hazard_page, period=period, county=county)  # one scan for the documents below
by_township = page["township"]
total = by_township["total"]

layout.title(t("nav.hazards"), selected)
layout.notices(by_township)
if not total["found"] and not total["inspections"]:
    supervision.stop_without_records(t("hazards.what"))
st.caption(t("hazards.caption", year=period.year, months=period.label, as_of=by_township["period"]["as_of"]))
previous = page["previous"]["total"]
cards.show_cards(supervision.hazard_cards(total, previous))

st.subheader(t("hazards.breakdown_heading"))
by_department = page["department"]
breakdowns = {"township": by_township, "department": by_department}
by = layout.one_of(t("hazards.breakdown_by"), list(breakdowns), "hazards-breakdown", BREAKDOWN_LABELS.get)
supervision.show_breakdown(breakdowns[by], by, HAZARD_FIELDS, shade=SHADED)
st.caption(t("hazards.breakdown_caption"))

st.subheader(t("hazards.overdue_heading"))
listing = data.view(supervision.overdue_frame, overdue_hazards, period=period, county=county)
if listing.empty:
    st.success(t("hazards.overdue_none"))
else:
    st.caption(t("hazards.overdue_caption", count=f"{len(listing):,}", unit=fields.unit("found")))
    on_screen = layout.first_rows(listing)
    layout.table(on_screen, hide_index=True, width="stretch", height=min(38 + 35 * len(on_screen), 460))
    supervision.download_xlsx(
        listing,
        t("hazards.file.overdue", county=county, year=period.year, months=period.label),
        t("hazards.overdue_title", county=county, year=period.year, months=period.label),
        key="overdue-xlsx",
    )

listed.section(
    total,
    by_township["by_listed_level"],
    data.view(listed.listing_frame, listed_hazards, period=period, county=county),
    t("listed.title", county=county, year=period.year, months=period.label),
    t("listed.file", county=county, year=period.year, months=period.label),
)

st.subheader(t("hazards.trend_heading"))
monthly = data.query(hazard_monthly, year=period.year, county=county, last_month=period.last_month)
trend_table = pd.DataFrame(
    {
        t("tables.month"): [t("tables.month_value", month=m) for m in monthly["month"]],
        **{fields.label(name): [fields.fmt_value(name, v) for v in monthly[name]] for name in TREND_FIELDS},
    }
)
layout.chart(
    data.figure(cs.rectification_trend, monthly, period.year),
    trend_table,
    file_stem=t("hazards.file.trend", county=county, year=period.year),
    key="hazard-trend",
)
st.caption(t("hazards.trend_caption"))

st.subheader(t("hazards.inspections_heading"))
if total["sectors_inspected"]:
    st.caption(
        t(
            "hazards.sectors_inspected",
            count=fields.fmt_with_unit("sectors_inspected", total["sectors_inspected"]),
        )
    )
left, right = st.columns(2)
for column, by, name in (
    (left, "department", t("hazards.by_department")),
    (right, "kind", t("hazards.by_kind")),
):
    with column:
        inspections = page["inspections"][by]
        if inspections.empty:
            st.info(t("hazards.no_inspections"))
            continue
        shown = supervision.frame(inspections.to_dict("records"), by, ["inspections", "units_inspected"])
        layout.chart(
            data.figure(
                cs.grouped_bars,
                inspections,
                by,
                ["inspections", "units_inspected"],
                t("hazards.inspections_title", by=name),
            ),
            shown,
            file_stem=t(
                "hazards.file.inspections", county=county, year=period.year, months=period.label, by=name
            ),
            key=f"inspections-{by}",
        )
