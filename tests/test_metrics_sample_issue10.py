"""The figures of issue 10 on the bundled sample, each against the independent pandas recomputation.

The sample's own records are read back as plain rows and handed to tests/recompute.py,
so a figure a page, the CLI or the report shows from the sample is the one metrics.md
gives for those records.
"""

from __future__ import annotations

import pytest

from analytics import store
from analytics.metrics.common import default_period, home_county, region_townships
from analytics.metrics.control import control
from analytics.metrics.enforcement import enforcement
from analytics.metrics.hazards import hazards, listed_hazards
from analytics.metrics.periods import Period
from analytics.metrics.projects import projects
from analytics.metrics.reports import reports
from analytics.metrics.sources import sources
from analytics.metrics.standardization import expiring_certificates, standardization
from tests.recompute import (
    expected_case_rows,
    expected_control,
    expected_hazard_rows,
    expected_listed,
    expected_projects,
    expected_reports,
    expected_sources,
    expected_standardization,
)


@pytest.fixture(scope="module")
def sample(sample_db_path):
    """(connection, home county, its townships, {table: rows}) of the bundled sample."""
    tables = (
        "accidents",
        "hazards",
        "inspections",
        "enforcement",
        "standardization",
        "standardization_targets",
        "major_hazard_sources",
        "projects",
        "monthly_reports",
        "control_targets",
    )
    with store.connect(sample_db_path) as con:
        rows = {name: con.sql(f"SELECT * FROM {name}").to_arrow_table().to_pylist() for name in tables}
        county = home_county(con)
        yield con, county, region_townships(con, county), rows


def periods(con) -> list[Period]:
    """The default period, its 同期's whole year, and one month of it."""
    default = default_period(con)
    return [
        default,
        Period(default.year - 1, 1, 12),
        Period(default.year, default.last_month, default.last_month),
    ]


def as_rows(document: dict, key: str) -> dict:
    actual = {r[key]: {k: v for k, v in r.items() if k != key} for r in document["rows"]}
    actual["合计"] = {k: v for k, v in document["total"].items() if k != key}
    return actual


def test_the_sample_fills_every_new_dataset(sample):
    _, county, _, rows = sample
    for name, records in rows.items():
        assert any(r["county"] == county for r in records), name


@pytest.mark.parametrize("by", ["grade", "township"])
def test_standardization_on_the_sample(sample, by):
    con, county, towns, rows = sample
    for period in periods(con):
        document = standardization(con, period, county, by=by)
        expected = expected_standardization(
            rows["standardization"],
            rows["standardization_targets"],
            period,
            period.as_of(),
            by,
            towns,
            county,
        )
        assert as_rows(document, by) == expected, period
        assert len(expiring_certificates(con, period, county)) == expected["合计"]["expiring"]


def test_the_seed_targets_are_the_samples(sample):
    con, county, _, _ = sample
    document = standardization(con, default_period(con), county)
    targets = {r["grade"]: r["target"] for r in document["rows"]}
    assert (targets["二级"], targets["三级"]) == (20, 60)


@pytest.mark.parametrize("by", ["level", "township"])
def test_sources_on_the_sample(sample, by):
    con, county, towns, rows = sample
    for period in periods(con):
        document = sources(con, period, county, by=by)
        expected = expected_sources(rows["major_hazard_sources"], period, period.as_of(), by, towns, county)
        assert as_rows(document, by) == expected, period


def test_projects_on_the_sample(sample):
    con, county, towns, rows = sample
    for period in periods(con):
        document = projects(con, period, county)
        assert as_rows(document, "township") == expected_projects(
            rows["projects"], period, period.as_of(), towns, county
        ), period


@pytest.mark.parametrize("by", ["item", "department"])
def test_reports_on_the_sample(sample, by):
    con, county, _, rows = sample
    for period in periods(con):
        document = reports(con, period, county, by=by)
        key = (lambda r: r["item"]) if by == "item" else (lambda r: (r["department"], r["item"]))
        actual = {key(r): {k: r[k] for k in ("value", "previous", "change_pct")} for r in document["rows"]}
        assert actual == expected_reports(rows["monthly_reports"], period, by, county), period


def test_control_on_the_sample(sample):
    con, county, _, rows = sample
    for period in periods(con):
        document = control(con, period, county)
        expected = expected_control(rows["accidents"], rows["control_targets"], period, county)
        assert document["time_progress"] == expected["time_progress"]
        assert document["county"] == expected["county"]
        assert {r["township"]: r for r in document["townships"]} == expected["townships"]


@pytest.mark.parametrize("by", ["township", "department"])
def test_hazards_with_listed_and_sectors_on_the_sample(sample, by):
    con, county, towns, rows = sample
    for period in periods(con):
        document = hazards(con, period, county, by=by)
        expected = expected_hazard_rows(
            rows["hazards"],
            rows["inspections"],
            period,
            period.as_of(),
            by,
            towns if by == "township" else [],
            county,
        )
        assert as_rows(document, by) == expected, period
        levels, listing = expected_listed(rows["hazards"], period, period.as_of(), county)
        assert document["by_listed_level"] == levels
        listed = listed_hazards(con, period, county)
        assert sorted(listed["hazard_id"]) == sorted(listing["hazard_id"])
        assert (listed["status"] == "已销号").sum() == listing["closed"].sum()


def test_enforcement_with_penalties_on_the_sample(sample):
    con, county, _, rows = sample
    for period in periods(con):
        document = enforcement(con, period, county, by="department")
        expected = expected_case_rows(rows["enforcement"], period, "department", county=county)
        assert as_rows(document, "department") == expected, period
