"""The server store: a PostgreSQL (or PostgreSQL-compatible) database reached by a `postgresql://` URL.

`open_connection` gives a `ServerConnection`, which answers the calls the code makes of a
DuckDB connection (`execute(sql, params)` returning itself, `fetchone`, `fetchall`,
`description`, `register` of an Arrow table), so the metrics and the import keep one copy of
their SQL; `analytics.store.dialect` holds what differs.

Writers are serialised by an advisory lock the read-write connection holds from its opening to
its closing (as DuckDB's file lock does for the file), waited for at most `wait` seconds
(`lock_timeout`); readers take no lock and never wait (MVCC). The password comes from
$PGPASSWORD or ~/.pgpass (libpq reads them); `display` removes any password from a URL
before it is shown or logged.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
from psycopg.adapt import Loader

from analytics.store import dialect

log = logging.getLogger(__name__)

WRITE_LOCK_KEY = 7_291_014  # pg_advisory_lock key every writer of this product takes
CONNECT_TIMEOUT_SECONDS = 10
_COPY_CHUNK = 1 << 20


def display(url: str) -> str:
    """The URL without its password (user, host, port and database stay)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _where(url: str) -> tuple[str, str]:
    """(host:port, database) of a URL, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    port = parts.port or 5432
    return f"{host}:{port}", unquote(parts.path.lstrip("/")) or (parts.username or "postgres")


class _NumericLoader(Loader):
    def load(self, data):
        return dialect.load_numeric(bytes(data).decode())


def explain(error: BaseException, url: str):
    """A StoreFailure (Chinese, naming host and database, never the password) for a server failure, else None."""
    from analytics.store import StoreBusy, StoreFailure, StoreReadOnly

    if isinstance(error, StoreFailure):
        return error
    if not isinstance(error, psycopg.Error):
        return None
    host, database = _where(url)
    text = str(error).lower()
    if (
        isinstance(error, psycopg.errors.LockNotAvailable | psycopg.errors.QueryCanceled)
        or "lock timeout" in text
    ):
        return StoreBusy(
            f"数据库服务器 {host} 上的数据库 {database} 正被另一个导入占用，等待后仍未释放：请稍后再试"
        )
    if isinstance(error, psycopg.errors.ReadOnlySqlTransaction):
        return StoreReadOnly(
            f"数据库服务器 {host} 上的数据库 {database} 是只读的，无法写入：本次操作没有写入任何数据"
        )
    if isinstance(error, psycopg.errors.InsufficientPrivilege):
        return StoreReadOnly(
            f"数据库服务器 {host} 上的数据库 {database} 拒绝了写入（权限不足）：本次操作没有写入任何数据。"
            "请数据库管理员授予该用户建表和写入的权限"
        )
    if isinstance(error, psycopg.errors.DiskFull):
        return StoreFailure(
            f"数据库服务器 {host} 的磁盘空间已满：本次操作没有写入任何数据。请联系数据库管理员"
        )
    if isinstance(error, psycopg.OperationalError):
        if (
            "password authentication failed" in text
            or "no password supplied" in text
            or "authentication" in text
        ):
            return StoreFailure(
                f"数据库服务器 {host} 拒绝了登录（数据库 {database}，用户名或密码不对）："
                "请检查连接地址中的用户名，以及环境变量 PGPASSWORD 或 ~/.pgpass 中的密码"
            )
        if "does not exist" in text and "database" in text:
            return StoreFailure(
                f"数据库服务器 {host} 上没有数据库 {database}：请数据库管理员先创建该数据库（createdb），或检查连接地址"
            )
        if any(
            word in text
            for word in ("connection refused", "could not connect", "timeout", "translate host", "no route")
        ):
            return StoreFailure(
                f"无法连接数据库服务器 {host}（数据库 {database}）：服务器没有启动、地址或端口不对，"
                "或网络不通。请检查连接地址后重试"
            )
        return StoreFailure(
            f"与数据库服务器 {host}（数据库 {database}）的连接出错：本次操作没有写入任何数据。请稍后重试"
        )
    return None


_READING = ("select", "with", "values", "begin", "commit", "rollback", "set", "reset", "show", "explain")
_TEMPORARY = ("create temp table", "drop table if exists pg_temp.")


def _reads_only(sql: str) -> bool:
    """Whether a statement may run on a read-only connection: a query, a transaction or a temporary table."""
    head = " ".join(sql.split()[:5]).lower()
    return head.startswith(_READING) or head.startswith(_TEMPORARY)


class ServerConnection:
    """A PostgreSQL connection with the DuckDB connection's calls the code uses (autocommit, like DuckDB)."""

    is_server = True

    def __init__(self, raw: psycopg.Connection, read_only: bool = False):
        self._raw = raw
        self._read_only = read_only
        self._cursor: psycopg.ClientCursor | None = None

    def execute(self, sql: str, params=None) -> ServerConnection:
        if self._read_only and not _reads_only(sql):
            # As DuckDB's read-only connection refuses it (a dry run's temporary tables are allowed).
            raise psycopg.errors.ReadOnlySqlTransaction(f"cannot write on a read-only connection: {sql[:60]}")
        text, values = dialect.translate(sql, params)
        cursor = self._raw.cursor()
        cursor.execute(text, values)
        self._cursor = cursor
        return self

    def fetchone(self):
        return self._cursor.fetchone()

    def fetchall(self) -> list[tuple]:
        return self._cursor.fetchall()

    @property
    def description(self):
        return self._cursor.description

    def sql(self, query: str, params=None) -> ServerConnection:
        """DuckDB's `con.sql(query, params=...)`: the result is read with `to_arrow_table()`."""
        return self.execute(query, params)

    def to_arrow_table(self) -> pa.Table:
        """The result as an Arrow table with the column types DuckDB's would have."""
        description = self._cursor.description
        rows = self._cursor.fetchall()
        columns = list(zip(*rows, strict=True)) if rows else [()] * len(description)
        arrays = [
            _arrow_array(values, column.type_code)
            for values, column in zip(columns, description, strict=True)
        ]
        return pa.table(arrays, names=[column.name for column in description])

    def register(self, name: str, table: pa.Table) -> None:
        """A temporary table `name` holding the Arrow table, loaded with COPY (CSV written by Arrow)."""
        columns = ", ".join(f'"{f.name}" {dialect.arrow_sql_type(f.type)}' for f in table.schema)
        self._raw.execute(f'DROP TABLE IF EXISTS pg_temp."{name}"')
        self._raw.execute(f'CREATE TEMP TABLE "{name}" ({columns})')
        if not table.num_rows:
            return
        buffer = io.BytesIO()
        pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False, quoting_style="all_valid"))
        data = buffer.getbuffer()
        with self._raw.cursor().copy(f'COPY "{name}" FROM STDIN (FORMAT csv)') as copy:
            for start in range(0, len(data), _COPY_CHUNK):
                copy.write(data[start : start + _COPY_CHUNK])

    def unregister(self, name: str) -> None:
        self._raw.execute(f'DROP TABLE IF EXISTS pg_temp."{name}"')

    def close(self) -> None:
        self._raw.close()


