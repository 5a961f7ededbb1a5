"""The supervision pages (隐患整改, 执法检查, 培训覆盖, 乡镇对比) through AppTest from dashboard.py.

On the bundled sample the figures on screen (cards and tables) must equal the
metric functions' output; on a database without records every page shows
暂无数据 instead of a traceback. Also the pure helpers under the pages: the
Excel export, colours by meaning and a township's profile.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from analytics import store
from analytics.charts import supervision as cs
from analytics.charts.leader import EQUAL, GREEN, RED
from analytics.documents.exports import dataframe_to_xlsx
from analytics.metrics import training as training_metrics
from analytics.metrics.common import NO_TOWNSHIP, counties, default_period, home_county
from analytics.metrics.enforcement import enforcement, enforcement_by_measure
from analytics.metrics.hazards import against_previous, hazards, overdue_hazards
from analytics.metrics.townships import TOWNSHIP_FIELDS, townships
from analytics.metrics.training import COUNTY_WIDE, training, training_gaps
from analytics.text import wording
from tests.apptest_support import markdown_text, run_page
from ui import supervision

PAGES = ("pages/hazards.py", "pages/enforcement.py", "pages/training.py", "pages/townships.py")


def keys(rows: list[dict], key: str) -> list[str]:
    return [NO_TOWNSHIP if r[key] is None else r[key] for r in rows]


def column(table: pd.DataFrame, field: str) -> list:
    """A shown column as plain Python values; a missing figure (−∞ on screen, drawn as —) as None."""
    return [None if pd.isna(v) or v == supervision.MISSING else v for v in table[cs.label(field)].tolist()]


@pytest.fixture
def sample(sample_db_path, monkeypatch):
    """$SAFETY_DB -> the session's sample database; yields (home county, default period)."""
    monkeypatch.setenv("SAFETY_DB", str(sample_db_path))
    monkeypatch.delenv("SAFETY_HOME_COUNTY", raising=False)
    with store.connect(sample_db_path) as con:
        return home_county(con), default_period(con)


def with_total(app, index: int) -> pd.DataFrame:
    """A breakdown as shown: its sortable rows (table `index`) and, in the table after it, the 合计 row."""
    rows, total = app.dataframe[index].value, app.dataframe[index + 1].value
    assert total.iloc[:, 0].tolist() == ["合计"] and "合计" not in rows.iloc[:, 0].tolist()
    return pd.concat([rows, total], ignore_index=True)


def test_hazards_page_shows_the_metric_figures(sample, sample_db_path):
    county, period = sample
    app = run_page("pages/hazards.py")
    with store.connect(sample_db_path) as con:
        by_township = hazards(con, period, county, by="township")
        by_department = hazards(con, period, county, by="department")
        overdue = overdue_hazards(con, period, county)
        previous = hazards(con, period.previous, county, by="township")["total"]
    total = by_township["total"]
    shown = markdown_text(app)
    assert f">{total['found']:,}条<" in shown
    # The cards' 同期 comparisons are the metric's: 同比 of counts, 百分点 of rates.
    compared = against_previous(total, previous)
    found = compared["found"]
    assert (
        f"同比{wording.change_phrase(found['value'], found['previous'], found['change_pct'], '条')}" in shown
    )
    for field in ("rectification_rate", "review_rate"):
        text = supervision.rate_change(total[field], compared[field]["change_points"])[0]
        assert text and text in shown, field
    for field in ("rectification_rate", "major_rectification_rate", "review_rate"):
        assert f">{wording.fmt_pct(total[field])}<" in shown
    assert f">{total['overdue']:,}条<" in shown
    assert f"到期 {total['orders_due']:,}份，已复查 {total['reviewed']:,}份" in shown
    assert f">{total['avg_days_to_rectify']:.1f}天<" in shown

    # The breakdown by township shows first; by department, once chosen, in its place.
    # The breakdown by township shows first; by department, once chosen, in its place (only one is built).
    township_table, listing = with_total(app, 0), app.dataframe[2].value
    app.button_group(key="hazards-breakdown").set_value("department").run()
    department_table = with_total(app, 0)
    assert app.dataframe[2].value.columns[0] == "隐患编号"  # the overdue list follows at once
    assert township_table["乡镇（街道）"].tolist() == keys(by_township["rows"], "township") + ["合计"]
    assert department_table["部门"].tolist() == keys(by_department["rows"], "department") + ["合计"]
    rows = [*by_township["rows"], total]
    for field in (
        "found",
        "rectified",
        "rectification_rate",
        "overdue",
        "review_rate",
        "avg_days_to_rectify",
    ):
        assert column(township_table, field) == [r[field] for r in rows], field
    assert listing["隐患编号"].tolist() == overdue["hazard_id"].tolist()
    assert listing["逾期天数"].tolist() == overdue["days_overdue"].tolist()
    assert len(listing) > 0  # the sample has overdue hazards, so the list and its download are exercised


