"""The accounts in the store: create, list, disable, change role or password; login with lockout.

Every change takes the acting `Actor` and checks it may manage accounts (a user may change
only their own password, with the old one); every change and every login, failed or not,
goes to the audit trail. Passwords are stored as argon2id hashes only.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from analytics import settings, store
from analytics.accounts import audit, passwords, sessions
from analytics.accounts.roles import MANAGE_USERS, ROLES, Actor, os_actor, require
from analytics.text.zh import t

_NAME = re.compile(r"^[\w.\-]{1,32}$")
FIRST_ADMIN = "admin"


class AccountProblem(ValueError):
    """A request about an account that cannot be met (unknown name, bad role, weak password); Chinese."""


class LoginFailed(Exception):
    """A login that did not succeed: wrong name or password, locked, or disabled; the message is Chinese."""


def _row(con, name: str):
    return con.execute(
        "SELECT name, role, county, password_hash, must_change, disabled, created_at, last_login "
        "FROM users WHERE name = ?",
        [name],
    ).fetchone()


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountProblem(t("accounts.bad_role", role=role, roles="、".join(ROLES)))


def _check_password(password: str, name: str) -> None:
    reason = passwords.problem(password, name)
    if reason:
        raise AccountProblem(reason)


def add_user(
    db, actor: Actor | None, name: str, role: str, county: str | None = None, password: str | None = None
) -> str | None:
    """Create an account that must change its password at first login; returns the generated password, if any."""
    require(actor, MANAGE_USERS, db, target=name)
    name = (name or "").strip()
    if not _NAME.match(name):
        raise AccountProblem(t("accounts.bad_name", name=name))
    _check_role(role)
    generated = None
    if password is None:
        password = generated = passwords.generate()
    _check_password(password, name)
    with store.connect(db, read_only=False) as con:
        if _row(con, name):
            raise AccountProblem(t("accounts.exists", name=name))
        con.execute(
            "INSERT INTO users VALUES (?, ?, ?, ?, true, false, ?, NULL)",
            [name, role, (county or "").strip() or None, passwords.hash_password(password), audit.now()],
        )
    audit.record(db, actor, "user_add", f"{name} ({role}{', ' + county if county else ''})", "ok")
    return generated


def list_users(db, actor: Actor | None) -> list[dict]:
    """Every account (the `users list` JSON rows), by name."""
    require(actor, MANAGE_USERS, db)
    with store.connect(db, read_only=True) as con:
        rows = con.execute(
            "SELECT name, role, county, disabled, created_at, last_login FROM users ORDER BY name"
        ).fetchall()
    keys = ("name", "role", "county", "disabled", "created_at", "last_login")
    return [
        {
            k: (v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v)
            for k, v in zip(keys, row, strict=True)
        }
        for row in rows
    ]


def _change(db, actor: Actor | None, name: str, action: str, sql: str, values: list) -> None:
    require(actor, MANAGE_USERS, db, target=name)
    with store.connect(db, read_only=False) as con:
        if not _row(con, name):
            raise AccountProblem(t("accounts.unknown", name=name))
        con.execute(sql, values)
        sessions.revoke_all(con, name)
    audit.record(db, actor, action, name, "ok")


def disable(db, actor: Actor | None, name: str) -> None:
    """Disable an account and end its sessions (the account and its history stay)."""
    if actor is not None and actor.name == name:
        raise AccountProblem(t("accounts.not_self"))
    _change(db, actor, name, "user_disable", "UPDATE users SET disabled = true WHERE name = ?", [name])


def set_role(db, actor: Actor | None, name: str, role: str, county: str | None = None) -> None:
    """Give an account another role (and county limit); its sessions end so the change holds at once."""
    _check_role(role)
    _change(
        db,
        actor,
        name,
        "user_role",
        "UPDATE users SET role = ?, county = ? WHERE name = ?",
        [role, (county or "").strip() or None, name],
    )


def reset_password(db, actor: Actor | None, name: str, password: str | None = None) -> str | None:
    """Set an account's password (to be changed at its next login); returns the generated one, if any."""
    generated = None
    if password is None:
        password = generated = passwords.generate()
    _check_password(password, name)
    _change(
        db,
        actor,
        name,
        "user_passwd",
        "UPDATE users SET password_hash = ?, must_change = true, disabled = false WHERE name = ?",
        [passwords.hash_password(password), name],
    )
    return generated


