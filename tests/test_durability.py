"""The WAL never loses or doubles data silently (kpi/db/durability.py): each fault made for real on a real
database file, then opened by a real process, then `db check` and `db recover`."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from kpi import db
from kpi.db import durability

ROOT = Path(__file__).resolve().parents[1]


def cli(path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KPI_DATABASE": str(path), "KPI_LOG": str(path.parent / "errors.log")}
    return subprocess.run([sys.executable, "-m", "kpi", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def fresh(path: Path) -> Path:
    db.connect(path).close()  # migrated, identity made, nothing else
    return path


def committed_but_not_checkpointed(path: Path, note: str) -> None:
    """A product write that committed (its journal row included) while the process died before the
    checkpoint: what a power cut leaves behind. Written the way kpi.db.transaction writes, minus the
    checkpoint."""
    con = duckdb.connect(str(path))
    con.execute("PRAGMA disable_checkpoint_on_shutdown")
    con.execute("SET checkpoint_threshold = '1TB'")
    con.execute("BEGIN TRANSACTION")
    con.execute("INSERT INTO audit (id, happened_at, kind, who) VALUES (?, now()::TIMESTAMP, 'upload_applied', ?)",
                [note, note])
    durability.journal_write(con, "write", {"note": note})
    con.execute("COMMIT")
    con.close()


def acknowledged(path: Path, seq: int, db_id: str) -> None:
    with durability.ledger_path(path).open("a", encoding="utf-8") as ledger:
        ledger.write(json.dumps({"seq": seq, "db_id": db_id, "action": "write", "detail": {}, "at": "x"}) + "\n")


def identity(path: Path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT id FROM database_identity").fetchone()[0]
    finally:
        con.close()


def test_every_product_write_is_journaled_checkpointed_and_in_the_ledger(tmp_path):
    path = fresh(tmp_path / "a.duckdb")
    con = db.connect(path)
    with db.transaction(con, action="snapshot", detail={"id": 1}):
        con.execute("INSERT INTO audit (id, happened_at, kind) VALUES ('x', now()::TIMESTAMP, 'upload_applied')")
    con.close()
    ledger = durability.read_ledger(path)
    assert [(e["seq"], e["action"], e["detail"]) for e in ledger] == [(1, "snapshot", {"id": 1})]
    assert not Path(durability.wal_path(path)).exists() or Path(durability.wal_path(path)).stat().st_size == 0
    assert durability.check(path).state == "ok"


def test_a_crash_between_commit_and_checkpoint_is_replayed(tmp_path):
    path = fresh(tmp_path / "a.duckdb")
    committed_but_not_checkpointed(path, "after-crash")
    assert durability.check(path).state == "wal_pending"
    con = db.connect(path)  # the guard lets it through; DuckDB replays the WAL
    assert con.execute("SELECT count(*) FROM audit WHERE id = 'after-crash'").fetchone()[0] == 1
    con.close()


@pytest.mark.parametrize("offset", [0.5, 0.9], ids=["middle", "near-end"])
def test_a_corrupt_wal_stops_the_start_with_both_files_named(tmp_path, offset):
    path = fresh(tmp_path / "a.duckdb")
    committed_but_not_checkpointed(path, "w")
    wal = Path(durability.wal_path(path))
    data = bytearray(wal.read_bytes())
    data[int(len(data) * offset)] ^= 0xFF
    wal.write_bytes(bytes(data))
    before = (path.read_bytes(), wal.read_bytes())
    result = cli(path, "plans", "list")
    assert result.returncode == 3, result.stderr
    assert str(path) in result.stderr and str(wal) in result.stderr and "db check" in result.stderr
    assert "Traceback" not in result.stderr
    assert (path.read_bytes(), wal.read_bytes()) == before  # nothing touched
    assert cli(path, "db", "check").returncode == 3


def refusal(path: Path) -> str:
    """The code of the refusal db.connect meets on opening the file (it must refuse)."""
    with pytest.raises(durability.DatabaseUnsafe) as refused:
        db.connect(path)
    return refused.value.code


def test_a_wal_of_another_database_is_refused(tmp_path):
    mine, other = fresh(tmp_path / "a.duckdb"), fresh(tmp_path / "b.duckdb")
    committed_but_not_checkpointed(other, "foreign")
    shutil.copy(durability.wal_path(other), durability.wal_path(mine))
    assert durability.check(mine).state == "wal_foreign"
    assert refusal(mine) == "wal_foreign"


def test_a_stale_wal_restored_with_an_older_copy_is_refused_not_replayed_twice(tmp_path):
    path = fresh(tmp_path / "a.duckdb")
    committed_but_not_checkpointed(path, "once")
    stale = Path(durability.wal_path(path)).read_bytes()
    db.connect(path).close()  # replayed and checkpointed: the write is in the file now
    Path(durability.wal_path(path)).write_bytes(stale)  # the old WAL comes back (a restore, a copy)
    assert durability.check(path).state == "wal_stale"
    with pytest.raises(durability.DatabaseUnsafe):
        db.connect(path)


def test_a_truncated_wal_that_lost_an_acknowledged_write_is_named(tmp_path):
    path = fresh(tmp_path / "a.duckdb")
    committed_but_not_checkpointed(path, "first")
    committed_but_not_checkpointed(path, "second")
    acknowledged(path, 1, identity(path))
    acknowledged(path, 2, identity(path))
    wal = Path(durability.wal_path(path))
    wal.write_bytes(wal.read_bytes()[:-40])  # the end of the log is gone
    health = durability.check(path)
    assert health.state == "writes_lost" and [e["seq"] for e in health.lost] == [2]
    result = cli(path, "db", "check", "--format", "json")
    assert result.returncode == 3
    assert json.loads(result.stdout)["lost"][0]["seq"] == 2


def test_an_old_copy_without_its_wal_is_caught_by_the_ledger(tmp_path):
    path = fresh(tmp_path / "a.duckdb")
    old = path.read_bytes()
    con = db.connect(path)
    with db.transaction(con, action="write"):
        con.execute("INSERT INTO audit (id, happened_at, kind) VALUES ('later', now()::TIMESTAMP, 'upload_applied')")
    con.close()
    path.write_bytes(old)  # a backup from before the write, restored over the file
    assert refusal(path) == "writes_lost"


def test_recover_keeps_both_files_sets_the_wal_aside_and_opens_cleanly(tmp_path):
    path = fresh(tmp_path / "a.duckdb")
    committed_but_not_checkpointed(path, "w")
    wal = Path(durability.wal_path(path))
    wal.write_bytes(b"\x00garbage" * 20)
    result = cli(path, "db", "recover", "--yes")
    assert result.returncode == 0, result.stderr
    kept = next(tmp_path.glob("a.duckdb.recover-*"))
    assert (kept / "a.duckdb").exists() and (kept / "a.duckdb.wal").exists()
    assert not wal.exists()
    assert cli(path, "db", "check").returncode == 0
    assert cli(path, "plans", "list").returncode == 0


def test_kept_originals_are_content_addressed_and_written_once(tmp_path):
    path = fresh(tmp_path / "a.duckdb")
    first = durability.keep_original(path, "ab" * 32, b"workbook bytes")
    assert first.read_bytes() == b"workbook bytes" and first.parent == durability.originals_dir(path)
    assert durability.keep_original(path, "ab" * 32, b"other") == first and first.read_bytes() == b"workbook bytes"


def test_the_common_open_costs_no_copy(tmp_path, monkeypatch):
    path = fresh(tmp_path / "a.duckdb")
    con = db.connect(path)
    with db.transaction(con, action="write"):
        con.execute("INSERT INTO audit (id, happened_at, kind) VALUES ('x', now()::TIMESTAMP, 'upload_applied')")
    con.close()
    assert durability.ledger_path(path).exists()
    monkeypatch.setattr(durability, "check", lambda p: pytest.fail("a copy was made without a WAL"))
    db.connect(path).close()
