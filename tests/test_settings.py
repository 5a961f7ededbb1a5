"""analytics/settings.py is the one place for settings: README, Streamlit's config and the code agree with it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from analytics import settings, store
from analytics.documents import templates
from analytics.importing import headers
from analytics.importing.validate import MAX_ERRORS
from analytics.metrics.common import home_county
from ui import meeting

ROOT = Path(__file__).resolve().parents[1]
CODE = [ROOT / "dashboard.py", *(ROOT / d for d in ("analytics", "ui", "pages", "scripts"))]


def _python_files() -> list[Path]:
    files = []
    for place in CODE:
        files += [place] if place.is_file() else sorted(place.rglob("*.py"))
    return files


def test_readme_settings_table_is_the_modules():
    assert settings.markdown_table() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_streamlit_config_holds_the_values_listed():
    config = tomllib.loads(settings.STREAMLIT_CONFIG.read_text(encoding="utf-8"))
    for (section, key), value in settings.STREAMLIT_SETTINGS.items():
        assert config[section][key] == value, f"{section}.{key}"


def test_only_the_settings_module_reads_the_environment():
    readers = [
        str(path.relative_to(ROOT))
        for path in _python_files()
        if re.search(r"os\.environ|getenv\(", path.read_text(encoding="utf-8"))
    ]
    assert readers == ["analytics/settings.py"]


def test_every_environment_variable_the_code_names_is_listed():
    named = set()
    for path in _python_files():
        named |= set(re.findall(r"\bSAFETY_[A-Z_]+", path.read_text(encoding="utf-8")))
    listed = " ".join(s.where for s in settings.SETTINGS)
    assert named and all(f"`{name}`" in listed for name in named), named


def test_the_code_uses_the_settings_values():
    assert store.LOCK_WAIT_SECONDS == settings.LOCK_WAIT_SECONDS
    assert MAX_ERRORS == settings.MAX_ERRORS_PER_FILE
    assert headers.HEADER_SCAN_ROWS == settings.HEADER_SCAN_ROWS
    assert templates.VALIDATED_ROWS == settings.TEMPLATE_VALIDATED_ROWS
    assert meeting.MIN_CYCLE_SECONDS == settings.MEETING_MIN_CYCLE_SECONDS


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, settings.DEFAULT_DB), ("", settings.DEFAULT_DB), ("/tmp/x.duckdb", Path("/tmp/x.duckdb"))],
)
def test_database_file_from_the_environment(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv(settings.DB_ENV, raising=False)
    else:
        monkeypatch.setenv(settings.DB_ENV, value)
    assert store.db_path() == expected
    assert store.db_path("given.duckdb") == Path("given.duckdb")


def test_home_county_from_the_environment_comes_first(monkeypatch, empty_db):
    with store.connect(empty_db, read_only=False) as con:
        store.set_meta(con, "home_county", "甲县")
        monkeypatch.delenv(settings.HOME_COUNTY_ENV, raising=False)
        assert home_county(con) == "甲县"
        monkeypatch.setenv(settings.HOME_COUNTY_ENV, "乙县")
        assert home_county(con) == "乙县"
