"""Hazards 隐患整改 and inspections 安全检查, exactly as `spec/metrics.md` defines them.

Status fields (rectified, overdue, reviewed) are judged as of `period.as_of(today)`,
so a report for 1–8月 reads the same whenever it is produced. Everything is
aggregated in SQL; Python only turns counts into rates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pandas as pd

from analytics.contract.datasets import HAZARD_LEVELS, INSPECTION_KINDS, LISTED_LEVELS
from analytics.metrics.common import TOTAL_LABEL, region_townships, township_order
from analytics.metrics.coverage import SOURCES, coverage_document
from analytics.metrics.periods import Period, compared, rate, round_half_up
from analytics.text.zh import t

MAJOR_HAZARD = HAZARD_LEVELS[1]  # 重大隐患

# by -> SQL expression of the grouping key; identifiers only from our own schema.
_HAZARD_KEYS = {"township": "township", "department": "department"}
_INSPECTION_KEYS = {**_HAZARD_KEYS, "kind": "kind"}

# ROW keys of the hazards document, in the order of spec/cli.md.
HAZARD_FIELDS = (
    "found",
    "rectified",
    "rectification_rate",
    "major_found",
    "major_rectified",
    "major_rectification_rate",
    "overdue",
    "orders_issued",
    "orders_due",
    "reviewed",
    "review_rate",
    "avg_days_to_rectify",
    "inspections",
    "units_inspected",
    "general_found",
    "listed",
    "listed_closed",
    "closure_rate",
    "listed_overdue",
    "sectors_inspected",
)
# The 挂牌督办 figures, also given by listed level (the document's "by_listed_level").
LISTED_FIELDS = ("listed", "listed_closed", "closure_rate", "listed_overdue")
CLOSED = t("metrics.listed.closed")  # 已销号
OPEN = t("metrics.listed.open")  # 未销号

# One scan of the period's hazards; "rectified" means rectified_on <= as_of (a NULL
# comparison is false, so unrectified rows fall out of every rectified filter).
_HAZARD_COUNTS = """
    count(*) AS found,
    count(*) FILTER (WHERE rectified_on <= $as_of) AS rectified,
    count(*) FILTER (WHERE level = $major) AS major_found,
    count(*) FILTER (WHERE level = $major AND rectified_on <= $as_of) AS major_rectified,
    count(*) FILTER (WHERE (rectified_on IS NULL OR rectified_on > $as_of) AND deadline < $as_of) AS overdue,
    count(*) FILTER (WHERE order_issued) AS orders_issued,
    count(*) FILTER (WHERE order_issued AND deadline <= $as_of) AS orders_due,
    count(*) FILTER (WHERE order_issued AND deadline <= $as_of AND reviewed_on <= $as_of) AS reviewed,
    sum(datediff('day', found_on, rectified_on)) FILTER (WHERE rectified_on <= $as_of) AS rectify_days,
    count(*) FILTER (WHERE listed_level IS NOT NULL) AS listed,
    count(*) FILTER (WHERE listed_level IS NOT NULL AND closed_on <= $as_of) AS listed_closed,
    count(*) FILTER (WHERE listed_level IS NOT NULL AND (closed_on IS NULL OR closed_on > $as_of)
                     AND deadline < $as_of) AS listed_overdue
