"""数据导入's coverage parts: how far each ledger has reached, and declaring a month with no record."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analytics.contract.datasets import DATASETS
from analytics.metrics.common import counties
from analytics.metrics.coverage import MONTHLY_SOURCES, coverage_rows, declarable_months
from analytics.text.wording import SOURCE_NAMES
from ui import data

DECLARE_LABEL = "声明台账已完整报送至所选月份（该月没有事故等记录时也请声明）"


def _month_label(key: str) -> str:
    year, month = key.split("-")
    return f"{int(year)}年{int(month)}月"


def show_table() -> None:
    """A small table: one row per county, one column per ledger, each cell the last covered month."""
    rows = data.query(coverage_rows)
    st.subheader("数据覆盖")
    if not rows:
        st.caption("还没有按月报送的台账。")
        return
    frame = pd.DataFrame(rows)
    frame["台账"] = frame["dataset"].map(SOURCE_NAMES)
    table = frame.pivot(index="county", columns="台账", values="month").map(
        lambda key: _month_label(key) if isinstance(key, str) else "—"
    )
    order = [SOURCE_NAMES[s] for s in MONTHLY_SOURCES if SOURCE_NAMES[s] in table.columns]
    st.dataframe(table[order].rename_axis(index="县市区", columns=None), width="stretch")
    st.caption("各台账在各县市区的数据截至月份：最近一条记录所在月份，或导入时声明的已报送月份（取较晚者）。")


def declaration(dataset: str | None) -> tuple[str | None, str | None]:
    """The upload's optional declaration: ("2026-11", county for a header-only file) or (None, None)."""
    if dataset is not None and dataset not in MONTHLY_SOURCES:
        return None, None
    if not st.checkbox(DECLARE_LABEL, key="declare-covers"):
        return None, None
    left, right = st.columns(2)
    covers = left.selectbox(
        "已完整报送至", declarable_months(dt.date.today()), format_func=_month_label, key="covers-month"
    )
    known = data.query(counties)
    county = right.selectbox(
        "县市区（仅表头、没有数据行的文件）",
        known,
        key="covers-county",
        help="有数据行的文件按文件中的县市区声明",
    )
    names = "、".join(DATASETS[d].zh for d in ([dataset] if dataset else ["accidents"]))
    st.caption(
        f"例如：{names}在{_month_label(covers)}没有记录时，上传只有表头的台账并在此声明。撤销该批次即撤销声明。"
    )
    return covers, county
