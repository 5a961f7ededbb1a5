"""The six programme datasets and the schema-4 columns: real ledgers import, malformed ones are refused."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from analytics import store
from analytics.contract.datasets import DATASETS
from analytics.importing import import_file, recognise_dataset
from analytics.importing.credit_code import ALPHABET, WEIGHTS, credit_code_problem
from tests.import_support import HAZARD_HEADER, REGIONS, csv_bytes, hazard, snapshot

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _check(first17: str) -> str:
    """GB 32100-2015 by hand: 31 minus the weighted sum mod 31, 31 counting as 0."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


# Published examples of valid codes, and fictional ones completed with their check character.
VALID_CODES = [
    "91350100M000100Y43",
    "91110000600037341L",
    "91369921MA1B2C3D4" + _check("91369921MA1B2C3D4"),
    "12100000400000624" + _check("12100000400000624"),
    "51369900MJ0000000" + _check("51369900MJ0000000"),
]


@pytest.mark.parametrize("code", VALID_CODES)
def test_valid_credit_codes(code):
    assert credit_code_problem(code) is None


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("91350100M000100Y44", "校验位应为“3”，不是“4”"),
        ("91110000600037341X", "校验位应为“L”"),
        ("91350100M000100Y4", "应为 18 位"),
        ("91350100M000100Y433", "应为 18 位"),
        ("91350100MO00100Y43", "不允许的字符“O”"),
        ("9135010OI000100Z43", "不允许的字符“O”“I”“Z”"),
        ("91350100M00010SV43", "“S”“V”"),
        ("9135010-M000100Y43", "“-”"),
    ],
)
def test_invalid_credit_codes_say_what_is_wrong(code, text):
    message = credit_code_problem(code)
    assert message and text in message and code in message


@pytest.fixture
def regions_db(empty_db):
    result = import_file(
        csv_bytes([["县市区", "乡镇（街道）", "市"], *REGIONS]), file_name="regions.csv", db=empty_db
    )
    assert result["status"] == "imported"
    return empty_db


def _rows(db, sql: str) -> list[tuple]:
    with store.connect(db, read_only=True) as con:
        return con.execute(sql).fetchall()


TITLE = ["甲县2026年台账"]
NOTE = ["填报单位：甲县应急管理局", "", "", "填报日期：2026年9月30日"]
TOTAL = ["合计"]


def _ledger(header: list, rows: list[list], total: bool = True) -> bytes:
    """As a county office sends it: title and notes rows, 序号, a 合计 row, GB18030."""
    body = [["序号", *header], *[[str(i), *r] for i, r in enumerate(rows, start=1)]]
    return csv_bytes([TITLE, NOTE, *body, *([TOTAL] if total else [])], encoding="gb18030")


