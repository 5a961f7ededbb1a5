"""What every metric needs: the default period, the counties, the home county."""

from __future__ import annotations

import datetime as dt

import duckdb

from analytics import settings
from analytics.contract.datasets import DATASETS
from analytics.metrics.coverage import YEAR_MONTH_SOURCES, coverage, default_month, shared
from analytics.metrics.periods import Period
from analytics.store import get_meta
from analytics.text.zh import t

# Label for records with an empty township, on screen; JSON carries null.
NO_TOWNSHIP = t("metrics.no_township")


def latest_month(con: duckdb.DuckDBPyConnection, today: dt.date | None = None) -> tuple[int, int] | None:
    """(year, month) of the latest record in any dated dataset or year-month table; None when empty."""
    today = today or dt.date.today()
    parts = [
        f"SELECT max({d.date_column}) AS d FROM {d.name} WHERE {d.date_column} <= $today"
        for d in DATASETS.values()
        if d.date_column
    ]
    parts += [
        f"SELECT max(make_date(year::INT, month::INT, 1)) AS d FROM {name} "
        "WHERE make_date(year::INT, month::INT, 1) <= $today"
        for name in YEAR_MONTH_SOURCES
    ]
    row = con.execute(f"SELECT max(d) FROM ({' UNION ALL '.join(parts)}) months", {"today": today}).fetchone()
    if row[0] is None:
        return None
    return row[0].year, row[0].month


def default_period(
    con: duckdb.DuckDBPyConnection,
    year: int | None = None,
    months: tuple[int, int] | None = None,
    today: dt.date | None = None,
) -> Period | None:
    """The period asked for, filling gaps with 1–m of the default year (metrics.md, Default period).

    m is the home county's accident coverage (records, declarations or bulletin rows),
    capped at the last full month before today; another ledger arriving early never moves it.
    A year other than the default year gets months 1–12 unless months are given.
    """
    today = today or dt.date.today()
    latest = default_month(coverage(con, today), home_county(con), today)
    if year is None:
        if latest is None:
            return None
        year = latest[0]
    if months is None:
        months = (1, latest[1]) if latest is not None and latest[0] == year else (1, 12)
    return Period(year, *months)


def filter_options(
    con: duckdb.DuckDBPyConnection, today: dt.date | None = None
) -> tuple[list[str], list[int], Period | None, str | None]:
    """What the shared filters offer: (counties(), data_years(), default_period(), home_county()) on one
    connection (every page's first run asks for all four; the server asks at its start, see app.py)."""
    today = today or dt.date.today()
    return shared(
        "filter_options",
        today,
        lambda: (counties(con), data_years(con, today), default_period(con, today=today), home_county(con)),
    )


def counties(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every county in the regions table or in any record, sorted."""
    parts = [f"SELECT county FROM {name}" for name in DATASETS]
    rows = con.execute(
        f"SELECT DISTINCT county FROM ({' UNION ALL '.join(parts)}) named WHERE county IS NOT NULL ORDER BY county"
    ).fetchall()
    return [r[0] for r in rows]


def home_county(con: duckdb.DuckDBPyConnection) -> str | None:
    """The county this office serves: $SAFETY_HOME_COUNTY, else the stored setting, else the first county."""
    configured = settings.home_county_override() or get_meta(con, "home_county")
    if configured:
        return configured
    known = counties(con)
    return known[0] if known else None


def city_name(con: duckdb.DuckDBPyConnection) -> str | None:
    """The city the counties belong to, from the regions table."""
    row = con.execute(
        "SELECT city FROM regions WHERE city IS NOT NULL GROUP BY city ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    return row[0] if row else None


# The key value of the "total" row of every by-township / by-department document.
TOTAL_LABEL = t("metrics.total")

# Township, department and kind are stored trimmed, an empty cell as null: the import cleans them and
# the store's upgrade cleans older rows. So every query groups by the plain column, and null is the one
# "no township" row (县直/未填乡镇), never dropped (metrics.md).


def region_townships(con: duckdb.DuckDBPyConnection, county: str) -> list[str]:
    """The county's townships in the regions table, sorted by name."""
    rows = con.execute(
        "SELECT DISTINCT township FROM regions WHERE county = ? AND township IS NOT NULL ORDER BY township",
        [county],
    ).fetchall()
    return [r[0] for r in rows]


def township_order(townships) -> list[str | None]:
    """Named townships sorted by name, then the null (县直/未填乡镇) row last: every by-township table's order."""
    present = set(townships)
    return sorted(t for t in present if t is not None) + ([None] if None in present else [])


def data_years(con: duckdb.DuckDBPyConnection, today: dt.date | None = None) -> list[int]:
    """The years that hold any dated record or bulletin row, newest first (the year filter's choices)."""
    today = today or dt.date.today()
    parts = [
        f"SELECT DISTINCT year({d.date_column}) AS y FROM {d.name} WHERE {d.date_column} <= $today"
        for d in DATASETS.values()
        if d.date_column
    ]
    parts += [
        f"SELECT DISTINCT year::INT AS y FROM {name} WHERE year <= year($today)"
        for name in YEAR_MONTH_SOURCES
    ]
    rows = con.execute(
        f"SELECT DISTINCT y FROM ({' UNION ALL '.join(parts)}) years WHERE y IS NOT NULL ORDER BY y DESC",
        {"today": today},
    ).fetchall()
    return [int(r[0]) for r in rows]
