"""Every wording case of the report, table-driven, on tiny databases built row by row with SQL.

Rows come from `tests.factories.add` (a row with sensible defaults); `.docx` files
are read back with `tests.docx_support`.
"""

from __future__ import annotations

import datetime as dt

import pytest

from analytics import store
from analytics.documents.report import build_report, report_content
from analytics.metrics.periods import Period
from tests.docx_support import docx_text
from tests.factories import COUNTY, THIS_YEAR
from tests.factories import add as insert

LAST_YEAR = dt.date(2025, 3, 10)
PERIOD = Period(2026, 1, 8)
# Well after the period and its correction window, so nothing is provisional.
TODAY = dt.date(2026, 11, 20)


def content(path, county: str = COUNTY, period: Period = PERIOD) -> dict:
    with store.connect(path) as con:
        return report_content(con, county, period, today=TODAY)


def report_text(path, county: str = COUNTY) -> str:
    """All of the report's text, tables included, one block a line."""
    return "\n".join(block.plain for block in content(path, county)["blocks"])


def load(path, rows: dict[str, list[dict]]) -> None:
    for table, table_rows in rows.items():
        insert(path, table, *table_rows)


def check(text: str, expected: list[str], absent: list[str]) -> None:
    for phrase in expected:
        assert phrase in text, f"缺少：{phrase}\n{text}"
    for phrase in absent:
        assert phrase not in text, f"不应出现：{phrase}\n{text}"


ROAD, LAST = {"sector": "道路交通"}, {"occurred_on": LAST_YEAR}

ACCIDENT_CASES = {
    "falls": (
        {"accidents": [{"deaths": 1}, {**LAST, "deaths": 1}, {**LAST, "deaths": 1}]},
        ["共发生各类生产安全事故1起，死亡1人", "事故起数下降50.0%", "死亡人数下降50.0%"],
        ["上升"],
    ),
    "rises": (
        {"accidents": [{"injuries": 3}, {"injuries": 1}, {**LAST, "injuries": 2}]},
        ["事故起数上升100.0%", "受伤人数上升100.0%"],
        ["下降"],
    ),
    "flat_count": (
        {"accidents": [{"deaths": 1}, {**LAST, "deaths": 2}]},
        ["事故起数持平", "死亡人数下降50.0%"],
        ["事故起数上升", "事故起数下降"],
    ),
    "all_flat": (
        {"accidents": [{"deaths": 1, "direct_loss_wan": 2}, {**LAST, "deaths": 1, "direct_loss_wan": 2}]},
        ["四项指标均持平"],
        ["上升", "下降"],
    ),
    "new_since_zero": (
        {"accidents": [{"injuries": 3}, {**LAST}]},
        ["受伤人数新增3人（去年同期为0）", "事故起数持平"],
        ["∞", "None", "nan"],
    ),
    "none_last_year": (
        {"accidents": [{"deaths": 2}]},
        ["共发生各类生产安全事故1起，死亡2人", "去年同期未发生生产安全事故"],
        ["上升", "∞", "None"],
    ),
    "deaths_to_zero": (
        {"accidents": [{"injuries": 1}, {**LAST, "deaths": 2, "injuries": 1}]},
        ["未造成人员死亡", "死亡人数下降100%"],
        [],
    ),
    "zero_accidents": (
        {"accidents": [{**LAST, "deaths": 1}, {**LAST}]},
        ["1-8月，全县未发生生产安全事故（去年同期发生2起，死亡1人）"],
        ["共发生各类生产安全事故"],
    ),
    "zero_both_years": (
        {"regions": [{"township": "东镇"}]},
        ["未发生生产安全事故，与去年同期持平", "本期及去年同期各行业领域均未发生生产安全事故"],
        ["共发生各类生产安全事故", "行业领域｜"],
    ),
    "missing_beside_deaths": (
        {"accidents": [{"deaths": 1, "missing": 2}, {**LAST, "deaths": 1}]},
        ["死亡1人、下落不明2人"],
        [],
    ),
    "major_accident": (
        {"accidents": [{"deaths": 3}, {**LAST}]},
        ["其中较大及以上事故1起"],
        ["未发生较大及以上事故"],
    ),
    "thousands_and_money": (
        {"accidents": [{"direct_loss_wan": 1234.5}, {**LAST, "direct_loss_wan": 1000}]},
        ["直接经济损失1,234.50万元", "直接经济损失上升23.5%"],
        ["1234.5万元"],
    ),
}


