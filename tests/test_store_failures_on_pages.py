"""Every failure is a message: a damaged file, a lock held too long, a read-only folder, a full disk, an
unreachable database server and hostile links end as Chinese text on the page (or in the import's
result), never a traceback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics import settings, store
from analytics.importing import import_file
from tests.apptest_support import run_page, session_cookie
from tests.import_support import ACCIDENT_HEADER, accident, csv_bytes, snapshot
from ui.auth import COOKIE_STATE

PAGES = sorted(
    str(p.relative_to(Path(__file__).parents[1])) for p in (Path(__file__).parents[1] / "pages").glob("*.py")
)


def errors_on(page: str, query: dict | None = None, cookie: str | None = None) -> list[str]:
    app = AppTest.from_file("../dashboard.py", default_timeout=60)
    if cookie:
        app.session_state[COOKIE_STATE] = cookie
    for name, value in (query or {}).items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    if page != "pages/overview.py":
        app.switch_page(page).run()
        assert not app.exception, [e.value for e in app.exception]
    return [str(e.value) for e in app.error]


@pytest.fixture
def damaged_db(tmp_path, monkeypatch):
    path = tmp_path / "damaged.duckdb"
    path.write_bytes(b"not a database at all " * 4096)
    monkeypatch.setenv("SAFETY_DB", str(path))
    return path


@pytest.mark.file_store
@pytest.mark.parametrize("page", PAGES)
def test_damaged_file_is_a_message_on_every_page(damaged_db, page):
    [message] = errors_on(page)
    assert "已损坏" in message and "备份" in message


@pytest.fixture
def locked_db(tmp_path, monkeypatch):
    """A database another process holds read-write until the test ends."""
    path = tmp_path / "locked.duckdb"
    store.ensure_schema(path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb,sys; c=duckdb.connect(sys.argv[1]); print('held', flush=True); sys.stdin.read()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    monkeypatch.setenv("SAFETY_DB", str(path))
    monkeypatch.setattr(settings, "LOCK_WAIT_SECONDS", 0.3)
    yield path
    holder.stdin.close()
    holder.wait()


@pytest.mark.file_store
@pytest.mark.parametrize("page", ["pages/overview.py", "pages/data_import.py", "pages/report.py"])
def test_lock_held_too_long_is_a_message(locked_db, page):
    [message] = errors_on(page)
    assert "占用" in message and "稍后再试" in message


def _mount_tmpfs(folder: Path, size: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    folder.mkdir()
    return (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=False
        ).returncode
        == 0
    )


@pytest.fixture
def small_disk(tmp_path):
    folder = tmp_path / "disk"
    if not _mount_tmpfs(folder, "3m"):
        pytest.skip("needs root to mount a small tmpfs")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.mark.file_store
def test_read_only_folder_still_serves_pages_and_import_says_why(small_disk, monkeypatch):
    db = small_disk / "ro.duckdb"
    store.ensure_schema(db)
    assert (
        import_file(csv_bytes([["县市区", "乡镇（街道）"], ["甲县", "城关镇"]]), file_name="r.csv", db=db)[
            "status"
        ]
        == "imported"
    )
    analyst = session_cookie(
        "analyst", db=db
    )  # 数据导入 asks for a login: the session exists before the disk turns read-only
    assert subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=False).returncode == 0
    monkeypatch.setenv("SAFETY_DB", str(db))
    assert errors_on("pages/overview.py") == []
    assert errors_on("pages/data_import.py", cookie=analyst) == []
    before = snapshot(db)
    with pytest.raises(store.StoreReadOnly, match="只读"):
        import_file(csv_bytes([ACCIDENT_HEADER, accident(1)]), file_name="a.csv", db=db)
    assert snapshot(db) == before


@pytest.mark.file_store
def test_disk_full_at_import_is_a_message_and_the_data_as_it_was(small_disk):
    db = small_disk / "full.duckdb"
    store.ensure_schema(db)
    regions = csv_bytes([["县市区", "乡镇（街道）"], ["甲县", "城关镇"]])
    assert import_file(regions, file_name="r.csv", db=db)["status"] == "imported"
    first = [ACCIDENT_HEADER] + [accident(i) for i in range(1, 50)]
    assert import_file(csv_bytes(first), file_name="a.csv", db=db)["status"] == "imported"
    before = snapshot(db)
    rows = [ACCIDENT_HEADER] + [accident(i) for i in range(1, 60000)]
    with pytest.raises(store.StoreFailure, match="磁盘空间已满"):
        import_file(csv_bytes(rows), file_name="big.csv", db=db, dataset="accidents")
    assert snapshot(db) == before


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # free once the socket closes: nothing listens there


@pytest.mark.server_store
@pytest.mark.parametrize("page", PAGES)
def test_unreachable_server_is_a_message_on_every_page(monkeypatch, page):
    monkeypatch.setenv("SAFETY_DB", f"postgresql://safety@127.0.0.1:{_closed_port()}/safety")
    [message] = errors_on(page)
    assert "无法连接数据库服务器 127.0.0.1" in message and "safety" in message


@pytest.fixture
def writer_waiting(empty_db, monkeypatch):
    """An analyst's session, then another process holds the server's writers' lock until the test ends."""
    from analytics.store.server import WRITE_LOCK_KEY

    regions = csv_bytes([["县市区", "乡镇（街道）"], ["甲县", "城关镇"]])
    # Some data, so that the app does not load the sample into it (a write) on its first page.
    assert import_file(regions, file_name="r.csv", db=empty_db)["status"] == "imported"
    analyst = session_cookie("analyst", db=empty_db)  # made first: signing in writes

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import psycopg,sys; c=psycopg.connect(sys.argv[1], autocommit=True); "
            "c.execute('SELECT pg_advisory_lock(%s)', [int(sys.argv[2])]); print('held', flush=True); "
            "sys.stdin.read()",
            str(empty_db),
            str(WRITE_LOCK_KEY),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    monkeypatch.setattr(settings, "LOCK_WAIT_SECONDS", 0.3)
    yield empty_db, analyst
    holder.stdin.close()
    holder.wait()


@pytest.mark.server_store
def test_an_import_in_progress_on_the_server_leaves_pages_readable_and_another_import_waits(writer_waiting):
    """Readers take no lock on the server: pages show while a writer works; a second writer is told to wait."""
    db, analyst = writer_waiting
    assert errors_on("pages/overview.py") == []
    assert errors_on("pages/data_import.py", cookie=analyst) == []
    before = snapshot(db)
    with pytest.raises(store.StoreBusy, match="正被另一个导入占用.*请稍后再试"):
        import_file(csv_bytes([ACCIDENT_HEADER, accident(1)]), file_name="a.csv", db=db)
    assert snapshot(db) == before


HOSTILE_LINKS = {"meeting": "1", "cycle": "²", "year": "9" * 5000, "months": "²-3", "county": "\x00" * 300}


@pytest.mark.parametrize("cycle", ["²", "9" * 5000, "-5", "1e9", "٣"])
def test_hostile_cycle_does_not_crash(empty_db, cycle):
    run_page("pages/overview.py", {"meeting": "1", "cycle": cycle})


@pytest.mark.parametrize("page", PAGES)
def test_hostile_links_do_not_crash_any_page(empty_db, page):
    run_page(page, HOSTILE_LINKS, role="admin" if page.startswith("pages/admin") else None)