CODE = VALID_CODES[2]
LEDGERS = {
    "standardization": (
        ["创建编号", "县市区", "乡镇（街道）", "企业名称", "统一社会信用代码", "行业领域", "创建等级",
         "申报日期", "评审通过日期", "证书有效期至"],
        [
            ["BZ-001", "甲县", "城关镇", "甲县恒通机械制造有限公司", CODE.lower(), "工贸", "二级达标",
             "26年3月5日", "26年8月20日", "29年8月19日"],
            ["BZ-002", "甲县", "河口乡", "河口鑫源化工有限公司", "", "危化品", "三级", "2026/4/1", "", ""],
        ],
        "SELECT record_id, credit_code, sector, grade, applied_on, passed_on, expires_on FROM standardization "
        "ORDER BY 1",
        [
            ("BZ-001", CODE, "工业", "二级", dt.date(2026, 3, 5), dt.date(2026, 8, 20), dt.date(2029, 8, 19)),
            ("BZ-002", None, "危险化学品", "三级", dt.date(2026, 4, 1), None, None),
        ],
    ),
    "standardization_targets": (
        ["年度", "县市区", "达标等级", "任务数（户）"],
        [["2026年", "甲县", "二级达标", "20户"], ["2026", "甲县", "三级", "60"]],
        "SELECT year, county, grade, target FROM standardization_targets ORDER BY grade",
        [(2026, "甲县", "三级", 60), (2026, "甲县", "二级", 20)],
    ),
    "major_hazard_sources": (
        ["危险源编号", "县市区", "乡镇（街道）", "所属单位", "危险源名称", "危险源等级", "备案日期",
         "核销日期", "在线监控"],
        [
            ["WX-001", "甲县", "城关镇", "甲县燃气有限公司", "液化石油气储罐区", "二级重大危险源",
             "24年3月5日", "", "是"],
            ["WX-002", "甲县", "河口乡", "河口化工有限公司", "液氨储罐区", "四级", "2024-05-06",
             "2026年3月1日", "否"],
        ],
        "SELECT source_id, level, registered_on, deregistered_on, monitored FROM major_hazard_sources ORDER BY 1",
        [
            ("WX-001", "二级", dt.date(2024, 3, 5), None, True),
            ("WX-002", "四级", dt.date(2024, 5, 6), dt.date(2026, 3, 1), False),
        ],
    ),
    "projects": (
        ["项目编号", "县市区", "乡镇（街道）", "项目名称", "行业领域", "立项备案日期", "安全评价日期",
         "竣工验收日期"],
        [
            ["XM-001", "甲县", "城关镇", "冷链物流园建设项目", "商贸", "26年3月5日", "2026.4.10", ""],
            ["XM-002", "乙县", "新华街道", "标准化厂房项目", "", "2025年11月2日", "", "2026/9/1"],
        ],
        "SELECT project_id, county, sector, registered_on, evaluated_on, accepted_on FROM projects ORDER BY 1",
        [
            ("XM-001", "甲县", "商贸", dt.date(2026, 3, 5), dt.date(2026, 4, 10), None),
            ("XM-002", "乙县", None, dt.date(2025, 11, 2), None, dt.date(2026, 9, 1)),
        ],
    ),
    "monthly_reports": (
        ["年度", "月份", "县市区", "报送部门", "统计项目", "数量（起）"],
        [
            ["2026年", "3月", "甲县", "公安交警大队", "交通违法", "820起"],
            ["2026", "3", "甲县", "应急管理局", "打非治违", "1,204"],
            ["2026", "3", "甲县", "交通运输局", "道路交通违规行为", "０"],
        ],
        "SELECT department, item, value FROM monthly_reports ORDER BY value",
        [("交通运输局", "道路交通违法行为", 0), ("公安交警大队", "道路交通违法行为", 820),
         ("应急管理局", "非法违法行为", 1204)],
    ),
    "control_targets": (
        ["年度", "县市区", "乡镇（街道）", "事故起数控制数", "死亡人数控制数"],
        [["2026", "甲县", "", "30起", "12人"], ["2026", "甲县", "城关镇", "8", ""],
         ["2026", "甲县", "河口乡", "", "2"]],
        "SELECT township, accidents_cap, deaths_cap FROM control_targets ORDER BY township NULLS FIRST",
        [(None, 30, 12), ("城关镇", 8, None), ("河口乡", None, 2)],
    ),
    "hazards": (
        [*HAZARD_HEADER, "挂牌督办级别", "销号日期"],
        [
            [*hazard(1)[:6], "重大隐患", *hazard(1)[7:], "县级挂牌", "26年8月15日"],
            [*hazard(2)[:6], "重大事故隐患", *hazard(2)[7:], "市", ""],
            [*hazard(3), "", ""],
        ],
        "SELECT hazard_id, level, listed_level, closed_on FROM hazards ORDER BY 1",
        [("YH0001", "重大隐患", "县级", dt.date(2026, 8, 15)), ("YH0002", "重大隐患", "市级", None),
         ("YH0003", "一般隐患", None, None)],
    ),
    "training": (
        ["培训编号", "培训日期", "县市区", "乡镇（街道）", "培训对象", "参训人数", "培训班名称"],
        [["PX-001", "26年4月8日", "甲县", "", "安全管理人员", "120人", "第一期企业安全管理培训班"],
         ["PX-002", "2026-05-10", "甲县", "河口乡", "一般从业人员", "45", ""]],
        "SELECT session_id, held_on, title FROM training ORDER BY 1",
        [("PX-001", dt.date(2026, 4, 8), "第一期企业安全管理培训班"), ("PX-002", dt.date(2026, 5, 10), None)],
    ),
    "inspections": (
        ["检查编号", "检查日期", "县市区", "乡镇（街道）", "检查部门", "被检查单位", "检查类型", "行业领域"],
        [["JC-001", "26年3月5日", "甲县", "城关镇", "应急管理局", "恒通化工", "专项检查", "化工"]],
        "SELECT inspection_id, kind, sector FROM inspections",
        [("JC-001", "专项检查", "危险化学品")],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(LEDGERS))
def test_a_county_ledger_imports_and_is_recognised(regions_db, name):
    header, rows, query, expected = LEDGERS[name]
    assert recognise_dataset(header) == name
    result = import_file(_ledger(header, rows), file_name=f"{name}.csv", db=regions_db)
    assert result["status"] == "imported", result["errors"]
    assert result["dataset"] == name and result["rows_inserted"] == len(rows)
    assert any("合计" in w for w in result["warnings"])
    assert _rows(regions_db, query) == expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["年度", "县市区", "创建等级", "任务数"], "standardization_targets"),
        (["年度", "县市区", "乡镇", "培训对象", "应培训人数"], "training_targets"),
        (["年度", "月份", "县市区", "报送单位", "统计指标", "数量"], "monthly_reports"),
        (["年度", "月份", "县市区", "事故起数", "死亡人数", "受伤人数"], "city_bulletin"),
        (["年度", "县市区", "乡镇", "事故起数控制指标", "死亡人数控制指标"], "control_targets"),
        (["年度", "县市区", "乡镇（街道）"], None),
        (["企业名称", "社会信用代码", "达标等级", "申报日期", "县市区"], "standardization"),
        (["危险源编号", "县市区", "企业名称", "危险源级别", "备案时间"], "major_hazard_sources"),
        (["项目编号", "县市区", "项目名称", "立项日期"], "projects"),
    ],
)
def test_overlapping_headers_pick_the_right_dataset(headers, expected):
    assert recognise_dataset(headers) == expected


