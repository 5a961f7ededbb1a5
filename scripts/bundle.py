"""Build the offline bundles: one archive per platform under dist/, for a machine with no route to PyPI.

Run from the project root: python -m scripts.bundle [--platform linux|windows ...] [--out dist]

Each archive holds the application, the bundled sample, the wheels of every pinned
requirement (and of what they need) for CPython 3.11 on that platform, fetched once with
`pip download --platform ... --only-binary=:all:` and kept in .cache/wheels/ keyed by the
requirements' hash, and an install script that makes a virtual environment and installs
with `pip install --no-index --find-links wheels`: nothing else is downloaded.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "requirements.txt"
CACHE = ROOT / ".cache" / "wheels"
# The tests' cache outlives a clone (CI starts from a fresh one on the same machine).
TEST_CACHE = Path(tempfile.gettempdir()) / "safety-dashboard-wheels"
PYTHON_VERSION = "3.11"
NAME = "safety-dashboard"
# pip's platform tags: manylinux wheels run on any x86_64 Linux with glibc 2.17 or later (Debian 9+).
PLATFORMS = {
    "linux": (
        "linux_x86_64",
        ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64", "manylinux1_x86_64"),
    ),
    "windows": ("win_amd64", ("win_amd64",)),
}
# pip evaluates dependency markers for the machine it runs on, whatever --platform says; these are the
# target machines' values, so a dependency only Windows needs (sys_platform == "win32") is fetched too.
MARKERS = {
    "linux": {
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "platform_machine": "x86_64",
    },
    "windows": {
        "sys_platform": "win32",
        "platform_system": "Windows",
        "os_name": "nt",
        "platform_machine": "AMD64",
    },
}
# What the application is: its code, settings, sample and documents (no tests, no caches).
APP_PATHS = (
    "app.py",
    "dashboard.py",
    "analytics",
    "pages",
    "ui",
    ".streamlit",
    "data/sample",
    "docs",
    "README.md",
    "requirements.txt",
    "pyproject.toml",
)
SKIPPED = ("__pycache__", ".pyc")

# One line of Python: write a .pth file naming the bundle's folder into the environment's site-packages.
LINK_APP = (
    "import pathlib, sysconfig; "
    "pathlib.Path(sysconfig.get_paths()['purelib'], 'safety-dashboard.pth').write_text(str(pathlib.Path.cwd()))"
)

INSTALL_SH = """#!/bin/sh
# Offline install: a virtual environment in .venv with the wheels in wheels/, nothing downloaded.
set -eu
cd "$(dirname "$0")"
LINK_APP="{link}"
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
"$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || {
    echo "需要 Python 3.11（可用 PYTHON=/path/to/python3.11 指定）" >&2; exit 1; }