@pytest.mark.parametrize("case", list(ACCIDENT_CASES))
def test_accident_wording(empty_db, case):
    rows, expected, absent = ACCIDENT_CASES[case]
    load(empty_db, rows)
    check(report_text(empty_db), expected, absent)


SECTOR_CASES = {
    "all_road": (
        [{"sector": "道路交通"}, {"sector": "道路交通"}],
        ["（事故全部发生在道路交通领域，工矿商贸领域未发生生产安全事故）"],
        [],
    ),
    "road_and_fire": (
        [{"sector": "道路交通"}, {"sector": "道路交通"}, {"sector": "消防火灾"}],
        ["道路交通领域2起", "消防火灾领域1起", "工矿商贸领域未发生生产安全事故"],
        ["事故全部发生在"],
    ),
    "industry_had_one": (
        [{"sector": "道路交通"}, {"sector": "建筑施工"}],
        ["道路交通领域1起、工矿商贸领域1起"],
        ["工矿商贸领域未发生"],
    ),
    "only_industry": (
        [{"sector": "工业"}],
        ["事故全部发生在工业领域"],
        ["工矿商贸领域未发生"],
    ),
}


@pytest.mark.parametrize("case", list(SECTOR_CASES))
def test_sector_wording(empty_db, case):
    rows, expected, absent = SECTOR_CASES[case]
    insert(empty_db, "accidents", *rows, {**LAST})
    check(report_text(empty_db), expected, absent)


def test_sector_table_lists_only_sectors_with_data_and_a_total(empty_db):
    insert(empty_db, "accidents", {"sector": "道路交通"}, {**LAST, "sector": "商贸"})
    blocks = content(empty_db)["blocks"]
    table = next(b for b in blocks if b.kind == "table" and b.header[0] == "行业领域")
    assert [row[0] for row in table.rows] == ["道路交通", "商贸", "合计"]
    assert table.rows[0][1:4] == ("1", "0", "新增")
    assert table.rows[1][1:4] == ("0", "1", "下降100%")
    assert table.rows[2][1:4] == ("1", "1", "持平")


RANK_CASES = {
    "tie_for_first": (
        [{"county": COUNTY}, {"county": "乙县"}, {"county": "丙县"}, {"county": "丙县"}],
        ["在全市3个县市区中均并列第1位"],
        [],
    ),
    "tie_behind": (
        [
            {"county": COUNTY},
            {"county": "乙县"},
            {"county": "丙县", "deaths": 1},
            {"county": COUNTY, "deaths": 0},
        ],
        ["事故起数排第3位", "死亡人数并列第1位"],
        [],
    ),
    "alone_in_city": ([{"county": COUNTY}], [], ["县市区中", "全市排位"]),
}


@pytest.mark.parametrize("case", list(RANK_CASES))
def test_rank_wording(empty_db, case):
    rows, expected, absent = RANK_CASES[case]
    insert(empty_db, "accidents", *rows)
    check(report_text(empty_db), expected, absent)


def test_rank_table_marks_ties_and_names_the_source(empty_db):
    insert(empty_db, "accidents", {"county": COUNTY}, {"county": "乙县"})
    insert(
        empty_db,
        "city_bulletin",
        *[
            {"county": c, "accidents": 1, "deaths": 0, "injuries": 0, "direct_loss_wan": 0}
            for c in (COUNTY, "乙县")
        ],
    )
    text = report_text(empty_db)
    assert "事故起数（起）｜1｜0｜新增｜并列第1位" in text
    assert "排位依据全市通报" in text


