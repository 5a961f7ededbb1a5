"""Everything that touches the database: region checks, the diff, the batch write and undo.

Identifiers in the SQL below come only from `analytics.contract.datasets`; values are bound.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from analytics import store
from analytics.contract.datasets import DATASETS, Dataset
from analytics.importing.arrow_pool import integers
from analytics.importing.suggest import county_message, township_message
from analytics.importing.validate import MAX_ERRORS, Problems, Validated
from analytics.metrics.coverage import MONTHLY_SOURCES, coverage, month_key
from analytics.store import dialect

HISTORY_ACTIONS = ("insert", "update", "delete")


class UndoRefused(Exception):
    """An undo that would not restore an exact earlier state; the message is Chinese."""


def _keys_match(left: str, right: str, dataset: Dataset) -> str:
    # Key parts may be NULL (a county-wide training target has no township): NULLs match.
    return " AND ".join(f"{left}.{k} IS NOT DISTINCT FROM {right}.{k}" for k in dataset.key)


def _columns(dataset: Dataset, alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + c for c in dataset.column_names)


def _capped(mask: pa.Array, problems: Problems) -> list[int]:
    """Positions where mask is true, as many as the problem list can still take; the rest are counted."""
    positions = pc.indices_nonzero(mask)
    room = max(0, MAX_ERRORS - len(problems.items))
    problems.overflow += max(0, len(positions) - room)
    return positions[:room].to_pylist()


def region_problems(con: duckdb.DuckDBPyConnection, checked: Validated, problems: Problems) -> None:
    """Report counties and townships the regions table does not know (once it knows any)."""
    dataset = checked.dataset
    if dataset.name == "regions" or "county" not in dataset.column_names or checked.table.num_rows == 0:
        return
    known: dict[str, set[str]] = {}
    for county, township in con.execute("SELECT county, township FROM regions").fetchall():
        known.setdefault(county, set()).add(township)
    if not known:
        return
    table = checked.table
    county = table["county"].combine_chunks()
    rows = integers(table["__row"])
    bad_counties = [c for c in pc.unique(county).drop_null().to_pylist() if c not in known]
    if bad_counties:
        mask = pc.is_in(county, pa.array(bad_counties, pa.string()))
        label = DATASETS[dataset.name].column("county").zh
        messages: dict[str, str] = {}
        for position in _capped(mask, problems):
            name = county[position].as_py()
            if name not in messages:
                messages[name] = county_message(label, name, known)
            problems.add(int(rows[position]), checked.headers["county"], name, messages[name])
    if "township" not in checked.present:
        return
    township = table["township"].combine_chunks()
    pairs = pc.binary_join_element_wise(county, township, pa.scalar("\x1f", pa.string()))
    bad_pairs = []
    for pair in pc.unique(pairs).drop_null().to_pylist():
        county_name, township_name = pair.split("\x1f", 1)
        if county_name in known and township_name not in known[county_name]:
            bad_pairs.append(pair)
    if not bad_pairs:
        return
    mask = pc.is_in(pairs, pa.array(bad_pairs, pa.string()))
    label = dataset.column("township").zh
    messages = {}
    for position in _capped(mask, problems):
        pair = pairs[position].as_py()
        county_name, township_name = pair.split("\x1f", 1)
        if pair not in messages:
            messages[pair] = township_message(label, township_name, county_name, known)
        problems.add(int(rows[position]), checked.headers["township"], township_name, messages[pair])


def _scope(dataset: Dataset, alias: str) -> list[str]:
    """The expressions naming the slice of a dataset a `replace` file speaks for."""
    names = dataset.column_names
    if dataset.date_column:
        return [f"{alias}.county", f"date_trunc('month', {alias}.{dataset.date_column})"]
    if "month" in names:
        return [f"{alias}.county", f"{alias}.year", f"{alias}.month"]
    if "year" in names:
        return [f"{alias}.county", f"{alias}.year"]
    return [f"{alias}.county"]


@contextmanager
def staged(con: duckdb.DuckDBPyConnection, checked: Validated, mode: str) -> Iterator[dict[str, int]]:
    """Stage the file against the stored rows and count what would change; `write` inside the block applies it.

    The file's rows are read in place as `incoming` (the Arrow table; on the server a temp table
    loaded by COPY) until the block ends. Only the rows whose key is stored already are joined
    with the stored record (temp table `matched`), so a file of new records is written straight
    from `incoming`, without a second copy of its rows; `removed` holds what `replace` takes out.
    """
    con.register("incoming", checked.table)
    yield _stage(con, checked, mode)
    # Not after a failure: a failed statement may have aborted the transaction (the server then refuses
    # every statement), and the caller's rollback and closing the connection end the registration anyway.
    con.unregister("incoming")


def _stage(con: duckdb.DuckDBPyConnection, checked: Validated, mode: str) -> dict[str, int]:
    dataset = checked.dataset
    name = dataset.name
    present = set(checked.present)
    # A column the file does not carry keeps the stored value of an existing record.
    selected = [f"i.{c}" if c in present else f"t.{c}" for c in dataset.column_names]
    compared = [c for c in dataset.column_names if c in present and c not in dataset.key]
    changed = " OR ".join(f"i.{c} IS DISTINCT FROM t.{c}" for c in compared) or "false"
    dialect.replace_temp_table(
        con,
        "matched",
        f"SELECT {', '.join(selected)}, i.__row, {changed} AS changed "
        f"FROM incoming i JOIN {name} t ON {_keys_match('i', 't', dataset)}",
    )
    if mode == "replace":
        scope_t, scope_i = _scope(dataset, "t"), _scope(dataset, "i")
        in_scope = " AND ".join(f"{a} IS NOT DISTINCT FROM s.s{n}" for n, a in enumerate(scope_t))
        scope_cols = ", ".join(f"{e} AS s{n}" for n, e in enumerate(scope_i))
        dialect.replace_temp_table(
            con,
            "removed",
            f"SELECT {_columns(dataset, 't')} FROM {name} t "
            f"WHERE EXISTS (SELECT 1 FROM (SELECT DISTINCT {scope_cols} FROM incoming i) s WHERE {in_scope}) "
            f"AND NOT EXISTS (SELECT 1 FROM incoming i WHERE {_keys_match('i', 't', dataset)})",
        )
    else:
        dialect.replace_temp_table(con, "removed", f"SELECT {_columns(dataset)} FROM {name} LIMIT 0")
    matched = con.execute("SELECT count(*), count(*) FILTER (WHERE changed) FROM matched").fetchall()
    found, updated = matched[0]
    # fetchall, not fetchone: a result left open would keep `incoming` from being unregistered.
    removed = con.execute("SELECT count(*) FROM removed").fetchall()[0][0]
    return {
        "rows_inserted": checked.table.num_rows - int(found),
        "rows_updated": int(updated),
        "rows_unchanged": int(found) - int(updated),
        "rows_removed": int(removed),
    }


def _new_rows(counts: dict[str, int]) -> str:
    """The staged rows whose key is not stored yet: all of `incoming` when none matched."""
    if counts["rows_updated"] + counts["rows_unchanged"] == 0:
        return "incoming i"
    return "incoming i WHERE NOT EXISTS (SELECT 1 FROM matched m WHERE m.__row = i.__row)"


def write(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    counts: dict[str, int],
    *,
    file_name: str,
    sha256: str,
    mode: str,
    is_sample: bool,
    covers: tuple[tuple[str, dt.date], ...] = (),
) -> int:
    """Apply the staged change and record the batch with its history; inside `staged` and the caller's transaction.

    `covers` holds (county, first day of month) pairs the file declares its ledger complete through.
    Statements with nothing to do (no update, no removal) are not run.
    """
    name = dataset.name
    columns = _columns(dataset)
    keys = ", ".join(dataset.key)
    new_columns = _columns(dataset, "i")
    batch_id = con.execute(f"SELECT nextval('{store.BATCH_SEQUENCE}')").fetchone()[0]
    if counts["rows_inserted"]:
        con.execute(
            f"INSERT INTO inserted_{name} (batch_id, {keys}) "
            f"SELECT ?, {', '.join(f'i.{k}' for k in dataset.key)} FROM {_new_rows(counts)}",
            [batch_id],
        )
    replaced = []  # the stored rows (t) that go: the changed ones and those `replace` removes
    if counts["rows_updated"]:
        changed = f"EXISTS (SELECT 1 FROM matched m WHERE m.changed AND {_keys_match('m', 't', dataset)})"
        con.execute(
            f"INSERT INTO history_{name} (batch_id, action, {columns}) SELECT ?, 'update', {_columns(dataset, 't')} "
            f"FROM {name} t WHERE {changed}",
            [batch_id],
        )
        replaced.append(changed)
    if counts["rows_removed"]:
        con.execute(
            f"INSERT INTO history_{name} (batch_id, action, {columns}) SELECT ?, 'delete', {columns} FROM removed",
            [batch_id],
        )
        replaced.append(f"EXISTS (SELECT 1 FROM removed r WHERE {_keys_match('r', 't', dataset)})")
    if replaced:
        con.execute(f"DELETE FROM {name} t WHERE {' OR '.join(replaced)}")
    if counts["rows_inserted"]:
        con.execute(f"INSERT INTO {name} ({columns}) SELECT {new_columns} FROM {_new_rows(counts)}")
    if counts["rows_updated"]:
        con.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM matched WHERE changed")
    con.execute(
        "INSERT INTO import_batches (batch_id, file_name, sha256, dataset, mode, imported_at, rows_inserted, "
        "rows_updated, rows_unchanged, rows_removed, is_sample, undone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false)",
        [
            batch_id,
            file_name,
            sha256,
            name,
            mode,
            dt.datetime.now().replace(microsecond=0),
            counts["rows_inserted"],
            counts["rows_updated"],
            counts["rows_unchanged"],
            counts["rows_removed"],
            is_sample,
        ],
    )
    for county, month in covers:
        con.execute(
            "INSERT INTO coverage_declarations (batch_id, dataset, county, month) VALUES (?, ?, ?, ?)",
            [batch_id, name, county, month],
        )
    return int(batch_id)


def declaration_is_new(con: duckdb.DuckDBPyConnection, dataset: str, covers) -> bool:
    """Whether any (county, month) of a declaration is not already declared by a batch in effect."""
    for county, month in covers:
        row = con.execute(
            "SELECT count(*) FROM coverage_declarations d JOIN import_batches b USING (batch_id) "
            "WHERE NOT b.undone AND d.dataset = ? AND d.county = ? AND d.month = ?",
            [dataset, county, month],
        ).fetchone()
        if not row[0]:
            return True
    return False


def _touched(dataset: Dataset, removed: bool = True) -> str:
    """SQL for (batch_id, key) of the records a batch inserted or updated, and (`removed`) those it removed."""
    keys = ", ".join(dataset.key)
    actions = "'update', 'delete'" if removed else "'update'"
    return (
        f"(SELECT batch_id, {keys} FROM inserted_{dataset.name} "
        f"UNION ALL SELECT batch_id, {keys} FROM history_{dataset.name} WHERE action IN ({actions}))"
    )


def _refusal(con: duckdb.DuckDBPyConnection, batch_id: int) -> tuple[str | None, tuple | None]:
    """(why the batch cannot be undone or None, its (file_name, dataset, undone) row or None)."""
    row = con.execute(
        "SELECT file_name, dataset, undone FROM import_batches WHERE batch_id = ?", [batch_id]
    ).fetchone()
    if row is None:
        return f"批次 {batch_id} 不存在", None
    file_name, name, undone = row
    if undone:
        return f"批次 {batch_id}（{file_name}）已经撤销过，不能再次撤销", row
    dataset = DATASETS[name]
    later = con.execute(
        f"SELECT b.batch_id, b.file_name FROM import_batches b WHERE b.dataset = ? AND b.batch_id > ? "
        f"AND NOT b.undone AND EXISTS (SELECT 1 FROM {_touched(dataset)} h JOIN {_touched(dataset)} l "
        f"ON {_keys_match('h', 'l', dataset)} WHERE h.batch_id = ? AND l.batch_id = b.batch_id) "
        "ORDER BY b.batch_id DESC LIMIT 1",
        [name, batch_id, batch_id],
    ).fetchone()
    if later:
        return (
            f"批次 {batch_id}（{file_name}）之后的批次 {later[0]}（{later[1]}）修改了相同的记录，"
            f"请先撤销批次 {later[0]}"
        ), row
    return None, row


def _counts(con: duckdb.DuckDBPyConnection, name: str, batch_id: int) -> tuple[int, int]:
    """(records the undo removes, records it puts back) for one batch."""
    removed, restored = con.execute(
        f"SELECT (SELECT count(*) FROM inserted_{name} WHERE batch_id = $batch), "
        f"(SELECT count(*) FROM history_{name} WHERE batch_id = $batch)",
        {"batch": batch_id},
    ).fetchone()
    return int(removed), int(restored)


def _regions_after_undo() -> str:
    """SQL (one named parameter, $batch) for the regions table as it would be after the undo."""
    regions = DATASETS["regions"]
    return (
        f"SELECT county, township FROM regions t WHERE NOT EXISTS (SELECT 1 FROM {_touched(regions, removed=False)} h "
        f"WHERE h.batch_id = $batch AND {_keys_match('h', 't', regions)}) "
        "UNION ALL SELECT county, township FROM history_regions "
        "WHERE batch_id = $batch AND action IN ('update', 'delete')"
    )


def _township_references(con: duckdb.DuckDBPyConnection, batch_id: int) -> tuple[dict[str, int], int]:
    """For a regions batch: ({dataset: records whose township the undo takes out of regions}, regions left)."""
    after = _regions_after_undo()
    lost = (
        f"SELECT county, TRIM(township) AS township FROM regions "
        f"EXCEPT SELECT county, TRIM(township) FROM ({after}) a"
    )
    params = {"batch": batch_id}
    left = int(con.execute(f"SELECT count(*) FROM ({after}) a", params).fetchone()[0])
    references = {}
    for name, dataset in DATASETS.items():
        if name == "regions" or "township" not in dataset.column_names:
            continue
        count = con.execute(
            f"SELECT count(*) FROM {name} r JOIN ({lost}) l "
            "ON r.county = l.county AND TRIM(r.township) = l.township",
            params,
        ).fetchone()[0]
        if count:
            references[name] = int(count)
    return references, left


def undo_plan(con: duckdb.DuckDBPyConnection, batch_id: int) -> dict:
    """What undoing a batch would do, read only: file, dataset, rows removed and restored, and why not.

    `refused` is the Chinese reason `undo` would give, or None. For a regions batch, `township_references`
    counts, per dataset, the records whose township would no longer be in the regions table, and
    `regions_left` the regions rows that would remain (none: no more region checks at all).
    """
    reason, row = _refusal(con, batch_id)
    if row is None:
        return {"batch_id": batch_id, "refused": reason}
    file_name, name, _ = row
    removed, restored = _counts(con, name, batch_id)
    plan = {
        "batch_id": batch_id,
        "file": file_name,
        "dataset": name,
        "rows_removed": removed,
        "rows_restored": restored,
        "refused": reason,
    }
    if name == "regions" and reason is None:
        plan["township_references"], plan["regions_left"] = _township_references(con, batch_id)
    return plan


def undo(con: duckdb.DuckDBPyConnection, batch_id: int) -> dict:
    """Reverse one batch exactly; refuse when it is unknown, already undone, or built upon."""
    reason, row = _refusal(con, batch_id)
    if reason:
        raise UndoRefused(reason)
    file_name, name, _ = row
    dataset = DATASETS[name]
    removed, restored = _counts(con, name, batch_id)
    columns = _columns(dataset)
    con.execute(
        f"DELETE FROM {name} t WHERE EXISTS (SELECT 1 FROM {_touched(dataset, removed=False)} h "
        f"WHERE h.batch_id = ? AND {_keys_match('h', 't', dataset)})",
        [batch_id],
    )
    con.execute(
        f"INSERT INTO {name} ({columns}) SELECT {columns} FROM history_{name} "
        "WHERE batch_id = ? AND action IN ('update', 'delete')",
        [batch_id],
    )
    con.execute("DELETE FROM coverage_declarations WHERE batch_id = ?", [batch_id])
    con.execute(
        "UPDATE import_batches SET undone = true, undone_at = ? WHERE batch_id = ?",
        [dt.datetime.now().replace(microsecond=0), batch_id],
    )
    return {
        "batch_id": batch_id,
        "file": file_name,
        "dataset": name,
        "undone": True,
        "rows_removed": int(removed),
        "rows_restored": int(restored),
    }


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return value.isoformat()


def batches(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every import batch, newest first."""
    result = con.execute(
        "SELECT batch_id, file_name, dataset, mode, imported_at, sha256, rows_inserted, rows_updated, "
        "rows_unchanged, rows_removed, is_sample, undone, undone_at FROM import_batches ORDER BY batch_id DESC"
    ).fetchall()
    names = (
        "batch_id",
        "file",
        "dataset",
        "mode",
        "imported_at",
        "sha256",
        "rows_inserted",
        "rows_updated",
        "rows_unchanged",
        "rows_removed",
        "is_sample",
        "undone",
        "undone_at",
    )
    out = []
    for row in result:
        item = dict(zip(names, row, strict=True))
        item["imported_at"] = _iso(item["imported_at"])
        item["undone_at"] = _iso(item["undone_at"])
        out.append(item)
    return out


