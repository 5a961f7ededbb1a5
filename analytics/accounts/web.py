"""The login routes and the gate on Streamlit's ASGI app (`st.App` in `app.py`).

Streamlit's widgets cannot set an HttpOnly cookie, so logging in happens outside the
script: `/account/login` (a plain form, POST), `/account/password` (the forced change of
an initial password), `/account/logout`. The middleware in front of every HTTP request and
the websocket of each browser tab lets through only what the visitor may reach: with
anonymous viewing off, nothing but these routes without a valid session; an account that
must still change its password reaches only the change form. Identity comes only from the
signed session cookie checked against the store; no request header is trusted for it.
"""

from __future__ import annotations

import html
from urllib.parse import quote, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from analytics import settings, store
from analytics.accounts import sessions, users
from analytics.text.zh import t

PREFIX = "/account"
LOGIN = f"{PREFIX}/login"
PASSWORD = f"{PREFIX}/password"
LOGOUT = f"{PREFIX}/logout"
_OPEN = (PREFIX + "/", "/_stcore/health", "/_stcore/host-config")
# Files of the page itself (scripts, styles, fonts, images): with anonymous viewing on, anyone may
# fetch them, so the gate does not look the session up for each one.
_ASSETS = ("/static/", "/_stcore/", "/media/", "/component/", "/favicon")
_STREAM = "/_stcore/stream"


def _db():
    return store.location()


def _client(scope) -> str:
    client = scope.get("client")
    return client[0] if client else "web"


