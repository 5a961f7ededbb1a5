"""One county-month's records: accidents, inspections and hazards, enforcement, training."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analytics.contract.datasets import (
    SECTORS,
    TRAINING_CATEGORIES,
)
from analytics.sample.generator.arrow import (
    ACCIDENT_TYPE_CHOICES,
    ACCIDENT_TYPE_POOL,
    DEPARTMENT_POOL,
    DEPARTMENT_SECTORS,
    HAZARD_TEXT,
    ORGANIZERS,
    SECTOR_POOL,
    VIOLATIONS,
    _dates,
    _ids,
    _ints,
    _join,
    _money,
    _pick,
    _pick_within,
    _Pool,
    _strings,
    _table,
    _take,
)
from analytics.sample.generator.city import _Calendar, _County
from analytics.sample.generator.spec import (
    ACCIDENT_SECTOR_NAMES,
    ACCIDENT_SECTORS,
    ACCIDENT_TREND_PER_YEAR,
    BRANDS,
    CASES_PER_DAY,
    CLOSED_SHARE,
    COLLISIONS,
    COUNTY_WIDE_CATEGORIES,
    DEPARTMENT_INDEX,
    DEPARTMENTS,
    EXAMINED_SHARE,
    FAIL_SHARE,
    FINE_RANGE_WAN,
    HAZARDS_PER_FOLLOW_UP,
    HAZARDS_PER_INSPECTION,
    INSPECTIONS_PER_DAY,
    JOINT_TEAM,
    LISTED_LEVEL_SHARES,
    LISTED_SHARE,
    MAJOR_HAZARD_SHARE,
    MEASURE_SHARES,
    MISSING_PERSONS_SECTOR,
    NO_TOWNSHIP_SHARE,
    ORDER_SHARE,
    REVIEW_SHARE,
    ROADS,
    SESSIONS_PER_DAY,
    START_MONTH,
    SUPERVISION_TREND_PER_YEAR,
    TRAINING_PLAN,
    TRAINING_TITLES,
    UNITS_PER_DEPARTMENT,
)

# --- One county --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Registry:
    """The units (enterprises, sites, schools) a county's departments supervise, by department."""

    names: pa.Array
    township: np.ndarray  # index into the county's townships, -1 for a county-level unit
    sector: np.ndarray  # index into SECTORS: what the unit does
    offset: np.ndarray  # first unit of each department
    count: np.ndarray  # units per department

    def draw(self, rng: np.random.Generator, department: np.ndarray) -> np.ndarray:
        return self.offset[department] + (rng.random(department.size) * self.count[department]).astype(
            np.int64
        )


def _registry(rng: np.random.Generator, county: _County, scale: float) -> _Registry:
    stems = [t.removesuffix("街道").removesuffix("镇").removesuffix("乡") for t in county.townships]
    stem_pool = _Pool([*stems, county.stem])
    brand_pool = _Pool(BRANDS)
    names, townships, sectors, counts = [], [], [], []
    for index, department in enumerate(DEPARTMENTS):
        count = max(3, round(UNITS_PER_DEPARTMENT * county.richness * scale))
        township = rng.choice(len(county.townships), size=count, p=county.township_weights)
        township = np.where(rng.random(count) < NO_TOWNSHIP_SHARE, -1, township)
        parts = [stem_pool.take(np.where(township < 0, len(stems), township))]
        if department.branded:
            parts.append(brand_pool.take(rng.integers(len(BRANDS), size=count)))
        suffixes = _Pool(department.unit_suffixes)
        parts.append(suffixes.take(rng.integers(len(suffixes), size=count)))
        names.append(_join(*parts))
        townships.append(township)
        sectors.append(_pick_within(rng, np.full(count, index), DEPARTMENT_SECTORS))
        counts.append(count)
    count = np.array(counts, dtype=np.int64)
    return _Registry(
        names=pa.concat_arrays(names),
        township=np.concatenate(townships),
        sector=np.concatenate(sectors),
        offset=np.concatenate([[0], np.cumsum(count)[:-1]]),
        count=count,
    )


