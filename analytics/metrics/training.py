"""Training coverage 培训覆盖 (sessions held in the period) against the year's targets, per `spec/metrics.md`.

required comes from `training_targets` of the period's year, category by
category: a township's required is the sum of its own rows; the county's (and a
category's) is the category's county-wide row (empty township) where there is
one, else the sum of that category over its townships.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analytics.contract.datasets import TRAINING_CATEGORIES
from analytics.metrics import scans
from analytics.metrics.common import TOTAL_LABEL, region_townships, township_order
from analytics.metrics.coverage import SOURCES, coverage_document
from analytics.metrics.periods import Period, compared, points_change, rate
from analytics.text.zh import t

_KEYS = {"township": "township", "category": "category"}
GAPS_SHOWN = 10  # township–category pairs training_gaps() lists, the most behind first


def time_progress(period: Period) -> float:
    """时间进度 in percent, 1 decimal: months elapsed by the period's end / 12 (last_month / 12 × 100)."""
    return rate(period.last_month, 12)


def gap_to_time_progress(coverage: float | None, progress: float | None) -> float | None:
    """Coverage against 时间进度 in 百分点 (coverage − time progress; below 0 is behind); None without both."""
    return points_change(coverage, progress)


def behind_time_progress(coverage: float | None, progress: float | None) -> bool | None:
    """True when coverage lags time progress, False at or past it, None when either is missing (no verdict)."""
    gap = gap_to_time_progress(coverage, progress)
    return None if gap is None else gap < 0


def lagging_rows(rows: list[dict], progress: float | None) -> list[dict]:
    """The rows of a training document whose coverage lags time progress, in the document's order."""
    return [row for row in rows if behind_time_progress(row["coverage_pct"], progress)]


def still_to_train(row: dict) -> int:
    """尚需培训: people of the year's target not trained yet (required − trained, never below 0; 0 without one)."""
    return max((row["required"] or 0) - row["trained"], 0)


def against_previous(total: dict, previous: dict) -> dict[str, dict]:
    """`periods.compared` of two training documents' totals (the period's and 同期's): trained by 同比,
    pass_rate in 百分点."""
    return compared(total, previous, counts=("trained",), rates=("pass_rate",))


# Per session group: trainees, passed, examined (trainees of sessions that report passed), sessions.
_SESSION_COUNTS = {
    "trained": "sum(trainees)",
    "passed": "sum(passed)",
    "examined": "sum(trainees) FILTER (WHERE passed IS NOT NULL)",
    "held": "count(*)",
}
_NO_SESSIONS = (0, 0, 0, 0)


def _figures(values: tuple | None) -> tuple:
    """(trained, passed, examined, sessions) with 0 for a sum over no value."""
    return tuple(value or 0 for value in values) if values else _NO_SESSIONS


def _session_scan(con, periods: list[Period], county: str, sets: list[tuple[str, ...]]) -> list:
    """Per period: ({set: {value: (trained, passed, examined, sessions)}}, total), from one scan of training."""
    scanned = scans.rolled_up(con, "training", "held_on", periods, county, sets, _SESSION_COUNTS)
    return [
        (
            {name: {k: _figures(v) for k, v in groups.items()} for name, groups in by_set.items()},
            _figures(total),
        )
        for by_set, total in scanned
    ]


def _targets(con, year: int, county: str) -> dict[tuple[str | None, str], int]:
    """{(township or None for the county as a whole, category): required} for the year."""
    sql = """
        SELECT township AS t, category, sum(required)
        FROM training_targets WHERE year = $year AND county = $county
        GROUP BY 1, 2
    """
    return {(t, c): int(r) for t, c, r in con.execute(sql, {"year": year, "county": county}).fetchall()}


def county_required(targets: dict[tuple[str | None, str], int]) -> dict[str, int]:
    """Per category: the county-wide row where there is one, else the sum over the category's townships."""
    required: dict[str, int] = {}
    for category in {c for _, c in targets}:
        if (None, category) in targets:
            required[category] = targets[(None, category)]
        else:
            required[category] = sum(r for (t, c), r in targets.items() if c == category)
    return required


def _row(sessions: tuple | None, required: int | None) -> dict:
    trained, passed, examined, held = sessions or (0, 0, 0, 0)
    return {
        "sessions": int(held),
        "trained": int(trained),
        "passed": int(passed),
        "required": required,
        "coverage_pct": rate(trained, required or 0),
        "pass_rate": rate(passed, examined),
    }


def training(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    county: str,
    by: str = "township",
    today: dt.date | None = None,
) -> dict:
    """Training figures of spec/cli.md: `{"period", "county", "by", "time_progress", "total", "rows"}`.

    By township: every township of the county in `regions`, plus any seen in the
    period's sessions or the year's targets, sorted by name; then records without
    a township (`"township": null`, required null since no target belongs to
    them, so coverage null). By category: the five contract categories in contract
    order. coverage_pct may exceed 100; pass_rate counts only sessions that report
    passed; `sessions` (培训班次) is the count of sessions. `total` key reads "合计".
    """
    if by not in _KEYS:
        raise ValueError(t("metrics.bad_by", by=by, choices="township、category"))
    [(by_set, total)] = _session_scan(con, [period], county, [(by,)])
    return _document(con, period, county, by, by_set[by], total, _targets(con, period.year, county), today)


