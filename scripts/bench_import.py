"""Time whole import processes against whole processes doing only the bare read of the same file.

Run from the project root:
    python -m scripts.bench_import [--rows 1000000] [--xlsx-rows 200000] [--pairs 3] [--keep DIR] [--no-gb18030]
        [--only csv|xlsx] [--baseline DIR] [--compiled]

Each measurement is a process of its own, timed from start to exit, as the analyst's command is:
- CSV: `python -m analytics import hazards.csv --db fresh.duckdb` beside a process that runs DuckDB's
  `CREATE TABLE t AS SELECT * FROM read_csv(FILE)` into a fresh database file;
- GB18030 CSV (the same rows re-encoded): the import beside the same bare read of the UTF-8 file
  (DuckDB's read_csv has no GB18030 without an extension download);
- xlsx: the import beside a process reading every cell of the sheet with python-calamine
  (`to_python`) and, when fastexcel is installed, one with fastexcel (`load_sheet(...).to_arrow()`).
The pair (bare, import) is run `--pairs` times in turn and the median of each is printed with the ratio,
for wall time and for CPU time (user + system of the process and its children: on a machine shared with
other work the CPU ratio moves less than the wall ratio). `--baseline DIR` (a checkout of an earlier
commit, e.g. `git worktree add --detach ../old HEAD~3`) runs that checkout's import in the same rounds,
right after the bare read, so before and after are measured under the same load.
The files are the 隐患排查整改 ledger (analytics.contract.datasets.HAZARDS), generated from fixed seeds,
consistent with every rule of the data contract, so each import is a real import of every row.
`--compiled` first compiles each checkout's `analytics` package to bytecode (`compileall`), as an analyst's
Python has it after the first run; where PYTHONDONTWRITEBYTECODE is set (as on some build machines), each
import process otherwise compiles the project's modules from source (about 0.2 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from analytics.contract.datasets import HAZARD_LEVELS, HAZARDS, LISTED_LEVELS, SECTORS

COUNTIES = [f"第{i}县" for i in range(1, 11)]
TOWNSHIPS = [f"第{j}镇" for j in range(1, 13)]
DEPARTMENTS = ["应急管理局", "住房和城乡建设局", "交通运输局", "市场监督管理局", "消防救援大队"]
DESCRIPTIONS = [
    "安全出口堵塞",
    "消防器材过期未更换",
    "特种作业人员未持证上岗",
    "有限空间作业未审批",
    "危险化学品储存不规范",
    "",
]
ROOT = Path(__file__).resolve().parent.parent


def _dates(days: np.ndarray, filled: np.ndarray | None = None) -> np.ndarray:
    text = (np.datetime64("1970-01-01") + days.astype("timedelta64[D]")).astype(str).astype(object)
    if filled is not None:
        text[~filled] = ""
    return text


def hazards_columns(rows: int, seed: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Deterministic hazard records (found 2024-01-01 .. 60 days ago) keeping every cross-column rule.

    Returns (column header -> text cells, date column header -> day numbers with -1 for empty).
    """
    rng = np.random.default_rng(seed)
    start = (dt.date(2024, 1, 1) - dt.date(1970, 1, 1)).days
    last = (dt.date.today() - dt.timedelta(days=60) - dt.date(1970, 1, 1)).days
    found = rng.integers(start, last, rows)
    deadline = found + rng.integers(7, 60, rows)
    rectified_filled = rng.random(rows) < 0.8
    rectified = found + rng.integers(0, 30, rows)
    order = rng.random(rows) < 0.6
    reviewed_filled = order & rectified_filled & (rng.random(rows) < 0.7)
    reviewed = rectified + rng.integers(1, 5, rows)
    level_index = (rng.random(rows) < 0.05).astype(int)  # 5 % 重大隐患
    listed_filled = (level_index == 1) & (rng.random(rows) < 0.5)
    listed = np.array(LISTED_LEVELS, dtype=object)[rng.integers(0, len(LISTED_LEVELS), rows)]
    listed[~listed_filled] = ""
    closed_filled = listed_filled & rectified_filled & (rng.random(rows) < 0.6)
    closed = rectified + rng.integers(0, 10, rows)
    pick = lambda values: np.array(values, dtype=object)[rng.integers(0, len(values), rows)]  # noqa: E731
    zh = {c.name: c.zh for c in HAZARDS.columns}
    text = {
        zh["hazard_id"]: np.char.add("YH", np.char.zfill(np.arange(1, rows + 1).astype(str), 8)),
        # Text codes with leading zeros: they must stay text.
        zh["inspection_id"]: np.char.add("0", np.char.zfill((np.arange(rows) // 3).astype(str), 7)),
        zh["found_on"]: _dates(found),
        zh["county"]: pick(COUNTIES),
        zh["township"]: pick(TOWNSHIPS),
        zh["department"]: pick(DEPARTMENTS),
        zh["unit"]: np.char.add("某某有限公司", rng.integers(1, 20000, rows).astype(str)),
        zh["sector"]: pick(SECTORS),
        zh["level"]: np.array(HAZARD_LEVELS, dtype=object)[level_index],
        zh["description"]: pick(DESCRIPTIONS),
        zh["deadline"]: _dates(deadline),
        zh["rectified_on"]: _dates(rectified, rectified_filled),
        zh["order_issued"]: np.where(order, "是", "否").astype(object),
        zh["reviewed_on"]: _dates(reviewed, reviewed_filled),
        zh["listed_level"]: listed,
        zh["closed_on"]: _dates(closed, closed_filled),
    }
    days = {
        zh["found_on"]: found,
        zh["deadline"]: deadline,
        zh["rectified_on"]: np.where(rectified_filled, rectified, -1),
        zh["reviewed_on"]: np.where(reviewed_filled, reviewed, -1),
        zh["closed_on"]: np.where(closed_filled, closed, -1),
    }
    return text, days


def write_csv(path: Path, rows: int) -> None:
    text, _ = hazards_columns(rows, seed=1)
    table = pa.table({name: pa.array(column.tolist(), pa.string()) for name, column in text.items()})
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="none"))


def write_gb18030(source: Path, path: Path) -> None:
    path.write_bytes(source.read_text(encoding="utf-8").encode("gb18030"))


def write_xlsx(path: Path, rows: int) -> None:
    """A workbook as a county writes one: a title row, the header, dates as Excel dates (yyyy-mm-dd)."""
    import xlsxwriter

    text, days = hazards_columns(rows, seed=2)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet(HAZARDS.zh)
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    excel_epoch = (dt.date(1899, 12, 30) - dt.date(1970, 1, 1)).days
    sheet.write_row(0, 0, ["某市隐患排查整改台账"])
    headers = list(text)
    sheet.write_row(1, 0, headers)
    # Empty date cells (-1) stay empty; the others are Excel serials.
    columns = [
        np.where(days[h] >= 0, days[h] - excel_epoch, 0).tolist() if h in days else text[h].tolist()
        for h in headers
    ]
    is_date = [h in days for h in headers]
    for r in range(rows):
        for c, column in enumerate(columns):
            value = column[r]
            if is_date[c]:
                if value > 0:
                    sheet.write_number(r + 2, c, value, date_format)
            elif value:
                sheet.write_string(r + 2, c, value)
    workbook.close()


BARE_CSV = (
    "import duckdb, sys\n"
    "con = duckdb.connect(sys.argv[2])\n"
    "con.execute('CREATE TABLE t AS SELECT * FROM read_csv(?)', [sys.argv[1]])\n"
    "print(con.execute('SELECT count(*) FROM t').fetchone()[0])\n"
)
BARE_CALAMINE = (
    "import sys\n"
    "from python_calamine import CalamineWorkbook\n"
    "book = CalamineWorkbook.from_path(sys.argv[1])\n"
    "print(len(book.get_sheet_by_name(book.sheet_names[0]).to_python()))\n"
)
BARE_FASTEXCEL = (
    "import sys, fastexcel\n"
    "reader = fastexcel.read_excel(sys.argv[1])\n"
    "print(reader.load_sheet(0, header_row=1).to_arrow().num_rows)\n"
)


def run(command: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system of the process and the children it waited for)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            out.seek(0)
            text = out.read().decode("utf-8", errors="replace")
            raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{text[-4000:]}")
    return seconds, usage.ru_utime + usage.ru_stime


def import_command(path: Path, db: Path) -> list[str]:
    for suffix in ("", ".wal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return [sys.executable, "-m", "analytics", "import", str(path), "--db", str(db)]


def measure(label: str, bare: dict, subject, pairs: int, baseline: Path | None = None) -> list[tuple]:
    """Median wall and CPU seconds of the bare reads and of the import(s) over `pairs` alternating rounds."""
    subjects = {"import": ROOT}
    if baseline is not None:
        subjects["baseline import"] = baseline
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in [*bare, *subjects]}
    for _ in range(pairs):
        for name, command in bare.items():
            times[name].append(run(command()))
        for name in reversed(subjects):  # the baseline first, then this checkout
            times[name].append(run(subject(), cwd=subjects[name]))
    wall = {name: statistics.median(t[0] for t in values) for name, values in times.items()}
    cpu = {name: statistics.median(t[1] for t in values) for name, values in times.items()}
    lines = []
    for importer in subjects:
        for name in bare:
            lines.append((label, name, importer, wall[name], wall[importer], cpu[name], cpu[importer]))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=200_000)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--keep", help="keep the generated files here (and reuse them on the next run)")
    parser.add_argument("--no-gb18030", action="store_true", help="skip the GB18030 CSV")
    parser.add_argument("--only", choices=("csv", "xlsx"), help="measure one format only")
    parser.add_argument(
        "--baseline", type=Path, help="a checkout of an earlier commit whose import runs in the same rounds"
    )
    parser.add_argument(
        "--compiled", action="store_true", help="compile each checkout's analytics package to bytecode first"
    )
    args = parser.parse_args()
    if args.compiled:
        for checkout in [ROOT, *([args.baseline] if args.baseline else [])]:
            subprocess.run([sys.executable, "-m", "compileall", "-q", "analytics"], cwd=checkout, check=True)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(args.keep or temp)
        folder.mkdir(parents=True, exist_ok=True)
        csv_path = folder / f"hazards_{args.rows}.csv"
        gb_path = folder / f"hazards_{args.rows}_gb18030.csv"
        xlsx_path = folder / f"hazards_{args.xlsx_rows}.xlsx"
        if not csv_path.exists():
            write_csv(csv_path, args.rows)
        if not args.no_gb18030 and not gb_path.exists():
            write_gb18030(csv_path, gb_path)
        if args.only != "csv" and not xlsx_path.exists():
            write_xlsx(xlsx_path, args.xlsx_rows)
        db = folder / "bench_import.duckdb"
        bare_db = folder / "bench_bare.duckdb"

        def bare_csv(path: Path):
            def command():
                bare_db.unlink(missing_ok=True)
                return [sys.executable, "-c", BARE_CSV, str(path), str(bare_db)]

            return command

        lines = []
        if args.only != "xlsx":
            lines += measure(
                f"CSV {args.rows:,} 行",
                {"DuckDB read_csv": bare_csv(csv_path)},
                lambda: import_command(csv_path, db),
                args.pairs,
                args.baseline,
            )
            if not args.no_gb18030:
                lines += measure(
                    f"CSV GB18030 {args.rows:,} 行",
                    {"DuckDB read_csv (UTF-8)": bare_csv(csv_path)},
                    lambda: import_command(gb_path, db),
                    args.pairs,
                    args.baseline,
                )
        if args.only != "csv":
            bare = {"calamine to_python": lambda: [sys.executable, "-c", BARE_CALAMINE, str(xlsx_path)]}
            if importlib.util.find_spec("fastexcel"):  # not a dependency of the app: measured when installed
                bare["fastexcel to_arrow"] = lambda: [sys.executable, "-c", BARE_FASTEXCEL, str(xlsx_path)]
            lines += measure(
                f"xlsx {args.xlsx_rows:,} 行",
                bare,
                lambda: import_command(xlsx_path, db),
                args.pairs,
                args.baseline,
            )
        compiled = "; analytics compiled to bytecode first" if args.compiled else ""
        print(
            f"whole processes, median of {args.pairs} rounds; load average {os.getloadavg()[0]:.1f} at the end"
            + compiled
        )
        print(
            f"{'file':<24} {'bare read':<24} {'importer':<16} {'bare s':>7} {'import s':>9} {'ratio':>7}"
            f" {'bare CPU':>9} {'import CPU':>11} {'CPU ratio':>10}"
        )
        for label, name, importer, bare_wall, wall, bare_cpu, cpu in lines:
            print(
                f"{label:<24} {name:<24} {importer:<16} {bare_wall:>7.2f} {wall:>9.2f} {wall / bare_wall:>6.2f}x"
                f" {bare_cpu:>9.2f} {cpu:>11.2f} {cpu / bare_cpu:>9.2f}x"
            )


if __name__ == "__main__":
    main()
