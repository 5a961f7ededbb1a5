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
from analytics.metrics.ranking import RATES, ranking
from analytics.text import fields
from analytics.text.wording import (
    DASH,
    change_phrase,
    coverage_notices,
    data_as_of_text,
    fmt_pct,
    provisional_note,
    rank_phrase,
    source_note,
    verdict,
)

EMPTY_DATABASE = (
    "数据库中还没有数据。请先导入数据（python -m analytics import 文件…）"
    "或载入示例数据（python -m analytics init --sample）。"
)


def resolve_period(con: duckdb.DuckDBPyConnection, args: argparse.Namespace, today: dt.date) -> Period:
    """The period of `--year/--months`, defaulting to 1–latest month; exits 1 on an empty database."""
    months = None
    if getattr(args, "months", None):
        try:
            months = parse_months(args.months)
        except ValueError as error:
            raise UsageError(f"--months 应写作 a-b（1 ≤ a ≤ b ≤ 12），例如 1-8：{args.months}") from error
    year = getattr(args, "year", None)
    if year is not None and not dt.MINYEAR < year <= dt.MAXYEAR:
        raise UsageError(f"--year 无效：{year}")
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
    message = f"未知的县市区：{county}。"
    if close:
        message += f"您是否要找：{close[0]}？"
    if known:
        message += f"可选：{'、'.join(known)}"
    raise RejectedInput(message)


def notice_lines(doc: dict) -> list[str]:
    """The coverage notices of a document, one line each, for the text output."""
    return [f"注意：{notice}" for notice in coverage_notices(doc)]


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
    title = f"{period['year']}年{Period(period['year'], *period['months']).label}　{doc['county'] or '全市'}　四项指标"
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
    lines += [_table(["指标", "本期", "去年同期", "同比"], rows), ""]
    major = doc["major_accidents"]
    lines.append(f"结论：{verdict(doc)}")
    lines.append(
        f"{fields.short_label('major_accidents')}：{fields.fmt_with_unit('major_accidents', major['value'])}"
        f"（去年同期{fields.fmt_with_unit('major_accidents', major['previous'])}）"
    )
    lines.append(
        f"{fields.short_label('missing')}：{fields.fmt_with_unit('missing', doc['missing']['value'])}"
    )
    if doc["industry_trade"]["no_accidents"]:
        lines.append("工矿商贸领域未发生生产安全事故")
    if doc["mom"]:
        mom = doc["mom"]
        parts = [
            fields.short_label(n)
            + change_phrase(mom[n]["value"], mom[n]["previous"], mom[n]["change_pct"], fields.unit(n), "上月")
            for n in INDICATORS
        ]
        lines.append(f"环比（较{mom['period']['months'][0]}月）：{'，'.join(parts)}")
    note = provisional_note(doc)
    if note:
        lines.append(note)
    if doc["by_sector"]:
        sector_rows = [
            [row["sector"], *(fields.fmt_value(name, row[name]) for name in INDICATORS)]
            for row in doc["by_sector"]
        ]
        sector_header = [fields.KEY_LABELS["sector"], *(fields.label(name) for name in INDICATORS)]
        lines += ["", "分行业领域：", _table(sector_header, sector_rows)]
    return "\n".join(lines)


def ranking_text(doc: dict) -> str:
    """The ranking document as a readable Chinese table."""
    period = doc["period"]
    label = Period(period["year"], *period["months"]).label
    header = ["县市区"] + [f"{fields.short_label(n)}（排位）" for n in INDICATORS] + ["数据来源"]
    rows = []
    for row in doc["counties"]:
        cells = [row["county"]]
        for name in INDICATORS:
            tied = sum(1 for other in doc["counties"] if other["rank"][name] == row["rank"][name]) > 1
            cells.append(f"{fields.fmt_with_unit(name, row[name])}（{rank_phrase(row['rank'][name], tied)}）")
        cells.append(source_note(row["source"]).removeprefix("排位依据"))
        rows.append(cells)
    lines = [
        f"{period['year']}年{label}　全市排位（第1位为最少）",
        data_as_of_text(period, {row["county"]: row["coverage"] for row in doc["counties"]}),
        *notice_lines(doc),
        "",
        _table(header, rows),
    ]
    change_header = ["县市区"] + [f"{fields.short_label(n)}同比（排位）" for n in INDICATORS]
    change_rows = [
        [row["county"]]
        + [
            f"{fmt_pct(row['change_pct'][n]) if row['change_pct'][n] is not None else '新增'}（第{row['change_rank'][n]}位）"
            for n in INDICATORS
        ]
        for row in doc["counties"]
    ]
    lines += ["", _table(change_header, change_rows)]
    available = [name for name in RATES if doc["rates_available"][name]]
    if available:
        rate_header = ["县市区"] + [fields.label(n) for n in available]
        rate_rows = [
            [row["county"]]
            + [
                f"{fields.fmt_value(n, row['rates'][n])}（{rank_phrase(row['rate_rank'][n])}）"
                if row["rates"][n] is not None
                else DASH
                for n in available
            ]
            for row in doc["counties"]
        ]
        lines += ["", f"按{period['year']}年县域基础数据折算：", _table(rate_header, rate_rows)]
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
