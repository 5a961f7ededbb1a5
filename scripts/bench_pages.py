"""Time every page of the running app in headless Chromium, beside a one-line Streamlit page served the same way.

Run from the project root: python -m scripts.bench_pages [--scale 500] [--keep DIR] [--json FILE]
--scale 500 gives about ten million hazards (scripts.bench_metrics builds the database; with --keep
an existing DIR/bench.duckdb is reused). Each run works on a copy of that database, so runs compare.

- The app is started as `python -m analytics serve` starts it (analytics.cli.ops.serve_command, app.py),
  the floor (`st.write("ok")`) with the same command line, from the same folder.
- Cold: the server is restarted before every page, so the first visit meets an empty cache and a fresh
  process (module imports included). Warm: the second visit, a new browser tab, same server.
- A page counts as shown from navigation until the script has finished (stApp's script state
  "notRunning"), no spinner or status widget is left, and every visible Plotly chart has drawn; that
  state must hold for STABLE_MS.
- The benchmark account is an admin (all pages in the navigation), its session made with the accounts API.
- Then N concurrent sessions (browser contexts over a few browsers) click through the leader pages while
  `python -m analytics import` writes to the same database; the meeting brief download; first start.
- Memory of the server's process tree, sampled: RSS (a page shared by several processes counted in each)
  and PSS (shared pages split among them: the real footprint), at their peak, after the brief, and at the
  end, once the chart-image browser has exited after being idle.
- `--pages` times only the given pages (url paths) while iterating on them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from analytics import settings, store
from analytics.accounts import sessions
from analytics.accounts.passwords import hash_password
from analytics.charts.leader import PNG_BROWSER_IDLE_SECONDS
from analytics.cli.ops import serve_command
from analytics.sample import generator as sample
from scripts.bench_metrics import _load_duckdb

ROOT = settings.PROJECT_ROOT
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
VIEWPORT = {"width": 1440, "height": 1000}
BENCH_USER = "bench-admin"
LEADER_PATHS = ["", "trends", "ranking"]
STABLE_MS = 300
TIMEOUT_MS = 180_000
FLOOR_SOURCE = 'import streamlit as st\n\nst.write("ok")\n'

# True once the page is drawn: script finished, no spinner, every visible Plotly chart has its SVG.
SHOWN_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!document.querySelector('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]'))
    return false;
  if (document.querySelector('[data-testid="stSpinner"], [data-testid="stStatusWidget"] svg')) return false;
  for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    if (chart.offsetParent === null) continue;  // in a tab that is not open
    if (!chart.querySelector('.main-svg')) return false;
  }
  return true;
}"""
# In every document: window.__shown becomes the ms since navigation at which SHOWN_JS turned true and then
# stayed true for STABLE_MS (measured in the page, so a busy benchmark process does not add to it).
MONITOR_JS = f"""(() => {{
  const shown = {SHOWN_JS};
  window.__shown = null;
  let since = null;
  const check = () => {{
    const now = performance.now();
    if (shown()) {{
      if (since === null) since = now;
      else if (now - since >= {STABLE_MS}) {{ window.__shown = since; return; }}
    }} else since = null;
    setTimeout(check, 25);
  }};
  check();
}})();"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tree(pid: int) -> tuple[int, int]:
    """(resident bytes, proportional set size bytes) of a process and all its descendants (from /proc).

    RSS counts a page shared by several processes (Chromium's, Python's libraries) once in each; PSS splits
    it among them, so the PSS sum is the tree's real footprint.
    """
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total_rss = total_pss = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        total_rss += rss.get(current, 0)
        total_pss += _pss(current)
        todo += children.get(current, [])
    return total_rss, total_pss


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


class Server:
    """One Streamlit server (app or floor) in its own process group, its memory sampled meanwhile."""

    def __init__(self, entry: Path, db: Path, log: Path) -> None:
        self.port = _free_port()
        command = serve_command("127.0.0.1", self.port)
        command[command.index(str(ROOT / "app.py"))] = str(entry)
        env = settings.environment_with_db(db)
        self.started = time.perf_counter()
        self._log = log.open("a")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.url = f"http://127.0.0.1:{self.port}"
        self.peak = self.peak_pss = 0
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.25):
            rss, pss = _tree(self.process.pid)
            self.peak, self.peak_pss = max(self.peak, rss), max(self.peak_pss, pss)

    def wait_healthy(self) -> float:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode}; see {self._log.name}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return time.perf_counter() - self.started
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("streamlit did not become healthy")

    def rss(self) -> int:
        return _tree(self.process.pid)[0]

    def pss(self) -> int:
        return _tree(self.process.pid)[1]

    def stop(self) -> None:
        self._stop.set()
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._log.close()


def _wait_shown(page) -> tuple[float, str | None]:
    """Seconds from navigation until the page was shown (and stayed so); the exception text if it shows one."""
    page.wait_for_function("() => window.__shown !== null", timeout=TIMEOUT_MS, polling=100)
    shown = page.evaluate("window.__shown") / 1000
    failure = page.locator('[data-testid="stException"]')
    return shown, failure.first.inner_text() if failure.count() else None


def _visit(context, url: str) -> tuple[float, str | None]:
    """A new tab on `url`: seconds until shown, and the exception text if the page shows one."""
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        return _wait_shown(page)
    finally:
        page.close()


def _new_context(browser, base_url: str, cookie: str | None):
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.add_init_script(MONITOR_JS)
    if cookie:
        context.add_cookies([{"name": settings.SESSION_COOKIE, "value": cookie, "url": base_url}])
    return context


def _bench_cookie(db: Path) -> str:
    """A session of the benchmark account (an admin, created once), as the login route would make it."""
    with store.connect(db, read_only=False) as con:
        if not con.execute("SELECT count(*) FROM users WHERE name = ?", [BENCH_USER]).fetchone()[0]:
            con.execute(
                "INSERT INTO users VALUES (?, 'admin', NULL, ?, false, false, current_localtimestamp(), NULL)",
                [BENCH_USER, hash_password("Bench-password-1")],
            )
    return sessions.create(db, BENCH_USER, "bench")


def _nav_paths(browser, server: Server, cookie: str) -> list[tuple[str, str]]:
    """(url path, title) of every page in the sidebar navigation, as the benchmark account sees it."""
    context = _new_context(browser, server.url, cookie)
    page = context.new_page()
    page.goto(server.url, wait_until="commit", timeout=TIMEOUT_MS)
    _wait_shown(page)
    links = page.locator('[data-testid="stSidebarNav"] a').evaluate_all(
        "links => links.map(a => [new URL(a.href).pathname.replace(/^\\//, ''), a.innerText.trim().split('\\n').pop()])"
    )
    context.close()
    return [(path, title) for path, title in links]


def _cold_warm(browser, entry: Path, db: Path, log: Path, path: str, cookie: str | None) -> dict:
    server = Server(entry, db, log)
    try:
        healthy = server.wait_healthy()
        context = _new_context(browser, server.url, cookie)
        navigated = time.perf_counter() - server.started
        cold, error = _visit(context, f"{server.url}/{path}")
        first_answer = navigated + cold
        warm, error2 = _visit(context, f"{server.url}/{path}")
        context.close()
        return {
            "cold": cold,
            "warm": warm,
            "healthy": healthy,
            "first_answer": first_answer,
            "rss_peak": server.peak,
            "rss_end": server.rss(),
            "pss_peak": server.peak_pss,
            "error": error or error2,
        }
    finally:
        server.stop()


def _median_row(rows: list[dict]) -> dict:
    """One page's rounds as one row: the median cold and warm times (and first answer), the memory peaks."""
    return rows[0] | {
        "cold": statistics.median(r["cold"] for r in rows),
        "warm": statistics.median(r["warm"] for r in rows),
        "first_answer": statistics.median(r["first_answer"] for r in rows),
        "rss_peak": max(r["rss_peak"] for r in rows),
        "pss_peak": max(r["pss_peak"] for r in rows),
        "error": next((r["error"] for r in rows if r["error"]), None),
        "rounds": [{k: r[k] for k in ("cold", "warm", "first_answer")} for r in rows],
    }


