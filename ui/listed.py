"""挂牌督办 on 隐患整改: the listed 重大隐患 with their level, deadline, 销号 or days overdue, and the 销号率."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.charts import palette
from analytics.charts.supervision import key_texts
from analytics.metrics.hazards import LISTED_FIELDS
from analytics.text import fields
from analytics.text.zh import t
from ui import cards, layout, supervision


def listed_cards(total: dict) -> list[cards.Card]:
    """挂牌督办, 已销号, 销号率 and 逾期未销号 of a `hazards` document's total."""
    overdue = total["listed_overdue"]
    return [
        cards.Card(
            fields.short_label("listed"),
            fields.fmt_with_unit("listed", total["listed"]),
            t("listed.card.listed_detail"),
            "",
        ),
        cards.Card(
            fields.short_label("listed_closed"),
            fields.fmt_with_unit("listed_closed", total["listed_closed"]),
            t("listed.card.closed_detail"),
            "",
        ),
        cards.Card(
            fields.short_label("closure_rate"),
            fields.fmt_value("closure_rate", total["closure_rate"]),
            t(
                "listed.card.rate_detail",
                closed=fields.fmt_with_unit("listed_closed", total["listed_closed"]),
                listed=fields.fmt_with_unit("listed", total["listed"]),
            ),
            "",
        ),
        cards.Card(
            fields.short_label("listed_overdue"),
            fields.fmt_with_unit("listed_overdue", overdue),
            t("listed.card.overdue_detail"),
            t("listed.card.overdue_some") if overdue else t("listed.card.overdue_none"),
            cards.BAD if overdue else cards.GOOD,
        ),
    ]


def _closures(status: pd.Series, closed_on: pd.Series) -> pd.Series:
    """已销号（2026-10-05）, or 未销号: each distinct (status, date) written once."""
    closed = closed_on.notna()
    texts = status.astype(object).copy()
    pairs = pd.Series(list(zip(status[closed], closed_on[closed], strict=True)), index=status.index[closed])
    written = {pair: t("listed.list.closed_text", status=pair[0], on=pair[1]) for pair in set(pairs)}
    texts[closed] = pairs.map(written)
    return texts


def listing_frame(listing: pd.DataFrame) -> pd.DataFrame:
    """`listed_hazards` as the page shows it: Chinese headers, 县直/未填乡镇 for an empty township, the
    销号 with its date in one column and the days overdue (a number, blank when closed or not yet due)."""
    return pd.DataFrame(
        {
            t("hazards.list.id"): listing["hazard_id"],
            t("hazards.list.unit"): listing["unit"],
            fields.KEY_LABELS["township"]: key_texts(listing["township"]),
            fields.KEY_LABELS["listed_level"]: listing["listed_level"],
            t("hazards.list.deadline"): listing["deadline"],
            t("listed.list.status"): _closures(listing["status"], listing["closed_on"]),
            t("hazards.list.days_overdue"): listing["days_overdue"].astype("Int64"),
        }
    )


def _overdue_shade(days) -> str:
    return (
        f"background-color: {palette.BAD_SHADE}; color: #111111; font-weight: 700"
        if pd.notna(days) and days > 0
        else ""
    )


LEVEL_FIELDS = list(LISTED_FIELDS)


def section(total: dict, by_level: list[dict], shown: pd.DataFrame, title: str, file_stem: str) -> None:
    """The 挂牌督办 part of the page: its cards, the figures by listed level, then the list (`listing_frame`:
    days overdue in red) with an Excel download."""
    st.subheader(t("listed.heading"))
    if not total["listed"]:
        st.info(t("listed.none"))
        return
    cards.show_cards(listed_cards(total))
    levels = supervision.frame([row for row in by_level if row["listed"]], "listed_level", LEVEL_FIELDS)
    layout.table(
        supervision.styled(levels, LEVEL_FIELDS, shade=["closure_rate", "listed_overdue"]),
        hide_index=True,
        width="stretch",
    )
    days = t("hazards.list.days_overdue")
    on_screen = layout.first_rows(shown)
    layout.table(
        on_screen.style.map(_overdue_shade, subset=[days]).format(
            {days: lambda v: "" if pd.isna(v) else f"{v:,}"}
        ),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(on_screen), 460),
    )
    st.caption(t("listed.caption"))
    supervision.download_xlsx(shown, file_stem, title, key="listed-xlsx")
