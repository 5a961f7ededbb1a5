"""Periods, 同比 and rounding, exactly as `spec/metrics.md` defines them."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from analytics.text.zh import t


@dataclass(frozen=True)
class Period:
    """A year and a month range a–b (1-8 = 1–8月累计, 8-8 = 8月)."""

    year: int
    first_month: int
    last_month: int

    def __post_init__(self) -> None:
        if not (1 <= self.first_month <= self.last_month <= 12):
            raise ValueError(t("period.bad_months", first=self.first_month, last=self.last_month))

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        last_day = calendar.monthrange(self.year, self.last_month)[1]
        return dt.date(self.year, self.last_month, last_day)

    def as_of(self, today: dt.date | None = None) -> dt.date:
        """The period's last day, or today if that is earlier."""
        today = today or dt.date.today()
        return min(self.end, today)

    @property
    def previous(self) -> Period:
        """同期: the same month range one year earlier."""
        return Period(self.year - 1, self.first_month, self.last_month)

    @property
    def month_before(self) -> Period | None:
        """For a single month, the month before it (环比); None for a range."""
        if self.first_month != self.last_month:
            return None
        if self.first_month == 1:
            return Period(self.year - 1, 12, 12)
        return Period(self.year, self.first_month - 1, self.first_month - 1)

    @property
    def label(self) -> str:
        """How the report writes it: 1-8月, or 8月 for a single month."""
        if self.first_month == self.last_month:
            return t("period.month", month=self.first_month)
        return t("period.months", first=self.first_month, last=self.last_month)

    def to_json(self, today: dt.date | None = None) -> dict:
        return {
            "year": self.year,
            "months": [self.first_month, self.last_month],
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "as_of": self.as_of(today).isoformat(),
        }


def parse_months(text: str) -> tuple[int, int]:
    """'1-8' -> (1, 8); '8' -> (8, 8). Raises ValueError on anything else."""
    parts = text.replace("—", "-").replace("–", "-").split("-")
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2:
        raise ValueError(t("period.bad_months_text", text=text))
    first, last = (int(p) for p in parts)
    Period(2000, first, last)  # validates the range
    return first, last


def round_half_up(value: float | Decimal | None, places: int = 1) -> float | None:
    """Round half away from zero (81.25 -> 81.3), through Decimal so 2.675 stays 2.68."""
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def change_pct(value: float | Decimal, previous: float | Decimal) -> float | None:
    """同比 in percent, 1 decimal; 0.0 when both are 0; None (新增) when only previous is 0."""
    value, previous = Decimal(str(value)), Decimal(str(previous))
    if previous == 0:
        return 0.0 if value == 0 else None
    return round_half_up((value - previous) / previous * 100, 1)


def rate(numerator: float | Decimal, denominator: float | Decimal) -> float | None:
    """A percentage with 1 decimal; None (shown as —) over a zero denominator."""
    if not denominator:
        return None
    return round_half_up(Decimal(str(numerator)) / Decimal(str(denominator)) * 100, 1)


def money(value: float | Decimal | None) -> float:
    """万元 with 2 decimals, half away from zero."""
    return round_half_up(value or 0, 2)


def points_change(value: float | Decimal | None, previous: float | Decimal | None) -> float | None:
    """The change of a rate in 百分点 (value − previous), 1 decimal half away from zero; None without both."""
    if value is None or previous is None:
        return None
    return round_half_up(Decimal(str(value)) - Decimal(str(previous)), 1)


def compared(
    current: Mapping[str, object],
    previous: Mapping[str, object],
    counts: Iterable[str] = (),
    rates: Iterable[str] = (),
) -> dict[str, dict]:
    """Figures of a period beside 同期, from two documents' rows of the same shape.

    A count or amount gets `{"value", "previous", "change_pct"}` (同比, `change_pct`); a rate gets
    `{"value", "previous", "change_points"}` (the difference in 百分点, `points_change`), as metrics.md asks.
    """
    figures: dict[str, dict] = {}
    for name in counts:
        value, before = current[name], previous[name]
        figures[name] = {"value": value, "previous": before, "change_pct": change_pct(value, before)}
    for name in rates:
        value, before = current[name], previous[name]
        figures[name] = {"value": value, "previous": before, "change_points": points_change(value, before)}
    return figures
