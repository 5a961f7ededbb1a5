"""The Arrow memory pool an import allocates from.

Reading and checking a million-row file allocates and frees hundreds of large
buffers. The wheels' default pool on Linux (mimalloc) hands each large buffer back
to the system at once, so the next one faults its pages in again: about 1.4 s of
system time on a 1M-row CSV, a fifth of the import. jemalloc (in the Linux wheels)
keeps freed pages for a second and reuses them. Elsewhere the default pool stays.
"""

from __future__ import annotations

import threading

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
