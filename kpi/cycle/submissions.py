"""Reported figures enter the database only here: one submission per unit, plan and period.

A new submission for the same unit, plan and period supersedes the current one, which stays in history
with status 'superseded'. The engine reads current submissions only (views current_actual and
current_task_progress).
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import NamedTuple

import duckdb

from kpi.periods import Period


class TargetFigure(NamedTuple):  # a named tuple: a consolidated upload makes tens of thousands
    target_code: str
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    done: bool | None = None
    baseline: float | None = None
    note: str | None = None
    evidence: str | None = None


class TaskReport(NamedTuple):
    task_code: str
    status: str                       # not_started | in_progress | done | dropped
    progress: float | None = None     # percent 0..100
    completed_on: dt.date | None = None
    result: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Submission:
    plan_id: str
    unit_code: str
    period: Period
    figures: tuple[TargetFigure, ...] = ()
    tasks: tuple[TaskReport, ...] = ()
    source: str = "upload"
    illustrative: bool = False
    submitted_by: str | None = None
    file_name: str | None = None
    sha256: str | None = None
    note: str | None = None
    submitted_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))


def record(con: duckdb.DuckDBPyConnection, sub: Submission) -> str:
    """Store a submission and make it current for its unit, plan and period. Caller owns the transaction."""
    period = sub.period
    org_id = con.execute("SELECT org_id FROM plan WHERE id = ?", [sub.plan_id]).fetchone()[0]
    submission_id = uuid.uuid4().hex
    con.execute(
        "UPDATE submission SET status = 'superseded' WHERE plan_id = ? AND unit_code = ? AND period = ? "
        "AND status = 'current'", [sub.plan_id, sub.unit_code, period.code])
    con.execute(
        "INSERT INTO submission VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [submission_id, sub.plan_id, org_id, sub.unit_code, period.code, period.year, period.key, sub.source,
         sub.illustrative, sub.submitted_by, sub.submitted_at, sub.file_name, sub.sha256,
         len(sub.figures) + len(sub.tasks), "current", sub.note])
    if sub.figures:
        con.executemany(
            "INSERT INTO actual VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(submission_id, sub.plan_id, f.target_code, sub.unit_code, period.code, period.year, period.key,
              f.numerator, f.denominator, f.value, f.done, f.baseline, f.note, f.evidence) for f in sub.figures])
    if sub.tasks:
        con.executemany(
            "INSERT INTO task_progress VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(submission_id, sub.plan_id, t.task_code, sub.unit_code, period.code, period.year, period.key,
              t.status, t.progress, t.completed_on, t.result, t.note) for t in sub.tasks])
    return submission_id


def restore(con: duckdb.DuckDBPyConnection, submission_id: str) -> str:
    """Make an earlier submission current again for its unit, plan and period; the one it replaces
    stays in history. Caller owns the transaction. Returns the restored id."""
    from kpi.problems import KpiError

    row = con.execute("SELECT plan_id, unit_code, period FROM submission WHERE id = ?", [submission_id]).fetchone()
    if row is None:
        raise KpiError("submission_unknown", value=submission_id)
    con.execute("UPDATE submission SET status = 'superseded' WHERE plan_id = ? AND unit_code = ? AND period = ? "
                "AND status = 'current'", list(row))
    con.execute("UPDATE submission SET status = 'current' WHERE id = ?", [submission_id])
    return submission_id
