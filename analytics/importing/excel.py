"""Excel and OpenDocument sheets as text columns: the part that runs in the bounded child process.

`analytics.importing.workbook` runs this module (`python -m analytics.importing.excel FOLDER`) as a process of its own, with a memory
and a time limit, so a reader's panic or a memory blow-up ends only that process. The
sheet is turned into Arrow text columns a block of rows at a time and written to an Arrow
IPC file, so the child holds the reader's cells and one block, never a Python list of all rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import pickle
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from analytics import settings
from analytics.importing import xlsx_arrow
from analytics.importing.arrow_pool import use_retaining_pool
from analytics.importing.headers import HEADER_SCAN_ROWS

BLOCK_ROWS = 65536  # rows turned into Arrow columns at a time
PROBLEM_FILE = "problem.txt"  # a FileProblem's message, in Chinese
CRASH_FILE = "crash.txt"  # what the reader raised, for the log (the parent writes the message)
TABLE_FILE = "table.arrow"
REQUEST_FILE = "request.pickle"
LIMITS = ("MAX_SHEET_ROWS", "MAX_SHEET_COLUMNS", "MAX_SHEET_CELLS")
PROGRESS_FILE = "progress.txt"
MEMORY_MARK = "memory"


class SheetProblem(Exception):
    """A problem with the workbook as a whole; the message is Chinese."""


def cell_text(value: object) -> str:
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


def text_column(cells: tuple) -> pa.Array:
    """One Excel column as text; columns of numbers or dates (with text or empty cells) go through Arrow."""
    kinds = set(map(type, cells))
    if kinds <= {str}:
        return pa.array(cells, pa.string())
    if kinds <= {str, float}:
        texts = pa.array([c if type(c) is str else None for c in cells], pa.string())
        numbers = pa.array([c if type(c) is float else None for c in cells], pa.float64())
        return pc.coalesce(texts, xlsx_arrow.number_text(numbers))
    if bool in kinds and kinds & {int, float}:
        # True == 1 == 1.0: here each cell is rendered on its own, not looked up by value.
        return pa.array([c if type(c) is str else cell_text(c) for c in cells], pa.string())
    # Dates, times, booleans: a ledger repeats a few hundred of them, so each distinct value is rendered once.
    shown: dict = {}
    return pa.array(
        [
            c if type(c) is str else shown[c] if c in shown else shown.setdefault(c, cell_text(c))
            for c in cells
        ],
        pa.string(),
    )


def check_shape(rows: int, columns: int) -> None:
    """The sheet limits of `settings`, checked on what the reader found (the zip check saw what was declared)."""
    if rows > settings.MAX_SHEET_ROWS:
        raise SheetProblem(f"工作表有 {rows:,} 行，超过上限 {settings.MAX_SHEET_ROWS:,} 行：请拆分后再导入")
    if columns > settings.MAX_SHEET_COLUMNS:
        raise SheetProblem(
            f"工作表有 {columns:,} 列，超过上限 {settings.MAX_SHEET_COLUMNS:,} 列：请删去表格右侧多余的列后再导入"
        )
    if rows * columns > settings.MAX_SHEET_CELLS:
        raise SheetProblem(
            f"工作表有 {rows:,} 行 × {columns:,} 列，超过单元格上限 {settings.MAX_SHEET_CELLS:,} 个：请拆分后再导入"
        )


def _padded(row: list, left: int, width: int) -> list:
    if not left and len(row) == width:  # calamine's rows span the used range: the usual case
        return row
    return [""] * left + row + [""] * (width - left - len(row))


def _find_sheet(workbook, find_header, sheet_names: tuple[str, ...]):
    """(sheet name, calamine sheet, its row iterator, first rows, their text, header index, height, width)."""
    available = list(workbook.sheet_names)
    if not available:
        raise SheetProblem("Excel 文件中没有工作表")
    wanted = {name.strip() for name in sheet_names}
    # The sheet named after the dataset, else the first; the others only if those carry no header row.
    order = sorted(available, key=lambda name: name.strip() not in wanted)
    for chosen in order:
        try:
            sheet = workbook.get_sheet_by_name(chosen)
        except Exception as error:  # malformed sheet XML, an unreadable record: calamine's own errors
            raise SheetProblem(f"无法读取 Excel 文件的工作表“{chosen}”：{error}") from error
        start, end = sheet.start or (0, 0), sheet.end
        height, width = (end[0] + 1, end[1] + 1) if end else (0, 0)
        check_shape(height, width)
        rows = sheet.iter_rows()  # from row 1; columns from the first used one (`start`)
        head = []
        for row in rows:
            head.append(_padded(row, start[1], width))
            if len(head) >= HEADER_SCAN_ROWS:
                break
        texts = [[cell_text(c) for c in row] for row in head]
        index = find_header(texts)
        if index is not None:
            return chosen, sheet, rows, head, texts, index, height, width
    raise SheetProblem(f"前{HEADER_SCAN_ROWS}行中找不到表头行：请检查列名是否与模板一致")


def _schema(width: int, header: list[str], index: int, chosen: str) -> pa.Schema:
    return pa.schema(
        [pa.field(f"c{i}", pa.string()) for i in range(width)],
        metadata={"header": json.dumps(header), "header_row": str(index + 1), "sheet": chosen},
    )


def read_sheet(path: str, find_header, sheet_names: tuple[str, ...], out: Path, progress=None) -> None:
    """Write the chosen sheet's text below its header row to `out` (Arrow IPC, header in the metadata)."""
    try:
        if _read_arrow(path, find_header, sheet_names, out, progress):
            return
    except xlsx_arrow.Declined:
        pass
    _read_calamine(path, find_header, sheet_names, out, progress)


