"""The audit trail: who did what, when, from where, and how it ended. Append-only.

Every login (success and failure), logout, import, undo, clearing of the sample, account
change, refused call and report or Excel download adds one row. No function here, nor
anywhere in the application, updates or deletes a row of `audit_events`.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from analytics import store
from analytics.accounts.schema import AUDIT_SEQUENCE
from analytics.text.zh import t

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)
ANONYMOUS = "anonymous"
COLUMNS = ("at", "user", "role", "client", "action", "target", "outcome")
HEADERS = {
    "at": t("audit.column.at"),
    "user": t("audit.column.user"),
    "role": t("audit.column.role"),
    "client": t("audit.column.client"),
    "action": t("audit.column.action"),
    "target": t("audit.column.target"),
    "outcome": t("audit.column.outcome"),
}


def now() -> dt.datetime:
    """The time stamps of the trail and the sessions: local wall-clock time, to the second."""
    return dt.datetime.now().replace(microsecond=0)


def record(
    db,
    actor,
    action: str,
    target: str | None,
    outcome: str,
    *,
    user: str | None = None,
    role: str | None = None,
    client: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Append one event; `actor` None (with no `user`) is an anonymous visitor."""
    with store.connect(store.ensure_schema(db), read_only=False) as con:
        append(con, actor, action, target, outcome, user=user, role=role, client=client, at=at)


def append(
    con,
    actor,
    action: str,
    target: str | None,
    outcome: str,
    *,
    user: str | None = None,
    role: str | None = None,
    client: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    """`record` on an open read-write connection, inside the caller's transaction (an import's own)."""
    con.execute(
        f"INSERT INTO audit_events VALUES (nextval('{AUDIT_SEQUENCE}'), ?, ?, ?, ?, ?, ?, ?)",
        [
            at or now(),
            user or (actor.name if actor else ANONYMOUS),
            role or (actor.role if actor else None),
            client or (actor.client if actor else None),
            action,
            None if target is None else str(target),
            outcome,
        ],
    )


def events(
    db=None, *, since: dt.date | None = None, user: str | None = None, limit: int | None = None
) -> list[dict]:
    """The trail, newest first, optionally from a day on and for one user (the `audit` JSON rows)."""
    sql = "SELECT occurred_at, user_name, role, client, action, target, outcome FROM audit_events WHERE true"
    values: list = []
    if since is not None:
        sql += " AND occurred_at >= ?"
        values.append(dt.datetime.combine(since, dt.time()))
    if user:
        sql += " AND user_name = ?"
        values.append(user)
    sql += " ORDER BY occurred_at DESC, event_id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    with store.connect(db, read_only=True) as con:
        rows = con.execute(sql, values).fetchall()
    return [
        {
            key: (value.isoformat(sep=" ") if key == "at" else value)
            for key, value in zip(COLUMNS, row, strict=True)
        }
        for row in rows
    ]


def failures_since(db, name: str, since: dt.datetime) -> int:
    """Failed logins of an account from a time on (the lockout counts them)."""
    with store.connect(db, read_only=True) as con:
        return con.execute(
            "SELECT count(*) FROM audit_events WHERE action = 'login' AND outcome = 'failed' "
            "AND user_name = ? AND occurred_at >= ?",
            [name, since],
        ).fetchone()[0]


def table(rows: list[dict]) -> pd.DataFrame:
    """The trail as the admin page and its Excel download show it, with Chinese headers."""
    import pandas as pd  # here, not at the top: every import and login records an event without pandas

    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.rename(columns=HEADERS)


def xlsx(rows: list[dict]) -> bytes:
    """The trail as an Excel workbook (every cell text or a time stamp, never a formula)."""
    from analytics.documents.exports import dataframe_to_xlsx

    return dataframe_to_xlsx(table(rows), sheet_name=t("audit.sheet"))
