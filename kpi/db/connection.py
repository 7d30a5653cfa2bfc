"""Owns the DuckDB file: nothing else in the project calls `duckdb.connect`.

DuckDB lets one process hold a file read-write, and while it does, no other process can
open it at all. The dashboard holds it while it runs, so the command line turns the lock
error into `DatabaseBusy` with a Vietnamese message instead of a traceback.
"""
from __future__ import annotations

import contextlib
import os
import re
import threading
from pathlib import Path

import duckdb

from kpi.db import durability
from kpi.problems import KpiError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE = PROJECT_ROOT / "data" / "cchc.duckdb"
ENV_DATABASE = "KPI_DATABASE"


class DatabaseBusy(KpiError):
    def __init__(self, path: str, pid: str | None = None):
        super().__init__("database_busy", path=path, pid=pid or "?")


def database_path(explicit: str | os.PathLike | None = None) -> str:
    """`--db` beats `KPI_DATABASE` beats `data/cchc.duckdb`; ":memory:" is allowed."""
    chosen = explicit or os.environ.get(ENV_DATABASE) or DEFAULT_DATABASE
    return str(chosen)


def connect(path: str | os.PathLike | None = None, *, migrate: bool = True) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database and bring its schema up to date."""
    from kpi.db import schema  # late: schema imports this module's helpers

    target = database_path(path)
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        durability.guard(target)  # a WAL or ledger that disagrees with the file stops here, before replay
    try:
        con = duckdb.connect(target, config=_settings())
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            holder = re.search(r"\(PID (\d+)\)", str(exc))  # DuckDB names the process that holds the file
            raise DatabaseBusy(target, holder.group(1) if holder else None) from exc
        raise
    con.execute("SET enable_progress_bar = false")  # a bar on stdout would corrupt CLI output
    if migrate:
        schema.migrate(con)
    if target != ":memory:":
        try:
            durability.verify_ledger(con, target)
        except durability.DatabaseUnsafe:
            con.close()
            raise
    return con


def open_file(path: str | os.PathLike, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A database file opened as it lies: no guard, no migration. Only for kpi/db/durability.py, which
    inspects throw-away copies of the file and its WAL, and repairs the file in `db recover`."""
    return duckdb.connect(str(path), read_only=read_only, config=_settings())


ENV_MEMORY_LIMIT = "KPI_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "1GB"  # DuckDB spills to disk beyond it; its own default is 80% of the machine


def _settings() -> dict:
    return {"memory_limit": os.environ.get(ENV_MEMORY_LIMIT, DEFAULT_MEMORY_LIMIT)}


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection, action: str | None = "write", detail: dict | None = None):
    """All or nothing: commit when the block ends, roll back on any exception.

    `action` names the write in the write journal and, once committed and checkpointed, in the ledger
    (kpi/db/durability.py): only then is it safe to tell a person "đã lưu". `action=None` for what is not a
    product write: audit rows of refused files, migrations."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        seq = durability.journal_write(con, action, detail) if action else None
    except BaseException:
        con.execute("ROLLBACK")
        raise
    else:
        con.execute("COMMIT")
        durability.acknowledge(con, seq, action, detail)


# ---- one connection per process, shared by the dashboard's pages and its sign-in routes (server.py)
# DuckDB lets a process open a file once for writing; a second connect() to the same file in the same process
# would also trip durability.guard (it sees the first connection's write-ahead log as foreign). Everything
# in the web process therefore asks here, and takes its own cursor per request or script run.
_shared: dict[str, duckdb.DuckDBPyConnection] = {}
_shared_lock = threading.Lock()


def shared(path: str | os.PathLike | None = None, opener=None) -> duckdb.DuckDBPyConnection:
    """The process-wide connection to `path` (opened once by `opener`, default `connect`)."""
    target = database_path(path)
    with _shared_lock:
        if target not in _shared:
            _shared[target] = (opener or connect)(target)
        return _shared[target]


def reset_shared(path: str | os.PathLike | None = None) -> None:
    """Forget (and close) the shared connection to `path`, or every one: the next `shared` opens afresh (after
    a failed write or checkpoint the old connection may be unusable)."""
    with _shared_lock:
        targets = [database_path(path)] if path is not None else list(_shared)
        for target in targets:
            con = _shared.pop(target, None)
            if con is not None:
                with contextlib.suppress(Exception):
                    con.close()
