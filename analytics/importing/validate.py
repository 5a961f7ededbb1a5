"""Normalise raw text columns to the contract's types and check every rule, collecting all problems.

Each column is dictionary-encoded and the rules run once per distinct value in
Python, then spread back to the rows with Arrow; files with a million rows but a
few thousand distinct dates or amounts stay fast without a second rule engine.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analytics import settings
from analytics.contract.datasets import BOOL, DATE, DECIMAL, ENUM, INT, TEXT, Column, Dataset
from analytics.importing.arrow_pool import int64_array, integers
from analytics.importing.credit_code import credit_code_problem
from analytics.importing.headers import header_unit, is_serial_header, match_column
from analytics.importing.problems import MAX_ERRORS, Problems, problem
from analytics.importing.readers import RawTable
from analytics.importing.rules import CAP_COLUMNS, ORDER_RULES, cross_rules

__all__ = ["MAX_ERRORS", "ORDER_RULES", "Problems", "Validated", "map_headers", "problem", "validate"]

TOTAL_WORDS = ("合计", "总计", "小计")
# The words as cells carry them, also spread out with spaces ("合  计") as titles often are.
TOTAL_CELLS = tuple(
    sorted({w[0] + gap + w[1] for w in TOTAL_WORDS for gap in ("", " ", "  ", "\u3000", "\u3000\u3000")})
)
THREADS = min(os.cpu_count() or 1, 8)  # columns checked at once: one per core, at most 8
_NO_DOWNLOADS = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
DECIMAL_PRECISION, DECIMAL_PLACES = 18, 4  # DECIMAL(18,4) in the store
DECIMAL_TYPE = pa.decimal128(DECIMAL_PRECISION, DECIMAL_PLACES)
# What the store can hold: BIGINT counts, DECIMAL(18,4) amounts (below 10^14 in absolute value).
INT_MAX = 2**63 - 1
DECIMAL_LIMIT = Decimal(10) ** (DECIMAL_PRECISION - DECIMAL_PLACES)
DECIMAL_MAX = DECIMAL_LIMIT - Decimal(1).scaleb(-DECIMAL_PLACES)
EARLIEST_DATE = dt.date(1990, 1, 1)  # data-contract.md: an earlier date is a typo, not a ledger date
MAX_CELL_CHARS = settings.MAX_CELL_CHARS
# C0 control characters and DEL, except tab, line feed and carriage return (legitimate in a cell).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ARROW_TYPES = {
    TEXT: pa.string(),
    ENUM: pa.string(),
    DATE: pa.date32(),
    INT: pa.int64(),
    DECIMAL: DECIMAL_TYPE,
    BOOL: pa.bool_(),
}

# The contract's words (是/否, Y/N, 1/0, true/false), compared in lower case, plus yes/no.
TRUE_WORDS = frozenset({"是", "y", "yes", "1", "true"})
FALSE_WORDS = frozenset({"否", "n", "no", "0", "false"})
_FULL_WIDTH_DIGITS = str.maketrans(
    {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
)
_NUMBER = re.compile(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)\s*(\S*)$")
_DATE = re.compile(
    r"^(\d{4})\s*(?:([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?)"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
# 26年8月31日: a Chinese-locale spreadsheet's date cell written to CSV (year 2000 + YY).
_SHORT_YEAR_DATE = re.compile(r"^(\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
# 8/31/26, 08/31/2026: an English-locale export, month first; ambiguous, so an error that says what to write.
_MONTH_FIRST = re.compile(r"^\d{1,2}\s*/\s*\d{1,2}\s*/\s*(?:\d{2}|\d{4})$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 once Excel's 1900 leap-year bug is allowed for
# Only serials of plausible ledger dates: a bare "2026" or "8" in a date cell is a mistake, not 1905-07-18.
SERIAL_RANGE = ((EARLIEST_DATE - EXCEL_EPOCH).days, (dt.date(2100, 12, 31) - EXCEL_EPOCH).days)


@dataclass
class Validated:
    """A file's rows in contract types, ready to commit, or the problems that stop it."""

    dataset: Dataset
    table: pa.Table  # contract columns in order plus __row (file row number)
    present: tuple[str, ...]  # contract columns the file carries
    headers: dict[str, str]  # contract column -> header as written in the file
    problems: Problems
    warnings: list[str]

    @property
    def errors(self) -> list[dict]:
        return self.problems.result()


