"""Figure cards and coloured change text, drawn the same way on every page.

Colour follows meaning, not sign (domain.md): for accidents a rise is bad
(red), for 整改率 or training a rise is good (green). Callers say which way
is good; the text itself comes from `analytics.text.wording`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import streamlit as st

from analytics.charts import palette
from analytics.metrics.indicators import INDICATORS
from analytics.metrics.periods import Period
from analytics.metrics.ranking import shared_rank
from analytics.text import fields, wording
from analytics.text.zh import t

GOOD, BAD, NEUTRAL, WARN = "good", "bad", "neutral", "warn"
# The same green, red and amber as the charts': one palette by meaning.
COLOURS = {GOOD: palette.GOOD, BAD: palette.BAD, NEUTRAL: palette.LEVEL, WARN: palette.WARNING}


def tone(change: float | None, value: float | None, lower_is_better: bool = True) -> str:
    """good / bad / neutral for a 同比 change; `change` None means 新增 (previous was 0)."""
    if change is None:
        if not value:
            return NEUTRAL
        return BAD if lower_is_better else GOOD
    if change == 0:
        return NEUTRAL
    rose = change > 0
    return BAD if rose == lower_is_better else GOOD


@dataclass(frozen=True)
class Card:
    """One figure: its label, the value as text, a second line (同期 …) and the coloured change."""

    label: str
    value: str
    detail: str
    change: str
    tone: str = NEUTRAL


_CSS = """
<style>
.kpi-card {border: 1px solid #d0d7de; border-radius: 8px; padding: 0.8rem 1rem; background: #ffffff;
  height: 100%;}
