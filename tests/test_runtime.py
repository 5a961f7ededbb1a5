"""The Streamlit behaviour ui/runtime.py works around, pinned: these fail the day an upgrade changes it."""

from __future__ import annotations

import importlib
import inspect

import pytest
from streamlit.commands import navigation
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner

from analytics import store
from analytics.metrics.hazards import hazards
from ui import data, runtime


@pytest.fixture
def mode():
    """Restore the process-wide attribute after the test."""
    saved = PagesManager.uses_pages_directory
    yield
    PagesManager.uses_pages_directory = saved


def _entry_beside(tmp_path, with_pages: bool) -> str:
    entry = tmp_path / "dashboard.py"
    entry.write_text("")
    if with_pages:
        (tmp_path / "pages").mkdir()
    return str(entry)


def test_a_pages_folder_beside_the_entry_puts_the_first_session_in_the_old_mode(tmp_path, mode):
    PagesManager.uses_pages_directory = None
    PagesManager(_entry_beside(tmp_path, with_pages=True), setup_watcher=False)
    assert PagesManager.uses_pages_directory is True
    assert runtime.pages_directory_mode()


def test_without_a_pages_folder_there_is_no_old_mode(tmp_path, mode):
    PagesManager.uses_pages_directory = None
    PagesManager(_entry_beside(tmp_path, with_pages=False), setup_watcher=False)
    assert PagesManager.uses_pages_directory is False


def test_once_turned_off_later_sessions_start_in_navigation_mode(tmp_path, mode):
    PagesManager.uses_pages_directory = None
    runtime.use_navigation_mode()
    PagesManager(_entry_beside(tmp_path, with_pages=True), setup_watcher=False)
    assert PagesManager.uses_pages_directory is False
    assert not runtime.pages_directory_mode()


def test_importing_the_runtime_module_turns_the_old_mode_off(mode):
    PagesManager.uses_pages_directory = True  # as the first session of a fresh server leaves it
    importlib.reload(runtime)
    assert PagesManager.uses_pages_directory is False
    runtime._first_run_in_pages_directory_mode = False  # no session here to rerun


def test_the_script_runner_runs_page_files_alone_only_in_the_old_mode():
    source = inspect.getsource(script_runner.ScriptRunner)
    assert "if PagesManager.uses_pages_directory:" in source
    assert "_mpa_v1(self._main_script_path)" in source
    # ... and the old mode runs a pages/ file without the entry script when its URL path is asked for.
    assert '"pages"' in inspect.getsource(script_runner._mpa_v1)


def test_st_navigation_turns_the_old_mode_off_only_once_the_entry_has_run():
    assert "PagesManager.uses_pages_directory = False" in inspect.getsource(navigation.navigation)


def test_no_config_option_turns_the_old_mode_off():
    # If Streamlit gains a supported setting, use it instead of ui/runtime.py.
    from streamlit import config

    names = [name for name in config._config_options_template if "pagesdirectory" in name.lower()]
    assert names == []


def test_data_queries_are_keyed_by_where_the_function_is_defined():
    assert data._key(hazards) == "analytics.metrics.hazards:hazards"
    with pytest.raises(ValueError, match="模块级函数"):
        data.query(lambda con: None)


BUILT: list[list[str]] = []


def _marked(names: list[str]) -> list[str]:
    """A view for the test below: records each build."""
    BUILT.append(names)
    return [f"{name}!" for name in names]


def test_a_view_is_built_once_per_data_version_and_shared(empty_db):
    from analytics.metrics.common import counties

    BUILT.clear()
    first = data.view(_marked, counties)
    assert data.view(_marked, counties) is first and first == [] and len(BUILT) == 1
    with store.connect(empty_db, read_only=False) as con:
        con.execute("INSERT INTO regions (county, township) VALUES ('甲县', '城关镇')")
    assert data.view(_marked, counties) == ["甲县!"] and len(BUILT) == 2
    with pytest.raises(ValueError, match="模块级函数"):
        data.view(lambda names: names, counties)


def test_the_direct_run_warning_is_checked_once_per_process_and_skipped_once_marked(monkeypatch):
    from streamlit import delta_generator, env_util

    def stack_walk():
        raise AssertionError("is_repl walks the stack")

    monkeypatch.setattr(env_util, "is_repl", stack_walk)
    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    with pytest.raises(AssertionError, match="walks the stack"):
        delta_generator._maybe_print_use_warning()  # unmarked: the first element walks the stack
    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    runtime.skip_direct_run_warning()
    delta_generator._maybe_print_use_warning()  # marked: no stack walk
