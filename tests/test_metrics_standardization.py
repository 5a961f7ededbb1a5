"""Standardization 安全生产标准化: table-driven edge cases, the expiring list and an independent recomputation."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analytics.metrics.coverage import SOURCES, NoData, check_period
from analytics.metrics.periods import Period
from analytics.metrics.standardization import expiring_certificates, standardization, standardization_page
from tests.factories import fixture_db, insert
from tests.recompute import expected_standardization, random_standardization

D = dt.date
PERIOD = Period(2026, 1, 8)  # as_of 2026-08-31 unless today is earlier
COUNTY = "甲县"
LATE = D(2026, 12, 1)


@pytest.fixture
def db(empty_db):
    with fixture_db(empty_db, {COUNTY: ["A镇", "B镇"]}) as con:
        yield con


def record(rid, applied_on, passed_on=None, expires_on=None, grade="二级", township="A镇", county=COUNTY):
    return {
        "record_id": rid,
        "county": county,
        "township": township,
        "enterprise": f"企业{rid}",
        "grade": grade,
        "applied_on": applied_on,
        "passed_on": passed_on,
        "expires_on": expires_on,
    }


def goal(grade, target, year=2026, county=COUNTY):
    return {"year": year, "county": county, "grade": grade, "target": target}


def grade_row(document, grade):
    (row,) = [r for r in document["rows"] if r["grade"] == grade]
    return row


# (case, records, targets, today, {field: expected} of the 二级 row)
EDGE_CASES = [
    (
        "no target for the grade: target and both rates null",
        [record("s1", D(2026, 2, 1), D(2026, 3, 1))],
        [goal("三级", 60)],
        LATE,
        {"target": None, "applied": 1, "passed": 1, "completion_pct": None, "application_pct": None},
    ),
    (
        "a target of 0: rates null, never a division error",
        [record("s1", D(2026, 2, 1), D(2026, 3, 1))],
        [goal("二级", 0)],
        LATE,
        {"target": 0, "passed": 1, "completion_pct": None, "application_pct": None},
    ),
    (
        "rates half away from zero and may exceed 100: 25 of 20 applied, 1 of 8 passed",
        [record(f"s{i}", D(2026, 2, 1), D(2026, 3, 1) if i == 0 else None) for i in range(25)],
        [goal("二级", 20)],
        LATE,
        {"applied": 25, "passed": 1, "completion_pct": 5.0, "application_pct": 125.0},
    ),
    (
        "1 of 8 is 12.5 (half up, not to even)",
        [record("s1", D(2026, 2, 1), D(2026, 3, 1))],
        [goal("二级", 8)],
        LATE,
        {"completion_pct": 12.5, "application_pct": 12.5},
    ),
    (
        "applications and passes count in year Y up to as_of only; last year's pass is still certified",
        [
            record("s1", D(2025, 11, 1), D(2025, 12, 20), D(2028, 12, 19)),
            record("s2", D(2025, 12, 1), D(2026, 1, 10), D(2029, 1, 9)),
            record("s3", D(2026, 8, 1), D(2026, 9, 5), D(2029, 9, 4)),
            record("s4", D(2026, 9, 2)),
        ],
        [goal("二级", 10)],
        LATE,
        {"applied": 1, "passed": 1, "certified": 2, "expiring": 0},
    ),
    (
        "a certificate that expires ON as_of is still certified, and not expiring",
        [record("s1", D(2023, 1, 1), D(2023, 3, 1), D(2026, 8, 31))],
        [],
        LATE,
        {"certified": 1, "expiring": 0},
    ),
    (
        "expired the day before as_of: not certified",
        [record("s1", D(2023, 1, 1), D(2023, 3, 1), D(2026, 8, 30))],
        [],
        LATE,
        {"certified": 0, "expiring": 0},
    ),
    (
        "expiring: as_of < expires_on ≤ as_of + 90 days (2026-11-29 in, 2026-11-30 out)",
        [
            record("s1", D(2023, 1, 1), D(2023, 3, 1), D(2026, 9, 1)),
            record("s2", D(2023, 1, 1), D(2023, 3, 1), D(2026, 11, 29)),
            record("s3", D(2023, 1, 1), D(2023, 3, 1), D(2026, 11, 30)),
            record("s4", D(2023, 1, 1), D(2023, 3, 1)),
        ],
        [],
        LATE,
        {"certified": 4, "expiring": 2},
    ),
    (
        "as_of is today when today is earlier: a pass after today does not count yet",
        [record("s1", D(2026, 2, 1), D(2026, 6, 1), D(2029, 5, 31))],
        [goal("二级", 4)],
        D(2026, 5, 15),
        {"applied": 1, "passed": 0, "certified": 0, "completion_pct": 0.0, "application_pct": 25.0},
    ),
    (
        "another county's records and targets are not counted",
        [record("s1", D(2026, 2, 1), D(2026, 3, 1), county="乙县")],
        [goal("二级", 5, county="乙县")],
        LATE,
        {"target": None, "applied": 0, "passed": 0, "certified": 0},
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("records", "targets", "today", "expected"), [c[1:] for c in EDGE_CASES], ids=[c[0] for c in EDGE_CASES]
)
def test_standardization_edge_cases(db, records, targets, today, expected):
    insert(db, "standardization", records)
    insert(db, "standardization_targets", targets)
    document = standardization(db, PERIOD, COUNTY, today=today)
    row = grade_row(document, "二级")
    assert {k: row[k] for k in expected} == expected


def test_total_sums_the_grades_targets_and_is_null_without_any(db):
    insert(db, "standardization", [record("s1", D(2026, 2, 1), D(2026, 3, 1), grade="一级")])
    document = standardization(db, PERIOD, COUNTY, today=LATE)
    assert [r["grade"] for r in document["rows"]] == ["一级", "二级", "三级"]
    assert document["total"]["target"] is None and document["total"]["completion_pct"] is None
    insert(db, "standardization_targets", [goal("二级", 20), goal("三级", 60)])
    total = standardization(db, PERIOD, COUNTY, today=LATE)["total"]
    assert total == {
        "grade": "合计",
        "target": 80,
        "applied": 1,
        "passed": 1,
        "completion_pct": 1.3,  # 1 / 80 = 1.25 -> 1.3
        "application_pct": 1.3,
        "certified": 1,
        "expiring": 0,
    }


def test_by_township_rows_carry_no_target_and_the_null_row_comes_last(db):
    insert(
        db,
        "standardization",
        [
            record("s1", D(2026, 2, 1), D(2026, 3, 1), township=None),
            record("s2", D(2026, 2, 1), township="新区"),
            record("s3", D(2026, 2, 1), township="A镇"),
        ],
    )
    insert(db, "standardization_targets", [goal("二级", 10)])
    document = standardization(db, PERIOD, COUNTY, by="township", today=LATE)
    assert document["by"] == "township"
    assert [r["township"] for r in document["rows"]] == ["A镇", "B镇", "新区", None]
    assert all(r["target"] is None and r["completion_pct"] is None for r in document["rows"])
    assert document["rows"][-1]["passed"] == 1
    assert document["total"]["target"] == 10 and document["total"]["applied"] == 3
    assert document["total"]["application_pct"] == 30.0
    assert set(document) >= {"period", "county", "coverage", "by", "total", "rows"}
    assert document["coverage"] == {"standardization": "2026-02"}
    with pytest.raises(ValueError):
        standardization(db, PERIOD, COUNTY, by="sector")


def test_expiring_certificates_soonest_first(db):
    insert(
        db,
        "standardization",
        [
            record(
                "s1", D(2023, 1, 1), D(2023, 3, 1), D(2026, 8, 31)
            ),  # on as_of: still in force, not listed
            record("s2", D(2023, 1, 1), D(2023, 3, 1), D(2026, 11, 29), township=None, grade="三级"),
            record("s3", D(2023, 1, 1), D(2023, 3, 1), D(2026, 9, 1)),
            record("s4", D(2023, 1, 1), D(2023, 3, 1), D(2026, 11, 30)),  # 91 days: not yet
            record("s5", D(2023, 1, 1), None, D(2026, 9, 2)),  # never passed
            record("s6", D(2023, 1, 1), D(2023, 3, 1), D(2026, 9, 3), county="乙县"),
        ],
    )
    listing = expiring_certificates(db, PERIOD, COUNTY, today=LATE)
    assert list(listing.columns) == [
        "enterprise",
        "township",
        "grade",
        "passed_on",
        "expires_on",
        "days_left",
    ]
    assert listing["enterprise"].tolist() == ["企业s3", "企业s2"]
    assert listing["days_left"].tolist() == [1, 90]
    assert pd.isna(listing.iloc[1]["township"]) and listing.iloc[1]["grade"] == "三级"
    assert listing["expires_on"].tolist() == [D(2026, 9, 1), D(2026, 11, 29)]


def test_a_register_is_not_no_data_after_its_last_record(db):
    """Standardization is judged as of as_of: last year's certificates are in force this year."""
    insert(db, "standardization", [record("s1", D(2025, 2, 1), D(2025, 3, 1), D(2028, 2, 28))])
    check_period(db, Period(2026, 1, 8), SOURCES["standardization"], COUNTY, today=LATE)  # no NoData
    assert standardization(db, PERIOD, COUNTY, today=LATE)["total"]["certified"] == 1
    with pytest.raises(NoData):  # a period ending before the first record is no data
        check_period(db, Period(2024, 1, 12), SOURCES["standardization"], COUNTY, today=LATE)
    with pytest.raises(NoData):  # a county without any record is no data
        check_period(db, PERIOD, SOURCES["standardization"], "乙县", today=LATE)


