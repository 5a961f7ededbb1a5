"""The upload page takes every format the readers read, and its progress bar follows the import's stages."""

from __future__ import annotations

import pytest

from analytics import store
from analytics.importing import import_file
from tests.apptest_support import run_page
from tests.import_support import ACCIDENT_HEADER, REGIONS, accident, csv_bytes, write_xlsx
from tests.stores import new_db
from ui import upload


class Bar:
    """Stands in for st.progress: keeps what it was told."""

    def __init__(self):
        self.told: list[tuple[float, str]] = []

    def progress(self, value: float, text: str) -> None:
        self.told.append((value, text))


@pytest.fixture
def regions_db(tmp_path, monkeypatch):
    path = new_db(tmp_path, "page")
    store.ensure_schema(path)
    regions = csv_bytes([["县市区", "乡镇（街道）"], *[row[:2] for row in REGIONS]])
    assert import_file(regions, file_name="regions.csv", db=path)["status"] == "imported"
    monkeypatch.setenv("SAFETY_DB", str(path))
    return path


def test_uploader_accepts_xls_and_ods(regions_db):
    at = run_page("pages/data_import.py", role="analyst")
    accepted = set(at.file_uploader[0].proto.type)
    assert {".xls", ".ods", ".xlsx", ".csv"} <= accepted
    assert accepted == {f".{suffix}" for suffix in upload.UPLOAD_TYPES}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_progress_moves_forward_through_each_file(regions_db, tmp_path, kind):
    rows = [ACCIDENT_HEADER, accident(1), accident(2)]
    path = write_xlsx(tmp_path / "a.xlsx", rows) if kind == "xlsx" else tmp_path / "a.csv"
    if kind == "csv":
        path.write_bytes(csv_bytes(rows))
    bar = Bar()
    for index in range(2):  # the second of two files fills the second half of the bar
        result = import_file(path, db=regions_db, progress=upload.progress_reporter(bar, path.name, index, 2))
        assert result["status"] in {"imported", "unchanged"}
    values = [value for value, _ in bar.told]
    assert values == sorted(values) and 0 <= values[0] and values[-1] == 1.0
    assert max(v for v in values[: len(values) // 2]) <= 0.5
    texts = [text for _, text in bar.told]
    assert texts[0].startswith("a.") and "读取" in texts[0] and "写入" in texts[-1]
