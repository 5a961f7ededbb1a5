"""CLI handlers for the subcommands of issue 10: standardization, sources, projects, reports, control.

Each handler resolves the county and period as the supervision subcommands do,
calls the metric function the pages call, and returns `(exit_status,
json_document, human_text)` for `analytics.cli.main` to print. Headers and number
formats come from the field catalogue (`analytics.text.fields`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from analytics.cli.metrics import notice_lines
from analytics.cli.supervision import KEY_HEADERS, Column, _render, _run, _table, _title
from analytics.metrics.common import NO_TOWNSHIP
from analytics.metrics.control import control
from analytics.metrics.periods import Period
from analytics.metrics.projects import PROJECT_FIELDS, projects
from analytics.metrics.reports import reports
from analytics.metrics.sources import SOURCE_FIELDS, sources
from analytics.metrics.standardization import expiring_certificates, standardization
from analytics.text import fields
from analytics.text.wording import change_phrase
from analytics.text.zh import t


def _field(key: str, name: str | None = None) -> Column:
    """A column of the row's `key`, under the catalogue entry `name` (default: the key itself)."""
    name = name or key
    return fields.label(name), lambda row: fields.fmt_value(name, row[key])


STANDARDIZATION_COLUMNS = [
    _field("target"),
    _field("applied"),
    _field("passed", "standardization_passed"),
    _field("completion_pct"),
    _field("application_pct"),
    _field("certified"),
    _field("expiring"),
]
SOURCE_COLUMNS = [_field(name) for name in SOURCE_FIELDS]
PROJECT_COLUMNS = [_field(name) for name in PROJECT_FIELDS]
CONTROL_COLUMNS = [
    _field(f"{indicator}{suffix}")
    for indicator in ("accidents", "deaths")
    for suffix in ("", "_cap", "_progress", "_status")
]


def _with_expiring(document: dict, listing) -> str:
    """The certificates expiring within 90 days, one line each, soonest first ("" when none)."""
    if listing.empty:
        return ""
    lines = [t("cli.expiring_title", count=len(listing))]
    for row in listing.itertuples():
        lines.append(
            t(
                "cli.expiring_line",
                enterprise=row.enterprise,
                township=NO_TOWNSHIP if not isinstance(row.township, str) else row.township,
                grade=row.grade,
                expires_on=row.expires_on.isoformat(),
                days=fields.fmt_with_unit("days_left", row.days_left),
            )
        )
    return "\n" + "\n".join(lines)


def cmd_standardization(args: argparse.Namespace) -> tuple[int, dict, str]:
    """`standardization --county C [--by grade|township]`: 标准化 progress against the year's targets."""

    def compute(con, period, county, today):
        document = standardization(con, period, county, by=args.by, today=today)
        text = _title(document, t("cli.standardization_subject"))
        text += "\n" + _render(document, args.by, STANDARDIZATION_COLUMNS)
        text += _with_expiring(document, expiring_certificates(con, period, county, today=today))
        return 0, document, text

    return _run(args, compute)


def cmd_sources(args: argparse.Namespace) -> tuple[int, dict, str]:
    """`sources --county C [--by level|township]`: major hazard sources in force."""

    def compute(con, period, county, today):
        document = sources(con, period, county, by=args.by, today=today)
        text = _title(document, t("cli.sources_subject")) + "\n" + _render(document, args.by, SOURCE_COLUMNS)
        return 0, document, text

    return _run(args, compute)


def cmd_projects(args: argparse.Namespace) -> tuple[int, dict, str]:
    """`projects --county C`: construction projects and their safety evaluation."""

    def compute(con, period, county, today):
        document = projects(con, period, county, today=today)
        text = (
            _title(document, t("cli.projects_subject"))
            + "\n"
            + _render(document, "township", PROJECT_COLUMNS)
        )
        return 0, document, text

    return _run(args, compute)


def _report_cells(row: dict) -> list[str]:
    unit = fields.unit("report_value")
    return [
        fields.fmt_value("report_value", row["value"]),
        fields.fmt_value("report_previous", row["previous"]),
        change_phrase(row["value"], row["previous"], row["change_pct"], unit),
    ]


def cmd_reports(args: argparse.Namespace) -> tuple[int, dict, str]:
    """`reports --county C [--by item|department]`: the departments' monthly report items with 同比."""

    def compute(con, period, county, today):
        document = reports(con, period, county, by=args.by, today=today)
        keys = ["item"] if args.by == "item" else ["department", "item"]
        headers = [KEY_HEADERS[k] for k in keys] + [
            fields.label(name) for name in ("report_value", "report_previous", "report_change_pct")
        ]
        body = [[str(row[k]) for k in keys] + _report_cells(row) for row in document["rows"]]
        text = _title(document, t("cli.reports_subject")) + "\n"
        text += _table(headers, body) if body else t("cli.no_rows")
        return 0, document, text

    return _run(args, compute)


def _control_title(document: dict) -> str:
    period = document["period"]
    title = t(
        "cli.supervision_title",
        county=document["county_name"],
        year=period["year"],
        months=Period(period["year"], *period["months"]).label,
        subject=t("cli.control_subject"),
        as_of=period["as_of"],
    )
    progress = fields.fmt_value("time_progress", document["time_progress"])
    title += t("cli.time_progress", progress=progress)
    return "\n".join([title, *notice_lines(document)])


def _control_table(document: dict, columns: list[tuple[str, Callable[[dict], str]]]) -> str:
    rows = []
    if document["county"] is not None:
        rows.append([document["county_name"], *(f(document["county"]) for _, f in columns)])
    rows += [[row["township"], *(f(row) for _, f in columns)] for row in document["townships"]]
    if not rows:
        return t("cli.no_control_targets", year=document["period"]["year"])
    return _table([KEY_HEADERS["township"], *(h for h, _ in columns)], rows)


def cmd_control(args: argparse.Namespace) -> tuple[int, dict, str]:
    """`control --county C`: control-target progress for the county and its townships."""

    def compute(con, period, county, today):
        document = control(con, period, county, today=today)
        return 0, document, _control_title(document) + "\n" + _control_table(document, CONTROL_COLUMNS)

    # Control figures always cover months 1–b: that span is the one checked for "no data".
    return _run(args, compute, checked=lambda period: Period(period.year, 1, period.last_month))