# Only the wheels beside this script: no index, no pip configuration of this machine.
unset PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_FIND_LINKS PIP_CONSTRAINT PIP_REQUIRE_VIRTUALENV
export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1
"$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --no-index --find-links wheels -r requirements.txt
# The application is this folder: a .pth line puts it on the environment's path, so
# `python -m analytics` works from any folder.
.venv/bin/python -c "$LINK_APP"
.venv/bin/python -m analytics init
echo "安装完成。启动：.venv/bin/python -m analytics serve（载入示例数据：.venv/bin/python -m analytics init --sample）"
""".replace("{link}", LINK_APP)

INSTALL_BAT = """@echo off
rem Offline install: a virtual environment in .venv with the wheels in wheels\\, nothing downloaded.
setlocal
cd /d "%~dp0"
set "PIP_CONFIG_FILE=nul"
set "PIP_INDEX_URL="
set "PIP_EXTRA_INDEX_URL="
set "PIP_FIND_LINKS="
set "PIP_CONSTRAINT="
set "PIP_DISABLE_PIP_VERSION_CHECK=1"
set "PYTHON=py -3.11"
%PYTHON% -c "import sys" 2>nul || set "PYTHON=python"
%PYTHON% -c "import sys; sys.exit(sys.version_info[:2] != (3, 11))" || (echo Python 3.11 is required & exit /b 1)
%PYTHON% -m venv .venv || exit /b 1
.venv\\Scripts\\python -m pip install --quiet --no-index --find-links wheels -r requirements.txt || exit /b 1
.venv\\Scripts\\python -c "{link}" || exit /b 1
.venv\\Scripts\\python -m analytics init || exit /b 1
echo Done. Start: .venv\\Scripts\\python -m analytics serve
""".replace("{link}", LINK_APP)

START_SH = """#!/bin/sh
cd "$(dirname "$0")"
exec .venv/bin/python -m analytics serve "$@"
"""

START_BAT = """@echo off
cd /d "%~dp0"
.venv\\Scripts\\python -m analytics serve %*
"""


def requirements_hash() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:16]


def wheels(platform: str, cache: Path = CACHE) -> Path:
    """The folder of wheels for a platform, downloaded once per requirements hash."""
    folder = cache / f"{platform}-py{PYTHON_VERSION}-{requirements_hash()}"
    done = folder / ".complete"
    if done.exists():
        return folder
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / f"{folder.name}.lock").open("w") as lock:
        # Two builds at once (two test workers): one downloads, the other waits and finds it done.
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            _fill(folder, platform)
    return folder


def _fill(folder: Path, platform: str) -> None:
    done = folder / ".complete"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    tags = [arg for tag in PLATFORMS[platform][1] for arg in ("--platform", tag)]
    _download(folder, tags, ["-r", str(REQUIREMENTS)])
    for _ in range(10):  # what the target platform's markers add, and what that needs in turn
        missing = unmet(folder, platform)
        if not missing:
            break
        _download(folder, tags, ["--no-deps", *missing])
    else:
        raise RuntimeError(f"wheels for {platform} still lack {unmet(folder, platform)}")
    done.write_text("\n".join(sorted(p.name for p in folder.glob("*.whl"))) + "\n", encoding="utf-8")


def _download(folder: Path, tags: list[str], what: list[str]) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--disable-pip-version-check",
            "--only-binary=:all:",
            "--python-version",
            PYTHON_VERSION,
            "--implementation",
            "cp",
            *(arg for abi in ("cp311", "abi3", "none") for arg in ("--abi", abi)),
            *tags,
            "--dest",
            str(folder),
            *what,
        ],
        check=True,
    )


def _metadata(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
        return Parser().parsestr(archive.read(name).decode("utf-8"))


def unmet(folder: Path, platform: str) -> list[str]:
    """Requirements (requirements.txt's and every wheel's own) that no wheel in `folder` satisfies on `platform`."""
    environment = {**default_environment(), "python_version": PYTHON_VERSION, **MARKERS[platform]}
    present = {}
    for wheel in folder.glob("*.whl"):
        name, wheel_version, _, _ = parse_wheel_filename(wheel.name)
        present[canonicalize_name(name)] = (wheel_version, wheel)
    wanted = [Requirement(line) for line in _requirement_lines()]
    for _, wheel in present.values():
        wanted += [Requirement(r) for r in _metadata(wheel).get_all("Requires-Dist") or []]
    missing = set()
    for requirement in wanted:
        if requirement.marker is not None and not requirement.marker.evaluate({**environment, "extra": ""}):
            continue
        found = present.get(canonicalize_name(requirement.name))
        if found is None or not requirement.specifier.contains(found[0], prereleases=True):
            missing.add(str(requirement.name) + str(requirement.specifier))
    return sorted(missing)


def _requirement_lines() -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def _app_files() -> list[Path]:
    files = []
    for entry in APP_PATHS:
        path = ROOT / entry
        candidates = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        files += [
            p for p in candidates if not any(part in SKIPPED for part in p.parts) and p.suffix != ".pyc"
        ]
    return files


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def _entries(platform: str, wheel_folder: Path) -> list[tuple[str, bytes | Path, bool]]:
    """(name in the archive, content or file, executable) for every file of the bundle."""
    top = NAME
    entries: list[tuple[str, bytes | Path, bool]] = [
        (f"{top}/{p.relative_to(ROOT).as_posix()}", p, False) for p in _app_files()
    ]
    entries += [(f"{top}/wheels/{w.name}", w, False) for w in sorted(wheel_folder.glob("*.whl"))]
    if platform == "windows":
        entries += [
            (f"{top}/install.bat", INSTALL_BAT.replace("\n", "\r\n").encode("utf-8"), False),
            (f"{top}/start.bat", START_BAT.replace("\n", "\r\n").encode("utf-8"), False),
        ]
    else:
        entries += [
            (f"{top}/install.sh", INSTALL_SH.encode("utf-8"), True),
            (f"{top}/start.sh", START_SH.encode("utf-8"), True),
        ]
    return entries


def build(platform: str, out: Path, cache: Path = CACHE) -> Path:
    """Write dist/safety-dashboard-VERSION-TAG.tar.gz (Linux) or .zip (Windows); its path."""
    wheel_folder = wheels(platform, cache)
    out.mkdir(parents=True, exist_ok=True)
    tag = PLATFORMS[platform][0]
    entries = _entries(platform, wheel_folder)
    suffix = ".zip" if platform == "windows" else ".tar.gz"
    target = out / f"{NAME}-{version()}-{tag}{suffix}"
    with tempfile.NamedTemporaryFile(dir=out, suffix=".tmp", delete=False) as handle:
        temporary = Path(handle.name)
    try:
        if platform == "windows":
            with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
                for name, content, _ in entries:
                    if isinstance(content, Path):
                        archive.write(content, name)
                    else:
                        archive.writestr(name, content)
        else:
            with tarfile.open(temporary, "w:gz", compresslevel=1) as archive:
                for name, content, executable in entries:
                    data = content.read_bytes() if isinstance(content, Path) else content
                    info = tarfile.TarInfo(name)
                    info.size, info.mode = len(data), 0o755 if executable else 0o644
                    archive.addfile(info, io.BytesIO(data))
        temporary.replace(target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--platform", action="append", choices=sorted(PLATFORMS))
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)
    for platform in args.platform or sorted(PLATFORMS):
        print(build(platform, args.out))


if __name__ == "__main__":
    main()
