"""CLI handlers for the supervision subcommands: hazards, enforcement, training, townships.

Each handler resolves the county and period, calls the metric function the
pages call, and returns `(exit_status, json_document, human_text)` for
`analytics.cli.main` to print.
"""

from __future__ import annotations

import argparse
import difflib
import unicodedata
from collections.abc import Callable

import duckdb

from analytics import store
from analytics.cli import RejectedInput, UsageError
from analytics.metrics.common import NO_TOWNSHIP, TOTAL_LABEL, counties, default_period, home_county
from analytics.metrics.enforcement import enforcement
from analytics.metrics.hazards import hazards
from analytics.metrics.townships import townships
from analytics.metrics.training import training
from analytics.periods import Period, parse_months

DASH = "—"
KEY_HEADERS = {"township": "乡镇（街道）", "department": "部门", "category": "培训对象"}


def _count(value) -> str:
    return DASH if value is None else f"{int(value):,}"


def _money(value) -> str:
    return DASH if value is None else f"{value:,.2f}"


def _pct(value) -> str:
    return DASH if value is None else f"{value:.1f}%"


def _days(value) -> str:
    return DASH if value is None else f"{value:.1f}"


def _change(value) -> str:
    """同比 of a count or an amount: 上升 x.x% / 下降 x.x% / 持平; null is 新增 (同期为0)."""
    if value is None:
        return "新增"
    if value == 0:
        return "持平"
    return f"{'上升' if value > 0 else '下降'}{abs(value):.1f}%"