def _brief(browser, server: Server, cookie: str) -> float:
    """Seconds from clicking 下载会议简报 until the download has arrived."""
    context = _new_context(browser, server.url, cookie)
    page = context.new_page()
    page.goto(f"{server.url}/report", wait_until="commit", timeout=TIMEOUT_MS)
    _wait_shown(page)
    button = page.locator('[data-testid="stDownloadButton"] button').nth(1)
    started = time.perf_counter()
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        button.click()
    download.value.path()
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def _sessions(server: Server, cookie: str, count: int, rounds: int, import_file: Path, db: Path) -> dict:
    """`count` sessions each visiting the leader pages `rounds` times while the CLI imports a file.

    The sessions are browser contexts spread over up to three browsers, each browser driven by its own
    thread (Playwright's sync API is bound to a thread); a browser's contexts load their pages at once.
    """
    from playwright.sync_api import sync_playwright

    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    browsers = min(3, count)
    shares = [count // browsers + (i < count % browsers) for i in range(browsers)]

    def drive(share: int, offset: int) -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            contexts = [_new_context(browser, server.url, cookie) for _ in range(share)]
            for visit in range(rounds * len(LEADER_PATHS)):
                pages = []
                for index, context in enumerate(contexts):
                    page = context.new_page()
                    path = LEADER_PATHS[(visit + index + offset) % len(LEADER_PATHS)]
                    page.goto(f"{server.url}/{path}", wait_until="commit", timeout=TIMEOUT_MS)
                    pages.append(page)
                for page in pages:
                    try:
                        elapsed, failure = _wait_shown(page)
                        with lock:
                            times.append(elapsed)
                            if failure:
                                errors.append(failure)
                    except Exception as error:  # a timeout counts as an error; the run goes on
                        with lock:
                            errors.append(str(error).splitlines()[0])
                    finally:
                        page.close()
            browser.close()

    importer = subprocess.Popen(
        [sys.executable, "-m", "analytics", "import", str(import_file), "--db", str(db)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    started = time.perf_counter()
    finished: dict = {}  # the import's stderr and its time from the sessions' start to its exit

    def await_import() -> None:
        finished["stderr"] = importer.communicate()[1]
        finished["seconds"] = time.perf_counter() - started

    waiter = threading.Thread(target=await_import)
    waiter.start()
    threads = [threading.Thread(target=drive, args=(share, i)) for i, share in enumerate(shares)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    waiter.join()
    import_errors = finished["stderr"]
    return {
        "sessions": count,
        "visits": len(times),
        "p50": statistics.median(times) if times else None,
        "p95": statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else None,
        "errors": len(errors),
        "error_samples": errors[:3],
        "import_status": importer.returncode,
        "import_seconds": finished["seconds"],
        "import_stderr": import_errors[-300:] if importer.returncode else "",
        "wall": wall,
    }


def _database(args, folder: Path) -> Path:
    kept = folder / "bench.duckdb"
    if args.keep and kept.exists():
        print(f"沿用 {kept}")
        return kept
    parquet = sample.generate(folder / "data", scale=args.scale, file_format="parquet")
    kept.unlink(missing_ok=True)
    counts = _load_duckdb(kept, parquet)
    print("，".join(f"{k} {v:,}" for k, v in counts.items()))
    return kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=500.0)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the generated files and database here")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--sessions", default="10,30", help="concurrent session counts (comma-separated)")
    parser.add_argument("--rounds", type=int, default=1, help="leader-page rounds per concurrent session")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of floor and pages; medians are shown")
    parser.add_argument("--pages", help="only these url paths (comma-separated; '' is 总览), while iterating")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    # A `timeout` or Ctrl-C ends the run through the finally blocks: no server is left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    with tempfile.TemporaryDirectory() as scratch:
        scratch_dir = Path(scratch)
        folder = args.keep or scratch_dir
        folder.mkdir(parents=True, exist_ok=True)
        db = scratch_dir / "run.duckdb"
        shutil.copyfile(_database(args, folder), db)
        store.ensure_schema(db)
        cookie = _bench_cookie(db)
        floor_entry = scratch_dir / "floor.py"
        floor_entry.write_text(FLOOR_SOURCE, encoding="utf-8")
        import_file = sample.generate(scratch_dir / "import", scale=min(args.scale, 5.0))["hazards"]
        log = scratch_dir / "server.log"
        result: dict = {"scale": args.scale, "pages": [], "sessions": []}

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            probe = Server(ROOT / "app.py", db, log)
            try:
                probe.wait_healthy()
                nav = _nav_paths(browser, probe, cookie)
            finally:
                probe.stop()
            if args.pages is not None:
                nav = [(path, title) for path, title in nav if path in args.pages.split(",")]
            # Round after round the floor, then every page: a machine whose load changes meanwhile weighs on both.
            runs: dict[str, list[dict]] = {}
            for round_ in range(args.repeat):
                for path, entry, title, who in [("", floor_entry, "底线 st.write", None)] + [
                    (path, ROOT / "app.py", title, cookie) for path, title in nav
                ]:
                    row = _cold_warm(browser, entry, db, log, path, who)
                    runs.setdefault(title, []).append(row | {"path": path, "title": title})
                    print(
                        f"  第{round_ + 1}轮 {title}：首次 {row['cold']:.2f}，再次 {row['warm']:.2f}"
                        + (f"  异常：{row['error'][:60]}" if row["error"] else ""),
                        flush=True,
                    )
            floor, *pages = (_median_row(rows) for rows in runs.values())
            result["floor"], result["pages"] = floor, pages
            print(
                f"\n{'页面':<14}{'首次(秒)':>9}{'再次(秒)':>9}{'首次/底线':>10}{'再次/底线':>10}{'RSS峰值MiB':>11}{'PSS峰值MiB':>11}"
                + (f"（{args.repeat} 轮的中位数）" if args.repeat > 1 else "")
            )
            for row in [floor, *pages]:
                print(
                    f"{row['title']:<14}{row['cold']:>9.2f}{row['warm']:>9.2f}{row['cold'] / floor['cold']:>10.1f}"
                    f"{row['warm'] / floor['warm']:>10.1f}{row['rss_peak'] / 2**20:>11.0f}"
                    f"{row['pss_peak'] / 2**20:>11.0f}"
                    + (f"  异常：{row['error'][:60]}" if row["error"] else ""),
                    flush=True,
                )
            first = result["pages"][0]
            result["first_start"] = {"app": first["first_answer"], "floor": floor["first_answer"]}
            print(
                f"\n首次启动（进程启动→第一页答出）：看板 {first['first_answer']:.2f} 秒，"
                f"底线 {floor['first_answer']:.2f} 秒，{first['first_answer'] / floor['first_answer']:.1f}x"
            )

            server = Server(ROOT / "app.py", db, log)
            try:
                server.wait_healthy()
                _visit(
                    _new_context(browser, server.url, cookie), server.url
                )  # the caches as a day's first look leaves them
                result["brief_seconds"] = _brief(browser, server, cookie)
                result["brief_again_seconds"] = _brief(browser, server, cookie)
                brief_done = time.monotonic()
                result["rss_after_brief"], result["pss_after_brief"] = server.rss(), server.pss()
                print(
                    f"会议简报下载：{result['brief_seconds']:.2f} 秒（再次 {result['brief_again_seconds']:.2f} 秒）"
                )
                for count in (int(n) for n in args.sessions.split(",") if n.strip()):
                    row = _sessions(server, cookie, count, args.rounds, import_file, db)
                    result["sessions"].append(row)
                    if args.json:  # what is measured so far, should a later step not finish
                        args.json.write_text(
                            json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8"
                        )
                    print(
                        f"{count} 个并发会话（导入同时进行）：{row['visits']} 次访问，p50 {row['p50']:.2f} 秒，"
                        f"p95 {row['p95']:.2f} 秒，错误 {row['errors']}，导入退出码 {row['import_status']}，"
                        f"导入用时 {row['import_seconds']:.1f} 秒",
                        flush=True,
                    )
                # The chart-image browser exits once idle (analytics.charts.leader): measure after that too.
                idle_until = brief_done + PNG_BROWSER_IDLE_SECONDS + 20
                if time.monotonic() < idle_until:
                    time.sleep(idle_until - time.monotonic())
                result["rss_end"], result["pss_end"] = server.rss(), server.pss()
                result["rss_peak"] = max([server.peak] + [p["rss_peak"] for p in result["pages"]])
                result["pss_peak"] = max([server.peak_pss] + [p["pss_peak"] for p in result["pages"]])
            finally:
                server.stop()
            browser.close()
        print(
            f"服务器内存（进程树）：RSS 峰值 {result['rss_peak'] / 2**20:.0f} MiB，"
            f"下载简报后 {result['rss_after_brief'] / 2**20:.0f} MiB，结束 {result['rss_end'] / 2**20:.0f} MiB；"
            f"PSS 峰值 {result['pss_peak'] / 2**20:.0f} MiB，下载简报后 {result['pss_after_brief'] / 2**20:.0f} MiB，"
            f"结束 {result['pss_end'] / 2**20:.0f} MiB（结束：出图浏览器空闲 {PNG_BROWSER_IDLE_SECONDS:.0f} 秒退出之后）"
        )
        if args.json:
            args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
