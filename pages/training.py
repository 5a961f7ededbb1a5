"""培训覆盖: trained against the year's targets by township and category, beside time progress; who lags most."""

import pandas as pd
import streamlit as st

from analytics.charts import supervision as cs
from analytics.metrics.training import (
    COUNTY_WIDE,
    against_previous,
    gap_to_time_progress,
    still_to_train,
    township_table,
    training,
    training_gaps,
)
from ui import cards, data, filters, layout, supervision

FIELDS = ["trained", "required", "coverage_pct", "passed", "pass_rate"]

selected = filters.current()
layout.require_data(selected, "training")
period, county, year = selected.period, selected.county, selected.period.year
by_township = data.query(township_table, period=period, county=county)
by_category = data.query(training, period=period, county=county, by="category")
total, progress = by_township["total"], by_township["time_progress"]

layout.title("培训覆盖", selected)
layout.notices(by_township)
if not total["trained"] and not total["required"]:
    supervision.stop_without_records("安全培训或年度培训任务")
st.caption(
    f"统计口径：培训日期在{year}年{period.label}内的参训人数，对照{year}年度培训任务（应培训人数）；"
    f"时间进度 = 已过月数 / 12 = {cs.fmt_value('coverage_pct', progress)}。覆盖率低于时间进度即为落后。"
)
if period.first_month != 1:
    st.warning(
        f"所选期间从{period.first_month}月开始，参训人数不含1-{period.first_month - 1}月，"
        "覆盖率会低于全年累计口径；与时间进度比较时请选择从1月开始的期间。",
        icon=":material/info:",
    )

previous = data.query(training, period=period.previous, county=county, by="township")["total"]
coverage, required = total["coverage_pct"], total["required"]
if coverage is None:
    lag_text, lag_tone = "未下达年度培训任务，无法计算覆盖率", cards.NEUTRAL
else:
    lag_text, lag_tone = supervision.progress_gap(gap_to_time_progress(coverage, progress))
compared = against_previous(total, previous)
trained_change, trained_tone = supervision.count_change(
    total["trained"], previous["trained"], compared["trained"]["change_pct"], "人", False
)
pass_change, pass_tone = supervision.rate_change(total["pass_rate"], compared["pass_rate"]["change_points"])
cards.show_cards(
    [
        cards.Card(
            "参训人数",
            f"{cs.fmt_value('trained', total['trained'])}人",
            f"去年同期 {cs.fmt_value('trained', previous['trained'])}人",
            trained_change,
            trained_tone,
        ),
        cards.Card(
            "年度应培训人数",
            f"{cs.fmt_value('required', required)}人",
            f"{year}年度培训任务",
            f"尚需培训 {still_to_train(total):,}人",
        ),
        cards.Card(
            "培训覆盖率",
            cs.fmt_value("coverage_pct", coverage),
            f"时间进度 {cs.fmt_value('coverage_pct', progress)}",
            lag_text,
            lag_tone,
        ),
        cards.Card(
            "考核合格率",
            cs.fmt_value("pass_rate", total["pass_rate"]),
            f"考核合格 {cs.fmt_value('passed', total['passed'])}人（仅计报送合格人数的培训）",
            pass_change,
            pass_tone,
        ),
    ]
)

for doc, key, name in ((by_township, "township", "分乡镇（街道）"), (by_category, "category", "分培训对象")):
    st.subheader(name)
    layout.chart(
        cs.coverage_bars(
            pd.DataFrame([r for r in doc["rows"] if r[key] != COUNTY_WIDE]),
            key,
            progress,
            f"培训覆盖率：{name}",
        ),
        file_stem=f"{county}_{year}年{period.label}_培训覆盖率{name}",
        key=f"coverage-{key}",
    )
    supervision.show_breakdown(doc, key, FIELDS, shade=["coverage_pct", "pass_rate"])
    if key == "township":
        notes = []
        if any(row["township"] is None for row in doc["rows"]):
            notes.append("县直/未填乡镇的培训没有对应的乡镇培训任务，计入全县合计，不单独计算覆盖率。")
        if doc["county_wide"]:
            parts = "、".join(f"{c} {n:,}人" for c, n in doc["county_wide"].items())
            notes.append(
                f"“{COUNTY_WIDE}”是县级培训任务中未分解到各乡镇的部分（{parts}），各行相加等于合计。"
            )
        for note in notes:
            st.caption(note)

st.subheader("落后于时间进度最多的乡镇和培训对象")
gaps = data.query(training_gaps, period=period, county=county)
if not total["required"]:
    st.info(f"尚未导入{year}年度培训任务，无法判断哪些乡镇落后。请在“数据导入”页上传年度培训任务。")
elif gaps.empty:
    st.success("各乡镇、各类培训对象的覆盖率均已达到时间进度。")
else:
    listing = pd.DataFrame(
        {
            "乡镇（街道）": [cs.key_text(t) for t in gaps["township"]],
            "培训对象": gaps["category"],
            "参训人数（人）": gaps["trained"].astype("Int64"),
            "应培训人数（人）": gaps["required"].astype("Int64"),
            "培训覆盖率": gaps["coverage_pct"].astype("Float64"),
            "时间进度": gaps["time_progress"].astype("Float64"),
            "落后（百分点）": gaps["gap"].astype("Float64"),
        }
    )
    layout.table(
        listing.style.format(
            {"培训覆盖率": "{:.1f}%", "时间进度": "{:.1f}%", "落后（百分点）": "{:.1f}"}, na_rep="—"
        ),
        hide_index=True,
        width="stretch",
    )
    supervision.download_xlsx(
        listing,
        f"{county}_{year}年{period.label}_培训落后清单",
        f"{county}{year}年{period.label}培训覆盖落后于时间进度清单",
        key="gaps-xlsx",
    )
