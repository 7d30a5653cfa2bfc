"""Hostile upload file names (RELIABILITY D4): a name is metadata only, never a path; a name whose real
extension is not a spreadsheet's is refused; nothing appears outside the originals folder."""
import os
from pathlib import Path

import pytest

from kpi.db import originals
from kpi.excel import upload
from tests import backend
from tests.conftest import fingerprint
from tests.excel.conftest import good
from tests.helpers import TEST_ACTOR

ROOT = Path(__file__).resolve().parents[2]


def _listing(*folders: Path) -> set[str]:
    """Every file under the folders, but what other tests and tools write meanwhile (caches, logs, screenshots)."""
    skip = ("__pycache__", ".pytest_cache", ".hypothesis", "/.git", "/data/logs", "/test-artifacts", "/.venv")
    return {os.path.join(top, name) for folder in folders for top, _, names in os.walk(folder) for name in names
            if not any(part in top for part in skip) and not name.endswith(".pyc")}


@pytest.mark.parametrize("name, stored", [
    ("../../data/kpi.xlsx", "kpi.xlsx"),                          # the folder part goes
    ("..\\..\\bao-cao.xlsx", "bao-cao.xlsx"),
    ("CON.xlsx", "CON.xlsx"),                                      # a reserved Windows name: only metadata here
    ("\u202excod.xlsx", "xcod.xlsx"),                              # the direction override is removed
    ("<img src=x onerror=alert(1)>.xlsx", "<img src=x onerror=alert(1)>.xlsx"),  # kept as text, shown as text
    ("bao cao\nquy 1.xlsx", "bao cao quy 1.xlsx"),                 # one line in every log
    ("a" * 300 + ".xlsx", "a" * 114 + "….xlsx"),                  # 120 characters: 114 + "…" + ".xlsx"
])
def test_a_hostile_name_is_kept_only_as_clean_metadata(seeded_db, fill, tmp_path, name, stored):
    data = good(fill).save().read_bytes()
    before = _listing(ROOT, tmp_path)
    outcome = upload.submit(seeded_db, data, name=name, actor=TEST_ACTOR, confirmed=True)
    assert outcome.status == "applied", [p.code for p in outcome.checked.problems]
    assert seeded_db.execute("SELECT file_name FROM submission WHERE status = 'current'").fetchone()[0] == stored
    database = seeded_db.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
                                 ).fetchone()[0]
    created = {p for p in _listing(ROOT, tmp_path) - before if not Path(p).name.startswith(Path(database).name)}
    if backend.ON_POSTGRES:  # the original is kept in the database (table original_file): no file at all
        assert created == set() and originals.read(seeded_db, outcome.checked.sha256) == data
        return
    # the only new file besides the database's own (its ledger): the original, kept under its sha256 in the
    # originals folder beside the database, outside the project
    assert [(Path(p).parent.name, Path(p).name) for p in sorted(created)] == [(Path(database).name + ".originals",
                                                                       outcome.checked.sha256)]


@pytest.mark.parametrize("name", ["/etc/passwd", "bao_cao.xlsx.exe", "a.xlsx\x00.exe", "../../data/kpi.duckdb",
                                  "..\\..\\app.py"])
def test_a_name_that_is_not_a_spreadsheet_is_refused_and_nothing_is_written(seeded_db, fill, name):
    data = good(fill).save().read_bytes()
    before = fingerprint(seeded_db)
    outcome = upload.submit(seeded_db, data, name=name, actor=TEST_ACTOR, confirmed=True)
    if name == "/etc/passwd":  # no extension: judged by content, which is a good workbook; stored as «passwd»
        assert outcome.status == "applied"
        return
    assert [p.code for p in outcome.checked.errors] == ["file_name_extension"]
    assert "không phải bảng tính" in outcome.checked.errors[0].message
    assert fingerprint(seeded_db) == before