def test_enforcement_page_shows_the_metric_figures(sample, sample_db_path):
    county, period = sample
    app = run_page("pages/enforcement.py")
    with store.connect(sample_db_path) as con:
        doc = enforcement(con, period, county, by="department")
        measures = enforcement_by_measure(con, period, county)
    total = doc["total"]
    shown = markdown_text(app)
    assert f">{total['cases']:,}件<" in shown
    assert f">{wording.fmt_money(total['fine_wan'])}万元<" in shown
    expected_change = wording.change_phrase(
        total["cases"], total["previous"]["cases"], total["change_pct"]["cases"], "件"
    )
    assert f"同比{expected_change}" in shown
    fine_change = wording.change_phrase(
        total["fine_wan"], total["previous"]["fine_wan"], total["change_pct"]["fine_wan"], "万元"
    )
    assert (
        f"同比{fine_change}" in shown
    )  # the document's 同比 (from exact sums), not one recomputed on screen
    suspensions = measures.set_index("measure").loc["责令停产停业整改"]
    assert f">{int(suspensions['cases']):,}家<" in shown

    departments, by_measure = with_total(app, 0), app.dataframe[2].value
    assert departments["部门"].tolist() == keys(doc["rows"], "department") + ["合计"]
    rows = [*doc["rows"], total]
    assert column(departments, "cases") == [r["cases"] for r in rows]
    assert column(departments, "fine_wan") == [r["fine_wan"] for r in rows]
    assert column(departments, "cases_change_pct") == [r["change_pct"]["cases"] for r in rows]
    assert by_measure["处理措施"].tolist() == measures["measure"].tolist()
    assert column(by_measure, "cases") == measures["cases"].tolist()


def test_training_page_shows_the_metric_figures(sample, sample_db_path):
    county, period = sample
    app = run_page("pages/training.py")
    with store.connect(sample_db_path) as con:
        by_township = training_metrics.township_table(con, period, county)
        by_category = training(con, period, county, by="category")
        gaps = training_gaps(con, period, county)
    total = by_township["total"]
    assert by_township["county_wide"]  # the sample has county-wide targets: the 全县统筹 row is exercised
    shown = markdown_text(app)
    assert f">{total['trained']:,}人<" in shown
    assert f">{total['required']:,}人<" in shown
    assert f">{wording.fmt_pct(total['coverage_pct'])}<" in shown
    assert f"时间进度 {wording.fmt_pct(by_township['time_progress'])}" in shown
    assert f"尚需培训 {training_metrics.still_to_train(total):,}人" in shown
    gap = training_metrics.gap_to_time_progress(total["coverage_pct"], by_township["time_progress"])
    assert supervision.progress_gap(gap)[0] in shown

    township_table, category_table = with_total(app, 0), with_total(app, 2)
    lag_list = app.dataframe[4].value
    assert township_table["乡镇（街道）"].tolist() == keys(by_township["rows"], "township") + ["合计"]
    assert category_table["培训对象"].tolist() == keys(by_category["rows"], "category") + ["合计"]
    for field in ("trained", "required", "coverage_pct", "pass_rate"):
        assert column(township_table, field) == [r[field] for r in [*by_township["rows"], total]], field
        assert column(category_table, field) == [r[field] for r in [*by_category["rows"], total]], field
    # The rows add up to the 合计 shown beneath them.
    for field in ("trained", "passed", "required"):
        shown_rows = township_table[cs.label(field)].iloc[:-1]
        assert shown_rows[shown_rows > float("-inf")].sum() == township_table[cs.label(field)].iloc[-1], field
    assert township_table["乡镇（街道）"].iloc[-2] == COUNTY_WIDE
    assert any(COUNTY_WIDE in str(c.value) for c in app.caption)
    # 县直/未填乡镇 has no target, so no coverage: on screen a number that sorts, never a null drawn as "None".
    assert by_township["rows"][-2]["required"] is None
    assert not township_table.isna().any().any()
    assert lag_list["乡镇（街道）"].tolist() == gaps["township"].tolist()
    assert lag_list["落后（百分点）"].tolist() == gaps["gap"].tolist()


