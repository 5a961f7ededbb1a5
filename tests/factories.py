"""Fixture databases and records for the tests: one place that builds them.

- `fixture_db(path, regions)`: a writable connection on a database with the given
  townships per county in `regions` (the near-identical `db` fixtures of the metric tests).
- `insert(con, table, rows)`: plain dicts through Arrow (dates stay dates, missing keys NULL).
- Record builders with sensible defaults: `hazard`, `case`, `session`, `target`,
  `accident_record` (a dict), `accident` (a tuple in ACCIDENT_COLUMNS order, for
  `insert_accidents(path, rows)`).
- `add(path, table, *rows)`: rows by keyword, each completed with the table's defaults
  (one 甲县 record on 2026-03-10 unless a keyword says otherwise), for every dataset but
  `county_profile`.
- `import_csv(path, table, *rows)`: the same rows as an analyst's CSV file for the import
  (the contract's Chinese headers; dates ISO, yes/no as 是/否).
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import pyarrow as pa

from analytics import store
from analytics.contract.datasets import DATASETS, TRAINING_CATEGORIES
from tests.stores import insert_rows, on_server

COUNTY = "甲县"
CITY = "某市"
BOSS = TRAINING_CATEGORIES[0]  # 主要负责人
THIS_YEAR = dt.date(2026, 3, 10)  # the day `add` gives a record unless told otherwise


@contextmanager
def fixture_db(path, regions: Mapping[str, Sequence[str]] | None = None, city: str = CITY) -> Iterator:
    """A writable connection on the database at `path`, with `regions` ({county: townships}) inserted.

    By default 甲县 with A镇 and B镇.
    """
    regions = {COUNTY: ("A镇", "B镇")} if regions is None else regions
    with store.connect(path, read_only=False) as con:
        insert(
            con,
            "regions",
            [
                {"county": county, "township": township, "city": city}
                for county, towns in regions.items()
                for township in towns
            ],
        )
        yield con


def insert(con, table: str, rows: list[dict]) -> None:
    """Insert plain dicts through Arrow (dates stay dates; missing keys are NULL)."""
    if rows and on_server(con):
        columns = list(dict.fromkeys(name for row in rows for name in row))
        insert_rows(con, table, columns, [[row.get(name) for name in columns] for row in rows])
    elif rows:
        con.register("incoming", pa.Table.from_pylist(rows))
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
        con.unregister("incoming")


def hazard(
    hazard_id,
    found_on,
    deadline,
    rectified_on=None,
    township="A镇",
    level="一般隐患",
    order=False,
    reviewed_on=None,
    department="应急管理局",
    county=COUNTY,
    unit=None,
    listed_level=None,
    closed_on=None,
):
    return {
        "hazard_id": hazard_id,
        "found_on": found_on,
        "county": county,
        "township": township,
        "department": department,
        "unit": unit or f"单位{hazard_id}",
        "level": level,
        "deadline": deadline,
        "rectified_on": rectified_on,
        "order_issued": order,
        "reviewed_on": reviewed_on,
        "listed_level": listed_level,
        "closed_on": closed_on,
    }


def case(
    case_id, filed_on, measure="罚款", fine=None, township="A镇", department="应急管理局", county=COUNTY
):
    return {
        "case_id": case_id,
        "filed_on": filed_on,
        "county": county,
        "township": township,
        "department": department,
        "measure": measure,
        "fine_wan": fine,
    }


def session(session_id, held_on, category=BOSS, trainees=10, passed=None, township="A镇", county=COUNTY):
    return {
        "session_id": session_id,
        "held_on": held_on,
        "county": county,
        "township": township,
        "category": category,
        "trainees": trainees,
        "passed": passed,
    }


def target(category, required, township=None, year=2026, county=COUNTY):
    return {"year": year, "county": county, "township": township, "category": category, "required": required}


def accident_record(accident_id, occurred_on, township="A镇", deaths=0, injuries=0, loss=0, county=COUNTY):
    return {
        "accident_id": accident_id,
        "occurred_on": occurred_on,
        "county": county,
        "township": township,
        "sector": "道路交通",
        "deaths": deaths,
        "injuries": injuries,
        "direct_loss_wan": loss,
    }


ACCIDENT_COLUMNS = (
    "accident_id",
    "occurred_on",
    "county",
    "township",
    "sector",
    "deaths",
    "serious_injuries",
    "injuries",
    "missing",
    "direct_loss_wan",
)


def insert_accidents(path, rows) -> None:
    """rows: tuples in ACCIDENT_COLUMNS order (dates as ISO strings)."""
    if not rows:
        return
    with store.connect(path, read_only=False) as con:
        if on_server(con):
            insert_rows(con, "accidents", list(ACCIDENT_COLUMNS), [list(row) for row in rows])
            return
        con.executemany(
            f"INSERT INTO accidents ({', '.join(ACCIDENT_COLUMNS)}) VALUES ({', '.join('?' * len(ACCIDENT_COLUMNS))})",
            [list(row) for row in rows],
        )


def accident(
    n,
    day,
    county="甲县",
    sector="道路交通",
    deaths=0,
    injuries=0,
    loss=0,
    serious=0,
    missing=0,
    township="一镇",
):
    return (f"A{n}", day, county, township, sector, deaths, serious, injuries, missing, loss)


_ids = itertools.count(1)


_DEFAULTS = {
    "accidents": lambda: {
        "accident_id": f"A{next(_ids)}",
        "occurred_on": THIS_YEAR,
        "county": COUNTY,
        "sector": "道路交通",
        "deaths": 0,
        "serious_injuries": 0,
        "injuries": 0,
        "missing": 0,
        "direct_loss_wan": 0,
    },
    "inspections": lambda: {
        "inspection_id": f"I{next(_ids)}",
        "inspected_on": THIS_YEAR,
        "county": COUNTY,
        "department": "县应急管理局",
        "unit": f"单位{next(_ids)}",
    },
    "hazards": lambda: {
        "hazard_id": f"H{next(_ids)}",
        "found_on": THIS_YEAR,
        "county": COUNTY,
        "department": "县应急管理局",
        "unit": "某公司",
        "level": "一般隐患",
        "deadline": THIS_YEAR + dt.timedelta(days=10),
        "order_issued": False,
    },
    "enforcement": lambda: {
        "case_id": f"E{next(_ids)}",
        "filed_on": THIS_YEAR,
        "county": COUNTY,
        "department": "县应急管理局",
        "measure": "罚款",
        "fine_wan": 0,
    },
    "training": lambda: {
        "session_id": f"T{next(_ids)}",
        "held_on": THIS_YEAR,
        "county": COUNTY,
        "category": "主要负责人",
        "trainees": 10,
    },
    "training_targets": lambda: {
        "year": THIS_YEAR.year,
        "county": COUNTY,
        "township": None,
        "category": "主要负责人",
    },
    "regions": lambda: {"county": COUNTY, "city": "青川市"},
    "standardization": lambda: {
        "record_id": f"S{next(_ids)}",
        "county": COUNTY,
        "enterprise": f"企业{next(_ids)}",
        "grade": "三级",
        "applied_on": THIS_YEAR,
    },
    "standardization_targets": lambda: {"year": THIS_YEAR.year, "county": COUNTY, "grade": "三级"},
    "major_hazard_sources": lambda: {
        "source_id": f"M{next(_ids)}",
        "county": COUNTY,
        "enterprise": f"企业{next(_ids)}",
        "level": "三级",
        "registered_on": THIS_YEAR,
        "monitored": False,
    },
    "projects": lambda: {
        "project_id": f"P{next(_ids)}",
        "county": COUNTY,
        "name": f"项目{next(_ids)}",
        "registered_on": THIS_YEAR,
    },
    "monthly_reports": lambda: {
        "year": THIS_YEAR.year,
        "month": THIS_YEAR.month,
        "county": COUNTY,
        "department": "县公安局交警大队",
        "item": "道路交通违法行为",
    },
    "control_targets": lambda: {"year": THIS_YEAR.year, "county": COUNTY, "township": None},
    "city_bulletin": lambda: {"year": THIS_YEAR.year, "month": 3, "county": COUNTY},
}


def add(path, table: str, *rows: dict) -> None:
    """Insert rows into `table` of the database at `path`, each completed with the table's defaults."""
    with store.connect(path, read_only=False) as con:
        for row in rows:
            values = {**_DEFAULTS[table](), **row}
            columns = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            con.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def import_csv(path, table: str, *rows: dict):
    """Write `rows` (completed with the table's defaults, as `add` does) as a CSV file to import; the path.

    The header is the contract's Chinese column names, in the contract's order.
    """
    filled = [{**_DEFAULTS[table](), **row} for row in rows]
    used = {name for row in filled for name in row}
    columns = [c for c in DATASETS[table].columns if c.name in used]
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([c.zh for c in columns])
        for row in filled:
            writer.writerow([_cell(row.get(c.name)) for c in columns])
    return path
