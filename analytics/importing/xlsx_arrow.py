"""An .xlsx sheet read by fastexcel straight into typed Arrow columns, rendered as `excel.cell_text` would.

The child process (`analytics.importing.excel`) tries this first. It gives the same text as
the python-calamine path for every cell, or it declines (`Declined`) and that path runs:

- the header is found on the first rows only, read by python-calamine from a copy of the
  workbook whose sheets stop after `HEADER_SCAN_ROWS` rows (with the shared strings those rows
  use), so the header texts and the choice of sheet are the calamine path's own;
- the rows below the header are read by fastexcel with one type per column over all rows
  (strict: a column mixing text and numbers, or numbers and dates, declines);
- numbers, dates and booleans are rendered in Arrow by the rules of `cell_text`; what those
  rules could render differently (times of day, durations, fractions of a second, error cells,
  a "NULL" text in a number column) declines;
- the data rows among the first rows are compared with calamine's text of them.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

import pyarrow as pa
import pyarrow.compute as pc

from analytics.importing.headers import HEADER_SCAN_ROWS

READ_CHUNK = 1 << 16
HEAD_LIMIT = 64 << 20  # inflated bytes of a sheet searched for the end of its first rows
_ROW_TAG = re.compile(rb"<(\w+:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_DIMENSION_TAG = re.compile(rb"<(?:\w+:)?dimension\b[^>]*>")
SHARED_STRINGS = "xl/sharedStrings.xml"
# A cell of the shared strings table (t="s") and its index; every t="s" of the first rows must be one.
_SHARED_TYPE = re.compile(rb'\bt="s"')
_SHARED_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\bt="s"[^>]*>\s*<(?:\w+:)?v>\s*(\d+)\s*<')
_STRINGS_ROOT = re.compile(rb"<(\w+:)?sst\b[^>]*>")
_STRING_END = re.compile(rb"</(?:\w+:)?si>")
# 1900-03-01 in milliseconds from 1970, a plain int (a timestamp scalar at import would load pandas).
# Before it lie times of day (Excel serials below 1) and Excel's 1900 leap-year bug.
_FIRST_DAY_MS = -2203891200000


class Declined(Exception):
    """This sheet goes through the python-calamine path."""


def _sheet_head(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """A sheet's XML up to its first `HEADER_SCAN_ROWS` rows, closed there (the whole part if shorter)."""
    data, searched = b"", 0
    with archive.open(member) as stream:
        while chunk := stream.read(READ_CHUNK):
            data += chunk
            for match in _ROW_TAG.finditer(data, searched):
                number = _ROW_NUMBER.search(match.group(2))
                if number is None:  # rows numbered by position: not followed here
                    raise Declined
                if int(number.group(1)) > HEADER_SCAN_ROWS:
                    prefix = match.group(1) or b""
                    head = _DIMENSION_TAG.sub(b"", data[: match.start()], count=1)
                    return head + b"</%ssheetData></%sworksheet>" % (prefix, prefix)
                searched = match.end()
            if len(data) > HEAD_LIMIT:
                raise Declined
    return data


def head_workbook(path: str) -> io.BytesIO:
    """The workbook with every sheet cut after its first rows, for the header search."""
    try:
        return _head_workbook(path)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as error:
        raise Declined from error  # the calamine path names the damage


def _strings_head(archive: zipfile.ZipFile, member: zipfile.ZipInfo, heads: list[bytes]) -> bytes:
    """The shared strings the first rows refer to: the table up to the highest index among them."""
    data = archive.read(member)
    cells = [i for head in heads for i in _SHARED_CELL.findall(head)]
    if sum(len(_SHARED_TYPE.findall(head)) for head in heads) != len(cells):  # a form not followed here
        return data
    wanted = max(map(int, cells), default=-1) + 1
    root = _STRINGS_ROOT.search(data)
    if root is None:
        return data
    end = root.end()  # no string wanted: the table's opening tag only
    for count, item in enumerate(_STRING_END.finditer(data, end), start=1):
        if count > wanted:
            break
        end = item.end()
    else:
        return data  # no more strings than wanted
    prefix = root.group(1) or b""
    return data[:end] + b"</%ssst>" % prefix


def _head_workbook(path: str) -> io.BytesIO:
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:  # not an .xlsx/.xlsm (an .ods, an .xlsb)
            raise Declined
        members = [member for member in archive.infolist() if not member.is_dir()]
        heads = {
            m.filename: _sheet_head(archive, m)
            for m in members
            if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")
        }
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as head:
            for member in members:
                name = member.filename
                if name in heads:
                    part = heads[name]
                elif name == SHARED_STRINGS:
                    part = _strings_head(archive, member, list(heads.values()))
                else:
                    part = archive.read(member)
                head.writestr(name, part)
    out.seek(0)
    return out


