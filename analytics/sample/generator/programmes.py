"""The county programmes the seed reports on: 标准化创建, 重大危险源, “三同时” projects, 部门月报, 控制指标.

Each is drawn per county and year from its own random stream ([seed, 7, kind, county, year]),
so adding them changes none of the other files. The home county's figures for the end year
follow the seed's report (spec.HOME_*); every other county and year is drawn to scale.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analytics.contract.datasets import GRADES
from analytics.importing.credit_code import ALPHABET, check_character, organization_check
from analytics.sample.generator.arrow import _dates, _ints, _strings, _table
from analytics.sample.generator.city import _County
from analytics.sample.generator.spec import (
    BRANDS,
    CERTIFICATE_YEARS,
    HOME_COUNTY,
    HOME_NEW_PROJECTS,
    HOME_STANDARDIZATION_APPLIED,
    HOME_STANDARDIZATION_TARGETS,
    MONTHLY_REPORTERS,
    PROJECT_KINDS,
    REGION_CODE_PREFIX,
    SOURCE_KINDS,
    SOURCE_LEVEL_SHARES,
    STANDARDIZATION_SUFFIXES,
)

_STANDARDIZATION, _TARGETS, _SOURCES, _PROJECTS, _REPORTS, _CAPS = range(6)


def _rng(seed: int, kind: int, county: _County, year: int = 0) -> np.random.Generator:
    return np.random.default_rng([seed, 7, kind, county.index, year])


def _day(year: int, month: int, day: int) -> np.datetime64:
    return np.datetime64(dt.date(year, month, day), "D")


def _window(year: int, first: tuple[int, int], last: tuple[int, int], end_day: np.datetime64) -> np.ndarray:
    """The days from (month, day) `first` to `last` of a year, none after the sample's end."""
    days = np.arange(_day(year, *first), _day(year, *last) + 1)
    return days[days <= end_day]


def _places(rng: np.random.Generator, county: _County, n: int) -> tuple[np.ndarray, list[str]]:
    """Townships by weight and the stem each name starts with (the township's, minus 镇/乡/街道)."""
    township = rng.choice(len(county.townships), size=n, p=county.township_weights)
    stems = [t.removesuffix("街道").removesuffix("镇").removesuffix("乡") for t in county.townships]
    return township, [stems[i] for i in township]


def _monthly_ids(prefix: str, county: _County, days: np.ndarray) -> list[str]:
    """IDs numbered within each month, in date order (days must be sorted)."""
    ids, counter = [], {}
    for day in days.astype("datetime64[D]").astype(object):
        month = (day.year, day.month)
        counter[month] = counter.get(month, 0) + 1
        ids.append(f"{prefix}-{county.spec.code}-{day.year:04d}{day.month:02d}-{counter[month]:04d}")
    return ids


def _ids_by_county(prefix: str, counties: list[_County], rows: list[tuple]) -> list[str]:
    """IDs for rows (date, county, ...) sorted by county in the city's order, then by date."""
    ids = []
    for county in counties:
        days = np.array([r[0] for r in rows if r[1] == county.name], dtype="datetime64[D]")
        ids.extend(_monthly_ids(prefix, county, days))
    return ids


def credit_code(rng: np.random.Generator, county: _County) -> str:
    """A well-formed 统一社会信用代码 of an enterprise registered in the county (9 = 市场监管, 1 = 企业)."""
    # A recent 主体标识码: MA, six characters of the alphabet, and its GB 11714 check character.
    body = "MA" + "".join(ALPHABET[int(i)] for i in rng.integers(len(ALPHABET), size=6))
    first17 = f"91{REGION_CODE_PREFIX}{21 + county.index:02d}{body}{organization_check(body)}"
    return first17 + check_character(first17)


