"""The bundled sample in the app's life: load it into an empty database, tell whether it is there, remove it.

Every page asks whether the database is empty and whether the sample is loaded, so this module imports
the import's and the generator's modules (pandas, pyarrow, the rules: most of a second) only where it
loads, undoes or removes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from analytics import store
from analytics.accounts import audit
from analytics.accounts.roles import CLEAR_SAMPLE, IMPORT, PROCESS, Actor, require
from analytics.contract.datasets import DATASETS


class SampleRejected(RuntimeError):
    """A bundled sample file failed the import checks: the sample and the contract disagree."""


def load_sample(
    db: str | os.PathLike | None = None,
    sample_dir: str | os.PathLike | None = None,
    actor: Actor | None = PROCESS,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[dict]:
    """Import the committed sample files, each as one sample batch, and make its home county the default.

    `progress(done, total, dataset)` is told before each file (e.g. to show a progress bar).
    """
    from analytics.importing import import_file
    from analytics.sample.generator import HOME_COUNTY, LOAD_ORDER, SAMPLE_DIR

    require(actor, IMPORT, db, target="sample")
    folder = Path(sample_dir) if sample_dir else SAMPLE_DIR
    results = []
    for done, name in enumerate(LOAD_ORDER):
        if progress is not None:
            progress(done, len(LOAD_ORDER), name)
        result = import_file(folder / f"{name}.csv", dataset=name, db=db, is_sample=True, actor=actor)
        if result["status"] == "rejected":
            shown = "；".join(
                f"第{e['row']}行 {e['column'] or ''} {e['value'] or ''}：{e['message']}"
                for e in result["errors"][:10]
            )
            raise SampleRejected(
                f"示例数据文件 {name}.csv 未通过校验（共 {len(result['errors'])} 处）：{shown}"
            )
        results.append(result)
    with store.connect(db, read_only=False) as con:
        store.set_meta(con, "home_county", HOME_COUNTY)
    return results


def _is_empty(con) -> bool:
    rows = sum(con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in DATASETS)
    batches = con.execute("SELECT count(*) FROM import_batches").fetchone()[0]
    return rows == 0 and batches == 0


def load_sample_if_empty(
    db: str | os.PathLike | None = None, progress: Callable[[int, int, str], None] | None = None
) -> bool:
    """On the first start of an empty database (no rows, no batch ever), load the sample; True if it did."""
    store.ensure_schema(db)
    with store.connect(db, read_only=True) as con:
        empty = _is_empty(con)
    if empty:
        load_sample(db, progress=progress)
    return empty


def sample_loaded(db: str | os.PathLike | None = None) -> bool:
    """Whether any sample batch is still in effect (not undone)."""
    with store.connect(db, read_only=True) as con:
        row = con.execute("SELECT count(*) FROM import_batches WHERE is_sample AND NOT undone").fetchone()
    return row[0] > 0


def remove_sample(db: str | os.PathLike | None = None, actor: Actor | None = PROCESS) -> list[dict]:
    """Undo every sample batch still in effect, newest first, and forget the sample's home county (admin)."""
    from analytics.importing import undo_batch
    from analytics.sample.generator import HOME_COUNTY

    require(actor, CLEAR_SAMPLE, db, target="sample")
    with store.connect(db, read_only=True) as con:
        ids = _sample_batches(con)
    results = [undo_batch(batch_id, db=db, actor=actor) for batch_id in ids]
    audit.record(db, actor, "clear_sample", f"{len(results)} batches", "ok")
    with store.connect(db, read_only=False) as con:
        if store.get_meta(con, "home_county") == HOME_COUNTY:
            store.set_meta(con, "home_county", None)
    return results


def sample_removal_preview(db: str | os.PathLike | None = None) -> list[dict]:
    """What `remove_sample` would undo, newest batch first: each batch's file, dataset and rows removed."""
    from analytics.importing.commit import undo_plan

    with store.connect(db, read_only=True) as con:
        return [undo_plan(con, batch_id) for batch_id in _sample_batches(con)]


def _sample_batches(con) -> list[int]:
    """The sample batches still in effect, newest first (the order they are undone in)."""
    rows = con.execute(
        "SELECT batch_id FROM import_batches WHERE is_sample AND NOT undone ORDER BY batch_id DESC"
    ).fetchall()
    return [r[0] for r in rows]
