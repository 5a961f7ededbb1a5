"""Township comparison 乡镇对比: one row per township of the county, per `spec/metrics.md`.

Each column reuses the one definition of its metric: the four indicators,
hazards, enforcement and training.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from analytics.metrics.common import TOTAL_LABEL, region_townships, township_order
from analytics.metrics.coverage import SOURCES, coverage_document
from analytics.metrics.enforcement import enforcement
from analytics.metrics.hazards import hazards
from analytics.metrics.indicators import INDICATORS, by_township, indicators
from analytics.metrics.periods import Period, round_half_up
from analytics.metrics.training import training

# Row keys in the order of spec/cli.md.
TOWNSHIP_FIELDS = (
    "accidents",
    "deaths",
    "injuries",
    "direct_loss_wan",
    "found",
    "rectification_rate",
    "overdue",
    "cases",
    "fine_wan",
    "trained",
    "coverage_pct",
)


def _row(accident: dict, hazard: dict, case: dict, trainee: dict) -> dict:
    return {
        **{name: accident[name] for name in INDICATORS},
        "found": hazard["found"],
        "rectification_rate": hazard["rectification_rate"],
        "overdue": hazard["overdue"],
        "cases": case["cases"],
        "fine_wan": case["fine_wan"],
        "trained": trainee["trained"],
        "coverage_pct": trainee["coverage_pct"],
    }


def townships(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    county: str,
    today: dt.date | None = None,
) -> dict:
    """The township comparison of spec/cli.md: `{"period", "county", "rows", "total"}`.

    Rows: every township of the county in `regions`, plus any township with an
    accident, hazard, case or training session in the period (or a target of its
    own for the year), sorted by name; then `"township": null` (县直/未填乡镇)
    when such records exist. `total` (key "合计") holds the county's figures,
    computed over all of its records, for a township's profile against the county.
    """
    accident_rows = {r["township"]: r for r in by_township(con, period, county)}
    accident_total = {
        name: figure["value"] for name, figure in indicators(con, period, county, today)["indicators"].items()
    }
    hazard_doc = hazards(con, period, county, by="township", today=today)
    case_doc = enforcement(con, period, county, by="township", today=today)
    training_doc = training(con, period, county, by="township", today=today)
    hazard_rows = {r["township"]: r for r in hazard_doc["rows"]}
    case_rows = {r["township"]: r for r in case_doc["rows"]}
    training_rows = {r["township"]: r for r in training_doc["rows"]}

    # The sub-documents also list townships seen only in inspections or in
    # last year's accidents or cases; those carry no figure of this table, so are not rows here.
    keys = set(region_townships(con, county))
    keys |= {k for k, r in accident_rows.items() if r["accidents"]}
    keys |= {k for k, r in hazard_rows.items() if r["found"]}
    keys |= {k for k, r in case_rows.items() if r["cases"]}
    keys |= {k for k, r in training_rows.items() if r["trained"] or r["required"]}

    empty_accident = {"accidents": 0, "deaths": 0, "injuries": 0, "direct_loss_wan": 0.0}
    empty_hazard = {"found": 0, "rectification_rate": None, "overdue": 0}
    empty_case = {"cases": 0, "fine_wan": 0.0}
    empty_training = {"trained": 0, "coverage_pct": None}
    rows = [
        {
            "township": key,
            **_row(
                accident_rows.get(key, empty_accident),
                hazard_rows.get(key, empty_hazard),
                case_rows.get(key, empty_case),
                training_rows.get(key, empty_training),
            ),
        }
        for key in township_order(keys)
    ]
    total = _row(accident_total, hazard_doc["total"], case_doc["total"], training_doc["total"])
    return {
        "period": period.to_json(today),
        "county": county,
        "coverage": coverage_document(con, SOURCES["townships"], county, today),
        "rows": rows,
        "total": {"township": TOTAL_LABEL, **total},
    }


# One rule of "better or worse" for the township comparison: the chart's colours, the table's shades
# and the profile's words all come from `verdict`. Counts of harm and overdue hazards are better low,
# rates better high. How many hazards were found, cases filed, 万元 fined or people trained is the size
# of the work (and of the township), not a performance, so it gets no verdict.
LOWER, HIGHER = "lower", "higher"
JUDGED: dict[str, str] = {
    "accidents": LOWER,
    "deaths": LOWER,
    "injuries": LOWER,
    "direct_loss_wan": LOWER,
    "rectification_rate": HIGHER,
    "overdue": LOWER,
    "coverage_pct": HIGHER,
}
VOLUMES = ("found", "cases", "fine_wan", "trained")
RATES = ("rectification_rate", "coverage_pct")
# Values are compared at the precision they are shown with, so "持平" is what the reader sees as equal.
_PLACES = {"direct_loss_wan": 2, "fine_wan": 2, "rectification_rate": 1, "coverage_pct": 1}


def real_townships(document: dict) -> list[dict]:
    """The rows of a `townships` document that are townships: every row but 县直/未填乡镇 (township null)."""
    return [row for row in document["rows"] if row["township"] is not None]


def baselines(document: dict) -> dict[str, float | None]:
    """Per field, what a township is compared with.

    Counts and amounts: the mean over the real townships (县直/未填乡镇 is not one). Rates: the county's
    own rate (`total`), since a mean of rates would weigh a small township like a large one. None when
    there is nothing to compare with (no township, or a null county rate).
    """
    towns = real_townships(document)
    result: dict[str, float | None] = {}
    for field in TOWNSHIP_FIELDS:
        if field in RATES:
            result[field] = document["total"][field]
        else:
            values = [row[field] or 0 for row in towns]
            result[field] = sum(values) / len(values) if values else None
    return result


def _rounded(field: str, value: float) -> float:
    return round_half_up(value, _PLACES.get(field, 1))


def verdict(field: str, value, baseline) -> str | None:
    """'better', 'worse' or 'level' against the baseline by the field's meaning; None for a volume or a null."""
    way = JUDGED.get(field)
    if way is None or value is None or baseline is None:
        return None
    value, baseline = _rounded(field, value), _rounded(field, baseline)
    if value == baseline:
        return "level"
    return "better" if (value > baseline) == (way == HIGHER) else "worse"


