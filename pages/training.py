"""培训覆盖: trained against the year's targets by township and category, beside time progress; who lags most."""

import pandas as pd
import streamlit as st

from analytics.charts import supervision as cs
from analytics.metrics.training import COUNTY_WIDE, training_page
from analytics.text import fields, wording
from analytics.text.zh import t
from ui import cards, data, filters, layout, supervision

FIELDS = ["trained", "required", "coverage_pct", "passed", "pass_rate"]

selected = filters.current()
layout.require_data(selected, "training")
period, county, year = selected.period, selected.county, selected.period.year
page = data.query(training_page, period=period, county=county)  # one scan for the documents below
by_township, by_category = page["township"], page["category"]
total, progress = by_township["total"], by_township["time_progress"]

layout.title(t("nav.training"), selected)
layout.notices(by_township)
if not total["trained"] and not total["required"]:
    supervision.stop_without_records(t("training.what"))
st.caption(
    t("training.caption", year=year, months=period.label, progress=cs.fmt_value("coverage_pct", progress))
)
if period.first_month != 1:
    st.warning(
        t("training.late_start", first=period.first_month, before=period.first_month - 1),
        icon=":material/info:",
    )

previous = page["previous"]["total"]
cards.show_cards(supervision.training_cards(total, previous, progress, year))

for doc, key, name in (
    (by_township, "township", t("training.by_township")),
    (by_category, "category", t("training.by_category")),
):
    st.subheader(name)
    layout.chart(
        data.figure(
            cs.coverage_bars,
            pd.DataFrame([r for r in doc["rows"] if r[key] != COUNTY_WIDE]),
            key,
            progress,
            t("training.coverage_title", by=name),
        ),
        file_stem=t("training.file.coverage", county=county, year=year, months=period.label, by=name),
        key=f"coverage-{key}",
    )
    supervision.show_breakdown(doc, key, FIELDS, shade=["coverage_pct", "pass_rate"])
    if key == "township":
        notes = []
        if any(row["township"] is None for row in doc["rows"]):
            notes.append(t("training.no_township_note"))
        if doc["county_wide"]:
            parts = "、".join(
                t("training.county_wide_part", category=c, amount=fields.fmt_with_unit("required", n))
                for c, n in doc["county_wide"].items()
            )
            notes.append(t("training.county_wide_note", county_wide=COUNTY_WIDE, parts=parts))
        for note in notes:
            st.caption(note)

st.subheader(t("training.gaps_heading"))
gaps = page["gaps"]
if not total["required"]:
    st.info(t("training.no_targets", year=year))
elif gaps.empty:
    st.success(t("training.no_gaps"))
else:
    coverage_column, progress_column, gap_column = (
        fields.label("coverage_pct"),
        t("training.gaps.progress"),
        t("training.gaps.gap"),
    )
    listing = pd.DataFrame(
        {
            fields.KEY_LABELS["township"]: [cs.key_text(name) for name in gaps["township"]],
            fields.KEY_LABELS["category"]: gaps["category"],
            fields.label("trained"): gaps["trained"].astype("Int64"),
            fields.label("required"): gaps["required"].astype("Int64"),
            coverage_column: gaps["coverage_pct"].astype("Float64"),
            progress_column: gaps["time_progress"].astype("Float64"),
            gap_column: gaps["gap"].astype("Float64"),
        }
    )
    layout.table(
        listing.style.format(
            {coverage_column: "{:.1f}%", progress_column: "{:.1f}%", gap_column: "{:.1f}"},
            na_rep=wording.DASH,
        ),
        hide_index=True,
        width="stretch",
    )
    supervision.download_xlsx(
        listing,
        t("training.file.gaps", county=county, year=year, months=period.label),
        t("training.gaps_title", county=county, year=year, months=period.label),
        key="gaps-xlsx",
    )