def _allowed(column: Column) -> str:
    return "、".join(column.values)


def _parse_number(text: str, column: Column) -> tuple[object, str | None]:
    plain = text.translate(_FULL_WIDTH_DIGITS).strip()
    match = _NUMBER.match(plain)
    if not match or (match.group(2) and match.group(2) not in column.units):
        units = f"（可带单位“{'”“'.join(column.units)}”）" if column.units else ""
        return None, f"“{column.zh}”应为数字{units}，不能识别“{_shown(text)}”"
    number = Decimal(match.group(1).replace(",", ""))
    if column.type == INT:
        if number != number.to_integral_value():
            return None, f"“{column.zh}”应为整数，不能是“{text}”"
        value: object = int(number)
        if not -INT_MAX - 1 <= value <= INT_MAX:
            return None, f"“{column.zh}”超出可存储的范围（整数最大为 {INT_MAX}），不能是“{_shown(text)}”"
    else:
        if abs(number) >= DECIMAL_LIMIT:  # before rounding: a long number would exceed Decimal's precision
            return None, _decimal_range(column, text)
        value = number.quantize(Decimal(1).scaleb(-DECIMAL_PLACES), rounding=ROUND_HALF_UP)
        if abs(value) > DECIMAL_MAX:
            return None, _decimal_range(column, text)
    if column.positive and number <= 0:
        return None, f"“{column.zh}”应大于0，不能是“{text}”"
    if column.minimum is not None and number < Decimal(str(column.minimum)):
        return None, f"“{column.zh}”不能小于{column.minimum:g}，不能是“{text}”"
    if column.maximum is not None and number > Decimal(str(column.maximum)):
        return None, f"“{column.zh}”不能大于{column.maximum:g}，不能是“{text}”"
    return value, None


def _decimal_range(column: Column, text: str) -> str:
    unit = header_unit(column.zh) or ""
    return (
        f"“{column.zh}”超出可存储的范围（最大为 {DECIMAL_MAX}{unit}，小数最多 {DECIMAL_PLACES} 位），"
        f"不能是“{_shown(text)}”：请检查单位和数值"
    )


def _shown(text: str, limit: int = 40) -> str:
    """A cell as a message quotes it: long ones cut short."""
    return text if len(text) <= limit else f"{text[:limit]}…（共 {len(text)} 个字符）"


def _parse_date(text: str, column: Column, today: dt.date) -> tuple[object, str | None]:
    plain = text.translate(_FULL_WIDTH_DIGITS).strip()
    value = None
    match = _DATE.match(plain)
    short = None if match else _SHORT_YEAR_DATE.match(plain)
    if match or short:
        if match:
            year = int(match.group(1))
            month, day = (
                (match.group(3), match.group(4)) if match.group(2) else (match.group(5), match.group(6))
            )
        else:
            year, month, day = 2000 + int(short.group(1)), short.group(2), short.group(3)
        try:
            value = dt.date(year, int(month), int(day))
        except ValueError:
            return None, f"“{column.zh}”不是有效日期：“{text}”"
    elif _SERIAL.match(plain) and SERIAL_RANGE[0] <= float(plain) <= SERIAL_RANGE[1]:
        value = EXCEL_EPOCH + dt.timedelta(days=int(float(plain)))
    if value is None and _MONTH_FIRST.match(plain):
        return None, (
            f"“{column.zh}”的“{text}”是“月/日/年”的写法，年月日无法确定："
            "请写成 2026-08-31、2026/8/31 或 2026年8月31日（年份在前）"
        )
    if value is None:
        return (
            None,
            f"“{column.zh}”应为日期（如 2026-08-31、2026/8/31、2026年8月31日），不能识别“{_shown(text)}”",
        )
    if value < EARLIEST_DATE:
        return None, f"“{column.zh}”{value.isoformat()} 早于 {EARLIEST_DATE.isoformat()}：请检查年份"
    if column.not_after_today and value > today:
        return None, f"“{column.zh}”{value.isoformat()} 晚于今天（{today.isoformat()}）"
    return value, None


