"""The subcommands of issue 10 run as a user runs them: JSON shapes, figures, tables and exit statuses."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from analytics import store
from analytics.store import PROJECT_ROOT
from analytics.text import fields
from tests.factories import accident_record, hazard, insert

D = dt.date
COUNTY = "甲县"
PERIOD_KEYS = {"year", "months", "start", "end", "as_of"}
ROW_KEYS = {
    "standardization": {
        "target",
        "applied",
        "passed",
        "completion_pct",
        "application_pct",
        "certified",
        "expiring",
    },
    "sources": {"in_force", "monitored", "monitoring_rate", "new"},
    "projects": {"projects", "evaluated", "evaluation_rate", "accepted"},
    "reports": {"value", "previous", "change_pct"},
}
CONTROL_ROW = {
    "township",
    "accidents",
    "accidents_cap",
    "accidents_progress",
    "accidents_status",
    "deaths",
    "deaths_cap",
    "deaths_progress",
    "deaths_status",
}


@pytest.fixture
def db_path(empty_db):
    """甲县 (A镇, B镇): accidents to 2026年7月, every new ledger; its hazard sources were all filed in 2025."""
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
            "accidents",
            [
                accident_record("a1", D(2026, 3, 1), township="A镇", deaths=1),
                accident_record("a2", D(2026, 7, 9), township="B镇"),
                accident_record("a3", D(2026, 7, 9), township="B镇", county="乙县"),
            ],
        )
        insert(
            con,
            "standardization",
            [
                {"record_id": "s1", "county": COUNTY, "township": "A镇", "enterprise": "甲厂", "grade": "二级",
                 "applied_on": D(2026, 2, 1), "passed_on": D(2026, 5, 1), "expires_on": D(2029, 4, 30)},
                {"record_id": "s2", "county": COUNTY, "township": None, "enterprise": "乙厂", "grade": "三级",
                 "applied_on": D(2023, 2, 1), "passed_on": D(2023, 5, 1), "expires_on": D(2026, 9, 15)},
            ],
        )  # fmt: skip
        insert(
            con,
            "standardization_targets",
            [
                {"year": 2026, "county": COUNTY, "grade": "二级", "target": 20},
                {"year": 2026, "county": COUNTY, "grade": "三级", "target": 60},
            ],
        )
        insert(
            con,
            "major_hazard_sources",
            [
                {"source_id": "m1", "county": COUNTY, "township": "B镇", "enterprise": "丙厂", "level": "三级",
                 "registered_on": D(2025, 4, 1), "deregistered_on": None, "monitored": True},
                {"source_id": "m2", "county": COUNTY, "township": "A镇", "enterprise": "丁厂", "level": "一级",
                 "registered_on": D(2025, 6, 1), "deregistered_on": D(2026, 8, 1), "monitored": False},
            ],
        )  # fmt: skip
        insert(
            con,
            "projects",
            [
                {"project_id": "p1", "county": COUNTY, "township": "A镇", "name": "一号项目",
                 "registered_on": D(2026, 3, 1), "evaluated_on": D(2026, 4, 1)},
                {"project_id": "p2", "county": COUNTY, "township": None, "name": "二号项目",
                 "registered_on": D(2026, 6, 1)},
            ],
        )  # fmt: skip
        insert(
            con,
            "monthly_reports",
            [
                {"year": 2026, "month": 3, "county": COUNTY, "department": "县公安局交警大队",
                 "item": "道路交通违法行为", "value": 1200},
                {"year": 2025, "month": 3, "county": COUNTY, "department": "县公安局交警大队",
                 "item": "道路交通违法行为", "value": 1500},
                {"year": 2026, "month": 5, "county": COUNTY, "department": "县应急管理局",
                 "item": "非法违法行为", "value": 9},
            ],
        )  # fmt: skip
        insert(
            con,
            "control_targets",
            [
                {"year": 2026, "county": COUNTY, "township": None, "accidents_cap": 10, "deaths_cap": 1},
                {"year": 2026, "county": COUNTY, "township": "A镇", "accidents_cap": 0, "deaths_cap": None},
            ],
        )
        insert(
            con,
            "enforcement",
            [{"case_id": "e1", "filed_on": D(2026, 3, 1), "county": COUNTY, "township": "A镇",
              "department": "县应急管理局", "measure": "警告"}],
        )  # fmt: skip
        insert(
            con,
            "hazards",
            [hazard("h1", D(2026, 3, 1), D(2026, 3, 9), level="重大隐患", listed_level="县级")],
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


def document(db_path, *args: str) -> dict:
    result = run(db_path, *args, "--county", COUNTY, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # exactly one document: anything else fails to parse


@pytest.mark.parametrize(
    ("command", "by", "keys", "coverage"),
    [
        ("standardization", "grade", ["一级", "二级", "三级"], {"standardization": "2026-02"}),
        ("standardization", "township", ["A镇", "B镇", None], {"standardization": "2026-02"}),
        ("sources", "level", ["一级", "二级", "三级", "四级"], {"major_hazard_sources": "2025-06"}),
        ("sources", "township", ["A镇", "B镇"], {"major_hazard_sources": "2025-06"}),
        ("projects", None, ["A镇", "B镇", None], {"projects": "2026-06"}),
        ("reports", "item", ["道路交通违法行为", "非法违法行为"], {"monthly_reports": "2026-05"}),
    ],
)
def test_json_documents_have_the_shapes_of_the_spec(db_path, command, by, keys, coverage):
    doc = document(db_path, command, *(["--by", by] if by else []))
    assert set(doc["period"]) == PERIOD_KEYS
    assert (doc["period"]["year"], doc["period"]["months"]) == (2026, [1, 7])  # 1 to the accidents' month
    assert doc["county"] == COUNTY and doc["coverage"] == coverage
    key = by or "township"
    assert [r[key] for r in doc["rows"]] == keys
    for row in doc["rows"]:
        assert set(row) == ROW_KEYS[command] | {key}
    if command != "reports":
        assert ROW_KEYS[command] <= set(doc["total"])


def test_reports_by_department_rows_carry_department_and_item(db_path):
    doc = document(db_path, "reports", "--by", "department")
    assert [(r["department"], r["item"]) for r in doc["rows"]] == [
        ("县公安局交警大队", "道路交通违法行为"),
        ("县应急管理局", "非法违法行为"),
    ]
    assert doc["rows"][1] == {
        "department": "县应急管理局",
        "item": "非法违法行为",
        "value": 9,
        "previous": 0,
        "change_pct": None,
    }


def test_figures_in_the_json(db_path):
    std = document(db_path, "standardization", "--year", "2026", "--months", "1-8")
    assert std["total"] == {
        "grade": "合计",
        "target": 80,
        "applied": 1,
        "passed": 1,
        "completion_pct": 1.3,
        "application_pct": 1.3,
        "certified": 2,
        "expiring": 1,  # 乙厂's certificate runs out on 2026-09-15, within 90 days of 2026-08-31
    }
    assert std["rows"][0]["target"] is None and std["rows"][0]["completion_pct"] is None  # 一级: no target
    sources = document(db_path, "sources", "--year", "2026", "--months", "1-8")
    # m2 is deregistered on 2026-08-01: in force through July, not at the end of August
    assert (sources["total"]["in_force"], sources["total"]["monitoring_rate"]) == (1, 100.0)
    july = document(db_path, "sources", "--months", "1-7")
    assert (july["total"]["in_force"], july["total"]["monitoring_rate"]) == (2, 50.0)
    projects = document(db_path, "projects")
    assert projects["total"]["projects"] == 2 and projects["total"]["evaluation_rate"] == 50.0
    reports = document(db_path, "reports", "--months", "3-3")
    assert reports["rows"] == [
        {"item": "道路交通违法行为", "value": 1200, "previous": 1500, "change_pct": -20.0}
    ]
    hazards = document(db_path, "hazards")
    assert (
        hazards["total"]["listed"],
        hazards["total"]["listed_overdue"],
        hazards["total"]["closure_rate"],
    ) == (
        1,
        1,
        0.0,
    )
    assert hazards["by_listed_level"][0] == {
        "listed_level": "县级",
        "listed": 1,
        "listed_closed": 0,
        "closure_rate": 0.0,
        "listed_overdue": 1,
    }


def test_control_document(db_path):
    doc = document(db_path, "control", "--months", "7-7")
    assert set(doc) >= {"period", "coverage", "time_progress", "county", "townships"}
    assert doc["period"]["months"] == [1, 7]  # always months 1–b
    assert doc["time_progress"] == 58.3
    assert set(doc["county"]) == CONTROL_ROW and doc["county"]["township"] is None
    assert (
        doc["county"]["accidents"],
        doc["county"]["accidents_progress"],
        doc["county"]["accidents_status"],
    ) == (
        2,
        20.0,
        "正常",
    )
    assert (doc["county"]["deaths_progress"], doc["county"]["deaths_status"]) == (100.0, "超过时间进度")
    (a_town,) = doc["townships"]
    assert set(a_town) == CONTROL_ROW
    assert (a_town["accidents_cap"], a_town["accidents_progress"], a_town["accidents_status"]) == (
        0,
        None,
        "超出控制指标",
    )
    assert a_town["deaths_status"] is None


@pytest.mark.parametrize(
    ("args", "headers"),
    [
        (["standardization"], ["创建等级", "standardization_passed", "completion_pct", "expiring"]),
        (["standardization", "--by", "township"], ["乡镇（街道）", "target", "certified"]),
        (["sources"], ["危险源等级", "in_force", "monitoring_rate"]),
        (["projects"], ["乡镇（街道）", "projects", "evaluation_rate", "accepted"]),
        (["reports"], ["统计项目", "report_value", "report_previous", "report_change_pct"]),
        (["control"], ["乡镇（街道）", "accidents_cap", "accidents_progress", "deaths_status"]),
        (["hazards"], ["乡镇（街道）", "general_found", "closure_rate", "sectors_inspected"]),
        (["enforcement"], ["部门", "penalties", "previous_penalties", "penalties_change_pct"]),
    ],
)
def test_human_tables_use_the_field_catalogue(db_path, args, headers):
    result = run(db_path, *args, "--county", COUNTY)
    assert result.returncode == 0, result.stderr
    header_line = next(line for line in result.stdout.splitlines() if line.startswith(headers[0]))
    for name in headers[1:]:
        assert fields.label(name) in header_line.split(), name
    assert "None" not in result.stdout and "nan" not in result.stdout


def test_text_names_the_null_township_expiring_certificates_and_time_progress(db_path):
    text = run(db_path, "standardization", "--by", "township", "--county", COUNTY, "--months", "1-8").stdout
    assert "县直/未填乡镇" in text and "合计" in text
    assert "乙厂" in text and "2026-09-15" in text
    control = run(db_path, "control", "--county", COUNTY).stdout
    assert "时间进度58.3%" in control and "超出控制指标" in control and "超过时间进度" in control
    reports = run(db_path, "reports", "--county", COUNTY, "--months", "3-3").stdout
    assert "下降20.0%" in reports and "1,200" in reports


def test_a_register_filed_last_year_is_not_no_data_but_a_county_without_any_is(db_path):
    result = run(db_path, "sources", "--county", COUNTY, "--year", "2026", "--months", "1-7", "--json")
    assert result.returncode == 0, result.stderr
    for command in ("sources", "standardization", "projects", "reports"):
        result = run(db_path, command, "--county", "乙县", "--json")
        assert result.returncode == 1, command
        assert "没有数据" in result.stderr and "Traceback" not in result.stderr
        assert "error" in json.loads(result.stdout)


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["standardization", "--county", COUNTY, "--by", "unit"], 2, "参数错误"),
        (["sources", "--county", COUNTY, "--by", "grade"], 2, "参数错误"),
        (["reports", "--county", COUNTY, "--months", "9-3"], 2, "--months"),
        (["control", "--county", "丙县"], 1, "未知的县市区"),
        (["projects", "--county", "甲"], 1, "甲县"),
    ],
)
def test_exit_statuses(db_path, args, status, message):
    result = run(db_path, *args)
    assert result.returncode == status
    assert message in result.stderr
    assert result.stdout == ""


def test_empty_database_is_rejected_with_a_reason(empty_db):
    for command in ("standardization", "sources", "projects", "reports", "control"):
        result = run(empty_db, command, "--json")
        assert result.returncode == 1, command
        assert "还没有数据" in result.stderr
