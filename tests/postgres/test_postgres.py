"""The product on PostgreSQL (issue 17): configuration and its failures, migrations, `db copy` both ways,
writers racing, the application role's privileges, the server stopping and the connection dropping.

Every test runs against a real throw-away PostgreSQL server on loopback (tests/pg_server.py), whatever
KPI_TEST_BACKEND says; the suites that run on both backends are listed in the Makefile (`PG_SUITES`).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from kpi import db
from kpi.cycle import submissions
from kpi.db import connection, copy as database_copy, postgres, schema
from kpi.excel import template, upload
from kpi.periods import parse_period
from kpi.plans import io
from kpi.problems import KpiError
from tests import backend
from tests.app.conftest import SMALL_PLAN, build_small
from tests.conftest import fingerprint
from tests.excel.conftest import Filled
from tests.helpers import TEST_ACTOR

ROOT = Path(__file__).resolve().parents[2]
Q1, Q2 = parse_period("2023-Q1"), parse_period("2023-Q2")


@pytest.fixture(scope="module")
def server():
    return backend.server()


@pytest.fixture(scope="module")
def small_template(server, tmp_path_factory):
    """The small plan (tests/app/conftest.py) on PostgreSQL, used as a template database."""
    url = server.create()
    build_small(url)
    return url


@pytest.fixture
def small(server, small_template) -> str:
    return server.create(template=backend.database_name(small_template))


def filled_report(url: str, folder: Path, name: str, numerator: int, unit: str = "A", period=Q2) -> Path:
    con = db.connect(url)
    try:
        blank = folder / f"blank-{name}.xlsx"
        blank.write_bytes(template.build(con, SMALL_PLAN, unit, period))
    finally:
        con.close()
    return Filled(blank, folder / f"{name}.xlsx").ratio("CT01", numerator, 50).ratio("CT02", 1, 100).save()


def kpi_cli(url: str, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kpi", "--db", url, *args], capture_output=True, text=True,
                          input=stdin, cwd=ROOT, timeout=300)


# ---- configuration and its failures

def test_a_url_in_the_secrets_file_is_used_when_no_variable_names_one(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('KPI_DATABASE = "postgresql://cchc@db.example:5432/cchc"\n', encoding="utf-8")
    monkeypatch.delenv("KPI_DATABASE", raising=False)
    monkeypatch.setattr(connection, "SECRETS_FILES", (secrets,))
    assert connection.database_path() == "postgresql://cchc@db.example:5432/cchc"
    monkeypatch.setenv("KPI_DATABASE", str(tmp_path / "x.duckdb"))  # the variable wins over the file
    assert connection.database_path() == str(tmp_path / "x.duckdb")


def test_a_refused_connection_is_named_in_vietnamese_without_the_password(server):
    with pytest.raises(KpiError) as refused:
        db.connect("postgresql://cchc:bi-mat@127.0.0.1:1/cchc")  # port 1: nothing listens
    assert refused.value.code == "postgres_unreachable"
    assert "Không kết nối được máy chủ PostgreSQL" in refused.value.message
    assert "bi-mat" not in str(refused.value) and "127.0.0.1:1/cchc" in refused.value.message


def test_a_wrong_password_and_a_missing_database_each_get_their_message(server):
    wrong = server.url("postgres", user="kpi_admin", password="sai-mat-khau")
    with pytest.raises(KpiError) as refused:
        db.connect(wrong)
    assert refused.value.code == "postgres_password" and "sai-mat-khau" not in str(refused.value)
    with pytest.raises(KpiError) as missing:
        db.connect(server.url("khong_co_csdl_nay"))
    assert missing.value.code == "postgres_no_database"


def test_an_extension_built_for_another_duckdb_is_named(monkeypatch):
    monkeypatch.setattr(duckdb, "__version__", "9.9.9")  # the wheel holds only v1.5.5
    with pytest.raises(KpiError) as wrong:
        postgres.extension_file()
    assert wrong.value.code == "postgres_extension_mismatch"
    assert "9.9.9" in wrong.value.message and "1.5.5" in wrong.value.message


def test_the_command_line_says_so_and_exits_3_when_the_server_is_down():
    done = kpi_cli("postgresql://cchc:bi-mat@127.0.0.1:1/cchc", "plans", "list")
    assert done.returncode == 3
    assert "Không kết nối được máy chủ PostgreSQL" in done.stderr and "Traceback" not in done.stderr
    assert "bi-mat" not in done.stderr + done.stdout


def test_migrations_run_on_postgresql_and_record_their_version(server):
    url = server.create()
    con = db.connect(url)
    try:
        assert postgres.is_postgres(con)
        versions = [row[0] for row in con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()]
        assert versions == list(range(1, schema.LATEST_VERSION + 1))
        assert schema.migrate(con) == schema.LATEST_VERSION  # again: nothing to do
        assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == schema.LATEST_VERSION
    finally:
        con.close()
    # the tables are PostgreSQL's own, with their keys: the server itself refuses a duplicate
    with pytest.raises(RuntimeError, match="duplicate key"):
        server.sql("INSERT INTO area (code, name, sort_order) SELECT code, name, 99 FROM area LIMIT 1",
                   backend.database_name(url))


# ---- db copy, both ways

def test_db_copy_moves_a_whole_database_to_postgresql_and_back_unchanged(server, demo_db_file, tmp_path):
    if backend.ON_POSTGRES:
        pytest.skip("the demo database is already on PostgreSQL in this run; the file-to-server copy runs "
                    "in the DuckDB pass")
    target = server.create()
    done = kpi_cli(str(demo_db_file), "db", "copy", "--to", target)
    assert done.returncode == 0, done.stderr
    assert "đã được đối chiếu" in done.stdout
    back = tmp_path / "back.duckdb"
    assert kpi_cli(target, "db", "copy", "--to", str(back)).returncode == 0
    figures = [kpi_cli(where, "attainment", "--plan", "syt-dong-nai-2023", "--period", "2023-H1", "--format",
                       "json").stdout for where in (str(demo_db_file), target, str(back))]
    assert figures[0] == figures[1] == figures[2] and json.loads(figures[0])
    source, returned = db.connect(demo_db_file), db.connect(back)
    try:
        before, after = fingerprint(source), fingerprint(returned)
        # identical tables but schema_version: each side's migrations wrote their own moments
        assert before.pop("schema_version")[0] == after.pop("schema_version")[0] == schema.LATEST_VERSION
        assert before == after
    finally:
        source.close()
        returned.close()


def test_db_copy_refuses_a_target_with_data_and_leaves_it_unchanged(server, small, tmp_path):
    other = server.create()
    build_small(other)
    con = db.connect(other)
    before = fingerprint(con)
    con.close()
    done = kpi_cli(small, "db", "copy", "--to", other)
    assert done.returncode == 2
    assert "đã có dữ liệu" in done.stderr and "--replace" in done.stderr
    con = db.connect(other)
    try:
        assert fingerprint(con) == before
    finally:
        con.close()
    assert kpi_cli(small, "db", "copy", "--to", other, "--replace").returncode == 0


def test_a_copy_that_does_not_verify_is_rolled_back_whole(server, small, monkeypatch):
    target = server.create()
    real = database_copy.fingerprint
    calls = {"n": 0}

    def off_by_one_on_the_target(con, table, names):  # every table's target side looks one row short
        calls["n"] += 1
        figures = real(con, table, names)
        return figures if calls["n"] % 2 else database_copy.TableCopy(table, figures.rows - 1, figures.checksum)

    monkeypatch.setattr(database_copy, "fingerprint", off_by_one_on_the_target)
    source = db.connect(small)
    try:
        with pytest.raises(KpiError) as mismatch:
            database_copy.copy_database(source, target)
        assert mismatch.value.code == "copy_mismatch"
    finally:
        source.close()
    check = db.connect(target)
    try:
        assert database_copy.holds_data(check) == []  # nothing of the first tables stayed
    finally:
        check.close()


# ---- writers racing

def _race(*work):
    """Run each callable in its own thread, released at the same instant; returns their results or errors."""
    gate = threading.Barrier(len(work))
    results: list = [None] * len(work)

    def run(i, fn):
        gate.wait()
        try:
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test looks at
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def _slot(url: str, unit: str, period: str):
    con = db.connect(url)
    try:
        return con.execute("SELECT id, status, coalesce(review, 'submitted') FROM submission WHERE plan_id = ? "
                           "AND unit_code = ? AND period = ? ORDER BY submitted_at", [SMALL_PLAN, unit, period]
                           ).fetchall(), con.execute(
            "SELECT DISTINCT submission_id FROM current_actual WHERE plan_id = ? AND unit_code = ? AND period = ?",
            [SMALL_PLAN, unit, period]).fetchall()
    finally:
        con.close()


def test_two_uploads_for_one_slot_at_the_same_instant_end_one_current_one_superseded(small, tmp_path):
    files = [filled_report(small, tmp_path, f"a-{n}", numerator) for n, numerator in ((1, 40), (2, 45))]
    connections = [db.connect(small) for _ in files]
    try:
        outcomes = _race(*[lambda con=con, f=f: upload.submit(con, f, actor=TEST_ACTOR, plan=SMALL_PLAN, unit="A",
                                                              period=Q2, confirmed=True)
                           for con, f in zip(connections, files)])
    finally:
        for con in connections:
            con.close()
    assert [getattr(o, "status", o) for o in outcomes] == ["applied", "applied"]
    rows, current_sources = _slot(small, "A", "2023-Q2")
    assert sorted(status for _, status, _ in rows) == ["current", "superseded"]
    current = [sid for sid, status, _ in rows if status == "current"]
    assert current_sources == [(current[0],)]  # every current figure from that one submission, never a mix


def test_an_approval_racing_an_upload_ends_in_one_defined_order(small, tmp_path):
    rows, _ = _slot(small, "A", "2023-Q1")
    first = rows[0][0]  # Phòng A's Quý I report (build_small)
    fresh = filled_report(small, tmp_path, "a-q1", 49, period=Q1)
    approver, uploader = db.connect(small), db.connect(small)
    try:
        approval, outcome = _race(lambda: submissions.approve(approver, first, actor=TEST_ACTOR),
                                  lambda: upload.submit(uploader, fresh, actor=TEST_ACTOR, plan=SMALL_PLAN, unit="A",
                                                        period=Q1, confirmed=True))
    finally:
        approver.close()
        uploader.close()
    assert getattr(outcome, "status", outcome) == "applied"
    rows, _ = _slot(small, "A", "2023-Q1")
    states = {sid: (status, review) for sid, status, review in rows}
    assert states[first][0] == "superseded" and [s for s, _ in states.values()].count("current") == 1
    if approval is None:   # approval first: the approved report, then superseded by the new one
        assert states[first][1] == "approved"
    else:                  # upload first: the approval is refused in Vietnamese, nothing approved
        assert isinstance(approval, KpiError) and approval.code == "submission_not_current"
        assert states[first][1] == "submitted"


def test_a_writer_that_never_gets_its_turn_fails_clearly_and_writes_nothing(small, monkeypatch):
    holder, waiter = db.connect(small), db.connect(small)
    monkeypatch.setattr(connection, "WRITE_ATTEMPTS", 3)
    monkeypatch.setattr(connection, "WRITE_WAIT_SECONDS", (0.01, 0.02))
    try:
        before = fingerprint(waiter)
        with connection.transaction(holder, action="held"):
            rows, _ = _slot(small, "A", "2023-Q1")
            with pytest.raises(KpiError) as busy:
                submissions.approve(waiter, rows[0][0], actor=TEST_ACTOR)
            assert busy.value.code == "database_contended" and "Chưa có gì được ghi" in busy.value.message
        assert fingerprint(waiter) == before
    finally:
        holder.close()
        waiter.close()


# ---- privileges (RELIABILITY D10)

def test_the_application_role_cannot_update_or_delete_audit_rows(server, small):
    name = backend.database_name(small)
    server.sql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cchc_app') THEN "
               "CREATE ROLE cchc_app LOGIN PASSWORD 'ung-dung'; END IF; END $$")
    done = kpi_cli(small, "db", "grant", "--role", "cchc_app")
    assert done.returncode == 0, done.stderr
    app = db.connect(server.url(name, user="cchc_app", password="ung-dung"))
    try:
        rows, _ = _slot(small, "A", "2023-Q1")
        submissions.approve(app, rows[0][0], actor=TEST_ACTOR)  # the role writes what the product writes
        count = app.execute("SELECT count(*) FROM audit_event").fetchone()[0]
        assert count >= 1
        for statement in ("UPDATE audit_event SET detail = 'sửa' WHERE seq = 1", "DELETE FROM audit_event",
                          "DELETE FROM write_journal"):
            with pytest.raises(duckdb.Error, match="permission denied"):
                app.execute(statement)
        assert app.execute("SELECT count(*) FROM audit_event").fetchone()[0] == count
    finally:
        app.close()
    assert kpi_cli(small, "db", "grant", "--role", "Robert'); DROP TABLE plan;--").returncode == 2


def test_the_application_role_meeting_a_pending_migration_says_so_and_changes_nothing(server, small):
    """An app process started with new code on a database the owner has not migrated yet: the role may not
    create tables; it must stop with a message naming the migration, not run half-migrated."""
    name = backend.database_name(small)
    server.sql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cchc_app') THEN "
               "CREATE ROLE cchc_app LOGIN PASSWORD 'ung-dung'; END IF; END $$")
    assert kpi_cli(small, "db", "grant", "--role", "cchc_app").returncode == 0
    # as the owner: take the database back to version 14 (migration 15's columns and row gone)
    server.sql("ALTER TABLE target_unit DROP COLUMN position; ALTER TABLE task_unit DROP COLUMN position; "
               "DELETE FROM schema_version WHERE version = 15", name)
    with pytest.raises(KpiError) as refused:
        db.connect(server.url(name, user="cchc_app", password="ung-dung"))
    assert refused.value.code == "migration_not_permitted" and "bước 15" in refused.value.message
    assert server.sql("SELECT max(version) FROM schema_version", name) == [["14"]]
    assert server.sql("SELECT count(*) FROM information_schema.columns WHERE column_name = 'position' "
                      "AND table_name IN ('target_unit', 'task_unit')", name) == [["0"]]


# ---- faults

def test_the_server_stopped_mid_write_loses_nothing_and_the_next_write_works(server, tmp_path):
    """A private server, stopped between the rows of an upload's transaction (the step is held open by the
    test), then started again."""
    from tests.pg_server import PgServer
    own = PgServer.start()
    try:
        url = own.create()
        build_small(url)
        report = filled_report(url, tmp_path, "a-stop", 44)
        con = db.connect(url)
        before = fingerprint(con)
        real_insert = submissions.stored.insert_actuals

        def insert_then_lose_the_server(*args, **kwargs):
            real_insert(*args, **kwargs)
            own.halt("immediate")  # the server dies before the commit

        submissions.stored.insert_actuals = insert_then_lose_the_server
        try:
            with pytest.raises(Exception) as lost:
                upload.submit(con, report, actor=TEST_ACTOR, plan=SMALL_PLAN, unit="A", period=Q2, confirmed=True)
        finally:
            submissions.stored.insert_actuals = real_insert
        assert "Traceback" not in str(lost.value)
        own.resume()
        con = connection.shared(url, opener=db.connect)  # the web process's way: a dead connection is replaced
        assert fingerprint(con) == before  # nothing half-written
        outcome = upload.submit(con, report, actor=TEST_ACTOR, plan=SMALL_PLAN, unit="A", period=Q2, confirmed=True)
        assert outcome.status == "applied"
    finally:
        connection.reset_shared()
        own.stop()


def test_a_connection_dropped_while_idle_is_replaced_on_the_next_request(server, small):
    con = connection.shared(small, opener=db.connect)
    try:
        pid = con.execute(f"SELECT * FROM postgres_query('{postgres.CATALOG}', 'SELECT pg_backend_pid()')"
                          ).fetchone()[0]
        server.sql(f"SELECT pg_terminate_backend({int(pid)})")  # the server (or a firewall) drops it
        again = connection.shared(small, opener=db.connect)
        assert again.execute("SELECT count(*) FROM plan").fetchone()[0] == 1
    finally:
        connection.reset_shared()


def test_each_request_cursor_reads_and_writes_the_postgresql_database(small):
    """The dashboard takes one cursor per script run (pages/_widgets.py) and the sign-in routes one per
    request (server.py); a DuckDB cursor starts in the default in-memory catalogue, so each must be pointed
    at PostgreSQL again (it once was not: «Table with name plan does not exist» on the first page)."""
    try:
        cursors = [connection.cursor(small, opener=db.connect) for _ in range(2)]
        assert [c.execute("SELECT count(*) FROM plan").fetchone()[0] for c in cursors] == [1, 1]
        assert postgres.is_postgres(cursors[0])
        rows, _ = _slot(small, "A", "2023-Q1")
        submissions.approve(cursors[1], rows[0][0], actor=TEST_ACTOR)
        assert _slot(small, "A", "2023-Q1")[0][0][2] == "approved"
    finally:
        connection.reset_shared()


def test_an_app_process_killed_during_uploads_leaves_every_report_whole(small, tmp_path):
    """kill -9 of a process in the middle of a stream of uploads: each submission is there with all of its
    figures, or not at all, and the slot has exactly one current report."""
    reports = [filled_report(small, tmp_path, f"k{n}", 30 + n) for n in range(8)]
    script = (
        "import sys\nfrom kpi import db\nfrom kpi.excel import upload\nfrom kpi.periods import parse_period\n"
        "from tests.helpers import TEST_ACTOR\n"
        f"con = db.connect({small!r})\nprint('open', flush=True)\n"
        "for path in sys.argv[1:]:\n"
        f"    upload.submit(con, path, actor=TEST_ACTOR, plan={SMALL_PLAN!r}, unit='A', "
        "period=parse_period('2023-Q2'), confirmed=True)\n    print('done', flush=True)\n")
    worker = subprocess.Popen([sys.executable, "-c", script, *map(str, reports)], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert worker.stdout.readline().strip() == "open"
    assert worker.stdout.readline().strip() == "done"  # one upload through, the next ones under way
    time.sleep(0.3)
    worker.send_signal(signal.SIGKILL)
    worker.wait(30)
    con = db.connect(small)
    try:
        per_submission = con.execute(
            "SELECT s.id, s.status, count(a.target_code) FROM submission s LEFT JOIN actual a ON a.submission_id = s.id "
            "WHERE s.plan_id = ? AND s.unit_code = 'A' AND s.period = '2023-Q2' GROUP BY s.id, s.status",
            [SMALL_PLAN]).fetchall()
        assert per_submission and all(count == per_submission[0][2] for _, _, count in per_submission)
        assert [status for _, status, _ in per_submission].count("current") == 1
        # and the next writer is not blocked by the dead one
        assert upload.submit(con, reports[-1], actor=TEST_ACTOR, plan=SMALL_PLAN, unit="A", period=Q2,
                             confirmed=True).status in ("applied", "duplicate")
    finally:
        con.close()


def test_bundled_plans_load_on_postgresql_as_on_the_file(server, seeded_db_file):
    if backend.ON_POSTGRES:
        pytest.skip("both databases would be PostgreSQL in this run; compared in the DuckDB pass")
    url = server.create()
    on_server, on_file = io.open_database(url), db.connect(seeded_db_file)
    try:
        assert fingerprint(on_server).keys() == fingerprint(on_file).keys()
        for table in ("target", "task", "unit", "unit_alias", "target_conflict", "task_unit"):
            assert fingerprint(on_server)[table] == fingerprint(on_file)[table], table
        plans = "SELECT id, org_id, year, number, title, source_file FROM plan ORDER BY id"  # not imported_at
        assert on_server.execute(plans).fetchall() == on_file.execute(plans).fetchall()
    finally:
        on_server.close()
        on_file.close()
