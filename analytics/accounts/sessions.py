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

from analytics import settings, store
from analytics.accounts.audit import now
from analytics.accounts.roles import Actor

_SECRET_KEY = "session_secret"
_secrets: dict[str, bytes] = {}  # database file -> its secret, read once per process


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
    with store.connect(db, read_only=True) as con:
        row = con.execute(
            "SELECT u.name, u.role, u.county FROM sessions s JOIN users u ON u.name = s.name "
            "WHERE s.token_digest = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND NOT u.disabled",
            [_digest(token), at or now()],
        ).fetchone()
    if row is None:
        return None
    return Actor(name=row[0], role=row[1], county=row[2], client=client or "web", session=cookie)


def still_valid(db, actor: Actor, at: dt.datetime | None = None) -> bool:
    """Whether a browser actor's session is still in force with the same role and county."""
    current = resolve(db, actor.session, actor.client, at)
    return current is not None and (current.name, current.role, current.county) == (
        actor.name,
        actor.role,
        actor.county,
    )


def must_change(db, actor: Actor) -> bool:
    """Whether the account still has its initial (or reset) password, to be changed before anything else."""
    with store.connect(db, read_only=True) as con:
        row = con.execute("SELECT must_change FROM users WHERE name = ?", [actor.name]).fetchone()
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
