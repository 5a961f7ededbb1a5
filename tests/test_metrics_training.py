"""Training coverage: targets rule, pass rate, gaps, and an independent pandas recomputation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from analytics.contract.datasets import TRAINING_CATEGORIES
from analytics.metrics.periods import Period
from analytics.metrics.training import (
    COUNTY_WIDE,
    against_previous,
    behind_time_progress,
    gap_to_time_progress,
    lagging_rows,
    still_to_train,
    time_progress,
    township_table,
    training,
    training_gaps,
    training_page,
)
from tests.factories import fixture_db, insert, session, target
from tests.recompute import expected_training_rows as expected_rows
from tests.recompute import random_training

D = dt.date
PERIOD = Period(2026, 1, 8)
COUNTY = "甲县"
BOSS, MANAGER, SPECIAL = TRAINING_CATEGORIES[:3]  # 主要负责人, 安全管理人员, 特种作业人员


@pytest.fixture
def db(empty_db):
    with fixture_db(empty_db, {COUNTY: ["A镇", "B镇"]}) as con:
        yield con


def rows_by_key(document: dict) -> dict:
    by = document["by"]
    return {r[by]: r for r in document["rows"]}


def test_county_required_takes_the_county_wide_row_else_the_sum_of_townships(db):
    insert(
        db,
        "training_targets",
        [
            target(BOSS, 100),  # county-wide row wins over the townships' 30 + 40
            target(BOSS, 30, township="A镇"),
            target(BOSS, 40, township="B镇"),
            target(MANAGER, 25, township="A镇"),  # no county-wide row: 25 + 15
            target(MANAGER, 15, township="B镇"),
            target(SPECIAL, 999, year=2025),  # another year
            target(SPECIAL, 999, county="乙县"),  # another county
        ],
    )
    insert(
        db,
        "training",
        [session("s1", D(2026, 3, 1), BOSS, trainees=50), session("s2", D(2026, 3, 1), MANAGER, 20)],
    )
    by_category = rows_by_key(training(db, PERIOD, COUNTY, by="category"))
    assert list(by_category) == list(TRAINING_CATEGORIES)
    assert (by_category[BOSS]["required"], by_category[BOSS]["coverage_pct"]) == (100, 50.0)
    assert (by_category[MANAGER]["required"], by_category[MANAGER]["coverage_pct"]) == (40, 50.0)
    assert (by_category[SPECIAL]["required"], by_category[SPECIAL]["coverage_pct"]) == (0, None)

    by_township = training(db, PERIOD, COUNTY, by="township")
    townships = rows_by_key(by_township)
    assert list(townships) == ["A镇", "B镇"]
    assert (townships["A镇"]["required"], townships["A镇"]["trained"], townships["A镇"]["coverage_pct"]) == (
        55,
        70,
        127.3,  # coverage may exceed 100
    )
    assert (townships["B镇"]["required"], townships["B镇"]["trained"], townships["B镇"]["coverage_pct"]) == (
        55,
        0,
        0.0,
    )
    assert by_township["total"] == {
        "township": "合计",
        "sessions": 2,
        "trained": 70,
        "passed": 0,
        "required": 140,
        "coverage_pct": 50.0,
        "pass_rate": None,
    }


def test_pass_rate_counts_only_sessions_that_report_passed(db):
    insert(
        db,
        "training",
        [
            session("s1", D(2026, 3, 1), trainees=10, passed=8),
            session("s2", D(2026, 3, 2), trainees=30, passed=None),
            session("s3", D(2026, 3, 3), trainees=6, passed=5),
        ],
    )
    row = rows_by_key(training(db, PERIOD, COUNTY))["A镇"]
    assert (row["trained"], row["passed"], row["pass_rate"]) == (46, 13, 81.3)  # 13/16 = 81.25 -> 81.3


def test_township_without_records_and_the_null_township_row(db):
    insert(db, "training_targets", [target(BOSS, 20)])
    insert(
        db,
        "training",
        [
            session("s1", D(2026, 3, 1), township=None, trainees=4, passed=4),
            session("s2", D(2026, 3, 1), township=None, trainees=6),
            session("s3", D(2025, 3, 1), township=None, trainees=99),
        ],
    )
    document = training(db, PERIOD, COUNTY)
    assert [r["township"] for r in document["rows"]] == ["A镇", "B镇", None]
    townships = rows_by_key(document)
    assert townships["B镇"] == {
        "township": "B镇",
        "sessions": 0,
        "trained": 0,
        "passed": 0,
        "required": 0,
        "coverage_pct": None,
        "pass_rate": None,
    }
    # No target belongs to records without a township: required null, coverage null.
    assert townships[None] == {
        "township": None,
        "sessions": 2,  # an empty and a blank township are both records without a township
        "trained": 10,
        "passed": 4,
        "required": None,
        "coverage_pct": None,
        "pass_rate": 100.0,
    }
    assert (
        document["total"]["trained"],
        document["total"]["required"],
        document["total"]["coverage_pct"],
    ) == (
        10,
        20,
        50.0,
    )


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (Period(2026, 1, 8), 66.7),
        (Period(2026, 1, 12), 100.0),
        (Period(2026, 3, 3), 25.0),
        (Period(2026, 1, 1), 8.3),
    ],
)
def test_time_progress_is_last_month_over_twelve(period, expected):
    assert time_progress(period) == expected


def test_gaps_list_pairs_behind_time_progress_furthest_first(db):
    insert(
        db,
        "training_targets",
        [
            target(BOSS, 100, township="A镇"),  # 10% done: 56.7 points behind
            target(MANAGER, 10, township="A镇"),  # 9 of 10: ahead of 66.7%
            target(BOSS, 40, township="B镇"),  # 20 of 40: 16.7 behind
            target(SPECIAL, 0, township="B镇"),  # no target: never a gap
            target(SPECIAL, 50),  # county-wide rows are not township pairs
        ],
    )
    insert(
        db,
        "training",
        [
            session("s1", D(2026, 2, 1), BOSS, 10, township="A镇"),
            session("s2", D(2026, 2, 1), MANAGER, 9, township="A镇"),
            session("s3", D(2026, 2, 1), BOSS, 20, township="B镇"),
        ],
    )
    gaps = training_gaps(db, PERIOD, COUNTY)
    assert gaps.to_dict("records") == [
        {"township": "A镇", "category": BOSS, "trained": 10, "required": 100, "coverage_pct": 10.0,
         "time_progress": 66.7, "gap": 56.7},
        {"township": "B镇", "category": BOSS, "trained": 20, "required": 40, "coverage_pct": 50.0,
         "time_progress": 66.7, "gap": 16.7},
    ]  # fmt: skip
    assert len(training_gaps(db, PERIOD, COUNTY, limit=1)) == 1


# ---------------------------------------------------------------- against time progress and 同期


@pytest.mark.parametrize(
    ("coverage", "progress", "gap", "behind"),
    [
        (50.0, 66.7, -16.7, True),
        (66.7, 66.7, 0.0, False),  # reaching time progress is not lagging it
        (66.8, 66.7, 0.1, False),
        (112.5, 100.0, 12.5, False),  # coverage may pass 100
        (0.0, 8.3, -8.3, True),
        (None, 66.7, None, None),  # no target, no coverage: no verdict
        (50.0, None, None, None),
    ],
)
def test_gap_to_time_progress_and_behind(coverage, progress, gap, behind):
    assert gap_to_time_progress(coverage, progress) == gap
    assert behind_time_progress(coverage, progress) is behind


@pytest.mark.parametrize(
    ("required", "trained", "expected"),
    [(300, 120, 180), (300, 300, 0), (300, 320, 0), (None, 40, 0), (0, 0, 0), (25, 0, 25)],
)
def test_still_to_train(required, trained, expected):
    assert still_to_train({"required": required, "trained": trained}) == expected


def test_lagging_rows_keep_the_documents_order_and_skip_rows_without_coverage():
    rows = [
        {"category": "c", "coverage_pct": 80.0},
        {"category": "a", "coverage_pct": 10.0},
        {"category": "b", "coverage_pct": None},
        {"category": "d", "coverage_pct": 66.7},
        {"category": "e", "coverage_pct": 66.6},
    ]
    assert [r["category"] for r in lagging_rows(rows, 66.7)] == ["a", "e"]
    assert lagging_rows(rows, None) == []


def test_against_previous_compares_trained_by_change_pct_and_pass_rate_in_points():
    now = {"trained": 120, "pass_rate": 81.3}
    before = {"trained": 100, "pass_rate": 85.0}
    assert against_previous(now, before) == {
        "trained": {"value": 120, "previous": 100, "change_pct": 20.0},
        "pass_rate": {"value": 81.3, "previous": 85.0, "change_points": -3.7},
    }


@pytest.mark.parametrize("period", [Period(2026, 1, 8), Period(2026, 1, 3), Period(2025, 1, 12)])
def test_progress_figures_match_an_independent_pandas_recomputation(db, period):
    """尚需培训, the gap to time progress and who lags, recomputed in pandas from the records."""
    sessions, targets = random_training(np.random.default_rng(23), 1500)
    insert(db, "training", sessions)
    insert(db, "training_targets", targets)
    progress = Decimal(period.last_month * 1000 // 12 + (period.last_month * 1000 % 12 * 2 >= 12)) / 10
    for by in ("township", "category"):
        document = training(db, period, COUNTY, by=by)
        figures = expected_rows(sessions, targets, period, by)
        lagging = []
        for row in [*document["rows"], document["total"]]:
            want = figures[row[by]]
            assert still_to_train(row) == max((want["required"] or 0) - want["trained"], 0), (by, row[by])
            gap = gap_to_time_progress(row["coverage_pct"], document["time_progress"])
            if want["coverage_pct"] is None:
                assert (
                    gap is None
                    and behind_time_progress(row["coverage_pct"], document["time_progress"]) is None
                )
                continue
            coverage = Decimal(str(want["coverage_pct"]))
            assert gap == float(coverage - progress), (by, row[by])
            if coverage < progress and row in document["rows"]:
                lagging.append(row[by])
        assert [r[by] for r in lagging_rows(document["rows"], document["time_progress"])] == lagging


# ---------------------------------------------------------------- independent recomputation


@pytest.mark.parametrize("by", ["township", "category"])
@pytest.mark.parametrize("period", [Period(2026, 1, 8), Period(2025, 4, 9)])
def test_figures_match_an_independent_pandas_recomputation(db, by, period):
    sessions, targets = random_training(np.random.default_rng(11), 2000)
    insert(db, "training", sessions)
    insert(db, "training_targets", targets)
    document = training(db, period, COUNTY, by=by)
    actual = {r[by]: {k: v for k, v in r.items() if k != by} for r in document["rows"]}
    actual["合计"] = {k: v for k, v in document["total"].items() if k != by}
    expected = expected_rows(sessions, targets, period, by)
    assert set(actual) == set(expected)
    for key, figures in expected.items():
        assert actual[key] == figures, f"{by}={key!r}"
    assert document["time_progress"] == time_progress(period)


@pytest.mark.parametrize("period", [Period(2026, 1, 8), Period(2026, 3, 5)])
def test_page_scan_gives_each_document_as_the_separate_calls_and_the_recomputation(db, period):
    sessions, targets = random_training(np.random.default_rng(1202), 2000)
    targets.append(target(BOSS, 100_000, "A镇", year=period.year))  # far behind time progress: a gap to list
    insert(db, "training", sessions)
    insert(db, "training_targets", targets)
    page = training_page(db, period, COUNTY)
    assert page["township"] == township_table(db, period, COUNTY)
    assert page["category"] == training(db, period, COUNTY, by="category")
    assert page["previous"] == training(db, period.previous, COUNTY, by="township")
    assert page["gaps"].equals(training_gaps(db, period, COUNTY))
    for document, when, by in (
        (page["category"], period, "category"),
        (page["previous"], period.previous, "township"),
    ):
        expected = expected_rows(sessions, targets, when, by)
        assert {k: v for k, v in document["total"].items() if k != by} == expected["合计"]
        assert {r[by]: {k: v for k, v in r.items() if k != by} for r in document["rows"]} == {
            k: v for k, v in expected.items() if k != "合计"
        }
        assert document["total"]["trained"] > 0  # both periods hold sessions: the comparison means something
    assert not page["gaps"].empty


# The by-township table adds up: a 全县统筹 row holds the county-wide targets' part not given to townships.
@pytest.mark.parametrize(
    ("targets", "county_wide"),
    [
        ([target(BOSS, 30, "A镇"), target(BOSS, 40, "B镇")], {}),  # no county-wide row: nothing left over
        ([target(BOSS, 100), target(BOSS, 30, "A镇"), target(BOSS, 40, "B镇")], {BOSS: 30}),
        ([target(BOSS, 100)], {BOSS: 100}),  # a county-wide target only
        ([target(BOSS, 70), target(BOSS, 30, "A镇"), target(BOSS, 40, "B镇")], {}),  # broken down whole
        # Townships' rows above the county-wide row: the county total is still the county-wide row.
        ([target(BOSS, 50), target(BOSS, 30, "A镇"), target(BOSS, 40, "B镇")], {BOSS: -20}),
        (
            [target(BOSS, 100), target(BOSS, 30, "A镇"), target(MANAGER, 25, "A镇"), target(SPECIAL, 60)],
            {BOSS: 70, SPECIAL: 60},
        ),
    ],
)
def test_township_table_rows_add_up_to_the_total(db, targets, county_wide):
    insert(db, "training_targets", targets)
    insert(
        db,
        "training",
        [
            session("s1", D(2026, 3, 1), BOSS, trainees=12, passed=10, township="A镇"),
            session("s2", D(2026, 4, 1), MANAGER, trainees=7, township=None),
        ],
    )
    document = township_table(db, PERIOD, COUNTY)
    assert document["county_wide"] == county_wide
    rows = pd.DataFrame(document["rows"])
    marked = rows[rows["township"] == COUNTY_WIDE]
    if county_wide:
        [row] = marked.to_dict("records")
        assert row["required"] == sum(county_wide.values()) and row["trained"] == 0
        assert pd.isna(row["coverage_pct"])
    else:
        assert marked.empty
    # Independently: the county's required is, per category, the county-wide row or the townships' sum.
    frame = pd.DataFrame(targets)
    wide = frame[frame["township"].isna()].groupby("category")["required"].sum()
    towns = frame[frame["township"].notna()].groupby("category")["required"].sum()
    expected = sum(wide.get(c, towns.get(c, 0)) for c in set(frame["category"]))
    assert document["total"]["required"] == expected
    for field in ("required", "trained", "passed", "sessions"):
        assert rows[field].fillna(0).sum() == document["total"][field], field
    assert document["rows"][: len(document["rows"]) - len(marked)] == training(db, PERIOD, COUNTY)["rows"]
