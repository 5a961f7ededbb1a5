"""Shared fixtures: a throwaway empty database and one loaded with the bundled sample.

The store is chosen by $SAFETY_TEST_STORE (tests/stores.py): DuckDB files by default, or
databases on a local PostgreSQL server. Tests marked `file_store` are about the DuckDB file itself
and are skipped on PostgreSQL; those marked `server_store` are about the server and skipped on DuckDB.
Tests marked `presentation` are about how the browser draws a page (sizes at the projector, Streamlit's
own menus in Chinese): the same on either store, they run on DuckDB only.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

from analytics import store
from tests import stores

# A server store's first start writes its initial password file in this folder, not the project's data/;
# the process that made it removes it when it exits (pytest-xdist workers inherit the controller's).
if "SAFETY_PASSWORD_DIR" not in os.environ:
    os.environ["SAFETY_PASSWORD_DIR"] = tempfile.mkdtemp(prefix="safety-passwords-")
    atexit.register(shutil.rmtree, os.environ["SAFETY_PASSWORD_DIR"], ignore_errors=True)


def pytest_report_header(config) -> str:
    return f"store: {stores.STORE} (SAFETY_TEST_STORE)"


def pytest_collection_modifyitems(config, items) -> None:
    if stores.ON_PG:
        skipped = {
            "file_store": "about the DuckDB file itself (file_store): not run on PostgreSQL",
            "presentation": "about how the browser draws a page (presentation): run on DuckDB only",
        }
    else:
        skipped = {"server_store": "about the database server itself (server_store): not run on DuckDB"}
    for item in items:
        for marker, reason in skipped.items():
            if item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=reason))
                break


@pytest.fixture(autouse=True)
def _drop_test_databases():
    """On PostgreSQL, drop the databases a test made once it is over (the session's stay)."""
    yield
    if stores.ON_PG:
        from tests import pg_server

        pg_server.drop_test_databases()


@pytest.fixture(scope="session", autouse=True)
def _stop_pg_server():
    """Stop the session's PostgreSQL server at the end, whether the tests passed or not."""
    yield
    if stores.ON_PG:
        from tests import pg_server

        pg_server.stop()


@pytest.fixture
def empty_db(tmp_path, monkeypatch):
    """A fresh database with the schema and no data; $SAFETY_DB points at it."""
    path = stores.new_db(tmp_path, "test", schema=True)
    store.ensure_schema(path)
    monkeypatch.setenv("SAFETY_DB", str(path))
    return path


@pytest.fixture(scope="session")
def sample_db_path(tmp_path_factory):
    """A database loaded once per test session with the bundled sample data (treat as read-only)."""
    from analytics.sample.lifecycle import load_sample

    path = stores.new_db(tmp_path_factory.mktemp("sample"), "sample", lasting=True)
    store.ensure_schema(path)
    load_sample(path)
    return path


@pytest.fixture(scope="session")
def cleared_db_path(tmp_path_factory):
    """A database whose sample was loaded and then removed, made once per session (treat as read-only)."""
    from analytics.sample.lifecycle import load_sample, remove_sample

    path = stores.new_db(tmp_path_factory.mktemp("cleared"), "cleared", lasting=True)
    store.ensure_schema(path)
    load_sample(path)
    remove_sample(path)
    return path


@pytest.fixture
def cleared_db(cleared_db_path, tmp_path, monkeypatch):
    """A copy of that database for one test: no records, and the app must not load the sample again.

    $SAFETY_DB points at it.
    """
    path = stores.copy_db(cleared_db_path, tmp_path, "cleared")
    monkeypatch.setenv("SAFETY_DB", str(path))
    return path
