"""The dashboard's cursors on PostgreSQL (found by bench/bench_load.py, issue 17): a bare `con.cursor()` of
the shared connection starts in DuckDB's in-memory catalog, not in the attached server the connection
chose with `USE pg`, so every sign-in and page failed with «Table with name account does not exist».
kpi/db/cursor.py gives each cursor the connection's database."""
from __future__ import annotations

import duckdb
import pytest

from kpi import db
from kpi.db.cursor import cursor
from tests import backend


def test_a_bare_cursor_on_postgres_misses_the_tables_and_ours_finds_them():
    server = backend.server()
    url = server.create()
    con = db.connect(url)
    try:
        with pytest.raises(duckdb.CatalogException, match="account"):
            con.cursor().execute("SELECT count(*) FROM account").fetchone()  # the bug, as DuckDB 1.5.5 has it
        ours = cursor(con)
        assert ours.execute("SELECT count(*) FROM account").fetchone() == (0,)  # migrated, empty: 0 accounts
        assert ours.execute("SELECT current_database()").fetchone() == ("pg",)
    finally:
        con.close()
        server.drop(url)


def test_on_the_embedded_file_the_cursor_reads_the_file(tmp_path):
    con = db.connect(tmp_path / "cchc.duckdb")
    try:
        assert cursor(con).execute("SELECT count(*) FROM account").fetchone() == (0,)  # a new file: 0 accounts
    finally:
        con.close()
