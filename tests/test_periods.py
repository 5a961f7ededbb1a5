"""Periods, 同比 and rounding as spec/metrics.md defines them."""

import datetime as dt

import pytest

from analytics.metrics.periods import Period, change_pct, money, parse_months, rate, round_half_up


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
