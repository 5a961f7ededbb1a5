"""Arrow helpers for the generator: typed columns, string pools and weighted picks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analytics.contract.datasets import (
    ACCIDENT_TYPES,
    BOOL,
    DATASETS,
    DATE,
    DECIMAL,
    INT,
    SECTORS,
    TRAINING_CATEGORIES,
)
from analytics.sample.generator.spec import (
    ACCIDENT_SECTORS,
    ACCIDENT_TYPE_BY_SECTOR,
    DEPARTMENTS,
    HAZARD_DESCRIPTIONS,
    MAJOR_HAZARD_DESCRIPTIONS,
    TRAINING_PLAN,
)

# --- Arrow helpers -------------------------------------------------------------------------


def _strings(values: Sequence[str]) -> pa.Array:
    return pa.array(list(values), type=pa.string())


def _pick(rng: np.random.Generator, choices: Sequence[tuple], size: int) -> np.ndarray:
    """Indices into `choices` drawn with the weights in their second field."""
    weights = np.array([c[1] for c in choices], dtype=float)
    return rng.choice(len(choices), size=size, p=weights / weights.sum())


def _take(pool: pa.Array, index: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return pool.take(pa.array(index, mask=null))


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _ids(prefix: str, code: str, year: int, month: int, count: int) -> pa.Array:
    numbers = pc.cast(pa.array(np.arange(1, count + 1)), pa.string())
    return _join(f"{prefix}-{code}-{year:04d}{month:02d}-", pc.utf8_lpad(numbers, 4, "0"))


def _money(cents: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    """万元 with exactly 2 decimals, from integer hundredths (exact sums for the bulletin)."""
    cents = np.ascontiguousarray(cents, dtype=np.int64)
    words = np.stack([cents, cents >> 63], axis=1)  # 128-bit little-endian two's complement
    validity = None
    if null is not None and null.any():
        validity = pa.array(~null).buffers()[1]
    return pa.Array.from_buffers(pa.decimal128(18, 2), cents.size, [validity, pa.py_buffer(words.tobytes())])


def _dates(days: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return pa.array(days.astype("datetime64[D]"), type=pa.date32(), mask=null)


def _ints(values: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return pa.array(values.astype(np.int64), type=pa.int64(), mask=null)


def _table(dataset: str, columns: dict[str, pa.Array]) -> pa.Table:
    names = DATASETS[dataset].column_names
    return pa.Table.from_arrays([columns[n] for n in names], schema=_schema(dataset))


def _arrow_type(dataset: str, column: str) -> pa.DataType:
    kind = DATASETS[dataset].column(column).type
    if column == "hours":  # hours are whole numbers in every ledger we have seen
        return pa.int64()
    return {DATE: pa.date32(), INT: pa.int64(), DECIMAL: pa.decimal128(18, 2), BOOL: pa.bool_()}.get(
        kind, pa.string()
    )


def _schema(dataset: str) -> pa.Schema:
    return pa.schema([(c, _arrow_type(dataset, c)) for c in DATASETS[dataset].column_names])


class _Pool:
    """A fixed list of strings a text column is filled from by index (vectorised)."""

    def __init__(self, values: Sequence[str]) -> None:
        self.values = tuple(values)
        self.array = _strings(self.values)
        self.position = {v: i for i, v in enumerate(self.values)}

    def __len__(self) -> int:
        return len(self.values)

    def take(self, index: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
        return _take(self.array, index, null)


@dataclass(frozen=True)
class _Grouped:
    """Pools of strings, one per group (a sector, a department), laid end to end."""

    pool: _Pool
    offset: np.ndarray
    count: np.ndarray

    @classmethod
    def of(cls, groups: Sequence[Sequence[str]]) -> _Grouped:
        count = np.array([len(g) for g in groups], dtype=np.int64)
        return cls(_Pool([v for g in groups for v in g]), np.concatenate([[0], np.cumsum(count)[:-1]]), count)

    def draw(self, rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
        """A uniformly chosen member of each row's group (an index into the pool)."""
        return self.offset[group] + (rng.random(group.size) * self.count[group]).astype(np.int64)


def _pick_within(
    rng: np.random.Generator, group: np.ndarray, choices: Sequence[Sequence[tuple]]
) -> np.ndarray:
    """For each row, the value (first field) of a weighted choice among its group's `choices`."""
    out = np.zeros(group.size, dtype=np.int64)
    for index, options in enumerate(choices):
        rows = group == index
        if rows.any() and options:
            values = np.array([value for value, _ in options], dtype=np.int64)
            out[rows] = values[_pick(rng, options, int(rows.sum()))]
    return out


SECTOR_POOL = _Pool(SECTORS)
DEPARTMENT_POOL = _Pool([d.name for d in DEPARTMENTS])
ACCIDENT_TYPE_POOL = _Pool(ACCIDENT_TYPES)
DEPARTMENT_SECTORS = [[(SECTOR_POOL.position[s], w) for s, w in d.sectors] for d in DEPARTMENTS]
HAZARD_TEXT = _Grouped.of([HAZARD_DESCRIPTIONS[s] for s in SECTORS] + [MAJOR_HAZARD_DESCRIPTIONS])
VIOLATIONS = _Grouped.of([d.violations for d in DEPARTMENTS])
ORGANIZERS = _Grouped.of([TRAINING_PLAN[c][3] for c in TRAINING_CATEGORIES])
ACCIDENT_TYPE_CHOICES = [
    [(ACCIDENT_TYPE_POOL.position[t], w) for t, w in ACCIDENT_TYPE_BY_SECTOR[s]]
    for s, _, _ in ACCIDENT_SECTORS
]