def _key(value) -> str:
    return NO_TOWNSHIP if value is None else str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain-text table aligned for CJK (wide characters count two columns); numbers right-aligned."""
    widths = [max(_width(cell) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        parts = []
        for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            pad = " " * (width - _width(cell))
            parts.append(cell + pad if index == 0 else pad + cell)
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def _render(document: dict, key: str, columns: list[tuple[str, str, Callable]]) -> str:
    """Rows then the 合计 row; `columns` is (header, field path "a.b", formatter)."""

    def cell(row: dict, path: str, formatter: Callable) -> str:
        value = row
        for part in path.split("."):
            value = value[part]
        return formatter(value)

    body = [[_key(r[key]), *(cell(r, p, f) for _, p, f in columns)] for r in document["rows"]]
    if "total" in document:
        body.append([TOTAL_LABEL, *(cell(document["total"], p, f) for _, p, f in columns)])
    return _table([KEY_HEADERS[key], *(h for h, _, _ in columns)], body)


def _title(document: dict, subject: str) -> str:
    period = document["period"]
    first, last = period["months"]
    months = f"{first}月" if first == last else f"{first}-{last}月"
    return f"{document['county']} {period['year']}年{months} {subject}（状态截至 {period['as_of']}）"


def _resolve(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> tuple[str, Period]:
    """The county (checked against the known ones) and the period the arguments ask for."""
    months = None
    if args.months is not None:
        try:
            months = parse_months(args.months)
        except ValueError as error:
            raise UsageError(f"--months 无效：{args.months}（应写作 a-b，例如 1-8）") from error
    if args.year is not None and not 1900 <= args.year <= 9999:
        raise UsageError(f"--year 无效：{args.year}")
    known = counties(con)
    county = args.county or home_county(con)
    if county is None:
        raise RejectedInput("数据库中还没有任何县市区的数据：请先导入数据，或用 --county 指定县市区")
    if county not in known:
        closest = difflib.get_close_matches(county, known, n=1, cutoff=0)
        hint = f"，是否指“{closest[0]}”？" if closest else "：数据库中还没有任何县市区的数据"
        raise RejectedInput(f"未知的县市区“{county}”{hint}")
    period = default_period(con, args.year, months)
    if period is None:
        raise RejectedInput("数据库中还没有带日期的记录，无法确定默认期间：请用 --year 指定年度")
    return county, period


def _run(args: argparse.Namespace, compute: Callable) -> tuple[int, dict, str]:
    with store.connect(args.db, read_only=True) as con:
        county, period = _resolve(con, args)
        return compute(con, period, county)


HAZARD_COLUMNS = [
    ("排查隐患", "found", _count),
    ("已整改", "rectified", _count),
    ("整改率", "rectification_rate", _pct),
    ("重大隐患", "major_found", _count),
    ("重大已整改", "major_rectified", _count),
    ("重大隐患整改率", "major_rectification_rate", _pct),
    ("逾期未整改", "overdue", _count),
    ("下达指令书", "orders_issued", _count),
    ("到期指令书", "orders_due", _count),
    ("已复查", "reviewed", _count),
    ("复查率", "review_rate", _pct),
    ("平均整改天数", "avg_days_to_rectify", _days),
    ("检查次数", "inspections", _count),
    ("检查单位数", "units_inspected", _count),
]
ENFORCEMENT_COLUMNS = [
    ("立案数", "cases", _count),
    ("罚款（万元）", "fine_wan", _money),
    ("责令停产停业整改", "suspensions", _count),
    ("取缔关闭", "closures", _count),
    ("同期立案数", "previous.cases", _count),
    ("立案数同比", "change_pct.cases", _change),
    ("同期罚款（万元）", "previous.fine_wan", _money),
    ("罚款同比", "change_pct.fine_wan", _change),
]
TRAINING_COLUMNS = [
    ("参训人数", "trained", _count),
    ("考核合格人数", "passed", _count),
    ("应培训人数", "required", _count),
    ("覆盖率", "coverage_pct", _pct),
    ("合格率", "pass_rate", _pct),
]
TOWNSHIP_COLUMNS = [
    ("事故起数", "accidents", _count),
    ("死亡人数", "deaths", _count),
    ("受伤人数", "injuries", _count),
    ("直接经济损失（万元）", "direct_loss_wan", _money),
    ("排查隐患", "found", _count),
    ("整改率", "rectification_rate", _pct),
    ("逾期未整改", "overdue", _count),
    ("立案数", "cases", _count),
    ("罚款（万元）", "fine_wan", _money),
    ("参训人数", "trained", _count),
    ("覆盖率", "coverage_pct", _pct),
]


def cmd_hazards(args: argparse.Namespace) -> tuple[int, dict, str]:
    """`hazards --county C [--by township|department]`: hazard and inspection figures."""

    def compute(con, period, county):
        document = hazards(con, period, county, by=args.by)
        text = _title(document, "隐患排查整改与安全检查") + "\n" + _render(document, args.by, HAZARD_COLUMNS)
        return 0, document, text

    return _run(args, compute)


def cmd_enforcement(args: argparse.Namespace) -> tuple[int, dict, str]:
    """`enforcement --county C [--by department|township]`: cases and fines with 同比."""

    def compute(con, period, county):
        document = enforcement(con, period, county, by=args.by)
        text = _title(document, "行政执法") + "\n" + _render(document, args.by, ENFORCEMENT_COLUMNS)
        return 0, document, text

    return _run(args, compute)


def cmd_training(args: argparse.Namespace) -> tuple[int, dict, str]:
    """`training --county C [--by township|category]`: training coverage against the year's targets."""

    def compute(con, period, county):
        document = training(con, period, county, by=args.by)
        title = _title(document, "安全培训覆盖") + f"  时间进度 {_pct(document['time_progress'])}"
        return 0, document, title + "\n" + _render(document, args.by, TRAINING_COLUMNS)

    return _run(args, compute)


def cmd_townships(args: argparse.Namespace) -> tuple[int, dict, str]:
    """`townships --county C`: the township comparison table."""

    def compute(con, period, county):
        document = townships(con, period, county)
        text = _title(document, "乡镇对比") + "\n" + _render(document, "township", TOWNSHIP_COLUMNS)
        return 0, document, text

    return _run(args, compute)