def test_townships_page_table_ranking_and_profile(sample, sample_db_path):
    county, period = sample
    app = run_page("pages/townships.py")
    with store.connect(sample_db_path) as con:
        doc = townships(con, period, county)
    table, total_table = app.dataframe[0].value, app.dataframe[1].value
    assert table["乡镇（街道）"].tolist() == keys(doc["rows"], "township")
    assert doc["rows"][-1]["township"] is None and table["乡镇（街道）"].iloc[-1] == NO_TOWNSHIP
    for field in TOWNSHIP_FIELDS:
        assert column(table, field) == [r[field] for r in doc["rows"]], field
        assert column(total_table, field) == [doc["total"][field]], field

    # Picking the busiest township shows its own figures against the county's.
    busiest = max(doc["rows"], key=lambda r: r["found"])
    app.selectbox(key="townships-profile").select(busiest["township"]).run()
    assert not app.exception
    shown = markdown_text(app)
    assert f">{busiest['found']:,}<" in shown
    share = wording.round_half_up(busiest["found"] / doc["total"]["found"] * 100, 1)
    assert f"全县合计 {doc['total']['found']:,}" in shown and f"占全县 {share:.1f}%" in shown
    assert f">{wording.fmt_pct(busiest['rectification_rate'])}<" in shown

    # 县直/未填乡镇 has no coverage rate (no target of its own): its card reads — with no verdict.
    picker = app.selectbox(key="townships-profile")
    picker.select_index(len(picker.options) - 1).run()
    assert not app.exception, [e.value for e in app.exception]
    no_township = doc["rows"][-1]
    shown = markdown_text(app)
    share = wording.round_half_up(no_township["found"] / doc["total"]["found"] * 100, 1)
    assert f"占全县 {share:.1f}%" in shown
    assert no_township["coverage_pct"] is None and ">—<" in shown

    app.selectbox(key="townships-rank-field").select("overdue").run()
    assert not app.exception


def test_another_county_from_the_url(sample, sample_db_path):
    county, period = sample
    with store.connect(sample_db_path) as con:
        other = next(c for c in counties(con) if c != county)
        doc = hazards(con, period, other, by="township")
    app = run_page("pages/hazards.py", {"county": other})
    assert f">{doc['total']['found']:,}条<" in markdown_text(app)
    assert app.dataframe[1].value["排查隐患（条）"].tolist() == [doc["total"]["found"]]


@pytest.mark.parametrize("page", PAGES)
def test_pages_on_an_empty_database_say_no_data(cleared_db, page):
    app = run_page(page)
    assert any("暂无数据" in str(e.value) for e in app.subheader), page
    assert any("数据导入" in str(e.value) for e in app.info), page
    assert not app.dataframe


def test_excel_export_keeps_headers_numbers_and_dates():
    frame = pd.DataFrame(
        {
            "隐患单位": ["甲化工有限公司", "乙商贸"],
            "排查日期": [dt.date(2026, 7, 7), dt.date(2026, 9, 5)],
            "逾期天数": pd.array([56, 0], dtype="Int64"),
            "整改率": pd.array([81.3, None], dtype="Float64"),
        }
    )
    data = dataframe_to_xlsx(frame, sheet_name="逾期隐患", title="云溪县逾期隐患清单")
    back = pd.read_excel(io.BytesIO(data), header=1, engine="calamine")
    assert back.columns.tolist() == frame.columns.tolist()
    assert back["隐患单位"].tolist() == ["甲化工有限公司", "乙商贸"]
    assert back["逾期天数"].tolist() == [56, 0]
    assert back["整改率"].iloc[0] == 81.3 and pd.isna(back["整改率"].iloc[1])
    assert [d.date() for d in back["排查日期"]] == [dt.date(2026, 7, 7), dt.date(2026, 9, 5)]
    title = pd.read_excel(io.BytesIO(data), header=None, engine="calamine").iloc[0, 0]
    assert title == "云溪县逾期隐患清单"


