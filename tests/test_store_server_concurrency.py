"""Several analysts at once on the server store: one `python -m analytics import` process per county,
all started together against one PostgreSQL database, while another process reads the metrics in a loop.

Every file is recorded exactly once, the counts are the sum of the files, no process fails, a reader
only ever sees whole files, and undoing one county's batch leaves the other counties' data as it was.
PostgreSQL only: a DuckDB file takes one writing process at a time (tests/test_import_concurrency.py
covers that store).
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import textwrap

import pytest

from analytics import store
from analytics.importing import list_batches
from tests.factories import import_csv
from tests.stores import new_db

pytestmark = pytest.mark.server_store  # PostgreSQL only: runs in the SAFETY_TEST_STORE=postgresql pass

# Accident counts 100 · 2^k: every set of counties has its own total, so a reader's count tells which
# files it saw whole (a file half in would give a total no set of files gives).
COUNTIES = {"甲县": (100, 30), "乙县": (200, 40), "丙县": (400, 50), "丁县": (800, 60)}

READER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from analytics import store
    from analytics.metrics import hazards, indicators
    from analytics.metrics.periods import Period

    url, stop = sys.argv[1], Path(sys.argv[2])
    period = Period(2026, 1, 12)
    seen, reads = set(), 0
    while True:
        last = stop.exists()  # one more read after the importers are done
        with store.connect(url, read_only=True) as con:
            seen.add(con.execute("SELECT count(*) FROM accidents").fetchone()[0])
            indicators.indicators(con, period)
            hazards.hazards(con, period, None, by="township")
        reads += 1
        if reads == 1:
            print("reading", flush=True)
        if last:
            break
    print(json.dumps({"reads": reads, "seen": sorted(seen)}), flush=True)
    """
)


def _files(folder) -> dict[str, list]:
    """Per county: its accident file and its hazard file (ids unique per county)."""
    files = {}
    for tag, (county, (accidents, hazard_rows)) in enumerate(COUNTIES.items()):
        files[county] = [
            import_csv(
                folder / f"accidents-{tag}.csv",
                "accidents",
                *(
                    {"accident_id": f"C{tag}-A{n}", "county": county, "deaths": n % 2}
                    for n in range(accidents)
                ),
            ),
            import_csv(
                folder / f"hazards-{tag}.csv",
                "hazards",
                *({"hazard_id": f"C{tag}-H{n}", "county": county} for n in range(hazard_rows)),
            ),
        ]
    return files


def _cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "analytics", *args],
        cwd=store.PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def _counts(url) -> dict[str, dict[str, int]]:
    with store.connect(url, read_only=True) as con:
        return {
            table: dict(con.execute(f"SELECT county, count(*) FROM {table} GROUP BY county").fetchall())
            for table in ("accidents", "hazards")
        }


def test_counties_importing_at_once_while_pages_read(tmp_path):
    url = new_db(tmp_path, "concurrent")
    store.ensure_schema(url)
    files = _files(tmp_path)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(url), str(stop)],
        cwd=store.PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        assert reader.stdout.readline().strip() == "reading", reader.stderr.read()
        importers = {
            county: _cli("import", *map(str, paths), "--db", str(url), "--json")
            for county, paths in files.items()
        }
        outcomes = {county: (*p.communicate(timeout=600), p.returncode) for county, p in importers.items()}
    finally:
        stop.touch()
        read_out, read_err = reader.communicate(timeout=600)

    for county, (out, err, status) in outcomes.items():
        assert status == 0, f"{county}: {out} {err}"
        assert "Traceback" not in err, err
        entries = json.loads(out)["files"]
        assert [e["status"] for e in entries] == ["imported", "imported"], (county, entries)
        assert [e["rows_inserted"] for e in entries] == list(COUNTIES[county])
    assert reader.returncode == 0, read_err
    report = json.loads(read_out.splitlines()[-1])
    whole_files = {
        sum(COUNTIES[c][0] for c in chosen)
        for size in range(len(COUNTIES) + 1)
        for chosen in itertools.combinations(COUNTIES, size)
    }
    assert report["reads"] >= 2 and set(report["seen"]) <= whole_files, report
    assert max(report["seen"]) == sum(a for a, _ in COUNTIES.values())  # the last read saw every file

    # Every file recorded exactly once, each in its own batch.
    batches = list_batches(url)
    names = sorted(b["file"] for b in batches)
    assert names == sorted(path.name for paths in files.values() for path in paths)
    assert len({b["batch_id"] for b in batches}) == len(batches) and not any(b["undone"] for b in batches)
    expected = {
        "accidents": {c: a for c, (a, _) in COUNTIES.items()},
        "hazards": {c: h for c, (_, h) in COUNTIES.items()},
    }
    assert _counts(url) == expected

    # Undo one county's accident batch: the others stay as they were.
    [undone] = [b for b in batches if b["file"] == files["丙县"][0].name]
    undo = _cli("undo", str(undone["batch_id"]), "--db", str(url), "--json")
    out, err = undo.communicate(timeout=300)
    assert undo.returncode == 0, err
    assert json.loads(out)["undone"] is True
    after = _counts(url)
    assert after["hazards"] == expected["hazards"]
    assert after["accidents"] == {c: n for c, n in expected["accidents"].items() if c != "丙县"}
    assert [b["batch_id"] for b in list_batches(url) if b["undone"]] == [undone["batch_id"]]
