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


def new_db(folder: Path, name: str = "test", lasting: bool = False) -> Location:
    """A location with no database yet (DuckDB: `folder/name.duckdb`; PostgreSQL: an empty database).

    `lasting=True` for session- and module-scoped fixtures: the PostgreSQL database then outlives
    the test that first asked for it (it goes when the server stops).
    """
    if ON_PG:
        from tests import pg_server

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


def label(location: Location) -> str:
    """A short name for logs and artefacts: the file's stem, or the PostgreSQL database's name."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        return text.rsplit("/", 1)[1]
    return Path(text).stem
