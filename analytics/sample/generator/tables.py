"""The city-wide tables: regions, county profiles, training targets, the city bulletin."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from analytics.contract.datasets import (
    TRAINING_CATEGORIES,
)
from analytics.sample.generator.arrow import _ints, _money, _strings, _table
from analytics.sample.generator.city import _County
from analytics.sample.generator.records import _Totals
from analytics.sample.generator.spec import (
    BULLETIN_GAP_COUNTY,
    BULLETIN_GAP_MONTHS,
    CITY,
    COUNTY_SPECS,
    COUNTY_WIDE_CATEGORIES,
    HOME_COUNTY,
    START_MONTH,
)

# --- City-wide tables -------------------------------------------------------------------------


def _regions(counties: list[_County]) -> pa.Table:
    rows = [(c.name, t) for c in counties for t in c.townships]
    return _table(
        "regions",
        {
            "county": _strings([c for c, _ in rows]),
            "township": _strings([t for _, t in rows]),
            "city": _strings([CITY] * len(rows)),
        },
    )


def _profiles(counties: list[_County], years: list[int], seed: int) -> pa.Table:
    columns: dict[str, list] = {
        "year": [],
        "county": [],
        "gdp_yi": [],
        "population_wan": [],
        "vehicles_wan": [],
        "workforce_wan": [],
    }
    growth = {}
    for county in counties:
        rng = np.random.default_rng([seed, 4, county.index])
        growth[county.name] = {
            "gdp_yi": rng.uniform(1.03, 1.07),
            "population_wan": rng.uniform(0.992, 1.004),
            "vehicles_wan": rng.uniform(1.04, 1.08),
            "workforce_wan": rng.uniform(0.99, 1.02),
        }
    for year in years:
        for county in counties:
            columns["year"].append(year)
            columns["county"].append(county.name)
            for name, factor in growth[county.name].items():
                columns[name].append(getattr(county, name) * factor ** (year - START_MONTH[0]))
    return _table(
        "county_profile",
        {
            "year": _ints(np.array(columns["year"])),
            "county": _strings(columns["county"]),
            **{
                name: _money(np.rint(np.array(columns[name]) * 100))
                for name in ("gdp_yi", "population_wan", "vehicles_wan", "workforce_wan")
            },
        },
    )


def _targets(
    counties: list[_County],
    trained: dict[tuple[int, int], np.ndarray],
    months: list[tuple[int, int]],
    seed: int,
) -> pa.Table:
    """Yearly training targets a little above or below what each county trains in a full year."""
    rows: list[tuple[int, str, str | None, str, int]] = []
    for year in sorted({y for y, _ in months}):
        to_full_year = 12 / sum(1 for y, _ in months if y == year)
        for county in counties:
            rng = np.random.default_rng([seed, 5, county.index, year])
            # by_township[category, township + 1]: column 0 holds sessions without a township.
            by_township = trained[(county.index, year)] * to_full_year
            for index, category in enumerate(TRAINING_CATEGORIES):
                if category in COUNTY_WIDE_CATEGORIES:
                    required = round(by_township[index].sum() * rng.uniform(0.9, 1.2), -1)
                    rows.append((year, county.name, None, category, int(required)))
                    continue
                factor = rng.uniform(0.85, 1.3, len(county.townships))
                required = np.rint(by_township[index, 1:] * factor / 5) * 5
                # A township that ran no course still has its task: a typical township's.
                typical = np.median(required[required > 0]) if (required > 0).any() else 5
                required = np.where(required > 0, required, np.rint(typical / 5) * 5)
                rows.extend(
                    (year, county.name, township, category, int(r))
                    for township, r in zip(county.townships, required, strict=True)
                )
    return _table(
        "training_targets",
        {
            "year": _ints(np.array([r[0] for r in rows])),
            "county": _strings([r[1] for r in rows]),
            "township": pa.array([r[2] for r in rows], type=pa.string()),
            "category": _strings([r[3] for r in rows]),
            "required": _ints(np.array([r[4] for r in rows])),
        },
    )


def _bulletin(totals: dict[tuple[str, int, int], _Totals], months: list[tuple[int, int]]) -> pa.Table:
    """The city's monthly figures for every county but ours, as its accident records add up."""
    rows = []
    for year, month in months:
        for spec in COUNTY_SPECS:
            if spec.name == HOME_COUNTY:
                continue
            if spec.name == BULLETIN_GAP_COUNTY and (year, month) in months[-BULLETIN_GAP_MONTHS:]:
                continue
            rows.append((year, month, spec.name, totals[(spec.name, year, month)]))
    return _table(
        "city_bulletin",
        {
            "year": _ints(np.array([r[0] for r in rows])),
            "month": _ints(np.array([r[1] for r in rows])),
            "county": _strings([r[2] for r in rows]),
            "accidents": _ints(np.array([r[3].accidents for r in rows])),
            "deaths": _ints(np.array([r[3].deaths for r in rows])),
            "injuries": _ints(np.array([r[3].injuries for r in rows])),
            "direct_loss_wan": _money(np.array([r[3].loss_cents for r in rows])),
        },
    )