def row_verdicts(document: dict, field: str) -> list[str | None]:
    """Per row of the document (in its order), the verdict on `field`; 县直/未填乡镇 gets none."""
    baseline = baselines(document)[field]
    return [
        None if row["township"] is None else verdict(field, row[field], baseline) for row in document["rows"]
    ]


def profile(document: dict, township: str | None) -> list[dict]:
    """One row's figures against the county, field by field, in TOWNSHIP_FIELDS order.

    Each item: field, value, county (the 合计), baseline (see `baselines`), average (the township mean, None
    for a rate), share_pct (the row's share of the county total, None for a rate or a zero total) and
    verdict. 县直/未填乡镇 is not a township: its figures and shares are given, never a verdict.
    """
    row = next(r for r in document["rows"] if r["township"] == township)
    bases = baselines(document)
    items = []
    for field in TOWNSHIP_FIELDS:
        value, county = row[field], document["total"][field]
        is_rate = field in RATES
        items.append(
            {
                "field": field,
                "value": value,
                "county": county,
                "baseline": bases[field],
                "average": None if is_rate else bases[field],
                "share_pct": None if is_rate or not county else round_half_up((value or 0) / county * 100, 1),
                "verdict": None if township is None else verdict(field, value, bases[field]),
            }
        )
    return items


def lagging(rows: list[dict], field: str, limit: int = 3) -> list[dict]:
    """The named townships lowest on a rate `field` below 100, lowest first (ties by name), at most `limit`.

    县直/未填乡镇 (township null) is never named, nor a township whose rate cannot be computed.
    """
    named = [r for r in rows if r["township"] is not None and r[field] is not None and r[field] < 100]
    return sorted(named, key=lambda r: (r[field], r["township"]))[:limit]


def most_overdue(rows: list[dict]) -> tuple[int, list[str | None]]:
    """The most overdue hazards (逾期未整改) of any row and the rows that have that many, in order.

    (0, []) when no row has an overdue hazard; 县直/未填乡镇 (None) counts like any row.
    """
    most = max((r["overdue"] for r in rows), default=0)
    return most, ([r["township"] for r in rows if r["overdue"] == most] if most else [])
