"""Bounded workbook reading: hostile workbooks are refused with a message naming the limit, and the
reader's crash, blow-up or hang ends only its child process (this test process lives on)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile

import pytest
import xlsxwriter

from analytics import settings
from analytics.importing import import_file, workbook
from tests.import_support import ACCIDENT_HEADER, PARTS, REGIONS, accident, snapshot, write_csv, write_xlsx
from tests.stores import new_db

SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def _cell(ref: str, text: str = "x") -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def hand_made_xlsx(path, rows_xml, dimension: str | None = None, level: int = 6):
    """A minimal workbook whose sheet XML is `rows_xml` (a string or an iterator of strings, streamed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            head = f'<dimension ref="{dimension}"/>' if dimension else ""
            sheet.write(SHEET_HEAD.format(dimension=head).encode())
            for piece in [rows_xml] if isinstance(rows_xml, str) else rows_xml:
                sheet.write(piece.encode())
            sheet.write(SHEET_TAIL.encode())
    return path


def only_cell_at_xfd(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "xfd.xlsx"))
    book.add_worksheet().write(1048575, 16383, "x")
    book.close()
    return tmp_path / "xfd.xlsx"


def xfd_without_dimension(tmp_path):
    return hand_made_xlsx(tmp_path / "nodim.xlsx", f'<row r="1048576">{_cell("XFD1048576")}</row>')


def rows_beyond_excel(tmp_path):
    return hand_made_xlsx(tmp_path / "rows.xlsx", f'<row r="1">{_cell("A1")}</row>', dimension="A1:B1048577")


def too_many_cells(tmp_path):
    return hand_made_xlsx(
        tmp_path / "cells.xlsx", f'<row r="1">{_cell("A1")}</row>', dimension="A1:AZ1048576"
    )


