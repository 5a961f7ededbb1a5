"""A throwaway PostgreSQL 15 server in a temporary folder, for the tests and the benchmark.

`LocalServer().start()` runs Debian's `initdb` and `pg_ctl` (from /usr/lib/postgresql/15/bin, or
the folder given as `bin_dir`) as the `postgres` OS user when running as root (PostgreSQL refuses root), else as
the current user. The cluster listens on 127.0.0.1 only, on a free port, with its unix socket in the
same folder, and trusts loopback connections (no password: nothing outside this machine can reach
it). `create_database()` makes a fresh empty database owned by the unprivileged role `safety` (the
role the dashboard connects as: it needs no superuser rights) and returns its URL. `stop()` stops the
server and deletes the folder.

Run `python -m scripts.pg_local` to start one by hand: it prints a database URL and waits for Enter.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")
SUPERUSER = "postgres"
APP_ROLE = "safety"
START_SECONDS = 60


class Unavailable(RuntimeError):
    """The PostgreSQL binaries are missing or the server would not start; the message says why."""


def binaries_missing(bin_dir: Path = BIN) -> str | None:
    """Why no local server can be started (the missing programs), or None when it can."""
    missing = [name for name in ("initdb", "pg_ctl", "psql") if not (bin_dir / name).is_file()]
    if missing:
        return (
            f"PostgreSQL 15 programs missing in {bin_dir}: {', '.join(missing)} "
            "(install the Debian package `postgresql`)"
        )
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalServer:
    """One PostgreSQL cluster in a temporary folder; see the module docstring."""

    def __init__(self, bin_dir: Path = BIN) -> None:
        self.bin = Path(bin_dir)
        self.folder: Path | None = None
        self.port: int | None = None
        self._owner: pwd.struct_passwd | None = None

    # -- running programs as the cluster's owner ---------------------------------------------------

    def _run(self, *args: str | os.PathLike, check: bool = True, input: str | None = None):
        user = {}
        if self._owner is not None:
            user = {"user": self._owner.pw_uid, "group": self._owner.pw_gid, "extra_groups": []}
        result = subprocess.run(
            [str(a) for a in args],
            capture_output=True,
            text=True,
            cwd=self.folder,
            input=input,
            **user,
        )
        if check and result.returncode != 0:
            raise Unavailable(
                f"{Path(str(args[0])).name} failed ({result.returncode}): {result.stderr.strip()}"
            )
        return result

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run SQL as the superuser over the unix socket; the output (tuples only)."""
        result = self._run(
            self.bin / "psql",
            "-X",
            "-q",
            "-t",
            "-A",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            self.folder,
            "-p",
            str(self.port),
            "-U",
            SUPERUSER,
            "-d",
            database,
            "-c",
            sql,
        )
        return result.stdout.strip()

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> LocalServer:
        reason = binaries_missing(self.bin)
        if reason:
            raise Unavailable(reason)
        if os.geteuid() == 0:
            try:
                self._owner = pwd.getpwnam("postgres")
            except KeyError as missing:
                raise Unavailable(
                    "running as root, but there is no `postgres` OS user to run PostgreSQL"
                ) from missing
        self.folder = Path(tempfile.mkdtemp(prefix="safety-pg-"))
        try:
            if self._owner is not None:
                os.chown(self.folder, self._owner.pw_uid, self._owner.pw_gid)
            data = self.folder / "data"
            self._run(
                self.bin / "initdb",
                "-D",
                data,
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-instructions",
            )
            # Loopback and the socket only; every other address is refused by listen_addresses.
            (data / "pg_hba.conf").write_text(
                "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n"
            )
            self._launch(data)
            self.psql(f"CREATE ROLE {APP_ROLE} LOGIN")
        except BaseException:
            self.stop()
            raise
        return self

    def _launch(self, data: Path) -> None:
        for _attempt in range(5):  # a free port can be taken between probing it and binding it
            self.port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.folder} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
                "-c timezone=UTC"
            )
            result = self._run(
                self.bin / "pg_ctl",
                "-D",
                data,
                "-l",
                self.folder / "server.log",
                "-o",
                options,
                "-w",
                "-t",
                str(START_SECONDS),
                "start",
                check=False,
            )
            if result.returncode == 0:
                return
            log = (self.folder / "server.log").read_text(errors="replace") if self.folder else ""
            if "could not bind" not in log and "Address already in use" not in log:
                raise Unavailable(f"pg_ctl start failed: {result.stderr.strip()}\n{log[-2000:]}")
        raise Unavailable("pg_ctl start failed: no free port after five attempts")

    def stop(self) -> None:
        """Stop the server (immediately: it holds only throwaway data) and delete its folder."""
        if self.folder is None:
            return
        data = self.folder / "data"
        if (data / "postmaster.pid").exists():
            self._run(self.bin / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- databases ---------------------------------------------------------------------------------

    def url(self, database: str, user: str = APP_ROLE) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "t", template: str = "template0") -> str:
        """A new database (unique name, owned by the app role) copied from `template`; its URL."""
        name = f"{_identifier(prefix)}_{uuid.uuid4().hex[:12]}"
        self.psql(f'CREATE DATABASE "{name}" OWNER {APP_ROLE} TEMPLATE "{template}"')
        return self.url(name)

    def copy_database(self, url: str, prefix: str = "copy") -> str:
        """A new database with the contents of the one at `url` (which must have no open connections)."""
        source = url.rsplit("/", 1)[1]
        for _attempt in range(50):
            try:
                return self.create_database(prefix, template=source)
            except Unavailable as busy:  # a connection of the test that just closed may still be ending
                if "is being accessed by other users" not in str(busy):
                    raise
                time.sleep(0.1)
        return self.create_database(prefix, template=source)

    def drop_database(self, url: str) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def _identifier(text: str) -> str:
    """A lower-case ASCII identifier from a test's name (the rest of the name is a random suffix)."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c == "_") else "_" for c in text.lower())
    return (cleaned.strip("_") or "db")[:40]


def main() -> int:
    with LocalServer() as server:
        print(server.create_database("manual"), flush=True)
        input("PostgreSQL is running; press Enter to stop it and delete its folder.\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
