"""The county ranking against metrics.md: table-driven rules and an independent pandas recomputation."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from analytics import store
from analytics.metrics.common import default_period
from analytics.metrics.periods import Period
from analytics.metrics.ranking import (
    competition_rank,
    county_row,
    previous_ranking_period,
    ranking,
    shared_rank,
)
from tests.factories import accident, insert_accidents
from tests.recompute import GEN_COUNTIES, TODAY, expected_change, generated_accidents, load_generated
from tests.recompute import half_up_exact as half_up
from tests.stores import new_db, on_server, query_frame

PERIOD = Period(2026, 1, 8)
# 工矿商贸, written out here rather than imported, so the test does not share the code's list.
INDUSTRY_SECTORS = ("工业", "商贸", "建筑施工", "危险化学品", "烟花爆竹", "矿山")
INDICATORS = ("accidents", "deaths", "injuries", "direct_loss_wan")


def sql(path, statement: str, rows=None) -> None:
    with store.connect(path, read_only=False) as con:
        if rows and on_server(con):  # the server store's connection has no executemany
            for row in rows:
                con.execute(statement, row)
        elif rows:
            con.executemany(statement, rows)
        else:
            con.execute(statement)


def rank_of(path, period=PERIOD) -> dict:
    with store.connect(path) as con:
        return ranking(con, period, TODAY)


def many(county: str, n: int, year: int = 2026, month: int = 5, **kw) -> list:
    return [
        accident(f"{county}{year}{month}-{i}", f"{year}-{month:02d}-{i % 28 + 1:02d}", county, **kw)
        for i in range(n)
    ]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"a": 1, "b": 2, "c": 2, "d": 5}, {"a": 1, "b": 2, "c": 2, "d": 4}),
        ({"a": 0, "b": 0, "c": 0}, {"a": 1, "b": 1, "c": 1}),
        ({"a": -10.0, "b": None, "c": 3.5, "d": None}, {"a": 1, "b": 3, "c": 2, "d": 3}),
        ({"a": 2.68, "b": 2.67}, {"a": 2, "b": 1}),
    ],
)
def test_competition_rank(values, expected):
    assert competition_rank(values) == expected


def test_competition_rank_nulls_unranked():
    assert competition_rank({"a": None, "b": 1.0}, nulls_last=False) == {"a": None, "b": 1}


def test_ties_and_county_without_accidents(empty_db):
    sql(empty_db, "INSERT INTO regions VALUES ('丁县', '一镇', '某市'), ('甲县', '一镇', '某市')")
    insert_accidents(empty_db, many("甲县", 1) + many("乙县", 2) + many("丙县", 2) + many("戊县", 5))
    doc = rank_of(empty_db)
    ranks = {row["county"]: row["rank"]["accidents"] for row in doc["counties"]}
    # 丁县 is only in regions: zeros, ranked first.
    assert ranks == {"丁县": 1, "甲县": 2, "乙县": 3, "丙县": 3, "戊县": 5}
    quiet = county_row(doc, "丁县")
    assert [quiet[name] for name in INDICATORS] == [0, 0, 0, 0.0]
    assert [row["county"] for row in doc["counties"]] == sorted(ranks)
    assert doc["source"] == {county: "records" for county in ranks}


def test_bulletin_overrides_records_and_sources(empty_db):
    insert_accidents(
        empty_db,
        many("甲县", 3, month=8, deaths=1)  # overridden by the bulletin's 8月 row
        + many("甲县", 2, month=3)  # no bulletin row for 3月: records
        + many("乙县", 4, month=8)
        + many("甲县", 1, year=2025, month=8, deaths=5),  # 同期 8月 also overridden
    )
    sql(
        empty_db,
        "INSERT INTO city_bulletin VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            [2026, 8, "甲县", 1, 0, 2, 3.5],
            [2025, 8, "甲县", 2, 1, 0, 0],
            *[[2026, m, "丙县", 1, 0, 0, 0.25] for m in range(1, 9)],
            [2026, 9, "乙县", 9, 9, 9, 9],  # outside the period
        ],
    )
    doc = rank_of(empty_db)
    jia = county_row(doc, "甲县")
    assert (jia["accidents"], jia["deaths"], jia["injuries"], jia["direct_loss_wan"]) == (3, 0, 2, 3.5)
    assert jia["previous"]["accidents"] == 2 and jia["previous"]["deaths"] == 1
    assert jia["change_pct"]["accidents"] == 50.0
    assert doc["source"] == {"丙县": "bulletin", "乙县": "records", "甲县": "mixed"}
    bing = county_row(doc, "丙县")
    assert (bing["accidents"], bing["direct_loss_wan"]) == (8, 2.0)
    assert bing["change_pct"]["accidents"] is None  # 新增


def test_change_rank_null_last_and_most_negative_first(empty_db):
    insert_accidents(
        empty_db,
        many("甲县", 1)
        + many("甲县", 4, year=2025)  # -75.0
        + many("乙县", 3)
        + many("乙县", 4, year=2025)  # -25.0
        + many("丙县", 2)  # 新增: null
        + many("丁县", 1)  # 新增: null
        + many("戊县", 4)
        + many("戊县", 4, year=2025),  # 0.0
    )
    doc = rank_of(empty_db)
    change = {
        row["county"]: (row["change_pct"]["accidents"], row["change_rank"]["accidents"])
        for row in doc["counties"]
    }
    assert change == {
        "甲县": (-75.0, 1),
        "乙县": (-25.0, 2),
        "戊县": (0.0, 3),
        "丙县": (None, 4),
        "丁县": (None, 4),
    }


def test_rates_three_decimals_only_with_denominators(empty_db):
    insert_accidents(
        empty_db,
        many("甲县", 1, deaths=1, sector="道路交通")
        + many("甲县", 3, month=6, deaths=1, sector="工业")
        + many("乙县", 2, deaths=1)
        + many("丙县", 1, deaths=1),
    )
    sql(
        empty_db,
        "INSERT INTO county_profile VALUES (?, ?, ?, ?, ?, ?)",
        [
            [2026, "甲县", 2000, 80, 2000, 4],  # 4 / 2000 = 0.002; 1 / 2000 = 0.0005 -> 0.001
            [2026, "乙县", 3, None, 6, None],
            [2025, "丙县", 10, 10, 10, 10],  # the wrong year: no rates
        ],
    )
    doc = rank_of(empty_db)
    jia, yi, bing = (county_row(doc, c) for c in ("甲县", "乙县", "丙县"))
    assert jia["rates"] == {
        "deaths_per_yi_gdp": 0.002,
        "road_deaths_per_wan_vehicles": 0.001,  # 0.0005 half up
        "industry_deaths_per_100k_workforce": 7.5,  # 3 工矿商贸 deaths × 10 / 4 万人
    }
    assert yi["rates"] == {
        "deaths_per_yi_gdp": 0.667,
        "road_deaths_per_wan_vehicles": 0.333,
        "industry_deaths_per_100k_workforce": None,
    }
    assert set(bing["rates"].values()) == {None}
    assert jia["rate_rank"] == {
        "deaths_per_yi_gdp": 1,
        "road_deaths_per_wan_vehicles": 1,
        "industry_deaths_per_100k_workforce": 1,
    }
    assert yi["rate_rank"]["deaths_per_yi_gdp"] == 2
    assert yi["rate_rank"]["industry_deaths_per_100k_workforce"] is None
    assert bing["rate_rank"]["deaths_per_yi_gdp"] is None
    assert doc["rates_available"]["deaths_per_yi_gdp"] is True


def test_sector_rates_unknown_for_bulletin_deaths_without_records(empty_db):
    sql(empty_db, "INSERT INTO city_bulletin VALUES (2026, 5, '甲县', 2, 2, 0, 1)")
    sql(empty_db, "INSERT INTO county_profile VALUES (2026, '甲县', 10, 1, 10, 1)")
    row = county_row(rank_of(empty_db), "甲县")
    assert row["rates"]["deaths_per_yi_gdp"] == 0.2
    assert row["rates"]["road_deaths_per_wan_vehicles"] is None
    assert row["rates"]["industry_deaths_per_100k_workforce"] is None


@pytest.mark.parametrize(
    ("period", "before"),
    [
        (Period(2026, 1, 8), Period(2026, 1, 7)),
        (Period(2026, 3, 8), Period(2026, 3, 7)),
        (Period(2026, 1, 1), Period(2025, 12, 12)),
        (Period(2026, 6, 6), Period(2026, 5, 5)),
    ],
)
def test_previous_ranking_period(period, before):
    assert previous_ranking_period(period) == before


def test_rank_change(empty_db):
    insert_accidents(
        empty_db,
        many("甲县", 1, month=7)
        + many("乙县", 3, month=7)
        + many("甲县", 5, month=8)
        + many("乙县", 1, month=8),
    )
    doc = rank_of(empty_db)
    jia, yi = county_row(doc, "甲县"), county_row(doc, "乙县")
    assert jia["previous_rank"]["accidents"] == 1 and jia["rank"]["accidents"] == 2
    assert jia["rank_change"]["accidents"] == -1  # moved down
    assert yi["rank_change"]["accidents"] == 1  # moved up
    assert doc["previous_period"]["months"] == [1, 7]


def test_empty_database_ranks_nobody(empty_db):
    assert rank_of(empty_db)["counties"] == []


# ---- independent recomputation on a generated dataset ---------------------------------------------
def generated_bulletin(seed: int = 11) -> pd.DataFrame:
    """Bulletin rows for some county-months of both years, with figures unlike the records."""
    rng = np.random.default_rng(seed)
    rows = []
    for county in GEN_COUNTIES[:3]:
        for year in (2025, 2026):
            for month in range(1, 13):
                if rng.random() < 0.4:
                    rows.append(
                        (
                            year,
                            month,
                            county,
                            int(rng.integers(0, 30)),
                            int(rng.integers(0, 9)),
                            int(rng.integers(0, 20)),
                            int(rng.integers(0, 99999)),
                        )
                    )
    rows.append((2026, 4, "外县", 3, 1, 2, 500))  # a county known only from the bulletin
    return pd.DataFrame(
        rows, columns=["year", "month", "county", "accidents", "deaths", "injuries", "loss_mills"]
    )


@pytest.fixture(scope="module")
def generated_city(tmp_path_factory):
    path = new_db(tmp_path_factory.mktemp("city"), "city", lasting=True)
    store.ensure_schema(path)
    accidents = generated_accidents(seed=23, size=2500)
    load_generated(path, accidents)
    bulletin = generated_bulletin()
    sql(
        path,
        "INSERT INTO city_bulletin VALUES (?, ?, ?, ?, ?, ?, CAST(? AS DECIMAL(18,4)) / 1000)",
        bulletin.values.tolist(),
    )
    sql(path, "INSERT INTO regions VALUES ('空县', '一镇', '某市')")
    profiles = [
        [2026, county, 100 + 7 * i, 20 + i, 10 + 3 * i, 2 + i] for i, county in enumerate(GEN_COUNTIES[1:])
    ]
    sql(path, "INSERT INTO county_profile VALUES (?, ?, ?, ?, ?, ?)", profiles)
    return path, accidents, bulletin, {p[1]: (p[2], p[4], p[5]) for p in profiles}


def expected_table(
    accidents: pd.DataFrame, bulletin: pd.DataFrame, year: int, months: range, counties: list[str]
) -> pd.DataFrame:
    dates = pd.to_datetime(accidents["occurred_on"])
    records = accidents.assign(year=dates.dt.year, month=dates.dt.month)
    records = records.assign(
        road=np.where(records["sector"] == "道路交通", records["deaths"], 0),
        industry=np.where(records["sector"].isin(INDUSTRY_SECTORS), records["deaths"], 0),
    )
    rows = []
    for county in counties:
        figures = dict.fromkeys(("accidents", "deaths", "injuries", "loss_mills", "road", "other"), 0)
        figures["unknown_split"] = False
        kinds = set()
        for month in months:
            hit = bulletin[
                (bulletin["county"] == county) & (bulletin["year"] == year) & (bulletin["month"] == month)
            ]
            mine = records[
                (records["county"] == county) & (records["year"] == year) & (records["month"] == month)
            ]
            if len(hit):
                kinds.add("bulletin")
                source = hit.iloc[0]
                figures["unknown_split"] |= bool(source["deaths"] > 0 and len(mine) == 0)
                counts = (
                    int(source["accidents"]),
                    int(source["deaths"]),
                    int(source["injuries"]),
                    int(source["loss_mills"]),
                )
            else:
                kinds.add("records")
                counts = (
                    len(mine),
                    int(mine["deaths"].sum()),
                    int(mine["injuries"].sum()),
                    int(mine["loss_mills"].sum()),
                )
            for key, value in zip(("accidents", "deaths", "injuries", "loss_mills"), counts, strict=True):
                figures[key] += value
            figures["road"] += int(mine["road"].sum())
            figures["other"] += int(mine["industry"].sum())
        figures["source"] = "mixed" if len(kinds) == 2 else kinds.pop()
        rows.append({"county": county, **figures})
    return pd.DataFrame(rows).set_index("county")


def pandas_rank(series: pd.Series) -> pd.Series:
    return series.rank(method="min", na_option="keep").astype("Int64")


def assert_ranking_matches(
    doc: dict, accidents, bulletin, profiles: dict, period: Period, counties: list[str]
):
    """Every figure, rank, change, change rank, source and rate of `doc`, recomputed with pandas."""
    months = range(period.first_month, period.last_month + 1)
    now = expected_table(accidents, bulletin, period.year, months, counties)
    before = expected_table(accidents, bulletin, period.year - 1, months, counties)
    rows = {row["county"]: row for row in doc["counties"]}
    assert list(rows) == list(now.index)
    shown = now.assign(direct_loss_wan=[half_up(Fraction(int(v), 1000), 2) for v in now["loss_mills"]])
    for name, column in zip(INDICATORS, ("accidents", "deaths", "injuries", "loss_mills"), strict=True):
        ranks = pandas_rank(shown[name].astype(float))
        changes = pd.Series(
            {
                c: expected_change(Fraction(int(now.at[c, column])), Fraction(int(before.at[c, column])))
                for c in now.index
            },
            dtype="Float64",
        )
        # Nulls (新增) rank after every number and tie among themselves.
        change_ranks = (
            changes.rank(method="min", na_option="keep").fillna(changes.notna().sum() + 1).astype(int)
        )
        for county, row in rows.items():
            assert row[name] == shown.at[county, name], (county, name)
            assert row["rank"][name] == ranks[county], (county, name)
            expected = changes[county]
            assert row["change_pct"][name] == (None if pd.isna(expected) else float(expected)), (county, name)
            assert row["change_rank"][name] == change_ranks[county], (county, name)
    for county, row in rows.items():
        assert doc["source"][county] == now.at[county, "source"]
        gdp, vehicles, workforce = profiles.get(county, (None, None, None))
        unknown = bool(now.at[county, "unknown_split"])
        deaths, road, other = (int(now.at[county, key]) for key in ("deaths", "road", "other"))
        expected_rates = {
            "deaths_per_yi_gdp": half_up(Fraction(deaths) / Fraction(gdp), 3) if gdp else None,
            "road_deaths_per_wan_vehicles": half_up(Fraction(road) / Fraction(vehicles), 3)
            if vehicles and not unknown
            else None,
            "industry_deaths_per_100k_workforce": half_up(Fraction(other * 10) / Fraction(workforce), 3)
            if workforce and not unknown
            else None,
        }
        assert row["rates"] == expected_rates, county


@pytest.mark.parametrize(
    "period", [Period(2026, 1, 8), Period(2026, 5, 5), Period(2026, 2, 11), Period(2026, 1, 1)]
)
def test_ranking_matches_pandas(generated_city, period):
    path, accidents, bulletin, profiles = generated_city
    counties = sorted(set(accidents["county"]) | set(bulletin["county"]) | {"空县"})
    assert_ranking_matches(rank_of(path, period), accidents, bulletin, profiles, period, counties)


def test_ranking_matches_pandas_on_the_sample(sample_db_path):
    with store.connect(sample_db_path) as con:
        accidents = query_frame(con, "SELECT * FROM accidents")
        bulletin = query_frame(con, "SELECT * FROM city_bulletin")
        regions = query_frame(con, "SELECT DISTINCT county FROM regions")
        profile_rows = con.execute(
            "SELECT county, gdp_yi, vehicles_wan, workforce_wan FROM county_profile WHERE year = 2026"
        ).fetchall()
        period = default_period(con, 2026)
        doc = ranking(con, period, TODAY)
    for frame in (accidents, bulletin):
        frame["loss_mills"] = [int(Decimal(str(v)) * 1000) for v in frame["direct_loss_wan"]]
    profiles = {county: tuple(values) for county, *values in profile_rows}
    counties = sorted(set(accidents["county"]) | set(bulletin["county"]) | set(regions["county"]))
    assert len(doc["counties"]) >= 2 and any(source != "records" for source in doc["source"].values())
    assert_ranking_matches(doc, accidents, bulletin, profiles, period, counties)


def test_no_rank_change_before_the_data_begins(empty_db):
    insert_accidents(empty_db, many("甲县", 1, month=1) + many("乙县", 2, month=1))
    doc = rank_of(empty_db, Period(2026, 1, 1))
    assert doc["previous_period"]["months"] == [12, 12] and doc["previous_period"]["year"] == 2025
    for row in doc["counties"]:
        assert set(row["previous_rank"].values()) == {None}
        assert set(row["rank_change"].values()) == {None}


@pytest.mark.parametrize(
    ("deaths_by_sector", "workforce_wan", "expected"),
    [
        # 十万从业人员死亡率 = 工矿商贸 deaths × 10 / workforce in 万人 (10⁴ people): per 10⁵ people.
        ({"工业": 3}, 4, 7.5),  # 3 deaths among 40,000 people = 7.5 per 100,000
        ({"建筑施工": 1, "商贸": 1}, 20, 1.0),  # 2 among 200,000 = 1 per 100,000
        ({"矿山": 1}, 3, 3.333),  # 1 among 30,000 = 3.333 per 100,000
        ({"道路交通": 5, "农业机械": 2, "消防火灾": 1}, 10, 0.0),  # not 工矿商贸: none count
        ({"危险化学品": 1, "烟花爆竹": 1, "道路交通": 9}, 0.5, 40.0),  # 2 among 5,000
    ],
)
def test_industry_death_rate_per_100k_workforce(empty_db, deaths_by_sector, workforce_wan, expected):
    records = [
        accident(f"甲县-{sector}-{i}", "2026-03-05", "甲县", deaths=1, sector=sector)
        for sector, n in deaths_by_sector.items()
        for i in range(n)
    ]
    insert_accidents(empty_db, records)
    sql(
        empty_db,
        "INSERT INTO county_profile VALUES (?, ?, ?, ?, ?, ?)",
        [[2026, "甲县", 100, 10, 10, workforce_wan]],
    )
    row = county_row(rank_of(empty_db), "甲县")
    assert row["rates"]["industry_deaths_per_100k_workforce"] == expected


def test_coverage_differs_names_counties_behind_and_states_no_rank_change(empty_db):
    # 乙县's ledger ends in July; 甲县's reaches August.
    insert_accidents(empty_db, many("甲县", 1, month=7) + many("乙县", 3, month=7) + many("甲县", 5, month=8))
    doc = rank_of(empty_db)
    jia, yi = county_row(doc, "甲县"), county_row(doc, "乙县")
    assert (jia["coverage"], yi["coverage"]) == ("2026-08", "2026-07")
    assert doc["behind"] == [{"county": "乙县", "coverage": "2026-07"}]
    assert doc["coverage_differs"] is True
    assert set(jia["rank_change"].values()) == {None} and set(yi["rank_change"].values()) == {None}
    # Ranked on what it has: 3 accidents against 6.
    assert (yi["accidents"], yi["rank"]["accidents"], jia["rank"]["accidents"]) == (3, 1, 2)


def test_bulletin_counts_as_accident_coverage(empty_db):
    insert_accidents(empty_db, many("甲县", 1, month=8))
    sql(empty_db, "INSERT INTO city_bulletin VALUES (2026, 8, '乙县', 2, 0, 1, 3)")
    doc = rank_of(empty_db)
    assert doc["behind"] == [] and doc["coverage_differs"] is False
    assert county_row(doc, "乙县")["coverage"] == "2026-08"


@pytest.mark.parametrize(
    ("ranks", "rank", "expected"),
    [
        ([1, 2, 2, 4], 2, True),  # 并列第2位
        ([1, 2, 2, 4], 1, False),
        ([1, 2, 2, 4], 4, False),
        ([1, 1, 1], 1, True),
        ([1], 1, False),  # a county alone is never tied
        ([1, 2, None, None], None, True),  # counties without a rank share "no rank"
    ],
)
def test_shared_rank(ranks, rank, expected):
    doc = {"counties": [{"county": f"县{i}", "rank": {"accidents": r}} for i, r in enumerate(ranks)]}
    assert shared_rank(doc, "accidents", rank) is expected


def test_shared_rank_matches_pandas(generated_city):
    doc = rank_of(generated_city[0])
    frame = pd.DataFrame([{"county": r["county"], **r["rank"]} for r in doc["counties"]])
    for name in INDICATORS:
        counts = frame[name].value_counts()
        for row in doc["counties"]:
            assert shared_rank(doc, name, row["rank"][name]) is bool(counts[row["rank"][name]] > 1), name
