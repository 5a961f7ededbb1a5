"""The four indicators 四项指标 of `spec/metrics.md`, with 同期, 同比, 环比 and breakdowns.

Every figure comes from the accident records (the city bulletin serves only the
county ranking, see `ranking.py`). A record belongs to the county and period of
its `occurred_on`. Counts are ints, money is 万元 with 2 decimals (half away
from zero) and change_pct follows `periods.change_pct` (0.0 when both are 0,
None = 新增 when only the previous is 0; 同比 of money uses the unrounded sums).

Decided here: 双下降 means accidents and deaths both strictly below 同期, so it
is false whenever 同期 was 0; `by_sector` lists the sectors with an accident in
the period or in 同期 (never all twelve), so a sector that fell to zero still shows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pandas as pd

from analytics.contract.datasets import INDUSTRY_TRADE_SECTORS, MAJOR_LEVELS, SECTORS
from analytics.metrics.coverage import SOURCES, coverage, coverage_document
from analytics.metrics.periods import Period, change_pct, money
from analytics.text import fields

# The four indicators in the order every page, table and sentence uses.
INDICATORS = ("accidents", "deaths", "injuries", "direct_loss_wan")
# Their labels and units are read from the field catalogue, never written here.
INDICATOR_LABELS = {name: fields.short_label(name) for name in INDICATORS}
INDICATOR_UNITS = {name: fields.unit(name) for name in INDICATORS}
INDUSTRY_TRADE = "工矿商贸"

# Casualty figures may still be corrected this many days after an accident (domain.md).
CORRECTION_WINDOW_DAYS = 30

# Aggregates over the accidents table, each with its FILTER placeholder for the period.
_MEASURES = (
    ("accidents", "count(*) FILTER (WHERE {w})"),
    ("deaths", "coalesce(sum(deaths) FILTER (WHERE {w}), 0)"),
    ("injuries", "coalesce(sum(injuries) FILTER (WHERE {w}), 0)"),
    ("direct_loss_wan", "coalesce(sum(direct_loss_wan) FILTER (WHERE {w}), 0)"),
    ("missing", "coalesce(sum(coalesce(missing, 0)) FILTER (WHERE {w}), 0)"),
    ("major_accidents", "count(*) FILTER (WHERE ({w}) AND list_contains($major_levels, level))"),
)
_CURRENT = "occurred_on BETWEEN $start AND $end"
_PREVIOUS = "occurred_on BETWEEN $previous_start AND $previous_end"


def _clean(row: dict) -> dict:
    """Counts as ints; money stays an exact Decimal until shown, so 同比 uses the unrounded sums."""
    return {
        key: Decimal(str(value or 0)) if key == "direct_loss_wan" else int(value or 0)
        for key, value in row.items()
    }


def _shown(name: str, value: int | Decimal) -> int | float:
    """A figure as JSON carries it: counts as ints, money in 万元 with 2 decimals."""
    return money(value) if name == "direct_loss_wan" else value


def _zero() -> dict:
    return _clean({name: 0 for name, _ in _MEASURES})


def _aggregate(
    con: duckdb.DuckDBPyConnection,
    group_sql: str,
    period: Period,
    county: str | None,
    compare: Period | None = None,
) -> dict:
    """{group: {"current": figures, "previous": figures}} over one grouping expression.

    `group_sql` is an expression over our own columns (never user input);
    `compare` defaults to 同期.
    """
    compare = compare or period.previous
    columns = []
    for name, template in _MEASURES:
        columns.append(f"{template.format(w=_CURRENT)} AS {name}")
        columns.append(f"{template.format(w=_PREVIOUS)} AS previous_{name}")
    sql = (
        f"SELECT {group_sql} AS grp, {', '.join(columns)} FROM accidents "
        f"WHERE (({_CURRENT}) OR ({_PREVIOUS})) "
        "AND ($county IS NULL OR county = $county) "
        "GROUP BY grp"
    )
    params = {
        "start": period.start,
        "end": period.end,
        "previous_start": compare.start,
        "previous_end": compare.end,
        "county": county,
        "major_levels": list(MAJOR_LEVELS),
    }
    result = con.execute(sql, params)
    names = [d[0] for d in result.description]
    groups = {}
    for values in result.fetchall():
        row = dict(zip(names, values, strict=True))
        group = row.pop("grp")
        current = _clean({name: row[name] for name, _ in _MEASURES})
        previous = _clean({name: row[f"previous_{name}"] for name, _ in _MEASURES})
        groups[group] = {"current": current, "previous": previous}
    return groups


def _totals(con, period, county, compare=None) -> tuple[dict, dict]:
    both = _aggregate(con, "NULL", period, county, compare).get(None)
    if both is None:
        return _zero(), _zero()
    return both["current"], both["previous"]


def _sum(groups: dict, which: str, sectors: tuple[str, ...] | None = None) -> dict:
    """Add up the figures of several groups (all of them, or the given sectors); every measure is a sum."""
    total = _zero()
    for group, both in groups.items():
        if sectors is None or group in sectors:
            total = {name: total[name] + both[which][name] for name in total}
    return total


def _compare(current: dict, previous: dict) -> dict:
    """{INDICATOR: {"value", "previous", "change_pct"}} for the four indicators."""
    return {
        name: {
            "value": _shown(name, current[name]),
            "previous": _shown(name, previous[name]),
            "change_pct": change_pct(current[name], previous[name]),
        }
        for name in INDICATORS
    }


def double_decline(compared: dict) -> bool:
    """双下降: accidents and deaths both strictly below 同期 (so never when 同期 was 0)."""
    return all(compared[name]["value"] < compared[name]["previous"] for name in ("accidents", "deaths"))


def provisional(period: Period, today: dt.date | None = None) -> dict:
    """Whether the period's figures may still change: its last day is within the correction window.

    `until` is the last day a correction may arrive (period end + 30 days); the
    shorter 7-day window for road traffic and fire falls inside it.
    """
    today = today or dt.date.today()
    until = period.end + dt.timedelta(days=CORRECTION_WINDOW_DAYS)
    return {
        "provisional": today <= until,
        "until": until.isoformat(),
        "window_days": CORRECTION_WINDOW_DAYS,
    }


def indicators(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    county: str | None = None,
    today: dt.date | None = None,
) -> dict:
    """The cli.md `indicators` document for a county (None = the whole city), with extra keys.

    Extra keys: `missing` (下落不明, beside deaths), `mom` (环比 against the month
    before for a single-month period, else None), `provisional`, `industry_trade`
    (the 工矿商贸 group) and `major_accidents.change_pct`.
    """
    # One pass by sector gives the totals, the 工矿商贸 group and the sector rows alike.
    sectors = _aggregate(con, "sector", period, county)
    current, previous = _sum(sectors, "current"), _sum(sectors, "previous")
    compared = _compare(current, previous)
    before = period.month_before
    mom = None
    if before is not None:
        month_current, month_before = _totals(con, period, county, compare=before)
        mom = {"period": before.to_json(today), **_compare(month_current, month_before)}
    trade_current = _sum(sectors, "current", INDUSTRY_TRADE_SECTORS)
    trade_previous = _sum(sectors, "previous", INDUSTRY_TRADE_SECTORS)
    return {
        "period": period.to_json(today),
        "county": county,
        "coverage": coverage_document(con, SOURCES["indicators"], county, today),
        "indicators": compared,
        "double_decline": double_decline(compared),
        "major_accidents": {
            "value": current["major_accidents"],
            "previous": previous["major_accidents"],
            "change_pct": change_pct(current["major_accidents"], previous["major_accidents"]),
        },
        "missing": {
            "value": current["missing"],
            "previous": previous["missing"],
            "change_pct": change_pct(current["missing"], previous["missing"]),
        },
        "by_sector": _sector_rows(sectors),
        "industry_trade": {
            "sectors": list(INDUSTRY_TRADE_SECTORS),
            "no_accidents": trade_current["accidents"] == 0,
            "no_accidents_previous": trade_previous["accidents"] == 0,
            **_compare(trade_current, trade_previous),
        },
        "mom": mom,
        "provisional": provisional(period, today),
    }


def accidents_by_field(indicators_doc: dict) -> list[tuple[str, int]]:
    """The period's accidents per field (领域) of an `indicators` document, as the bureau reports them:
    each leaf sector, but the 工矿商贸 sectors as one field. (name, accidents) for fields with any,
    most first; a tie keeps the contract's order, 工矿商贸 after the leaf sectors."""
    rows = [row for row in indicators_doc["by_sector"] if row["accidents"] > 0]
    fields = [
        (row["sector"], row["accidents"]) for row in rows if row["sector"] not in INDUSTRY_TRADE_SECTORS
    ]
    trade = sum(row["accidents"] for row in rows if row["sector"] in INDUSTRY_TRADE_SECTORS)
    if trade:
        fields.append((INDUSTRY_TRADE, trade))
    return sorted(fields, key=lambda field: -field[1])  # stable: ties keep their order


