"""Reported figures in the database: the submission rows and their actuals and task progress.

The only SQL that writes them; `kpi.cycle.submissions` decides what is written (and the caller owns the
transaction). Reads of submissions that pages and the dashboard need are here too.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kpi import clock
from kpi.periods import Period


def supersede_current(con, plan_id: str, unit_code: str, period_code: str) -> None:
    """Mark the unit's current submission for the plan and period (if any) superseded."""
    con.execute(
        "UPDATE submission SET status = 'superseded' WHERE plan_id = ? AND unit_code = ? AND period = ? "
        "AND status = 'current'", [plan_id, unit_code, period_code])


def insert_current(con, submission_id: str, plan_id: str, org_id: str, unit_code: str, period: Period, *,
                   source: str, illustrative: bool, submitted_by: str | None, submitted_at: dt.datetime,
                   file_name: str | None, sha256: str | None, rows: int, note: str | None) -> None:
    """One submission row with status 'current'."""
    con.execute(
        "INSERT INTO submission (id, plan_id, org_id, unit_code, period, period_year, period_key, source, "
        "illustrative, submitted_by, submitted_at, file_name, sha256, rows, status, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [submission_id, plan_id, org_id, unit_code, period.code, period.year, period.key, source,
         illustrative, submitted_by, clock.to_storage(submitted_at), file_name, sha256, rows, "current", note])


def insert_actuals(con, submission_id: str, plan_id: str, unit_code: str, period: Period, figures) -> None:
    """The target figures (`TargetFigure`s) of a submission."""
    con.executemany(
        "INSERT INTO actual VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(submission_id, plan_id, f.target_code, unit_code, period.code, period.year, period.key,
          f.numerator, f.denominator, f.value, f.done, f.baseline, f.note, f.evidence) for f in figures])


def insert_task_progress(con, submission_id: str, plan_id: str, unit_code: str, period: Period, tasks) -> None:
    """The task reports (`TaskReport`s) of a submission."""
    con.executemany(
        "INSERT INTO task_progress VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(submission_id, plan_id, t.task_code, unit_code, period.code, period.year, period.key,
          t.status, t.progress, t.completed_on, t.result, t.note) for t in tasks])


def current_id(con, plan_id: str, unit_code: str, period_code: str) -> str | None:
    row = con.execute("SELECT id FROM submission WHERE plan_id = ? AND unit_code = ? AND period = ? "
                      "AND status = 'current'", [plan_id, unit_code, period_code]).fetchone()
    return row[0] if row else None


def make_current(con, submission_id: str) -> None:
    con.execute("UPDATE submission SET status = 'current' WHERE id = ?", [submission_id])


def latest_by_unit(con, plan_id: str, year: int, last_quarter: int) -> dict[str, tuple[dt.datetime, str]]:
    """unit code -> (time, submitter) of its latest current submission of the year for a period that ends
    with quarter `last_quarter`."""
    return {u: (at, who) for u, at, who in con.execute(
        "SELECT s.unit_code, max(s.submitted_at), arg_max(coalesce(s.submitted_by, ''), s.submitted_at) "
        "FROM submission s JOIN period_kind k ON k.key = s.period_key "
        "WHERE s.plan_id = ? AND s.period_year = ? AND s.status = 'current' AND k.last_quarter = ? "
        "GROUP BY ALL", [plan_id, year, last_quarter]).fetchall()}


def target_figures(con, plan_id: str, target_code: str, year: int, first_quarter: int,
                   last_quarter: int) -> pd.DataFrame:
    """Each unit's current figures for one target in reports lying within the quarters, with the submission
    behind them (who, when, which file), unformatted."""
    return con.execute(
        """SELECT u.name AS unit, s.period, s.period_year, s.period_key, a.numerator, a.denominator, a.value, a.done, a.baseline, a.note,
                  a.evidence, coalesce(s.submitted_by, '') AS submitted_by, s.submitted_at,
                  coalesce(s.file_name, '') AS file_name, s.illustrative
           FROM current_actual a JOIN submission s ON s.id = a.submission_id
           JOIN plan p ON p.id = a.plan_id JOIN unit u ON u.org_id = p.org_id AND u.code = a.unit_code
           JOIN period_kind k ON k.key = a.period_key
           WHERE a.plan_id = ? AND a.target_code = ? AND a.period_year = ?
             AND k.first_quarter >= ? AND k.last_quarter <= ?
           ORDER BY u.name COLLATE vi, k.last_quarter, k.first_quarter""",
        [plan_id, target_code, year, first_quarter, last_quarter]).df()