@pytest.mark.parametrize("by", ["grade", "township"])
@pytest.mark.parametrize(
    ("period", "today"), [(Period(2026, 1, 8), None), (Period(2026, 1, 11), D(2026, 7, 20))]
)
def test_figures_match_an_independent_pandas_recomputation(db, by, period, today):
    rng = np.random.default_rng(1010)
    rows, targets = random_standardization(rng, 2500, D(2026, 7, 20))
    insert(db, "standardization", rows)
    insert(db, "standardization_targets", targets)
    document = standardization(db, period, COUNTY, by=by, today=today)
    actual = {r[by]: {k: v for k, v in r.items() if k != by} for r in document["rows"]}
    actual["合计"] = {k: v for k, v in document["total"].items() if k != by}
    expected = expected_standardization(rows, targets, period, period.as_of(today), by, ["A镇", "B镇"])
    assert set(actual) == set(expected)
    for key, figures in expected.items():
        assert actual[key] == figures, f"{by}={key!r}"
    listing = expiring_certificates(db, period, COUNTY, today=today)
    page = standardization_page(db, period, COUNTY, today=today)  # the page's one call
    assert page[by] == document and page["expiring"].equals(listing)
    assert len(listing) == expected["合计"]["expiring"]
    assert listing["expires_on"].tolist() == sorted(listing["expires_on"])
