"""Major hazard sources 重大危险源: table-driven edge cases and an independent pandas recomputation."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from analytics.metrics.coverage import SOURCES, NoData, check_period
from analytics.metrics.periods import Period
from analytics.metrics.sources import sources, sources_page
from tests.factories import fixture_db, insert
from tests.recompute import expected_sources, random_sources

D = dt.date
PERIOD = Period(2026, 1, 8)  # as_of 2026-08-31 unless today is earlier
COUNTY = "甲县"
LATE = D(2026, 12, 1)


@pytest.fixture
def db(empty_db):
    with fixture_db(empty_db, {COUNTY: ["A镇", "B镇"]}) as con:
        yield con


def source(
    sid, registered_on, deregistered_on=None, level="三级", monitored=False, township="A镇", county=COUNTY
):
    return {
        "source_id": sid,
        "county": county,
        "township": township,
        "enterprise": f"单位{sid}",
        "level": level,
        "registered_on": registered_on,
        "deregistered_on": deregistered_on,
        "monitored": monitored,
    }


# (case, sources, today, {field: expected} of the total)
EDGE_CASES = [
    (
        "deregistered after as_of: still in force",
        [source("m1", D(2024, 1, 1), D(2026, 9, 1), monitored=True)],
        LATE,
        {"in_force": 1, "monitored": 1, "monitoring_rate": 100.0, "new": 0},
    ),
    (
        "deregistered on as_of: no longer in force",
        [source("m1", D(2024, 1, 1), D(2026, 8, 31))],
        LATE,
        {"in_force": 0, "monitored": 0, "monitoring_rate": None},
    ),
    (
        "registered after as_of (today earlier than the period's end): not in force, not new",
        [source("m1", D(2026, 6, 1)), source("m2", D(2026, 5, 1), monitored=True)],
        D(2026, 5, 20),
        {"in_force": 1, "monitored": 1, "new": 1},
    ),
    (
        "registered on as_of: in force and new",
        [source("m1", D(2026, 8, 31))],
        LATE,
        {"in_force": 1, "new": 1, "monitoring_rate": 0.0},
    ),
    (
        "monitoring rate half away from zero: 1 of 8 is 12.5, 5 of 8 monitored is 62.5",
        [source(f"m{i}", D(2025, 1, 1), monitored=i < 5) for i in range(8)],
        LATE,
        {"in_force": 8, "monitored": 5, "monitoring_rate": 62.5, "new": 0},
    ),
    (
        "a monitored source deregistered by as_of is not counted as monitored",
        [source("m1", D(2025, 1, 1), D(2026, 2, 1), monitored=True), source("m2", D(2025, 1, 1))],
        LATE,
        {"in_force": 1, "monitored": 0, "monitoring_rate": 0.0},
    ),
    (
        "another county's sources are not counted",
        [source("m1", D(2025, 1, 1), county="乙县")],
        LATE,
        {"in_force": 0, "monitoring_rate": None, "new": 0},
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "today", "expected"), [c[1:] for c in EDGE_CASES], ids=[c[0] for c in EDGE_CASES]
)
def test_source_edge_cases(db, rows, today, expected):
    insert(db, "major_hazard_sources", rows)
    document = sources(db, PERIOD, COUNTY, today=today)
    assert {k: document["total"][k] for k in expected} == expected


def test_rows_by_level_and_by_township(db):
    insert(
        db,
        "major_hazard_sources",
        [
            source("m1", D(2025, 1, 1), level="一级", monitored=True),
            source("m2", D(2026, 3, 1), level="四级", township=None),
            source("m3", D(2026, 3, 1), level="四级", township="新区"),
        ],
    )
    by_level = sources(db, PERIOD, COUNTY, today=LATE)
    assert [r["level"] for r in by_level["rows"]] == ["一级", "二级", "三级", "四级"]
    assert by_level["rows"][0] == {
        "level": "一级",
        "in_force": 1,
        "monitored": 1,
        "monitoring_rate": 100.0,
        "new": 0,
    }
    assert by_level["rows"][1] == {
        "level": "二级",
        "in_force": 0,
        "monitored": 0,
        "monitoring_rate": None,
        "new": 0,
    }
    assert by_level["total"] == {
        "level": "合计",
        "in_force": 3,
        "monitored": 1,
        "monitoring_rate": 33.3,
        "new": 2,
    }
    by_township = sources(db, PERIOD, COUNTY, by="township", today=LATE)
    assert [r["township"] for r in by_township["rows"]] == ["A镇", "B镇", "新区", None]
    assert by_township["rows"][-1]["in_force"] == 1
    assert by_township["coverage"] == {"major_hazard_sources": "2026-03"}
    with pytest.raises(ValueError):
        sources(db, PERIOD, COUNTY, by="grade")


def test_a_register_whose_last_source_was_filed_last_year_is_not_no_data(db):
    insert(db, "major_hazard_sources", [source("m1", D(2025, 4, 1))])
    check_period(db, PERIOD, SOURCES["sources"], COUNTY, today=LATE)  # in force today: not "no data"
    assert sources(db, PERIOD, COUNTY, today=LATE)["total"]["in_force"] == 1
    with pytest.raises(NoData):
        check_period(db, Period(2025, 1, 3), SOURCES["sources"], COUNTY, today=LATE)  # before the first one
    with pytest.raises(NoData):
        check_period(db, PERIOD, SOURCES["sources"], "乙县", today=LATE)  # no source at all


@pytest.mark.parametrize("by", ["level", "township"])
@pytest.mark.parametrize(("period", "today"), [(Period(2026, 1, 8), None), (Period(2025, 4, 6), None),
                                               (Period(2026, 7, 12), D(2026, 7, 20))])  # fmt: skip
def test_figures_match_an_independent_pandas_recomputation(db, by, period, today):
    rows = random_sources(np.random.default_rng(31), 2000, D(2026, 7, 20))
    insert(db, "major_hazard_sources", rows)
    document = sources(db, period, COUNTY, by=by, today=today)
    assert sources_page(db, period, COUNTY, today=today)[by] == document  # the page's one call
    actual = {r[by]: {k: v for k, v in r.items() if k != by} for r in document["rows"]}
    actual["合计"] = {k: v for k, v in document["total"].items() if k != by}
    expected = expected_sources(rows, period, period.as_of(today), by, ["A镇", "B镇"])
    assert set(actual) == set(expected)
    for key, figures in expected.items():
        assert actual[key] == figures, f"{by}={key!r}"
