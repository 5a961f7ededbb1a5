"""Every setting and limit of the product, with its default and meaning: the one place that holds them.

Environment variables are read when asked for, never at import, so a server,
a CLI call or a test can set them per process. The upload limit and the usage
statistics switch are Streamlit's own settings in `.streamlit/config.toml`;
they are listed here with the value that file must hold (a test compares).
README.md's settings table is `markdown_table()` (`python -m analytics.settings`
prints it; a test checks that README and this module agree).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# Environment variables.
DB_ENV = "SAFETY_DB"
HOME_COUNTY_ENV = "SAFETY_HOME_COUNTY"
LOG_ENV = "SAFETY_LOG"
BACKUP_DIR_ENV = "SAFETY_BACKUP_DIR"
ANONYMOUS_ENV = "SAFETY_ANONYMOUS_VIEWING"
PASSWORD_DIR_ENV = "SAFETY_PASSWORD_DIR"
DEFAULT_DB = PROJECT_ROOT / "data" / "safety.duckdb"
DEFAULT_LOG = PROJECT_ROOT / "data" / "analytics.log"
DEFAULT_BACKUP_DIR = PROJECT_ROOT / "data" / "backups"

# Limits.
LOCK_WAIT_SECONDS = 60.0
MAX_ERRORS_PER_FILE = 5000
HEADER_SCAN_ROWS = 20
MAX_CELL_CHARS = 32767  # Excel's own limit for one cell
TEMPLATE_VALIDATED_ROWS = 5000
IMPORT_HISTORY_SHOWN = 30
MEETING_MIN_CYCLE_SECONDS = 5
BACKUPS_KEPT = 30  # `backup --keep` when a timer takes one a night: a month of nightly backups
BACKUPS_SHOWN = 10
SERVER_PORT = 8501
# Workbooks (.xlsx, .xls, .ods): checked before parsing, then parsed in a limited child process.
MAX_SHEET_ROWS = 1_048_576  # Excel's own row limit
MAX_SHEET_COLUMNS = 256  # the widest ledger has 16 columns; Excel 97's own limit
MAX_SHEET_CELLS = 1_048_576 * 24  # rows × columns from A1, what the reader holds in memory
MAX_INFLATED_MB = 2048  # all parts of a workbook, uncompressed (a 1M-row, 11-column sheet is 550 MB)
MAX_COMPRESSION_RATIO = 100  # honest sheet XML compresses 5–20:1; a zip bomb 300–1000:1
RATIO_CHECK_MB = 16  # the ratio is checked for parts larger than this once inflated
MAX_WORKBOOK_PARTS = 10_000
READER_MEMORY_MB = 4096  # the child's address space (RLIMIT_AS; no such limit on Windows)
READER_TIME_SECONDS = 300.0
# DuckDB's memory while it stages and compares an import (it spills beyond); at 256 MB its ordered insert
# of a million rows ran on one thread (0.2-0.3 s more), and the import's peak stayed about 1 GB either way.
IMPORT_MEMORY_MB = 512

# Accounts (analytics.accounts).
PASSWORD_MIN_LENGTH = 10
PASSWORD_MIN_CLASSES = 3  # of lower case, upper case, digits, other characters
PASSWORD_HASH_TIME_COST = 2
PASSWORD_HASH_MEMORY_KIB = 19456
LOCKOUT_FAILURES = 5
LOCKOUT_MINUTES = 10
SESSION_HOURS = 12
SESSION_COOKIE = "safety_session"
INITIAL_PASSWORD_SUFFIX = ".admin-password"

# Streamlit's settings in .streamlit/config.toml: (section, key) -> the value it must hold.
STREAMLIT_CONFIG = PROJECT_ROOT / ".streamlit" / "config.toml"
UPLOAD_LIMIT_MB = 200
SERVER_ADDRESS = "127.0.0.1"
STREAMLIT_SETTINGS = {
    ("server", "maxUploadSize"): UPLOAD_LIMIT_MB,
    ("browser", "gatherUsageStats"): False,
    ("server", "address"): SERVER_ADDRESS,
    ("client", "showErrorDetails"): "none",
    ("client", "showErrorLinks"): False,
}


def _env(name: str) -> str | None:
    return os.environ.get(name) or None


def db_file() -> Path:
    """The database file when no path is given: $SAFETY_DB, else data/safety.duckdb."""
    configured = _env(DB_ENV)
    return Path(configured) if configured else DEFAULT_DB


def db_location() -> str | Path:
    """$SAFETY_DB as given (a file path or a `postgresql://` URL), else data/safety.duckdb."""
    return _env(DB_ENV) or DEFAULT_DB


def log_file() -> Path:
    """Where the command line writes the details of a failure: $SAFETY_LOG, else data/analytics.log."""
    configured = _env(LOG_ENV)
    return Path(configured) if configured else DEFAULT_LOG


def backup_dir() -> Path:
    """Where `backup` writes when given no file, and the 数据导入 page looks: $SAFETY_BACKUP_DIR, else data/backups."""
    configured = _env(BACKUP_DIR_ENV)
    return Path(configured) if configured else DEFAULT_BACKUP_DIR


def environment_with_db(db: str | Path) -> dict[str, str]:
    """This process's environment with $SAFETY_DB set to `db`, for a server started from the command line."""
    return {**os.environ, DB_ENV: str(db)}