def number_text(numbers: pa.Array) -> pa.Array:
    """`excel.cell_text` of a float64 column (an empty cell stays null), rendered in Arrow."""
    # Integral numbers print without ".0" or an exponent, so 20260001 stays an ID, not 2.0260001e+07.
    integral = pc.and_(pc.equal(pc.floor(numbers), numbers), pc.less(pc.abs(numbers), 1e15))
    as_int = pc.cast(pc.if_else(integral, numbers, 0.0), pa.int64()).cast(pa.string())
    texts = pc.if_else(integral, as_int, numbers.cast(pa.string()))
    # Arrow's shortest digits are repr's, but not always its notation: 1.00000000005e+10 for repr's
    # 10000000000.5, 0.00001 for 1e-05. Where Arrow writes an exponent, or repr would (below 1e-4,
    # from 1e16), the cell is rendered by repr itself: few cells of a ledger.
    magnitude = pc.abs(numbers)
    notation = pc.or_(
        pc.match_substring(texts, "e"),
        pc.or_(pc.less(magnitude, 1e-4), pc.greater_equal(magnitude, 1e15)),
    )
    other = pc.and_(pc.invert(integral), notation)
    other = pc.fill_null(other, False)
    if pc.any(other).as_py():
        shown = [repr(value) for value in pc.filter(numbers, other).to_pylist()]
        texts = pc.replace_with_mask(texts, other, pa.array(shown, pa.string()))
    return texts


def _datetime_text(stamps: pa.Array) -> pa.Array:
    """Dates as YYYY-MM-DD, date and time as YYYY-MM-DD HH:MM:SS (whole seconds after 1900-02-28 only)."""
    valid = stamps.drop_null()
    if len(valid) and (
        pc.any(pc.not_equal(pc.millisecond(valid), 0)).as_py()
        or pc.min(valid.cast(pa.int64())).as_py() < _FIRST_DAY_MS
    ):
        raise Declined  # a time of day (calamine: datetime.time) or a fraction of a second
    # A ledger repeats a few hundred dates: each distinct one is rendered once.
    distinct = pc.unique(valid).cast(pa.timestamp("s"))
    midnight = pc.equal(pc.floor_temporal(distinct, unit="day"), distinct)
    texts = pc.if_else(
        midnight, pc.strftime(distinct, "%Y-%m-%d"), pc.strftime(distinct, "%Y-%m-%d %H:%M:%S")
    )
    return pc.take(texts, pc.index_in(stamps.cast(pa.timestamp("s")), distinct))


def column_text(column: pa.Array) -> pa.Array:
    """One typed fastexcel column as the text `cell_text` gives its cells ("" for an empty cell)."""
    kind = column.type
    if pa.types.is_timestamp(kind):
        texts = _datetime_text(column)
    elif pa.types.is_date32(kind):
        texts = column.cast(pa.string())
    elif pa.types.is_float64(kind):
        texts = number_text(column)
    elif pa.types.is_int64(kind):
        texts = column.cast(pa.string())
    elif pa.types.is_boolean(kind):
        texts = pc.if_else(column, "是", "否")
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind):
        texts = column.cast(pa.string())
    else:  # durations
        raise Declined
    return pc.fill_null(texts, "")


def read_rows(path: str, sheet: str, skip: int):
    """(sheet rows from row 1, columns from A, text columns of the rows after `skip`) by fastexcel."""
    try:
        import fastexcel
    except ImportError as error:
        raise Declined from error
    try:
        loaded = fastexcel.read_excel(path).load_sheet(
            sheet, header_row=None, skip_rows=skip, schema_sample_rows=None, dtype_coercion="strict"
        )
        table, errors = loaded.to_arrow_with_errors()
    except fastexcel.FastExcelError as error:  # a mixed column among them
        raise Declined from error
    if errors is not None and errors.errors:  # error cells, or text where the column holds numbers
        raise Declined
    infos, height = loaded.available_columns(), loaded.total_height
    del loaded  # the reader's cells: only the typed columns are needed now
    width = max((info.absolute_index for info in infos), default=-1) + 1
    rows = table.num_rows
    if rows != height - skip or rows == 0:
        raise Declined
    typed = dict(zip((info.absolute_index for info in infos), table.columns, strict=True))
    del table
    empty = pa.nulls(rows, pa.string()).fill_null("")
    # Each typed column is let go once rendered, so the child holds one of them beside the text.
    return height, width, [column_text(typed.pop(i)) if i in typed else empty for i in range(width)]
