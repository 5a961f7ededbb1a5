"""Every contract rule: one malformed file each, rejected whole, right row and column, Chinese message, DB untouched."""

from __future__ import annotations

import re
import sys

import pytest

from analytics.importing import import_file
from tests.import_support import (
    ACCIDENT_HEADER,
    HAZARD_HEADER,
    REGIONS,
    accident,
    csv_bytes,
    hazard,
    snapshot,
)

TRAINING_HEADER = [
    "培训编号",
    "培训日期",
    "县市区",
    "乡镇（街道）",
    "培训对象",
    "参训人数",
    "考核合格人数",
    "学时",
]
BULLETIN_HEADER = ["年度", "月份", "县市区", "事故起数", "死亡人数", "受伤人数", "直接经济损失（万元）"]
TARGET_HEADER = ["年度", "县市区", "乡镇（街道）", "培训对象", "应培训人数"]
INJURY_HEADER = [*ACCIDENT_HEADER, "重伤人数"]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def replaced(row: list, index: int, value) -> list:
    row = list(row)
    row[index] = value
    return row


# (id, rows (header first, data from file row 2), expected row, expected column, text in the message)
CASES = [
    (
        "missing column",
        [ACCIDENT_HEADER[:5] + ACCIDENT_HEADER[6:], accident(1)[:5] + accident(1)[6:]],
        None,
        "死亡人数",
        "缺少必填列",
    ),
    ("empty required", [ACCIDENT_HEADER, accident(1), replaced(accident(2), 5, "")], 3, "死亡人数", "必填"),
    (
        "invalid date",
        [ACCIDENT_HEADER, replaced(accident(1), 1, "2026-02-30")],
        2,
        "发生日期",
        "不是有效日期",
    ),
    ("unreadable date", [ACCIDENT_HEADER, replaced(accident(1), 1, "8月3日")], 2, "发生日期", "应为日期"),
    ("compact date", [ACCIDENT_HEADER, replaced(accident(1), 1, "20260803")], 2, "发生日期", "应为日期"),
    ("year as date", [ACCIDENT_HEADER, replaced(accident(1), 1, "2026")], 2, "发生日期", "应为日期"),
    ("future date", [ACCIDENT_HEADER, replaced(accident(1), 1, "2099-01-01")], 2, "发生日期", "晚于今天"),
    ("wrong unit", [ACCIDENT_HEADER, replaced(accident(1), 5, "3万元")], 2, "死亡人数", "应为数字"),
    (
        "not a number",
        [ACCIDENT_HEADER, replaced(accident(1), 7, "约3")],
        2,
        "直接经济损失（万元）",
        "应为数字",
    ),
    ("chinese numeral", [ACCIDENT_HEADER, replaced(accident(1), 5, "三")], 2, "死亡人数", "应为数字"),
    ("not integral", [ACCIDENT_HEADER, replaced(accident(1), 6, "1.5")], 2, "受伤人数", "应为整数"),
    ("negative", [ACCIDENT_HEADER, replaced(accident(1), 7, "-2")], 2, "直接经济损失（万元）", "不能小于0"),
    ("bad enum", [ACCIDENT_HEADER, replaced(accident(1), 4, "交通运输业")], 2, "行业领域", "道路交通、工业"),
    ("serious > injuries", [INJURY_HEADER, [*accident(1), 2]], 2, "重伤人数", "受伤人数"),
    ("duplicate key", [ACCIDENT_HEADER, accident(1), accident(2), accident(1)], 4, "事故编号", "第 2 行"),
    ("unknown county", [ACCIDENT_HEADER, accident(1, county="丙县", township="")], 2, "县市区", "丙县"),
    ("unknown township", [ACCIDENT_HEADER, accident(1, township="城关振")], 2, "乡镇（街道）", "城关镇"),
    ("deadline early", [HAZARD_HEADER, hazard(1, deadline="2026-07-01")], 2, "整改期限", "不能早于"),
    (
        "rectified early",
        [HAZARD_HEADER, hazard(1, done="2026-07-01", reviewed="")],
        2,
        "整改完成日期",
        "不能早于",
    ),
    ("rectified future", [HAZARD_HEADER, hazard(1, done="2099-07-01")], 2, "整改完成日期", "晚于今天"),
    ("review no order", [HAZARD_HEADER, hazard(1, order="否")], 2, "复查日期", "整改指令书"),
    ("review early", [HAZARD_HEADER, hazard(1, reviewed="2026-07-30")], 2, "复查日期", "不能早于"),
    ("bad bool", [HAZARD_HEADER, hazard(1, order="可能")], 2, "下达整改指令书", "是/否"),
    ("bad level", [HAZARD_HEADER, replaced(hazard(1), 6, "较大隐患")], 2, "隐患等级", "一般隐患、重大隐患"),
    (
        "passed > trainees",
        [TRAINING_HEADER, ["PX1", "2026-08-01", "甲县", "", "主要负责人", 10, 12, 8]],
        2,
        "考核合格人数",
        "考核合格人数",
    ),
    (
        "zero trainees",
        [TRAINING_HEADER, ["PX1", "2026-08-01", "甲县", "", "主要负责人", 0, 0, 8]],
        2,
        "参训人数",
        "大于0",
    ),
    (
        "hours unit",
        [TRAINING_HEADER, ["PX1", "2026-08-01", "甲县", "", "主要负责人", 5, 5, "8天"]],
        2,
        "学时",
        "应为数字",
    ),
    ("month 13", [BULLETIN_HEADER, [2026, 13, "甲县", 1, 0, 1, 2]], 2, "月份", "不能大于12"),
    (
        "null-key duplicate",
        [TARGET_HEADER, [2026, "甲县", "", "主要负责人", 5], [2026, "甲县", "", "主要负责人", 6]],
        3,
        "年度",
        "第 2 行",
    ),
]


