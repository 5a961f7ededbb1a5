"""The store: schema from the data contract, derived accident level, locks between processes."""

import datetime as dt
import subprocess
import sys
import textwrap
import time

import pytest

from analytics import store
from analytics.contract.datasets import DATASETS
from tests.stores import new_db

TODAY = dt.date(2026, 11, 28)


def test_schema_has_every_dataset_and_its_history(empty_db):
    with store.connect(empty_db) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        for name, dataset in DATASETS.items():
            assert name in tables and f"history_{name}" in tables
            columns = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                    [name],
                ).fetchall()
            ]
            assert columns[: len(dataset.columns)] == list(dataset.column_names)
        assert store.get_meta(con, "schema_version") == str(store.SCHEMA_VERSION)


def test_schema_upgrade_adds_missing_columns(tmp_path):
    path = new_db(tmp_path, "old")
    store.ensure_schema(path)
    with store.connect(path, read_only=False) as con:
        con.execute("ALTER TABLE training DROP COLUMN hours")
        con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    store.ensure_schema(path)
    with store.connect(path) as con:
        names = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'training'"
            ).fetchall()
        }
    assert "hours" in names


@pytest.mark.parametrize(
    "deaths, serious, loss, level",
    [
        (0, 0, 0, "一般"),
        (2, 9, 999.99, "一般"),
        (3, 0, 0, "较大"),
        (0, 10, 0, "较大"),
        (0, 0, 1000, "较大"),
        (9, 49, 4999, "较大"),
        (10, 0, 0, "重大"),
        (0, 50, 0, "重大"),
        (0, 0, 5000, "重大"),
        (30, 0, 0, "特别重大"),
        (0, 100, 0, "特别重大"),
        (0, 0, 10000, "特别重大"),
        (1, None, 0, "一般"),
    ],
)
def test_accident_level_is_derived(empty_db, deaths, serious, loss, level):
    with store.connect(empty_db, read_only=False) as con:
        con.execute(
            "INSERT INTO accidents (accident_id, occurred_on, county, sector, deaths, serious_injuries, "
            "injuries, direct_loss_wan) VALUES ('A1', DATE '2026-01-05', '甲县', '工业', ?, ?, 0, ?)",
            [deaths, serious, loss],
        )
        assert con.execute("SELECT level FROM accidents").fetchone()[0] == level


def test_data_version_changes_on_write(empty_db):
    before = store.data_version(empty_db)
    time.sleep(0.01)
    with store.connect(empty_db, read_only=False) as con:
        store.set_meta(con, "home_county", "甲县")
    assert store.data_version(empty_db) != before


@pytest.mark.file_store
def test_waits_for_another_process_holding_the_write_lock(empty_db):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import time, duckdb
                con = duckdb.connect({str(empty_db)!r})
                print("locked", flush=True)
                time.sleep(1.5)
                con.close()
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    started = time.monotonic()
    with store.connect(empty_db, read_only=False) as con:
        store.set_meta(con, "home_county", "乙县")
    waited = time.monotonic() - started
    holder.wait(timeout=10)
    assert waited > 0.5  # it really met the lock and waited instead of failing
    with store.connect(empty_db) as con:
        assert store.get_meta(con, "home_county") == "乙县"


@pytest.mark.file_store
def test_gives_up_with_a_chinese_message_after_the_wait(empty_db):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import time, duckdb; c = duckdb.connect({str(empty_db)!r}); print(1, flush=True); time.sleep(5)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        holder.stdout.readline()
        with pytest.raises(store.StoreBusy, match="占用") as caught:
            with store.connect(empty_db, read_only=False, wait=0.3):
                pass
        assert "lock" in str(caught.value.__cause__).lower()
    finally:
        holder.kill()
        holder.wait()


def _another_process_can_write(db) -> bool:
    probe = f"import duckdb\ntry:\n    duckdb.connect({str(db)!r}).close()\nexcept duckdb.Error:\n    raise SystemExit(1)"
    return subprocess.run([sys.executable, "-c", probe], timeout=60).returncode == 0


@pytest.mark.file_store
def test_a_run_keeps_the_file_a_cache_miss_opened_and_lets_go_at_its_end(empty_db):
    with store.reads_kept_open():
        with store.keep_reads(), store.connect(empty_db) as con:
            assert con.execute("SELECT count(*) FROM meta").fetchone()
        assert not _another_process_can_write(empty_db)  # still open, though the connection is closed
        with store.reads_kept_open():  # a block within keeps the outer one's
            with store.keep_reads(), store.connect(empty_db) as con:
                con.execute("SELECT 1").fetchall()
        assert not _another_process_can_write(empty_db)
    assert _another_process_can_write(empty_db)


@pytest.mark.file_store
def test_a_read_outside_keep_reads_holds_nothing_past_itself(empty_db):
    # The sign-in check every run makes: a run whose answers are all cached never holds the file.
    with store.reads_kept_open():
        with store.connect(empty_db) as con:
            con.execute("SELECT 1").fetchall()
        assert _another_process_can_write(empty_db)
    with store.keep_reads():  # outside a run's block: nothing is kept either
        with store.connect(empty_db) as con:
            con.execute("SELECT 1").fetchall()
    assert _another_process_can_write(empty_db)