@dataclass(frozen=True)
class _Month:
    """One county-month: its days, its random stream and what every record of it shares."""

    county: _County
    registry: _Registry
    year: int
    month: int
    days: np.ndarray
    span: slice  # the month's days within the calendar
    end_day: np.datetime64  # the sample's last day: nothing is dated after it
    scale: float
    rng: np.random.Generator
    # The columns added with schema 4 draw from their own stream, so the older columns stay as they were.
    side: np.random.Generator

    @property
    def trend_years(self) -> float:
        return (self.year - START_MONTH[0]) + (self.month - START_MONTH[1]) / 12

    def dates(self, weights: np.ndarray, daily_rate: float, at_least: int = 0) -> np.ndarray:
        """Poisson-many days of this month drawn by weight, sorted so IDs follow the date."""
        count = max(int(self.rng.poisson(daily_rate * weights.sum() * self.scale)), at_least)
        return np.sort(self.rng.choice(self.days, size=count, p=weights / weights.sum()))

    def ids(self, prefix: str, count: int) -> pa.Array:
        return _ids(prefix, self.county.spec.code, self.year, self.month, count)

    def county_column(self, count: int) -> pa.Array:
        return _take(_strings([self.county.name]), np.zeros(count, dtype=np.int64))

    def township_column(self, index: np.ndarray) -> pa.Array:
        return _take(_strings(self.county.townships), np.maximum(index, 0), index < 0)

    def random_township(self, count: int) -> np.ndarray:
        """Townships by weight, with the share of records that leave the township empty."""
        index = self.rng.choice(len(self.county.townships), size=count, p=self.county.township_weights)
        return np.where(self.rng.random(count) < NO_TOWNSHIP_SHARE, -1, index)


@dataclass(frozen=True)
class _Totals:
    accidents: int
    deaths: int
    injuries: int
    loss_cents: int


def _accidents(m: _Month, weights: np.ndarray, planted: bool) -> tuple[pa.Table, _Totals]:
    rng, county = m.rng, m.county
    daily = county.accidents_per_year / 365.0 / weights.mean() * ACCIDENT_TREND_PER_YEAR**m.trend_years
    day = m.dates(weights, daily, at_least=1 if planted else 0)
    n = day.size
    road_index = ACCIDENT_SECTOR_NAMES.index("道路交通")
    fire_index = ACCIDENT_SECTOR_NAMES.index("消防火灾")
    sector = _pick(rng, ACCIDENT_SECTORS, n)
    at = int(np.flatnonzero(sector == road_index)[0]) if (sector == road_index).any() else 0
    if planted:  # the year's 较大 accident is a road crash
        sector[at] = road_index
    road, fire = sector == road_index, sector == fire_index
    # Deaths 0-2, injuries at most 8 and losses under 800 万元 keep an ordinary accident
    # below every 较大 threshold; only the planted one has 3 or more deaths.
    u = rng.random(n)
    deaths = np.where(road, (u > 0.45).astype(int) + (u > 0.95), (u > 0.6).astype(int) + (u > 0.97))
    deaths = np.where(fire, (u > 0.8).astype(int) + (u > 0.98), deaths)
    injuries = np.minimum(rng.poisson(np.where(road, 1.3, 0.8)), 8)
    injuries = np.where((deaths + injuries == 0) & ~fire, 1, injuries)
    if planted:
        deaths[at] = 3 + int(rng.random() < 0.3)
        injuries[at] = int(rng.integers(2, 6))
    serious = rng.binomial(injuries, 0.3)
    water = sector == ACCIDENT_SECTOR_NAMES.index(MISSING_PERSONS_SECTOR)
    missing = np.where(water, rng.random(n) < 0.3, rng.random(n) < 0.004).astype(np.int64)
    base = np.where(road, 2.0, np.where(fire, 5.0, 4.0)) * np.exp(rng.normal(0.0, 0.9, n))
    loss = np.minimum(base + deaths * rng.uniform(20, 60, n), 800.0)
    cents = np.maximum(np.rint(loss * 100), 1).astype(np.int64)
    type_index = _pick_within(rng, sector, ACCIDENT_TYPE_CHOICES)
    type_null = rng.random(n) < 0.03

    # Units come from the supervising department's ledger; road accidents seldom name one.
    department = np.array([DEPARTMENT_INDEX[d] if d else -1 for _, _, d in ACCIDENT_SECTORS], dtype=np.int64)[
        sector
    ]
    has_unit = (department >= 0) & (~road | (rng.random(n) < 0.25))
    unit_index = m.registry.draw(rng, np.maximum(department, 0))
    township = np.where(has_unit, m.registry.township[unit_index], m.random_township(n))
    unit = _take(m.registry.names, unit_index, ~has_unit)
    place = pc.fill_null(m.township_column(township), county.name)
    accident_type = ACCIDENT_TYPE_POOL.take(type_index, type_null)
    road_summary = _join(
        place,
        "境内",
        _Pool(ROADS).take(rng.integers(len(ROADS), size=n)),
        "发生",
        _Pool(COLLISIONS).take(rng.integers(len(COLLISIONS), size=n)),
        "事故",
    )
    other_summary = _join(pc.fill_null(unit, place), "发生", pc.fill_null(accident_type, "生产安全"), "事故")
    table = _table(
        "accidents",
        {
            "accident_id": m.ids("SG", n),
            "occurred_on": _dates(day),
            "county": m.county_column(n),
            "township": m.township_column(township),
            "sector": _Pool(ACCIDENT_SECTOR_NAMES).take(sector),
            "accident_type": accident_type,
            "deaths": _ints(deaths),
            "serious_injuries": _ints(serious),
            "injuries": _ints(injuries),
            "missing": _ints(missing),
            "direct_loss_wan": _money(cents),
            "unit": unit,
            "summary": pc.if_else(pa.array(road, type=pa.bool_()), road_summary, other_summary),
        },
    )
    return table, _Totals(n, int(deaths.sum()), int(injuries.sum()), int(cents.sum()))


