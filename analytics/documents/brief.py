"""The one-page meeting brief: the overview paragraph, the four indicator cards and two charts, as .docx.

The figures are the overview page's (indicators, ranking, monthly); the charts
are `analytics.charts` figures exported to PNG through kaleido, so their Chinese
is drawn by the CJK font of the charts, not by Word.
"""

from __future__ import annotations

import datetime as dt
import io

import duckdb
import pandas as pd
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Mm, Pt

from analytics.charts.leader import export_ready, figure_png, monthly_bars, ranking_bars
from analytics.documents.report import (
    BODY_FONT,
    HEADING_FONT,
    LEAD_FONT,
    TITLE_FONT,
    exact_spacing,
    fix_table_grid,
    indent_first_line,
    new_document,
    no_indent,
    style_run,
    text_width,
)
from analytics.documents.report_supervision import control_sentence
from analytics.documents.report_text import date_text, ranked, table_change
from analytics.documents.xml_text import clean
from analytics.metrics.control import control
from analytics.metrics.indicators import INDICATORS, indicators, monthly
from analytics.metrics.periods import Period
from analytics.metrics.ranking import ranking
from analytics.text import fields
from analytics.text.wording import area_word, overview_paragraph, provisional_note, source_note, verdict

BRIEF_BODY_SIZE = Pt(14)  # 四号: one page holds the paragraph, the cards and the charts
BRIEF_LINE_SPACING = Pt(24)
CARD_VALUE_SIZE = Pt(18)  # 小二
CHART_PIXELS = (620, 470)
NO_CHROMIUM = "图表未能生成：本机未找到 Chromium 浏览器（导出图表图片需要），请安装 chromium 后重新生成。"


def brief_content(
    con: duckdb.DuckDBPyConnection, county: str, period: Period, today: dt.date | None = None
) -> dict:
    """The brief as data: title, verdict, paragraph (with the 控制指标 against time progress when the county
    has them), cards and the two chart figures (Plotly)."""
    indicators_doc = indicators(con, period, county, today=today)
    ranking_doc = ranking(con, period, today=today)
    is_ranked = ranked(ranking_doc, county)
    months = monthly(con, period.year, county, today=today)
    months = months[months["month"].between(period.first_month, period.last_month)].reset_index(drop=True)
    cards = []
    for name in INDICATORS:
        figure = indicators_doc["indicators"][name]
        cards.append(
            {
                "label": fields.short_label(name),
                "value": fields.fmt_with_unit(name, figure["value"]),
                "change": table_change(figure["value"], figure["previous"], figure["change_pct"]),
                "previous": fields.fmt_with_unit(name, figure["previous"]),
            }
        )
    charts = [monthly_bars(months, "accidents", period.year)]
    if is_ranked:
        frame = pd.DataFrame(
            {
                "county": [row["county"] for row in ranking_doc["counties"]],
                "accidents": [row["accidents"] for row in ranking_doc["counties"]],
                "rank": [row["rank"]["accidents"] for row in ranking_doc["counties"]],
            }
        )
        charts.append(
            ranking_bars(
                frame,
                "accidents",
                county,
                f"事故起数全市排位（{source_note(ranking_doc['source'].get(county))}）",
                "事故起数（起）",
            )
        )
    else:
        charts.append(monthly_bars(months, "deaths", period.year))
    return {
        "title": f"{county}安全生产情况简报",
        "subtitle": f"{period.year}年{period.label}　数据截至{date_text(indicators_doc['period']['as_of'])}",
        "verdict": verdict(indicators_doc),
        "paragraph": overview_paragraph(indicators_doc, ranking_doc if is_ranked else None, county, period)
        + control_sentence(
            control(con, period, county, today=today),
            Period(period.year, 1, period.last_month).label,
            area_word(county),
            with_townships=False,  # one page: the townships are in the report
        ),
        "provisional": provisional_note(indicators_doc),
        "cards": cards,
        # The charts travel in a document of their own: each names the county and the period.
        "charts": [
            export_ready(chart, county, f"{period.year}年{period.label}", CHART_PIXELS[0]) for chart in charts
        ],
    }


