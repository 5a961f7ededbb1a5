"""Upsert, replace and undo round trips; identical re-import; dry run; NULL key parts; batches and status."""

from __future__ import annotations

import pytest

from analytics import store
from analytics.importing import (
    UndoRefused,
    dataset_status,
    describe_undo,
    import_file,
    list_batches,
    undo_batch,
    undo_preview,
)
from tests.import_support import (
    ACCIDENT_HEADER,
    HAZARD_HEADER,
    REGIONS,
    accident,
    csv_bytes,
    data_snapshot,
    hazard,
    snapshot,
)

TARGET_HEADER = ["年度", "县市区", "乡镇（街道）", "培训对象", "应培训人数"]


def load(db, rows, name="f.csv", **options):
    result = import_file(csv_bytes(rows), file_name=name, db=db, **options)
    assert result["status"] != "rejected", result["errors"]
    return result


def query(db, sql):
    with store.connect(db, read_only=True) as con:
        return con.execute(sql).fetchall()


def counts(result):
    return tuple(result[k] for k in ("rows_inserted", "rows_updated", "rows_unchanged", "rows_removed"))


def test_upsert_inserts_updates_and_counts_unchanged(empty_db):
    first = load(empty_db, [ACCIDENT_HEADER, accident(1), accident(2), accident(3)])
    assert first["status"] == "imported" and counts(first) == (3, 0, 0, 0)
    second = load(empty_db, [ACCIDENT_HEADER, accident(1), accident(2, deaths=4), accident(4)])
    assert counts(second) == (1, 1, 1, 0)
    assert query(empty_db, "SELECT deaths, level FROM accidents WHERE accident_id = 'SG0002'") == [
        (4, "较大")
    ]
    assert query(empty_db, "SELECT count(*) FROM accidents") == [(4,)]


def test_identical_reimport_is_unchanged_without_a_batch(empty_db):
    rows = [ACCIDENT_HEADER, accident(1), accident(2)]
    load(empty_db, rows)
    before = snapshot(empty_db)
    again = load(empty_db, rows, name="again.csv")
    assert again["status"] == "unchanged" and again["batch_id"] is None
    assert counts(again) == (0, 0, 2, 0)
    assert snapshot(empty_db) == before


def test_dry_run_reports_and_writes_nothing(empty_db):
    load(empty_db, [ACCIDENT_HEADER, accident(1), accident(2)])
    before = snapshot(empty_db)
    preview = load(
        empty_db, [ACCIDENT_HEADER, accident(2, deaths=1), accident(3)], mode="replace", dry_run=True
    )
    assert preview["status"] == "imported" and preview["dry_run"] is True
    assert counts(preview) == (1, 1, 0, 1)
    assert preview["batch_id"] is None
    assert snapshot(empty_db) == before


def test_replace_removes_only_within_the_counties_and_months_of_the_file(empty_db):
    load(
        empty_db,
        [
            ACCIDENT_HEADER,
            accident(1, day="2026-08-03"),
            accident(2, day="2026-08-20"),
            accident(3, day="2026-07-15"),
            accident(4, day="2026-08-09", county="乙县", township="新华街道"),
        ],
    )
    result = load(empty_db, [ACCIDENT_HEADER, accident(1, day="2026-08-03")], mode="replace")
    assert counts(result) == (0, 0, 1, 1)
    assert query(empty_db, "SELECT accident_id FROM accidents ORDER BY 1") == [
        ("SG0001",),
        ("SG0003",),
        ("SG0004",),
    ]


def test_undo_restores_every_table_exactly(empty_db):
    load(empty_db, [HAZARD_HEADER, hazard(1, done="", reviewed=""), hazard(2), hazard(3)])
    before_data = data_snapshot(empty_db)
    before_batches = query(empty_db, "SELECT batch_id, undone FROM import_batches")
    update = [HAZARD_HEADER, hazard(1), hazard(2, order="否", reviewed=""), hazard(4)]
    result = load(empty_db, update, mode="replace")
    assert counts(result) == (1, 2, 0, 1)
    assert data_snapshot(empty_db) != before_data
    undone = undo_batch(result["batch_id"], db=empty_db)
    assert undone["rows_removed"] == 1 and undone["rows_restored"] == 3
    assert data_snapshot(empty_db) == before_data
    assert query(empty_db, "SELECT batch_id, undone FROM import_batches ORDER BY 1") == [
        *before_batches,
        (result["batch_id"], True),
    ]


def test_undo_all_batches_returns_to_empty(empty_db):
    empty = data_snapshot(empty_db)
    a = load(empty_db, [ACCIDENT_HEADER, accident(1), accident(2)])
    b = load(empty_db, [ACCIDENT_HEADER, accident(2, deaths=2), accident(3)])
    undo_batch(b["batch_id"], db=empty_db)
    undo_batch(a["batch_id"], db=empty_db)
    assert data_snapshot(empty_db) == empty


