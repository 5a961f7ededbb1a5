"""Periods, 同比 and rounding as spec/metrics.md defines them."""

import datetime as dt

import pytest

from analytics.metrics.periods import (
    Period,
    change_pct,
    compared,
    money,
    parse_months,
    points_change,
    rate,
    round_half_up,
)


@pytest.mark.parametrize(
    "value, previous, expected",
    [
        (12, 14, -14.3),  # the seed's register: 下降14.3%
        (9, 12, -25.0),
        (0, 0, 0.0),  # 持平
        (3, 0, None),  # 新增: never ∞
        (0, 5, -100.0),
        (5, 5, 0.0),
        (7, 4, 75.0),
        (1, 8, -87.5),
        (2, 3, -33.3),
        (1, 3, -66.7),  # -66.666… away from zero
    ],
)
def test_change_pct(value, previous, expected):
    assert change_pct(value, previous) == expected


@pytest.mark.parametrize(
    "value, places, expected",
    [(81.25, 1, 81.3), (-81.25, 1, -81.3), (2.675, 2, 2.68), (0.05, 1, 0.1), (None, 1, None)],
)
def test_round_half_away_from_zero(value, places, expected):
    assert round_half_up(value, places) == expected


def test_rate_over_zero_is_null_and_may_exceed_100():
    assert rate(3, 0) is None
    assert rate(0, 0) is None
    assert rate(13, 16) == 81.3
    assert rate(150, 100) == 150.0


def test_money_two_decimals():
    assert money(1.005) == 1.01
    assert money(None) == 0.0


def test_period_bounds_and_as_of():
    period = Period(2026, 1, 8)
    assert period.start == dt.date(2026, 1, 1)
    assert period.end == dt.date(2026, 8, 31)
    assert period.as_of(dt.date(2026, 11, 28)) == dt.date(2026, 8, 31)
    assert period.as_of(dt.date(2026, 8, 15)) == dt.date(2026, 8, 15)
    assert period.previous == Period(2025, 1, 8)
    assert Period(2024, 2, 2).end == dt.date(2024, 2, 29)
    assert period.label == "1-8月"
    assert Period(2026, 8, 8).label == "8月"


def test_month_before_for_single_months_only():
    assert Period(2026, 8, 8).month_before == Period(2026, 7, 7)
    assert Period(2026, 1, 1).month_before == Period(2025, 12, 12)
    assert Period(2026, 1, 8).month_before is None


def test_period_json():
    assert Period(2026, 1, 8).to_json(dt.date(2026, 11, 28)) == {
        "year": 2026,
        "months": [1, 8],
        "start": "2026-01-01",
        "end": "2026-08-31",
        "as_of": "2026-08-31",
    }


@pytest.mark.parametrize("text, expected", [("1-8", (1, 8)), ("8", (8, 8)), ("3—5", (3, 5))])
def test_parse_months(text, expected):
    assert parse_months(text) == expected


@pytest.mark.parametrize("text", ["8-1", "0-3", "1-13", "a-b", "1-2-3"])
def test_parse_months_rejects(text):
    with pytest.raises(ValueError):
        parse_months(text)


@pytest.mark.parametrize(
    "value, previous, expected",
    [
        (85.0, 80.0, 5.0),  # a rate's change is a difference in 百分点, not (85 − 80) / 80
        (80.0, 85.0, -5.0),
        (66.7, 66.7, 0.0),
        (81.3, 81.25, 0.1),  # 0.05 away from zero
        (81.2, 81.25, -0.1),
        (0.1, 0.3, -0.2),  # through Decimal: 0.1 − 0.3 is not −0.19999…
        (112.5, 66.7, 45.8),  # coverage may pass 100
        (None, 80.0, None),  # no rate (—) on either side: no change
        (80.0, None, None),
        (None, None, None),
    ],
)
def test_points_change(value, previous, expected):
    assert points_change(value, previous) == expected


def test_compared_gives_counts_their_change_pct_and_rates_their_points():
    current = {"found": 12, "overdue": 0, "fine_wan": 3.3, "rectification_rate": 75.0, "review_rate": None}
    previous = {"found": 14, "overdue": 0, "fine_wan": 0.0, "rectification_rate": 80.5, "review_rate": 50.0}
    figures = compared(
        current,
        previous,
        counts=("found", "overdue", "fine_wan"),
        rates=("rectification_rate", "review_rate"),
    )
    assert figures == {
        "found": {"value": 12, "previous": 14, "change_pct": -14.3},
        "overdue": {"value": 0, "previous": 0, "change_pct": 0.0},
        "fine_wan": {"value": 3.3, "previous": 0.0, "change_pct": None},  # 新增
        "rectification_rate": {"value": 75.0, "previous": 80.5, "change_points": -5.5},
        "review_rate": {"value": None, "previous": 50.0, "change_points": None},
    }
    assert compared(current, previous) == {}
