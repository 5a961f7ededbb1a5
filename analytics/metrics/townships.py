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
from analytics.metrics.periods import Period
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
