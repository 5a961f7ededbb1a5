"""The server: the dashboard (dashboard.py) on Streamlit's ASGI app, with the login routes and their gate.

`streamlit run app.py` (what `make run` does) finds `app` here and serves it. Running
`streamlit run dashboard.py` instead serves the pages without the login routes: every
visitor is then anonymous and may only look, as every data-changing call checks its actor.
"""

import sys

import streamlit as st
from starlette.middleware import Middleware

from analytics.accounts import web
from analytics.accounts.users import FIRST_ADMIN, ensure_first_admin
from analytics.store import location
from analytics.text.zh import t

if created := ensure_first_admin(location()):
    print(t("cli.first_admin", name=FIRST_ADMIN, password=created[0], file=created[1]), file=sys.stderr)
app = st.App("dashboard.py", routes=web.ROUTES, middleware=[Middleware(web.Gate)])
