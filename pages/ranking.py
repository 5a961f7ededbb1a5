"""全市排位: every county of the city for each indicator and its 同比, the home county highlighted."""

import pandas as pd
import streamlit as st

from analytics.charts import leader as charts
from analytics.metrics.indicators import INDICATOR_LABELS, INDICATOR_UNITS, INDICATORS
from analytics.metrics.ranking import RATE_LABELS, RATES, SOURCE_LABELS, county_row, ranking
from analytics.text import wording
from ui import cards, data, filters, layout, tables

selected = filters.current()
layout.require_data(selected, "ranking")
period, county, home = selected.period, selected.county, selected.home_county
doc = data.query(ranking, period=period)
year = period.year

layout.title("全市排位", selected)
layout.notices(doc)
layout.no_previous_year(selected)
if not doc["counties"]:
    layout.show_empty("还没有任何县市区的事故记录或全市通报，无法排位。")
    st.stop()
mark = tables.county_mark(county, county, home)
row = county_row(doc, county)
if row is not None:
    st.markdown(f"**{county}：{wording.rank_sentence(doc, county)}**")
st.caption(
    f"{year}年{period.label}，全市{len(doc['counties'])}个县市区。排位规则：数值最小者为第1位，"
    "数值相同并列；同比排位按降幅从大到小，去年同期为0而今年发生的（新增）排在最后。"
    f"排位变化对比{cards.previous_period_label(doc)}的排位，↑表示位次前移。"
)

for tab, name in zip(st.tabs([INDICATOR_LABELS[n] for n in INDICATORS]), INDICATORS, strict=True):
    with tab:
        frame = pd.DataFrame(
            {
                "county": [r["county"] for r in doc["counties"]],
                name: [r[name] for r in doc["counties"]],
                "rank": [r["rank"][name] for r in doc["counties"]],
                "change_pct": [r["change_pct"][name] for r in doc["counties"]],
                "change_rank": [r["change_rank"][name] for r in doc["counties"]],
            }
        )
        unit = INDICATOR_UNITS[name]
        left, right = st.columns(2)
        with left:
            layout.chart(
                charts.ranking_bars(
                    frame,
                    name,
                    county,
                    f"{year}年{period.label} {INDICATOR_LABELS[name]}全市排位（{unit}）",
                    unit,
                    mark,
                ),
                file_stem=f"全市排位_{year}年{period.label}_{INDICATOR_LABELS[name]}",
                key=f"rank-{name}",
            )
        with right:
            changes = frame.rename(columns={"rank": "value_rank", "change_rank": "rank"})
            layout.chart(
                charts.ranking_bars(
                    changes,
                    "change_pct",
                    county,
                    f"{year}年{period.label} {INDICATOR_LABELS[name]}同比排位",
                    "同比（%）",
                    mark,
                ),
                file_stem=f"全市排位_{year}年{period.label}_{INDICATOR_LABELS[name]}_同比",
                key=f"change-{name}",
            )
        layout.table(
            tables.highlight_home(tables.ranking_table(doc, name, county, home)),
            hide_index=True,
            width="stretch",
        )

sources = {SOURCE_LABELS.get(s, s) for s in doc["source"].values()}
st.caption(
    "数据来源：各县市区各月有全市通报的按通报数，未通报的月份按事故台账统计"
    f"（本期涉及：{'、'.join(sorted(sources))}）。"
)

if any(doc["rates_available"].values()):
    st.subheader(f"相对指标排位（{doc['rates_year']}年县域基础数据）")
    rates = sorted(doc["counties"], key=lambda r: r["county"])
    rate_table = pd.DataFrame(
        {"县市区": [tables.county_label(r["county"], county, home) for r in rates]}
        | {
            f"{RATE_LABELS[name]}": [
                f"{wording.fmt_rate(r['rates'][name])}（第{r['rate_rank'][name]}位）"
                if r["rate_rank"][name]
                else wording.DASH
                for r in rates
            ]
            for name in RATES
            if doc["rates_available"][name]
        }
    )
    layout.table(tables.highlight_home(rate_table), hide_index=True, width="stretch")
    st.caption(
        "亿元GDP死亡率＝死亡人数÷地区生产总值（亿元）；万车死亡率＝道路交通死亡人数÷机动车保有量（万辆）；"
        "十万从业人员死亡率＝道路交通以外的死亡人数÷工矿商贸从业人员（十万人）。数值越小排位越前，"
        "缺少基础数据的县市区不参与排位（—）。"
    )
