"""The written report and the meeting brief on the bundled sample: the figures in the .docx are the
metric functions' figures (and, for the four indicators, a pandas recomputation over the raw rows),
the typography is set, LibreOffice converts both documents, and the CLI writes the file.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import pandas as pd
import pytest
from docx.oxml.ns import qn

from analytics import store
from analytics.documents.brief import NO_CHROMIUM, build_brief, render_brief
from analytics.documents.report import build_report, report_content
from analytics.metrics.common import NO_TOWNSHIP, counties, default_period, home_county
from analytics.metrics.enforcement import enforcement
from analytics.metrics.hazards import hazards
from analytics.metrics.indicators import INDICATORS, indicators
from analytics.metrics.periods import Period
from analytics.metrics.ranking import ranking
from analytics.metrics.townships import townships
from analytics.metrics.training import training
from tests.docx_support import docx_text, number
from tests.factories import COUNTY
from tests.factories import add as insert
from tests.stores import query_frame

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def sample(sample_db_path):
    """(county, period, report .docx bytes, metric documents) for the sample's home county."""
    with store.connect(sample_db_path) as con:
        county, period = home_county(con), default_period(con, today=TODAY)
        data = build_report(con, county, period, today=TODAY)
        docs = {
            "indicators": indicators(con, period, county, today=TODAY),
            "ranking": ranking(con, period, today=TODAY),
            "hazards": hazards(con, period, county, today=TODAY)["total"],
            "enforcement": enforcement(con, period, county, today=TODAY)["total"],
            "training": training(con, period, county, by="category", today=TODAY),
            "townships": townships(con, period, county, today=TODAY),
        }
    return county, period, data, docs


def _pct(value: float) -> str:
    return f"{value:.1f}%"


