"""The server's safe defaults, as Streamlit itself reads them from .streamlit/config.toml."""

from __future__ import annotations

import subprocess
import sys

from analytics import settings

ROOT = settings.PROJECT_ROOT


def _effective() -> dict[str, str]:
    """`streamlit config show` run in the project: every option as Streamlit resolved it."""
    shown = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    values, section = {}, ""
    for line in shown.splitlines():
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif line and not line.startswith("#") and " = " in line:
            key, value = line.split(" = ", 1)
            values[f"{section}.{key}"] = value
    return values


def test_the_server_listens_on_this_machine_only_and_shows_visitors_no_error_details():
    effective = _effective()
    assert effective["server.address"] == f'"{settings.SERVER_ADDRESS}"' == '"127.0.0.1"'
    assert effective["client.showErrorDetails"] == '"none"'
    assert effective["client.showErrorLinks"] == "false"
