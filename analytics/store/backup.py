"""Backups of the database file: a consistent snapshot while the dashboard runs, and its restore.

A backup is one zip file holding `manifest.json` (what product and schema it
belongs to, when it was taken, and the sha256 and size of the database inside)
and the database file itself. It is taken under the store's write lock with a
read-write connection (no import can be half-way through: within this process
the lock queues writers, across processes DuckDB's file lock does), after a
CHECKPOINT has folded the write-ahead log into the file; it is written to a
temporary file beside the target and renamed, so no half-written backup ever
carries the final name. A restore checks all of that before it touches the
database, so a truncated, altered or foreign file changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import duckdb

from analytics import settings
from analytics.store import (
    _CONFIG,
    SCHEMA_VERSION,
    StoreFailure,
    _opened,
    _serialised,
    db_path,
    display,
    ensure_schema,
    is_server,
    location,
    os_reason,
)
from analytics.text.zh import t

PRODUCT = "safety-dashboard-backup"  # marks a backup of this product
FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "safety.duckdb"
NAME_PATTERN = re.compile(r"^safety-\d{8}-\d{6}(-\d+)?\.zip$")  # what `backup DIR` names its files


class NotABackup(StoreFailure):
    """The file is not a complete backup of this product; the message is Chinese."""


def backup_name(now: dt.datetime) -> str:
    """The file name a backup into a folder gets: safety-YYYYMMDD-HHMMSS.zip."""
    return f"safety-{now:%Y%m%d-%H%M%S}.zip"


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _counts(con: duckdb.DuckDBPyConnection) -> dict:
    batches = con.execute("SELECT count(*) FROM import_batches WHERE NOT undone").fetchone()[0]
    return {"batches": int(batches)}


def _target(out: Path, now: dt.datetime) -> Path:
    if out.is_dir():
        candidate, serial = out / backup_name(now), 1
        while candidate.exists():  # two backups within one second
            candidate = out / f"safety-{now:%Y%m%d-%H%M%S}-{serial}.zip"
            serial += 1
        return candidate
    if not out.parent.is_dir():
        raise StoreFailure(f"备份文件所在的文件夹不存在：{out.parent}。请先创建该文件夹")
    return out


def refuse_server(db) -> None:
    """Backup and restore copy a DuckDB file; a server store has its own backup (pg_dump): StoreFailure."""
    if is_server(location(db)):
        raise StoreFailure(t("store.server_backup", db=display(db)))


def create_backup(
    out: str | os.PathLike,
    db: str | os.PathLike | None = None,
    now: dt.datetime | None = None,
) -> dict:
    """Write a backup of the database to `out` (a file, or a folder to name it in); its manifest.

    A server store is refused (StoreFailure): its own backup (pg_dump) is the one to use.
    """
    refuse_server(db)
    if not db_path(db).is_file():
        raise StoreFailure(f"数据库文件不存在：{db_path(db)}，没有可备份的数据。请用 --db 指定数据库文件")
    file = ensure_schema(db)
    now = now or dt.datetime.now().replace(microsecond=0)
    target = _target(Path(out), now)
    wait = settings.LOCK_WAIT_SECONDS
    handle, temporary = tempfile.mkstemp(prefix=".backup-", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(temporary)
    snapshot = temporary.with_suffix(".duckdb")
    try:
        with _serialised(file, wait), _opened(file, False, wait) as con:
            con.execute("CHECKPOINT")
            counts = _counts(con)
            shutil.copyfile(file, snapshot)
        manifest = {
            "product": PRODUCT,
            "format": FORMAT,
            "schema_version": SCHEMA_VERSION,
            "created_at": now.isoformat(),
            "source": str(file),
            "size": snapshot.stat().st_size,
            "sha256": _sha256(snapshot),
            **counts,
        }
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            archive.write(snapshot, DATABASE)
        os.replace(temporary, target)
    except OSError as error:
        raise StoreFailure(f"无法写入备份文件（{target}）：{os_reason(error)}。数据库没有任何改变") from error
    finally:
        for leftover in (temporary, snapshot):
            leftover.unlink(missing_ok=True)
    return {"file": str(target), **manifest}


def read_manifest(backup: str | os.PathLike) -> dict:
    """The manifest of a backup file; NotABackup (Chinese) if it is not a complete backup of this product."""
    path = Path(backup)
    refused = f"文件 {path} 不是本系统的完整备份"
    if not path.is_file():
        raise NotABackup(f"备份文件不存在：{path}")
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
            info = archive.getinfo(DATABASE)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as error:
        raise NotABackup(
            f"{refused}（文件不完整、已损坏或不是备份文件），未做任何恢复：数据库保持原样"
        ) from error
    if not isinstance(manifest, dict) or manifest.get("product") != PRODUCT:
        raise NotABackup(f"{refused}（缺少本系统的备份标记），未做任何恢复：数据库保持原样")
    if int(manifest.get("schema_version", 0)) > SCHEMA_VERSION:
        raise NotABackup(
            f"备份 {path} 来自更新版本的系统（数据结构版本 {manifest['schema_version']}，"
            f"本系统为 {SCHEMA_VERSION}）：请先升级本系统再恢复。数据库保持原样"
        )
    if info.file_size != manifest.get("size"):
        raise NotABackup(f"{refused}（数据库文件大小与备份记录不符），未做任何恢复：数据库保持原样")
    return manifest


def _extract_checked(backup: Path, manifest: dict, into: Path) -> Path:
    """The backup's database extracted beside the target and checked against its sha256."""
    handle, name = tempfile.mkstemp(prefix=".restore-", suffix=".duckdb", dir=into)
    os.close(handle)
    extracted = Path(name)
    refused = f"文件 {backup} 不是本系统的完整备份"
    try:
        with (
            zipfile.ZipFile(backup) as archive,
            archive.open(DATABASE) as source,
            extracted.open("wb") as sink,
        ):
            shutil.copyfileobj(source, sink, 1 << 20)
        if _sha256(extracted) != manifest.get("sha256"):
            raise NotABackup(
                f"{refused}（内容校验值不符，文件可能被截断或改动），未做任何恢复：数据库保持原样"
            )
        con = duckdb.connect(str(extracted), read_only=True, config=_CONFIG)
        con.execute("SELECT count(*) FROM import_batches").fetchone()
        con.close()
    except (zipfile.BadZipFile, OSError, EOFError, duckdb.Error) as error:
        extracted.unlink(missing_ok=True)
        raise NotABackup(f"{refused}（无法读出其中的数据库），未做任何恢复：数据库保持原样") from error
    except BaseException:
        extracted.unlink(missing_ok=True)
        raise
    return extracted