def _enterprises(rng: np.random.Generator, county: _County, n: int) -> list[tuple[str, int, str, str]]:
    """Distinct enterprises of the county: (name, township index, sector, credit code)."""
    out: dict[str, tuple[str, int, str, str]] = {}
    sectors = [(s, suffix) for s, suffixes in STANDARDIZATION_SUFFIXES for suffix in suffixes]
    while len(out) < n:
        township, stems = _places(rng, county, n)
        brand = rng.integers(len(BRANDS), size=n)
        kind = rng.integers(len(sectors), size=n)
        for t, stem, b, k in zip(township, stems, brand, kind, strict=True):
            name = f"{stem}{BRANDS[b]}{sectors[k][1]}"
            if name not in out and len(out) < n:
                out[name] = (name, int(t), sectors[k][0], credit_code(rng, county))
    return list(out.values())


def standardization(
    counties: list[_County], years: list[int], end_day: np.datetime64, seed: int
) -> tuple[pa.Table, pa.Table]:
    """Yearly targets by grade, and the applications: most in spring, a few in a January round."""
    target_rows, records = [], []
    order = {c.name: c.index for c in counties}
    for county in counties:
        home = county.name == HOME_COUNTY
        pool = _enterprises(_rng(seed, _STANDARDIZATION, county), county, int(county.population_wan * 6))
        for year in years:
            rng = _rng(seed, _TARGETS, county, year)
            last_year = year == years[-1]
            targets = {
                "一级": int(rng.random() < 0.3),
                "二级": round(county.population_wan * rng.uniform(0.15, 0.3)),
                "三级": round(county.population_wan * rng.uniform(0.5, 0.9)),
            }
            if home and last_year:
                targets.update(HOME_STANDARDIZATION_TARGETS)
            target_rows.extend((year, county.name, grade, targets[grade]) for grade in GRADES)
            applied = {g: int(rng.poisson(t * rng.uniform(0.9, 1.3))) if t else 0 for g, t in targets.items()}
            if home and last_year:
                applied.update(HOME_STANDARDIZATION_APPLIED)
            rng = _rng(seed, _STANDARDIZATION, county, year)
            chosen = rng.choice(len(pool), size=min(len(pool), sum(applied.values())), replace=False)
            grades = [g for g in GRADES for _ in range(applied[g])][: chosen.size]
            spring = _window(year, (3, 1), (7, 31), end_day)
            winter = _window(year, (1, 2), (1, 20), end_day)
            for enterprise, grade in zip(chosen, grades, strict=True):
                name, township, sector, code = pool[int(enterprise)]
                january = winter.size and rng.random() < 0.06
                days = winter if january or not spring.size else spring
                if not days.size:
                    continue
                applied_on = days[int(rng.integers(days.size))]
                # The January round is reviewed within days; the spring one from late summer on.
                delay = rng.integers(2, 8) if january else rng.integers(75, 220)
                passed_on = applied_on + np.timedelta64(int(delay), "D")
                passed = rng.random() < (0.97 if january else 0.85) and passed_on <= end_day
                expires = None
                if passed and rng.random() > 0.04:
                    start = passed_on.astype(object)
                    expires = np.datetime64(start.replace(year=start.year + CERTIFICATE_YEARS), "D") - 1
                records.append(
                    (
                        applied_on,
                        county.name,
                        county.townships[township] if rng.random() > 0.03 else None,
                        name,
                        code if rng.random() > 0.08 else None,
                        sector,
                        grade,
                        passed_on if passed else None,
                        expires,
                    )
                )
    records.sort(key=lambda r: (order[r[1]], r[0]))
    ids = _ids_by_county("BZ", counties, records)
    targets = _table(
        "standardization_targets",
        {
            "year": _ints(np.array([r[0] for r in target_rows])),
            "county": _strings([r[1] for r in target_rows]),
            "grade": _strings([r[2] for r in target_rows]),
            "target": _ints(np.array([r[3] for r in target_rows])),
        },
    )
    table = _table(
        "standardization",
        {
            "record_id": _strings(ids),
            "county": _strings([r[1] for r in records]),
            "township": pa.array([r[2] for r in records], pa.string()),
            "enterprise": _strings([r[3] for r in records]),
            "credit_code": pa.array([r[4] for r in records], pa.string()),
            "sector": _strings([r[5] for r in records]),
            "grade": _strings([r[6] for r in records]),
            "applied_on": _optional_dates([r[0] for r in records]),
            "passed_on": _optional_dates([r[7] for r in records]),
            "expires_on": _optional_dates([r[8] for r in records]),
        },
    )
    return targets, table