def _next(value: str | None) -> str:
    """Where to go after the form: a path on this site only (never another host)."""
    if not value:
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return "/"
    return value


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    style = (
        "body{font-family:'Noto Sans CJK SC',sans-serif;background:#f5f7fa;margin:0}"
        "main{max-width:360px;margin:12vh auto;background:#fff;padding:32px;border-radius:8px;"
        "box-shadow:0 1px 4px #0002}h1{font-size:22px}label{display:block;margin:12px 0 4px}"
        "input{width:100%;padding:8px;box-sizing:border-box;font-size:16px}"
        "button{margin-top:20px;width:100%;padding:10px;font-size:16px;background:#1f4e99;color:#fff;border:0;"
        "border-radius:4px}.error{color:#b00020}.hint{color:#555;font-size:13px}a{color:#1f4e99}"
    )
    document = (
        f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<meta name='viewport' content='width=device-width'><style>{style}</style></head>"
        f"<body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )
    response = HTMLResponse(document, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def _error(message: str | None) -> str:
    return f"<p class='error' role='alert'>{html.escape(message)}</p>" if message else ""


def _login_form(
    next_path: str, message: str | None = None, name: str = "", status: int = 200
) -> HTMLResponse:
    body = (
        f"{_error(message)}<form method='post' action='{LOGIN}'>"
        f"<input type='hidden' name='next' value='{html.escape(next_path, quote=True)}'>"
        f"<label for='name'>{t('web.name')}</label>"
        f"<input id='name' name='name' autocomplete='username' value='{html.escape(name, quote=True)}' required>"
        f"<label for='password'>{t('web.password')}</label>"
        "<input id='password' name='password' type='password' autocomplete='current-password' required>"
        f"<button type='submit'>{t('web.login')}</button></form>"
        f"<p class='hint'><a href='/'>{t('web.back')}</a></p>"
    )
    return _page(t("web.login_title"), body, status)


def _password_form(next_path: str, message: str | None = None, status: int = 200) -> HTMLResponse:
    rule = t("web.password_rule", length=settings.PASSWORD_MIN_LENGTH, classes=settings.PASSWORD_MIN_CLASSES)
    body = (
        f"<p class='hint'>{rule}</p>{_error(message)}<form method='post' action='{PASSWORD}'>"
        f"<input type='hidden' name='next' value='{html.escape(next_path, quote=True)}'>"
        f"<label for='old'>{t('web.old_password')}</label>"
        "<input id='old' name='old' type='password' autocomplete='current-password' required>"
        f"<label for='new'>{t('web.new_password')}</label>"
        "<input id='new' name='new' type='password' autocomplete='new-password' required>"
        f"<label for='again'>{t('web.new_password_again')}</label>"
        "<input id='again' name='again' type='password' autocomplete='new-password' required>"
        f"<button type='submit'>{t('web.change')}</button></form>"
    )
    return _page(t("web.password_title"), body, status)


def _set_cookie(response: Response, cookie: str) -> None:
    response.set_cookie(
        settings.SESSION_COOKIE,
        cookie,
        max_age=settings.SESSION_HOURS * 3600,
        path="/",
        httponly=True,
        samesite="strict",
    )


async def login_page(request: Request) -> Response:
    return _login_form(_next(request.query_params.get("next")))


async def login(request: Request) -> Response:
    form = await request.form()
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    next_path = _next(str(form.get("next", "")))
    try:
        _, cookie, must_change = users.authenticate(_db(), name, password, client=_client(request.scope))
    except users.LoginFailed as error:
        return _login_form(next_path, str(error), name, status=401)
    target = f"{PASSWORD}?next={quote(next_path)}" if must_change else next_path
    response = RedirectResponse(target, status_code=303)
    _set_cookie(response, cookie)
    return response


async def password_page(request: Request) -> Response:
    if sessions.resolve(_db(), request.cookies.get(settings.SESSION_COOKIE)) is None:
        return RedirectResponse(f"{LOGIN}?next={quote(PASSWORD)}", status_code=303)
    return _password_form(_next(request.query_params.get("next")))


async def change_password(request: Request) -> Response:
    actor = sessions.resolve(_db(), request.cookies.get(settings.SESSION_COOKIE), _client(request.scope))
    form = await request.form()
    next_path = _next(str(form.get("next", "")))
    if actor is None:
        return RedirectResponse(f"{LOGIN}?next={quote(PASSWORD)}", status_code=303)
    new = str(form.get("new", ""))
    if new != str(form.get("again", "")):
        return _password_form(next_path, t("web.passwords_differ"), status=400)
    try:
        users.change_own_password(_db(), actor.name, str(form.get("old", "")), new, client=actor.client)
    except users.AccountProblem as error:
        return _password_form(next_path, str(error), status=400)
    return RedirectResponse(next_path, status_code=303)


async def logout(request: Request) -> Response:
    cookie = request.cookies.get(settings.SESSION_COOKIE)
    users.logout(_db(), sessions.resolve(_db(), cookie, _client(request.scope)), cookie)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(settings.SESSION_COOKIE, path="/")
    return response


ROUTES = [
    Route(LOGIN, login_page, methods=["GET"]),
    Route(LOGIN, login, methods=["POST"]),
    Route(PASSWORD, password_page, methods=["GET"]),
    Route(PASSWORD, change_password, methods=["POST"]),
    Route(LOGOUT, logout, methods=["GET", "POST"]),
]


def _cookie(scope) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                name, _, content = part.strip().partition("=")
                if name == settings.SESSION_COOKIE:
                    return content.strip('"')
    return None


def _blocked_to(cookie: str | None, path: str, anonymous_viewing: bool) -> str | None:
    """Where the gate sends a request instead (the login or the password form), or None to let it through."""
    actor = sessions.resolve(_db(), cookie) if cookie else None
    if actor is not None and sessions.must_change(_db(), actor):
        return f"{PASSWORD}?next={quote(path)}"
    if actor is None and not anonymous_viewing:
        return f"{LOGIN}?next={quote(path)}"
    return None


class Gate:
    """ASGI middleware: without anonymous viewing, only a valid session passes; an unchanged initial password
    reaches only its change form. Every browser tab's websocket is checked when it opens."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket") or scope["path"].startswith(_OPEN):
            await self.app(scope, receive, send)
            return
        anonymous_viewing = settings.anonymous_viewing()
        path = scope["path"]
        if anonymous_viewing and path.startswith(_ASSETS) and path != _STREAM:
            await self.app(scope, receive, send)
            return
        # The store is opened in a worker thread: another process's write lock must not stall the server.
        blocked_to = await run_in_threadpool(_blocked_to, _cookie(scope), path, anonymous_viewing)
        if blocked_to is None:
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
        else:
            await RedirectResponse(blocked_to, status_code=303)(scope, receive, send)
