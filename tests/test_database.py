"""The database file: created on first start, migrated forward, one writer at a time."""
import pytest

from kpi import db
from kpi.db import schema
from kpi.plans import io
from tests.conftest import held_by_another_process


def test_first_start_creates_the_schema_and_loads_the_bundled_plans(tmp_path):
    con = io.open_database(tmp_path / "new.duckdb")
    assert schema.current_version(con) == schema.LATEST_VERSION
    assert con.execute("SELECT count(*) FROM plan").fetchone()[0] == 5
    assert con.execute("SELECT count(*) FROM area").fetchone()[0] == 7


def test_migrating_again_is_a_no_op(tmp_path):
    from tests.conftest import fingerprint
    con = db.connect(tmp_path / "m.duckdb")
    before = fingerprint(con)
    assert schema.migrate(con) == schema.LATEST_VERSION
    assert fingerprint(con) == before
    assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(schema.MIGRATIONS)


def test_a_later_start_does_not_reload_plans_a_user_removed(tmp_path):
    path = tmp_path / "p.duckdb"
    con = io.open_database(path)
    for table in ("target_conflict", "task_milestone", "task_unit", "target_unit", "task", "target", "plan_area",
                  "plan_report_deadline"):
        con.execute(f"DELETE FROM {table} WHERE plan_id = 'sct-2021'")
    con.execute("DELETE FROM plan WHERE id = 'sct-2021'")
    con.close()
    con = io.open_database(path)
    assert con.execute("SELECT count(*) FROM plan").fetchone()[0] == 4


def test_database_path_comes_from_option_then_environment(monkeypatch):
    monkeypatch.setenv("KPI_DATABASE", "/srv/cchc/env.duckdb")
    assert db.database_path() == "/srv/cchc/env.duckdb"
    assert db.database_path("/tmp/option.duckdb") == "/tmp/option.duckdb"
    monkeypatch.delenv("KPI_DATABASE")
    assert db.database_path().endswith("data/cchc.duckdb")


def test_a_file_held_by_another_process_raises_database_busy(tmp_path):
    path = tmp_path / "held.duckdb"
    db.connect(path).close()
    with held_by_another_process(path) as holder:
        with pytest.raises(db.DatabaseBusy) as busy:
            db.connect(path)
    assert "đang được một chương trình khác mở" in busy.value.message
    assert f"tiến trình số {holder.pid}" in busy.value.message  # the process to stop is named
    assert "Ctrl+C" in busy.value.hint


def test_init_applies_all_bundled_plans_or_none(tmp_path, monkeypatch):
    """A failure while storing the third of the five bundled plans leaves none stored (it left two before);
    the next init stores all five."""
    import pytest

    from kpi.db import plan_store
    from kpi.plans import io as plan_io
    con = db.connect(tmp_path / "atomic.duckdb")
    stored, real = [], plan_store._insert_plan

    def third_fails(con, bundle):
        stored.append(bundle.plan.id)
        if len(stored) == 3:
            raise RuntimeError("disk full while storing the third plan")
        real(con, bundle)

    monkeypatch.setattr(plan_store, "_insert_plan", third_fails)
    with pytest.raises(RuntimeError, match="third plan"):
        plan_io.load_bundled(con)
    assert con.execute("SELECT count(*) FROM plan").fetchone()[0] == 0
    monkeypatch.undo()
    loaded, kept = plan_io.load_bundled(con)
    assert (len(loaded), kept) == (5, [])
    con.close()


def test_migration_15_numbers_units_in_their_stored_order(tmp_path):
    """A database of version 14 kept a task's units in the order their rows were inserted: «B, A» as lead
    (inserted B first) stays B = 1, A = 2 once numbered, and each group counts from 1."""
    from kpi.db import schema
    from tests.helpers import database_before
    con = database_before(tmp_path / "v14.duckdb", 14)
    try:
        con.execute("INSERT INTO task_unit VALUES ('p', 'K1', 'lead', 'o', 'B'), ('p', 'K1', 'lead', 'o', 'A'), "
                    "('p', 'K1', 'coordinating', 'o', 'C'), ('p', 'K2', 'lead', 'o', 'A')")
        con.execute("INSERT INTO target_unit VALUES ('p', 'T1', 'o', 'Z'), ('p', 'T1', 'o', 'Y')")
        assert schema.migrate(con) == schema.LATEST_VERSION
        assert con.execute("SELECT task_code, role, unit_code, position FROM task_unit ORDER BY task_code, role DESC, "
                           "position").fetchall() == [("K1", "lead", "B", 1), ("K1", "lead", "A", 2),
                                                      ("K1", "coordinating", "C", 1), ("K2", "lead", "A", 1)]
        assert con.execute("SELECT unit_code, position FROM target_unit ORDER BY position").fetchall() == \
            [("Z", 1), ("Y", 2)]
    finally:
        con.close()
