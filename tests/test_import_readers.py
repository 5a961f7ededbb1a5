"""Each reader: CSV in UTF-8, UTF-8 with BOM and GB18030; xlsx with title rows; Excel serial dates."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

from analytics import store
from analytics.importing import import_file
from tests.import_support import ACCIDENT_HEADER, accident, csv_bytes, snapshot, write_csv, write_xlsx

TITLE = ["某市甲县2026年8月生产安全事故台账"]
ROOT = Path(__file__).resolve().parent.parent


def stored(
    db,
    sql="SELECT accident_id, occurred_on, county, township, sector, deaths, direct_loss_wan FROM accidents",
):
    with store.connect(db, read_only=True) as con:
        return sorted(con.execute(sql).fetchall())


@pytest.mark.parametrize(
    ("encoding", "label"), [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8-BOM"), ("gb18030", "GB18030")]
)
def test_csv_encodings_are_detected(empty_db, tmp_path, encoding, label):
    path = write_csv(
        tmp_path / "a.csv", [TITLE, ACCIDENT_HEADER, accident(1), accident(2, township="河口乡")], encoding
    )
    result = import_file(path, db=empty_db)
    assert result["status"] == "imported", result["errors"]
    assert result["encoding"] == label
    assert result["dataset"] == "accidents"
    rows = stored(empty_db)
    assert [r[3] for r in rows] == ["城关镇", "河口乡"]
    assert rows[0][2] == "甲县" and rows[0][4] == "道路交通"


def test_gbk_bytes_are_never_read_as_latin1(empty_db):
    data = csv_bytes([ACCIDENT_HEADER, accident(1, county="鹤溪县", township="东关街道")], "gbk")
    result = import_file(data, file_name="gbk.csv", db=empty_db)
    assert result["status"] == "imported"
    assert stored(empty_db)[0][2:4] == ("鹤溪县", "东关街道")


def test_undecodable_file_is_a_whole_file_error(empty_db):
    before = snapshot(empty_db)
    data = csv_bytes([ACCIDENT_HEADER, accident(1)]) + b"\xff\xfe\x80\x81\xff\n"
    result = import_file(data, file_name="bad.csv", db=empty_db)
    assert result["status"] == "rejected"
    assert result["errors"][0]["row"] is None
    assert "编码" in result["errors"][0]["message"]
    assert snapshot(empty_db) == before


def _gb18030_with_bad_byte(rows: int, at_line: int | None) -> bytes:
    """A GB18030 file (title, header, `rows` accidents) with a byte GB18030 has not in `at_line`, or cut at the end."""
    records = [TITLE, ACCIDENT_HEADER, *(accident(i, county="鹤溪县") for i in range(1, rows + 1))]
    lines = csv_bytes(records, "gb18030").split(b"\r\n")
    if at_line is None:
        return b"\r\n".join(lines[:-1]) + b"\x81"  # the first byte of a character, and no second
    lines[at_line - 1] += b"\xff"
    return b"\r\n".join(lines)


@pytest.mark.parametrize(
    ("rows", "at_line"),
    [
        (2, 1),  # the title row, above the header
        (2, 4),  # among the first records (found with the header)
        (40_000, 39_000),  # far below: decoded by Arrow as it parses
        (40_000, None),  # the file ends inside a character
    ],
)
def test_bytes_neither_utf8_nor_gb18030_are_refused_naming_their_line(empty_db, rows, at_line):
    before = snapshot(empty_db)
    data = _gb18030_with_bad_byte(rows, at_line)
    result = import_file(data, file_name="bad.csv", db=empty_db)
    assert result["status"] == "rejected"
    [error] = result["errors"]
    line = at_line or rows + 2
    assert error["row"] is None and f"无法识别文件编码：第 {line} 行有" in error["message"], error
    assert snapshot(empty_db) == before


def test_xlsx_with_title_and_notes_rows_and_date_cells(empty_db, tmp_path):
    rows = [
        TITLE,
        ["说明：金额单位为万元"],
        [],
        ["序号", *ACCIDENT_HEADER],
        [1, "SG0001", dt.date(2026, 8, 3), "甲县", "城关镇", "道路交通", 1, 2, 12.5],
        [2, "SG0002", dt.date(2026, 8, 9), "甲县", None, "工贸", 0, 1, 3],
    ]
    path = write_xlsx(tmp_path / "a.xlsx", rows)
    result = import_file(path, db=empty_db)
    assert result["status"] == "imported", result["errors"]
    assert result["header_row"] == 4
    assert stored(empty_db) == [
        ("SG0001", dt.date(2026, 8, 3), "甲县", "城关镇", "道路交通", 1, Decimal("12.5")),
        ("SG0002", dt.date(2026, 8, 9), "甲县", None, "工业", 0, 3),
    ]


def test_xlsx_error_rows_are_excel_row_numbers(empty_db, tmp_path):
    rows = [TITLE, ACCIDENT_HEADER, accident(1), accident(2, deaths=-1)]
    result = import_file(write_xlsx(tmp_path / "a.xlsx", rows), db=empty_db)
    assert result["status"] == "rejected"
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(4, "死亡人数")]


def test_excel_serial_dates_as_numbers_and_as_csv_text(empty_db, tmp_path):
    serial = (dt.date(2026, 8, 31) - dt.date(1899, 12, 30)).days
    xlsx_rows = [ACCIDENT_HEADER, ["SG0001", serial, "甲县", "城关镇", "道路交通", 0, 1, 1]]
    assert import_file(write_xlsx(tmp_path / "s.xlsx", xlsx_rows), db=empty_db)["status"] == "imported"
    csv_rows = [ACCIDENT_HEADER, ["SG0002", str(serial), "甲县", "城关镇", "道路交通", 0, 1, 1]]
    assert import_file(write_csv(tmp_path / "s.csv", csv_rows), db=empty_db)["status"] == "imported"
    dates = stored(empty_db, "SELECT accident_id, occurred_on FROM accidents")
    assert dates == [("SG0001", dt.date(2026, 8, 31)), ("SG0002", dt.date(2026, 8, 31))]


def test_sheet_named_after_dataset_is_chosen(empty_db, tmp_path):
    path = tmp_path / "book.xlsx"
    write_xlsx(path, [ACCIDENT_HEADER, accident(7)], sheet="生产安全事故", extra_sheets=("封面",))
    result = import_file(path, db=empty_db)
    assert result["status"] == "imported" and result["sheet"] == "生产安全事故"


@pytest.mark.parametrize(
    "text",
    [
        "2026-08-31",
        "2026/8/31",
        "2026.8.31",
        "2026年8月31日",
        "２０２６年８月３１日",
        "2026/8/31 0:00",
        "46265",
    ],
)
def test_date_formats(empty_db, text):
    data = csv_bytes([ACCIDENT_HEADER, ["SG0001", text, "甲县", "", "道路交通", 0, 0, 0]])
    result = import_file(data, file_name="d.csv", db=empty_db)
    assert result["status"] == "imported", result["errors"]
    assert stored(empty_db, "SELECT occurred_on FROM accidents") == [(dt.date(2026, 8, 31),)]


def test_headers_tolerate_spaces_brackets_units_and_english(empty_db):
    header = [
        " 事故编号 ",
        "occurred_on",
        "县市区",
        "乡镇(街道)",
        "行业领域",
        "死亡人数（人）",
        "受伤人数",
        "直接经济损失(万元)",
    ]
    result = import_file(csv_bytes([header, accident(1)]), file_name="h.csv", db=empty_db)
    assert result["status"] == "imported", result["errors"]
    assert result["warnings"] == []


def test_numbers_with_units_full_width_digits_and_separators(empty_db):
    row = ["SG0001", "2026-08-03", "甲县", "城关镇", "道路交通", "３人", "12人", "1,234.56万元"]
    result = import_file(csv_bytes([ACCIDENT_HEADER, row]), file_name="n.csv", db=empty_db)
    assert result["status"] == "imported", result["errors"]
    rows = stored(empty_db, "SELECT deaths, injuries, direct_loss_wan FROM accidents")
    assert rows == [(3, 12, Decimal("1234.56"))]


def test_summary_and_empty_rows_and_serial_column(empty_db):
    rows = [
        ["序号", *ACCIDENT_HEADER, "备注"],
        ["1", *accident(1), ""],
        ["", "", "", "", "", "", "", "", "", ""],
        ["2", *accident(2), "复核中"],
        ["合 计", "", "", "", "", "", "0", "2", "5", ""],
    ]
    result = import_file(csv_bytes(rows), file_name="t.csv", db=empty_db)
    assert result["status"] == "imported", result["errors"]
    assert result["rows_inserted"] == 2
    assert any("第 5 行" in w and "合计" in w for w in result["warnings"])
    assert any("备注" in w for w in result["warnings"])
    assert not any("序号" in w for w in result["warnings"])


def test_csv_with_uneven_rows_keeps_row_numbers(empty_db):
    text = "\r\n".join(
        [
            ",".join(ACCIDENT_HEADER),
            ",".join(map(str, accident(1))),
            "SG0002,2026-08-03,甲县",
            "",
            "SG0003,2026-08-04",
        ]
    ).encode()
    result = import_file(text, file_name="u.csv", db=empty_db)
    assert result["status"] == "rejected"
    assert {e["row"] for e in result["errors"]} == {3, 5}


def test_tab_separated_text_export(empty_db):
    lines = ["\t".join(ACCIDENT_HEADER), "\t".join(map(str, accident(1))), "\t".join(map(str, accident(2)))]
    result = import_file("\r\n".join(lines).encode("gb18030"), file_name="export.txt", db=empty_db)
    assert result["status"] == "imported", result["errors"]
    assert result["rows_inserted"] == 2


def test_first_sheet_without_a_header_falls_back_to_the_data_sheet(empty_db, tmp_path):
    path = write_xlsx(
        tmp_path / "b.xlsx", [ACCIDENT_HEADER, accident(3)], sheet="8月", extra_sheets=("填报说明",)
    )
    result = import_file(path, db=empty_db)
    assert result["status"] == "imported" and result["sheet"] == "8月"


def test_carriage_return_line_endings(empty_db):
    text = "\r".join(
        [",".join(ACCIDENT_HEADER), ",".join(map(str, accident(1))), ",".join(map(str, accident(2)))]
    )
    result = import_file(text.encode("utf-8"), file_name="mac.csv", db=empty_db)
    assert result["status"] == "imported" and result["rows_inserted"] == 2


def test_ledger_as_a_county_office_keeps_it(empty_db, tmp_path):
    """Merged title, notes row, 序号, units in cells, mixed date styles, 合计 row with formulas, hazards."""
    import xlsxwriter

    path = tmp_path / "台账.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("8月")
    sheet.merge_range(
        0, 0, 0, 12, "甲县2026年8月隐患排查整改台账", book.add_format({"bold": True, "align": "center"})
    )
    sheet.write(1, 0, "填报单位：甲县应急管理局        填报日期：2026年9月3日")
    header = ["序号", "隐患编号", "排查日期", "县市区", "乡镇（街道）", "检查部门", "隐患单位", "行业领域"]
    header += ["隐患等级", "整改期限", "整改完成日期", "下达整改指令书", "复查日期"]
    sheet.write_row(2, 0, header)
    date_cell = book.add_format({"num_format": "yyyy年m月d日"})
    rows = [
        [1, "YH-0801", dt.date(2026, 8, 1), "甲县", "城关镇", "县应急管理局", "某化工公司", "危化品", "一般"],
        [2, "YH-0802", "2026.8.5", "甲县", "", "县住建局", "某建筑工地", "建筑", "重大事故隐患"],
    ]
    extra = [
        [dt.date(2026, 8, 20), dt.date(2026, 8, 9), "是", dt.date(2026, 8, 12)],
        ["2026/9/30", None, "否", None],
    ]
    for r, (row, tail) in enumerate(zip(rows, extra, strict=True), start=3):
        for c, value in enumerate(row + tail):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_cell)
            elif value is not None:
                sheet.write(r, c, value)
    sheet.write(5, 0, "合计")
    sheet.write_formula(5, 1, "=COUNTA(B4:B5)", None, 2)
    book.close()

    result = import_file(path, db=empty_db)
    assert result["status"] == "imported", result["errors"]
    assert result["dataset"] == "hazards" and result["header_row"] == 3
    assert any("第 6 行" in w for w in result["warnings"])
    rows = stored(
        empty_db,
        "SELECT hazard_id, found_on, township, sector, level, deadline, rectified_on, order_issued, reviewed_on "
        "FROM hazards",
    )
    assert rows == [
        (
            "YH-0801",
            dt.date(2026, 8, 1),
            "城关镇",
            "危险化学品",
            "一般隐患",
            dt.date(2026, 8, 20),
            dt.date(2026, 8, 9),
            True,
            dt.date(2026, 8, 12),
        ),
        (
            "YH-0802",
            dt.date(2026, 8, 5),
            None,
            "建筑施工",
            "重大隐患",
            dt.date(2026, 9, 30),
            None,
            False,
            None,
        ),
    ]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ["事故编号", "发生日期", "县市区", "行业领域", "死亡人数", "受伤人数", "直接经济损失（万元）"],
            "accidents",
        ),
        (["检查编号", "检查日期", "县市区", "检查部门", "被检查单位"], "inspections"),
        (
            ["隐患编号", "检查编号", "排查日期", "县市区", "检查部门", "隐患单位", "隐患等级", "整改期限"],
            "hazards",
        ),
        (["case_id", "filed_on", "county", "department", "measure"], "enforcement"),
        (["培训编号", "培训日期", "县市区", "培训对象", "参训人数"], "training"),
        (["年度", "县市区", "乡镇（街道）", "培训对象", "应培训人数"], "training_targets"),
        (["县市区", "乡镇（街道）"], "regions"),
        (["年度", "月份", "县市区", "事故起数", "死亡人数", "受伤人数", "直接经济损失"], "city_bulletin"),
        (["年度", "县市区", "地区生产总值（亿元）", "常住人口（万人）"], "county_profile"),
        (["县市区"], None),
        (["名称", "金额"], None),
    ],
)
def test_recognise_dataset(headers, expected):
    from analytics.importing import recognise_dataset

    assert recognise_dataset(headers) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("n", False),
        ("1", True),
        ("0", False),
        ("TRUE", True),
        ("false", False),
    ],
)
def test_bool_words(empty_db, text, expected):
    from tests.import_support import HAZARD_HEADER, hazard

    reviewed = "2026-08-12" if expected else ""
    result = import_file(
        csv_bytes([HAZARD_HEADER, hazard(1, order=text, reviewed=reviewed)]), file_name="b.csv", db=empty_db
    )
    assert result["status"] == "imported", result["errors"]
    assert stored(empty_db, "SELECT order_issued FROM hazards") == [(expected,)]


def test_an_import_allocates_arrow_buffers_from_jemalloc_where_the_wheel_has_it(empty_db):
    # A process of its own: the pool is the process's, and other tests have imported already.
    script = (
        "import sys, pyarrow as pa\n"
        "from analytics.importing import import_file\n"
        "before = pa.default_memory_pool().backend_name\n"
        "result = import_file(sys.stdin.buffer.read(), file_name='a.csv', db=sys.argv[1])\n"
        "print(result['status'], before, pa.default_memory_pool().backend_name)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(empty_db)],
        input=csv_bytes([ACCIDENT_HEADER, accident(1)]),
        capture_output=True,
        cwd=ROOT,
        check=True,
    )
    status, before, after = done.stdout.decode().split()
    try:
        pa.jemalloc_memory_pool()
        expected = "jemalloc"
    except NotImplementedError:  # a wheel without jemalloc keeps its default pool
        expected = before
    assert (status, after) == ("imported", expected)
