"""The fastexcel path of an .xlsx gives, cell for cell, the text of the python-calamine path, or declines."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pyarrow as pa
import pytest
import xlsxwriter
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from analytics.importing import excel
from tests.import_support import PARTS

TITLE = "某县2026年台账"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def second_row(texts: list[list[str]]) -> int | None:
    """The header finder of these workbooks: the row after the title (module level, like the real one)."""
    return 1 if len(texts) > 1 else None


def write_workbook(path: Path, columns: list[list[tuple[str, object] | None]]) -> Path:
    """A title row, a header row h0.., then each column's cells (kind, value); None leaves a cell empty."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("台账")
    formats = {
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        "time": book.add_format({"num_format": "hh:mm:ss"}),
        "duration": book.add_format({"num_format": "[h]:mm:ss"}),
    }
    sheet.write_string(0, 0, TITLE)
    sheet.write_row(1, 0, [f"h{i}" for i in range(len(columns))])
    for c, cells in enumerate(columns):
        for r, cell in enumerate(cells, start=2):
            if cell is None:
                continue
            kind, value = cell
            if kind == "number":
                sheet.write_number(r, c, value)
            elif kind == "text":
                sheet.write_string(r, c, value)
            elif kind == "bool":
                sheet.write_boolean(r, c, value)
            elif kind == "error":
                sheet.write_formula(r, c, "=1/0", None, value)
            elif kind == "duration":
                sheet.write_number(r, c, value, formats["duration"])
            else:
                sheet.write_datetime(r, c, value, formats[kind])
    book.close()
    return path


def read_both(path: Path, folder: Path) -> tuple[bool, pa.Table]:
    """(whether the fastexcel path took the sheet, its table == the calamine path's table)."""
    fast, slow = folder / "fast.arrow", folder / "slow.arrow"
    try:
        taken = excel._read_arrow(str(path), second_row, (), fast, None)
    except excel.xlsx_arrow.Declined:
        taken = False
    excel._read_calamine(str(path), second_row, (), slow, None)
    expected = pa.ipc.open_file(pa.memory_map(str(slow))).read_all()
    if taken:
        got = pa.ipc.open_file(pa.memory_map(str(fast))).read_all()
        assert got.schema.metadata == expected.schema.metadata
        assert got.to_pydict() == expected.to_pydict()
    return taken, expected


NUMBERS = st.one_of(
    st.integers(-(10**17), 10**17).map(float),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e20, max_value=1e20),
    st.sampled_from([0.0, -0.0, 0.1, 1e-5, 123.456, 1e15, 1e15 - 1, 1e16, -3.0, 2.5, 20260001.0]),
)
WHOLE_SECONDS = st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(9999, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)
CELLS = {
    "number": NUMBERS,
    "date": st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)),
    "datetime": st.one_of(WHOLE_SECONDS, st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(9999, 12, 31))),
    "time": st.times(),
    "bool": st.booleans(),
    "text": st.one_of(
        st.sampled_from(
            ["true", "false", "1", "1.0", "2026-01-05", "2026-01-05 00:00:00", "1e5", "NA", "NULL"]
        ),
        st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8),
    ),
    "error": st.sampled_from(["#DIV/0!", "#N/A", "#VALUE!"]),
    "duration": st.floats(0, 1000, allow_nan=False),
}


def column(kinds: st.SearchStrategy) -> st.SearchStrategy:
    """A column of one kind of cell (sometimes a second kind mixed in), with empty cells."""
    return kinds.flatmap(
        lambda mix: st.lists(
            st.one_of(st.none(), *(CELLS[kind].map(lambda v, kind=kind: (kind, v)) for kind in mix)),
            min_size=1,
            max_size=30,
        )
    )


