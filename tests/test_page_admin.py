"""The admin pages and the role checks of the pages through AppTest (the login is a real session cookie)."""

from __future__ import annotations

import pytest

from analytics import store
from analytics.accounts import audit, users
from tests.apptest_support import run_page
from tests.stores import new_db


@pytest.fixture
def admin_db(tmp_path, monkeypatch):
    path = new_db(tmp_path, "admin")
    store.ensure_schema(path)
    monkeypatch.setenv("SAFETY_DB", str(path))
    return path


def test_admin_lists_adds_and_disables_accounts(admin_db):
    at = run_page("pages/admin_users.py", role="admin")
    assert at.title[0].value == "账号管理"
    at.text_input[0].input("li")
    at.button[0].click().run()  # 新建账号 (the form's submit button)
    assert not at.exception
    assert any("初始密码" in s.value for s in at.success)
    assert [u["name"] for u in users.list_users(admin_db, _system())] == ["li", "test-admin"]
    at.selectbox(key="admin-chosen").select("li").run()
    next(b for b in at.button if b.label == "停用账号").click().run()
    assert next(u for u in users.list_users(admin_db, _system()) if u["name"] == "li")["disabled"]
    actions = [e["action"] for e in audit.events(admin_db)]
    assert "user_add" in actions and "user_disable" in actions


def _system():
    from analytics.accounts.roles import Actor

    return Actor("root", "system")


@pytest.mark.parametrize(
    ("page", "role"), [("pages/admin_users.py", "analyst"), ("pages/admin_audit.py", "viewer")]
)
def test_admin_pages_are_not_even_registered_for_other_roles(admin_db, page, role):
    # The navigation holds them for admins only; the page itself checks again (auth.require), and so does
    # each function it calls.
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        run_page(page, role=role)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        run_page(page)


def test_audit_page_shows_the_trail(admin_db):
    audit.record(admin_db, None, "login", "li", "failed", user="li", client="10.0.0.7")
    at = run_page("pages/admin_audit.py", role="admin")
    assert at.title[0].value == "审计日志"
    shown = at.dataframe[0].value
    assert "10.0.0.7" in shown["来源地址"].tolist()


def test_viewer_pages_need_no_login(admin_db):
    for page in ("pages/overview.py", "pages/ranking.py", "pages/hazards.py"):
        at = run_page(page)
        assert not any("登录" in w.value for w in at.warning), page
