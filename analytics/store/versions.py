"""The server store's data version, read once per unit of work (a page's script run).

On PostgreSQL the data version (dialect.VERSION_TABLE) costs a connection and a query, and a page's run asks
for it at every cached query and visitor check. Within `pinned_versions()` it is read once per server and
kept until this process writes through `store.connect` (its own import or login is seen at once; another
process's at the next run). A file's version is a stat and is never pinned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_pinned: ContextVar[dict[str, tuple[int, str]] | None] = ContextVar("pinned_versions", default=None)
_writes = 0  # read-write server connections this process has closed


@contextmanager
def pinned_versions() -> Iterator[None]:
    """Within this block, a server's data version is read once and kept until this process writes.

    A block within another keeps the outer one's versions."""
    if _pinned.get() is not None:
        yield
        return
    token = _pinned.set({})
    try:
        yield
    finally:
        _pinned.reset(token)


def wrote() -> None:
    """A read-write server connection was closed: a pinned version is read again."""
    global _writes
    _writes += 1


def version(key: str, read: Callable[[], str]) -> str:
    """The server `key`'s version: the pinned one, else `read()` (pinned when within pinned_versions)."""
    pinned, writes = _pinned.get(), _writes
    if pinned is not None and key in pinned and pinned[key][0] == writes:
        return pinned[key][1]
    answer = read()
    if pinned is not None:
        pinned[key] = (writes, answer)
    return answer
