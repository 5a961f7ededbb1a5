"""总览: the four indicators against 同期, the verdict, the county's rank, its 控制指标 beside time progress,
较大及以上 accidents, a paragraph to copy."""

import pandas as pd
import streamlit as st

from analytics.metrics.common import NO_TOWNSHIP
from analytics.metrics.control import control
from analytics.metrics.indicators import INDICATORS, indicators, major_accident_list
from analytics.metrics.ranking import county_row
from analytics.metrics.ranking import ranking as city_ranking
from analytics.text import fields, wording
from analytics.text.zh import t
from ui import cards, data, filters, layout, safe
from ui import control as control_view

selected = filters.current()
layout.require_data(selected, "indicators")
period, county = selected.period, selected.county
doc = data.query(indicators, period=period, county=county)
ranking = data.query(city_ranking, period=period)
layout.title(t("nav.overview"), selected, wording.data_as_of_text(doc["period"], doc["coverage"]))
layout.notices(doc, ranking)
note = wording.provisional_note(doc)
if note:
    st.warning(note, icon=":material/schedule:")

compare = not layout.no_previous_year(selected)
if compare:
    cards.verdict(wording.verdict(doc), cards.verdict_tone(doc))
cards.show_cards(cards.indicator_cards(doc, compare))

row = county_row(ranking, county)
summary = [cards.major_accidents_card(doc)]
if row is not None:
    summary += [cards.rank_card(ranking, row, name) for name in INDICATORS]
st.write("")
cards.show_cards(summary, per_row=len(summary))
if row is not None:
    st.write("")
    st.caption(t("overview.rank_caption", sentence=safe.text(wording.rank_sentence(ranking, county))))

control_view.county_section(data.query(control, period=period, county=county), period.year, period.last_month)

majors = data.query(major_accident_list, period=period, county=county)
if majors:
    st.subheader(t("overview.major_heading"))
    layout.table(
        pd.DataFrame(
            {
                t("overview.major.date"): [m["occurred_on"] for m in majors],
                fields.KEY_LABELS["township"]: [m["township"] or NO_TOWNSHIP for m in majors],
                fields.KEY_LABELS["sector"]: [m["sector"] for m in majors],
                t("overview.major.level"): [m["level"] for m in majors],
                t("overview.major.deaths"): [m["deaths"] for m in majors],
                t("overview.major.injuries"): [m["injuries"] for m in majors],
                fields.label("direct_loss_wan"): [
                    fields.fmt_value("direct_loss_wan", m["direct_loss_wan"]) for m in majors
                ],
                t("overview.major.summary"): [m["summary"] or "" for m in majors],
            }
        ),
        hide_index=True,
        width="stretch",
    )

if compare:
    layout.copyable(t("overview.summary_heading"), wording.overview_paragraph(doc, ranking, county, period))
