"""Control targets 控制指标: caps, progress, time progress and status, against an independent recomputation."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics.metrics.control import control, time_progress
from analytics.metrics.periods import Period
from tests.factories import accident_record, fixture_db, insert
from tests.recompute import expected_control, generated_accidents

D = dt.date
COUNTY = "甲县"


@pytest.fixture
def db(empty_db):
    with fixture_db(empty_db, {COUNTY: ["A镇", "B镇"]}) as con:
        yield con


def caps(township=None, accidents=None, deaths=None, year=2026, county=COUNTY):
    return {
        "year": year,
        "county": county,
        "township": township,
        "accidents_cap": accidents,
        "deaths_cap": deaths,
    }


@pytest.mark.parametrize(("month", "expected"), [(8, 66.7), (1, 8.3), (6, 50.0), (12, 100.0), (3, 25.0)])
def test_time_progress(month, expected):
    assert time_progress(month) == expected


# (case, accidents (day, township, deaths), caps, {field: expected} of the county row)
EDGE_CASES = [
    (
        "no cap: progress and status null",
        [(D(2026, 3, 1), "A镇", 1)],
        [caps(accidents=None, deaths=None)],
        {"accidents": 1, "accidents_cap": None, "accidents_progress": None, "accidents_status": None,
         "deaths": 1, "deaths_cap": None, "deaths_progress": None, "deaths_status": None},
    ),
    (
        "a cap of 0 with one accident: progress null, 超出控制指标",
        [(D(2026, 3, 1), "A镇", 0)],
        [caps(accidents=0, deaths=0)],
        {"accidents_progress": None, "accidents_status": "超出控制指标", "deaths": 0, "deaths_progress": None,
         "deaths_status": "正常"},
    ),
    (
        "progress above time progress (8月: 66.7%) but within the cap: 超过时间进度",
        [(D(2026, 2, 1), "A镇", 1)] * 7,
        [caps(accidents=10, deaths=7)],
        {"accidents": 7, "accidents_progress": 70.0, "accidents_status": "超过时间进度",
         "deaths": 7, "deaths_progress": 100.0, "deaths_status": "超过时间进度"},
    ),
    (
        "at the cap is not over it; above it is",
        [(D(2026, 2, 1), "A镇", 1)] * 3,
        [caps(accidents=2, deaths=3)],
        {"accidents_progress": 150.0, "accidents_status": "超出控制指标", "deaths_status": "超过时间进度"},
    ),
    (
        "progress equal to time progress is 正常 (2 of 3 is 66.7); rounding half away from zero",
        [(D(2026, 2, 1), "A镇", 0), (D(2026, 2, 1), "A镇", 1)],
        [caps(accidents=3, deaths=8)],
        {"accidents_progress": 66.7, "accidents_status": "正常", "deaths_progress": 12.5, "deaths_status": "正常"},
    ),
    (
        "months 1–b whatever a is; last year's and another county's accidents do not count",
        [(D(2026, 1, 5), "A镇", 0), (D(2026, 8, 31), None, 0), (D(2026, 9, 1), "A镇", 0),
         (D(2025, 3, 1), "A镇", 0)],
        [caps(accidents=4, deaths=1), caps(accidents=1, county="乙县")],
        {"accidents": 2, "accidents_progress": 50.0, "accidents_status": "正常"},
    ),
]  # fmt: skip


def _accidents(rows):
    return [
        accident_record(f"a{i}", day, township=township, deaths=deaths)
        for i, (day, township, deaths) in enumerate(rows)
    ]


@pytest.mark.parametrize(
    ("rows", "targets", "expected"), [c[1:] for c in EDGE_CASES], ids=[c[0] for c in EDGE_CASES]
)
def test_control_edge_cases(db, rows, targets, expected):
    insert(db, "accidents", _accidents(rows) + [accident_record("b1", D(2026, 3, 1), county="乙县")])
    insert(db, "control_targets", targets)
    document = control(db, Period(2026, 8, 8), COUNTY, today=D(2026, 12, 1))
    assert document["time_progress"] == 66.7
    assert document["period"]["months"] == [1, 8]
    assert {k: document["county"][k] for k in expected} == expected


def test_county_without_its_own_row_is_null_and_township_rows_are_not_summed(db):
    insert(
        db,
        "accidents",
        _accidents([(D(2026, 3, 1), "A镇", 1), (D(2026, 3, 2), "B镇", 0), (D(2026, 3, 3), None, 0)]),
    )
    insert(db, "control_targets", [caps("B镇", accidents=4, deaths=0), caps("A镇", accidents=1, deaths=None),
                                   caps(accidents=9, year=2025)])  # fmt: skip
    document = control(db, Period(2026, 1, 6), COUNTY, today=D(2026, 12, 1))
    assert document["county"] is None
    assert document["county_name"] == COUNTY
    assert document["townships"] == [
        {"township": "A镇", "accidents": 1, "accidents_cap": 1, "accidents_progress": 100.0,
         "accidents_status": "超过时间进度", "deaths": 1, "deaths_cap": None, "deaths_progress": None,
         "deaths_status": None},
        {"township": "B镇", "accidents": 1, "accidents_cap": 4, "accidents_progress": 25.0,
         "accidents_status": "正常", "deaths": 0, "deaths_cap": 0, "deaths_progress": None,
         "deaths_status": "正常"},
    ]  # fmt: skip
    assert document["coverage"] == {"accidents": "2026-03"}


def test_a_township_with_a_row_but_no_accident_has_zeros(db):
    insert(db, "control_targets", [caps(accidents=5, deaths=1), caps("B镇", accidents=2, deaths=1)])
    document = control(db, Period(2026, 1, 3), COUNTY, today=D(2026, 12, 1))
    assert document["county"]["accidents"] == 0 and document["county"]["accidents_status"] == "正常"
    assert document["townships"][0]["township"] == "B镇" and document["townships"][0]["accidents"] == 0


@pytest.mark.parametrize("period", [Period(2026, 1, 8), Period(2026, 5, 5), Period(2025, 1, 12)])
def test_figures_match_an_independent_pandas_recomputation(db, period):
    frame = generated_accidents(seed=11, size=2500)
    frame["county"] = frame["county"].where(frame.index % 3 != 0, COUNTY)
    rows = [
        accident_record(r.accident_id, r.occurred_on, township=r.township if isinstance(r.township, str) else None,
                        deaths=int(r.deaths), county=r.county)
        for r in frame.itertuples()
    ]  # fmt: skip
    insert(db, "accidents", rows)
    targets = [
        caps(accidents=300, deaths=400, year=2026), caps("一镇", accidents=40, deaths=0, year=2026),
        caps("二镇", accidents=200, deaths=None, year=2026), caps("三镇", accidents=0, deaths=1, year=2026),
        caps(accidents=None, deaths=90, year=2025), caps("一镇", accidents=10, deaths=10, year=2025),
    ]  # fmt: skip
    insert(db, "control_targets", targets)
    document = control(db, period, COUNTY, today=D(2026, 11, 28))
    expected = expected_control(rows, targets, period)
    assert document["time_progress"] == expected["time_progress"]
    assert document["county"] == expected["county"]
    assert {r["township"]: r for r in document["townships"]} == expected["townships"]
