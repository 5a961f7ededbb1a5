"""The supervision subcommands run as a user runs them: JSON shapes, tables and exit statuses."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from analytics import store
from analytics.store import PROJECT_ROOT
from tests.factories import hazard, insert

D = dt.date
COUNTY = "甲县"
PERIOD_KEYS = {"year", "months", "start", "end", "as_of"}
ROW_KEYS = {
    "hazards": {
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
    },
    "enforcement": {"cases", "fine_wan", "suspensions", "closures", "penalties", "previous", "change_pct"},
    "training": {"sessions", "trained", "passed", "required", "coverage_pct", "pass_rate"},
    "townships": {
        "accidents",
        "deaths",
        "injuries",
        "direct_loss_wan",
        "found",
        "rectification_rate",
        "overdue",
        "cases",
        "fine_wan",
        "trained",
        "coverage_pct",
    },
}


@pytest.fixture
def db_path(empty_db):
    """甲县 (A镇, B镇) with a few records in 2025–2026, the latest in 2026年7月; 乙县 in regions only."""
    with store.connect(empty_db, read_only=False) as con:
        insert(
            con,
            "regions",
            [
                {"county": COUNTY, "township": "A镇", "city": "某市"},
                {"county": COUNTY, "township": "B镇", "city": "某市"},
                {"county": "乙县", "township": "C镇", "city": "某市"},
            ],
        )
        insert(
            con,
            "hazards",
            [
                hazard("h1", D(2026, 2, 1), D(2026, 2, 10), rectified_on=D(2026, 2, 5), order=True),
                hazard("h2", D(2026, 7, 3), D(2026, 7, 10), township=None, department="住建局"),
            ],
        )
        insert(
            con,
            "enforcement",
            [
                {"case_id": "c1", "filed_on": D(2026, 3, 1), "county": COUNTY, "township": "A镇",
                 "department": "应急管理局", "measure": "罚款", "fine_wan": 2.5},
                {"case_id": "c2", "filed_on": D(2025, 3, 1), "county": COUNTY, "township": "B镇",
                 "department": "应急管理局", "measure": "取缔关闭", "fine_wan": None},
            ],
        )  # fmt: skip
        insert(
            con,
            "training",
            [{"session_id": "s1", "held_on": D(2026, 4, 1), "county": COUNTY, "township": "A镇",
              "category": "主要负责人", "trainees": 30, "passed": 27}],
        )  # fmt: skip
        insert(
            con,
            "training_targets",
            [{"year": 2026, "county": COUNTY, "township": "A镇", "category": "主要负责人", "required": 40}],
        )
    return empty_db


def run(db_path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("SAFETY_DB", "SAFETY_HOME_COUNTY")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "analytics", *args, "--db", str(db_path)],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


@pytest.mark.parametrize(
    ("command", "by", "keys"),
    [
        ("hazards", "township", ["A镇", "B镇", None]),
        ("hazards", "department", ["住建局", "应急管理局"]),
        ("enforcement", "department", ["应急管理局"]),
        ("enforcement", "township", ["A镇", "B镇"]),
        ("training", "township", ["A镇", "B镇"]),
        (
            "training",
            "category",
            ["主要负责人", "安全管理人员", "特种作业人员", "基层监管人员", "一般从业人员"],
        ),
        ("townships", None, ["A镇", "B镇", None]),
    ],
)
def test_json_documents_have_the_shapes_of_the_spec(db_path, command, by, keys):
    args = [command, "--county", COUNTY, "--json"] + (["--by", by] if by else [])
    result = run(db_path, *args)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)  # exactly one document: anything else fails to parse
    assert set(document["period"]) == PERIOD_KEYS
    # Default period: 1 to the latest month with data (2026年7月).
    assert (document["period"]["year"], document["period"]["months"]) == (2026, [1, 7])
    assert document["county"] == COUNTY
    key = by or "township"
    assert [r[key] for r in document["rows"]] == keys
    for row in document["rows"]:
        assert set(row) == ROW_KEYS[command] | {key}
    assert ROW_KEYS[command] <= set(document["total"])


def test_figures_in_the_json(db_path):
    hazards = json.loads(
        run(db_path, "hazards", "--county", COUNTY, "--year", "2026", "--months", "1-8", "--json").stdout
    )
    assert hazards["period"]["end"] == "2026-08-31"
    total = hazards["total"]
    assert (total["found"], total["rectified"], total["rectification_rate"], total["overdue"]) == (
        2,
        1,
        50.0,
        1,
    )
    assert (total["orders_due"], total["reviewed"], total["review_rate"]) == (1, 0, 0.0)
    enforcement = json.loads(
        run(db_path, "enforcement", "--county", COUNTY, "--months", "3-3", "--json").stdout
    )
    assert enforcement["total"]["change_pct"] == {"cases": 0.0, "fine_wan": None, "penalties": 0.0}
    assert enforcement["total"]["previous"] == {"cases": 1, "fine_wan": 0.0, "penalties": 1}
    assert enforcement["total"]["penalties"] == 1
    training = json.loads(run(db_path, "training", "--county", COUNTY, "--json").stdout)
    a_row = training["rows"][0]
    assert (a_row["coverage_pct"], a_row["pass_rate"]) == (75.0, 90.0)


def test_county_defaults_to_the_home_county(db_path):
    result = run(db_path, "townships", "--json", "--months", "1-7", env={"SAFETY_HOME_COUNTY": "甲县"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["county"] == "甲县"
    # 乙县 is in regions only: no ledger of it has reached any month, so its figures are "no data".
    result = run(db_path, "townships", "--json", env={"SAFETY_HOME_COUNTY": "乙县"})
    assert result.returncode == 1
    assert "乙县" in result.stderr and "没有数据" in result.stderr and "Traceback" not in result.stderr


def test_human_tables_are_chinese_with_dashes_and_the_no_township_label(db_path):
    result = run(db_path, "hazards", "--county", COUNTY)
    assert result.returncode == 0, result.stderr
    assert "县直/未填乡镇" in result.stdout and "合计" in result.stdout and "整改率" in result.stdout
    b_line = next(line for line in result.stdout.splitlines() if line.startswith("B镇"))
    assert "—" in b_line  # B镇 found nothing: its rates cannot be computed
    assert "None" not in result.stdout
    for command, header in (
        ("enforcement", "立案数同比"),
        ("training", "覆盖率"),
        ("townships", "直接经济损失"),
    ):
        result = run(db_path, command, "--county", COUNTY)
        assert result.returncode == 0, result.stderr
        assert header in result.stdout


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["hazards", "--county", "甲"], 1, "甲县"),
        (["training", "--county", "丙县", "--json"], 1, "未知的县市区"),
        (["hazards", "--county", COUNTY, "--months", "9-3"], 2, "--months"),
        (["enforcement", "--county", COUNTY, "--months", "一月"], 2, "--months"),
        (["townships", "--county", COUNTY, "--months", "1-13"], 2, "--months"),
        (["hazards", "--county", COUNTY, "--by", "unit"], 2, "参数错误"),
        (["training", "--county", COUNTY, "--year", "0"], 2, "--year"),
    ],
)
def test_exit_statuses(db_path, args, status, message):
    result = run(db_path, *args)
    assert result.returncode == status
    assert message in result.stderr
    if "--json" in args:
        assert "error" in json.loads(result.stdout)
    else:
        assert result.stdout == ""


def test_empty_database_is_rejected_with_a_reason(empty_db):
    result = run(empty_db, "hazards", "--json")
    assert result.returncode == 1
    assert "还没有数据" in result.stderr and "import" in result.stderr
