"""The leader pages in a real headless Chromium: figures on screen, URL state, meeting mode, empty state.

Screenshots land in test-artifacts/ (1440×2400 for whole pages, 1280×720 for the projector).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from analytics import store
from analytics.metrics.common import default_period, home_county
from analytics.metrics.indicators import INDICATOR_UNITS, INDICATORS, indicators
from analytics.metrics.ranking import ranking
from analytics.text import wording
from tests.browser.support import (
    ALL_PAGES,
    ARTIFACTS,
    PROJECTOR,
    at_least,
    expect_text,
    keyed,
    open_page,
    run_server,
    screenshot,
    sign_in,
    wait_idle,
)
from tests.stores import copy_db

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def expected(browser_sample_db):
    """The figures the pages must show, computed by the metric functions on the server's database."""
    with store.connect(browser_sample_db) as con:
        county, period = home_county(con), default_period(con)
        return {
            "county": county,
            "period": period,
            "indicators": indicators(con, period, county),
            "ranking": ranking(con, period),
        }


def query_of(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlparse(url).query).items()}


def test_overview_shows_the_figures(page, sample_server, expected):
    open_page(page, sample_server, "/", "情况摘要", name="overview-1440x2400")
    body = page.locator('[data-testid="stMain"]')
    doc = expected["indicators"]
    for name in INDICATORS:
        figure = doc["indicators"][name]
        unit = INDICATOR_UNITS[name]
        expect_text(body, wording.fmt_amount(figure["value"], unit))
        expect_text(
            body, wording.change_phrase(figure["value"], figure["previous"], figure["change_pct"], unit)
        )
    expect_text(body, wording.verdict(doc))
    period = expected["period"]
    expect_text(body, f"数据截至{wording.month_text(period.year, period.last_month)}")
    expect_text(body, "示例数据")
    paragraph = wording.overview_paragraph(doc, expected["ranking"], expected["county"], period)
    expect_text(body, paragraph[:40])
    query = query_of(page.url)
    assert query["county"] == expected["county"]
    # The default period is left out of the URL, so a reload (or a shared link) follows the default.
    assert "months" not in query and "year" not in query


def test_trends_page_draws_charts_and_tables(page, sample_server, expected):
    open_page(page, sample_server, "/trends", "分行业领域", name="trends-1440x2400")
    assert at_least(page.locator('[data-testid="stPlotlyChart"]'), 4) >= 4
    assert at_least(page.locator('[data-testid="stDataFrame"]'), 2) >= 2
    page.get_by_text("事故起数：逐月同比", exact=False).first.wait_for(state="visible")
    # Plotly comes bundled with Streamlit: no script from a CDN (the page fixture checks every request).
    assert not page.outside_requests
    with page.expect_download(timeout=60_000) as download_info:
        keyed(page, "png-monthly-accidents").get_by_role("button", name="下载图片（PNG）").click()
    download = download_info.value
    assert (
        download.suggested_filename == f"{expected['county']}_{expected['period'].year}年_事故起数_逐月.png"
    )
    download.save_as(ARTIFACTS / "trends-download.png")  # to look at: the Chinese must be intact
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) > 10_000


def test_ranking_page_lists_counties(page, sample_server, expected):
    open_page(page, sample_server, "/ranking", "数据来源", name="ranking-1440x2400")
    body = page.locator('[data-testid="stMain"]')
    expect_text(body, f"全市{len(expected['ranking']['counties'])}个县市区")
    expect_text(body, wording.rank_sentence(expected["ranking"], expected["county"]))
    assert at_least(page.locator('[data-testid="stDataFrame"]'), 1) >= 1


def test_filters_survive_a_page_switch(page, sample_server, expected):
    county = expected["county"]
    other = next(r["county"] for r in expected["ranking"]["counties"] if r["county"] != county)
    year = expected["period"].year
    open_page(
        page,
        sample_server,
        f"/?county={other}&year={year}&months=2-3",
        "情况摘要",
        name="overview-other-county",
    )
    expect_text(page.locator('[data-testid="stMain"]'), f"{other} · {year}年2-3月")
    page.locator('[data-testid="stSidebarNav"]').get_by_text("全市排位").click()
    page.wait_for_url("**/ranking**", wait_until="commit")
    wait_idle(page, "数据来源")
    page.wait_for_function("() => window.location.search.includes('months=2-3')")
    query = query_of(page.url)
    assert (query["county"], query["year"], query["months"]) == (other, str(year), "2-3")
    expect_text(page.locator('[data-testid="stMain"]'), f"{other} · {year}年2-3月")


