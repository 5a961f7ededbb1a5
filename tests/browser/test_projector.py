"""At 1280×720, normal and meeting mode, after a November accidents ledger arrives for the home county.

The server reads a private copy of the sample; the test imports the November file itself, so
the open page must follow (a default period moves, a chosen one stays with a note). Each page
is saved as test-artifacts/projector-<page>-<mode>.png.
"""

from __future__ import annotations

import pytest

from analytics import store
from analytics.importing import import_file
from analytics.metrics.common import default_period, home_county
from tests.browser.support import (
    ALL_PAGES,
    ARTIFACTS,
    PROJECTOR,
    open_page,
    run_server,
    screenshot,
    sign_in,
    wait_idle,
)
from tests.import_support import ACCIDENT_HEADER, csv_bytes
from tests.stores import copy_db

pytestmark = pytest.mark.browser

MIN_CHART_TEXT_PX = 18


@pytest.fixture(scope="module")
def november(browser_sample_db, tmp_path_factory):
    """(base URL, db path, period before the import) of a server on a copy of the sample."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = copy_db(browser_sample_db, tmp_path_factory.mktemp("projector"), "projector", lasting=True)
    with store.connect(path) as con:
        before = default_period(con)
    with run_server(path) as base_url:
        yield base_url, path, before


def _import_november(path) -> None:
    with store.connect(path) as con:
        county, year = home_county(con), default_period(con).year
    rows = [
        ACCIDENT_HEADER,
        [f"SG-NOV-{year}-1", f"{year}-11-06", county, "城关镇", "道路交通", 0, 2, "4.5"],
        [f"SG-NOV-{year}-2", f"{year}-11-20", county, "城关镇", "工业", 1, 0, "30"],
        [f"SG-NOV-{year}-3", f"{year}-11-27", county, "城关镇", "道路交通", 0, 1, "1.2"],
    ]
    result = import_file(csv_bytes(rows), dataset="accidents", db=path, file_name="十一月事故.csv")
    assert result["status"] in ("imported", "unchanged"), result["errors"]


def _main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def _switch_page(page, title: str, expect: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    wait_idle(page, expect)


def test_an_open_page_follows_the_import(page, november):
    base_url, path, before = november
    page.set_viewport_size(PROJECTOR)
    open_page(page, base_url, "/", "情况摘要", name="projector-follow-before")
    assert f"{before.year}年{before.label}" in _main_text(page)
    # A second tab (another session) with a period chosen by link.
    chosen = page.context.new_page()
    open_page(chosen, base_url, "/?months=1-8", "情况摘要", name="projector-chosen-before")
    # A third session picks another year with the sidebar's widget.
    picked = page.context.new_page()
    open_page(picked, base_url, "/", "情况摘要", name="projector-picked-before")
    picked.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="年度").click()
    picked.get_by_role("option", name=f"{before.year - 1}年").click()
    picked.wait_for_function(f"() => window.location.search.includes('year={before.year - 1}')")
    wait_idle(picked, f"{before.year - 1}年{before.label}")
    _import_november(path)
    with store.connect(path) as con:
        after = default_period(con)
    assert after != before
    _switch_page(page, "四项指标趋势", "逐月同比")
    page.get_by_text(f"{after.year}年{after.label}").first.wait_for(state="visible")
    assert "已有更新的数据" not in _main_text(page)
    _switch_page(chosen, "四项指标趋势", "已有更新的数据")
    assert f"默认期间为{after.year}年{after.label}" in _main_text(chosen)
    assert f"{before.year}年1-8月" in _main_text(chosen)
    chosen.evaluate("() => window.scrollTo(0, 0)")
    screenshot(chosen, "projector-chosen-after-import")
    chosen.close()
    _switch_page(picked, "全市排位", "已有更新的数据")
    assert f"{before.year - 1}年{before.label}" in _main_text(picked)
    picked.close()


@pytest.mark.presentation
def test_the_meeting_switch_is_visible_without_scrolling(page, november):
    base_url, _, _ = november
    page.set_viewport_size(PROJECTOR)
    open_page(page, base_url, "/", "情况摘要", name="projector-overview-normal")
    switch = page.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"]').filter(has_text="会议模式")
    box = switch.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PROJECTOR["height"]


@pytest.mark.presentation
def test_rank_cards_keep_each_value_on_one_line_in_meeting_mode(page, november):
    base_url, _, _ = november
    page.set_viewport_size(PROJECTOR)
    open_page(page, base_url, "/?meeting=1", "排位", name="projector-overview-meeting")
    values = page.locator(".kpi-value")
    values.nth(7).wait_for(state="attached")
    for index in range(values.count()):
        fits = values.nth(index).evaluate(
            """el => {
                const style = getComputedStyle(el);
                const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.3;
                const card = el.closest('.kpi-card');
                return {lines: Math.round(el.getBoundingClientRect().height / line),
                        fits: el.scrollWidth <= card.clientWidth, text: el.innerText};
            }"""
        )
        assert fits["lines"] == 1 and fits["fits"], fits


@pytest.mark.presentation
@pytest.mark.parametrize("path", ["trends", "ranking", "townships", "training"])
def test_chart_text_is_18px_or_more_in_meeting_mode(page, november, path):
    base_url, _, _ = november
    page.set_viewport_size(PROJECTOR)
    open_page(page, base_url, f"/{path}?meeting=1", ALL_PAGES[path], name=f"projector-{path}-meeting")
    # The font size set, and the size drawn (Plotly scales a label down with a transform to fit a bar).
    # Plotly attaches its svg before it lays the text out: wait until some text is drawn.
    drawn = """() => [...document.querySelectorAll('.js-plotly-plot svg text')]
                .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)  // drawn, not in a hidden tab
                .map(t => { const r = t.getBoundingClientRect();
                            return [t.textContent.slice(0, 20), parseFloat(getComputedStyle(t).fontSize),
                                    Math.max(r.width, r.height)]; })"""
    page.wait_for_function(f"() => ({drawn})().length > 0")
    sizes = page.evaluate(drawn)
    assert sizes
    small = [item for item in sizes if item[1] < MIN_CHART_TEXT_PX or item[2] < 0.9 * MIN_CHART_TEXT_PX]
    assert not small, small[:5]


@pytest.mark.presentation
@pytest.mark.parametrize("path", ["ranking", "townships", "hazards", "training"])
def test_wide_tables_fit_the_projector(page, november, path):
    base_url, _, _ = november
    page.set_viewport_size(PROJECTOR)
    open_page(page, base_url, f"/{path}?meeting=1", ALL_PAGES[path], name=f"projector-{path}-table")
    frames = page.locator('[data-testid="stDataFrame"], [data-testid="stTable"]')
    frames.first.wait_for(state="visible")  # tables draw after the script has finished
    shown = [frames.nth(i) for i in range(frames.count()) if frames.nth(i).is_visible()]
    assert shown, "no table on the page"
    for frame in shown:
        frame.scroll_into_view_if_needed()
        box = frame.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PROJECTOR["width"] + 1
        # Wider content than the box must scroll inside it, not be cut.
        overflow = frame.evaluate(
            "el => [el.scrollWidth > el.clientWidth + 1, getComputedStyle(el).overflowX]"
        )
        assert not overflow[0] or overflow[1] in ("auto", "scroll"), overflow
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PROJECTOR["width"]


@pytest.mark.presentation
def test_no_undo_in_meeting_mode(page, november):
    base_url, path, _ = november
    sign_in(page, base_url, path, "admin")
    page.set_viewport_size(PROJECTOR)
    open_page(page, base_url, "/data_import?meeting=1", "导入记录", name="projector-data_import-meeting")
    assert page.get_by_role("button", name="撤销").count() == 0
    assert page.get_by_role("button", name="清除示例数据").count() == 0


@pytest.mark.presentation
@pytest.mark.parametrize("mode", ["normal", "meeting"])
@pytest.mark.parametrize("path", list(ALL_PAGES))
def test_every_page_at_1280x720(page, november, path, mode):
    base_url, db_path, _ = november
    if path in (
        "report",
        "data_import",
    ):  # these ask for a login; the projector shows them to a signed-in analyst
        sign_in(page, base_url, db_path, "analyst")
    page.set_viewport_size(PROJECTOR)
    query = "?meeting=1" if mode == "meeting" else ""
    open_page(
        page, base_url, f"/{path}{query}", ALL_PAGES[path], name=f"projector-{path or 'overview'}-{mode}"
    )


@pytest.mark.presentation
@pytest.mark.parametrize("mode", ["normal", "meeting"])
@pytest.mark.parametrize("path", ["", "training", "hazards", "townships"])
def test_cards_never_overflow_nor_split_a_number(page, november, path, mode):
    base_url, _, _ = november
    page.set_viewport_size(PROJECTOR)
    query = "?meeting=1" if mode == "meeting" else ""
    open_page(
        page,
        base_url,
        f"/{path}{query}",
        ALL_PAGES[path],
        name=f"projector-cards-{path or 'overview'}-{mode}",
    )
    cards = page.locator(".kpi-card")
    assert cards.count() >= 4
    report = page.evaluate(
        """() => ({
            overflowing: [...document.querySelectorAll('.kpi-card')]
                .filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.innerText),
            split: [...document.querySelectorAll('.kpi-nobreak, .kpi-value')]
                .filter(s => s.getClientRects().length > 1 ||
                             s.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(s).fontSize) * 1.3)
                .map(s => s.innerText),
        })"""
    )
    assert report == {"overflowing": [], "split": []}, report
