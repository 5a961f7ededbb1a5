"""The text catalogue and the code agree (as Home Assistant's hassfest checks strings.json).

Every `t("key", ...)` in the source names a key of `analytics.text.zh.TEXT` and
fills exactly that text's placeholders; every key of the catalogue is used; the
catalogue has no key twice; and the page scripts, the Streamlit helpers and the
entry hold no Chinese text of their own (docstrings and comments aside).
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from analytics.store import PROJECT_ROOT
from analytics.text.zh import TEXT, t

ROOT = Path(PROJECT_ROOT)
SOURCES = sorted(
    [
        ROOT / "dashboard.py",
        *(ROOT / "pages").glob("*.py"),
        *(ROOT / "ui").glob("*.py"),
        *(ROOT / "analytics").rglob("*.py"),
    ]
)
CATALOGUE = ROOT / "analytics" / "text" / "zh.py"
CATALOGUES = tuple(sorted((ROOT / "analytics" / "text").glob("zh*.py")))  # zh.TEXT is all of these tables
# Files that must hold no Chinese string of their own. ui/chinese.py is itself a catalogue: Streamlit's
# English words and their Chinese.
NO_OWN_TEXT = sorted(
    [
        ROOT / "dashboard.py",
        *(ROOT / "pages").glob("*.py"),
        *(p for p in (ROOT / "ui").glob("*.py") if p.name != "chinese.py"),
        *(ROOT / "analytics" / "charts").glob("*.py"),
        # argparse_zh.py, like ui/chinese.py, is a table of a library's English messages and their Chinese.
        *(p for p in (ROOT / "analytics" / "cli").glob("*.py") if p.name != "argparse_zh.py"),
    ]
)
CJK = re.compile(r"[\u4e00-\u9fff]")
# Names (functions or module-level assignments) whose Chinese is allowed to stay where it is, and why.
ALLOWED = {
    # A pattern that finds the rank word 第 in a card's text; it is matched, never shown.
    "ui/cards.py": {"_WORD"},
    # 百分点 comparisons: being moved into analytics/ with the figures they compute (issue 9, item 3).
    "ui/supervision.py": {"rate_change", "progress_gap"},
    # Finds the report's opening paragraph by its first words, to print it; the words are the report's.
    "analytics/cli/report.py": {"cmd_report"},
}


def _calls(path: Path) -> list[tuple[int, ast.Call]]:
    """Every call of `t(...)` (the catalogue's function, imported by that name) in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t"
    ]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _uses() -> list[tuple[str, str, set[str] | None]]:
    """(where, key, keyword names given; None when given as **mapping) for every call in the source."""
    found = []
    for path in SOURCES:
        if path in CATALOGUES:
            continue
        for line, call in _calls(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            assert (
                call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)
            ), f"{where}: the key must be a string literal, so this check can see it"
            names = None if any(k.arg is None for k in call.keywords) else {k.arg for k in call.keywords}
            found.append((where, call.args[0].value, names))
    return found


USES = _uses()


def test_the_code_uses_the_catalogue():
    assert len(USES) > 200


@pytest.mark.parametrize(("where", "key", "names"), USES, ids=[f"{w} {k}" for w, k, _ in USES])
def test_every_key_used_exists_with_the_placeholders_it_fills(where, key, names):
    assert key in TEXT, f"{where}: {key} is not in analytics/text/zh.py"
    if names is not None:
        assert names == _placeholders(TEXT[key]), where


def test_no_key_is_unused():
    used = {key for _, key, _ in USES}
    assert sorted(set(TEXT) - used) == []


def test_no_key_is_written_twice():
    keys = []
    for path in CATALOGUES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        table = next(
            node.value
            for node in tree.body
            if isinstance(node, ast.AnnAssign) and node.target.id.endswith("TEXT")
        )
        keys += [k.value for k in table.keys]
    assert len(keys) == len(set(keys)) == len(TEXT)


def test_every_text_formats_and_is_chinese():
    for key, text in TEXT.items():
        values = {name: "X" for name in _placeholders(text)}
        assert t(key, **values), key
        assert CJK.search(text) or text.strip("{}（）·/ ") == "" or "{" in text, key


def _docstrings(tree: ast.AST) -> set[int]:
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and ast.get_docstring(node) is not None
    }


@pytest.mark.parametrize("path", NO_OWN_TEXT, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_and_ui_hold_no_chinese_of_their_own(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    allowed = ALLOWED.get(str(path.relative_to(ROOT)), set())
    for node in tree.body:
        names = {node.name} if isinstance(node, ast.FunctionDef) else set()
        if isinstance(node, ast.Assign):
            names = {target.id for target in node.targets if isinstance(target, ast.Name)}
        if names & allowed:
            skip |= {id(inner) for inner in ast.walk(node)}
    own = [
        f"{node.lineno}: {node.value[:40]}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and CJK.search(node.value)
    ]
    assert own == []
