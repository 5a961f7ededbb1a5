"""One field, one label and one unit: the page (AppTest), the CLI's text, the report (.docx) and Excel agree.

Each surface is rendered for real on the bundled sample and its headers are read
back; every one must be the field catalogue's header, letter for letter.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pandas as pd
import pytest

from analytics import store
from analytics.documents.exports import dataframe_to_xlsx
from analytics.documents.report import render, report_content
from analytics.documents.report_tables import TOWNSHIP_TABLE_FIELDS
from analytics.metrics.common import default_period, home_county
from analytics.metrics.hazards import hazards
from analytics.store import PROJECT_ROOT
from analytics.text import fields
from analytics.text.wording import fmt_count
from tests.apptest_support import markdown_text, run_page
from tests.docx_support import docx_text

# Fields with a count and a unit the seed fixes, shown on a page's cards and in the report's prose.
SEED_UNITS = {"found": "条", "major_found": "条", "cases": "件", "units_inspected": "家", "accidents": "起"}


@pytest.fixture(scope="module")
def sample(sample_db_path):
    with store.connect(sample_db_path) as con:
        county, period = home_county(con), default_period(con)
        content = report_content(con, county, period)
        hazard_doc = hazards(con, period, county, by="township")
    return county, period, content, hazard_doc


@pytest.fixture
def on_sample(sample_db_path, monkeypatch):
    monkeypatch.setenv("SAFETY_DB", str(sample_db_path))
    monkeypatch.delenv("SAFETY_HOME_COUNTY", raising=False)


def _cli(sample_db_path, *args: str) -> str:
    env = {**os.environ, "SAFETY_DB": str(sample_db_path), "PYTHONIOENCODING": "utf-8"}
    env.pop("SAFETY_HOME_COUNTY", None)
    result = subprocess.run(
        [sys.executable, "-m", "analytics", "--db", str(sample_db_path), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=PROJECT_ROOT,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _cli_header(text: str, first: str) -> str:
    """The header line of the CLI's table whose first column is `first`."""
    return next(line for line in text.splitlines() if line.startswith(first))


def _xlsx_header(shown) -> list[str]:
    """The header row of the page's table as its Excel download writes it (−∞ is on screen only)."""
    frame = shown.astype(object).where(shown != float("-inf"), None)
    data = dataframe_to_xlsx(frame, title="标题")
    return pd.read_excel(io.BytesIO(data), header=1, engine="calamine").columns.tolist()


def test_seed_units_are_the_catalogue_units():
    assert {name: fields.unit(name) for name in SEED_UNITS} == SEED_UNITS
    assert fields.label("review_rate") == "整改指令书复查率"


def test_township_fields_have_one_header_on_page_cli_report_and_excel(sample, sample_db_path, on_sample):
    _, _, content, _ = sample
    expected = [fields.label(name) for name in TOWNSHIP_TABLE_FIELDS]

    report_header = next(
        b.header for b in content["blocks"] if b.kind == "table" and b.header[0] == "乡镇（街道）"
    )
    _, docx_tables = docx_text(render(content["blocks"]))
    docx_header = next(t[0] for t in docx_tables if t[0][0] == "乡镇（街道）")

    page = run_page("pages/townships.py")
    page_table = page.dataframe[0].value
    excel_header = _xlsx_header(page_table)

    cli_header = _cli_header(_cli(sample_db_path, "townships"), "乡镇（街道）")

    for header in expected:
        assert header in report_header, header
        assert header in docx_header, header
        assert header in list(page_table.columns), header
        assert header in excel_header, header
        assert header in cli_header.split(), header


def test_hazard_fields_have_one_label_and_unit_everywhere(sample, sample_db_path, on_sample):
    _, _, content, hazard_doc = sample
    total = hazard_doc["total"]
    report_text, _ = docx_text(render(content["blocks"]))
    page = run_page("pages/hazards.py")
    cards = markdown_text(page)
    cli_header = _cli_header(_cli(sample_db_path, "hazards"), "乡镇（街道）").split()

    for name in ("found", "rectification_rate", "overdue", "review_rate", "units_inspected"):
        # The breakdown table holds the hazard fields; the 安全检查 chart's table holds units_inspected.
        table = next(d.value for d in page.dataframe if fields.label(name) in d.value.columns)
        assert fields.label(name) in cli_header, name
        assert fields.label(name) in _xlsx_header(table), name
    for name in ("found", "units_inspected"):
        amount = f"{fmt_count(total[name])}{fields.unit(name)}"
        assert f">{amount}<" in cards or f" {amount}<" in cards, name  # a card's value or its detail line
        assert amount in report_text, name
    assert fields.label("review_rate") in report_text  # 事故隐患整改指令书复查率达 …


def test_case_unit_is_the_same_on_page_cli_and_report(sample, sample_db_path, on_sample):
    _, _, content, _ = sample
    figures = content["figures"]["enforcement"]["total"]
    unit = fields.unit("cases")
    page = markdown_text(run_page("pages/enforcement.py"))
    assert f">{fmt_count(figures['cases'])}{unit}<" in page
    report_text, _ = docx_text(render(content["blocks"]))
    assert f"{fmt_count(figures['cases'])}{unit}" in report_text
    cli = _cli(sample_db_path, "enforcement")
    assert fields.label("cases") in _cli_header(cli, "部门").split()
    # No other unit for a case anywhere in the CLI's 同比 column.
    assert "起（去年同期为0）" not in cli
