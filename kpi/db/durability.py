"""Nothing acknowledged is lost or doubled silently: the write journal, the ledger, and the WAL check.

DuckDB keeps recent commits in a write-ahead log beside the file (`cchc.duckdb.wal`) and replays it when the
file is next opened. It replays whatever WAL lies there: one from another database file, a stale one
restored with an older copy (its writes applied twice), and a truncated one (the writes in the lost part
gone) all open without a word; only a WAL whose checksums fail stops the start. So the product keeps its own
account of every write:

- the **write journal** (table `write_journal`, migration 7): every product transaction adds a row with the
  next sequence number and this database's identity (`database_identity`, a UUID made once);
- the **ledger** (`cchc.duckdb.ledger`, JSON lines, synced to disk): after a write has committed and been
  checkpointed into the database file, one line with the same sequence number — the writes a person was told
  were saved;
- **at open**, when a WAL is there, it is first replayed into a throw-away copy and compared with the file
  and the ledger: a WAL that cannot be replayed, that carries another database's journal, that repeats writes
  the file already holds, or that lacks writes the ledger acknowledged stops the start with
  `DatabaseUnsafe`, naming both files. Without a WAL, a ledger ahead of the file means acknowledged writes
  are missing (an old copy restored, a WAL deleted) and stops the start likewise.

`check` reports all this for an administrator (`python -m kpi db check`); `recover` keeps a copy of both files,
sets the WAL aside, opens cleanly and lists what must be re-applied (`python -m kpi db recover`).
Accepted uploads' original files are kept content-addressed beside the database (`originals_dir`), so they
can be downloaded and re-applied after a loss.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from kpi import clock, text
from kpi.problems import KpiError

JOURNAL_SQL = [
    """CREATE TABLE database_identity (id VARCHAR PRIMARY KEY)""",
    """CREATE TABLE write_journal (
        seq INTEGER PRIMARY KEY,
        db_id VARCHAR NOT NULL,
        written_at TIMESTAMP NOT NULL,
        action VARCHAR NOT NULL,
        detail VARCHAR
    )""",
]


def seed_table(con) -> None:
    """Migration 7: the database's identity, made once."""
    con.execute("INSERT INTO database_identity VALUES (?)", [uuid.uuid4().hex])


class DatabaseUnsafe(KpiError):
    """The database and its WAL (or its ledger) disagree: opening would lose or double data silently."""

    def __init__(self, code: str, path: str, **params):
        super().__init__(code, path=path, wal=wal_path(path), **params)


def wal_path(path: str | os.PathLike) -> str:
    return f"{path}.wal"


def ledger_path(path: str | os.PathLike) -> Path:
    return Path(f"{path}.ledger")


def originals_dir(path: str | os.PathLike) -> Path:
    """Where accepted uploads' original files are kept: `cchc.duckdb.originals/<sha256>`."""
    return Path(f"{path}.originals")


def database_file(con) -> str | None:
    """The file behind a connection (None in memory)."""
    row = con.execute("SELECT path, type FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return row[0] if row and row[0] and row[1] == "duckdb" else None  # PostgreSQL keeps its own log


def has_journal(con) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'write_journal' "
                            "AND database_name = current_database() AND schema_name = current_schema()"
                            ).fetchone()[0])


def journal_write(con, action: str, detail: dict | None) -> int | None:
    """Inside the caller's transaction: the next journal row. Returns its sequence number."""
    if not has_journal(con):
        return None  # a database still being migrated
    db_id = con.execute("SELECT id FROM database_identity").fetchone()[0]
    seq = con.execute("SELECT coalesce(max(seq), 0) + 1 FROM write_journal").fetchone()[0]
    con.execute("INSERT INTO write_journal VALUES (?, ?, ?, ?, ?)",
                [seq, db_id, clock.to_storage(clock.now_precise()), action,
                 json.dumps(detail, ensure_ascii=False) if detail else None])
    return seq


