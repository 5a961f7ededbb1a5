"""Control targets 控制指标 (year Y, always months 1–b), as `spec/metrics.md` defines them.

For the county (its own control_targets row, the one with an empty township) and
for each township that has a row: accidents and deaths over months 1–b of Y from
the accident records (a township: its own records), each set against its cap:
progress = value / cap × 100 (null without a cap or over a cap of 0), and a status
超出控制指标 (value > cap), else 超过时间进度 (progress > time_progress), else 正常;
null without a cap. time_progress = b / 12 × 100.

Decided here, where the spec is silent:
- `"county"` is null when the county has no row of its own for Y (township rows
  are never summed into county caps); a row whose cap cells are empty carries
  null caps, progress and status.
- Township rows are sorted by name; only townships with a row appear.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from analytics.metrics.coverage import SOURCES, coverage_document
from analytics.metrics.periods import Period, rate, round_half_up
from analytics.text.zh import t

OVER_CAP = t("metrics.control.over_cap")  # 超出控制指标
AHEAD_OF_TIME = t("metrics.control.ahead_of_time")  # 超过时间进度
NORMAL = t("metrics.control.normal")  # 正常
CONTROL_INDICATORS = ("accidents", "deaths")


def time_progress(last_month: int) -> float:
    """b / 12 × 100, 1 decimal half away from zero (8 → 66.7)."""
    return round_half_up(last_month * 100 / 12, 1)


def status(value: int, cap: int | None, progress: float | None, time: float) -> str | None:
    """超出控制指标 / 超过时间进度 / 正常; None without a cap."""
    if cap is None:
        return None
    if value > cap:
        return OVER_CAP
    if progress is not None and progress > time:
        return AHEAD_OF_TIME
    return NORMAL


def _row(township: str | None, figures: tuple[int, int], caps: tuple, time: float) -> dict:
    row: dict = {"township": township}
    for name, value, cap in zip(CONTROL_INDICATORS, figures, caps, strict=True):
        cap = None if cap is None else int(cap)
        progress = rate(value, cap) if cap else None
        row.update(
            {
                name: int(value),
                f"{name}_cap": cap,
                f"{name}_progress": progress,
                f"{name}_status": status(int(value), cap, progress, time),
            }
        )
    return row


def control(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    county: str,
    today: dt.date | None = None,
) -> dict:
    """Control-target figures of spec/cli.md: `{"period", "county", "coverage", "time_progress", "county", ...}`.

    The document's "county" key is the county's ROW (or null), as cli.md fixes it; the county's
    name is in "county_name". The period is months 1–b of Y whatever a is.
    """
    span = Period(period.year, 1, period.last_month)
    caps = {
        township: (accidents_cap, deaths_cap)
        for township, accidents_cap, deaths_cap in con.execute(
            "SELECT township, accidents_cap, deaths_cap FROM control_targets WHERE year = ? AND county = ?",
            [period.year, county],
        ).fetchall()
    }
    counted = con.execute(
        """
        SELECT grouping(township), township, count(*), coalesce(sum(deaths), 0)
        FROM accidents WHERE county = $county AND occurred_on BETWEEN $start AND $end
        GROUP BY GROUPING SETS ((township), ())
        """,
        {"county": county, "start": span.start, "end": span.end},
    ).fetchall()
    total, per_township = (0, 0), {}
    for is_total, township, accidents, deaths in counted:
        if is_total:
            total = (accidents, deaths)
        else:
            per_township[township] = (accidents, deaths)
    time = time_progress(period.last_month)
    county_row = _row(None, total, caps[None], time) if None in caps else None
    townships = [
        _row(name, per_township.get(name, (0, 0)), caps[name], time)
        for name in sorted(name for name in caps if name is not None)
    ]
    return {
        "period": span.to_json(today),
        "county_name": county,
        "coverage": coverage_document(con, SOURCES["control"], county, today),
        "time_progress": time,
        "county": county_row,
        "townships": townships,
    }