STD = LEDGERS["standardization"][0]
SOURCES = LEDGERS["major_hazard_sources"][0]
PROJECTS = LEDGERS["projects"][0]
REPORTS = LEDGERS["monthly_reports"][0]
CAPS = LEDGERS["control_targets"][0]
TARGETS = LEDGERS["standardization_targets"][0]
LISTED = [*HAZARD_HEADER, "挂牌督办级别", "销号日期"]


def std(**changes) -> list:
    row = dict(zip(STD, ["BZ-9", "甲县", "城关镇", "某公司", CODE, "工业", "二级", "2026-03-05", "2026-08-20",
                         "2029-08-19"], strict=True))  # fmt: skip
    row.update(changes)
    return [row[h] for h in STD]


def major(i: int, listed="县级", closed="2026-08-15", rectified="2026-08-10") -> list:
    row = hazard(i, done=rectified)
    return [*row[:6], "重大隐患", *row[7:], listed, closed]


WRONG_CHECK = CODE[:17] + ALPHABET[(ALPHABET.index(CODE[17]) + 1) % 31]
# (id, dataset, rows (header first), file row, column, text in the message)
CASES = [
    ("passed before applied", "standardization", [STD, std(评审通过日期="2026-03-01")], 2, "评审通过日期",
     "不能早于“申报日期”"),
    ("expires before passed", "standardization", [STD, std(证书有效期至="2026-08-01")], 2, "证书有效期至",
     "不能早于“评审通过日期”"),
    ("expires without passed", "standardization", [STD, std(), std(创建编号="BZ-10", 评审通过日期="")], 3,
     "证书有效期至", "评审通过后"),
    ("wrong check character", "standardization", [STD, std(统一社会信用代码=WRONG_CHECK)], 2, "统一社会信用代码",
     f"校验位应为“{CODE[17]}”"),
    ("forbidden letter", "standardization", [STD, std(统一社会信用代码="9136992OMA1B2C3D4X")], 2,
     "统一社会信用代码", "不允许的字符“O”"),
    ("short code", "standardization", [STD, std(统一社会信用代码=CODE[:15])], 2, "统一社会信用代码", "应为 18 位"),
    ("grade", "standardization", [STD, std(创建等级="四级")], 2, "创建等级", "一级、二级、三级"),
    ("passed in the future", "standardization", [STD, std(评审通过日期="2099-01-01", 证书有效期至="")], 2,
     "评审通过日期", "晚于今天"),
    ("target negative", "standardization_targets", [TARGETS, ["2026", "甲县", "二级", "-1"]], 2, "任务数（户）",
     "不能小于0"),
    ("target grade", "standardization_targets", [TARGETS, ["2026", "甲县", "四级达标", "3"]], 2, "达标等级",
     "一级、二级、三级"),
    ("target repeated", "standardization_targets",
     [TARGETS, ["2026", "甲县", "二级", "3"], ["2026", "甲县", "二级达标", "4"]], 3, "年度", "第 2 行"),
    ("deregistered early", "major_hazard_sources",
     [SOURCES, ["WX-1", "甲县", "", "某公司", "", "三级", "2026-03-01", "2025-03-01", "是"]], 2, "核销日期",
     "不能早于“备案日期”"),
    ("source level", "major_hazard_sources",
     [SOURCES, ["WX-1", "甲县", "", "某公司", "", "五级", "2026-03-01", "", "是"]], 2, "危险源等级",
     "一级、二级、三级、四级"),
    ("monitored word", "major_hazard_sources",
     [SOURCES, ["WX-1", "甲县", "", "某公司", "", "三级", "2026-03-01", "", "有"]], 2, "在线监控", "是/否"),
    ("evaluated early", "projects",
     [PROJECTS, ["XM-1", "甲县", "", "某项目", "", "2026-03-01", "2026-02-01", ""]], 2, "安全评价日期",
     "不能早于“立项备案日期”"),
    ("accepted early", "projects",
     [PROJECTS, ["XM-1", "甲县", "", "某项目", "", "2026-03-01", "", "2026-02-01"]], 2, "竣工验收日期",
     "不能早于“立项备案日期”"),
    ("project name missing", "projects", [PROJECTS, ["XM-1", "甲县", "", "", "", "2026-03-01", "", ""]], 2,
     "项目名称", "必填"),
    ("month 13", "monthly_reports", [REPORTS, ["2026", "13", "甲县", "交警", "交通违法", "3"]], 2, "月份",
     "不能大于12"),
    ("report item", "monthly_reports", [REPORTS, ["2026", "3", "甲县", "交警", "酒驾", "3"]], 2, "统计项目",
     "道路交通违法行为、非法违法行为"),
    ("report value", "monthly_reports", [REPORTS, ["2026", "3", "甲县", "交警", "交通违法", "-3"]], 2,
     "数量（起）", "不能小于0"),
    ("report repeated", "monthly_reports",
     [REPORTS, ["2026", "3", "甲县", "交警", "交通违法", "3"], ["2026", "3", "甲县", "交警", "道路交通违法行为", "4"]],
     3, "年度", "第 2 行"),
    ("no cap", "control_targets", [CAPS, ["2026", "甲县", "", "8", ""], ["2026", "甲县", "城关镇", "", ""]], 3,
     "事故起数控制数", "至少填写其中一项"),
    ("no cap column", "control_targets", [CAPS[:3], ["2026", "甲县", ""]], None, "事故起数控制数",
     "至少需要其中一列"),
    ("cap negative", "control_targets", [CAPS, ["2026", "甲县", "", "-1", "2"]], 2, "事故起数控制数", "不能小于0"),
    ("listed general hazard", "hazards", [LISTED, [*hazard(1), "县级", ""]], 2, "挂牌督办级别",
     "只能填在“重大隐患”上"),
    ("listed level word", "hazards", [LISTED, major(1, listed="乡级")], 2, "挂牌督办级别", "县级、市级、省级"),
    ("closed unlisted", "hazards", [LISTED, major(1), major(2, listed="")], 3, "销号日期", "“挂牌督办级别”为空"),
    ("closed open", "hazards", [LISTED, major(1, rectified="")], 2, "销号日期", "“整改完成日期”为空"),
    ("closed early", "hazards", [LISTED, major(1, closed="2026-08-05")], 2, "销号日期", "不能早于“整改完成日期”"),
    ("closed future", "hazards", [LISTED, major(1, closed="2099-01-01")], 2, "销号日期", "晚于今天"),
    ("sector", "inspections",
     [LEDGERS["inspections"][0], ["JC-1", "2026-03-05", "甲县", "", "应急", "某单位", "", "渔业"]], 2,
     "行业领域", "道路交通、工业"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("dataset", "rows", "row", "column", "text"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_malformed_file_is_rejected_with_row_and_column(regions_db, dataset, rows, row, column, text):
    before = snapshot(regions_db)
    result = import_file(csv_bytes(rows), dataset=dataset, file_name="bad.csv", db=regions_db)
    assert result["status"] == "rejected"
    matching = [e for e in result["errors"] if e["row"] == row and e["column"] == column]
    assert matching, result["errors"]
    assert text in matching[0]["message"]
    assert all(CHINESE.search(e["message"]) for e in result["errors"])
    assert snapshot(regions_db) == before


def test_only_the_broken_rule_is_reported(regions_db):
    """A valid listed, closed 重大隐患 passes; an empty township row is the county's own control target."""
    ok = import_file(csv_bytes([LISTED, major(1), major(2, closed="")]), file_name="h.csv", db=regions_db)
    assert ok["status"] == "imported", ok["errors"]
    bad = import_file(csv_bytes([STD, std(统一社会信用代码=WRONG_CHECK)]), file_name="s.csv", db=regions_db)
    assert [(e["row"], e["column"]) for e in bad["errors"]] == [(2, "统一社会信用代码")]


def test_an_unreadable_condition_cell_is_reported_once(regions_db):
    result = import_file(csv_bytes([STD, std(评审通过日期="八月")]), file_name="s.csv", db=regions_db)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "评审通过日期")]
    result = import_file(csv_bytes([LISTED, major(1, rectified="8月10日")]), file_name="h.csv", db=regions_db)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "整改完成日期")]


