"""Screenshots of the real pages for docs/用户手册.md, taken in headless Chromium on the bundled sample.

Run from the project root: python -m scripts.screenshots [--port 8650] [--out docs/images]

Starts `python -m analytics serve` on a temporary database loaded with the sample, opens each page
the manual shows, waits until Streamlit has finished the run and the page's own text is there, and
saves the first screen (1440×1000) as PNG.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from analytics import settings

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
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
VIEWPORT = {"width": 1440, "height": 1000}
TIMEOUT_MS = 120_000
# image name -> (address, a text the page shows once drawn)
PAGES = {
    "overview": ("/?county=云溪县&year=2026&months=1-8", "总览"),
    "trends": ("/trends?county=云溪县&year=2026&months=1-8", "四项指标趋势"),
    "ranking": ("/ranking?county=云溪县&year=2026&months=1-8", "全市排位"),
    "hazards": ("/hazards?county=云溪县&year=2026&months=1-8", "隐患整改"),
    "enforcement": ("/enforcement?county=云溪县&year=2026&months=1-8", "执法检查"),
    "training": ("/training?county=云溪县&year=2026&months=1-8", "培训覆盖"),
    "townships": ("/townships?county=云溪县&year=2026&months=1-8", "乡镇对比"),
    "standardization": ("/standardization?county=云溪县&year=2026&months=1-8", "标准化达标"),
    "sources": ("/sources?county=云溪县&year=2026&months=1-8", "重大危险源"),
    "projects": ("/projects?county=云溪县&year=2026&months=1-8", "三同时"),
    "report": ("/report?county=云溪县&year=2026&months=1-8", "报告生成"),
    "data_import": ("/data_import", "数据导入"),
    "meeting": ("/?county=云溪县&year=2026&months=1-8&meeting=1", "总览"),
}
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _wait_healthy(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer")


def _shoot(page, base: str, address: str, text: str, target: Path) -> None:
    page.goto(base + address, wait_until="commit")
    page.get_by_text(text, exact=False).first.wait_for(state="visible")
    page.wait_for_selector(IDLE, state="attached")
    page.wait_for_timeout(300)  # the attribute can lag a rerun's start; then wait for the idle state again
    page.wait_for_selector(IDLE, state="attached")
    errors = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    if errors.count():
        raise RuntimeError(f"{address} shows an error: {errors.first.inner_text()[:200]}")
    charts = page.locator(".js-plotly-plot .main-svg")
    if charts.count():
        charts.first.wait_for(state="visible")
    page.screenshot(path=str(target))


def main(argv: list[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8650)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--page", action="append", choices=sorted(PAGES), help="only these (default: all)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as folder:
        env = settings.environment_with_db(Path(folder) / "sample.duckdb")
        analytics = [sys.executable, "-m", "analytics"]
        subprocess.run([*analytics, "init", "--sample"], cwd=ROOT, env=env, check=True, capture_output=True)
        server = subprocess.Popen(
            [*analytics, "serve", "--port", str(args.port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{args.port}"
        failed: list[str] = []
        try:
            _wait_healthy(f"{base}/_stcore/health", server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_context(viewport=VIEWPORT, locale="zh-CN").new_page()
                page.set_default_timeout(TIMEOUT_MS)
                for name in args.page or PAGES:
                    address, text = PAGES[name]
                    try:
                        _shoot(page, base, address, text, args.out / f"{name}.png")
                    except RuntimeError as error:  # an error on screen is never a manual's picture
                        failed.append(f"{name}: {error}")
                        continue
                    print(args.out / f"{name}.png")
                browser.close()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    if failed:
        raise SystemExit("\n".join(failed))


if __name__ == "__main__":
    main()
