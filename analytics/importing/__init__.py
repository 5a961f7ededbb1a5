"""The import pipeline: read a file, check it against the contract, commit it whole or not at all.

One path for the upload page, the command line and the sample loader. A file is
parsed and validated before the database is opened, so the write lock is held
only for the region check, the diff and the write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from analytics import store
from analytics.datasets import DATASETS
from analytics.importing.commit import UndoRefused, batches, region_problems, stage, status, undo, write
from analytics.importing.headers import dataset_by_name, find_header_row, recognise_dataset
from analytics.importing.readers import FileProblem, read_table
from analytics.importing.validate import problem, validate

__all__ = [
    "MODES",
    "UndoRefused",
    "UnknownDataset",
    "dataset_status",
    "import_file",
    "list_batches",
    "recognise_dataset",
    "undo_batch",
]

MODES = ("upsert", "replace")
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
    dataset: str | None = None,
    mode: str = "upsert",
    dry_run: bool = False,
    db: str | os.PathLike | None = None,
    file_name: str | None = None,
    is_sample: bool = False,
    today: dt.date | None = None,
) -> dict:
    """Validate one file and import it as one batch (or report what would change, for a dry run)."""
    if mode not in MODES:
        raise ValueError(f"未知的导入方式：{mode}（应为 upsert 或 replace）")
    chosen = None
    if dataset:
        chosen = dataset_by_name(dataset)
        if chosen is None:
            raise UnknownDataset(f"未知的数据集“{dataset}”，可选：{'、'.join(DATASETS)}")
    if isinstance(source, bytes | bytearray):
        if not file_name:
            raise ValueError("以字节形式传入文件时必须给出 file_name")
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
    sha256 = hashlib.sha256(data).hexdigest()
    extra = {"dry_run": dry_run, "mode": mode, "sha256": sha256}

    sheet_names = (chosen.name, chosen.zh) if chosen else _ALL_SHEET_NAMES
    try:
        raw = read_table(data, file_name, lambda rows: find_header_row(rows, chosen), sheet_names)
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

    checked = validate(raw, chosen, today=today)
    warnings = checked.warnings
    extra["rows_in_file"] = checked.table.num_rows
    problems = checked.problems
    if problems.items:
        # Still check region names, read-only, so the analyst sees every problem at once.
        if "county" in checked.present and checked.table.num_rows:
            with store.connect(db, read_only=True) as con:
                region_problems(con, checked, problems)
        return _result(file_name, chosen.name, errors=problems.result(), warnings=warnings, **extra)

    if not dry_run:
        store.ensure_schema(db)
    with store.connect(db, read_only=dry_run) as con:
        # One transaction from the region check to the write: the counts shown are the changes made.
        con.execute("BEGIN TRANSACTION")
        try:
            region_problems(con, checked, problems)
            if problems.items:
                con.execute("ROLLBACK")
                return _result(file_name, chosen.name, errors=problems.result(), warnings=warnings, **extra)
            counts = stage(con, checked, mode)
            changes = counts["rows_inserted"] + counts["rows_updated"] + counts["rows_removed"]
            state = "imported" if changes else "unchanged"
            if dry_run or not changes:
                con.execute("ROLLBACK")
                return _result(file_name, chosen.name, status=state, warnings=warnings, **counts, **extra)
            batch_id = write(
                con, chosen, counts, file_name=file_name, sha256=sha256, mode=mode, is_sample=is_sample
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return _result(
        file_name, chosen.name, status=state, batch_id=batch_id, warnings=warnings, **counts, **extra
    )


def undo_batch(batch_id: int, db: str | os.PathLike | None = None) -> dict:
    """Return the data to its exact state before a batch; raises UndoRefused with a Chinese reason."""
    store.ensure_schema(db)
    with store.connect(db, read_only=False) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            result = undo(con, int(batch_id))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return result


def list_batches(db: str | os.PathLike | None = None) -> list[dict]:
    """Every import batch, newest first."""
    with store.connect(db, read_only=True) as con:
        return batches(con)


def dataset_status(db: str | os.PathLike | None = None) -> dict:
    """The `status` document of the command line: rows and date range per dataset, and the batches."""
    with store.connect(db, read_only=True) as con:
        return status(con)
