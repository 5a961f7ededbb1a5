"""Every page in headless Chromium speaks Chinese: no English word on screen or in a tooltip or label.

What Streamlit and Plotly write themselves (uploader, dialogs, tool bars, menus) is translated by
ui/chinese.py; the only Latin words allowed are format names and units (ALLOWED), file names, and the
commands shown in code (docs/chinese-ui.md lists what stays English and why).
"""

from __future__ import annotations

import re

import pytest

from tests.browser.support import ALL_PAGES, open_page, screenshot, sign_in, wait_idle

pytestmark = pytest.mark.browser

# Format names, units and abbreviations that are the same in Chinese text.
ALLOWED = {
    "CSV",
    "TXT",
    "XLSX",
    "XLS",
    "XLSM",
    "XLSB",
    "ODS",
    "TSV",
    "xls",
    "ods",
    "csv",
    "xlsx",
    "docx",
    "MB",
    "KB",
    "PNG",
    "Excel",
    "Word",
    "GDP",
}
FILE_NAME = re.compile(r"[\w.-]+\.(?:csv|txt|xlsx|xls|docx|png|json|pdf)\b", re.IGNORECASE)
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")

# Visible text and the labels a user meets as tooltips or screen-reader text, with where each sits.
# Icon ligatures (material icon names drawn as glyphs) and <code> (commands to type) are left out.
COLLECT = """() => {
  const out = [];
  const shown = (el) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.display !== 'none' && style.visibility !== 'hidden' && box.width > 0 && box.height > 0;
  };
  const skipped = (el) => el.closest(
    '[data-testid="stIconMaterial"], [data-testid="stAlertDynamicIcon"], code, .material-icons, '
    + '[data-testid="stIconEmoji"], [data-testid="stFileChipName"]'
  );
  const where = (el) => (el.closest('[data-testid]') || {dataset: {}}).dataset.testid || el.tagName;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const text = node.nodeValue.trim();
    if (text && el && !skipped(el) && el.tagName !== 'SCRIPT' && el.tagName !== 'STYLE' && shown(el)) {
      out.push([text, where(el)]);
    }
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [data-title]')) {
    if (skipped(el) || !shown(el)) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'data-title']) {
      const value = el.getAttribute(name);
      if (value && !(name === 'title' && el.closest('[data-testid="stFileChip"]'))) {
        out.push([value, where(el) + '@' + name]);
      }
    }
  }
  return out;
}"""


def english_words(page) -> list[str]:
    """Each Latin word on the page outside ALLOWED, with the text it is in and where."""
    found = []
    for text, where in page.evaluate(COLLECT):
        for word in WORD.findall(FILE_NAME.sub(" ", text)):
            if word not in ALLOWED:
                found.append(f"{word!r} in {text[:80]!r} ({where})")
    return sorted(set(found))


def assert_chinese(page, name: str) -> None:
    page.wait_for_selector('body[data-chinese-ui="on"]', state="attached")
    words = english_words(page)
    if words:
        screenshot(page, f"english-{name}")
    assert not words, f"{name}: English on screen:\n" + "\n".join(words)


@pytest.mark.parametrize("path", list(ALL_PAGES), ids=[p or "overview" for p in ALL_PAGES])
def test_every_page_is_chinese(page, sample_server, path):
    open_page(page, sample_server, path, ALL_PAGES[path], name=f"chinese-{path or 'overview'}")
    assert_chinese(page, path or "overview")
    assert page.locator('[data-testid="stMainMenuButton"]').count() == 0  # the ⋮ menu is hidden


def test_meeting_mode_is_chinese(page, sample_server):
    open_page(page, sample_server, "/?meeting=1", "总览", name="chinese-meeting")
    assert_chinese(page, "meeting")


@pytest.mark.presentation
def test_unknown_page_dialog_is_chinese(page, sample_server):
    page.goto(f"{sample_server}/no-such-page", wait_until="commit")
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("heading", name="页面不存在").wait_for(state="visible")
    wait_idle(page)
    assert "已转到首页" in dialog.inner_text()
    assert_chinese(page, "page-not-found")


@pytest.mark.presentation
def test_table_tool_bar_and_menus_are_chinese(page, sample_server):
    open_page(page, sample_server, "/trends", "四项指标趋势", name="chinese-trends-tools")
    table = page.locator('[data-testid="stDataFrame"]').first
    table.hover()
    toolbar = page.locator('[data-testid="stElementToolbar"]').first
    for label in ("显示/隐藏列", "下载 CSV", "搜索", "全屏"):
        toolbar.get_by_role("button", name=label).wait_for(state="attached")
    # The grid lies over the fading-in tool bar for the mouse; a DOM click presses the button itself.
    toolbar.get_by_role("button", name="显示/隐藏列").evaluate("button => button.click()")
    page.get_by_text("（行号）").first.wait_for(state="visible")
    assert_chinese(page, "show-hide-columns")
    page.keyboard.press("Escape")
    table.hover()
    toolbar.get_by_role("button", name="搜索").evaluate("button => button.click()")
    page.get_by_role("button", name="关闭搜索").wait_for(state="attached")
    assert_chinese(page, "table-search")


@pytest.mark.presentation
def test_chart_tool_bar_is_chinese(page, sample_server):
    open_page(page, sample_server, "/trends", "四项指标趋势", name="chinese-trends-chart")
    chart = page.locator('[data-testid="stPlotlyChart"]:visible').first
    chart.hover()
    buttons = chart.locator(".modebar-btn")
    buttons.first.wait_for(state="visible")
    titles = [b.get_attribute("data-title") for b in buttons.all()]
    assert "缩放" in titles and "重置坐标轴" in titles and "全屏" in titles, titles
    assert "下载图片（PNG）" not in titles  # the page's own PNG button replaces Plotly's
    assert_chinese(page, "chart-tool-bar")


def test_select_box_and_uploader_are_chinese(page, sample_server, browser_sample_db):
    sign_in(page, sample_server, browser_sample_db, "analyst")
    open_page(page, sample_server, "/data_import", "上传文件", name="chinese-data-import")
    uploader = page.locator('[data-testid="stFileUploader"]')
    assert "选择文件" in uploader.inner_text() and "每个文件不超过 200MB" in uploader.inner_text()
    # A file of a type the uploader does not take is refused in the browser: nothing reaches the server.
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "说明.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
    )
    uploader.get_by_text("不支持该文件类型").wait_for(state="visible")
    assert_chinese(page, "uploader-refused")
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option").first.wait_for(state="visible")
    page.keyboard.type("没有这个县")
    page.get_by_text("无匹配项").wait_for(state="visible")
    assert_chinese(page, "select-box")


@pytest.mark.parametrize(("path", "expect"), [("", "暂无数据"), ("data_import", "载入示例数据")])
def test_empty_database_pages_are_chinese(page, empty_server, browser_empty_db, path, expect):
    sign_in(page, empty_server, browser_empty_db, "admin")
    open_page(page, empty_server, path, expect, name=f"chinese-empty-{path or 'overview'}")
    assert_chinese(page, f"empty-{path or 'overview'}")
