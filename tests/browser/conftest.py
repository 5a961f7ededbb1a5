"""Browser-test harness: the real app in a subprocess, driven by Debian's headless Chromium.

Fixtures:
- `sample_server` / `empty_server` (session): `streamlit run dashboard.py` on a
  free port against a temporary database (with the bundled sample / empty),
  yielding the base URL.
- `chromium` (session): the browser; every browser test is skipped (not
  failed) when /usr/bin/chromium is missing.
- `page` (per test): a 1440×2400 tab that records every request leaving
  127.0.0.1; the test fails if there was one.
Helpers: `open_page(page, base_url, url_path, expect_text)` and `screenshot(page, name)`.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

from analytics import store

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TALL = {"width": 1440, "height": 2400}
PROJECTOR = {"width": 1280, "height": 720}
SERVER_START_SECONDS = 90
PAGE_TIMEOUT_MS = 90_000
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def run_server(db_path: Path, extra_env: dict[str, str] | None = None):
    """`streamlit run dashboard.py` on a free port with SAFETY_DB=db_path; yields the base URL."""
    port = _free_port()
    env = {**os.environ, "SAFETY_DB": str(db_path), **(extra_env or {})}
    log = (ARTIFACTS / f"server-{db_path.stem}.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {process.returncode}; see {log.name}")
            try:
                with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not become healthy in {SERVER_START_SECONDS}s")
            time.sleep(0.3)
        yield base_url
    finally:
        # The server's own process group only: streamlit and anything it started (kaleido's browser).
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        log.close()


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: browser tests skipped")


@pytest.fixture(scope="session")
def browser_sample_db(tmp_path_factory) -> Path:
    """The database the sample server reads (tests compute expected figures from it, read-only)."""
    _require_chromium()
    from analytics.sample.lifecycle import load_sample

    path = tmp_path_factory.mktemp("browser-sample") / "sample.duckdb"
    store.ensure_schema(path)
    load_sample(path)
    return path


@pytest.fixture(scope="session")
def sample_server(browser_sample_db):
    """The app on a temporary database loaded with the bundled sample; the base URL."""
    ARTIFACTS.mkdir(exist_ok=True)
    with run_server(browser_sample_db) as base_url:
        yield base_url


def cleared_database(path: Path) -> Path:
    """A database whose sample was loaded and then removed: no records, and never refilled on start."""
    from analytics.sample.lifecycle import load_sample, remove_sample

    store.ensure_schema(path)
    load_sample(path)
    remove_sample(path)
    return path


@pytest.fixture(scope="session")
def empty_server(tmp_path_factory):
    """The app on a database with no records (the sample was removed, so it is not reloaded); the base URL."""
    _require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    path = cleared_database(tmp_path_factory.mktemp("browser-empty") / "empty.duckdb")
    with run_server(path) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, headless, through Playwright."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

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


def wait_idle(page, expect_text: str | None = None) -> None:
    """Wait until the script has finished and, if given, the text is on screen; fail on an exception."""
    if expect_text:
        page.get_by_text(expect_text, exact=False).first.wait_for(state="visible")
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', state="attached")
    # The attribute can still hold the previous run's state for a moment after a rerun starts.
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', state="attached")
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()


def screenshot(page, name: str) -> Path:
    """Save the visible viewport under test-artifacts/ (a tall viewport stands in for full_page)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def open_page(page, base_url: str, url_path: str, expect_text: str, name: str | None = None):
    """Go to base_url/url_path, wait for the run and `expect_text`, check no exception, save a screenshot.

    The screenshot is test-artifacts/<name>.png; by default named after the page and the viewport.
    """
    page.goto(f"{base_url}/{url_path.lstrip('/')}", wait_until="commit")
    page.wait_for_selector('[data-testid="stApp"]', state="attached")
    wait_idle(page, expect_text)
    if name is None:
        size = page.viewport_size or TALL
        slug = urlparse(url_path).path.strip("/").replace("/", "-") or "overview"
        name = f"{slug}-{size['width']}x{size['height']}"
    screenshot(page, name)
    return page
