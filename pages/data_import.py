"""数据导入: upload ledgers, preview what would change, commit or fix; import history with undo; templates."""

import streamlit as st

from analytics import settings, store
from analytics.contract.datasets import DATASETS
from analytics.documents.templates import template_file_name, template_xlsx
from analytics.importing import list_batches
from analytics.sample.lifecycle import load_sample
from ui import coverage, data, imports, upload

AUTO = "自动识别"
MODES = {
    "追加更新（新增并更新已有记录）": "upsert",
    "替换（同时删除文件所涉县市区、月份中文件里已没有的记录）": "replace",
}
HISTORY_SHOWN = settings.IMPORT_HISTORY_SHOWN


st.title("数据导入")
db = data.db_file()
for message in st.session_state.pop("import_messages", []):
    st.success(message)
for message in st.session_state.pop(upload.FAILURES, []):
    st.error(message)

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
    "数据集", [AUTO, *DATASETS], format_func=lambda n: n if n == AUTO else upload.dataset_label(n)
)
mode = MODES[right.radio("导入方式", list(MODES))]
declared = coverage.declaration(None if choice == AUTO else choice)
files = st.file_uploader(
    "选择 CSV 或 Excel 文件（可多选）", type=["csv", "txt", "xlsx", "xls"], accept_multiple_files=True
)
if files:
    version = store.data_version(db)
    dataset = None if choice == AUTO else choice
    results = [upload.preview(f.getvalue(), f.name, dataset, db, version, declared) for f in files]
    for result in results:
        with st.container(border=True):
            upload.show_preview(result, mode)
    ready = [(f, r) for f, r in zip(files, results, strict=True) if upload.status_of(r, mode) == "imported"]
    if st.button(f"确认导入（{len(ready)} 个文件）", type="primary", disabled=not ready):
        st.session_state["import_messages"] = upload.commit(
            [f for f, _ in ready], dataset, mode, db, declared
        )
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
    line[2].write(upload.dataset_label(batch["dataset"]))
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