RATE_CASES = {
    "no_hazards": (
        {"inspections": [{}]},
        ["全面开展安全生产大检查。按照", "开展安全生产检查1次，检查企事业单位1家，未排查出安全隐患"],
        ["整改率", "复查率", "None", "一是", "二是"],
    ),
    "orders_not_yet_due": (
        {"hazards": [{"order_issued": True, "deadline": dt.date(2026, 12, 31)}]},
        ["下达整改指令书1份，均未到整改期限", "尚无整改完成的隐患"],
        ["复查率", "None"],
    ),
    "orders_reviewed": (
        {
            "hazards": [
                {
                    "order_issued": True,
                    "rectified_on": THIS_YEAR,
                    "reviewed_on": THIS_YEAR + dt.timedelta(days=11),
                },
                {"order_issued": True, "rectified_on": THIS_YEAR},
                {"level": "重大隐患"},
            ]
        },
        [
            "排查一般安全隐患2条、重大事故隐患1条，共排查安全隐患3条，已整改2条，隐患整改率达到66.7%",
            "下达整改指令书2份，已到整改期限2份，已复查1份，事故隐患整改指令书复查率达50.0%",
            "二是督促隐患整改落实。截至2026年8月31日，排查出的重大事故隐患1条，尚未整改到位",
            "逾期未整改隐患1条",
        ],
        [],
    ),
    "nothing_overdue": (
        {"hazards": [{"rectified_on": THIS_YEAR}]},
        ["隐患整改率达到100.0%", "未排查出重大事故隐患，无逾期未整改隐患"],
        ["逾期未整改隐患最多"],
    ),
    "no_training_target": (
        {"training": [{"trainees": 1234}]},
        ["培训各类人员1,234人，均为主要负责人"],
        ["年度培训任务", "覆盖率"],
    ),
    "no_training": (
        {"training_targets": [{"required": 50}]},
        ["暂无安全生产培训记录，年度培训任务50人尚未启动"],
        [],
    ),
    "training_with_target": (
        {
            "training": [{"trainees": 60, "passed": 57}, {"category": "特种作业人员", "trainees": 40}],
            "training_targets": [{"required": 100}, {"category": "特种作业人员", "required": 100}],
        },
        [
            "培训各类人员100人，其中主要负责人60人、特种作业人员40人，年度培训任务200人，培训覆盖率50.0%",
            "合格57人，考核合格率95.0%",
            "特种作业人员（40.0%）培训进度滞后",
        ],
        ["主要负责人（60.0%）培训进度滞后"],
    ),
}


@pytest.mark.parametrize("case", list(RATE_CASES))
def test_rates_and_zero_denominators(empty_db, case):
    rows, expected, absent = RATE_CASES[case]
    load(empty_db, rows)
    paragraphs = "\n".join(b.plain for b in content(empty_db)["blocks"] if b.kind == "paragraph")
    check(paragraphs, expected, absent)


E = {"filed_on": LAST_YEAR}
ENFORCEMENT_CASES = {
    "rise": (
        [{"fine_wan": 1.5}, {"fine_wan": 1.5}, {"fine_wan": 0}, {**E, "fine_wan": 2}, {**E, "fine_wan": 2}],
        ["立案查处安全生产违法行为3件，比去年同期上升50.0%", "安全生产行政处罚3.00万元，比去年同期下降25.0%"],
        [],
    ),
    "new": (
        [{"fine_wan": 12.5}],
        ["立案查处安全生产违法行为1件（去年同期为0）", "行政处罚12.50万元（去年同期为0）"],
        ["None", "∞"],
    ),
    "flat": (
        [{"fine_wan": 1}, {**E, "fine_wan": 1}],
        ["1件，与去年同期持平", "1.00万元，与去年同期持平"],
        [],
    ),
    "none_this_year": (
        [{**E}, {**E}],
        ["各执法部门未立案查处安全生产违法行为（去年同期立案2件）"],
        ["上升"],
    ),
    "no_fines": (
        [{"measure": "警告"}],
        ["未作出罚款处罚"],
        ["万元，比去年同期"],
    ),
    "suspensions_and_closures": (
        [
            {"measure": "责令停产停业整改"},
            {"measure": "取缔关闭", "department": "县市场监管局"},
            {"measure": "取缔关闭", "department": "县市场监管局"},
        ],
        [
            "责令停产停业整改1家，依法取缔关闭2家",
            "其中县市场监管局立案查处2件",
            "对1家存在严重违法违规问题的生产经营单位依法责令停产停业整改",
        ],
        [],
    ),
}


@pytest.mark.parametrize("case", list(ENFORCEMENT_CASES))
def test_enforcement_wording(empty_db, case):
    rows, expected, absent = ENFORCEMENT_CASES[case]
    insert(empty_db, "enforcement", *rows)
    check(report_text(empty_db), expected, absent)


