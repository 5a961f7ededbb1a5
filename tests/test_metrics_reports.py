"""Department monthly reports 部门月报: 同比 edge cases, order, and an independent pandas recomputation."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from analytics.metrics.coverage import SOURCES, NoData, check_period
from analytics.metrics.periods import Period
from analytics.metrics.reports import reports
from tests.factories import fixture_db, insert
from tests.recompute import expected_reports, random_monthly_reports

PERIOD = Period(2026, 1, 8)
COUNTY = "甲县"
ROAD, ILLEGAL = "道路交通违法行为", "非法违法行为"
POLICE, SAFETY = "县公安局交警大队", "县应急管理局"


@pytest.fixture
def db(empty_db):
    with fixture_db(empty_db, {COUNTY: ["A镇"]}) as con:
        yield con


def item(year, month, value, name=ROAD, department=POLICE, county=COUNTY):
    return {
        "year": year,
        "month": month,
        "county": county,
        "department": department,
        "item": name,
        "value": value,
    }


EDGE_CASES = [
    (
        "reported this year only: previous 0, change null (新增)",
        [item(2026, 3, 12)],
        [{"item": ROAD, "value": 12, "previous": 0, "change_pct": None}],
    ),
    (
        "reported last year only: value 0, down 100%",
        [item(2025, 3, 12)],
        [{"item": ROAD, "value": 0, "previous": 12, "change_pct": -100.0}],
    ),
    (
        "rows of 0 in both years: 0.0 (持平), not left out",
        [item(2026, 3, 0), item(2025, 3, 0)],
        [{"item": ROAD, "value": 0, "previous": 0, "change_pct": 0.0}],
    ),
    (
        "an item with no row in either year is left out; months outside a–b and other counties do not count",
        [item(2026, 9, 5), item(2025, 12, 5), item(2026, 3, 7, county="乙县"), item(2024, 3, 9),
         item(2026, 2, 3, name=ILLEGAL), item(2025, 2, 8, name=ILLEGAL)],
        [{"item": ILLEGAL, "value": 3, "previous": 8, "change_pct": -62.5}],
    ),
    (
        "summed over months and departments; 同比 half away from zero (1 → 9 is 800.0, 7 of 8 is -12.5)",
        [item(2026, 1, 4), item(2026, 8, 5, department=SAFETY), item(2025, 5, 1),
         item(2026, 4, 7, name=ILLEGAL), item(2025, 4, 8, name=ILLEGAL)],
        [{"item": ROAD, "value": 9, "previous": 1, "change_pct": 800.0},
         {"item": ILLEGAL, "value": 7, "previous": 8, "change_pct": -12.5}],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("rows", "expected"), [c[1:] for c in EDGE_CASES], ids=[c[0] for c in EDGE_CASES])
def test_report_edge_cases(db, rows, expected):
    insert(db, "monthly_reports", rows)
    assert reports(db, PERIOD, COUNTY, today=dt.date(2026, 12, 1))["rows"] == expected


def test_by_department_carries_department_and_item(db):
    insert(
        db,
        "monthly_reports",
        [item(2026, 3, 5, name=ILLEGAL, department=SAFETY), item(2026, 3, 6, department=SAFETY),
         item(2025, 3, 2, department=POLICE), item(2026, 3, 1, department="县交通运输局", name=ILLEGAL)],
    )  # fmt: skip
    document = reports(db, PERIOD, COUNTY, by="department")
    assert [(r["department"], r["item"]) for r in document["rows"]] == sorted(
        [(SAFETY, ROAD), (SAFETY, ILLEGAL), (POLICE, ROAD), ("县交通运输局", ILLEGAL)],
        key=lambda pair: (pair[0], [ROAD, ILLEGAL].index(pair[1])),
    )
    police = next(r for r in document["rows"] if r["department"] == POLICE)
    assert police == {"department": POLICE, "item": ROAD, "value": 0, "previous": 2, "change_pct": -100.0}
    assert document["coverage"] == {"monthly_reports": "2026-03"} and document["by"] == "department"
    with pytest.raises(ValueError):
        reports(db, PERIOD, COUNTY, by="township")


def test_coverage_comes_from_the_latest_year_month_row(db):
    insert(db, "monthly_reports", [item(2026, 5, 1), item(2025, 11, 1)])
    assert reports(db, PERIOD, COUNTY)["coverage"] == {"monthly_reports": "2026-05"}
    check_period(db, Period(2026, 5, 5), SOURCES["reports"], COUNTY)
    with pytest.raises(NoData):
        check_period(db, Period(2026, 7, 8), SOURCES["reports"], COUNTY)  # after the latest row: no data


@pytest.mark.parametrize("by", ["item", "department"])
@pytest.mark.parametrize("period", [Period(2026, 1, 8), Period(2026, 6, 6), Period(2025, 1, 12)])
def test_figures_match_an_independent_pandas_recomputation(db, by, period):
    rows = random_monthly_reports(np.random.default_rng(99))
    insert(db, "monthly_reports", rows)
    document = reports(db, period, COUNTY, by=by)
    key = (lambda r: r["item"]) if by == "item" else (lambda r: (r["department"], r["item"]))
    actual = {key(r): {k: r[k] for k in ("value", "previous", "change_pct")} for r in document["rows"]}
    assert actual == expected_reports(rows, period, by)