.kpi-label {font-size: 1rem; color: #24292f; font-weight: 600;}
.kpi-value {font-size: clamp(1.4rem, 2.1vw, 2.2rem); font-weight: 700; color: #111; line-height: 1.25; margin: 0.2rem 0;
  white-space: nowrap; word-break: keep-all;}
.kpi-nobreak {white-space: nowrap;}
.kpi-detail {font-size: 0.95rem; color: #57606a;}
.kpi-change {font-size: 1.15rem; font-weight: 700; margin-top: 0.2rem;}
.verdict {font-size: 1.35rem; font-weight: 700; padding: 0.5rem 0.9rem; border-radius: 6px;
  border-left: 6px solid; background: #f6f8fa; margin: 0.4rem 0 0.8rem 0;}
</style>
"""


def _css() -> None:
    st.markdown(_CSS, unsafe_allow_html=True)


# A number with its unit ("第3位", "10.3个", "1-10月", "56.3%") is one word: a line may break around it,
# never inside it. Chinese text between such words still wraps anywhere, so a card never overflows.
_WORD = re.compile(r"(?:第)?[0-9][0-9.,%\-]*(?:[^\s0-9.,%\-<&])?")


def _words_whole(text: str) -> str:
    return _WORD.sub(lambda m: f'<span class="kpi-nobreak">{m.group(0)}</span>', html.escape(text))


def card_html(card: Card) -> str:
    """The card as HTML (escaped), for st.markdown; the value on one line, numbers never split."""
    colour = COLOURS.get(card.tone, COLOURS[NEUTRAL])
    return (
        '<div class="kpi-card">'
        f'<div class="kpi-label">{html.escape(card.label)}</div>'
        f'<div class="kpi-value">{html.escape(card.value)}</div>'
        f'<div class="kpi-detail">{_words_whole(card.detail)}</div>'
        f'<div class="kpi-change" style="color:{colour}">{_words_whole(card.change)}</div>'
        "</div>"
    )


def show_cards(cards: list[Card], per_row: int = 4) -> None:
    """Cards side by side, `per_row` to a row."""
    _css()
    for start in range(0, len(cards), per_row):
        columns = st.columns(per_row)
        for column, card in zip(columns, cards[start : start + per_row], strict=False):
            column.markdown(card_html(card), unsafe_allow_html=True)


def verdict(text: str, tone_name: str = NEUTRAL) -> None:
    """A one-line verdict (四项指标全面下降 …) in the colour of its meaning."""
    _css()
    colour = COLOURS.get(tone_name, COLOURS[NEUTRAL])
    st.markdown(
        f'<div class="verdict" style="border-color:{colour};color:{colour}">{html.escape(text)}</div>',
        unsafe_allow_html=True,
    )


# wording.change_kind -> tone, for figures where less is better (the four indicators).
_LOWER_IS_BETTER = {"down": GOOD, "up": BAD, "new": BAD, "flat": NEUTRAL}


def indicator_cards(doc: dict, compare: bool = True) -> list[Card]:
    """The four indicator cards of an `indicators` document: value, 同期, 同比 coloured by meaning.

    With `compare` False (no data for the year before) the cards show the value only.
    """
    result = []
    for name in INDICATORS:
        figure = doc["indicators"][name]
        unit = fields.unit(name)
        value, previous = figure["value"], figure["previous"]
        result.append(
            Card(
                label=fields.short_label(name),
                value=wording.fmt_amount(value, unit),
                detail=t("cards.previous", amount=wording.fmt_amount(previous, unit))
                if compare
                else t("cards.previous_none"),
                change=t(
                    "cards.change", phrase=wording.change_phrase(value, previous, figure["change_pct"], unit)
                )
                if compare
                else t("cards.no_change"),
                tone=_LOWER_IS_BETTER[wording.change_kind(value, previous)] if compare else NEUTRAL,
            )
        )
    return result


def verdict_tone(doc: dict) -> str:
    """Green when no indicator rose, red when accidents or deaths rose, grey otherwise."""
    kinds = {
        name: wording.change_kind(doc["indicators"][name]["value"], doc["indicators"][name]["previous"])
        for name in INDICATORS
    }
    if any(kinds[name] in ("up", "new") for name in ("accidents", "deaths")):
        return BAD
    if all(kind in ("down", "flat") for kind in kinds.values()):
        return GOOD
    return NEUTRAL


def major_accidents_card(doc: dict) -> Card:
    """较大及以上事故 of an `indicators` document: none is good news, any is red."""
    major = doc["major_accidents"]
    return Card(
        label=fields.short_label("major_accidents"),
        value=fields.fmt_with_unit("major_accidents", major["value"]),
        detail=t("cards.previous", amount=fields.fmt_with_unit("major_accidents", major["previous"])),
        change=t("cards.major_none") if not major["value"] else t("cards.major_some"),
        tone=GOOD if not major["value"] else BAD,
    )


def previous_period_label(ranking_doc: dict) -> str:
    """The period a rank change is read against: "1-9月", or "2025年12月" across a new year."""
    before = ranking_doc["previous_period"]
    label = Period(before["year"], *before["months"]).label
    # Within the same year the year goes without saying (较1-9月); across a new year it does not.
    same_year = before["year"] == ranking_doc["period"]["year"]
    return label if same_year else t("period.year_months", year=before["year"], months=label)


def rank_card(ranking_doc: dict, row: dict, indicator: str) -> Card:
    """One indicator's rank among the city's counties, with the move since the previous ranking period."""
    total = len(ranking_doc["counties"])
    since = t("cards.rank_since", period=previous_period_label(ranking_doc))
    move = row["rank_change"][indicator]
    tied = shared_rank(ranking_doc, indicator, row["rank"][indicator])
    if move is None:
        change, tone_name = wording.DASH, NEUTRAL
    elif move == 0:
        change, tone_name = t("cards.rank_same", since=since), NEUTRAL
    else:
        # A smaller rank number is better (rank 1 = the fewest), so moving up is good.
        if move > 0:
            change = t("cards.rank_up", since=since, places=move)
        else:
            change = t("cards.rank_down", since=since, places=-move)
        tone_name = GOOD if move > 0 else BAD
    return Card(
        label=t("cards.rank_label", label=fields.short_label(indicator)),
        value=wording.rank_phrase(row["rank"][indicator], tied),
        detail=t("cards.rank_total", count=total),
        change=change,
        tone=tone_name,
    )
