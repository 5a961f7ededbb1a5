"""安全生产监管数据看板: navigation and the shared filters, nothing else."""

import streamlit as st

from ui import chinese, data, filters, meeting

st.set_page_config(page_title="安全生产监管数据看板", page_icon="🛡️", layout="wide")
chinese.install()

data.load_sample_once()
leader_pages = [
    st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),
    st.Page("pages/trends.py", title="四项指标趋势", icon=":material/trending_up:"),
    st.Page("pages/ranking.py", title="全市排位", icon=":material/leaderboard:"),
]
pages = {
    "领导视图": leader_pages,
    "监管分析": [
        st.Page("pages/hazards.py", title="隐患整改", icon=":material/build:"),
        st.Page("pages/enforcement.py", title="执法检查", icon=":material/gavel:"),
        st.Page("pages/training.py", title="培训覆盖", icon=":material/school:"),
        st.Page("pages/townships.py", title="乡镇对比", icon=":material/holiday_village:"),
        st.Page("pages/report.py", title="报告生成", icon=":material/description:"),
    ],
    "数据": [
        st.Page("pages/data_import.py", title="数据导入", icon=":material/upload_file:"),
    ],
}
in_meeting = meeting.init()
page = st.navigation(pages, position="hidden" if in_meeting else "sidebar")
meeting.render_switch()
filters.render_sidebar()
data.sample_note()
meeting.apply(leader_pages, page)
page.run()
meeting.footer(leader_pages)
