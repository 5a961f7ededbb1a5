"""Independent recomputations for the metric tests: random records and the figures metrics.md gives for them.

Written in pandas, Decimal and Fraction, apart from `analytics`, so a test that
compares the two can fail. Records are of 甲县 (80%) and 乙县, over 2025–2026.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pyarrow as pa

from analytics import store
from analytics.contract.datasets import MEASURES, TRAINING_CATEGORIES
from analytics.metrics.periods import Period
from tests.factories import ACCIDENT_COLUMNS, COUNTY, case, hazard, session, target
from tests.stores import on_server

D = dt.date
TODAY = dt.date(2026, 11, 28)  # generated accidents are never after this day


def half_up(value: Decimal, places: int = 1) -> float:
    return float(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def pct(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else half_up(Decimal(int(numerator)) * 100 / Decimal(int(denominator)))


# C镇 and 新区 are not in regions; no township is null, as the import stores an empty cell.
TOWNSHIP_CHOICES = ["A镇", "B镇", "C镇", "新区", None, None]


DEPARTMENTS = ["应急管理局", "住建局", "交通运输局", "市场监管局"]


LISTED_CHOICES = ["县级", "市级", "省级", None]  # 挂牌督办 levels of 重大隐患 (None: not listed)
SECTOR_CHOICES = ["工业", "商贸", "建筑施工", "危险化学品", None, None]


def random_hazards(rng: np.random.Generator, n: int, today: dt.date) -> list[dict]:
    """Hazards of two counties over 2025–2026 with random deadlines, rectifications, orders and reviews."""
    rows = []
    first = D(2025, 1, 1)
    span = (today - first).days
    for i in range(n):
        found = first + dt.timedelta(days=int(rng.integers(0, span + 1)))
        deadline = found + dt.timedelta(days=int(rng.integers(0, 60)))
        rectified = None
        if rng.random() < 0.75:
            rectified = min(found + dt.timedelta(days=int(rng.integers(0, 90))), today)
        order = bool(rng.random() < 0.5)
        reviewed = None
        if order and rng.random() < 0.7:
            reviewed = min(deadline + dt.timedelta(days=int(rng.integers(-5, 40))), today)
            reviewed = max(reviewed, found)
        major = rng.random() < 0.15
        listed = LISTED_CHOICES[int(rng.integers(0, len(LISTED_CHOICES)))] if major else None
        closed = None
        if listed and rectified and rng.random() < 0.6:
            closed = min(rectified + dt.timedelta(days=int(rng.integers(0, 30))), today)
        rows.append(
            hazard(
                f"H{i:05d}",
                found,
                deadline,
                rectified_on=rectified,
                township=TOWNSHIP_CHOICES[int(rng.integers(0, len(TOWNSHIP_CHOICES)))],
                level="重大隐患" if major else "一般隐患",
                order=order,
                reviewed_on=reviewed,
                department=DEPARTMENTS[int(rng.integers(0, len(DEPARTMENTS)))],
                county=COUNTY if rng.random() < 0.8 else "乙县",
                unit=f"单位{int(rng.integers(0, 120))}",
                listed_level=listed,
                closed_on=closed,
            )
        )
    return rows


def random_inspections(rng: np.random.Generator, n: int, today: dt.date) -> list[dict]:
    first = D(2025, 1, 1)
    span = (today - first).days
    return [
        {
            "inspection_id": f"I{i:05d}",
            "inspected_on": first + dt.timedelta(days=int(rng.integers(0, span + 1))),
            "county": COUNTY if rng.random() < 0.8 else "乙县",
            "township": TOWNSHIP_CHOICES[int(rng.integers(0, len(TOWNSHIP_CHOICES)))],
            "department": DEPARTMENTS[int(rng.integers(0, len(DEPARTMENTS)))],
            "unit": f"单位{int(rng.integers(0, 80))}",
            "kind": ["日常检查", "专项检查", "联合检查", None][int(rng.integers(0, 4))],
            "sector": SECTOR_CHOICES[int(rng.integers(0, len(SECTOR_CHOICES)))],
        }
        for i in range(n)
    ]


NONE_KEY = "<none>"


def group_key(series: pd.Series) -> pd.Series:
    """No name (null, as the store holds an empty cell) becomes one sentinel group (the null row)."""
    return series.map(lambda v: NONE_KEY if v is None or pd.isna(v) else v)


def expected_hazard_rows(
    hazard_rows, inspection_rows, period, as_of, by, region_townships, county=COUNTY
) -> dict:
    """{key (None for no township, "合计" for the total): ROW} from metrics.md, in pandas."""
    frame = pd.DataFrame(hazard_rows)
    for column in ("found_on", "deadline", "rectified_on", "reviewed_on", "closed_on"):
        frame[column] = pd.to_datetime(frame[column])
    start, end, as_of = pd.Timestamp(period.start), pd.Timestamp(period.end), pd.Timestamp(as_of)
    frame = frame[(frame["county"] == county) & frame["found_on"].between(start, end)].copy()
    frame["key"] = group_key(frame[by])
    frame["rectified"] = frame["rectified_on"].notna() & (frame["rectified_on"] <= as_of)
    frame["major"] = frame["level"] == "重大隐患"
    frame["overdue"] = ~frame["rectified"] & (frame["deadline"] < as_of)
    frame["due"] = frame["order_issued"] & (frame["deadline"] <= as_of)
    frame["reviewed"] = frame["due"] & frame["reviewed_on"].notna() & (frame["reviewed_on"] <= as_of)
    frame["days"] = (frame["rectified_on"] - frame["found_on"]).dt.days
    frame["listed"] = frame["listed_level"].notna()
    frame["closed"] = frame["listed"] & frame["closed_on"].notna() & (frame["closed_on"] <= as_of)
    frame["listed_overdue"] = frame["listed"] & ~frame["closed"] & (frame["deadline"] < as_of)

    visits = pd.DataFrame(inspection_rows)
    visits["inspected_on"] = pd.to_datetime(visits["inspected_on"])
    visits = visits[(visits["county"] == county) & visits["inspected_on"].between(start, end)].copy()
    visits["key"] = group_key(visits[by])

    def row(part: pd.DataFrame, seen: pd.DataFrame) -> dict:
        rectified = part[part["rectified"]]
        days = int(rectified["days"].sum())
        return {
            "found": len(part),
            "rectified": len(rectified),
            "rectification_rate": pct(len(rectified), len(part)),
            "major_found": int(part["major"].sum()),
            "major_rectified": int((part["major"] & part["rectified"]).sum()),
            "major_rectification_rate": pct((part["major"] & part["rectified"]).sum(), part["major"].sum()),
            "overdue": int(part["overdue"].sum()),
            "orders_issued": int(part["order_issued"].sum()),
            "orders_due": int(part["due"].sum()),
            "reviewed": int(part["reviewed"].sum()),
            "review_rate": pct(part["reviewed"].sum(), part["due"].sum()),
            "avg_days_to_rectify": half_up(Decimal(days) / len(rectified)) if len(rectified) else None,
            "inspections": len(seen),
            "units_inspected": seen["unit"].nunique(),
            "general_found": int((part["level"] == "一般隐患").sum()),
            "listed": int(part["listed"].sum()),
            "listed_closed": int(part["closed"].sum()),
            "closure_rate": pct(part["closed"].sum(), part["listed"].sum()),
            "listed_overdue": int(part["listed_overdue"].sum()),
            "sectors_inspected": seen["sector"].dropna().nunique() or None if "sector" in seen else None,
        }

    keys = set(frame["key"]) | set(visits["key"])
    if by == "township":
        keys |= set(region_townships)
    expected = {
        (None if key == NONE_KEY else key): row(frame[frame["key"] == key], visits[visits["key"] == key])
        for key in keys
    }
    expected["合计"] = row(frame, visits)
    return expected


def money(value) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def change(value, previous) -> float | None:
    value, previous = Decimal(str(value)), Decimal(str(previous))
    if previous == 0:
        return 0.0 if value == 0 else None
    return float(((value - previous) * 100 / previous).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def random_cases(rng: np.random.Generator, n: int) -> list[dict]:
    first, span = D(2025, 1, 1), (D(2026, 8, 31) - D(2025, 1, 1)).days
    return [
        case(
            f"E{i:05d}",
            first + dt.timedelta(days=int(rng.integers(0, span + 1))),
            measure=MEASURES[int(rng.integers(0, len(MEASURES)))],
            fine=None if rng.random() < 0.2 else int(rng.integers(0, 50000)) / 1000,
            township=TOWNSHIP_CHOICES[int(rng.integers(0, len(TOWNSHIP_CHOICES)))],
            department=["应急管理局", "住建局", "交通运输局"][int(rng.integers(0, 3))],
            county=COUNTY if rng.random() < 0.8 else "乙县",
        )
        for i in range(n)
    ]


def expected_case_rows(
    rows: list[dict], period: Period, by: str, county=COUNTY, regions=("A镇", "B镇")
) -> dict:
    frame = pd.DataFrame(rows)
    frame["filed_on"] = pd.to_datetime(frame["filed_on"])
    frame["fine_wan"] = frame["fine_wan"].fillna(0)
    frame = frame[frame["county"] == county].copy()
    frame["key"] = group_key(frame[by])
    now = frame[frame["filed_on"].between(pd.Timestamp(period.start), pd.Timestamp(period.end))]
    before = frame[
        frame["filed_on"].between(pd.Timestamp(period.previous.start), pd.Timestamp(period.previous.end))
    ]

    # 作出行政处罚 under the 行政处罚法: not 责令限期整改 (an order) nor 移送司法机关 (a referral).
    penalty = {"罚款", "警告", "责令停产停业整改", "取缔关闭", "暂扣吊销证照"}

    def row(current: pd.DataFrame, previous: pd.DataFrame) -> dict:
        fine = sum((Decimal(str(v)) for v in current["fine_wan"]), Decimal(0))
        previous_fine = sum((Decimal(str(v)) for v in previous["fine_wan"]), Decimal(0))
        penalties = int(current["measure"].isin(penalty).sum())
        previous_penalties = int(previous["measure"].isin(penalty).sum())
        return {
            "cases": len(current),
            "fine_wan": money(fine),
            "suspensions": int((current["measure"] == "责令停产停业整改").sum()),
            "closures": int((current["measure"] == "取缔关闭").sum()),
            "penalties": penalties,
            "previous": {
                "cases": len(previous),
                "fine_wan": money(previous_fine),
                "penalties": previous_penalties,
            },
            "change_pct": {
                "cases": change(len(current), len(previous)),
                "fine_wan": change(fine, previous_fine),
                "penalties": change(penalties, previous_penalties),
            },
        }

    keys = set(now["key"]) | set(before["key"])
    if by == "township":
        keys |= set(regions)
    expected = {
        (None if k == NONE_KEY else k): row(now[now["key"] == k], before[before["key"] == k]) for k in keys
    }
    expected["合计"] = row(now, before)
    return expected


def random_training(rng: np.random.Generator, n: int) -> tuple[list[dict], list[dict]]:
    first, span = D(2025, 1, 1), (D(2026, 8, 31) - D(2025, 1, 1)).days
    sessions = []
    for i in range(n):
        trainees = int(rng.integers(1, 60))
        sessions.append(
            session(
                f"T{i:05d}",
                first + dt.timedelta(days=int(rng.integers(0, span + 1))),
                TRAINING_CATEGORIES[int(rng.integers(0, len(TRAINING_CATEGORIES)))],
                trainees=trainees,
                passed=None if rng.random() < 0.3 else int(rng.integers(0, trainees + 1)),
                township=TOWNSHIP_CHOICES[int(rng.integers(0, len(TOWNSHIP_CHOICES)))],
                county=COUNTY if rng.random() < 0.8 else "乙县",
            )
        )
    targets = []
    for year in (2025, 2026):
        for category in TRAINING_CATEGORIES:
            for township in ("A镇", "B镇", "C镇"):
                if rng.random() < 0.7:
                    targets.append(target(category, int(rng.integers(0, 400)), township=township, year=year))
            if rng.random() < 0.5:
                targets.append(target(category, int(rng.integers(0, 900)), year=year))
    return sessions, targets


def expected_training_rows(sessions: list[dict], targets: list[dict], period: Period, by: str) -> dict:
    frame = pd.DataFrame(sessions)
    frame["held_on"] = pd.to_datetime(frame["held_on"])
    frame = frame[
        (frame["county"] == COUNTY)
        & frame["held_on"].between(pd.Timestamp(period.start), pd.Timestamp(period.end))
    ].copy()
    frame["key"] = group_key(frame[by])
    goals = pd.DataFrame(targets)
    goals = goals[(goals["county"] == COUNTY) & (goals["year"] == period.year)].copy()
    goals["key"] = group_key(goals["township"])

    def county_required(category: str) -> int:
        rows = goals[goals["category"] == category]
        county_wide = rows[rows["key"] == NONE_KEY]
        return int(county_wide["required"].sum() if len(county_wide) else rows["required"].sum())

    def row(part: pd.DataFrame, required: int | None) -> dict:
        examined = part[part["passed"].notna()]
        return {
            "sessions": len(part),
            "trained": int(part["trainees"].sum()),
            "passed": int(examined["passed"].sum()),
            "required": required,
            "coverage_pct": pct(part["trainees"].sum(), required) if required else None,
            "pass_rate": pct(examined["passed"].sum(), examined["trainees"].sum()),
        }

    if by == "township":
        keys = set(frame["key"]) | {"A镇", "B镇"} | (set(goals["key"]) - {NONE_KEY})
        required = {
            k: None if k == NONE_KEY else int(goals.loc[goals["key"] == k, "required"].sum()) for k in keys
        }
    else:
        keys = set(TRAINING_CATEGORIES)
        required = {k: county_required(k) for k in keys}
    expected = {(None if k == NONE_KEY else k): row(frame[frame["key"] == k], required[k]) for k in keys}
    expected["合计"] = row(frame, sum(county_required(c) for c in TRAINING_CATEGORIES))
    return expected


GEN_COUNTIES = ("东城县", "西山县", "南湖区", "北岭县", "中和市")


GEN_SECTORS = ("道路交通", "工业", "商贸", "建筑施工", "危险化学品", "消防火灾", "农业机械", "其他")


def generated_accidents(seed: int = 7, size: int = 3000) -> pd.DataFrame:
    """A few thousand accidents over five counties and 2025–2026; losses in 1/1000 万元 (exact)."""
    rng = np.random.default_rng(seed)
    first = dt.date(2025, 1, 1)
    offsets = rng.integers(0, (TODAY - first).days + 1, size)  # never after today
    days = pd.to_datetime(first) + pd.to_timedelta(offsets, unit="D")
    deaths = rng.choice([0, 0, 0, 1, 1, 2, 3, 4, 10], size)
    serious = rng.choice([0, 0, 1, 2, 9, 10, 12], size)
    return pd.DataFrame(
        {
            "accident_id": [f"G{i:05d}" for i in range(size)],
            "occurred_on": days.date,
            "county": rng.choice(GEN_COUNTIES, size),
            "township": rng.choice(["一镇", "二镇", None, None], size),
            "sector": rng.choice(GEN_SECTORS, size),
            "deaths": deaths,
            "serious_injuries": serious,
            "injuries": serious + rng.integers(0, 4, size),
            "missing": rng.choice([0, 0, 0, 1], size),
            "loss_mills": rng.choice([0, 5, 1675, 2675, 999990, 1000000, 12345, 7], size),
        }
    )


def load_generated(path, frame: pd.DataFrame) -> None:
    with store.connect(path, read_only=False) as con:
        # DuckDB reads the DataFrame itself; the server store takes an Arrow table (loaded by COPY).
        con.register(
            "generated", pa.Table.from_pandas(frame, preserve_index=False) if on_server(con) else frame
        )
        con.execute(
            f"INSERT INTO accidents ({', '.join(ACCIDENT_COLUMNS)}) SELECT accident_id, occurred_on, county, "
            "township, sector, deaths, serious_injuries, injuries, missing, "
            "CAST(loss_mills AS DECIMAL(18,4)) / 1000 FROM generated"
        )
        con.unregister("generated")


def half_up_exact(value: Fraction, places: int) -> float:
    """Round half away from zero, independent of analytics.periods."""
    scaled = abs(value) * 10**places
    whole = int(scaled)
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return float((whole if value >= 0 else -whole) / Fraction(10**places))


def expected_change(value: Fraction, previous: Fraction) -> float | None:
    if previous == 0:
        return 0.0 if value == 0 else None
    return half_up_exact((value - previous) / previous * 100, 1)


def expected_listed(
    hazard_rows: list[dict], period: Period, as_of: dt.date, county: str = COUNTY
) -> tuple[list[dict], pd.DataFrame]:
    """The 挂牌督办 figures by listed level and the list itself (hazard_id, status, days_overdue), in pandas."""
    frame = pd.DataFrame(hazard_rows)
    for column in ("found_on", "deadline", "closed_on"):
        frame[column] = pd.to_datetime(frame[column])
    stamp = pd.Timestamp(as_of)
    frame = frame[
        (frame["county"] == county)
        & frame["found_on"].between(pd.Timestamp(period.start), pd.Timestamp(period.end))
        & frame["listed_level"].notna()
    ].copy()
    frame["closed"] = frame["closed_on"].notna() & (frame["closed_on"] <= stamp)
    frame["late"] = ~frame["closed"] & (frame["deadline"] < stamp)
    levels = []
    for level in ("县级", "市级", "省级"):
        part = frame[frame["listed_level"] == level]
        levels.append(
            {
                "listed_level": level,
                "listed": len(part),
                "listed_closed": int(part["closed"].sum()),
                "closure_rate": pct(part["closed"].sum(), len(part)),
                "listed_overdue": int(part["late"].sum()),
            }
        )
    frame["status"] = np.where(frame["closed"], "已销号", "未销号")
    frame["days_overdue"] = [
        (stamp - deadline).days if late else None
        for late, deadline in zip(frame["late"], frame["deadline"], strict=True)
    ]
    return levels, frame[["hazard_id", "status", "days_overdue", "closed", "deadline"]]


# ---------------------------------------------------------------- issue 10: registers, projects, reports, control
# Independent of analytics: plain pandas over the generated rows, the rules of metrics.md written out again.

GRADE_CHOICES = ["一级", "二级", "三级"]
SOURCE_LEVEL_CHOICES = ["一级", "二级", "三级", "四级"]


def _day(rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=int(rng.integers(0, (last - first).days + 1)))


def random_standardization(rng: np.random.Generator, n: int, today: dt.date) -> tuple[list[dict], list[dict]]:
    """Enterprises applying 2023–today, some passed, certificates of 1–3 years (some expiring soon); targets."""
    rows = []
    for i in range(n):
        applied = _day(rng, D(2023, 1, 1), today)
        passed = expires = None
        if rng.random() < 0.6:
            passed = min(applied + dt.timedelta(days=int(rng.integers(0, 200))), today)
            if rng.random() < 0.9:
                expires = passed + dt.timedelta(days=int(rng.integers(300, 3 * 365)))
        rows.append(
            {
                "record_id": f"S{i:05d}",
                "county": COUNTY if rng.random() < 0.8 else "乙县",
                "township": TOWNSHIP_CHOICES[int(rng.integers(0, len(TOWNSHIP_CHOICES)))],
                "enterprise": f"企业{i}",
                "grade": GRADE_CHOICES[int(rng.integers(0, 3))],
                "applied_on": applied,
                "passed_on": passed,
                "expires_on": expires,
            }
        )
    targets = [
        {"year": year, "county": COUNTY, "grade": grade, "target": int(rng.integers(0, 80))}
        for year in (2025, 2026)
        for grade in GRADE_CHOICES
        if rng.random() < 0.8
    ]
    return rows, targets


def expected_standardization(
    rows, targets, period: Period, as_of: dt.date, by: str, regions, county=COUNTY
) -> dict:
    """{key (None for no township, "合计"): ROW} of the standardization document, in pandas."""
    frame = pd.DataFrame(rows)
    for column in ("applied_on", "passed_on", "expires_on"):
        frame[column] = pd.to_datetime(frame[column])
    stamp, year_start = pd.Timestamp(as_of), pd.Timestamp(D(period.year, 1, 1))
    frame = frame[(frame["county"] == county) & (frame["applied_on"] <= stamp)].copy()
    frame["key"] = group_key(frame[by])
    frame["applied"] = frame["applied_on"] >= year_start
    frame["passed"] = (
        frame["passed_on"].notna() & (frame["passed_on"] >= year_start) & (frame["passed_on"] <= stamp)
    )
    frame["certified"] = (
        frame["passed_on"].notna()
        & (frame["passed_on"] <= stamp)
        & (frame["expires_on"].isna() | (frame["expires_on"] >= stamp))
    )
    frame["expiring"] = (
        frame["certified"]
        & (frame["expires_on"] > stamp)
        & (frame["expires_on"] <= stamp + pd.Timedelta(days=90))
    )
    goals = {t["grade"]: t["target"] for t in targets if t["year"] == period.year and t["county"] == county}

    def row(part: pd.DataFrame, target) -> dict:
        applied, passed = int(part["applied"].sum()), int(part["passed"].sum())
        return {
            "target": target,
            "applied": applied,
            "passed": passed,
            "completion_pct": pct(passed, target) if target else None,
            "application_pct": pct(applied, target) if target else None,
            "certified": int(part["certified"].sum()),
            "expiring": int(part["expiring"].sum()),
        }

    if by == "grade":
        expected = {g: row(frame[frame["grade"] == g], goals.get(g)) for g in GRADE_CHOICES}
    else:
        keys = set(frame["key"]) | set(regions)
        expected = {(None if k == NONE_KEY else k): row(frame[frame["key"] == k], None) for k in keys}
    expected["合计"] = row(frame, sum(goals.values()) if goals else None)
    return expected


def random_sources(rng: np.random.Generator, n: int, today: dt.date) -> list[dict]:
    rows = []
    for i in range(n):
        registered = _day(rng, D(2020, 1, 1), today)
        deregistered = None
        if rng.random() < 0.25:
            deregistered = min(registered + dt.timedelta(days=int(rng.integers(1, 1500))), today)
        rows.append(
            {
                "source_id": f"M{i:05d}",
                "county": COUNTY if rng.random() < 0.8 else "乙县",
                "township": TOWNSHIP_CHOICES[int(rng.integers(0, len(TOWNSHIP_CHOICES)))],
                "enterprise": f"单位{i}",
                "level": SOURCE_LEVEL_CHOICES[int(rng.integers(0, 4))],
                "registered_on": registered,
                "deregistered_on": deregistered,
                "monitored": bool(rng.random() < 0.7),
            }
        )
    return rows


def expected_sources(rows, period: Period, as_of: dt.date, by: str, regions, county=COUNTY) -> dict:
    frame = pd.DataFrame(rows)
    for column in ("registered_on", "deregistered_on"):
        frame[column] = pd.to_datetime(frame[column])
    stamp = pd.Timestamp(as_of)
    frame = frame[(frame["county"] == county) & (frame["registered_on"] <= stamp)].copy()
    frame["key"] = group_key(frame[by])
    frame["in_force"] = frame["deregistered_on"].isna() | (frame["deregistered_on"] > stamp)
    frame["on_line"] = frame["in_force"] & frame["monitored"]
    frame["new"] = frame["registered_on"].between(pd.Timestamp(period.start), pd.Timestamp(period.end))

    def row(part: pd.DataFrame) -> dict:
        in_force, monitored = int(part["in_force"].sum()), int(part["on_line"].sum())
        return {
            "in_force": in_force,
            "monitored": monitored,
            "monitoring_rate": pct(monitored, in_force),
            "new": int(part["new"].sum()),
        }

    keys = set(SOURCE_LEVEL_CHOICES) if by == "level" else set(frame["key"]) | set(regions)
    expected = {(None if k == NONE_KEY else k): row(frame[frame["key"] == k]) for k in keys}
    expected["合计"] = row(frame)
    return expected


def random_projects(rng: np.random.Generator, n: int, today: dt.date) -> list[dict]:
    rows = []
    for i in range(n):
        registered = _day(rng, D(2025, 1, 1), today)
        evaluated = accepted = None
        if rng.random() < 0.7:
            evaluated = min(registered + dt.timedelta(days=int(rng.integers(0, 120))), today)
        if rng.random() < 0.4:
            accepted = min(registered + dt.timedelta(days=int(rng.integers(30, 400))), today)
        rows.append(
            {
                "project_id": f"P{i:05d}",
                "county": COUNTY if rng.random() < 0.8 else "乙县",
                "township": TOWNSHIP_CHOICES[int(rng.integers(0, len(TOWNSHIP_CHOICES)))],
                "name": f"项目{i}",
                "registered_on": registered,
                "evaluated_on": evaluated,
                "accepted_on": accepted,
            }
        )
    return rows


def expected_projects(rows, period: Period, as_of: dt.date, regions, county=COUNTY) -> dict:
    frame = pd.DataFrame(rows)
    for column in ("registered_on", "evaluated_on", "accepted_on"):
        frame[column] = pd.to_datetime(frame[column])
    stamp = pd.Timestamp(as_of)
    frame = frame[
        (frame["county"] == county)
        & frame["registered_on"].between(pd.Timestamp(period.start), pd.Timestamp(period.end))
    ].copy()
    frame["key"] = group_key(frame["township"])

    def row(part: pd.DataFrame) -> dict:
        evaluated = int((part["evaluated_on"].notna() & (part["evaluated_on"] <= stamp)).sum())
        return {
            "projects": len(part),
            "evaluated": evaluated,
            "evaluation_rate": pct(evaluated, len(part)),
            "accepted": int((part["accepted_on"].notna() & (part["accepted_on"] <= stamp)).sum()),
        }

    keys = set(frame["key"]) | set(regions)
    expected = {(None if k == NONE_KEY else k): row(frame[frame["key"] == k]) for k in keys}
    expected["合计"] = row(frame)
    return expected


REPORT_DEPARTMENTS = ["县公安局交警大队", "县应急管理局", "县市场监管局"]


def random_monthly_reports(rng: np.random.Generator) -> list[dict]:
    """Monthly items of 2025–2026 for two counties, with gaps (a month or a whole item missing)."""
    rows = []
    for year in (2025, 2026):
        for month in range(1, 13):
            for county in (COUNTY, "乙县"):
                for department in REPORT_DEPARTMENTS:
                    for item in ("道路交通违法行为", "非法违法行为"):
                        if rng.random() < 0.55:
                            rows.append(
                                {
                                    "year": year,
                                    "month": month,
                                    "county": county,
                                    "department": department,
                                    "item": item,
                                    "value": int(rng.integers(0, 300)),
                                }
                            )
    return rows


def expected_reports(rows, period: Period, by: str, county: str = COUNTY) -> dict:
    """{key: {"value", "previous", "change_pct"}}; key is the item, or (department, item)."""
    frame = pd.DataFrame(rows)
    frame = frame[
        (frame["county"] == county)
        & frame["year"].isin([period.year, period.year - 1])
        & frame["month"].between(period.first_month, period.last_month)
    ]
    keys = ["item"] if by == "item" else ["department", "item"]
    expected = {}
    for key, part in frame.groupby(keys):
        value = int(part.loc[part["year"] == period.year, "value"].sum())
        previous = int(part.loc[part["year"] == period.year - 1, "value"].sum())
        expected[key if by == "department" else key[0]] = {
            "value": value,
            "previous": previous,
            "change_pct": change(value, previous),
        }
    return expected


def expected_control(accident_rows, caps: list[dict], period: Period, county: str = COUNTY) -> dict:
    """{"time_progress", "county": ROW|None, "townships": {name: ROW}} from the accident records, in pandas."""
    frame = pd.DataFrame(accident_rows)
    frame["occurred_on"] = pd.to_datetime(frame["occurred_on"])
    frame = frame[
        (frame["county"] == county)
        & frame["occurred_on"].between(pd.Timestamp(D(period.year, 1, 1)), pd.Timestamp(period.end))
    ]
    time = half_up(Decimal(period.last_month) * 100 / 12)

    def row(part: pd.DataFrame, cap_row: dict, township) -> dict:
        result = {"township": township}
        for name, value in (("accidents", len(part)), ("deaths", int(part["deaths"].sum()))):
            cap = cap_row.get(f"{name}_cap")
            progress = pct(value, cap) if cap else None
            if cap is None:
                state = None
            elif value > cap:
                state = "超出控制指标"
            elif progress is not None and progress > time:
                state = "超过时间进度"
            else:
                state = "正常"
            result.update(
                {name: value, f"{name}_cap": cap, f"{name}_progress": progress, f"{name}_status": state}
            )
        return result

    mine = [c for c in caps if c["county"] == county and c["year"] == period.year]
    county_caps = [c for c in mine if c["township"] is None]
    return {
        "time_progress": time,
        "county": row(frame, county_caps[0], None) if county_caps else None,
        "townships": {
            c["township"]: row(frame[frame["township"] == c["township"]], c, c["township"])
            for c in mine
            if c["township"] is not None
        },
    }