def _parse_enum(text: str, column: Column) -> tuple[object, str | None]:
    plain = re.sub(r"\s+", "", text)
    if plain in column.values:
        return plain, None
    if plain in column.aliases:
        return column.aliases[plain], None
    return None, f"“{column.zh}”的值“{text}”不在允许范围内，应为：{_allowed(column)}"


def _parse_bool(text: str, column: Column) -> tuple[object, str | None]:
    plain = text.translate(_FULL_WIDTH_DIGITS).strip().lower()
    if plain in TRUE_WORDS:
        return True, None
    if plain in FALSE_WORDS:
        return False, None
    return None, f"“{column.zh}”应为 是/否（也可写 Y/N、1/0、true/false），不能识别“{text}”"


def _parse_credit_code(text: str) -> tuple[object, str | None]:
    # Full-width characters and lower-case letters are how the code was typed, not another code.
    code = re.sub(r"\s+", "", text.translate(_FULL_WIDTH_DIGITS)).upper()
    message = credit_code_problem(code)
    return (None, message) if message else (code, None)


def _parse_unique(text: str, column: Column, today: dt.date) -> tuple[object, str | None]:
    if column.credit_code:
        return _parse_credit_code(text)
    if column.type in (INT, DECIMAL):
        return _parse_number(text, column)
    if column.type == DATE:
        return _parse_date(text, column, today)
    if column.type == ENUM:
        return _parse_enum(text, column)
    return _parse_bool(text, column)


def _trim(array: pa.Array) -> pa.Array:
    return pc.utf8_trim_whitespace(array)


def _row_errors(
    problems: Problems, mask: pa.Array, rows: np.ndarray, raw: pa.Array, header: str, messages
) -> None:
    """Add one problem per row where mask is true; messages is a string or a per-row list."""
    indices = pc.indices_nonzero(pc.fill_null(mask, False))
    positions = integers(indices)
    if not len(positions):
        return
    values = raw.take(indices.slice(0, MAX_ERRORS + 1)).to_pylist()
    for i, position in enumerate(positions):
        if i > MAX_ERRORS:
            problems.overflow += len(positions) - i
            return
        message = messages if isinstance(messages, str) else messages[i]
        problems.add(int(rows[position]), header, values[i], message)


# The bytes of CONTROL_CHARACTERS: in UTF-8 no byte below 0x80 is part of another character.
_CONTROL_BYTES = np.zeros(256, dtype=bool)
_CONTROL_BYTES[[*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]] = True


def _clean_cells(raw: pa.Array) -> bool:
    """True when no cell has a control character or more than MAX_CELL_CHARS characters.

    A look at the column's bytes as a whole (a character is at least one byte, and a control
    character is one byte of its own), so the per-row checks run only on a column that needs them.
    """
    if raw.null_count or not len(raw):
        return not len(raw)
    offsets = np.frombuffer(raw.buffers()[1], dtype=np.int32)[raw.offset : raw.offset + len(raw) + 1]
    if int(np.diff(offsets).max()) > MAX_CELL_CHARS:
        return False
    data = raw.buffers()[2]
    if data is None:
        return True
    values = np.frombuffer(data, dtype=np.uint8)[offsets[0] : offsets[-1]]
    # Two comparisons over the bytes, then the table only for the few below 0x20 (tab, line breaks).
    low = values[(values < 0x20) | (values == 0x7F)]
    return not _CONTROL_BYTES[low].any()


