"""Meeting mode under AppTest: chart text for the projector, cards that do not break inside a word."""

from __future__ import annotations

import json

import pytest

from tests.apptest_support import run_page
from ui import meeting

PAGES = ("pages/trends.py", "pages/ranking.py", "pages/townships.py", "pages/training.py")


@pytest.fixture
def sample(sample_db_path, monkeypatch):
    monkeypatch.setenv("SAFETY_DB", str(sample_db_path))
    monkeypatch.delenv("SAFETY_HOME_COUNTY", raising=False)


def _fonts(spec: dict) -> list[tuple[str, float]]:
    """Every font size a figure sets or inherits for its text: layout, title, legend, axes, traces."""
    layout = spec["layout"]
    base = layout["font"]["size"]
    sizes = [("font", base), ("title", layout.get("title", {}).get("font", {}).get("size", base))]
    sizes.append(("legend", layout.get("legend", {}).get("font", {}).get("size", base)))
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")):
            sizes.append((f"{name}.tickfont", axis.get("tickfont", {}).get("size", base)))
            sizes.append((f"{name}.title", axis.get("title", {}).get("font", {}).get("size", base)))
    for index, trace in enumerate(spec["data"]):
        if "text" in trace or "texttemplate" in trace:
            sizes.append((f"trace{index}.textfont", trace.get("textfont", {}).get("size", base)))
    return sizes


@pytest.mark.parametrize("page", PAGES)
def test_chart_text_is_at_least_18px_in_meeting_mode(sample, page):
    app = run_page(page, {"meeting": "1"})
    charts = app.get("plotly_chart")
    assert charts, page
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        small = [(where, size) for where, size in _fonts(spec) if size < meeting.PROJECTOR_FONT_PX]
        assert not small, (page, spec["layout"].get("title", {}).get("text"), small)


def test_chart_text_keeps_its_screen_size_outside_meeting_mode(sample):
    app = run_page("pages/trends.py")
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["font"]["size"] < meeting.PROJECTOR_FONT_PX


def test_card_values_never_break_inside_a_word(sample):
    app = run_page("pages/overview.py", {"meeting": "1"})
    styles = "\n".join(str(m.value) for m in app.markdown) + meeting._CSS
    assert "white-space: nowrap" in styles and "word-break: keep-all" in styles
