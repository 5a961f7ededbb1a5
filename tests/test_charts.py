"""Chart builders: colours by meaning, this year beside last, Chinese in exported images."""

import shutil

import pandas as pd
import pytest

from analytics.charts import leader as charts
from analytics.charts.leader import EQUAL, GREEN, RED


@pytest.mark.parametrize(
    "value, previous, lower_is_better, colour",
    [
        (5, 3, True, RED),  # more accidents is bad
        (2, 3, True, GREEN),
        (3, 3, True, EQUAL),
        (None, 3, True, EQUAL),
        (95.0, 90.0, False, GREEN),  # a higher 整改率 is good
        (80.0, 90.0, False, RED),
    ],
)
def test_colours_follow_meaning_not_sign(value, previous, lower_is_better, colour):
    assert charts.meaning_colours([value], [previous], lower_is_better) == [colour]


def _monthly() -> pd.DataFrame:
    return pd.DataFrame({"month": [1, 2, 3], "accidents": [4, 1, 2], "accidents_previous": [2, 3, 2]})


def test_monthly_bars_put_this_year_beside_last_year():
    figure = charts.monthly_bars(_monthly(), "accidents", 2026, scope="云溪县")
    previous, current = figure.data[0], figure.data[1]
    assert previous.name == "2025年（同期）" and list(previous.y) == [2, 3, 2]
    assert list(current.x) == ["1月", "2月", "3月"] and list(current.y) == [4, 1, 2]
    assert list(current.marker.color) == [RED, GREEN, EQUAL]
    assert "云溪县" in figure.layout.title.text
    legend = [
        trace.name
        for trace in figure.data
        if trace.showlegend is not False and trace.name.startswith("2026年")
    ]
    assert legend == ["2026年高于同期", "2026年低于同期", "2026年持平"]


@pytest.mark.skipif(not shutil.which("chromium"), reason="kaleido renders with Debian's chromium")
def test_figure_png_is_an_image():
    png = charts.figure_png(charts.monthly_bars(_monthly(), "accidents", 2026), 600, 300)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