def _load(db, header, rows, mode="upsert"):
    result = import_file(csv_bytes([header, *rows]), file_name="f.csv", db=db, mode=mode)
    assert result["status"] in ("imported", "unchanged"), result["errors"]
    return result


def test_replace_monthly_reports_for_the_months_the_file_covers(regions_db):
    _load(regions_db, REPORTS, [
        ["2026", "3", "甲县", "交警", "交通违法", "5"], ["2026", "3", "甲县", "应急", "打非治违", "2"],
        ["2026", "4", "甲县", "交警", "交通违法", "6"], ["2026", "3", "乙县", "交警", "交通违法", "7"],
    ])  # fmt: skip
    result = _load(regions_db, REPORTS, [["2026", "3", "甲县", "交警", "交通违法", "9"]], mode="replace")
    assert (result["rows_updated"], result["rows_removed"]) == (1, 1)
    rows = _rows(
        regions_db, "SELECT county, month, department, value FROM monthly_reports ORDER BY 1, 2, 3, 4"
    )
    assert rows == [("乙县", 3, "交警", 7), ("甲县", 3, "交警", 9), ("甲县", 4, "交警", 6)]


def test_replace_targets_for_the_years_the_file_covers(regions_db):
    _load(regions_db, TARGETS, [
        ["2026", "甲县", "一级", "1"], ["2026", "甲县", "二级", "20"], ["2026", "甲县", "三级", "60"],
        ["2025", "甲县", "二级", "18"], ["2026", "乙县", "二级", "9"],
    ])  # fmt: skip
    result = _load(regions_db, TARGETS, [["2026", "甲县", "二级", "22"]], mode="replace")
    assert (result["rows_updated"], result["rows_removed"]) == (1, 2)
    rows = _rows(
        regions_db, "SELECT year, county, grade, target FROM standardization_targets ORDER BY 1, 2, 3, 4"
    )
    assert rows == [(2025, "甲县", "二级", 18), (2026, "乙县", "二级", 9), (2026, "甲县", "二级", 22)]
    _load(regions_db, CAPS, [["2026", "甲县", "", "30", "12"], ["2026", "甲县", "城关镇", "8", ""]])
    result = _load(regions_db, CAPS, [["2026", "甲县", "", "28", "12"]], mode="replace")
    assert (result["rows_updated"], result["rows_removed"]) == (1, 1)
    assert _rows(regions_db, "SELECT township, accidents_cap FROM control_targets") == [(None, 28)]


def test_every_new_dataset_has_a_ledger_case():
    new = {"standardization", "standardization_targets", "major_hazard_sources", "projects", "monthly_reports",
           "control_targets"}  # fmt: skip
    assert new <= set(DATASETS) and new <= set(LEDGERS) and new <= {c[1] for c in CASES}
