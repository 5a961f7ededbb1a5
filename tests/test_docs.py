"""The documents in the repository: generated ones are current, copies agree with their sources, and every
link in README.md and docs/ resolves inside the repository (a clone holds everything it points to)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analytics import settings
from analytics.cli.main import HANDLERS
from analytics.contract import document
from analytics.text.fields import FIELDS

ROOT = settings.PROJECT_ROOT
DOCS = ROOT / "docs"
MARKDOWN = sorted([ROOT / "README.md", *DOCS.rglob("*.md")])
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def _links(path: Path) -> list[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))  # commands in code blocks are not links
    text = re.sub(r"`[^`\n]*`", "", text)
    return LINK.findall(text)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {_slug(h) for h in re.findall(r"^#{1,6}\s+(.+)$", text, re.MULTILINE)}


def test_the_data_contract_document_is_current():
    assert document.TARGET.read_text(encoding="utf-8") == document.render(), (
        "docs/数据规范.md is stale: run python -m analytics.contract.document"
    )


def test_the_data_contract_document_names_every_dataset_and_column():
    from analytics.contract.datasets import DATASETS

    text = document.render()
    for dataset in DATASETS.values():
        assert f"`{dataset.name}`" in text
        for column in dataset.columns:
            assert f"| {column.zh} | `{column.name}` |" in text


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_resolves_inside_the_repository(path):
    links = _links(path)
    for link in links:
        assert not re.match(r"^[a-z][a-z0-9+.-]*:", link, re.IGNORECASE), (
            f"{path.name}: {link} leaves the repository"
        )
        target, _, anchor = link.partition("#")
        resolved = (path.parent / target).resolve() if target else path
        assert resolved.is_relative_to(ROOT), f"{path.name}: {link} points outside the repository"
        assert resolved.exists(), f"{path.name}: {link} does not exist"
        if anchor and resolved.suffix == ".md":
            assert anchor in _anchors(resolved), f"{path.name}: no heading #{anchor} in {resolved.name}"


def test_the_readme_links_to_the_documents():
    readme_links = {link.partition("#")[0] for link in _links(ROOT / "README.md")}
    for name in ("部署.md", "数据规范.md", "指标口径.md", "命令行.md", "用户手册.md"):
        assert f"docs/{name}" in readme_links, name


def test_the_guides_nginx_configuration_is_the_tested_file():
    guide = (DOCS / "部署.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```nginx\n(.*?)^```", guide, re.MULTILINE | re.DOTALL)
    assert blocks == [(DOCS / "nginx" / "safety.conf").read_text(encoding="utf-8")]


def test_the_command_line_document_covers_every_subcommand():
    text = (DOCS / "命令行.md").read_text(encoding="utf-8")
    assert [name for name in HANDLERS if f"### `{name}`" not in text] == []


def test_the_metric_definitions_name_every_figure():
    text = (DOCS / "指标口径.md").read_text(encoding="utf-8")
    assert [f.label for f in FIELDS.values() if f.label not in text] == []
