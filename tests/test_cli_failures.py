"""Every failure of the store is a Chinese message in the command line (exit 1), never a traceback;
the details go to the log, and a write that fails half-way leaves the data as it was."""

from __future__ import annotations

import errno
import subprocess
import sys

import duckdb
import pytest

import analytics.importing as importing
from analytics import settings, store
from analytics.cli.main import main
from analytics.importing import import_file, list_batches
from tests.import_support import ACCIDENT_HEADER, accident, csv_bytes, snapshot, write_csv

DISK_FULL = 'IO Error: Could not write file "x.duckdb.wal": No space left on device'


@pytest.fixture
def log_file(tmp_path, monkeypatch):
    path = tmp_path / "analytics.log"
    monkeypatch.setenv(settings.LOG_ENV, str(path))
    return path


@pytest.fixture
def loaded_db(empty_db):
    assert import_file(csv_bytes([ACCIDENT_HEADER, accident(1)]), file_name="a.csv", db=empty_db)["batch_id"]
    return empty_db


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


def _failing_after(real, error):
    """`real` does its work inside the transaction, then the disk fills up: DuckDB ends the
    transaction itself and raises, as it does on a real full disk (a later ROLLBACK then finds none)."""

    def step(con, *args, **kwargs):
        real(con, *args, **kwargs)
        con.execute("ROLLBACK")
        raise error

    return step


@pytest.mark.file_store
@pytest.mark.parametrize("step", ["write", "undo"])
def test_a_write_failing_half_way_rolls_back_and_says_so(
    loaded_db, tmp_path, log_file, monkeypatch, capsys, step
):
    file = write_csv(tmp_path / "b.csv", [ACCIDENT_HEADER, accident(2), accident(3)])
    before = snapshot(loaded_db)
    monkeypatch.setattr(
        importing, step, _failing_after(getattr(importing, step), duckdb.IOException(DISK_FULL))
    )
    if step == "write":
        status, _, err = run(capsys, "import", str(file), "--db", str(loaded_db))
    else:
        status, _, err = run(capsys, "undo", "1", "--db", str(loaded_db))
    assert status == 1
    assert "磁盘空间已满" in err and "没有写入任何数据" in err and str(log_file) in err
    assert snapshot(loaded_db) == before
    assert "No space left on device" in log_file.read_text(encoding="utf-8")
    monkeypatch.undo()
    assert import_file(file, db=loaded_db)["status"] == "imported"  # the store still works afterwards


@pytest.mark.file_store
def test_import_file_raises_the_chinese_failure_with_duckdbs_error_as_cause(loaded_db, monkeypatch):
    monkeypatch.setattr(importing, "write", _failing_after(importing.write, duckdb.IOException(DISK_FULL)))
    before = snapshot(loaded_db)
    with pytest.raises(store.StoreFailure, match="磁盘空间已满") as caught:
        import_file(csv_bytes([ACCIDENT_HEADER, accident(5)]), file_name="c.csv", db=loaded_db)
    assert isinstance(caught.value.__cause__, duckdb.IOException)
    assert snapshot(loaded_db) == before


@pytest.mark.file_store
def test_a_corrupted_database_file_is_named(tmp_path, log_file, capsys):
    db = tmp_path / "broken.duckdb"
    db.write_bytes(b"\x00not a database\xff" * 4096)
    for argv in (["status"], ["import", str(write_csv(tmp_path / "a.csv", [ACCIDENT_HEADER, accident(1)]))]):
        status, _, err = run(capsys, *argv, "--db", str(db))
        assert status == 1
        assert "已损坏" in err and "从备份恢复" in err
    assert "not a valid DuckDB database" in log_file.read_text(encoding="utf-8")


@pytest.mark.file_store
def test_a_damaged_block_is_named(tmp_path, log_file, capsys):
    db = tmp_path / "damaged.duckdb"
    import_file(csv_bytes([ACCIDENT_HEADER, accident(1)]), file_name="a.csv", db=db)
    data = bytearray(db.read_bytes())
    data[12288 : 12288 + 4096] = bytes(range(256)) * 16
    db.write_bytes(bytes(data))
    status, _, err = run(capsys, "status", "--db", str(db))
    assert status == 1 and "已损坏" in err


@pytest.mark.file_store
def test_a_read_only_database_is_named(loaded_db, tmp_path, log_file, monkeypatch, capsys):
    # Tests run as root, whom chmod does not stop: DuckDB's own error for a read-only file stands in.
    real = duckdb.connect

    def connect(path, read_only=False, **kwargs):
        if not read_only:
            raise duckdb.IOException(f'IO Error: Cannot open file "{path}": Permission denied')
        return real(path, read_only=read_only, **kwargs)

    monkeypatch.setattr(store.duckdb, "connect", connect)
    file = write_csv(tmp_path / "b.csv", [ACCIDENT_HEADER, accident(2)])
    before = snapshot(loaded_db)
    status, _, err = run(capsys, "import", str(file), "--db", str(loaded_db))
    assert status == 1 and "只读" in err and "写入权限" in err
    assert snapshot(loaded_db) == before
    status, out, _ = run(capsys, "status", "--db", str(loaded_db))
    assert status == 0 and "accidents" in out  # reading still works


@pytest.mark.file_store
def test_a_lock_held_longer_than_the_wait_is_named(loaded_db, tmp_path, log_file, monkeypatch, capsys):
    monkeypatch.setattr(settings, "LOCK_WAIT_SECONDS", 0.3)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys; c = duckdb.connect({str(loaded_db)!r}); print(1, flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "1"
        file = write_csv(tmp_path / "b.csv", [ACCIDENT_HEADER, accident(2)])
        status, _, err = run(capsys, "import", str(file), "--db", str(loaded_db), "--json")
        assert status == 1 and "占用" in err and "0.3 秒" in err
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert [b["batch_id"] for b in list_batches(loaded_db)] == [1]


def test_an_unexpected_error_is_a_message_and_the_log_keeps_the_traceback(
    loaded_db, log_file, monkeypatch, capsys
):
    from analytics.cli import main as cli_main

    def broken(args):
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setitem(cli_main.HANDLERS, "status", broken)
    status, _, err = run(capsys, "status", "--db", str(loaded_db))
    assert status == 1 and "命令意外中止（RuntimeError）" in err and str(log_file) in err
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged and "something nobody foresaw" in logged


@pytest.mark.file_store
def test_a_folder_that_cannot_be_made_is_named(tmp_path, log_file, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    status, _, err = run(capsys, "init", "--db", str(blocker / "sub" / "x.duckdb"))
    assert status == 1 and "无法创建数据库所在的文件夹" in err and "不是文件夹" in err


def test_a_file_the_system_refuses_is_named(loaded_db, log_file, monkeypatch, capsys):
    from analytics.cli import main as cli_main

    def refused(args):
        raise PermissionError(errno.EACCES, "Permission denied", "/srv/out.docx")

    monkeypatch.setitem(cli_main.HANDLERS, "status", refused)
    status, _, err = run(capsys, "status", "--db", str(loaded_db))
    assert status == 1 and "无法读写文件（/srv/out.docx）：没有写入权限" in err
