"""The command line `python -m analytics`, as `spec/cli.md` defines it.

This module only parses arguments and prints; each subcommand's work is a
function elsewhere in `analytics`, the same one the pages call.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from analytics import settings, store
from analytics.accounts.roles import Refused
from analytics.cli import accounts
from analytics.cli.argparse_zh import ChineseParser, integer
from analytics.cli.errors import RejectedInput, UsageError
from analytics.metrics.coverage import NoData
from analytics.text.zh import t


class _Handler:
    """A subcommand's handler, imported when it runs: `import` never loads the report's docx and plotly."""

    def __init__(self, module: str, function: str) -> None:
        self.module, self.function = module, function

    def __call__(self, args: argparse.Namespace) -> tuple[int, object, str]:
        return getattr(importlib.import_module(f"analytics.cli.{self.module}"), self.function)(args)


# subcommand -> handler; each takes the parsed args and returns
# (exit_status, json_document, human_text).
HANDLERS: dict[str, Callable[[argparse.Namespace], tuple[int, object, str]]] = {
    name: _Handler(module, f"cmd_{name}")
    for module, names in (
        ("data", ("init", "import", "undo", "status")),
        ("metrics", ("indicators", "ranking")),
        ("supervision", ("hazards", "enforcement", "training", "townships")),
        ("registers", ("standardization", "sources", "projects", "reports", "control")),
        ("report", ("report", "brief")),
        ("ops", ("serve", "backup", "restore", "migrate")),
        ("accounts", ("users", "audit")),
    )
    for name in names
}


class _Parser(ChineseParser):
    def error(self, message: str) -> None:  # argparse's own messages, exit status 2
        self.print_usage(sys.stderr)
        print(t("cli.usage_error", message=message), file=sys.stderr)
        sys.exit(2)


class _QuietFileHandler(logging.FileHandler):
    """A log file that, when it cannot be written (disk full, read-only), stays silent on screen."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        pass