def test_undo_refuses_when_a_later_batch_touched_the_same_records(empty_db):
    a = load(empty_db, [ACCIDENT_HEADER, accident(1), accident(2)], name="八月.csv")
    b = load(empty_db, [ACCIDENT_HEADER, accident(2, deaths=1)], name="八月更正.csv")
    unrelated = load(empty_db, [ACCIDENT_HEADER, accident(9)], name="九月.csv")
    before = snapshot(empty_db)
    with pytest.raises(UndoRefused, match=f"批次 {b['batch_id']}（八月更正.csv）"):
        undo_batch(a["batch_id"], db=empty_db)
    assert snapshot(empty_db) == before
    undo_batch(b["batch_id"], db=empty_db)
    undo_batch(a["batch_id"], db=empty_db)
    assert query(empty_db, "SELECT accident_id FROM accidents") == [("SG0009",)]
    assert unrelated["batch_id"] > b["batch_id"]


def test_undo_twice_and_unknown_batch_are_refused(empty_db):
    a = load(empty_db, [ACCIDENT_HEADER, accident(1)])
    undo_batch(a["batch_id"], db=empty_db)
    with pytest.raises(UndoRefused, match="已经撤销"):
        undo_batch(a["batch_id"], db=empty_db)
    with pytest.raises(UndoRefused, match="不存在"):
        undo_batch(999, db=empty_db)


def test_null_township_is_part_of_the_key(empty_db):
    rows = [TARGET_HEADER, [2026, "甲县", "", "主要负责人", 300], [2026, "甲县", "城关镇", "主要负责人", 40]]
    load(empty_db, rows)
    again = load(empty_db, [TARGET_HEADER, [2026, "甲县", "", "主要负责人", 320]])
    assert counts(again) == (0, 1, 0, 0)
    assert query(
        empty_db, "SELECT township, required FROM training_targets ORDER BY township NULLS FIRST"
    ) == [
        (None, 320),
        ("城关镇", 40),
    ]
    replace = load(empty_db, [TARGET_HEADER, [2026, "甲县", "", "主要负责人", 320]], mode="replace")
    assert counts(replace) == (0, 0, 1, 1)
    undo_batch(replace["batch_id"], db=empty_db)
    undo_batch(again["batch_id"], db=empty_db)
    assert query(empty_db, "SELECT required FROM training_targets ORDER BY township NULLS FIRST") == [
        (300,),
        (40,),
    ]


def test_columns_absent_from_the_file_keep_their_stored_values(empty_db):
    load(empty_db, [[*ACCIDENT_HEADER, "事故简况"], [*accident(1), "两车相撞"]])
    result = load(empty_db, [ACCIDENT_HEADER, accident(1, deaths=1)])
    assert counts(result) == (0, 1, 0, 0)
    assert query(empty_db, "SELECT deaths, summary FROM accidents") == [(1, "两车相撞")]


@pytest.mark.parametrize(
    "stored, incoming, expected_counts",
    [
        ([], [1, 2], (2, 0, 0, 0)),  # an empty table: every row new
        ([3], [1, 2], (2, 0, 0, 0)),  # stored rows, none sharing a key
        ([1], [1, 2], (1, 1, 0, 0)),  # one stored (and changed), one new
        ([1, 2], [1, 2], (0, 1, 1, 0)),  # every key stored
    ],
)
def test_new_and_stored_records_are_each_written_once_with_their_history(
    empty_db, stored, incoming, expected_counts
):
    if stored:
        load(empty_db, [[*ACCIDENT_HEADER, "事故简况"], *([*accident(i), f"简况{i}"] for i in stored)])
    before = data_snapshot(empty_db)
    # SG0001 comes back with a death; the file has no 事故简况 column, so a stored summary stays.
    rows = [accident(i, deaths=1 if i == 1 else 0) for i in incoming]
    result = load(empty_db, [ACCIDENT_HEADER, *rows])
    assert counts(result) == expected_counts
    ids = sorted(set(stored) | set(incoming))
    assert query(empty_db, "SELECT accident_id, deaths, summary FROM accidents ORDER BY 1") == [
        (f"SG{i:04d}", 1 if i == 1 else 0, f"简况{i}" if i in stored else None) for i in ids
    ]
    batch = result["batch_id"]
    history = query(
        empty_db, f"SELECT action, accident_id, deaths FROM history_accidents WHERE batch_id = {batch}"
    )
    inserted = query(
        empty_db, f"SELECT accident_id FROM inserted_accidents WHERE batch_id = {batch} ORDER BY 1"
    )
    # A changed record's old row is kept whole; a new record only by its key.
    assert history == ([("update", "SG0001", 0)] if 1 in stored else [])
    assert inserted == [(f"SG{i:04d}",) for i in incoming if i not in stored]
    undo_batch(result["batch_id"], db=empty_db)
    assert data_snapshot(empty_db) == before


