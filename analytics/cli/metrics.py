"""Command-line handlers `indicators` and `ranking` (spec/cli.md), over `analytics.metrics`.

Each handler returns (exit_status, json_document, human_text) as `analytics.cli.main` expects.
"""

from __future__ import annotations

import argparse
import datetime as dt

import duckdb

from analytics import store
from analytics.cli.errors import RejectedInput, UsageError
from analytics.importing.suggest import closest
from analytics.metrics.common import counties, default_period, latest_month
from analytics.metrics.coverage import SOURCES, check_period
from analytics.metrics.indicators import INDICATORS, indicators
from analytics.metrics.periods import Period, parse_months
from analytics.metrics.ranking import RATES, ranking, shared_rank
from analytics.text import fields
from analytics.text.wording import (
    DASH,
    change_phrase,
    coverage_notices,
    data_as_of_text,
    fmt_pct,
    provisional_note,
    rank_phrase,
    source_basis,
    verdict,
)
from analytics.text.zh import t

EMPTY_DATABASE = t("cli.empty_database")


def resolve_period(con: duckdb.DuckDBPyConnection, args: argparse.Namespace, today: dt.date) -> Period:
    """The period of `--year/--months`, defaulting to 1–latest month; exits 1 on an empty database."""
    months = None
    if getattr(args, "months", None):
        try:
            months = parse_months(args.months)
        except ValueError as error:
            raise UsageError(t("cli.bad_months", value=args.months)) from error
    year = getattr(args, "year", None)
    if year is not None and not dt.MINYEAR < year <= dt.MAXYEAR:
        raise UsageError(t("cli.bad_year", value=year))
    if latest_month(con, today) is None:
        raise RejectedInput(EMPTY_DATABASE)
    period = default_period(con, year, months, today)
    if period is None:
        raise RejectedInput(EMPTY_DATABASE)
    return period


def check_county(con: duckdb.DuckDBPyConnection, county: str | None) -> str | None:
    """The county as given when the database knows it; else RejectedInput naming the closest one."""
    if county is None:
        return None
    county = county.strip()
    known = counties(con)
    if county in known:
        return county
    close = closest(county, known)
    message = t("cli.unknown_county", county=county)
    if close:
        message += t("cli.did_you_mean", county=close[0])
    if known:
        message += t("cli.choices", counties="、".join(known))
    raise RejectedInput(message)


def notice_lines(doc: dict) -> list[str]:
    """The coverage notices of a document, one line each, for the text output."""
    return [t("cli.notice", notice=notice) for notice in coverage_notices(doc)]


