"""报告生成: the written report and the one-page meeting brief for the county and period in the sidebar."""

import pandas as pd
import streamlit as st

from analytics.accounts.roles import REPORT
from analytics.documents.brief import build_brief
from analytics.documents.report import build_report, report_body
from analytics.text.zh import t
from ui import auth, data, filters, layout, safe

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

selected = filters.current()
auth.require(REPORT)
layout.require_data(selected, "report")
county, period = selected.county, selected.period
layout.title(t("nav.report"), selected)
st.caption(t("report.caption"))

stem = t("report.stem", county=county, year=period.year, months=period.label)
report_column, brief_column = st.columns(2)
report_column.download_button(
    t("report.download_report"),
    data=auth.audited(lambda: data.query(build_report, county=county, period=period), f"report {stem}"),
    file_name=t("report.report_file", stem=stem),
    mime=DOCX,
    type="primary",
    icon=":material/description:",
    on_click="ignore",
    key="download-report",
)
brief_column.download_button(
    t("report.download_brief"),
    data=auth.audited(lambda: data.query(build_brief, county=county, period=period), f"brief {stem}"),
    file_name=t("report.brief_file", stem=stem),
    mime=DOCX,
    icon=":material/summarize:",
    on_click="ignore",
    key="download-brief",
)

blocks = data.query(report_body, county=county, period=period)
with st.container(border=True):
    for block in blocks:
        if block.kind == "title":
            st.markdown(f"<h3 style='text-align:center'>{safe.text(block.text)}</h3>", unsafe_allow_html=True)
        elif block.kind == "subtitle":
            st.markdown(f"<p style='text-align:center'>{safe.text(block.text)}</p>", unsafe_allow_html=True)
        elif block.kind == "heading":
            st.markdown(f"**{safe.text(block.text)}**")
        elif block.kind in ("paragraph", "salutation"):
            # HTML, not **…**: Markdown does not close bold between 。 and a digit (**一是……。**1-8月).
            lead = f"<strong>{safe.text(block.lead)}</strong>" if block.lead else ""
            st.markdown(f"{lead}{safe.text(block.text)}", unsafe_allow_html=True)
        elif block.kind == "attachment":
            st.markdown(f"**{safe.text(block.lead)}　{safe.text(block.text)}**")
        elif block.kind == "table":
            st.dataframe(pd.DataFrame(list(block.rows), columns=list(block.header)), hide_index=True)
        elif block.kind == "note":
            st.caption(safe.text(block.text))
        elif block.kind in ("page_break", "section"):
            st.divider()
