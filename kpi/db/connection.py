"""Owns the connection to the database: nothing else in the project calls `duckdb.connect`.

Two backends, one dialect. The default is an embedded DuckDB file; `KPI_DATABASE=postgresql://…` (or the
same key in `.streamlit/secrets.toml`) names a PostgreSQL database instead, attached through DuckDB's
`postgres` extension (kpi/db/postgres.py), so every query in kpi/ runs unchanged on either.

DuckDB lets one process hold a file read-write, and while it does, no other process can
open it at all. The dashboard holds it while it runs, so the command line turns the lock
error into `DatabaseBusy` with a Vietnamese message instead of a traceback. PostgreSQL has no such limit:
there, writers from several processes are put in one order by the `write_lock` row (`transaction`).
"""
from __future__ import annotations

import contextlib
import os
import random
import re
import threading
import time
import tomllib
from pathlib import Path

import duckdb

from kpi.db import durability, postgres
from kpi.problems import KpiError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE = PROJECT_ROOT / "data" / "cchc.duckdb"
ENV_DATABASE = "KPI_DATABASE"


class DatabaseBusy(KpiError):
    def __init__(self, path: str, pid: str | None = None):
        super().__init__("database_busy", path=path, pid=pid or "?")


SECRETS_FILES = (PROJECT_ROOT / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml")


def database_path(explicit: str | os.PathLike | None = None) -> str:
    """`--db` beats `KPI_DATABASE` beats `KPI_DATABASE` in `.streamlit/secrets.toml` beats `data/cchc.duckdb`.
    A file path, ":memory:", or a `postgresql://` URL."""
    chosen = explicit or os.environ.get(ENV_DATABASE) or _from_secrets() or DEFAULT_DATABASE
    return str(chosen)


def _from_secrets() -> str | None:
    """The key as Streamlit's secrets file holds it (read here: kpi/ never imports Streamlit)."""
    for file in SECRETS_FILES:
        try:
            value = tomllib.loads(file.read_text(encoding="utf-8")).get(ENV_DATABASE)
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if value:
            return str(value)
    return None


def is_postgres_target(target: str | os.PathLike | None) -> bool:
    return postgres.is_url(str(target) if target is not None else None)


def connect(path: str | os.PathLike | None = None, *, migrate: bool = True) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database and bring its schema up to date."""
    from kpi.db import schema  # late: schema imports this module's helpers

    target = database_path(path)
    if postgres.is_url(target):
        con = duckdb.connect(":memory:", config=_settings())
        try:
            postgres.attach(con, target)
        except BaseException:
            con.close()
            raise
        con.execute("SET enable_progress_bar = false")
        if migrate:
            schema.migrate(con)
        return con
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
    _begin_writing(con)
    try:
        yield con
        seq = durability.journal_write(con, action, detail) if action else None
    except BaseException:
        con.execute("ROLLBACK")
        raise
    else:
        con.execute("COMMIT")
        durability.acknowledge(con, seq, action, detail)


# ---- writers in one order
# Every write transaction first bumps the single `write_lock` row (migration 14). A second writer — another
# thread, another dashboard process, the command line on PostgreSQL — collides on that row at once, before
# doing any work: PostgreSQL (REPEATABLE READ, as the extension runs it) answers "could not serialize access",
# DuckDB "Conflict on update" (on PostgreSQL the row is first taken with FOR UPDATE NOWAIT, so a writer
# never sits waiting behind another). It rolls back, waits a little and begins again with a fresh snapshot that holds
# the first writer's commit, so two uploads for one slot never interleave and an approval racing an upload
# sees the upload's outcome (or the other way round). Readers never wait.
WRITE_ATTEMPTS = 60
WRITE_WAIT_SECONDS = (0.02, 0.5)  # first wait, longest wait (doubling, jittered): ~25 s in all
_CONFLICT = re.compile(r"could not serialize access|could not obtain lock|conflict on update|deadlock detected|"
                       r"conflict on tuple deletion|write-write conflict", re.I)


class DatabaseContended(KpiError):
    def __init__(self, attempts: int):
        super().__init__("database_contended", attempts=attempts)


def is_conflict(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.Error) and bool(_CONFLICT.search(str(exc)))


def in_transaction(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether `con` is inside an explicit transaction: there its statements share one transaction id, outside
    each statement is its own. Asks nothing that could abort the caller's transaction."""
    if postgres.is_postgres(con):
        return postgres.in_transaction(con)  # asked of the in-memory catalogue (see there)
    first = con.execute("SELECT txid_current()").fetchone()[0]
    return con.execute("SELECT txid_current()").fetchone()[0] == first


def _has_write_lock(con) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = current_schema() AND table_name = 'write_lock'").fetchone()[0])


def _begin_writing(con) -> None:
    """BEGIN, then take the write lock; on a collision roll back and try again, a bounded number of times."""
    wait = WRITE_WAIT_SECONDS[0]
    for _ in range(WRITE_ATTEMPTS):
        con.execute("BEGIN TRANSACTION")
        try:
            if _has_write_lock(con):
                if postgres.is_postgres(con):
                    postgres.lock_row_now(con)  # PostgreSQL would wait for the row; NOWAIT fails at once
                con.execute("UPDATE write_lock SET taken = taken + 1 WHERE id = 1")
            return
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            if not is_conflict(exc):
                raise
        time.sleep(wait * random.uniform(0.5, 1.0))
        wait = min(wait * 2, WRITE_WAIT_SECONDS[1])
    raise DatabaseContended(WRITE_ATTEMPTS)


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
        con = _shared.get(target)
        if con is not None and postgres.is_url(target) and not postgres.alive(con):
            # the server restarted or the network dropped the idle connection: open afresh for this request
            with contextlib.suppress(Exception):
                con.close()
            con = None
        if con is None:
            con = _shared[target] = (opener or connect)(target)
        return con


def cursor(path: str | os.PathLike | None = None, opener=None) -> duckdb.DuckDBPyConnection:
    """A cursor of the process-wide connection for one request or script run. A DuckDB cursor starts in the
    instance's default catalogue, not the one `USE` chose on the connection, so on PostgreSQL it is pointed
    at the attached database again."""
    return cursor_of(shared(path, opener))


def cursor_of(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A new cursor of `con` (one per thread), reading the same database as `con`. Only the new cursor is asked
    anything: `con` itself may be running another thread's statement."""
    own = con.cursor()
    if postgres.is_attached(own):
        own.execute(f"USE {postgres.CATALOG}")
    return own


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
