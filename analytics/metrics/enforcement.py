"""Enforcement 行政执法 (cases filed in the period), with 同比, as `spec/metrics.md` defines it.

A case belongs to the period of its `filed_on`; 同期 is the same months of the
year before. Aggregated in SQL over both periods in one scan.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analytics.contract.datasets import MEASURES, PENALTY_MEASURES
from analytics.metrics.common import TOTAL_LABEL, region_townships, township_order
from analytics.metrics.coverage import SOURCES, coverage_document
from analytics.metrics.periods import Period, change_pct, money
from analytics.text.zh import t

SUSPENSION = "责令停产停业整改"
CLOSURE = "取缔关闭"

_KEYS = {
    "department": "department",
    "township": "township",
    "measure": "measure",
}
_COLUMNS = (
    "cases",
    "fine",
    "suspensions",
    "closures",
    "previous_cases",
    "previous_fine",
    "penalties",
    "previous_penalties",
)
# 作出行政处罚: a measure of PENALTY_MEASURES (the contract's list; identifiers and values are our own).
_PENALTY = "measure IN (" + ", ".join(f"'{m}'" for m in PENALTY_MEASURES) + ")"

_COUNTS = f"""
    count(*) FILTER (WHERE current) AS cases,
    coalesce(sum(fine_wan) FILTER (WHERE current), 0) AS fine,
    count(*) FILTER (WHERE current AND measure = $suspension) AS suspensions,
    count(*) FILTER (WHERE current AND measure = $closure) AS closures,
    count(*) FILTER (WHERE NOT current) AS previous_cases,
    coalesce(sum(fine_wan) FILTER (WHERE NOT current), 0) AS previous_fine,
    count(*) FILTER (WHERE current AND {_PENALTY}) AS penalties,
    count(*) FILTER (WHERE NOT current AND {_PENALTY}) AS previous_penalties
"""


def _counts(con, period: Period, county: str, key_sql: str) -> tuple[dict, dict]:
    """({key: figures}, total figures) over the period and its 同期."""
    previous = period.previous
    sql = f"""
        SELECT grouping(k), k, {_COUNTS}
        FROM (SELECT *, {key_sql} AS k, filed_on >= $start AS current FROM enforcement
              WHERE county = $county
                AND (filed_on BETWEEN $start AND $end OR filed_on BETWEEN $previous_start AND $previous_end)) f
        GROUP BY GROUPING SETS ((k), ())
    """
    params = {
        "county": county,
        "start": period.start,
        "end": period.end,
        "previous_start": previous.start,
        "previous_end": previous.end,
        "suspension": SUSPENSION,
        "closure": CLOSURE,
    }
    groups, total = {}, dict.fromkeys(_COLUMNS, 0)
    for row in con.execute(sql, params).fetchall():
        figures = dict(zip(_COLUMNS, row[2:], strict=True))
        if row[0]:
            total = figures
        else:
            groups[row[1]] = figures
    return groups, total


def _row(figures: dict | None) -> dict:
    f = figures or dict.fromkeys(_COLUMNS, 0)
    # 同比 of fines from the exact sums, as the four indicators do for direct loss.
    return {
        "cases": f["cases"],
        "fine_wan": money(f["fine"]),
        "suspensions": f["suspensions"],
        "closures": f["closures"],
        "penalties": f["penalties"],
        "previous": {
            "cases": f["previous_cases"],
            "fine_wan": money(f["previous_fine"]),
            "penalties": f["previous_penalties"],
        },
        "change_pct": {
            "cases": change_pct(f["cases"], f["previous_cases"]),
            "fine_wan": change_pct(f["fine"], f["previous_fine"]),
            "penalties": change_pct(f["penalties"], f["previous_penalties"]),
        },
    }


def enforcement(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    county: str,
    by: str = "department",
    today: dt.date | None = None,
) -> dict:
    """Enforcement figures of spec/cli.md: `{"period", "county", "by", "total", "rows"}`.

    Rows list every department (or township) with a case in the period or its 同期,
    sorted by name; by township also every township of the county in `regions`
    (zeros), and records without a township last as `"township": null`. change_pct
    is null (新增) when 同期 is 0 and the period is not; the fines' change is taken
    from the exact sums, before rounding to 2 decimals. `total` key reads "合计".
    """
    if by not in ("department", "township"):
        raise ValueError(t("metrics.bad_by", by=by, choices="department、township"))
    groups, total = _counts(con, period, county, _KEYS[by])
    keys = set(groups)
    if by == "township":
        keys |= set(region_townships(con, county))
    return {
        "period": period.to_json(today),
        "county": county,
        "coverage": coverage_document(con, SOURCES["enforcement"], county, today),
        "by": by,
        "total": {by: TOTAL_LABEL, **_row(total)},
        "rows": [{by: key, **_row(groups.get(key))} for key in township_order(keys)],
    }


def top_department(rows: list[dict]) -> dict | None:
    """The by-department row with the most cases (then the most fines; then the first in order); None without cases."""
    named = [row for row in rows if row["department"] and row["cases"]]
    return max(named, key=lambda row: (row["cases"], row["fine_wan"]), default=None)


def enforcement_by_measure(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    county: str,
) -> pd.DataFrame:
    """Cases and fines by 处理措施, every measure of the contract in its order, with 同期 and 同比.

    Columns: measure, cases, fine_wan, previous_cases, previous_fine_wan,
    cases_change_pct, fine_change_pct (null = 新增).
    """
    groups, _ = _counts(con, period, county, _KEYS["measure"])
    keys = list(MEASURES) + township_order(k for k in groups if k not in MEASURES)
    rows = []
    for key in keys:
        row = _row(groups.get(key))
        rows.append(
            {
                "measure": key,
                "cases": row["cases"],
                "fine_wan": row["fine_wan"],
                "previous_cases": row["previous"]["cases"],
                "previous_fine_wan": row["previous"]["fine_wan"],
                "cases_change_pct": row["change_pct"]["cases"],
                "fine_change_pct": row["change_pct"]["fine_wan"],
            }
        )
    return pd.DataFrame(rows)


def enforcement_monthly(
    con: duckdb.DuckDBPyConnection,
    year: int,
    county: str,
    last_month: int = 12,
) -> pd.DataFrame:
    """Per month 1..last_month: cases and fine_wan of `year` beside previous_cases and previous_fine_wan of year−1."""
    period = Period(year, 1, last_month)
    previous = period.previous
    sql = """
        SELECT year(filed_on) = $year AS current, month(filed_on) AS month,
               count(*) AS cases, coalesce(sum(fine_wan), 0) AS fine
        FROM enforcement
        WHERE county = $county
          AND (filed_on BETWEEN $start AND $end OR filed_on BETWEEN $previous_start AND $previous_end)
        GROUP BY 1, 2
    """
    params = {
        "year": year,
        "county": county,
        "start": period.start,
        "end": period.end,
        "previous_start": previous.start,
        "previous_end": previous.end,
    }
    figures = {
        (current, month): (cases, fine) for current, month, cases, fine in con.execute(sql, params).fetchall()
    }
    rows = []
    for month in range(1, last_month + 1):
        cases, fine = figures.get((True, month), (0, 0))
        previous_cases, previous_fine = figures.get((False, month), (0, 0))
        rows.append(
            {
                "month": month,
                "cases": cases,
                "fine_wan": money(fine),
                "previous_cases": previous_cases,
                "previous_fine_wan": money(previous_fine),
            }
        )
    return pd.DataFrame(rows, columns=["month", "cases", "fine_wan", "previous_cases", "previous_fine_wan"])
