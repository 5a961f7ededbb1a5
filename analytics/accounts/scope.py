"""What an account's role and county allow in the data: the county of imported rows, whose batch to undo.

Called from `analytics.importing` and `analytics.sample.lifecycle` inside their own work, so
the check holds whichever page or command made the call.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from analytics.accounts.roles import UNDO_ANY, UNDO_OWN, Actor, Refused
from analytics.text.zh import t


def county_problems(actor: Actor | None, checked, problems, declared_county: str | None = None) -> None:
    """For an account limited to one county: every row of another county is an error naming it."""
    if actor is None or not actor.county:
        return
    dataset = checked.dataset
    if "county" not in dataset.column_names:
        problems.add(None, None, None, t("accounts.county_dataset", dataset=dataset.zh, county=actor.county))
        return
    if declared_county and declared_county.strip() != actor.county:
        problems.add(
            None, None, declared_county, t("accounts.county_row", county=declared_county, own=actor.county)
        )
    if not checked.table.num_rows:
        return
    county = checked.table["county"].combine_chunks()
    from analytics.importing.arrow_pool import integers  # (the importing package imports this module)

    rows = integers(checked.table["__row"])
    inside = pc.fill_null(pc.equal(county, pa.scalar(actor.county, pa.string())), False)
    header = checked.headers.get("county")
    for position in pc.indices_nonzero(pc.invert(inside)).to_pylist():
        name = county[int(position)].as_py()
        problems.add(
            int(rows[position]), header, name, t("accounts.county_row", county=name or "", own=actor.county)
        )


def record_owner(con, batch_id: int, actor: Actor | None) -> None:
    """Remember who imported a batch, inside the import's transaction."""
    if actor is not None:
        con.execute(
            "INSERT INTO batch_owners VALUES (?, ?) ON CONFLICT (batch_id) DO UPDATE SET name = excluded.name",
            [batch_id, actor.name],
        )


def owners(db=None) -> dict[int, str]:
    """batch id -> the account (or OS user) that imported it."""
    from analytics import store

    with store.connect(db, read_only=True) as con:
        return dict(con.execute("SELECT batch_id, name FROM batch_owners").fetchall())


def may_undo(actor: Actor | None, batch_id: int, owner_by_batch: dict[int, str]) -> bool:
    """Whether the actor may undo this batch (admin: any; analyst: their own), for showing the button."""
    if actor is None or not actor.may(UNDO_OWN):
        return False
    return actor.may(UNDO_ANY) or owner_by_batch.get(batch_id) == actor.name


def check_undo(con, actor: Actor | None, batch_id: int) -> None:
    """An analyst may undo only a batch they imported; admin and the OS user any batch."""
    if actor is None or actor.may(UNDO_ANY):
        return
    row = con.execute("SELECT name FROM batch_owners WHERE batch_id = ?", [batch_id]).fetchone()
    if row is None or row[0] != actor.name:
        raise Refused(t("accounts.undo_not_own", batch=batch_id))
