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

from analytics import store
from analytics.contract.datasets import MEASURES, TRAINING_CATEGORIES
from analytics.metrics.periods import Period
from tests.factories import ACCIDENT_COLUMNS, COUNTY, case, hazard, session, target

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


def expected_hazard_rows(hazard_rows, inspection_rows, period, as_of, by, region_townships) -> dict:
    """{key (None for no township, "合计" for the total): ROW} from metrics.md, in pandas."""
    frame = pd.DataFrame(hazard_rows)
    for column in ("found_on", "deadline", "rectified_on", "reviewed_on", "closed_on"):
        frame[column] = pd.to_datetime(frame[column])
    start, end, as_of = pd.Timestamp(period.start), pd.Timestamp(period.end), pd.Timestamp(as_of)
    frame = frame[(frame["county"] == COUNTY) & frame["found_on"].between(start, end)].copy()
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
    visits = visits[(visits["county"] == COUNTY) & visits["inspected_on"].between(start, end)].copy()
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


def expected_case_rows(rows: list[dict], period: Period, by: str) -> dict:
    frame = pd.DataFrame(rows)
    frame["filed_on"] = pd.to_datetime(frame["filed_on"])
    frame["fine_wan"] = frame["fine_wan"].fillna(0)
    frame = frame[frame["county"] == COUNTY].copy()
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
            "previous": {"cases": len(previous), "fine_wan": money(previous_fine), "penalties": previous_penalties},
            "change_pct": {
                "cases": change(len(current), len(previous)),
                "fine_wan": change(fine, previous_fine),
                "penalties": change(penalties, previous_penalties),
            },
        }

    keys = set(now["key"]) | set(before["key"])
    if by == "township":
        keys |= {"A镇", "B镇"}
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
        con.register("generated", frame)
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


def expected_listed(hazard_rows: list[dict], period: Period, as_of: dt.date) -> tuple[list[dict], pd.DataFrame]:
    """The 挂牌督办 figures by listed level and the list itself (hazard_id, status, days_overdue), in pandas."""
    frame = pd.DataFrame(hazard_rows)
    for column in ("found_on", "deadline", "closed_on"):
        frame[column] = pd.to_datetime(frame[column])
    stamp = pd.Timestamp(as_of)
    frame = frame[
        (frame["county"] == COUNTY)
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
        (stamp - deadline).days if late else None for late, deadline in zip(frame["late"], frame["deadline"])
    ]
    return levels, frame[["hazard_id", "status", "days_overdue", "closed", "deadline"]]
