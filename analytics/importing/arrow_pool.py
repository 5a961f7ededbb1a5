"""Process-wide Arrow settings for an import: the memory pool it allocates from, and pandas left unloaded.

Reading and checking a million-row file allocates and frees hundreds of large
buffers. The wheels' default pool on Linux (mimalloc) hands each large buffer back
to the system at once, so the next one faults its pages in again: about 1.4 s of
system time on a 1M-row CSV, a fifth of the import. jemalloc (in the Linux wheels)
keeps freed pages for a second and reuses them. Elsewhere the default pool stays.

pyarrow imports pandas (about a quarter of a second) the first time it is given Python values or a
numpy array, to ask whether they are pandas objects, and whenever it infers the type of a Python
str or int (for pandas' missing-value markers), and in `Array.to_numpy` (its pandas conversion code).
The import pipeline passes typed values only and views integers through `integers` and
`int64_array` (a numpy array given to `pa.array` also loads `numpy.ma`), so a
process without pandas (the command line's `import`) tells pyarrow's check once that pandas is not
there (`pyarrow_without_pandas`) and never loads it.
"""

from __future__ import annotations

import sys
import threading

import numpy as np
import pyarrow as pa

_lock = threading.Lock()
_chosen = False


def use_retaining_pool() -> None:
    """Make jemalloc Arrow's default pool for this process, once, where the wheel has it."""
    global _chosen
    with _lock:
        if _chosen:
            return
        _chosen = True
        try:
            pool = pa.jemalloc_memory_pool()
        except NotImplementedError:  # a wheel built without jemalloc (Windows, macOS)
            return
        pa.set_memory_pool(pool)


class _NoPandas:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "pandas":
            raise ImportError("pandas is not needed here")


def pyarrow_without_pandas() -> None:
    """In a process that has not loaded pandas, let pyarrow take Python values without loading it.

    pyarrow's check imports pandas once and remembers the answer; here that one import fails, so
    `pa.array` and `pa.scalar` go on without it. For a process with no pandas objects that changes
    nothing. `import pandas` itself still works afterwards, and pyarrow's own pandas conversions
    (`to_pandas`) import it again when asked. Call it before the process's first `pa.array`.
    """
    if "pandas" in sys.modules:
        return
    blocker = _NoPandas()
    sys.meta_path.insert(0, blocker)
    try:
        pa.array([], pa.string())
    finally:
        sys.meta_path.remove(blocker)


_INTEGERS = {pa.int32(): np.int32, pa.int64(): np.int64, pa.uint64(): np.uint64}


def integers(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An integer array without nulls (row numbers, positions) as a read-only numpy view of its values.

    `Array.to_numpy` would give the same, through pyarrow's pandas conversion, which loads pandas.
    """
    if isinstance(array, pa.ChunkedArray):
        array = array.chunk(0) if array.num_chunks == 1 else array.combine_chunks()
    dtype = np.dtype(_INTEGERS[array.type])
    if array.null_count:
        raise ValueError("an integer array with nulls has no numpy view")
    if not len(array):
        return np.empty(0, dtype)
    return np.frombuffer(array.buffers()[1], dtype, len(array), array.offset * dtype.itemsize)


def int64_array(values: np.ndarray) -> pa.Array:
    """A numpy int64 array as an Arrow array on the same memory (`pa.array` would first load numpy.ma)."""
    values = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])