def _optional_dates(values: Sequence[np.datetime64 | None]) -> pa.Array:
    days = np.array([v if v is not None else np.datetime64("1970-01-01") for v in values], "datetime64[D]")
    return _dates(days, np.array([v is None for v in values], dtype=bool))


def major_hazard_sources(counties: list[_County], first_day, end_day, seed: int) -> pa.Table:
    """Each county's register: most sources filed again in the 2024 round, some added later, a few 核销."""
    rows = []
    order = {c.name: c.index for c in counties}
    level_pool = [level for level, _ in SOURCE_LEVEL_SHARES]
    shares = np.array([share for _, share in SOURCE_LEVEL_SHARES])
    for county in counties:
        rng = _rng(seed, _SOURCES, county)
        n = max(4, round(county.population_wan * rng.uniform(0.2, 0.4)))
        township, stems = _places(rng, county, n)
        days = np.arange(first_day, end_day + 1)
        refiling = days[days < first_day + 180]
        for i in range(n):
            suffix, names = SOURCE_KINDS[int(rng.integers(len(SOURCE_KINDS)))]
            pick = refiling if rng.random() < 0.6 and refiling.size else days
            registered = pick[int(rng.integers(pick.size))]
            later = registered + np.timedelta64(int(rng.integers(180, 720)), "D")
            deregistered = later if rng.random() < 0.12 and later <= end_day else None
            rows.append(
                (
                    registered,
                    county.name,
                    county.townships[township[i]],
                    f"{stems[i]}{BRANDS[int(rng.integers(len(BRANDS)))]}{suffix}",
                    names[int(rng.integers(len(names)))],
                    level_pool[int(rng.choice(len(level_pool), p=shares / shares.sum()))],
                    deregistered,
                    bool(rng.random() < 0.86),
                )
            )
    rows.sort(key=lambda r: (order[r[1]], r[0]))
    ids = _ids_by_county("WX", counties, rows)
    return _table(
        "major_hazard_sources",
        {
            "source_id": _strings(ids),
            "county": _strings([r[1] for r in rows]),
            "township": _strings([r[2] for r in rows]),
            "enterprise": _strings([r[3] for r in rows]),
            "name": _strings([r[4] for r in rows]),
            "level": _strings([r[5] for r in rows]),
            "registered_on": _optional_dates([r[0] for r in rows]),
            "deregistered_on": _optional_dates([r[6] for r in rows]),
            "monitored": pa.array([r[7] for r in rows], pa.bool_()),
        },
    )


def projects(counties: list[_County], years: list[int], end_day, seed: int) -> pa.Table:
    """New construction projects filed each year, their safety evaluation and completion acceptance."""
    rows = []
    for county in counties:
        for year in years:
            rng = _rng(seed, _PROJECTS, county, year)
            days = _window(year, (1, 1), (12, 31), end_day)
            n = int(rng.poisson(county.population_wan * 0.4 * days.size / 365))
            if county.name == HOME_COUNTY and year == years[-1]:
                n = HOME_NEW_PROJECTS
            township, stems = _places(rng, county, n)
            for i, registered in enumerate(np.sort(rng.choice(days, size=n))):
                sector, kind = PROJECT_KINDS[int(rng.integers(len(PROJECT_KINDS)))]
                evaluated = registered + np.timedelta64(int(rng.integers(15, 120)), "D")
                accepted = registered + np.timedelta64(int(rng.integers(200, 540)), "D")
                rows.append(
                    (
                        registered,
                        county.name,
                        county.townships[township[i]],
                        f"{stems[i]}{BRANDS[int(rng.integers(len(BRANDS)))]}{kind}",
                        sector,
                        evaluated if rng.random() < 0.88 and evaluated <= end_day else None,
                        accepted if rng.random() < 0.8 and accepted <= end_day else None,
                    )
                )
    ids = _ids_by_county("XM", counties, rows)
    return _table(
        "projects",
        {
            "project_id": _strings(ids),
            "county": _strings([r[1] for r in rows]),
            "township": _strings([r[2] for r in rows]),
            "name": _strings([r[3] for r in rows]),
            "sector": _strings([r[4] for r in rows]),
            "registered_on": _optional_dates([r[0] for r in rows]),
            "evaluated_on": _optional_dates([r[5] for r in rows]),
            "accepted_on": _optional_dates([r[6] for r in rows]),
        },
    )