def _document(
    con, period: Period, county: str, by: str, groups: dict, total: tuple, targets: dict, today
) -> dict:
    """The training() document from the period's sessions by `by` and in total, and the year's targets."""
    by_category = county_required(targets)
    if by == "township":
        keys = township_order(
            set(groups) | set(region_townships(con, county)) | {t for t, _ in targets if t is not None}
        )
        required = {
            key: None if key is None else sum(r for (t, _), r in targets.items() if t == key) for key in keys
        }
    else:
        keys = list(TRAINING_CATEGORIES) + township_order(
            k for k in set(groups) | set(by_category) if k not in TRAINING_CATEGORIES
        )
        required = {key: by_category.get(key, 0) for key in keys}
    return {
        "period": period.to_json(today),
        "county": county,
        "coverage": coverage_document(con, SOURCES["training"], county, today),
        "by": by,
        "time_progress": time_progress(period),
        "total": {by: TOTAL_LABEL, **_row(total, sum(by_category.values()))},
        "rows": [{by: key, **_row(groups.get(key), required[key])} for key in keys],
    }


def training_gaps(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    county: str,
    limit: int = GAPS_SHOWN,
) -> pd.DataFrame:
    """Township–category pairs whose coverage lags time progress the most (those behind only).

    Pairs are those with a target of their own (required > 0) for the period's
    year. Columns: township, category, trained, required, coverage_pct,
    time_progress, gap (percentage points behind, time_progress − coverage_pct).
    """
    [(by_set, _)] = _session_scan(con, [period], county, [("township", "category")])
    return _gaps(period, _targets(con, period.year, county), by_set[("township", "category")], limit)


def _gaps(period: Period, targets: dict, sessions: dict, limit: int) -> pd.DataFrame:
    """training_gaps() from the year's targets and the period's sessions by (township, category)."""
    progress = time_progress(period)
    rows = []
    for (township, category), required in targets.items():
        if township is None or required <= 0:
            continue
        done = int(sessions.get((township, category), _NO_SESSIONS)[0])
        coverage = rate(done, required)
        if not behind_time_progress(coverage, progress):
            continue
        gap = points_change(progress, coverage)
        rows.append(
            {
                "township": township,
                "category": category,
                "trained": done,
                "required": required,
                "coverage_pct": coverage,
                "time_progress": progress,
                "gap": gap,
            }
        )
    rows.sort(key=lambda r: (-r["gap"], r["township"], r["category"]))
    columns = ["township", "category", "trained", "required", "coverage_pct", "time_progress", "gap"]
    return pd.DataFrame(rows[:limit], columns=columns)


# The row that shows where a county-wide target sits in the by-township table.
COUNTY_WIDE = "全县统筹（未分解到乡镇）"


def county_wide_part(targets: dict[tuple[str | None, str], int]) -> dict[str, int]:
    """Per category with a county-wide row: the part of it not broken down to townships.

    That is the county-wide row minus the category's township rows (negative when the townships'
    rows add up to more than the county-wide row: the county total is still the county-wide row).
    Categories whose part is zero are left out.
    """
    parts = {}
    for (township, category), required in targets.items():
        if township is not None:
            continue
        part = required - sum(r for (t, c), r in targets.items() if c == category and t is not None)
        if part:
            parts[category] = part
    return parts


def township_table(
    con: duckdb.DuckDBPyConnection, period: Period, county: str, today: dt.date | None = None
) -> dict:
    """The by-township training document whose rows add up to its 合计 (the 培训覆盖 page's table).

    `training(by="township")` gives each township only its own targets, while the county's required
    takes a category's county-wide row where there is one. The difference is one more row,
    township = COUNTY_WIDE: required = the county-wide targets' part not broken down to townships
    (see `county_wide_part`), no trainees (sessions belong to a township or to 县直/未填乡镇) and so no
    coverage. Then every column's rows sum to `total` (trained, passed, sessions, required).
    `county_wide` gives that part per category.
    """
    return _township_table(
        training(con, period, county, by="township", today=today), _targets(con, period.year, county)
    )


def _township_table(document: dict, targets: dict) -> dict:
    parts = county_wide_part(targets)
    rows = list(document["rows"])
    if parts:
        rows.append(
            {
                "township": COUNTY_WIDE,
                "sessions": 0,
                "trained": 0,
                "passed": 0,
                "required": sum(parts.values()),
                "coverage_pct": None,
                "pass_rate": None,
            }
        )
    return {**document, "rows": rows, "county_wide": parts}


def training_page(
    con: duckdb.DuckDBPyConnection, period: Period, county: str, today: dt.date | None = None
) -> dict:
    """What the 培训覆盖 page shows, from one scan of the sessions of the period and its 同期:
    `{"township": township_table(), "category": training(by="category"), "previous": training() of
    period.previous, "gaps": training_gaps()}`, each exactly as those give it."""
    periods = [period, period.previous]
    sets = [("township",), ("category",), ("township", "category")]
    (now, total), (before, previous_total) = _session_scan(con, periods, county, sets)
    targets = _targets(con, period.year, county)
    previous_targets = _targets(con, period.previous.year, county)
    by_township = _document(con, period, county, "township", now["township"], total, targets, today)
    return {
        "township": _township_table(by_township, targets),
        "category": _document(con, period, county, "category", now["category"], total, targets, today),
        "previous": _document(
            con,
            period.previous,
            county,
            "township",
            before["township"],
            previous_total,
            previous_targets,
            today,
        ),
        "gaps": _gaps(period, targets, now[("township", "category")], GAPS_SHOWN),
    }
