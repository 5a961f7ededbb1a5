"""The test session's PostgreSQL 15 server: started on first use, stopped when the session ends.

The server itself is scripts/pg_local.py (the benchmark starts one too). One cluster serves the
whole session; each test gets its own empty database (`fresh_database`), dropped after the test
unless it belongs to a session- or module-scoped fixture. Under pytest-xdist each worker is its own
process with its own server (its own folder and port), so a plain module global is enough. When the binaries are missing, `fresh_database`
fails the test with the reason: a suite asked to run on PostgreSQL must not pass by skipping.
"""

from __future__ import annotations

import atexit
import signal

import pytest

from scripts.pg_local import LocalServer, Unavailable, binaries_missing

_server: LocalServer | None = None
_failure: str | None = None
_per_test: list[str] = []
_schema_template: str | None = None


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
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:  # `timeout` or CI cancelling the job
            signal.signal(signal.SIGTERM, _terminated)
    return _server


def fresh_database(name: str, lasting: bool = False) -> str:
    """The URL of a new empty database (no schema); dropped after the current test unless `lasting`."""
    url = server().create_database(name)
    if not lasting:
        _per_test.append(url)
    return url


def with_schema(name: str, lasting: bool = False) -> str:
    """The URL of a new database that already holds the current schema and no data.

    Copied from a template the session builds once with `store.ensure_schema` (creating the schema
    takes about a second on the server; copying a database a tenth of that).
    """
    global _schema_template
    if _schema_template is None:
        from analytics import store

        template = server().create_database("schema_template")
        store.ensure_schema(template)
        _schema_template = template
    return copy_database(_schema_template, name, lasting=lasting)


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


def _terminated(signum, frame) -> None:
    raise KeyboardInterrupt  # pytest then ends the session, runs the teardowns and atexit: the server stops


def stop() -> None:
    global _server, _schema_template
    _schema_template = None
    if _server is not None:
        _server.stop()
        _server = None
