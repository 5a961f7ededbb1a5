"""Construction projects 三同时: edge cases and an independent pandas recomputation."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from analytics.metrics.periods import Period
from analytics.metrics.projects import projects, projects_page
from tests.factories import fixture_db, insert
from tests.recompute import expected_projects, random_projects

D = dt.date
PERIOD = Period(2026, 1, 8)
COUNTY = "甲县"
LATE = D(2026, 12, 1)


@pytest.fixture
def db(empty_db):
    with fixture_db(empty_db, {COUNTY: ["A镇", "B镇"]}) as con:
        yield con


def project(pid, registered_on, evaluated_on=None, accepted_on=None, township="A镇", county=COUNTY):
    return {
        "project_id": pid,
        "county": county,
        "township": township,
        "name": f"项目{pid}",
        "registered_on": registered_on,
        "evaluated_on": evaluated_on,
        "accepted_on": accepted_on,
    }


EDGE_CASES = [
    (
        "no project: rate null, counts 0",
        [],
        LATE,
        {"projects": 0, "evaluated": 0, "evaluation_rate": None, "accepted": 0},
    ),
    (
        "evaluated or accepted after as_of does not count yet",
        [project("p1", D(2026, 3, 1), D(2026, 9, 1), D(2026, 9, 2)), project("p2", D(2026, 3, 1), D(2026, 8, 31))],
        LATE,
        {"projects": 2, "evaluated": 1, "evaluation_rate": 50.0, "accepted": 0},
    ),
    (
        "as_of is today when earlier: 1 of 8 evaluated is 12.5",
        [project(f"p{i}", D(2026, 2, 1), D(2026, 3, 1) if i == 0 else D(2026, 6, 1)) for i in range(8)],
        D(2026, 5, 1),
        {"projects": 8, "evaluated": 1, "evaluation_rate": 12.5},
    ),
    (
        "projects registered outside the period or in another county are not counted",
        [project("p1", D(2025, 3, 1), D(2025, 4, 1)), project("p2", D(2026, 9, 1)),
         project("p3", D(2026, 3, 1), county="乙县"), project("p4", D(2026, 1, 1))],
        LATE,
        {"projects": 1, "evaluated": 0, "evaluation_rate": 0.0},
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "today", "expected"), [c[1:] for c in EDGE_CASES], ids=[c[0] for c in EDGE_CASES]
)
def test_project_edge_cases(db, rows, today, expected):
    insert(db, "projects", rows)
    document = projects(db, PERIOD, COUNTY, today=today)
    assert {k: document["total"][k] for k in expected} == expected
    (a_row,) = [r for r in document["rows"] if r["township"] == "A镇"]
    assert {k: a_row[k] for k in expected} == expected  # every record here is A镇's


def test_rows_by_township_with_the_null_row_last(db):
    insert(
        db,
        "projects",
        [project("p1", D(2026, 3, 1), township=None), project("p2", D(2026, 3, 1), township="新区")],
    )
    document = projects(db, PERIOD, COUNTY, today=LATE)
    assert [r["township"] for r in document["rows"]] == ["A镇", "B镇", "新区", None]
    assert document["rows"][-1] == {"township": None, "projects": 1, "evaluated": 0, "evaluation_rate": 0.0,
                                    "accepted": 0}  # fmt: skip
    assert set(document["total"]) >= {"projects", "evaluated", "evaluation_rate", "accepted"}
    assert document["coverage"] == {"projects": "2026-03"} and document["county"] == COUNTY


@pytest.mark.parametrize(("period", "today"), [(Period(2026, 1, 8), None), (Period(2025, 6, 6), None),
                                               (Period(2026, 1, 12), D(2026, 7, 20))])  # fmt: skip
def test_figures_match_an_independent_pandas_recomputation(db, period, today):
    rows = random_projects(np.random.default_rng(42), 1500, D(2026, 7, 20))
    insert(db, "projects", rows)
    document = projects(db, period, COUNTY, today=today)
    actual = {r["township"]: {k: v for k, v in r.items() if k != "township"} for r in document["rows"]}
    actual["合计"] = {k: v for k, v in document["total"].items() if k != "township"}
    expected = expected_projects(rows, period, period.as_of(today), ["A镇", "B镇"])
    assert actual == expected
    page = projects_page(db, period, COUNTY, today=today)  # the page's one call: the period and 同期
    assert page["current"] == document
    before = expected_projects(rows, period.previous, period.previous.as_of(today), ["A镇", "B镇"])["合计"]
    assert {k: v for k, v in page["previous"]["total"].items() if k != "township"} == before
