"""全市排位: every county of the city for each indicator and its 同比, the home county highlighted."""

import pandas as pd
import streamlit as st

from analytics.charts import leader as charts
from analytics.metrics.indicators import INDICATORS
from analytics.metrics.ranking import RATES, SOURCE_LABELS, county_row, ranking
from analytics.text import fields, wording
from analytics.text.zh import t
from ui import cards, data, filters, layout, safe, tables

selected = filters.current()
layout.require_data(selected, "ranking")
period, county, home = selected.period, selected.county, selected.home_county
doc = data.query(ranking, period=period)
year = period.year

layout.title(t("nav.ranking"), selected)
layout.notices(doc)
layout.no_previous_year(selected)
if not doc["counties"]:
    layout.show_empty(t("ranking.none"))
    st.stop()
mark = tables.county_mark(county, county, home)
row = county_row(doc, county)
if row is not None:
    st.markdown(
        t(
            "ranking.headline",
            county=safe.text(county),
            sentence=safe.text(wording.rank_sentence(doc, county)),
        )
    )
st.caption(
    t(
        "ranking.caption",
        year=year,
        months=period.label,
        count=len(doc["counties"]),
        previous=cards.previous_period_label(doc),
    )
)

name = layout.one_of(t("layout.indicator"), INDICATORS, "ranking-indicator", fields.short_label)
frame = pd.DataFrame(
    {
        "county": [r["county"] for r in doc["counties"]],
        name: [r[name] for r in doc["counties"]],
        "rank": [r["rank"][name] for r in doc["counties"]],
        "change_pct": [r["change_pct"][name] for r in doc["counties"]],
        "change_rank": [r["change_rank"][name] for r in doc["counties"]],
    }
)
unit, label = fields.unit(name), fields.short_label(name)
left, right = st.columns(2)
with left:
    layout.chart(
        data.figure(
            charts.ranking_bars,
            frame,
            name,
            county,
            t("ranking.value_title", year=year, months=period.label, label=label, unit=unit),
            unit,
            mark,
        ),
        file_stem=t("ranking.file.value", year=year, months=period.label, label=label),
        key=f"rank-{name}",
    )
with right:
    changes = frame.rename(columns={"rank": "value_rank", "change_rank": "rank"})
    layout.chart(
        data.figure(
            charts.ranking_bars,
            changes,
            "change_pct",
            county,
            t("ranking.change_title", year=year, months=period.label, label=label),
            t("ranking.change_axis"),
            mark,
        ),
        file_stem=t("ranking.file.change", year=year, months=period.label, label=label),
        key=f"change-{name}",
    )
layout.table(
    tables.highlight_home(tables.ranking_table(doc, name, county, home)),
    hide_index=True,
    width="stretch",
)

sources = {SOURCE_LABELS.get(s, s) for s in doc["source"].values()}
st.caption(t("ranking.sources", sources=safe.text("、".join(sorted(sources)))))

if any(doc["rates_available"].values()):
    st.subheader(t("ranking.rates_heading", year=doc["rates_year"]))
    rates = sorted(doc["counties"], key=lambda r: r["county"])
    rate_table = pd.DataFrame(
        {fields.KEY_LABELS["county"]: [tables.county_label(r["county"], county, home) for r in rates]}
        | {
            fields.label(name): [
                t(
                    "ranking.rate_cell",
                    rate=fields.fmt_value(name, r["rates"][name]),
                    rank=wording.rank_phrase(r["rate_rank"][name]),
                )
                if r["rate_rank"][name]
                else wording.DASH
                for r in rates
            ]
            for name in RATES
            if doc["rates_available"][name]
        }
    )
    layout.table(tables.highlight_home(rate_table), hide_index=True, width="stretch")
    st.caption(t("ranking.rates_caption"))