def target_files(con, plan_id: str, target_code: str, year: int, first_quarter: int,
                 last_quarter: int) -> list[tuple]:
    """(unit name, period_year, period_key, file name, sha256, submitted_at) of each uploaded file behind one
    target's current figures in the quarters, newest first: the files a figure can be traced to."""
    return con.execute(
        """SELECT DISTINCT u.name, s.period_year, s.period_key, coalesce(s.file_name, ''), s.sha256, s.submitted_at
           FROM current_actual a JOIN submission s ON s.id = a.submission_id
           JOIN plan p ON p.id = a.plan_id JOIN unit u ON u.org_id = p.org_id AND u.code = a.unit_code
           JOIN period_kind k ON k.key = a.period_key
           WHERE a.plan_id = ? AND a.target_code = ? AND a.period_year = ? AND s.sha256 IS NOT NULL
             AND k.first_quarter >= ? AND k.last_quarter <= ?
           ORDER BY s.submitted_at DESC""",
        [plan_id, target_code, year, first_quarter, last_quarter]).fetchall()


# ---- reviews of single submissions (kpi/cycle/submissions.py approve / send_back)

def review_slot(con, submission_id: str) -> tuple | None:
    """(plan_id, org_id, unit_code, period, status, review) of a stored submission, or None."""
    return con.execute("SELECT plan_id, org_id, unit_code, period, status, coalesce(review, 'submitted') "
                       "FROM submission WHERE id = ?", [submission_id]).fetchone()


def set_review(con, submission_id: str, review: str, reviewed_by: str, reviewed_at: dt.datetime,
               comment: str | None) -> None:
    con.execute("UPDATE submission SET review = ?, reviewed_by = ?, reviewed_at = ?, review_comment = ? WHERE id = ?",
                [review, reviewed_by, clock.to_storage(reviewed_at), comment, submission_id])


def reviews_of(con, submission_ids: list[str]) -> dict[str, str]:
    """submission id -> its review ('submitted' | 'approved' | 'returned')."""
    if not submission_ids:
        return {}
    return dict(con.execute("SELECT id, coalesce(review, 'submitted') FROM submission WHERE list_contains(?, id)",
                            [list(submission_ids)]).fetchall())


def period_reports(con, plan_id: str, year: int, last_quarter: int) -> pd.DataFrame:
    """Per unit, its current report for a period of the year ending with quarter `last_quarter` (the latest
    when there are several, e.g. Quý III and 9 tháng): id, period, submitted_at, submitted_by, review, reviewed_by,
    reviewed_at, review_comment, illustrative; and `first_at`, when the unit's first report for such a period
    arrived (superseded ones included: a correction after the deadline does not make an on-time report late)."""
    return con.execute(
        """WITH slot AS (
               SELECT s.* FROM submission s JOIN period_kind k ON k.key = s.period_key
               WHERE s.plan_id = ? AND s.period_year = ? AND k.last_quarter = ?),
           first AS (SELECT unit_code, min(submitted_at) AS first_at FROM slot GROUP BY unit_code)
           SELECT c.unit_code, arg_max(c.id, c.submitted_at) AS id, arg_max(c.period, c.submitted_at) AS period,
                  max(c.submitted_at) AS submitted_at,
                  arg_max(coalesce(c.submitted_by, ''), c.submitted_at) AS submitted_by,
                  arg_max(coalesce(c.review, 'submitted'), c.submitted_at) AS review,
                  arg_max(coalesce(c.reviewed_by, ''), c.submitted_at) AS reviewed_by,
                  arg_max(c.reviewed_at, c.submitted_at) AS reviewed_at,
                  arg_max(coalesce(c.review_comment, ''), c.submitted_at) AS review_comment,
                  bool_or(c.illustrative) AS illustrative, any_value(f.first_at) AS first_at
           FROM slot c JOIN first f USING (unit_code)
           WHERE c.status = 'current' GROUP BY c.unit_code""",
        [plan_id, year, last_quarter]).df()


def period_submissions(con, plan_id: str, period_code: str) -> pd.DataFrame:
    """The current submissions of one period code, for the office's review: id, unit, unit_code, submitted_at,
    submitted_by, file_name, rows, review, reviewed_by, reviewed_at, review_comment, illustrative; by unit name."""
    return con.execute(
        """SELECT s.id, u.name AS unit, s.unit_code, s.submitted_at, coalesce(s.submitted_by, '') AS submitted_by,
                  coalesce(s.file_name, '') AS file_name, s.rows, coalesce(s.review, 'submitted') AS review,
                  coalesce(s.reviewed_by, '') AS reviewed_by, s.reviewed_at,
                  coalesce(s.review_comment, '') AS review_comment, s.illustrative
           FROM submission s JOIN unit u ON u.org_id = s.org_id AND u.code = s.unit_code
           WHERE s.plan_id = ? AND s.period = ? AND s.status = 'current'
           ORDER BY u.name COLLATE vi""", [plan_id, period_code]).df()
