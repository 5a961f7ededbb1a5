"""Accounts in a real Chromium against `app.py` (what `make run` serves): each role, forged and replayed
identities, the lockout, anonymous viewing on and off, and file values that must stay text (issue 11)."""

from __future__ import annotations

import io
import re
import socket
import zipfile
from pathlib import Path

import pytest

from analytics import settings, store
from analytics.accounts import users
from analytics.accounts.roles import Actor
from tests.browser.support import ALL_PAGES, TALL, expect_text, open_page, run_server, screenshot, wait_idle
from tests.import_support import data_snapshot
from tests.stores import new_db

PASSWORD = "Anfang-2026x"
PORTS = {"main": 8601, "closed": 8602}
VIEWER_PAGES = {
    p: ALL_PAGES[p] for p in ("", "trends", "ranking", "hazards", "enforcement", "training", "townships")
}
HOSTILE_FILE = '<img src=x onerror="window.__xss=1">**粗体**[链接](javascript:alert(1)).csv'
LOGIN_NEEDED = "此页面需要登录后使用"


@pytest.fixture(scope="module")
def accounts_db(tmp_path_factory) -> Path:
    from analytics.sample.lifecycle import load_sample

    path = new_db(tmp_path_factory.mktemp("browser-accounts"), "accounts", lasting=True)
    store.ensure_schema(path)
    load_sample(path)
    assert users.ensure_first_admin(path) is not None  # before any other account, as on a first start
    system = Actor("root", "system", client="test")
    for name, role in (("vic", "viewer"), ("ana", "analyst"), ("lou", "viewer"), ("zed", "viewer")):
        users.add_user(path, system, name, role, None, PASSWORD)
        users.change_own_password(path, name, PASSWORD, PASSWORD + "!")
    return path


@pytest.fixture(scope="module")
def server(accounts_db):
    with run_server(accounts_db, entry="app.py", port=PORTS["main"]) as base_url:
        yield base_url


def login(page, base_url: str, name: str, password: str, then: str = "") -> None:
    page.goto(f"{base_url}/account/login?next=/{then}", wait_until="commit")
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("button[type=submit]")


def _no_uploader(page) -> None:
    assert page.locator('[data-testid="stFileUploader"]').count() == 0


def test_anonymous_visitor_sees_viewer_pages_and_is_asked_to_log_in_for_the_rest(page, server, accounts_db):
    before = data_snapshot(accounts_db)
    for path, title in VIEWER_PAGES.items():
        open_page(page, server, f"/{path}", title, name=f"anonymous-{path or 'overview'}")
    expect_text(page.locator('[data-testid="stSidebar"]'), "未登录：仅可查看", "登录")
    assert page.get_by_text("账号管理").count() == 0
    for path in ("data_import", "report"):
        open_page(page, server, f"/{path}", LOGIN_NEEDED, name=f"anonymous-{path}-refused")
        _no_uploader(page)
        assert page.locator('[data-testid="stDownloadButton"]').count() == 0
    assert data_snapshot(accounts_db) == before


def test_a_viewer_is_refused_the_import_page_and_sees_no_admin_pages(page, server, accounts_db):
    before = data_snapshot(accounts_db)
    login(page, server, "vic", PASSWORD + "!")
    wait_idle(page, "已登录：vic（查看）")
    assert page.get_by_text("账号管理").count() == 0
    open_page(page, server, "/data_import", "无权使用此页面", name="viewer-data-import-refused")
    _no_uploader(page)
    open_page(page, server, "/hazards", "隐患整改", name="viewer-hazards")
    assert data_snapshot(accounts_db) == before


def _csv(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(row) for row in rows).encode("utf-8")


def _xlsx_has_no_formula(content: bytes, *texts: str) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        xml = "".join(
            book.read(n).decode() for n in book.namelist() if n.startswith("xl/") and n.endswith(".xml")
        )
    assert "<f>" not in xml and "<f " not in xml
    for text in texts:
        assert text in xml.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace(
            "&quot;", '"'
        )


def test_an_analyst_imports_a_hostile_file_that_stays_text_and_may_undo_only_their_own(
    page, server, accounts_db
):
    login(page, server, "ana", PASSWORD + "!", then="data_import")
    wait_idle(page, "上传文件")
    assert page.get_by_role("button", name="清除示例数据").count() == 0
    sample_undo = page.get_by_role("button", name="撤销", exact=True).count()
    assert sample_undo == 0  # every batch so far is the sample's, imported by the OS user
    header = [
        "事故编号",
        "发生日期",
        "县市区",
        "乡镇（街道）",
        "行业领域",
        "死亡人数",
        "受伤人数",
        "直接经济损失（万元）",
    ]
    with store.connect(accounts_db) as con:
        county, township = con.execute("SELECT county, township FROM regions LIMIT 1").fetchone()
    good = _csv([header, ["XSS-1", "2026-08-03", county, township, "道路交通", "0", "1", "2.5"]])
    bad = _csv(
        [
            header,
            ["XSS-2", "2026-08-03", county, "=1+1<script>window.__xss=2</script>", "道路交通", "0", "1", "2"],
        ]
    )
    page.locator('[data-testid="stFileUploader"] input[type=file]').set_input_files(
        [
            {"name": HOSTILE_FILE, "mimeType": "text/csv", "buffer": good},
            {"name": "formula.csv", "mimeType": "text/csv", "buffer": bad},
        ]
    )
    wait_idle(page, "**粗体**")
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("下载问题清单")).click()
    _xlsx_has_no_formula(Path(download.value.path()).read_bytes(), "=1+1<script>window.__xss=2</script>")
    page.get_by_role("button", name=re.compile("确认导入")).click()
    wait_idle(page, "已导入")
    screenshot(page, "analyst-hostile-import")
    app = page.locator('[data-testid="stApp"]')
    expect_text(app, "<img src=x onerror=", "**粗体**[链接](javascript:alert(1)).csv")
    assert page.evaluate("() => window.__xss === undefined")
    assert app.locator("img[src=x], a[href^=javascript], script:has-text('__xss')").count() == 0
    # Markdown left alone: no element holds just the would-be bold word or the would-be link text.
    assert (
        page.evaluate(
            "() => [...document.querySelectorAll('strong, em, a')].filter(e => ['粗体', '链接'].includes(e.textContent)).length"
        )
        == 0
    )
    # Their own batch has 撤销; the sample's still have none.
    assert page.get_by_role("button", name="撤销", exact=True).count() == 1