@pytest.mark.parametrize("path", ["", "trends", "ranking"])
def test_pages_at_projector_size(page, sample_server, path):
    page.set_viewport_size(PROJECTOR)
    open_page(page, sample_server, f"/{path}", ALL_PAGES[path], name=f"{path or 'overview'}-1280x720")


def test_meeting_mode_hides_controls(page, sample_server, expected):
    page.set_viewport_size(PROJECTOR)
    open_page(page, sample_server, "/?meeting=1", "四项", name="overview-meeting-1280x720")
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(page.locator('[data-testid="stSidebarNav"]')).to_have_count(0)
    size = page.evaluate("() => getComputedStyle(document.documentElement).fontSize")
    assert float(size.rstrip("px")) > 16
    first_value = page.locator(".kpi-value").first
    box = first_value.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PROJECTOR["width"]
    # No sidebar on the projector: the foot of the page links the leader pages, meeting mode kept.
    page.locator('[data-testid="stPageLink"]').get_by_text("四项指标趋势").click()
    page.wait_for_url("**/trends**", wait_until="commit")
    wait_idle(page, "逐月同比")
    page.wait_for_function("() => window.location.search.includes('meeting=1')")
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(page, "trends-meeting-1280x720")
    expect(page.locator('[data-testid="stDownloadButton"]')).to_have_count(0)


def test_meeting_switch_in_the_sidebar_and_the_way_out(page, sample_server):
    open_page(page, sample_server, "/", "情况摘要", name="overview-before-meeting-switch")
    page.locator('[data-testid="stSidebar"]').get_by_text("会议模式").click()
    page.wait_for_function("() => window.location.search.includes('meeting=1')")
    wait_idle(page, "数据截至")
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    exit_button = page.get_by_role("button", name="退出会议模式")
    exit_button.scroll_into_view_if_needed()
    exit_button.click()
    page.wait_for_function("() => !window.location.search.includes('meeting')")
    wait_idle(page, "情况摘要（可复制）")
    expect(page.locator('[data-testid="stSidebar"]')).to_be_visible()


def test_meeting_mode_cycles_through_leader_pages(page, sample_server):
    page.set_viewport_size(PROJECTOR)
    open_page(page, sample_server, "/?meeting=1&cycle=5", "四项", name="overview-meeting-cycle")
    page.wait_for_url("**/trends**", wait_until="commit", timeout=40_000)
    wait_idle(page, "逐月同比")
    page.wait_for_function("() => window.location.search.includes('meeting=1')")
    query = query_of(page.url)
    assert query["meeting"] == "1" and query["cycle"] == "5" and "county" in query
    page.wait_for_url("**/ranking**", wait_until="commit", timeout=40_000)
    wait_idle(page, "全市排位")


@pytest.mark.parametrize("path", list(ALL_PAGES))
def test_every_page_without_data(page, empty_server, browser_empty_db, path):
    sign_in(page, empty_server, browser_empty_db, "admin")  # 报告生成 and 数据导入 ask for a login
    shown = ALL_PAGES[path] if path == "data_import" else "暂无数据"
    open_page(page, empty_server, f"/{path}", shown, name=f"empty-{path or 'overview'}")
    expect(page.locator('[data-testid="stMain"]')).not_to_contain_text("示例数据：", use_inner_text=True)


def test_a_deep_link_as_the_first_request_still_gets_the_dashboard(page, browser_sample_db, tmp_path):
    # A fresh server whose very first request is /ranking: Streamlit would run the page file alone.
    copy = copy_db(browser_sample_db, tmp_path, "first_request")
    with run_server(copy) as base_url:
        open_page(page, base_url, "/ranking?months=1-3", "数据来源", name="deep-link-first-request")
        nav = page.locator('[data-testid="stSidebarNav"]')
        expect(nav.get_by_text("总览")).to_have_count(1)
        expect(nav.get_by_text("数据导入")).to_have_count(1)
        expect_text(page.locator('[data-testid="stMain"]'), "示例数据")
        page.wait_for_function("() => window.location.search.includes('county=')")
        assert query_of(page.url)["months"] == "1-3"
