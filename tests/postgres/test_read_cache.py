"""The local copy of one plan's rows the engine reads on PostgreSQL (kpi/db/read_cache.py): served without the
server's tables, fresh after a write from any connection, never holding what a transaction did not commit.

A real throw-away PostgreSQL server (tests/pg_server.py) and the small plan of tests/app/conftest.py, whose Quý I
figures are worked by hand there: CT01 (45 + 50) / (50 + 50) = 95,0%.
"""
from __future__ import annotations

import pytest

from kpi import db, engine
from kpi.db import read_cache
from kpi.excel import upload
from kpi.periods import parse_period
from kpi.scope import Scope
from tests import backend
from tests.app.conftest import SMALL_PLAN, build_small
from tests.helpers import TEST_ACTOR
from tests.postgres.test_postgres import Q2, filled_report

Q1 = Scope(SMALL_PLAN, parse_period("2023-Q1"))
H1 = Scope(SMALL_PLAN, parse_period("2023-H1"))


@pytest.fixture(scope="module")
def server():
    return backend.server()


@pytest.fixture
def small(server) -> str:
    url = server.create()
    build_small(url)
    read_cache.forget()
    return url


def ct01(con, scope: Scope) -> float | None:
    rows = engine.attainment(con, scope, by="target")
    value = rows.loc[rows["code"] == "CT01", "actual"].iloc[0]
    return None if value != value else float(value)  # NaN: no figures


def test_a_second_read_is_served_without_reading_the_server_tables(server, small):
    con = db.connect(small)
    try:
        assert ct01(con, Q1) == pytest.approx(0.95)  # (45 + 50) / (50 + 50)
        # With the figures' table out of the server's reach, a read that went to the server would fail;
        # the copy made above answers, with the same figure. DDL does not bump the write counter.
        server.sql("ALTER TABLE actual RENAME TO actual_away", backend.database_name(small))
        try:
            assert ct01(con, Q1) == pytest.approx(0.95)
            assert engine.overview(con, Q1)["area"]["targets"].sum() == 3  # CT01, CT02, CT03
        finally:
            server.sql("ALTER TABLE actual_away RENAME TO actual", backend.database_name(small))
    finally:
        con.close()


def test_a_write_from_another_connection_is_seen_on_the_next_read(small, tmp_path):
    reader, writer = db.connect(small), db.connect(small)
    try:
        before = ct01(reader, H1)  # 6 months: A and B have sent Quý I only; the copy is made here
        report = filled_report(small, tmp_path, "a-q2", 50)  # A, Quý II: CT01 50/50
        outcome = upload.submit(writer, report, actor=TEST_ACTOR, plan=SMALL_PLAN, unit="A", period=Q2,
                                confirmed=True)
        assert outcome.status == "applied"
        # 6 months: (45 + 50 + 50) / (50 + 50 + 50) = 145/150 = 96,67% — A's Quý II added to both Quý I reports
        assert before == pytest.approx(0.95)
        assert ct01(reader, H1) == pytest.approx(145 / 150)
    finally:
        reader.close()
        writer.close()


def test_rows_replaced_under_the_same_counter_value_are_seen(server, small):
    """What a restore in place does: other rows, and the write counter's row written again with the value a
    copy was tagged with. The copy must not be served (the row's writing transaction differs)."""
    con = db.connect(small)
    name = backend.database_name(small)
    try:
        assert ct01(con, Q1) == pytest.approx(0.95)
        taken = server.sql("SELECT taken FROM write_lock WHERE id = 1", name)[0][0]
        server.sql("UPDATE actual SET numerator = 5 WHERE target_code = 'CT01' AND numerator = 45", name)
        server.sql(f"DELETE FROM write_lock; INSERT INTO write_lock VALUES (1, {int(taken)})", name)
        assert ct01(con, Q1) == pytest.approx(0.55)  # (5 + 50) / (50 + 50)
    finally:
        con.close()


def test_a_read_inside_a_transaction_sees_its_own_rows_and_leaves_no_copy_of_them(small):
    con = db.connect(small)
    try:
        assert ct01(con, Q1) == pytest.approx(0.95)
        with pytest.raises(RuntimeError, match="bỏ dở"):
            with db.transaction(con, action=None):
                con.execute("UPDATE actual SET numerator = 5 WHERE target_code = 'CT01' AND numerator = 45")
                assert ct01(con, Q1) == pytest.approx(0.55)  # (5 + 50) / 100, not yet committed
                raise RuntimeError("bỏ dở")  # rolled back
        assert ct01(con, Q1) == pytest.approx(0.95)  # neither the rolled-back figure nor a copy of it
    finally:
        con.close()


def test_the_embedded_file_is_read_directly(tmp_path):
    if backend.ON_POSTGRES:
        pytest.skip("needs an embedded DuckDB file; this run's databases are PostgreSQL ones")
    path = build_small(tmp_path / "small.duckdb")
    con = db.connect(path)
    try:
        assert read_cache.for_plan(con, SMALL_PLAN) is con
    finally:
        con.close()
