"""Which store the suite runs on, and database locations for it.

$SAFETY_TEST_STORE chooses: `duckdb` (the default: a file in the test's tmp folder) or
`postgresql` (a fresh database on the session's local server, tests/pg_server.py). Tests ask
`new_db` for a location and pass it wherever a file path went: `store.*`, `--db`, $SAFETY_DB.
Tests about the DuckDB file itself (backup, damage, permissions, the file lock) carry the
`file_store` marker and are skipped on PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

STORES = ("duckdb", "postgresql")
STORE = os.environ.get("SAFETY_TEST_STORE", "duckdb").strip().lower() or "duckdb"
if STORE not in STORES:
    raise RuntimeError(f"SAFETY_TEST_STORE must be one of {', '.join(STORES)}, not {STORE!r}")
ON_PG = STORE == "postgresql"

Location = Path | str


def new_db(folder: Path, name: str = "test", lasting: bool = False, schema: bool = False) -> Location:
    """A location with no database yet (DuckDB: `folder/name.duckdb`; PostgreSQL: an empty database).

    `lasting=True` for session- and module-scoped fixtures: the PostgreSQL database then outlives
    the test that first asked for it (it goes when the server stops). `schema=True` lets the
    PostgreSQL database start with the current schema, copied from a template (the caller's
    `store.ensure_schema` then finds it up to date); a DuckDB file is created by that call as before.
    """
    if ON_PG:
        from tests import pg_server

        if schema:
            return pg_server.with_schema(name, lasting=lasting)
        return pg_server.fresh_database(name, lasting=lasting)
    return Path(folder) / f"{name}.duckdb"


def copy_db(source: Location, folder: Path, name: str = "copy", lasting: bool = False) -> Location:
    """A new database with the contents of `source` (closed: no connection may be open on it)."""
    if ON_PG:
        from tests import pg_server

        return pg_server.copy_database(str(source), name, lasting=lasting)
    target = Path(folder) / f"{name}.duckdb"
    shutil.copy(source, target)
    return target


def has_schema(location: Location) -> bool:
    """Whether the database was created: the DuckDB file exists, or the PostgreSQL one has the `meta` table.

    Looked at from outside the app (the superuser's psql), so asking does not create it.
    """
    if ON_PG:
        from tests import pg_server

        name = str(location).rsplit("/", 1)[1]
        return pg_server.server().psql("SELECT to_regclass('public.meta') IS NOT NULL", database=name) == "t"
    return Path(location).exists()


def on_server(con) -> bool:
    """Whether an open connection is the PostgreSQL store's (it has no DuckDB-only calls: `.df()`, BY NAME)."""
    return bool(getattr(con, "is_server", False))


def insert_rows(con, table: str, columns: list[str], rows: list[list]) -> None:
    """Plain parameterised multi-row INSERTs (both stores); the target columns give the values their types."""
    marks = "(" + ", ".join("?" for _ in columns) + ")"
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        con.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES " + ", ".join(marks for _ in chunk),
            [value for row in chunk for value in row],
        )


def query_frame(con, sql: str, params=None):
    """A query's result as a pandas DataFrame: DuckDB's `.df()`, or the same built from the server's rows."""
    if not on_server(con):
        return con.execute(sql, params or []).df()
    import pandas as pd

    table = con.execute(sql, params or []).to_arrow_table()
    return (
        table.to_pandas(date_as_object=False) if table.num_rows else pd.DataFrame(columns=table.column_names)
    )


def label(location: Location) -> str:
    """A short name for logs and artefacts: the file's stem, or the PostgreSQL database's name."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        return text.rsplit("/", 1)[1]
    return Path(text).stem
