"""审计日志 (admin): the audit trail, filtered by day and user, and as an Excel download."""

import datetime as dt

import streamlit as st

from analytics.accounts import audit
from analytics.accounts.roles import READ_AUDIT
from analytics.text.zh import t
from ui import auth, data

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN = 2000

st.title(t("nav.admin_audit"))
who = auth.require(READ_AUDIT)
db = data.db_file()
st.caption(t("audit.caption"))
left, right = st.columns(2)
since = left.date_input(t("audit.since"), value=dt.date.today() - dt.timedelta(days=30), format="YYYY-MM-DD")
user = right.text_input(t("audit.user"))
events = audit.events(db, since=since, user=user.strip() or None)
st.caption(t("audit.count", count=len(events), shown=min(len(events), SHOWN)))
st.dataframe(audit.table(events[:SHOWN]), hide_index=True, width="stretch")
st.download_button(
    t("audit.download"),
    data=auth.audited(lambda: audit.xlsx(events), "audit.xlsx"),
    file_name=t("audit.file", day=dt.date.today().isoformat()),
    mime=XLSX_MIME,
    icon=":material/download:",
    on_click="ignore",
    key="audit-download",
)
