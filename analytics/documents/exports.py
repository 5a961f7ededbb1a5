"""Tables a user downloads: a DataFrame in, formatted .xlsx bytes out.

The columns arrive already named in Chinese (the page's headers), so the sheet
reads the same as the table on screen. Numbers stay numbers, so the analyst can
sort and sum in Excel; a missing value is an empty cell.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata

import pandas as pd
import xlsxwriter

INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
# Excel caps sheet names at 31 characters and forbids these.
_SHEET_NAME_FORBIDDEN = set("[]:*?/\\")
_MAX_COLUMN_WIDTH = 60
# A cell from a user's file that begins with = + - @ stays text: never a formula, a link or a number.
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def _display_width(text: str) -> int:
    """Columns a string takes in Excel: a CJK character is two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _sheet_name(name: str) -> str:
    cleaned = "".join("_" if ch in _SHEET_NAME_FORBIDDEN else ch for ch in name).strip() or "数据"
    return cleaned[:31]


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _column_kind(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "text"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "decimal"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    present = series.dropna()
    if len(present) and all(isinstance(v, dt.date) for v in present):
        return "date"
    if len(present) and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "integer"
    if len(present) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "decimal"
    return "text"


def dataframe_to_xlsx(
    frame: pd.DataFrame,
    sheet_name: str = "数据",
    title: str | None = None,
    number_formats: dict[str, str] | None = None,
) -> bytes:
    """Write one table to an .xlsx workbook (bold frozen header, filters, fitted widths) and return its bytes.

    `title`, when given, goes in a merged first row above the header, as government ledgers carry one.
    `number_formats` maps a column to an Excel number format (e.g. "0.0" for a rate), overriding the
    format inferred from its dtype.
    """
    number_formats = number_formats or {}
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    sheet = workbook.add_worksheet(_sheet_name(sheet_name))
    header_format = workbook.add_format(
        {"bold": True, "bg_color": "#D9E1F2", "border": 1, "align": "center", "valign": "vcenter"}
    )
    title_format = workbook.add_format({"bold": True, "font_size": 14, "align": "center"})
    inferred = {"integer": INTEGER_FORMAT, "decimal": DECIMAL_FORMAT, "date": DATE_FORMAT}

    header_row = 0
    columns = [str(c) for c in frame.columns]
    if title:
        if len(columns) > 1:
            sheet.merge_range(0, 0, 0, len(columns) - 1, title, title_format)
        else:
            sheet.write_string(0, 0, title, title_format)
        header_row = 1

    for col_index, (name, (_, series)) in enumerate(zip(columns, frame.items(), strict=True)):
        kind = _column_kind(series)
        pattern = number_formats.get(name, inferred.get(kind))
        cell_format = workbook.add_format({"num_format": pattern}) if pattern else None
        sheet.write_string(header_row, col_index, name, header_format)
        width = _display_width(name)
        for row_offset, value in enumerate(series.tolist(), start=1):
            row = header_row + row_offset
            if _is_missing(value):
                sheet.write_blank(row, col_index, None, cell_format)
                continue
            if kind == "date":
                day = value.date() if isinstance(value, (pd.Timestamp, dt.datetime)) else value
                sheet.write_datetime(row, col_index, dt.datetime(day.year, day.month, day.day), cell_format)
                shown = day.isoformat()
            elif kind in ("integer", "decimal"):
                sheet.write_number(row, col_index, float(value), cell_format)
                shown = f"{value:,}"
            else:
                shown = str(value)
                sheet.write_string(row, col_index, shown)
            width = max(width, _display_width(shown))
        sheet.set_column(col_index, col_index, min(width + 2, _MAX_COLUMN_WIDTH))

    sheet.freeze_panes(header_row + 1, 0)
    if columns:
        sheet.autofilter(header_row, 0, header_row + len(frame), len(columns) - 1)
    workbook.close()
    return buffer.getvalue()
