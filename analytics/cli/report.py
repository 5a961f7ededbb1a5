"""CLI handler of `report --county C --year Y --months a-b --out FILE.docx`: the written report."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from analytics import store
from analytics.cli.errors import RejectedInput, UsageError
from analytics.cli.metrics import EMPTY_DATABASE, check_county, resolve_period
from analytics.documents.report import figures_summary, render, report_content
from analytics.metrics.common import home_county
from analytics.metrics.coverage import SOURCES, check_period
from analytics.text.zh import t


def cmd_report(args: argparse.Namespace) -> tuple[int, dict, str]:
    """Write the report for a county (default: the home county) and period (default: 1–latest month)."""
    out = Path(args.out)
    if out.suffix.lower() != ".docx":
        raise UsageError(t("cli.out_not_docx", value=args.out))
    if not out.parent.is_dir():
        raise RejectedInput(t("cli.no_out_dir", path=out.parent))
    today = dt.date.today()
    with store.connect(args.db, read_only=True) as con:
        period = resolve_period(con, args, today)
        county = check_county(con, getattr(args, "county", None)) or home_county(con)
        if county is None:
            raise RejectedInput(EMPTY_DATABASE)
        check_period(con, period, SOURCES["report"], county, today)
        content = report_content(con, county, period, today)
    data = render(content["blocks"])
    try:
        out.write_bytes(data)
    except OSError as error:
        raise RejectedInput(t("cli.cannot_write", path=out, reason=error.strerror or error)) from error
    document = {
        "out": str(out),
        "county": county,
        "period": content["period"],
        "bytes": len(data),
        "figures": figures_summary(content["figures"]),
        "paragraphs": [b.plain for b in content["blocks"] if b.kind == "paragraph"],
    }
    opening = next(b.plain for b in content["blocks"] if b.kind == "paragraph" and "今年以来" in b.plain)
    text = (
        t("cli.report_written", path=out, county=county, year=period.year, months=period.label)
        + f"\n\n{opening}"
    )
    return 0, document, text
