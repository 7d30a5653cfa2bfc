"""Accepted uploads' original files, kept by their sha256 so a figure can be traced to (and re-applied from)
the file behind it.

Embedded DuckDB: files beside the database (`cchc.duckdb.originals/<sha256>`, kpi/db/durability.py), which
`db check` / `db recover` also read. PostgreSQL: the `original_file` table, because every app server must
reach them and the file system of one server is not shared. In memory: not kept.
"""
from __future__ import annotations

from kpi import clock
from kpi.db import durability, postgres


def keep(con, sha256: str, data: bytes) -> None:
    """Inside the writer's transaction, before its commit: an accepted upload always has its original."""
    if postgres.is_postgres(con):
        con.execute("INSERT INTO original_file SELECT ?, ?, ? WHERE NOT EXISTS "
                    "(SELECT 1 FROM original_file WHERE sha256 = ?)",
                    [sha256, data, clock.to_storage(clock.now()), sha256])
    else:
        durability.keep_original(durability.database_file(con), sha256, data)


def read(con, sha256: str) -> bytes | None:
    """The original's bytes, or None when it is not kept (in memory, or lost)."""
    if postgres.is_postgres(con):
        row = con.execute("SELECT data FROM original_file WHERE sha256 = ?", [sha256]).fetchone()
        return bytes(row[0]) if row else None
    path = durability.database_file(con)
    if path is None:
        return None
    file = durability.originals_dir(path) / sha256
    return file.read_bytes() if file.exists() else None


def kept(con) -> list[str]:
    """Every sha256 kept for this database."""
    if postgres.is_postgres(con):
        return [row[0] for row in con.execute("SELECT sha256 FROM original_file ORDER BY sha256").fetchall()]
    path = durability.database_file(con)
    folder = durability.originals_dir(path) if path else None
    if folder is None or not folder.exists():
        return []
    return sorted(f.name for f in folder.iterdir() if len(f.name) == 64 and not f.name.startswith("."))