def _repeated_rows(total_bytes: int):
    block = ('<row r="2">' + _cell("A2", "x" * 40) + "</row>") * 20000
    for _ in range(total_bytes // len(block) + 1):
        yield block


def ratio_bomb(tmp_path):
    # 64 MB of sheet XML in well under 1 MB: within the size limit, far beyond the compression ratio.
    return hand_made_xlsx(tmp_path / "ratio.xlsx", _repeated_rows(64 << 20), dimension="A1:A2")


@pytest.fixture(scope="module")
def size_bomb(tmp_path_factory):
    # Sheet XML inflating to beyond MAX_INFLATED_MB (GBs), streamed into the zip: the file stays small.
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    return hand_made_xlsx(path, _repeated_rows((settings.MAX_INFLATED_MB + 256) << 20), "A1:A2", level=1)


HOSTILE = [
    (only_cell_at_xfd, f"超过上限 {settings.MAX_SHEET_COLUMNS:,} 列"),
    (xfd_without_dimension, f"超过上限 {settings.MAX_SHEET_COLUMNS:,} 列"),
    (rows_beyond_excel, f"超过上限 {settings.MAX_SHEET_ROWS:,} 行"),
    (too_many_cells, f"超过单元格上限 {settings.MAX_SHEET_CELLS:,} 个"),
    (ratio_bomb, f"超过上限 {settings.MAX_COMPRESSION_RATIO}:1"),
]


def _peak_rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        fields = dict(line.split(":", 1) for line in status)
    return int(fields["VmHWM"].split()[0]) / 1024


def _only_error(result) -> str:
    assert result["status"] == "rejected"
    assert len(result["errors"]) == 1 and result["errors"][0]["row"] is None
    return result["errors"][0]["message"]


@pytest.mark.parametrize(("build", "limit"), HOSTILE, ids=[b.__name__ for b, _ in HOSTILE])
def test_hostile_workbook_is_refused_naming_the_limit(empty_db, tmp_path, build, limit):
    before = snapshot(empty_db)
    message = _only_error(import_file(build(tmp_path), db=empty_db))
    assert limit in message
    assert snapshot(empty_db) == before


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for the peak memory")
def test_zip_bomb_of_gigabytes_is_refused_with_parent_memory_bounded(empty_db, size_bomb):
    assert size_bomb.stat().st_size < 64 << 20
    with zipfile.ZipFile(size_bomb) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > settings.MAX_INFLATED_MB << 20
    peak = _peak_rss_mb()
    message = _only_error(import_file(size_bomb, db=empty_db))
    assert f"超过 {settings.MAX_INFLATED_MB:,} MB（上限）" in message
    assert _peak_rss_mb() - peak < 256


def _ledger(tmp_path):
    return write_xlsx(tmp_path / "ledger.xlsx", [ACCIDENT_HEADER, accident(1), accident(2)])


def test_past_the_checks_the_cell_at_xfd1048576_is_read_without_a_crash(empty_db, tmp_path, monkeypatch):
    # The limits the parent holds reach the child: raised, the sheet reaches the reader, which reads
    # it row by row (its whole-sheet call panics on this cell) and finds no header in the empty rows.
    for name in ("MAX_SHEET_COLUMNS", "MAX_SHEET_ROWS", "MAX_SHEET_CELLS"):
        monkeypatch.setattr(settings, name, 1 << 40)
    assert "找不到表头行" in _only_error(import_file(only_cell_at_xfd(tmp_path), db=empty_db))
    assert import_file(_ledger(tmp_path), dry_run=True, db=empty_db)["status"] == "imported"


def test_malformed_sheet_xml_is_a_message(empty_db, tmp_path):
    path = hand_made_xlsx(tmp_path / "broken.xlsx", '<row r="1"><c r="A1" t="inlineStr"><is><t>x</row>')
    assert "无法读取 Excel 文件" in _only_error(import_file(path, db=empty_db))


@pytest.mark.skipif(sys.platform == "win32", reason="no address-space limit on Windows")
def test_memory_blow_up_is_stopped_at_the_child_limit(empty_db, tmp_path, monkeypatch):
    # A sheet with cells at A1 and GR300000 makes the reader hold 60M cells (about 2 GB) at once.
    path = hand_made_xlsx(
        tmp_path / "wide.xlsx", f'<row r="1">{_cell("A1")}</row><row r="300000">{_cell("GR300000")}</row>'
    )
    monkeypatch.setattr(settings, "MAX_SHEET_CELLS", 1 << 40)
    monkeypatch.setattr(settings, "READER_MEMORY_MB", 1800)
    peak = _peak_rss_mb() if sys.platform.startswith("linux") else 0
    message = _only_error(import_file(path, db=empty_db))
    assert "内存超过上限 1,800 MB" in message
    if sys.platform.startswith("linux"):
        assert _peak_rss_mb() - peak < 256


@pytest.mark.parametrize(
    ("command", "limit_setting", "expected"),
    [
        ("import time; time.sleep(600)", ("READER_TIME_SECONDS", 0.5), "超过时间上限 0.5 秒"),
        ("import os; os.abort()", None, "读取程序异常退出"),
        ("import os; os.kill(os.getpid(), 9)", None, "读取程序异常退出"),
    ],
    ids=["hang", "abort", "killed"],
)
def test_child_that_hangs_or_dies_is_a_message(
    empty_db, tmp_path, monkeypatch, command, limit_setting, expected
):
    children = []

    def child_command(folder):
        children.append(folder)
        return [sys.executable, "-c", command]

    monkeypatch.setattr(workbook, "_child_command", child_command)
    if limit_setting:
        monkeypatch.setattr(settings, *limit_setting)
    message = _only_error(import_file(_ledger(tmp_path), db=empty_db))
    assert expected in message
    assert children and not os.path.exists(children[0])  # its folder is cleaned up, the child gone


@pytest.mark.parametrize("bounded", [False, True], ids=["unbounded", "bounded"])
def test_the_child_is_told_to_read_after_the_zip_check_unless_bounded(
    empty_db, tmp_path, monkeypatch, bounded
):
    # The child starts before the check (its modules load meanwhile); what it hears on its stdin is kept.
    # Without an address-space limit (Windows) it hears "go" only once the check has passed; with one it
    # is told at once and parses during the check, whose refusal is the answer all the same.
    heard = tmp_path / "heard.txt"
    listen = f"import sys; open({str(heard)!r}, 'a').write(repr(sys.stdin.readline()))"
    monkeypatch.setattr(workbook, "_child_command", lambda folder: [sys.executable, "-c", listen])
    monkeypatch.setattr(workbook, "child_is_bounded", lambda: bounded)
    steps = []

    def noting(name):
        step = getattr(workbook, name)
        return lambda *args: steps.append(name) or step(*args)

    for name in ("inspect", "_go"):
        monkeypatch.setattr(workbook, name, noting(name))
    assert f"超过上限 {settings.MAX_SHEET_ROWS:,} 行" in _only_error(
        import_file(rows_beyond_excel(tmp_path), db=empty_db)
    )
    assert steps == (["_go", "inspect"] if bounded else ["inspect"])
    if not bounded:  # killed, or the pipe closed: never told to read
        assert not heard.exists() or heard.read_text() == "''"
    heard.unlink(missing_ok=True)
    steps.clear()
    assert "读取程序异常退出" in _only_error(import_file(_ledger(tmp_path), db=empty_db))  # it left no table
    assert heard.read_text() == repr("go\n")
    assert steps == (["_go", "inspect"] if bounded else ["inspect", "_go"])


def test_the_check_refusal_wins_over_what_a_bounded_child_found(empty_db, tmp_path, monkeypatch):
    # A child that fails at once (its own message) while the zip is checked: the check's message is the answer.
    monkeypatch.setattr(workbook, "child_is_bounded", lambda: True)
    monkeypatch.setattr(
        workbook, "_child_command", lambda folder: [sys.executable, "-c", "import os; os.abort()"]
    )
    before = snapshot(empty_db)
    message = _only_error(import_file(ratio_bomb(tmp_path), db=empty_db))
    assert f"超过上限 {settings.MAX_COMPRESSION_RATIO}:1" in message
    assert snapshot(empty_db) == before


def test_progress_is_told_each_stage_in_order(empty_db, tmp_path):
    write_csv(tmp_path / "regions.csv", [["县市区", "乡镇（街道）", "市"], *REGIONS])
    assert import_file(tmp_path / "regions.csv", db=empty_db)["status"] == "imported"
    for path in (write_csv(tmp_path / "a.csv", [ACCIDENT_HEADER, accident(1)]), _ledger(tmp_path)):
        heard = []
        result = import_file(path, db=empty_db, progress=lambda *told, heard=heard: heard.append(told))
        assert result["status"] == "imported"
        stages = [stage for stage, _, _ in heard]
        assert stages[0] == "read" and stages[-1] == "write"
        assert [s for i, s in enumerate(stages) if i == 0 or stages[i - 1] != s] == [
            "read",
            "validate",
            "write",
        ]
        assert heard[-1] == ("write", 1, 1)


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def office_copies(tmp_path_factory):
    """The same ledger saved by LibreOffice as .xls (Excel 97) and .ods."""
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("office")
    source = write_xlsx(folder / "ledger.xlsx", [["某县事故台账"], ACCIDENT_HEADER, accident(1), accident(2)])
    copies = {}
    for suffix in ("xls", "ods"):
        done = subprocess.run(
            [
                SOFFICE,
                "--headless",
                f"-env:UserInstallation=file://{folder}/profile",
                "--convert-to",
                suffix,
                "--outdir",
                str(folder),
                str(source),
            ],
            capture_output=True,
            timeout=180,
            check=False,
            env={**os.environ, "HOME": str(folder)},
        )
        target = folder / f"ledger.{suffix}"
        if done.returncode != 0 or not target.exists():
            pytest.skip(f"LibreOffice could not write .{suffix}: {done.stderr[-300:]!r}")
        copies[suffix] = target
    copies["xlsx"] = source
    return copies


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_xls_and_ods_import_like_the_xlsx(tmp_path, office_copies, suffix):
    results = {}
    for kind in ("xlsx", suffix):
        db = new_db(tmp_path, kind)
        result = import_file(office_copies[kind], db=db)
        assert result["status"] == "imported", result["errors"]
        assert result["header_row"] == 2 and result["rows_inserted"] == 2
        results[kind] = snapshot(db)["accidents"]
    assert results[suffix] == results["xlsx"]