def _inspections_and_hazards(m: _Month, calendar_: _Calendar) -> tuple[pa.Table, pa.Table]:
    rng, registry = m.rng, m.registry
    trend = SUPERVISION_TREND_PER_YEAR**m.trend_years
    day = m.dates(calendar_.inspection_weight[m.span], INSPECTIONS_PER_DAY * m.county.richness * trend)
    n = day.size
    department = _pick(rng, [(d.name, d.inspection_share) for d in DEPARTMENTS], n)
    unit = registry.draw(rng, department)
    township = registry.township[unit]
    kinds = _Pool(("日常检查", "专项检查", "联合检查", "复查", "节假日检查"))
    kind = _pick(rng, (("日常检查", 0.55), ("专项检查", 0.2), ("联合检查", 0.1), ("复查", 0.15)), n)
    before_holiday = calendar_.pre_holiday[m.span][(day - m.days[0]).astype(np.int64)]
    kind = np.where(before_holiday & (rng.random(n) < 0.65), kinds.position["节假日检查"], kind)
    joint = department == DEPARTMENT_INDEX[JOINT_TEAM]
    kind = np.where(joint & (rng.random(n) < 0.7), kinds.position["联合检查"], kind)
    inspection_id = m.ids("JC", n)
    inspections = _table(
        "inspections",
        {
            "inspection_id": inspection_id,
            "inspected_on": _dates(day),
            "county": m.county_column(n),
            "township": m.township_column(township),
            "department": DEPARTMENT_POOL.take(department),
            "unit": _take(registry.names, unit),
            "kind": kinds.take(kind),
            "sector": SECTOR_POOL.take(registry.sector[unit]),
        },
    )

    follow_up = kind == kinds.position["复查"]
    found_per_inspection = rng.poisson(np.where(follow_up, HAZARDS_PER_FOLLOW_UP, HAZARDS_PER_INSPECTION))
    source = np.repeat(np.arange(n), found_per_inspection)
    h = source.size
    found = day[source]
    major = rng.random(h) < MAJOR_HAZARD_SHARE
    sector = registry.sector[unit[source]]
    description = HAZARD_TEXT.draw(rng, np.where(major, len(SECTORS), sector))
    allowed = np.where(
        major,
        rng.choice([30, 45, 60], size=h),
        rng.choice([7, 10, 15, 20, 30], size=h, p=[0.3, 0.2, 0.25, 0.1, 0.15]),
    )
    deadline = found + allowed.astype("timedelta64[D]")
    # Days taken as a share of the time allowed: most on time, some late, a few very
    # late; major hazards take longer. Whatever is not done by the sample's end is open.
    u = rng.random(h)
    share = np.where(
        u < np.where(major, 0.6, 0.82),
        rng.uniform(0.1, 1.0, h),
        np.where(u < np.where(major, 0.9, 0.97), rng.uniform(1.0, 2.0, h), rng.uniform(2.0, 5.0, h)),
    )
    on_the_spot = ~major & (rng.random(h) < 0.2)
    taken = np.where(on_the_spot, 0, np.rint(share * allowed)).astype(np.int64)
    rectified = found + taken.astype("timedelta64[D]")
    order = major | (rng.random(h) < ORDER_SHARE)
    reviewed = deadline + rng.integers(0, 11, size=h).astype("timedelta64[D]")
    not_reviewed = ~order | (rng.random(h) >= REVIEW_SHARE) | (reviewed > m.end_day)
    listed, closed = _listing(m, major, rectified)
    source_index = pa.array(source)
    hazards = _table(
        "hazards",
        {
            "hazard_id": m.ids("YH", h),
            "inspection_id": inspection_id.take(source_index),
            "found_on": _dates(found),
            "county": m.county_column(h),
            "township": m.township_column(township[source]),
            "department": DEPARTMENT_POOL.take(department[source]),
            "unit": _take(registry.names, unit[source]),
            "sector": SECTOR_POOL.take(sector),
            "level": _Pool(("一般隐患", "重大隐患")).take(major.astype(np.int64)),
            "description": HAZARD_TEXT.pool.take(description),
            "deadline": _dates(deadline),
            "rectified_on": _dates(rectified, rectified > m.end_day),
            "order_issued": pa.array(order, type=pa.bool_()),
            "reviewed_on": _dates(reviewed, not_reviewed),
            "listed_level": LISTED_POOL.take(np.maximum(listed, 0), listed < 0),
            "closed_on": _dates(closed, (listed < 0) | (rectified > m.end_day) | (closed > m.end_day)),
        },
    )
    return inspections, hazards