@pytest.mark.file_store
def test_let_go_closes_what_the_run_keeps_before_it_waits_for_a_writer(empty_db):
    # ui.data.load_sample_once: a session waiting while another loads the sample must not hold the file.
    with store.reads_kept_open():
        with store.keep_reads(), store.connect(empty_db) as con:
            con.execute("SELECT 1").fetchall()
        assert not _another_process_can_write(empty_db)
        store.let_go()
        assert _another_process_can_write(empty_db)
        with store.keep_reads(), store.connect(empty_db) as con:  # a later miss keeps it again
            con.execute("SELECT 1").fetchall()
        assert not _another_process_can_write(empty_db)
    assert _another_process_can_write(empty_db)


@pytest.mark.file_store
def test_a_write_within_the_run_closes_the_kept_file_first(empty_db):
    with store.reads_kept_open(), store.keep_reads():
        with store.connect(empty_db) as con:
            con.execute("SELECT 1").fetchall()
        with store.connect(empty_db, read_only=False, wait=0.5) as con:  # no wait behind its own reader
            store.set_meta(con, "home_county", "甲县")
        with store.connect(empty_db) as con:  # opened, and kept, again
            assert store.get_meta(con, "home_county") == "甲县"
        assert not _another_process_can_write(empty_db)
    assert _another_process_can_write(empty_db)


@pytest.mark.file_store
def test_a_backup_and_a_restore_within_the_run_let_go_of_the_kept_file_first(empty_db, tmp_path):
    from analytics.store.backup import create_backup, restore_backup

    with store.reads_kept_open(), store.keep_reads():
        with store.connect(empty_db) as con:
            con.execute("SELECT 1").fetchall()
        made = create_backup(tmp_path, empty_db)  # no wait behind its own reader
        restore_backup(made["file"], empty_db)
        with store.connect(empty_db) as con:
            assert con.execute("SELECT count(*) FROM meta").fetchone()
    assert _another_process_can_write(empty_db)


def test_the_import_stores_blank_text_as_null_and_an_upgrade_cleans_old_rows(tmp_path):
    from analytics.importing import import_file
    from tests.import_support import ACCIDENT_HEADER, csv_bytes

    db = new_db(tmp_path, "clean")
    rows = [ACCIDENT_HEADER, ["SG1", "2026-03-01", "甲县", " \u3000", "道路交通", 0, 1, "1"]]
    rows.append(["SG2", "2026-03-02", "甲县", " 城关镇 ", "道路交通", 0, 1, "1"])
    assert import_file(csv_bytes(rows), file_name="a.csv", db=db)["status"] == "imported"
    with store.connect(db) as con:
        assert con.execute("SELECT township FROM accidents ORDER BY 1 NULLS FIRST").fetchall() == [
            (None,),
            ("城关镇",),
        ]
    # A database written before the import cleaned them: the upgrade brings them to the same form.
    with store.connect(db, read_only=False) as con:
        con.execute("UPDATE accidents SET township = '  ' WHERE township IS NULL")
        con.execute(
            "INSERT INTO hazards (hazard_id, found_on, county, township, department, unit, level, deadline) "
            "VALUES ('YH1', '2026-03-01', '甲县', '\u3000城关镇', ' 应急局\t', 'X', '一般隐患', '2026-03-09')"
        )
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    store.ensure_schema(db)
    with store.connect(db) as con:
        assert con.execute("SELECT count(*) FROM accidents WHERE township IS NULL").fetchone()[0] == 1
        assert con.execute("SELECT township, department FROM hazards").fetchall() == [("城关镇", "应急局")]


_INSPECTION_HEADER = ["检查编号", "检查日期", "县市区", "乡镇（街道）", "检查部门", "被检查单位", "检查类型"]
_CASE_HEADER = ["案件编号", "立案日期", "县市区", "乡镇（街道）", "执法部门", "处理措施", "罚款金额（万元）"]
_WIDE = "\u3000"  # a full-width space, as Chinese input methods type it


