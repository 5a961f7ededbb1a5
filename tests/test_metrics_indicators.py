"""The four indicators against metrics.md: table-driven edge cases and an independent pandas recomputation."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction

import pandas as pd
import pytest

from analytics import store
from analytics.metrics.indicators import (
    INDICATORS,
    accidents_by_field,
    by_sector,
    by_township,
    indicators,
    major_accident_list,
    monthly,
)
from analytics.metrics.periods import Period
from tests.factories import accident, insert_accidents
from tests.recompute import GEN_COUNTIES, TODAY, expected_change, generated_accidents, load_generated
from tests.recompute import half_up_exact as half_up
from tests.stores import new_db, query_frame


def run(path, function, *args, **kwargs):
    with store.connect(path) as con:
        return function(con, *args, **kwargs)


def counts(n, year, county="甲县", start=0, month=8, **kw):
    return [
        accident(f"{year}-{start + i}-{county}", f"{year}-{month:02d}-{i % 28 + 1:02d}", county, **kw)
        for i in range(n)
    ]


# ---- 同比 rules: previous 0, both 0, this year 0, half-up ---------------------------------------
@pytest.mark.parametrize(
    ("now", "before", "change"),
    [
        (3, 0, None),  # previous 0, value > 0: 新增, never a division error
        (0, 0, 0.0),  # both 0: 持平
        (0, 5, -100.0),  # this year 0
        (29, 16, 81.3),  # 81.25 rounds half away from zero
        (3, 16, -81.3),  # -81.25 likewise
        (6, 7, -14.3),
        (7, 7, 0.0),
    ],
)
def test_accident_change_pct(empty_db, now, before, change):
    insert_accidents(empty_db, counts(now, 2026) + counts(before, 2025))
    doc = run(empty_db, indicators, Period(2026, 1, 8), "甲县", TODAY)
    figure = doc["indicators"]["accidents"]
    assert (figure["value"], figure["previous"], figure["change_pct"]) == (now, before, change)


@pytest.mark.parametrize(
    ("losses", "expected"),
    [((2.675,), 2.68), ((1.005,), 1.01), ((0.0049, 0.0001), 0.01), ((12.3, 0.004), 12.3), ((), 0.0)],
)
def test_money_half_up_two_decimals(empty_db, losses, expected):
    insert_accidents(empty_db, [accident(i, "2026-03-01", loss=x) for i, x in enumerate(losses)])
    doc = run(empty_db, indicators, Period(2026, 1, 8), "甲县", TODAY)
    assert doc["indicators"]["direct_loss_wan"]["value"] == expected


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [
        ((2, 1), (3, 2), True),  # (accidents, deaths) both fell
        ((2, 2), (3, 2), False),  # deaths flat
        ((3, 1), (3, 2), False),  # accidents flat
        ((1, 0), (0, 0), False),  # previous 0: nothing can fall
        ((0, 0), (0, 0), False),  # both years empty: 持平, not 双下降
        ((0, 0), (1, 1), True),  # this year 0
        ((4, 1), (3, 2), False),
    ],
)
def test_double_decline(empty_db, now, before, expected):
    rows = []
    for year, (n, deaths) in ((2026, now), (2025, before)):
        for i in range(n):
            rows.append(accident(f"{year}-{i}", f"{year}-05-0{i + 1}", deaths=deaths if i == 0 else 0))
    insert_accidents(empty_db, rows)
    assert run(empty_db, indicators, Period(2026, 1, 8), "甲县", TODAY)["double_decline"] is expected


# ---- periods: boundaries, county vs whole city ------------------------------------------------
def test_period_boundaries_and_county_filter(empty_db):
    insert_accidents(
        empty_db,
        [
            accident(1, "2026-01-01"),  # first day: in
            accident(2, "2026-08-31"),  # last day: in
            accident(3, "2026-09-01"),  # next month: out
            accident(4, "2025-12-31"),  # previous year: out of the period
            accident(5, "2025-08-31", deaths=2),  # 同期 last day: previous
            accident(6, "2026-03-03", county="乙县", deaths=1),
        ],
    )
    county = run(empty_db, indicators, Period(2026, 1, 8), "甲县", TODAY)
    city = run(empty_db, indicators, Period(2026, 1, 8), None, TODAY)
    assert county["indicators"]["accidents"] == {"value": 2, "previous": 1, "change_pct": 100.0}
    assert county["indicators"]["deaths"] == {"value": 0, "previous": 2, "change_pct": -100.0}
    assert city["indicators"]["accidents"]["value"] == 3
    assert city["indicators"]["deaths"]["value"] == 1
    assert city["county"] is None and county["county"] == "甲县"
    assert county["period"] == {
        "year": 2026,
        "months": [1, 8],
        "start": "2026-01-01",
        "end": "2026-08-31",
        "as_of": "2026-08-31",
    }


def test_as_of_is_today_when_earlier(empty_db):
    doc = run(empty_db, indicators, Period(2026, 1, 8), None, dt.date(2026, 8, 15))
    assert doc["period"]["as_of"] == "2026-08-15"


def test_deaths_sum_with_missing_apart(empty_db):
    insert_accidents(
        empty_db,
        [accident(1, "2026-02-02", deaths=2, missing=1), accident(2, "2026-02-03", deaths=1, missing=2)],
    )
    doc = run(empty_db, indicators, Period(2026, 1, 8), "甲县", TODAY)
    assert doc["indicators"]["deaths"]["value"] == 3
    assert doc["missing"] == {"value": 3, "previous": 0, "change_pct": None}


# ---- accident level thresholds -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("deaths", "serious", "loss", "level"),
    [
        (2, 9, 999.99, "一般"),
        (3, 0, 0, "较大"),
        (0, 10, 0, "较大"),
        (0, 0, 1000, "较大"),
        (9, 49, 4999.99, "较大"),
        (10, 0, 0, "重大"),
        (0, 50, 0, "重大"),
        (0, 0, 5000, "重大"),
        (29, 99, 9999.99, "重大"),
        (30, 0, 0, "特别重大"),
        (0, 100, 0, "特别重大"),
        (0, 0, 10000, "特别重大"),
        (1, 12, 10, "较大"),  # the highest level any one criterion reaches
    ],
)
def test_level_thresholds(empty_db, deaths, serious, loss, level):
    insert_accidents(
        empty_db, [accident(1, "2026-04-04", deaths=deaths, serious=serious, injuries=serious, loss=loss)]
    )
    with store.connect(empty_db) as con:
        assert con.execute("SELECT level FROM accidents").fetchone()[0] == level
    doc = run(empty_db, indicators, Period(2026, 1, 8), "甲县", TODAY)
    major = 0 if level == "一般" else 1
    assert doc["major_accidents"]["value"] == major
    listed = run(empty_db, major_accident_list, Period(2026, 1, 8), "甲县")
    assert [row["level"] for row in listed] == ([level] if major else [])


# ---- 环比 -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("period", "rows", "before_months", "expected"),
    [
        (Period(2026, 8, 8), [("2026-08-05", 3), ("2026-07-09", 2)], [7, 7], (3, 2, 50.0)),
        (Period(2026, 1, 1), [("2026-01-05", 1), ("2025-12-31", 4)], [12, 12], (1, 4, -75.0)),
        (Period(2026, 3, 3), [("2026-03-05", 2)], [2, 2], (2, 0, None)),
    ],
)
def test_month_on_month(empty_db, period, rows, before_months, expected):
    data = []
    for day, n in rows:
        data += [accident(f"{day}-{i}", day) for i in range(n)]
    insert_accidents(empty_db, data)
    mom = run(empty_db, indicators, period, "甲县", TODAY)["mom"]
    assert mom["period"]["months"] == before_months
    figure = mom["accidents"]
    assert (figure["value"], figure["previous"], figure["change_pct"]) == expected


def test_no_month_on_month_for_a_range(empty_db):
    assert run(empty_db, indicators, Period(2026, 1, 8), None, TODAY)["mom"] is None


# ---- provisional ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("today", "flag"),
    [(dt.date(2026, 8, 20), True), (dt.date(2026, 9, 30), True), (dt.date(2026, 10, 1), False)],
)
def test_provisional_window(empty_db, today, flag):
    doc = run(empty_db, indicators, Period(2026, 1, 8), None, today)
    assert doc["provisional"]["provisional"] is flag
    assert doc["provisional"]["until"] == "2026-09-30"


# ---- sectors and the 工矿商贸 group ---------------------------------------------------------------
def test_by_sector_order_zeros_and_group(empty_db):
    insert_accidents(
        empty_db,
        [
            accident(1, "2026-02-01", sector="消防火灾", deaths=1),
            accident(2, "2026-02-02", sector="道路交通", injuries=2, loss=1.5),
            accident(3, "2026-02-03", sector="道路交通"),
            accident(4, "2025-02-03", sector="建筑施工", deaths=1),  # only in 同期
        ],
    )
    doc = run(empty_db, indicators, Period(2026, 1, 8), "甲县", TODAY)
    rows = doc["by_sector"]
    assert [r["sector"] for r in rows] == ["道路交通", "建筑施工", "消防火灾"]
    road, building, fire = rows
    assert (road["accidents"], road["injuries"], road["direct_loss_wan"]) == (2, 2, 1.5)
    assert (building["accidents"], building["previous"]["deaths"], building["group"]) == (0, 1, "工矿商贸")
    assert building["change_pct"]["accidents"] == -100.0
    assert fire["group"] is None and fire["change_pct"]["deaths"] is None
    trade = doc["industry_trade"]
    assert trade["no_accidents"] is True and trade["no_accidents_previous"] is False
    assert trade["accidents"] == {"value": 0, "previous": 1, "change_pct": -100.0}
    assert sum(r["accidents"] for r in rows) == doc["indicators"]["accidents"]["value"]
    for row in rows:
        assert set(row) >= {"sector", "accidents", "deaths", "injuries", "direct_loss_wan"}


def test_by_sector_empty(empty_db):
    assert run(empty_db, by_sector, Period(2026, 1, 8), "甲县") == []


# ---- townships -----------------------------------------------------------------------------------
def test_by_township_lists_regions_and_empty_township(empty_db):
    with store.connect(empty_db, read_only=False) as con:
        con.execute(
            "INSERT INTO regions VALUES ('甲县', '二镇', '某市'), ('甲县', '一镇', '某市'), ('乙县', '三镇', '某市')"
        )
    insert_accidents(
        empty_db,
        [
            accident(1, "2026-02-01", township="一镇", deaths=1),
            accident(2, "2026-02-02", township=None),
            accident(3, "2026-02-03", township=None, injuries=4),
            accident(4, "2026-02-04", township="新村"),  # not in regions: still listed
            accident(5, "2026-02-05", township="三镇", county="乙县"),
        ],
    )
    rows = run(empty_db, by_township, Period(2026, 1, 8), "甲县")
    assert [r["township"] for r in rows] == ["一镇", "二镇", "新村", None]
    assert rows[1]["accidents"] == 0 and rows[1]["change_pct"]["accidents"] == 0.0
    assert (rows[3]["accidents"], rows[3]["injuries"]) == (2, 4)
    total = run(empty_db, indicators, Period(2026, 1, 8), "甲县", TODAY)["indicators"]["accidents"]["value"]
    assert sum(r["accidents"] for r in rows) == total


# ---- monthly -------------------------------------------------------------------------------------
def test_monthly_cumulative_and_stop_at_latest_month(empty_db):
    insert_accidents(
        empty_db,
        [
            accident(1, "2026-01-10", loss=1.005),
            accident(2, "2026-03-10", loss=1.005, deaths=1),
            accident(3, "2025-12-10", deaths=2),
        ],
    )
    frame = run(empty_db, monthly, 2026, "甲县", TODAY)
    assert list(frame["month"]) == list(range(1, 13))
    assert list(frame["accidents"].iloc[:3]) == [1, 0, 1]
    assert frame["accidents"].iloc[3:].isna().all()
    assert frame["accidents_cum"].iloc[2] == 2
    # Cumulative from unrounded sums: 1.005 + 1.005 = 2.01, not 1.01 + 1.01 = 2.02.
    assert frame["direct_loss_wan_cum"].iloc[2] == 2.01
    assert frame["deaths_previous"].iloc[11] == 2 and frame["deaths_previous_cum"].iloc[11] == 2


def test_json_ready(empty_db):
    insert_accidents(empty_db, [accident(1, "2026-02-01", deaths=1, loss=3.3)])
    doc = run(empty_db, indicators, Period(2026, 2, 2), "甲县", TODAY)
    assert json.loads(json.dumps(doc, ensure_ascii=False)) == doc
    assert isinstance(doc["indicators"]["deaths"]["value"], int)
    assert isinstance(doc["indicators"]["direct_loss_wan"]["value"], float)


# ---- independent recomputation on a generated dataset ---------------------------------------------
TRADE = {"工业", "商贸", "建筑施工", "危险化学品", "烟花爆竹", "矿山"}


def expected_figures(frame: pd.DataFrame) -> dict:
    level_major = (
        (frame["deaths"] >= 3) | (frame["serious_injuries"] >= 10) | (frame["loss_mills"] >= 1000 * 1000)
    )
    return {
        "accidents": Fraction(len(frame)),
        "deaths": Fraction(int(frame["deaths"].sum())),
        "injuries": Fraction(int(frame["injuries"].sum())),
        "direct_loss_wan": Fraction(int(frame["loss_mills"].sum()), 1000),
        "missing": int(frame["missing"].sum()),
        "major": int(level_major.sum()),
    }


def in_period(frame: pd.DataFrame, period: Period) -> pd.DataFrame:
    dates = pd.to_datetime(frame["occurred_on"])
    return frame[(dates >= pd.Timestamp(period.start)) & (dates <= pd.Timestamp(period.end))]


def shown(name: str, value: Fraction):
    return half_up(value, 2) if name == "direct_loss_wan" else int(value)


@pytest.fixture(scope="module")
def generated_db(tmp_path_factory):
    path = new_db(tmp_path_factory.mktemp("generated"), "generated", lasting=True)
    store.ensure_schema(path)
    frame = generated_accidents()
    load_generated(path, frame)
    return path, frame


@pytest.mark.parametrize(
    "period", [Period(2026, 1, 8), Period(2026, 1, 1), Period(2026, 6, 6), Period(2026, 3, 12)]
)
@pytest.mark.parametrize("county", [None, *GEN_COUNTIES])
def test_indicators_match_pandas(generated_db, period, county):
    path, frame = generated_db
    scope = frame if county is None else frame[frame["county"] == county]
    now, before = in_period(scope, period), in_period(scope, period.previous)
    doc = run(path, indicators, period, county, TODAY)
    current, previous = expected_figures(now), expected_figures(before)
    for name in ("accidents", "deaths", "injuries", "direct_loss_wan"):
        assert doc["indicators"][name] == {
            "value": shown(name, current[name]),
            "previous": shown(name, previous[name]),
            "change_pct": expected_change(current[name], previous[name]),
        }, name
    assert doc["double_decline"] == (
        current["accidents"] < previous["accidents"] and current["deaths"] < previous["deaths"]
    )
    assert doc["major_accidents"]["value"] == current["major"]
    assert doc["major_accidents"]["previous"] == previous["major"]
    assert doc["missing"]["value"] == current["missing"]
    by_sector_rows = {row["sector"]: row for row in doc["by_sector"]}
    sectors = set(now["sector"]) | set(before["sector"])
    assert set(by_sector_rows) == sectors
    for sector in sectors:
        figures = expected_figures(now[now["sector"] == sector])
        for name in ("accidents", "deaths", "injuries", "direct_loss_wan"):
            assert by_sector_rows[sector][name] == shown(name, figures[name]), (sector, name)
    trade = expected_figures(now[now["sector"].isin(TRADE)])
    assert doc["industry_trade"]["accidents"]["value"] == int(trade["accidents"])
    assert doc["industry_trade"]["no_accidents"] == (trade["accidents"] == 0)
    if period.first_month == period.last_month:
        month_before = expected_figures(in_period(scope, period.month_before))
        assert doc["mom"]["deaths"]["previous"] == int(month_before["deaths"])
        assert doc["mom"]["deaths"]["change_pct"] == expected_change(
            current["deaths"], month_before["deaths"]
        )


def test_townships_match_pandas(generated_db):
    path, frame = generated_db
    period = Period(2026, 1, 8)
    now = in_period(frame[frame["county"] == "东城县"], period)
    rows = {row["township"]: row for row in run(path, by_township, period, "东城县")}
    blank = now["township"].isna() | (now["township"] == "")
    assert rows[None]["accidents"] == int(blank.sum())
    assert rows["一镇"]["deaths"] == int(now.loc[now["township"] == "一镇", "deaths"].sum())


def test_monthly_matches_pandas(generated_db):
    path, frame = generated_db
    table = run(path, monthly, 2026, "西山县", TODAY)
    scope = frame[frame["county"] == "西山县"]
    for month in (1, 7, 11):
        now = expected_figures(in_period(scope, Period(2026, month, month)))
        before = expected_figures(in_period(scope, Period(2025, 1, month)))
        row = table[table["month"] == month].iloc[0]
        assert row["deaths"] == int(now["deaths"])
        assert row["direct_loss_wan"] == half_up(now["direct_loss_wan"], 2)
        assert row["injuries_previous_cum"] == int(before["injuries"])
        assert row["direct_loss_wan_previous_cum"] == half_up(before["direct_loss_wan"], 2)
    assert table["deaths"].iloc[11] is pd.NA  # December 2026 has no data yet


@pytest.mark.parametrize("county", ["西山县", "中和市"])
def test_monthly_change_pct_matches_pandas(generated_db, county):
    """同比 of each month and of the running totals, from the exact sums (the trend tables print these)."""
    path, frame = generated_db
    table = run(path, monthly, 2026, county, TODAY)
    scope = frame[frame["county"] == county]
    for month in range(1, 13):
        row = table[table["month"] == month].iloc[0]
        if row["accidents"] is pd.NA:  # past the ledger's coverage: no figure, no 同比 either
            assert all(row[f"{n}_change_pct{s}"] is pd.NA for n in INDICATORS for s in ("", "_cum"))
            continue
        for suffix, first in (("", month), ("_cum", 1)):
            now = expected_figures(in_period(scope, Period(2026, first, month)))
            before = expected_figures(in_period(scope, Period(2025, first, month)))
            for name in INDICATORS:
                expected = expected_change(now[name], before[name])
                actual = row[f"{name}_change_pct{suffix}"]
                assert (None if actual is pd.NA else actual) == expected, (county, month, suffix, name)


def test_monthly_change_pct_edge_cases(empty_db):
    """持平 at 0 against 0, null (新增) against 0, −100 to 0; money's 同比 from unrounded sums."""
    insert_accidents(
        empty_db,
        [
            accident(1, "2026-01-10", loss=1.004),  # January: 新增 (no accident in January 2025)
            accident(2, "2025-02-10", deaths=1),  # February: −100% against 2025
            accident(3, "2026-03-10", loss=2.005),
            accident(4, "2025-03-10", loss=2.0),
        ],
    )
    frame = run(empty_db, monthly, 2026, "甲县", TODAY).set_index("month")
    assert frame.loc[1, "accidents_change_pct"] is pd.NA
    assert frame.loc[2, "accidents_change_pct"] == -100.0 and frame.loc[2, "deaths_change_pct"] == -100.0
    assert frame.loc[1, "injuries_change_pct"] == 0.0  # 0 against 0: 持平
    assert frame.loc[4, "accidents_change_pct"] is pd.NA  # past the ledger's coverage (March)
    assert frame.loc[2, "accidents_change_pct_cum"] == 0.0  # 1 against 1 by February
    # Shown 2.01 against 2.00 would read 0.5%; the exact sums give (2.005 − 2) / 2 = 0.25% -> 0.3%.
    assert frame.loc[3, "direct_loss_wan_change_pct"] == 0.3
    assert frame.loc[3, "direct_loss_wan_change_pct_cum"] == 50.5  # (3.009 − 2) / 2 = 50.45%