@pytest.fixture
def regions_db(empty_db):
    result = import_file(
        csv_bytes([["县市区", "乡镇（街道）", "市"], *REGIONS]), file_name="regions.csv", db=empty_db
    )
    assert result["status"] == "imported"
    good = import_file(csv_bytes([ACCIDENT_HEADER, accident(900)]), file_name="ok.csv", db=empty_db)
    assert good["status"] == "imported"
    return empty_db


@pytest.mark.parametrize(("rows", "row", "column", "text"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_file_is_rejected_whole(regions_db, rows, row, column, text):
    before = snapshot(regions_db)
    result = import_file(csv_bytes(rows), file_name="bad.csv", db=regions_db)
    assert result["status"] == "rejected"
    assert result["batch_id"] is None
    matching = [e for e in result["errors"] if e["row"] == row and e["column"] == column]
    assert matching, result["errors"]
    assert text in matching[0]["message"]
    assert all(CHINESE.search(e["message"]) for e in result["errors"])
    assert snapshot(regions_db) == before


def test_township_suggestion_message(regions_db):
    result = import_file(
        csv_bytes([ACCIDENT_HEADER, accident(1, township="城关振")]), file_name="t.csv", db=regions_db
    )
    assert result["errors"][0]["message"] == "乡镇（街道）“城关振”不在甲县的行政区划中，是否为“城关镇”？"
    assert result["errors"][0]["value"] == "城关振"


def test_township_of_another_county_says_where_it_belongs(regions_db):
    result = import_file(
        csv_bytes([ACCIDENT_HEADER, accident(1, township="新华街道")]), file_name="t.csv", db=regions_db
    )
    error = result["errors"][0]
    assert (error["row"], error["column"], error["value"]) == (2, "乡镇（街道）", "新华街道")
    assert (
        error["message"]
        == "乡镇（街道）“新华街道”不在甲县的行政区划中，新华街道属于乙县，请检查县市区是否填错"
    )


def test_no_suggestion_for_a_name_sharing_only_the_suffix(regions_db):
    result = import_file(
        csv_bytes([ACCIDENT_HEADER, accident(1, township="长安镇")]), file_name="t.csv", db=regions_db
    )
    assert "是否为" not in result["errors"][0]["message"]
    assert "城关镇" not in result["errors"][0]["message"]


def test_county_suggestion_message(regions_db):
    result = import_file(
        csv_bytes([ACCIDENT_HEADER, accident(1, county="甲 县x")]), file_name="c.csv", db=regions_db
    )
    assert "是否为“甲县”" in result["errors"][0]["message"]


def test_regions_are_not_checked_before_any_are_known(empty_db):
    result = import_file(
        csv_bytes([ACCIDENT_HEADER, accident(1, county="丙县")]), file_name="a.csv", db=empty_db
    )
    assert result["status"] == "imported"


def test_township_unchecked_for_a_county_regions_does_not_list(empty_db):
    import_file(csv_bytes([["县市区", "乡镇（街道）"], ["甲县", "城关镇"]]), file_name="r.csv", db=empty_db)
    result = import_file(
        csv_bytes([ACCIDENT_HEADER, accident(1, township="随便镇")]), file_name="a.csv", db=empty_db
    )
    assert result["status"] == "rejected"
    only_county = import_file(
        csv_bytes([["县市区", "乡镇（街道）"], ["甲县", "城关镇"], ["乙县", "新华街道"]]),
        file_name="r2.csv",
        db=empty_db,
    )
    assert only_county["status"] == "imported"


def test_every_problem_is_collected(regions_db):
    rows = [
        ["某县事故台账"],
        ACCIDENT_HEADER,
        replaced(accident(1), 5, "x"),
        accident(2),
        replaced(replaced(accident(3), 1, "2026/2/30"), 4, "飞行"),
    ]
    result = import_file(csv_bytes(rows), file_name="many.csv", db=regions_db)
    found = {(e["row"], e["column"]) for e in result["errors"]}
    assert found == {(3, "死亡人数"), (5, "发生日期"), (5, "行业领域")}
    assert [e["value"] for e in result["errors"] if e["row"] == 3] == ["x"]


def test_600_rows_with_one_bad_row_deep_inside(regions_db):
    rows = [["甲县2026年事故台账"], ["填表说明：死亡人数填整数"], ACCIDENT_HEADER]
    rows += [accident(i, township="河口乡" if i % 2 else "城关镇") for i in range(600)]
    rows[3 + 457] = replaced(rows[3 + 457], 6, "两人")
    before = snapshot(regions_db)
    result = import_file(csv_bytes(rows, "gb18030"), file_name="600.csv", db=regions_db)
    assert result["status"] == "rejected"
    assert [(e["row"], e["column"], e["value"]) for e in result["errors"]] == [(461, "受伤人数", "两人")]
    assert snapshot(regions_db) == before


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"", "为空"),
        (csv_bytes([["甲", "乙", "丙"], ["1", "2", "3"]]), "表头"),
        (csv_bytes([ACCIDENT_HEADER]), "没有数据行"),
        (csv_bytes([["县市区", "备注"], ["甲县", "x"]]), "识别"),
    ],
    ids=["empty", "no header", "header only", "unrecognised"],
)
def test_whole_file_problems(empty_db, data, text):
    before = snapshot(empty_db)
    result = import_file(data, file_name="w.csv", db=empty_db)
    assert result["status"] == "rejected"
    assert text in result["errors"][0]["message"]
    assert snapshot(empty_db) == before