@pytest.mark.parametrize(
    ("field", "values", "best", "worst"),
    [
        ("accidents", [0, 3, 8], 0, 2),  # fewer accidents is better
        ("overdue", [5, 0, 1], 1, 0),
        ("rectification_rate", [90.0, 100.0, None], 1, 0),  # a higher 整改率 is better
        ("cases", [1, 9, 4], 1, 0),  # more enforcement is better
    ],
)
def test_table_colours_follow_meaning(field, values, best, worst):
    shades = cs.meaning_shades(values, field)
    assert shades[best].startswith("#") and shades[worst].startswith("#")
    assert _greenish(shades[best]) and _reddish(shades[worst])
    assert all(shade is None for shade, v in zip(shades, values, strict=True) if v is None)


def test_neutral_and_flat_columns_carry_no_verdict():
    assert all(not _greenish(s) and not _reddish(s) for s in cs.meaning_shades([10, 200, 40], "found"))
    assert cs.meaning_shades([3, 3], "accidents") == ["#ffffff", "#ffffff"]


def test_change_text_and_colour():
    assert [cs.fmt_change(v) for v in (None, 0.0, 4.84, -25.3)] == ["新增", "持平", "上升4.8%", "下降25.3%"]
    rise, fall, new, flat = cs.sign_shades([4.8, -25.3, None, 0.0], "cases_change_pct")
    assert _greenish(rise) and _reddish(fall) and _greenish(new) and flat is None


def test_township_chart_and_table_colour_by_the_profile_verdict():
    rows = [
        {"township": "甲镇", **dict.fromkeys(TOWNSHIP_FIELDS, 0), "accidents": 3, "cases": 9},
        {"township": "乙镇", **dict.fromkeys(TOWNSHIP_FIELDS, 0), "accidents": 1, "cases": 1},
        {"township": None, **dict.fromkeys(TOWNSHIP_FIELDS, 0), "accidents": 8, "cases": 5},
    ]
    doc = {"rows": rows, "total": {"township": "合计", **dict.fromkeys(TOWNSHIP_FIELDS, 0), "accidents": 12}}
    figure = cs.township_ranking(doc, "accidents", "甲县 2026年1-8月")
    bars = dict(zip(figure.data[0].y, figure.data[0].marker.color, strict=True))
    # Average over the two townships is 2: 甲镇 (3) worse, 乙镇 (1) better, 县直/未填乡镇 no verdict.
    assert bars == {"甲镇": RED, "乙镇": GREEN, NO_TOWNSHIP: EQUAL}
    assert figure.layout.title.text.startswith("甲县 2026年1-8月")
    shades = cs.township_shades(doc, "accidents")
    assert _reddish(shades[0]) and _greenish(shades[1]) and shades[2] is None
    # 立案数 is a volume: blue by size, never green or red, in the chart and in the table.
    volume = cs.township_ranking(doc, "cases")
    assert set(volume.data[0].marker.color) == {cs.NEUTRAL_BLUE}
    assert "不评优劣" in volume.layout.title.text
    assert not any(_greenish(s) or _reddish(s) for s in cs.township_shades(doc, "cases"))


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _greenish(colour: str | None) -> bool:
    if not colour:
        return False
    red, green, blue = _rgb(colour)
    return green > red and green > blue


def _reddish(colour: str | None) -> bool:
    if not colour:
        return False
    red, green, blue = _rgb(colour)
    return red > green and red > blue


def test_missing_figures_read_dash_and_sort_last():
    rows = [
        {"township": "甲镇", "found": 4, "rectification_rate": 75.0, "cases_change_pct": 12.5},
        {"township": None, "found": 0, "rectification_rate": None, "cases_change_pct": None},
    ]
    fields = ["found", "rectification_rate", "cases_change_pct"]
    table = supervision.frame(rows, "township", fields)
    text = supervision.styled(table, fields).to_string()
    assert "75.0%" in text and "上升12.5%" in text and "县直/未填乡镇" in text
    assert "—" in text and "新增" in text
    assert "None" not in text and "inf" not in text and "nan" not in text.lower()
    shown = supervision.on_screen(table, fields)
    assert shown["整改率"].sort_values().tolist() == [supervision.MISSING, 75.0]


