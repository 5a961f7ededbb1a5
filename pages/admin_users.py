"""账号管理 (admin): the accounts, a new account, and disable / role / password of one account."""

import pandas as pd
import streamlit as st

from analytics.accounts import users
from analytics.accounts.roles import MANAGE_USERS, ROLE_NAMES, ROLES, Refused
from analytics.text.zh import t
from ui import auth, data

COLUMNS = {
    "name": t("admin.column.name"),
    "role": t("admin.column.role"),
    "county": t("admin.column.county"),
    "disabled": t("admin.column.disabled"),
    "created_at": t("admin.column.created_at"),
    "last_login": t("admin.column.last_login"),
}

st.title(t("nav.admin_users"))
who = auth.require(MANAGE_USERS)
db = data.db_file()
for kind, message in st.session_state.pop("admin_messages", []):
    (st.success if kind == "ok" else st.error)(message)


def _run(action, message: str) -> None:
    """Do one account change as the logged-in admin (the function checks the role again itself)."""
    try:
        generated = action()
    except (Refused, users.AccountProblem) as error:
        st.session_state["admin_messages"] = [("error", str(error))]
    else:
        shown = [("ok", message)]
        if generated:
            shown.append(("ok", t("admin.generated", password=generated)))
        st.session_state["admin_messages"] = shown
    st.rerun()


rows = users.list_users(db, who)
table = pd.DataFrame(rows, columns=list(COLUMNS))
table["role"] = table["role"].map(lambda r: ROLE_NAMES.get(r, r))
table["disabled"] = table["disabled"].map(lambda d: t("admin.disabled") if d else "")
st.dataframe(table.rename(columns=COLUMNS), hide_index=True, width="stretch")

st.subheader(t("admin.add_heading"))
with st.form("add-user", clear_on_submit=True):
    left, middle, right = st.columns(3)
    name = left.text_input(t("admin.column.name"))
    role = middle.selectbox(t("admin.column.role"), ROLES, format_func=ROLE_NAMES.get)
    county = right.text_input(t("admin.column.county"), help=t("admin.county_help"))
    if st.form_submit_button(t("admin.add"), type="primary"):
        _run(lambda: users.add_user(db, who, name, role, county or None), t("admin.added", name=name))

st.subheader(t("admin.change_heading"))
names = [r["name"] for r in rows]
chosen = st.selectbox(t("admin.column.name"), names, key="admin-chosen")
left, middle, right = st.columns(3)
new_role = left.selectbox(t("admin.new_role"), ROLES, format_func=ROLE_NAMES.get, key="admin-role")
new_county = middle.text_input(t("admin.column.county"), key="admin-county")
if left.button(t("admin.set_role")):
    _run(
        lambda: users.set_role(db, who, chosen, new_role, new_county or None),
        t("admin.role_set", name=chosen),
    )
if middle.button(t("admin.reset_password")):
    _run(lambda: users.reset_password(db, who, chosen), t("admin.password_reset", name=chosen))
if right.button(t("admin.disable"), type="secondary"):
    _run(lambda: users.disable(db, who, chosen), t("admin.disabled_done", name=chosen))
