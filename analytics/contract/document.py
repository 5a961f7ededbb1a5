"""docs/数据规范.md written from the contract itself, so the document cannot drift from the code.

`python -m analytics.contract.document` rewrites the file; a test fails when it is stale.
"""

from __future__ import annotations

import sys

from analytics import settings
from analytics.contract.datasets import DATASETS, DATE, DECIMAL, INT, TEXT, Column, Dataset
from analytics.importing.headers import SERIAL_HEADERS, extra_headers
from analytics.importing.validate import EARLIEST_DATE, TOTAL_WORDS

TARGET = settings.PROJECT_ROOT / "docs" / "数据规范.md"
TYPE_NAMES = {TEXT: "文本", DATE: "日期", INT: "整数", DECIMAL: "数值", "enum": "枚举", "bool": "是/否"}

INTRODUCTION = f"""# 数据规范：可导入的数据集

本文件由 `python -m analytics.contract.document` 根据程序中的数据规范（`analytics/contract/`）生成，
请勿手工修改；规范变化时重新生成，测试会检查两者一致。各数据集的 Excel 模板（“数据导入”页下载）
的“说明”表列出同样的内容。

## 通用规则

- **表头**：可用下表中的中文表头或英文字段名，列的顺序不限；表头前后的空格、全角括号（）、
  末尾的单位（如“（万元）”）、标注必填的星号 * 都可以。未知的列会被忽略并给出提示。
  表头行上方的标题行、说明行可以保留：系统在前 {settings.HEADER_SCAN_ROWS} 行中查找表头行。
  开头的序号列（{"、".join(sorted(SERIAL_HEADERS))}）会被忽略。
- **合计行**：某个单元格只写着{"、".join(TOTAL_WORDS)}的行是汇总行，不是记录，跳过并提示；
  完全空白的行直接跳过。
- **文件格式**：Excel（.xlsx、.xls、.ods，默认第一个工作表，若有以数据集命名的工作表则用它）
  和 CSV/TXT（UTF-8 或 GB18030/GBK 编码，自动识别）。
- **日期**：2026-08-31、2026/8/31、2026.8.31、2026年8月31日、Excel 日期单元格和日期序号，
  以及中文环境导出的 26年8月31日（即 2026 年）。8/31/26 这类月份在前的写法含义不明，
  按错误处理并提示应写成年份在前。早于 {EARLIEST_DATE:%Y年%m月%d日} 的日期是错误（多为笔误）。
- **数字**：可用全角数字、千分位逗号，以及与该列一致的单位后缀（如“3人”“12.5万元”）；
  其他写法都是错误。
- **枚举**：只接受列出的取值和别名，其他取值是错误，提示中列出可选值。
- **县市区和乡镇**：一旦“行政区划”数据集载入了某县，该县的县市区、乡镇名称都按它核对。
- **单元格**：每格最多 {settings.MAX_CELL_CHARS:,} 个字符（Excel 的上限）；除制表符和换行外的控制字符是错误。
- **整批导入**：一个文件要么全部导入，要么一行也不导入。有错误的文件不改变任何数据，
  并列出每个问题：行号（与 Excel 中看到的一致）、列、取值和中文说明。每次导入是一个批次，可以撤销。
- **两种方式**：“新增并更新”（upsert，默认）按记录编号新增或更新记录；“整体替换”（replace）
  还会删除该文件所覆盖县市区和月份中、文件里已没有的记录（更正后的月度台账）。
"""


def _number_rule(column: Column) -> list[str]:
    rules = []
    if column.positive:
        rules.append("大于 0")
    elif column.minimum is not None:
        rules.append(f"不小于 {column.minimum:g}")
    if column.maximum is not None:
        rules.append(f"不大于 {column.maximum:g}")
    if column.units:
        rules.append("可带单位：" + "、".join(column.units))
    return rules


def _rules(column: Column) -> str:
    rules = _number_rule(column)
    if column.values:
        rules.append("取值：" + "、".join(column.values))
    if column.aliases:
        by_value: dict[str, list[str]] = {}
        for alias, value in column.aliases.items():
            by_value.setdefault(value, []).append(alias)
        rules.append("别名：" + "；".join(f"{'、'.join(a)} → {v}" for v, a in by_value.items()))
    if column.not_after_today:
        rules.append("不晚于今天")
    if column.default is not None:
        shown = ("是" if column.default else "否") if isinstance(column.default, bool) else column.default
        rules.append(f"空白时为 {shown}")
    if column.credit_code:
        rules.append("18 位统一社会信用代码，按 GB 32100-2015 核对校验码")
    return "；".join(rules)


def _headers(column: Column, dataset: Dataset) -> str:
    other = [h for h in extra_headers(column.name, dataset.name) if h != column.zh]
    return "、".join(other)


def dataset_section(dataset: Dataset) -> str:
    """One dataset: its key, the date it is filed under, and a row per column."""
    key = "、".join(dataset.column(k).zh for k in dataset.key)
    lines = [f"## {dataset.zh}（`{dataset.name}`）", ""]
    lines.append(f"记录编号（同一编号只保留一条，再次导入即更新）：{key}。")
    if dataset.date_column:
        lines.append(f"按“{dataset.column(dataset.date_column).zh}”归入月份。")
    lines += [
        "",
        "| 中文表头 | 英文字段名 | 也可写作 | 类型 | 必填 | 规则 |",
        "|---|---|---|---|---|---|",
    ]
    for column in dataset.columns:
        lines.append(
            f"| {column.zh} | `{column.name}` | {_headers(column, dataset)} | {TYPE_NAMES[column.type]} | "
            f"{'是' if column.required else '否'} | {_rules(column)} |"
        )
    return "\n".join(lines)


def render() -> str:
    """The whole document."""
    index = ["## 数据集一览", "", "| 数据集 | 英文名 | 列数 |", "|---|---|---|"]
    index += [f"| {d.zh} | `{d.name}` | {len(d.columns)} |" for d in DATASETS.values()]
    sections = [dataset_section(d) for d in DATASETS.values()]
    return "\n\n".join([INTRODUCTION.rstrip(), "\n".join(index), *sections]) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(TARGET, file=sys.stderr)
