"""`python -m analytics serve` starts the dashboard with the project's settings from any folder."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from analytics import settings
from analytics.cli.ops import serve_command
from tests.stores import has_schema, new_db

ROOT = settings.PROJECT_ROOT
PORTS = range(8690, 8700)  # this test's own, apart from the browser tests' ports


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


def test_the_command_names_the_entry_by_its_full_path_and_the_given_address():
    command = serve_command("0.0.0.0", 9000)
    assert command[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert command[4] == str(ROOT / "app.py")
    assert command[command.index("--server.address") + 1] == "0.0.0.0"
    assert command[command.index("--server.port") + 1] == "9000"
    assert command[command.index("--browser.gatherUsageStats") + 1] == "false"


def test_serve_from_another_folder_answers_and_creates_the_database(tmp_path):
    port = _free_port()
    db = new_db(tmp_path, "new")
    env = {**settings.environment_with_db(db), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "analytics", "serve", "--port", str(port)],
        cwd=tmp_path,  # not the project folder
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, process.stderr.read().decode()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "serve did not answer"
                time.sleep(0.3)
        assert has_schema(db)  # the schema is brought up to date before the server starts
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
