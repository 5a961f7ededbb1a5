"""Excel templates: Chinese headers, a valid example row, drop-down lists, a 说明 sheet; the error workbook."""

from __future__ import annotations

import io
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from analytics.contract.datasets import BOOL, DATASETS, ENUM
from analytics.documents.templates import errors_xlsx, template_xlsx
from analytics.importing import import_file


@pytest.mark.parametrize("name", list(DATASETS))
def test_template_has_headers_example_and_notes(name, empty_db):
    dataset = DATASETS[name]
    data = template_xlsx(name)
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names[0] == dataset.zh and "说明" in book.sheet_names
    rows = book.get_sheet_by_name(dataset.zh).to_python()
    assert rows[0] == [c.zh for c in dataset.columns]
    notes = book.get_sheet_by_name("说明").to_python()
    listed = {row[1] for row in notes[5:]}
    assert listed == set(dataset.column_names)
    for column in dataset.columns:
        if column.type == ENUM:
            rule = next(row[4] for row in notes[5:] if row[1] == column.name)
            assert "、".join(column.values) in rule
    result = import_file(data, file_name=f"{name}.xlsx", db=empty_db)
    assert result["status"] == "imported", result["errors"]
    assert result["dataset"] == name and result["rows_inserted"] == 1


def test_template_drop_downs_cover_enumerations_and_booleans():
    with zipfile.ZipFile(io.BytesIO(template_xlsx("hazards"))) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    # 行业领域, 隐患等级, 下达整改指令书 and 挂牌督办级别 each get a list validation.
    assert sheet.count('type="list"') == 4


def test_errors_workbook_lists_every_problem():
    errors = [
        {"row": None, "column": "死亡人数", "value": None, "message": "缺少必填列“死亡人数”"},
        {"row": 7, "column": "发生日期", "value": "2026/2/30", "message": "“发生日期”不是有效日期"},
    ]
    rows = CalamineWorkbook.from_filelike(io.BytesIO(errors_xlsx(errors))).get_sheet_by_index(0).to_python()
    assert rows[0] == ["行号", "列", "值", "问题"]
    assert rows[1][0] == "整个文件" and rows[2][:3] == [7, "发生日期", "2026/2/30"]


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_choice_column_has_a_drop_down(name):
    dataset = DATASETS[name]
    with zipfile.ZipFile(io.BytesIO(template_xlsx(name))) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    choices = [c for c in dataset.columns if c.type in (ENUM, BOOL)]
    assert sheet.count('type="list"') == len(choices)


def test_credit_code_and_rule_notes_in_the_templates():
    def notes(name):
        book = CalamineWorkbook.from_filelike(io.BytesIO(template_xlsx(name)))
        return {row[1]: row[4] for row in book.get_sheet_by_name("说明").to_python()[5:]}

    assert "GB 32100-2015" in notes("standardization")["credit_code"]
    assert "只有挂牌督办的隐患才销号" in notes("hazards")["closed_on"]
    assert "至少填写其中一项" in notes("control_targets")["deaths_cap"]
