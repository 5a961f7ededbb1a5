"""The server store (PostgreSQL) beside the file: locations, the dialect, COPY staging, the write lock,
the data version, failures in Chinese without the password, `migrate` both ways, and backup refused.

The tests that need a server use the session's throwaway PostgreSQL 15 (tests/pg_server.py) and are
skipped when its programs are not installed; the dialect and location tests need none.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal

import pytest

from analytics import settings, store
from analytics.accounts import scope
from analytics.cli.main import main
from analytics.importing import import_file, undo_batch
from analytics.store import dialect
from analytics.store.backup import create_backup
from analytics.store.migrate import MigrateRefused, migrate
from scripts.pg_local import binaries_missing
from tests.import_support import ACCIDENT_HEADER, REGIONS, accident, write_csv
from tests.stores import ON_PG


@pytest.fixture
def pg_url():
    """An empty database on the session's PostgreSQL server (dropped after the test)."""
    reason = binaries_missing()
    if reason:
        pytest.skip(reason)
    from tests import pg_server

    url = pg_server.fresh_database("server")
    yield url
    if not ON_PG:  # on PostgreSQL runs, conftest drops the test's databases
        pg_server.drop_test_databases()


def _regions(tmp_path):
    return write_csv(tmp_path / "regions.csv", [["县市区", "乡镇（街道）", "市"], *REGIONS])


def _accidents(tmp_path, name: str, rows) -> object:
    return write_csv(tmp_path / name, [ACCIDENT_HEADER, *rows])


def _every_table(db) -> dict[str, list[tuple]]:
    """Every row of every table of the store, the audit trail included, sorted."""
    with store.connect(db) as con:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in store.TABLES}


# ---- without a server ---------------------------------------------------------------------------


def test_placeholders_become_psycopgs_and_every_percent_is_doubled():
    sql, params = dialect.translate("SELECT '?%', x FROM t WHERE a = ? AND b LIKE '%z' AND c = ?", (1, 2))
    assert sql == "SELECT '?%%', x FROM t WHERE a = %s AND b LIKE '%%z' AND c = %s"
    assert params == [1, 2]
    sql, params = dialect.translate("SELECT $a + $a_2, '$a', \"$b\" WHERE y = $b", {"a": 1, "a_2": 2, "b": 3})
    assert sql == "SELECT %(a)s + %(a_2)s, '$a', \"$b\" WHERE y = %(b)s"
    assert params == {"a": 1, "a_2": 2, "b": 3}
    assert dialect.translate("SELECT 1 % 2") == ("SELECT 1 %% 2", [])


def test_a_postgresql_url_is_a_server_location_and_is_shown_without_its_password(monkeypatch, tmp_path):
    url = "postgresql://safety:s3cret@db.example:5433/county"
    assert store.is_server(url) and store.is_server("postgres://h/db")
    assert not store.is_server(tmp_path / "x.duckdb") and not store.is_server("data/x.duckdb")
    assert store.display(url) == "postgresql://safety@db.example:5433/county"
    monkeypatch.setenv(settings.DB_ENV, url)
    assert store.location() == url
    monkeypatch.setenv(settings.DB_ENV, str(tmp_path / "a.duckdb"))
    assert store.location() == tmp_path / "a.duckdb" == store.db_path()


def test_an_unreachable_server_is_a_chinese_failure_naming_host_and_database_but_not_the_password():
    url = "postgresql://safety:s3cret@127.0.0.1:9/county"  # port 9 (discard): nothing listens
    with pytest.raises(store.StoreFailure) as failure:
        store.ensure_schema(url)
    message = str(failure.value)
    assert "无法连接数据库服务器 127.0.0.1:9" in message and "county" in message
    assert "s3cret" not in message


# ---- on a server --------------------------------------------------------------------------------


def test_a_missing_database_is_named_in_the_failure(pg_url):
    missing = pg_url.rsplit("/", 1)[0] + "/no_such_county"
    with pytest.raises(store.StoreFailure, match="没有数据库 no_such_county"):
        store.ensure_schema(missing)


def test_import_and_undo_on_the_server_give_duckdbs_python_types_and_move_the_data_version(pg_url, tmp_path):
    store.ensure_schema(pg_url)
    assert import_file(_regions(tmp_path), db=pg_url)["status"] == "imported"
    before = store.data_version(pg_url)
    assert store.data_version(pg_url) == before  # reading changes nothing
    rows = [accident(1, deaths=2), accident(2, day="2026-08-05", deaths=1)]
    result = import_file(_accidents(tmp_path, "a.csv", rows), db=pg_url)
    assert (result["status"], result["rows_inserted"]) == ("imported", 2)
    imported = store.data_version(pg_url)
    assert imported != before
    with store.connect(pg_url) as con:
        deaths, loss, count, day, level = con.execute(
            "SELECT sum(deaths), sum(direct_loss_wan), count(*), min(occurred_on), min(level) FROM accidents"
        ).fetchone()
    assert (deaths, loss, count, day, level) == (3, Decimal("5.0000"), 2, dt.date(2026, 8, 3), "一般")
    assert type(deaths) is int and type(count) is int
    undo_batch(result["batch_id"], db=pg_url)
    assert store.data_version(pg_url) not in (before, imported)
    with store.connect(pg_url) as con:
        assert con.execute("SELECT count(*) FROM accidents").fetchone()[0] == 0


