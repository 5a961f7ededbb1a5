"""Fuzzing the readers and the validator: any bytes, or a valid CSV/xlsx with bytes changed, end as
imported or rejected with a Chinese message, never another exception (and never a dead process)."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.importing import import_file
from tests.import_support import ACCIDENT_HEADER, accident, csv_bytes, write_xlsx

CSV = csv_bytes([ACCIDENT_HEADER, accident(1), accident(2), accident(3, deaths=2)])
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Each workbook that passes the zip check starts a reader process (about half a second): fewer examples.
FEW = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def xlsx_bytes(tmp_path_factory):
    path = write_xlsx(tmp_path_factory.mktemp("fuzz") / "a.xlsx", [ACCIDENT_HEADER, accident(1), accident(2)])
    return path.read_bytes()


def check(result: dict) -> None:
    assert result["status"] in {"imported", "unchanged", "rejected"}
    if result["status"] == "rejected":
        assert result["errors"] and all(
            isinstance(e["message"], str) and e["message"] for e in result["errors"]
        )


def mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    changed = bytearray(data)
    for position, value in edits:
        changed[position % len(changed)] = value
    return bytes(changed)


EDITS = st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), min_size=1, max_size=8)


@FUZZ
@given(data=st.binary(max_size=4096), name=st.sampled_from(["a.csv", "a.txt", "a.tsv"]))
def test_any_bytes_as_text(empty_db, data, name):
    check(import_file(data, file_name=name, db=empty_db, dry_run=True))


@FUZZ
@given(edits=EDITS, cut=st.integers(0, len(CSV)))
def test_mutated_csv(empty_db, edits, cut):
    check(import_file(mutate(CSV, edits)[: cut or None], file_name="a.csv", db=empty_db, dry_run=True))


@FEW
@given(data=st.binary(max_size=2048), name=st.sampled_from(["a.xlsx", "a.xls", "a.ods"]))
def test_any_bytes_as_workbook(empty_db, data, name):
    check(import_file(data, file_name=name, db=empty_db, dry_run=True))


@FEW
@given(edits=EDITS)
def test_mutated_xlsx_bytes(empty_db, xlsx_bytes, edits):
    check(import_file(mutate(xlsx_bytes, edits), file_name="a.xlsx", db=empty_db, dry_run=True))


def test_a_zip_asking_for_a_newer_zip_version_is_a_message(empty_db, xlsx_bytes):
    # The example hypothesis found: a central-directory entry needing zip 6.4 (zipfile: NotImplementedError).
    entry = xlsx_bytes.index(b"PK\x01\x02")
    result = import_file(mutate(xlsx_bytes, [(entry + 6, 64)]), file_name="a.xlsx", db=empty_db, dry_run=True)
    assert result["status"] == "rejected"
    assert "无法读取 Excel 文件" in result["errors"][0]["message"]


@FEW
@given(edits=st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(32, 126)), min_size=1, max_size=6))
def test_mutated_sheet_xml_in_a_valid_zip(empty_db, xlsx_bytes, edits):
    # Edits inside the sheet's XML, re-zipped, so they reach the reader rather than fail the zip's CRC.
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            part = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                part = mutate(part, edits)
            target.writestr(item.filename, part)
    check(import_file(out.getvalue(), file_name="a.xlsx", db=empty_db, dry_run=True))
