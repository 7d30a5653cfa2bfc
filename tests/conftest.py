"""Shared fixtures: real DuckDB files, real plan workbooks, hostile edits of them."""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

os.environ.setdefault("OPENPYXL_LXML", "False")  # as kpi/__init__.py: openpyxl keeps to defusedxml
import openpyxl  # noqa: E402
import pytest

from kpi import db
from kpi.db import schema
from kpi.cycle import demo
from kpi.plans import io
from tests import backend

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "seeds"
# The team's originals of data/seeds/, kept beside the clone (a developer's checkout, CI), not in it.
TEAM_SEEDS = Path(os.environ.get("KPI_TEAM_SEEDS", ROOT.parent / "shared" / "seeds"))
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def fresh_db(tmp_path):
    con = db.connect(backend.new_database(tmp_path, "fresh.duckdb"))
    yield con
    con.close()


@pytest.fixture(scope="session")
def seeded_db_file(tmp_path_factory) -> Path | str:
    """A database holding the five bundled plans, made once; copy it before writing (`backend.copy_database`).
    A DuckDB file, or on PostgreSQL the URL of a database used as a template."""
    target = backend.new_database(tmp_path_factory.mktemp("seeded"), "seeded.duckdb")
    con = io.open_database(target)
    con.close()
    return Path(target) if not backend.ON_POSTGRES else target


@pytest.fixture
def seeded_db_path(seeded_db_file, tmp_path) -> Path | str:
    return backend.copy_database(seeded_db_file, tmp_path, "plans.duckdb")


@pytest.fixture
def seeded_db(seeded_db_path):
    con = db.connect(seeded_db_path)
    yield con
    con.close()


@pytest.fixture(scope="session")
def demo_db_file(seeded_db_file, tmp_path_factory) -> Path:
    """The five bundled plans with the illustrative reports (kpi.cycle.demo), made once; copy it before writing."""
    path = backend.copy_database(seeded_db_file, tmp_path_factory.mktemp("demo"), "demo.duckdb")
    con = db.connect(path)
    try:
        demo.load(con)
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def exported_workbooks(seeded_db_file, tmp_path_factory) -> dict[str, Path]:
    """Each bundled plan exported from the database as a plan workbook."""
    folder = tmp_path_factory.mktemp("exported")
    con = db.connect(seeded_db_file)
    try:
        ids = [r[0] for r in con.execute("SELECT id FROM plan ORDER BY id").fetchall()]
        return {plan_id: io.export_workbook(con, plan_id, folder / f"{plan_id}.xlsx") for plan_id in ids}
    finally:
        con.close()


VIEWS = schema.view_names()


LOGS = ('audit', 'audit_event', 'write_journal', 'write_lock')


def fingerprint(con, *, logs: bool = False) -> dict[str, tuple[int, str]]:
    """Row count and an md5 of every table's sorted rows, the two logs excepted unless `logs` — the audit trail
    (RELIABILITY R2) and the write journal (a numbered row per write transaction, kpi/db/durability.py) with the
    write counter: equal before and after = nothing written."""
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() "
        "AND table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
    ).fetchall() if r[0] not in VIEWS  # the postgres extension lists PostgreSQL's views as tables
        and (logs or r[0] not in LOGS)]
    result = {}
    for table in tables:
        rows = con.execute(f"SELECT * FROM {table}").fetchall()
        digest = hashlib.md5("\n".join(sorted(repr(r) for r in rows)).encode()).hexdigest()
        result[table] = (len(rows), digest)
    return result


def open_to_read(path: Path | str):
    """The test's database opened as it is, for reading: the DuckDB file read-only, or the PostgreSQL database
    (no migration either way)."""
    import duckdb
    return db.connect(path, migrate=False) if backend.ON_POSTGRES else duckdb.connect(str(path), read_only=True)


def file_fingerprint(path: Path) -> dict[str, tuple[int, str]]:
    """The logical fingerprint of a database file (audit log excepted), read without writing."""
    con = open_to_read(path)
    try:
        return fingerprint(con)
    finally:
        con.close()


def file_sha256(path: Path | str) -> str:
    """The database's bytes, for "nothing at all was written, not even a log line": the file's SHA-256, or on
    PostgreSQL (no file) the digest of every table's rows, logs and write counter included."""
    if backend.ON_POSTGRES and str(path).startswith("postgresql://"):
        con = open_to_read(path)
        try:
            return hashlib.sha256(repr(sorted(fingerprint(con, logs=True).items())).encode()).hexdigest()
        finally:
            con.close()
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class WorkbookCopy:
    """A copy of a workbook opened with openpyxl, saved back to the copy."""

    def __init__(self, source: Path, target: Path):
        shutil.copy(source, target)
        self.path = target
        self.book = openpyxl.load_workbook(target)

    def save(self) -> Path:
        self.book.save(self.path)
        return self.path


class WorkbookEditor(WorkbookCopy):
    """Edits a copy of a plan workbook the way a hurried person would break it."""

    def column_of(self, sheet: str, key: str) -> int:
        for cell in self.book[sheet][2]:
            if cell.value == key:
                return cell.column
        raise KeyError(key)

    def row_of(self, sheet: str, code: str, key: str = "code") -> int:
        column = self.column_of(sheet, key)
        for row in range(3, self.book[sheet].max_row + 1):
            if str(self.book[sheet].cell(row=row, column=column).value) == code:
                return row
        raise KeyError(code)

    def set(self, sheet: str, row: int, key: str, value) -> "WorkbookEditor":
        cell = self.book[sheet].cell(row=row, column=self.column_of(sheet, key), value=value)
        if cell.data_type == "f":
            cell.data_type = "s"  # typed as text ('=...), as a unit name or a note can be
        return self

    def drop_sheet(self, sheet: str) -> "WorkbookEditor":
        del self.book[sheet]
        return self

    def drop_column(self, sheet: str, key: str) -> "WorkbookEditor":
        self.book[sheet].delete_cols(self.column_of(sheet, key))
        return self


@pytest.fixture
def edit(exported_workbooks, tmp_path):
    def _edit(plan_id: str) -> WorkbookEditor:
        return WorkbookEditor(exported_workbooks[plan_id], tmp_path / f"edited-{plan_id}.xlsx")
    return _edit


@contextlib.contextmanager
def held_by_another_process(path: Path):
    """Another process (as the running dashboard does) holds the DuckDB file open for writing."""
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, time
        con = duckdb.connect({str(path)!r})
        print("held", flush=True)
        time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.wait()
