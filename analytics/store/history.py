"""The undo history's tables: what each batch replaced or removed (whole rows) and which records it added (keys).

`analytics.importing.commit` writes and reads them; `analytics.store.create_schema` creates them and
runs the upgrades of their layout.
"""

from __future__ import annotations

import duckdb

from analytics.contract.datasets import DATASETS, SQL_TYPES


def history_ddl(name: str) -> str:
    """The table of the rows a batch replaced ('update') or removed ('delete'), whole as they were."""
    dataset = DATASETS[name]
    columns = [f"{c.name} {SQL_TYPES[c.type]}" for c in dataset.columns]
    return (
        f"CREATE TABLE IF NOT EXISTS history_{name} "
        f"(batch_id BIGINT NOT NULL, action VARCHAR NOT NULL, {', '.join(columns)})"
    )


def inserted_ddl(name: str) -> str:
    """The table of the keys of the records a batch added (its undo deletes them).

    Keys only: a history row per new record, every other column empty, cost a third of the write.
    """
    dataset = DATASETS[name]
    columns = [f"{c.name} {SQL_TYPES[c.type]}" for c in dataset.columns if c.name in dataset.key]
    return f"CREATE TABLE IF NOT EXISTS inserted_{name} (batch_id BIGINT NOT NULL, {', '.join(columns)})"


def move_inserted_keys(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Schema 6: the keys a batch inserted, kept as 'insert' rows of the history before, to their own table.

    In the upgrade's transaction (`ensure_schema`), so the keys are moved whole or not at all.
    """
    keys = ", ".join(DATASETS[name].key)
    con.execute(
        f"INSERT INTO inserted_{name} (batch_id, {keys}) "
        f"SELECT batch_id, {keys} FROM history_{name} WHERE action = 'insert'"
    )
    con.execute(f"DELETE FROM history_{name} WHERE action = 'insert'")
