"""Read a CSV or Excel file into raw text columns below its header row.

Everything comes back as text exactly as the analyst wrote it (Excel numbers and
dates rendered as text), so one set of normalisation rules serves every format.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from python_calamine import CalamineWorkbook

from analytics import settings
from analytics.importing.headers import HEADER_SCAN_ROWS

# The csv module stops at 128 KiB a field; Arrow reads the bulk in 16 MiB blocks. Up to that a long
# cell reaches the rules and is reported with its row and column (over MAX_CELL_CHARS: an error).
CSV_FIELD_LIMIT = 1 << 24
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
    data: bytes, file_name: str, find_header: HeaderFinder, sheet_names: tuple[str, ...]
) -> RawTable:
    """Read CSV or Excel bytes; `find_header` picks the header row, `sheet_names` the preferred sheets."""
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise FileProblem("文件为空")
    suffix = Path(file_name).suffix.lower()
    if suffix and suffix not in EXCEL_SUFFIXES + TEXT_SUFFIXES:
        raise FileProblem(f"不支持的文件类型“{suffix}”：请上传 Excel（.xlsx）或 CSV 文件")
    is_excel = suffix in EXCEL_SUFFIXES or data[:4] == b"PK\x03\x04" or data[:4] == b"\xd0\xcf\x11\xe0"
    if is_excel:
        return _read_excel(data, find_header, sheet_names)
    return _read_csv(data, find_header)


def _decode(data: bytes) -> tuple[str, str]:
    for codec, label in ENCODINGS:
        if codec == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
            continue
        try:
            return data.decode(codec), label
        except UnicodeDecodeError:
            continue
    raise FileProblem("无法识别文件编码：请另存为 UTF-8 或 GB18030（GBK）编码的 CSV，或 Excel 文件")


def _no_header() -> FileProblem:
    return FileProblem(f"前{HEADER_SCAN_ROWS}行中找不到表头行：请检查列名是否与模板一致")


def _read_csv(data: bytes, find_header: HeaderFinder) -> RawTable:
    text, encoding = _decode(data)
    same_bytes = encoding != "GB18030"
    if "\n" not in text:
        text = text.replace("\r", "\n")  # classic Mac line endings
        same_bytes = False
    # Only the first records go through the csv module, to find the header row and
    # where the data begins; the bulk is parsed by Arrow.
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    head: list[list[str]] = []
    lines_after: list[int] = []
    try:
        for record in reader:
            head.append(record)
            lines_after.append(reader.line_num)
            if len(head) >= HEADER_SCAN_ROWS:
                break
    except csv.Error as error:
        raise _unreadable_record(reader.line_num) from error
    index = find_header(head)
    if index is None:
        raise _no_header()
    header = head[index]
    offset = _offset_after_lines(text, lines_after[index])
    if same_bytes:
        # UTF-8 input goes to Arrow as it is: no second copy of a large file.
        bom = 3 if encoding == "UTF-8-BOM" else 0
        body = data[bom + len(text[:offset].encode("utf-8")) :]
    else:
        body = text[offset:].encode("utf-8")
    columns = _parse_csv_body(body, len(header), delimiter)
    width = max(len(header), len(columns))
    header = header + [""] * (width - len(header))
    n = len(columns[0]) if columns else 0
    columns = columns + [pa.array([""] * n, pa.string())] * (width - len(columns))
    return RawTable(header, index + 1, index + 2, columns, encoding=encoding)


def _offset_after_lines(text: str, lines: int) -> int:
    offset = 0
    for _ in range(lines):
        found = text.find("\n", offset)
        if found < 0:
            return len(text)
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


def _parse_csv_body(raw: bytes, width: int, delimiter: str = ",") -> list[pa.Array]:
    """UTF-8 bytes below the header as one string array per column, one entry per record."""
    if not raw.strip():
        return [pa.array([], pa.string()) for _ in range(width)]
    names = [f"c{i}" for i in range(width)]
    irregular = []

    def note_irregular(row: pacsv.InvalidRow) -> str:
        irregular.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(raw),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                ignore_empty_lines=False,
                newlines_in_values=b'"' in raw,
                invalid_row_handler=note_irregular,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        irregular.append(None)
    if not irregular:
        return [table.column(i).combine_chunks() for i in range(width)]
    # Rows of uneven length (trailing cells omitted, stray cells): the csv module keeps
    # every record in place, so row numbers stay right.
    reader = csv.reader(io.StringIO(raw.decode("utf-8")), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as error:
        raise _unreadable_record(reader.line_num, below_header=True) from error
    width = max(width, max((len(r) for r in records), default=0))
    padded = [r + [""] * (width - len(r)) for r in records]
    return [pa.array(list(col), pa.string()) for col in zip(*padded, strict=True)] if padded else []


def _cell_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    return str(value)


def _text_column(cells: tuple) -> pa.Array:
    """One Excel column as text; columns of numbers or dates (with text or empty cells) go through Arrow."""
    kinds = set(map(type, cells))
    if kinds <= {str}:
        return pa.array(cells, pa.string())
    texts = pa.array([c if type(c) is str else None for c in cells], pa.string())
    if kinds <= {str, float}:
        numbers = pa.array([c if type(c) is float else None for c in cells], pa.float64())
        # Integral numbers print without ".0" or an exponent, so 20260001 stays an ID, not 2.0260001e+07.
        integral = pc.and_(pc.equal(pc.floor(numbers), numbers), pc.less(pc.abs(numbers), 1e15))
        as_int = pc.cast(pc.if_else(integral, numbers, 0.0), pa.int64()).cast(pa.string())
        return pc.coalesce(texts, pc.if_else(integral, as_int, numbers.cast(pa.string())))
    if kinds <= {str, dt.date}:
        dates = pa.array([c if type(c) is dt.date else None for c in cells], pa.date32())
        return pc.coalesce(texts, dates.cast(pa.string()))
    return pa.array([c if type(c) is str else _cell_text(c) for c in cells], pa.string())


def _read_excel(data: bytes, find_header: HeaderFinder, sheet_names: tuple[str, ...]) -> RawTable:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises its own error types per format
        raise FileProblem(f"无法读取 Excel 文件：{error}") from error
    available = list(workbook.sheet_names)
    if not available:
        raise FileProblem("Excel 文件中没有工作表")
    wanted = {name.strip() for name in sheet_names}
    # The sheet named after the dataset, else the first; the others only if those carry no header row.
    order = sorted(available, key=lambda name: name.strip() not in wanted)
    for chosen in order:
        # Keep the empty area above the data so list index + 1 is the Excel row number.
        rows = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
        head = [[_cell_text(c) for c in row] for row in rows[:HEADER_SCAN_ROWS]]
        index = find_header(head)
        if index is not None:
            break
    else:
        raise _no_header()
    header = head[index]
    body = rows[index + 1 :]
    width = max([len(header), *(len(r) for r in body)])
    header = header + [""] * (width - len(header))
    if body and any(len(r) != width for r in body):
        body = [list(r) + [""] * (width - len(r)) for r in body]
    columns = (
        [_text_column(col) for col in zip(*body, strict=True)]
        if body
        else [pa.array([], pa.string())] * width
    )
    return RawTable(header, index + 1, index + 2, columns, sheet=chosen)