LISTED_POOL = _Pool([level for level, _ in LISTED_LEVEL_SHARES])


def _listing(m: _Month, major: np.ndarray, rectified: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """挂牌督办 level per hazard (-1: not listed; only 重大隐患) and the 销号 date after rectification."""
    h = major.size
    # The ones still open at the sample's end are the hard cases: every one of them is listed.
    chosen = major & ((m.side.random(h) < LISTED_SHARE) | (rectified > m.end_day))
    listed = np.where(chosen, _pick(m.side, LISTED_LEVEL_SHARES, h), -1)
    closed = rectified + m.side.integers(3, 21, size=h).astype("timedelta64[D]")
    # Some rectified ones still wait for the acceptance check that closes them.
    closed = np.where(m.side.random(h) < CLOSED_SHARE, closed, m.end_day + 1)
    return listed, closed


def _enforcement(m: _Month, weights: np.ndarray) -> pa.Table:
    rng, registry = m.rng, m.registry
    trend = SUPERVISION_TREND_PER_YEAR**m.trend_years
    day = m.dates(weights, CASES_PER_DAY * m.county.richness * trend)
    n = day.size
    enforcing = [(i, d.case_share) for i, d in enumerate(DEPARTMENTS) if d.case_share > 0]
    department = np.array([i for i, _ in enforcing], dtype=np.int64)[_pick(rng, enforcing, n)]
    party = registry.draw(rng, department)
    measures = _Pool([name for name, _ in MEASURE_SHARES])
    measure = _pick(rng, MEASURE_SHARES, n)
    low, high = FINE_RANGE_WAN
    fine = np.clip(1.2 * np.exp(rng.normal(0.0, 0.9, n)), low, high)
    return _table(
        "enforcement",
        {
            "case_id": m.ids("ZF", n),
            "filed_on": _dates(day),
            "county": m.county_column(n),
            "township": m.township_column(registry.township[party]),
            "department": DEPARTMENT_POOL.take(department),
            "party": _take(registry.names, party),
            "violation": VIOLATIONS.pool.take(VIOLATIONS.draw(rng, department)),
            "measure": measures.take(measure),
            "fine_wan": _money(np.rint(fine * 100), measure != measures.position["罚款"]),
        },
    )


def _training(m: _Month, calendar_: _Calendar, series: dict[str, int]) -> tuple[pa.Table, np.ndarray]:
    """The month's sessions, and trainees summed by [category, township + 1] for the targets.

    `series` counts the county's numbered courses of the year so far (第一期, 第二期, ...).
    """
    rng = m.rng
    daily_rate = SESSIONS_PER_DAY * m.county.richness
    day = m.dates(calendar_.office_weight[m.span], daily_rate)
    n = day.size
    plans = [TRAINING_PLAN[c] for c in TRAINING_CATEGORIES]
    category = _pick(rng, [(c, p[0]) for c, p in zip(TRAINING_CATEGORIES, plans, strict=True)], n)
    low = np.array([p[1][0] for p in plans])[category]
    high = np.array([p[1][1] for p in plans])[category]
    trainees = rng.integers(low, high + 1)
    hours = _pick_within(rng, category, [p[2] for p in plans])
    county_wide = np.isin(category, [TRAINING_CATEGORIES.index(c) for c in COUNTY_WIDE_CATEGORIES])
    # Courses for the county-wide categories are run by county departments, not a township.
    # Townships take turns running courses (a roster), so none goes a whole year without one.
    local_share = sum(TRAINING_PLAN[c][0] for c in TRAINING_CATEGORIES if c not in COUNTY_WIDE_CATEGORIES)
    per_day = daily_rate * calendar_.office_weight.mean() * m.scale * local_share
    roster = int(m.span.start * per_day) + np.cumsum(~county_wide) - 1
    township = np.where(county_wide, -1, roster % len(m.county.townships))
    township = np.where(rng.random(n) < NO_TOWNSHIP_SHARE, -1, township)
    township_text = m.township_column(township)
    # Courses for ordinary workers are run by the township government (a 街道's 办事处).
    by_township = _join(
        pc.fill_null(township_text, m.county.name),
        pc.if_else(pc.ends_with(pc.fill_null(township_text, ""), "街道"), "办事处", "人民政府"),
    )
    by_department = ORGANIZERS.pool.take(ORGANIZERS.draw(rng, category), ORGANIZERS.count[category] == 0)
    examined = rng.random(n) < EXAMINED_SHARE
    trained = np.zeros((len(TRAINING_CATEGORIES), len(m.county.townships) + 1), dtype=np.int64)
    np.add.at(trained, (category, township + 1), trainees)
    table = _table(
        "training",
        {
            "session_id": m.ids("PX", n),
            "held_on": _dates(day),
            "county": m.county_column(n),
            "township": township_text,
            "category": _Pool(TRAINING_CATEGORIES).take(category),
            "organizer": pc.coalesce(by_department, by_township),
            "trainees": _ints(trainees),
            "passed": _ints(trainees - rng.binomial(trainees, FAIL_SHARE), ~examined),
            "hours": _ints(hours),
            "title": pa.array(_titles(m, category, series), pa.string()),
        },
    )
    return table, trained


_NUMERALS = "零一二三四五六七八九"


def _chinese_number(n: int) -> str:
    """1-99 in Chinese numerals: 一, 十, 十一, 二十三 (from 100 on, in digits)."""
    if n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _NUMERALS[tens] + "十")
    return head + (_NUMERALS[ones] if ones else "")


def _titles(m: _Month, category: np.ndarray, series: dict[str, int]) -> list[str | None]:
    """Course names for some sessions, in date order: 第一期企业安全管理培训班 and the like."""
    titles: list[str | None] = []
    draws = m.side.random((category.size, len(TRAINING_TITLES)))
    for row, index in enumerate(category):
        name = TRAINING_CATEGORIES[index]
        title = None
        for rule, (categories, course, numbered, from_month, share) in enumerate(TRAINING_TITLES):
            if name in categories and m.month >= from_month and draws[row, rule] < share:
                if numbered:
                    series[course] = series.get(course, 0) + 1
                    course = f"第{_chinese_number(series[course])}期{course}"
                title = course
                break
        titles.append(title)
    return titles
