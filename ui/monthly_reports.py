"""部门月报 on 执法检查: the items the departments report each month, with 同比, in total and by department.

An item with no row in either year is not in the metric's document, so it is not shown (never as 0).
How many violations a department found is a volume, not a verdict: the 同比 is written, not coloured.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.text import fields, wording
from analytics.text.zh import t
from ui import cards, layout


def item_cards(doc: dict) -> list[cards.Card]:
    """A card per reported item: the period's value, 同期 and 同比."""
    unit = fields.unit("report_value")
    return [
        cards.Card(
            row["item"],
            wording.fmt_amount(row["value"], unit),
            t("cards.previous", amount=wording.fmt_amount(row["previous"], unit)),
            t(
                "cards.change",
                phrase=wording.change_phrase(row["value"], row["previous"], row["change_pct"], unit),
            ),
        )
        for row in doc["rows"]
    ]


def department_frame(doc: dict, year: int) -> pd.DataFrame:
    """By department and item: this period, 同期 and 同比 in words."""
    unit = fields.unit("report_value")
    rows = doc["rows"]
    return pd.DataFrame(
        {
            fields.KEY_LABELS["department"]: [row["department"] for row in rows],
            fields.KEY_LABELS["item"]: [row["item"] for row in rows],
            t("tables.year_column", year=year, cumulative="", unit=unit): pd.array(
                [row["value"] for row in rows], dtype="Int64"
            ),
            t("tables.previous_column", unit=unit): pd.array(
                [row["previous"] for row in rows], dtype="Int64"
            ),
            t("tables.change"): [
                wording.change_phrase(row["value"], row["previous"], row["change_pct"], unit) for row in rows
            ],
        }
    )


def section(by_item: dict, by_department: dict, year: int, months: str) -> None:
    """The 部门月报 part of the page: one card per item, then the departments' table."""
    st.subheader(t("reports.heading", year=year, months=months))
    if not by_item["rows"]:
        st.info(t("reports.none"))
        return
    cards.show_cards(item_cards(by_item), per_row=max(len(by_item["rows"]), 2))
    st.write("")
    table = department_frame(by_department, year)
    counts = list(table.columns[2:4])
    layout.table(
        table.style.format(dict.fromkeys(counts, wording.fmt_count)), hide_index=True, width="stretch"
    )
    st.caption(t("reports.caption", previous=year - 1))
