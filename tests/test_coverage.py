"""Data coverage, the default period, notices and "no data" (metrics.md, Periods), table-driven."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from analytics import store
from analytics.importing import import_file, undo_batch
from analytics.metrics.common import default_period
from analytics.metrics.coverage import (
    NoData,
    check_period,
    coverage,
    data_as_of,
    declarable_months,
    last_full_month,
)
from analytics.metrics.hazards import hazards
from analytics.metrics.indicators import indicators
from analytics.metrics.periods import Period
from analytics.text.wording import coverage_notices, data_as_of_text
from tests.import_support import ACCIDENT_HEADER, HAZARD_HEADER, REGIONS, accident, hazard, write_csv

TODAY = dt.date(2026, 12, 1)
REGION_HEADER = ["县市区", "乡镇（街道）", "市"]
TRAINING_HEADER = ["培训编号", "培训日期", "县市区", "培训对象", "参训人数"]
BULLETIN_HEADER = ["年度", "月份", "县市区", "事故起数", "死亡人数", "受伤人数", "直接经济损失（万元）"]


def load(db, tmp_path, name, rows, **kw):
    result = import_file(write_csv(tmp_path / name, rows), db=db, today=TODAY, **kw)
    assert result["status"] != "rejected", result["errors"]
    return result


@pytest.fixture
def october(empty_db, tmp_path):
    """甲县 (home) and 乙县 with accidents, hazards and training through 2026年10月."""
    with store.connect(empty_db, read_only=False) as con:
        con.execute("INSERT INTO meta VALUES ('home_county', '甲县')")
    load(empty_db, tmp_path, "regions.csv", [REGION_HEADER, *REGIONS])
    load(
        empty_db,
        tmp_path,
        "acc.csv",
        [
            ACCIDENT_HEADER,
            accident(1, "2025-03-02"),
            accident(2, "2026-10-20"),
            accident(3, "2026-10-05", county="乙县", township="新华街道"),
        ],
    )
    load(
        empty_db,
        tmp_path,
        "hz.csv",
        [HAZARD_HEADER, hazard(1, "2026-10-01", "2026-10-20", "2026-10-03", reviewed="2026-10-21")],
    )
    load(empty_db, tmp_path, "tr.csv", [TRAINING_HEADER, ["PX1", "2026-10-09", "甲县", "主要负责人", 12]])
    return empty_db


def default_of(db) -> Period:
    with store.connect(db) as con:
        return default_period(con, today=TODAY)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 12, 1), (2026, 11)),
        (dt.date(2026, 12, 31), (2026, 11)),
        (dt.date(2026, 1, 15), (2025, 12)),
        (dt.date(2026, 3, 1), (2026, 2)),
    ],
)
def test_last_full_month(today, expected):
    assert last_full_month(today) == expected


def test_coverage_is_the_latest_record_per_dataset_and_county(october):
    with store.connect(october) as con:
        cov = coverage(con, TODAY)
    assert cov.document(("accidents", "hazards", "training", "enforcement"), "甲县") == {
        "accidents": "2026-10",
        "hazards": "2026-10",
        "training": "2026-10",
        "enforcement": None,
    }
    assert cov.document(("accidents", "hazards"), "乙县") == {"accidents": "2026-10", "hazards": None}
    assert default_of(october) == Period(2026, 1, 10)


@pytest.mark.parametrize(
    ("name", "rows", "moves"),
    [
        # Another ledger arriving early never moves the default period.
        (
            "hz.csv",
            [HAZARD_HEADER, hazard(9, "2026-11-02", "2026-11-20", "", order="否", reviewed="")],
            False,
        ),
        ("tr.csv", [TRAINING_HEADER, ["PX9", "2026-11-03", "甲县", "主要负责人", 5]], False),
        # Another county's accidents do not move it either: it follows the home county.
        ("acc.csv", [ACCIDENT_HEADER, accident(9, "2026-11-03", county="乙县", township="新华街道")], False),
        # The home county's accidents, or its bulletin row, do.
        ("acc.csv", [ACCIDENT_HEADER, accident(9, "2026-11-03")], True),
        ("bulletin.csv", [BULLETIN_HEADER, [2026, 11, "甲县", 1, 0, 1, 2]], True),
    ],
)
def test_default_period_with_each_ledger_arriving_first(october, tmp_path, name, rows, moves):
    load(october, tmp_path, name, rows)
    assert default_of(october) == Period(2026, 1, 11 if moves else 10)


def test_default_period_is_capped_at_the_last_full_month(october, tmp_path):
    load(october, tmp_path, "acc.csv", [ACCIDENT_HEADER, accident(9, "2026-11-28")])
    with store.connect(october) as con:
        assert default_period(con, today=dt.date(2026, 11, 29)) == Period(2026, 1, 10)
        assert default_period(con, today=TODAY) == Period(2026, 1, 11)


def test_a_declared_month_with_no_accident_covers_it_until_undone(october, tmp_path):
    header_only = write_csv(tmp_path / "none.csv", [ACCIDENT_HEADER])
    refused = import_file(header_only, db=october, today=TODAY)
    assert refused["status"] == "rejected" and "没有数据行" in refused["errors"][0]["message"]
    no_county = import_file(header_only, db=october, today=TODAY, covers="2026-11")
    assert no_county["status"] == "rejected" and "县市区" in no_county["errors"][0]["message"]
    declared = import_file(header_only, db=october, today=TODAY, covers="2026-11", county="甲县")
    assert declared["status"] == "imported" and declared["batch_id"]
    assert declared["rows_inserted"] == 0 and declared["covers_counties"] == ["甲县"]
    assert default_of(october) == Period(2026, 1, 11)
    with store.connect(october) as con:
        doc = indicators(con, Period(2026, 11, 11), "甲县", TODAY)
    assert doc["indicators"]["accidents"]["value"] == 0 and doc["coverage"] == {"accidents": "2026-11"}
    again = import_file(header_only, db=october, today=TODAY, covers="2026-11", county="甲县")
    assert again["status"] == "unchanged"
    undo_batch(declared["batch_id"], db=october)
    assert default_of(october) == Period(2026, 1, 10)


def test_a_file_with_rows_declares_for_its_counties(october, tmp_path):
    rows = [
        ACCIDENT_HEADER,
        accident(7, "2026-10-28"),
        accident(8, "2026-10-29", county="乙县", township="新华街道"),
    ]
    result = load(october, tmp_path, "acc.csv", rows, covers="2026-11")
    assert result["covers_counties"] == ["乙县", "甲县"]
    with store.connect(october) as con:
        assert coverage(con, TODAY).document(("accidents",), "乙县") == {"accidents": "2026-11"}


@pytest.mark.parametrize(
    ("covers", "county", "message"),
    [
        ("2026-13", "甲县", "YYYY-MM"),
        ("11/2026", "甲县", "YYYY-MM"),
        ("2027-01", "甲县", "晚于本月"),
        ("2026-11", "丙县", "未知的县市区"),
    ],
)
def test_bad_declarations_are_rejected_in_chinese(october, tmp_path, covers, county, message):
    result = import_file(
        write_csv(tmp_path / "none.csv", [ACCIDENT_HEADER]),
        db=october,
        today=TODAY,
        covers=covers,
        county=county,
    )
    assert result["status"] == "rejected" and message in result["errors"][0]["message"]


def test_regions_are_not_declared_monthly(october, tmp_path):
    result = import_file(
        write_csv(tmp_path / "r.csv", [REGION_HEADER, *REGIONS]), db=october, today=TODAY, covers="2026-10"
    )
    assert result["status"] == "rejected" and "不按月报送" in result["errors"][0]["message"]


def test_notice_on_every_figure_past_a_source(october, tmp_path):
    load(october, tmp_path, "acc.csv", [ACCIDENT_HEADER, accident(9, "2026-11-03")])
    with store.connect(october) as con:
        doc = hazards(con, Period(2026, 1, 11), "甲县", today=TODAY)
    assert doc["coverage"] == {"hazards": "2026-10", "inspections": None}
    assert coverage_notices(doc) == ["隐患台账数据截至2026年10月", "检查台账暂无数据"]
    assert data_as_of_text(doc["period"], doc["coverage"]) == "数据截至2026年10月"
    with store.connect(october) as con:
        within = hazards(con, Period(2026, 1, 10), "甲县", today=TODAY)
    assert coverage_notices(within) == ["检查台账暂无数据"]


@pytest.mark.parametrize(
    ("period", "county", "has_data"),
    [
        (Period(2030, 1, 12), None, False),  # after every source's coverage
        (Period(2023, 1, 12), None, False),  # before the first record
        (Period(2026, 11, 11), "甲县", False),  # starts after 甲县's coverage
        (Period(2026, 1, 11), "甲县", True),  # runs past it: a figure with a notice
        (Period(2025, 5, 5), "甲县", True),  # a covered month with no accident is a zero, not "no data"
        (Period(2025, 3, 3), "乙县", True),  # before 乙县's first record, after the city's first one
        (Period(2026, 1, 12), "丙县", False),  # a county with no ledger at all
    ],
)
def test_no_data_is_no_verdict(october, period, county, has_data):
    with store.connect(october) as con:
        if has_data:
            check_period(con, period, ("accidents",), county, TODAY)
        else:
            with pytest.raises(NoData, match="没有数据"):
                check_period(con, period, ("accidents",), county, TODAY)


def run(db, *args):
    return subprocess.run(
        [sys.executable, "-m", "analytics", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=store.PROJECT_ROOT,
        timeout=300,
    )


def test_cli_monthly_workflow(october, tmp_path):
    november = write_csv(tmp_path / "11月事故.csv", [ACCIDENT_HEADER, accident(20, "2026-11-03")])
    done = run(october, "import", str(november), "--json")
    assert done.returncode == 0, done.stderr
    ranking = json.loads(run(october, "ranking", "--json", "--year", "2026", "--months", "1-11").stdout)
    assert ranking["behind"] == [{"county": "乙县", "coverage": "2026-10"}]
    assert ranking["coverage_differs"] is True
    rows = {row["county"]: row for row in ranking["counties"]}
    assert rows["甲县"]["coverage"] == "2026-11" and rows["乙县"]["coverage"] == "2026-10"
    text = run(october, "ranking", "--year", "2026", "--months", "1-11").stdout
    assert "乙县事故数据截至2026年10月" in text
    hazards_doc = json.loads(
        run(october, "hazards", "--json", "--county", "甲县", "--year", "2026", "--months", "1-11").stdout
    )
    assert hazards_doc["coverage"]["hazards"] == "2026-10"
    status = json.loads(run(october, "status", "--json").stdout)
    assert status["coverage"]["accidents"] == {"乙县": "2026-10", "甲县": "2026-11"}

    declared = run(
        october,
        "import",
        str(write_csv(tmp_path / "none.csv", [ACCIDENT_HEADER])),
        "--covers",
        "2026-11",
        "--county",
        "乙县",
        "--json",
    )
    assert declared.returncode == 0, declared.stderr
    ranking = json.loads(run(october, "ranking", "--json", "--year", "2026", "--months", "1-11").stdout)
    assert ranking["behind"] == [] and ranking["coverage_differs"] is False

    for args in (("indicators", "--year", "2030"), ("ranking", "--year", "2023")):
        result = run(october, *args, "--json")
        assert result.returncode == 1, args
        assert "没有数据" in result.stderr and "Traceback" not in result.stderr
        assert "没有数据" in json.loads(result.stdout)["error"]
    usage = run(october, "import", str(november), "--county", "甲县")
    assert usage.returncode == 2 and "--covers" in usage.stderr


@pytest.mark.parametrize(
    ("months", "coverage_doc", "expected"),
    [
        ([1, 8], None, (2026, 8)),  # no coverage given: the period's last month
        ([1, 8], {"hazards": "2026-08", "inspections": "2026-11"}, (2026, 8)),  # sources past it
        ([1, 11], {"hazards": "2026-10", "inspections": None}, (2026, 10)),  # no data is not a month
        ([1, 11], {"hazards": "2026-10", "training": "2026-09"}, (2026, 9)),  # the earliest short source
        ([3, 3], {"accidents": "2025-12"}, (2025, 12)),  # a source ending in an earlier year
        ([1, 12], {"甲县": "2026-11", "乙县": None}, (2026, 11)),  # the ranking: per county
    ],
)
def test_data_as_of_is_the_period_end_or_the_earliest_short_source(months, coverage_doc, expected):
    period_json = {"year": 2026, "months": months}
    assert data_as_of(period_json, coverage_doc) == expected
    assert data_as_of_text(period_json, coverage_doc) == f"数据截至{expected[0]}年{expected[1]}月"


@pytest.mark.parametrize(
    ("today", "first", "last", "oldest"),
    [
        (dt.date(2026, 11, 28), "2026-10", "2026-11", "2024-12"),
        (dt.date(2026, 1, 1), "2025-12", "2026-01", "2024-02"),  # across the new year
        (dt.date(2026, 2, 28), "2026-01", "2026-02", "2024-03"),
    ],
)
def test_declarable_months_start_at_the_last_full_month(today, first, last, oldest):
    months = declarable_months(today)
    assert len(months) == 24 == len(set(months))
    assert (months[0], months[-1], months[-2]) == (first, last, oldest)
    assert months[0] == "{:04d}-{:02d}".format(*last_full_month(today))
    assert months[:-1] == sorted(months[:-1], reverse=True)


def test_metrics_of_one_data_state_share_one_coverage_scan(october, tmp_path, monkeypatch):
    from analytics.metrics import coverage as module

    scans = []
    original = module._coverage
    monkeypatch.setattr(module, "_coverage", lambda con, today: scans.append(today) or original(con, today))
    period = Period(2026, 1, 10)
    with store.connect(october) as con:
        alone = (indicators(con, period, "甲县", today=TODAY), hazards(con, period, "甲县", today=TODAY))
    scanned_alone = len(scans)
    assert scanned_alone >= 2, "each metric scans the coverage on its own"
    scans.clear()
    state = (str(october), store.data_version(october))
    with store.connect(october) as con, module.reuse(state):
        shared = (indicators(con, period, "甲县", today=TODAY), hazards(con, period, "甲县", today=TODAY))
    assert shared == alone and len(scans) == 1
    expected = default_of(october)  # outside `reuse`: its own scan
    with store.connect(october) as con, module.reuse(state):
        assert default_period(con, today=TODAY) == expected  # inside: the shared one
    assert len(scans) == 2
    # A write is a new state: its coverage is scanned afresh and sees the new record.
    load(october, tmp_path, "acc2.csv", [ACCIDENT_HEADER, accident(9, "2026-11-03")])
    scans.clear()
    with store.connect(october) as con, module.reuse((str(october), store.data_version(october))):
        assert coverage(con, TODAY).county_month("accidents", "甲县") == (2026, 11)
    assert len(scans) == 1


def test_shared_answers_are_computed_once_per_data_state_even_when_asked_at_once():
    import threading

    from analytics.metrics.coverage import reuse, shared

    calls: list[int] = []
    started = threading.Event()

    def slow() -> list[int]:
        calls.append(1)
        started.set()
        release.wait(10)
        return [len(calls)]

    release = threading.Event()
    day = dt.date(2026, 11, 30)
    answers: list[list[int]] = []

    def ask() -> None:
        with reuse(("test-db", "v1")):
            answers.append(shared("test", day, slow))

    first = threading.Thread(target=ask)
    first.start()
    started.wait(10)
    second = threading.Thread(target=ask)  # arrives while the first computes: waits for its answer
    second.start()
    release.set()
    first.join(10)
    second.join(10)
    assert calls == [1] and answers == [[1], [1]]
    with reuse(("test-db", "v2")):  # another data state: computed again
        assert shared("test", day, slow) == [2]
    assert shared("test", day, slow) == [3]  # outside a reuse block: always computed

    def failing() -> None:
        raise RuntimeError("boom")

    with reuse(("test-db", "v3")):
        for _ in range(2):  # a failure is not kept: the next caller tries again
            with pytest.raises(RuntimeError):
                shared("failing", day, failing)
