"""The pages of issue 10 through AppTest from dashboard.py: 标准化达标, 重大危险源, 三同时, and the new parts of
总览 (控制指标), 乡镇对比 (township caps), 隐患整改 (挂牌督办) and 执法检查 (作出行政处罚, 部门月报).

On the bundled sample the figures on screen equal the metric functions' output; on a database without
records each new page says 暂无数据; in meeting mode each runs and draws its tables static. Also the
helpers beneath: a control status picks its colour, a chart bar its status.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analytics import store
from analytics.charts import palette
from analytics.charts import progress as charts
from analytics.charts import supervision as cs
from analytics.metrics.common import NO_TOWNSHIP, default_period, home_county
from analytics.metrics.control import AHEAD_OF_TIME, NORMAL, OVER_CAP, control
from analytics.metrics.enforcement import enforcement
from analytics.metrics.hazards import hazards, listed_hazards
from analytics.metrics.projects import projects
from analytics.metrics.reports import reports
from analytics.metrics.sources import sources
from analytics.metrics.standardization import expiring_certificates, standardization
from analytics.text import fields, wording
from tests.apptest_support import markdown_text, run_page
from ui import control as control_view
from ui import supervision

NEW_PAGES = ("pages/standardization.py", "pages/sources.py", "pages/projects.py")


@pytest.fixture
def sample(sample_db_path, monkeypatch):
    """$SAFETY_DB -> the session's sample database; yields (home county, default period)."""
    monkeypatch.setenv("SAFETY_DB", str(sample_db_path))
    monkeypatch.delenv("SAFETY_HOME_COUNTY", raising=False)
    with store.connect(sample_db_path) as con:
        return home_county(con), default_period(con)


def keys(rows: list[dict], key: str) -> list[str]:
    return [NO_TOWNSHIP if r[key] is None else r[key] for r in rows]


def column(table: pd.DataFrame, field: str) -> list:
    """A shown column as plain values; a missing figure (−∞ on screen, drawn as —) as None."""
    return [None if pd.isna(v) or v == supervision.MISSING else v for v in table[cs.label(field)].tolist()]


def breakdown(app, index: int) -> pd.DataFrame:
    """A breakdown as shown: its rows (table `index`) and its 合计 (the table after it)."""
    rows, total = app.dataframe[index].value, app.dataframe[index + 1].value
    assert total.iloc[:, 0].tolist() == ["合计"]
    return pd.concat([rows, total], ignore_index=True)


def test_standardization_page_shows_the_metric_figures(sample, sample_db_path):
    county, period = sample
    app = run_page("pages/standardization.py")
    with store.connect(sample_db_path) as con:
        by_grade = standardization(con, period, county, by="grade")
        by_township = standardization(con, period, county, by="township")
        expiring = expiring_certificates(con, period, county)
    shown = markdown_text(app)
    with_targets = [row for row in by_grade["rows"] if row["target"]]
    assert with_targets, "the sample sets the year's targets"
    for row in with_targets:
        assert f">{row['grade']}达标<" in shown
        assert f">{fields.fmt_with_unit('standardization_passed', row['passed'])}<" in shown
        assert f"年度任务 {fields.fmt_with_unit('target', row['target'])}" in shown
        assert f"完成率 {wording.fmt_pct(row['completion_pct'])}" in shown
    total = by_grade["total"]
    assert f">{fields.fmt_with_unit('certified', total['certified'])}<" in shown

    grades = breakdown(app, 0)
    rows = [*by_grade["rows"], total]
    assert grades.iloc[:, 0].tolist() == [r["grade"] for r in by_grade["rows"]] + ["合计"]
    for field in ("target", "applied", "completion_pct", "certified", "expiring"):
        assert column(grades, field) == [r[field] for r in rows], field
    assert column(grades, "standardization_passed") == [r["passed"] for r in rows]
    townships = breakdown(app, 2)
    assert townships.iloc[:, 0].tolist() == keys(by_township["rows"], "township") + ["合计"]
    assert column(townships, "standardization_passed") == [
        r["passed"] for r in [*by_township["rows"], by_township["total"]]
    ]
    if expiring.empty:
        assert len(app.dataframe) == 4
    else:
        listing = app.dataframe[4].value
        assert listing["企业名称"].tolist() == expiring["enterprise"].tolist()
        assert listing[fields.label("days_left")].tolist() == expiring["days_left"].tolist()


