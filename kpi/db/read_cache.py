"""One plan's rows, copied from PostgreSQL into a local in-memory DuckDB, for the engine's one-plan reads.

Why: through the `postgres` extension every table a query names is a round trip to the server (one COPY per
scan). The engine's one-plan queries name ten to twenty-five tables, so on PostgreSQL they cost 0,3–0,4 s of
waiting even when a few thousand rows come back; sending the plan filter to the server
(kpi/engine/attainment.py `_Plans`) trims the rows, not the round trips (docs/performance.md «PostgreSQL»).
Here the plan's rows come over once per change, in one snapshot, and every read until the next change runs
locally at the embedded file's speed.

Fresh by construction: every write transaction bumps `write_lock.taken` (kpi/db/connection.py
`_begin_writing`), whichever process or server makes it, and so rewrites that row. A copy is tagged with the
counter and the id of the transaction that wrote the row, read before its rows,
and is used only while the counter still reads the same: a write landing during the copy can only make the copy
newer than its tag, and the next read copies again. Inside a transaction
the caller's own connection is used as it is: it may hold rows that are not committed yet, which must neither
be missed nor kept.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, TypeVar

import duckdb
import pandas as pd

from kpi.db import connection, postgres

# What the engine reads (kpi/engine), and which rows of it belong to one plan. Views are copied as the rows
# they give for the plan (evaluated on the server), so the engine's SQL runs unchanged on the copy.
_PLAN_ROWS = "plan_id = $plan"
_RELATIONS: tuple[tuple[str, str | None], ...] = (
    ("plan", "id = $plan"),
    ("organisation", "id = $org"),
    ("unit", "org_id = $org"),
    ("area", None),
    ("period_kind", None),
    ("submission", _PLAN_ROWS),
    ("actual", _PLAN_ROWS),
    ("target", _PLAN_ROWS),
    ("target_conflict", _PLAN_ROWS),
    ("target_reporter", _PLAN_ROWS),
    ("task", _PLAN_ROWS),
    ("task_reporter", _PLAN_ROWS),
    ("current_task_progress", _PLAN_ROWS),
)
# The write counter, and the transaction that wrote its row (PostgreSQL's `xmin`): a database restored in place
# may bring back a counter value a copy was tagged with, never the transaction id that wrote it.
_CHANGES = (f"SELECT * FROM postgres_query('{postgres.CATALOG}', "
            "'SELECT taken, xmin::text AS written_by FROM write_lock WHERE id = 1')")
MAX_PLANS = 16  # copies kept per process (least recently used first out): one plan is a few MB at most


@dataclass
class _Copy:
    changes: tuple
    local: duckdb.DuckDBPyConnection


_copies: OrderedDict[tuple[str, str], _Copy] = OrderedDict()
_lock = threading.Lock()


def for_plan(con: duckdb.DuckDBPyConnection, plan_id: str) -> duckdb.DuckDBPyConnection:
    """A connection to read `plan_id` through: `con` itself on the embedded file or inside a transaction; on
    PostgreSQL a cursor on a local copy of the plan's rows, as fresh as the last committed write."""
    if not postgres.is_postgres(con) or postgres.in_transaction(con):
        return con  # in the caller's transaction its uncommitted rows must be read, and never be kept
    con.execute("BEGIN TRANSACTION")  # the counter and the rows through one PostgreSQL connection
    try:
        return _current(con, plan_id).cursor()
    finally:
        con.execute("ROLLBACK")  # read only


def _current(con, plan_id: str) -> duckdb.DuckDBPyConnection:
    key = (_database(con), plan_id)
    changes = con.execute(_CHANGES).fetchone()
    with _lock:  # one copy at a time: two sessions opening the same plan copy it once
        copy = _copies.get(key)
        if copy is None or copy.changes != changes:
            copy = _copies[key] = _Copy(changes, _copied(con, plan_id))
        _copies.move_to_end(key)
        while len(_copies) > MAX_PLANS:
            _copies.popitem(last=False)
        return copy.local


