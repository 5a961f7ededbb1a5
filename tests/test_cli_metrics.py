"""`python -m analytics indicators|ranking` as a user runs them: JSON shape, text, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from analytics import store
from analytics.metrics.indicators import indicators
from analytics.metrics.periods import Period
from analytics.metrics.ranking import ranking
from analytics.store import PROJECT_ROOT
from tests.factories import accident, insert_accidents


def cli(*args: str, db=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("SAFETY_HOME_COUNTY", None)
    command = [sys.executable, "-m", "analytics", *args]
    if db is not None:
        command += ["--db", str(db)]
    return subprocess.run(
        command, capture_output=True, text=True, encoding="utf-8", cwd=PROJECT_ROOT, env=env, timeout=120
    )


@pytest.fixture
def loaded_db(empty_db):
    insert_accidents(
        empty_db,
        [
            accident(1, "2026-03-02", county="甲县", deaths=1, injuries=2, loss=2.675),
            accident(2, "2026-08-09", county="甲县", sector="工业", deaths=3),
            accident(3, "2025-05-05", county="甲县", deaths=2),
            accident(4, "2026-04-04", county="乙县", injuries=1),
        ],
    )
    with store.connect(empty_db, read_only=False) as con:
        con.execute("INSERT INTO regions VALUES ('丙县', '一镇', '某市')")
        con.execute("INSERT INTO city_bulletin VALUES (2026, 8, '乙县', 2, 1, 0, 1.5)")
    return empty_db


def test_indicators_json(loaded_db):
    result = cli(
        "indicators", "--county", "甲县", "--year", "2026", "--months", "1-8", "--json", db=loaded_db
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["county"] == "甲县"
    assert doc["period"]["months"] == [1, 8] and doc["period"]["start"] == "2026-01-01"
    assert set(doc["period"]) >= {"year", "months", "start", "end", "as_of"}
    assert doc["indicators"]["accidents"] == {"value": 2, "previous": 1, "change_pct": 100.0}
    assert doc["indicators"]["direct_loss_wan"]["value"] == 2.68
    assert doc["double_decline"] is False
    assert doc["major_accidents"]["value"] == 1
    assert [row["sector"] for row in doc["by_sector"]] == ["道路交通", "工业"]


def test_indicators_default_period_is_latest_month(loaded_db):
    result = cli("indicators", "--json", db=loaded_db)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["county"] is None
    assert doc["period"]["year"] == 2026 and doc["period"]["months"] == [1, 8]
    assert doc["indicators"]["accidents"]["value"] == 3


def test_indicators_text(loaded_db):
    result = cli("indicators", "--county", "甲县", "--months", "8", db=loaded_db)
    assert result.returncode == 0, result.stderr
    assert "事故起数" in result.stdout and "新增1起" in result.stdout
    assert "环比" in result.stdout


def test_ranking_json(loaded_db):
    result = cli("ranking", "--year", "2026", "--months", "1-8", "--json", db=loaded_db)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["source"] == {"丙县": "records", "乙县": "mixed", "甲县": "records"}
    rows = {row["county"]: row for row in doc["counties"]}
    assert set(rows) == {"甲县", "乙县", "丙县"}
    for row in rows.values():
        assert set(row) >= {
            "county",
            "accidents",
            "deaths",
            "injuries",
            "direct_loss_wan",
            "rank",
            "change_pct",
            "change_rank",
        }
    assert rows["丙县"]["rank"]["accidents"] == 1
    assert rows["乙县"]["accidents"] == 3  # 4月 from records, 8月 from the bulletin


def test_ranking_text(loaded_db):
    result = cli("ranking", db=loaded_db)
    assert result.returncode == 0, result.stderr
    assert "全市排位" in result.stdout and "甲县" in result.stdout


@pytest.mark.parametrize("command", ["indicators", "ranking"])
def test_empty_database_exit_1(empty_db, command):
    result = cli(command, "--json", db=empty_db)
    assert result.returncode == 1
    assert "还没有数据" in result.stderr
    assert "error" in json.loads(result.stdout)


def test_unknown_county_exit_1_with_suggestion(loaded_db):
    result = cli("indicators", "--county", "甲", db=loaded_db)
    assert result.returncode == 1
    assert "未知的县市区" in result.stderr and "甲县" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("months", ["13", "8-1", "x", "1-2-3", "0-3"])
def test_bad_months_exit_2(loaded_db, months):
    result = cli("indicators", "--months", months, db=loaded_db)
    assert result.returncode == 2
    assert "--months" in result.stderr


def test_bad_year_and_unknown_option_exit_2(loaded_db):
    assert cli("ranking", "--year", "0", db=loaded_db).returncode == 2
    assert cli("ranking", "--year", "abc", db=loaded_db).returncode == 2
    assert cli("ranking", "--bogus", db=loaded_db).returncode == 2


def test_cli_prints_what_the_pages_get(loaded_db):
    period = Period(2026, 1, 8)
    with store.connect(loaded_db) as con:
        expected_indicators = indicators(con, period, "甲县")
        expected_ranking = ranking(con, period)
    got = cli("indicators", "--county", "甲县", "--year", "2026", "--months", "1-8", "--json", db=loaded_db)
    assert json.loads(got.stdout) == json.loads(json.dumps(expected_indicators, ensure_ascii=False))
    got = cli("ranking", "--year", "2026", "--months", "1-8", "--json", db=loaded_db)
    assert json.loads(got.stdout) == json.loads(json.dumps(expected_ranking, ensure_ascii=False))
