"""Numbers beyond what the store holds, dates before 1990, control characters and over-long cells.

Each is an error naming the row, the column and the value, through `import_file`, and a rejected
file leaves the database exactly as it was.
"""

from __future__ import annotations

import pytest

from analytics import settings, store
from analytics.contract.datasets import DECIMAL, SQL_TYPES
from analytics.importing import import_file
from analytics.importing.validate import (
    CONTROL_CHARACTERS,
    DECIMAL_MAX,
    DECIMAL_PLACES,
    DECIMAL_PRECISION,
    INT_MAX,
)
from tests.import_support import ACCIDENT_HEADER, accident, csv_bytes, snapshot, write_xlsx

COLUMN = {name: i for i, name in enumerate(ACCIDENT_HEADER)}
LONG = settings.MAX_CELL_CHARS


def _row(column: str, value) -> list:
    row = accident(7)
    row[COLUMN[column]] = value
    return row


@pytest.fixture
def loaded_db(empty_db):
    result = import_file(
        csv_bytes([ACCIDENT_HEADER, accident(1), accident(2)]), file_name="a.csv", db=empty_db
    )
    assert result["status"] == "imported"
    return empty_db


def test_the_decimal_limit_is_the_stores_type():
    assert SQL_TYPES[DECIMAL] == f"DECIMAL({DECIMAL_PRECISION},{DECIMAL_PLACES})"
    assert str(DECIMAL_MAX) == "99999999999999.9999"


REJECTED = [
    # (case, column, cell, words the message must hold)
    ("count over 2^63-1", "死亡人数", "9223372036854775808", [str(INT_MAX), "超出可存储的范围"]),
    ("count far over 64 bits", "受伤人数", "9" * 60, [str(INT_MAX)]),
    ("count with unit over 64 bits", "死亡人数", "99999999999999999999人", [str(INT_MAX)]),
    ("loss of 1e14 万元", "直接经济损失（万元）", "100000000000000", ["99999999999999.9999万元"]),
    ("loss rounding up to 1e14", "直接经济损失（万元）", "99999999999999.99996", ["99999999999999.9999"]),
    ("loss of 40 digits", "直接经济损失（万元）", "1" * 40 + ".5", ["超出可存储的范围"]),
    ("date in 1989", "发生日期", "1989-12-31", ["1989-12-31 早于 1990-01-01"]),
    ("date typed as 1900", "发生日期", "1900年8月3日", ["早于 1990-01-01"]),
    ("vertical tab in a township", "乡镇（街道）", "城关\x0b镇", ["U+000B", "控制字符"]),
    ("U+0001 in an id", "事故编号", "SG\x010007", ["U+0001"]),
    ("NUL in a township", "乡镇（街道）", "城关\x00镇", ["U+0000"]),
    ("DEL in a sector", "行业领域", "道路交通\x7f", ["U+007F"]),
    ("escape and form feed", "县市区", "甲\x1b县\x0c", ["U+000C、U+001B"]),
    ("cell over the limit", "乡镇（街道）", "镇" * (LONG + 1), [f"{LONG + 1} 个字符", f"上限 {LONG}"]),
    ("cell of 200 KB", "乡镇（街道）", "x" * 204800, ["204800 个字符", f"上限 {LONG}"]),
]


@pytest.mark.parametrize("form", ["csv", "xlsx"])
@pytest.mark.parametrize(("case", "column", "cell", "words"), REJECTED, ids=[c[0] for c in REJECTED])
def test_rejected_with_row_column_and_value(loaded_db, tmp_path, form, case, column, cell, words):
    rows = [ACCIDENT_HEADER, accident(3), _row(column, cell)]
    before = snapshot(loaded_db)
    if form == "csv":
        result = import_file(csv_bytes(rows), file_name="bad.csv", db=loaded_db)
    elif len(cell) > LONG:
        pytest.skip("xlsxwriter, like Excel, cuts a cell to 32,767 characters: only a CSV can carry more")
    else:
        result = import_file(write_xlsx(tmp_path / "bad.xlsx", rows), db=loaded_db)
    assert result["status"] == "rejected"
    assert snapshot(loaded_db) == before
    errors = [e for e in result["errors"] if e["row"] == 3 and e["column"] == column]
    assert len(errors) == 1, result["errors"]
    assert all(word in errors[0]["message"] for word in words), errors[0]["message"]
    shown = str(errors[0]["value"])
    assert len(shown) < 200  # a long cell is quoted short
    visible = CONTROL_CHARACTERS.sub(lambda m: f"\\x{ord(m.group()):02x}", cell)
    assert shown.startswith(visible[:20])