def _half_up(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def test_opening_figures_equal_indicators_and_a_pandas_recount(sample, sample_db_path):
    county, period, data, docs = sample
    text, _ = docx_text(data)
    match = re.search(
        r"共发生各类生产安全事故([\d,]+)起，死亡([\d,]+)人.*?受伤([\d,]+)人，直接经济损失([\d,.]+)万元", text
    )
    assert match, text[:600]
    figures = docs["indicators"]["indicators"]
    shown = dict(zip(INDICATORS, (number(g) for g in match.groups()), strict=True))
    assert shown == {name: figures[name]["value"] for name in INDICATORS}

    with store.connect(sample_db_path) as con:
        raw = query_frame(
            con,
            "SELECT occurred_on, deaths, injuries, direct_loss_wan FROM accidents WHERE county = ?",
            [county],
        )
    raw["occurred_on"] = raw["occurred_on"].astype("datetime64[ns]")
    for year, key in ((period.year, "value"), (period.year - 1, "previous")):
        start = dt.datetime(year, period.first_month, 1)
        end = dt.datetime(year, period.last_month, 1) + pd.offsets.MonthEnd(0)
        rows = raw[(raw["occurred_on"] >= start) & (raw["occurred_on"] <= end)]
        assert len(rows) == figures["accidents"][key]
        assert int(rows["deaths"].sum()) == figures["deaths"][key]
        assert int(rows["injuries"].sum()) == figures["injuries"][key]
        loss = sum((Decimal(str(v)) for v in rows["direct_loss_wan"]), Decimal(0))
        assert Decimal(str(figures["direct_loss_wan"][key])) == loss.quantize(Decimal("0.01"), ROUND_HALF_UP)

    # 同比 in words, recomputed from the raw sums (a fall is 下降, 1 decimal, half up).
    for name, label in (("accidents", "事故起数"), ("deaths", "死亡人数"), ("injuries", "受伤人数")):
        value, previous = Decimal(figures[name]["value"]), Decimal(figures[name]["previous"])
        if previous and value and value != previous:
            change = _half_up((value - previous) / previous * 100)
            word = "下降" if change < 0 else "上升"
            assert f"{label}{word}{abs(change)}%" in text


def test_rank_sentence_and_table_equal_the_ranking(sample):
    county, _, data, docs = sample
    text, tables = docx_text(data)
    rows = docs["ranking"]["counties"]
    mine = next(r for r in rows if r["county"] == county)
    table = tables[0]
    assert table[0][-1] == "全市排位"
    for line, name in zip(table[1:], INDICATORS, strict=True):
        rank = mine["rank"][name]
        tied = sum(1 for r in rows if r["rank"][name] == rank) > 1
        assert line[-1] == f"{'并列' if tied else ''}第{rank}位"
        figure = docs["indicators"]["indicators"][name]
        assert number(line[1]) == figure["value"]
        assert number(line[2]) == figure["previous"]
    assert f"在全市{len(rows)}个县市区中" in text


def test_sector_table_equals_by_sector(sample):
    _, _, data, docs = sample
    _, tables = docx_text(data)
    table = tables[1]
    by_sector = docs["indicators"]["by_sector"]
    assert [line[0] for line in table[1:-1]] == [row["sector"] for row in by_sector]
    for line, row in zip(table[1:-1], by_sector, strict=True):
        assert number(line[1]) == row["accidents"]
        assert number(line[2]) == row["previous"]["accidents"]
        assert number(line[4]) == row["deaths"]
        assert number(line[5]) == row["injuries"]
        assert number(line[6]) == row["direct_loss_wan"]
    assert number(table[-1][1]) == docs["indicators"]["indicators"]["accidents"]["value"]


def test_township_table_equals_townships(sample):
    _, _, data, docs = sample
    _, tables = docx_text(data)
    table = tables[2]
    expected = [*docs["townships"]["rows"], docs["townships"]["total"]]
    assert len(table) == 1 + len(expected)
    for line, row in zip(table[1:], expected, strict=True):
        assert line[0] == (row["township"] or NO_TOWNSHIP)
        assert number(line[3]) == row["found"]
        assert line[4] == ("—" if row["rectification_rate"] is None else _pct(row["rectification_rate"]))
        assert number(line[5]) == row["overdue"]
        assert number(line[6]) == row["cases"]
        assert number(line[7]) == row["fine_wan"]
        assert number(line[8]) == row["trained"]
        assert line[9] == ("—" if row["coverage_pct"] is None else _pct(row["coverage_pct"]))


def test_section_figures_equal_hazards_enforcement_training(sample):
    _, _, data, docs = sample
    text, _ = docx_text(data)
    h, e, t = docs["hazards"], docs["enforcement"], docs["training"]["total"]
    assert f"开展安全生产检查{h['inspections']:,}次，检查企事业单位{h['units_inspected']:,}家，排查" in text
    if h["major_found"]:
        assert f"重大事故隐患{h['major_found']:,}条，共排查安全隐患{h['found']:,}条" in text
    else:
        assert f"排查一般安全隐患{h['found']:,}条" in text
    assert f"已整改{h['rectified']:,}条，隐患整改率达到{_pct(h['rectification_rate'])}" in text
    assert f"已复查{h['reviewed']:,}份，事故隐患整改指令书复查率达{_pct(h['review_rate'])}" in text
    assert f"逾期未整改隐患{h['overdue']:,}条" in text
    assert f"立案查处安全生产违法行为{e['cases']:,}件" in text
    change = e["change_pct"]["cases"]
    if change:
        assert f"{e['cases']:,}件，比去年同期{'上升' if change > 0 else '下降'}{abs(change):.1f}%" in text
    assert f"安全生产行政处罚{e['fine_wan']:,.2f}万元" in text
    if e["suspensions"]:
        assert f"责令停产停业整改{e['suspensions']:,}家" in text
    assert f"共举办安全生产培训{t['sessions']:,}期，培训各类人员{t['trained']:,}人" in text
    assert f"年度培训任务{t['required']:,}人，培训覆盖率{_pct(t['coverage_pct'])}" in text
    for row in docs["training"]["rows"]:
        if row["trained"]:
            assert f"{row['category']}{row['trained']:,}人" in text


def test_every_county_reads_without_gaps(sample_db_path):
    """Any county (the acceptance tests hold one out) gives a report with no None, nan or empty figure."""
    with store.connect(sample_db_path) as con:
        period = default_period(con, today=TODAY)
        for county in counties(con):
            text = "\n".join(b.plain for b in report_content(con, county, period, today=TODAY)["blocks"])
            for bad in ("None", "nan", "NaN", "inf", "{", "（）", "，，", "。。"):
                assert bad not in text, (county, bad)
            assert f"（{county}{period.year}年{period.label}）" in text


def test_typography(sample):
    _, _, data, _ = sample
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.paragraph_format.line_spacing.pt == 28
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and 'w:fldCharType="begin"' in footer_xml
    title = document.paragraphs[0]
    assert title.runs[0].font.size.pt == 22
    assert title.runs[0]._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in document.paragraphs if "今年以来" in p.text)
    assert body.paragraph_format.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    for run in body.runs:
        assert run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    headings = [p for p in document.paragraphs if re.match("[一二三四]、", p.text)]
    assert len(headings) >= 3
    assert all(p.runs[0]._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体" for p in headings)
    cell = document.tables[0].rows[1].cells[1].paragraphs[0].runs[0]
    assert cell.font.size.pt == 14


def _convert(path: Path, out_dir: Path) -> Path:
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("soffice (LibreOffice) is not installed")
    result = subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out_dir), str(path)],
        capture_output=True,
        timeout=180,
        env={"HOME": str(out_dir), "PATH": "/usr/bin:/bin"},
    )
    pdf = out_dir / f"{path.stem}.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr.decode(errors="replace")
    return pdf