def test_batches_and_status(empty_db):
    a = load(
        empty_db,
        [ACCIDENT_HEADER, accident(1, day="2026-01-05"), accident(2, day="2026-08-03")],
        name="a.csv",
    )
    batches = list_batches(empty_db)
    assert [(b["batch_id"], b["file"], b["dataset"], b["undone"]) for b in batches] == [
        (a["batch_id"], "a.csv", "accidents", False)
    ]
    assert len(batches[0]["sha256"]) == 64
    status = dataset_status(empty_db)
    assert status["datasets"]["accidents"] == {
        "rows": 2,
        "min_date": "2026-01-05",
        "max_date": "2026-08-03",
        "zh": "生产安全事故",
        "coverage": {"甲县": "2026-08"},
    }
    assert status["coverage"] == {"accidents": {"甲县": "2026-08"}}
    assert status["datasets"]["hazards"]["rows"] == 0
    assert set(status["batches"][0]) >= {
        "batch_id",
        "file",
        "dataset",
        "imported_at",
        "sha256",
        "rows_inserted",
        "rows_updated",
        "undone",
    }


def test_sample_flag_is_recorded(empty_db):
    load(empty_db, [ACCIDENT_HEADER, accident(1)], is_sample=True)
    assert list_batches(empty_db)[0]["is_sample"] is True


def test_preview_file_answers_for_both_modes(empty_db):
    load(empty_db, [ACCIDENT_HEADER, accident(1), accident(2)])
    before = snapshot(empty_db)
    from analytics.importing import preview_file

    shrunk = preview_file(csv_bytes([ACCIDENT_HEADER, accident(1)]), file_name="p.csv", db=empty_db)
    assert shrunk["status_by_mode"] == {"upsert": "unchanged", "replace": "imported"}
    assert counts(shrunk) == (0, 0, 1, 1)
    grown = preview_file(
        csv_bytes([ACCIDENT_HEADER, accident(1), accident(2), accident(3)]), file_name="g.csv", db=empty_db
    )
    assert grown["status_by_mode"] == {"upsert": "imported", "replace": "imported"}
    assert snapshot(empty_db) == before


def test_undo_preview_says_what_undo_then_does(empty_db):
    load(empty_db, [ACCIDENT_HEADER, accident(1), accident(2)], name="first.csv")
    second = load(empty_db, [ACCIDENT_HEADER, accident(2, deaths=1), accident(3)], name="second.csv")
    before = snapshot(empty_db)
    plan = undo_preview(second["batch_id"], db=empty_db)
    assert snapshot(empty_db) == before  # a preview changes nothing
    assert plan == {
        "batch_id": second["batch_id"],
        "file": "second.csv",
        "dataset": "accidents",
        "rows_removed": 1,  # SG0003 was new
        "rows_restored": 1,  # SG0002 goes back to its first version
        "refused": None,
    }
    assert describe_undo(plan) == [
        "批次 2（second.csv，生产安全事故）：将移除 1 行，恢复 1 行为导入前的内容。"
    ]
    result = undo_batch(second["batch_id"], db=empty_db)
    assert (result["rows_removed"], result["rows_restored"]) == (plan["rows_removed"], plan["rows_restored"])


@pytest.mark.parametrize(
    ("batch", "reason"),
    [(1, "之后的批次 2（second.csv）修改了相同的记录"), (99, "批次 99 不存在")],
)
def test_undo_preview_gives_the_reason_undo_would_refuse_with(empty_db, batch, reason):
    load(empty_db, [ACCIDENT_HEADER, accident(1)], name="first.csv")
    load(empty_db, [ACCIDENT_HEADER, accident(1, deaths=2)], name="second.csv")
    plan = undo_preview(batch, db=empty_db)
    assert reason in plan["refused"]
    with pytest.raises(UndoRefused, match=reason.split("（")[0]):
        undo_batch(batch, db=empty_db)
    assert describe_undo(plan) == [f"不能撤销：{plan['refused']}"]


@pytest.mark.parametrize(
    ("extra_regions", "references", "left"),
    [
        ([], {"accidents": 2}, 0),  # the only regions batch: every township check stops
        # Another file registers 乙县's township: checks go on, but 甲县's records lose their townships.
        ([["乙县", "新华街道"]], {"accidents": 2}, 1),
    ],
)
def test_undo_preview_of_a_regions_batch_counts_records_losing_their_township(
    empty_db, extra_regions, references, left
):
    regions = load(empty_db, [["县市区", "乡镇（街道）"], *[r[:2] for r in REGIONS[:2]]], name="regions.csv")
    if extra_regions:
        load(empty_db, [["县市区", "乡镇（街道）"], *extra_regions], name="more.csv", mode="upsert")
    load(empty_db, [ACCIDENT_HEADER, accident(1), accident(2)], name="a.csv")
    plan = undo_preview(regions["batch_id"], db=empty_db)
    assert plan["refused"] is None
    assert plan["township_references"] == references and plan["regions_left"] == left
    lines = describe_undo(plan)
    assert any("名称校验将停止" in line for line in lines)
    assert any("不再校验县市区" in line for line in lines) == (left == 0)