def test_an_excel_number_of_1e14_wan_is_an_error(loaded_db, tmp_path):
    rows = [ACCIDENT_HEADER, _row("直接经济损失（万元）", 1e14), _row("死亡人数", 2.0**63)]
    rows[2][0] = "SG0008"
    before = snapshot(loaded_db)
    result = import_file(write_xlsx(tmp_path / "big.xlsx", rows), db=loaded_db)
    assert result["status"] == "rejected" and snapshot(loaded_db) == before
    by_column = {e["column"]: e for e in result["errors"]}
    assert by_column["直接经济损失（万元）"]["row"] == 2
    assert "99999999999999.9999万元" in by_column["直接经济损失（万元）"]["message"]
    assert by_column["死亡人数"]["row"] == 3


ACCEPTED = [
    ("the largest count", "死亡人数", str(INT_MAX)),
    ("the largest loss", "直接经济损失（万元）", "99999999999999.9999"),
    ("the first day of 1990", "发生日期", "1990-01-01"),
    ("a tab and a line break", "乡镇（街道）", "城关\t镇\n东"),
    ("a cell at the limit", "乡镇（街道）", "镇" * LONG),
]


@pytest.mark.parametrize(("case", "column", "cell"), ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_accepted_at_the_limit(loaded_db, case, column, cell):
    result = import_file(csv_bytes([ACCIDENT_HEADER, _row(column, cell)]), file_name="ok.csv", db=loaded_db)
    assert result["status"] == "imported", result["errors"]
    assert result["rows_inserted"] == 1


def test_a_cell_beyond_what_the_csv_reader_takes_is_a_file_error(loaded_db):
    huge = _row("乡镇（街道）", "x" * (20 * 1024 * 1024))
    before = snapshot(loaded_db)
    result = import_file(csv_bytes([ACCIDENT_HEADER, huge]), file_name="huge.csv", db=loaded_db)
    assert result["status"] == "rejected" and snapshot(loaded_db) == before
    assert [e["row"] for e in result["errors"]] == [None]
    assert f"每格最多 {LONG} 个字符" in result["errors"][0]["message"]


DATES = [
    # (cell, stored date or None, words of the error)
    ("26年8月3日", "2026-08-03", None),
    ("26 年 8 月 3", "2026-08-03", None),
    ("８/３/26", None, "月/日/年"),
    ("08/03/2026", None, "年份在前"),
    ("1989年12月31日", None, "早于 1990-01-01"),
    ("89年1月1日", None, "2089-01-01 晚于今天"),  # a two-digit year is 20YY, never 19YY
]


@pytest.mark.parametrize(("cell", "stored", "words"), DATES, ids=[d[0] for d in DATES])
def test_two_digit_years_and_month_first_dates(loaded_db, cell, stored, words):
    before = snapshot(loaded_db)
    result = import_file(
        csv_bytes([ACCIDENT_HEADER, _row("发生日期", cell)]), file_name="d.csv", db=loaded_db
    )
    if stored:
        assert result["status"] == "imported", result["errors"]

        with store.connect(loaded_db, read_only=True) as con:
            got = con.execute("SELECT occurred_on FROM accidents WHERE accident_id = 'SG0007'").fetchone()
        assert got[0].isoformat() == stored
    else:
        assert result["status"] == "rejected" and snapshot(loaded_db) == before
        (error,) = result["errors"]
        assert error["row"] == 2 and error["column"] == "发生日期" and words in error["message"]
