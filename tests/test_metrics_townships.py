"""Township comparison: rows, order, the null row, and figures recomputed independently."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from analytics.metrics import townships as tm
from analytics.metrics.periods import Period
from analytics.metrics.townships import TOWNSHIP_FIELDS, townships
from tests.factories import accident_record as accident
from tests.factories import fixture_db, insert
from tests.recompute import (
    NONE_KEY,
    TOWNSHIP_CHOICES,
    expected_case_rows,
    expected_hazard_rows,
    expected_training_rows,
    group_key,
    money,
    random_cases,
    random_hazards,
    random_inspections,
    random_training,
)

D = dt.date
COUNTY = "甲县"


@pytest.fixture
def db(empty_db):
    with fixture_db(empty_db, {COUNTY: ["A镇", "B镇"], "乙县": ["C镇"]}) as con:
        yield con


def test_every_region_township_appears_with_zeros_and_the_null_row_last(db):
    insert(
        db,
        "accidents",
        [
            accident("a1", D(2026, 2, 1), township=None, deaths=1, injuries=2, loss=3.456),
            accident("a2", D(2026, 2, 1), township="A镇", deaths=0, injuries=1, loss=1.005),
            accident("a3", D(2025, 2, 1), township="旧镇", deaths=1),  # 同期 only: not a row here
        ],
    )
    insert(db, "inspections", [random_inspections(np.random.default_rng(1), 1, D(2026, 1, 2))[0]])
    document = townships(db, Period(2026, 1, 8), COUNTY, today=D(2026, 12, 1))
    assert [r["township"] for r in document["rows"]] == ["A镇", "B镇", None]
    rows = {r["township"]: r for r in document["rows"]}
    assert list(rows["B镇"]) == ["township", *TOWNSHIP_FIELDS]
    assert rows["B镇"] == {
        "township": "B镇",
        "accidents": 0,
        "deaths": 0,
        "injuries": 0,
        "direct_loss_wan": 0.0,
        "found": 0,
        "rectification_rate": None,
        "overdue": 0,
        "cases": 0,
        "fine_wan": 0.0,
        "trained": 0,
        "coverage_pct": None,
    }
    assert (rows[None]["accidents"], rows[None]["deaths"], rows[None]["direct_loss_wan"]) == (1, 1, 3.46)
    assert rows["A镇"]["direct_loss_wan"] == 1.01
    assert document["total"]["township"] == "合计"
    # The total is computed over all records, not summed from rounded rows: 4.461 -> 4.46.
    assert (document["total"]["accidents"], document["total"]["direct_loss_wan"]) == (2, 4.46)
    assert document["county"] == COUNTY and document["period"]["as_of"] == "2026-08-31"


def test_empty_county_has_its_region_rows_only(db):
    document = townships(db, Period(2026, 1, 8), "乙县")
    assert [r["township"] for r in document["rows"]] == ["C镇"]
    assert document["total"]["found"] == 0 and document["total"]["coverage_pct"] is None


# ---------------------------------------------------------------- independent recomputation


def random_accidents(rng: np.random.Generator, n: int) -> list[dict]:
    first, span = D(2025, 1, 1), (D(2026, 8, 31) - D(2025, 1, 1)).days
    return [
        accident(
            f"A{i:05d}",
            first + dt.timedelta(days=int(rng.integers(0, span + 1))),
            township=TOWNSHIP_CHOICES[int(rng.integers(0, len(TOWNSHIP_CHOICES)))],
            deaths=int(rng.integers(0, 3)),
            injuries=int(rng.integers(0, 5)),
            loss=int(rng.integers(0, 100000)) / 1000,
            county=COUNTY if rng.random() < 0.8 else "乙县",
        )
        for i in range(n)
    ]


def expected_accidents(rows: list[dict], period: Period) -> dict:
    frame = pd.DataFrame(rows)
    frame["occurred_on"] = pd.to_datetime(frame["occurred_on"])
    frame = frame[
        (frame["county"] == COUNTY)
        & frame["occurred_on"].between(pd.Timestamp(period.start), pd.Timestamp(period.end))
    ].copy()
    frame["key"] = group_key(frame["township"])

    def row(part: pd.DataFrame) -> dict:
        return {
            "accidents": len(part),
            "deaths": int(part["deaths"].sum()),
            "injuries": int(part["injuries"].sum()),
            "direct_loss_wan": money(sum(Decimal(str(v)) for v in part["direct_loss_wan"])),
        }

    expected = {(None if k == NONE_KEY else k): row(frame[frame["key"] == k]) for k in set(frame["key"])}
    expected["合计"] = row(frame)
    return expected


def test_figures_match_an_independent_pandas_recomputation(db):
    rng = np.random.default_rng(99)
    today = D(2026, 8, 20)
    period = Period(2026, 1, 8)
    accident_rows = random_accidents(rng, 600)
    hazard_rows = random_hazards(rng, 1500, today)
    inspection_rows = random_inspections(rng, 500, today)
    case_rows = random_cases(rng, 800)
    sessions, targets = random_training(rng, 800)
    for table, rows in (
        ("accidents", accident_rows),
        ("hazards", hazard_rows),
        ("inspections", inspection_rows),
        ("enforcement", case_rows),
        ("training", sessions),
        ("training_targets", targets),
    ):
        insert(db, table, rows)

    document = townships(db, period, COUNTY, today=today)

    accidents = expected_accidents(accident_rows, period)
    found = expected_hazard_rows(
        hazard_rows, inspection_rows, period, period.as_of(today), "township", ["A镇", "B镇"]
    )
    cases = expected_case_rows(case_rows, period, "township")
    trained = expected_training_rows(sessions, targets, period, "township")
    keys = {"A镇", "B镇"} | set(accidents)
    keys |= {k for k, r in found.items() if r["found"]}
    keys |= {k for k, r in cases.items() if r["cases"]}
    keys |= {k for k, r in trained.items() if r["trained"] or r["required"]}
    zero_accidents = {"accidents": 0, "deaths": 0, "injuries": 0, "direct_loss_wan": 0.0}
    nothing = {"found": 0, "rectification_rate": None, "overdue": 0, "cases": 0, "fine_wan": 0.0}
    nothing |= {"trained": 0, "coverage_pct": None}
    expected = {
        key: {
            **accidents.get(key, zero_accidents),
            **{f: found.get(key, nothing)[f] for f in ("found", "rectification_rate", "overdue")},
            **{f: cases.get(key, nothing)[f] for f in ("cases", "fine_wan")},
            **{f: trained.get(key, nothing)[f] for f in ("trained", "coverage_pct")},
        }
        for key in keys | {"合计"}
    }
    actual = {r["township"]: {k: v for k, v in r.items() if k != "township"} for r in document["rows"]}
    actual["合计"] = {k: v for k, v in document["total"].items() if k != "township"}
    assert set(actual) == set(expected)
    for key, figures in expected.items():
        assert actual[key] == figures, f"township={key!r}"
    named = [r["township"] for r in document["rows"][:-1]]
    assert named == sorted(named) and document["rows"][-1]["township"] is None

    # Who the report names: the lowest rates below 100 and the most overdue, recomputed from the figures.
    frame = pd.DataFrame([{"township": k, **v} for k, v in expected.items() if k != "合计"])
    for field in ("rectification_rate", "coverage_pct"):
        rates = pd.to_numeric(frame[field])
        behind = frame.assign(rate=rates)[frame["township"].notna() & (rates < 100)]
        want = behind.sort_values(["rate", "township"]).head(3)["township"].tolist()
        assert [r["township"] for r in tm.lagging(document["rows"], field)] == want, field
    most = int(frame["overdue"].max())
    assert most > 0
    where = [r["township"] for r in document["rows"] if r["overdue"] == most]
    assert tm.most_overdue(document["rows"]) == (most, where)


def _row(township, rate=None, overdue=0):
    return {"township": township, "rectification_rate": rate, "overdue": overdue}


@pytest.mark.parametrize(
    ("rows", "limit", "expected"),
    [
        ([], 3, []),
        ([_row("甲镇", 100.0), _row("乙镇", 120.0)], 3, []),  # at or past 100: nobody lags
        (
            [_row("甲镇", 50.0), _row("乙镇", 20.0), _row("丙镇", 99.9), _row("丁镇", 60.0)],
            3,
            ["乙镇", "甲镇", "丁镇"],
        ),
        (
            [_row("乙镇", 50.0), _row("甲镇", 50.0)],
            3,
            ["乙镇", "甲镇"],  # a tie: by name (乙 sorts before 甲)
        ),
        (
            [_row(None, 0.0), _row("甲镇", None), _row("乙镇", 80.0)],
            3,
            ["乙镇"],
        ),  # no name, no rate: never named
        ([_row("甲镇", 10.0), _row("乙镇", 20.0)], 1, ["甲镇"]),
    ],
)
def test_lagging_townships(rows, limit, expected):
    assert [r["township"] for r in tm.lagging(rows, "rectification_rate", limit)] == expected


@pytest.mark.parametrize(
    ("overdue", "expected"),
    [
        ({}, (0, [])),
        ({"甲镇": 0, None: 0}, (0, [])),
        ({"甲镇": 2, "乙镇": 5, None: 1}, (5, ["乙镇"])),
        ({"甲镇": 3, "乙镇": 1, None: 3}, (3, ["甲镇", None])),  # 县直/未填乡镇 counts like a township
    ],
)
def test_most_overdue(overdue, expected):
    assert tm.most_overdue([_row(t, overdue=n) for t, n in overdue.items()]) == expected


# The township profile: averages over real townships, one verdict rule, no verdict on a volume.
def _doc(rows, total):
    blank = dict.fromkeys(TOWNSHIP_FIELDS, 0)
    return {
        "rows": [{"township": name, **blank, **figures} for name, figures in rows],
        "total": {"township": "合计", **blank, **total},
    }


PROFILE_DOC = _doc(
    [
        ("A镇", {"accidents": 3, "cases": 9, "fine_wan": 4.0, "trained": 100, "rectification_rate": 90.0}),
        ("B镇", {"accidents": 1, "cases": 1, "fine_wan": 0.0, "trained": 20, "rectification_rate": 100.0}),
        ("C镇", {"accidents": 2, "cases": 2, "fine_wan": 2.0, "trained": 0, "rectification_rate": None}),
        # 县直/未填乡镇: counted in the county's 合计, never in a township average.
        (None, {"accidents": 6, "cases": 0, "fine_wan": 0.0, "trained": 0, "rectification_rate": 50.0}),
    ],
    {"accidents": 12, "cases": 12, "fine_wan": 6.0, "trained": 120, "rectification_rate": 95.0},
)


def test_baselines_are_means_over_real_townships_and_the_county_rate():
    bases = tm.baselines(PROFILE_DOC)
    assert bases["accidents"] == 2.0  # (3 + 1 + 2) / 3, not 12 / 4
    assert bases["cases"] == 4.0 and bases["fine_wan"] == 2.0 and bases["trained"] == 40.0
    assert bases["rectification_rate"] == 95.0  # the county's own rate
    assert tm.baselines(_doc([(None, {"accidents": 2})], {"accidents": 2}))["accidents"] is None


@pytest.mark.parametrize(
    ("field", "value", "baseline", "expected"),
    [
        ("accidents", 3, 2.0, "worse"),  # more accidents than the average
        ("accidents", 1, 2.0, "better"),
        ("accidents", 2, 2.0, "level"),
        ("direct_loss_wan", 1.004, 1.0, "level"),  # equal at the 2 decimals shown
        ("direct_loss_wan", 1.01, 1.0, "worse"),
        ("overdue", 0, 1.5, "better"),
        ("rectification_rate", 90.0, 95.0, "worse"),  # a lower 整改率 than the county's
        ("rectification_rate", 95.04, 95.0, "level"),  # equal at 1 decimal
        ("coverage_pct", 120.0, 80.0, "better"),
        ("rectification_rate", None, 95.0, None),  # no rate: no verdict
        ("accidents", 3, None, None),  # nothing to compare with
        ("found", 50, 10.0, None),  # volumes are never judged
        ("cases", 9, 4.0, None),
        ("fine_wan", 0.0, 2.0, None),
        ("trained", 0, 40.0, None),
    ],
)
def test_verdict(field, value, baseline, expected):
    assert tm.verdict(field, value, baseline) == expected


def test_profile_of_a_township_and_of_the_no_township_row():
    items = {i["field"]: i for i in tm.profile(PROFILE_DOC, "A镇")}
    assert list(items) == list(TOWNSHIP_FIELDS)
    assert items["accidents"] == {
        "field": "accidents",
        "value": 3,
        "county": 12,
        "baseline": 2.0,
        "average": 2.0,
        "share_pct": 25.0,
        "verdict": "worse",
    }
    assert items["rectification_rate"]["average"] is None and items["rectification_rate"]["share_pct"] is None
    assert items["rectification_rate"]["verdict"] == "worse"
    assert items["cases"]["verdict"] is None and items["cases"]["share_pct"] == 75.0
    assert items["trained"]["verdict"] is None
    none_row = {i["field"]: i for i in tm.profile(PROFILE_DOC, None)}
    assert all(i["verdict"] is None for i in none_row.values())
    assert none_row["accidents"]["share_pct"] == 50.0


def test_row_verdicts_follow_the_rows_and_skip_the_no_township_row():
    assert tm.row_verdicts(PROFILE_DOC, "accidents") == ["worse", "better", "level", None]
    assert tm.row_verdicts(PROFILE_DOC, "rectification_rate") == ["worse", "better", None, None]
    assert tm.row_verdicts(PROFILE_DOC, "cases") == [None, None, None, None]
