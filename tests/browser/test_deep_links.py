"""Deep links as the very first request of a fresh server: each lands inside dashboard.py.

Streamlit would run the page file on its own there (its old `pages/` folder
mode, see ui/runtime.py): no navigation, no filters from the URL, no sample note.
"""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlparse

import pytest
from playwright.sync_api import expect

from analytics import store
from analytics.metrics.common import counties, home_county
from tests.browser.support import expect_text, open_page, run_server
from tests.stores import copy_db

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def other_county(browser_sample_db) -> str:
    """A county other than the home county, so the URL's filter is visibly the one applied."""
    with store.connect(browser_sample_db) as con:
        home = home_county(con)
        return next(county for county in counties(con) if county != home)


@pytest.mark.parametrize(("path", "expect_on_page"), [("trends", "逐月同比"), ("ranking", "数据来源")])
def test_a_deep_link_is_the_first_request_of_a_fresh_server(
    page, browser_sample_db, tmp_path, other_county, path, expect_on_page
):
    copy = copy_db(browser_sample_db, tmp_path, "fresh")
    with run_server(copy) as base_url:
        url = f"/{path}?county={quote(other_county)}" if path == "ranking" else f"/{path}"
        open_page(page, base_url, url, expect_on_page, name=f"deep-link-{path}")
        navigation = page.locator('[data-testid="stSidebarNav"]')
        for title in ("总览", "四项指标趋势", "全市排位", "隐患整改", "数据导入"):
            expect(navigation.get_by_text(title, exact=True)).to_have_count(1)
        sidebar = page.locator('[data-testid="stSidebar"]')
        expect_text(sidebar, "县市区", "年度", "月份范围")
        expect_text(page.locator('[data-testid="stMain"]'), "示例数据")
        # The shared filters ran: they write the county into the address (a default period is left out).
        page.wait_for_function("() => window.location.search.includes('county=')")
        query = {name: values[0] for name, values in parse_qs(urlparse(page.url).query).items()}
        if path == "ranking":
            assert query["county"] == other_county
            expect_text(page.locator('[data-testid="stMain"]'), f"{other_county} · ")
        assert urlparse(page.url).path.rstrip("/").endswith(path)
