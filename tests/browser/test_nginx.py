"""The dashboard behind nginx configured exactly as docs/部署.md says (docs/nginx/safety.conf): pages
render over HTTPS through it, the websocket included, and its upload limit is the app's."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest

from analytics import settings
from tests.browser.support import (
    LOCAL_HOSTS,
    PAGE_TIMEOUT_MS,
    ROOT,
    TALL,
    deploy_ports,
    open_page,
    process_server,
    run_server,
)

pytestmark = pytest.mark.browser
CONF = ROOT / "docs" / "nginx" / "safety.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} should appear once in {CONF.name}"
    return text.replace(old, new)


def site_config(upstream_port: int, http_port: int, https_port: int, cert: Path, key: Path) -> str:
    """The guide's file with only the machine's particulars changed: ports and certificate paths."""
    text = CONF.read_text(encoding="utf-8")
    text = _replace_once(text, "server 127.0.0.1:8501;", f"server 127.0.0.1:{upstream_port};")
    text = _replace_once(text, "listen 80;", f"listen 127.0.0.1:{http_port};")
    text = _replace_once(text, "listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    text = _replace_once(text, "/etc/nginx/ssl/safety.crt", str(cert))
    return _replace_once(text, "/etc/nginx/ssl/safety.key", str(key))


def main_config(site: Path, prefix: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf provides around conf.d/, in a folder of the test's own."""
    user = "user root root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}daemon off;\nworker_processes 1;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} info;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n    access_log {prefix / 'access.log'};\n{temp}\n    include {site};\n}}\n"
    )


def test_the_upload_limit_in_the_guides_config_is_the_apps():
    limit = re.search(r"client_max_body_size\s+(\d+)m;", CONF.read_text(encoding="utf-8"))
    assert limit and int(limit.group(1)) == settings.UPLOAD_LIMIT_MB


@pytest.fixture
def behind_nginx(browser_sample_db, tmp_path):
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (make test installs it)")
    cert, key = tmp_path / "safety.crt", tmp_path / "safety.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    with run_server(browser_sample_db) as app_url:
        http_port, https_port = deploy_ports(2)
        site = tmp_path / "safety.conf"
        prefix = tmp_path / "nginx"
        prefix.mkdir()
        site.write_text(
            site_config(urlparse(app_url).port, http_port, https_port, cert, key), encoding="utf-8"
        )
        main = prefix / "nginx.conf"
        main.write_text(main_config(site, prefix), encoding="utf-8")
        checked = subprocess.run(
            [NGINX, "-t", "-c", str(main), "-p", str(prefix)], capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stderr
        command = [NGINX, "-c", str(main), "-p", str(prefix)]
        with process_server(command, f"https://127.0.0.1:{https_port}/_stcore/health", "nginx", cwd=prefix):
            yield f"https://127.0.0.1:{https_port}", f"http://127.0.0.1:{http_port}"


def test_the_dashboard_works_through_nginx_websocket_included(chromium, behind_nginx):
    https_url, http_url = behind_nginx
    context = chromium.new_context(viewport=TALL, locale="zh-CN", ignore_https_errors=True)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    outside, sockets = [], []
    page.on(
        "request",
        lambda r: outside.append(r.url) if urlparse(r.url).hostname not in LOCAL_HOSTS else None,
    )
    page.on("websocket", lambda ws: sockets.append(ws.url))
    try:
        open_page(page, https_url, "/", "总览", name="nginx-overview")
        # A page switch and its figures come over the websocket: the page renders only if it is upgraded.
        open_page(page, https_url, "/hazards", "隐患整改", name="nginx-hazards")
    finally:
        context.close()
    assert any(url.startswith(f"{https_url.replace('https', 'wss')}/_stcore/stream") for url in sockets), (
        sockets
    )
    assert not outside, outside


def test_plain_http_is_sent_to_https(behind_nginx):
    _, http_url = behind_nginx
    connection = http.client.HTTPConnection(urlparse(http_url).hostname, urlparse(http_url).port, timeout=10)
    connection.request("GET", "/ranking?county=x", headers={"Host": "safety.example"})
    response = connection.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == "https://safety.example/ranking?county=x"