def by_sector(con: duckdb.DuckDBPyConnection, period: Period, county: str | None = None) -> list[dict]:
    """One row per leaf sector with an accident in the period or in 同期, in the contract's order.

    Row: sector, group (工矿商贸 or None), the four indicators and missing for the
    period, `previous` (the same for 同期) and `change_pct` per indicator.
    Sectors with no accident in either period are left out.
    """
    return _sector_rows(_aggregate(con, "sector", period, county))


def _sector_rows(groups: dict) -> list[dict]:
    known = [s for s in SECTORS if s in groups]
    unknown = sorted(s for s in groups if s not in SECTORS and s is not None)
    rows = []
    for sector in known + unknown:
        current, previous = groups[sector]["current"], groups[sector]["previous"]
        rows.append(_breakdown_row("sector", sector, current, previous))
        rows[-1]["group"] = INDUSTRY_TRADE if sector in INDUSTRY_TRADE_SECTORS else None
    return rows


def _breakdown_row(key: str, label: str | None, current: dict, previous: dict) -> dict:
    return {
        key: label,
        **{name: _shown(name, current[name]) for name in (*INDICATORS, "missing", "major_accidents")},
        "previous": {
            name: _shown(name, previous[name]) for name in (*INDICATORS, "missing", "major_accidents")
        },
        "change_pct": {name: change_pct(current[name], previous[name]) for name in INDICATORS},
    }


