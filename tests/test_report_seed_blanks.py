"""The seed's remaining blanks in the report, table-driven on tiny databases: each sentence with its data
(the figure written out by hand from the rows the case inserts) and without (the sentence is left out,
never 0 or 暂无). The text is read back from the generated .docx (`tests.docx_support`).
"""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

from analytics import store
from analytics.documents.brief import build_brief
from analytics.documents.report import build_report, report_content
from analytics.metrics.periods import Period
from tests.docx_support import docx_text
from tests.factories import COUNTY
from tests.factories import add as insert

D = dt.date
PERIOD = Period(2026, 1, 8)  # as_of 2026-08-31
TODAY = dt.date(2026, 11, 20)  # well after the period and its correction window


def docx_report(path) -> str:
    """The report's paragraphs and tables as they are in the .docx."""
    with store.connect(path) as con:
        text, tables = docx_text(build_report(con, COUNTY, PERIOD, today=TODAY))
    return text + "\n" + "\n".join("｜".join(row) for table in tables for row in table)


def load(path, rows: dict[str, list[dict]]) -> None:
    for table, table_rows in rows.items():
        insert(path, table, *table_rows)


def check(text: str, expected: list[str], absent: list[str]) -> None:
    for phrase in expected:
        assert phrase in text, f"缺少：{phrase}\n{text}"
    for phrase in absent:
        assert phrase not in text, f"不应出现：{phrase}\n{text}"


GRADE_TARGETS = [
    {"grade": "一级", "target": 0},
    {"grade": "二级", "target": 20},
    {"grade": "三级", "target": 60},
]
STANDARDIZATION = [
    {"grade": "二级", "applied_on": D(2026, 2, 1), "passed_on": D(2026, 5, 1), "expires_on": D(2026, 10, 1)},
    {"grade": "二级", "applied_on": D(2026, 4, 1)},
    {"grade": "三级", "applied_on": D(2026, 1, 5), "passed_on": D(2026, 6, 1), "expires_on": D(2029, 6, 1)},
    {"grade": "三级", "applied_on": D(2026, 3, 1)},
    {"grade": "三级", "applied_on": D(2026, 8, 31)},
    {"grade": "三级", "applied_on": D(2026, 9, 1)},  # after as_of: not yet applied
    # Passed last year and still valid: certified, but not among this year's applications.
    {"grade": "三级", "applied_on": D(2025, 3, 1), "passed_on": D(2025, 6, 1), "expires_on": D(2028, 6, 1)},
    # Expired before as_of: not certified.
    {"grade": "三级", "applied_on": D(2022, 3, 1), "passed_on": D(2022, 6, 1), "expires_on": D(2026, 8, 30)},
]
SOURCES = [
    {"level": "一级", "registered_on": D(2020, 5, 1), "monitored": True},
    {"level": "三级", "registered_on": D(2026, 2, 1)},
    {"level": "三级", "registered_on": D(2025, 2, 1), "deregistered_on": D(2026, 5, 1)},  # deregistered
    {"level": "二级", "registered_on": D(2026, 10, 1)},  # after as_of
]
ROAD, ILLEGAL = "道路交通违法行为", "非法违法行为"
MONTHLY = [
    {"item": ROAD, "month": 3, "value": 1200},
    {"item": ROAD, "month": 5, "value": 34, "department": "县交通运输局"},
    {"item": ROAD, "month": 9, "value": 999},  # after the period
    {"item": ROAD, "year": 2025, "month": 3, "value": 1500},
    {"item": ILLEGAL, "month": 6, "value": 15},
]
LAST_YEAR_CASE = {"filed_on": D(2025, 3, 10)}
TRAINING = [
    {
        "title": "第一期企业安全管理培训班",
        "held_on": D(2026, 4, 12),
        "category": "特种作业人员",
        "trainees": 40,
    },
    {
        "title": "第一期企业安全管理培训班",
        "held_on": D(2026, 4, 12),
        "category": "安全管理人员",
        "trainees": 60,
    },
    {"title": "危险化学品行业安全管理培训班", "held_on": D(2026, 6, 5), "trainees": 80},
    {"title": " 危险化学品行业安全管理培训班", "held_on": D(2026, 6, 6), "trainees": 70},
    {"title": "第二期企业安全管理培训班", "held_on": D(2026, 9, 2), "trainees": 500},  # after the period
    {"held_on": D(2026, 5, 1), "trainees": 10},
    {"title": "", "held_on": D(2026, 5, 2), "trainees": 5},
]

