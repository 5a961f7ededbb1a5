"""Browser-test harness: the real app in a subprocess, driven by Debian's headless Chromium.

Fixtures:
- `sample_server` / `empty_server` (session): `streamlit run dashboard.py` on a
  free port against a temporary database (with the bundled sample / empty),
  yielding the base URL.
- `chromium` (session): the browser; every browser test is skipped (not
  failed) when /usr/bin/chromium is missing.
- `page` (per test): a 1440×2400 tab that records every request leaving
  127.0.0.1; the test fails if there was one.
Helpers (run_server, open_page, wait_idle, expect_text, at_least, screenshot) are in
tests/browser/support.py.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from analytics import store
from tests.browser.support import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    LOCAL_HOSTS,
    PAGE_TIMEOUT_MS,
    TALL,
    run_server,
)
from tests.stores import Location, new_db


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: browser tests skipped")


@pytest.fixture(scope="session")
def browser_sample_db(tmp_path_factory) -> Location:
    """The database the sample server reads (tests compute expected figures from it, read-only)."""
    _require_chromium()
    from analytics.sample.lifecycle import load_sample

    path = new_db(tmp_path_factory.mktemp("browser-sample"), "sample", lasting=True)
    store.ensure_schema(path)
    load_sample(path)
    return path


@pytest.fixture(scope="session")
def sample_server(browser_sample_db):
    """The app on a temporary database loaded with the bundled sample; the base URL."""
    ARTIFACTS.mkdir(exist_ok=True)
    with run_server(browser_sample_db) as base_url:
        yield base_url


def cleared_database(path: Location) -> Location:
    """A database whose sample was loaded and then removed: no records, and never refilled on start."""
    from analytics.sample.lifecycle import load_sample, remove_sample

    store.ensure_schema(path)
    load_sample(path)
    remove_sample(path)
    return path


@pytest.fixture(scope="session")
def browser_empty_db(tmp_path_factory) -> Location:
    """The database the empty server reads (tests sign in against it)."""
    _require_chromium()
    return cleared_database(new_db(tmp_path_factory.mktemp("browser-empty"), "empty", lasting=True))


@pytest.fixture(scope="session")
def empty_server(browser_empty_db):
    """The app on a database with no records (the sample was removed, so it is not reloaded); the base URL."""
    ARTIFACTS.mkdir(exist_ok=True)
    with run_server(browser_empty_db) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, headless, through Playwright."""
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=PAGE_TIMEOUT_MS)  # a chart or a rerun can take a while on a busy machine

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh tab (1440×2400) that fails the test if any request leaves 127.0.0.1."""
    context = chromium.new_context(viewport=TALL, locale="zh-CN")
    tab = context.new_page()
    tab.set_default_timeout(PAGE_TIMEOUT_MS)
    outside: list[str] = []

    def record(request) -> None:
        url = urlparse(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname not in LOCAL_HOSTS:
            outside.append(request.url)

    tab.on("request", record)
    tab.outside_requests = outside
    yield tab
    context.close()
    assert not outside, f"requests left 127.0.0.1: {outside}"
