"""The audit trail's rows (the chain's rules are in `kpi.audit`). Append-only: nothing here updates or
deletes a row."""
from __future__ import annotations

import datetime as dt

import pandas as pd

COLUMNS = ("seq, happened_at, actor, role, channel, action, plan_id, unit_code, period, subject, sha256, detail, "
           "prev_hash, row_hash")


def last(con) -> tuple[int, str] | None:
    """(seq, row_hash) of the newest row."""
    return con.execute("SELECT seq, row_hash FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()


def insert(con, seq, happened_at, actor, role, channel, action, plan_id, unit_code, period, subject, sha256,
           detail, prev_hash, row_hash) -> None:
    con.execute(f"INSERT INTO audit_event ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [seq, happened_at, actor, role, channel, action, plan_id, unit_code, period, subject, sha256,
                 detail, prev_hash, row_hash])


def all_rows(con):
    """Every row, oldest first, for checking the chain (streamed: the trail grows without bound)."""
    cursor = con.execute(f"SELECT {COLUMNS} FROM audit_event ORDER BY seq")
    while batch := cursor.fetchmany(5000):
        yield from batch


def rows(con, *, plan_id: str | None, since: dt.datetime | None, actor: str | None, action: str | None,
         limit: int | None) -> pd.DataFrame:
    where, params = ["true"], []
    for column, value in (("plan_id", plan_id), ("actor", actor), ("action", action)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if since is not None:
        where.append("happened_at >= ?")
        params.append(since)
    tail = f" LIMIT {int(limit)}" if limit else ""
    return con.execute(f"SELECT {COLUMNS} FROM audit_event WHERE {' AND '.join(where)} ORDER BY seq DESC{tail}",
                       params).df()


def legacy_uploads(con) -> list[tuple]:
    """The upload log rows written before the trail existed (migration 13), oldest first."""
    return con.execute("SELECT happened_at, kind, who, plan_id, unit_code, period, file_name, sha256, size, code "
                       "FROM audit ORDER BY happened_at, id").fetchall()
