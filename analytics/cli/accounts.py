"""Command-line handlers for accounts and the audit trail: users, audit, and the actor behind --as."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys

from analytics import store
from analytics.accounts import audit, users
from analytics.accounts.roles import MANAGE_USERS, READ_AUDIT, Actor, Refused, os_actor, require
from analytics.cli.errors import RejectedInput, UsageError
from analytics.text.zh import t


def _read_secret(prompt: str) -> str | None:
    """One line of standard input (a script's pipe), or a hidden prompt on a terminal; None at end of input."""
    if sys.stdin is None:
        return None
    if sys.stdin.isatty():
        return getpass.getpass(prompt, stream=sys.stderr)
    line = sys.stdin.readline()
    return line.rstrip("\r\n") if line else None


def actor_of(args: argparse.Namespace) -> Actor:
    """The operating-system user, or with --as the named account after its password (from stdin)."""
    name = getattr(args, "as_user", None)
    if not name:
        return os_actor("cli")
    password = _read_secret(t("cli.as_prompt", name=name))
    store.ensure_schema(args.db)
    try:
        actor, _, _ = users.authenticate(args.db, name, password or "", client="cli", start_session=False)
    except users.LoginFailed as error:
        raise RejectedInput(str(error)) from error
    return actor


def add_as_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="as_user", metavar=t("cli.user_metavar"), help=t("cli.as_help"))


def report_first_admin(db) -> dict | None:
    """Create the first `admin` if there is no account; print its password once (stderr). The JSON part."""
    created = users.ensure_first_admin(db)
    if created is None:
        return None
    password, file = created
    print(t("cli.first_admin", name=users.FIRST_ADMIN, password=password, file=file), file=sys.stderr)
    return {"name": users.FIRST_ADMIN, "password_file": str(file)}


def _new_password(args: argparse.Namespace) -> str | None:
    if getattr(args, "generate", False):
        return None
    return _read_secret(t("cli.new_password_prompt", name=args.name)) or None


def cmd_users(args: argparse.Namespace) -> tuple[int, dict, str]:
    """users add | list | disable | passwd | role (see spec/cli.md)."""
    actor = actor_of(args)
    store.ensure_schema(args.db)
    try:
        if args.action == "list":
            rows = users.list_users(args.db, actor)
            lines = [t("cli.users_header")] + [
                t(
                    "cli.user_line",
                    name=u["name"],
                    role=u["role"],
                    county=u["county"] or "-",
                    state=t("cli.user_disabled") if u["disabled"] else "",
                    last=u["last_login"] or "-",
                )
                for u in rows
            ]
            return 0, {"users": rows}, "\n".join(lines)
        if args.action == "add":
            require(actor, MANAGE_USERS, args.db, target=args.name)
            generated = users.add_user(args.db, actor, args.name, args.role, args.county, _new_password(args))
            return _done(args, generated, t("cli.user_added", name=args.name, role=args.role))
        if args.action == "disable":
            users.disable(args.db, actor, args.name)
            return 0, {"user": args.name, "disabled": True}, t("cli.user_disabled_done", name=args.name)
        if args.action == "passwd":
            require(actor, MANAGE_USERS, args.db, target=args.name)
            generated = users.reset_password(args.db, actor, args.name, _new_password(args))
            return _done(args, generated, t("cli.user_passwd_done", name=args.name))
        users.set_role(args.db, actor, args.name, args.role, args.county)
        return (
            0,
            {"user": args.name, "role": args.role},
            t("cli.user_role_done", name=args.name, role=args.role),
        )
    except (Refused, users.AccountProblem) as error:
        raise RejectedInput(str(error)) from error


def _done(args: argparse.Namespace, generated: str | None, text: str) -> tuple[int, dict, str]:
    if generated:
        text += "\n" + t("cli.generated_password", password=generated)
    return 0, {"user": args.name, "password": generated}, text


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise UsageError(t("cli.bad_since", text=text)) from error


def cmd_audit(args: argparse.Namespace) -> tuple[int, dict, str]:
    """The audit trail, newest first, from a day on and for one user."""
    since = _day(args.since)
    actor = actor_of(args)
    store.ensure_schema(args.db)
    try:
        require(actor, READ_AUDIT, args.db, target="audit")
    except Refused as error:
        raise RejectedInput(str(error)) from error
    rows = audit.events(args.db, since=since, user=args.user)
    lines = ["  ".join(str(e[k] if e[k] is not None else "-") for k in audit.COLUMNS) for e in rows]
    return 0, {"events": rows}, "\n".join(lines) or t("cli.audit_empty")


def add_parsers(sub, common) -> None:
    """The users and audit subcommands."""
    helps = {
        "add": t("cli.users_add_help"),
        "list": t("cli.users_list_help"),
        "disable": t("cli.users_disable_help"),
        "passwd": t("cli.users_passwd_help"),
        "role": t("cli.users_role_help"),
    }
    p = sub.add_parser("users", parents=[common], help=t("cli.users_help"))
    actions = p.add_subparsers(
        dest="action", required=True, parser_class=type(p), metavar=t("cli.action_metavar")
    )
    for name, help_text in helps.items():
        q = actions.add_parser(name, parents=[common], help=help_text)
        add_as_option(q)
        if name != "list":
            q.add_argument("name", metavar=t("cli.user_metavar"))
        if name == "add":
            q.add_argument("--role", required=True, choices=users.ROLES)
        if name == "role":
            q.add_argument("role", choices=users.ROLES)
        if name in ("add", "role"):
            q.add_argument("--county", metavar=t("cli.county_metavar"), help=t("cli.user_county_help"))
        if name in ("add", "passwd"):
            q.add_argument("--generate", action="store_true", help=t("cli.generate_help"))
    p = sub.add_parser("audit", parents=[common], help=t("cli.audit_help"))
    add_as_option(p)
    p.add_argument("--since", metavar="YYYY-MM-DD", help=t("cli.since_help"))
    p.add_argument("--user", metavar=t("cli.user_metavar"), help=t("cli.audit_user_help"))
