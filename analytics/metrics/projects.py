"""Construction projects 建设项目“三同时” (registered_on in the period), as `spec/metrics.md` defines them.

projects 新建项目: count; evaluated 已开展安全评价: evaluated_on ≤ as_of;
evaluation_rate = evaluated / projects × 100; accepted 已竣工验收: accepted_on ≤ as_of.

Rows list every township of the county in `regions`, plus any township of the
period's projects, sorted by name, then the row of projects without a township
(`"township": null`) last. The document also carries `"by": "township"` and the
total's key reads "合计", like every by-township document.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from analytics.metrics.common import TOTAL_LABEL, region_townships, township_order
from analytics.metrics.coverage import SOURCES, coverage_document
from analytics.metrics.periods import Period, rate

PROJECT_FIELDS = ("projects", "evaluated", "evaluation_rate", "accepted")
_COUNT_COLUMNS = ("projects", "evaluated", "accepted")


def _row(figures: dict | None) -> dict:
    f = figures or dict.fromkeys(_COUNT_COLUMNS, 0)
    return {
        "projects": f["projects"],
        "evaluated": f["evaluated"],
        "evaluation_rate": rate(f["evaluated"], f["projects"]),
        "accepted": f["accepted"],
    }


def projects(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    county: str,
    today: dt.date | None = None,
) -> dict:
    """Project figures of spec/cli.md: `{"period", "county", "coverage", "by", "total", "rows"}`."""
    sql = """
        SELECT grouping(township), township,
               count(*) AS projects,
               count(*) FILTER (WHERE evaluated_on <= $as_of) AS evaluated,
               count(*) FILTER (WHERE accepted_on <= $as_of) AS accepted
        FROM projects WHERE county = $county AND registered_on BETWEEN $start AND $end
        GROUP BY GROUPING SETS ((township), ())
    """
    params = {"county": county, "start": period.start, "end": period.end, "as_of": period.as_of(today)}
    groups, total = {}, None
    for row in con.execute(sql, params).fetchall():
        figures = dict(zip(_COUNT_COLUMNS, row[2:], strict=True))
        if row[0]:
            total = figures
        else:
            groups[row[1]] = figures
    keys = township_order(set(groups) | set(region_townships(con, county)))
    return {
        "period": period.to_json(today),
        "county": county,
        "coverage": coverage_document(con, SOURCES["projects"], county, today),
        "by": "township",
        "total": {"township": TOTAL_LABEL, **_row(total)},
        "rows": [{"township": key, **_row(groups.get(key))} for key in keys],
    }


def projects_page(
    con: duckdb.DuckDBPyConnection, period: Period, county: str, today: dt.date | None = None
) -> dict:
    """What the 建设项目“三同时” page shows, on one connection: `{"current": projects(), "previous": projects()
    of period.previous}`."""
    return {
        "current": projects(con, period, county, today=today),
        "previous": projects(con, period.previous, county, today=today),
    }
