"""四项指标趋势: this year against last, month by month and cumulative; by sector; by township."""

import streamlit as st

from analytics.charts import leader as charts
from analytics.metrics.indicators import INDICATOR_LABELS, INDICATORS, indicators
from analytics.metrics.indicators import by_township as indicators_by_township
from analytics.metrics.indicators import monthly as monthly_indicators
from ui import data, filters, layout, tables

selected = filters.current()
layout.require_data(selected, "indicators")
period, county = selected.period, selected.county
year = period.year
monthly = data.query(monthly_indicators, year=year, county=county)
doc = data.query(indicators, period=period, county=county)
townships = data.query(indicators_by_township, period=period, county=county)

layout.title("四项指标趋势", selected)
layout.notices(doc)
layout.no_previous_year(selected)
scope = f"{county} {year}年"
# The trend runs from January to the period's last month, so the running total ends at the period's.
shown = monthly[monthly["month"] <= period.last_month].reset_index(drop=True)
st.caption(
    f"{year}年与{year - 1}年同期逐月对比，1-{period.last_month}月；"
    "本年柱形红色表示高于去年同月，绿色表示低于去年同月。"
)

for tab, name in zip(st.tabs([INDICATOR_LABELS[n] for n in INDICATORS]), INDICATORS, strict=True):
    with tab:
        left, right = st.columns(2)
        with left:
            layout.chart(
                charts.monthly_bars(shown, name, year, scope),
                tables.monthly_table(shown, name, year),
                file_stem=f"{county}_{year}年_{INDICATOR_LABELS[name]}_逐月",
                key=f"monthly-{name}",
            )
        with right:
            layout.chart(
                charts.cumulative_lines(shown, name, year, scope),
                tables.monthly_table(shown, name, year, cumulative=True),
                file_stem=f"{county}_{year}年_{INDICATOR_LABELS[name]}_累计",
                key=f"cumulative-{name}",
            )

st.subheader(f"分行业领域、分乡镇（{year}年{period.label}）")
indicator = st.segmented_control(
    "指标",
    INDICATORS,
    default=INDICATORS[0],
    format_func=INDICATOR_LABELS.get,
    key="trends-breakdown",
    required=True,
)
left, right = st.columns(2)
with left:
    sectors = tables.breakdown_frame(doc["by_sector"], "sector")
    if sectors.empty:
        st.info(f"{year}年{period.label}及去年同期均未发生生产安全事故，无行业分布。")
    else:
        layout.chart(
            charts.comparison_bars(
                sectors,
                "sector",
                indicator,
                year,
                f"{county} {year}年{period.label} {INDICATOR_LABELS[indicator]}：分行业领域",
            ),
            tables.breakdown_table(sectors, "sector", "行业领域", indicator, year),
            file_stem=f"{county}_{year}年{period.label}_{INDICATOR_LABELS[indicator]}_分行业",
            key="sectors",
        )
with right:
    by_township = tables.breakdown_frame(townships, "township")
    if by_township.empty:
        st.info("本县尚无乡镇（街道）区划，也没有带乡镇的记录。")
    else:
        layout.chart(
            charts.comparison_bars(
                by_township,
                "township",
                indicator,
                year,
                f"{county} {year}年{period.label} {INDICATOR_LABELS[indicator]}：分乡镇（街道）",
            ),
            tables.breakdown_table(by_township, "township", "乡镇（街道）", indicator, year),
            file_stem=f"{county}_{year}年{period.label}_{INDICATOR_LABELS[indicator]}_分乡镇",
            key="townships",
        )