def _cell_problems(raw: pa.Array, column: Column, header: str, rows: np.ndarray, problems: Problems) -> bool:
    """Control characters and over-long cells, per row; True when the column has any."""
    if raw.type == pa.string() and _clean_cells(raw):
        return False
    found = False
    controls = pc.match_substring_regex(raw, CONTROL_CHARACTERS.pattern)
    positions = pc.indices_nonzero(pc.fill_null(controls, False)).to_pylist()
    for position in positions[: MAX_ERRORS + 1]:
        text = raw[position].as_py()
        codes = "、".join(sorted({f"U+{ord(c):04X}" for c in CONTROL_CHARACTERS.findall(text)}))
        shown = CONTROL_CHARACTERS.sub(lambda m: f"\\x{ord(m.group()):02x}", _shown(text))
        problems.add(
            int(rows[position]),
            header,
            shown,
            f"“{column.zh}”含有不可见的控制字符（{codes}）：请删除后再导入",
        )
    problems.overflow += max(0, len(positions) - MAX_ERRORS - 1)
    found = bool(positions)
    long = pc.greater(pc.utf8_length(raw), pa.scalar(MAX_CELL_CHARS, pa.int32()))
    positions = pc.indices_nonzero(pc.fill_null(long, False)).to_pylist()
    for position in positions[: MAX_ERRORS + 1]:
        text = raw[position].as_py()
        problems.add(
            int(rows[position]),
            header,
            _shown(CONTROL_CHARACTERS.sub("", text)),
            f"“{column.zh}”有 {len(text)} 个字符，超过单元格上限 {MAX_CELL_CHARS} 个字符",
        )
    problems.overflow += max(0, len(positions) - MAX_ERRORS - 1)
    return found or bool(positions)


def _convert(
    raw: pa.Array, trimmed: pa.Array, column: Column, header: str, rows: np.ndarray, today, problems: Problems
) -> pa.Array:
    """One column in its contract type; empty cells null; unreadable cells null and reported."""
    empty = pc.equal(trimmed, _text(""))
    if column.type == TEXT and not column.credit_code:
        if not pc.any(empty).as_py():  # a column filled in every row (an ID, the county) as it is
            return trimmed
        return pc.if_else(empty, pa.scalar(None, pa.string()), trimmed)
    encoded = trimmed.dictionary_encode()
    uniques = encoded.dictionary.to_pylist()
    values, messages = [], []
    for text in uniques:
        value, message = _parse_unique(text, column, today) if text else (None, None)
        values.append(value)
        messages.append(message)
    indices = encoded.indices
    typed = pa.array(values, ARROW_TYPES[column.type]).take(indices)
    bad_ids = [i for i, m in enumerate(messages) if m]
    if bad_ids:
        bad = pc.is_in(indices, pa.array(bad_ids, indices.type))
        positions = pc.indices_nonzero(bad)
        per_row = [messages[i] for i in indices.take(positions).to_pylist()[: MAX_ERRORS + 1]]
        _row_errors(problems, bad, rows, raw, header, per_row)
    return typed


def _checked(
    column: Column, raw: pa.Array, trimmed: pa.Array, header: str, rows: np.ndarray, today: dt.date
) -> tuple[pa.Array, Problems]:
    """One column converted and checked on its own (it runs in a thread beside the others)."""
    problems = Problems()
    if _cell_problems(raw, column, header, rows, problems):
        # The cells are reported already: convert the rest without a second message for them.
        return pa.nulls(len(rows), ARROW_TYPES[column.type]), problems
    typed = _convert(raw, trimmed, column, header, rows, today, problems)
    if column.required:
        _row_errors(
            problems, pc.equal(trimmed, _text("")), rows, raw, header, f"“{column.zh}”是必填项，不能为空"
        )
    elif column.default is not None:
        typed = pc.fill_null(typed, pa.scalar(column.default, ARROW_TYPES[column.type]))
    return typed, problems


def _text(value: str) -> pa.Scalar:
    """A text scalar typed here: a bare str given to pyarrow is typed by inference, which loads pandas."""
    return pa.scalar(value, pa.string())