def _pdf_text(pdf: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()


def test_libreoffice_converts_the_report(sample, tmp_path):
    _, _, data, docs = sample
    path = tmp_path / "report.docx"
    path.write_bytes(data)
    text = re.sub(r"\s+", "", _pdf_text(_convert(path, tmp_path)))
    assert "关于《安全生产法》贯彻实施情况的报告" in text
    accidents = docs["indicators"]["indicators"]["accidents"]["value"]
    assert f"共发生各类生产安全事故{accidents:,}起" in text


def test_brief_is_one_page_with_two_charts(sample_db_path, tmp_path):
    with store.connect(sample_db_path) as con:
        county, period = home_county(con), default_period(con, today=TODAY)
        data = build_brief(con, county, period, today=TODAY)
        doc = indicators(con, period, county, today=TODAY)
    document = docx.Document(io.BytesIO(data))
    assert len(document.inline_shapes) == 2
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"共发生各类生产安全事故{doc['indicators']['accidents']['value']:,}起" in text
    cards = [cell.text for cell in document.tables[0].rows[0].cells]
    assert cards[0].startswith("事故起数") and f"{doc['indicators']['accidents']['value']:,}起" in cards[0]
    path = tmp_path / "brief.docx"
    path.write_bytes(data)
    pdf = _convert(path, tmp_path)
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True).stdout.decode()
        assert re.search(r"Pages:\s+1\n", info), info


def test_brief_without_chromium_says_so(sample_db_path, monkeypatch):
    from choreographer.errors import ChromeNotFoundError

    import analytics.documents.brief as brief

    def no_browser(*args, **kwargs):
        raise ChromeNotFoundError("no chrome")

    monkeypatch.setattr(brief, "figure_png", no_browser)
    with store.connect(sample_db_path) as con:
        county, period = home_county(con), default_period(con, today=TODAY)
        content = brief.brief_content(con, county, period, today=TODAY)
    document = docx.Document(io.BytesIO(render_brief(content)))
    assert len(document.inline_shapes) == 0
    assert NO_CHROMIUM in "\n".join(p.text for p in document.paragraphs)


def _cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analytics", "--db", str(db), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=180,
    )


def test_cli_writes_the_report(sample, sample_db_path, tmp_path):
    county, period, _, docs = sample
    out = tmp_path / "报告.docx"
    result = _cli(
        "report",
        "--year",
        str(period.year),
        "--months",
        f"{period.first_month}-{period.last_month}",
        "--out",
        str(out),
        "--json",
        db=sample_db_path,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["out"] == str(out) and document["county"] == county
    assert document["period"]["months"] == [period.first_month, period.last_month]
    assert document["figures"]["indicators"] == docs["indicators"]["indicators"]
    assert document["figures"]["hazards"]["found"] == docs["hazards"]["found"]
    text, _ = docx_text(out.read_bytes())
    assert document["paragraphs"][1] in text


def test_cli_rejects_bad_arguments(sample_db_path, tmp_path):
    unknown = _cli("report", "--county", "不存在县", "--out", str(tmp_path / "a.docx"), db=sample_db_path)
    assert unknown.returncode == 1 and "未知的县市区" in unknown.stderr
    wrong_suffix = _cli("report", "--out", str(tmp_path / "a.pdf"), db=sample_db_path)
    assert wrong_suffix.returncode == 2
    no_dir = _cli("report", "--out", str(tmp_path / "missing" / "a.docx"), db=sample_db_path)
    assert no_dir.returncode == 1 and "输出目录不存在" in no_dir.stderr
    assert not (tmp_path / "a.docx").exists()


def test_brief_for_a_county_without_accidents(empty_db):
    period, later = Period(2026, 1, 8), dt.date(2026, 11, 20)  # well after the period's correction window

    insert(empty_db, "regions", {"township": "东镇"}, {"county": "乙县", "township": "西镇"})
    insert(empty_db, "accidents", {"county": "乙县"})
    with store.connect(empty_db) as con:
        data = build_brief(con, COUNTY, period, today=later)
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.count("未发生生产安全事故") == 1
    assert "在全市2个县市区中" in text
    assert len(document.inline_shapes) == 2
