"""The server: the dashboard (dashboard.py) on Streamlit's ASGI app, with the login routes and their gate.

`streamlit run app.py` (what `make run` does) finds `app` here and serves it. Running
`streamlit run dashboard.py` instead serves the pages without the login routes: every
visitor is then anonymous and may only look, as every data-changing call checks its actor.
"""

import sys
import threading

import streamlit as st
from starlette.middleware import Middleware

from analytics.accounts import web
from analytics.accounts.users import FIRST_ADMIN, ensure_first_admin
from analytics.store import location
from analytics.text.zh import t
from ui import runtime

if created := ensure_first_admin(location()):
    print(t("cli.first_admin", name=FIRST_ADMIN, password=created[0], file=created[1]), file=sys.stderr)
app = st.App("dashboard.py", routes=web.ROUTES, middleware=[Middleware(web.Gate)])
# Before the first session: its first request (a deep link such as /hazards) then runs through dashboard.py at
# once, instead of running the page file alone in Streamlit's old pages/ mode and then again (ui.runtime).
runtime.use_navigation_mode()
runtime.skip_direct_run_warning()


def _ready_for_first_page() -> None:
    """Off the first paint, while the server starts: import what the pages import (Plotly with the charts,
    pandas with the metrics, XlsxWriter with the downloads: seconds on a busy machine), scan the coverage
    the first page's metrics share (ui.data asks analytics.metrics.coverage under the same name), then
    build a throwaway chart (Plotly loads each part of a figure on first use). The ui modules (but
    ui.runtime, above) are left to the first run: they belong to Streamlit's script runs."""
    import pandas.io.formats.style  # noqa: F401  (every table's Styler, with jinja2)
    import streamlit.emojis  # noqa: F401  (st.set_page_config's check of the emoji icon compiles its pattern)

    import analytics.charts.leader
    import analytics.charts.progress
    import analytics.charts.supervision
    import analytics.documents.brief
    import analytics.documents.exports
    import analytics.metrics.indicators
    import analytics.metrics.ranking  # noqa: F401
    from analytics import store
    from analytics.metrics.common import filter_options
    from analytics.metrics.coverage import coverage, reuse

    db = str(store.location())  # a file path or a server URL, as ui.data names it
    try:
        with store.connect(db, read_only=True) as con, reuse((db, store.data_version(db))):
            coverage(con)
            filter_options(con)  # the sidebar's, on every page
    except store.StoreFailure:  # the first page shows what is wrong with the file
        pass
    analytics.charts.leader.warm_up()


threading.Thread(target=_ready_for_first_page, name="first-page", daemon=True).start()
