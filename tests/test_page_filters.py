"""The shared filters under AppTest: links with bad values, and the period after an import.

A bad link says what was wrong on the page (a warning naming the parameter and its
value) and shows the defaults; a session on the default period follows the default
when an import moves it; a period the user or a link chose stays, with a note.
"""

from __future__ import annotations

import pytest

from analytics import store
from analytics.importing import import_file
from analytics.metrics.common import default_period, home_county
from tests.apptest_support import DEFAULT_PAGE, run_page
from tests.import_support import ACCIDENT_HEADER, csv_bytes
from tests.stores import copy_db


@pytest.fixture
def sample(sample_db_path, monkeypatch):
    monkeypatch.setenv("SAFETY_DB", str(sample_db_path))
    monkeypatch.delenv("SAFETY_HOME_COUNTY", raising=False)
    with store.connect(sample_db_path) as con:
        return home_county(con), default_period(con)


@pytest.fixture
def sample_copy(sample_db_path, tmp_path, monkeypatch):
    """A private copy of the sample (the test writes to it); yields (path, home county, default)."""
    path = copy_db(sample_db_path, tmp_path, "copy")
    monkeypatch.setenv("SAFETY_DB", str(path))
    monkeypatch.delenv("SAFETY_HOME_COUNTY", raising=False)
    with store.connect(path) as con:
        return path, home_county(con), default_period(con)


def warnings(app) -> list[str]:
    return [str(w.value) for w in app.warning]


def infos(app) -> str:
    return " ".join(str(i.value) for i in app.info)


def shown_period(app) -> tuple[int, tuple[int, int]]:
    """The period the page shows (AppTest keeps the sidebar only on the first run, so read the state)."""
    period = app.session_state["filters"].period
    if app.sidebar.children:
        assert app.selectbox(key="filter_year").value == period.year
        assert tuple(app.select_slider(key="filter_months").value) == (period.first_month, period.last_month)
    return period.year, (period.first_month, period.last_month)


BAD_LINKS = [
    ({"year": "abc"}, "year=abc"),
    ({"year": "²"}, "year=²"),
    ({"year": "1900"}, "year=1900"),
    ({"year": "9" * 5000}, "year=" + "9" * 20 + "…"),
    ({"months": "13-2"}, "months=13-2"),
    ({"months": "9-3"}, "months=9-3"),
    ({"months": "²-3"}, "months=²-3"),
    ({"months": "1" * 5000}, "months=" + "1" * 20 + "…"),
    ({"county": "不存在县"}, "county=不存在县"),
]


@pytest.mark.parametrize(("query", "named"), BAD_LINKS, ids=[q for _, q in BAD_LINKS])
def test_a_bad_link_says_so_and_shows_the_defaults(sample, query, named):
    county, period = sample
    app = run_page(DEFAULT_PAGE, query)
    [warning] = warnings(app)
    assert named in warning and "链接参数" in warning and "已改为显示" in warning
    assert app.selectbox(key="filter_county").value == county
    assert shown_period(app) == (period.year, (period.first_month, period.last_month))
    assert app.subheader or app.markdown  # the page itself still ran


def test_several_bad_values_are_each_named(sample):
    app = run_page(DEFAULT_PAGE, {"county": "不存在县", "year": "abc", "months": "13-2"})
    shown = warnings(app)
    assert len(shown) == 3
    for named in ("county=不存在县", "year=abc", "months=13-2"):
        assert any(named in w for w in shown)


def test_a_good_link_gives_no_warning(sample):
    county, period = sample
    app = run_page(DEFAULT_PAGE, {"county": county, "year": str(period.year), "months": "2-3"})
    assert not warnings(app)
    assert shown_period(app) == (period.year, (2, 3))


def _import_november(path, county: str, year: int) -> None:
    rows = [
        ACCIDENT_HEADER,
        [f"SG-TEST-{year}11-0001", f"{year}-11-05", county, "城关镇", "道路交通", 0, 1, "3.2"],
        [f"SG-TEST-{year}11-0002", f"{year}-11-18", county, "城关镇", "工业", 1, 0, "40"],
    ]
    result = import_file(csv_bytes(rows), dataset="accidents", db=path, file_name="十一月事故.csv")
    assert result["status"] == "imported", result["errors"]


def test_a_default_period_follows_an_import(sample_copy):
    path, county, before = sample_copy
    app = run_page(DEFAULT_PAGE)
    assert shown_period(app) == (before.year, (before.first_month, before.last_month))
    assert "months" not in app.query_params and "year" not in app.query_params
    _import_november(path, county, before.year)
    with store.connect(path) as con:
        after = default_period(con)
    assert after != before  # the import moved the default (else this test proves nothing)
    app.run()  # the next interaction
    assert not app.exception
    assert shown_period(app) == (after.year, (after.first_month, after.last_month))
    assert "已有更新的数据" not in infos(app)


# A widget change cannot be replayed here (AppTest reruns the page without the entrypoint, under
# another widget id); tests/browser/test_projector.py picks a year in the sidebar itself.
@pytest.mark.parametrize(("query", "months"), [({"months": "1-8"}, (1, 8)), ({"year": "2026"}, None)])
def test_a_chosen_period_stays_with_a_note(sample_copy, query, months):
    path, county, before = sample_copy
    months = months or (before.first_month, before.last_month)
    app = run_page(DEFAULT_PAGE, query)
    assert shown_period(app) == (before.year, months)
    assert "已有更新的数据" not in infos(app)
    _import_november(path, county, before.year)
    with store.connect(path) as con:
        after = default_period(con)
    app.run()
    assert not app.exception
    assert shown_period(app) == (before.year, months)
    assert f"已有更新的数据：默认期间为{after.year}年{after.label}" in infos(app)
    assert app.query_params["months"] in (f"{months[0]}-{months[1]}", [f"{months[0]}-{months[1]}"])
    app.button(key="filters-to-default").click().run()
    assert shown_period(app) == (after.year, (after.first_month, after.last_month))
    assert "已有更新的数据" not in infos(app)
