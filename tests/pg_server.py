"""The test session's PostgreSQL 15 server: started on first use, stopped when the session ends.

The server itself is scripts/pg_local.py (the benchmark starts one too). One cluster serves the
whole session; each test gets its own empty database (`fresh_database`), dropped after the test
unless it belongs to a session- or module-scoped fixture. Tests run serially (no pytest-xdist), so
one server and a plain module global are enough. When the binaries are missing, `fresh_database`
fails the test with the reason: a suite asked to run on PostgreSQL must not pass by skipping.
"""

from __future__ import annotations

import atexit

import pytest

from scripts.pg_local import LocalServer, Unavailable, binaries_missing

_server: LocalServer | None = None
_failure: str | None = None
_per_test: list[str] = []


def server() -> LocalServer:
    """The session's running server (started now if this is the first call)."""
    global _server, _failure
    if _server is None:
        if _failure is None:
            _failure = binaries_missing()
        if _failure is not None:
            pytest.fail(f"SAFETY_TEST_STORE=postgresql, but no PostgreSQL server can be started: {_failure}")
        try:
            _server = LocalServer().start()
        except Unavailable as error:
            _failure = str(error)
            pytest.fail(f"SAFETY_TEST_STORE=postgresql, but the PostgreSQL server did not start: {error}")
        atexit.register(stop)  # also when the session is interrupted before its teardown
    return _server


def fresh_database(name: str, lasting: bool = False) -> str:
    """The URL of a new empty database (no schema); dropped after the current test unless `lasting`."""
    url = server().create_database(name)
    if not lasting:
        _per_test.append(url)
    return url


def copy_database(url: str, name: str, lasting: bool = False) -> str:
    """The URL of a new database holding a copy of the one at `url`."""
    copy = server().copy_database(url, name)
    if not lasting:
        _per_test.append(copy)
    return copy


def drop_test_databases() -> None:
    """Drop the databases the finished test made (their connections are ended first)."""
    while _per_test:
        url = _per_test.pop()
        if _server is not None:
            _server.drop_database(url)


def stop() -> None:
    global _server
    if _server is not None:
        _server.stop()
        _server = None
