"""Helpers for the import tests: write analyst-style files and snapshot every table of a database."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import xlsxwriter

from analytics import store
from analytics.contract.datasets import DATASETS

ACCIDENT_HEADER = [
    "事故编号",
    "发生日期",
    "县市区",
    "乡镇（街道）",
    "行业领域",
    "死亡人数",
    "受伤人数",
    "直接经济损失（万元）",
]
HAZARD_HEADER = [
    "隐患编号",
    "排查日期",
    "县市区",
    "乡镇（街道）",
    "检查部门",
    "隐患单位",
    "隐患等级",
    "整改期限",
    "整改完成日期",
    "下达整改指令书",
    "复查日期",
]
REGIONS = [["甲县", "城关镇", "示例市"], ["甲县", "河口乡", "示例市"], ["乙县", "新华街道", "示例市"]]


def accident(
    i: int, day: str = "2026-08-03", county: str = "甲县", township: str = "城关镇", deaths: int = 0
):
    return [f"SG{i:04d}", day, county, township, "道路交通", deaths, 1, "2.5"]


def hazard(
    i: int, found="2026-08-01", deadline="2026-08-20", done="2026-08-10", order="是", reviewed="2026-08-12"
):
    return [
        f"YH{i:04d}",
        found,
        "甲县",
        "城关镇",
        "县应急管理局",
        f"单位{i}",
        "一般隐患",
        deadline,
        done,
        order,
        reviewed,
    ]


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    path.write_bytes(csv_bytes(rows, encoding))
    return path


def write_xlsx(
    path: Path, rows: list[list], sheet: str = "Sheet1", extra_sheets: tuple[str, ...] = ()
) -> Path:
    """Write rows to an xlsx; date objects become real Excel date cells."""
    workbook = xlsxwriter.Workbook(str(path))
    for name in extra_sheets:
        workbook.add_worksheet(name).write(0, 0, "说明文字")
    sheet_ = workbook.add_worksheet(sheet)
    date_format = workbook.add_format({"num_format": "yyyy/m/d"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet_.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            elif value is not None:
                sheet_.write(r, c, value)
    workbook.close()
    return path


# The audit trail grows with every attempt, refused ones included: that is its purpose. On PostgreSQL,
# store_version is the data version (the counterpart of the DuckDB file's modification time), which
# every write bumps, the audit trail's included.
NOT_STATE = {"audit_events", "store_version"}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table (data, history, batches, meta, accounts), sorted, for before/after comparison.

    The audit trail is left out: a refused or unchanged import is recorded there, and changes nothing else.
    """
    with store.connect(db, read_only=True) as con:
        listed = con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        ).fetchall()
        tables = [r[0] for r in listed if r[0] not in NOT_STATE]
        result = {}
        for table in sorted(tables):
            rows = con.execute(f"SELECT * FROM {table}").fetchall()
            result[table] = sorted(rows, key=repr)
        return result


def data_snapshot(db: Path) -> dict[str, list[tuple]]:
    """Only the dataset tables: what the dashboard reads."""
    full = snapshot(db)
    return {name: full[name] for name in DATASETS}


# The parts of a minimal workbook of one sheet (xl/worksheets/sheet1.xml, written by each test).
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
        '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
        'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats'
        '-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}