def _chart_images(charts: list) -> list[bytes] | None:
    """PNG bytes of each chart; None when no Chromium is installed to draw them."""
    from choreographer.errors import BrowserDepsError, ChromeNotFoundError

    try:
        return [figure_png(chart, *CHART_PIXELS) for chart in charts]
    except (ChromeNotFoundError, BrowserDepsError):
        return None


def _paragraph(document, text: str, font: str, size: Pt, *, center: bool = False, bold: bool = False):
    paragraph = document.add_paragraph()
    exact_spacing(paragraph, BRIEF_LINE_SPACING)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        no_indent(paragraph)
    style_run(paragraph.add_run(text), font, size, bold=bold)
    return paragraph


def _cards_table(document, cards: list[dict], width: int) -> None:
    table = document.add_table(rows=1, cols=len(cards))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [width // len(cards)] * len(cards)
    fix_table_grid(table, widths)
    for cell, card, cell_width in zip(table.rows[0].cells, cards, widths, strict=True):
        cell.width = cell_width
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        lines = (
            (card["label"], HEADING_FONT, BRIEF_BODY_SIZE, False),
            (card["value"], BODY_FONT, CARD_VALUE_SIZE, True),
            (f"同比{card['change']}", BODY_FONT, Pt(11), False),
            (f"去年同期{card['previous']}", BODY_FONT, Pt(11), False),
        )
        for index, (text, font, size, bold) in enumerate(lines):
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            no_indent(paragraph)
            exact_spacing(paragraph, Pt(size.pt + 8))
            style_run(paragraph.add_run(text), font, size, bold=bold)


def _charts_row(document, images: list[bytes], width: int) -> None:
    table = document.add_table(rows=1, cols=len(images))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [width // len(images)] * len(images)
    fix_table_grid(table, widths)
    for cell, image, cell_width in zip(table.rows[0].cells, images, widths, strict=True):
        cell.width = cell_width
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        no_indent(paragraph)
        # The body's exact 28-point lines would crop an inline picture to one line's height.
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        paragraph.add_run().add_picture(io.BytesIO(image), width=cell_width - Mm(2))


def render_brief(content: dict) -> bytes:
    """Lay out brief content (from `brief_content`) on one A4 page and return the .docx bytes."""
    document = new_document()
    section = document.sections[0]
    section.top_margin, section.bottom_margin = Mm(25), Mm(20)
    width = int(text_width(document))
    _paragraph(document, content["title"], TITLE_FONT, Pt(22), center=True)
    _paragraph(document, content["subtitle"], LEAD_FONT, BRIEF_BODY_SIZE, center=True)
    paragraph = document.add_paragraph()
    exact_spacing(paragraph, BRIEF_LINE_SPACING)
    indent_first_line(paragraph, size=BRIEF_BODY_SIZE)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.space_before = Pt(6)
    if content["verdict"] not in content["paragraph"]:
        style_run(paragraph.add_run(f"{content['verdict']}。"), HEADING_FONT, BRIEF_BODY_SIZE)
    style_run(paragraph.add_run(content["paragraph"]), BODY_FONT, BRIEF_BODY_SIZE)
    if content["provisional"]:
        note = _paragraph(document, f"注：{content['provisional']}", BODY_FONT, Pt(12))
        no_indent(note)
    document.add_paragraph().paragraph_format.space_after = Pt(0)
    _cards_table(document, content["cards"], width)
    document.add_paragraph()
    images = _chart_images(content["charts"])
    if images is None:
        _paragraph(document, NO_CHROMIUM, BODY_FONT, BRIEF_BODY_SIZE)
    else:
        _charts_row(document, images, width)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_brief(
    con: duckdb.DuckDBPyConnection, county: str, period: Period, today: dt.date | None = None
) -> bytes:
    """The one-page meeting brief for a county and period as .docx bytes."""
    return render_brief(clean(brief_content(con, county, period, today)))