def _database(con) -> str:
    """The attached server and database (kept in this process's memory only, never shown or logged)."""
    return con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]


def _copied(con, plan_id: str) -> duckdb.DuckDBPyConnection:
    org = con.execute("SELECT org_id FROM plan WHERE id = ?", [plan_id]).fetchone()
    params = {"plan": plan_id, "org": org[0] if org else None}
    local = connection.connect(":memory:", migrate=False)  # the copied relations are its whole schema
    for name, rows in _RELATIONS:
        sql = f"SELECT * FROM {name}" + (f" WHERE {rows}" if rows else "")
        batch = con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql}).to_arrow_table()
        local.register("incoming", batch)
        local.execute(f"CREATE TABLE {name} AS SELECT * FROM incoming")
        local.unregister("incoming")
    return local


def forget(*, copies: bool = True) -> None:
    """Drop every remembered result and, unless `copies=False`, every copy (tests, benchmarks)."""
    with _lock:
        if copies:
            _copies.clear()
        _results.clear()


# ---- results remembered per data version
# A page is drawn again on every click (Streamlit reruns the script), and a leader moves between a few periods:
# the engine's figures for a scope are a function of the committed rows and the scope alone, so they are kept,
# tagged with the version of the rows they were computed from, and given again while that version holds. The
# version is the write counter every write transaction bumps (kpi/db/connection.py `_begin_writing`), with, on
# PostgreSQL, the transaction that wrote it (see `_CHANGES`). No tag, no keeping: inside a transaction (its own
# uncommitted rows), on an in-memory database (no identity: tests open many in one process), or on a database
# older than the counter.
MAX_RESULTS = 64  # results kept per process, all of the current version (older versions are dropped at once)
_results: OrderedDict[tuple, object] = OrderedDict()
Result = TypeVar("Result")


def data_version(con: duckdb.DuckDBPyConnection) -> tuple | None:
    """A tag that changes with every committed write to the database `con` reads; None where none can be trusted."""
    database, kind = con.execute("SELECT path, type FROM duckdb_databases() "
                                "WHERE database_name = current_database()").fetchone()
    if connection.in_transaction(con):
        return None
    if kind == "postgres":
        con.execute("BEGIN TRANSACTION")  # the counter and its row's writer from one snapshot
        try:
            return (database,) + tuple(con.execute(_CHANGES).fetchone())
        except duckdb.Error:
            return None  # a database older than the counter (opened without migrating): nothing kept
        finally:
            con.execute("ROLLBACK")
    if not database or database == ":memory:":
        return None
    try:
        row = con.execute("SELECT taken FROM write_lock WHERE id = 1").fetchone()
    except duckdb.CatalogException:
        return None
    return (database, row[0]) if row else None


def remembered(con: duckdb.DuckDBPyConnection, key: tuple, compute: Callable[[], Result]) -> Result:
    """`compute()`, or what it gave for `key` at the database's current version. The caller gets its own copy
    (pages add columns to the frames they are given)."""
    version = data_version(con)
    if version is None:
        return compute()
    entry = (version, key)
    with _lock:
        kept = _results.get(entry)
        if kept is not None:
            _results.move_to_end(entry)
            return _own_copy(kept)
    value = compute()
    with _lock:
        for stale in [e for e in _results if e[0][0] == version[0] and e[0] != version]:
            del _results[stale]  # the same database at an older version: never asked for again
        _results[entry] = _own_copy(value)
        while len(_results) > MAX_RESULTS:
            _results.popitem(last=False)
    return value


def _own_copy(value):
    if isinstance(value, pd.DataFrame):
        return value.copy(deep=True)
    if isinstance(value, dict):
        return {k: _own_copy(v) for k, v in value.items()}
    if isinstance(value, (set, list)):
        return type(value)(_own_copy(v) for v in value)
    return value  # numbers, strings, None, frozen values
