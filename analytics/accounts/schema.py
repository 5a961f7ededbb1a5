"""The accounts' tables in the store: users, their sessions, and the audit trail (schema 5).

`analytics.store.create_schema` runs `create_tables` on every upgrade; each statement is
`IF NOT EXISTS`, so a database of schema 3 or 4 gains the tables and keeps its data.
"""

from __future__ import annotations

import duckdb

AUDIT_SEQUENCE = "audit_event_ids"
TABLES = ("users", "sessions", "audit_events", "batch_owners")

_USERS_DDL = """
CREATE TABLE IF NOT EXISTS users (
    name VARCHAR PRIMARY KEY,
    role VARCHAR NOT NULL,
    county VARCHAR,
    password_hash VARCHAR NOT NULL,
    must_change BOOLEAN NOT NULL DEFAULT true,
    disabled BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMP NOT NULL,
    last_login TIMESTAMP
)
"""
# Only a digest of each session's token is kept: a copy of the file gives no cookie.
_SESSIONS_DDL = """
CREATE TABLE IF NOT EXISTS sessions (
    token_digest VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    client VARCHAR,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
)
"""
# Append-only: the application has INSERT for it and nothing else.
_AUDIT_DDL = """
CREATE TABLE IF NOT EXISTS audit_events (
    event_id BIGINT PRIMARY KEY,
    occurred_at TIMESTAMP NOT NULL,
    user_name VARCHAR NOT NULL,
    role VARCHAR,
    client VARCHAR,
    action VARCHAR NOT NULL,
    target VARCHAR,
    outcome VARCHAR NOT NULL
)
"""

# Who imported each batch (an analyst may undo only their own); written in the import's transaction.
_OWNERS_DDL = "CREATE TABLE IF NOT EXISTS batch_owners (batch_id BIGINT PRIMARY KEY, name VARCHAR NOT NULL)"


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the users, sessions and audit tables (and the audit sequence) where missing."""
    con.execute(_USERS_DDL)
    con.execute(_SESSIONS_DDL)
    con.execute(_AUDIT_DDL)
    con.execute(_OWNERS_DDL)
    from analytics.store.dialect import has_sequence

    if not has_sequence(con, AUDIT_SEQUENCE):
        start = int(con.execute("SELECT coalesce(max(event_id), 0) + 1 FROM audit_events").fetchone()[0])
        con.execute(f"CREATE SEQUENCE {AUDIT_SEQUENCE} START WITH {start}")


def has_tables(con: duckdb.DuckDBPyConnection, names: set[str]) -> bool:
    """Whether every accounts table is there."""
    return all(name in names for name in TABLES)
