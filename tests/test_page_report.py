"""The 报告生成 page through AppTest from dashboard.py: the report's own text on screen, its tables,
the two download buttons, the county and period from the URL, and 暂无数据 on an empty database.
"""

from __future__ import annotations

import pytest

from analytics import store
from analytics.documents.report import report_content
from analytics.metrics.common import counties, default_period, home_county
from analytics.metrics.periods import Period
from tests.apptest_support import markdown_text, run_page
from tests.stores import new_db

PAGE = "pages/report.py"


@pytest.fixture
def sample(sample_db_path, monkeypatch):
    monkeypatch.setenv("SAFETY_DB", str(sample_db_path))
    monkeypatch.delenv("SAFETY_HOME_COUNTY", raising=False)
    with store.connect(sample_db_path) as con:
        return home_county(con), default_period(con), counties(con)


def test_page_shows_the_report_text_and_tables(sample, sample_db_path):
    county, period, _ = sample
    app = run_page(PAGE, role="analyst")
    with store.connect(sample_db_path) as con:
        blocks = report_content(con, county, period)["blocks"]
    text = markdown_text(app)
    for block in blocks:
        if block.kind == "paragraph":
            assert block.text in text
        elif block.kind == "heading":
            assert block.text in text
    tables = [b for b in blocks if b.kind == "table"]
    assert len(app.dataframe) == len(tables) == 4  # 附表1–4: the sample sets 控制指标
    for frame, block in zip((d.value for d in app.dataframe), tables, strict=True):
        assert list(frame.columns) == list(block.header)
        assert [tuple(row) for row in frame.astype(str).itertuples(index=False)] == list(block.rows)


def test_page_offers_both_downloads(sample):
    app = run_page(PAGE, role="analyst")
    labels = [str(button.proto.label) for button in app.get("download_button")]
    assert labels == ["下载报告（Word）", "下载会议简报（Word，一页）"]


def test_page_follows_the_county_and_period_of_the_url(sample, sample_db_path):
    county, period, known = sample
    other = next(c for c in known if c != county)
    app = run_page(PAGE, {"county": other, "year": str(period.year), "months": "2-5"}, role="analyst")
    text = markdown_text(app)
    assert f"（{other}{period.year}年2-5月）" in text
    with store.connect(sample_db_path) as con:
        blocks = report_content(con, other, Period(period.year, 2, 5))["blocks"]
    opening = next(b.text for b in blocks if b.kind == "paragraph" and "今年以来" in b.text)
    assert opening in text


def test_empty_database_shows_no_data(tmp_path, monkeypatch):
    from analytics.sample.lifecycle import load_sample, remove_sample

    path = new_db(tmp_path, "cleared")
    store.ensure_schema(path)
    load_sample(path)
    remove_sample(path)
    monkeypatch.setenv("SAFETY_DB", str(path))
    app = run_page(PAGE, role="analyst")
    assert "暂无数据" in [s.value for s in app.subheader]
    assert not app.get("download_button")