def test_a_write_that_fails_midway_leaves_the_server_database_as_it_was(pg_url, tmp_path, monkeypatch):
    from tests.import_support import snapshot

    store.ensure_schema(pg_url)
    import_file(_regions(tmp_path), db=pg_url)
    before, version = snapshot(pg_url), store.data_version(pg_url)

    def fail(*_args):
        raise RuntimeError("the owner's row could not be written")

    monkeypatch.setattr(scope, "record_owner", fail)  # after the rows, the history and the batch
    with pytest.raises(RuntimeError):
        import_file(_accidents(tmp_path, "a.csv", [accident(1)]), db=pg_url)
    assert snapshot(pg_url) == before
    assert store.data_version(pg_url) == version


def test_a_second_writer_waits_for_the_first_and_then_is_busy_while_readers_go_on(pg_url):
    store.ensure_schema(pg_url)
    other_process = (
        "import sys\nfrom analytics import store\n"
        "try:\n    with store.connect(sys.argv[1], read_only=False, wait=0.5): pass\n"
        "except store.StoreBusy as busy:\n    print('busy', busy)\n"
    )
    with store.connect(pg_url, read_only=False) as writer:
        writer.execute("BEGIN TRANSACTION")
        store.set_meta(writer, "home_county", "甲县")
        done = subprocess.run(
            [sys.executable, "-c", other_process, pg_url],
            capture_output=True,
            text=True,
            cwd=settings.PROJECT_ROOT,
            env=settings.child_environment(),
            check=True,
        )
        with store.connect(pg_url) as reader:  # not blocked, and sees only what is committed
            assert store.get_meta(reader, "home_county") is None
        writer.execute("COMMIT")
    assert done.stdout.startswith("busy") and "正被另一个导入占用" in done.stdout
    with store.connect(pg_url) as reader:
        assert store.get_meta(reader, "home_county") == "甲县"


def test_migrate_copies_a_file_to_the_server_and_back_exactly_and_refuses_a_target_with_data(
    pg_url, tmp_path
):
    source = tmp_path / "county.duckdb"
    store.ensure_schema(source)
    import_file(_regions(tmp_path), db=source)
    first = import_file(_accidents(tmp_path, "a.csv", [accident(1), accident(2)]), db=source)
    import_file(_accidents(tmp_path, "b.csv", [accident(3, deaths=1)]), db=source)
    undo_batch(first["batch_id"] + 1, db=source)
    result = migrate(source, pg_url)
    assert result["from"] == str(source) and result["to"] == pg_url
    assert result["tables"]["import_batches"] == 3 and result["tables"]["inserted_accidents"] == 3
    with pytest.raises(MigrateRefused, match="已经有数据"):
        migrate(source, pg_url)
    back = tmp_path / "back.duckdb"
    migrate(pg_url, back)
    assert _every_table(back) == _every_table(source)
    # The batch ids continue after the highest one copied, on the server as in the file.
    assert import_file(_accidents(tmp_path, "c.csv", [accident(4)]), db=pg_url)["batch_id"] == 4
    undo_batch(first["batch_id"], db=pg_url)  # the copied history undoes on the server


def test_migrate_on_the_command_line_prints_the_tables_and_refuses_the_same_store(pg_url, tmp_path, capsys):
    source = tmp_path / "county.duckdb"
    store.ensure_schema(source)
    import_file(_regions(tmp_path), db=source)
    assert main(["--json", "migrate", "--from", str(source), "--to", pg_url]) == 0
    import json

    document = json.loads(capsys.readouterr().out)
    assert document["tables"]["regions"] == len(REGIONS) and set(document["tables"]) == set(store.TABLES)
    assert main(["migrate", "--from", pg_url, "--to", pg_url]) == 1
    assert "同一个" in capsys.readouterr().err


def test_backup_and_restore_are_refused_on_a_server_with_a_pointer_to_pg_dump(pg_url, tmp_path, capsys):
    store.ensure_schema(pg_url)
    with pytest.raises(store.StoreFailure, match="pg_dump"):
        create_backup(tmp_path, pg_url)
    assert main(["--db", pg_url, "backup", str(tmp_path / "b.zip")]) == 1
    assert "pg_dump" in capsys.readouterr().err
    assert not (tmp_path / "b.zip").exists()


def test_a_pinned_data_version_is_read_once_and_again_after_this_process_writes(
    pg_url, tmp_path, monkeypatch
):
    import psycopg

    from analytics.store import server

    store.ensure_schema(pg_url)
    opened = []
    real_open = server.open_connection

    def counted(url, read_only, wait):
        opened.append(read_only)
        return real_open(url, read_only, wait)

    monkeypatch.setattr(server, "open_connection", counted)
    with store.pinned_versions():
        first = store.data_version(pg_url)
        with store.pinned_versions():  # a block within (ui.data's guard inside dashboard.py's) keeps the pin
            assert store.data_version(pg_url) == first
        assert store.data_version(pg_url) == first
        assert opened == [True]  # one connection for three answers
        assert import_file(_regions(tmp_path), db=pg_url)["status"] == "imported"  # this process writes
        written = store.data_version(pg_url)
        assert written != first
        with psycopg.connect(pg_url, autocommit=True) as other:  # another process's write: seen next run
            other.execute(f"UPDATE {dialect.VERSION_TABLE} SET version = version + 1")
        assert store.data_version(pg_url) == written
    assert store.data_version(pg_url) not in (first, written)