def monthly_reports(counties: list[_County], months: list[tuple[int, int]], seed: int) -> pa.Table:
    """Departments' monthly counts: traffic offences falling year on year, 打非治违 cases rising."""
    rows = []
    for county in counties:
        for year in sorted({y for y, _ in months}):
            rng = _rng(seed, _REPORTS, county, year)
            for department, item, per_unit, basis, trend in MONTHLY_REPORTERS:
                base = getattr(county, basis) * per_unit * trend ** (year - months[0][0])
                for y, month in months:
                    if y != year:
                        continue
                    campaign = 1.3 if month == 6 else 1.0  # 安全生产月
                    rows.append(
                        (year, month, county.name, department, item, int(rng.poisson(base * campaign)))
                    )
    return _table(
        "monthly_reports",
        {
            "year": _ints(np.array([r[0] for r in rows])),
            "month": _ints(np.array([r[1] for r in rows])),
            "county": _strings([r[2] for r in rows]),
            "department": _strings([r[3] for r in rows]),
            "item": _strings([r[4] for r in rows]),
            "value": _ints(np.array([r[5] for r in rows])),
        },
    )


def control_targets(
    counties: list[_County], accidents: pa.Table, months: list[tuple[int, int]], seed: int
) -> pa.Table:
    """Caps a little above the year's pace; the home county also sets them township by township.

    In the end year one home township is over its cap and a few past the time progress, as a
    real mid-year review finds.
    """
    years = sorted({y for y, _ in months})
    counts: dict[tuple, list[int]] = {}
    year_of = pc.year(accidents["occurred_on"]).to_pylist()
    for county, township, year, deaths in zip(
        accidents["county"].to_pylist(), accidents["township"].to_pylist(), year_of,
        accidents["deaths"].to_pylist(), strict=True,
    ):  # fmt: skip
        for key in ((county, None, year), (county, township, year)):
            total = counts.setdefault(key, [0, 0])
            total[0] += 1
            total[1] += deaths
    rows = []
    for county in counties:
        home = county.name == HOME_COUNTY
        for year in years:
            rng = _rng(seed, _CAPS, county, year)
            to_full_year = 12 / sum(1 for y, _ in months if y == year)
            places = [None, *county.townships] if home else [None]
            caps = {}
            for township in places:
                accidents_n, deaths_n = counts.get((county.name, township, year), [0, 0])
                accidents_cap = max(1, math.ceil(accidents_n * to_full_year * rng.uniform(0.95, 1.25)))
                deaths_cap = max(1, math.ceil(deaths_n * to_full_year * rng.uniform(1.0, 1.4)))
                with_deaths = township is None or rng.random() < 0.8
                caps[township] = [accidents_cap, deaths_cap if with_deaths else None, accidents_n]
            if home and year == years[-1]:
                by_count = sorted(county.townships, key=lambda t: -caps[t][2])
                if caps[by_count[0]][2] >= 2:
                    caps[by_count[0]][0] = caps[by_count[0]][2] - 1  # 超出控制指标
                for township in by_count[1:3]:
                    if caps[township][2]:
                        caps[township][0] = caps[township][2]  # at its cap: past the time progress
            rows.extend((year, county.name, t, c[0], c[1]) for t, c in caps.items())
    return _table(
        "control_targets",
        {
            "year": _ints(np.array([r[0] for r in rows])),
            "county": _strings([r[1] for r in rows]),
            "township": pa.array([r[2] for r in rows], pa.string()),
            "accidents_cap": _ints(np.array([r[3] for r in rows])),
            "deaths_cap": pa.array([r[4] for r in rows], pa.int64()),
        },
    )
