"""Meeting snapshots in the database: written once, read back, deleted whole (`kpi.meetings.snapshots`
decides what a snapshot holds and compares them).

Rows come back as stored: (id, plan_id, period code, as_of, name, note, created_by, created_at,
illustrative, summary JSON).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kpi import clock
from kpi.db.connection import transaction

_COLUMNS = "id, plan_id, period, as_of, name, note, created_by, created_at, illustrative, summary"


def insert_snapshot(con, *, plan_id: str, period_code: str, as_of: dt.date, name: str, note: str | None,
                    created_by: str, created_at: dt.datetime, illustrative: bool, summary: str,
                    frames: dict[str, bytes], submissions: list[list]) -> int:
    """Store a snapshot, its frames (name -> Parquet) and the submissions it used, in one transaction.
    Returns the new id."""
    with transaction(con):
        # The counter, not max(id) + 1: a deleted snapshot's number stays retired (schema migration 10).
        con.execute("UPDATE snapshot_counter SET last_id = last_id + 1")
        snapshot_id = con.execute("SELECT last_id FROM snapshot_counter").fetchone()[0]
        con.execute("INSERT INTO snapshot VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [snapshot_id, plan_id, period_code, as_of, name, note, created_by, clock.to_storage(created_at), illustrative,
                     summary])
        con.executemany("INSERT INTO snapshot_frame VALUES (?, ?, ?)",
                        [[snapshot_id, key, data] for key, data in frames.items()])
        if submissions:
            con.executemany("INSERT INTO snapshot_submission VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [[snapshot_id, *row] for row in submissions])
    return snapshot_id


def snapshot_row(con, snapshot_id: int) -> tuple | None:
    return con.execute(f"SELECT {_COLUMNS} FROM snapshot WHERE id = ?", [int(snapshot_id)]).fetchone()


def snapshot_rows(con, plan_id: str | None = None) -> list[tuple]:
    """Every snapshot (or the plan's), newest first."""
    return con.execute(f"SELECT {_COLUMNS} FROM snapshot WHERE ? IS NULL OR plan_id = ? "
                       "ORDER BY created_at DESC, id DESC", [plan_id, plan_id]).fetchall()


def previous_row(con, plan_id: str, created_at: dt.datetime, snapshot_id: int) -> tuple | None:
    """The plan's latest snapshot made before (created_at, snapshot_id)."""
    return con.execute(f"SELECT {_COLUMNS} FROM snapshot WHERE plan_id = ? AND (created_at < ? OR "
                       "(created_at = ? AND id < ?)) ORDER BY created_at DESC, id DESC LIMIT 1",
                       [plan_id, clock.to_storage(created_at), clock.to_storage(created_at), snapshot_id]).fetchone()


def frame_data(con, snapshot_id: int) -> dict[str, bytes]:
    """name -> the stored Parquet bytes of each frame of the snapshot."""
    return dict(con.execute("SELECT name, data FROM snapshot_frame WHERE snapshot_id = ?", [snapshot_id]).fetchall())


def submissions_frame(con, snapshot_id: int) -> pd.DataFrame:
    """The submissions the snapshot's results were computed from, by unit and period."""
    return con.execute("SELECT submission_id, unit_code, period, submitted_by, submitted_at, file_name, sha256, "
                       "illustrative FROM snapshot_submission WHERE snapshot_id = ? ORDER BY unit_code, period",
                       [snapshot_id]).df()


def delete_snapshot(con, snapshot_id: int) -> None:
    """Remove the snapshot and its frames and submissions, in one transaction. `snapshot_counter` is left
    alone: the number stays retired."""
    with transaction(con):
        for table, key in (("snapshot_submission", "snapshot_id"), ("snapshot_frame", "snapshot_id"),
                           ("snapshot", "id")):
            con.execute(f"DELETE FROM {table} WHERE {key} = ?", [snapshot_id])
