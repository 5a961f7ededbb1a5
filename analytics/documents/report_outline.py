"""What the report says, in reading order: the figures it gathers and the blocks they become.

`report_figures` calls the metric functions (the same ones the pages and the
command line call) and nothing else computes a figure; `report_blocks` turns
those figures into the seed report's paragraphs and the attachments.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from analytics.contract.datasets import TRAINING_CATEGORIES
from analytics.documents.report_supervision import (
    ILLEGAL_ITEM,
    ROAD_TRAFFIC_ITEM,
    control_sentence,
    item_clause,
    listed_clause,
    projects_sentence,
    sources_clause,
    standardization_sentences,
)
from analytics.documents.report_tables import attachments
from analytics.documents.report_text import (
    Block,
    date_text,
    enforcement_paragraph,
    hazard_followup_paragraph,
    inspection_paragraph,
    opening_paragraph,
    township_paragraph,
    training_paragraph,
)
from analytics.metrics.control import control
from analytics.metrics.coverage import coverage_document
from analytics.metrics.enforcement import enforcement, top_department
from analytics.metrics.hazards import hazards
from analytics.metrics.indicators import indicators
from analytics.metrics.periods import Period
from analytics.metrics.projects import projects
from analytics.metrics.ranking import ranking
from analytics.metrics.reports import reports
from analytics.metrics.sources import sources
from analytics.metrics.standardization import standardization
from analytics.metrics.townships import townships
from analytics.metrics.training import training
from analytics.text.wording import area_word, coverage_notices


def named_sessions(con: duckdb.DuckDBPyConnection, period: Period, county: str) -> list[dict]:
    """The county's training sessions with a 培训班名称 held in the period, one per name in date order:
    `{"title", "first", "last", "days", "trainees", "categories"}` (days: distinct dates; categories in
    the contract's order)."""
    sql = """
        SELECT trim(title), min(held_on), max(held_on), count(DISTINCT held_on), sum(trainees),
               array_agg(DISTINCT category)
        FROM training
        WHERE county = $county AND held_on BETWEEN $start AND $end AND nullif(trim(title), '') IS NOT NULL
        GROUP BY trim(title)
        ORDER BY min(held_on), trim(title)
    """
    params = {"county": county, "start": period.start, "end": period.end}
    return [
        {
            "title": title,
            "first": first,
            "last": last,
            "days": days,
            "trainees": int(trainees),
            "categories": sorted(categories, key=TRAINING_CATEGORIES.index),
        }
        for title, first, last, days, trainees, categories in con.execute(sql, params).fetchall()
    ]


def reported_items(con: duckdb.DuckDBPyConnection, period: Period, county: str) -> set[str]:
    """The monthly items with a row in the period itself: an item reported only last year is not yet
    reported this year, and the report says nothing of it rather than "0起"."""
    sql = """
        SELECT DISTINCT item FROM monthly_reports
        WHERE county = ? AND year = ? AND month BETWEEN ? AND ?
    """
    params = [county, period.year, period.first_month, period.last_month]
    return {item for (item,) in con.execute(sql, params).fetchall()}


def report_figures(
    con: duckdb.DuckDBPyConnection, county: str, period: Period, today: dt.date | None = None
) -> dict:
    """Every figure the report prints, straight from the metric functions (nothing recomputed here)."""
    by_department = enforcement(con, period, county, by="department", today=today)
    items = reported_items(con, period, county)
    return {
        "county": county,
        "period": period.to_json(today),
        "indicators": indicators(con, period, county, today=today),
        "ranking": ranking(con, period, today=today),
        "coverage": report_coverage(con, county, today),
        "hazards": hazards(con, period, county, by="township", today=today)["total"],
        "enforcement": {
            "total": by_department["total"],
            "top_department": top_department(by_department["rows"]),
        },
        "training": training(con, period, county, by="category", today=today),
        "named_sessions": named_sessions(con, period, county),
        "townships": townships(con, period, county, today=today),
        "standardization": standardization(con, period, county, by="grade", today=today),
        "sources": sources(con, period, county, by="level", today=today),
        "projects": projects(con, period, county, today=today)["total"],
        "reports": {
            row["item"]: row
            for row in reports(con, period, county, by="item", today=today)["rows"]
            if row["item"] in items
        },
        "control": control(con, period, county, today=today),
    }


# The county's own monthly ledgers behind the report (the ranking names the counties behind itself); the
# registers (标准化, 重大危险源, 建设项目) gain records only now and then, so their last record is no coverage.
REPORT_SOURCES = ("accidents", "hazards", "inspections", "enforcement", "training", "monthly_reports")


def report_coverage(con: duckdb.DuckDBPyConnection, county: str, today: dt.date | None = None) -> dict:
    """{source: "YYYY-MM"} of REPORT_SOURCES; the departments' monthly reports only where the county has
    any, since the report leaves their sentences out, not notes them as missing."""
    document = coverage_document(con, REPORT_SOURCES, county, today)
    return {source: month for source, month in document.items() if month or source != "monthly_reports"}


def coverage_blocks(figures: dict) -> list[Block]:
    """A note under the subtitle naming each source whose data stop before the period ends."""
    lines = coverage_notices({"period": figures["period"], "coverage": figures.get("coverage")})
    lines += coverage_notices(figures["ranking"]) if "ranking" in figures else []
    return [Block("note", f"数据说明：{'；'.join(dict.fromkeys(lines))}。")] if lines else []


def numbered(leads: list[str]) -> list[str]:
    """一是…/二是… before each lead when there are two or more points, none for a single one."""
    if len(leads) < 2:
        return leads
    return [f"{ORDINALS[index]}是{lead}" for index, lead in enumerate(leads)]


ORDINALS = "一二三四五六七八九十"


def _paragraphs(points: list[tuple[str, str]]) -> list[Block]:
    """(lead, text) points with text, numbered 一是/二是 when more than one is left."""
    kept = [(lead, text) for lead, text in points if text]
    leads = numbered([lead for lead, _ in kept])
    return [Block("paragraph", text, lead=lead) for lead, (_, text) in zip(leads, kept, strict=True)]


def supervision_points(figures: dict, government: str, whole: str, label: str) -> list[Block]:
    """Section 二: 标准化 and 三同时, then 执法 with 道路交通违规行为 and 作出行政处罚."""
    as_of_text = date_text(figures["period"]["as_of"])
    standard = standardization_sentences(figures.get("standardization"), government, whole, as_of_text)
    building = projects_sentence(figures.get("projects"), whole, first=not standard)
    enforcement = figures["enforcement"]
    road = item_clause(figures.get("reports", {}).get(ROAD_TRAFFIC_ITEM))
    return _paragraphs(
        [
            (
                "推进企业安全生产标准化。" if standard else "加强建设项目安全设施“三同时”监管。",
                standard + building,
            ),
            (
                "推进安全执法规范化。",
                enforcement_paragraph(enforcement["total"], enforcement["top_department"], label, road),
            ),
        ]
    )


def inspection_points(figures: dict, government: str, whole: str, label: str) -> list[Block]:
    """Section 三: the 大检查 (sectors, hazards, 非法违法行为, 重大危险源), then 隐患整改 and 挂牌督办."""
    hazards, enforcement = figures["hazards"], figures["enforcement"]
    extra = (
        item_clause(figures.get("reports", {}).get(ILLEGAL_ITEM)),
        sources_clause(figures.get("sources"), whole),
    )
    followup = hazard_followup_paragraph(
        hazards,
        enforcement["total"]["suspensions"],
        date_text(figures["period"]["as_of"]),
        listed_clause(hazards),
    )
    return _paragraphs(
        [
            ("全面开展安全生产大检查。", inspection_paragraph(hazards, label, government, extra)),
            ("督促隐患整改落实。", followup),
        ]
    )


def report_blocks(figures: dict) -> list[Block]:
    """The whole report in reading order, from the figures `report_figures` gathered."""
    county = figures["county"]
    period = Period(figures["period"]["year"], *figures["period"]["months"])
    whole = area_word(county)
    government = f"{whole.removeprefix('全')}政府"
    label = period.label
    opening = opening_paragraph(figures["indicators"], figures["ranking"], county, period, government)
    opening += control_sentence(
        figures.get("control"), Period(period.year, 1, period.last_month).label, whole
    )
    training_text = training_paragraph(figures["training"], label, whole, figures.get("named_sessions"))
    blocks = [
        Block("title", "关于《安全生产法》贯彻实施情况的报告"),
        Block("subtitle", f"（{county}{period.year}年{label}）"),
        *coverage_blocks(figures),
        Block("salutation", "主任、各位副主任及各位委员："),
        Block(
            "paragraph",
            f"根据会议安排，下面，我代表{government}对{whole.removeprefix('全')}人大常委会"
            "《关于安全生产法执法检查意见》的落实情况报告如下，请予审议。",
        ),
        Block("paragraph", opening),
        Block("heading", "一、关于进一步抓好《安全生产法》宣传教育的问题"),
        Block("paragraph", training_text, lead="加强安全培训。"),
        Block("heading", "二、关于不断加大安全监管工作力度的问题"),
        *supervision_points(figures, government, whole, label),
        Block("heading", "三、关于切实增强安全生产监管整体合力的问题"),
        *inspection_points(figures, government, whole, label),
    ]
    townships = township_paragraph(figures["townships"]["rows"])
    if townships:
        blocks.append(Block("heading", "四、关于压实乡镇（街道）属地监管责任的问题"))
        blocks.append(Block("paragraph", townships))
    blocks.append(
        Block(
            "paragraph",
            f"下一步，{government}将进一步加大《安全生产法》的宣传力度，强化监督检查，严格落实“一岗双责”，"
            f"加强责任制考核，认真履行监管职责，不断提高监管水平，确保{whole}安全生产形势持续稳定。",
        )
    )
    blocks.extend(attachments(figures, county, f"{period.year}年{label}"))
    return blocks