KIND_MIXES = st.one_of(
    st.sampled_from(sorted(CELLS)).map(lambda kind: (kind,)),
    st.lists(st.sampled_from(sorted(CELLS)), min_size=2, max_size=2, unique=True).map(tuple),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(columns=st.lists(column(KIND_MIXES), min_size=1, max_size=5))
def test_fastexcel_text_is_calamine_text_or_declined(tmp_path_factory, columns):
    folder = tmp_path_factory.mktemp("book")
    taken, _ = read_both(write_workbook(folder / "book.xlsx", columns), folder)
    event("fastexcel path" if taken else "declined to calamine")


def test_typed_columns_take_the_fastexcel_path(tmp_path):
    numbers = [1.0, 2.5, -3.0, 1e15, 1e16, 20260001.0, 0.1, 123456.789, -0.0, 1e-5, None]
    dates = [dt.date(2026, 1, 5), dt.date(1999, 12, 31), None, dt.date(2024, 2, 29)] * 3
    moments = [dt.datetime(2026, 1, 5, 8, 30, 15), dt.datetime(2026, 1, 5), None] * 4
    texts = ["0012", "2026-01-05", "true", "1.0", "", "合  计", None, "=1+1"]
    rows = 30
    columns = [
        [("number", v) if v is not None else None for v in numbers],
        [("date", v) if v else None for v in dates],
        [("datetime", v) if v else None for v in moments],
        [("bool", i % 3 == 0) if i % 4 else None for i in range(rows)],
        [("text", v) if v else None for v in texts],
        [None] * rows,
    ]
    taken, table = read_both(write_workbook(tmp_path / "typed.xlsx", columns), tmp_path)
    assert taken
    assert table.column("c0").to_pylist()[:10] == [
        "1",
        "2.5",
        "-3",
        "1000000000000000.0",
        "1e+16",
        "20260001",
        "0.1",
        "123456.789",
        "0",
        "1e-05",
    ]
    assert table.column("c3").to_pylist()[:4] == ["", "否", "否", "是"]


@pytest.mark.parametrize(
    "cells",
    [
        [("time", dt.time(8, 30)), ("time", dt.time(17, 5, 9))],
        [("error", "#DIV/0!"), ("number", 1.0)],
        [("number", 1.0), ("text", "无")],
        [("number", 1.0), ("text", "NA")],
        [("date", dt.date(2026, 1, 5)), ("number", 3.0)],
        [("datetime", dt.datetime(2026, 1, 5, 8, 30, 15, 250000))],
        [("duration", 1.5)],
    ],
    ids=["times", "error", "text-and-number", "NA-and-number", "date-and-number", "milliseconds", "duration"],
)
def test_what_could_render_differently_declines_to_calamine(tmp_path, cells):
    taken, table = read_both(write_workbook(tmp_path / "mixed.xlsx", [cells]), tmp_path)
    assert not taken
    assert table.num_rows == len(cells)
    # read_sheet, as the child runs it, gives calamine's text
    excel.read_sheet(str(tmp_path / "mixed.xlsx"), second_row, (), tmp_path / "out.arrow")
    assert pa.ipc.open_file(pa.memory_map(str(tmp_path / "out.arrow"))).read_all().equals(table)


def test_the_header_is_found_on_a_sheet_cut_after_its_first_rows(tmp_path):
    """A header below a long title block, data far beyond the cut: the same rows and text either way."""
    path = tmp_path / "long.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("台账")
    sheet.write_string(0, 0, TITLE)
    sheet.write_row(1, 2, ["h0", "h1"])  # the header starts in column C: columns A and B are empty
    for r in range(2, 3000):
        sheet.write_number(r, 2, r)
        sheet.write_string(r, 3, f"单位{r}")
    sheet.write_string(2999, 0, "尾注")  # a cell in column A, far below the first rows
    book.close()
    taken, table = read_both(path, tmp_path)
    assert taken
    assert table.num_rows == 2998
    # The copy keeps the shared strings the first rows use (title, header, 18 units), not all 2,999.
    with zipfile.ZipFile(excel.xlsx_arrow.head_workbook(str(path))) as head:
        assert head.read("xl/sharedStrings.xml").count(b"</si>") == 1 + 2 + 18
    assert table.column("c0").to_pylist()[-1] == "尾注"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=False, allow_infinity=False),
            # amounts with a few decimals, at every magnitude
            st.builds(lambda m, e: m / 10**e, st.integers(-(10**17), 10**17), st.integers(0, 20)),
        ),
        min_size=1,
        max_size=50,
    )
)
def test_numbers_rendered_in_arrow_are_cell_text(values):
    texts = excel.xlsx_arrow.number_text(pa.array(values, pa.float64()))
    assert texts.to_pylist() == [excel.cell_text(value) for value in values]


def hand_made(path: Path, rows: list[str], prefix: str = "") -> Path:
    """A workbook of one sheet whose rows are `rows` (XML), its elements under namespace prefix `prefix`."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f"xmlns{':' + prefix if prefix else ''}"
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {xmlns}="{MAIN}"><{p}dimension ref="A1:B{len(rows)}"/>'
        f"<{p}sheetData>{''.join(rows)}</{p}sheetData></{p}worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def row_xml(number: int | None, cells: list[str], p: str = "") -> str:
    r = f' r="{number}"' if number else ""
    return f"<{p}row{r}>{''.join(cells)}</{p}row>"


def text_xml(ref: str, text: str, p: str = "") -> str:
    return f'<{p}c r="{ref}" t="inlineStr"><{p}is><{p}t>{text}</{p}t></{p}is></{p}c>'


def number_xml(ref: str, value: float, p: str = "") -> str:
    return f'<{p}c r="{ref}"><{p}v>{value!r}</{p}v></{p}c>'


def test_a_sheet_with_a_namespace_prefix_is_cut_and_read_alike(tmp_path):
    p = "x:"
    rows = [
        row_xml(1, [text_xml("A1", TITLE, p)], p),
        row_xml(2, [text_xml("A2", "h0", p), text_xml("B2", "h1", p)], p),
    ]
    rows += [
        row_xml(r, [number_xml(f"A{r}", r * 1.5, p), text_xml(f"B{r}", f"单位{r}", p)], p)
        for r in range(3, 60)
    ]
    taken, table = read_both(hand_made(tmp_path / "prefixed.xlsx", rows, prefix="x"), tmp_path)
    assert taken
    assert table.column("c0").to_pylist()[:2] == ["4.5", "6"]


def test_rows_numbered_by_position_decline_to_calamine(tmp_path):
    rows = [row_xml(None, [text_xml("A1", TITLE)]), row_xml(None, [text_xml("A2", "h0")])]
    rows += [row_xml(None, [number_xml(f"A{r}", float(r))]) for r in range(3, 40)]
    taken, table = read_both(hand_made(tmp_path / "unnumbered.xlsx", rows), tmp_path)
    assert not taken
    assert table.column("c0").to_pylist()[:2] == ["3", "4"]
