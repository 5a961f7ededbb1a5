"""Streamlit's runtime, touched here and nowhere else in the project: keep every run in st.navigation mode.

Streamlit 1.67 still has the old multipage mode in which it runs a file of
`pages/` on its own: `PagesManager.uses_pages_directory` (a class attribute,
process-wide) starts as None and the first session's PagesManager sets it to
whether a folder `pages/` sits beside the entry script, which it does here.
In that mode a deep link (/trends) runs pages/trends.py without dashboard.py:
no navigation, no shared filters, no sample note. `st.navigation` turns the
mode off, but only once dashboard.py has run, which is too late for the first
request of a fresh server. There is no config option for it (Streamlit's
source sets the attribute only in PagesManager.__init__, st.navigation and
AppTest), and `streamlit run dashboard.py` runs no project code before the first
session (`streamlit run app.py`, the served app, does: app.py turns it off at start).

So this module turns the mode off when it is first imported (once per
process: every later session starts in navigation mode), and
`leave_pages_directory_run()` reruns, once per session, a run that Streamlit
had already started in the old mode: the first request of a fresh server, and
every AppTest, which resets the attribute to None before each run.

`skip_direct_run_warning()` spares the first run of every server process a stack walk: the first
element Streamlit sends checks once whether the script was started with plain `python`
(`delta_generator._maybe_print_use_warning`, whose `env_util.is_repl()` calls `inspect.stack()`,
0.1-0.2 s with a Streamlit run's deep stack). A served app never is; the check only logs.

tests/test_runtime.py fails when a Streamlit upgrade changes any of this.
"""

from __future__ import annotations

import streamlit as st
from streamlit import delta_generator
from streamlit.runtime.pages_manager import PagesManager

_RERUN_KEY = "_runtime_left_pages_directory_mode"


def pages_directory_mode() -> bool:
    """Whether Streamlit runs page files on their own (its old `pages/` folder mode)."""
    return bool(PagesManager.uses_pages_directory)


def use_navigation_mode() -> None:
    """Turn the old mode off for this process; sessions created afterwards start in st.navigation mode."""
    PagesManager.uses_pages_directory = False


def skip_direct_run_warning() -> None:
    """Mark Streamlit's once-per-process "run me with `streamlit run`" check as done (a served app is)."""
    delta_generator._use_warning_has_been_displayed = True


# The run during which this module is first imported may have begun in the old mode.
_first_run_in_pages_directory_mode = pages_directory_mode()
use_navigation_mode()


def leave_pages_directory_run() -> None:
    """Rerun through dashboard.py, once per session, a run that began in the old mode.

    Both modes name a page by its URL path, so the rerun lands on the same page,
    with navigation, filters and the sample note. Once per session only: AppTest
    resets the mode before every run, and a rerun on each would swallow clicks.
    """
    global _first_run_in_pages_directory_mode
    began_in_old_mode = _first_run_in_pages_directory_mode or pages_directory_mode()
    _first_run_in_pages_directory_mode = False
    if began_in_old_mode and not st.session_state.get(_RERUN_KEY):
        st.session_state[_RERUN_KEY] = True
        use_navigation_mode()
        st.rerun()
