"""The county ranking 全市排位 of `spec/metrics.md`.

Rules, beyond the spec's letter, decided here:
- Source: for each county and month of the period (and of 同期), the
  city_bulletin row where one exists, else the accident records. A county's
  `source` is "bulletin" when every month of the period came from the bulletin,
  "records" when none did, "mixed" otherwise.
- Counties ranked: every county in regions, in any accident record or in the
  bulletin; one with nothing in the period has zeros and is ranked.
- Ranks are competition ranks (1, 2, 2, 4) over the figures as shown (money to
  2 decimals, change_pct to 1 decimal, rates to 3 decimals); rank 1 = smallest.
- change_pct: most negative = 1; null (新增, previous 0) counts as larger than
  any number, so nulls come last and share one rank among themselves.
- Rates: null when county_profile has no denominator for the county and year;
  a null rate is not ranked (`rate_rank` null).
- The bulletin has no sector, so road and non-road deaths always come from the
  accident records; for a county whose bulletin months report deaths but whose
  records hold no accident in such a month the split is unknown and both
  sector rates are null.
- rank_change: the ranks in the previous ranking period (months a..b−1 for a
  range a–b, the month before for a single month) minus today's ranks, so a
  positive number means the county moved up (↑); null when that period holds
  no data at all, and null for every county while the counties' accident
  coverage (records, declarations or bulletin) differs within the period
  (`coverage_differs`); `behind` names each county whose coverage ends before
  month b, and each is ranked on what it has.
- `counties` is sorted by county name; pages re-sort by any rank.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb

from analytics.contract.datasets import INDUSTRY_TRADE_SECTORS, ROAD_TRAFFIC
from analytics.metrics.coverage import SOURCES, coverage, month_key
from analytics.metrics.indicators import INDICATORS
from analytics.metrics.periods import Period, change_pct, money, round_half_up
from analytics.text import fields
from analytics.text.zh import t

RATES = ("deaths_per_yi_gdp", "road_deaths_per_wan_vehicles", "industry_deaths_per_100k_workforce")
RATE_LABELS = {name: fields.short_label(name) for name in RATES}  # from the field catalogue
RATE_DECIMALS = 3
SOURCE_LABELS = {
    "bulletin": t("metrics.source.bulletin"),
    "records": t("metrics.source.records"),
    "mixed": t("metrics.source.mixed"),
}

_FIGURES_SQL = """
WITH county_list AS (
    SELECT county FROM regions WHERE county IS NOT NULL
    UNION SELECT county FROM accidents WHERE county IS NOT NULL
    UNION SELECT county FROM city_bulletin WHERE county IS NOT NULL
),
slots AS (
    SELECT c.county, y.year, m.month
    FROM county_list c
    CROSS JOIN (VALUES ($year), ($year - 1)) AS y(year)
    CROSS JOIN generate_series($first_month, $last_month) AS m(month)
),
records AS (
    SELECT county, year(occurred_on) AS year, month(occurred_on) AS month,
           count(*) AS accidents,
           sum(deaths) AS deaths,
           sum(injuries) AS injuries,
           sum(direct_loss_wan) AS direct_loss_wan,
           coalesce(sum(deaths) FILTER (WHERE sector = $road), 0) AS road_deaths,
           coalesce(sum(deaths) FILTER (WHERE list_contains($industry, sector)), 0) AS industry_deaths
    FROM accidents
    WHERE (occurred_on BETWEEN $start AND $end OR occurred_on BETWEEN $previous_start AND $previous_end)
    GROUP BY 1, 2, 3
)
SELECT s.county, s.year,
       sum(CASE WHEN b.county IS NOT NULL THEN b.accidents ELSE coalesce(r.accidents, 0) END)::BIGINT,
       sum(CASE WHEN b.county IS NOT NULL THEN b.deaths ELSE coalesce(r.deaths, 0) END)::BIGINT,
       sum(CASE WHEN b.county IS NOT NULL THEN b.injuries ELSE coalesce(r.injuries, 0) END)::BIGINT,
       coalesce(sum(CASE WHEN b.county IS NOT NULL THEN b.direct_loss_wan ELSE r.direct_loss_wan END), 0),
       coalesce(sum(r.road_deaths), 0)::BIGINT,
       coalesce(sum(r.industry_deaths), 0)::BIGINT,
       count(*) FILTER (WHERE b.county IS NOT NULL)::BIGINT,
       count(*) FILTER (WHERE b.county IS NULL)::BIGINT,
       coalesce(bool_or(b.county IS NOT NULL AND b.deaths > 0 AND r.county IS NULL), false)
