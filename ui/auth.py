"""Who the visitor is, on the Streamlit side: the session cookie checked against the store.

The cookie is HttpOnly and set by the login route (`analytics.accounts.web`), so the browser
sends it with the websocket and `st.context.cookies` carries it; nothing else identifies a
visitor. AppTest cannot send cookies: a test puts a real session's cookie in
`st.session_state[COOKIE_STATE]`, where it is checked exactly like the browser's (a client
cannot write that key: it belongs to no widget). Pages pass `actor()` to every
data-changing call, which checks the role again itself.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import streamlit as st

from analytics import settings
from analytics.accounts import audit, sessions
from analytics.accounts.roles import DOWNLOAD, PERMISSIONS, ROLE_NAMES, Actor
from analytics.accounts.web import LOGIN, LOGOUT
from analytics.text.zh import t
from ui import data

COOKIE_STATE = "_session_cookie"
# The least role that has each permission, for "needs a login as …".
_LEAST_ROLE = {
    p: next(r for r in ("viewer", "analyst", "admin") if p in PERMISSIONS[r]) for p in PERMISSIONS["admin"]
}


def _cookie() -> str | None:
    cookie = st.context.cookies.get(settings.SESSION_COOKIE)
    # Under AppTest st.context answers with stand-ins, not strings.
    return cookie if isinstance(cookie, str) and cookie else st.session_state.get(COOKIE_STATE)


def actor() -> Actor | None:
    """The logged-in account of this visitor (with its session, re-checked by every data-changing call), or None."""
    address = st.context.ip_address
    return sessions.resolve(data.db_file(), _cookie(), client=address if isinstance(address, str) else "web")


def may(who: Actor | None, permission: str) -> bool:
    """Whether the visitor may do this (the anonymous visitor may look and download while anonymous viewing is on)."""
    if who is None:
        return permission in PERMISSIONS["viewer"] and settings.anonymous_viewing()
    return who.may(permission)


def fixed_county() -> str | None:
    """The county an account is limited to (its filter is fixed to it), else None."""
    who = actor()
    return who.county if who else None


def _link(label: str, href: str) -> None:
    # Our own label and path (escaped by quote), so this HTML holds no value from a file.
    st.markdown(f'<a href="{href}" target="_self">{label}</a>', unsafe_allow_html=True)


def _here() -> str:
    url = st.context.url
    return "/" + url.split("/", 3)[-1] if isinstance(url, str) and url.count("/") >= 3 else "/"


def sidebar() -> Actor | None:
    """The sidebar's account line: who is logged in and 退出登录, or 登录."""
    who = actor()
    with st.sidebar:
        if who is None:
            st.caption(t("auth.anonymous"))
            _link(t("auth.login"), f"{LOGIN}?next={quote(_here())}")
        else:
            st.caption(t("auth.signed_in", name=who.name, role=ROLE_NAMES.get(who.role, who.role)))
            if who.county:
                st.caption(t("auth.county_fixed", county=who.county))
            _link(t("auth.logout"), LOGOUT)
    return who


def require(permission: str) -> Actor | None:
    """Stop the page unless the visitor may do this: a login link for the anonymous, a refusal otherwise."""
    who = actor()
    if may(who, permission):
        return who
    role = ROLE_NAMES[_LEAST_ROLE[permission]]
    if who is None:
        st.warning(t("auth.page_needs_login", role=role), icon=":material/lock:")
        _link(t("auth.go_login"), f"{LOGIN}?next={quote(_here())}")
    else:
        st.error(t("auth.page_refused", role=ROLE_NAMES.get(who.role, who.role)), icon=":material/block:")
    audit.record(data.db_file(), who, permission, _here(), "refused")
    st.stop()


def audited(make: Callable[[], bytes], target: str) -> Callable[[], bytes]:
    """A download's data, written to the audit trail when the visitor downloads it."""
    who = actor()
    db = data.db_file()

    def produce() -> bytes:
        audit.record(db, who, DOWNLOAD, target, "ok")
        return make()

    return produce