def test_sources_page_shows_the_metric_figures(sample, sample_db_path):
    county, period = sample
    app = run_page("pages/sources.py")
    with store.connect(sample_db_path) as con:
        by_level = sources(con, period, county, by="level")
        by_township = sources(con, period, county, by="township")
    total = by_level["total"]
    assert total["in_force"], "the sample has sources in force"
    shown = markdown_text(app)
    assert f">{fields.fmt_with_unit('in_force', total['in_force'])}<" in shown
    assert f">{fields.fmt_value('monitoring_rate', total['monitoring_rate'])}<" in shown
    assert f">{fields.fmt_with_unit('new', total['new'])}<" in shown
    for index, doc, key in ((0, by_level, "level"), (2, by_township, "township")):
        table = breakdown(app, index)
        assert table.iloc[:, 0].tolist() == keys(doc["rows"], key) + ["合计"]
        for field in ("in_force", "monitored", "monitoring_rate", "new"):
            assert column(table, field) == [r[field] for r in [*doc["rows"], doc["total"]]], (key, field)


def test_projects_page_shows_the_metric_figures(sample, sample_db_path):
    county, period = sample
    app = run_page("pages/projects.py")
    with store.connect(sample_db_path) as con:
        doc = projects(con, period, county)
    total = doc["total"]
    assert total["projects"], "the sample has new projects"
    shown = markdown_text(app)
    assert f">{fields.fmt_with_unit('projects', total['projects'])}<" in shown
    assert f">{fields.fmt_value('evaluation_rate', total['evaluation_rate'])}<" in shown
    table = breakdown(app, 0)
    assert table.iloc[:, 0].tolist() == keys(doc["rows"], "township") + ["合计"]
    for field in ("projects", "evaluated", "evaluation_rate", "accepted"):
        assert column(table, field) == [r[field] for r in [*doc["rows"], total]], field


def test_overview_shows_the_county_control_targets_beside_time_progress(sample, sample_db_path):
    county, period = sample
    app = run_page()
    with store.connect(sample_db_path) as con:
        doc = control(con, period, county)
    row = doc["county"]
    assert row is not None, "the sample sets the county's caps"
    assert any(wording.fmt_pct(doc["time_progress"]) in str(h.value) for h in app.subheader)
    shown = markdown_text(app)
    for name in ("accidents", "deaths"):
        assert f">{fields.short_label(name)}控制指标<" in shown
        assert f"控制数 {fields.fmt_with_unit(name, row[f'{name}_cap'])}" in shown
        status = row[f"{name}_status"]
        colour = charts.STATUS_COLOURS[status] if status != NORMAL else palette.LEVEL
        assert f'style="color:{colour}">{status}<' in shown


def test_townships_page_lists_the_township_caps_with_their_status(sample, sample_db_path):
    county, period = sample
    app = run_page("pages/townships.py")
    with store.connect(sample_db_path) as con:
        doc = control(con, period, county)
    assert doc["townships"], "the sample sets township caps"
    # One indicator at a time (事故起数 first); 死亡人数 is one click away.
    for name in ("accidents", "deaths"):
        if name != "accidents":
            app.button_group(key="control-indicator").set_value(name).run()
            assert not app.exception, [e.value for e in app.exception]
        table = app.dataframe[-1].value
        assert table["乡镇（街道）"].tolist() == keys(doc["townships"], "township")
        for field in (name, f"{name}_cap", f"{name}_progress"):
            assert column(table, field) == [r[field] for r in doc["townships"]], field
        shown_status = table[fields.label(f"{name}_status")].tolist()
        assert shown_status == [r[f"{name}_status"] or wording.DASH for r in doc["townships"]]


