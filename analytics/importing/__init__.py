"""The import pipeline: read a file, check it against the contract, commit it whole or not at all.

One path for the upload page, the command line and the sample loader. A file is
parsed and validated before the database is opened, so the write lock is held
only for the region check, the diff and the write.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path

from analytics import settings, store
from analytics.accounts import audit, scope
from analytics.accounts.roles import IMPORT, PROCESS, UNDO_OWN, Actor, Refused, require
from analytics.contract.datasets import DATASETS
from analytics.importing.arrow_pool import use_retaining_pool
from analytics.importing.commit import (
    UndoRefused,
    batches,
    declaration_is_new,
    region_problems,
    staged,
    status,
    undo,
    undo_plan,
    write,
)
from analytics.importing.headers import dataset_by_name, find_header_row, recognise_dataset
from analytics.importing.readers import FileProblem, read_table
from analytics.importing.validate import problem, validate

__all__ = [
    "MODES",
    "UndoRefused",
    "UnknownDataset",
    "dataset_status",
    "import_file",
    "describe",
    "list_batches",
    "preview_file",
    "recognise_dataset",
    "undo_batch",
    "undo_preview",
    "describe_undo",
]

MODES = ("upsert", "replace")
STATUS_WORDS = {"imported": "已导入", "rejected": "已拒绝", "unchanged": "无变化"}
_ALL_SHEET_NAMES = tuple(n for d in DATASETS.values() for n in (d.name, d.zh))


class UnknownDataset(ValueError):
    """A dataset name that the contract does not define (a usage error, not a file problem)."""


def _result(file_name: str, dataset: str | None, **fields) -> dict:
    result = {
        "file": file_name,
        "dataset": dataset,
        "status": "rejected",
        "batch_id": None,
        "rows_inserted": 0,
        "rows_updated": 0,
        "rows_unchanged": 0,
        "rows_removed": 0,
        "errors": [],
        "warnings": [],
    }
    result.update(fields)
    return result


def import_file(
    source: str | os.PathLike | bytes,
    *,
    actor: Actor | None = PROCESS,
    **options,
) -> dict:
    """Validate one file and import it as one batch (or report what would change, for a dry run).

    `actor` (default: this process's OS user) must have the import right; an account limited to
    one county may import only rows of that county. A real import is written to the audit trail.
    `progress(stage, done, total)` hears each stage ("read", "validate", "write"); `done`/`total`
    count rows while a workbook is read, else 0/1 at a stage's start and 1/1 at the end.
    `covers` ("2026-11") declares the ledger complete through that month for the counties in
    the file, or for `county` when the file has a header and no data row (a month with no record).
    """
    db = options.get("db")
    name = options.get("file_name") or (None if isinstance(source, bytes | bytearray) else Path(source).name)
    require(actor, IMPORT, db, target=name)
    use_retaining_pool()
    _usage_errors(source, **options)  # raised before the schema thread can create a database
    schema = None if options.get("dry_run") else _schema_beside(db)
    try:
        result = _import_file(source, actor=actor, schema=schema, **options)
    finally:
        if schema is not None:  # its failure, if this import did not meet it, the audit record's meets
            wait([schema])
    if not options.get("dry_run") and not result.get("batch_id"):
        # (a batch's own record is written in the batch's transaction: one opening of the database less)
        audit.record(db, actor, "import", result["file"], result["status"])
    return result


def _import_file(
    source: str | os.PathLike | bytes,
    *,
    actor: Actor | None,
    dataset: str | None = None,
    mode: str = "upsert",
    dry_run: bool = False,
    db: str | os.PathLike | None = None,
    file_name: str | None = None,
    is_sample: bool = False,
    today: dt.date | None = None,
    covers: str | None = None,
    county: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    schema: Future | None = None,
) -> dict:
    def schema_ready() -> None:  # the database is opened here only once `schema` is done
        if schema is not None:
            schema.result()

    chosen = dataset_by_name(dataset) if dataset else None
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        path = Path(source)
        file_name = file_name or path.name
        try:
            data = path.read_bytes()
        except OSError as error:
            return _result(
                file_name, dataset, errors=[problem(None, None, str(path), f"无法读取文件：{error}")]
            )
    if len(data) > settings.UPLOAD_LIMIT_MB * 1024 * 1024:
        # The upload page's own limit (server.maxUploadSize) holds here too, for every caller.
        message = f"文件太大：{len(data) / 1024 / 1024:,.1f} MB，超过上限 {settings.UPLOAD_LIMIT_MB} MB。请按月或按县市区拆分后分别导入"
        return _result(file_name, dataset, errors=[problem(None, None, None, message)])
    sha256 = hashlib.sha256(data).hexdigest()
    extra = {"dry_run": dry_run, "mode": mode, "sha256": sha256}

    sheet_names = (chosen.name, chosen.zh) if chosen else _ALL_SHEET_NAMES
    tell = progress or (lambda stage, done, total: None)
    tell("read", 0, 1)
    try:
        # A partial, not a lambda: a workbook's header is found in the reader's child process.
        finder = functools.partial(find_header_row, dataset=chosen)
        raw = read_table(data, file_name, finder, sheet_names, progress)
        del data  # (a path's bytes: the caller of bytes keeps its own)
    except FileProblem as error:
        return _result(
            file_name, chosen and chosen.name, errors=[problem(None, None, None, str(error))], **extra
        )
    extra.update(encoding=raw.encoding, sheet=raw.sheet, header_row=raw.header_row)
    if chosen is None:
        name = recognise_dataset(raw.header)
        if name is None:
            message = "无法根据表头识别数据集，请检查列名或指定数据集"
            return _result(file_name, None, errors=[problem(raw.header_row, None, None, message)], **extra)
        chosen = DATASETS[name]

    covers_month = None
    if covers:
        covers_month, problem_text = _covers_month(covers, chosen.name, today or dt.date.today())
        if problem_text:
            return _result(
                file_name, chosen.name, errors=[problem(None, None, covers, problem_text)], **extra
            )
    tell("validate", 0, 1)
    checked = validate(raw, chosen, today=today, allow_empty=covers_month is not None)
    del raw  # the checked table holds what is needed; the raw text columns can go
    warnings = checked.warnings
    extra["rows_in_file"] = checked.table.num_rows
    problems = checked.problems
    scope.county_problems(
        actor, checked, problems, county if covers_month and not checked.table.num_rows else None
    )
    declared: tuple[tuple[str, dt.date], ...] = ()
    if covers_month is not None and not problems.items:
        declared_counties = _declared_counties(checked, county)
        if not declared_counties:
            message = "文件中没有数据行：声明覆盖月份时请指定县市区（--county 县市区）"
            return _result(file_name, chosen.name, errors=[problem(None, None, None, message)], **extra)
        declared = tuple((c, covers_month) for c in declared_counties)
        extra["covers"] = covers
        extra["covers_counties"] = list(declared_counties)
    if problems.items:
        # Still check region names, read-only, so the analyst sees every problem at once.
        if "county" in checked.present and checked.table.num_rows:
            schema_ready()
            with store.connect(db, read_only=True) as con:
                region_problems(con, checked, problems)
        return _result(file_name, chosen.name, errors=problems.result(), warnings=warnings, **extra)

    tell("write", 0, 1)
    if schema is not None:
        schema_ready()
    elif not dry_run:
        store.ensure_schema(db)
    with store.connect(db, read_only=dry_run) as con, store.import_memory(con):
        # One transaction from the region check to the write: the counts shown are the changes made.
        con.execute("BEGIN TRANSACTION")
        try:
            region_problems(con, checked, problems)
            if declared and not checked.table.num_rows:
                _declared_county_problems(con, declared[0][0], problems)
            if problems.items:
                con.execute("ROLLBACK")
                return _result(file_name, chosen.name, errors=problems.result(), warnings=warnings, **extra)
            with staged(con, checked, mode) as counts:
                changes = counts["rows_inserted"] + counts["rows_updated"] + counts["rows_removed"]
                if declared and declaration_is_new(con, chosen.name, declared):
                    changes += len(declared)
                    extra["covers_new"] = True
                state = "imported" if changes else "unchanged"
                if dry_run or not changes:
                    con.execute("ROLLBACK")
                    tell("write", 1, 1)
                    return _result(file_name, chosen.name, status=state, warnings=warnings, **counts, **extra)
                batch_id = write(
                    con,
                    chosen,
                    counts,
                    file_name=file_name,
                    sha256=sha256,
                    mode=mode,
                    is_sample=is_sample,
                    covers=declared,
                )
            scope.record_owner(con, batch_id, actor)
            audit.append(con, actor, "import", f"{file_name} #{batch_id}", state)
            con.execute("COMMIT")
        except BaseException:
            store.rollback(con)  # a failed write may have ended the transaction already (disk full)
            raise
    tell("write", 1, 1)
    return _result(
        file_name, chosen.name, status=state, batch_id=batch_id, warnings=warnings, **counts, **extra
    )


def _usage_errors(
    source, *, mode: str = "upsert", dataset: str | None = None, file_name: str | None = None, **_
) -> None:
    """A caller's mistakes (an unknown mode or dataset, bytes without a name), raised before any work."""
    if mode not in MODES:
        raise ValueError(f"未知的导入方式：{mode}（应为 upsert 或 replace）")
    if dataset and dataset_by_name(dataset) is None:
        raise UnknownDataset(f"未知的数据集“{dataset}”，可选：{'、'.join(DATASETS)}")
    if isinstance(source, bytes | bytearray) and not file_name:
        raise ValueError("以字节形式传入文件时必须给出 file_name")


def _schema_beside(db) -> Future | None:
    """`store.ensure_schema(db)` in a thread of its own, while the file is read and checked.

    A new database file's schema takes about 0.13 s to create (DuckDB works without the GIL); a real
    import creates it in any case, since its audit record needs it, even when the file is rejected.
    A server's schema is checked where it was (a query or two).
    """
    if store.is_server(store.location(db)):
        return None
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-schema")
    try:
        return pool.submit(store.ensure_schema, db)
    finally:
        pool.shutdown(wait=False)


def _covers_month(covers: str, dataset: str, today: dt.date) -> tuple[dt.date | None, str | None]:
    """The first day of the declared month, or a Chinese reason it cannot be declared."""
    from analytics.metrics.coverage import MONTHLY_SOURCES, parse_month_key

    if dataset not in MONTHLY_SOURCES:
        return None, f"“{DATASETS[dataset].zh}”不按月报送，不能声明覆盖月份"
    try:
        year, month = parse_month_key(covers)
    except ValueError as error:
        return None, str(error)
    if (year, month) > (today.year, today.month):
        return None, f"覆盖月份 {covers} 晚于本月，不能声明尚未结束的月份"
    return dt.date(year, month, 1), None


def _declared_counties(checked, county: str | None) -> list[str]:
    """The counties of the file's rows; for a header-only file, the county named with it."""
    if checked.table.num_rows:
        return sorted({c for c in checked.table.column("county").to_pylist() if c})
    return [county.strip()] if county and county.strip() else []


def _declared_county_problems(con, county: str, problems) -> None:
    """A header-only declaration must name a county the database knows, once it knows any."""
    from analytics.metrics.common import counties

    known = counties(con)
    if known and county not in known:
        problems.add(None, "县市区", county, f"未知的县市区：{county}（已知：{'、'.join(known)}）")


def preview_file(
    source: str | os.PathLike | bytes,
    *,
    dataset: str | None = None,
    db: str | os.PathLike | None = None,
    file_name: str | None = None,
    covers: str | None = None,
    county: str | None = None,
    actor: Actor | None = PROCESS,
) -> dict:
    """What importing a file would change in either mode, from one dry run (needs the import right).

    Both modes insert and update the same records; only `replace` removes, so the
    replace dry run carries both answers. `status_by_mode` gives each mode's status.
    """
    result = import_file(
        source,
        dataset=dataset,
        mode="replace",
        dry_run=True,
        db=db,
        file_name=file_name,
        covers=covers,
        county=county,
        actor=actor,
    )
    if result["status"] != "rejected":
        # A new declaration is a change on its own (a month with no record is a real month).
        kept = result["rows_inserted"] + result["rows_updated"] + bool(result.get("covers_new"))
        result["status_by_mode"] = {
            "upsert": "imported" if kept else "unchanged",
            "replace": "imported" if kept + result["rows_removed"] else "unchanged",
        }
    return result


def undo_batch(batch_id: int, db: str | os.PathLike | None = None, actor: Actor | None = PROCESS) -> dict:
    """Return the data to its exact state before a batch; raises UndoRefused with a Chinese reason.

    An analyst may undo only their own batches (`Refused` otherwise); the outcome goes to the audit trail.
    """
    require(actor, UNDO_OWN, db, target=f"#{batch_id}")
    store.ensure_schema(db)
    try:
        with store.connect(db, read_only=False) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                scope.check_undo(con, actor, int(batch_id))
                result = undo(con, int(batch_id))
                con.execute("COMMIT")
            except BaseException:
                store.rollback(con)  # a failed write may have ended the transaction already (disk full)
                raise
    except (UndoRefused, Refused):
        audit.record(db, actor, "undo", f"#{batch_id}", "refused")
        raise
    audit.record(db, actor, "undo", f"{result['file']} #{batch_id}", "ok")
    return result


def undo_preview(batch_id: int, db: str | os.PathLike | None = None) -> dict:
    """What `undo_batch` would remove and restore, without changing anything (see `commit.undo_plan`)."""
    with store.connect(db, read_only=True) as con:
        return undo_plan(con, int(batch_id))


def describe_undo(plan: dict) -> list[str]:
    """An undo preview in Chinese: what goes, what comes back, and (for regions) which checks stop.

    The first line is what happens; later lines are warnings. A refused undo gives its reason only.
    """
    if plan["refused"]:
        return [f"不能撤销：{plan['refused']}"]
    lines = [
        f"批次 {plan['batch_id']}（{plan['file']}，{DATASETS[plan['dataset']].zh}）：将移除 "
        f"{plan['rows_removed']:,} 行，恢复 {plan['rows_restored']:,} 行为导入前的内容。"
    ]
    references = plan.get("township_references") or {}
    if plan["dataset"] == "regions" and plan.get("regions_left") == 0:
        lines.append("撤销后行政区划表为空：之后导入的台账将不再校验县市区和乡镇（街道）名称。")
    if references:
        counts = "、".join(f"{DATASETS[name].zh} {count:,} 条" for name, count in references.items())
        lines.append(
            f"仍有记录使用本批次登记的乡镇（{counts}）：撤销后这些乡镇不在行政区划表中，"
            "对这些乡镇的名称校验将停止，乡镇对比也不再列出没有记录的乡镇。"
        )
    return lines


def list_batches(db: str | os.PathLike | None = None) -> list[dict]:
    """Every import batch, newest first."""
    with store.connect(db, read_only=True) as con:
        return batches(con)


def dataset_status(db: str | os.PathLike | None = None) -> dict:
    """The `status` document of the command line: rows and date range per dataset, and the batches."""
    with store.connect(db, read_only=True) as con:
        return status(con)


def describe(result: dict, errors: bool = True) -> str:
    """One file's outcome in Chinese: the counts, then (optionally) every problem and warning."""
    head = f"{result['file']}：{STATUS_WORDS[result['status']]}"
    if result.get("dataset"):
        head += f"（{DATASETS[result['dataset']].zh}）"
    if result["status"] != "rejected":
        head += (
            f" 新增 {result['rows_inserted']} 行，更新 {result['rows_updated']} 行，"
            f"未变 {result['rows_unchanged']} 行，删除 {result['rows_removed']} 行"
        )
        if result.get("covers"):
            head += f"，声明已报送至{result['covers']}（{'、'.join(result['covers_counties'])}）"
        if result.get("batch_id"):
            head += f"，批次 {result['batch_id']}"
        if result.get("dry_run"):
            head += "（试运行，未写入）"
    if not errors:
        return head
    lines = [head]
    for error in result["errors"]:
        where = f"第 {error['row']} 行" if error["row"] is not None else "整个文件"
        column = f"“{error['column']}”列" if error["column"] else ""
        lines.append(f"  错误 {where}{column}：{error['message']}")
    lines.extend(f"  提示 {w}" for w in result["warnings"])
    return "\n".join(lines)
