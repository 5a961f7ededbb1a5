"""`python -m analytics migrate`: copy a whole store to another, a DuckDB file or a PostgreSQL server, either way.

Every table is copied as it is (the ledgers, their history, the import batches, the coverage
declarations, meta, and the accounts with their audit trail), so undo and the import history
work on the copy; the batch and audit sequences continue after the highest id copied. The
target is written in one transaction and must hold no data yet.
"""

from __future__ import annotations

import os

from analytics import store
from analytics.accounts.schema import AUDIT_SEQUENCE
from analytics.store import BATCH_SEQUENCE, TABLES, StoreFailure, display, ensure_schema, location
from analytics.text.zh import t

# Columns the database computes itself: not copied, the target computes them again.
GENERATED = {"accidents": {"level"}}
_KEPT_META = {"schema_version"}  # what a new empty store already holds
# (sequence, table, id column) continued after the highest id copied.
SEQUENCES = ((BATCH_SEQUENCE, "import_batches", "batch_id"), (AUDIT_SEQUENCE, "audit_events", "event_id"))


class MigrateRefused(StoreFailure):
    """A migration that would overwrite data or copy a store onto itself; the message is Chinese."""


def _exists(where) -> bool:
    return store.is_server(where) or os.path.isfile(where)


def _holds_data(con) -> bool:
    for table in TABLES:
        if table == "meta":
            count = con.execute(
                f"SELECT count(*) FROM meta WHERE key NOT IN ({', '.join('?' for _ in _KEPT_META)})",
                sorted(_KEPT_META),
            ).fetchone()[0]
        else:
            count = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if count:
            return True
    return False


def _columns(con, table: str) -> list[str]:
    names = [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]
    return [n for n in names if n not in GENERATED.get(table, set())]


def migrate(source: str | os.PathLike, target: str | os.PathLike) -> dict:
    """Copy every table of `source` into the empty store `target`; {"from", "to", "tables": {name: rows}}."""
    src, dst = location(source), location(target)
    shown_src, shown_dst = display(src), display(dst)
    if not _exists(src):
        raise MigrateRefused(t("migrate.no_source", source=shown_src))
    if shown_src == shown_dst or (
        not store.is_server(src) and not store.is_server(dst) and src.resolve() == dst.resolve()
    ):
        raise MigrateRefused(t("migrate.same", source=shown_src))
    ensure_schema(src)
    ensure_schema(dst)
    copied: dict[str, int] = {}
    with store.connect(src, read_only=True) as reader, store.connect(dst, read_only=False) as writer:
        writer.execute("BEGIN TRANSACTION")
        try:
            if _holds_data(writer):
                raise MigrateRefused(t("migrate.target_not_empty", target=shown_dst))
            for table in TABLES:
                columns = _columns(reader, table)
                wanted = ", ".join(columns)
                rows = reader.sql(f"SELECT {wanted} FROM {table}").to_arrow_table()
                copied[table] = rows.num_rows
                if not rows.num_rows:
                    continue
                if table == "meta":
                    writer.execute("DELETE FROM meta")
                writer.register("migrated_rows", rows)
                writer.execute(f"INSERT INTO {table} ({wanted}) SELECT {wanted} FROM migrated_rows")
                writer.unregister("migrated_rows")
            for sequence, table, column in SEQUENCES:
                start = int(
                    writer.execute(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}").fetchone()[0]
                )
                writer.execute(f"DROP SEQUENCE {sequence}")
                writer.execute(f"CREATE SEQUENCE {sequence} START WITH {start}")
            writer.execute("COMMIT")
        except BaseException:
            store.rollback(writer)
            raise
    return {"from": shown_src, "to": shown_dst, "tables": copied}
