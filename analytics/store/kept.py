"""A page run's cache misses share one open of the database file (store.reads_kept_open, store.keep_reads).

DuckDB loads a file's catalog when the process opens it and lets it go at the last close (an open and a
close cost 0.02-0.13 s at province scale, more on a busy machine); while one connection of the process
is open on the file, another opens in microseconds. A page's first run after a start or an import misses
the cache many times (its queries, the visitor check, the sample check), each miss opening the file: here
the first miss within keep_reads() leaves its connection open until the run's reads_kept_open() block
ends, so the later ones find the file loaded. Only misses keep it: a run whose answers are all cached (a
page looked at again) holds nothing, nor does the sign-in check every run makes, so a command-line import
waits for a run that reads, never for a viewer. A write from this thread closes it first (DuckDB refuses
a read-write connection beside a read-only one in a process); a write from elsewhere waits for the
block's end, as it waits for any reader. A server store is left alone (its connections come from a pool).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

# .files: {file: its kept connection} within reads_kept_open(); .armed: True within keep_reads()
_kept = threading.local()


@contextmanager
def reads_kept_open() -> Iterator[None]:
    """Within this block (a page's run), the read-only connections keep_reads() opens stay open until its end.

    A block within another keeps the outer one's.
    """
    if getattr(_kept, "files", None) is not None:
        yield
        return
    _kept.files = {}
    try:
        yield
    finally:
        files, _kept.files = _kept.files, None
        for con in files.values():
            _close_quietly(con)


@contextmanager
def keep_reads() -> Iterator[None]:
    """A read-only connection opened within this block (a cache miss) stays open to the end of the
    enclosing reads_kept_open() block; outside one, this does nothing."""
    armed = getattr(_kept, "armed", False)
    _kept.armed = True
    try:
        yield
    finally:
        _kept.armed = armed


def keep_open(file: Path, open_read_only: Callable[[], duckdb.DuckDBPyConnection]) -> None:
    """Before a read-only connection to `file`: within keep_reads(), open (and keep) one if none is kept."""
    files = getattr(_kept, "files", None)
    if files is not None and file not in files and getattr(_kept, "armed", False):
        files[file] = open_read_only()


def let_go() -> None:
    """Close what this thread keeps open now, before it waits for another thread that may write."""
    files = getattr(_kept, "files", None)
    while files:
        _close_quietly(files.popitem()[1])


def close(file: Path) -> None:
    """Before a read-write connection to `file`: close this thread's kept one."""
    files = getattr(_kept, "files", None)
    if files and file in files:
        _close_quietly(files.pop(file))


def _close_quietly(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.close()
    except duckdb.Error:
        log.debug("closing a kept connection", exc_info=True)
