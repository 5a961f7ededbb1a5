"""数据导入's upload part: one dry run per file and what it would change, or every problem it has."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import store
from analytics.accounts.roles import Refused
from analytics.contract.datasets import DATASETS
from analytics.documents.templates import errors_xlsx
from analytics.importing import describe, import_file, preview_file
from analytics.importing.readers import EXCEL_SUFFIXES, TEXT_SUFFIXES
from analytics.text.zh import t
from ui import safe

STATUS = {
    "imported": t("import.status.imported"),
    "unchanged": t("import.status.unchanged"),
    "rejected": t("import.status.rejected"),
}
ERROR_COLUMNS = {
    "row": t("import.error.row"),
    "column": t("import.error.column"),
    "value": t("import.error.value"),
    "message": t("import.error.message"),
}


@st.cache_data(show_spinner=t("import.checking"), max_entries=32)
def preview(
    content: bytes, name: str, dataset: str | None, db: str, version: str, declared: tuple, actor
) -> dict:
    # `version` keys the cache to the database state: after any import the preview is recomputed.
    return preview_file(
        content, file_name=name, dataset=dataset, db=db, covers=declared[0], county=declared[1], actor=actor
    )


def dataset_label(name: str | None) -> str:
    return DATASETS[name].zh if name else t("import.unrecognised")


def status_of(result: dict, mode: str) -> str:
    return result.get("status_by_mode", {}).get(mode, result["status"])


def show_preview(result: dict, mode: str) -> None:
    st.markdown(
        t(
            "import.preview_line",
            file=safe.text(result["file"]),
            dataset=dataset_label(result["dataset"]),
            status=STATUS[status_of(result, mode)],
        )
    )
    if result["status"] != "rejected":
        cols = st.columns(5)
        cols[0].metric(t("import.rows_in_file"), f"{result.get('rows_in_file', 0):,}")
        cols[1].metric(t("import.rows_inserted"), f"{result['rows_inserted']:,}")
        cols[2].metric(t("import.rows_updated"), f"{result['rows_updated']:,}")
        cols[3].metric(t("import.rows_unchanged"), f"{result['rows_unchanged']:,}")
        removed = f"{result['rows_removed']:,}" if mode == "replace" else "0"
        cols[4].metric(
            t("import.rows_removed"),
            removed,
            help=t("import.rows_removed_help", count=f"{result['rows_removed']:,}"),
        )
    if result.get("covers"):
        st.caption(
            t(
                "import.will_declare",
                month=result["covers"],
                counties=safe.text("、".join(result["covers_counties"])),
            )
        )
    for warning in result["warnings"]:
        st.caption(t("import.warning", warning=safe.text(warning)))
    if result["errors"]:
        st.error(t("import.errors_found", count=len(result["errors"])))
        table = pd.DataFrame(result["errors"], columns=list(ERROR_COLUMNS)).rename(columns=ERROR_COLUMNS)
        row, value = ERROR_COLUMNS["row"], ERROR_COLUMNS["value"]
        table[row] = table[row].map(lambda r: t("import.whole_file") if pd.isna(r) else str(int(r)))
        table[value] = table[value].map(lambda v: "" if v is None else str(v))
        st.dataframe(table, hide_index=True, width="stretch")
        st.download_button(
            t("import.download_errors"),
            data=lambda errors=result["errors"]: errors_xlsx(errors),
            file_name=t("import.errors_file", file=result["file"]),
            key=f"errors-{result['file']}",
            on_click="ignore",
        )


# Every suffix the readers take: CSV/text, .xlsx/.xlsm/.xlsb, .xls (Excel 97–2003) and .ods.
UPLOAD_TYPES = tuple(suffix.lstrip(".") for suffix in TEXT_SUFFIXES + EXCEL_SUFFIXES)
FAILURES = "import_failures"  # shown in red at the top of the page after the rerun


# Where each stage starts on the progress bar; reading a workbook moves within its share.
STAGE_START = {"read": 0.0, "validate": 0.6, "write": 0.8}


def progress_reporter(bar, file_name: str, index: int, count: int):
    """A plain callable for the import pipeline (analytics never imports streamlit) that moves `bar`."""

    def report(stage: str, done: int, total: int) -> None:
        share = {"read": 0.6, "validate": 0.2, "write": 0.2}[stage]
        within = done / total if total else 0.0
        fraction = (index + STAGE_START[stage] + share * min(within, 1.0)) / count
        if stage == "read" and total > 1:
            text = t("import.progress.read", file=file_name, done=f"{done:,}", total=f"{total:,}")
        elif stage == "read":
            text = t("import.progress.read_start", file=file_name)
        elif stage == "validate":
            text = t("import.progress.validate", file=file_name)
        else:
            text = t("import.progress.write", file=file_name)
        bar.progress(min(fraction, 1.0), text=text)

    return report


def commit(files, dataset: str | None, mode: str, db: str, declared: tuple, actor) -> list[str]:
    """Import each file as its own batch; one Chinese line per file, a store failure included."""
    if store.write_in_progress(db):
        st.info(t("import.waiting"), icon=":material/hourglass_top:")
    messages = []
    bar = st.progress(0.0, text=t("import.importing"))
    with st.spinner(t("import.importing")):
        for index, file in enumerate(files):
            try:
                result = import_file(
                    file.getvalue(),
                    file_name=file.name,
                    dataset=dataset,
                    mode=mode,
                    db=db,
                    covers=declared[0],
                    county=declared[1],
                    progress=progress_reporter(bar, file.name, index, len(files)),
                    actor=actor,
                )
            except (store.StoreFailure, Refused) as error:
                st.session_state.setdefault(FAILURES, []).append(
                    t("import.failed", file=file.name, error=error)
                )
                continue
            messages.append(describe(result, errors=False))
    bar.empty()
    return messages
