"""Data coverage, the default period and "no data" (spec/metrics.md, Periods).

Ledgers arrive at different times: a dataset's last month for a county is the
month of its latest record there (the bulletin: its latest year-month row), or
the month an import declared the ledger complete through, whichever is later.
A figure whose period runs past a source's coverage carries a notice; a period
outside the span of every source a figure uses is "no data", never a verdict.

Decided here, where the spec is silent:
- For the whole city (no county), a source's coverage is the earliest among the
  counties that have any: city figures are only comparable up to that month.
- The span a period is checked against starts at the source's first record in
  any county and ends at its coverage (for the city: the latest of any county).
- Registries (standardization, major hazard sources) are judged as of `as_of`:
  a record stays in force until it expires or is deregistered, so a county whose
  last registration was last year still has a register today. Their span has no
  end: a period is "no data" for a registry only when the county has no row at
  all, or the period ends before the registry's first record. Their `coverage`
  month (the latest record or declaration) is still reported, as for any ledger.
- Year-month tables (the city bulletin, the departments' monthly reports) are
  covered through their latest year-month row.
- Control targets are set against the accident records, so `control` is checked
  against the accident ledger, like the four indicators.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

import duckdb

from analytics.contract.datasets import DATASETS
from analytics.metrics.periods import Period
from analytics.text.zh import t

# Tables of year-month rows rather than dated records.
YEAR_MONTH_SOURCES = ("city_bulletin", "monthly_reports")
# The monthly sources: every dataset with a record date, and the year-month tables.
MONTHLY_SOURCES = tuple(name for name, d in DATASETS.items() if d.date_column) + YEAR_MONTH_SOURCES
ACCIDENT_SOURCES = ("accidents", "city_bulletin")
# Registers judged as of as_of: their records stay in force after the last one was filed.
REGISTRIES = ("standardization", "major_hazard_sources")
# The sources behind each metric document (its `coverage` keys and its "no data" span).
SOURCES = {
    "indicators": ("accidents",),
    "ranking": ACCIDENT_SOURCES,
    "hazards": ("hazards", "inspections"),
    "enforcement": ("enforcement",),
    "training": ("training",),
    "townships": ("accidents", "hazards", "enforcement", "training"),
    "standardization": ("standardization",),
    "sources": ("major_hazard_sources",),
    "projects": ("projects",),
    "reports": ("monthly_reports",),
    "control": ("accidents",),
    "report": MONTHLY_SOURCES,
}

Month = tuple[int, int]


class NoData(ValueError):
    """A period outside the span of the data a figure uses (the CLI exits 1 with this Chinese message)."""


def month_key(month: Month | None) -> str | None:
    """(2026, 10) -> "2026-10"; None stays None."""
    return None if month is None else f"{month[0]:04d}-{month[1]:02d}"


def parse_month_key(text: str) -> Month:
    """ "2026-11" -> (2026, 11); ValueError on anything else."""
    parts = text.strip().replace("/", "-").split("-")
    if len(parts) != 2 or not all(p.strip().isdigit() and len(p.strip()) <= 4 for p in parts):
        raise ValueError(t("metrics.bad_month_key", text=text))
    year, month = int(parts[0]), int(parts[1])
    if not (1990 <= year <= 9999 and 1 <= month <= 12):
        raise ValueError(t("metrics.bad_month_key", text=text))
    return year, month


def data_as_of(period_json: Mapping, coverage_doc: Mapping[str, str | None] | None = None) -> Month:
    """The month a document's figures reach ("数据截至"): the period's last month, or, when a source's
    coverage ends before it, the earliest such coverage. Sources without data (None) are left out.

    `period_json` is a document's `period`; `coverage_doc` its `coverage` ({source or county: "YYYY-MM"}).
    """
    end = month_key((period_json["year"], period_json["months"][1]))
    reached = [key for key in (coverage_doc or {}).values() if key is not None and key < end]
    year, month = min(reached, default=end).split("-")
    return int(year), int(month)


def last_full_month(today: dt.date) -> Month:
    """The month before today's month: the latest month that can be complete."""
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def declarable_months(today: dt.date, count: int = 24) -> list[str]:
    """The months an import may declare a ledger complete through ("YYYY-MM"), as the upload offers them:
    the last full month first, then the `count` − 2 before it, newest first, and the current month last."""
    months, (year, month) = [], (today.year, today.month)
    for _ in range(count):
        months.append(month_key((year, month)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[1:] + months[:1]


def _source_sql(name: str) -> str:
    """(county, first_day, last_day) per county for one source: record months and declared months."""
    if name in YEAR_MONTH_SOURCES:
        month = "make_date(year::INT, month::INT, 1)"
        records = f"SELECT county, {month} AS first_day, {month} AS last_day FROM {name}"
    else:
        column = DATASETS[name].date_column
        records = f"SELECT county, {column} AS first_day, {column} AS last_day FROM {name}"
    declared = (
        "SELECT d.county, NULL::DATE AS first_day, d.month AS last_day FROM coverage_declarations d "
        f"JOIN import_batches b USING (batch_id) WHERE NOT b.undone AND d.dataset = '{name}'"
    )
    return (
        f"SELECT '{name}' AS source, county, min(first_day) AS first_day, max(last_day) AS last_day "
        f"FROM ({records} UNION ALL {declared}) spans WHERE county IS NOT NULL AND last_day <= $today GROUP BY county"
    )


@dataclass(frozen=True)
class Coverage:
    """Per source and county: the first record's month and the last covered month."""

    first: dict[str, dict[str, Month]]
    last: dict[str, dict[str, Month]]

    def county_month(self, source: str, county: str | None) -> Month | None:
        """A source's last covered month for a county; for the city (None) the earliest among counties."""
        months = self.last.get(source, {})
        if county is not None:
            return months.get(county)
        return min(months.values()) if months else None

    def accident_month(self, county: str | None) -> Month | None:
        """The later of a county's accident records (or declarations) and its bulletin rows."""
        if county is None:
            per_county = [self.accident_month(c) for c in self.counties(ACCIDENT_SOURCES)]
            return min(per_county) if per_county else None
        found = [m for m in (self.county_month(s, county) for s in ACCIDENT_SOURCES) if m is not None]
        return max(found) if found else None

    def counties(self, sources: Iterable[str]) -> list[str]:
        return sorted({c for s in sources for c in self.last.get(s, {})})

    def span(self, source: str, county: str | None) -> tuple[Month, Month] | None:
        """(first record month in any county, last covered month) of a source; None without data."""
        firsts = [m for m in self.first.get(source, {}).values() if m is not None]
        lasts = self.last.get(source, {})
        last = lasts.get(county) if county is not None else (max(lasts.values()) if lasts else None)
        if last is None:
            return None
        first = min(firsts) if firsts else last
        return min(first, last), last

    def document(self, sources: Iterable[str], county: str | None) -> dict[str, str | None]:
        """The `coverage` object of a metric document: {DATASET: "YYYY-MM" or null}."""
        return {source: month_key(self.county_month(source, county)) for source in sources}


# coverage() scans every monthly source (about a second on ten million hazards) and nearly every metric
# calls it; a caller that knows which state of the data its connection sees names it with `reuse`, and
# coverage() is then computed once per state and day, however many metrics ask. The same holds for what
# every page's first run asks besides (`shared`: the filters' options).
_REUSE: ContextVar[Hashable | None] = ContextVar("coverage_reuse", default=None)
_KEPT: dict[tuple[Hashable, str, dt.date], object] = {}
_COMPUTING: dict[tuple[Hashable, str, dt.date], threading.Lock] = {}
_KEPT_LOCK = threading.Lock()
_KEEP = 16
_MISSING = object()
T = TypeVar("T")


@contextmanager
def reuse(state: Hashable) -> Iterator[None]:
    """Within this block, coverage() for the data state `state` (e.g. the file and its data version) is
    computed once per day and shared; the caller promises that every connection used here sees that state."""
    token = _REUSE.set(state)
    try:
        yield
    finally:
        _REUSE.reset(token)


def shared(name: str, today: dt.date, compute: Callable[[], T]) -> T:
    """`compute()` once per data state (of the `reuse` block around the call) and day, under `name`;
    a second caller meanwhile waits for the first one's answer. Outside a `reuse` block: `compute()`."""
    state = _REUSE.get()
    if state is None:
        return compute()
    key = (state, name, today)
    with _KEPT_LOCK:
        computing = _COMPUTING.setdefault(key, threading.Lock())
    with computing:
        with _KEPT_LOCK:
            kept = _KEPT.get(key, _MISSING)
        if kept is not _MISSING:
            return kept  # type: ignore[return-value]
        try:
            kept = compute()
            with _KEPT_LOCK:
                _KEPT[key] = kept
                while len(_KEPT) > _KEEP:
                    del _KEPT[next(iter(_KEPT))]
        finally:
            with _KEPT_LOCK:  # whoever waited on this lock finds the answer kept (or computes it anew)
                _COMPUTING.pop(key, None)
    return kept


def coverage(con: duckdb.DuckDBPyConnection, today: dt.date | None = None) -> Coverage:
    """Every monthly source's first and last covered month, per county."""
    today = today or dt.date.today()
    return shared("coverage", today, lambda: _coverage(con, today))


def _coverage(con: duckdb.DuckDBPyConnection, today: dt.date) -> Coverage:
    sql = " UNION ALL ".join(_source_sql(name) for name in MONTHLY_SOURCES)
    first: dict[str, dict[str, Month]] = {}
    last: dict[str, dict[str, Month]] = {}
    for source, county, first_day, last_day in con.execute(sql, {"today": today}).fetchall():
        if first_day is not None:
            first.setdefault(source, {})[county] = (first_day.year, first_day.month)
        last.setdefault(source, {})[county] = (last_day.year, last_day.month)
    return Coverage(first, last)


def coverage_document(
    con: duckdb.DuckDBPyConnection,
    sources: tuple[str, ...],
    county: str | None,
    today: dt.date | None = None,
) -> dict[str, str | None]:
    """{DATASET: "YYYY-MM"}: each source's last covered month for the county (or the city)."""
    return coverage(con, today).document(sources, county)


def has_data(cov: Coverage, period: Period, sources: Iterable[str], county: str | None) -> bool:
    """Whether the period overlaps the span of at least one source (else it is "no data").

    A registry's span has no end (REGISTRIES): only a period ending before its first record is outside it.
    """
    start, end = (period.year, period.first_month), (period.year, period.last_month)
    for source in sources:
        span = cov.span(source, county)
        if span is not None and (start <= span[1] or source in REGISTRIES) and end >= span[0]:
            return True
    return False


def default_month(cov: Coverage, home: str | None, today: dt.date) -> Month | None:
    """The last month of the default period: the home county's accident coverage, capped at the last full month.

    Another ledger arriving early never moves it. Without accident data for the home
    county, the latest accident coverage of any county stands in; without any, the
    latest month of any source.
    """
    month = cov.accident_month(home) if home else None
    if month is None:
        candidates = [cov.accident_month(c) for c in cov.counties(ACCIDENT_SOURCES)]
        candidates = [m for m in candidates if m is not None]
        month = max(candidates) if candidates else None
    if month is None:
        anything = [m for per in cov.last.values() for m in per.values()]
        month = max(anything) if anything else None
    if month is None:
        return None
    return min(month, last_full_month(today))


def check_period(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    sources: tuple[str, ...],
    county: str | None,
    today: dt.date | None = None,
) -> None:
    """Raise NoData (with a Chinese message naming the sources' spans) when the period has no data."""
    from analytics.text.wording import no_data_message

    cov = coverage(con, today)
    if has_data(cov, period, sources, county):
        return
    spans = {}
    for source in sources:
        span = cov.span(source, county)
        spans[source] = (month_key(span[0]), month_key(span[1])) if span else None
    raise NoData(no_data_message(period, spans, county))


def no_data_reason(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    sources: tuple[str, ...],
    county: str | None,
    today: dt.date | None = None,
) -> str | None:
    """The Chinese "no data" message for a period, or None when it has data (for pages)."""
    try:
        check_period(con, period, sources, county, today)
    except NoData as error:
        return str(error)
    return None


def coverage_rows(con: duckdb.DuckDBPyConnection, today: dt.date | None = None) -> list[dict]:
    """Every monthly source's last covered month per county: {"dataset", "county", "month"} rows."""
    cov = coverage(con, today)
    return [
        {"dataset": source, "county": county, "month": month_key(month)}
        for source in MONTHLY_SOURCES
        for county, month in sorted(cov.last.get(source, {}).items())
    ]
