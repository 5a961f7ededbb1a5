"""Backups: a consistent snapshot while the dashboard reads and an import writes, restored exactly;
a truncated, altered or foreign file is refused in Chinese and the database stays as it was."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile

import pytest

from analytics import settings, store
from analytics.cli.main import main
from analytics.importing import import_file
from analytics.store.backup import NAME_PATTERN, list_backups, prune_backups
from tests.import_support import ACCIDENT_HEADER, accident, csv_bytes

ROOT = settings.PROJECT_ROOT
IMPORTED_ROWS = 3000

# Backups are zipped copies of the DuckDB file: on PostgreSQL the server's own tools (pg_dump) do it.
pytestmark = pytest.mark.file_store


def cli(db, *argv, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, settings.DB_ENV: str(db), settings.LOG_ENV: str(db.parent / "log")}
    return subprocess.run(
        [sys.executable, "-m", "analytics", *argv],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def figures(capsys, db) -> dict:
    """What a reader sees: `status` and the figures of the leader and supervision subcommands."""
    seen = {}
    for command in ("status", "indicators", "ranking", "hazards", "training", "townships"):
        assert main([command, "--db", str(db), "--json"]) == 0
        seen[command] = json.loads(capsys.readouterr().out)
    return seen


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(sample_db_path, tmp_path):
    path = tmp_path / "safety.duckdb"
    shutil.copyfile(sample_db_path, path)
    return path


def _big_import() -> bytes:
    rows = [accident(i, county="川中区", township="凤鸣街道", deaths=i % 2) for i in range(IMPORTED_ROWS)]
    return csv_bytes([ACCIDENT_HEADER, *rows])


def test_backup_while_reading_and_importing_then_restore_gives_identical_figures(capsys, db, tmp_path):
    before = figures(capsys, db)
    stop = threading.Event()
    problems: list[BaseException] = []
    reads = []

    def reader():
        while not stop.is_set():
            try:
                with store.connect(db) as con:
                    reads.append(con.execute("SELECT count(*) FROM accidents").fetchone()[0])
            except BaseException as error:  # recorded, so the assertion names it
                problems.append(error)
                return

    def importer():
        try:
            result = import_file(_big_import(), file_name="川中区补报.csv", db=db)
            assert result["status"] == "imported", result
        except BaseException as error:
            problems.append(error)

    threads = [threading.Thread(target=reader), threading.Thread(target=importer)]
    for thread in threads:
        thread.start()
    during = cli(db, "backup", str(tmp_path / "during.zip"))  # another process, as the timer runs it
    threads[1].join()
    stop.set()
    threads[0].join()
    assert during.returncode == 0, during.stderr
    assert not problems, problems
    assert reads, "the reader never read"
    after = figures(capsys, db)
    assert after["status"] != before["status"]

    # The snapshot holds the import whole or not at all: exactly one of the two states.
    db.unlink()
    restored = cli(db, "restore", str(tmp_path / "during.zip"), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert figures(capsys, db) in (before, after)

    # A backup of the quiet database, then the database deleted: restored exactly.
    shutil.copyfile(tmp_path / "during.zip", tmp_path / "keep.zip")
    assert import_file(_big_import(), file_name="川中区补报.csv", db=db)["status"] in (
        "imported",
        "unchanged",
    )
    expected = figures(capsys, db)
    assert cli(db, "backup", str(tmp_path / "quiet.zip")).returncode == 0
    db.unlink()
    assert not db.exists()
    assert cli(db, "restore", str(tmp_path / "quiet.zip"), "--yes").returncode == 0
    assert figures(capsys, db) == expected


@pytest.mark.parametrize("damage", ["truncated", "altered", "foreign", "plain duckdb"])
def test_a_damaged_or_foreign_backup_is_refused_in_chinese_and_the_database_is_unchanged(
    db, tmp_path, damage
):
    good = tmp_path / "good.zip"
    assert cli(db, "backup", str(good)).returncode == 0
    bad = tmp_path / "bad.zip"
    if damage == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif damage == "altered":
        with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
            target.writestr("manifest.json", source.read("manifest.json"))
            data = bytearray(source.read("safety.duckdb"))
            data[len(data) // 2] ^= 0xFF
            target.writestr("safety.duckdb", bytes(data))
    elif damage == "foreign":
        with zipfile.ZipFile(bad, "w") as target:
            target.writestr("manifest.json", json.dumps({"product": "something else"}))
            target.writestr("safety.duckdb", db.read_bytes())
    else:
        shutil.copyfile(db, bad)
    before = digest(db)
    done = cli(db, "restore", str(bad), "--yes")
    assert done.returncode == 1
    assert "不是本系统的完整备份" in done.stderr and "数据库保持原样" in done.stderr
    assert "Traceback" not in done.stderr
    assert digest(db) == before
    assert not [p for p in db.parent.iterdir() if p.name.startswith(".restore-")]


def test_restore_asks_first_and_a_no_changes_nothing(db, tmp_path):
    backup = tmp_path / "b.zip"
    assert cli(db, "backup", str(backup)).returncode == 0
    assert import_file(_big_import(), file_name="新.csv", db=db)["status"] == "imported"
    before = digest(db)
    refused = cli(db, "restore", str(backup), stdin="n\n")
    assert refused.returncode == 1 and "确定恢复吗" in refused.stderr and "已取消恢复" in refused.stderr
    assert digest(db) == before
    accepted = cli(db, "restore", str(backup), stdin="y\n")
    assert accepted.returncode == 0, accepted.stderr
    assert digest(db) != before


def test_nightly_backups_into_a_folder_keep_the_newest(db, tmp_path, monkeypatch):
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in range(1, 6):  # five earlier nights, as the timer names them
        (folder / f"safety-202611{day:02d}-020000.zip").write_bytes(b"old")
    (folder / "手工备份.zip").write_bytes(b"kept: not named by the timer")
    done = cli(db, "backup", str(folder), "--keep", "3", "--json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    names = sorted(p.name for p in folder.iterdir())
    assert len([n for n in names if NAME_PATTERN.match(n)]) == 3
    assert "手工备份.zip" in names and "safety-20261105-020000.zip" in names
    assert len(document["removed"]) == 3
    assert prune_backups(folder, 3) == []
    listed = list_backups(folder)
    assert [b["name"] for b in listed] == [os.path.basename(document["file"])]  # the others are not backups
    assert listed[0]["batches"] == document["batches"] > 0


def test_backing_up_a_missing_database_is_refused_and_creates_nothing(tmp_path):
    db = tmp_path / "无此库.duckdb"
    done = cli(db, "backup", str(tmp_path / "b.zip"))
    assert done.returncode == 1 and "数据库文件不存在" in done.stderr
    assert not db.exists() and not (tmp_path / "b.zip").exists()