def _table(header: list[str], rows: list[list[str]]) -> str:
    # CJK characters take two columns in a terminal, so pad by display width.
    def width(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    widths = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [cell + " " * (w - width(cell)) for cell, w in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def indicators_text(doc: dict) -> str:
    """The indicators document as a readable Chinese table."""
    period = doc["period"]
    title = t(
        "cli.indicators_title",
        year=period["year"],
        months=Period(period["year"], *period["months"]).label,
        county=doc["county"] or t("cli.whole_city"),
    )
    rows = []
    for name in INDICATORS:
        figure = doc["indicators"][name]
        rows.append(
            [
                fields.label(name),
                fields.fmt_value(name, figure["value"]),
                fields.fmt_value(name, figure["previous"]),
                change_phrase(figure["value"], figure["previous"], figure["change_pct"], fields.unit(name)),
            ]
        )
    lines = [title, data_as_of_text(period, doc.get("coverage")), *notice_lines(doc), ""]
    lines += [
        _table(
            [
                t("cli.column.indicator"),
                t("cli.column.current"),
                t("cli.column.previous"),
                t("cli.column.change"),
            ],
            rows,
        ),
        "",
    ]
    major = doc["major_accidents"]
    lines.append(t("cli.verdict", verdict=verdict(doc)))
    lines.append(
        t(
            "cli.major",
            label=fields.short_label("major_accidents"),
            amount=fields.fmt_with_unit("major_accidents", major["value"]),
            previous=fields.fmt_with_unit("major_accidents", major["previous"]),
        )
    )
    missing = fields.fmt_with_unit("missing", doc["missing"]["value"])
    lines.append(t("cli.labelled", label=fields.short_label("missing"), value=missing))
    if doc["industry_trade"]["no_accidents"]:
        lines.append(t("cli.no_industry_accidents"))
    if doc["mom"]:
        mom = doc["mom"]
        parts = [
            fields.short_label(n)
            + change_phrase(
                mom[n]["value"],
                mom[n]["previous"],
                mom[n]["change_pct"],
                fields.unit(n),
                t("cli.previous_month"),
            )
            for n in INDICATORS
        ]
        lines.append(t("cli.mom", month=mom["period"]["months"][0], parts="，".join(parts)))
    note = provisional_note(doc)
    if note:
        lines.append(note)
    if doc["by_sector"]:
        sector_rows = [
            [row["sector"], *(fields.fmt_value(name, row[name]) for name in INDICATORS)]
            for row in doc["by_sector"]
        ]
        sector_header = [fields.KEY_LABELS["sector"], *(fields.label(name) for name in INDICATORS)]
        lines += ["", t("cli.by_sector"), _table(sector_header, sector_rows)]
    return "\n".join(lines)


def ranking_text(doc: dict) -> str:
    """The ranking document as a readable Chinese table."""
    period = doc["period"]
    label = Period(period["year"], *period["months"]).label
    county_column = fields.KEY_LABELS["county"]
    header = [county_column, *(t("cli.rank_column", label=fields.short_label(n)) for n in INDICATORS)]
    header.append(t("tables.source"))
    rows = []
    for row in doc["counties"]:
        cells = [row["county"]]
        for name in INDICATORS:
            tied = shared_rank(doc, name, row["rank"][name])
            cells.append(
                t(
                    "cli.rank_cell",
                    amount=fields.fmt_with_unit(name, row[name]),
                    rank=rank_phrase(row["rank"][name], tied),
                )
            )
        cells.append(source_basis(row["source"]))
        rows.append(cells)
    lines = [
        t("cli.ranking_title", year=period["year"], months=label),
        data_as_of_text(period, {row["county"]: row["coverage"] for row in doc["counties"]}),
        *notice_lines(doc),
        "",
        _table(header, rows),
    ]
    change_header = [
        county_column,
        *(t("cli.change_column", label=fields.short_label(n)) for n in INDICATORS),
    ]
    change_rows = [
        [row["county"]]
        + [
            t(
                "cli.change_cell",
                change=t("cli.new") if row["change_pct"][n] is None else fmt_pct(row["change_pct"][n]),
                rank=row["change_rank"][n],
            )
            for n in INDICATORS
        ]
        for row in doc["counties"]
    ]
    lines += ["", _table(change_header, change_rows)]
    available = [name for name in RATES if doc["rates_available"][name]]
    if available:
        rate_header = [county_column, *(fields.label(n) for n in available)]
        rate_rows = [
            [row["county"]]
            + [
                t(
                    "cli.rank_cell",
                    amount=fields.fmt_value(n, row["rates"][n]),
                    rank=rank_phrase(row["rate_rank"][n]),
                )
                if row["rates"][n] is not None
                else DASH
                for n in available
            ]
            for row in doc["counties"]
        ]
        lines += ["", t("cli.rates_basis", year=period["year"]), _table(rate_header, rate_rows)]
    return "\n".join(lines)


def cmd_indicators(args: argparse.Namespace) -> tuple[int, dict, str]:
    """`indicators [--county C]`: the four indicators, 同比 and by sector; the whole city without --county."""
    today = dt.date.today()
    with store.connect(args.db, read_only=True) as con:
        period = resolve_period(con, args, today)
        county = check_county(con, getattr(args, "county", None))
        check_period(con, period, SOURCES["indicators"], county, today)
        doc = indicators(con, period, county, today)
    return 0, doc, indicators_text(doc)


def cmd_ranking(args: argparse.Namespace) -> tuple[int, dict, str]:
    """`ranking`: every county of the city ranked on the four indicators, their change and rates."""
    today = dt.date.today()
    with store.connect(args.db, read_only=True) as con:
        period = resolve_period(con, args, today)
        check_period(con, period, SOURCES["ranking"], None, today)
        doc = ranking(con, period, today)
    return 0, doc, ranking_text(doc)
