"""How figures read in Chinese: number formats, 同比 phrases, verdicts and the overview paragraph."""

from __future__ import annotations

import pytest

from analytics.metrics.periods import Period
from analytics.text import wording


@pytest.mark.parametrize(
    ("function", "value", "text"),
    [
        (wording.fmt_count, 12345, "12,345"),
        (wording.fmt_count, 0, "0"),
        (wording.fmt_count, None, "—"),
        (wording.fmt_money, 2.675, "2.68"),
        (wording.fmt_money, 1234567.5, "1,234,567.50"),
        (wording.fmt_money, 0, "0.00"),
        (wording.fmt_money, None, "—"),
        (wording.fmt_pct, 81.25, "81.3%"),
        (wording.fmt_pct, -14.25, "-14.3%"),
        (wording.fmt_pct, 100, "100.0%"),
        (wording.fmt_pct, None, "—"),
        (wording.fmt_rate, 0.1, "0.100"),
        (wording.fmt_rate, 0.0005, "0.001"),
        (wording.fmt_rate, None, "—"),
    ],
)
def test_number_formats(function, value, text):
    assert function(value) == text


@pytest.mark.parametrize(
    ("value", "previous", "change", "unit", "text"),
    [
        (6, 7, -14.3, "起", "下降14.3%"),
        (8, 7, 14.3, "起", "上升14.3%"),
        (0, 0, 0.0, "起", "持平"),
        (5, 5, 0.0, "人", "持平"),
        (3, 0, None, "起", "新增3起（去年同期为0）"),
        (12.5, 0, None, "万元", "新增12.50万元（去年同期为0）"),
        (0, 4, -100.0, "人", "下降100%"),
        (10000, 10001, -0.0, "起", "基本持平"),
        (3, 2, 50.0, "人", "上升50.0%"),
    ],
)
def test_change_phrase(value, previous, change, unit, text):
    assert wording.change_phrase(value, previous, change, unit) == text


def doc(*pairs, trade_none=True, sectors=(), missing=0, major=0, county="甲县", months=(1, 8)):
    """A minimal indicators document: pairs are (value, previous) for the four indicators."""
    names = ("accidents", "deaths", "injuries", "direct_loss_wan")
    figures = {}
    for name, (value, previous) in zip(names, pairs, strict=True):
        change = (
            None
            if previous == 0 and value
            else (0.0 if previous == 0 else round((value - previous) / previous * 100, 1))
        )
        figures[name] = {"value": value, "previous": previous, "change_pct": change}
    return {
        "period": {"year": 2026, "months": list(months)},
        "county": county,
        "indicators": figures,
        "major_accidents": {"value": major, "previous": 0},
        "missing": {"value": missing, "previous": 0},
        "by_sector": [{"sector": s, "accidents": n} for s, n in sectors],
        "industry_trade": {"no_accidents": trade_none},
        "provisional": {"provisional": False, "until": "2026-09-30"},
    }


@pytest.mark.parametrize(
    ("pairs", "text"),
    [
        (((6, 7), (3, 4), (5, 9), (1.0, 2.0)), "四项指标全面下降"),
        (((6, 7), (3, 4), (9, 5), (3.0, 2.0)), "事故起数、死亡人数双下降，受伤人数、直接经济损失上升"),
        (((6, 7), (3, 4), (5, 9), (3.0, 2.0)), "事故起数、死亡人数双下降，受伤人数下降，直接经济损失上升"),
        (((6, 7), (4, 4), (5, 9), (3.0, 2.0)), "事故起数、受伤人数下降，直接经济损失上升，死亡人数持平"),
        (((8, 7), (5, 4), (9, 5), (3.0, 0)), "四项指标全面上升"),
        (((0, 0), (0, 0), (0, 0), (0, 0)), "未发生生产安全事故，与去年同期持平"),
        (((2, 2), (1, 1), (0, 0), (1.5, 1.5)), "四项指标与去年同期持平"),
    ],
)
def test_verdict(pairs, text):
    assert wording.verdict(doc(*pairs)) == text


def ranking_doc(ranks_by_county: dict, source="records"):
    names = ("accidents", "deaths", "injuries", "direct_loss_wan")
    return {
        "source": dict.fromkeys(ranks_by_county, source),
        "counties": [
            {"county": c, "rank": dict(zip(names, ranks, strict=True))}
            for c, ranks in ranks_by_county.items()
        ],
    }


def test_overview_paragraph_seed_register():
    text = wording.overview_paragraph(
        doc((12, 14), (9, 12), (15, 20), (123.45, 150.0), sectors=[("道路交通", 12)]),
        ranking_doc({"甲县": (3, 2, 2, 3), "乙县": (1, 1, 1, 1), "丙县": (2, 3, 3, 2)}),
        "甲县",
        Period(2026, 1, 8),
    )
    assert text == (
        "1-8月，全县共发生各类生产安全事故12起，死亡9人，受伤15人，直接经济损失123.45万元"
        "（事故全部发生在道路交通领域，工矿商贸领域未发生生产安全事故），未发生较大及以上事故。"
        "与去年同期相比，事故起数下降14.3%，死亡人数下降25.0%，受伤人数下降25.0%，直接经济损失下降17.7%。"
        "“四项考核指标”在全市3个县市区中分别排第3、2、2、3位（排位依据事故台账统计）。"
    )


