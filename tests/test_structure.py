"""The layout rules of issue 9 that a grep can check, so they stay true."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"


def _code() -> list[Path]:
    files = [ROOT / "dashboard.py"]
    for folder in ("analytics", "ui", "pages", "scripts"):
        files += sorted((ROOT / folder).rglob("*.py"))
    return files


def _relative(paths) -> list[str]:
    return sorted(str(path.relative_to(ROOT)) for path in paths)


def test_one_module_touches_streamlits_runtime():
    touching = [path for path in _code() if "streamlit.runtime" in path.read_text(encoding="utf-8")]
    assert _relative(touching) == ["ui/runtime.py"]


def test_no_data_query_names_its_function_by_string():
    by_string = re.compile(r"query\(\s*[\"']")
    offenders = [path for path in _code() if by_string.search(path.read_text(encoding="utf-8"))]
    assert _relative(offenders) == []


def test_no_analytics_module_is_over_500_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / "analytics").rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}


def test_every_page_stays_thin():
    long = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / "pages").glob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 150
    }
    assert long == {}


def test_analytics_never_imports_streamlit():
    importing = [
        path
        for path in (ROOT / "analytics").rglob("*.py")
        if re.search(r"^\s*(import streamlit|from streamlit)", path.read_text(encoding="utf-8"), re.M)
    ]
    assert _relative(importing) == []


def test_test_modules_do_not_import_each_other():
    importing = re.compile(
        r"^\s*(from tests(\.\w+)*\.test_\w+ import|from tests(\.\w+)* import test_|import tests\.)", re.M
    )
    conftest = re.compile(r"^\s*from tests(\.\w+)*\.conftest import", re.M)
    offenders = [
        path
        for path in TESTS.rglob("*.py")
        if importing.search(text := path.read_text(encoding="utf-8")) or conftest.search(text)
    ]
    assert _relative(offenders) == []
