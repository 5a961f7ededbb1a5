"""CLI handlers for the supervision subcommands: hazards, enforcement, training, townships.

The table helpers here (_run, _title, _render, _table) serve `analytics.cli.registers` too.

Each handler resolves the county and period, calls the metric function the
pages call, and returns `(exit_status, json_document, human_text)` for
`analytics.cli.main` to print.
"""

from __future__ import annotations

import argparse
import datetime as dt
import unicodedata
from collections.abc import Callable

import duckdb

from analytics import store
from analytics.cli.errors import RejectedInput
from analytics.cli.metrics import EMPTY_DATABASE, check_county, notice_lines, resolve_period
from analytics.metrics.common import NO_TOWNSHIP, TOTAL_LABEL, home_county
from analytics.metrics.coverage import SOURCES, check_period
from analytics.metrics.enforcement import enforcement
from analytics.metrics.hazards import HAZARD_FIELDS, hazards
from analytics.metrics.periods import Period
from analytics.metrics.townships import TOWNSHIP_FIELDS, townships
from analytics.metrics.training import training
from analytics.text import fields
from analytics.text.wording import change_phrase, fmt_pct
from analytics.text.zh import t

KEY_HEADERS = fields.KEY_LABELS


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain-text table aligned for CJK (wide characters take two columns); figures right-aligned."""
    widths = [max(_width(cell) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        parts = []
        for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            pad = " " * (width - _width(cell))
            parts.append(cell + pad if index == 0 else pad + cell)
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def _render(document: dict, key: str, columns: list[tuple[str, Callable[[dict], str]]]) -> str:
    """The rows, then the 合计 row; each column is (header, row -> text)."""
    body = [
        [NO_TOWNSHIP if r[key] is None else str(r[key]), *(f(r) for _, f in columns)]
        for r in document["rows"]
    ]
    body.append([TOTAL_LABEL, *(f(document["total"]) for _, f in columns)])
    return _table([KEY_HEADERS[key], *(h for h, _ in columns)], body)


def _title(document: dict, subject: str) -> str:
    period = document["period"]
    label = Period(period["year"], *period["months"]).label
    title = t(
        "cli.supervision_title",
        county=document["county"],
        year=period["year"],
        months=label,
        subject=subject,
        as_of=period["as_of"],
    )
    return "\n".join([title, *notice_lines(document)])


def _resolve(con: duckdb.DuckDBPyConnection, args: argparse.Namespace, today: dt.date) -> tuple[str, Period]:
    """The period asked for and the county: --county checked against the known ones, else the home county."""
    period = resolve_period(con, args, today)
    county = check_county(con, args.county or home_county(con))
    if county is None:
        raise RejectedInput(EMPTY_DATABASE)
    return county, period


def _run(
    args: argparse.Namespace, compute: Callable, checked: Callable[[Period], Period] = lambda p: p
) -> tuple[int, dict, str]:
    """Resolve county and period, refuse "no data" (over `checked(period)`, the months the figures cover), compute."""
    today = dt.date.today()
    with store.connect(args.db, read_only=True) as con:
        county, period = _resolve(con, args, today)
        check_period(con, checked(period), SOURCES[args.command], county, today)
        return compute(con, period, county, today)


Column = tuple[str, Callable[[dict], str]]


def _field(name: str) -> Column:
    """A column of one field: the catalogue's header and number format, as on the page."""
    return fields.label(name), lambda row: fields.fmt_value(name, row[name])


def _previous(name: str) -> Column:
    """The 同期 value of `name` (a document's `previous` block), under the catalogue's previous_<name> header."""
    return fields.label(f"previous_{name}"), lambda row: fields.fmt_value(name, row["previous"][name])


def _change(name: str, change_field: str) -> Column:
    """同比 of `name` in words, the unit the catalogue gives `name` ("新增3件（去年同期为0）")."""
    unit = fields.unit(name)
    return fields.label(change_field), lambda row: change_phrase(
        row[name], row["previous"][name], row["change_pct"][name], unit
    )


def _columns(*names: str) -> list[Column]:
    return [_field(name) for name in names]


HAZARD_COLUMNS = _columns(*HAZARD_FIELDS)
ENFORCEMENT_COLUMNS = [
    *_columns("cases", "fine_wan", "suspensions", "closures"),
    _previous("cases"),
    _change("cases", "cases_change_pct"),
    _previous("fine_wan"),
    _change("fine_wan", "fine_change_pct"),
    _field("penalties"),
    _previous("penalties"),
    _change("penalties", "penalties_change_pct"),
]
TRAINING_COLUMNS = _columns("trained", "passed", "required", "coverage_pct", "pass_rate")
TOWNSHIP_COLUMNS = _columns(*TOWNSHIP_FIELDS)


def cmd_hazards(args: argparse.Namespace) -> tuple[int, dict, str]:
    """`hazards --county C [--by township|department]`: hazard and inspection figures."""

    def compute(con, period, county, today):
        document = hazards(con, period, county, by=args.by, today=today)
        text = _title(document, t("cli.hazards_subject")) + "\n" + _render(document, args.by, HAZARD_COLUMNS)
        return 0, document, text

    return _run(args, compute)


def cmd_enforcement(args: argparse.Namespace) -> tuple[int, dict, str]:
    """`enforcement --county C [--by department|township]`: cases and fines with 同比."""

    def compute(con, period, county, today):
        document = enforcement(con, period, county, by=args.by, today=today)
        text = (
            _title(document, t("cli.enforcement_subject"))
            + "\n"
            + _render(document, args.by, ENFORCEMENT_COLUMNS)
        )
        return 0, document, text

    return _run(args, compute)


def cmd_training(args: argparse.Namespace) -> tuple[int, dict, str]:
    """`training --county C [--by township|category]`: training coverage against the year's targets."""

    def compute(con, period, county, today):
        document = training(con, period, county, by=args.by, today=today)
        title = _title(document, t("cli.training_subject")) + t(
            "cli.time_progress", progress=fmt_pct(document["time_progress"])
        )
        return 0, document, title + "\n" + _render(document, args.by, TRAINING_COLUMNS)

    return _run(args, compute)


def cmd_townships(args: argparse.Namespace) -> tuple[int, dict, str]:
    """`townships --county C`: the township comparison table."""

    def compute(con, period, county, today):
        document = townships(con, period, county, today=today)
        text = (
            _title(document, t("cli.townships_subject"))
            + "\n"
            + _render(document, "township", TOWNSHIP_COLUMNS)
        )
        return 0, document, text

    return _run(args, compute)
