"""Department monthly reports 部门月报 (year Y, months a–b), as `spec/metrics.md` defines them.

For each item: value = the sum over the county's rows of months a–b of Y;
previous = the same over Y−1; change_pct as 同比 (0.0 when both are 0, null
(新增) when only previous is 0). An item with no row in months a–b of either
year is left out, not shown as 0.

Rows by item follow the contract's order of items (REPORT_ITEMS), then any other
item by name. Rows by department carry both "department" and "item", sorted by
department name, then by item as above. Items of different kinds are not summed,
so the document has no total.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from analytics.contract.datasets import REPORT_ITEMS
from analytics.metrics.coverage import SOURCES, coverage_document
from analytics.metrics.periods import Period, change_pct
from analytics.text.zh import t


def _item_order(item: str) -> tuple:
    return (0, REPORT_ITEMS.index(item), "") if item in REPORT_ITEMS else (1, 0, item)


def reports(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    county: str,
    by: str = "item",
    today: dt.date | None = None,
) -> dict:
    """Monthly report items of spec/cli.md: `{"period", "county", "coverage", "by", "rows"}`."""
    if by not in ("item", "department"):
        raise ValueError(t("metrics.bad_by", by=by, choices="item、department"))
    keys = "item" if by == "item" else "department, item"
    sql = f"""
        SELECT {keys},
               coalesce(sum(value) FILTER (WHERE year = $year), 0) AS value,
               coalesce(sum(value) FILTER (WHERE year = $previous), 0) AS previous
        FROM monthly_reports
        WHERE county = $county AND year IN ($year, $previous) AND month BETWEEN $first AND $last
        GROUP BY {keys}
    """
    params = {
        "county": county,
        "year": period.year,
        "previous": period.year - 1,
        "first": period.first_month,
        "last": period.last_month,
    }
    rows = []
    for record in con.execute(sql, params).fetchall():
        *names, value, previous = record
        key = dict(zip(keys.split(", "), names, strict=True))
        value, previous = int(value), int(previous)
        rows.append({**key, "value": value, "previous": previous, "change_pct": change_pct(value, previous)})
    if by == "item":
        rows.sort(key=lambda r: _item_order(r["item"]))
    else:
        rows.sort(key=lambda r: (r["department"], _item_order(r["item"])))
    return {
        "period": period.to_json(today),
        "county": county,
        "coverage": coverage_document(con, SOURCES["reports"], county, today),
        "by": by,
        "rows": rows,
    }
