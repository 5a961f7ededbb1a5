"""What the report says, in reading order: the figures it gathers and the blocks they become.

`report_figures` calls the metric functions (the same ones the pages and the
command line call) and nothing else computes a figure; `report_blocks` turns
those figures into the seed report's paragraphs and the attachments.
"""

from __future__ import annotations

import datetime as dt

import duckdb

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
from analytics.metrics.coverage import coverage_document
from analytics.metrics.enforcement import enforcement, top_department
from analytics.metrics.hazards import hazards
from analytics.metrics.indicators import indicators
from analytics.metrics.periods import Period
from analytics.metrics.ranking import ranking
from analytics.metrics.townships import townships
from analytics.metrics.training import training
from analytics.text.wording import area_word, coverage_notices


def report_figures(
    con: duckdb.DuckDBPyConnection, county: str, period: Period, today: dt.date | None = None
) -> dict:
    """Every figure the report prints, straight from the metric functions (nothing recomputed here)."""
    by_department = enforcement(con, period, county, by="department", today=today)
    return {
        "county": county,
        "period": period.to_json(today),
        "indicators": indicators(con, period, county, today=today),
        "ranking": ranking(con, period, today=today),
        "coverage": coverage_document(con, REPORT_SOURCES, county, today),
        "hazards": hazards(con, period, county, by="township", today=today)["total"],
        "enforcement": {
            "total": by_department["total"],
            "top_department": top_department(by_department["rows"]),
        },
        "training": training(con, period, county, by="category", today=today),
        "townships": townships(con, period, county, today=today),
    }


# The county's own ledgers behind the report (the ranking names the counties behind itself).
REPORT_SOURCES = ("accidents", "hazards", "inspections", "enforcement", "training")


def coverage_blocks(figures: dict) -> list[Block]:
    """A note under the subtitle naming each source whose data stop before the period ends."""
    lines = coverage_notices({"period": figures["period"], "coverage": figures.get("coverage")})
    lines += coverage_notices(figures["ranking"]) if "ranking" in figures else []
    return [Block("note", f"数据说明：{'；'.join(dict.fromkeys(lines))}。")] if lines else []


def report_blocks(figures: dict) -> list[Block]:
    """The whole report in reading order, from the figures `report.report_figures` gathered."""
    county = figures["county"]
    period = Period(figures["period"]["year"], *figures["period"]["months"])
    whole = area_word(county)
    government = f"{whole.removeprefix('全')}政府"
    label = period.label
    hazards, enforcement = figures["hazards"], figures["enforcement"]
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
        Block(
            "paragraph",
            opening_paragraph(figures["indicators"], figures["ranking"], county, period, government),
        ),
        Block("heading", "一、关于进一步抓好《安全生产法》宣传教育的问题"),
        Block("paragraph", training_paragraph(figures["training"], label, whole), lead="加强安全培训。"),
        Block("heading", "二、关于不断加大安全监管工作力度的问题"),
        Block(
            "paragraph",
            enforcement_paragraph(enforcement["total"], enforcement["top_department"], label),
            lead="推进安全执法规范化。",
        ),
        Block("heading", "三、关于切实增强安全生产监管整体合力的问题"),
    ]
    followup = hazard_followup_paragraph(
        hazards, enforcement["total"]["suspensions"], date_text(figures["period"]["as_of"])
    )
    # 一是/二是 only when there are two points to number.
    first, second = ("一是", "二是") if followup else ("", "")
    blocks.append(
        Block("paragraph", inspection_paragraph(hazards, label), lead=f"{first}全面开展安全生产大检查。")
    )
    if followup:
        blocks.append(Block("paragraph", followup, lead=f"{second}督促隐患整改落实。"))
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