def test_repeated_column_is_an_error(empty_db):
    header = [*ACCIDENT_HEADER, "死亡人数（人）"]
    result = import_file(csv_bytes([header, [*accident(1), 1]]), file_name="r.csv", db=empty_db)
    assert result["status"] == "rejected"
    assert "两次" in result["errors"][0]["message"]


def test_named_dataset_that_does_not_fit_names_the_missing_columns(empty_db):
    result = import_file(
        csv_bytes([ACCIDENT_HEADER, accident(1)]), file_name="a.csv", dataset="hazards", db=empty_db
    )
    assert result["status"] == "rejected"
    assert {e["column"] for e in result["errors"]} >= {"隐患编号", "隐患等级", "整改期限"}


def test_a_money_column_in_another_unit_is_refused(empty_db):
    header = [*ACCIDENT_HEADER[:7], "直接经济损失（元）"]
    result = import_file(csv_bytes([header, accident(1)]), file_name="yuan.csv", db=empty_db)
    assert result["status"] == "rejected"
    assert result["errors"][0]["column"] == "直接经济损失（元）"
    assert "万元" in result["errors"][0]["message"]


def test_error_list_is_capped_but_counts_the_rest(regions_db):
    from analytics.importing.validate import MAX_ERRORS

    rows = [ACCIDENT_HEADER] + [accident(i, county="丙县", township="") for i in range(MAX_ERRORS + 10)]
    result = import_file(csv_bytes(rows), file_name="many.csv", db=regions_db)
    assert len(result["errors"]) == MAX_ERRORS + 1
    assert result["errors"][-1]["row"] is None and "另有 10 处" in result["errors"][-1]["message"]


@pytest.mark.parametrize("threads", [1, 4])
@pytest.mark.parametrize("cap", [None, 4])
def test_problems_of_columns_checked_in_threads_come_in_row_then_column_order(
    empty_db, monkeypatch, threads, cap
):
    validate = sys.modules["analytics.importing.validate"]  # the module, not the function of that name
    monkeypatch.setattr(validate, "THREADS", threads)
    if cap:
        monkeypatch.setattr(validate, "MAX_ERRORS", cap)
        monkeypatch.setattr("analytics.importing.problems.MAX_ERRORS", cap)
    bad = lambda i: replaced(hazard(i, found="2026-13-01", order="也许", reviewed=""), 6, "超级隐患")  # noqa: E731
    result = import_file(
        csv_bytes([HAZARD_HEADER, *(bad(i) for i in range(3))]), file_name="h.csv", db=empty_db
    )
    found = [(e["row"], e["column"]) for e in result["errors"]]
    columns = ("排查日期", "隐患等级", "下达整改指令书")
    if cap is None:
        assert found == [(row, column) for row in (2, 3, 4) for column in columns]
    else:
        # Collected column by column up to the cap (排查日期 of every row, then 隐患等级 of row 2), shown by row.
        assert found == [(2, "排查日期"), (2, "隐患等级"), (3, "排查日期"), (4, "排查日期"), (None, None)]
        assert "另有 5 处" in result["errors"][-1]["message"]
