"""A cursor of the process-wide connection that reads the same database as the connection itself.

DuckDB gives a new cursor the default catalog of an in-memory connection, not the one the connection chose
with `USE`: on PostgreSQL (kpi/db/postgres.py attaches the server as `pg` and runs `USE pg`), a bare
`con.cursor()` finds none of the product's tables, and every page and sign-in fails. Seen under load
(bench/bench_load.py, issue 17).
"""
from __future__ import annotations

import duckdb


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    opened = con.cursor()
    attached = opened.execute("SELECT count(*) FROM duckdb_databases() "
                              "WHERE database_name = 'pg' AND type = 'postgres'").fetchone()[0]
    if attached:
        opened.execute("USE pg")  # kpi/db/postgres.py CATALOG
    return opened
