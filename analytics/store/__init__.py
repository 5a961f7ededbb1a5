"""The DuckDB store: where the file lives, how it is opened, and its schema.

Every open is short: a command or a cache miss opens the file, works, and
closes it. DuckDB lets only one process hold a file read-write, so holding it
open would lock the command line out while the dashboard runs (or the reverse).
A connection that meets another process's lock waits and tries again.

Writes are serialised: within one process a lock per database file is held for
the whole read-write connection (imports and undos of two analysts on the upload
page queue up rather than clash), and across processes DuckDB's own file lock,
which `connect` waits out, does the same. Batch ids come from a sequence.
"""

from __future__ import annotations

import errno
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from analytics import settings
from analytics.accounts import schema as accounts_schema
from analytics.contract.datasets import DATASETS, SQL_TYPES, accident_level_sql
from analytics.store import dialect, history, kept, versions
from analytics.store.kept import keep_reads, let_go, reads_kept_open  # noqa: F401  (store.keep_reads, …)
from analytics.store.versions import pinned_versions  # noqa: F401  (store.pinned_versions)

PROJECT_ROOT = settings.PROJECT_ROOT
DEFAULT_DB = settings.DEFAULT_DB
SCHEMA_VERSION = 6  # 5: users, sessions and the audit trail; 6: inserted keys apart (inserted_<dataset>)
BATCH_SEQUENCE = "batch_ids"
LOCK_WAIT_SECONDS = settings.LOCK_WAIT_SECONDS

log = logging.getLogger(__name__)

# No downloads at run time: DuckDB must never fetch an extension.
_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def location(path: str | os.PathLike | None = None) -> str | Path:
    """The database: the argument, else $SAFETY_DB, else data/safety.duckdb; a `postgresql://` URL stays a str."""
    chosen = path or settings.db_location()
    if is_server(chosen):
        return str(chosen)
    return Path(chosen)


def db_path(path: str | os.PathLike | None = None) -> Path:
    """The database file: the argument, else $SAFETY_DB, else data/safety.duckdb (a server URL: `location`)."""
    return Path(location(path))


def is_server(location_: str | os.PathLike | None) -> bool:
    """Whether a database location is a PostgreSQL server's URL (else a DuckDB file)."""
    return dialect.is_server(location_)


def display(location_: str | os.PathLike | None = None) -> str:
    """The location as it may be shown or logged: a server URL without its password."""
    chosen = location(location_)
    if isinstance(chosen, str):
        from analytics.store import server

        return server.display(chosen)
    return str(chosen)


class StoreFailure(Exception):
    """The database could not be read or written: what happened and what to do, in Chinese.

    Raised from DuckDB's own error (kept as `__cause__` for the log); nothing was written.
    """


class StoreBusy(StoreFailure):
    """Another write held the database longer than the wait; the message is Chinese."""


class StoreReadOnly(StoreFailure):
    """The file or its folder cannot be written; it can still be read (pages work, imports say why not)."""


_DISK_FULL = ("no space left", "disk full", "not enough space", "disk quota")
_READ_ONLY = ("read-only file system", "permission denied", "read only", "read-only", "access is denied")
_CORRUPT = ("not a valid duckdb database", "corrupt", "checksum", "serialization", "invalid database")


def explain(error: BaseException, file: str | os.PathLike | None = None) -> StoreFailure | None:
    """The Chinese message for a DuckDB failure of the file itself (space, permission, damage), else None.

    For a server URL, the server's failure (unreachable, login refused, no such database, busy).
    """
    if isinstance(error, StoreFailure):
        return error
    if file is not None and is_server(file):
        from analytics.store import server

        return server.explain(error, str(file))
    if not isinstance(error, duckdb.Error):
        return None
    text = str(error).lower()
    where = f"（{file}）" if file else ""
    if any(word in text for word in _DISK_FULL):
        return StoreFailure(
            f"磁盘空间已满，无法写入数据库文件{where}：本次操作没有写入任何数据。请清理磁盘空间后重试"
        )
    if any(word in text for word in _READ_ONLY):
        return StoreReadOnly(
            f"数据库文件{where}或其所在文件夹是只读的，无法写入：本次操作没有写入任何数据。"
            "请检查文件和文件夹的写入权限，或用 --db 指定可写的数据库文件"
        )
    if any(word in text for word in _CORRUPT) or isinstance(error, duckdb.SerializationException):
        return StoreFailure(
            f"数据库文件{where}已损坏或不是本系统的数据库文件，无法读取：请从备份恢复该文件，"
            "或用 --db 指定另一个数据库文件"
        )
    if isinstance(error, duckdb.IOException | duckdb.FatalException):
        return StoreFailure(f"读写数据库文件{where}时出错：本次操作没有写入任何数据。请检查磁盘和文件后重试")
    return None


