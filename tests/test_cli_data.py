"""`python -m analytics init/import/undo/status` through a real subprocess: JSON on stdout, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from analytics import store
from tests.import_support import ACCIDENT_HEADER, REGIONS, accident, snapshot, write_csv, write_xlsx
from tests.stores import new_db


def run(*args: str, db) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analytics", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=store.PROJECT_ROOT,
        timeout=300,
    )


def test_import_json_and_exit_codes(tmp_path):
    db = new_db(tmp_path, "cli")
    assert run("init", "--json", db=db).returncode == 0
    good = write_csv(tmp_path / "good.csv", [["甲县事故台账"], ACCIDENT_HEADER, accident(1), accident(2)])
    done = run("import", str(good), "--json", db=db)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    (entry,) = document["files"]
    assert entry["status"] == "imported" and entry["dataset"] == "accidents"
    assert entry["rows_inserted"] == 2 and isinstance(entry["batch_id"], int)
    assert set(entry) >= {"file", "rows_updated", "rows_unchanged", "rows_removed", "errors", "warnings"}

    again = json.loads(run("import", str(good), "--json", db=db).stdout)
    assert again["files"][0]["status"] == "unchanged"

    bad = write_csv(tmp_path / "bad.csv", [ACCIDENT_HEADER, accident(3), [*accident(4)[:5], "x", 1, 1]])
    before = snapshot(db)
    rejected = run("import", str(good), str(bad), "--json", db=db)
    assert rejected.returncode == 1
    files = json.loads(rejected.stdout)["files"]
    assert [f["status"] for f in files] == ["unchanged", "rejected"]
    assert files[1]["errors"] == [
        {"row": 3, "column": "死亡人数", "value": "x", "message": files[1]["errors"][0]["message"]}
    ]
    assert "死亡人数" in files[1]["errors"][0]["message"]
    assert snapshot(db) == before


def test_import_from_the_command_line_does_without_pandas_and_numpy_ma(tmp_path):
    # pyarrow would load pandas (a quarter of a second of each import) though nothing here uses it:
    # see analytics.importing.arrow_pool. Imported, rejected (row errors, region names), a workbook.
    db = new_db(tmp_path, "cli")
    files = [
        write_csv(tmp_path / "regions.csv", [["县市区", "乡镇（街道）", "市"], *REGIONS]),
        write_csv(tmp_path / "good.csv", [ACCIDENT_HEADER, accident(1), accident(2)]),
        write_csv(
            tmp_path / "bad.csv", [ACCIDENT_HEADER, accident(3, county="丙县"), [*accident(4)[:5], "x", 1, 1]]
        ),
        write_xlsx(tmp_path / "book.xlsx", [ACCIDENT_HEADER, accident(5), accident(6, county="丙县")]),
        write_csv(tmp_path / "again.csv", [ACCIDENT_HEADER, accident(1), accident(2, deaths=1)]),
    ]
    code = "import sys\nfrom analytics.cli.main import main\nmain(sys.argv[1:])\nprint('pandas' in sys.modules, 'numpy.ma' in sys.modules)"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "import",
            *map(str, files),
            "--mode",
            "replace",
            "--json",
            "--db",
            str(db),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=store.PROJECT_ROOT,
        timeout=300,
    )
    *document, loaded = done.stdout.strip().splitlines()
    statuses = [f["status"] for f in json.loads("\n".join(document))["files"]]
    assert statuses == ["imported", "imported", "rejected", "rejected", "imported"], done.stderr
    assert loaded == "False False"  # nor numpy.ma, which `pa.array` of a numpy array loads


def test_dry_run_dataset_and_mode_options(tmp_path):
    db = new_db(tmp_path, "cli")
    path = write_csv(tmp_path / "a.csv", [ACCIDENT_HEADER, accident(1)])
    dry = run(
        "import", str(path), "--dataset", "accidents", "--mode", "replace", "--dry-run", "--json", db=db
    )
    assert dry.returncode == 0
    entry = json.loads(dry.stdout)["files"][0]
    assert entry["status"] == "imported" and entry["rows_inserted"] == 1 and entry["batch_id"] is None
    status = json.loads(run("status", "--json", db=db).stdout)
    assert status["datasets"]["accidents"]["rows"] == 0 and status["batches"] == []


def test_usage_errors_exit_2(tmp_path):
    db = new_db(tmp_path, "cli")
    path = write_csv(tmp_path / "a.csv", [ACCIDENT_HEADER, accident(1)])
    unknown = run("import", str(path), "--dataset", "nosuch", "--json", db=db)
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert run("import", str(path), "--mode", "merge", db=db).returncode == 2


def test_missing_file_is_rejected(tmp_path):
    result = run("import", str(tmp_path / "nowhere.csv"), "--json", db=new_db(tmp_path, "cli"))
    assert result.returncode == 1
    assert json.loads(result.stdout)["files"][0]["status"] == "rejected"


def test_undo_and_status(tmp_path):
    db = new_db(tmp_path, "cli")
    path = write_csv(tmp_path / "a.csv", [ACCIDENT_HEADER, accident(1), accident(2)])
    batch_id = json.loads(run("import", str(path), "--json", db=db).stdout)["files"][0]["batch_id"]
    status = json.loads(run("status", "--json", db=db).stdout)
    assert status["datasets"]["accidents"]["rows"] == 2
    assert status["batches"][0]["batch_id"] == batch_id and status["batches"][0]["undone"] is False
    undone = run("undo", str(batch_id), "--json", db=db)
    assert undone.returncode == 0
    assert json.loads(undone.stdout)["undone"] is True
    twice = run("undo", str(batch_id), "--json", db=db)
    assert twice.returncode == 1
    assert "已经撤销" in json.loads(twice.stdout)["error"]
    status = json.loads(run("status", "--json", db=db).stdout)
    assert status["datasets"]["accidents"]["rows"] == 0 and status["batches"][0]["undone"] is True
    human = run("status", db=db)
    assert human.returncode == 0 and "accidents" in human.stdout


@pytest.mark.file_store
def test_import_waits_for_a_reader_in_another_process(tmp_path):
    db = new_db(tmp_path, "cli")
    store.ensure_schema(db)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, duckdb; c = duckdb.connect(sys.argv[1], read_only=True); "
            "print('open', flush=True); time.sleep(2); c.close()",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "open"
    started = time.monotonic()
    path = write_csv(tmp_path / "a.csv", [ACCIDENT_HEADER, accident(1)])
    result = run("import", str(path), "--json", db=db)
    holder.wait(timeout=30)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["files"][0]["status"] == "imported"
    assert time.monotonic() - started >= 1


def test_init_sample_loads_every_dataset_as_sample_batches(tmp_path):
    db = new_db(tmp_path, "sample")
    done = run("init", "--sample", "--json", db=db)
    assert done.returncode == 0, done.stderr
    files = json.loads(done.stdout)["files"]
    assert [f["status"] for f in files] == ["imported"] * len(files)
    status = json.loads(run("status", "--json", db=db).stdout)
    assert all(info["rows"] > 0 for info in status["datasets"].values())
    assert len(status["batches"]) == len(files)


def test_readers_keep_working_while_the_cli_imports(tmp_path):
    from scripts.bench_import import write_csv as write_hazards

    db = new_db(tmp_path, "busy")
    store.ensure_schema(db)
    big = tmp_path / "big.csv"
    write_hazards(big, 300_000)
    importer = subprocess.Popen(
        [sys.executable, "-m", "analytics", "import", str(big), "--json", "--db", str(db)],
        cwd=store.PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = set()
    while importer.poll() is None:
        with store.connect(db, read_only=True) as con:
            seen.add(con.execute("SELECT count(*) FROM hazards").fetchone()[0])
        time.sleep(0.05)
    out, err = importer.communicate()
    assert importer.returncode == 0, err
    assert json.loads(out)["files"][0]["rows_inserted"] == 300_000
    with store.connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM hazards").fetchone()[0] == 300_000
    # Readers only ever saw the state before or after the batch, never half of it.
    assert seen and seen <= {0, 300_000}
