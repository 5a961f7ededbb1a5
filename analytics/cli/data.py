"""Command-line handlers for the data subcommands: init, import, undo, status (see spec/cli.md)."""

from __future__ import annotations

import argparse

from analytics import store
from analytics.cli.errors import RejectedInput, UsageError
from analytics.importing import UndoRefused, UnknownDataset, dataset_status, describe, import_file, undo_batch


def cmd_init(args: argparse.Namespace) -> tuple[int, dict, str]:
    """Create the database and, with --sample, load the bundled sample data."""
    path = store.ensure_schema(args.db)
    document: dict = {"db": str(path), "sample": bool(args.sample)}
    lines = [f"数据库已就绪：{path}"]
    if args.sample:
        from analytics.sample.lifecycle import SampleRejected, load_sample

        try:
            document["files"] = load_sample(path)
        except SampleRejected as error:
            raise RejectedInput(str(error)) from error
        loaded = sum(f["rows_inserted"] for f in document["files"])
        lines.append(f"示例数据已载入（{loaded:,} 行）。页面上会标明“示例数据”；在“数据导入”页可一键清除")
    return 0, document, "\n".join(lines)


def cmd_import(args: argparse.Namespace) -> tuple[int, dict, str]:
    """Import each file as its own batch; exit 1 if any file is rejected."""
    if args.county and not args.covers:
        raise UsageError("--county 只能与 --covers 一起使用")
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
            )
        except UnknownDataset as error:
            raise UsageError(str(error)) from error
        results.append(result)
    status = 1 if any(r["status"] == "rejected" for r in results) else 0
    return status, {"files": results}, "\n".join(describe(r) for r in results)


def cmd_undo(args: argparse.Namespace) -> tuple[int, dict, str]:
    """Reverse one import batch exactly."""
    try:
        result = undo_batch(args.batch_id, db=args.db)
    except UndoRefused as error:
        raise RejectedInput(str(error)) from error
    text = (
        f"批次 {result['batch_id']}（{result['file']}）已撤销：移除 {result['rows_removed']} 行，"
        f"恢复 {result['rows_restored']} 行"
    )
    return 0, result, text


def cmd_status(args: argparse.Namespace) -> tuple[int, dict, str]:
    """Rows and date range per dataset, and the import batches."""
    document = dataset_status(args.db)
    lines = ["数据集            行数    起始日期    截止日期"]
    for name, info in document["datasets"].items():
        lines.append(
            f"{name:<16} {info['rows']:>7}  {info['min_date'] or '-':>10}  {info['max_date'] or '-':>10}"
        )
    if document["batches"]:
        lines.append("")
        lines.append("导入批次：")
        for b in document["batches"]:
            flag = "（已撤销）" if b["undone"] else ""
            lines.append(
                f"  {b['batch_id']:>4} {b['imported_at']} {b['dataset']:<16} {b['file']} "
                f"新增 {b['rows_inserted']} 更新 {b['rows_updated']}{flag}"
            )
    if document["coverage"]:
        lines += ["", "各县市区数据截至月份："]
        for name, per_county in document["coverage"].items():
            months = "，".join(f"{county} {month}" for county, month in per_county.items())
            lines.append(f"  {name:<16} {months}")
    return 0, document, "\n".join(lines)
