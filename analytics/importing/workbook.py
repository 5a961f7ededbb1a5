"""Bounded workbook reading: check what a workbook declares and inflates to, then parse it in a child process.

Before any parser sees an `.xlsx` (or another zip-based workbook such as `.ods`), `inspect`
reads the zip's directory and streams every sheet's XML once: each member's uncompressed
size and compression ratio, the total inflated size, the sheet's declared `<dimension>` and
the rows and columns its cells actually use, all against the limits in `analytics.settings`.
Parts are inflated for real, with their sizes counted as they stream; a directory that
understates a part's size fails the part's CRC check and is refused as damaged.

The workbook is parsed in a child process (`analytics.importing.excel.child_main`) with an address-space
limit (`resource.RLIMIT_AS`, Linux and macOS; Windows has no such limit, so there only the
time limit and the checks above apply) and a time limit. A reader's panic (calamine aborts
on some hostile sheets), a memory blow-up or a hang ends that child only; the parent turns it
into a Chinese message naming the limit. The child hands back Arrow text columns in a file.

Where the child's memory is bounded (not on Windows), it parses while the parent runs `inspect`,
on another core: what a hostile workbook can do to the child there is what the limits allow
anyway. When `inspect` refuses the workbook, the child is killed and inspect's message is the
answer, whatever the child had reached, so the messages are the same as when inspect runs first.
On Windows `inspect` runs first and the child is told to parse only when it has passed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import pickle
import re
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

from analytics import settings
from analytics.importing import excel

log = logging.getLogger(__name__)

INFLATE_CHUNK = 1 << 20
HEAD_BYTES = 1 << 16  # where <dimension> sits, near the top of a sheet's XML
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([^\"]{1,40})\"")
_LAST_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
# Literal prefixes keep the scan of a 500 MB sheet to about a second; a sheet written with other
# attribute orders passes here and meets the same limits in the child, on what the reader found.
_ROW_REF = re.compile(rb'row r="([0-9]{1,12})"')
# Cell references of two or more letters (AA and beyond): honest ledgers have few or none.
_WIDE_REF = re.compile(rb' r="([A-Z]{2,3})[0-9]')
_MB = 1 << 20


class WorkbookRejected(Exception):
    """A workbook refused before or during parsing; the message is Chinese and names the limit."""


def column_number(letters: str) -> int:
    """A1-style column letters to a 1-based number (A = 1, XFD = 16384)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _shape_problem(rows: int, columns: int, what: str) -> None:
    try:
        excel.check_shape(rows, columns)
    except excel.SheetProblem as problem:
        raise WorkbookRejected(f"{what}{problem}") from None


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def inspect(data: bytes) -> None:
    """Refuse a zip-based workbook whose parts, sizes or sheet shapes exceed the settings' limits."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise WorkbookRejected(f"无法读取 Excel 文件：文件已损坏或不是 Excel 文件（{error}）") from error
    if len(members) > settings.MAX_WORKBOOK_PARTS:
        raise WorkbookRejected(
            f"工作簿由 {len(members):,} 个部件组成，超过上限 {settings.MAX_WORKBOOK_PARTS:,} 个：文件不像正常的 Excel 文件"
        )
    budget = settings.MAX_INFLATED_MB * _MB
    declared = sum(m.file_size for m in members)
    if declared > budget:
        raise WorkbookRejected(_inflated_message(declared))
    total = 0
    for member in members:
        if member.is_dir():
            continue
        sheet = _is_sheet(member.filename)
        total += _inflate(archive, member, budget - total, sheet)


def _is_sheet(name: str) -> bool:
    return (name.startswith("xl/worksheets/") and name.endswith(".xml")) or name == "content.xml"


def _inflated_message(size: int) -> str:
    return (
        f"工作簿解压后超过 {settings.MAX_INFLATED_MB:,} MB（上限），不像正常的台账文件"
        f"（已解压 {size / _MB:,.0f} MB）：请检查文件，或另存为 CSV 后再导入"
    )


def _ratio_message(name: str, ratio: float) -> str:
    return (
        f"工作簿部件“{name}”的压缩比为 {ratio:,.0f}:1，超过上限 {settings.MAX_COMPRESSION_RATIO}:1，"
        "像是“压缩炸弹”：请检查文件，或另存为 CSV 后再导入"
    )


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int, sheet: bool) -> int:
    """Stream one member, counting inflated bytes; for a sheet, check its dimension and used area."""
    if member.compress_size and member.file_size > settings.RATIO_CHECK_MB * _MB:
        ratio = member.file_size / member.compress_size
        if ratio > settings.MAX_COMPRESSION_RATIO:
            raise WorkbookRejected(_ratio_message(member.filename, ratio))
    size, head, tail = 0, b"", b""
    max_row, max_column = 0, 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(INFLATE_CHUNK):
                size += len(chunk)
                if size > budget:
                    raise WorkbookRejected(_inflated_message(size))
                if size > settings.RATIO_CHECK_MB * _MB and member.compress_size:
                    ratio = size / member.compress_size
                    if ratio > settings.MAX_COMPRESSION_RATIO:
                        raise WorkbookRejected(_ratio_message(member.filename, ratio))
                if not sheet:
                    continue
                if len(head) < HEAD_BYTES:
                    head += chunk[: HEAD_BYTES - len(head)]
                    _check_dimension(head, member.filename)
                window = tail + chunk
                rows = _ROW_REF.findall(window)
                if rows:
                    max_row = max(max_row, max(map(int, rows)))
                wide = _WIDE_REF.findall(window)
                if wide:
                    max_column = max(max_column, max(map(column_number, map(bytes.decode, wide))))
                tail = window[-256:]
                _shape_problem(max_row, max(max_column, 1), _where(member.filename))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as error:
        raise WorkbookRejected(f"无法读取 Excel 文件：文件已损坏（{member.filename}：{error}）") from error
    return size


def _where(name: str) -> str:
    return f"工作表（{Path(name).stem}）："


def _check_dimension(head: bytes, name: str) -> None:
    found = _DIMENSION.search(head)
    if not found:
        return
    ref = found.group(1).decode("ascii", errors="replace")
    last = _LAST_CELL.search(ref.split(":")[-1])
    if last:
        _shape_problem(int(last.group(2)), column_number(last.group(1)), f"{_where(name)}声明的范围 {ref}：")


Progress = Callable[[str, int, int], None]


# The child loads the reader's modules only: not this package's __init__ (the import pipeline, DuckDB,
# the accounts), and not pandas, which pyarrow would load on its first `pa.array` of Python values
# (a tenth of a second) though nothing in the child uses it.
_CHILD_START = """\
import sys, types
class NoPandas:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "pandas":
            raise ImportError("the reader does without pandas")
