"""数据导入's coverage parts: how far each ledger has reached, and declaring a month with no record."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analytics.contract.datasets import DATASETS
from analytics.metrics.common import counties
from analytics.metrics.coverage import MONTHLY_SOURCES, coverage_rows, declarable_months
from analytics.text.wording import SOURCE_NAMES
from analytics.text.zh import t
from ui import data

DECLARE_LABEL = t("coverage.declare")


def _month_label(key: str) -> str:
    year, month = key.split("-")
    return t("coverage.month", year=int(year), month=int(month))


def _source_name(dataset: str) -> str:
    # A ledger the wording does not name yet (a new dataset) shows its contract name.
    return SOURCE_NAMES.get(dataset, DATASETS[dataset].zh)


def show_table() -> None:
    """A small table: one row per county, one column per ledger, each cell the last covered month."""
    rows = data.query(coverage_rows)
    st.subheader(t("coverage.heading"))
    if not rows:
        st.caption(t("coverage.none"))
        return
    frame = pd.DataFrame(rows)
    ledger = t("coverage.ledger")
    frame[ledger] = frame["dataset"].map(_source_name)
    table = frame.pivot(index="county", columns=ledger, values="month").map(
        lambda key: _month_label(key) if isinstance(key, str) else "—"
    )
    order = [_source_name(s) for s in MONTHLY_SOURCES if _source_name(s) in table.columns]
    st.dataframe(table[order].rename_axis(index=t("coverage.table_county"), columns=None), width="stretch")
    st.caption(t("coverage.caption"))


def declaration(dataset: str | None) -> tuple[str | None, str | None]:
    """The upload's optional declaration: ("2026-11", county for a header-only file) or (None, None)."""
    if dataset is not None and dataset not in MONTHLY_SOURCES:
        return None, None
    if not st.checkbox(DECLARE_LABEL, key="declare-covers"):
        return None, None
    left, right = st.columns(2)
    covers = left.selectbox(
        t("coverage.covers"), declarable_months(dt.date.today()), format_func=_month_label, key="covers-month"
    )
    known = data.query(counties)
    county = right.selectbox(
        t("coverage.county"),
        known,
        key="covers-county",
        help=t("coverage.county_help"),
    )
    names = "、".join(DATASETS[d].zh for d in ([dataset] if dataset else ["accidents"]))
    st.caption(t("coverage.example", names=names, month=_month_label(covers)))
    return covers, county
