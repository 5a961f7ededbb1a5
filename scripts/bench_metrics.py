"""Time every metric behind the pages and the CLI on a scaled-up city, against a bare scan.

Run from the project root: python -m scripts.bench_metrics [--scale 500] [--keep DIR]
--scale 500 gives about ten million hazards. The data comes from the sample generator
(typed Parquet) and is loaded straight into a fresh database; each metric is timed
on a cold call and a warm one, beside DuckDB's bare aggregate over the hazards table
measured in the same run, so the ratios compare on one machine.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from analytics import store
from analytics.contract.datasets import DATASETS
from analytics.metrics import common, enforcement, hazards, indicators, ranking, townships, training
from analytics.sample import generator as sample


def _load(db: Path, parquet: dict[str, Path]) -> dict[str, int]:
    store.ensure_schema(db)
    counts = {}
    with store.connect(db, read_only=False) as con:
        for name, path in parquet.items():
            columns = ", ".join(DATASETS[name].column_names)
            con.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM read_parquet(?)", [str(path)])
            counts[name] = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        store.set_meta(con, "home_county", sample.HOME_COUNTY)
    return counts


def _timed(function, *args, **kwargs) -> float:
    started = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=500.0)
    parser.add_argument("--keep", type=Path, help="keep the generated files and database here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        parquet = sample.generate(folder / "data", scale=args.scale, file_format="parquet")
        generated = time.perf_counter() - started
        db = folder / "bench.duckdb"
        db.unlink(missing_ok=True)
        started = time.perf_counter()
        counts = _load(db, parquet)
        loaded = time.perf_counter() - started
        print(
            f"生成 {generated:.1f} 秒，载入 {loaded:.1f} 秒："
            + "，".join(f"{k} {v:,}" for k, v in counts.items())
        )

        with store.connect(db) as con:
            period = common.default_period(con)
            county = common.home_county(con)
            bare_sql = (
                "SELECT county, count(*), count(rectified_on), sum(CASE WHEN level = '重大隐患' THEN 1 END) "
                "FROM hazards WHERE found_on BETWEEN ? AND ? GROUP BY county"
            )
            runs = [
                (
                    "DuckDB 裸聚合：隐患表按县分组",
                    lambda: con.execute(bare_sql, [period.start, period.end]).fetchall(),
                ),
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
            baseline = None
            print(f"\n{county}，{period.year}年{period.label}")
            print(f"{'步骤':<34}{'首次（秒）':>10}{'再次（秒）':>10}{'相对裸聚合':>10}")
            for label, run in runs:
                cold = _timed(run)
                warm = _timed(run)
                baseline = baseline or warm
                print(f"{label:<34}{cold:>10.3f}{warm:>10.3f}{warm / baseline:>10.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
