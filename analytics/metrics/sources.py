"""Major hazard sources 重大危险源 (judged as of as_of), exactly as `spec/metrics.md` defines them.

in_force 在册: registered_on ≤ as_of and not deregistered by then (deregistered_on
null or after as_of); monitored 在线监控 among them, monitoring_rate; new 新增:
registered in the period.

Decided here, where the spec is silent:
- The register keeps its sources in force after its last registration, so a
  period after the ledger's last record is not "no data" (coverage.REGISTRIES);
  only a county with no source, or a period ending before the first one, is.
- Rows by level: the four levels in the contract's order (一级 … 四级), always.
  Rows by township: every township of the county in `regions`, plus any township
  of a source registered up to as_of, sorted by name, then the row of sources
  without a township (`"township": null`) last.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from analytics.contract.datasets import SOURCE_LEVELS
from analytics.metrics.common import TOTAL_LABEL, region_townships, township_order
from analytics.metrics.coverage import SOURCES, coverage_document
from analytics.metrics.periods import Period, rate
from analytics.text.zh import t

SOURCE_FIELDS = ("in_force", "monitored", "monitoring_rate", "new")
_COUNT_COLUMNS = ("in_force", "monitored", "new")

_COUNTS = """
    count(*) FILTER (WHERE deregistered_on IS NULL OR deregistered_on > $as_of) AS in_force,
    count(*) FILTER (WHERE (deregistered_on IS NULL OR deregistered_on > $as_of) AND monitored) AS monitored,
    count(*) FILTER (WHERE registered_on BETWEEN $start AND $end) AS new
"""


def _row(figures: dict | None) -> dict:
    f = figures or dict.fromkeys(_COUNT_COLUMNS, 0)
    return {
        "in_force": f["in_force"],
        "monitored": f["monitored"],
        "monitoring_rate": rate(f["monitored"], f["in_force"]),
        "new": f["new"],
    }


def sources(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    county: str,
    by: str = "level",
    today: dt.date | None = None,
) -> dict:
    """Major hazard source figures of spec/cli.md: `{"period", "county", "coverage", "by", "total", "rows"}`."""
    if by not in ("level", "township"):
        raise ValueError(t("metrics.bad_by", by=by, choices="level、township"))
    as_of = period.as_of(today)
    sql = f"""
        SELECT grouping({by}), {by}, {_COUNTS}
        FROM major_hazard_sources WHERE county = $county AND registered_on <= $as_of
        GROUP BY GROUPING SETS (({by}), ())
    """
    params = {"county": county, "as_of": as_of, "start": period.start, "end": period.end}
    groups, total = {}, None
    for row in con.execute(sql, params).fetchall():
        figures = dict(zip(_COUNT_COLUMNS, row[2:], strict=True))
        if row[0]:
            total = figures
        else:
            groups[row[1]] = figures
    if by == "level":
        keys = list(SOURCE_LEVELS) + township_order(k for k in groups if k not in SOURCE_LEVELS)
    else:
        keys = township_order(set(groups) | set(region_townships(con, county)))
    return {
        "period": period.to_json(today),
        "county": county,
        "coverage": coverage_document(con, SOURCES["sources"], county, today),
        "by": by,
        "total": {by: TOTAL_LABEL, **_row(total)},
        "rows": [{by: key, **_row(groups.get(key))} for key in keys],
    }


def sources_page(
    con: duckdb.DuckDBPyConnection, period: Period, county: str, today: dt.date | None = None
) -> dict:
    """What the 重大危险源 page shows, on one connection: `{"level": sources(by="level"), "township":
    sources(by="township")}`."""
    return {by: sources(con, period, county, by=by, today=today) for by in ("level", "township")}
