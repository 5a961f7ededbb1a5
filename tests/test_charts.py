"""Chart builders: colours by meaning, this year beside last, Chinese in exported images."""

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from analytics import settings
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


@pytest.mark.skipif(not shutil.which("chromium"), reason="kaleido renders with Debian's chromium")
def test_the_image_browser_exits_when_idle_and_starts_again_for_the_next_image(monkeypatch):
    import time

    monkeypatch.setattr(charts, "PNG_BROWSER_IDLE_SECONDS", 0.5)
    figure = charts.monthly_bars(_monthly(), "accidents", 2026)
    assert charts.figure_png(figure, 600, 300)[:8] == b"\x89PNG\r\n\x1a\n"
    assert charts.png_browser_running()
    deadline = time.monotonic() + 60  # the timer fires after 0.5 s; closing Chromium takes what it takes
    while charts.png_browser_running() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not charts.png_browser_running()
    assert charts.figure_png(figure, 600, 300)[:8] == b"\x89PNG\r\n\x1a\n"  # started again


def _ranking_frame() -> pd.DataFrame:
    counties = [
        "东山县",
        "临河县",
        "云溪县",
        "川中区",
        "松岭县",
        "枫林县",
        "白鹭县",
        "苇塘县",
        "雁鸣县",
        "鹤溪县",
    ]
    return pd.DataFrame({"county": counties, "accidents": range(10), "rank": range(1, 11)})


def _every_figure():
    """One figure of each builder a page or the brief downloads."""
    from analytics.charts import supervision as cs

    townships = {
        "rows": [
            {"township": name, **dict.fromkeys(cs.townships_metrics.TOWNSHIP_FIELDS, 1)}
            for name in ("城关镇", "三合街道", None)
        ],
        "total": {"township": "合计", **dict.fromkeys(cs.townships_metrics.TOWNSHIP_FIELDS, 3)},
    }
    coverage = pd.DataFrame({"township": ["城关镇", None], "coverage_pct": [80.0, None], "trained": [8, 2]})
    coverage["required"] = [10, None]
    hazards = pd.DataFrame({"month": [1, 2], "found": [3, 4], "rectification_rate": [90.0, None]})
    departments = pd.DataFrame(
        {"department": ["县应急管理局", "县住建局"], "cases": [3, 1], "previous": [2, 2]}
    )
    return {
        "monthly_bars": charts.monthly_bars(_monthly(), "accidents", 2026),
        "ranking_bars": charts.ranking_bars(
            _ranking_frame(), "accidents", "东山县", "事故起数全市排位", "起"
        ),
        "township_ranking": cs.township_ranking(townships, "accidents"),
        "coverage_bars": cs.coverage_bars(coverage, "township", 75.0, "培训覆盖率：分乡镇（街道）"),
        "rectification_trend": cs.rectification_trend(hazards, 2026),
        "grouped_bars": cs.grouped_bars(departments, "department", ["cases"], "各部门立案数"),
        "year_compare_bars": cs.year_compare_bars(
            departments, "department", "cases", "previous", 2026, "立案"
        ),
    }


@pytest.mark.parametrize("name", list(_every_figure()))
def test_an_exported_chart_keeps_its_labels_and_names_county_and_period(name):
    figure = _every_figure()[name]
    exported = charts.export_ready(figure, "云溪县", "2026年1-10月")
    axes = [key for key in exported.layout.to_plotly_json() if key.startswith(("xaxis", "yaxis"))]
    assert axes and all(exported.layout[key].automargin for key in axes), axes
    title = exported.layout.title.text
    assert title.count("云溪县") == 1 and title.count("2026年1-10月") == 1
    assert figure.layout.title.text in title  # the figure's own title is kept whole
    # Already named: nothing is added twice.
    assert charts.export_ready(exported, "云溪县", "2026年1-10月").layout.title.text == title
    # Too long for a narrow image: the title stays whole, county and period go in the subtitle.
    narrow = charts.export_ready(figure, "云溪县", "2026年1-10月", width=200)
    assert narrow.layout.title.text == figure.layout.title.text
    assert narrow.layout.title.subtitle.text == "云溪县 2026年1-10月"
    assert narrow.layout.margin.t > (figure.layout.margin.t or 0)


@pytest.mark.skipif(not shutil.which("chromium"), reason="kaleido renders with Debian's chromium")
def test_an_exported_ranking_png_keeps_the_longest_label_inside_the_image(tmp_path):
    import io

    from PIL import Image

    figure = charts.ranking_bars(_ranking_frame(), "accidents", "鹤溪县", "事故起数全市排位", "起")
    png = charts.figure_png(charts.export_ready(figure, "鹤溪县", "2026年1-10月"), 1200, 600)
    (tmp_path / "ranking.png").write_bytes(png)
    image = Image.open(io.BytesIO(png)).convert("L")
    # A label cut at the left edge leaves dark pixels in the first columns; a whole one leaves white.
    edge = [image.getpixel((x, y)) for x in range(4) for y in range(image.height)]
    assert min(edge) > 200


def test_the_meeting_brief_charts_name_county_and_period_and_keep_labels(sample_db_path):
    from analytics import store
    from analytics.documents.brief import brief_content
    from analytics.metrics.common import default_period, home_county

    with store.connect(sample_db_path) as con:
        county, period = home_county(con), default_period(con)
        content = brief_content(con, county, period)
    assert len(content["charts"]) == 2
    for figure in content["charts"]:
        assert county in charts.title_of(figure)
        assert f"{period.year}年{period.label}" in charts.title_of(figure)
        assert figure.layout.yaxis.automargin and figure.layout.xaxis.automargin


_FIRST_CHARTS = """
import sys
import pandas as pd
from analytics.charts import leader, supervision
if sys.argv[1] == "warm":
    leader.warm_up()
before = {m for m in sys.modules if m.startswith(("plotly", "_plotly"))}
monthly = pd.DataFrame({"month": [1, 2], "found": [3, 4], "rectified": [1, 2], "rectification_rate": [50.0, None]})
supervision.rectification_trend(monthly, 2025)
counts = pd.DataFrame({"department": ["a", "b"], "inspections": [1, 2], "units_inspected": [1, 1]})
supervision.grouped_bars(counts, "department", ["inspections", "units_inspected"], "t")
print(sorted(m for m in sys.modules if m.startswith(("plotly", "_plotly")) and m not in before))
"""


@pytest.mark.parametrize("warm", [True, False])
def test_after_the_warm_up_a_first_chart_loads_no_more_of_plotly(warm):
    # What the server's start (app.py) does before the first page: the 隐患整改 charts then load nothing.
    run = subprocess.run(
        [sys.executable, "-c", _FIRST_CHARTS, "warm" if warm else "cold"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.PROJECT_ROOT,
        check=True,
    )
    loaded = run.stdout.strip()
    assert (loaded == "[]") is warm, loaded  # cold, the same charts load Plotly's parts (the test can fail)
