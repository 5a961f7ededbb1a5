"""Running the dashboard under AppTest as a user would: open dashboard.py, then click a page."""

from __future__ import annotations

import datetime as dt
import re

from streamlit.testing.v1 import AppTest

from analytics import store
from analytics.accounts import sessions
from analytics.accounts.passwords import hash_password
from ui.auth import COOKIE_STATE

DEFAULT_PAGE = "pages/overview.py"


def session_cookie(role: str, county: str | None = None, db=None, name: str | None = None) -> str:
    """A real session (and its account `test-ROLE`, created once) in the database the app serves."""
    name = name or f"test-{role}" + (f"-{county}" if county else "")
    file = store.ensure_schema(db)
    with store.connect(file, read_only=False) as con:
        if not con.execute("SELECT count(*) FROM users WHERE name = ?", [name]).fetchone()[0]:
            con.execute(
                "INSERT INTO users VALUES (?, ?, ?, ?, false, false, ?, NULL)",  # created now, local time
                [
                    name,
                    role,
                    county,
                    hash_password("Test-password-1"),
                    dt.datetime.now().replace(microsecond=0),
                ],
            )
    return sessions.create(file, name, "apptest")


def run_page(
    page: str = DEFAULT_PAGE,
    query: dict[str, str] | None = None,
    role: str | None = None,
    county: str | None = None,
) -> AppTest:
    """dashboard.py with `query` in the URL, then (unless `page` is the default 总览) a switch to `page`.

    With `role`, the visitor is logged in as an account of that role (and county limit), through a
    real session cookie (AppTest cannot send cookies; see ui/auth.py). Fails on any exception.
    AppTest keeps only the page's own elements after a switch, so the sidebar and the sample
    note can only be read on the default page.
    """
    app = AppTest.from_file("../dashboard.py", default_timeout=60)
    if role:
        app.session_state[COOKIE_STATE] = session_cookie(role, county)
    for name, value in (query or {}).items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    if page != DEFAULT_PAGE:
        app.switch_page(page).run()
        assert not app.exception, [e.value for e in app.exception]
    return app


_NOBREAK = re.compile(r'<span class="kpi-nobreak">(.*?)</span>')


def markdown_text(app: AppTest) -> str:
    """Every markdown element's text, one per line (a card's unbreakable-number spans unwrapped)."""
    return "\n".join(_NOBREAK.sub(r"\1", str(element.value)) for element in app.markdown)
