"""Imports and undos at once, from threads of one process and from separate processes, all succeed."""

from __future__ import annotations

import multiprocessing
import threading

from analytics import store
from analytics.importing import import_file, list_batches, undo_batch
from tests.import_support import ACCIDENT_HEADER, accident, csv_bytes

ROWS_PER_FILE = 40


def _file(keys: int, deaths: int) -> bytes:
    """ROWS_PER_FILE accidents numbered from keys * 1000, each with `deaths` deaths."""
    start = keys * 1000
    return csv_bytes([ACCIDENT_HEADER, *(accident(start + i, deaths=deaths) for i in range(ROWS_PER_FILE))])


def _import(db: str, keys: int, deaths: int = 0) -> dict:
    return import_file(_file(keys, deaths), file_name=f"f{keys}-{deaths}.csv", db=db)


def _rows(db) -> int:
    with store.connect(db, read_only=True) as con:
        return con.execute("SELECT count(*) FROM accidents").fetchone()[0]


def _expected_rows(db) -> int:
    """What the batches say: rows inserted by every batch still in effect."""
    return sum(b["rows_inserted"] for b in list_batches(db) if not b["undone"])


def test_threads_importing_and_undoing_at_once_all_succeed(empty_db):
    # Every import rewrites the same records (each with its own death count), so unserialised
    # writes would clash on those rows; the undo takes out another batch meanwhile.
    db = str(empty_db)
    assert _import(db, 0)["status"] == "imported"
    first = _import(db, 9)
    threads_n = 6
    results: dict[str, object] = {}

    def work(label, job):
        barrier.wait()
        try:
            results[label] = job()
        except Exception as error:  # recorded, so the assertion below names it
            results[label] = error

    jobs = {f"import {n}": (lambda n=n: _import(db, 0, deaths=n)) for n in range(1, threads_n + 1)}
    jobs["undo"] = lambda: undo_batch(first["batch_id"], db=db)
    threads = [threading.Thread(target=work, args=item) for item in jobs.items()]
    barrier = threading.Barrier(len(threads))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failures = {k: v for k, v in results.items() if isinstance(v, Exception)}
    assert not failures
    imported = [results[f"import {n}"] for n in range(1, threads_n + 1)]
    assert all(r["status"] == "imported" and r["rows_updated"] == ROWS_PER_FILE for r in imported)
    ids = [r["batch_id"] for r in imported]
    assert len(set(ids)) == len(ids) and first["batch_id"] not in ids
    assert results["undo"]["undone"] is True
    assert _rows(empty_db) == _expected_rows(db) == ROWS_PER_FILE
    with store.connect(db, read_only=True) as con:
        last = con.execute("SELECT DISTINCT deaths FROM accidents").fetchall()
    newest = max(imported, key=lambda r: r["batch_id"])
    assert last == [(int(newest["file"].split("-")[1].split(".")[0]),)]  # the last batch written wins
    assert not store.write_in_progress(db)


def _worker(db: str, numbers: list[int], undo_first: bool, queue) -> None:
    # Each process imports its own records (undoing the first batch at once) and rewrites shared ones.
    try:
        outcome = []
        for number in numbers:
            result = _import(db, number)
            outcome.append((result["status"], result["batch_id"], result["rows_inserted"]))
            if undo_first and len(outcome) == 1:
                undo_batch(result["batch_id"], db=db)
            shared = _import(db, 0, deaths=number)
            outcome.append((shared["status"], shared["batch_id"], shared["rows_updated"]))
        queue.put(("ok", outcome))
    except Exception as error:
        queue.put(("error", repr(error)))


def test_two_processes_importing_and_undoing_at_once_all_succeed(empty_db):
    db = str(empty_db)
    assert _import(db, 0)["status"] == "imported"
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    plans = [([1, 2, 3], True), ([11, 12, 13], False)]
    workers = [context.Process(target=_worker, args=(db, numbers, undo, queue)) for numbers, undo in plans]
    for worker in workers:
        worker.start()
    outcomes = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    done = [item for _, outcome in outcomes for item in outcome]
    assert len(done) == 12 and all(s == "imported" and n == ROWS_PER_FILE for s, _, n in done)
    assert len({batch for _, batch, _ in done}) == 12
    assert _rows(empty_db) == _expected_rows(db) == 6 * ROWS_PER_FILE


def test_a_database_from_before_the_sequence_continues_its_batch_numbers(empty_db):
    db = str(empty_db)
    for keys in (1, 2, 3):
        _import(db, keys)
    with store.connect(db, read_only=False) as con:
        con.execute(f"DROP SEQUENCE {store.BATCH_SEQUENCE}")
        con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    store.ensure_schema(db)
    assert _import(db, 4)["batch_id"] == 4


def test_write_in_progress_is_true_while_another_thread_writes(empty_db):
    held, release = threading.Event(), threading.Event()

    def hold():
        with store.connect(empty_db, read_only=False):
            held.set()
            release.wait(timeout=30)

    assert not store.write_in_progress(empty_db)
    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert held.wait(timeout=30)
        assert store.write_in_progress(empty_db)
        try:
            with store.connect(empty_db, read_only=False, wait=0.2):
                raise AssertionError("a second write got in while the first held the file")
        except store.StoreBusy as error:
            assert "另一个导入正在进行" in str(error)
    finally:
        release.set()
        thread.join()
    assert not store.write_in_progress(empty_db)
