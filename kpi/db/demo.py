"""The reads and the removal behind illustrative data (`kpi.cycle.demo`); its submissions are written
by `kpi.db.submissions` like any other."""
from __future__ import annotations


def plan_years(con) -> list[tuple[str, int]]:
    """(id, year) of every plan, by id."""
    return con.execute("SELECT id, year FROM plan ORDER BY id").fetchall()


def has_illustrative(con, plan_id: str) -> bool:
    """Whether the plan holds any illustrative submission, current or superseded."""
    return bool(con.execute("SELECT count(*) FROM submission WHERE plan_id = ? AND illustrative",
                            [plan_id]).fetchone()[0])


def targets(con, plan_id: str) -> list[tuple]:
    """(code, kind, comparator, value, unit_of_measure) of every target, in plan order."""
    return con.execute("SELECT code, kind, comparator, value, unit_of_measure FROM target "
                       "WHERE plan_id = ? ORDER BY seq", [plan_id]).fetchall()


def target_reporter_pairs(con, plan_id: str) -> list[tuple[str, str]]:
    """(unit_code, target_code) of who reports what, by unit then target."""
    return con.execute("SELECT unit_code, target_code FROM target_reporter WHERE plan_id = ? "
                       "ORDER BY unit_code, target_code", [plan_id]).fetchall()


def tasks(con, plan_id: str) -> list[tuple]:
    """(code, deadline_kind, due_date) of every task, in plan order."""
    return con.execute("SELECT code, deadline_kind, due_date FROM task WHERE plan_id = ? ORDER BY seq",
                       [plan_id]).fetchall()


def task_reporter_pairs(con, plan_id: str) -> list[tuple[str, str]]:
    """(unit_code, task_code) of who reports which task, by unit then task."""
    return con.execute("SELECT unit_code, task_code FROM task_reporter WHERE plan_id = ? "
                       "ORDER BY unit_code, task_code", [plan_id]).fetchall()


def has_current_submission(con, plan_id: str, unit_code: str, period_code: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM submission WHERE plan_id = ? AND unit_code = ? "
                            "AND period = ? AND status = 'current'",
                            [plan_id, unit_code, period_code]).fetchone()[0])


def delete_illustrative(con) -> int:
    """Delete every illustrative submission and its rows (the caller owns the transaction). Returns how many."""
    count = con.execute("SELECT count(*) FROM submission WHERE illustrative").fetchone()[0]
    con.execute("DELETE FROM actual WHERE submission_id IN (SELECT id FROM submission WHERE illustrative)")
    con.execute("DELETE FROM task_progress WHERE submission_id IN (SELECT id FROM submission WHERE illustrative)")
    con.execute("DELETE FROM submission WHERE illustrative")
    return count


def has_current_illustrative(con) -> bool:
    return con.execute("SELECT count(*) FROM submission WHERE illustrative AND status = 'current'").fetchone()[0] > 0