def child_environment() -> dict[str, str]:
    """The environment for the workbook reader's child process: this one's, with the project importable."""
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(PROJECT_ROOT), environment.get("PYTHONPATH")])
    )
    return environment


def anonymous_viewing() -> bool:
    """Whether a visitor who has not logged in may see the viewer pages ($SAFETY_ANONYMOUS_VIEWING, default on)."""
    return (_env(ANONYMOUS_ENV) or "1").strip().lower() not in {"0", "false", "no", "off"}


def initial_password_file(db: str | Path) -> Path:
    """Where the first start writes the initial `admin` password: beside the database, readable by root only.

    For a server (a `postgresql://` URL) the file is in $SAFETY_PASSWORD_DIR, else the default
    database's folder, named after the server's host, port and database
    (`postgresql-HOST-PORT-DB.admin-password`).
    """
    if isinstance(db, str) and db.lower().startswith(("postgresql://", "postgres://")):
        from urllib.parse import urlsplit

        parts = urlsplit(db)
        name = f"postgresql-{parts.hostname or 'localhost'}-{parts.port or 5432}-{parts.path.lstrip('/') or 'postgres'}"
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
        folder = Path(_env(PASSWORD_DIR_ENV) or DEFAULT_DB.parent)
        return folder / (safe + INITIAL_PASSWORD_SUFFIX)
    db = Path(db)
    return db.with_name(db.name + INITIAL_PASSWORD_SUFFIX)


def home_county_override() -> str | None:
    """$SAFETY_HOME_COUNTY: the county this office serves, ahead of the stored setting (None if unset)."""
    return _env(HOME_COUNTY_ENV)