def by_township(con: duckdb.DuckDBPyConnection, period: Period, county: str | None) -> list[dict]:
    """One row per township of the county: every township in regions (zeros included) and any in records.

    Rows are sorted by township name; records with an empty township form one
    last row with `township` None (shown as `common.NO_TOWNSHIP`), present only
    when such records exist in the period or in 同期. Row keys as in `by_sector`.
    With county None the whole city's records are grouped by township name.
    """
    groups = _aggregate(con, "township", period, county)
    listed = {
        row[0]
        for row in con.execute(
            "SELECT DISTINCT township FROM regions "
            "WHERE ($county IS NULL OR county = $county) AND township IS NOT NULL",
            {"county": county},
        ).fetchall()
    }
    names = sorted(listed | {g for g in groups if g is not None})
    rows = []
    for name in names:
        both = groups.get(name, {"current": _zero(), "previous": _zero()})
        rows.append(_breakdown_row("township", name, both["current"], both["previous"]))
    if None in groups:
        rows.append(_breakdown_row("township", None, groups[None]["current"], groups[None]["previous"]))
    return rows


def major_accident_list(
    con: duckdb.DuckDBPyConnection, period: Period, county: str | None = None
) -> list[dict]:
    """The 较大及以上 accidents of the period, latest first, for a page to list."""
    result = con.execute(
        "SELECT accident_id, occurred_on, county, township, sector, level, "
        "deaths, coalesce(missing, 0) AS missing, coalesce(serious_injuries, 0) AS serious_injuries, "
        "injuries, direct_loss_wan, unit, summary FROM accidents "
        "WHERE occurred_on BETWEEN $start AND $end AND ($county IS NULL OR county = $county) "
        "AND list_contains($major_levels, level) ORDER BY occurred_on DESC, accident_id",
        {"start": period.start, "end": period.end, "county": county, "major_levels": list(MAJOR_LEVELS)},
    )
    names = [d[0] for d in result.description]
    rows = []
    for values in result.fetchall():
        row = dict(zip(names, values, strict=True))
        row["occurred_on"] = row["occurred_on"].isoformat()
        row["direct_loss_wan"] = money(row["direct_loss_wan"])
        rows.append(row)
    return rows


