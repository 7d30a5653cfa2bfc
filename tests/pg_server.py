"""A throw-away PostgreSQL server on a loopback port, for the tests (Debian's postgresql package, which
`make test` installs). `KPI_TEST_POSTGRES=postgresql://user@host:port/postgres` uses a running server
instead (its user must be allowed to create databases and roles).

initdb refuses to run as root, so as root the server runs as the `postgres` system user (made by the
Debian package) in a folder it owns.
"""
from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path


SUPERUSER = "kpi_admin"
SUPERUSER_PASSWORD = "kpi-test-admin"  # a throw-away server on loopback; passwords are checked (scram)


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: make test installs Debian's postgresql package")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PgServer:
    """One server; databases are made from templates so that each test starts from a known state fast."""

    def __init__(self, admin_url: str, folder: Path | None = None, as_user: str | None = None):
        self.admin_url = admin_url
        self.folder = folder
        self.as_user = as_user

    # ---- lifecycle
    @classmethod
    def start(cls) -> "PgServer":
        if os.environ.get("KPI_TEST_POSTGRES"):
            return cls(os.environ["KPI_TEST_POSTGRES"])
        bin_dir = _binaries()
        folder = Path(tempfile.mkdtemp(prefix="kpi-pg-"))
        as_user = "postgres" if os.geteuid() == 0 else None
        if as_user:
            shutil.chown(folder, as_user)
        port = _free_port()
        server = cls(f"postgresql://{SUPERUSER}:{SUPERUSER_PASSWORD}@127.0.0.1:{port}/postgres", folder, as_user)
        password_file = folder / "password"
        password_file.write_text(SUPERUSER_PASSWORD + "\n")
        if as_user:
            shutil.chown(password_file, as_user)
        server._run([str(bin_dir / "initdb"), "-D", str(folder / "data"), "--auth-local=trust",
                     "--auth-host=scram-sha-256", f"--pwfile={password_file}", "-E", "UTF8", "--locale=C.UTF-8",
                     "-U", SUPERUSER])
        server.port = port
        server.bin_dir = bin_dir
        server.resume()
        return server

    def _run(self, command: list[str], check: bool = True) -> subprocess.CompletedProcess:
        if self.as_user:
            command = ["runuser", "-u", self.as_user, "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def resume(self) -> None:
        """Start (or start again after `halt`) and wait until it answers."""
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off " \
                  f"-c max_connections=200"
        self._run([str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-o", options,
                   "-l", str(self.folder / "server.log"), "-w", "start"])

    def halt(self, mode: str = "fast") -> None:
        self._run([str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", mode, "-w", "stop"],
                  check=False)

    def stop(self) -> None:
        if self.folder is None:
            return
        self.halt("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    # ---- databases
    def url(self, database: str, user: str | None = None, password: str | None = None) -> str:
        """The URL of `database` on this server, as `user` (the superuser by default)."""
        parts = urllib.parse.urlsplit(self.admin_url)
        if user is None:
            user, password = parts.username, parts.password
        auth = f"{user}:{password}@" if password else f"{user}@"
        return f"postgresql://{auth}{parts.hostname}:{parts.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> list[list[str]]:
        """Run one statement on the server itself with psql (not through the product), as the superuser;
        the rows as text."""
        done = subprocess.run([self._psql(), self.url(database), "-v", "ON_ERROR_STOP=1", "-qAt", "-F", "\t",
                               "-c", statement], capture_output=True, text=True, timeout=60)
        if done.returncode:
            raise RuntimeError(done.stderr.strip())
        return [line.split("\t") for line in done.stdout.splitlines()]

    def _psql(self) -> str:
        local = getattr(self, "bin_dir", None)
        return str(local / "psql") if local and (local / "psql").exists() else "psql"

    def create(self, template: str | None = None, name: str | None = None) -> str:
        """A new database (a copy of `template` when given); returns its URL."""
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        copy = f" TEMPLATE {template}" if template else ""
        for attempt in range(50):  # a template still in use by a closing connection: wait for it
            try:
                self.sql(f"CREATE DATABASE {name}{copy}")
                break
            except RuntimeError as exc:
                if "being accessed by other users" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.1)
        return self.url(name)

    def drop(self, url: str) -> None:
        name = urllib.parse.urlsplit(url).path.lstrip("/")
        with contextlib.suppress(RuntimeError):
            self.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
