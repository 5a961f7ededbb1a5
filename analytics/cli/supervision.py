"""CLI handlers for the supervision subcommands: hazards, enforcement, training, townships.

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
from analytics.metrics.hazards import hazards
from analytics.metrics.periods import Period
from analytics.metrics.townships import townships
from analytics.metrics.training import training
from analytics.text.wording import DASH, change_phrase, fmt_count, fmt_money, fmt_pct

KEY_HEADERS = {"township": "乡镇（街道）", "department": "部门", "category": "培训对象"}


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
    title = f"{document['county']}　{period['year']}年{label}　{subject}（状态截至{period['as_of']}）"
    return "\n".join([title, *notice_lines(document)])


def _resolve(con: duckdb.DuckDBPyConnection, args: argparse.Namespace, today: dt.date) -> tuple[str, Period]:
    """The period asked for and the county: --county checked against the known ones, else the home county."""
    period = resolve_period(con, args, today)
    county = check_county(con, args.county or home_county(con))
    if county is None:
        raise RejectedInput(EMPTY_DATABASE)
    return county, period


def _run(args: argparse.Namespace, compute: Callable) -> tuple[int, dict, str]:
    today = dt.date.today()
    with store.connect(args.db, read_only=True) as con:
        county, period = _resolve(con, args, today)
        check_period(con, period, SOURCES[args.command], county, today)
        return compute(con, period, county, today)


def _field(name: str, formatter: Callable) -> Callable[[dict], str]:
    return lambda row: formatter(row[name])


def _days(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f}"


def _change(name: str, unit: str) -> Callable[[dict], str]:
    return lambda row: change_phrase(row[name], row["previous"][name], row["change_pct"][name], unit)


HAZARD_COLUMNS = [
    ("排查隐患", _field("found", fmt_count)),
    ("已整改", _field("rectified", fmt_count)),
    ("整改率", _field("rectification_rate", fmt_pct)),
    ("重大隐患", _field("major_found", fmt_count)),
    ("重大已整改", _field("major_rectified", fmt_count)),
    ("重大隐患整改率", _field("major_rectification_rate", fmt_pct)),
    ("逾期未整改", _field("overdue", fmt_count)),
    ("下达指令书", _field("orders_issued", fmt_count)),
    ("到期指令书", _field("orders_due", fmt_count)),
    ("已复查", _field("reviewed", fmt_count)),
    ("复查率", _field("review_rate", fmt_pct)),
    ("平均整改天数", _field("avg_days_to_rectify", _days)),
    ("检查次数", _field("inspections", fmt_count)),
    ("检查单位数", _field("units_inspected", fmt_count)),
]
ENFORCEMENT_COLUMNS = [
    ("立案数", _field("cases", fmt_count)),
    ("罚款（万元）", _field("fine_wan", fmt_money)),
    ("责令停产停业整改", _field("suspensions", fmt_count)),
    ("取缔关闭", _field("closures", fmt_count)),
    ("同期立案数", lambda row: fmt_count(row["previous"]["cases"])),
    ("立案数同比", _change("cases", "起")),
    ("同期罚款（万元）", lambda row: fmt_money(row["previous"]["fine_wan"])),
    ("罚款同比", _change("fine_wan", "万元")),
]
TRAINING_COLUMNS = [
    ("参训人数", _field("trained", fmt_count)),
    ("考核合格人数", _field("passed", fmt_count)),
    ("应培训人数", _field("required", fmt_count)),
    ("覆盖率", _field("coverage_pct", fmt_pct)),
    ("合格率", _field("pass_rate", fmt_pct)),
]
TOWNSHIP_COLUMNS = [
    ("事故起数", _field("accidents", fmt_count)),
    ("死亡人数", _field("deaths", fmt_count)),
    ("受伤人数", _field("injuries", fmt_count)),
    ("直接经济损失（万元）", _field("direct_loss_wan", fmt_money)),
    ("排查隐患", _field("found", fmt_count)),
    ("整改率", _field("rectification_rate", fmt_pct)),
    ("逾期未整改", _field("overdue", fmt_count)),
    ("立案数", _field("cases", fmt_count)),
    ("罚款（万元）", _field("fine_wan", fmt_money)),
    ("参训人数", _field("trained", fmt_count)),
    ("覆盖率", _field("coverage_pct", fmt_pct)),
]


def cmd_hazards(args: argparse.Namespace) -> tuple[int, dict, str]:
    """`hazards --county C [--by township|department]`: hazard and inspection figures."""

    def compute(con, period, county, today):
        document = hazards(con, period, county, by=args.by, today=today)
        text = _title(document, "隐患排查整改与安全检查") + "\n" + _render(document, args.by, HAZARD_COLUMNS)
        return 0, document, text

    return _run(args, compute)


def cmd_enforcement(args: argparse.Namespace) -> tuple[int, dict, str]:
    """`enforcement --county C [--by department|township]`: cases and fines with 同比."""

    def compute(con, period, county, today):
        document = enforcement(con, period, county, by=args.by, today=today)
        text = _title(document, "行政执法") + "\n" + _render(document, args.by, ENFORCEMENT_COLUMNS)
        return 0, document, text

    return _run(args, compute)


def cmd_training(args: argparse.Namespace) -> tuple[int, dict, str]:
    """`training --county C [--by township|category]`: training coverage against the year's targets."""

    def compute(con, period, county, today):
        document = training(con, period, county, by=args.by, today=today)
        title = _title(document, "安全培训覆盖") + f"　时间进度{fmt_pct(document['time_progress'])}"
        return 0, document, title + "\n" + _render(document, args.by, TRAINING_COLUMNS)

    return _run(args, compute)


def cmd_townships(args: argparse.Namespace) -> tuple[int, dict, str]:
    """`townships --county C`: the township comparison table."""

    def compute(con, period, county, today):
        document = townships(con, period, county, today=today)
        text = _title(document, "乡镇对比") + "\n" + _render(document, "township", TOWNSHIP_COLUMNS)
        return 0, document, text

    return _run(args, compute)
