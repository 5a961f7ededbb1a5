"""How numbers are written: counts with separators, 万元 with 2 decimals, rates, — for what cannot be computed.

A leaf module (no labels, no metrics), so the field catalogue and the wording can both use it.
"""

from __future__ import annotations

from decimal import Decimal

from analytics.metrics.periods import money, round_half_up

DASH = "—"  # a figure that cannot be computed


def fmt_count(value: int | None) -> str:
    """A count with thousands separators: 12345 -> "12,345"; None -> "—"."""
    if value is None:
        return DASH
    return f"{int(value):,}"


def fmt_money(value: float | Decimal | None) -> str:
    """万元 with 2 decimals, half away from zero, thousands separators: 2.675 -> "2.68"."""
    if value is None:
        return DASH
    return f"{Decimal(str(money(value))):,.2f}"


def fmt_pct(value: float | None, decimals: int = 1) -> str:
    """A percentage as stored (already ×100): 14.25 -> "14.3%"; None -> "—"."""
    if value is None:
        return DASH
    return f"{Decimal(str(round_half_up(value, decimals))):.{decimals}f}%"


def fmt_rate(value: float | None, decimals: int = 3) -> str:
    """A normalised death rate, 3 decimals: 0.1 -> "0.100"; None -> "—"."""
    if value is None:
        return DASH
    return f"{Decimal(str(round_half_up(value, decimals))):.{decimals}f}"


def fmt_amount(value: float | int | None, unit: str) -> str:
    """A figure with its unit as a sentence writes it: "12起", "12.50万元"."""
    if unit == "万元":
        return f"{fmt_money(value)}万元"
    return f"{fmt_count(value)}{unit}"
