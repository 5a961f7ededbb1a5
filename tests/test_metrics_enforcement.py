"""Enforcement: 同比 edge cases, breakdowns and an independent pandas recomputation."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analytics.contract.datasets import MEASURES
from analytics.metrics.enforcement import (
    enforcement,
    enforcement_by_measure,
    enforcement_monthly,
    top_department,
)
from analytics.metrics.periods import Period
from tests.factories import case, fixture_db, insert
from tests.recompute import expected_case_rows as expected_rows
from tests.recompute import random_cases

D = dt.date
PERIOD = Period(2026, 1, 8)
COUNTY = "甲县"


@pytest.fixture
def db(empty_db):
    with fixture_db(empty_db, {COUNTY: ["A镇", "B镇"]}) as con:
        yield con


def row_of(document: dict, key) -> dict:
    by = document["by"]
    (row,) = [r for r in document["rows"] if r[by] == key]
    return row


# (case, cases inserted, expected fields of the A镇 row)
EDGE_CASES = [
    (
        "同期 0 and now 0: change 0.0 (持平)",
        [],
        {"cases": 0, "fine_wan": 0.0, "previous": {"cases": 0, "fine_wan": 0.0},
         "change_pct": {"cases": 0.0, "fine_wan": 0.0}},
    ),
    (
        "同期 0 and now above 0: change null (新增)",
        [case("c1", D(2026, 3, 1), fine=2.5)],
        {"cases": 1, "fine_wan": 2.5, "previous": {"cases": 0, "fine_wan": 0.0},
         "change_pct": {"cases": None, "fine_wan": None}},
    ),
    (
        "now 0 against 同期: down 100%",
        [case("c1", D(2025, 3, 1), fine=2.5)],
        {"cases": 0, "previous": {"cases": 1, "fine_wan": 2.5}, "change_pct": {"cases": -100.0, "fine_wan": -100.0}},
    ),
    (
        "同比 rounds half up: 3 cases against 8 is -62.5%; fines 1.125 show 1.13, 同比 from the exact 1.125",
        [case(f"p{i}", D(2025, 5, 1), fine=0.125) for i in range(8)]
        + [case(f"c{i}", D(2026, 5, 1), fine=0.375) for i in range(3)],
        {"cases": 3, "fine_wan": 1.13, "previous": {"cases": 8, "fine_wan": 1.0},
         "change_pct": {"cases": -62.5, "fine_wan": 12.5}},
    ),
    (
        "suspensions and closures counted by measure; an empty fine is 0",
        [
            case("c1", D(2026, 2, 1), measure="责令停产停业整改"),
            case("c2", D(2026, 2, 1), measure="取缔关闭"),
            case("c3", D(2026, 2, 1), measure="取缔关闭", fine=1),
            case("c4", D(2025, 2, 1), measure="取缔关闭"),
        ],
        {"cases": 3, "fine_wan": 1.0, "suspensions": 1, "closures": 2, "previous": {"cases": 1, "fine_wan": 0.0}},
    ),
    (
        "cases outside both periods or of another county are not counted",
        [
            case("c1", D(2026, 9, 1)),
            case("c2", D(2025, 9, 1)),
            case("c3", D(2024, 3, 1)),
            case("c4", D(2026, 3, 1), county="乙县"),
            case("c5", D(2026, 8, 31)),
            case("c6", D(2025, 1, 1)),
        ],
        {"cases": 1, "previous": {"cases": 1, "fine_wan": 0.0}, "change_pct": {"cases": 0.0, "fine_wan": 0.0}},
    ),


    (
        "作出行政处罚: every measure of the 行政处罚法, not 责令限期整改 (an order) nor 移送司法机关",
        [case(f"c{i}", D(2026, 4, 1), measure=m) for i, m in enumerate(MEASURES)]
        + [case("p1", D(2025, 4, 1), measure="警告"), case("p2", D(2025, 4, 1), measure="责令限期整改")],
        {"cases": 7, "penalties": 5, "previous": {"cases": 2, "penalties": 1},
         "change_pct": {"cases": 250.0, "penalties": 400.0}},
    ),
    (
        "penalties: 同期 0 and now above 0 is null (新增); none in either year is 0.0 (持平)",
        [case("c1", D(2026, 4, 1), measure="暂扣吊销证照"), case("p1", D(2025, 4, 1), measure="移送司法机关")],
        {"penalties": 1, "previous": {"penalties": 0}, "change_pct": {"cases": 0.0, "penalties": None}},
    ),
    (
        "penalties: now none against 同期 is down 100%",
        [case("c1", D(2026, 4, 1), measure="责令限期整改"), case("p1", D(2025, 4, 1), measure="取缔关闭")],
        {"penalties": 0, "previous": {"penalties": 1}, "change_pct": {"penalties": -100.0}},
    ),
]  # fmt: skip


def subset(row: dict, expected: dict) -> dict:
    """The row's fields named in `expected`; of a nested block (previous, change_pct), only the keys named."""
    return {k: {n: row[k][n] for n in v} if isinstance(v, dict) else row[k] for k, v in expected.items()}


@pytest.mark.parametrize(("rows", "expected"), [c[1:] for c in EDGE_CASES], ids=[c[0] for c in EDGE_CASES])
def test_enforcement_edge_cases(db, rows, expected):
    insert(db, "enforcement", rows)
    document = enforcement(db, PERIOD, COUNTY, by="township", today=D(2026, 12, 1))
    a_row = row_of(document, "A镇")
    assert subset(a_row, expected) == expected
    assert subset(document["total"], expected) == expected


