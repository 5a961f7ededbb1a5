"""Writing the sample: one file per dataset in chunks, and `generate`, which drives it all."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from analytics.contract.datasets import (
    DATASETS,
)
from analytics.sample.generator.arrow import _schema
from analytics.sample.generator.city import _calendar, _city, _major_accident_months, _months, last_full_month
from analytics.sample.generator.programmes import (
    control_targets,
    major_hazard_sources,
    monthly_reports,
    projects,
    standardization,
)
from analytics.sample.generator.records import (
    _accidents,
    _enforcement,
    _inspections_and_hazards,
    _Month,
    _registry,
    _Totals,
    _training,
)
from analytics.sample.generator.spec import LOAD_ORDER, SAMPLE_END_MONTH, SAMPLE_SEED, START_MONTH
from analytics.sample.generator.tables import _bulletin, _profiles, _regions, _targets

# --- Writing --------------------------------------------------------------------------------

CHUNK_ROWS = 500_000
BOM = "\ufeff".encode()


class _Sink:
    """One dataset's file, written in chunks: CSV as a county analyst sends it, or typed Parquet."""

    def __init__(self, path: Path, dataset: str, file_format: str) -> None:
        self.path, self.dataset, self.file_format = path, dataset, file_format
        self.pending: list[pa.Table] = []
        self.pending_rows = 0
        self.rows = 0
        self.file = None
        self.writer = None

    def write(self, table: pa.Table) -> None:
        self.pending.append(table)
        self.pending_rows += table.num_rows
        if self.pending_rows >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        table = pa.concat_tables(self.pending) if self.pending else _schema(self.dataset).empty_table()
        self.pending, self.pending_rows = [], 0
        self.rows += table.num_rows
        if self.file_format == "parquet":
            if self.writer is None:
                self.writer = pq.ParquetWriter(self.path, table.schema)
            self.writer.write_table(table)
            return
        table = _as_analyst_csv(table, self.dataset)
        if self.writer is None:
            self.file = open(self.path, "wb")  # noqa: SIM115 (closed in close())
            self.file.write(BOM + (",".join(table.schema.names) + "\n").encode())
            options = pa_csv.WriteOptions(include_header=False, quoting_style="none")
            self.writer = pa_csv.CSVWriter(self.file, table.schema, write_options=options)
        self.writer.write_table(table)

    def close(self) -> None:
        if self.pending or self.writer is None:
            self.flush()
        self.writer.close()
        if self.file is not None:
            self.file.close()


def _as_analyst_csv(table: pa.Table, dataset: str) -> pa.Table:
    """Chinese headers and 是/否 for booleans; dates and 2-decimal money already print right."""
    columns = []
    for column in table.columns:
        if pa.types.is_boolean(column.type):
            column = pc.if_else(column, "是", "否")
        columns.append(column)
    names = [DATASETS[dataset].column(n).zh for n in table.schema.names]
    return pa.Table.from_arrays(columns, names=names)


def generate(
    out_dir: str | os.PathLike,
    *,
    end_month: tuple[int, int] = SAMPLE_END_MONTH,
    scale: float = 1.0,
    seed: int = SAMPLE_SEED,
    file_format: str = "csv",
) -> dict[str, Path]:
    """Write every dataset of the fictional city from January 2024 to `end_month`; returns the paths.

    `scale` multiplies the record volumes (regions, profiles, targets and the programme
    ledgers of programmes.py stay as they are);
    `file_format` is "csv" (UTF-8 with BOM, Chinese headers) or "parquet" (typed, English names).
    """
    if file_format not in ("csv", "parquet"):
        raise ValueError(f"未知的文件格式：{file_format}")
    if scale <= 0:
        raise ValueError("规模系数必须大于 0")
    if end_month < START_MONTH or not 1 <= end_month[1] <= 12:
        raise ValueError(f"结束月份无效：{end_month[0]}-{end_month[1]}")
    if end_month > last_full_month():
        # Records dated after today would be rejected on import ("not after today").
        raise ValueError(
            f"结束月份 {end_month[0]}-{end_month[1]:02d} 尚未结束，示例数据只能生成到上一个完整月份"
        )
    months = _months(end_month)
    years = sorted({year for year, _ in months})
    calendar_ = _calendar(end_month)
    counties = _city(seed)
    planted = _major_accident_months(seed, months, len(counties))
    end_day = calendar_.days[-1]

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / f"{name}.{file_format}" for name in LOAD_ORDER}
    sinks = {name: _Sink(path, name, file_format) for name, path in paths.items()}
    try:
        sinks["regions"].write(_regions(counties))
        sinks["county_profile"].write(_profiles(counties, years, seed))
        totals: dict[tuple[str, int, int], _Totals] = {}
        trained: dict[tuple[int, int], np.ndarray] = {}
        # Accidents without the columns the control targets do not need, for their caps.
        counted: list[pa.Table] = []
        for county in counties:
            registry = _registry(np.random.default_rng([seed, 2, county.index]), county, scale)
            series: dict[int, dict[str, int]] = {}  # the year's numbered courses so far
            for year, month in months:
                span = calendar_.span(year, month)
                m = _Month(
                    county=county,
                    registry=registry,
                    year=year,
                    month=month,
                    days=calendar_.days[span],
                    span=span,
                    end_day=end_day,
                    scale=scale,
                    rng=np.random.default_rng([seed, 3, county.index, year, month]),
                    side=np.random.default_rng([seed, 6, county.index, year, month]),
                )
                accidents, totals[(county.name, year, month)] = _accidents(
                    m, calendar_.accident_weight[span], (county.index, year, month) in planted
                )
                inspections, hazards = _inspections_and_hazards(m, calendar_)
                sinks["accidents"].write(accidents)
                counted.append(accidents.select(["occurred_on", "county", "township", "deaths"]))
                sinks["inspections"].write(inspections)
                sinks["hazards"].write(hazards)
                sinks["enforcement"].write(_enforcement(m, calendar_.office_weight[span]))
                training, month_trained = _training(m, calendar_, series.setdefault(year, {}))
                sinks["training"].write(training)
                trained[(county.index, year)] = trained.get((county.index, year), 0) + month_trained
        sinks["training_targets"].write(_targets(counties, trained, months, seed))
        sinks["city_bulletin"].write(_bulletin(totals, months))
        first_day = calendar_.days[0]
        targets, applications = standardization(counties, years, end_day, seed)
        sinks["standardization_targets"].write(targets)
        sinks["standardization"].write(applications)
        sinks["major_hazard_sources"].write(major_hazard_sources(counties, first_day, end_day, seed))
        sinks["projects"].write(projects(counties, years, end_day, seed))
        sinks["monthly_reports"].write(monthly_reports(counties, months, seed))
        sinks["control_targets"].write(control_targets(counties, pa.concat_tables(counted), months, seed))
    finally:
        for sink in sinks.values():
            sink.close()
    return paths
