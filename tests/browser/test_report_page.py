"""The 报告生成 page in a real headless Chromium: the report text on screen and both .docx downloads.

Screenshot: test-artifacts/report-1440x2400.png.
"""

from __future__ import annotations

import io

import docx
import pytest

from analytics import store
from analytics.documents.report import report_content
from analytics.metrics.common import default_period, home_county
from tests.browser.support import expect_text, open_page, sign_in

pytestmark = pytest.mark.browser

TITLE = "关于《安全生产法》贯彻实施情况的报告"


@pytest.fixture(scope="module")
def expected(browser_sample_db):
    with store.connect(browser_sample_db) as con:
        county, period = home_county(con), default_period(con)
        return county, period, report_content(con, county, period)["blocks"]


def _download(page, label: str) -> docx.Document:
    with page.expect_download() as info:
        page.get_by_role("button", name=label).click()
    path = info.value.path()
    return docx.Document(io.BytesIO(open(path, "rb").read())), info.value.suggested_filename


def test_report_page_shows_the_report_and_downloads_it(page, sample_server, browser_sample_db, expected):
    sign_in(page, sample_server, browser_sample_db, "analyst")
    county, period, blocks = expected
    open_page(page, sample_server, "/report", TITLE, name="report-1440x2400")
    body = page.locator('[data-testid="stMain"]')
    expect_text(body, f"（{county}{period.year}年{period.label}）")
    for block in blocks:
        if block.kind == "paragraph":
            expect_text(body, block.text)

    document, name = _download(page, "下载报告（Word）")
    assert name == f"{county}{period.year}年{period.label}安全生产法贯彻实施情况报告.docx"
    text = "\n".join(p.text for p in document.paragraphs)
    opening = next(b.plain for b in blocks if b.kind == "paragraph" and "今年以来" in b.plain)
    assert opening in text
    assert len(document.tables) == sum(1 for b in blocks if b.kind == "table")

    brief, name = _download(page, "下载会议简报（Word，一页）")
    assert name.endswith("安全生产情况简报.docx")
    assert len(brief.inline_shapes) == 2
