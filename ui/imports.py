"""The 数据导入 page's destructive actions (清除示例数据 and 撤销 a batch), each shown first, then confirmed.

A first click only says what will be removed (rows per dataset, file name, and for the
regions table which checks stop); a second button does it, and 取消 forgets it. In
meeting mode nothing here can be undone.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import store
from analytics.accounts.roles import Refused
from analytics.contract.datasets import DATASETS
from analytics.importing import UndoRefused, describe_undo, undo_batch, undo_preview
from analytics.sample.lifecycle import remove_sample, sample_removal_preview
from analytics.text.zh import t
from ui import meeting, safe

PENDING = (
    "import_pending_removal"  # ("sample", None) or ("batch", batch_id) while a removal awaits confirmation
)
MESSAGES = "import_messages"


def _ask(kind: str, batch_id: int | None = None) -> None:
    st.session_state[PENDING] = (kind, batch_id)


def _cancel() -> None:
    st.session_state.pop(PENDING, None)


def _remove_sample(db: str, actor) -> None:
    st.session_state.pop(PENDING, None)
    try:
        undone = remove_sample(db, actor=actor)
        st.session_state[MESSAGES] = [t("imports.sample_removed", count=len(undone))]
    except (UndoRefused, Refused, store.StoreFailure) as error:
        st.session_state[MESSAGES] = [t("imports.sample_refused", error=error)]


def _undo(db: str, batch_id: int, actor) -> None:
    st.session_state.pop(PENDING, None)
    try:
        result = undo_batch(batch_id, db, actor=actor)
        st.session_state[MESSAGES] = [
            t(
                "imports.undone",
                batch=result["batch_id"],
                removed=result["rows_removed"],
                restored=result["rows_restored"],
            )
        ]
    except (UndoRefused, Refused, store.StoreFailure) as error:
        st.session_state[MESSAGES] = [t("imports.undo_refused", error=error)]


def sample_button(db: str, actor) -> None:
    """清除示例数据: a first click lists the sample batches and their rows; 确认清除示例数据 removes them."""
    if meeting.active():
        return
    if st.session_state.get(PENDING) != ("sample", None):
        st.button(t("imports.remove_sample"), key="sample-remove", on_click=_ask, args=("sample",))
        return
    plans = sample_removal_preview(db)
    with st.container(border=True):
        total = sum(p["rows_removed"] for p in plans)
        st.warning(t("imports.remove_sample_confirm_text", count=len(plans), rows=f"{total:,}"), icon="⚠️")
        st.dataframe(
            pd.DataFrame(
                {
                    t("imports.batch"): [p["batch_id"] for p in plans],
                    t("imports.file"): [p["file"] for p in plans],
                    t("imports.dataset"): [DATASETS[p["dataset"]].zh for p in plans],
                    t("imports.rows_removed"): [p["rows_removed"] for p in plans],
                }
            ),
            hide_index=True,
        )
        _confirm_buttons(t("imports.remove_sample_confirm"), "sample", _remove_sample, (db, actor))


def _confirm_buttons(label: str, key: str, action, args: tuple) -> None:
    left, right = st.columns([1, 1])
    left.button(label, type="primary", key=f"confirm-{key}", on_click=action, args=args)
    right.button(t("imports.cancel"), key=f"cancel-{key}", on_click=_cancel)


def undo_cell(cell, batch: dict, allowed: bool) -> None:
    """The history line's last cell: 已撤销, or a 撤销 button (none in meeting mode, none for another's batch)."""
    if batch["undone"]:
        cell.write(t("imports.is_undone"))
    elif allowed and not meeting.active():
        cell.button(
            t("imports.undo"),
            key=f"undo-{batch['batch_id']}",
            on_click=_ask,
            args=("batch", batch["batch_id"]),
        )


def undo_confirmation(db: str, batch_id: int, actor) -> None:
    """Under the history line whose 撤销 was clicked: what the undo would do, and 确认撤销 / 取消."""
    if meeting.active() or st.session_state.get(PENDING) != ("batch", batch_id):
        return
    plan = undo_preview(batch_id, db)
    lines = describe_undo(plan)
    with st.container(border=True):
        if plan["refused"]:
            st.error(safe.text(lines[0]))
            st.button(t("imports.close"), key=f"cancel-undo-{batch_id}", on_click=_cancel)
            return
        st.warning(t("imports.undo_question", plan=safe.text(lines[0])), icon="⚠️")
        for line in lines[1:]:
            st.error(safe.text(line), icon=":material/warning:")
        _confirm_buttons(t("imports.undo_confirm"), f"undo-{batch_id}", _undo, (db, batch_id, actor))