def test_rows_include_regions_previous_only_groups_and_the_null_township_last(db):
    insert(
        db,
        "enforcement",
        [
            case("c1", D(2026, 3, 1), township=None, department="住建局"),
            case("c2", D(2026, 3, 1), township=None, department="住建局"),
            case("c3", D(2025, 3, 1), township="旧镇", department="交通运输局"),
        ],
    )
    by_township = enforcement(db, PERIOD, COUNTY, by="township")
    assert [r["township"] for r in by_township["rows"]] == ["A镇", "B镇", "旧镇", None]
    assert row_of(by_township, None)["cases"] == 2
    assert row_of(by_township, "旧镇")["change_pct"]["cases"] == -100.0
    assert row_of(by_township, "B镇")["cases"] == 0
    by_department = enforcement(db, PERIOD, COUNTY, by="department")
    assert [r["department"] for r in by_department["rows"]] == sorted(["住建局", "交通运输局"])
    assert by_department["total"] == {
        "department": "合计",
        "cases": 2,
        "fine_wan": 0.0,
        "suspensions": 0,
        "closures": 0,
        "penalties": 2,
        "previous": {"cases": 1, "fine_wan": 0.0, "penalties": 1},
        "change_pct": {"cases": 100.0, "fine_wan": 0.0, "penalties": 100.0},
    }
    assert by_department["period"]["months"] == [1, 8] and by_department["county"] == COUNTY


def test_by_measure_lists_every_measure_in_contract_order(db):
    insert(
        db,
        "enforcement",
        [
            case("c1", D(2026, 3, 1), fine=1.5),
            case("c2", D(2025, 3, 1), measure="警告"),
            case("c3", D(2026, 4, 1)),
        ],
    )
    table = enforcement_by_measure(db, PERIOD, COUNTY)
    assert table["measure"].tolist() == list(MEASURES)
    fine = table.set_index("measure").loc["罚款"]
    assert (fine["cases"], fine["fine_wan"], fine["previous_cases"]) == (2, 1.5, 0)
    assert pd.isna(fine["cases_change_pct"])
    warning = table.set_index("measure").loc["警告"]
    assert (warning["cases"], warning["previous_cases"], warning["cases_change_pct"]) == (0, 1, -100.0)


def test_monthly_sets_this_year_beside_last_year(db):
    insert(
        db,
        "enforcement",
        [
            case("c1", D(2026, 1, 31), fine=1.005),
            case("c2", D(2026, 1, 2), fine=1),
            case("c3", D(2025, 1, 15), fine=3),
            case("c4", D(2025, 12, 15), fine=3),
            case("c5", D(2026, 2, 1), county="乙县"),
        ],
    )
    monthly = enforcement_monthly(db, 2026, COUNTY, last_month=2)
    assert monthly.to_dict("records") == [
        {"month": 1, "cases": 2, "fine_wan": 2.01, "previous_cases": 1, "previous_fine_wan": 3.0},
        {"month": 2, "cases": 0, "fine_wan": 0.0, "previous_cases": 0, "previous_fine_wan": 0.0},
    ]
    assert len(enforcement_monthly(db, 2026, COUNTY)) == 12


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], None),
        ([("住建局", 0, 0.0)], None),  # no case: no department to name
        ([("住建局", 2, 1.0), ("应急管理局", 3, 0.0)], "应急管理局"),
        ([("住建局", 3, 1.5), ("应急管理局", 3, 0.5)], "住建局"),  # same cases: the larger fines
        ([("住建局", 3, 1.0), ("应急管理局", 3, 1.0)], "住建局"),  # all the same: the first in order
        ([(None, 9, 9.0), ("住建局", 1, 0.0)], "住建局"),  # records without a department are never named
    ],
)
def test_top_department(rows, expected):
    document_rows = [{"department": d, "cases": c, "fine_wan": f} for d, c, f in rows]
    top = top_department(document_rows)
    assert (None if top is None else top["department"]) == expected


def test_top_department_matches_pandas(db):
    rows = random_cases(np.random.default_rng(5), 1500)
    insert(db, "enforcement", rows)
    document = enforcement(db, Period(2026, 1, 8), COUNTY, by="department")
    frame = pd.DataFrame(rows)
    frame["filed_on"] = pd.to_datetime(frame["filed_on"])
    frame = frame[(frame["county"] == COUNTY) & frame["filed_on"].between("2026-01-01", "2026-08-31")]
    frame = frame[frame["department"].notna()]
    sums = frame.groupby("department").agg(cases=("case_id", "size"), fine=("fine_wan", "sum"))
    expected = sums.sort_values(["cases", "fine"], ascending=False).index[0]
    assert top_department(document["rows"])["department"] == expected


# ---------------------------------------------------------------- independent recomputation


@pytest.mark.parametrize("by", ["department", "township"])
@pytest.mark.parametrize("period", [Period(2026, 1, 8), Period(2026, 7, 7)])
def test_figures_match_an_independent_pandas_recomputation(db, by, period):
    rows = random_cases(np.random.default_rng(7), 2500)
    insert(db, "enforcement", rows)
    document = enforcement(db, period, COUNTY, by=by)
    actual = {r[by]: {k: v for k, v in r.items() if k != by} for r in document["rows"]}
    actual["合计"] = {k: v for k, v in document["total"].items() if k != by}
    expected = expected_rows(rows, period, by)
    assert set(actual) == set(expected)
    for key, figures in expected.items():
        assert actual[key] == figures, f"{by}={key!r}"
