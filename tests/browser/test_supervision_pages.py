"""The supervision pages in a real headless Chromium: figures on screen, tables, downloads, empty state.

Screenshots land in test-artifacts/: 1440×2400 for whole pages, 1920×1080 and
1280×720 (the projector) for what a screen shows first.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import expect

from analytics import store
from analytics.metrics.common import NO_TOWNSHIP, default_period, home_county
from analytics.metrics.enforcement import enforcement
from analytics.metrics.hazards import hazards, overdue_hazards
from analytics.metrics.townships import townships
from analytics.metrics.training import training
from analytics.text import wording
from tests.browser.support import (
    PROJECTOR,
    at_least,
    expect_text,
    keyed,
    open_page,
    run_server,
    screenshot,
    wait_idle,
)

pytestmark = pytest.mark.browser

PAGES = {
    "hazards": ("隐患整改", "逾期未整改及未整改重大隐患清单"),
    "enforcement": ("执法检查", "分处理措施"),
    "training": ("培训覆盖", "落后于时间进度最多"),
    "townships": ("乡镇对比", "单个乡镇情况"),
}
FULL_HD = {"width": 1920, "height": 1080}


@pytest.fixture(scope="module")
def expected(browser_sample_db):
    """The figures the pages must show, computed by the metric functions on the server's database."""
    with store.connect(browser_sample_db) as con:
        county, period = home_county(con), default_period(con)
        return {
            "county": county,
            "period": period,
            "hazards": hazards(con, period, county, by="township"),
            "overdue": overdue_hazards(con, period, county),
            "enforcement": enforcement(con, period, county, by="department"),
            "training": training(con, period, county, by="township"),
            "townships": townships(con, period, county),
        }


def main(page):
    return page.locator('[data-testid="stMain"]')


def assert_in_navigation(page) -> None:
    """The page runs inside dashboard.py: its sidebar shows the navigation groups."""
    expect_text(page.locator('[data-testid="stSidebar"]'), "监管分析")


def test_hazards_page(page, sample_server, expected):
    open_page(page, sample_server, "/hazards", PAGES["hazards"][1], name="hazards-1440x2400")
    assert_in_navigation(page)
    body = main(page)
    total = expected["hazards"]["total"]
    expect_text(body, f"{total['found']:,}条")
    for field in ("rectification_rate", "major_rectification_rate", "review_rate"):
        expect_text(body, wording.fmt_pct(total[field]))
    expect_text(body, f"到期 {total['orders_due']:,}份，已复查 {total['reviewed']:,}份")
    expect_text(body, f"{total['avg_days_to_rectify']:.1f}天")
    assert at_least(page.locator('[data-testid="stDataFrame"]'), 4) >= 4
    assert at_least(page.locator('[data-testid="stPlotlyChart"]'), 3) >= 3
    expect(page.get_by_text("下载Excel（.xlsx）").first).to_be_visible()


def test_hazards_overdue_list_downloads_as_excel(page, sample_server, expected):
    open_page(page, sample_server, "/hazards", PAGES["hazards"][1])
    with page.expect_download() as download_info:
        keyed(page, "overdue-xlsx").get_by_role("button", name="下载Excel（.xlsx）").click()
    download = download_info.value
    assert download.suggested_filename.endswith("逾期及重大隐患清单.xlsx")
    listing = pd.read_excel(io.BytesIO(Path(download.path()).read_bytes()), header=1, engine="calamine")
    assert listing.columns[0] == "隐患编号" and "逾期天数" in listing.columns
    assert len(listing) == len(expected["overdue"])
    assert listing["隐患编号"].tolist() == expected["overdue"]["hazard_id"].tolist()


def test_enforcement_page(page, sample_server, expected):
    open_page(page, sample_server, "/enforcement", PAGES["enforcement"][1], name="enforcement-1440x2400")
    assert_in_navigation(page)
    body = main(page)
    total = expected["enforcement"]["total"]
    expect_text(body, f"{total['cases']:,}件")
    expect_text(body, f"{wording.fmt_money(total['fine_wan'])}万元")
    change = wording.change_phrase(
        total["cases"], total["previous"]["cases"], total["change_pct"]["cases"], "件"
    )
    expect_text(body, f"同比{change}")
    assert at_least(page.locator('[data-testid="stPlotlyChart"]'), 2) >= 2


def test_training_page(page, sample_server, expected):
    open_page(page, sample_server, "/training", PAGES["training"][1], name="training-1440x2400")
    assert_in_navigation(page)
    body = main(page)
    doc = expected["training"]
    total = doc["total"]
    expect_text(body, f"{total['trained']:,}人")
    expect_text(body, f"{total['required']:,}人")
    expect_text(body, wording.fmt_pct(total["coverage_pct"]))
    expect_text(body, f"时间进度 {wording.fmt_pct(doc['time_progress'])}")
    assert at_least(page.locator('[data-testid="stPlotlyChart"]'), 2) >= 2


def test_townships_page(page, sample_server, expected):
    open_page(page, sample_server, "/townships", PAGES["townships"][1], name="townships-1440x2400")
    assert_in_navigation(page)
    body = main(page)
    doc = expected["townships"]
    first = doc["rows"][0]
    expect_text(body, f"全县合计 {doc['total']['found']:,}")
    expect_text(body, wording.fmt_pct(first["rectification_rate"]))
    assert at_least(page.locator('[data-testid="stDataFrame"]'), 2) >= 2
    assert any(row["township"] is None for row in doc["rows"])
    # Picking 县直/未填乡镇 in the profile's selectbox shows that row's own figures.
    no_township = next(row for row in doc["rows"] if row["township"] is None)
    page.locator('[data-testid="stSelectbox"]').filter(has_text="选择乡镇（街道）").click()
    page.get_by_role("option", name=NO_TOWNSHIP).click()
    wait_idle(page)
    profile = page.locator(".kpi-card").filter(has_text="排查隐患（条）")
    profile.first.wait_for(state="visible")
    page.wait_for_function(
        "text => [...document.querySelectorAll('.kpi-card')].some(c => c.innerText.includes(text))",
        arg=f"占全县 {no_township['found'] / doc['total']['found'] * 100:.1f}%",
    )
    screenshot(page, "townships-profile-no-township")


@pytest.mark.parametrize("path", list(PAGES))
@pytest.mark.parametrize(("size", "label"), [(FULL_HD, "1920x1080"), (PROJECTOR, "1280x720")])
def test_pages_at_screen_sizes(page, sample_server, path, size, label):
    page.set_viewport_size(size)
    open_page(page, sample_server, f"/{path}", PAGES[path][0], name=f"{path}-{label}")
    cards = page.locator(".kpi-card")
    if path != "townships":  # the township page leads with its table
        box = cards.first.bounding_box()
        assert box is not None and box["x"] + box["width"] <= size["width"]


@pytest.mark.parametrize("path", list(PAGES))
def test_pages_without_data(page, empty_server, path):
    open_page(page, empty_server, f"/{path}", PAGES[path][0])
    wait_idle(page, "暂无数据")
    expect_text(main(page), "数据导入")
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(0)
    screenshot(page, f"empty-{path}")


def test_a_deep_link_on_a_fresh_server(chromium, browser_sample_db):
    """A bookmark opened first after a restart still runs inside dashboard.py (navigation, filters, sample note)."""
    with run_server(browser_sample_db) as base_url:
        context = chromium.new_context(viewport=FULL_HD)
        tab = context.new_page()
        try:
            open_page(tab, base_url, "/hazards", PAGES["hazards"][1])
            assert_in_navigation(tab)
            expect_text(main(tab), "示例数据")
        finally:
            context.close()