def test_overview_paragraph_ties_new_and_sectors():
    text = wording.overview_paragraph(
        doc(
            (5, 0),
            (2, 0),
            (0, 0),
            (3.0, 0),
            sectors=[("工业", 1), ("道路交通", 4)],
            trade_none=False,
            missing=1,
            major=1,
        ),
        ranking_doc({"城关区": (2, 2, 1, 3), "乙县": (2, 2, 1, 1), "丙县": (1, 1, 1, 2)}, source="mixed"),
        "城关区",
        Period(2026, 8, 8),
    )
    assert text.startswith("8月，全区共发生各类生产安全事故5起，死亡2人、下落不明1人，无人员受伤")
    assert "（道路交通领域4起、工矿商贸领域1起），其中较大及以上事故1起。" in text
    assert "去年同期未发生生产安全事故" in text and "新增" not in text
    assert "事故起数并列第2位，死亡人数并列第2位，受伤人数并列第1位，直接经济损失排第3位" in text
    assert "排位依据全市通报，未通报月份依据事故台账统计" in text


def test_overview_paragraph_no_accidents():
    quiet = wording.overview_paragraph(doc((0, 3), (0, 2), (0, 1), (0, 5.5)), None, None, Period(2026, 1, 8))
    assert quiet == (
        "1-8月，全市未发生生产安全事故（去年同期发生3起，死亡2人）。与去年同期相比，四项指标均下降100%。"
    )
    flat = wording.overview_paragraph(doc((0, 0), (0, 0), (0, 0), (0, 0)), None, "甲县", Period(2026, 1, 8))
    assert flat == "1-8月，全县未发生生产安全事故，与去年同期持平。"


def test_overview_paragraph_flat_and_all_ranks_equal():
    text = wording.overview_paragraph(
        doc((2, 2), (1, 1), (1, 1), (1.0, 1.0), sectors=[("建筑施工", 2)], trade_none=False),
        ranking_doc({"甲县": (1, 1, 1, 1), "乙县": (2, 2, 2, 2)}),
        "甲县",
        Period(2026, 1, 8),
    )
    assert "（事故全部发生在建筑施工领域）" in text
    assert "与去年同期相比，四项指标均持平" in text
    assert "均排第1位" in text


@pytest.mark.parametrize(
    ("county", "word"),
    [(None, "全市"), ("甲县", "全县"), ("城关区", "全区"), ("某某市", "全市"), ("旗", "全旗")],
)
def test_area_word(county, word):
    assert wording.area_word(county) == word


@pytest.mark.parametrize(
    ("kind", "tone"), [((3, 0), "new"), ((0, 0), "flat"), ((1, 2), "down"), ((2, 1), "up")]
)
def test_change_kind(kind, tone):
    assert wording.change_kind(*kind) == tone


def test_provisional_note_and_as_of():
    document = doc((1, 1), (0, 0), (0, 0), (0, 0))
    assert wording.provisional_note(document) is None
    document["provisional"] = {"provisional": True, "until": "2026-09-30"}
    note = wording.provisional_note(document)
    assert note.startswith("2026年8月数据为初步统计") and "9月30日后为最终数据" in note
    assert wording.data_as_of_text({"year": 2026, "months": [1, 8]}) == "数据截至2026年8月"
    assert wording.month_text(2026, 8) == "2026年8月"


def test_rank_phrase():
    assert wording.rank_phrase(2, tied=True) == "并列第2位"
    assert wording.rank_phrase(3) == "第3位"
    assert wording.rank_phrase(None) == "—"


@pytest.mark.parametrize(
    ("sectors", "trade_none", "clause"),
    [
        ([("道路交通", 3)], True, "（事故全部发生在道路交通领域，工矿商贸领域未发生生产安全事故）"),
        ([("工业", 2), ("建筑施工", 1)], False, "（事故全部发生在工矿商贸领域）"),
        ([("建筑施工", 3)], False, "（事故全部发生在建筑施工领域）"),
        (
            [("道路交通", 1), ("工业", 1), ("商贸", 1), ("消防火灾", 2)],
            False,
            "（消防火灾领域2起、工矿商贸领域2起、道路交通领域1起）",
        ),
        (
            [("道路交通", 2), ("消防火灾", 2), ("工业", 0)],
            True,
            "（道路交通领域2起、消防火灾领域2起，工矿商贸领域未发生生产安全事故）",
        ),
    ],
)
def test_sector_clause(sectors, trade_none, clause):
    total = sum(n for _, n in sectors)
    text = wording.overview_paragraph(
        doc((total, total), (0, 0), (0, 0), (0, 0), sectors=sectors, trade_none=trade_none),
        None,
        "甲县",
        Period(2026, 1, 8),
    )
    assert f"直接经济损失0.00万元{clause}，未发生较大及以上事故。" in text


def test_change_phrase_month_on_month_baseline():
    assert wording.change_phrase(2, 0, None, "人", "上月") == "新增2人（上月为0）"