def restore_backup(backup: str | os.PathLike, db: str | os.PathLike | None = None) -> dict:
    """Put a backup's database in place of the database file, then bring its schema up to date."""
    refuse_server(db)
    path = Path(backup)
    manifest = read_manifest(path)
    file = db_path(db)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreFailure(f"无法创建数据库所在的文件夹（{file.parent}）：{os_reason(error)}") from error
    extracted = _extract_checked(path, manifest, file.parent)
    wait = settings.LOCK_WAIT_SECONDS
    try:
        with _serialised(file, wait):
            if file.exists():
                # Wait out any write of another process, and fold its log in, before replacing the file.
                with _opened(file, False, wait) as con:
                    con.execute("CHECKPOINT")
            os.replace(extracted, file)
            Path(str(file) + ".wal").unlink(missing_ok=True)
    except OSError as error:
        raise StoreFailure(
            f"无法替换数据库文件（{file}）：{os_reason(error)}。数据库保持原样；"
            "若看板正在运行，请先停止服务再恢复"
        ) from error
    finally:
        extracted.unlink(missing_ok=True)
    ensure_schema(file)
    return {"db": str(file), "backup": str(path), **manifest}


def list_backups(folder: str | os.PathLike | None = None, limit: int | None = None) -> list[dict]:
    """The backups in a folder (default: the backup folder), newest first, each with its manifest."""
    where = Path(folder) if folder else settings.backup_dir()
    if not where.is_dir():
        return []
    found = []
    for candidate in where.iterdir():
        if candidate.suffix.lower() != ".zip" or not candidate.is_file():
            continue
        try:
            manifest = read_manifest(candidate)
        except NotABackup:
            continue
        found.append({"file": str(candidate), "name": candidate.name, **manifest})
    found.sort(key=lambda b: (b["created_at"], b["name"]), reverse=True)
    return found[:limit] if limit else found


def _age(path: Path) -> tuple[str, int]:
    match = NAME_PATTERN.match(path.name)
    return path.name[7:22], int(match.group(1)[1:]) if match.group(1) else 0


def prune_backups(folder: str | os.PathLike, keep: int) -> list[str]:
    """Delete the oldest backups that `backup DIR` named in a folder, keeping the newest `keep`."""
    where = Path(folder)
    named = sorted((p for p in where.iterdir() if NAME_PATTERN.match(p.name)), key=_age)
    doomed = named[:-keep] if keep > 0 else named
    for old in doomed:
        old.unlink(missing_ok=True)
    return [str(p) for p in doomed]
