"""Browser sessions: a random token in a signed, HttpOnly cookie, and its row in the store.

The cookie is `token.signature` (HMAC-SHA256 with a secret kept in the store's meta table).
A forged or altered cookie fails the signature; a well-signed one must also name a session
row that has not expired and was not ended by logout, of an account still enabled. The store
keeps only the token's SHA-256, so a copy of the database file holds no usable cookie.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
import time

from analytics import settings, store
from analytics.accounts.audit import now
from analytics.accounts.roles import Actor

_SECRET_KEY = "session_secret"
_secrets: dict[str, bytes] = {}  # database file -> its secret, read once per process
# Every page view asks who the visitor is several times (the gate for the page and for its websocket, then
# the page's run), and each answer opened the database: about 0.2 s on a large file. An answer is kept
# for the same state of the file (a login, logout, revocation or account change writes to it, so it is
# asked again) and at most REUSE_SECONDS, so an expiry is noticed within that. A data-changing call checks
# its actor again through still_valid, which always asks the file.
REUSE_SECONDS = 30.0
_answers: dict[tuple, tuple[float, object]] = {}
_answers_lock = threading.Lock()
_KEEP_ANSWERS = 256


def _reused(db, question: tuple, ask):
    """`ask()`, or its answer of the last REUSE_SECONDS for the same question and state of the file."""
    key = (str(store.location(db)), store.data_version(db), *question)
    with _answers_lock:
        kept = _answers.get(key)
    if kept is not None and time.monotonic() - kept[0] < REUSE_SECONDS:
        return kept[1]
    answer = ask()
    with _answers_lock:
        _answers[key] = (time.monotonic(), answer)
        while len(_answers) > _KEEP_ANSWERS:
            del _answers[next(iter(_answers))]
    return answer


def _secret(db) -> bytes:
    where = store.location(db)
    key = store.display(where) if store.is_server(where) else str(where.resolve())
    if key not in _secrets:
        _secrets[key] = _read_secret(db)
    return _secrets[key]


def _read_secret(db) -> bytes:
    with store.connect(db, read_only=True) as con:
        value = store.get_meta(con, _SECRET_KEY)
    if value is None:
        with store.connect(db, read_only=False) as con:
            value = store.get_meta(con, _SECRET_KEY)
            if value is None:
                value = secrets.token_hex(32)
                store.set_meta(con, _SECRET_KEY, value)
    return value.encode()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _sign(db, token: str) -> str:
    return hmac.new(_secret(db), token.encode(), hashlib.sha256).hexdigest()


def create(db, name: str, client: str | None, at: dt.datetime | None = None) -> str:
    """Start a session for an account; returns the cookie value."""
    token = secrets.token_urlsafe(32)
    started = at or now()
    with store.connect(db, read_only=False) as con:
        con.execute(
            "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, NULL)",
            [_digest(token), name, client, started, started + dt.timedelta(hours=settings.SESSION_HOURS)],
        )
    return f"{token}.{_sign(db, token)}"


def _token(db, cookie: str | None) -> str | None:
    if not cookie or cookie.count(".") != 1:
        return None
    token, signature = cookie.split(".")
    if not token or not hmac.compare_digest(signature, _sign(db, token)):
        return None
    return token


def resolve(db, cookie: str | None, client: str | None = None, at: dt.datetime | None = None) -> Actor | None:
    """The account behind a cookie, or None (no cookie, bad signature, expired, ended, disabled)."""
    token = _token(db, cookie)
    if token is None:
        return None

    def ask(when: dt.datetime):
        with store.connect(db, read_only=True) as con:
            return con.execute(
                "SELECT u.name, u.role, u.county FROM sessions s JOIN users u ON u.name = s.name "
                "WHERE s.token_digest = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND NOT u.disabled",
                [_digest(token), when],
            ).fetchone()

    # A given moment (`at`) is always asked; "now" may be answered from the last REUSE_SECONDS.
    row = ask(at) if at is not None else _reused(db, ("session", _digest(token)), lambda: ask(now()))
    if row is None:
        return None
    return Actor(name=row[0], role=row[1], county=row[2], client=client or "web", session=cookie)


def still_valid(db, actor: Actor, at: dt.datetime | None = None) -> bool:
    """Whether a browser actor's session is still in force with the same role and county."""
    current = resolve(db, actor.session, actor.client, at or now())  # asked afresh, never reused
    return current is not None and (current.name, current.role, current.county) == (
        actor.name,
        actor.role,
        actor.county,
    )


def must_change(db, actor: Actor) -> bool:
    """Whether the account still has its initial (or reset) password, to be changed before anything else."""

    def ask():
        with store.connect(db, read_only=True) as con:
            return con.execute("SELECT must_change FROM users WHERE name = ?", [actor.name]).fetchone()

    row = _reused(db, ("must_change", actor.name), ask)
    return bool(row and row[0])


def revoke(db, cookie: str | None, at: dt.datetime | None = None) -> bool:
    """End the session of a cookie (logout); True if one was in force."""
    token = _token(db, cookie)
    if token is None:
        return False
    with store.connect(db, read_only=False) as con:
        changed = con.execute(
            "UPDATE sessions SET revoked_at = ? WHERE token_digest = ? AND revoked_at IS NULL RETURNING name",
            [at or now(), _digest(token)],
        ).fetchall()
    return bool(changed)


def revoke_all(con, name: str, at: dt.datetime | None = None) -> None:
    """End every session of an account (disabled, role changed, password changed), inside the caller's write."""
    con.execute(
        "UPDATE sessions SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", [at or now(), name]
    )
