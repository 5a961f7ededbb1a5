"""The written report: the seed report's structure with every blank filled, as .docx bytes.

`report_content` gathers the figures from the metric functions (the same ones
the pages and the command line call) and turns them into blocks of text and
tables (`analytics.documents.report_text`); `build_report` lays those blocks out in the
typography of a Chinese government document (GB/T 9704): 方正小标宋 title,
黑体 headings, 仿宋_GB2312 body in 三号 with fixed 28-point lines, A4, page
numbers in the footer.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

import duckdb
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from analytics.documents.report_outline import report_blocks, report_figures
from analytics.documents.report_text import Block
from analytics.documents.xml_text import clean
from analytics.metrics.periods import Period
from analytics.metrics.ranking import county_row

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
LEAD_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# Word substitutes the alternate name when a document font is not installed
# (仿宋_GB2312 is missing on most newer Windows installs, 仿宋 is not).
FONT_ALTERNATES = {
    "方正小标宋简体": "宋体",
    "仿宋_GB2312": "仿宋",
    "楷体_GB2312": "楷体",
    "黑体": "SimHei",
}

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(14)  # 四号
SMALL_TABLE_SIZE = Pt(12)  # 小四, for tables too wide for 四号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
LINE_SPACING = Pt(28)
TITLE_LINE_SPACING = Pt(36)
TABLE_LINE_SPACING = Pt(20)
# A table with more columns than this is set in 小四 so that numbers do not wrap.
WIDE_TABLE_COLUMNS = 6


def _set_fonts(rpr, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Set the Latin and the East Asian font of a run or style: without w:eastAsia Chinese falls back."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _set_language(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def style_run(run, font: str, size: Pt, bold: bool = False) -> None:
    """Size, weight and both fonts (Latin and East Asian) of one run."""
    run.font.size = size
    run.font.bold = bold
    _set_fonts(run._element.get_or_add_rPr(), font)


def indent_first_line(paragraph, chars: int = 2, size: Pt = BODY_SIZE) -> None:
    """首行缩进 `chars` characters."""
    # firstLineChars scales with the font; firstLine is the fallback for readers that ignore it.
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(int(size.pt * 20 * chars)))


def no_indent(paragraph) -> None:
    """No first-line indent (titles, table cells), overriding any inherited one."""
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "0")
    ind.set(qn("w:firstLine"), "0")


def exact_spacing(paragraph, line: Pt) -> None:
    """Fixed line spacing and no space before or after."""
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _add_font_alternates(document) -> None:
    for part in document.part.package.iter_parts():
        if str(part.partname) != "/word/fontTable.xml":
            continue
        entries = "".join(
            f'<w:font w:name="{name}"><w:altName w:val="{alternate}"/><w:charset w:val="86"/>'
            f'<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
            for name, alternate in FONT_ALTERNATES.items()
        )
        part._blob = part.blob.replace(b"</w:fonts>", entries.encode("utf-8") + b"</w:fonts>")


def _page_number_footer(section) -> None:
    """ "— 1 —" centred in the footer, the number a PAGE field so every page counts itself."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    no_indent(paragraph)
    style_run(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    for kind, text in (
        ("begin", None),
        ("instr", " PAGE "),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        style_run(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        elif kind == "text":
            run.text = text
        else:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._element.append(field)
    style_run(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def new_document():
    """An empty A4 document with the official-document page, styles and page numbers."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)

    # The template's defaults say Japanese (themeFontLang ja-JP): readers then pick Japanese glyph forms.
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(defaults, BODY_FONT)
    _set_language(defaults)
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    rpr = normal.element.get_or_add_rPr()
    _set_fonts(rpr, BODY_FONT)
    _set_language(rpr)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_SPACING
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.widow_control = True
    for style_name in ("Header", "Footer", "Table Grid"):
        _set_fonts(document.styles[style_name].element.get_or_add_rPr(), BODY_FONT)
    _add_font_alternates(document)
    _page_number_footer(section)
    return document


def add_title(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    exact_spacing(paragraph, TITLE_LINE_SPACING)
    no_indent(paragraph)
    style_run(paragraph.add_run(text), TITLE_FONT, TITLE_SIZE)


def add_subtitle(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    no_indent(paragraph)
    paragraph.paragraph_format.space_after = LINE_SPACING
    style_run(paragraph.add_run(text), LEAD_FONT, BODY_SIZE)


def add_salutation(document, text: str) -> None:
    paragraph = document.add_paragraph()
    no_indent(paragraph)
    style_run(paragraph.add_run(text), BODY_FONT, BODY_SIZE)


def add_heading(document, text: str) -> None:
    paragraph = document.add_paragraph()
    indent_first_line(paragraph)
    paragraph.paragraph_format.keep_with_next = True
    style_run(paragraph.add_run(text), HEADING_FONT, BODY_SIZE)


def add_body(document, text: str, lead: str = "") -> None:
    """A body paragraph, indented two characters; `lead` (一是……。) is set in bold 楷体."""
    paragraph = document.add_paragraph()
    indent_first_line(paragraph)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if lead:
        style_run(paragraph.add_run(lead), LEAD_FONT, BODY_SIZE, bold=True)
    style_run(paragraph.add_run(text), BODY_FONT, BODY_SIZE)


def add_page_break(document) -> None:
    paragraph = document.add_paragraph()
    no_indent(paragraph)
    paragraph.add_run().add_break(WD_BREAK.PAGE)


def add_attachment_label(document, text: str) -> None:
    """附表N, in 黑体 at the left margin, as an official attachment begins."""
    paragraph = document.add_paragraph()
    no_indent(paragraph)
    paragraph.paragraph_format.keep_with_next = True
    style_run(paragraph.add_run(text), HEADING_FONT, BODY_SIZE)


def add_table_caption(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    no_indent(paragraph)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.space_after = Pt(6)
    style_run(paragraph.add_run(text), TITLE_FONT, Pt(18))


def add_note(document, text: str) -> None:
    paragraph = document.add_paragraph()
    no_indent(paragraph)
    exact_spacing(paragraph, TABLE_LINE_SPACING)
    paragraph.paragraph_format.space_before = Pt(4)
    style_run(paragraph.add_run(text), BODY_FONT, SMALL_TABLE_SIZE)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _column_widths(weights: tuple[float, ...], count: int, total: int) -> list[int]:
    if len(weights) != count:
        # No weights given: the first column holds row labels (乡镇, 指标), so it gets a little more room.
        weights = (1.4,) + (1.0,) * (count - 1)
    return [int(total * w / sum(weights)) for w in weights]


def fix_table_grid(table, widths: list[int]) -> None:
    """Fixed layout with explicit grid widths: LibreOffice reads the grid, Word the cell widths."""
    table.autofit = False
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))  # python-docx's template always has one
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(widths) // 635))  # EMU -> twentieths of a point
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(width // 635))


def add_table(
    document,
    header: Iterable[str],
    rows: Iterable[Iterable[str]],
    text_width: int,
    weights: tuple[float, ...] = (),
) -> None:
    """A ruled table: 黑体 header repeated on every page, 仿宋 cells, first column as row labels."""
    header = list(header)
    rows = [list(r) for r in rows]
    size = TABLE_SIZE if len(header) <= WIDE_TABLE_COLUMNS else SMALL_TABLE_SIZE
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = _column_widths(weights, len(header), int(text_width))
    fix_table_grid(table, widths)
    for r, values in enumerate([header, *rows]):
        row = table.rows[r]
        _cant_split(row)
        if r == 0:
            _repeat_header(row)
        for c, value in enumerate(values):
            cell = row.cells[c]
            cell.width = widths[c]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            no_indent(paragraph)
            exact_spacing(paragraph, TABLE_LINE_SPACING if size == SMALL_TABLE_SIZE else Pt(22))
            font = HEADING_FONT if r == 0 else BODY_FONT
            style_run(paragraph.add_run(value), font, size)


def add_section(document, landscape: bool) -> None:
    """A new section on a new page (landscape for wide tables); it inherits the page-number footer."""
    previous = document.sections[-1]
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    short, long = sorted((previous.page_width, previous.page_height))
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    if landscape:
        section.top_margin, section.bottom_margin = previous.left_margin, previous.right_margin
        section.left_margin, section.right_margin = previous.top_margin, previous.bottom_margin


def text_width(document) -> Mm:
    section = document.sections[-1]
    return section.page_width - section.left_margin - section.right_margin


def render(blocks: Iterable[Block]) -> bytes:
    """Lay out report blocks in a new document and return its .docx bytes."""
    document = new_document()
    width = text_width(document)
    for block in map(clean, blocks):
        if block.kind == "title":
            add_title(document, block.text)
        elif block.kind == "subtitle":
            add_subtitle(document, block.text)
        elif block.kind == "salutation":
            add_salutation(document, block.text)
        elif block.kind == "heading":
            add_heading(document, block.text)
        elif block.kind == "paragraph":
            add_body(document, block.text, block.lead)
        elif block.kind == "page_break":
            add_page_break(document)
        elif block.kind == "attachment":
            add_attachment_label(document, block.lead)
            add_table_caption(document, block.text)
        elif block.kind == "table":
            add_table(document, block.header, block.rows, width, block.widths)
        elif block.kind == "note":
            add_note(document, block.text)
        elif block.kind == "section":
            add_section(document, block.landscape)
            width = text_width(document)
        else:
            raise ValueError(f"未知的报告块类型：{block.kind}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def report_content(
    con: duckdb.DuckDBPyConnection, county: str, period: Period, today: dt.date | None = None
) -> dict:
    """The report as data: `{"county", "period", "figures", "blocks"}`, for the page, the CLI and tests."""
    figures = report_figures(con, county, period, today)
    return {
        "county": county,
        "period": figures["period"],
        "figures": figures,
        "blocks": report_blocks(figures),
    }


def report_body(
    con: duckdb.DuckDBPyConnection, county: str, period: Period, today: dt.date | None = None
) -> tuple[Block, ...]:
    """The report's blocks only, as the page previews them: without the figures behind them (at province
    scale megabytes, e.g. every named training session), which the page's cache would copy on every run."""
    return tuple(report_content(con, county, period, today)["blocks"])


def build_report(
    con: duckdb.DuckDBPyConnection, county: str, period: Period, today: dt.date | None = None
) -> bytes:
    """The written report for a county and period as .docx bytes."""
    return render(report_body(con, county, period, today))


def figures_summary(figures: dict) -> dict:
    """The report's figures in the shapes of the metric subcommands (cli.md), for JSON output."""
    indicators_doc, ranking_doc = figures["indicators"], figures["ranking"]
    county = figures["county"]
    row = county_row(ranking_doc, county)
    return {
        "indicators": indicators_doc["indicators"],
        "double_decline": indicators_doc["double_decline"],
        "major_accidents": indicators_doc["major_accidents"],
        "by_sector": indicators_doc["by_sector"],
        "industry_trade_no_accidents": indicators_doc["industry_trade"]["no_accidents"],
        "ranking": None
        if row is None
        else {
            "counties": len(ranking_doc["counties"]),
            "source": ranking_doc["source"].get(county),
            "rank": row["rank"],
            "change_pct": row["change_pct"],
        },
        "hazards": figures["hazards"],
        "enforcement": figures["enforcement"]["total"],
        "training": figures["training"]["total"],
        "named_sessions": figures["named_sessions"],
        "townships": figures["townships"]["rows"],
        "standardization": {key: figures["standardization"][key] for key in ("total", "rows")},
        "sources": {key: figures["sources"][key] for key in ("total", "rows")},
        "projects": figures["projects"],
        "reports": list(figures["reports"].values()),
        "control": {key: figures["control"][key] for key in ("time_progress", "county", "townships")},
    }
