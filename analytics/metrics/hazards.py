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
from analytics.metrics import scans
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

# The hazard counts, by name; `a` is the as_of of the row's period (analytics.metrics.scans). "rectified"
# means rectified_on <= a (a NULL comparison is false, so unrectified rows fall out of every rectified filter).
_HAZARD_COUNTS = {
    "found": "count(*)",
    "rectified": "count(*) FILTER (WHERE rectified_on <= a)",
    "major_found": "count(*) FILTER (WHERE level = $major)",
    "major_rectified": "count(*) FILTER (WHERE level = $major AND rectified_on <= a)",
    "overdue": "count(*) FILTER (WHERE (rectified_on IS NULL OR rectified_on > a) AND deadline < a)",
    "orders_issued": "count(*) FILTER (WHERE order_issued)",
    "orders_due": "count(*) FILTER (WHERE order_issued AND deadline <= a)",
    "reviewed": "count(*) FILTER (WHERE order_issued AND deadline <= a AND reviewed_on <= a)",
    "rectify_days": "sum(datediff('day', found_on, rectified_on)) FILTER (WHERE rectified_on <= a)",
    "listed": "count(*) FILTER (WHERE listed_level IS NOT NULL)",
    "listed_closed": "count(*) FILTER (WHERE listed_level IS NOT NULL AND closed_on <= a)",
    "listed_overdue": (
        "count(*) FILTER (WHERE listed_level IS NOT NULL AND (closed_on IS NULL OR closed_on > a) AND deadline < a)"
    ),
}
_COUNT_COLUMNS = tuple(_HAZARD_COUNTS)


def _check_by(by: str, allowed: dict) -> str:
    if by not in allowed:
        raise ValueError(t("metrics.bad_by", by=by, choices="、".join(allowed)))
    return allowed[by]


def _hazard_scan(con, periods: list[Period], county: str, keys: tuple[str, ...], today) -> list:
    """Per period: ({key: {value: named counts}}, total named counts or None), from one scan of hazards."""
    scanned = scans.rolled_up(
        con,
        "hazards",
        "found_on",
        periods,
        county,
        [(key,) for key in keys],
        _HAZARD_COUNTS,
        today=today,
        params={"major": MAJOR_HAZARD},
    )
    return [
        (
            {key: {v: _named(c) for v, c in groups.items()} for key, groups in sets.items()},
            total and _named(total),
        )
        for sets, total in scanned
    ]


def _named(values: tuple) -> dict:
    return dict(zip(_COUNT_COLUMNS, values, strict=True))


def _inspection_scan(con, periods: list[Period], county: str, keys: tuple[str, ...]) -> list:
    """Per period: ({key: {value: (inspections, units, sectors)}}, total or None).

    Distinct units and sectors do not add up across groups, so each key is its own (cheap) query.
    """
    sets, totals = [{} for _ in periods], [None for _ in periods]
    figures = "count(*), count(DISTINCT unit), count(DISTINCT sector)"
    for key in keys:
        scanned = scans.distinct_counted(con, "inspections", "inspected_on", periods, county, key, figures)
        for i, (by_key, total) in enumerate(scanned):
            sets[i].update(by_key)
            totals[i] = total  # every key's query counts the same total
    return list(zip(sets, totals, strict=True))


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
    key = _check_by(by, _HAZARD_KEYS)
    [(hazard_sets, hazard_total)] = _hazard_scan(con, [period], county, (key, "listed_level"), today)
    [(inspection_sets, inspection_total)] = _inspection_scan(con, [period], county, (key,))
    return _document(
        con, period, county, by, (hazard_sets, hazard_total), (inspection_sets, inspection_total), today
    )


def _document(
    con, period: Period, county: str, by: str, hazard_scan: tuple, inspection_scan: tuple, today
) -> dict:
    """The hazards() document from a period's scans (grouped by `by` and, for hazards, by listed_level)."""
    (hazard_sets, hazard_total), (inspection_sets, inspection_total) = hazard_scan, inspection_scan
    hazard_groups, inspection_groups = hazard_sets[by], inspection_sets[by]
    by_level = hazard_sets["listed_level"]
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


def hazard_page(
    con: duckdb.DuckDBPyConnection, period: Period, county: str, today: dt.date | None = None
) -> dict:
    """What the 隐患整改 page shows but its lists and trend, from one scan of the hazards and one of the
    inspections of the period and its 同期: `{"township": hazards(by="township"), "department":
    hazards(by="department"), "previous": hazards() of period.previous, "inspections": {"department":
    inspections_by(by="department"), "kind": inspections_by(by="kind")}}`, each exactly as those give it."""
    periods = [period, period.previous]
    hazard_scans = _hazard_scan(con, periods, county, ("township", "department", "listed_level"), today)
    # 同期 needs its total only: the department and kind counts (distinct units: not cheap) are the period's.
    inspection_scans = _inspection_scan(con, periods, county, ("township",))
    for key, groups in _inspection_scan(con, [period], county, ("department", "kind"))[0][0].items():
        inspection_scans[0][0][key] = groups
    documents = {
        by: _document(con, period, county, by, hazard_scans[0], inspection_scans[0], today)
        for by in ("township", "department")
    }
    previous = _document(
        con, period.previous, county, "township", hazard_scans[1], inspection_scans[1], today
    )
    inspections = {by: _inspection_frame(inspection_scans[0][0][by], by) for by in ("department", "kind")}
    return {**documents, "previous": previous, "inspections": inspections}


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
    key = _check_by(by, {k: v for k, v in _INSPECTION_KEYS.items() if k != "township"})
    [(sets, _)] = _inspection_scan(con, [period], county, (key,))
    return _inspection_frame(sets[key], by)


def _inspection_frame(groups: dict, by: str) -> pd.DataFrame:
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
