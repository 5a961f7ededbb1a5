"""Time every metric behind the pages and the CLI on a scaled-up city, on DuckDB and on PostgreSQL.

Run from the project root:
    python -m scripts.bench_metrics [--scale 500] [--store duckdb|postgresql|both] [--pg URL] [--keep DIR]
--scale 500 gives about ten million hazards. The data comes from the sample generator (typed
Parquet) and is loaded straight into a fresh database of each store: DuckDB reads the Parquet
itself; PostgreSQL gets it by COPY (CSV from Arrow), then ANALYZE. Each metric is timed on a cold
call and a warm one, beside each store's bare aggregate over the hazards table measured in the same
run, and the PostgreSQL/DuckDB ratio of the warm calls is printed per metric.

PostgreSQL: `--pg URL` names an empty database to load (its password from PGPASSWORD or ~/.pgpass);
without it, and when the PostgreSQL 15 programs are installed, a throwaway server is started in a
temporary folder (scripts/pg_local.py) and removed afterwards. `--store` defaults to `both` when
either is possible, else `duckdb`.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from analytics import store
from analytics.contract.datasets import DATASETS
from analytics.metrics import common, enforcement, hazards, indicators, ranking, townships, training
from analytics.sample import generator as sample
from scripts import pg_local

BARE_SQL = (
    "SELECT county, count(*), count(rectified_on), sum(CASE WHEN level = '重大隐患' THEN 1 END) "
    "FROM hazards WHERE found_on BETWEEN ? AND ? GROUP BY county"
)
COPY_BATCH_ROWS = 200_000


def _load_duckdb(db: Path, parquet: dict[str, Path]) -> dict[str, int]:
    store.ensure_schema(db)
    counts = {}
    with store.connect(db, read_only=False) as con:
        for name, path in parquet.items():
            columns = ", ".join(DATASETS[name].column_names)
            con.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM read_parquet(?)", [str(path)])
            counts[name] = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        store.set_meta(con, "home_county", sample.HOME_COUNTY)
    return counts


def _csv_chunks(table: pa.Table) -> Iterator[bytes]:
    """The table as CSV without a header, in batches; every value quoted, a null left empty (COPY's NULL)."""
    options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
    for batch in table.to_batches(max_chunksize=COPY_BATCH_ROWS):
        buffer = io.BytesIO()
        pacsv.write_csv(pa.Table.from_batches([batch]), buffer, write_options=options)
        yield buffer.getvalue()


def _load_postgresql(url: str, parquet: dict[str, Path]) -> dict[str, int]:
    import psycopg

    store.ensure_schema(url)
    counts = {}
    with psycopg.connect(url) as pg:
        for name, path in parquet.items():
            names = DATASETS[name].column_names
            table = pq.read_table(path, columns=list(names))
            with pg.cursor() as cursor:
                with cursor.copy(f"COPY {name} ({', '.join(names)}) FROM STDIN (FORMAT csv)") as copy:
                    for chunk in _csv_chunks(table):
                        copy.write(chunk)
                counts[name] = cursor.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        pg.commit()
        pg.autocommit = True
        pg.execute("ANALYZE")
    with store.connect(url, read_only=False) as con:
        store.set_meta(con, "home_county", sample.HOME_COUNTY)
    return counts


def _timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def _runs(con, period, county) -> list[tuple[str, Callable[[], object]]]:
    return [
        ("裸聚合：隐患表按县分组", lambda: con.execute(BARE_SQL, [period.start, period.end]).fetchall()),
        ("indicators 全市", lambda: indicators.indicators(con, period)),
        ("indicators 本县", lambda: indicators.indicators(con, period, county)),
        ("indicators.monthly 本县", lambda: indicators.monthly(con, period.year, county)),
        ("ranking", lambda: ranking.ranking(con, period)),
        ("hazards 按乡镇", lambda: hazards.hazards(con, period, county, by="township")),
        ("hazards 按部门", lambda: hazards.hazards(con, period, county, by="department")),
        ("overdue_hazards", lambda: hazards.overdue_hazards(con, period, county)),
        ("hazard_monthly", lambda: hazards.hazard_monthly(con, period.year, county)),
        ("enforcement 按部门", lambda: enforcement.enforcement(con, period, county)),
        ("training 按乡镇", lambda: training.training(con, period, county)),
        ("townships", lambda: townships.townships(con, period, county)),
    ]


def _measure(location) -> tuple[str, dict[str, tuple[float, float]]]:
    """(the period's label, {step: (cold, warm)}) on the database at `location`."""
    with store.connect(location) as con:
        period = common.default_period(con)
        county = common.home_county(con)
        timings = {}
        for label, run in _runs(con, period, county):
            cold = _timed(run)
            timings[label] = (cold, _timed(run))
    return f"{county}，{period.year}年{period.label}", timings


def _report(results: dict[str, dict[str, tuple[float, float]]]) -> None:
    stores = list(results)
    first = results[stores[0]]
    head = f"{'步骤':<30}"
    for name in stores:
        head += f"{name + ' 首次':>16}{name + ' 再次':>16}{'相对裸聚合':>10}"
    if len(stores) == 2:
        head += f"{'PG/DuckDB':>12}"
    print(head)
    for label in first:
        line = f"{label:<30}"
        for name in stores:
            cold, warm = results[name][label]
            baseline = next(iter(results[name].values()))[1]
            line += f"{cold:>16.3f}{warm:>16.3f}{warm / baseline:>9.1f}x"
        if len(stores) == 2:
            line += f"{results[stores[1]][label][1] / results[stores[0]][label][1]:>11.2f}x"
        print(line)


@contextlib.contextmanager
def _postgresql(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    with pg_local.LocalServer() as server:
        yield server.create_database("bench")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=500.0)
    parser.add_argument("--store", choices=("duckdb", "postgresql", "both"))
    parser.add_argument(
        "--pg", metavar="URL", help="an empty PostgreSQL database to load (else a temporary server)"
    )
    parser.add_argument("--keep", type=Path, help="keep the generated files and the DuckDB database here")
    args = parser.parse_args(argv)
    can_pg = bool(args.pg) or pg_local.binaries_missing() is None
    chosen = args.store or ("both" if can_pg else "duckdb")
    if chosen != "duckdb" and not can_pg:
        parser.error(f"--store {chosen} needs --pg URL or {pg_local.binaries_missing()}")
    stores = {"duckdb": ["DuckDB"], "postgresql": ["PostgreSQL"], "both": ["DuckDB", "PostgreSQL"]}[chosen]

    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        parquet = sample.generate(folder / "data", scale=args.scale, file_format="parquet")
        print(f"生成 {time.perf_counter() - started:.1f} 秒")
        results: dict[str, dict[str, tuple[float, float]]] = {}
        with contextlib.ExitStack() as stack:
            for name in stores:
                if name == "DuckDB":
                    location = folder / "bench.duckdb"
                    location.unlink(missing_ok=True)
                    load = _load_duckdb
                else:
                    location = stack.enter_context(_postgresql(args.pg))
                    load = _load_postgresql
                started = time.perf_counter()
                counts = load(location, parquet)
                print(
                    f"{name} 载入 {time.perf_counter() - started:.1f} 秒："
                    + "，".join(f"{k} {v:,}" for k, v in counts.items())
                )
                period_label, results[name] = _measure(location)
        print(f"\n{period_label}（秒；相对裸聚合 = 再次 / 本库裸聚合的再次）")
        _report(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
