"""Excel files for analysts: an import template per dataset, and a rejected file's problem list."""

from __future__ import annotations

import datetime as dt
import io

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from analytics import settings
from analytics.contract.datasets import BOOL, DATASETS, DATE, DECIMAL, ENUM, INT, TEXT, Column, Dataset
from analytics.documents.exports import WORKBOOK_OPTIONS
from analytics.importing.credit_code import check_character, organization_check
from analytics.importing.rules import column_rules

TYPE_WORDS = {TEXT: "文本", DATE: "日期", INT: "整数", DECIMAL: "数字", ENUM: "选项", BOOL: "是/否"}
VALIDATED_ROWS = settings.TEMPLATE_VALIDATED_ROWS  # rows below the header that carry drop-down lists
OPTIONS_SHEET = "选项"


def _example_dates() -> dict[str, dt.date]:
    """Dates in the middle of last month, so the example row passes "not after today"."""
    day = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=15)
    return {
        "found": day,
        "deadline": day + dt.timedelta(days=30),
        "done": day + dt.timedelta(days=8),
        "review": day + dt.timedelta(days=10),
        "expires": (day + dt.timedelta(days=8)).replace(year=day.year + 3) - dt.timedelta(days=1),
    }


def _example_credit_code() -> str:
    """A well-formed but fictional 统一社会信用代码 (its region code 369900 belongs to no place)."""
    body = "MA0EXAMP"
    first17 = f"91369900{body}{organization_check(body)}"
    return first17 + check_character(first17)


def _examples(dataset: Dataset) -> dict[str, object]:
    """One realistic record per dataset, as an analyst would type it."""
    d = _example_dates()
    year = d["found"].year
    place = {"county": "示例县", "township": "城关镇"}
    rows = {
        "accidents": {
            "accident_id": f"SG-{year}-001",
            "occurred_on": d["found"],
            "sector": "道路交通",
            "accident_type": "车辆伤害",
            "deaths": 1,
            "serious_injuries": 1,
            "injuries": 2,
            "missing": 0,
            "direct_loss_wan": 12.5,
            "unit": "某运输有限公司",
            "summary": "货车与电动三轮车相撞",
        },
        "inspections": {
            "inspection_id": f"JC-{year}-001",
            "inspected_on": d["found"],
            "department": "县应急管理局",
            "unit": "某化工有限公司",
            "kind": "专项检查",
            "sector": "危险化学品",
        },
        "hazards": {
            "hazard_id": f"YH-{year}-001",
            "inspection_id": f"JC-{year}-001",
            "found_on": d["found"],
            "department": "县应急管理局",
            "unit": "某化工有限公司",
            "sector": "危险化学品",
            "level": "一般隐患",
            "description": "储罐区可燃气体报警器未定期检定",
            "deadline": d["deadline"],
            "rectified_on": d["done"],
            "order_issued": "是",
            "reviewed_on": d["review"],
        },
        "enforcement": {
            "case_id": f"ZF-{year}-001",
            "filed_on": d["found"],
            "department": "县应急管理局",
            "party": "某建材有限公司",
            "violation": "未按规定开展安全生产教育培训",
            "measure": "罚款",
            "fine_wan": 2.5,
        },
        "training": {
            "session_id": f"PX-{year}-001",
            "held_on": d["found"],
            "category": "安全管理人员",
            "organizer": "县应急管理局",
            "trainees": 120,
            "passed": 115,
            "hours": 16,
            "title": "第一期企业安全管理培训班",
        },
        "training_targets": {"year": year, "category": "主要负责人", "required": 300},
        "regions": {"city": "示例市"},
        "city_bulletin": {
            "year": year,
            "month": d["found"].month,
            "accidents": 3,
            "deaths": 2,
            "injuries": 4,
            "direct_loss_wan": 35.6,
        },
        "county_profile": {
            "year": year,
            "gdp_yi": 215.3,
            "population_wan": 42.8,
            "vehicles_wan": 9.6,
            "workforce_wan": 6.1,
        },
        "standardization": {
            "record_id": f"BZ-{year}-001",
            "enterprise": "某机械制造有限公司",
            "credit_code": _example_credit_code(),
            "sector": "工业",
            "grade": "三级",
            "applied_on": d["found"],
            "passed_on": d["done"],
            "expires_on": d["expires"],
        },
        "standardization_targets": {"year": year, "grade": "二级", "target": 20},
        "major_hazard_sources": {
            "source_id": f"WX-{year}-001",
            "enterprise": "某燃气有限公司",
            "name": "液化石油气储罐区",
            "level": "三级",
            "registered_on": d["found"],
            "monitored": "是",
        },
        "projects": {
            "project_id": f"XM-{year}-001",
            "name": "某冷链仓储物流园建设项目",
            "sector": "商贸",
            "registered_on": d["found"],
            "evaluated_on": d["done"],
        },
        "monthly_reports": {
            "year": year,
            "month": d["found"].month,
            "department": "公安交警大队",
            "item": "道路交通违法行为",
            "value": 820,
        },
        # The county's own row: an empty township.
        "control_targets": {"year": year, "township": None, "accidents_cap": 30, "deaths_cap": 12},
    }
    example = {**place, **rows[dataset.name]}
    return {c.name: example.get(c.name) for c in dataset.columns}


