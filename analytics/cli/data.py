"""Command-line handlers for the data subcommands: init, import, undo, status (see spec/cli.md)."""

from __future__ import annotations

import argparse

from analytics import store
from analytics.cli.accounts import actor_of, report_first_admin
from analytics.cli.errors import RejectedInput, UsageError
from analytics.importing import UndoRefused, UnknownDataset, dataset_status, describe, import_file, undo_batch
from analytics.importing.arrow_pool import pyarrow_without_pandas
from analytics.text.zh import t


def cmd_init(args: argparse.Namespace) -> tuple[int, dict, str]:
    """Create the database and, with --sample, load the bundled sample data."""
    path = store.ensure_schema(args.db)
    shown = store.display(path)
    document: dict = {"db": shown, "sample": bool(args.sample), "initial_admin": report_first_admin(path)}
    lines = [t("cli.db_ready", path=shown)]
    if args.sample:
        from analytics.sample.lifecycle import SampleRejected, load_sample

        try:
            document["files"] = load_sample(path)
        except SampleRejected as error:
            raise RejectedInput(str(error)) from error
        loaded = sum(f["rows_inserted"] for f in document["files"])
        lines.append(t("cli.sample_loaded", rows=f"{loaded:,}"))
    return 0, document, "\n".join(lines)


def cmd_import(args: argparse.Namespace) -> tuple[int, dict, str]:
    """Import each file as its own batch; exit 1 if any file is rejected."""
    if args.county and not args.covers:
        raise UsageError(t("cli.county_needs_covers"))
    pyarrow_without_pandas()  # an import from the command line needs no pandas: a quarter of a second
    actor = actor_of(args)
    results = []
    for file in args.files:
        try:
            result = import_file(
                file,
                dataset=args.dataset,
                mode=args.mode,
                dry_run=args.dry_run,
                db=args.db,
                covers=args.covers,
                county=args.county,
                actor=actor,
            )
        except UnknownDataset as error:
            raise UsageError(str(error)) from error
        results.append(result)
    status = 1 if any(r["status"] == "rejected" for r in results) else 0
    return status, {"files": results}, "\n".join(describe(r) for r in results)


def cmd_undo(args: argparse.Namespace) -> tuple[int, dict, str]:
    """Reverse one import batch exactly."""
    try:
        result = undo_batch(args.batch_id, db=args.db, actor=actor_of(args))
    except UndoRefused as error:
        raise RejectedInput(str(error)) from error
    text = t(
        "cli.undone",
        batch=result["batch_id"],
        file=result["file"],
        removed=result["rows_removed"],
        restored=result["rows_restored"],
    )
    return 0, result, text


def cmd_status(args: argparse.Namespace) -> tuple[int, dict, str]:
    """Rows and date range per dataset, and the import batches."""
    document = dataset_status(args.db)
    lines = [t("cli.status_header")]
    for name, info in document["datasets"].items():
        lines.append(
            f"{name:<16} {info['rows']:>7}  {info['min_date'] or '-':>10}  {info['max_date'] or '-':>10}"
        )
    if document["batches"]:
        lines.append("")
        lines.append(t("cli.batches"))
        for b in document["batches"]:
            flag = t("cli.batch_undone") if b["undone"] else ""
            lines.append(
                t(
                    "cli.batch_line",
                    batch=b["batch_id"],
                    imported_at=b["imported_at"],
                    dataset=b["dataset"],
                    file=b["file"],
                    inserted=b["rows_inserted"],
                    updated=b["rows_updated"],
                    flag=flag,
                )
            )
    if document["coverage"]:
        lines += ["", t("cli.coverage")]
        for name, per_county in document["coverage"].items():
            months = "，".join(f"{county} {month}" for county, month in per_county.items())
            lines.append(f"  {name:<16} {months}")
    return 0, document, "\n".join(lines)