def monthly(
    con: duckdb.DuckDBPyConnection,
    year: int,
    county: str | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Months 1–12 of `year` against `year`−1: each indicator monthly and cumulative.

    Columns: month, then for each INDICATOR: `X`, `X_previous`, `X_cum`,
    `X_previous_cum`, and 同比 `X_change_pct` (the month against the same month of
    `year`−1) and `X_change_pct_cum` (the running totals), from the unrounded sums like
    every change_pct (pd.NA = 新增 where 同期 is 0). This year's months after the
    accident ledger's coverage are missing (pd.NA, their 同比 too), so a trend line
    stops where the data stops.
    """
    result = con.execute(
        "SELECT year(occurred_on) AS year, month(occurred_on) AS month, count(*) AS accidents, "
        "coalesce(sum(deaths), 0) AS deaths, coalesce(sum(injuries), 0) AS injuries, "
        "coalesce(sum(direct_loss_wan), 0) AS direct_loss_wan FROM accidents "
        "WHERE occurred_on BETWEEN $start AND $end AND ($county IS NULL OR county = $county) "
        "GROUP BY 1, 2",
        {"start": dt.date(year - 1, 1, 1), "end": dt.date(year, 12, 31), "county": county},
    )
    figures = {(y, m): values for y, m, *values in result.fetchall()}
    # The line stops where the accident ledger (records or declared months) stops for the county.
    latest = coverage(con, today).county_month("accidents", county)
    if latest is None or latest[0] > year:
        last_month = 12
    elif latest[0] < year:
        last_month = 0
    else:
        last_month = latest[1]
    table: dict[str, list] = {"month": list(range(1, 13))}
    for index, name in enumerate(INDICATORS):
        as_figure = money if name == "direct_loss_wan" else int
        exact: dict[str, list[Decimal]] = {}
        for suffix, which in (("", year), ("_previous", year - 1)):
            # Running totals from the unrounded sums, so the cumulative figure equals the period total.
            running = Decimal(0)
            values, totals = [], []
            exact[suffix], exact[f"{suffix}_cum"] = [], []
            for month in range(1, 13):
                value = Decimal(str(figures.get((which, month), (0, 0, 0, 0))[index]))
                running += value
                exact[suffix].append(value)
                exact[f"{suffix}_cum"].append(running)
                shown = which < year or month <= last_month
                values.append(as_figure(value) if shown else None)
                totals.append(as_figure(running) if shown else None)
            table[f"{name}{suffix}"] = values
            table[f"{name}{suffix}_cum"] = totals
        for suffix in ("", "_cum"):
            table[f"{name}_change_pct{suffix}"] = [
                change_pct(now, before) if month <= last_month else None
                for month, now, before in zip(
                    range(1, 13), exact[suffix], exact[f"_previous{suffix}"], strict=True
                )
            ]
    frame = pd.DataFrame(table)
    for column in frame.columns.drop("month"):
        money_or_change = column.startswith("direct_loss_wan") or "_change_pct" in column
        frame[column] = frame[column].astype("Float64" if money_or_change else "Int64")
    suffixes = ("", "_previous", "_cum", "_previous_cum", "_change_pct", "_change_pct_cum")
    order = ["month"] + [f"{n}{s}" for n in INDICATORS for s in suffixes]
    return frame[order]
