"""The Windows bundle holds a wheel for every requirement (and for what each needs on Windows), the
application and its install script; the check itself notices a missing wheel."""

from __future__ import annotations

import shutil
import zipfile

import pytest
from packaging.utils import canonicalize_name, parse_wheel_filename

from scripts import bundle


@pytest.fixture(scope="module")
def windows_bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    archive = bundle.build("windows", out, cache=bundle.TEST_CACHE)
    folder = out / "unpacked"
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(folder)
    return archive, folder / bundle.NAME


def test_every_pinned_requirement_has_its_windows_wheel(windows_bundle):
    archive, home = windows_bundle
    assert archive.name.endswith("-win_amd64.zip")
    wheels = {}
    for wheel in (home / "wheels").glob("*.whl"):
        name, version, _, tags = parse_wheel_filename(wheel.name)
        wheels[canonicalize_name(name)] = (str(version), {t.platform for t in tags})
    pins = [line.split("==") for line in bundle._requirement_lines()]
    assert pins and all(len(pin) == 2 for pin in pins)
    for name, version in pins:
        found_version, platforms = wheels[canonicalize_name(name)]
        assert found_version == version, name
        assert platforms <= {"win_amd64", "any"}, (name, platforms)
    assert bundle.unmet(home / "wheels", "windows") == []


def test_the_windows_bundle_holds_the_app_and_installs_offline(windows_bundle):
    _, home = windows_bundle
    for part in (
        "app.py",
        "dashboard.py",
        "analytics/__main__.py",
        ".streamlit/config.toml",
        "data/sample/accidents.csv",
    ):
        assert (home / part).is_file(), part
    script = (home / "install.bat").read_bytes()
    assert b"--no-index --find-links wheels" in script and b"\r\n" in script  # cmd.exe wants CRLF
    assert not list(home.rglob("__pycache__")) and not (home / "tests").exists()


def test_a_missing_wheel_is_noticed_with_the_target_platforms_markers(windows_bundle, tmp_path):
    _, home = windows_bundle
    for wheel in (home / "wheels").glob("*.whl"):
        if not wheel.name.startswith("tzdata-"):
            shutil.copy(wheel, tmp_path)
    # A dependency only Windows needs: pip, run on Linux, would never fetch it.
    with zipfile.ZipFile(tmp_path / "winonly-1.0-py3-none-any.whl", "w") as fake:
        metadata = 'Metadata-Version: 2.1\nName: winonly\nVersion: 1.0\nRequires-Dist: colorama; sys_platform == "win32"\n'
        fake.writestr("winonly-1.0.dist-info/METADATA", metadata)
    assert bundle.unmet(tmp_path, "windows") == ["colorama", "tzdata"]
    assert bundle.unmet(tmp_path, "linux") == ["tzdata"]