def _rules(column: Column) -> str:
    parts = []
    if column.type == ENUM:
        parts.append("可选：" + "、".join(column.values))
        if column.aliases:
            parts.append("也可写：" + "，".join(f"{a}→{v}" for a, v in column.aliases.items()))
    if column.type == BOOL:
        parts.append("是/否，也可写 Y/N、1/0、true/false")
    if column.type == DATE:
        parts.append("如 2026-08-31、2026/8/31、2026年8月31日")
    if column.type == INT:
        parts.append("整数")
    if column.positive:
        parts.append("大于0")
    elif column.minimum is not None:
        parts.append(f"不小于{column.minimum:g}")
    if column.maximum is not None:
        parts.append(f"不大于{column.maximum:g}")
    if column.units:
        parts.append("数字后可带单位“" + "”“".join(column.units) + "”")
    if column.not_after_today:
        parts.append("不能晚于今天")
    if column.default is not None and column.type != BOOL:
        parts.append(f"不填视为{column.default}")
    if column.name in ("county", "township"):
        parts.append("须与行政区划表一致")
    if column.credit_code:
        parts.append("18位数字或大写字母（不含 I、O、Z、S、V），第18位是 GB 32100-2015 校验位")
    parts.extend(column_rules(column.name))
    return "；".join(parts)


def template_xlsx(dataset_name: str) -> bytes:
    """An import template: Chinese headers, an example row, drop-down lists and a 说明 sheet."""
    dataset = DATASETS[dataset_name]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    required = workbook.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "font_color": "#C00000"}
    )
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet = workbook.add_worksheet(dataset.zh)
    options = workbook.add_worksheet(OPTIONS_SHEET)
    notes = workbook.add_worksheet("说明")
    example = _examples(dataset)
    option_column = 0
    for index, column in enumerate(dataset.columns):
        sheet.write(0, index, column.zh, required if column.required else header)
        sheet.set_column(
            index, index, max(12, len(column.zh) * 2 + 2), date_format if column.type == DATE else None
        )
        value = example[column.name]
        if isinstance(value, dt.date):
            sheet.write_datetime(1, index, dt.datetime.combine(value, dt.time()), date_format)
        elif value is not None:
            sheet.write(1, index, value)
        choices = column.values if column.type == ENUM else ("是", "否") if column.type == BOOL else ()
        if choices:
            letter = xl_col_to_name(option_column)
            options.write(0, option_column, column.zh, header)
            options.write_column(1, option_column, choices)
            sheet.data_validation(
                1,
                index,
                VALIDATED_ROWS,
                index,
                {
                    "validate": "list",
                    "source": f"='{OPTIONS_SHEET}'!${letter}$2:${letter}${len(choices) + 1}",
                    "error_title": column.zh,
                    "error_message": "请从下拉列表中选择：" + "、".join(choices)[:200],
                    # Aliases (危化品, 一般…) are valid too: warn instead of refusing them.
                    "error_type": "warning" if column.aliases else "stop",
                },
            )
            option_column += 1
    sheet.freeze_panes(1, 0)
    options.hide()

    notes.set_column(0, 0, 22)
    notes.set_column(1, 1, 20)
    notes.set_column(2, 3, 8)
    notes.set_column(4, 4, 90)
    notes.write(0, 0, f"{dataset.zh}导入说明", header)
    key = "、".join(dataset.column(k).zh for k in dataset.key)
    notes.write(1, 0, f"每条记录以“{key}”区分：再次导入同一记录会更新它。标红的列为必填。")
    notes.write(
        2, 0, "表头上方可以有标题行；“序号”列和“合计/小计”行会被忽略；第2行是示例，导入前请替换或删除。"
    )
    for index, title in enumerate(("列名", "英文名", "类型", "必填", "规则与可选值")):
        notes.write(4, index, title, header)
    for row, column in enumerate(dataset.columns, start=5):
        notes.write_row(
            row,
            0,
            (
                column.zh,
                column.name,
                TYPE_WORDS[column.type],
                "是" if column.required else "否",
                _rules(column),
            ),
        )
    workbook.close()
    return buffer.getvalue()


def template_file_name(dataset_name: str) -> str:
    """The file name a template downloads as."""
    return f"{DATASETS[dataset_name].zh}导入模板.xlsx"


def errors_xlsx(errors: list[dict]) -> bytes:
    """A rejected file's problems (行号, 列, 值, 问题) as a workbook the analyst can sort and tick off."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    header = workbook.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    sheet = workbook.add_worksheet("问题清单")
    for index, (title, width) in enumerate((("行号", 8), ("列", 20), ("值", 24), ("问题", 80))):
        sheet.write(0, index, title, header)
        sheet.set_column(index, index, width)
    for row, error in enumerate(errors, start=1):
        sheet.write_row(
            row,
            0,
            (
                "整个文件" if error.get("row") is None else error["row"],
                error.get("column") or "",
                "" if error.get("value") is None else str(error["value"]),
                error.get("message") or "",
            ),
        )
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(errors), 1), 3)
    workbook.close()
    return buffer.getvalue()