def _start_log() -> logging.Handler | None:
    """Details of failures go to the log file, opened only when something is logged."""
    try:
        handler = _QuietFileHandler(settings.log_file(), encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("analytics")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return handler


def _stop_log(handler: logging.Handler | None) -> None:
    if handler is not None:
        logging.getLogger("analytics").removeHandler(handler)
        handler.close()


def _failed(args: argparse.Namespace, message: str) -> int:
    if args.json:
        print(json.dumps({"error": message}, ensure_ascii=False))
    print(t("cli.error", message=message), file=sys.stderr)
    return 1


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        metavar=t("cli.db_metavar"),
        help=t("cli.db_help"),
    )
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=t("cli.json_help"))

    period = _Parser(add_help=False)
    period.add_argument("--year", type=integer, metavar=t("cli.year_metavar"), help=t("cli.year_help"))
    period.add_argument("--months", metavar="a-b", help=t("cli.months_help"))

    parser = _Parser(prog="python -m analytics", description=t("cli.description"), parents=[common])
    sub = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, metavar=t("cli.subcommand_metavar")
    )

    p = sub.add_parser("init", parents=[common], help=t("cli.init_help"))
    p.add_argument("--sample", action="store_true", help=t("cli.sample_help"))

    p = sub.add_parser("import", parents=[common], help=t("cli.import_help"))
    p.add_argument("files", nargs="+", metavar=t("cli.file_metavar"))
    p.add_argument("--dataset", metavar=t("cli.dataset_metavar"), help=t("cli.dataset_help"))
    p.add_argument("--mode", choices=["upsert", "replace"], default="upsert")
    p.add_argument("--dry-run", action="store_true", help=t("cli.dry_run_help"))
    p.add_argument("--covers", metavar=t("cli.covers_metavar"), help=t("cli.covers_help"))
    p.add_argument("--county", metavar=t("cli.county_metavar"), help=t("cli.covers_county_help"))
    accounts.add_as_option(p)

    p = sub.add_parser("undo", parents=[common], help=t("cli.undo_help"))
    p.add_argument("batch_id", type=integer, metavar=t("cli.batch_metavar"), help=t("cli.batch_help"))
    accounts.add_as_option(p)

    sub.add_parser("status", parents=[common], help=t("cli.status_help"))

    p = sub.add_parser("indicators", parents=[common, period], help=t("cli.indicators_help"))
    p.add_argument("--county", metavar=t("cli.county_metavar"), help=t("cli.county_city_help"))

    sub.add_parser("ranking", parents=[common, period], help=t("cli.ranking_help"))

    for name, choices, help_text in (
        ("hazards", ["township", "department"], t("cli.hazards_help")),
        ("enforcement", ["department", "township"], t("cli.enforcement_help")),
        ("training", ["township", "category"], t("cli.training_help")),
        ("townships", None, t("cli.townships_help")),
        ("standardization", ["grade", "township"], t("cli.standardization_help")),
        ("sources", ["level", "township"], t("cli.sources_help")),
        ("projects", None, t("cli.projects_help")),
        ("reports", ["item", "department"], t("cli.reports_help")),
        ("control", None, t("cli.control_help")),
    ):
        p = sub.add_parser(name, parents=[common, period], help=help_text)
        p.add_argument("--county", metavar=t("cli.county_metavar"), help=t("cli.county_home_help"))
        if choices:
            p.add_argument(
                "--by", choices=choices, default=choices[0], help=t("cli.by_help", default=choices[0])
            )

    for name, help_text in (("report", t("cli.report_help")), ("brief", t("cli.brief_help"))):
        p = sub.add_parser(name, parents=[common, period], help=help_text)
        p.add_argument("--county", metavar=t("cli.county_metavar"), help=t("cli.county_home_help"))
        out = p.add_mutually_exclusive_group(required=True)
        out.add_argument("--out", metavar=t("cli.file_metavar"), help=t("cli.out_help"))
        out.add_argument("--out-dir", metavar=t("cli.folder_metavar"), help=t("cli.out_dir_help"))

    p = sub.add_parser("serve", parents=[common], help=t("cli.serve_help"))
    p.add_argument(
        "--host", default=settings.SERVER_ADDRESS, help=t("cli.host_help", default=settings.SERVER_ADDRESS)
    )
    p.add_argument(
        "--port",
        type=integer,
        default=settings.SERVER_PORT,
        help=t("cli.port_help", default=settings.SERVER_PORT),
    )

    p = sub.add_parser("migrate", parents=[common], help=t("cli.migrate_help"))
    p.add_argument(
        "--from", dest="source", required=True, metavar="PATH_OR_URL", help=t("cli.migrate_from_help")
    )
    p.add_argument("--to", dest="target", required=True, metavar="PATH_OR_URL", help=t("cli.migrate_to_help"))

    p = sub.add_parser("backup", parents=[common], help=t("cli.backup_help"))
    p.add_argument(
        "file", nargs="?", type=Path, metavar=t("cli.file_metavar"), help=t("cli.backup_file_help")
    )
    p.add_argument("--keep", type=integer, metavar="N", help=t("cli.keep_help"))

    p = sub.add_parser("restore", parents=[common], help=t("cli.restore_help"))
    p.add_argument("file", type=Path, metavar=t("cli.file_metavar"), help=t("cli.restore_file_help"))
    p.add_argument("--yes", action="store_true", help=t("cli.yes_help"))
    accounts.add_parsers(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    args.db = getattr(args, "db", None)
    args.json = getattr(args, "json", False)
    handler = _start_log()
    log = logging.getLogger("analytics.cli")
    try:
        status, document, text = HANDLERS[args.command](args)
    except UsageError as error:
        print(t("cli.usage_error", message=error), file=sys.stderr)
        return 2
    except (RejectedInput, NoData, Refused) as error:
        return _failed(args, str(error))
    except store.StoreFailure as error:
        log.error("%s failed: %s", args.command, error, exc_info=True)
        return _failed(args, t("cli.failure_logged", message=error, log=settings.log_file()))
    except OSError as error:
        log.error("%s failed", args.command, exc_info=True)
        return _failed(
            args,
            t("cli.os_error", file=error.filename or t("cli.unknown_file"), reason=store.os_reason(error)),
        )
    except Exception as error:
        failure = store.explain(error, store.location(args.db))
        log.error("%s failed", args.command, exc_info=True)
        if failure is not None:
            return _failed(args, t("cli.failure_logged", message=failure, log=settings.log_file()))
        return _failed(args, t("cli.unexpected", kind=type(error).__name__, log=settings.log_file()))
    finally:
        _stop_log(handler)
    if args.json:
        print(json.dumps(document, ensure_ascii=False, default=str))
    elif text:
        print(text)
    return status
