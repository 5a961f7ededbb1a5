"""安全生产监管数据看板: navigation and the shared filters, nothing else."""

import streamlit as st

st.set_page_config(page_title="安全生产监管数据看板", page_icon="🛡️", layout="wide")

pages = {
    "领导视图": [
        st.Page("pages/overview.py", title="总览", default=True),
        st.Page("pages/trends.py", title="四项指标趋势"),
        st.Page("pages/ranking.py", title="全市排位"),
    ],
    "监管分析": [
        st.Page("pages/hazards.py", title="隐患整改"),
        st.Page("pages/enforcement.py", title="执法检查"),
        st.Page("pages/training.py", title="培训覆盖"),
        st.Page("pages/townships.py", title="乡镇对比"),
        st.Page("pages/report.py", title="报告生成"),
    ],
    "数据": [
        st.Page("pages/data_import.py", title="数据导入"),
    ],
}
st.navigation(pages).run()
