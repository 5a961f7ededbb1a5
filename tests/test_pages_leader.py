"""The leader pages (总览, 四项指标趋势, 全市排位) run through AppTest from dashboard.py.

On the bundled sample the figures on screen must equal the metric functions'
output; on a database without records every page shows 暂无数据 instead of a
traceback; the filters follow the URL; meeting mode turns on from the URL.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics import store
from analytics.metrics.common import data_years, default_period, home_county
from analytics.metrics.indicators import INDICATOR_UNITS, INDICATORS, indicators, monthly
from analytics.metrics.periods import Period
from analytics.metrics.ranking import ranking
from analytics.text import wording
from tests.apptest_support import DEFAULT_PAGE, markdown_text, run_page
from tests.stores import copy_db
from ui import data

LEADER_PAGES = (DEFAULT_PAGE, "pages/trends.py", "pages/ranking.py")


@pytest.fixture
def sample(sample_db_path, monkeypatch):
    """$SAFETY_DB -> the session's sample database; yields (home county, default period)."""
    monkeypatch.setenv("SAFETY_DB", str(sample_db_path))
    monkeypatch.delenv("SAFETY_HOME_COUNTY", raising=False)
    with store.connect(sample_db_path) as con:
        return home_county(con), default_period(con)


def test_overview_figures_equal_the_metrics(sample, sample_db_path):
    county, period = sample
    app = run_page("pages/overview.py")
    with store.connect(sample_db_path) as con:
        doc = indicators(con, period, county)
        ranks = ranking(con, period)
    shown = markdown_text(app)
    for name in INDICATORS:
        figure = doc["indicators"][name]
        unit = INDICATOR_UNITS[name]
        assert wording.fmt_amount(figure["value"], unit) in shown
        assert f"去年同期 {wording.fmt_amount(figure['previous'], unit)}" in shown
        assert wording.change_phrase(figure["value"], figure["previous"], figure["change_pct"], unit) in shown
    assert wording.verdict(doc) in shown
    row = next(r for r in ranks["counties"] if r["county"] == county)
    for name in INDICATORS:
        assert f"第{row['rank'][name]}位" in shown
    assert f"数据截至{wording.month_text(period.year, period.last_month)}" in shown
    paragraph = wording.overview_paragraph(doc, ranks, county, period)
    assert [c.value for c in app.code] == [paragraph]
    assert app.selectbox(key="filter_county").value == county
    assert "示例数据" in " ".join(str(i.value) for i in app.info)


def test_trends_tables_equal_the_monthly_figures(sample, sample_db_path):
    county, period = sample
    app = run_page("pages/trends.py")
    with store.connect(sample_db_path) as con:
        frame = monthly(con, period.year, county)
    frame = frame[frame["month"] <= period.last_month]
    # One indicator at a time (事故起数 first): its monthly and cumulative table; then sectors and townships.
    chosen = app.button_group(key="trends-indicator")
    assert chosen.value == INDICATORS[0] == "accidents"
    tables = [t.value for t in app.dataframe]
    assert len(tables) == 2 + 2
    accidents_monthly, accidents_cumulative = tables[0], tables[1]
    assert list(accidents_monthly.iloc[:, 1]) == [wording.fmt_count(v) for v in frame["accidents"]]
    assert list(accidents_monthly.iloc[:, 2]) == [wording.fmt_count(v) for v in frame["accidents_previous"]]
    assert list(accidents_cumulative.iloc[:, 1]) == [wording.fmt_count(v) for v in frame["accidents_cum"]]
    assert len(app.get("plotly_chart")) == 2 + 2
    # Each indicator is one click away, and then its tables are the ones shown.
    chosen.set_value("direct_loss_wan").run()
    assert not app.exception, [e.value for e in app.exception]
    loss_monthly, loss_cumulative = app.dataframe[0].value, app.dataframe[1].value
    assert list(loss_monthly.iloc[:, 1]) == [wording.fmt_money(v) for v in frame["direct_loss_wan"]]
    # 同比 is the metric's (from the exact sums), only put into words on the page.
    for table, suffix in ((loss_monthly, ""), (loss_cumulative, "_cum")):
        expected = [
            wording.change_phrase(v, p, None if pd.isna(c) else float(c), INDICATOR_UNITS["direct_loss_wan"])
            for v, p, c in zip(
                frame[f"direct_loss_wan{suffix}"],
                frame[f"direct_loss_wan_previous{suffix}"],
                frame[f"direct_loss_wan_change_pct{suffix}"],
                strict=True,
            )
        ]
        assert list(table["同比"]) == expected
    assert len(app.get("plotly_chart")) == 2 + 2


def test_trends_sector_table_matches_by_sector(sample, sample_db_path):
    county, period = sample
    app = run_page("pages/trends.py")
    with store.connect(sample_db_path) as con:
        doc = indicators(con, period, county)
    sectors = app.dataframe[2].value
    assert list(sectors["行业领域"]) == [row["sector"] for row in doc["by_sector"]]
    assert list(sectors.iloc[:, 1]) == [wording.fmt_count(row["accidents"]) for row in doc["by_sector"]]
    assert list(sectors["同比"]) == [
        wording.change_phrase(
            r["accidents"],
            r["previous"]["accidents"],
            r["change_pct"]["accidents"],
            INDICATOR_UNITS["accidents"],
        )
        for r in doc["by_sector"]
    ]