FROM slots s
LEFT JOIN city_bulletin b ON b.year = s.year AND b.month = s.month AND b.county = s.county
LEFT JOIN records r ON r.year = s.year AND r.month = s.month AND r.county = s.county
GROUP BY s.county, s.year
"""


_WHEN = ("current", "previous")
_EXACT = {"direct_loss_wan": "exact_loss"}


def competition_rank(values: dict[str, float | int | None], nulls_last: bool = True) -> dict[str, int | None]:
    """Rank 1 = smallest, ties share the smallest rank (1, 2, 2, 4).

    None values rank after every number, tied among themselves, or get None
    when `nulls_last` is False.
    """
    numbers = [v for v in values.values() if v is not None]
    ranks: dict[str, int | None] = {}
    for key, value in values.items():
        if value is None:
            ranks[key] = len(numbers) + 1 if nulls_last else None
        else:
            ranks[key] = 1 + sum(1 for other in numbers if other < value)
    return ranks


def _figures(con: duckdb.DuckDBPyConnection, period: Period) -> dict[str, dict]:
    """{county: {"current": {...}, "previous": {...}}} by the bulletin-else-records rule."""
    previous = period.previous
    params = {
        "year": period.year,
        "first_month": period.first_month,
        "last_month": period.last_month,
        "start": period.start,
        "end": period.end,
        "previous_start": previous.start,
        "previous_end": previous.end,
        "road": ROAD_TRAFFIC,
        "industry": list(INDUSTRY_TRADE_SECTORS),
    }
    counties: dict[str, dict] = {}
    for row in con.execute(_FIGURES_SQL, params).fetchall():
        (
            county,
            year,
            accidents,
            deaths,
            injuries,
            loss,
            road,
            industry,
            bulletin_months,
            record_months,
            unknown,
        ) = row
        figures = {
            "accidents": int(accidents),
            "deaths": int(deaths),
            "injuries": int(injuries),
            "direct_loss_wan": money(loss),
            # 同比 from the unrounded sum; ranks and JSON use the 2-decimal figure.
            "exact_loss": Decimal(str(loss)),
            "road_deaths": int(road),
            "industry_deaths": int(industry),
            "split_unknown": bool(unknown),
            "source": "mixed"
            if bulletin_months and record_months
            else ("bulletin" if bulletin_months else "records"),
        }
        key = "current" if year == period.year else "previous"
        counties.setdefault(county, {})[key] = figures
    return counties


def _has_data(con: duckdb.DuckDBPyConnection, period: Period) -> bool:
    """Whether any accident record or bulletin row falls in the period."""
    row = con.execute(
        "SELECT EXISTS (SELECT 1 FROM accidents WHERE occurred_on BETWEEN $start AND $end) "
        "OR EXISTS (SELECT 1 FROM city_bulletin WHERE year = $year AND month BETWEEN $first AND $last)",
        {
            "start": period.start,
            "end": period.end,
            "year": period.year,
            "first": period.first_month,
            "last": period.last_month,
        },
    ).fetchone()
    return bool(row[0])


def _rate(numerator: int, denominator: Decimal | None) -> float | None:
    if denominator is None or denominator <= 0:
        return None
    return round_half_up(Decimal(numerator) / Decimal(str(denominator)), RATE_DECIMALS)


def _profiles(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, tuple]:
    rows = con.execute(
        "SELECT county, gdp_yi, vehicles_wan, workforce_wan FROM county_profile WHERE year = ?", [year]
    ).fetchall()
    return {county: (gdp, vehicles, workforce) for county, gdp, vehicles, workforce in rows}


def _ranks(table: dict[str, dict]) -> dict[str, dict[str, int | None]]:
    """{county: {INDICATOR: rank}} over the current figures."""
    per_indicator = {
        name: competition_rank({county: both["current"][name] for county, both in table.items()})
        for name in INDICATORS
    }
    return {county: {name: per_indicator[name][county] for name in INDICATORS} for county in table}


def previous_ranking_period(period: Period) -> Period:
    """The period a rank change is read against: a..b−1, or the month before a single month."""
    if period.first_month == period.last_month:
        return period.month_before
    return Period(period.year, period.first_month, period.last_month - 1)


def ranking(con: duckdb.DuckDBPyConnection, period: Period, today: dt.date | None = None) -> dict:
    """The cli.md `ranking` document, with extra keys per county.

    Extra keys per county: `source`, `previous` (同期 figures), `rates`,
    `rate_rank`, `previous_rank`, `rank_change`; top level: `previous_period`,
    `rates_year`, `rates_available`, `sort` ("county"). See the module doc for the rules.
    """
    table = _figures(con, period)
    ranks = _ranks(table)
    changes = {
        county: {name: change_pct(*(both[w][_EXACT.get(name, name)] for w in _WHEN)) for name in INDICATORS}
        for county, both in table.items()
    }
    change_ranks = {
        name: competition_rank({county: changes[county][name] for county in table}) for name in INDICATORS
    }
    profiles = _profiles(con, period.year)
    rates = {}
    for county, both in table.items():
        current = both["current"]
        gdp, vehicles, workforce = profiles.get(county, (None, None, None))
        unknown = current["split_unknown"]
        rates[county] = {
            "deaths_per_yi_gdp": _rate(current["deaths"], gdp),
            "road_deaths_per_wan_vehicles": None if unknown else _rate(current["road_deaths"], vehicles),
            # Per 10⁵ people with the workforce in 万人 (10⁴): deaths × 10 / workforce_wan.
            "industry_deaths_per_100k_workforce": None
            if unknown
            else _rate(current["industry_deaths"] * 10, workforce),
        }
    rate_ranks = {
        name: competition_rank({county: rates[county][name] for county in table}, nulls_last=False)
        for name in RATES
    }
    cov = coverage(con, today)
    reached = {county: cov.accident_month(county) for county in table}
    end = (period.year, period.last_month)
    behind = [
        {"county": county, "coverage": month_key(month)}
        for county, month in sorted(reached.items())
        if month is None or month < end
    ]
    # Counties counted over different months are not compared with an earlier ranking.
    coverage_differs = len({min(month, end) if month else None for month in reached.values()}) > 1
    before = previous_ranking_period(period)
    # Before the data begins every county would tie at 1: no rank to compare with.
    previous_ranks = _ranks(_figures(con, before)) if _has_data(con, before) and not coverage_differs else {}

    counties = []
    for county in sorted(table):
        current, previous = table[county]["current"], table[county]["previous"]
        earlier = previous_ranks.get(county, {})
        counties.append(
            {
                "county": county,
                **{name: current[name] for name in INDICATORS},
                "rank": ranks[county],
                "change_pct": changes[county],
                "change_rank": {name: change_ranks[name][county] for name in INDICATORS},
                "source": current["source"],
                "previous": {name: previous[name] for name in INDICATORS},
                "road_deaths": current["road_deaths"],
                "industry_deaths": current["industry_deaths"],
                "rates": rates[county],
                "coverage": month_key(reached[county]),
                "rate_rank": {name: rate_ranks[name][county] for name in RATES},
                "previous_rank": {name: earlier.get(name) for name in INDICATORS},
                "rank_change": {
                    name: None if earlier.get(name) is None else earlier[name] - ranks[county][name]
                    for name in INDICATORS
                },
            }
        )
    return {
        "period": period.to_json(today),
        "coverage": cov.document(SOURCES["ranking"], None),
        "behind": behind,
        "coverage_differs": coverage_differs,
        "source": {row["county"]: row["source"] for row in counties},
        "counties": counties,
        "previous_period": before.to_json(today),
        "rates_year": period.year,
        "rates_available": {name: any(rates[c][name] is not None for c in table) for name in RATES},
        "sort": "county",
    }


def shared_rank(ranking_doc: dict, name: str, rank: int | None) -> bool:
    """Whether another county holds the same rank on `name` (a tie: 并列第n位)."""
    return sum(1 for row in ranking_doc["counties"] if row["rank"][name] == rank) > 1


def county_row(ranking_doc: dict, county: str) -> dict | None:
    """The row of one county in a ranking document, or None when it is not ranked."""
    for row in ranking_doc["counties"]:
        if row["county"] == county:
            return row
    return None
