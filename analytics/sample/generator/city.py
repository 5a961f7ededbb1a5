"""The calendar (months, working days, holidays) and the fictional city's counties and townships."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import numpy as np

from analytics.sample.generator.spec import (
    ACCIDENTS_PER_WAN_PEOPLE_YEAR,
    COUNTY_SPECS,
    FIXED_HOLIDAYS,
    HOME_COUNTY,
    HOME_RICHNESS,
    PRE_HOLIDAY_DAYS,
    SEAT_TOWNSHIP,
    SPRING_FESTIVAL,
    START_MONTH,
    TOWNSHIP_STEMS,
    CountySpec,
)

# --- Calendar -------------------------------------------------------------------------


def last_full_month(today: dt.date | None = None) -> tuple[int, int]:
    """The month before today's month: the latest month whose ledgers can be complete."""
    today = today or dt.date.today()
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def _months(end_month: tuple[int, int]) -> list[tuple[int, int]]:
    year, month = START_MONTH
    out = []
    while (year, month) <= end_month:
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@dataclass(frozen=True)
class _Calendar:
    """Every day of the sample with the weights that shape when things happen."""

    days: np.ndarray  # datetime64[D]
    accident_weight: np.ndarray
    inspection_weight: np.ndarray
    office_weight: np.ndarray  # cases and training: working days
    pre_holiday: np.ndarray  # bool: the days before a holiday, when 节假日检查 happen
    month_start: dict[tuple[int, int], int]  # index of the month's first day
    month_length: dict[tuple[int, int], int]

    def span(self, year: int, month: int) -> slice:
        start = self.month_start[(year, month)]
        return slice(start, start + self.month_length[(year, month)])


def _calendar(end_month: tuple[int, int]) -> _Calendar:
    months = _months(end_month)
    first = np.datetime64(dt.date(*START_MONTH, 1), "D")
    last_day = calendar.monthrange(*end_month)[1]
    days = np.arange(first, np.datetime64(dt.date(*end_month, last_day), "D") + 1)
    holiday = np.zeros(days.size, dtype=bool)
    pre_holiday = np.zeros(days.size, dtype=bool)
    for year in range(START_MONTH[0], end_month[0] + 1):
        if year not in SPRING_FESTIVAL:
            raise ValueError(f"示例数据的节假日表不含 {year} 年")
        # The Spring Festival holiday starts on its eve and lasts eight days.
        starts = [(np.datetime64(dt.date(year, *SPRING_FESTIVAL[year]), "D") - 1, 8)]
        starts += [(np.datetime64(dt.date(year, *start), "D"), length) for start, length in FIXED_HOLIDAYS]
        for start, length in starts:
            offset = int((start - first).astype(int))
            holiday[max(offset, 0) : max(offset + length, 0)] = True
            pre_holiday[max(offset - PRE_HOLIDAY_DAYS, 0) : max(offset, 0)] = True
    weekday = (days.astype("datetime64[D]").view("int64") - 4) % 7  # 1970-01-01 was a Thursday
    weekend = weekday >= 5
    month_number = (days.astype("datetime64[M]").astype(int) % 12) + 1
    accident_weight = np.where(holiday, 2.2, 1.0) * np.where(weekend, 1.15, 1.0)
    inspection_weight = np.where(weekend | holiday, 0.15, 1.0) * np.where(pre_holiday, 2.5, 1.0)
    # June is 安全生产月: more cases and training.
    office_weight = np.where(weekend | holiday, 0.1, 1.0) * np.where(month_number == 6, 1.5, 1.0)
    month_start, month_length = {}, {}
    offset = 0
    for year, month in months:
        month_start[(year, month)] = offset
        month_length[(year, month)] = calendar.monthrange(year, month)[1]
        offset += month_length[(year, month)]
    return _Calendar(
        days, accident_weight, inspection_weight, office_weight, pre_holiday, month_start, month_length
    )


# --- The fictional city -----------------------------------------------------------------


@dataclass
class _County:
    spec: CountySpec
    index: int
    townships: list[str]
    township_weights: np.ndarray
    population_wan: float
    gdp_yi: float
    vehicles_wan: float
    workforce_wan: float
    accidents_per_year: float
    richness: float

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def stem(self) -> str:
        return self.name[:-1]


def _townships(rng: np.random.Generator, spec: CountySpec, seated: bool) -> list[str]:
    count = int(rng.integers(8, 15))
    stems = [str(s) for s in rng.choice(TOWNSHIP_STEMS, size=count, replace=False)]
    if spec.district:
        streets = count - int(rng.integers(2, 4))
    else:
        streets = int(rng.integers(1, 3)) + (0 if seated else 1)
    names = []
    for i, stem in enumerate(stems):
        if seated and i == 0:
            names.append(SEAT_TOWNSHIP)
        elif len(names) < streets + (1 if seated else 0):
            names.append(f"{stem}街道")
        else:
            names.append(f"{stem}乡" if rng.random() < 0.3 else f"{stem}镇")
    return names


def _city(seed: int) -> list[_County]:
    rng = np.random.default_rng([seed, 0])
    counties_with_seat = set(rng.choice(np.arange(1, len(COUNTY_SPECS)), size=5, replace=False).tolist())
    counties = []
    for index, spec in enumerate(COUNTY_SPECS):
        townships = _townships(rng, spec, index in counties_with_seat)
        weights = rng.gamma(2.0, 1.0, size=len(townships))
        weights[0] *= 3.0  # the seat or the first 街道 is where people and business are
        population = float(rng.uniform(28, 85))
        if spec.name == HOME_COUNTY:
            population = max(population, 60.0)
        counties.append(
            _County(
                spec=spec,
                index=index,
                townships=townships,
                township_weights=weights / weights.sum(),
                population_wan=population,
                gdp_yi=population * float(rng.uniform(4.5, 9.0)),
                vehicles_wan=population * float(rng.uniform(0.22, 0.34)),
                workforce_wan=population * float(rng.uniform(0.08, 0.16)),
                accidents_per_year=population * float(rng.uniform(*ACCIDENTS_PER_WAN_PEOPLE_YEAR)),
                richness=(population / 50.0) * (HOME_RICHNESS if spec.name == HOME_COUNTY else 1.0),
            )
        )
    return counties


def _major_accident_months(seed: int, months: list[tuple[int, int]], county_count: int) -> dict:
    """One 较大 accident a year: (county index, year, month) -> 1."""
    rng = np.random.default_rng([seed, 1])
    planted = {}
    for year in sorted({y for y, _ in months}):
        in_year = [m for y, m in months if y == year]
        month = in_year[int(rng.integers(len(in_year)))]
        planted[(int(rng.integers(county_count)), year, month)] = 1
    return planted