CASES = {
    "standardization": (
        {"standardization_targets": GRADE_TARGETS, "standardization": STANDARDIZATION},
        [
            "推进企业安全生产标准化。今年，县政府自加压力，加大创建达标力度，"
            "努力实现20户企业的二级达标和60户企业的三级达标任务。",
            "目前，已完成2户二级达标企业及3户三级达标企业的自查自评和网上申报工作。"
            "今年已有2户企业通过评审验收（二级1户、三级1户），二级、三级达标任务完成率分别为5.0%、1.7%。",
            "截至2026年8月31日，全县在有效期内的安全生产标准化达标企业3户，其中1户达标证书将在90日内到期",
        ],
        ["一级达标", "0户企业的一级"],
    ),
    "standardization_targets_only": (
        {"standardization_targets": GRADE_TARGETS},
        ["努力实现20户企业的二级达标和60户企业的三级达标任务。"],
        ["自查自评", "完成率", "有效期内"],
    ),
    "passed_this_year_applied_last_year": (
        {
            "standardization_targets": [{"grade": "二级", "target": 4}],
            "standardization": [
                {"grade": "二级", "applied_on": D(2025, 11, 1), "passed_on": D(2026, 3, 1)},
                {"grade": "二级", "applied_on": D(2025, 12, 1), "passed_on": D(2026, 9, 1)},  # after as_of
            ],
        },
        [
            "努力实现4户企业的二级达标任务。今年已有1户企业通过评审验收（二级1户），二级达标任务完成率为25.0%。",
            "在有效期内的安全生产标准化达标企业1户。",
        ],
        ["自查自评", "90日内到期"],
    ),
    "no_standardization": ({"accidents": [{}]}, [], ["达标", "自查自评", "推进企业安全生产标准化"]),
    "projects_after_standardization": (
        {
            "standardization_targets": GRADE_TARGETS,
            "projects": [
                {"registered_on": D(2026, 2, 1), "evaluated_on": D(2026, 3, 1), "accepted_on": D(2026, 7, 1)},
                {"registered_on": D(2026, 4, 1), "evaluated_on": D(2026, 8, 1)},
                {"registered_on": D(2026, 6, 1), "evaluated_on": D(2026, 10, 1)},  # evaluated after as_of
                {"registered_on": D(2025, 6, 1), "evaluated_on": D(2025, 7, 1)},  # last year's project
            ],
        },
        [
            "任务。同时，加强建设项目安全设施“三同时”监管",
            "跟踪督促全县3个新建项目依法开展安全生产评价，已开展安全评价2个，安全评价率66.7%，已竣工验收1个。",
        ],
        [],
    ),
    "projects_alone": (
        {"projects": [{"registered_on": D(2026, 2, 1)}]},
        [
            "加强建设项目安全设施“三同时”监管。将新建项目“三同时”作为立项备案和开工建设的前置条件严格把关",
            "跟踪督促全县1个新建项目依法开展安全生产评价，均尚未开展安全评价",
        ],
        ["同时，加强", "推进企业安全生产标准化"],
    ),
    "no_projects_in_period": (
        {"projects": [{"registered_on": D(2025, 6, 1)}]},
        [],
        ["新建项目", "三同时"],
    ),
    "road_traffic": (
        {"monthly_reports": MONTHLY, "enforcement": [{}]},
        ["立案查处安全生产违法行为1件（去年同期为0），道路交通违规行为1,234起，比去年同期下降17.7%"],
        ["999"],
    ),
    "road_traffic_last_year_only": (
        {"monthly_reports": [{"item": ROAD, "year": 2025, "value": 40}], "enforcement": [{}]},
        [],
        ["道路交通违规行为"],
    ),
    "no_monthly_reports": ({"enforcement": [{}]}, [], ["道路交通违规行为", "非法、违法行为"]),
    "illegal_acts": (
        {"monthly_reports": MONTHLY, "hazards": [{}]},
        ["查处整治非法、违法行为15起（去年同期为0）"],
        [],
    ),
    "penalties": (
        {
            "enforcement": [
                {"measure": "罚款", "fine_wan": 2},
                {"measure": "罚款", "fine_wan": 1},
                {"measure": "警告"},
                {"measure": "责令限期整改"},
                {"measure": "移送司法机关"},
                {**LAST_YEAR_CASE, "measure": "罚款"},
                {**LAST_YEAR_CASE, "measure": "责令限期整改"},
                {**LAST_YEAR_CASE, "measure": "暂扣吊销证照"},
            ]
        },
        ["作出行政处罚3起，比去年同期上升50.0%"],
        [],
    ),
    "no_penalties": (
        {"enforcement": [{"measure": "责令限期整改"}, {"measure": "移送司法机关"}]},
        ["立案查处安全生产违法行为2件"],
        ["作出行政处罚"],
    ),
    "sectors_inspected": (
        {
            "inspections": [
                {"sector": "工业"},
                {"sector": "商贸"},
                {"sector": "工业"},
                {},
                {"sector": "矿山", "inspected_on": D(2025, 3, 1)},  # last year
            ]
        },
        ["1-8月，县政府按照重点行业领域，确定了2个行业领域，按照“全覆盖、零容忍、严执法、重实效”的要求"],
        [],
    ),
    "no_sector_inspected": ({"inspections": [{}]}, ["开展安全生产检查1次"], ["确定了", "个行业领域"]),
    "general_and_major_hazards": (
        {"hazards": [{}, {}, {"level": "重大隐患"}]},
        ["排查一般安全隐患2条、重大事故隐患1条，共排查安全隐患3条"],
        [],
    ),
    "general_hazards_only": ({"hazards": [{}, {}]}, ["排查一般安全隐患2条"], ["重大事故隐患1"]),
    "major_sources": (
        {"major_hazard_sources": SOURCES, "hazards": [{}]},
        [
            "对全县2处重大危险源建立分级监控机制（其中一级1处、三级1处），已接入在线监控1处，在线监控率50.0%，"
            "本期新增备案1处"
        ],
        ["二级1处"],
    ),
    "no_source_in_force": (
        {"major_hazard_sources": [SOURCES[2], SOURCES[3]], "hazards": [{}]},
        [],
        ["重大危险源"],
    ),
    "listed_hazards": (
        {
            "hazards": [
                {
                    "level": "重大隐患",
                    "listed_level": "县级",
                    "rectified_on": D(2026, 3, 15),
                    "closed_on": D(2026, 3, 20),
                },
                {"level": "重大隐患", "listed_level": "市级"},
                {"level": "重大隐患"},
            ]
        },
        ["平均整改用时5.0天。对2条重大事故隐患实行挂牌督办，已销号1条，销号率50.0%，逾期未销号1条。"],
        [],
    ),
    "no_listed_hazards": ({"hazards": [{"level": "重大隐患"}]}, ["重大事故隐患1条"], ["挂牌督办", "销号"]),
    "control_targets": (
        {
            "regions": [{"township": "东镇"}, {"township": "西镇"}],
            "control_targets": [
                {"accidents_cap": 4, "deaths_cap": 1},
                {"township": "东镇", "accidents_cap": 1},
                {"township": "西镇", "accidents_cap": 3, "deaths_cap": 0},
            ],
            "accidents": [
                {"township": "东镇", "deaths": 1},
                {"township": "东镇"},
                {"township": "西镇", "occurred_on": D(2026, 8, 31)},
                {"township": "西镇", "occurred_on": D(2026, 9, 1)},  # after the period
            ],
        },
        [
            "对照年度控制指标，全县事故起数控制数为4起，1-8月累计3起，占控制指标的75.0%；"
            "死亡人数控制数为1人，1-8月累计1人，占控制指标的100.0%；时间进度为66.7%，事故起数、死亡人数超过时间进度。",
            "从各乡镇（街道）看，东镇事故起数超出控制指标，须引起高度重视。",
            "附表4\n甲县2026年1-8月年度控制指标完成情况",
            "全县｜3｜4｜75.0%｜超过时间进度｜1｜1｜100.0%｜超过时间进度",
            "东镇｜2｜1｜200.0%｜超出控制指标｜1｜—｜—｜—",
            "西镇｜1｜3｜33.3%｜正常｜0｜0｜—｜正常",
            "注：控制进度为1-8月累计数占年度控制数的比例，时间进度为66.7%",
        ],
        ["西镇事故起数", "西镇死亡人数"],
    ),
    "control_within_time_progress": (
        {"control_targets": [{"accidents_cap": 10, "deaths_cap": 0}], "accidents": [{}]},
        [
            "全县事故起数控制数为10起，1-8月累计1起，占控制指标的10.0%；死亡人数控制数为0人，1-8月累计0人；"
            "时间进度为66.7%，均在控制指标和时间进度以内。",
            "全县｜1｜10｜10.0%｜正常｜0｜0｜—｜正常",
        ],
        ["事故起数超过时间进度", "死亡人数超过时间进度", "已超出年度控制指标"],
    ),
    "no_control_targets": ({"accidents": [{}]}, [], ["控制指标", "时间进度", "附表4"]),
    "named_sessions": (
        {"training": TRAINING},
        [
            "4月12日举办第一期企业安全管理培训班，培训安全管理人员和特种作业人员100人；"
            "6月5日至6日举办危险化学品行业安全管理培训班，培训主要负责人150人。"
        ],
        ["第二期", "500人"],
    ),
    "named_series": (
        {
            "training": [
                *[
                    {"title": f"第{number}期企业安全管理培训班", "held_on": D(2026, 4, day), "trainees": 10}
                    for day, number in enumerate("一二三四五六七", start=1)
                ],
                {
                    "title": "危险化学品行业安全管理培训班",
                    "held_on": D(2026, 6, 9),
                    "category": "安全管理人员",
                },
                {
                    "title": "危险化学品行业安全管理培训班",
                    "held_on": D(2026, 7, 20),
                    "category": "安全管理人员",
                },
            ]
        },
        [
            "4月1日举办第一期企业安全管理培训班，培训主要负责人10人，至4月7日共举办企业安全管理培训班7期、培训70人；"
            "6月9日至7月20日分2期举办危险化学品行业安全管理培训班，培训安全管理人员20人。"
        ],
        ["第二期"],
    ),
    "no_named_sessions": ({"training": [{"trainees": 12}]}, ["培训各类人员12人"], ["举办第", "培训班"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_seed_sentence(empty_db, case):
    rows, expected, absent = CASES[case]
    load(empty_db, rows)
    check(docx_report(empty_db), expected, absent)


def test_monthly_reports_behind_the_period_are_noted(empty_db):
    insert(empty_db, "monthly_reports", {"month": 5, "value": 7}, {"year": 2025, "month": 7, "value": 9})
    assert "部门月报数据截至2026年5月" in docx_report(empty_db)


def test_empty_database_leaves_every_new_sentence_out(empty_db):
    insert(empty_db, "regions", {"township": "东镇"})
    with store.connect(empty_db) as con:
        blocks = report_content(con, COUNTY, PERIOD, today=TODAY)["blocks"]
    text = "\n".join(block.plain for block in blocks)
    for phrase in (
        "达标",
        "新建项目",
        "道路交通违规行为",
        "作出行政处罚",
        "个行业领域",
        "非法、违法行为",
        "重大危险源",
        "挂牌督办",
        "控制指标",
        "培训班",
    ):
        assert phrase not in text, phrase
    assert "部门月报" not in text
    for bad in ("None", "nan", "（）", "，，", "。。", "；。"):
        assert bad not in text, bad


def _brief_text(path) -> str:
    with store.connect(path) as con:
        return "\n".join(
            p.text
            for p in docx.Document(io.BytesIO(build_brief(con, COUNTY, PERIOD, today=TODAY))).paragraphs
        )


def test_brief_carries_the_control_targets(empty_db):
    rows, (county, *_), _ = CASES["control_targets"]
    load(empty_db, rows)
    text = _brief_text(empty_db)
    assert county in text
    assert "东镇" not in text  # the one-page brief leaves the townships to the report


def test_brief_without_control_targets_says_nothing_of_them(empty_db):
    insert(empty_db, "accidents", {})
    text = _brief_text(empty_db)
    assert "共发生各类生产安全事故1起" in text
    assert "控制指标" not in text and "时间进度" not in text
