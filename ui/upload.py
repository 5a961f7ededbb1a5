"""数据导入's upload part: one dry run per file and what it would change, or every problem it has."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import store
from analytics.contract.datasets import DATASETS
from analytics.documents.templates import errors_xlsx
from analytics.importing import describe, import_file, preview_file

STATUS = {"imported": "可导入", "unchanged": "无变化", "rejected": "有错误，不能导入"}
ERROR_COLUMNS = {"row": "行号", "column": "列", "value": "值", "message": "问题"}


@st.cache_data(show_spinner="正在校验文件……", max_entries=32)
def preview(content: bytes, name: str, dataset: str | None, db: str, version: str, declared: tuple) -> dict:
    # `version` keys the cache to the database state: after any import the preview is recomputed.
    return preview_file(
        content, file_name=name, dataset=dataset, db=db, covers=declared[0], county=declared[1]
    )


def dataset_label(name: str | None) -> str:
    return DATASETS[name].zh if name else "未识别"


def status_of(result: dict, mode: str) -> str:
    return result.get("status_by_mode", {}).get(mode, result["status"])


def show_preview(result: dict, mode: str) -> None:
    st.markdown(
        f"**{result['file']}** · {dataset_label(result['dataset'])} · {STATUS[status_of(result, mode)]}"
    )
    if result["status"] != "rejected":
        cols = st.columns(5)
        cols[0].metric("文件中的记录", f"{result.get('rows_in_file', 0):,}")
        cols[1].metric("将新增", f"{result['rows_inserted']:,}")
        cols[2].metric("将更新", f"{result['rows_updated']:,}")
        cols[3].metric("未变", f"{result['rows_unchanged']:,}")
        removed = f"{result['rows_removed']:,}" if mode == "replace" else "0"
        cols[4].metric(
            "将删除", removed, help=f"选择“替换”方式时将删除 {result['rows_removed']:,} 条；追加更新不删除"
        )
    if result.get("covers"):
        st.caption(f"将声明：已完整报送至{result['covers']}（{'、'.join(result['covers_counties'])}）")
    for warning in result["warnings"]:
        st.caption(f"⚠️ {warning}")
    if result["errors"]:
        st.error(f"发现 {len(result['errors'])} 处问题，整个文件未导入。请修改后重新上传。")
        table = pd.DataFrame(result["errors"], columns=list(ERROR_COLUMNS)).rename(columns=ERROR_COLUMNS)
        table["行号"] = table["行号"].map(lambda r: "整个文件" if pd.isna(r) else str(int(r)))
        table["值"] = table["值"].map(lambda v: "" if v is None else str(v))
        st.dataframe(table, hide_index=True, width="stretch")
        st.download_button(
            "下载问题清单（Excel）",
            data=lambda errors=result["errors"]: errors_xlsx(errors),
            file_name=f"{result['file']}_问题清单.xlsx",
            key=f"errors-{result['file']}",
            on_click="ignore",
        )


FAILURES = "import_failures"  # shown in red at the top of the page after the rerun


def commit(files, dataset: str | None, mode: str, db: str, declared: tuple) -> list[str]:
    """Import each file as its own batch; one Chinese line per file, a store failure included."""
    if store.write_in_progress(db):
        st.info("另一个导入正在进行，本次导入将在其完成后写入……", icon=":material/hourglass_top:")
    messages = []
    with st.spinner("正在导入……"):
        for file in files:
            try:
                result = import_file(
                    file.getvalue(),
                    file_name=file.name,
                    dataset=dataset,
                    mode=mode,
                    db=db,
                    covers=declared[0],
                    county=declared[1],
                )
            except store.StoreFailure as error:
                st.session_state.setdefault(FAILURES, []).append(f"{file.name}：未导入，数据未改动。{error}")
                continue
            messages.append(describe(result, errors=False))
    return messages
