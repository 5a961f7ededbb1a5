"""The seed's blanks filled on the bundled sample: each figure the .docx prints equals a pandas
recomputation over the sample's raw rows (metrics.md, not `analytics.metrics`), and a sentence
whose data the sample lacks is absent.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from analytics import store
from analytics.documents.report import build_report
from analytics.metrics.common import default_period, home_county
from tests.docx_support import docx_text
from tests.stores import query_frame

TODAY = dt.date.today()
GRADES = ("一级", "二级", "三级")
LEVELS = ("一级", "二级", "三级", "四级")
PENALTIES = ("罚款", "警告", "责令停产停业整改", "取缔关闭", "暂扣吊销证照")  # metrics.md, Enforcement


@pytest.fixture(scope="module")
def sample(sample_db_path):
    """(county, period, as_of, the .docx text, {table: the county's rows})."""
    with store.connect(sample_db_path) as con:
        county, period = home_county(con), default_period(con, today=TODAY)
        data = build_report(con, county, period, today=TODAY)
        tables = {
            name: query_frame(con, f"SELECT * FROM {name} WHERE county = ?", [county])
            for name in (
                "accidents",
                "inspections",
                "hazards",
                "enforcement",
                "training",
                "standardization",
                "standardization_targets",
                "major_hazard_sources",
                "projects",
                "monthly_reports",
                "control_targets",
            )
        }
    text, docx_tables = docx_text(data)
    text += "\n" + "\n".join("｜".join(row) for table in docx_tables for row in table)
    as_of = min(period.end, TODAY)
    return county, period, pd.Timestamp(as_of), text, tables


def _pct(numerator: int, denominator: int) -> str:
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value}%"


def _dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    frame = frame.copy()
    for column in columns:
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _in(frame: pd.DataFrame, column: str, start, end) -> pd.DataFrame:
    return frame[frame[column].between(pd.Timestamp(start), pd.Timestamp(end))]


def _change(value: int, previous: int, text: str) -> str:
    """同比 as metrics.md words it, computed here."""
    if previous == 0:
        return f"{text}（去年同期为0）" if value else f"{text}，与去年同期持平"
    if value == previous:
        return f"{text}，与去年同期持平"
    change = (Decimal(value - previous) * 100 / Decimal(previous)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    if value == 0:
        return f"{text}，比去年同期下降100%"
    return f"{text}，比去年同期{'上升' if change > 0 else '下降'}{abs(change)}%"


def test_standardization_targets_and_applications(sample):
    _, period, as_of, text, tables = sample
    targets = tables["standardization_targets"]
    targets = targets[(targets["year"] == period.year) & (targets["target"] > 0)].set_index("grade")["target"]
    records = _dates(tables["standardization"], "applied_on", "passed_on")
    applied = records[(records["applied_on"].dt.year == period.year) & (records["applied_on"] <= as_of)]
    counts = applied["grade"].value_counts()
    if targets.empty:
        assert "努力实现" not in text
    else:
        tasks = [f"{targets[g]:,}户企业的{g}达标" for g in GRADES if g in targets]
        joined = tasks[0] if len(tasks) == 1 else "、".join(tasks[:-1]) + "和" + tasks[-1]
        assert f"努力实现{joined}任务" in text
    if counts.empty:
        assert "自查自评" not in text
    else:
        done = [f"{counts[g]:,}户{g}达标企业" for g in GRADES if g in counts]
        joined = done[0] if len(done) == 1 else "、".join(done[:-1]) + "及" + done[-1]
        assert f"已完成{joined}的自查自评和网上申报工作" in text
        passed = records[(records["passed_on"].dt.year == period.year) & (records["passed_on"] <= as_of)]
        if len(passed):
            assert f"今年已有{len(passed):,}户企业通过评审验收" in text


def test_projects(sample):
    _, period, as_of, text, tables = sample
    projects = _in(
        _dates(tables["projects"], "registered_on", "evaluated_on"), "registered_on", period.start, period.end
    )
    if projects.empty:
        assert "新建项目" not in text
        return
    evaluated = int((projects["evaluated_on"] <= as_of).sum())
    assert f"跟踪督促全县{len(projects):,}个新建项目依法开展安全生产评价" in text
    if evaluated:
        assert f"已开展安全评价{evaluated:,}个，安全评价率{_pct(evaluated, len(projects))}" in text


def _item(tables: dict, period, item: str) -> tuple[int, int, bool]:
    rows = tables["monthly_reports"]
    rows = rows[(rows["item"] == item) & rows["month"].between(period.first_month, period.last_month)]
    current, previous = rows[rows["year"] == period.year], rows[rows["year"] == period.year - 1]
    return int(current["value"].sum()), int(previous["value"].sum()), not current.empty


@pytest.mark.parametrize(
    "item, words", [("道路交通违法行为", "道路交通违规行为"), ("非法违法行为", "查处整治非法、违法行为")]
)
def test_monthly_items(sample, item, words):
    _, period, _, text, tables = sample
    value, previous, reported = _item(tables, period, item)
    if not reported:
        assert words not in text
    else:
        assert _change(value, previous, f"{words}{value:,}起") in text


def test_penalties(sample):
    _, period, _, text, tables = sample
    cases = _dates(tables["enforcement"], "filed_on")
    cases = cases[cases["measure"].isin(PENALTIES)]
    value = len(_in(cases, "filed_on", period.start, period.end))
    previous = len(_in(cases, "filed_on", period.previous.start, period.previous.end))
    if value:
        assert "作出行政处罚" + _change(value, previous, f"{value:,}起") in text
    else:
        assert "作出行政处罚" not in text


def test_sectors_and_general_hazards(sample):
    _, period, _, text, tables = sample
    inspections = _in(_dates(tables["inspections"], "inspected_on"), "inspected_on", period.start, period.end)
    sectors = inspections["sector"].dropna()
    sectors = sectors[sectors != ""].nunique()
    if sectors:
        assert f"确定了{sectors:,}个行业领域" in text
    else:
        assert "个行业领域" not in text
    hazards = _in(_dates(tables["hazards"], "found_on"), "found_on", period.start, period.end)
    general, major = int((hazards["level"] == "一般隐患").sum()), int((hazards["level"] == "重大隐患").sum())
    if hazards.empty:
        return
    if major and general:
        assert (
            f"排查一般安全隐患{general:,}条、重大事故隐患{major:,}条，共排查安全隐患{len(hazards):,}条"
            in text
        )
    elif not major:
        assert f"排查一般安全隐患{general:,}条" in text


def test_major_hazard_sources(sample):
    _, _, as_of, text, tables = sample
    sources = _dates(tables["major_hazard_sources"], "registered_on", "deregistered_on")
    in_force = sources[
        (sources["registered_on"] <= as_of)
        & (sources["deregistered_on"].isna() | (sources["deregistered_on"] > as_of))
    ]
    if in_force.empty:
        assert "重大危险源建立分级监控机制" not in text
        return
    assert f"对全县{len(in_force):,}处重大危险源建立分级监控机制" in text
    counts = in_force["level"].value_counts()
    if len(counts) > 1:
        assert (
            "（其中" + "、".join(f"{level}{counts[level]:,}处" for level in LEVELS if level in counts) + "）"
            in text
        )
    monitored = int(in_force["monitored"].fillna(False).astype(bool).sum())
    if monitored:
        assert f"已接入在线监控{monitored:,}处，在线监控率{_pct(monitored, len(in_force))}" in text


def test_control_targets(sample):
    _, period, _, text, tables = sample
    caps = tables["control_targets"]
    caps = caps[(caps["year"] == period.year) & caps["township"].isna()]
    if caps.empty:
        assert "对照年度控制指标" not in text
        return
    accidents = _in(
        _dates(tables["accidents"], "occurred_on"), "occurred_on", dt.date(period.year, 1, 1), period.end
    )
    figures = {
        "accidents": (len(accidents), "事故起数", "起"),
        "deaths": (int(accidents["deaths"].sum()), "死亡人数", "人"),
    }
    cap_row = caps.iloc[0]
    for name, (value, words, unit) in figures.items():
        cap = cap_row[f"{name}_cap"]
        if pd.isna(cap):
            continue
        phrase = f"{words}控制数为{int(cap):,}{unit}，1-{period.last_month}月累计{value:,}{unit}"
        if cap:
            phrase += f"，占控制指标的{_pct(value, int(cap))}"
        assert phrase in text
    time = (Decimal(period.last_month) * 100 / 12).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert f"时间进度为{time}%" in text

    # 附表4: each township with a cap, its own accidents of months 1–b against it.
    townships = tables["control_targets"]
    townships = townships[(townships["year"] == period.year) & townships["township"].notna()]
    for row in townships.itertuples():
        mine = accidents[accidents["township"] == row.township]
        cells = [row.township]
        for value, cap in ((len(mine), row.accidents_cap), (int(mine["deaths"].sum()), row.deaths_cap)):
            if pd.isna(cap):
                cells += [f"{value:,}", "—", "—", "—"]
                continue
            progress = _pct(value, int(cap)) if cap else "—"
            over_time = cap and Decimal(value) * 100 / Decimal(int(cap)) > time
            status = "超出控制指标" if value > cap else "超过时间进度" if over_time else "正常"
            cells += [f"{value:,}", f"{int(cap):,}", progress, status]
        assert "｜".join(cells) in text, cells


def test_named_training_sessions(sample):
    _, period, _, text, tables = sample
    sessions = _in(_dates(tables["training"], "held_on"), "held_on", period.start, period.end)
    sessions = sessions[sessions["title"].fillna("").str.strip() != ""].copy()
    if sessions.empty:
        assert "举办第" not in text
        return
    sessions["title"] = sessions["title"].str.strip()
    courses = sessions.groupby("title").agg(
        first=("held_on", "min"), last=("held_on", "max"), trainees=("trainees", "sum")
    )
    courses = courses.reset_index().sort_values(["first", "title"])
    courses["series"] = courses["title"].str.replace(
        r"^第[一二三四五六七八九十百零〇两\d]+期", "", regex=True
    )
    # Up to six courses each is named; beyond, each series by its first course, its count and its total.
    named = courses if len(courses) <= 6 else courses.groupby("series", sort=False).head(1)
    for course in named.itertuples():
        first = course.first
        match = re.search(
            f"{first.month}月{first.day}日[^举；]*举办{re.escape(course.title)}，培训[^；。]*?([\\d,]+)人",
            text,
        )
        assert match, course.title
        assert int(match.group(1).replace(",", "")) == int(course.trainees), course.title
        series = courses[courses["series"] == course.series]
        if len(courses) > 6 and len(series) > 1:
            last = series["last"].max()
            total = int(series["trainees"].sum())
            assert (
                f"至{last.month}月{last.day}日共举办{course.series}{len(series)}期、培训{total:,}人" in text
            )


def test_the_sample_fills_every_blank(sample):
    """The sample carries every new dataset, so each test above checks a figure and not only an absence."""
    *_, text, _ = sample
    for phrase in (
        "努力实现",
        "自查自评和网上申报工作",
        "个新建项目依法开展安全生产评价",
        "道路交通违规行为",
        "作出行政处罚",
        "个行业领域",
        "查处整治非法、违法行为",
        "重大危险源建立分级监控机制",
        "排查一般安全隐患",
        "实行挂牌督办",
        "对照年度控制指标",
        "举办第一期",
    ):
        assert phrase in text, phrase