def test_hazards_page_lists_the_listed_hazards_and_their_closure_rate(sample, sample_db_path):
    county, period = sample
    app = run_page("pages/hazards.py")
    with store.connect(sample_db_path) as con:
        total = hazards(con, period, county, by="township")["total"]
        listing = listed_hazards(con, period, county)
    assert total["listed"], "the sample has listed hazards"
    shown = markdown_text(app)
    assert f">{fields.fmt_value('closure_rate', total['closure_rate'])}<" in shown
    assert f">{fields.fmt_with_unit('listed_overdue', total['listed_overdue'])}<" in shown
    townships = breakdown(app, 0)
    assert column(townships, "general_found")[-1] == total["general_found"]
    shown_list = next(d.value for d in app.dataframe if "销号情况" in d.value.columns)
    assert shown_list["隐患编号"].tolist() == listing["hazard_id"].tolist()
    assert [text[:3] for text in shown_list["销号情况"]] == listing["status"].tolist()
    closed = listing["closed_on"].notna()
    assert all(
        str(on) in text
        for on, text in zip(listing["closed_on"][closed], shown_list["销号情况"][closed], strict=True)
    )
    days = [None if pd.isna(v) or v == supervision.MISSING else v for v in shown_list["逾期天数"]]
    assert days == [None if pd.isna(v) else v for v in listing["days_overdue"]]


def test_enforcement_page_shows_penalties_and_the_monthly_reports(sample, sample_db_path):
    county, period = sample
    app = run_page("pages/enforcement.py")
    with store.connect(sample_db_path) as con:
        total = enforcement(con, period, county, by="department")["total"]
        items = reports(con, period, county, by="item")
        by_department = reports(con, period, county, by="department")
    shown = markdown_text(app)
    assert f">{fields.fmt_with_unit('penalties', total['penalties'])}<" in shown
    change = wording.change_phrase(
        total["penalties"], total["previous"]["penalties"], total["change_pct"]["penalties"], "起"
    )
    assert f"同比{change}" in shown
    assert items["rows"], "the sample has monthly report items"
    for row in items["rows"]:
        assert f">{row['item']}<" in shown
    table = app.dataframe[-1].value
    assert table["部门"].tolist() == [r["department"] for r in by_department["rows"]]
    assert table["同比"].tolist() == [
        wording.change_phrase(r["value"], r["previous"], r["change_pct"], "起") for r in by_department["rows"]
    ]


@pytest.mark.parametrize("page", NEW_PAGES)
def test_new_pages_on_an_empty_database_say_no_data(cleared_db, page):
    app = run_page(page)
    assert any("暂无数据" in str(e.value) for e in app.subheader), page
    assert not app.dataframe


@pytest.mark.parametrize("page", NEW_PAGES)
def test_new_pages_in_meeting_mode_draw_static_tables(sample, page):
    app = run_page(page, {"meeting": "1"})
    assert app.table and not app.dataframe, page


@pytest.mark.parametrize(
    ("status", "colour", "shade"),
    [
        (OVER_CAP, palette.BAD, palette.BAD_SHADE),
        (AHEAD_OF_TIME, palette.WARNING, palette.WARNING_SHADE),
        (NORMAL, palette.GOOD, None),
        (None, palette.LEVEL, None),
    ],
)
def test_a_control_status_picks_its_colour(status, colour, shade):
    row = {
        "township": None,
        "accidents": 3,
        "accidents_cap": None if status is None else 4,
        "accidents_progress": None if status is None else 75.0,
        "accidents_status": status,
        "deaths": 0,
        "deaths_cap": None,
        "deaths_progress": None,
        "deaths_status": None,
    }
    figure = charts.township_control([row], "accidents", 66.7, "t")
    assert list(figure.data[0].marker.color) == [colour]
    styles = control_view.styled(control_view.township_frame([row], "accidents"), "accidents").to_html()
    if shade:
        assert f"background-color: {shade}" in styles
    else:
        assert palette.BAD_SHADE not in styles and palette.WARNING_SHADE not in styles
    table = control_view.township_frame([row], "accidents")
    assert table["乡镇（街道）"].tolist() == [NO_TOWNSHIP]
    assert table["事故起数控制情况"].tolist() == [status or wording.DASH]
