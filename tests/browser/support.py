"""Browser-test helpers: the real app in a subprocess, and waiting for what a test asserts.

- `run_server(db_path)`: `streamlit run dashboard.py` on a free port against that
  database (a context manager yielding the base URL).
- `open_page(page, base_url, url_path, expect_text)`, `wait_idle(page)` and `screenshot(page, name)`.
- `expect_text(locator, *texts)` and `at_least(locator, n)`: wait (up to PAGE_TIMEOUT_MS)
  until the text is there or n elements are (charts draw after the script run ends),
  never sleep-and-hope.
"""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from tests.stores import label

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
# Every page by URL path, with a text its title shows.
ALL_PAGES = {
    "": "总览",
    "trends": "四项指标趋势",
    "ranking": "全市排位",
    "hazards": "隐患整改",
    "enforcement": "执法检查",
    "training": "培训覆盖",
    "standardization": "标准化达标",
    "sources": "重大危险源",
    "projects": "建设项目“三同时”",
    "townships": "乡镇对比",
    "report": "报告生成",
    "data_import": "数据导入",
}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


# BROWSER_TEST_PORTS=8780-8799 keeps the test servers within a range (a machine shared by several runs);
# without it the system picks any free port.
PORTS_ENV = "BROWSER_TEST_PORTS"


def sign_in(page, base_url: str, db_path: Path, role: str) -> None:
    """Log the tab in as an account of `role` (created once): a real session's cookie, as the login route sets it.

    Pages that change data (数据导入) or generate the report ask for a login; this stands in for
    the login form where a test is about something else (tests/browser/test_accounts.py tests the form).
    """
    from tests.apptest_support import session_cookie

    host = urlparse(base_url).hostname
    # A Chinese account name: the Chinese-UI tests read the sidebar's 已登录 line too.
    names = {"viewer": "测试查看", "analyst": "测试分析", "admin": "测试管理"}
    cookie = session_cookie(role, db=db_path, name=names[role])
    page.context.add_cookies([{"name": "safety_session", "value": cookie, "domain": host, "path": "/"}])


def stop(process: subprocess.Popen) -> None:
    """End a server's own process group: streamlit (or nginx) and anything it started (kaleido's browser)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _free_port() -> int:
    first, _, last = os.environ.get(PORTS_ENV, "").partition("-")
    candidates = range(int(first), int(last or first) + 1) if first.isdigit() else [0]
    for candidate in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"no free port in {PORTS_ENV}={os.environ[PORTS_ENV]}")


@contextmanager
def run_server(
    db_path: Path,
    extra_env: dict[str, str] | None = None,
    entry: str = "dashboard.py",
    port: int | None = None,
):
    """`streamlit run ENTRY` on a free port (or `port`) with SAFETY_DB=db_path; yields the base URL.

    `entry="app.py"` serves what `make run` serves: the dashboard behind the login routes and their gate.
    """
    port = port or _free_port()
    env = {**os.environ, "SAFETY_DB": str(db_path), **(extra_env or {})}
    ARTIFACTS.mkdir(exist_ok=True)
    # Named by the port too: one log per server, also with two test workers.
    log = (ARTIFACTS / f"server-{label(db_path)}-{port}.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            entry,
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
        stop(process)
        log.close()


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


def keyed(page, key: str):
    """The element that the app gave `key` (Streamlit marks its container with the class st-key-<key>).

    Buttons of the same label are told apart by it: `.first` of the hazards page's two Excel buttons once
    clicked the second on CI (each is drawn when its lazily loaded component arrives, not all at once).
    """
    return page.locator(f".st-key-{key}")


def expect_text(locator, *texts: str) -> None:
    """Wait until the element's text, as a user sees it, holds each of `texts`."""
    from playwright.sync_api import expect

    for text in texts:
        expect(locator).to_contain_text(text, use_inner_text=True, timeout=PAGE_TIMEOUT_MS)


def at_least(locator, count: int) -> int:
    """Wait until `locator` matches at least `count` elements; return how many it matches."""
    locator.nth(count - 1).wait_for(state="attached", timeout=PAGE_TIMEOUT_MS)
    return locator.count()


# Servers the deployment tests start themselves (the installed bundle, nginx in front) take their ports here.
DEPLOY_PORTS = range(8650, 8700)


def deploy_ports(count: int) -> list[int]:
    """The first `count` free ports of DEPLOY_PORTS."""
    free = []
    for port in DEPLOY_PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        free.append(port)
        if len(free) == count:
            return free
    raise RuntimeError(f"fewer than {count} free ports in {DEPLOY_PORTS}")


def wait_healthy(url: str, process: subprocess.Popen, log_name: str) -> None:
    """Wait until `url` answers 200 (the process must stay up meanwhile)."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}; see {log_name}")
        try:
            # A test's own self-signed certificate: the health check does not verify it.
            context = ssl._create_unverified_context() if url.startswith("https") else None
            with urllib.request.urlopen(url, timeout=2, context=context) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer in {SERVER_START_SECONDS}s; see {log_name}")
        time.sleep(0.3)


@contextmanager
def process_server(
    command: list[str], health_url: str, name: str, cwd: Path, env: dict[str, str] | None = None
):
    """Run `command` (in its own process group) until `health_url` answers; stop the group afterwards."""
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / f"server-{name}-{os.getpid()}.log").open("w")  # one per test process
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        wait_healthy(health_url, process, log.name)
        yield process
    finally:
        stop(process)
        log.close()
