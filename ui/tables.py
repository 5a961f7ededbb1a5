"""Tables under the charts: the same figures, with Chinese headers and the report's number formats."""

from __future__ import annotations

import pandas as pd

from analytics.charts import palette
from analytics.metrics.common import NO_TOWNSHIP
from analytics.metrics.indicators import INDICATORS
from analytics.metrics.ranking import SOURCE_LABELS
from analytics.text import fields, wording
from analytics.text.zh import t
from ui.cards import previous_period_label


def _amount(value, indicator: str) -> str:
    if value is None or pd.isna(value):
        return wording.DASH
    return wording.fmt_money(value) if indicator == "direct_loss_wan" else wording.fmt_count(value)


def _change(value, previous, change, indicator: str) -> str:
    """The metric's 同比 (`change`, null = 新增) in words; — where a month has no figure."""
    if value is None or pd.isna(value) or previous is None or pd.isna(previous):
        return wording.DASH
    change = None if change is None or pd.isna(change) else float(change)
    return wording.change_phrase(value, previous, change, fields.unit(indicator))


def monthly_table(frame: pd.DataFrame, indicator: str, year: int, cumulative: bool = False) -> pd.DataFrame:
    """Month by month: this year, 同期 and 同比 (of the running totals when `cumulative`)."""
    suffix = "_cum" if cumulative else ""
    current, previous = frame[f"{indicator}{suffix}"], frame[f"{indicator}_previous{suffix}"]
    changes = frame[f"{indicator}_change_pct{suffix}"]
    unit = fields.unit(indicator)
    label = t("tables.cumulative") if cumulative else ""
    return pd.DataFrame(
        {
            t("tables.month"): [t("tables.month_value", month=m) for m in frame["month"]],
            t("tables.year_column", year=year, cumulative=label, unit=unit): [
                _amount(v, indicator) for v in current
            ],
            t("tables.year_column", year=year - 1, cumulative=label, unit=unit): [
                _amount(v, indicator) for v in previous
            ],
            t("tables.change"): [
                _change(v, p, c, indicator) for v, p, c in zip(current, previous, changes, strict=True)
            ],
        }
    )


def breakdown_frame(rows: list[dict], key: str) -> pd.DataFrame:
    """Rows of `by_sector` / `by_township` as a frame: key, each indicator and `previous_<indicator>`."""
    data = {key: [NO_TOWNSHIP if row[key] is None else row[key] for row in rows]}
    for name in INDICATORS:
        data[name] = [row[name] for row in rows]
        data[f"previous_{name}"] = [row["previous"][name] for row in rows]
        data[f"change_pct_{name}"] = [row["change_pct"][name] for row in rows]
    return pd.DataFrame(data)


def breakdown_table(frame: pd.DataFrame, key: str, key_label: str, indicator: str, year: int) -> pd.DataFrame:
    """Per sector or township: this period, 同期 and 同比 of one indicator."""
    unit = fields.unit(indicator)
    current, previous = frame[indicator], frame[f"previous_{indicator}"]
    changes = frame[f"change_pct_{indicator}"]
    return pd.DataFrame(
        {
            key_label: frame[key],
            t("tables.year_column", year=year, cumulative="", unit=unit): [
                _amount(v, indicator) for v in current
            ],
            t("tables.year_column", year=year - 1, cumulative="", unit=unit): [
                _amount(v, indicator) for v in previous
            ],
            t("tables.change"): [
                _change(v, p, c, indicator) for v, p, c in zip(current, previous, changes, strict=True)
            ],
        }
    )


def _rank_move(change: int | None) -> str:
    if change is None:
        return wording.DASH
    if change == 0:
        return t("tables.rank_same")
    return f"↑{change}" if change > 0 else f"↓{-change}"


HOME_MARK, SELECTED_MARK = t("tables.home"), t("tables.selected")


def county_mark(county: str, selected: str | None, home: str | None) -> str:
    """本县 for the office's own county, 所选 for another county picked in the filter, else ''."""
    if county == home:
        return HOME_MARK
    return SELECTED_MARK if county == selected else ""


def county_label(county: str, selected: str | None, home: str | None) -> str:
    """The county's name with its mark: 云溪县（本县）."""
    mark = county_mark(county, selected, home)
    return t("tables.marked_county", county=county, mark=mark) if mark else county


def ranking_table(doc: dict, indicator: str, selected: str | None, home: str | None) -> pd.DataFrame:
    """Every county for one indicator: value, rank, 同期, 同比 and its rank, rank change, source; by rank."""
    unit = fields.unit(indicator)
    previous_label = previous_period_label(doc)
    rows = sorted(doc["counties"], key=lambda row: (row["rank"][indicator], row["county"]))
    return pd.DataFrame(
        {
            t("tables.rank"): [row["rank"][indicator] for row in rows],
            fields.KEY_LABELS["county"]: [county_label(r["county"], selected, home) for r in rows],
            fields.label(indicator): [_amount(r[indicator], indicator) for r in rows],
            t("tables.previous_column", unit=unit): [
                _amount(r["previous"][indicator], indicator) for r in rows
            ],
            t("tables.change"): [
                wording.change_phrase(
                    r[indicator], r["previous"][indicator], r["change_pct"][indicator], unit
                )
                for r in rows
            ],
            t("tables.change_rank"): [r["change_rank"][indicator] for r in rows],
            t("tables.rank_change", period=previous_label): [
                _rank_move(r["rank_change"][indicator]) for r in rows
            ],
            t("tables.source"): [SOURCE_LABELS.get(r["source"], r["source"]) for r in rows],
        }
    )


def highlight_home(table: pd.DataFrame, column: str = fields.KEY_LABELS["county"]):
    """A Styler that shades the marked county rows (（本县） blue, （所选） amber)."""
    shades = {
        t(
            "tables.marked_county", county="", mark=HOME_MARK
        ): f"background-color: {palette.HOME_ROW}; font-weight: 700",
        t(
            "tables.marked_county", county="", mark=SELECTED_MARK
        ): f"background-color: {palette.SELECTED_ROW}; font-weight: 700",
    }

    def shade(row: pd.Series) -> list[str]:
        name = str(row[column])
        style = next((css for mark, css in shades.items() if name.endswith(mark)), "")
        return [style for _ in row]

    return table.style.apply(shade, axis=1)