@dataclass(frozen=True)
class Setting:
    """One row of README's settings table."""

    what: str
    where: str
    default: str
    meaning: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "database",
        f"`{DB_ENV}` environment variable or `--db`",
        "`data/safety.duckdb`",
        "where the dashboard and the command line read and write: a file path (the embedded DuckDB "
        "store) or a `postgresql://user@host:port/db` URL (a PostgreSQL or PostgreSQL-compatible server; "
        "the password comes from `PGPASSWORD` or `~/.pgpass`, never the URL; see docs/部署.md)",
    ),
    Setting(
        "home county (本县)",
        f"`{HOME_COUNTY_ENV}` environment variable",
        "the stored setting (the sample's 本县), else the first county",
        "the county the pages and the report open on",
    ),
    Setting(
        "log file",
        f"`{LOG_ENV}` environment variable",
        "`data/analytics.log`",
        "the details (tracebacks) of a failure; the command line itself prints only a Chinese message",
    ),
    Setting(
        "backup folder",
        f"`{BACKUP_DIR_ENV}` environment variable",
        "`data/backups`",
        "where `python -m analytics backup` writes when given a folder or nothing, and the backups the 数据导入 page lists",
    ),
    Setting(
        "backups kept",
        "`backup --keep N`",
        f"{BACKUPS_KEPT} (`analytics.settings.BACKUPS_KEPT`, the nightly timer's value)",
        "after writing into a folder, only the newest N backups named `safety-*.zip` there are kept",
    ),
    Setting(
        "backups listed",
        "`analytics.settings.BACKUPS_SHOWN`",
        f"{BACKUPS_SHOWN}",
        "the newest backups the 数据导入 page lists",
    ),
    Setting(
        "server port",
        "`python -m analytics serve --port`",
        f"{SERVER_PORT}",
        "the port the dashboard listens on (`--host` changes the address below)",
    ),
    Setting(
        "anonymous viewing",
        f"`{ANONYMOUS_ENV}` environment variable",
        "on (`1`)",
        "a visitor who has not logged in sees the leader and analysis pages (the meeting room's projector); "
        "`0` asks everyone to log in first",
    ),
    Setting(
        "initial admin password",
        "the file beside the database, `analytics.settings.INITIAL_PASSWORD_SUFFIX`",
        f"`data/safety.duckdb{INITIAL_PASSWORD_SUFFIX}`",
        "the first start (no account yet) creates `admin` with a random password, prints it once and writes it "
        "here, readable by the owner only (mode 600); it must be changed at the first login",
    ),
    Setting(
        "initial admin password of a server store",
        f"`{PASSWORD_DIR_ENV}` environment variable",
        "`data/`",
        "the folder where the first start on a `postgresql://` database writes that file, named "
        "`postgresql-HOST-PORT-DB.admin-password`",
    ),
    Setting(
        "password rule",
        "`analytics.settings.PASSWORD_MIN_LENGTH`, `PASSWORD_MIN_CLASSES`",
        f"{PASSWORD_MIN_LENGTH} characters, {PASSWORD_MIN_CLASSES} kinds",
        "a new password has at least this many characters, of at least this many of the four kinds "
        "(lower case, upper case, digits, other), and does not contain the account name",
    ),
    Setting(
        "login lockout",
        "`analytics.settings.LOCKOUT_FAILURES`, `LOCKOUT_MINUTES`",
        f"{LOCKOUT_FAILURES} failures in {LOCKOUT_MINUTES} min",
        "after this many failed logins of one account within the window, it refuses every login until "
        "the window holds fewer",
    ),
    Setting(
        "session length",
        "`analytics.settings.SESSION_HOURS`",
        f"{SESSION_HOURS} h",
        "a login's cookie (HttpOnly, signed, backed by a session the logout ends) expires after this long",
    ),
    Setting(
        "lock wait",
        "`analytics.settings.LOCK_WAIT_SECONDS`",
        f"{LOCK_WAIT_SECONDS:g} s",
        "how long a connection waits out another process holding the database file",
    ),
    Setting(
        "errors listed per file",
        "`analytics.settings.MAX_ERRORS_PER_FILE`",
        f"{MAX_ERRORS_PER_FILE}",
        "a rejected file lists this many problems, then says how many more there are",
    ),
    Setting(
        "header search",
        "`analytics.settings.HEADER_SCAN_ROWS`",
        f"{HEADER_SCAN_ROWS} rows",
        "how far down a file the import looks for the header row (title rows above it are skipped)",
    ),
    Setting(
        "characters per cell",
        "`analytics.settings.MAX_CELL_CHARS`",
        f"{MAX_CELL_CHARS:,}",
        "a longer cell is an error (Excel's own cell limit); control characters other than tab and line break are refused",
    ),
    Setting(
        "workbook rows and columns",
        "`analytics.settings.MAX_SHEET_ROWS`, `MAX_SHEET_COLUMNS`, `MAX_SHEET_CELLS`",
        f"{MAX_SHEET_ROWS:,} rows, {MAX_SHEET_COLUMNS} columns, {MAX_SHEET_CELLS:,} cells",
        "a sheet declaring or using more (its `<dimension>` or its last cell, counted from A1) is refused before parsing",
    ),
    Setting(
        "workbook inflated size",
        "`analytics.settings.MAX_INFLATED_MB`, `MAX_COMPRESSION_RATIO`, `RATIO_CHECK_MB`, `MAX_WORKBOOK_PARTS`",
        f"{MAX_INFLATED_MB:,} MB, {MAX_COMPRESSION_RATIO}:1 (parts over {RATIO_CHECK_MB} MB), {MAX_WORKBOOK_PARTS:,} parts",
        "what an `.xlsx`/`.ods` zip may inflate to in all, and how well one part may compress (a zip bomb is refused); "
        "the bytes actually inflated are counted, not the sizes the zip declares",
    ),
    Setting(
        "workbook reader limits",
        "`analytics.settings.READER_MEMORY_MB`, `READER_TIME_SECONDS`",
        f"{READER_MEMORY_MB:,} MB address space, {READER_TIME_SECONDS:g} s",
        "a workbook is parsed in a child process with this memory limit (`RLIMIT_AS`; Windows has none, "
        "only the time limit) and time limit; a reader crash or blow-up ends the child only and is a Chinese message",
    ),
    Setting(
        "import memory",
        "`analytics.settings.IMPORT_MEMORY_MB`",
        f"{IMPORT_MEMORY_MB} MB",
        "DuckDB's memory limit while an import (or its preview) stages and compares the file; beyond it DuckDB spills to a temporary file",
    ),
    Setting(
        "template drop-down rows",
        "`analytics.settings.TEMPLATE_VALIDATED_ROWS`",
        f"{TEMPLATE_VALIDATED_ROWS} rows",
        "rows below the header of an Excel template that carry drop-down lists",
    ),
    Setting(
        "import history shown",
        "`analytics.settings.IMPORT_HISTORY_SHOWN`",
        f"{IMPORT_HISTORY_SHOWN} batches",
        "batches listed on the 数据导入 page (all of them: `python -m analytics status`)",
    ),
    Setting(
        "meeting-mode step",
        "`analytics.settings.MEETING_MIN_CYCLE_SECONDS`",
        f"at least {MEETING_MIN_CYCLE_SECONDS} s",
        "the shortest `&cycle=` the meeting mode accepts between leader pages",
    ),
    Setting(
        "upload size limit",
        "`.streamlit/config.toml` `server.maxUploadSize`",
        f"{UPLOAD_LIMIT_MB} MB",
        "the largest file the 数据导入 page accepts",
    ),
    Setting(
        "listening address",
        "`.streamlit/config.toml` `server.address` (or `--server.address` when starting)",
        f"`{SERVER_ADDRESS}`",
        "the server answers only this machine; the office reaches it through nginx in front",
    ),
    Setting(
        "error details",
        "`.streamlit/config.toml` `client.showErrorDetails`, `client.showErrorLinks`",
        "`none`, off",
        "a visitor sees a generic error, no traceback or server path and no links to outside search sites",
    ),
    Setting(
        "usage statistics",
        "`.streamlit/config.toml` `browser.gatherUsageStats`",
        "off",
        "the app makes no outside requests",
    ),
)


def markdown_table() -> str:
    """README's settings table."""
    lines = ["| setting | where | default | meaning |", "|---|---|---|---|"]
    lines += [f"| {s.what} | {s.where} | {s.default} | {s.meaning} |" for s in SETTINGS]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table())
