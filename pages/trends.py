"""四项指标趋势: this year against last, month by month and cumulative; by sector; by township."""

import streamlit as st

from analytics.charts import leader as charts
from analytics.metrics.indicators import INDICATORS, indicators
from analytics.metrics.indicators import by_township as indicators_by_township
from analytics.metrics.indicators import monthly as monthly_indicators
from analytics.text import fields
from analytics.text.zh import t
from ui import data, filters, layout, tables

selected = filters.current()
layout.require_data(selected, "indicators")
period, county = selected.period, selected.county
year = period.year
monthly = data.query(monthly_indicators, year=year, county=county)
doc = data.query(indicators, period=period, county=county)
townships = data.query(indicators_by_township, period=period, county=county)

layout.title(t("nav.trends"), selected)
layout.notices(doc)
layout.no_previous_year(selected)
scope = t("trends.scope", county=county, year=year)
# The trend runs from January to the period's last month, so the running total ends at the period's.
shown = monthly[monthly["month"] <= period.last_month].reset_index(drop=True)
st.caption(t("trends.caption", year=year, previous=year - 1, last_month=period.last_month))

name = layout.one_of(t("trends.indicator"), INDICATORS, "trends-indicator", fields.short_label)
left, right = st.columns(2)
with left:
    layout.chart(
        data.figure(charts.monthly_bars, shown, name, year, scope),
        tables.monthly_table(shown, name, year),
        file_stem=t("trends.file.monthly", county=county, year=year, label=fields.short_label(name)),
        key=f"monthly-{name}",
    )
with right:
    layout.chart(
        data.figure(charts.cumulative_lines, shown, name, year, scope),
        tables.monthly_table(shown, name, year, cumulative=True),
        file_stem=t("trends.file.cumulative", county=county, year=year, label=fields.short_label(name)),
        key=f"cumulative-{name}",
    )

st.subheader(t("trends.breakdown_heading", year=year, months=period.label))
indicator = st.segmented_control(
    t("trends.indicator"),
    INDICATORS,
    default=INDICATORS[0],
    format_func=fields.short_label,
    key="trends-breakdown",
    required=True,
)
label = fields.short_label(indicator)
left, right = st.columns(2)
with left:
    sectors = tables.breakdown_frame(doc["by_sector"], "sector")
    if sectors.empty:
        st.info(t("trends.no_sectors", year=year, months=period.label))
    else:
        layout.chart(
            data.figure(
                charts.comparison_bars,
                sectors,
                "sector",
                indicator,
                year,
                t("trends.sector_title", county=county, year=year, months=period.label, label=label),
            ),
            tables.breakdown_table(sectors, "sector", fields.KEY_LABELS["sector"], indicator, year),
            file_stem=t("trends.file.sectors", county=county, year=year, months=period.label, label=label),
            key="sectors",
        )
with right:
    by_township = tables.breakdown_frame(townships, "township")
    if by_township.empty:
        st.info(t("trends.no_townships"))
    else:
        layout.chart(
            data.figure(
                charts.comparison_bars,
                by_township,
                "township",
                indicator,
                year,
                t("trends.township_title", county=county, year=year, months=period.label, label=label),
            ),
            tables.breakdown_table(by_township, "township", fields.KEY_LABELS["township"], indicator, year),
            file_stem=t("trends.file.townships", county=county, year=year, months=period.label, label=label),
            key="townships",
        )