def _read_arrow(path: str, find_header, sheet_names: tuple[str, ...], out: Path, progress) -> bool:
    """An .xlsx through `xlsx_arrow` (fastexcel's typed columns); False (or Declined) leaves it to calamine."""
    from python_calamine import CalamineWorkbook

    head = xlsx_arrow.head_workbook(path)
    try:
        workbook = CalamineWorkbook.from_filelike(head)
    except Exception:  # calamine's own error types: the calamine path names them
        return False
    try:
        chosen, _, _, _, texts, index, _, head_width = _find_sheet(workbook, find_header, sheet_names)
    except SheetProblem:  # the calamine path says it, in its words
        return False
    height, width, columns = xlsx_arrow.read_rows(path, chosen, index + 1)
    if width < head_width:
        return False
    try:
        check_shape(height, width)
    except SheetProblem:
        return False
    # The data rows among the first rows: fastexcel's text is calamine's.
    for row, cells in enumerate(texts[index + 1 :]):
        padded = cells + [""] * (width - len(cells))
        if [column[row].as_py() for column in columns] != padded:
            return False
    header = texts[index] + [""] * (width - len(texts[index]))
    table = pa.table(columns, schema=_schema(width, header, index, chosen))
    with pa.OSFile(str(out), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=BLOCK_ROWS)
    if progress is not None:
        progress(height, height)
    return True


def _read_calamine(path: str, find_header, sheet_names: tuple[str, ...], out: Path, progress) -> None:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(path)
    except Exception as error:  # calamine raises its own error types per format
        raise SheetProblem(f"无法读取 Excel 文件：{error}") from error
    chosen, sheet, rows, head, texts, index, height, width = _find_sheet(workbook, find_header, sheet_names)
    schema = _schema(width, texts[index], index, chosen)
    start = sheet.start or (0, 0)
    done = 0
    with pa.OSFile(str(out), "wb") as sink, pa.ipc.new_file(sink, schema) as writer:

        def write(block: list[list]) -> None:
            columns = [text_column(col) for col in zip(*block, strict=True)]
            writer.write_batch(pa.record_batch(columns, schema=schema))

        block = head[index + 1 :]
        for row in rows:
            block.append(_padded(row, start[1], width))
            if len(block) >= BLOCK_ROWS:
                write(block)
                done += len(block)
                block = []
                if progress is not None:
                    progress(index + 1 + done, height)
        if block:
            write(block)


def child_main(folder: str) -> None:
    """The child process: apply the memory limit, read the sheet, leave a table or a problem in `folder`."""
    import python_calamine  # noqa: F401  (the readers load while the parent checks the zip)

    with contextlib.suppress(ImportError):  # without fastexcel, every sheet goes through calamine
        import fastexcel  # noqa: F401

    if not sys.stdin.readline():  # the parent refused the workbook, or ended, before it was written
        return
    out = Path(folder)
    with (out / REQUEST_FILE).open("rb") as request:
        # Written by the parent a moment ago for this child only (a partial of find_header_row).
        path, find_header, sheet_names, memory_mb, limits = pickle.load(request)  # noqa: S301
    for name, value in limits.items():  # the parent's limits, as it had them
        setattr(settings, name, value)
    if memory_mb and sys.platform != "win32":
        import resource

        limit = memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def progress(done: int, total: int) -> None:
        (out / PROGRESS_FILE).write_text(f"{done} {total}", encoding="ascii")

    use_retaining_pool()
    try:
        read_sheet(path, find_header, sheet_names, out / TABLE_FILE, progress)
    except SheetProblem as problem:
        (out / PROBLEM_FILE).write_text(str(problem), encoding="utf-8")
    except MemoryError:
        (out / CRASH_FILE).write_text(MEMORY_MARK, encoding="utf-8")
    except BaseException as error:  # a reader's panic (pyo3 PanicException is a BaseException)
        (out / CRASH_FILE).write_text(f"{type(error).__name__}: {error}"[:2000], encoding="utf-8")


if __name__ == "__main__":
    child_main(sys.argv[1])