def _in_threads(function, *arguments: list) -> list:
    """`function` over the argument lists, in threads: Arrow's kernels release the GIL, so the
    columns are checked on every core (as Arrow reads the file); results come back in order."""
    workers = min(len(arguments[0]), THREADS)
    if workers < 2:
        return list(map(function, *arguments))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(function, *arguments))


def _blank_and_total(raw: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
    """(the cells trimmed, which are empty, which read 合计 or the like) of one raw column."""
    trimmed = _trim(raw)
    return trimmed, pc.equal(trimmed, _text("")), pc.is_in(trimmed, pa.array(TOTAL_CELLS, pa.string()))


def _duplicates(table: pa.Table, dataset: Dataset, headers: dict[str, str], problems: Problems, raw) -> None:
    key_ok = [c for c in dataset.key if dataset.column(c).required]
    valid = pc.is_valid(table[key_ok[0]])
    for name in key_ok[1:]:
        valid = pc.and_(valid, pc.is_valid(table[name]))
    keyed = table.select([*dataset.key, "__row"]).filter(valid)
    # One key column: a hash of the values, without Acero's group-by plan (half count_distinct's time).
    # Keys of several columns (small tables: regions, targets) go to the query below straight away:
    # Acero's group-by loads pyarrow.dataset, and pandas with it (a third of a second).
    if len(dataset.key) == 1 and len(pc.unique(keyed[dataset.key[0]])) == keyed.num_rows:
        return
    con = duckdb.connect(config=_NO_DOWNLOADS)
    try:
        con.register("keyed", keyed)
        partition = ", ".join(dataset.key)
        clashes = con.execute(
            f"SELECT __row, first_row FROM (SELECT __row, min(__row) OVER (PARTITION BY {partition}) AS first_row,"
            f" count(*) OVER (PARTITION BY {partition}) AS n FROM keyed) WHERE n > 1 AND __row <> first_row"
            " ORDER BY __row"
        ).fetchall()
    finally:
        con.close()
    first_key = dataset.key[0]
    header = headers.get(first_key, dataset.column(first_key).zh)
    label = "、".join(f"“{headers.get(c, dataset.column(c).zh)}”" for c in dataset.key)
    rows = integers(table["__row"])  # ascending: file order
    for row, first_row in clashes[: MAX_ERRORS + 1]:
        value = raw[first_key][int(np.searchsorted(rows, row))].as_py() if first_key in raw else None
        problems.add(int(row), header, value, f"{label}与第 {first_row} 行重复：同一记录在文件中出现了两次")
    problems.overflow += max(0, len(clashes) - MAX_ERRORS - 1)


NOT_UNITS = ("必填", "选填", "可选")


def _unit_conflict(column: Column, header: str) -> str | None:
    # 直接经济损失（元） is not 直接经济损失（万元）: importing it would inflate every figure 10,000 times.
    expected, written = header_unit(column.zh), header_unit(header)
    if column.type not in (INT, DECIMAL) or not expected or written in (None, expected, *NOT_UNITS):
        return None
    return f"列“{header.strip()}”的单位是“{written}”，应为“{expected}”：请换算为{expected}后再导入"


def map_headers(raw: RawTable, dataset: Dataset) -> tuple[dict[str, int], list[dict], list[str]]:
    """Contract column -> index in the file; whole-file errors (missing, repeated); warnings."""
    positions: dict[str, int] = {}
    errors, warnings = [], []
    for index, header in enumerate(raw.header):
        if not header.strip() or is_serial_header(header):
            continue
        name = match_column(dataset, header)
        if name is None:
            warnings.append(f"第 {raw.header_row} 行：未识别的列“{header.strip()}”已忽略")
        elif name in positions:
            errors.append(
                problem(raw.header_row, header.strip(), header, f"列“{dataset.column(name).zh}”出现了两次")
            )
        else:
            positions[name] = index
            conflict = _unit_conflict(dataset.column(name), header)
            if conflict:
                errors.append(problem(raw.header_row, header.strip(), header, conflict))
    for column in dataset.columns:
        if column.required and column.name not in positions:
            errors.append(problem(None, column.zh, None, f"缺少必填列“{column.zh}”，请按模板补上该列"))
    caps = [dataset.column(c).zh for c in CAP_COLUMNS if c in dataset.column_names]
    if len(caps) == len(CAP_COLUMNS) and not any(c in positions for c in CAP_COLUMNS):
        errors.append(
            problem(None, caps[0], None, f"缺少“{caps[0]}”或“{caps[1]}”列：至少需要其中一列，请按模板补上")
        )
    return positions, errors, warnings


def validate(
    raw: RawTable, dataset: Dataset, today: dt.date | None = None, allow_empty: bool = False
) -> Validated:
    """Convert and check every row of a file against the dataset's contract.

    A header-only file is an error unless `allow_empty` (the import declares a month with no record).
    """
    today = today or dt.date.today()
    positions, file_errors, warnings = map_headers(raw, dataset)
    headers = {name: raw.header[i].strip() for name, i in positions.items()}
    problems = Problems()
    for error in file_errors:
        problems.add(**error)
    n = raw.num_rows
    rows_all = np.arange(raw.first_data_row, raw.first_data_row + n, dtype=np.int64)
    scanned = _in_threads(_blank_and_total, raw.columns) if raw.columns else []
    trimmed_all = [trimmed for trimmed, _, _ in scanned]
    keep = None  # every row
    if n and trimmed_all:
        empty, total = scanned[0][1], scanned[0][2]
        for _, blank, hit in scanned[1:]:
            empty, total = pc.and_(empty, blank), pc.or_(total, hit)
        total = pc.and_(total, pc.invert(empty))
        for position in pc.indices_nonzero(total).to_pylist():
            warnings.append(f"第 {int(rows_all[position])} 行是合计行，已跳过")
        keep = pc.invert(pc.or_(empty, total))
    rows = rows_all if keep is None else rows_all[integers(pc.indices_nonzero(keep))]
    dropped = n - len(rows)
    raw_kept = {
        name: raw.columns[i].filter(keep) if dropped else raw.columns[i] for name, i in positions.items()
    }
    trimmed = {
        name: trimmed_all[i].filter(keep) if dropped else trimmed_all[i] for name, i in positions.items()
    }
    kept = len(rows)
    carried = [c for c in dataset.columns if c.name in positions]
    checked = _in_threads(
        _checked,
        carried,
        [raw_kept[c.name] for c in carried],
        [trimmed[c.name] for c in carried],
        [headers[c.name] for c in carried],
        [rows] * len(carried),
        [today] * len(carried),
    )
    typed_columns = {c.name: typed for c, (typed, _) in zip(carried, checked, strict=True)}
    for _, found in checked:  # in the contract's column order, as one pass over the columns would add them
        problems.extend(found)
    columns: dict[str, pa.Array] = {}
    for column in dataset.columns:
        if column.name in typed_columns:
            columns[column.name] = typed_columns[column.name]
        else:
            columns[column.name] = pa.array([column.default] * kept, ARROW_TYPES[column.type])
    written = {name: pc.not_equal(trimmed[name], _text("")) for name in positions}
    for mask, name, message in cross_rules(columns, headers, written):
        _row_errors(problems, mask, rows, raw_kept[name], headers[name], message)
    table = pa.table({**columns, "__row": int64_array(rows)})
    if kept and all(c in positions for c in dataset.key if dataset.column(c).required):
        _duplicates(table, dataset, headers, problems, raw_kept)
    if kept == 0 and not file_errors and not allow_empty:
        problems.add(
            None,
            None,
            None,
            "文件中没有数据行（没有记录的月份请声明覆盖月份：--covers YYYY-MM --county 县市区）",
        )
    return Validated(dataset, table, tuple(positions), headers, problems, warnings)