def _date_range(dataset: Dataset) -> str:
    if dataset.date_column:
        return f"min({dataset.date_column}), max({dataset.date_column})"
    names = dataset.column_names
    if "month" in names:
        return "min(make_date(year::INT, month::INT, 1)), max(last_day(make_date(year::INT, month::INT, 1)))"
    if "year" in names:
        return "min(make_date(year::INT, 1, 1)), max(make_date(year::INT, 12, 31))"
    return "NULL::DATE, NULL::DATE"


def status(con: duckdb.DuckDBPyConnection) -> dict:
    """Rows and date range per dataset, and the import batches."""
    datasets = {}
    for name, dataset in DATASETS.items():
        rows, first, last = con.execute(f"SELECT count(*), {_date_range(dataset)} FROM {name}").fetchone()
        datasets[name] = {
            "rows": int(rows),
            "min_date": _iso(first),
            "max_date": _iso(last),
            "zh": dataset.zh,
        }
    covered = coverage(con)
    by_source = {
        source: {county: month_key(month) for county, month in sorted(covered.last.get(source, {}).items())}
        for source in MONTHLY_SOURCES
        if covered.last.get(source)
    }
    for source, per_county in by_source.items():
        datasets[source]["coverage"] = per_county
    return {"datasets": datasets, "batches": batches(con), "coverage": by_source}
