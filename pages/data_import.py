"""数据导入: upload ledgers, preview what would change, commit or fix; import history with undo; templates."""

import pandas as pd
import streamlit as st

from analytics import settings, store
from analytics.contract.datasets import DATASETS
from analytics.documents.templates import errors_xlsx, template_file_name, template_xlsx
from analytics.importing import describe, import_file, list_batches, preview_file
from analytics.sample.lifecycle import load_sample
from ui import coverage, data, imports

AUTO = "自动识别"
MODES = {
    "追加更新（新增并更新已有记录）": "upsert",
    "替换（同时删除文件所涉县市区、月份中文件里已没有的记录）": "replace",
}
STATUS = {"imported": "可导入", "unchanged": "无变化", "rejected": "有错误，不能导入"}
HISTORY_SHOWN = settings.IMPORT_HISTORY_SHOWN
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


st.title("数据导入")
db = data.db_file()
for message in st.session_state.pop("import_messages", []):
    st.success(message)

batches = list_batches(db)
if not any(not b["undone"] for b in batches):
    st.info("数据库中还没有数据。可以上传本县台账，或先载入示例数据（虚构的青川市）熟悉看板。", icon="ℹ️")
    if st.button("载入示例数据"):
        with st.spinner("正在载入示例数据……"):
            load_sample(db)
        st.session_state["import_messages"] = ["示例数据已载入；导入真实数据前可在本页清除"]
        st.rerun()
elif any(b["is_sample"] and not b["undone"] for b in batches):
    st.info("数据库中载入了示例数据（虚构的青川市）。导入本县真实数据前，可先清除示例数据。", icon="ℹ️")
    imports.sample_button(db)

st.subheader("上传文件")
left, right = st.columns(2)
choice = left.selectbox(
    "数据集", [AUTO, *DATASETS], format_func=lambda n: n if n == AUTO else dataset_label(n)
)
mode = MODES[right.radio("导入方式", list(MODES))]
declared = coverage.declaration(None if choice == AUTO else choice)
files = st.file_uploader(
    "选择 CSV 或 Excel 文件（可多选）", type=["csv", "txt", "xlsx", "xls"], accept_multiple_files=True
)
if files:
    version = store.data_version(db)
    dataset = None if choice == AUTO else choice
    results = [preview(f.getvalue(), f.name, dataset, db, version, declared) for f in files]
    for result in results:
        with st.container(border=True):
            show_preview(result, mode)
    ready = [(f, r) for f, r in zip(files, results, strict=True) if status_of(r, mode) == "imported"]
    if st.button(f"确认导入（{len(ready)} 个文件）", type="primary", disabled=not ready):
        st.session_state["import_messages"] = [
            describe(
                import_file(
                    f.getvalue(),
                    file_name=f.name,
                    dataset=dataset,
                    mode=mode,
                    db=db,
                    covers=declared[0],
                    county=declared[1],
                ),
                errors=False,
            )
            for f, _ in ready
        ]
        st.rerun()

coverage.show_table()

st.subheader("导入记录")
if not batches:
    st.caption("还没有导入记录。")
elif len(batches) > HISTORY_SHOWN:
    st.caption(f"显示最近 {HISTORY_SHOWN} 个批次；全部批次可用 `python -m analytics status` 查看。")
for batch in batches[:HISTORY_SHOWN]:
    line = st.columns([1, 3, 2, 3, 2, 1.2], vertical_alignment="center")
    line[0].write(f"批次 {batch['batch_id']}")
    line[1].write(batch["file"] + ("（示例）" if batch["is_sample"] else ""))
    line[2].write(dataset_label(batch["dataset"]))
    line[3].write(
        f"新增 {batch['rows_inserted']} · 更新 {batch['rows_updated']} · 删除 {batch['rows_removed']}"
    )
    line[4].write(batch["imported_at"])
    imports.undo_cell(line[5], batch)
    imports.undo_confirmation(db, batch["batch_id"])

st.subheader("导入模板")
st.caption("每个模板含中文表头、一行示例、下拉选项和“说明”工作表。")
columns = st.columns(3)
for index, name in enumerate(DATASETS):
    columns[index % 3].download_button(
        f"{DATASETS[name].zh}模板",
        data=lambda name=name: template_xlsx(name),
        file_name=template_file_name(name),
        key=f"template-{name}",
        on_click="ignore",
    )