def _township_hazards(rates: dict[str, tuple[int, int]]) -> list[dict]:
    rows = []
    for township, (found, rectified) in rates.items():
        for index in range(found):
            rows.append({"township": township, "rectified_on": THIS_YEAR if index < rectified else None})
    return rows


TOWNSHIP_CASES = {
    "three_behind": (
        {"东镇": (2, 1), "西镇": (5, 3), "南镇": (4, 3), "北镇": (1, 1), "中镇": (10, 9)},
        ["隐患整改率排在后三位的是东镇（50.0%）、西镇（60.0%）、南镇（75.0%）"],
        ["北镇（100.0%）", "中镇（90.0%）"],
    ),
    "one_behind": (
        {"东镇": (1, 1), "西镇": (2, 1)},
        ["隐患整改率排在最后的是西镇（50.0%）"],
        ["东镇（100.0%）"],
    ),
    "all_done": (
        {"东镇": (1, 1), "西镇": (2, 2)},
        ["各乡镇（街道）隐患整改率均达到100%"],
        ["排在后"],
    ),
}


@pytest.mark.parametrize("case", list(TOWNSHIP_CASES))
def test_township_notes(empty_db, case):
    rates, expected, absent = TOWNSHIP_CASES[case]
    insert(empty_db, "regions", *[{"township": t} for t in rates])
    insert(empty_db, "hazards", *_township_hazards(rates))
    check(report_text(empty_db), expected, absent)


def test_township_without_name_is_a_row_but_never_named_as_behind(empty_db):
    insert(empty_db, "regions", {"township": "东镇"}, {"township": "西镇"})
    insert(empty_db, "hazards", *_township_hazards({"东镇": (2, 1), "西镇": (1, 1)}), {"township": None})
    insert(empty_db, "training", {"township": "东镇", "trainees": 10}, {"township": "西镇", "trainees": 30})
    insert(
        empty_db,
        "training_targets",
        {"township": "东镇", "required": 100},
        {"township": "西镇", "required": 40},
    )
    text = report_text(empty_db)
    assert "隐患整改率排在最后的是东镇（50.0%）" in text
    assert "培训覆盖率排在后两位的是东镇（10.0%）、西镇（75.0%）" in text
    assert "逾期未整改隐患最多的是东镇、县直/未填乡镇（各1条）" in text
    assert "县直/未填乡镇｜0｜0｜1｜0.0%｜1" in text


def test_district_and_city_name_themselves(empty_db):
    insert(empty_db, "accidents", {"county": "乙区"}, {"county": "丙市"})
    assert "1-8月，全区共发生各类生产安全事故1起" in report_text(empty_db, "乙区")
    assert "我代表区政府" in report_text(empty_db, "乙区")
    assert "1-8月，全市共发生各类生产安全事故1起" in report_text(empty_db, "丙市")


def test_single_month_period_reads_as_that_month(empty_db):
    insert(empty_db, "accidents", {"occurred_on": dt.date(2026, 3, 2)})
    text = "\n".join(b.plain for b in content(empty_db, period=Period(2026, 3, 3))["blocks"])
    assert "3月，全县共发生各类生产安全事故1起" in text
    assert "（甲县2026年3月）" in text


def test_provisional_latest_month_is_noted(empty_db):
    insert(empty_db, "accidents", {})
    with store.connect(empty_db) as con:
        blocks = report_content(con, COUNTY, PERIOD, today=dt.date(2026, 9, 10))["blocks"]
    notes = [b.text for b in blocks if b.kind == "note"]
    assert any("2026年9月30日前本表为初步统计数" in n for n in notes)
    assert not any("初步统计" in b.text for b in content(empty_db)["blocks"])


def test_docx_carries_the_same_text(empty_db):
    insert(empty_db, "accidents", {"deaths": 1}, {**LAST})
    with store.connect(empty_db) as con:
        data = build_report(con, COUNTY, PERIOD, today=TODAY)
    text, tables = docx_text(data)
    for block in content(empty_db)["blocks"]:
        if block.kind in ("paragraph", "heading", "title"):
            assert block.plain in text
    assert tables[0][1][:4] == ["事故起数（起）", "1", "1", "持平"]