_OS_REASONS = {
    errno.ENOENT: "路径不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "文件系统是只读的",
    errno.ENOSPC: "磁盘空间已满",
    errno.EISDIR: "这是一个文件夹，不是文件",
}


def os_reason(error: OSError) -> str:
    """Why the operating system refused, in Chinese."""
    return _OS_REASONS.get(error.errno, "操作系统拒绝了该操作")


@contextmanager
def import_memory(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """DuckDB's memory capped at `settings.IMPORT_MEMORY_MB` for an import's diff and write (it spills beyond).

    A million-row file is staged and compared in DuckDB next to its Arrow copy; without the cap
    DuckDB would take up to 80% of the machine's memory. The setting is the database instance's,
    so it is reset afterwards for the pages' queries.
    """
    if dialect.on_server(con):  # the server's memory is its administrator's setting
        yield
        return
    con.execute(f"SET memory_limit = '{settings.IMPORT_MEMORY_MB}MB'")
    try:
        yield
    finally:
        try:
            con.execute("RESET memory_limit")
        except duckdb.Error:  # a failed write may have closed the connection's transaction state
            log.debug("reset memory_limit after an import", exc_info=True)


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """End a failed write's transaction; a transaction DuckDB already ended (disk full) is no second error."""
    try:
        con.execute("ROLLBACK")
    except Exception:  # noqa: BLE001 - duckdb.Error or the server's (a closed connection)
        log.debug("rollback after a failed write", exc_info=True)


_registry_lock = threading.Lock()
_write_locks: dict[str, threading.RLock] = {}
_writers: dict[str, int] = {}  # threads holding or waiting for each file's write lock


def _lock_key(file: str | Path) -> str:
    if is_server(file):
        return display(file)
    return str(Path(file).resolve())


def _write_lock(key: str) -> threading.RLock:
    with _registry_lock:
        return _write_locks.setdefault(key, threading.RLock())


def write_in_progress(path: str | os.PathLike | None = None) -> bool:
    """Whether a write (import, undo, schema upgrade) in this process holds or awaits the database file."""
    with _registry_lock:
        return _writers.get(_lock_key(location(path)), 0) > 0


@contextmanager
def _serialised(file: str | Path, wait: float) -> Iterator[None]:
    key = _lock_key(file)
    lock = _write_lock(key)
    with _registry_lock:
        _writers[key] = _writers.get(key, 0) + 1
    try:
        if not lock.acquire(timeout=max(wait, 0)):
            raise StoreBusy(f"另一个导入正在进行，等待 {wait:g} 秒后仍未结束：请稍后再试")
        try:
            yield
        finally:
            lock.release()
    finally:
        with _registry_lock:
            _writers[key] -= 1


def _is_lock_conflict(error: Exception) -> bool:
    text = str(error)
    return "lock" in text.lower() or "different configuration" in text or "already open" in text.lower()


@contextmanager
def connect(
    path: str | os.PathLike | None = None,
    read_only: bool = True,
    wait: float | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the database for one unit of work, waiting out another process's lock.

    `wait` defaults to `settings.LOCK_WAIT_SECONDS`; after it, `StoreBusy`. A failure of the file
    itself (disk full, read-only, damaged) is a `StoreFailure` with a Chinese message.
    """
    wait = settings.LOCK_WAIT_SECONDS if wait is None else wait
    if is_server(location(path)):
        from analytics.store import server

        try:
            with server.connection(str(location(path)), read_only, wait) as con:
                yield con
        finally:
            if not read_only:
                versions.wrote()
        return
    file = db_path(path)
    if read_only and not file.exists():
        ensure_schema(file)
    try:
        if read_only:
            kept.keep_open(file, lambda: _open(file, True, wait))
            with _opened(file, True, wait) as con:
                yield con
        else:
            with _serialised(file, wait), _opened(file, False, wait) as con:
                yield con
    except duckdb.Error as error:
        failure = explain(error, file)
        if failure is None:
            raise
        log.debug("database failure on %s", file, exc_info=True)
        raise failure from error


def _open(file: Path, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    if not read_only:  # every write (a backup's and a restore's too) first lets go of what this run keeps
        kept.close(file)
    deadline = time.monotonic() + wait
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(file), read_only=read_only, config=_CONFIG)
        except (duckdb.IOException, duckdb.ConnectionException) as error:
            if not _is_lock_conflict(error):
                raise
            if time.monotonic() > deadline:
                raise StoreBusy(
                    f"数据库文件正被另一个程序（另一个导入或命令）占用，等待 {wait:g} 秒后仍未释放：请稍后再试"
                ) from error
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


@contextmanager
def _opened(file: Path, read_only: bool, wait: float) -> Iterator[duckdb.DuckDBPyConnection]:
    con = _open(file, read_only, wait)
    try:
        yield con
    finally:
        try:
            con.close()
        except duckdb.Error:  # closing after a failed write: the failure itself is what matters
            log.debug("close after a failure", exc_info=True)


def data_version(path: str | os.PathLike | None = None) -> str:
    """A token that changes whenever the database is written; cache keys include it.

    A file: its and its WAL's modification time and size. A server: the counter every write's
    transaction bumps (a trigger on every table), read in one short query (once within
    `pinned_versions()`, see analytics.store.versions).
    """
    if is_server(location(path)):

        def read() -> str:
            with connect(path, read_only=True) as con:
                return f"v{con.execute(f'SELECT version FROM {dialect.VERSION_TABLE}').fetchone()[0]}"

        return versions.version(str(location(path)), read)
    file = db_path(path)
    parts = []
    for candidate in (file, Path(str(file) + ".wal")):
        try:
            stat = candidate.stat()
            parts.append(f"{stat.st_mtime_ns}:{stat.st_size}")
        except FileNotFoundError:
            parts.append("-")
    return "|".join(parts)


def _dataset_ddl(con, name: str) -> str:
    dataset = DATASETS[name]
    columns = [f"{c.name} {SQL_TYPES[c.type]}" for c in dataset.columns]
    if name == "accidents":
        columns.append(dialect.generated_column(con, "level", "VARCHAR", accident_level_sql()))
    return f"CREATE TABLE IF NOT EXISTS {name} ({', '.join(columns)})"


_BATCHES_DDL = """
CREATE TABLE IF NOT EXISTS import_batches (
    batch_id BIGINT PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    mode VARCHAR NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    rows_inserted BIGINT NOT NULL,
    rows_updated BIGINT NOT NULL,
    rows_unchanged BIGINT NOT NULL,
    rows_removed BIGINT NOT NULL,
    is_sample BOOLEAN NOT NULL DEFAULT false,
    undone BOOLEAN NOT NULL DEFAULT false,
    undone_at TIMESTAMP
)
"""
# A ledger declared complete through a month (import --covers): part of its batch, gone with its undo.
_COVERAGE_DDL = """
CREATE TABLE IF NOT EXISTS coverage_declarations (
    batch_id BIGINT NOT NULL,
    dataset VARCHAR NOT NULL,
    county VARCHAR NOT NULL,
    month DATE NOT NULL
)
"""
_META_DDL = "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)"
# Every table of the store, in the order `migrate` copies them.
TABLES = (
    "meta",
    "import_batches",
    "coverage_declarations",
    *DATASETS,
    *(f"history_{name}" for name in DATASETS),
    *(f"inserted_{name}" for name in DATASETS),
    *accounts_schema.TABLES,
)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables and add columns that a newer contract introduced."""
    if dialect.on_server(con):
        for statement in dialect.SERVER_FUNCTIONS:
            con.execute(statement)
    con.execute(_META_DDL)
    con.execute(_BATCHES_DDL)
    con.execute(_COVERAGE_DDL)
    if not _has_sequence(con):
        # Continue after the batches already recorded (a database from before the sequence).
        start = int(con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM import_batches").fetchone()[0])
        con.execute(f"CREATE SEQUENCE {BATCH_SEQUENCE} START WITH {start}")
    for name, dataset in DATASETS.items():
        con.execute(_dataset_ddl(con, name))
        con.execute(history.history_ddl(name))
        con.execute(history.inserted_ddl(name))
        for table in (name, f"history_{name}"):
            present = {
                row[0]
                for row in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                    [table],
                ).fetchall()
            }
            for column in dataset.columns:
                if column.name not in present:
                    con.execute(f"ALTER TABLE {table} ADD COLUMN {column.name} {SQL_TYPES[column.type]}")
        history.move_inserted_keys(con, name)
    accounts_schema.create_tables(con)
    _clean_text_keys(con)
    if dialect.on_server(con):
        for statement in dialect.SERVER_VERSION_DDL:
            con.execute(statement)
        for table in TABLES:
            for statement in dialect.version_trigger(table):
                con.execute(statement)
    set_meta(con, "schema_version", str(SCHEMA_VERSION))


# Text columns pages group by; the import stores them trimmed and an empty cell as null.
_GROUPED_TEXT = ("township", "department", "kind")
# What the import's trim removes that SQL's TRIM alone would not: tabs, line breaks, 全角空格.
_BLANK = " \t\n\r\u3000\u00a0"


def _clean_text_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Bring rows written before the import cleaned them to the same form (once, on upgrade)."""
    for name, dataset in DATASETS.items():
        for column in (c for c in _GROUPED_TEXT if c in dataset.column_names):
            tables = (name, f"history_{name}", *([f"inserted_{name}"] if column in dataset.key else []))
            for table in tables:
                con.execute(
                    f"UPDATE {table} SET {column} = NULLIF(trim({column}, $blank), '') "
                    f"WHERE {column} = '' OR {column} <> trim({column}, $blank)",
                    {"blank": _BLANK},
                )


def ensure_schema(path: str | os.PathLike | None = None) -> str | Path:
    """Create the database file if needed and bring its schema up to date; return its location.

    The schema of an existing file or a server is checked on a read-only connection first (no wait
    behind a writer, no checkpoint on closing), and created or upgraded only when it is not current.
    """
    if is_server(location(path)):
        from analytics.store import server

        return server.ensure_schema(str(location(path)))
    file = db_path(path)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreFailure(
            f"无法创建数据库所在的文件夹（{file.parent}）：{os_reason(error)}。请检查路径和写入权限"
        ) from error
    if file.exists():
        # A read-only file or folder still serves the pages when its schema is current; writing (an
        # import, an undo) then fails with the read-only message, as does an upgrade it would need.
        with connect(file, read_only=True) as con:
            if _schema_current(con):
                return file
    with connect(file, read_only=False) as con:
        if not _schema_current(con):
            # One transaction, as on the server: an upgrade interrupted leaves the old schema whole.
            con.execute("BEGIN TRANSACTION")
            try:
                create_schema(con)
                con.execute("COMMIT")
            except BaseException:
                rollback(con)
                raise
    return file


def _schema_current(con: duckdb.DuckDBPyConnection) -> bool:
    tables = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'")
    if not tables.fetchone()[0]:
        return False
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return bool(row) and row[0] == str(SCHEMA_VERSION) and _has_all_tables(con)


def _has_all_tables(con: duckdb.DuckDBPyConnection) -> bool:
    names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    return (
        "coverage_declarations" in names
        and _has_sequence(con)
        and accounts_schema.has_tables(con, names)
        and all(n in names and f"history_{n}" in names and f"inserted_{n}" in names for n in DATASETS)
    )


def _has_sequence(con: duckdb.DuckDBPyConnection) -> bool:
    return dialect.has_sequence(con, BATCH_SEQUENCE)


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str | None) -> None:
    if value is None:
        con.execute("DELETE FROM meta WHERE key = ?", [key])
    else:
        con.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
