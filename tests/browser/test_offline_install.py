"""The Linux bundle installs into a fresh virtual environment from its own wheels alone, loads the
sample and serves a page that renders in Chromium (`python -m analytics serve`, started outside the
repository)."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile

import pytest

from scripts import bundle
from tests.browser.support import deploy_ports, open_page, process_server

pytestmark = pytest.mark.browser


def _clean_environment(tmp_path) -> dict[str, str]:
    """This machine's environment without pip's own settings (its indexes, links and constraints)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV", "PYTHON"))}
    env["HOME"] = str(tmp_path / "home")  # no ~/.config/pip, ~/.streamlit of the developer
    return env


def test_the_linux_bundle_installs_offline_and_serves_the_dashboard(page, tmp_path):
    archive = bundle.build("linux", tmp_path / "dist", cache=bundle.TEST_CACHE)
    with tarfile.open(archive) as opened:
        opened.extractall(tmp_path / "site", filter="data")
    home = tmp_path / "site" / bundle.NAME
    env = {
        **_clean_environment(tmp_path),
        "PYTHON": sys.executable,
        "SAFETY_DB": str(tmp_path / "db" / "s.duckdb"),
    }
    (tmp_path / "home").mkdir()
    install = subprocess.run(
        ["sh", str(home / "install.sh")], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert install.returncode == 0, install.stdout + install.stderr
    assert "--no-index" in (home / "install.sh").read_text(encoding="utf-8")
    python = home / ".venv" / "bin" / "python"
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import streamlit, duckdb, analytics; print(streamlit.__file__, analytics.__file__)",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert all(path.startswith(str(home)) for path in where), where  # the bundle's own copy, nothing else
    loaded = subprocess.run(
        [str(python), "-m", "analytics", "init", "--sample"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert loaded.returncode == 0, loaded.stderr
    (port,) = deploy_ports(1)
    command = [str(python), "-m", "analytics", "serve", "--port", str(port)]
    base = f"http://127.0.0.1:{port}"
    with process_server(command, f"{base}/_stcore/health", "bundle", cwd=tmp_path, env=env):
        open_page(page, base, "/", "总览", name="bundle-overview")
        open_page(page, base, "/ranking", "全市排位", name="bundle-ranking")