def test_indicators_match_pandas_on_the_sample(sample_db_path):
    with store.connect(sample_db_path) as con:
        frame = query_frame(con, "SELECT * FROM accidents")
        county_names = sorted(frame["county"].unique())
        period = Period(2026, 1, 8)
        docs = {county: indicators(con, period, county, TODAY) for county in [None, *county_names]}
    frame["loss_mills"] = [int(Decimal(str(v)) * 1000) for v in frame["direct_loss_wan"]]
    frame["serious_injuries"] = frame["serious_injuries"].fillna(0)
    assert len(county_names) >= 2
    for county, doc in docs.items():
        scope = frame if county is None else frame[frame["county"] == county]
        current = expected_figures(in_period(scope, period))
        previous = expected_figures(in_period(scope, period.previous))
        for name in ("accidents", "deaths", "injuries", "direct_loss_wan"):
            assert doc["indicators"][name]["value"] == shown(name, current[name]), (county, name)
            assert doc["indicators"][name]["previous"] == shown(name, previous[name]), (county, name)
            assert doc["indicators"][name]["change_pct"] == expected_change(current[name], previous[name])
        assert doc["major_accidents"]["value"] == current["major"], county


def _sectors(**accidents) -> dict:
    return {"by_sector": [{"sector": name, "accidents": n} for name, n in accidents.items()]}


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (_sectors(), []),
        (_sectors(道路交通=0), []),  # a sector listed for 同期 only
        (_sectors(道路交通=5), [("道路交通", 5)]),
        (_sectors(工业=2, 矿山=1), [("工矿商贸", 3)]),  # the 工矿商贸 sectors are one field
        (_sectors(道路交通=2, 工业=2, 消防火灾=3), [("消防火灾", 3), ("道路交通", 2), ("工矿商贸", 2)]),
        (_sectors(道路交通=1, 商贸=4, 其他=1), [("工矿商贸", 4), ("道路交通", 1), ("其他", 1)]),
    ],
)
def test_accidents_by_field(doc, expected):
    assert accidents_by_field(doc) == expected


def test_accidents_by_field_matches_pandas(generated_db):
    path, frame = generated_db
    period = Period(2026, 1, 8)
    doc = run(path, indicators, period, "东城县", TODAY)
    scope = in_period(frame[frame["county"] == "东城县"], period)
    fields = scope["sector"].where(~scope["sector"].isin(TRADE), "工矿商贸")
    counts = fields.value_counts()
    assert dict(accidents_by_field(doc)) == {name: int(n) for name, n in counts.items()}
    assert [n for _, n in accidents_by_field(doc)] == sorted(counts.tolist(), reverse=True)