# The server's type oids -> the Arrow type DuckDB gives the same SQL type.
_ARROW_TYPES = {
    16: pa.bool_(),
    20: pa.int64(),
    21: pa.int16(),
    23: pa.int32(),
    25: pa.string(),
    1043: pa.string(),
    1082: pa.date32(),
    1114: pa.timestamp("us"),
    700: pa.float32(),
    701: pa.float64(),
}


def _arrow_array(values, type_code: int) -> pa.Array:
    arrow_type = _ARROW_TYPES.get(type_code)
    if arrow_type is None:  # NUMERIC: ints (a sum of BIGINT) or Decimals, as the loader made them
        return pa.array(list(values))
    return pa.array(list(values), type=arrow_type)


def open_connection(url: str, read_only: bool, wait: float) -> ServerConnection:
    """Connect; a read-write connection first takes the writers' advisory lock (StoreBusy after `wait`)."""
    raw = psycopg.connect(
        url,
        autocommit=True,
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        cursor_factory=psycopg.ClientCursor,
        application_name="safety-analytics",
    )
    try:
        raw.adapters.register_loader("numeric", _NumericLoader)
        raw.execute("SET TIME ZONE 'UTC'")
        if not read_only:
            raw.execute(f"SET lock_timeout = {max(int(wait * 1000), 1)}")
            raw.execute("SELECT pg_advisory_lock(%s)", [WRITE_LOCK_KEY])
    except BaseException:
        raw.close()
        raise
    return ServerConnection(raw, read_only)


_ready: set[str] = set()  # server URLs whose schema this process has found current


def ensure_schema(url: str) -> str:
    """Bring the server's schema up to date: checked on a read-only connection first (no wait behind
    a writer), created or upgraded in one transaction only when not current.

    Every call checks (as for a file); a read-only `connection` checks once per process.
    """
    from analytics import store

    checked_before = url in _ready
    _ready.add(url)  # (the read-only check below must not recurse)
    try:
        with store.connect(url, read_only=True) as con:
            current = store._schema_current(con)
        if not current:
            with store.connect(url, read_only=False) as con:
                con.execute("BEGIN TRANSACTION")
                try:
                    if not store._schema_current(con):
                        store.create_schema(con)
                    con.execute("COMMIT")
                except BaseException:
                    store.rollback(con)
                    raise
    except BaseException:
        if not checked_before:
            _ready.discard(url)
        raise
    return url


@contextmanager
def connection(url: str, read_only: bool, wait: float) -> Iterator[ServerConnection]:
    """`store.connect` for a server: the schema checked first, writers serialised, failures in Chinese."""
    from analytics import store

    if read_only and url not in _ready:
        ensure_schema(url)
    try:
        if read_only:
            con = open_connection(url, True, wait)
            try:
                yield con
            finally:
                con.close()
        else:
            with store._serialised(url, wait):
                con = open_connection(url, False, wait)
                try:
                    yield con
                finally:
                    con.close()
    except store.StoreFailure:
        raise
    except Exception as error:
        failure = explain(error, url)
        if failure is None:
            raise
        log.debug("database failure on %s", display(url), exc_info=True)
        raise failure from error
