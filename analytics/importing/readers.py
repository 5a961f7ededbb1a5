"""Read a CSV or Excel file into raw text columns below its header row.

Everything comes back as text exactly as the analyst wrote it (Excel numbers and
dates rendered as text), so one set of normalisation rules serves every format.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from analytics import settings
from analytics.importing.headers import HEADER_SCAN_ROWS
from analytics.importing.workbook import Progress, WorkbookRejected, read_bounded

# The csv module stops at 128 KiB a field; here at 16 MiB. Up to that a long cell reaches the rules
# and is reported with its row and column (over MAX_CELL_CHARS: an error). Arrow takes a record
# longer than its block whole.
CSV_FIELD_LIMIT = 1 << 24
# Arrow's blocks: smaller ones keep both cores busy to the end (and GB18030's decoding beside them).
CSV_BLOCK_SIZE = 1 << 22
csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
# Tried in order with strict decoding; Latin-1 is never tried because it accepts any bytes.
ENCODINGS = (("utf-8-sig", "UTF-8-BOM"), ("utf-8", "UTF-8"), ("gb18030", "GB18030"))


class FileProblem(Exception):
    """A problem with the file as a whole (no row to point at); the message is Chinese."""


@dataclass
class RawTable:
    """Text cells below the header row; row numbers are the ones the analyst sees (1-based)."""

    header: list[str]
    header_row: int
    first_data_row: int
    columns: list[pa.Array]  # one string array per header cell, "" for an empty cell
    encoding: str | None = None
    sheet: str | None = None

    @property
    def num_rows(self) -> int:
        return len(self.columns[0]) if self.columns else 0


HeaderFinder = Callable[[list[list[str]]], "int | None"]


def read_table(
    data: bytes,
    file_name: str,
    find_header: HeaderFinder,
    sheet_names: tuple[str, ...],
    progress: Progress | None = None,
) -> RawTable:
    """Read CSV or Excel bytes; `find_header` picks the header row, `sheet_names` the preferred sheets.

    A workbook is parsed in a limited child process (`workbook.read_bounded`), so `find_header`
    must be picklable there. `progress(stage, done, total)` hears how far reading has got.
    """
    if not _NOT_BLANK.search(data, 3 if data.startswith(b"\xef\xbb\xbf") else 0):  # no copy of the file
        raise FileProblem("文件为空")
    suffix = Path(file_name).suffix.lower()
    if suffix and suffix not in EXCEL_SUFFIXES + TEXT_SUFFIXES:
        raise FileProblem(
            f"不支持的文件类型“{suffix}”：请上传 Excel（.xlsx、.xls）、OpenDocument（.ods）或 CSV 文件"
        )
    is_excel = suffix in EXCEL_SUFFIXES or data[:4] == b"PK\x03\x04" or data[:4] == b"\xd0\xcf\x11\xe0"
    if is_excel:
        return _read_excel(data, find_header, sheet_names, progress)
    return _read_csv(data, find_header)


def _text_encoding(data: bytes) -> tuple[bytes, str, str]:
    """(the text's bytes without a BOM, the codec Arrow reads them in, the encoding's label).

    UTF-8 is only checked (by Arrow, in place); GB18030 is decoded by Arrow as it parses, a block
    at a time (its readahead decodes one block while the others are parsed), never as a whole copy.
    """
    if data.startswith(b"\xef\xbb\xbf") and _valid_utf8(data):
        return data[3:], "utf8", ENCODINGS[0][1]
    if _valid_utf8(data):
        return data, "utf8", ENCODINGS[1][1]
    return data, "gb18030", ENCODINGS[2][1]


def _valid_utf8(data: bytes) -> bool:
    """Whether the bytes are valid UTF-8, checked by Arrow in place (no Python string is made)."""
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _not_encoded(raw: bytes, codec: str) -> FileProblem:
    """Bytes neither UTF-8 nor GB18030: the message names the line of the first such byte."""
    try:
        raw.decode(codec)
        where = ""
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        where = f"第 {line} 行有既不是 UTF-8 也不是 GB18030 编码的字节，"
    return FileProblem(f"无法识别文件编码：{where}请另存为 UTF-8 或 GB18030（GBK）编码的 CSV，或 Excel 文件")


def _prefix(raw: bytes, size: int, codec: str) -> str:
    """The first `size` bytes as text, strictly decoded; a character cut at the end is left out."""
    try:
        return codecs.getincrementaldecoder(codec)().decode(raw[:size], final=size >= len(raw))
    except UnicodeDecodeError:
        raise _not_encoded(raw, codec) from None


def _head_records(raw: bytes, delimiter: str, codec: str) -> tuple[list[list[str]], list[int]]:
    """The first records (one more than the header search needs, so the last one needed is whole)."""
    size = 1 << 20
    while True:
        text = _prefix(raw, size, codec)
        whole = size >= len(raw)
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        head: list[list[str]] = []
        lines_after: list[int] = []
        try:
            for record in reader:
                head.append(record)
                lines_after.append(reader.line_num)
                if len(head) > HEADER_SCAN_ROWS:
                    break
        except csv.Error as error:
            if whole:
                raise _unreadable_record(reader.line_num) from error
        if whole or len(head) > HEADER_SCAN_ROWS:
            return head[:HEADER_SCAN_ROWS], lines_after[:HEADER_SCAN_ROWS]
        size *= 4


def _no_header() -> FileProblem:
    return FileProblem(f"前{HEADER_SCAN_ROWS}行中找不到表头行：请检查列名是否与模板一致")


def _read_csv(data: bytes, find_header: HeaderFinder) -> RawTable:
    raw, codec, encoding = _text_encoding(data)
    del data
    if b"\n" not in raw:
        raw = raw.replace(b"\r", b"\n")  # classic Mac line endings
    # Only the first records go through the csv module, to find the header row and
    # where the data begins; the bulk is parsed by Arrow. A line feed is one byte of its
    # own in both encodings, so lines are counted in the bytes.
    delimiter = _delimiter(_prefix(raw, 65536, codec))
    head, lines_after = _head_records(raw, delimiter, codec)
    index = find_header(head)
    if index is None:
        raise _no_header()
    header = head[index]
    start = _offset_after_lines(raw, lines_after[index])
    if codec != "utf8":  # the lines above the body are checked here; the body as Arrow decodes it
        _prefix(raw, start, codec)
    columns = _parse_csv_body(raw, len(header), delimiter, start, codec)
    del raw
    width = max(len(header), len(columns))
    header = header + [""] * (width - len(header))
    n = len(columns[0]) if columns else 0
    columns = columns + [pa.array([""] * n, pa.string())] * (width - len(columns))
    return RawTable(header, index + 1, index + 2, columns, encoding=encoding)


def _offset_after_lines(raw: bytes, lines: int) -> int:
    offset = 0
    for _ in range(lines):
        found = raw.find(b"\n", offset)
        if found < 0:
            return len(raw)
        offset = found + 1
    return offset


def _delimiter(text: str) -> str:
    # Excel's "文本文件(制表符分隔)" export uses tabs; everything else here is comma-separated.
    head = text[:65536]
    return "\t" if head.count("\t") > head.count(",") else ","


def _unreadable_record(line: int, below_header: bool = False) -> FileProblem:
    where = f"表头以下第 {line} 行" if below_header else f"第 {line} 行"
    return FileProblem(
        f"文件{where}附近无法读取：有单元格过长（每格最多 {settings.MAX_CELL_CHARS} 个字符）"
        "或引号不配对，请检查后再导入"
    )


_NOT_BLANK = re.compile(rb"\S")


def _parse_csv_body(
    raw: bytes, width: int, delimiter: str = ",", start: int = 0, codec: str = "utf8"
) -> list[pa.Array]:
    """The bytes from `start` (below the header) as one string array per column, one entry per record.

    The bytes are handed to Arrow in place, not copied from `start`; Arrow decodes `codec` to UTF-8.
    """
    if not _NOT_BLANK.search(raw, start):
        return [pa.array([], pa.string()) for _ in range(width)]
    names = [f"c{i}" for i in range(width)]
    irregular = []

    def note_irregular(row: pacsv.InvalidRow) -> str:
        irregular.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(raw).slice(start)),
            read_options=pacsv.ReadOptions(column_names=names, block_size=CSV_BLOCK_SIZE, encoding=codec),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                ignore_empty_lines=False,
                newlines_in_values=raw.find(b'"', start) >= 0,
                invalid_row_handler=note_irregular,
            ),
            convert_options=pacsv.ConvertOptions(
                # UTF-8 checked whole already (and a cell of it cut at ASCII delimiters is UTF-8 too),
                # or decoded from GB18030 by Arrow: a second check per cell would find nothing.
                check_utf8=False,
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        irregular.append(None)
    except UnicodeDecodeError:
        raise _not_encoded(raw, codec) from None
    if not irregular:
        return [table.column(i).combine_chunks() for i in range(width)]
    # Rows of uneven length (trailing cells omitted, stray cells): the csv module keeps
    # every record in place, so row numbers stay right.
    try:
        text = raw[start:].decode(codec)
    except UnicodeDecodeError:
        raise _not_encoded(raw, codec) from None
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as error:
        raise _unreadable_record(reader.line_num, below_header=True) from error
    width = max(width, max((len(r) for r in records), default=0))
    padded = [r + [""] * (width - len(r)) for r in records]
    return [pa.array(list(col), pa.string()) for col in zip(*padded, strict=True)] if padded else []


def _read_excel(
    data: bytes, find_header: HeaderFinder, sheet_names: tuple[str, ...], progress: Progress | None
) -> RawTable:
    try:
        header, header_row, sheet, columns = read_bounded(data, find_header, sheet_names, progress)
    except WorkbookRejected as error:
        raise FileProblem(str(error)) from None
    if not columns:
        columns = [pa.array([], pa.string())] * len(header)
    return RawTable(header, header_row, header_row + 1, columns, sheet=sheet)
