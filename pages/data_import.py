"""数据导入: upload ledgers, preview what would change, commit or fix; import history with undo; templates."""

import streamlit as st

from analytics import settings, store
from analytics.accounts import scope
from analytics.accounts.roles import CLEAR_SAMPLE, IMPORT
from analytics.contract.datasets import DATASETS
from analytics.documents.templates import template_file_name, template_xlsx
from analytics.importing import list_batches
from analytics.sample.lifecycle import load_sample
from analytics.text.zh import t
from ui import auth, backups, coverage, data, imports, safe, upload

AUTO = t("import.auto")
MODES = {t("import.mode.upsert"): "upsert", t("import.mode.replace"): "replace"}
HISTORY_SHOWN = settings.IMPORT_HISTORY_SHOWN


st.title(t("import.title"))
who = auth.require(IMPORT)
db = data.db_file()
for message in st.session_state.pop("import_messages", []):
    st.success(safe.text(message))
for message in st.session_state.pop(upload.FAILURES, []):
    st.error(safe.text(message))

batches = list_batches(db)
if not any(not b["undone"] for b in batches):
    st.info(t("import.empty"), icon="ℹ️")
    if st.button(t("import.load_sample")):
        with st.spinner(t("data.loading_sample")):
            load_sample(db, actor=who)
        st.session_state["import_messages"] = [t("import.sample_loaded")]
        st.rerun()
elif any(b["is_sample"] and not b["undone"] for b in batches) and auth.may(who, CLEAR_SAMPLE):
    st.info(t("import.sample_present"), icon="ℹ️")
    imports.sample_button(db, who)

st.subheader(t("import.upload_heading"))
left, right = st.columns(2)
choice = left.selectbox(
    t("import.dataset"), [AUTO, *DATASETS], format_func=lambda n: n if n == AUTO else upload.dataset_label(n)
)
mode = MODES[right.radio(t("import.mode"), list(MODES))]
declared = coverage.declaration(None if choice == AUTO else choice)
files = st.file_uploader(t("import.uploader"), type=list(upload.UPLOAD_TYPES), accept_multiple_files=True)
if files:
    version = store.data_version(db)
    dataset = None if choice == AUTO else choice
    results = [upload.preview(f.getvalue(), f.name, dataset, db, version, declared, who) for f in files]
    for result in results:
        with st.container(border=True):
            upload.show_preview(result, mode)
    ready = [(f, r) for f, r in zip(files, results, strict=True) if upload.status_of(r, mode) == "imported"]
    if st.button(t("import.confirm", count=len(ready)), type="primary", disabled=not ready):
        st.session_state["import_messages"] = upload.commit(
            [f for f, _ in ready], dataset, mode, db, declared, who
        )
        st.rerun()

coverage.show_table()

st.subheader(t("import.history_heading"))
if not batches:
    st.caption(t("import.no_history"))
elif len(batches) > HISTORY_SHOWN:
    st.caption(t("import.history_more", count=HISTORY_SHOWN))
owners = scope.owners(db)
for batch in batches[:HISTORY_SHOWN]:
    line = st.columns([1, 3, 2, 3, 2, 1.2], vertical_alignment="center")
    line[0].write(t("import.batch", batch=batch["batch_id"]))
    line[1].write(safe.text(batch["file"]) + (t("import.sample_mark") if batch["is_sample"] else ""))
    line[2].write(upload.dataset_label(batch["dataset"]))
    line[3].write(
        t(
            "import.batch_rows",
            inserted=batch["rows_inserted"],
            updated=batch["rows_updated"],
            removed=batch["rows_removed"],
        )
    )
    line[4].write(batch["imported_at"])
    allowed = scope.may_undo(who, batch["batch_id"], owners)
    imports.undo_cell(line[5], batch, allowed)
    if allowed:
        imports.undo_confirmation(db, batch["batch_id"], who)

st.subheader(t("import.templates_heading"))
st.caption(t("import.templates_caption"))
columns = st.columns(3)
for index, name in enumerate(DATASETS):
    columns[index % 3].download_button(
        t("import.template", dataset=DATASETS[name].zh),
        data=lambda name=name: template_xlsx(name),
        file_name=template_file_name(name),
        key=f"template-{name}",
        on_click="ignore",
    )

backups.show_recent()