"""
_COUNT_COLUMNS = (
    "found",
    "rectified",
    "major_found",
    "major_rectified",
    "overdue",
    "orders_issued",
    "orders_due",
    "reviewed",
    "rectify_days",
    "listed",
    "listed_closed",
    "listed_overdue",
)


def _check_by(by: str, allowed: dict) -> str:
    if by not in allowed:
        raise ValueError(t("metrics.bad_by", by=by, choices="、".join(allowed)))
    return allowed[by]


def _grouped(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> tuple[dict, tuple | None]:
    """Run a GROUPING SETS ((key), ()) query: ({key: values}, total values); column 0 is grouping()."""
    groups, total = {}, None
    for row in con.execute(sql, params).fetchall():
        if row[0]:
            total = row[2:]
        else:
            groups[row[1]] = row[2:]
    return groups, total


def _hazard_counts(con, period: Period, county: str, key_sql: str, as_of: dt.date):
    sql = f"""
        SELECT grouping(k), k, {_HAZARD_COUNTS}
        FROM (SELECT *, {key_sql} AS k FROM hazards
              WHERE county = $county AND found_on BETWEEN $start AND $end) f
        GROUP BY GROUPING SETS ((k), ())
    """
    params = {
        "county": county,
        "start": period.start,
        "end": period.end,
        "as_of": as_of,
        "major": MAJOR_HAZARD,
    }
    groups, total = _grouped(con, sql, params)
    return {k: _named(v) for k, v in groups.items()}, _named(total) if total else None


def _named(values: tuple) -> dict:
    return dict(zip(_COUNT_COLUMNS, values, strict=True))


def _inspection_counts(con, period: Period, county: str, key_sql: str):
    sql = f"""
        SELECT grouping(k), k, count(*), count(DISTINCT unit), count(DISTINCT sector)
        FROM (SELECT *, {key_sql} AS k FROM inspections
              WHERE county = $county AND inspected_on BETWEEN $start AND $end) f
        GROUP BY GROUPING SETS ((k), ())
    """
    return _grouped(con, sql, {"county": county, "start": period.start, "end": period.end})


def _hazard_row(counts: dict | None, inspections: tuple | None) -> dict:
    c = counts or dict.fromkeys(_COUNT_COLUMNS, 0)
    rectified = c["rectified"]
    avg_days = (
        round_half_up(Decimal(int(c["rectify_days"])) / rectified, 1)
        if rectified and c["rectify_days"] is not None
        else None
    )
    return {
        "found": c["found"],
        "rectified": rectified,
        "rectification_rate": rate(rectified, c["found"]),
        "major_found": c["major_found"],
        "major_rectified": c["major_rectified"],
        "major_rectification_rate": rate(c["major_rectified"], c["major_found"]),
        "overdue": c["overdue"],
        "orders_issued": c["orders_issued"],
        "orders_due": c["orders_due"],
        "reviewed": c["reviewed"],
        "review_rate": rate(c["reviewed"], c["orders_due"]),
        "avg_days_to_rectify": avg_days,
        "inspections": inspections[0] if inspections else 0,
        "units_inspected": inspections[1] if inspections else 0,
        "general_found": c["found"] - c["major_found"],
        **_listed_row(c),
        # null when no inspection of the period carries a sector (metrics.md, Inspections)
        "sectors_inspected": (inspections[2] or None) if inspections else None,
    }


def _listed_row(c: dict) -> dict:
    return {
        "listed": c["listed"],
        "listed_closed": c["listed_closed"],
        "closure_rate": rate(c["listed_closed"], c["listed"]),
        "listed_overdue": c["listed_overdue"],
    }


def hazards(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    county: str,
    by: str = "township",
    today: dt.date | None = None,
) -> dict:
    """Hazard and inspection figures of spec/cli.md: `{"period", "county", "by", "total", "rows"}`.

    Rows by township list every township of the county in `regions` (zeros and
    null rates where nothing happened), plus any township seen only in the
    period's hazards or inspections, sorted by name, then the row of records
    without a township (`"township": null`) last. Rows by department list the
    departments seen in the period, sorted by name. `total` covers every record of
    the county (units_inspected counts distinct units over the whole county);
    its key reads "合计". `by_listed_level` gives the 挂牌督办 figures (listed,
    listed_closed, closure_rate, listed_overdue) of the county for each listed level
    in the contract's order (县级, 市级, 省级).
    """
    key_sql = _check_by(by, _HAZARD_KEYS)
    as_of = period.as_of(today)
    hazard_groups, hazard_total = _hazard_counts(con, period, county, key_sql, as_of)
    by_level, _ = _hazard_counts(con, period, county, "listed_level", as_of)
    inspection_groups, inspection_total = _inspection_counts(con, period, county, key_sql)
    keys = set(hazard_groups) | set(inspection_groups)
    if by == "township":
        keys |= set(region_townships(con, county))
    rows = [
        {by: key, **_hazard_row(hazard_groups.get(key), inspection_groups.get(key))}
        for key in township_order(keys)
    ]
    return {
        "period": period.to_json(today),
        "county": county,
        "coverage": coverage_document(con, SOURCES["hazards"], county, today),
        "by": by,
        "total": {by: TOTAL_LABEL, **_hazard_row(hazard_total, inspection_total)},
        "rows": rows,
        "by_listed_level": [
            {"listed_level": level, **_listed_row(by_level.get(level) or dict.fromkeys(_COUNT_COLUMNS, 0))}
            for level in LISTED_LEVELS
        ],
    }


LISTED_COLUMNS = [
    "hazard_id",
    "unit",
    "township",
    "listed_level",
    "found_on",
    "deadline",
    "rectified_on",
    "closed_on",
    "status",
    "days_overdue",
]


def listed_hazards(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    county: str,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """The 挂牌督办 list: the period's hazards with a listed level, as of as_of.

    Columns: hazard_id, unit, township (missing = 县直/未填乡镇), listed_level, found_on,
    deadline, rectified_on and closed_on (null when after as_of: not yet, as of then),
    status (已销号 when closed_on ≤ as_of, else 未销号), days_overdue (as_of − deadline
    when open and past its deadline; null when closed or not yet due; pandas' nullable
    Int64). Open hazards first, most days overdue first, then by deadline; closed last.
    """
    as_of = period.as_of(today)
    sql = """
        SELECT hazard_id, unit, township, listed_level, found_on, deadline,
               CASE WHEN rectified_on <= $as_of THEN rectified_on END AS rectified_on,
               CASE WHEN closed_on <= $as_of THEN closed_on END AS closed_on,
               coalesce(closed_on <= $as_of, false) AS closed,
               CASE WHEN coalesce(closed_on > $as_of, true) AND deadline < $as_of
                    THEN datediff('day', deadline, $as_of)::BIGINT END AS days_overdue
        FROM hazards
        WHERE county = $county AND found_on BETWEEN $start AND $end AND listed_level IS NOT NULL
        ORDER BY closed, days_overdue DESC NULLS LAST, deadline, hazard_id
    """
    params = {"county": county, "start": period.start, "end": period.end, "as_of": as_of}
    frame = con.sql(sql, params=params).to_arrow_table().to_pandas()
    frame["status"] = [CLOSED if closed else OPEN for closed in frame.pop("closed")]
    frame["days_overdue"] = frame["days_overdue"].astype("Int64")
    return frame[LISTED_COLUMNS]


def overdue_hazards(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    county: str,
    today: dt.date | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """The period's overdue hazards and open 重大隐患, as of `as_of`, most days overdue first.

    Columns: hazard_id, unit, township (None = 县直/未填乡镇), department, level,
    found_on, deadline, days_overdue (as_of − deadline; 0 for an open major hazard
    whose deadline has not passed).
    """
    as_of = period.as_of(today)
    sql = f"""
        SELECT hazard_id, unit, township, department, level, found_on, deadline,
               greatest(datediff('day', deadline, $as_of), 0)::BIGINT AS days_overdue
        FROM hazards
        WHERE county = $county AND found_on BETWEEN $start AND $end
          AND (rectified_on IS NULL OR rectified_on > $as_of)
          AND (deadline < $as_of OR level = $major)
        ORDER BY days_overdue DESC, found_on, hazard_id
        {"LIMIT $limit" if limit is not None else ""}
    """
    params = {
        "county": county,
        "start": period.start,
        "end": period.end,
        "as_of": as_of,
        "major": MAJOR_HAZARD,
    }
    if limit is not None:
        params["limit"] = int(limit)
    return con.sql(sql, params=params).to_arrow_table().to_pandas()


def hazard_monthly(
    con: duckdb.DuckDBPyConnection,
    year: int,
    county: str,
    today: dt.date | None = None,
    last_month: int = 12,
) -> pd.DataFrame:
    """Per month 1..last_month: found, rectified, rectification_rate, for a trend chart.

    Hazards are counted in the month they were found; "rectified" is judged as of
    the as_of of the period 1..last_month (its last day, or today if earlier), so
    the months add up to `hazards()` for that period.
    """
    period = Period(year, 1, last_month)
    sql = """
        SELECT month(found_on) AS month,
               count(*) AS found,
               count(*) FILTER (WHERE rectified_on <= $as_of) AS rectified
        FROM hazards
        WHERE county = $county AND found_on BETWEEN $start AND $end
        GROUP BY month
    """
    params = {"county": county, "start": period.start, "end": period.end, "as_of": period.as_of(today)}
    counts = {m: (f, r) for m, f, r in con.execute(sql, params).fetchall()}
    rows = []
    for month in range(1, last_month + 1):
        found, rectified = counts.get(month, (0, 0))
        rows.append(
            {
                "month": month,
                "found": found,
                "rectified": rectified,
                "rectification_rate": rate(rectified, found),
            }
        )
    return pd.DataFrame(rows, columns=["month", "found", "rectified", "rectification_rate"])


def inspections_by(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    county: str,
    by: str = "department",
) -> pd.DataFrame:
    """Inspections in the period by department (sorted by name) or kind (contract order), with distinct units.

    Columns: the `by` key (None where the record leaves it empty, last), inspections,
    units_inspected.
    """
    key_sql = _check_by(by, {k: v for k, v in _INSPECTION_KEYS.items() if k != "township"})
    groups, _ = _inspection_counts(con, period, county, key_sql)
    if by == "kind":
        known = [k for k in INSPECTION_KINDS if k in groups]
        keys = known + township_order(k for k in groups if k not in INSPECTION_KINDS)
    else:
        keys = township_order(groups)
    rows = [{by: key, "inspections": groups[key][0], "units_inspected": groups[key][1]} for key in keys]
    return pd.DataFrame(rows, columns=[by, "inspections", "units_inspected"])


# The 隐患整改 page's headline figures against 同期: counts by 同比, rates in 百分点 (metrics.md, 同比).
HEADLINE_COUNTS = ("found", "major_found", "overdue", "inspections")
HEADLINE_RATES = ("rectification_rate", "major_rectification_rate", "review_rate")


def against_previous(total: dict, previous: dict) -> dict[str, dict]:
    """`periods.compared` of two hazards documents' totals (the period's and 同期's) for the headline figures."""
    return compared(total, previous, HEADLINE_COUNTS, HEADLINE_RATES)
