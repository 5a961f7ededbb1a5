"""Hazards and inspections: table-driven edge cases and an independent pandas recomputation."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest

from analytics.metrics.hazards import (
    HEADLINE_COUNTS,
    HEADLINE_RATES,
    against_previous,
    hazard_monthly,
    hazard_page,
    hazards,
    inspections_by,
    listed_hazards,
    overdue_hazards,
)
from analytics.metrics.periods import Period
from tests.factories import fixture_db, hazard, insert
from tests.recompute import (
    change,
    expected_hazard_rows,
    expected_listed,
    random_hazards,
    random_inspections,
)

D = dt.date
PERIOD = Period(2026, 1, 8)  # as_of 2026-08-31 unless today is earlier
COUNTY = "甲县"
HAZARD_COLUMNS = (
    "hazard_id",
    "found_on",
    "county",
    "township",
    "department",
    "unit",
    "level",
    "deadline",
    "rectified_on",
    "order_issued",
    "reviewed_on",
)
INSPECTION_COLUMNS = ("inspection_id", "inspected_on", "county", "township", "department", "unit", "kind")


@pytest.fixture
def db(empty_db):
    """A writable connection on the empty database, with two townships of 甲县 (and one of 乙县) in regions."""
    with fixture_db(empty_db, {COUNTY: ["A镇", "B镇"], "乙县": ["C镇"]}) as con:
        yield con


def row_of(document: dict, key) -> dict:
    by = document["by"]
    matches = [r for r in document["rows"] if r[by] == key]
    assert len(matches) == 1, f"{key!r} should be exactly one row"
    return matches[0]


# (case, hazards inserted, today, {field: expected} for the A镇 row)
EDGE_CASES = [
    (
        "rectified after as_of counts as open, and overdue past its deadline",
        [hazard("h1", D(2026, 8, 1), D(2026, 8, 10), rectified_on=D(2026, 9, 2))],
        D(2026, 9, 30),
        {"found": 1, "rectified": 0, "rectification_rate": 0.0, "overdue": 1, "avg_days_to_rectify": None},
    ),
    (
        "as_of is today when today is before the period's end",
        [hazard("h1", D(2026, 3, 1), D(2026, 3, 10), rectified_on=D(2026, 6, 1))],
        D(2026, 5, 31),
        {"rectified": 0, "overdue": 1},
    ),
    (
        "rectified on as_of counts as rectified",
        [hazard("h1", D(2026, 8, 1), D(2026, 8, 10), rectified_on=D(2026, 8, 31))],
        D(2026, 12, 1),
        {"rectified": 1, "rectification_rate": 100.0, "overdue": 0, "avg_days_to_rectify": 30.0},
    ),
    (
        "deadline equal to as_of is not overdue yet, but its order is due",
        [hazard("h1", D(2026, 8, 1), D(2026, 8, 31), order=True)],
        D(2026, 12, 1),
        {"overdue": 0, "orders_issued": 1, "orders_due": 1, "reviewed": 0, "review_rate": 0.0},
    ),
    (
        "an order not yet due is issued but not due, so no review rate",
        [hazard("h1", D(2026, 8, 20), D(2026, 9, 15), order=True, reviewed_on=D(2026, 8, 25))],
        D(2026, 12, 1),
        {"orders_issued": 1, "orders_due": 0, "reviewed": 0, "review_rate": None, "overdue": 0},
    ),
    (
        "a review after as_of does not count",
        [
            hazard("h1", D(2026, 7, 1), D(2026, 7, 10), order=True, reviewed_on=D(2026, 9, 3)),
            hazard("h2", D(2026, 7, 1), D(2026, 7, 10), order=True, reviewed_on=D(2026, 7, 12)),
        ],
        D(2026, 12, 1),
        {"orders_due": 2, "reviewed": 1, "review_rate": 50.0},
    ),
    (
        "a review without an order does not count",
        [hazard("h1", D(2026, 7, 1), D(2026, 7, 10), order=False, reviewed_on=D(2026, 7, 12))],
        D(2026, 12, 1),
        {"orders_issued": 0, "orders_due": 0, "reviewed": 0, "review_rate": None},
    ),
    (
        "half-up rounding: 13 of 16 rectified is 81.25 -> 81.3",
        [
            hazard(f"h{i}", D(2026, 5, 1), D(2026, 5, 30), rectified_on=D(2026, 5, 2) if i < 13 else None)
            for i in range(16)
        ],
        D(2026, 12, 1),
        {"found": 16, "rectified": 13, "rectification_rate": 81.3, "overdue": 3},
    ),
    (
        "average days to rectify, 1 decimal half up: (0+0+0+1)/4 = 0.25 -> 0.3",
        [
            hazard("h1", D(2026, 5, 1), D(2026, 5, 30), rectified_on=D(2026, 5, 1)),
            hazard("h2", D(2026, 5, 1), D(2026, 5, 30), rectified_on=D(2026, 5, 1)),
            hazard("h3", D(2026, 5, 1), D(2026, 5, 30), rectified_on=D(2026, 5, 1)),
            hazard("h4", D(2026, 5, 1), D(2026, 5, 30), rectified_on=D(2026, 5, 2)),
            hazard("h5", D(2026, 5, 1), D(2026, 5, 30), rectified_on=D(2026, 9, 1)),
        ],
        D(2026, 12, 1),
        {"rectified": 4, "avg_days_to_rectify": 0.3, "rectification_rate": 80.0, "overdue": 1},
    ),
    (
        "major hazards counted apart, with their own rate",
        [
            hazard("h1", D(2026, 5, 1), D(2026, 5, 30), level="重大隐患", rectified_on=D(2026, 5, 3)),
            hazard("h2", D(2026, 5, 1), D(2026, 5, 30), level="重大隐患"),
            hazard("h3", D(2026, 5, 1), D(2026, 5, 30), rectified_on=D(2026, 5, 3)),
        ],
        D(2026, 12, 1),
        {"major_found": 2, "major_rectified": 1, "major_rectification_rate": 50.0, "rectified": 2},
    ),
    (
        "records outside the period or of another county are not counted",
        [
            hazard("h1", D(2025, 8, 1), D(2025, 8, 10)),
            hazard("h2", D(2026, 9, 1), D(2026, 9, 10)),
            hazard("h3", D(2026, 8, 1), D(2026, 8, 10), county="乙县"),
            hazard("h4", D(2026, 1, 1), D(2026, 1, 10)),
        ],
        D(2026, 12, 1),
        {"found": 1, "overdue": 1},
    ),
    (
        "一般隐患 is found less major_found",
        [
            hazard("h1", D(2026, 5, 1), D(2026, 5, 30), level="重大隐患"),
            hazard("h2", D(2026, 5, 1), D(2026, 5, 30)),
            hazard("h3", D(2026, 5, 1), D(2026, 5, 30)),
        ],
        D(2026, 12, 1),
        {"found": 3, "major_found": 1, "general_found": 2},
    ),
    (
        "挂牌督办: closed on as_of counts as closed; closed after as_of is open and overdue past its deadline",
        [
            hazard("h1", D(2026, 5, 1), D(2026, 5, 30), level="重大隐患", listed_level="县级",
                   rectified_on=D(2026, 5, 20), closed_on=D(2026, 8, 31)),
            hazard("h2", D(2026, 5, 1), D(2026, 5, 30), level="重大隐患", listed_level="市级",
                   rectified_on=D(2026, 5, 20), closed_on=D(2026, 9, 1)),
            hazard("h3", D(2026, 5, 1), D(2026, 5, 30), level="重大隐患"),
        ],
        D(2026, 12, 1),
        {"listed": 2, "listed_closed": 1, "closure_rate": 50.0, "listed_overdue": 1, "overdue": 1},
    ),
    (
        "挂牌督办: a deadline on as_of is not overdue yet; 1 of 3 closed is 33.3%",
        [
            hazard("h1", D(2026, 8, 1), D(2026, 8, 31), level="重大隐患", listed_level="省级"),
            hazard("h2", D(2026, 8, 1), D(2026, 8, 30), level="重大隐患", listed_level="省级",
                   rectified_on=D(2026, 8, 29)),
            hazard("h3", D(2026, 8, 1), D(2026, 8, 2), level="重大隐患", listed_level="县级",
                   rectified_on=D(2026, 8, 2), closed_on=D(2026, 8, 3)),
        ],
        D(2026, 12, 1),
        {"listed": 3, "listed_closed": 1, "closure_rate": 33.3, "listed_overdue": 1, "overdue": 0},
    ),
    (
        "no listed hazard: closure rate null, never 0",
        [hazard("h1", D(2026, 5, 1), D(2026, 5, 30), level="重大隐患")],
        D(2026, 12, 1),
        {"listed": 0, "listed_closed": 0, "closure_rate": None, "listed_overdue": 0},
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "today", "expected"), [c[1:] for c in EDGE_CASES], ids=[c[0] for c in EDGE_CASES]
)
def test_hazard_edge_cases(db, rows, today, expected):
    insert(db, "hazards", rows)
    document = hazards(db, PERIOD, COUNTY, today=today)
    a_row = row_of(document, "A镇")
    assert {k: a_row[k] for k in expected} == expected
    # All records here are A镇's, so the county total says the same.
    assert {k: document["total"][k] for k in expected} == expected


def test_township_without_records_has_zeros_and_null_rates(db):
    insert(db, "hazards", [hazard("h1", D(2026, 5, 1), D(2026, 5, 30))])
    document = hazards(db, PERIOD, COUNTY, today=D(2026, 12, 1))
    assert [r["township"] for r in document["rows"]] == ["A镇", "B镇"]
    b_row = row_of(document, "B镇")
    assert b_row == {
        "township": "B镇",
        "found": 0,
        "rectified": 0,
        "rectification_rate": None,
        "major_found": 0,
        "major_rectified": 0,
        "major_rectification_rate": None,
        "overdue": 0,
        "orders_issued": 0,
        "orders_due": 0,
        "reviewed": 0,
        "review_rate": None,
        "avg_days_to_rectify": None,
        "inspections": 0,
        "units_inspected": 0,
        "general_found": 0,
        "listed": 0,
        "listed_closed": 0,
        "closure_rate": None,
        "listed_overdue": 0,
        "sectors_inspected": None,
    }


def test_empty_township_is_one_null_row_last_and_counts_in_total(db):
    insert(
        db,
        "hazards",
        [
            hazard("h1", D(2026, 5, 1), D(2026, 5, 30), township=None),
            hazard("h2", D(2026, 5, 1), D(2026, 5, 30), township=None),
            hazard("h3", D(2026, 5, 1), D(2026, 5, 30), township="Z村", rectified_on=D(2026, 5, 2)),
            hazard("h4", D(2026, 5, 1), D(2026, 5, 30), township="A镇"),
        ],
    )
    document = hazards(db, PERIOD, COUNTY, today=D(2026, 12, 1))
    # regions order by name, a township seen only in records among them, the null row last
    assert [r["township"] for r in document["rows"]] == ["A镇", "B镇", "Z村", None]
    assert row_of(document, None)["found"] == 2
    assert document["total"]["found"] == 4
    assert document["total"]["rectification_rate"] == 25.0
    assert document["total"]["township"] == "合计"


def test_document_shape(db):
    document = hazards(db, PERIOD, COUNTY, by="department", today=D(2026, 6, 15))
    assert document["period"] == {
        "year": 2026,
        "months": [1, 8],
        "start": "2026-01-01",
        "end": "2026-08-31",
        "as_of": "2026-06-15",
    }
    assert document["county"] == COUNTY
    assert document["rows"] == []  # no department exists without a record
    assert list(document["total"]) == [
        "department",
        "found",
        "rectified",
        "rectification_rate",
        "major_found",
        "major_rectified",
        "major_rectification_rate",
        "overdue",
        "orders_issued",
        "orders_due",
        "reviewed",
        "review_rate",
        "avg_days_to_rectify",
        "inspections",
        "units_inspected",
        "general_found",
        "listed",
        "listed_closed",
        "closure_rate",
        "listed_overdue",
        "sectors_inspected",
    ]
    assert document["by_listed_level"] == [
        {"listed_level": level, "listed": 0, "listed_closed": 0, "closure_rate": None, "listed_overdue": 0}
        for level in ("县级", "市级", "省级")
    ]
    with pytest.raises(ValueError):
        hazards(db, PERIOD, COUNTY, by="unit")


def test_inspections_distinct_units_per_group_and_over_the_county(db):
    insert(
        db,
        "inspections",
        [
            {"inspection_id": "i1", "inspected_on": D(2026, 2, 1), "county": COUNTY, "township": "A镇",
             "department": "应急管理局", "unit": "甲厂", "kind": "日常检查"},
            {"inspection_id": "i2", "inspected_on": D(2026, 3, 1), "county": COUNTY, "township": "A镇",
             "department": "应急管理局", "unit": "甲厂", "kind": "复查"},
            {"inspection_id": "i3", "inspected_on": D(2026, 3, 1), "county": COUNTY, "township": "B镇",
             "department": "住建局", "unit": "甲厂", "kind": None},
            {"inspection_id": "i4", "inspected_on": D(2026, 3, 2), "county": COUNTY, "township": "B镇",
             "department": "住建局", "unit": "乙厂", "kind": "日常检查"},
            {"inspection_id": "i5", "inspected_on": D(2025, 3, 2), "county": COUNTY, "township": "B镇",
             "department": "住建局", "unit": "丙厂", "kind": "日常检查"},
        ],
    )  # fmt: skip
    document = hazards(db, PERIOD, COUNTY, today=D(2026, 12, 1))
    assert (row_of(document, "A镇")["inspections"], row_of(document, "A镇")["units_inspected"]) == (2, 1)
    assert (row_of(document, "B镇")["inspections"], row_of(document, "B镇")["units_inspected"]) == (2, 2)
    # 甲厂 was inspected in both townships: the county counts it once.
    assert (document["total"]["inspections"], document["total"]["units_inspected"]) == (4, 2)
    assert document["total"]["found"] == 0 and document["total"]["rectification_rate"] is None

    by_kind = inspections_by(db, PERIOD, COUNTY, by="kind").fillna({"kind": "未填"})
    assert by_kind.to_dict("records") == [
        {"kind": "日常检查", "inspections": 2, "units_inspected": 2},
        {"kind": "复查", "inspections": 1, "units_inspected": 1},
        {"kind": "未填", "inspections": 1, "units_inspected": 1},
    ]
    by_department = inspections_by(db, PERIOD, COUNTY, by="department")
    assert by_department.to_dict("records") == [
        {"department": name, "inspections": 2, "units_inspected": units}
        for name, units in sorted([("应急管理局", 1), ("住建局", 2)])
    ]


def test_overdue_list_holds_overdue_and_open_major_hazards_most_overdue_first(db):
    insert(
        db,
        "hazards",
        [
            hazard("late", D(2026, 3, 1), D(2026, 3, 10)),
            hazard("later", D(2026, 2, 1), D(2026, 2, 10), township=None),
            hazard("major-open", D(2026, 8, 20), D(2026, 9, 30), level="重大隐患"),
            hazard("major-done", D(2026, 8, 1), D(2026, 8, 5), level="重大隐患", rectified_on=D(2026, 8, 6)),
            hazard("not-late", D(2026, 8, 20), D(2026, 9, 30)),
            hazard("fixed-late", D(2026, 3, 1), D(2026, 3, 10), rectified_on=D(2026, 9, 5)),
        ],
    )
    listed = overdue_hazards(db, PERIOD, COUNTY, today=D(2026, 12, 1))
    assert list(listed.columns) == [
        "hazard_id",
        "unit",
        "township",
        "department",
        "level",
        "found_on",
        "deadline",
        "days_overdue",
    ]
    assert list(listed["hazard_id"]) == ["later", "fixed-late", "late", "major-open"]
    assert list(listed["days_overdue"]) == [202, 174, 174, 0]
    assert listed["township"].isna().tolist() == [True, False, False, False]
    assert len(overdue_hazards(db, PERIOD, COUNTY, today=D(2026, 12, 1), limit=2)) == 2


def test_monthly_trend_adds_up_to_the_period(db):
    insert(
        db,
        "hazards",
        [
            hazard("h1", D(2026, 1, 5), D(2026, 1, 20), rectified_on=D(2026, 1, 9)),
            hazard("h2", D(2026, 1, 25), D(2026, 2, 20), rectified_on=D(2026, 3, 9)),
            hazard("h3", D(2026, 3, 5), D(2026, 3, 20)),
            hazard("h4", D(2026, 3, 5), D(2026, 3, 20), rectified_on=D(2026, 4, 2)),
        ],
    )
    monthly = hazard_monthly(db, 2026, COUNTY, today=D(2026, 12, 1), last_month=3)
    assert monthly["month"].tolist() == [1, 2, 3]
    assert monthly["found"].tolist() == [2, 0, 2]
    # As of 3月31日 h4 (rectified 4月2日) is still open.
    assert monthly["rectified"].tolist() == [2, 0, 0]
    assert monthly["rectification_rate"].tolist()[0] == 100.0
    assert pd.isna(monthly["rectification_rate"].tolist()[1])
    total = hazards(db, Period(2026, 1, 3), COUNTY, today=D(2026, 12, 1))["total"]
    assert (total["found"], total["rectified"]) == (monthly["found"].sum(), monthly["rectified"].sum())


# ---------------------------------------------------------------- independent recomputation


def random_ledgers(db, seed: int, today: D | None) -> tuple[list, list]:
    """3,000 random hazards and 1,500 inspections up to `today` (or 2026-07-20), inserted into `db`."""
    today_for_data = today or D(2026, 7, 20)
    rng = np.random.default_rng(seed)
    hazard_rows = random_hazards(rng, 3000, today_for_data)
    inspection_rows = random_inspections(rng, 1500, today_for_data)
    insert(db, "hazards", hazard_rows)
    insert(db, "inspections", inspection_rows)
    return hazard_rows, inspection_rows


@pytest.mark.parametrize("by", ["township", "department"])
@pytest.mark.parametrize(
    ("period", "today"), [(Period(2026, 1, 8), D(2026, 7, 20)), (Period(2025, 3, 5), None)]
)
def test_figures_match_an_independent_pandas_recomputation(db, by, period, today):
    hazard_rows, inspection_rows = random_ledgers(db, 20260828, today)

    document = hazards(db, period, COUNTY, by=by, today=today)
    expected = expected_hazard_rows(
        hazard_rows, inspection_rows, period, period.as_of(today), by, ["A镇", "B镇"]
    )

    actual = {r[by]: {k: v for k, v in r.items() if k != by} for r in document["rows"]}
    actual["合计"] = {k: v for k, v in document["total"].items() if k != by}
    assert set(actual) == set(expected)
    for key, figures in expected.items():
        assert actual[key] == figures, f"{by}={key!r}"
    named = [r[by] for r in document["rows"] if r[by] is not None]
    assert named == sorted(named)
    if by == "township":  # the data hold empty townships: their row comes last
        assert document["rows"][-1][by] is None


@pytest.mark.parametrize(
    ("period", "today"), [(Period(2026, 1, 8), D(2026, 7, 20)), (Period(2026, 3, 5), None)]
)
def test_page_scan_gives_each_document_as_the_separate_calls_and_the_recomputation(db, period, today):
    hazard_rows, inspection_rows = random_ledgers(db, 20261202, today)

    page = hazard_page(db, period, COUNTY, today=today)
    for by in ("township", "department"):
        assert page[by] == hazards(db, period, COUNTY, by=by, today=today)
    for by in ("department", "kind"):
        assert page["inspections"][by].equals(inspections_by(db, period, COUNTY, by=by))
    assert page["previous"] == hazards(db, period.previous, COUNTY, today=today)
    for shown, when in ((page["township"], period), (page["previous"], period.previous)):
        expected = expected_hazard_rows(
            hazard_rows, inspection_rows, when, when.as_of(today), "township", ["A镇", "B镇"]
        )
        assert {k: v for k, v in shown["total"].items() if k != "township"} == expected["合计"]
        assert shown["total"]["found"] > 0  # both periods hold hazards, so the comparison means something


def test_against_previous_gives_counts_a_change_pct_and_rates_points():
    now = {
        "found": 12,
        "major_found": 3,
        "overdue": 2,
        "inspections": 0,
        "rectification_rate": 75.0,
        "major_rectification_rate": None,
        "review_rate": 100.0,
    }
    before = {"found": 14, "major_found": 0, "overdue": 2, "inspections": 0, "rectification_rate": 80.5,
              "major_rectification_rate": 50.0, "review_rate": 66.7}  # fmt: skip
    figures = against_previous(now, before)
    assert {name: figures[name]["change_pct"] for name in HEADLINE_COUNTS} == {
        "found": -14.3, "major_found": None, "overdue": 0.0, "inspections": 0.0,  # None: 新增
    }  # fmt: skip
    assert {name: figures[name]["change_points"] for name in HEADLINE_RATES} == {
        "rectification_rate": -5.5, "major_rectification_rate": None, "review_rate": 33.3,
    }  # fmt: skip


def test_against_previous_matches_an_independent_pandas_recomputation(db):
    rng = np.random.default_rng(77)
    today = D(2026, 9, 15)
    hazard_rows, inspection_rows = random_hazards(rng, 2500, today), random_inspections(rng, 1200, today)
    insert(db, "hazards", hazard_rows)
    insert(db, "inspections", inspection_rows)
    total = hazards(db, PERIOD, COUNTY, today=today)["total"]
    previous = hazards(db, PERIOD.previous, COUNTY, today=today)["total"]
    figures = against_previous(total, previous)

    def expected(period):
        return expected_hazard_rows(
            hazard_rows, inspection_rows, period, period.as_of(today), "township", []
        )["合计"]

    now, before = expected(PERIOD), expected(PERIOD.previous)
    for name in HEADLINE_COUNTS:
        assert figures[name]["value"] == now[name] and figures[name]["previous"] == before[name]
        assert figures[name]["change_pct"] == change(now[name], before[name]), name
    for name in HEADLINE_RATES:
        want = None
        if now[name] is not None and before[name] is not None:
            want = float(
                (Decimal(str(now[name])) - Decimal(str(before[name]))).quantize(Decimal("0.1"), ROUND_HALF_UP)
            )
        assert figures[name]["change_points"] == want, name


def test_by_listed_level_and_the_listed_list_as_of_as_of(db):
    insert(
        db,
        "hazards",
        [
            hazard("h1", D(2026, 3, 1), D(2026, 3, 30), level="重大隐患", listed_level="县级",
                   rectified_on=D(2026, 3, 20), closed_on=D(2026, 4, 1), township=None),
            hazard("h2", D(2026, 3, 1), D(2026, 6, 30), level="重大隐患", listed_level="县级"),
            hazard("h3", D(2026, 3, 1), D(2026, 5, 31), level="重大隐患", listed_level="市级",
                   rectified_on=D(2026, 7, 1), closed_on=D(2026, 7, 2)),
            hazard("h4", D(2026, 3, 1), D(2026, 7, 20), level="重大隐患", listed_level="市级"),
            hazard("h5", D(2026, 3, 1), D(2026, 3, 2), level="重大隐患"),
            hazard("h6", D(2025, 3, 1), D(2025, 3, 2), level="重大隐患", listed_level="省级"),
        ],
    )  # fmt: skip
    today = D(2026, 6, 30)  # as_of: h3's rectification and closing are still to come
    document = hazards(db, PERIOD, COUNTY, today=today)
    assert document["by_listed_level"] == [
        {"listed_level": "县级", "listed": 2, "listed_closed": 1, "closure_rate": 50.0, "listed_overdue": 0},
        {"listed_level": "市级", "listed": 2, "listed_closed": 0, "closure_rate": 0.0, "listed_overdue": 1},
        {"listed_level": "省级", "listed": 0, "listed_closed": 0, "closure_rate": None, "listed_overdue": 0},
    ]
    listed = listed_hazards(db, PERIOD, COUNTY, today=today)
    assert list(listed.columns) == [
        "hazard_id", "unit", "township", "listed_level", "found_on", "deadline",
        "rectified_on", "closed_on", "status", "days_overdue",
    ]  # fmt: skip
    # open first, most days overdue first, then by deadline; closed last
    assert listed["hazard_id"].tolist() == ["h3", "h2", "h4", "h1"]
    assert listed["status"].tolist() == ["未销号", "未销号", "未销号", "已销号"]
    assert [None if pd.isna(v) else int(v) for v in listed["days_overdue"]] == [30, None, None, None]
    h3 = listed.iloc[0]
    assert pd.isna(h3["rectified_on"]) and pd.isna(h3["closed_on"])  # after as_of: not yet, as of then
    assert pd.isna(listed.iloc[3]["township"]) and listed.iloc[3]["closed_on"] == D(2026, 4, 1)


def test_sectors_inspected_counts_distinct_sectors_and_is_null_without_any(db):
    def visit(i, township, sector, day=None):
        day = day or D(2026, 3, 1)
        return {"inspection_id": f"i{i}", "inspected_on": day, "county": COUNTY, "township": township,
                "department": "应急管理局", "unit": f"厂{i}", "sector": sector}  # fmt: skip

    insert(
        db,
        "inspections",
        [
            visit(1, "A镇", "工业"),
            visit(2, "A镇", "工业"),
            visit(3, "A镇", "商贸"),
            visit(4, "B镇", None),
            visit(5, None, "矿山"),
            visit(6, "B镇", "烟花爆竹", day=D(2025, 3, 1)),
        ],
    )
    document = hazards(db, PERIOD, COUNTY, today=D(2026, 12, 1))
    assert row_of(document, "A镇")["sectors_inspected"] == 2
    assert row_of(document, "B镇")["sectors_inspected"] is None  # its one inspection carries no sector
    assert row_of(document, None)["sectors_inspected"] == 1
    assert document["total"]["sectors_inspected"] == 3


@pytest.mark.parametrize("today", [D(2026, 7, 20), D(2026, 3, 31)])
def test_listed_figures_match_an_independent_pandas_recomputation(db, today):
    rng = np.random.default_rng(4242)
    hazard_rows = random_hazards(rng, 3000, D(2026, 7, 20))
    insert(db, "hazards", hazard_rows)
    document = hazards(db, PERIOD, COUNTY, today=today)
    levels, expected_list = expected_listed(hazard_rows, PERIOD, PERIOD.as_of(today))
    assert document["by_listed_level"] == levels
    listed = listed_hazards(db, PERIOD, COUNTY, today=today)
    assert sorted(listed["hazard_id"]) == sorted(expected_list["hazard_id"])
    merged = listed.merge(expected_list, on="hazard_id", suffixes=("", "_expected"))
    assert (merged["status"] == merged["status_expected"]).all()
    actual_days = [None if pd.isna(v) else int(v) for v in merged["days_overdue"]]
    expected_days = [None if pd.isna(v) else int(v) for v in merged["days_overdue_expected"]]
    assert actual_days == expected_days
    open_part = listed[listed["status"] == "未销号"]
    assert listed["status"].tolist() == sorted(listed["status"].tolist(), key=lambda s: s == "已销号")
    days = open_part["days_overdue"].fillna(-1).tolist()
    assert days == sorted(days, reverse=True)