def acknowledge(con, seq: int | None, action: str, detail: dict | None) -> None:
    """After the commit: fold the WAL into the file (so the write no longer depends on the WAL) and append
    the ledger line, synced. A checkpoint that cannot run now (another session's transaction is open) is
    left to DuckDB: the commit itself is already synced to the WAL."""
    if seq is None:
        return
    path = database_file(con)
    if path is None:
        return
    try:
        con.execute("CHECKPOINT")
    except duckdb.TransactionException:
        pass
    db_id = con.execute("SELECT id FROM database_identity").fetchone()[0]
    line = json.dumps({"seq": seq, "db_id": db_id, "action": action, "detail": detail or {},
                       "at": text.now_utc_iso()}, ensure_ascii=False)
    with ledger_path(path).open("a", encoding="utf-8") as ledger:
        ledger.write(line + "\n")
        ledger.flush()
        os.fsync(ledger.fileno())


def read_ledger(path: str | os.PathLike) -> list[dict]:
    """The ledger's entries; a torn last line (a crash while appending) is ignored."""
    file = ledger_path(path)
    if not file.exists():
        return []
    entries = []
    for line in file.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue
    return entries


@dataclass
class Health:
    """What `check` found. `state`: ok, wal_pending (a crash left committed writes in the WAL: they are
    replayed at open), wal_corrupt, wal_foreign, wal_stale, writes_lost."""
    state: str
    path: str
    db_id: str | None = None
    file_seq: int = 0           # last write in the database file (without the WAL)
    replayed_seq: int = 0       # last write after replaying the WAL
    ledger_seq: int = 0         # last write a person was told was saved
    lost: list[dict] = field(default_factory=list)  # acknowledged writes missing, oldest first
    uploads: list[tuple] = field(default_factory=list)  # accepted uploads the file holds (see `_UPLOADS`)
    missing_originals: list[tuple] = field(default_factory=list)  # of those, whose original file is not kept
    detail: str = ""

    @property
    def safe(self) -> bool:
        return self.state in ("ok", "wal_pending")


_UPLOADS = """SELECT s.sha256, coalesce(s.file_name, ''), s.plan_id, s.unit_code, s.period, s.submitted_at, s.status
               FROM submission s WHERE s.source = 'upload' AND s.sha256 IS NOT NULL ORDER BY s.submitted_at"""


def _open(path: str):
    from kpi.db.connection import open_file  # late: connection imports this module
    return open_file(path)


def _journal(path: str, uploads: list | None = None) -> tuple[str | None, list[tuple[int, str]]]:
    """(identity, journal rows) of a database file opened on its own; `uploads` is filled when given."""
    con = _open(path)
    try:
        if not has_journal(con):
            return None, []
        db_id = con.execute("SELECT id FROM database_identity").fetchone()
        if uploads is not None:
            uploads.extend(con.execute(_UPLOADS).fetchall())
        return (db_id[0] if db_id else None,
                con.execute("SELECT seq, db_id FROM write_journal ORDER BY seq").fetchall())
    finally:
        con.close()


def check(path: str | os.PathLike) -> Health:
    """Compare the database file, its WAL and its ledger without touching any of them."""
    path = str(path)
    wal = Path(wal_path(path))
    with tempfile.TemporaryDirectory(prefix="kpi-walcheck-") as folder:
        base = os.path.join(folder, "base.duckdb")
        shutil.copyfile(path, base)
        uploads: list = []
        db_id, base_rows = _journal(base, uploads)
        health = Health("ok", path, db_id, max((s for s, _ in base_rows), default=0), uploads=uploads)
        kept = originals_dir(path)
        health.missing_originals = [u for u in uploads if not (kept / u[0]).exists()]
        mine = [e for e in read_ledger(path) if e.get("db_id") == db_id]
        health.ledger_seq = max((e["seq"] for e in mine), default=0)
        health.replayed_seq = health.file_seq
        if wal.exists() and wal.stat().st_size > 0:
            replay = os.path.join(folder, "replay.duckdb")
            shutil.copyfile(path, replay)
            shutil.copyfile(wal, replay + ".wal")
            try:
                _, rows = _journal(replay)
            except duckdb.Error as exc:
                reason = str(exc).splitlines()[0][:300]
                # a write the file already holds, replayed again, collides with its own journal row
                health.state = "wal_stale" if "duplicate key" in reason.lower() else "wal_corrupt"
                health.detail = reason
                return health
            seqs = [s for s, _ in rows]
            health.replayed_seq = max(seqs, default=0)
            if any(owner != db_id for _, owner in rows):
                health.state = "wal_foreign"
                return health
            if len(seqs) != len(set(seqs)):
                health.state = "wal_stale"
                return health
            if health.replayed_seq > health.file_seq:
                health.state = "wal_pending"
        health.lost = [e for e in mine if e["seq"] > health.replayed_seq]
        if health.lost:
            health.state = "writes_lost"
        return health


