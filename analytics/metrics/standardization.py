"""Standardization 安全生产标准化 (year Y, judged as of as_of), exactly as `spec/metrics.md` defines it.

Per grade (一级, 二级, 三级) and in total: the year's target, applications and
passes in year Y up to as_of, the completion and application rates against the
target, certificates in force and those expiring within 90 days.

Decided here, where the spec is silent:
- The standardization ledger is a register: a certificate passed in an earlier
  year stays in force until it expires, so a period after the ledger's last
  record is not "no data" (coverage.REGISTRIES); only a county with no record, or
  a period ending before the first one, is.
- The total's target is the sum of the grades' targets (null when the county has
  none for any grade); its rates set every grade's applications and passes
  against that sum.
- Rows by township: every township of the county in `regions`, plus any township
  of a record applied for up to as_of, sorted by name, then the row of records
  without a township (`"township": null`) last; they carry no target (the target
  is county-wide), so their target and rates are null. The total carries the
  county's target.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analytics.contract.datasets import GRADES
from analytics.metrics.common import TOTAL_LABEL, region_townships, township_order
from analytics.metrics.coverage import SOURCES, coverage_document
from analytics.metrics.periods import Period, rate
from analytics.text.zh import t

EXPIRY_WINDOW_DAYS = 90  # 即将到期: as_of < expires_on ≤ as_of + 90 days

STANDARDIZATION_FIELDS = (
    "target",
    "applied",
    "passed",
    "completion_pct",
    "application_pct",
    "certified",
    "expiring",
)
_COUNT_COLUMNS = ("applied", "passed", "certified", "expiring")

_COUNTS = """
    count(*) FILTER (WHERE applied_on BETWEEN $year_start AND $as_of) AS applied,
    count(*) FILTER (WHERE passed_on BETWEEN $year_start AND $as_of) AS passed,
    count(*) FILTER (WHERE passed_on <= $as_of AND (expires_on IS NULL OR expires_on >= $as_of)) AS certified,
    count(*) FILTER (WHERE passed_on <= $as_of AND expires_on > $as_of AND expires_on <= $horizon) AS expiring
"""


def _params(period: Period, county: str, today: dt.date | None) -> dict:
    as_of = period.as_of(today)
    return {
        "county": county,
        "year_start": dt.date(period.year, 1, 1),
        "as_of": as_of,
        "horizon": as_of + dt.timedelta(days=EXPIRY_WINDOW_DAYS),
    }


def _counts(con, period: Period, county: str, key: str, today) -> tuple[dict, dict]:
    sql = f"""
        SELECT grouping({key}), {key}, {_COUNTS}
        FROM standardization WHERE county = $county AND applied_on <= $as_of
        GROUP BY GROUPING SETS (({key}), ())
    """
    groups, total = {}, dict.fromkeys(_COUNT_COLUMNS, 0)
    for row in con.execute(sql, _params(period, county, today)).fetchall():
        figures = dict(zip(_COUNT_COLUMNS, row[2:], strict=True))
        if row[0]:
            total = figures
        else:
            groups[row[1]] = figures
    return groups, total


def targets(con: duckdb.DuckDBPyConnection, year: int, county: str) -> dict[str, int]:
    """{grade: target} of the county's standardization_targets for `year` (grades without a row left out)."""
    rows = con.execute(
        "SELECT grade, target FROM standardization_targets WHERE year = ? AND county = ?", [year, county]
    ).fetchall()
    return {grade: int(value) for grade, value in rows}


def _row(figures: dict | None, target: int | None) -> dict:
    f = figures or dict.fromkeys(_COUNT_COLUMNS, 0)
    return {
        "target": target,
        "applied": f["applied"],
        "passed": f["passed"],
        "completion_pct": rate(f["passed"], target) if target else None,
        "application_pct": rate(f["applied"], target) if target else None,
        "certified": f["certified"],
        "expiring": f["expiring"],
    }


def standardization(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    county: str,
    by: str = "grade",
    today: dt.date | None = None,
) -> dict:
    """Standardization figures of spec/cli.md: `{"period", "county", "coverage", "by", "total", "rows"}`.

    By grade: one row per grade in the contract's order (一级, 二级, 三级), each with
    its target (null when the county has none). By township: see the module docstring.
    """
    if by not in ("grade", "township"):
        raise ValueError(t("metrics.bad_by", by=by, choices="grade、township"))
    goals = targets(con, period.year, county)
    groups, total = _counts(con, period, county, by, today)
    if by == "grade":
        rows = [{"grade": grade, **_row(groups.get(grade), goals.get(grade))} for grade in GRADES]
    else:
        keys = set(groups) | set(region_townships(con, county))
        rows = [{"township": key, **_row(groups.get(key), None)} for key in township_order(keys)]
    return {
        "period": period.to_json(today),
        "county": county,
        "coverage": coverage_document(con, SOURCES["standardization"], county, today),
        "by": by,
        "total": {by: TOTAL_LABEL, **_row(total, sum(goals.values()) if goals else None)},
        "rows": rows,
    }


EXPIRING_COLUMNS = ["enterprise", "township", "grade", "passed_on", "expires_on", "days_left"]


def expiring_certificates(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    county: str,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Certificates in force that expire within 90 days after as_of (as_of < expires_on ≤ as_of + 90), soonest first.

    Columns: enterprise, township (None = 县直/未填乡镇), grade, passed_on, expires_on,
    days_left (expires_on − as_of). A certificate expiring on as_of itself is still
    in force and not listed.
    """
    sql = """
        SELECT enterprise, township, grade, passed_on, expires_on,
               datediff('day', $as_of, expires_on)::BIGINT AS days_left
        FROM standardization
        WHERE county = $county AND passed_on <= $as_of AND expires_on > $as_of AND expires_on <= $horizon
        ORDER BY expires_on, enterprise, record_id
    """
    params = _params(period, county, today)
    del params["year_start"]
    frame = con.sql(sql, params=params).to_arrow_table().to_pandas()
    return frame[EXPIRING_COLUMNS]


def standardization_page(
    con: duckdb.DuckDBPyConnection, period: Period, county: str, today: dt.date | None = None
) -> dict:
    """What the 标准化达标 page shows, on one connection: `{"grade": standardization(by="grade"),
    "township": standardization(by="township"), "expiring": expiring_certificates()}`."""
    return {
        "grade": standardization(con, period, county, by="grade", today=today),
        "township": standardization(con, period, county, by="township", today=today),
        "expiring": expiring_certificates(con, period, county, today=today),
    }