sys.meta_path.insert(0, NoPandas())
package = types.ModuleType("analytics.importing")
package.__path__ = [sys.argv[2]]
sys.modules["analytics.importing"] = package
from analytics.importing.excel import child_main
child_main(sys.argv[1])
"""


def child_is_bounded() -> bool:
    """Whether the reader's child has an address-space limit, so it may parse before `inspect` has passed."""
    return sys.platform != "win32" and bool(settings.READER_MEMORY_MB)


def _child_command(folder: str) -> list[str]:
    return [sys.executable, "-c", _CHILD_START, folder, str(Path(__file__).resolve().parent)]


def read_bounded(
    data: bytes, find_header, sheet_names: tuple[str, ...], progress: Progress | None = None
) -> tuple[list[str], int, str, list[pa.Array]]:
    """(header, header row, sheet, text columns) of a workbook, parsed in a limited child process.

    `find_header` must be picklable (a module-level function or a functools.partial of one).
    A plain subprocess, not multiprocessing: it needs nothing of the parent's main module
    (Streamlit's, pytest's) and never forks the threaded server.
    """
    with tempfile.TemporaryDirectory(prefix="safety-read-") as folder:
        here = Path(folder)
        with (here / "stderr.txt").open("wb") as errors:
            # Started first, so its interpreter and modules load while this process writes the workbook
            # (and checks the zip, where the child is not bounded); it reads nothing until told, on its
            # stdin, that the workbook and the request are there.
            child = subprocess.Popen(
                _child_command(folder),
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                env=settings.child_environment(),
                cwd=str(settings.PROJECT_ROOT),
            )
            try:
                beside = is_zip(data) and child_is_bounded()  # the zip checked while the child parses
                if is_zip(data) and not beside:
                    inspect(data)
                source = here / "workbook"
                source.write_bytes(data)
                with (here / excel.REQUEST_FILE).open("wb") as request:
                    limits = {name: getattr(settings, name) for name in excel.LIMITS}
                    pickle.dump(
                        (str(source), find_header, sheet_names, settings.READER_MEMORY_MB, limits), request
                    )
                _go(child)
                if beside:
                    inspect(data)  # a refusal is the answer: the child is killed below, whatever it reached
                _wait(child, here, progress)
            finally:
                if child.poll() is None:
                    child.kill()
                    child.wait()
                with contextlib.suppress(OSError):  # a go not taken up: the pipe is broken
                    child.stdin.close()
        return _collect(here, child.returncode)


