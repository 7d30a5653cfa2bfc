"""Reads and writes behind an upload's check (kpi/excel/upload.py): the plan context the checks need, the
submissions already current, and the audit trail."""
from __future__ import annotations

import uuid

from kpi import clock


def check_context(con, plan_id: str) -> dict:
    """Everything the cell checks ask of the database, in five queries."""
    return {
        "targets": {r[0]: r[1:] for r in con.execute(
            "SELECT code, kind, comparator, value, unit_of_measure FROM target WHERE plan_id = ?",
            [plan_id]).fetchall()},
        "target_reporters": set(con.execute(
            "SELECT unit_code, target_code FROM target_reporter WHERE plan_id = ?", [plan_id]).fetchall()),
        "tasks": {r[0] for r in con.execute("SELECT code FROM task WHERE plan_id = ?", [plan_id]).fetchall()},
        "task_reporters": set(con.execute(
            "SELECT unit_code, task_code FROM task_reporter WHERE plan_id = ?", [plan_id]).fetchall()),
    }


def previous_rates(con, plan_id: str, period_code: str) -> dict[tuple[str, str], float]:
    """(unit, target) -> the rate currently reported for `period_code` (a rate that jumps is worth a warning)."""
    return {(u, c): n / d for u, c, n, d in con.execute(
        "SELECT unit_code, target_code, numerator, denominator FROM current_actual "
        "WHERE plan_id = ? AND period = ? AND denominator > 0", [plan_id, period_code]).fetchall()}


def current_submissions(con, plan_id: str, period_code: str) -> tuple[list, list, list]:
    """The period's current submissions (id, unit, sha256, time), their figures and their task reports."""
    subs = con.execute("SELECT id, unit_code, sha256, submitted_at FROM submission WHERE plan_id = ? AND period = ? "
                       "AND status = 'current'", [plan_id, period_code]).fetchall()
    figures = con.execute(
        "SELECT a.submission_id, a.target_code, a.numerator, a.denominator, a.value, a.done, a.baseline, a.note, "
        "a.evidence FROM actual a JOIN submission s ON s.id = a.submission_id "
        "WHERE s.plan_id = ? AND s.period = ? AND s.status = 'current'", [plan_id, period_code]).fetchall()
    tasks = con.execute(
        "SELECT p.submission_id, p.task_code, p.status, p.progress, p.completed_on, p.result, p.note "
        "FROM task_progress p JOIN submission s ON s.id = p.submission_id "
        "WHERE s.plan_id = ? AND s.period = ? AND s.status = 'current'", [plan_id, period_code]).fetchall()
    return subs, figures, tasks


def insert_audit(con, kind: str, who: str | None, plan_id, unit_code, period_code, file_name, sha256, size,
                 codes: str | None) -> None:
    """One audit row (the caller owns the transaction)."""
    con.execute("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [uuid.uuid4().hex, clock.to_storage(clock.now_precise()), kind, who, plan_id,  # µs: keeps the order
                 unit_code, period_code, file_name, sha256, size, codes, None])


def item_names(con, plan_id: str) -> dict[tuple[str, str], str]:
    """("target" | "task", code) -> its text, for the preview of an upload's changes (kpi/excel/changes.py)."""
    return {(kind, code): name for kind, code, name in con.execute(
        "SELECT 'target', code, text FROM target WHERE plan_id = $plan "
        "UNION ALL SELECT 'task', code, text FROM task WHERE plan_id = $plan", {"plan": plan_id}).fetchall()}
