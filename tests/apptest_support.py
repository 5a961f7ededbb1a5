"""Running the dashboard under AppTest as a user would: open dashboard.py, then click a page."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

DEFAULT_PAGE = "pages/overview.py"


def run_page(page: str = DEFAULT_PAGE, query: dict[str, str] | None = None) -> AppTest:
    """dashboard.py with `query` in the URL, then (unless `page` is the default 总览) a switch to `page`.

    Fails on any exception. AppTest keeps only the page's own elements after a
    switch, so the sidebar and the sample note can only be read on the default page.
    """
    app = AppTest.from_file("../dashboard.py", default_timeout=60)
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
