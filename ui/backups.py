"""The newest backups in the backup folder, listed on the 数据导入 page (taking one: `python -m analytics backup`)."""

from __future__ import annotations

import streamlit as st

from analytics import settings
from analytics.store.backup import list_backups
from analytics.text.zh import t


def show_recent() -> None:
    """A heading and the newest backups (time, file, size, batches), or how to take one."""
    st.subheader(t("backup.heading"))
    folder = settings.backup_dir()
    backups = list_backups(folder, limit=settings.BACKUPS_SHOWN)
    if not backups:
        st.caption(t("backup.none", folder=folder))
        return
    st.caption(t("backup.caption", folder=folder, shown=len(backups)))
    rows = [
        {
            t("backup.column.time"): b["created_at"].replace("T", " "),
            t("backup.column.file"): b["name"],
            t("backup.column.size"): f"{b['size'] / 1_000_000:.1f} MB",
            t("backup.column.batches"): b["batches"],
        }
        for b in backups
    ]
    st.dataframe(rows, hide_index=True)
