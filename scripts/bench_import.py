"""Time the import of a 1M-row accidents CSV and a 200k-row xlsx against DuckDB's bare read_csv.

Run from the project root: python -m scripts.bench_import [--rows 1000000] [--xlsx-rows 200000] [--keep DIR]
Files are generated deterministically (seeded) in a temp dir and imported into fresh databases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import xlsxwriter

from analytics.contract.datasets import ACCIDENT_TYPES, ACCIDENTS, SECTORS
from analytics.importing import import_file

COUNTIES = [f"第{i}县" for i in range(1, 11)]
TOWNSHIPS = [f"第{j}镇" for j in range(1, 13)]


def accidents_columns(rows: int, seed: int) -> dict[str, list | np.ndarray]:
    """Deterministic accident records spread over 2024-01-01 .. yesterday."""
    rng = np.random.default_rng(seed)
    start = dt.date(2024, 1, 1)
    span = (dt.date.today() - start).days
    days = rng.integers(0, span, rows)
    dates = (np.datetime64(start) + days.astype("timedelta64[D]")).astype(str)
    injuries = rng.poisson(1.5, rows)
    return {
        ACCIDENTS.column("accident_id").zh: np.char.add("SG", np.arange(1, rows + 1).astype(str)),
        ACCIDENTS.column("occurred_on").zh: np.char.replace(dates, "-", "/"),
        ACCIDENTS.column("county").zh: np.array(COUNTIES)[rng.integers(0, len(COUNTIES), rows)],
        ACCIDENTS.column("township").zh: np.array(TOWNSHIPS)[rng.integers(0, len(TOWNSHIPS), rows)],
        ACCIDENTS.column("sector").zh: np.array(SECTORS)[rng.integers(0, len(SECTORS), rows)],
        ACCIDENTS.column("accident_type").zh: np.array(ACCIDENT_TYPES)[
            rng.integers(0, len(ACCIDENT_TYPES), rows)
        ],
        ACCIDENTS.column("deaths").zh: rng.poisson(0.3, rows),
        ACCIDENTS.column("serious_injuries").zh: np.minimum(rng.poisson(0.4, rows), injuries),
        ACCIDENTS.column("injuries").zh: injuries,
        ACCIDENTS.column("direct_loss_wan").zh: np.round(rng.gamma(1.2, 3.0, rows), 2),
        ACCIDENTS.column("unit").zh: np.char.add("某某公司", rng.integers(1, 5000, rows).astype(str)),
    }


def regions_csv(folder: Path) -> Path:
    path = folder / "regions.csv"
    lines = ["县市区,乡镇（街道）,市"] + [f"{c},{t},示例市" for c in COUNTIES for t in TOWNSHIPS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_csv(path: Path, rows: int) -> None:
    columns = accidents_columns(rows, seed=1)
    pacsv.write_csv(pa.table({k: pa.array(v) for k, v in columns.items()}), path)


def write_xlsx(path: Path, rows: int) -> None:
    columns = accidents_columns(rows, seed=2)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet(ACCIDENTS.zh)
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["某市2026年生产安全事故台账"])
    headers = list(columns)
    sheet.write_row(1, 0, headers)
    values = [columns[h].tolist() for h in headers]
    date_index = headers.index(ACCIDENTS.column("occurred_on").zh)
    for r in range(rows):
        for c, column in enumerate(values):
            if c == date_index:
                sheet.write_datetime(r + 2, c, dt.datetime.strptime(column[r], "%Y/%m/%d"), date_format)
            else:
                sheet.write(r + 2, c, column[r])
    workbook.close()


def timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=200_000)
    parser.add_argument("--keep", help="write the generated files here instead of a temp dir")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(args.keep or temp)
        folder.mkdir(parents=True, exist_ok=True)
        csv_path, xlsx_path = folder / "accidents.csv", folder / "accidents.xlsx"
        write_csv(csv_path, args.rows)
        write_xlsx(xlsx_path, args.xlsx_rows)
        regions = regions_csv(folder)
        results = []

        def bare_read():
            with duckdb.connect() as con:
                return con.execute(
                    "SELECT count(*) FROM read_csv(?, all_varchar = true)", [str(csv_path)]
                ).fetchone()[0]

        seconds, count = timed(bare_read)
        results.append((f"DuckDB read_csv（{count:,} 行 CSV，全部按文本）", seconds))
        for label, path, rows in (("CSV", csv_path, args.rows), ("xlsx", xlsx_path, args.xlsx_rows)):
            db = folder / f"bench_{label}.duckdb"
            db.unlink(missing_ok=True)
            import_file(regions, db=db)
            seconds, result = timed(lambda path=path, db=db: import_file(path, db=db))
            assert result["status"] == "imported" and result["rows_inserted"] == rows, result["errors"][:3]
            results.append((f"import_file {label}（{rows:,} 行，新库）", seconds))
            seconds, result = timed(lambda path=path, db=db: import_file(path, db=db))
            assert result["status"] == "unchanged", result
            results.append((f"import_file {label} 再次导入（无变化）", seconds))
        base = results[0][1]
        print(f"{'步骤':<40} {'秒':>8} {'相对 read_csv':>14}")
        for label, seconds in results:
            print(f"{label:<40} {seconds:>8.2f} {seconds / base:>13.1f}x")


if __name__ == "__main__":
    main()
