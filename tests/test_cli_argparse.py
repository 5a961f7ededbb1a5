"""argparse's own messages in Chinese: usage, help, and every kind of argument error, with exit status 2."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

import pytest

from analytics import store
from analytics.cli.main import build_parser, main

# argparse's English, as it would print it without the translation table.
ENGLISH = re.compile(
    r"usage|error|the following|required|invalid|choice|choose from|unrecognized|positional|options|"
    r"show this|help message|expected|argument|ambiguous|not allowed",
    re.IGNORECASE,
)

# (case, argv, exit status, Chinese the output must contain)
CASES = [
    ("no subcommand", [], 2, ["用法：python -m analytics", "参数错误：缺少必填参数：子命令"]),
    ("unknown subcommand", ["nosuch"], 2, ["参数 子命令：无效的取值 'nosuch'（可选：'init', 'import'"]),
    ("missing positional", ["import"], 2, ["用法：python -m analytics import", "缺少必填参数：文件"]),
    ("one of two options", ["report"], 2, ["参数 --out --out-dir 必须给出其中一个"]),
    ("invalid choice", ["import", "a.csv", "--mode", "merge"], 2, ["参数 --mode：无效的取值 'merge'"]),
    ("invalid integer", ["ranking", "--year", "abc"], 2, ["参数 --year：'abc' 不是有效的整数"]),
    ("invalid batch number", ["undo", "x"], 2, ["参数 批次号：'x' 不是有效的整数"]),
    ("option without its value", ["indicators", "--year"], 2, ["参数 --year：需要一个取值"]),
    ("unrecognized argument", ["status", "--bogus"], 2, ["无法识别的参数：--bogus"]),
    (
        "ambiguous abbreviation",
        ["import", "a.csv", "--d"],
        2,
        ["选项 --d 有歧义，可能是：--db, --dataset, --dry-run"],
    ),
    ("help", ["-h"], 0, ["用法：", "位置参数:", "选项:", "-h, --help", "显示本帮助并退出", "子命令"]),
    ("subcommand help", ["report", "-h"], 0, ["--year 年度", "--county 县市区", "--out 文件", "选项:"]),
]


@pytest.mark.parametrize(("argv", "status", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_argparse_speaks_chinese(argv, status, expected, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("SAFETY_DB", str(tmp_path / "none.duckdb"))
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == status
    out = capsys.readouterr()
    text = out.out + out.err
    for part in expected:
        assert part in text, text
    # Option names (--out, -h, --help) and choice values (upsert) are the interface; no English beyond them.
    words = " ".join(w for w in re.split(r"[\s\[\]{},'()（）：:]+", text) if not w.startswith("-"))
    assert not ENGLISH.search(words), text


def test_argparse_is_left_english_for_other_parsers():
    build_parser().parse_args(["status"])
    plain = argparse.ArgumentParser(prog="x")
    assert plain.format_help().startswith("usage: x")
    assert "show this help message and exit" in plain.format_help()


def test_entry_point_prints_chinese_usage_errors():
    result = subprocess.run(
        [sys.executable, "-m", "analytics", "ranking", "--months"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=store.PROJECT_ROOT,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("用法：python -m analytics ranking")
    assert "参数错误：参数 --months：需要一个取值" in result.stderr
    assert not ENGLISH.search(result.stderr.replace("--help", ""))