def change_own_password(db, name: str, old: str, new: str, client: str | None = None) -> None:
    """A user replaces their own password, proving the old one (the forced change after a first login)."""
    with store.connect(db, read_only=True) as con:
        row = _row(con, name)
    if row is None or row[5] or not passwords.verify(row[3], old):
        audit.record(db, None, "password_change", name, "failed", user=name, client=client)
        raise AccountProblem(t("accounts.old_password_wrong"))
    if new == old:
        raise AccountProblem(t("accounts.password_same"))
    _check_password(new, name)
    with store.connect(db, read_only=False) as con:
        con.execute(
            "UPDATE users SET password_hash = ?, must_change = false WHERE name = ?",
            [passwords.hash_password(new), name],
        )
    audit.record(db, None, "password_change", name, "ok", user=name, role=row[1], client=client)


def locked(db, name: str, at: dt.datetime | None = None) -> bool:
    """Whether an account has had LOCKOUT_FAILURES failed logins within the last LOCKOUT_MINUTES."""
    at = at or audit.now()
    since = at - dt.timedelta(minutes=settings.LOCKOUT_MINUTES)
    return audit.failures_since(db, name, since) >= settings.LOCKOUT_FAILURES


def authenticate(
    db,
    name: str,
    password: str,
    client: str | None = None,
    at: dt.datetime | None = None,
    start_session: bool = True,
) -> tuple[Actor, str | None, bool]:
    """Log in: (the actor, a new session's cookie, whether the password must be changed first).

    Raises LoginFailed; a locked account is refused without looking at the password. The
    command line's --as checks the password without starting a session (cookie None).
    """
    at = at or audit.now()
    name = (name or "").strip()
    if locked(db, name, at):
        audit.record(db, None, "login", name, "locked", user=name or audit.ANONYMOUS, client=client, at=at)
        raise LoginFailed(t("accounts.locked", minutes=settings.LOCKOUT_MINUTES))
    with store.connect(db, read_only=True) as con:
        row = _row(con, name) if name else None
    if row is None or row[5] or not passwords.verify(row[3], password or ""):
        role = row[1] if row else None
        audit.record(
            db, None, "login", name, "failed", user=name or audit.ANONYMOUS, role=role, client=client, at=at
        )
        raise LoginFailed(t("accounts.login_failed"))
    with store.connect(db, read_only=False) as con:
        con.execute("UPDATE users SET last_login = ? WHERE name = ?", [at, name])
    cookie = sessions.create(db, name, client, at) if start_session else None
    actor = Actor(name=name, role=row[1], county=row[2], client=client or "web", session=cookie)
    audit.record(db, actor, "login", name, "ok", at=at)
    return actor, cookie, bool(row[4])


def logout(db, actor: Actor | None, cookie: str | None) -> bool:
    """End the session behind a cookie; True if one was in force."""
    ended = sessions.revoke(db, cookie)
    if ended:
        audit.record(db, actor, "logout", actor.name if actor else None, "ok")
    return ended


def ensure_first_admin(db) -> tuple[str, Path] | None:
    """With no account yet, create `admin` with a random password written to a file only its owner reads.

    Returns (password, file) when it created the account (print the password once), else None.
    """
    file = store.ensure_schema(db)
    with store.connect(file, read_only=True) as con:
        if con.execute("SELECT count(*) FROM users").fetchone()[0]:
            return None
    password = passwords.generate()
    with store.connect(file, read_only=False) as con:
        if con.execute("SELECT count(*) FROM users").fetchone()[0]:
            return None
        con.execute(
            "INSERT INTO users VALUES (?, 'admin', NULL, ?, true, false, ?, NULL)",
            [FIRST_ADMIN, passwords.hash_password(password), audit.now()],
        )
    secret_file = settings.initial_password_file(file)
    secret_file.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    os.chmod(secret_file, 0o600)
    audit.record(file, os_actor("init"), "user_add", f"{FIRST_ADMIN} (admin)", "ok")
    return password, secret_file
