"""CLI handlers of `report` and `brief`: the written report and the one-page meeting brief as .docx.

`--out FILE.docx` writes one file; `--out-dir DIR` names it as the 报告生成 page does (county and
period in the name), so a timer can fill a shared folder, and adds a PDF when LibreOffice is installed.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from analytics import store
from analytics.cli.errors import RejectedInput, UsageError
from analytics.cli.metrics import EMPTY_DATABASE, check_county, resolve_period
from analytics.documents.brief import build_brief
from analytics.documents.pdf import docx_to_pdf
from analytics.documents.report import figures_summary, render, report_content
from analytics.metrics.common import home_county
from analytics.metrics.coverage import SOURCES, check_period
from analytics.text.zh import t


def _stem(county: str, period) -> str:
    return t("report.stem", county=county, year=period.year, months=period.label)


def _target(args: argparse.Namespace, name: str) -> Path:
    return Path(args.out_dir) / name if args.out_dir else Path(args.out)


def _check_out(args: argparse.Namespace) -> None:
    if args.out_dir:
        if not Path(args.out_dir).is_dir():
            raise RejectedInput(t("cli.no_out_dir", path=args.out_dir))
        return
    out = Path(args.out)
    if out.suffix.lower() != ".docx":
        raise UsageError(t("cli.out_not_docx", value=args.out))
    if not out.parent.is_dir():
        raise RejectedInput(t("cli.no_out_dir", path=out.parent))


def _write(args: argparse.Namespace, out: Path, data: bytes) -> dict:
    try:
        out.write_bytes(data)
    except OSError as error:
        raise RejectedInput(t("cli.cannot_write", path=out, reason=error.strerror or error)) from error
    written = {"out": str(out), "bytes": len(data), "pdf": None}
    if args.out_dir:
        pdf = docx_to_pdf(out)
        written["pdf"] = str(pdf) if pdf else None
    return written


def _resolved(args: argparse.Namespace, source: str):
    """The connection's county (default: the home county) and period (default: 1–latest month), checked."""
    con = args.con
    period = resolve_period(con, args, args.today)
    county = check_county(con, getattr(args, "county", None)) or home_county(con)
    if county is None:
        raise RejectedInput(EMPTY_DATABASE)
    check_period(con, period, SOURCES[source], county, args.today)
    return county, period


def cmd_report(args: argparse.Namespace) -> tuple[int, dict, str]:
    """Write the report for a county and period."""
    _check_out(args)
    args.today = dt.date.today()
    with store.connect(args.db, read_only=True) as args.con:
        county, period = _resolved(args, "report")
        content = report_content(args.con, county, period, args.today)
    out = _target(args, t("report.report_file", stem=_stem(county, period)))
    document = {
        **_write(args, out, render(content["blocks"])),
        "county": county,
        "period": content["period"],
        "figures": figures_summary(content["figures"]),
        "paragraphs": [b.plain for b in content["blocks"] if b.kind == "paragraph"],
    }
    opening = next(b.plain for b in content["blocks"] if b.kind == "paragraph" and "今年以来" in b.plain)
    text = (
        t("cli.report_written", path=out, county=county, year=period.year, months=period.label)
        + f"\n\n{opening}"
    )
    return 0, document, _with_pdf(text, document)


def cmd_brief(args: argparse.Namespace) -> tuple[int, dict, str]:
    """Write the one-page meeting brief for a county and period."""
    _check_out(args)
    args.today = dt.date.today()
    with store.connect(args.db, read_only=True) as args.con:
        county, period = _resolved(args, "report")
        data = build_brief(args.con, county, period, args.today)
    out = _target(args, t("report.brief_file", stem=_stem(county, period)))
    document = {**_write(args, out, data), "county": county, "period": period.to_json(args.today)}
    text = t("cli.brief_written", path=out, county=county, year=period.year, months=period.label)
    return 0, document, _with_pdf(text, document)


def _with_pdf(text: str, document: dict) -> str:
    return text + ("\n" + t("cli.pdf_written", path=document["pdf"]) if document["pdf"] else "")
