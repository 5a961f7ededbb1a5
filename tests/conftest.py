"""Shared fixtures: a throwaway empty database and one loaded with the bundled sample."""

from __future__ import annotations

import pytest

from analytics import store


@pytest.fixture
def empty_db(tmp_path, monkeypatch):
    """A fresh database file with the schema and no data; $SAFETY_DB points at it."""
    path = tmp_path / "test.duckdb"
    store.ensure_schema(path)
    monkeypatch.setenv("SAFETY_DB", str(path))
    return path


@pytest.fixture(scope="session")
def sample_db_path(tmp_path_factory):
    """A database loaded once per test session with the bundled sample data (treat as read-only)."""
    from analytics.sample.lifecycle import load_sample

    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    store.ensure_schema(path)
    load_sample(path)
    return path
