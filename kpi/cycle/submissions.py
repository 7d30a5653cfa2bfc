"""Reported figures enter the database only here (their SQL in `kpi.db.submissions`): one submission per
unit, plan and period.

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

from kpi import clock
from kpi.db import queries
from kpi.db import submissions as stored
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
    submitted_at: dt.datetime = field(default_factory=clock.now)


def record(con: duckdb.DuckDBPyConnection, sub: Submission) -> str:
    """Store a submission and make it current for its unit, plan and period. Caller owns the transaction."""
    period = sub.period
    org_id = queries.plan_org_id(con, sub.plan_id)
    submission_id = uuid.uuid4().hex
    stored.supersede_current(con, sub.plan_id, sub.unit_code, period.code)
    stored.insert_current(con, submission_id, sub.plan_id, org_id, sub.unit_code, period, source=sub.source,
                          illustrative=sub.illustrative, submitted_by=sub.submitted_by,
                          submitted_at=sub.submitted_at, file_name=sub.file_name, sha256=sub.sha256,
                          rows=len(sub.figures) + len(sub.tasks), note=sub.note)
    if sub.figures:
        stored.insert_actuals(con, submission_id, sub.plan_id, sub.unit_code, period, sub.figures)
    if sub.tasks:
        stored.insert_task_progress(con, submission_id, sub.plan_id, sub.unit_code, period, sub.tasks)
    return submission_id


def restore(con: duckdb.DuckDBPyConnection, submission_id: str) -> str:
    """Make an earlier submission current again for its unit, plan and period; the one it replaces
    stays in history. Caller owns the transaction. Returns the restored id."""
    from kpi.problems import KpiError

    row = stored.submission_slot(con, submission_id)
    if row is None:
        raise KpiError("submission_unknown", value=submission_id)
    stored.supersede_current(con, *row)
    stored.make_current(con, submission_id)
    return submission_id