def test_training_without_targets_and_records_without_township(empty_db):
    """A county that trained people but was given no target: coverage reads —, and no lag list is invented."""
    from analytics.importing import import_file

    sessions = (
        "培训编号,培训日期,县市区,乡镇（街道）,培训对象,参训人数,考核合格人数\n"
        "T1,2026-03-02,甲县,,主要负责人,40,38\n"
        "T2,2026-04-10,甲县,一镇,安全管理人员,25,\n"
    ).encode()
    result = import_file(sessions, dataset="training", db=empty_db, file_name="training.csv")
    assert result["status"] == "imported", result["errors"]
    app = run_page("pages/training.py", {"county": "甲县", "year": "2026", "months": "1-6"})
    shown = markdown_text(app)
    assert ">65人<" in shown and "未下达年度培训任务" in shown
    assert any("尚未导入2026年度培训任务" in str(e.value) for e in app.info)
    assert not app.success
    township_table = with_total(app, 0)
    assert township_table["乡镇（街道）"].tolist() == ["一镇", NO_TOWNSHIP, "合计"]
    assert column(township_table, "trained") == [25, 40, 65]
    assert column(township_table, "coverage_pct") == [None, None, None]
    assert column(township_table, "pass_rate") == [None, 95.0, 95.0]  # only sessions that report passed


@pytest.fixture
def accidents_only(empty_db):
    """A database holding one accident of 甲县 (in 一镇) and nothing else."""
    from analytics.importing import import_file

    accidents = (
        "事故编号,发生日期,县市区,乡镇（街道）,行业领域,死亡人数,受伤人数,直接经济损失（万元）\n"
        "A1,2026-02-03,甲县,一镇,道路交通,1,2,3.5\n"
    ).encode()
    assert import_file(accidents, dataset="accidents", db=empty_db, file_name="a.csv")["status"] == "imported"
    return empty_db


@pytest.mark.parametrize(
    ("page", "says"),
    [
        ("pages/hazards.py", "隐患台账暂无数据"),
        ("pages/enforcement.py", "执法台账暂无数据"),
        ("pages/training.py", "培训台账暂无数据"),
    ],
)
def test_a_county_with_accidents_only(accidents_only, page, says):
    """Records of another kind exist, so the filters are set; each supervision page still says 暂无数据."""
    app = run_page(page, {"county": "甲县"})
    assert any("暂无数据" in str(e.value) for e in app.subheader)
    assert any(says in str(e.value) for e in app.info)
    assert not app.dataframe


def test_townships_of_a_county_with_accidents_only(accidents_only):
    app = run_page("pages/townships.py", {"county": "甲县"})
    table = app.dataframe[0].value
    assert table["乡镇（街道）"].tolist() == ["一镇"]
    assert column(table, "accidents") == [1] and column(table, "rectification_rate") == [None]
    assert ">—<" in markdown_text(app)  # its 整改率 card: no hazard found, so no rate


def test_empty_keys_are_named_by_what_is_missing():
    assert cs.key_text(None) == NO_TOWNSHIP
    assert cs.key_text(None, "kind") == "未填写" and cs.key_text("复查", "kind") == "复查"
    table = supervision.frame([{"kind": None, "inspections": 3}], "kind", ["inspections"])
    assert table["检查类型"].tolist() == ["未填写"]


def test_long_lists_are_written_as_row_by_row_rendering_would():
    """The 挂牌 and overdue lists are built column at a time; each cell reads as key_text / 已销号（日期） would."""
    from ui import listed

    closed = [dt.date(2026, 5, 20), None, dt.date(2026, 5, 20), dt.date(2026, 6, 1), None]
    listing = pd.DataFrame(
        {
            "hazard_id": [f"YH-{i}" for i in range(5)],
            "unit": ["甲", "乙", "丙", "丁", "戊"],
            "township": pd.Series(["城关镇", None, "城关镇", "河口镇", None], dtype="string"),
            "listed_level": ["县级"] * 5,
            "deadline": [dt.date(2026, 4, 1)] * 5,
            "status": ["已销号", "未销号", "已销号", "已销号", "未销号"],
            "closed_on": closed,
            "days_overdue": pd.Series([None, 12, None, None, 3], dtype="Int64"),
        }
    )
    shown = listed.listing_frame(listing)
    assert shown["乡镇（街道）"].tolist() == [cs.key_text(v) for v in listing["township"]]
    assert shown["乡镇（街道）"].tolist()[1] == NO_TOWNSHIP
    assert shown["销号情况"].tolist() == [
        "已销号（2026-05-20）",
        "未销号",
        "已销号（2026-05-20）",
        "已销号（2026-06-01）",
        "未销号",
    ]
    assert cs.key_texts(pd.Series([None, "部门甲"], dtype="string"), "department").tolist() == [
        "未填写",
        "部门甲",
    ]
    assert cs.key_texts(pd.Series([], dtype="string")).tolist() == []