@pytest.mark.parametrize(
    ("table", "header", "cells", "column", "stored"),
    [
        (
            "inspections",
            _INSPECTION_HEADER,
            ["甲县", "城关镇", f"{_WIDE}县应急局 ", "X", "日常检查"],
            "department",
            "县应急局",
        ),
        (
            "inspections",
            _INSPECTION_HEADER,
            ["甲县", "城关镇", "县应急局", "X", f" 专项检查{_WIDE}"],
            "kind",
            "专项检查",
        ),
        ("inspections", _INSPECTION_HEADER, ["甲县", "城关镇", "县应急局", "X", f"{_WIDE} "], "kind", None),
        ("inspections", _INSPECTION_HEADER, ["甲县", "城关镇", "县应急局", "X", ""], "kind", None),
        (
            "inspections",
            _INSPECTION_HEADER,
            ["甲县", f"{_WIDE}{_WIDE}", "县应急局", "X", ""],
            "township",
            None,
        ),
        (
            "inspections",
            _INSPECTION_HEADER,
            ["甲县", f"{_WIDE}河口乡\t", "县应急局", "X", ""],
            "township",
            "河口乡",
        ),
        (
            "enforcement",
            _CASE_HEADER,
            ["甲县", "", f" 县住建局{_WIDE}", "罚款", "1"],
            "department",
            "县住建局",
        ),
        ("enforcement", _CASE_HEADER, ["甲县", _WIDE, "县住建局", "罚款", "1"], "township", None),
    ],
)
def test_the_import_trims_grouped_text_full_width_spaces_included(
    tmp_path, table, header, cells, column, stored
):
    """Township, department and kind are stored trimmed and an empty cell as null: queries group by them as they are."""
    from analytics.importing import import_file
    from tests.import_support import csv_bytes

    db = new_db(tmp_path, "clean")
    rows = [header, ["R1", "2026-03-01", *cells]]
    result = import_file(csv_bytes(rows), file_name="f.csv", dataset=table, db=db, today=TODAY)
    assert result["status"] == "imported", result["errors"]
    with store.connect(db) as con:
        assert con.execute(f"SELECT {column} FROM {table}").fetchall() == [(stored,)]


@pytest.mark.parametrize(
    ("table", "header", "cells", "named"),
    [
        ("inspections", _INSPECTION_HEADER, ["甲县", "城关镇", f"{_WIDE} ", "X", ""], "检查部门"),
        ("enforcement", _CASE_HEADER, ["甲县", "", _WIDE, "罚款", "1"], "执法部门"),
    ],
)
def test_a_blank_required_department_is_refused_not_stored(tmp_path, table, header, cells, named):
    from analytics.importing import import_file
    from tests.import_support import csv_bytes

    db = new_db(tmp_path, "clean")
    result = import_file(
        csv_bytes([header, ["R1", "2026-03-01", *cells]]),
        file_name="f.csv",
        dataset=table,
        db=db,
        today=TODAY,
    )
    assert result["status"] == "rejected"
    assert any(named in str(error) for error in result["errors"]), result["errors"]


def test_the_schema_6_upgrade_moves_inserted_keys_to_their_own_table_and_undo_still_works(tmp_path):
    from analytics.importing import import_file, undo_batch
    from tests.import_support import ACCIDENT_HEADER, accident, csv_bytes, data_snapshot

    db = new_db(tmp_path, "v5")
    store.ensure_schema(db)
    empty = data_snapshot(db)
    targets = ["年度", "县市区", "乡镇（街道）", "培训对象", "应培训人数"]
    files = [
        ("a.csv", [ACCIDENT_HEADER, accident(1), accident(2)]),
        (
            "t.csv",
            [targets, [2026, "甲县", "", "主要负责人", 300], [2026, "甲县", "城关镇", "主要负责人", 40]],
        ),
        ("b.csv", [ACCIDENT_HEADER, accident(2, deaths=3), accident(3)]),
    ]
    states, batches = [empty], []
    for name, rows in files:
        batches.append(import_file(csv_bytes(rows), file_name=name, db=db)["batch_id"])
        states.append(data_snapshot(db))
    # A database of schema 5 kept the keys of inserted records as 'insert' rows of the history.
    with store.connect(db, read_only=False) as con:
        for name, dataset in DATASETS.items():
            keys = ", ".join(dataset.key)
            con.execute(
                f"INSERT INTO history_{name} (batch_id, action, {keys}) "
                f"SELECT batch_id, 'insert', {keys} FROM inserted_{name}"
            )
            con.execute(f"DROP TABLE inserted_{name}")
        con.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    store.ensure_schema(db)
    with store.connect(db) as con:
        assert store.get_meta(con, "schema_version") == str(store.SCHEMA_VERSION)
        assert con.execute(
            "SELECT batch_id, accident_id FROM inserted_accidents ORDER BY 1, 2"
        ).fetchall() == [
            (batches[0], "SG0001"),
            (batches[0], "SG0002"),
            (batches[2], "SG0003"),
        ]
        assert con.execute(
            "SELECT batch_id, township FROM inserted_training_targets ORDER BY 2 NULLS FIRST"
        ).fetchall() == [(batches[1], None), (batches[1], "城关镇")]
        assert con.execute("SELECT action, accident_id, deaths FROM history_accidents").fetchall() == [
            ("update", "SG0002", 0)
        ]
        for name in DATASETS:
            assert not con.execute(f"SELECT count(*) FROM history_{name} WHERE action = 'insert'").fetchone()[
                0
            ]
    # Undo after the upgrade: each batch back to the state before it, the last one first.
    for batch, before in reversed(list(zip(batches, states, strict=False))):
        undo_batch(batch, db=db)
        assert data_snapshot(db) == before
