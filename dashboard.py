"""安全生产监管数据看板: navigation and the shared filters, nothing else."""

import streamlit as st

from analytics.accounts.roles import MANAGE_USERS
from analytics.text.zh import t
from ui import auth, chinese, data, filters, meeting

st.set_page_config(page_title=t("app.title"), page_icon="🛡️", layout="wide")
chinese.install()

leader_pages = [
    st.Page("pages/overview.py", title=t("nav.overview"), icon=":material/dashboard:", default=True),
    st.Page("pages/trends.py", title=t("nav.trends"), icon=":material/trending_up:"),
    st.Page("pages/ranking.py", title=t("nav.ranking"), icon=":material/leaderboard:"),
]
pages = {
    t("nav.group.leaders"): leader_pages,
    t("nav.group.analysis"): [
        st.Page("pages/hazards.py", title=t("nav.hazards"), icon=":material/build:"),
        st.Page("pages/enforcement.py", title=t("nav.enforcement"), icon=":material/gavel:"),
        st.Page("pages/training.py", title=t("nav.training"), icon=":material/school:"),
        st.Page("pages/standardization.py", title=t("nav.standardization"), icon=":material/verified:"),
        st.Page("pages/sources.py", title=t("nav.sources"), icon=":material/local_fire_department:"),
        st.Page("pages/projects.py", title=t("nav.projects"), icon=":material/construction:"),
        st.Page("pages/townships.py", title=t("nav.townships"), icon=":material/holiday_village:"),
        st.Page("pages/report.py", title=t("nav.report"), icon=":material/description:"),
    ],
    t("nav.group.data"): [
        st.Page("pages/data_import.py", title=t("nav.data_import"), icon=":material/upload_file:"),
    ],
}
with data.store_guard():  # a damaged or long-locked database file: a message on every page, not a traceback
    if auth.may(auth.actor(), MANAGE_USERS):
        pages[t("nav.group.admin")] = [
            st.Page("pages/admin_users.py", title=t("nav.admin_users"), icon=":material/group:"),
            st.Page("pages/admin_audit.py", title=t("nav.admin_audit"), icon=":material/policy:"),
        ]
    in_meeting = meeting.init()
    page = st.navigation(pages, position="hidden" if in_meeting else "sidebar", expanded=True)
    meeting.render_switch()
    auth.sidebar()
    data.load_sample_once()
    filters.render_sidebar()
    data.sample_note()
    meeting.apply(leader_pages, page)
    page.run()
    meeting.footer(leader_pages)
