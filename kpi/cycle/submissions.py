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


def restore(con: duckdb.DuckDBPyConnection, submission_id: str, *, actor) -> str:
    """Make an earlier submission current again for its unit, plan and period (the office: permission
    `cycle`); the one it replaces stays in history. Its own transaction, audited. Returns the restored id."""
    from kpi import access, audit
    from kpi.db.connection import transaction
    from kpi.problems import KpiError

    row = stored.review_slot(con, submission_id)
    if row is None:
        raise KpiError("submission_unknown", value=submission_id)
    plan_id, org_id, unit_code, period_code, _, _ = row
    access.require(con, actor, "cycle", org_id=org_id, plan_id=plan_id, period=period_code)
    with transaction(con, action="submission_restore", detail={"submission": submission_id}):
        replaced = stored.current_id(con, plan_id, unit_code, period_code)
        stored.supersede_current(con, plan_id, unit_code, period_code)
        stored.make_current(con, submission_id)
        audit.append(con, actor, "submission_restore", plan_id=plan_id, unit_code=unit_code, period=period_code,
                     subject=submission_id, detail={"replaced": replaced})
    return submission_id


# ---- the office's review of one submission: submitted -> approved, or returned with a comment. A new upload
# for the slot starts again at 'submitted' (the column's default), so a returned report stays "returned" only
# until the unit sends it again.

MAX_COMMENT = 2000


def approve(con: duckdb.DuckDBPyConnection, submission_id: str, *, actor) -> None:
    """Approve one current submission (the office: permission `cycle`), audited in the same transaction."""
    _review(con, submission_id, "approved", None, actor, "submission_approve")


def send_back(con: duckdb.DuckDBPyConnection, submission_id: str, comment: str, *, actor) -> None:
    """Return one current submission to its unit with the office's comment (required)."""
    from kpi import text
    from kpi.problems import KpiError
    comment = (text.clean(comment) or "").strip()
    if not comment:
        raise KpiError("return_comment_missing", value=submission_id)
    if len(comment) > MAX_COMMENT:
        raise KpiError("cycle_text_too_long", value=comment[:40], limit=MAX_COMMENT)
    _review(con, submission_id, "returned", comment, actor, "submission_return")


def _review(con, submission_id: str, review: str, comment: str | None, actor, action: str) -> None:
    from kpi import access, audit
    from kpi.db.connection import transaction
    from kpi.problems import KpiError
    row = stored.review_slot(con, submission_id)
    if row is None:
        raise KpiError("submission_unknown", value=submission_id)
    plan_id, org_id, unit_code, period_code, status, before = row
    access.require(con, actor, "cycle", org_id=org_id, plan_id=plan_id, period=period_code)
    if status != "current":
        raise KpiError("submission_not_current", value=submission_id)
    with transaction(con, action=action, detail={"submission": submission_id}):
        # read again under the write lock: an upload for the slot may have superseded it since the check above
        if stored.review_slot(con, submission_id)[4] != "current":
            raise KpiError("submission_not_current", value=submission_id)
        stored.set_review(con, submission_id, review, actor.shown, clock.now(), comment)
        audit.append(con, actor, action, plan_id=plan_id, unit_code=unit_code, period=period_code,
                     subject=submission_id, detail={"before": before, "after": review, "comment": comment})