def test_ranking_table_lists_every_county_by_rank(sample, sample_db_path):
    county, period = sample
    app = run_page("pages/ranking.py")
    with store.connect(sample_db_path) as con:
        doc = ranking(con, period)
    table = app.dataframe[0].value
    expected = sorted(doc["counties"], key=lambda r: (r["rank"]["accidents"], r["county"]))
    assert list(table["排位"]) == [r["rank"]["accidents"] for r in expected]
    assert list(table["县市区"]) == [
        r["county"] + ("（本县）" if r["county"] == county else "") for r in expected
    ]
    assert list(table.iloc[:, 2]) == [wording.fmt_count(r["accidents"]) for r in expected]
    assert "数据来源" in table.columns and table["数据来源"].notna().all()
    assert len(table) == len(doc["counties"]) >= 2
    # The other indicators are one click away: then the table ranks by that one.
    app.button_group(key="ranking-indicator").set_value("deaths").run()
    assert not app.exception, [e.value for e in app.exception]
    table = app.dataframe[0].value
    expected = sorted(doc["counties"], key=lambda r: (r["rank"]["deaths"], r["county"]))
    assert list(table["排位"]) == [r["rank"]["deaths"] for r in expected]
    assert list(table.iloc[:, 2]) == [wording.fmt_count(r["deaths"]) for r in expected]


def test_filters_follow_the_url(sample, sample_db_path):
    county, period = sample
    with store.connect(sample_db_path) as con:
        others = [r["county"] for r in ranking(con, period)["counties"] if r["county"] != county]
    other = others[0]
    app = run_page("pages/overview.py", {"county": other, "year": str(period.year), "months": "2-3"})
    assert app.selectbox(key="filter_county").value == other
    assert app.select_slider(key="filter_months").value == (2, 3)
    with store.connect(sample_db_path) as con:
        doc = indicators(con, Period(period.year, 2, 3), other)
    assert wording.verdict(doc) in markdown_text(app)
    assert app.query_params["county"] == [other] or app.query_params["county"] == other


def test_bad_url_values_fall_back_to_the_defaults(sample):
    county, period = sample
    app = run_page("pages/overview.py", {"county": "不存在县", "year": "1900", "months": "9-3"})
    assert app.selectbox(key="filter_county").value == county
    assert app.selectbox(key="filter_year").value == period.year
    assert app.select_slider(key="filter_months").value == (period.first_month, period.last_month)


def test_meeting_mode_from_the_url(sample):
    app = run_page(DEFAULT_PAGE, {"meeting": "1", "cycle": "30"})
    assert app.toggle(key="meeting_mode").value is True
    assert any(b.label == "退出会议模式" for b in app.button)
    assert "meeting" in app.query_params and "cycle" in app.query_params
    trends = run_page("pages/trends.py", {"meeting": "1"})
    assert not trends.get("download_button") and not trends.dataframe
    normal = run_page("pages/trends.py")
    assert normal.get("download_button") and normal.dataframe


@pytest.mark.parametrize("page", LEADER_PAGES)
def test_empty_database_shows_no_data(cleared_db, page):
    app = run_page(page)
    assert [s.value for s in app.subheader] == ["暂无数据"]
    assert "数据导入" in " ".join(str(i.value) for i in app.info)
    assert not app.get("plotly_chart")
    with store.connect(cleared_db) as con:
        assert default_period(con) is None  # the app did not reload the removed sample


def test_first_year_of_data_is_not_compared(sample, sample_db_path):
    with store.connect(sample_db_path) as con:
        first = min(data_years(con))
    app = run_page(DEFAULT_PAGE, {"year": str(first), "months": "1-12"})
    assert app.selectbox(key="filter_year").value == first
    assert any(f"没有{first - 1}年的数据" in str(i.value) for i in app.info)
    shown = markdown_text(app)
    assert "不作同比" in shown and "新增" not in shown and "全面上升" not in shown
    assert not app.code


def test_cached_query_sees_a_write_at_once(sample_db_path, tmp_path, monkeypatch):
    path = copy_db(sample_db_path, tmp_path, "copy")
    monkeypatch.setenv("SAFETY_DB", str(path))
    with store.connect(path) as con:
        county, period = home_county(con), default_period(con)
    before = data.query(indicators, period=period, county=county)
    assert data.query(indicators, period=period, county=county) == before
    with store.connect(path, read_only=False) as con:
        con.execute(
            "INSERT INTO accidents (accident_id, occurred_on, county, sector, deaths, injuries, direct_loss_wan) "
            "VALUES ('TEST-CACHE-1', ?, ?, '工业', 2, 1, 10.5)",
            [dt.date(period.year, period.last_month, 1), county],
        )
    after = data.query(indicators, period=period, county=county)
    assert after["indicators"]["accidents"]["value"] == before["indicators"]["accidents"]["value"] + 1
    assert after["indicators"]["deaths"]["value"] == before["indicators"]["deaths"]["value"] + 2


def test_ranking_marks_the_selected_county_apart_from_the_home_county(sample, sample_db_path):
    county, period = sample
    with store.connect(sample_db_path) as con:
        other = next(r["county"] for r in ranking(con, period)["counties"] if r["county"] != county)
    app = run_page("pages/ranking.py", {"county": other})
    names = list(app.dataframe[0].value["县市区"])
    assert f"{other}（所选）" in names and f"{county}（本县）" in names
    assert sum(name.endswith("）") for name in names) == 2
