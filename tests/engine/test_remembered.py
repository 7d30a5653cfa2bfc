"""Figures remembered per data version (kpi/db/read_cache.py `remembered`): a page drawn again, or a period chosen
again, gets the engine's figures without running its statements, and never figures older than the last write.

The small plan of tests/app/conftest.py, saved through the product's import path, with its Quý I figures worked
by hand there: CT01 (45 + 50) / (50 + 50) = 95,0%. Runs on the embedded file and, with
`KPI_TEST_BACKEND=postgres`, on a PostgreSQL database (where the version also names the transaction that wrote
the counter: tests/postgres/test_read_cache.py).
"""
from __future__ import annotations

import importlib

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

engine_sql = importlib.import_module("kpi.engine.attainment")  # the package exports a function of that name
Q1 = Scope(SMALL_PLAN, parse_period("2023-Q1"))
H1 = Scope(SMALL_PLAN, parse_period("2023-H1"))


@pytest.fixture
def small(tmp_path) -> str:
    read_cache.forget()
    target = backend.new_database(tmp_path, "small.duckdb")
    build_small(target)
    yield str(target)
    read_cache.forget()


@pytest.fixture
def runs(monkeypatch) -> list[str]:
    """The engine computations actually run (not given again), by name."""
    ran: list[str] = []
    for name in ("_attainment", "_overview"):
        real = getattr(engine_sql, name)
        monkeypatch.setattr(engine_sql, name, lambda *a, _real=real, _name=name, **k: ran.append(_name) or _real(*a, **k))
    return ran


def ct01(con, scope: Scope) -> float:
    rows = engine.attainment(con, scope, by="target")
    return float(rows.loc[rows["code"] == "CT01", "actual"].iloc[0])


def test_figures_are_given_again_while_nothing_is_written(small, runs):
    con = db.connect(small)
    try:
        first = engine.overview(con, Q1)
        assert runs == ["_overview", "_attainment", "_attainment"]  # targets and tasks, once each
        again = engine.overview(con, Q1)
        assert runs == ["_overview", "_attainment", "_attainment"]  # nothing ran the second time
        assert again["area"]["targets"].sum() == first["area"]["targets"].sum() == 3  # CT01, CT02, CT03
        assert ct01(con, Q1) == pytest.approx(0.95)  # (45 + 50) / (50 + 50); another level: computed once
        assert ct01(con, Q1) == pytest.approx(0.95)
        assert runs.count("_attainment") == 3
    finally:
        con.close()


def test_a_write_through_the_product_is_seen_on_the_next_read(small, tmp_path):
    con = db.connect(small)
    try:
        assert ct01(con, H1) == pytest.approx(0.95)  # 6 months: Quý I only so far
        report = filled_report(small, tmp_path, "a-q2", 50)  # A, Quý II: CT01 50/50
        outcome = upload.submit(con, report, actor=TEST_ACTOR, plan=SMALL_PLAN, unit="A", period=Q2, confirmed=True)
        assert outcome.status == "applied"
        # 6 months: (45 + 50 + 50) / (50 + 50 + 50) = 145/150 = 96,67%
        assert ct01(con, H1) == pytest.approx(145 / 150)
        # only the new version's figures stay kept: the database's older ones can never be asked for again
        versions = {entry[0] for entry in read_cache._results}
        assert versions == {read_cache.data_version(con)}
    finally:
        con.close()


def test_inside_a_transaction_nothing_is_remembered_or_given(small, runs):
    con = db.connect(small)
    try:
        assert ct01(con, Q1) == pytest.approx(0.95)
        with pytest.raises(RuntimeError, match="bỏ dở"):
            with db.transaction(con, action=None):
                assert read_cache.data_version(con) is None
                con.execute("UPDATE actual SET numerator = 5 WHERE target_code = 'CT01' AND numerator = 45")
                assert ct01(con, Q1) == pytest.approx(0.55)  # (5 + 50) / 100: its own rows, not the kept 95%
                raise RuntimeError("bỏ dở")  # rolled back
        assert ct01(con, Q1) == pytest.approx(0.95)  # the rolled-back figure was not kept
        assert runs.count("_attainment") == 2  # before, and inside the transaction
    finally:
        con.close()


def test_a_caller_changing_its_frame_does_not_change_the_next_read(small):
    con = db.connect(small)
    try:
        rows = engine.attainment(con, Q1, by="target")
        rows.loc[:, "actual"] = 0.0  # what a page may do to the frame it was given
        rows["shown"] = "x"
        again = engine.attainment(con, Q1, by="target")
        assert ct01(con, Q1) == pytest.approx(0.95) and "shown" not in again.columns
    finally:
        con.close()


def test_a_database_without_identity_is_never_remembered():
    # In memory (tests open many in one process, all with the same empty path): no tag, so nothing is kept.
    con = db.connect(":memory:")
    try:
        assert read_cache.data_version(con) is None
    finally:
        con.close()
