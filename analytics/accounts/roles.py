"""Who may do what: the roles, the actor of a call, and the check each data-changing function makes.

viewer: every leader and analysis page, downloads. analyst: also import, preview, undo of
their own batches, templates, the report. admin: also undo of any batch, clearing the
sample, accounts and settings, the audit trail. The operating-system user that runs the
command line (or the server) acts with every right, as whoever may run commands on it.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

from analytics import settings
from analytics.text.zh import t

ROLES = ("viewer", "analyst", "admin")
SYSTEM_ROLE = "system"  # the operating-system user: the command line without --as, the server itself

VIEW = "view"
DOWNLOAD = "download"
IMPORT = "import"
UNDO_OWN = "undo_own"
UNDO_ANY = "undo_any"
REPORT = "report"
CLEAR_SAMPLE = "clear_sample"
MANAGE_USERS = "manage_users"
SETTINGS = "settings"
READ_AUDIT = "read_audit"

_VIEWER = frozenset({VIEW, DOWNLOAD})
_ANALYST = _VIEWER | {IMPORT, UNDO_OWN, REPORT}
_ADMIN = _ANALYST | {UNDO_ANY, CLEAR_SAMPLE, MANAGE_USERS, SETTINGS, READ_AUDIT}
PERMISSIONS: dict[str, frozenset[str]] = {
    "viewer": _VIEWER,
    "analyst": _ANALYST,
    "admin": _ADMIN,
    SYSTEM_ROLE: _ADMIN,
}

ROLE_NAMES = {
    "viewer": t("accounts.role.viewer"),
    "analyst": t("accounts.role.analyst"),
    "admin": t("accounts.role.admin"),
    SYSTEM_ROLE: t("accounts.role.system"),
}


class Refused(PermissionError):
    """The actor may not do this (or the session behind it has ended); the message is Chinese."""


@dataclass(frozen=True)
class Actor:
    """Who makes a call: an account (with its session when it came from the browser) or the OS user.

    `session` is the session cookie's token for a browser actor: `require` checks it is still
    valid at the moment of the call, so a cookie replayed after logout does nothing.
    """

    name: str
    role: str
    county: str | None = None
    client: str = "cli"
    session: str | None = None

    def may(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())


def os_actor(client: str = "cli") -> Actor:
    """The operating-system user running this process, with every right."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return Actor(name=name, role=SYSTEM_ROLE, client=client)


# This process's own OS user: the default actor of a call made by code, not by a visitor
# (the first start's sample load, scripts, tests). Pages always pass the visitor's actor.
PROCESS = os_actor("local")


def require(actor: Actor | None, permission: str, db=None, *, target: str | None = None) -> Actor:
    """Refuse (and record in the audit trail) a call the actor may not make; returns the actor.

    `None` is the anonymous visitor, who may only look. A browser actor's session must still be
    valid in the store (not expired, not ended by logout, account not disabled).
    """
    from analytics.accounts import audit, sessions

    if actor is None:
        if permission in _VIEWER and settings.anonymous_viewing():
            return actor
        audit.record(db, None, permission, target, "refused")
        raise Refused(t("accounts.login_needed"))
    if actor.session is not None and not sessions.still_valid(db, actor):
        audit.record(db, actor, permission, target, "refused")
        raise Refused(t("accounts.session_ended"))
    if not actor.may(permission):
        audit.record(db, actor, permission, target, "refused")
        raise Refused(t("accounts.not_allowed", role=ROLE_NAMES.get(actor.role, actor.role)))
    return actor
