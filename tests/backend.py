"""Which database the tests run on: the embedded DuckDB file (default) or PostgreSQL
(`KPI_TEST_BACKEND=postgres`, a throw-away server started on first use: tests/pg_server.py).

Fixtures and helpers ask here for a new database rather than naming a file, so the same tests run on both
backends (`make test` runs the database-facing suites on each: PG_SUITES in the Makefile). A PostgreSQL database is
made from a template in one statement, as cheap as copying a small file.
"""
from __future__ import annotations

import atexit
import os
import shutil
import urllib.parse
from pathlib import Path

import pytest

ON_POSTGRES = os.environ.get("KPI_TEST_BACKEND", "duckdb") == "postgres"
FILE_ONLY = pytest.mark.skipif(ON_POSTGRES, reason="about the embedded DuckDB file itself (its lock, WAL, "
                                                   "ledger or bytes); PostgreSQL has no such file")
_server = None


def server():
    """The tests' PostgreSQL server, started once per test process and stopped when it ends."""
    global _server
    if _server is None:
        from tests.pg_server import PgServer
        _server = PgServer.start()
        atexit.register(_server.stop)
    return _server


def new_database(folder: Path | None = None, name: str = "scratch.duckdb") -> str:
    """An empty database: a PostgreSQL database, or a DuckDB file in `folder` (in memory without one)."""
    if ON_POSTGRES:
        return server().create()
    return str(Path(folder) / name) if folder is not None else ":memory:"


def copy_database(source: str | Path, folder: Path, name: str) -> str | Path:
    """A copy of a database the test may write: a new PostgreSQL database from `source` as template, or a
    copy of the DuckDB file."""
    if ON_POSTGRES:
        return server().create(template=database_name(str(source)))
    target = Path(folder) / name
    shutil.copy(source, target)
    return target


def database_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")