def test_admin_changes_the_initial_password_then_reads_the_audit_trail(page, server, accounts_db):
    initial = settings.initial_password_file(accounts_db).read_text(encoding="utf-8").strip()
    login(page, server, "admin", initial)
    page.wait_for_url(re.compile("/account/password"), wait_until="commit")
    page.fill("#old", initial)
    page.fill("#new", "weak")
    page.fill("#again", "weak")
    page.click("button[type=submit]")
    expect_text(page.locator("main"), "密码太短")
    page.fill("#old", initial)
    page.fill("#new", PASSWORD)
    page.fill("#again", PASSWORD)
    page.click("button[type=submit]")
    wait_idle(page, "已登录：admin（管理员）")
    open_page(page, server, "/admin_audit", "审计日志", name="admin-audit")
    expect_text(page.locator('[data-testid="stApp"]'), "下载审计日志")
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("下载审计日志")).click()
    # (the browser sends the file name's quotes as %22)
    audit_book = Path(download.value.path()).read_bytes()
    _xlsx_has_no_formula(audit_book, "<img src=x onerror=", "**粗体**[链接](javascript:alert(1)).csv", "ana")
    open_page(page, server, "/admin_users", "账号管理", name="admin-users")
    open_page(page, server, "/data_import", "上传文件", name="admin-data-import")
    assert page.get_by_role("button", name="清除示例数据").count() == 1


def _anonymous_import_page(context, server) -> None:
    tab = context.new_page()
    open_page(tab, server, "/data_import", LOGIN_NEEDED)
    _no_uploader(tab)
    assert tab.get_by_text("已登录").count() == 0


def test_forged_cookie_forged_header_and_replayed_cookie_are_refused(chromium, page, server, accounts_db):
    before = data_snapshot(accounts_db)
    forged = chromium.new_context(viewport=TALL)
    host = server.split("//")[1].split(":")[0]
    forged.add_cookies(
        [{"name": settings.SESSION_COOKIE, "value": "x" * 43 + "." + "0" * 64, "domain": host, "path": "/"}]
    )
    _anonymous_import_page(forged, server)
    forged.close()
    headers = {
        "X-Forwarded-User": "admin",
        "Remote-User": "admin",
        "X-Remote-User": "admin",
        "X-Safety-User": "admin",
    }
    spoofing = chromium.new_context(viewport=TALL, extra_http_headers=headers)
    _anonymous_import_page(spoofing, server)
    spoofing.close()
    login(page, server, "lou", PASSWORD + "!")
    wait_idle(page, "已登录：lou")
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.get_by_role("link", name="退出登录").click()
    wait_idle(page, "未登录：仅可查看")
    replay = chromium.new_context(viewport=TALL)
    replay.add_cookies([cookie])
    tab = replay.new_page()
    open_page(tab, server, "/", "总览")
    expect_text(tab.locator('[data-testid="stSidebar"]'), "未登录：仅可查看")
    replay.close()
    assert data_snapshot(accounts_db) == before


def test_five_failed_logins_lock_the_account(page, server):
    for _ in range(settings.LOCKOUT_FAILURES):
        login(page, server, "zed", "not-the-password")
        expect_text(page.locator("main"), "用户名或密码错误")
    login(page, server, "zed", PASSWORD + "!")
    expect_text(page.locator("main"), "锁定")
    screenshot(page, "login-locked")
    assert settings.SESSION_COOKIE not in {c["name"] for c in page.context.cookies()}


def test_with_anonymous_viewing_off_nothing_is_served_without_a_login(page, accounts_db, tmp_path):
    with run_server(
        accounts_db, {settings.ANONYMOUS_ENV: "0"}, entry="app.py", port=PORTS["closed"]
    ) as base_url:
        page.goto(f"{base_url}/ranking", wait_until="commit")
        page.wait_for_url(re.compile(r"/account/login\?next=/ranking"), wait_until="commit")
        expect_text(page.locator("main"), "用户名", "密码")
        with socket.create_connection(("127.0.0.1", PORTS["closed"]), timeout=30) as sock:
            sock.sendall(
                b"GET /_stcore/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            )
            status = sock.recv(200).split(b"\r\n")[0]
        assert b" 101 " not in status and b"403" in status
        login(page, base_url, "vic", PASSWORD + "!", then="ranking")
        wait_idle(page, "已登录：vic")
        expect_text(page.locator('[data-testid="stApp"]'), "全市排位")