def guard(path: str | os.PathLike) -> None:
    """At open, before DuckDB replays anything: a WAL is first replayed into a copy and compared with the
    file and the ledger (rare: every write is checkpointed, so a WAL is left only by a crash or a restore)."""
    path = str(path)
    wal = Path(wal_path(path))
    if path == ":memory:" or not Path(path).exists() or not (wal.exists() and wal.stat().st_size > 0):
        return
    health = check(path)
    if not health.safe:
        raise DatabaseUnsafe(health.state, path, found=health.replayed_seq, acknowledged=health.ledger_seq,
                             lost=len(health.lost))


def verify_ledger(con, path: str | os.PathLike) -> None:
    """Just after open, without a copy: the file must hold every write the ledger acknowledged (an old copy
    restored over the file, or a WAL deleted, would silently lack them)."""
    if not has_journal(con) or not ledger_path(path).exists():
        return
    db_id = con.execute("SELECT id FROM database_identity").fetchone()[0]
    held = con.execute("SELECT coalesce(max(seq), 0) FROM write_journal").fetchone()[0]
    lost = [e for e in read_ledger(path) if e.get("db_id") == db_id and e["seq"] > held]
    if lost:
        raise DatabaseUnsafe("writes_lost", str(path), found=held, acknowledged=lost[-1]["seq"], lost=len(lost))


def recover(path: str | os.PathLike, now: dt.datetime | None = None) -> tuple[Path, Health]:
    """Keep a copy of the database, its WAL and its ledger in a new folder beside them, set the WAL aside,
    and start the ledger again from what the file holds. Returns the folder and what was found (its `lost`
    entries are what must be re-applied, from the kept original files)."""
    path = str(path)
    health = check(path)
    stamp = text.file_stamp(now or clock.now(), seconds=True)
    kept = Path(f"{path}.recover-{stamp}")
    kept.mkdir()
    for source in (Path(path), Path(wal_path(path)), ledger_path(path)):
        if source.exists():
            shutil.copy2(source, kept / source.name)
    if Path(wal_path(path)).exists():
        os.replace(wal_path(path), kept / (Path(wal_path(path)).name + ".set-aside"))
    if ledger_path(path).exists():
        ledger_path(path).unlink()
    con = _open(path)
    try:
        if has_journal(con):
            db_id = con.execute("SELECT id FROM database_identity").fetchone()[0]
            last = con.execute("SELECT coalesce(max(seq), 0) FROM write_journal").fetchone()[0]
            if last:
                line = json.dumps({"seq": last, "db_id": db_id, "action": "recover", "detail": {"kept": str(kept)},
                                   "at": text.now_utc_iso()})
                ledger_path(path).write_text(line + "\n", encoding="utf-8")
    finally:
        con.close()
    return kept, health


def keep_original(path: str | os.PathLike | None, sha256: str, data: bytes) -> Path | None:
    """Store an accepted upload's bytes under its sha256 (written once, synced)."""
    if not path or str(path) == ":memory:":
        return None
    folder = originals_dir(path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / sha256
    if not target.exists():
        partial = folder / f".{sha256}.partial"
        with partial.open("wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    return target
