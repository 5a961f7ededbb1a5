"""`report` and `brief --out-dir`: the documents a timer writes into the office's shared folder."""

from __future__ import annotations

import json
import shutil

import pytest
from docx import Document

from analytics.cli.main import main
from analytics.documents import pdf


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


@pytest.mark.parametrize(
    ("command", "kind"), [("report", "安全生产法贯彻实施情况报告"), ("brief", "安全生产情况简报")]
)
def test_out_dir_names_the_file_by_county_and_period_with_a_pdf_beside_it(
    capsys, sample_db_path, tmp_path, command, kind
):
    argv = [command, "--db", str(sample_db_path), "--county", "云溪县", "--year", "2026", "--months", "1-8"]
    status, out, _ = run(capsys, *argv, "--out-dir", str(tmp_path), "--json")
    assert status == 0
    document = json.loads(out)
    docx = tmp_path / f"云溪县2026年1-8月{kind}.docx"
    assert document["out"] == str(docx) and document["county"] == "云溪县"
    assert "云溪县" in "".join(p.text for p in Document(str(docx)).paragraphs)
    if pdf.soffice() is None:
        assert document["pdf"] is None
    else:
        assert document["pdf"] == str(docx.with_suffix(".pdf"))
        assert docx.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.suffix for p in tmp_path.iterdir()) == (
        [".docx"] if pdf.soffice() is None else [".docx", ".pdf"]
    )


def test_without_libreoffice_only_the_docx_is_written(capsys, sample_db_path, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    status, out, _ = run(capsys, "brief", "--db", str(sample_db_path), "--out-dir", str(tmp_path), "--json")
    assert status == 0 and json.loads(out)["pdf"] is None
    assert [p.suffix for p in tmp_path.iterdir()] == [".docx"]


def test_out_and_out_dir_are_one_or_the_other(capsys, sample_db_path, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "report",
                "--db",
                str(sample_db_path),
                "--out",
                str(tmp_path / "a.docx"),
                "--out-dir",
                str(tmp_path),
            ]
        )
    assert exit_info.value.code == 2
    status, _, err = run(
        capsys, "brief", "--db", str(sample_db_path), "--out-dir", str(tmp_path / "无此文件夹")
    )
    assert status == 1 and "输出目录不存在" in err
