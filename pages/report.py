"""报告生成: the written report and the one-page meeting brief for the county and period in the sidebar."""

import html

import pandas as pd
import streamlit as st

from analytics.documents.brief import build_brief
from analytics.documents.report import build_report, report_content
from ui import data, filters, layout

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

selected = filters.current()
layout.require_data(selected, "report")
county, period = selected.county, selected.period
layout.title("报告生成", selected)
st.caption(
    "按《安全生产法》贯彻实施情况报告的结构，自动填写事故、培训、隐患整改、执法和乡镇情况的全部数据；"
    "下载后只需修改叙述部分。县市区和期间在左侧栏选择。"
)

stem = f"{county}{period.year}年{period.label}"
report_column, brief_column = st.columns(2)
report_column.download_button(
    "下载报告（Word）",
    data=lambda: data.query(build_report, county=county, period=period),
    file_name=f"{stem}安全生产法贯彻实施情况报告.docx",
    mime=DOCX,
    type="primary",
    icon=":material/description:",
    on_click="ignore",
    key="download-report",
)
brief_column.download_button(
    "下载会议简报（Word，一页）",
    data=lambda: data.query(build_brief, county=county, period=period),
    file_name=f"{stem}安全生产情况简报.docx",
    mime=DOCX,
    icon=":material/summarize:",
    on_click="ignore",
    key="download-brief",
)

content = data.query(report_content, county=county, period=period)
with st.container(border=True):
    for block in content["blocks"]:
        if block.kind == "title":
            st.markdown(
                f"<h3 style='text-align:center'>{html.escape(block.text)}</h3>", unsafe_allow_html=True
            )
        elif block.kind == "subtitle":
            st.markdown(f"<p style='text-align:center'>{html.escape(block.text)}</p>", unsafe_allow_html=True)
        elif block.kind == "heading":
            st.markdown(f"**{block.text}**")
        elif block.kind in ("paragraph", "salutation"):
            # HTML, not **…**: Markdown does not close bold between 。 and a digit (**一是……。**1-8月).
            lead = f"<strong>{html.escape(block.lead)}</strong>" if block.lead else ""
            st.markdown(f"{lead}{html.escape(block.text)}", unsafe_allow_html=True)
        elif block.kind == "attachment":
            st.markdown(f"**{block.lead}　{block.text}**")
        elif block.kind == "table":
            st.dataframe(pd.DataFrame(list(block.rows), columns=list(block.header)), hide_index=True)
        elif block.kind == "note":
            st.caption(block.text)
        elif block.kind in ("page_break", "section"):
            st.divider()
