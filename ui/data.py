"""Cached data access for pages: analytics functions called through `st.cache_data`.

The cache key is the database file, its data version, the function (its module
and qualified name) and the plain arguments, so an import (by the upload page or
the command line) shows at the next interaction. A connection is opened
read-only for a cache miss, never shared between sessions; the file a run's
misses opened stays open until that run ends (store_guard), so a CLI import
waits at most for a run that reads, never for a run whose answers are cached.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import streamlit as st

from analytics import store
from analytics.metrics.coverage import reuse as reuse_coverage
from analytics.text.zh import t
from ui import meeting, runtime

T = TypeVar("T")
log = logging.getLogger(__name__)


@contextmanager
def store_guard() -> Iterator[None]:
    """A damaged database file, or one held by another program past the wait, is a red Chinese message.

    Wraps everything a run reads (dashboard.py), so no page shows a traceback for it; the run stops there.
    Within it a server store's data version is read once per run (store.pinned_versions), not at every
    query and visitor check, and a database file opened by a cache miss stays open until the run ends
    (store.reads_kept_open): a page's first run misses many times, and only the first miss loads the file.
    """
    try:
        with store.pinned_versions(), store.reads_kept_open():
            yield
    except store.StoreFailure as failure:
        log.warning("store failure shown on a page", exc_info=True)
        st.error(t("data.store_failure", error=failure), icon=":material/error:")
        st.stop()


def db_file() -> str:
    """The database this process serves ($SAFETY_DB or the default): a file path or a server URL."""
    # Every page reaches the database through here, so a page Streamlit ran on its own is caught here.
    runtime.leave_pages_directory_run()
    path = str(store.location())
    with store_guard():  # a page run on its own (outside dashboard.py's guard) meets a bad file here first
        _readable(path, store.data_version(path))
    return path


@st.cache_data(show_spinner=False, max_entries=16)
def _readable(db: str, version: str) -> bool:
    # Once per file version (a failure is not cached, so it is tried again next time).
    with store.keep_reads(), store.connect(db, read_only=True):
        return True


def _key(function: Callable) -> str:
    """The cache key of a function: where it is defined (the same across reruns and sessions)."""
    key = f"{function.__module__}:{function.__qualname__}"
    if "<" in key:  # a lambda or a nested function: its name does not tell it apart
        raise ValueError(t("data.not_module_function", name=key))
    return key


def _computed(db: str, version: str, function: Callable, arguments: tuple[tuple[str, Any], ...]) -> Any:
    # The metrics of one data version share one coverage scan (analytics.metrics.coverage.reuse): a
    # page's run makes it once.
    with store.keep_reads(), store.connect(db, read_only=True) as con, reuse_coverage((db, version)):
        return function(con, **dict(arguments))


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_call(
    db: str, version: str, key: str, arguments: tuple[tuple[str, Any], ...], _function: Callable
) -> Any:
    # `version` is part of the key only: a write to the file changes it. `key` names
    # `_function`, which (leading underscore) st.cache_data does not hash.
    return _computed(db, version, _function, arguments)


def query(function: Callable[..., T], **arguments: Any) -> T:
    """`function(con, **arguments)` on a read-only connection, cached by data version.

    `function` is a module-level analytics function taking the connection first;
    arguments must be plain, hashable values (str, int, Period, tuples).
    """
    key = _key(function)
    db = db_file()
    return _cached_call(db, store.data_version(db), key, tuple(sorted(arguments.items())), function)


@st.cache_resource(show_spinner=False, max_entries=64)
def _cached_view(
    db: str,
    version: str,
    key: str,
    arguments: tuple[tuple[str, Any], ...],
    view_key: str,
    _function: Callable,
    _view: Callable,
) -> Any:
    # Keyed like _cached_call (plus the view's name), so the frame it is built from is never hashed; kept
    # itself, not a copy (st.cache_resource), as a view is built to be read. The query's own result is not
    # cached beside it: st.cache_data would pickle the long list only for this build to read it once.
    return _view(_computed(db, version, _function, arguments))


def view(view_function: Callable[[Any], T], function: Callable, **arguments: Any) -> T:
    """`view_function(function(con, **arguments))`, built once per data version and arguments.

    For what a page builds from a query's result on every run (a long list turned into its Chinese
    headers and texts): the result is shared by every session, so treat it as read-only.
    """
    key, view_key = _key(function), _key(view_function)
    db = db_file()
    arguments_key = tuple(sorted(arguments.items()))
    return _cached_view(db, store.data_version(db), key, arguments_key, view_key, function, view_function)


@st.cache_resource(show_spinner=False, max_entries=256)
def _figure(key: str, arguments: tuple, keywords: tuple[tuple[str, Any], ...], _builder: Callable) -> Any:
    # st.cache_resource hashes the inputs (small frames and values built from cached queries) and keeps
    # the figure itself, not a copy: building one costs 0.1-0.2 s of Plotly validation on every run.
    return _builder(*arguments, **dict(keywords))


def figure(builder: Callable[..., T], *arguments: Any, **keywords: Any) -> T:
    """`builder(*arguments, **keywords)` (a module-level chart function), built once per distinct input.

    The figure is shared by every session and run that asks with the same inputs: treat it as read-only
    (ui.layout.chart copies it before changing it for the projector).
    """
    key = _key(builder)
    return _figure(key, arguments, tuple(sorted(keywords.items())), builder)


_sample_checked: set[str] = set()  # database files this process has checked (and filled if empty)
_sample_lock = threading.Lock()


def load_sample_once() -> None:
    """On the first start of an empty database, load the bundled sample (once per process), with a
    progress bar naming each ledger; a session arriving meanwhile waits under a spinner."""
    db = db_file()
    if db in _sample_checked:
        return
    from analytics.contract.datasets import DATASETS
    from analytics.sample.lifecycle import load_sample_if_empty

    # The session loading the sample writes: what this run keeps open would make it wait for this run.
    store.let_go()
    with st.spinner(t("data.loading_sample")), _sample_lock:
        if db in _sample_checked:
            return
        bar = st.empty()

        def progress(done: int, total: int, dataset: str) -> None:
            text = t("data.loading_sample_step", done=done + 1, total=total, name=DATASETS[dataset].zh)
            bar.progress(done / total, text=text)

        with store.keep_reads():  # on an existing database, two reads; loading the sample writes
            load_sample_if_empty(db, progress=progress)
        bar.empty()
        _sample_checked.add(db)


SAMPLE_NOTE = t("data.sample_note") + t("data.sample_removal")


@st.cache_data(show_spinner=False, max_entries=8)
def _sample_loaded(db: str, version: str) -> bool:
    from analytics.sample.lifecycle import sample_loaded

    with store.keep_reads():
        return bool(sample_loaded(db))


def sample_note() -> None:
    """A visible note on every page while the bundled sample data is in the database."""
    db = db_file()
    if not _sample_loaded(db, store.data_version(db)):
        return
    if meeting.active():
        st.caption(t("data.sample_note"))  # on the projector: that it is sample data, no more
    else:
        st.info(SAMPLE_NOTE, icon=":material/info:")
