"""CLI handlers for running the product: `serve`, `backup FILE`, `restore FILE [--yes]`, `migrate --from --to`."""

from __future__ import annotations

import argparse
import subprocess
import sys

from analytics import settings, store
from analytics.cli.errors import RejectedInput
from analytics.store.backup import (
    NotABackup,
    create_backup,
    prune_backups,
    read_manifest,
    refuse_server,
    restore_backup,
)
from analytics.store.migrate import MigrateRefused, migrate
from analytics.text.zh import t

ENTRY = settings.PROJECT_ROOT / "app.py"  # the dashboard behind the login routes (analytics.accounts.web)


def serve_command(host: str, port: int) -> list[str]:
    """The Streamlit command line that serves the dashboard with the project's own settings."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ENTRY),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]


def cmd_serve(args: argparse.Namespace) -> tuple[int, dict, str]:
    """Bring the schema up to date, then run Streamlit from the project folder (its .streamlit/config.toml)."""
    db = store.ensure_schema(args.db)
    env = settings.environment_with_db(db) if args.db else None
    print(t("cli.serving", host=args.host, port=args.port, db=store.display(db)), file=sys.stderr, flush=True)
    try:
        status = subprocess.call(serve_command(args.host, args.port), cwd=settings.PROJECT_ROOT, env=env)
    except KeyboardInterrupt:
        status = 0
    return status, {"status": status}, ""


def cmd_migrate(args: argparse.Namespace) -> tuple[int, dict, str]:
    """Copy every table of one store into another, empty one (file or server, either way)."""
    try:
        result = migrate(args.source, args.target)
    except MigrateRefused as error:
        raise RejectedInput(str(error)) from error
    text = t(
        "cli.migrated",
        source=result["from"],
        target=result["to"],
        tables=len(result["tables"]),
        rows=f"{sum(result['tables'].values()):,}",
    )
    return 0, result, text


def cmd_backup(args: argparse.Namespace) -> tuple[int, dict, str]:
    """Write a consistent backup; into a folder (default: the backup folder) with --keep N rotation."""
    target = args.file or settings.backup_dir()
    if args.file is None:
        target.mkdir(parents=True, exist_ok=True)
    result = create_backup(target, args.db)
    removed = prune_backups(target, args.keep) if args.keep and target.is_dir() else []
    result["removed"] = removed
    text = t("cli.backup_written", path=result["file"], batches=result["batches"])
    if removed:
        text += "\n" + t("cli.backups_pruned", count=len(removed), keep=args.keep)
    return 0, result, text


def _confirmed(args: argparse.Namespace, manifest: dict) -> bool:
    if args.yes:
        return True
    question = t(
        "cli.restore_question",
        created_at=manifest["created_at"],
        batches=manifest.get("batches", "?"),
        db=store.display(args.db),
    )
    print(question, file=sys.stderr, end="", flush=True)
    answer = sys.stdin.readline() if sys.stdin and not sys.stdin.closed else ""
    return answer.strip().lower() in {"y", "yes", t("cli.restore_yes")}


def cmd_restore(args: argparse.Namespace) -> tuple[int, dict, str]:
    """Check the backup, ask (unless --yes), then put it in place of the database."""
    refuse_server(args.db)  # before asking: a server's backup is its own
    try:
        manifest = read_manifest(args.file)
        if not _confirmed(args, manifest):
            raise RejectedInput(t("cli.restore_cancelled"))
        result = restore_backup(args.file, args.db)
    except NotABackup as error:
        raise RejectedInput(str(error)) from error
    return 0, result, t("cli.restored", path=result["db"], created_at=result["created_at"])