def _go(child: subprocess.Popen) -> None:
    try:
        child.stdin.write(b"go\n")
        child.stdin.close()
    except OSError:  # BrokenPipeError: the child has ended already; _wait and _collect say how
        pass


def _wait(child: subprocess.Popen, folder: Path, progress: Progress | None) -> None:
    deadline = time.monotonic() + settings.READER_TIME_SECONDS
    while True:
        try:
            child.wait(timeout=0.2)
            return
        except subprocess.TimeoutExpired:
            pass
        if progress is not None:
            try:
                done, total = map(int, (folder / excel.PROGRESS_FILE).read_text(encoding="ascii").split())
                progress("read", done, total)
            except (OSError, ValueError):
                pass  # not written yet, or half-written this moment
        if time.monotonic() > deadline:
            raise WorkbookRejected(
                f"读取工作簿超过时间上限 {settings.READER_TIME_SECONDS:g} 秒，已停止：文件可能过大或已损坏，"
                "请拆分或另存为 CSV 后再导入"
            )


def _collect(folder: Path, exitcode: int | None) -> tuple[list[str], int, str, list[pa.Array]]:
    problem = folder / excel.PROBLEM_FILE
    crash = folder / excel.CRASH_FILE
    table = folder / excel.TABLE_FILE
    if problem.exists():
        raise WorkbookRejected(problem.read_text(encoding="utf-8"))
    if crash.exists() or exitcode != 0 or not table.exists():
        detail = crash.read_text(encoding="utf-8") if crash.exists() else f"exit code {exitcode}"
        stderr = (folder / "stderr.txt").read_text(encoding="utf-8", errors="replace")[-4000:]
        log.warning("workbook reader failed: %s\n%s", detail, stderr)
        if detail == excel.MEMORY_MARK:
            raise WorkbookRejected(
                f"读取工作簿所需内存超过上限 {settings.READER_MEMORY_MB:,} MB，已停止：请拆分或另存为 CSV 后再导入"
            )
        limit = (
            "" if sys.platform == "win32" else f"，或读取所需内存超过上限 {settings.READER_MEMORY_MB:,} MB"
        )
        raise WorkbookRejected(
            f"读取工作簿时读取程序异常退出（文件已损坏或含有读取程序无法处理的内容{limit}），已停止：服务未受影响。"
            "请用 Excel 打开检查后另存，或另存为 CSV 后再导入"
        )
    with pa.OSFile(str(table), "rb") as source:  # read into memory: the folder is removed next
        loaded = pa.ipc.open_file(source).read_all()
    columns = [column.combine_chunks() for column in loaded.columns]
    metadata = {k.decode(): v.decode() for k, v in (loaded.schema.metadata or {}).items()}
    return json.loads(metadata["header"]), int(metadata["header_row"]), metadata["sheet"], columns
