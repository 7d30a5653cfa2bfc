"""Commentary in the database: a unit's explanation of a target's figure written on the page, the notes that
came with uploaded reports, and the office's comment on an area (`kpi.commentary` decides what is shown).

Moments are stored UTC (kpi/clock.py); the caller passes them through `clock.to_storage`.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd


def written_explanations(con, plan_id: str, period: str) -> pd.DataFrame:
    """The explanations written on the page for the plan and period: target_code, unit_code, note,
    written_by, written_at."""
    return con.execute(
        "SELECT target_code, unit_code, note, written_by, written_at FROM target_explanation "
        "WHERE plan_id = ? AND period = ? ORDER BY target_code, unit_code", [plan_id, period]).df()


def uploaded_notes(con, plan_id: str, year: int, first_quarter: int, last_quarter: int) -> pd.DataFrame:
    """The note column of each unit's current reports lying within the quarters, one per target and unit:
    the newest report's (the latest quarter; a report covering more quarters before a shorter one ending
    the same quarter). target_code, unit_code, note, submitted_by, submitted_at."""
    return con.execute(
        """SELECT target_code, unit_code, note, submitted_by, submitted_at FROM (
               SELECT a.target_code, a.unit_code, a.note, coalesce(s.submitted_by, '') AS submitted_by,
                      s.submitted_at,
                      row_number() OVER (PARTITION BY a.target_code, a.unit_code
                                         ORDER BY k.last_quarter DESC, k.first_quarter, s.submitted_at DESC) AS n
               FROM current_actual a JOIN submission s ON s.id = a.submission_id
               JOIN period_kind k ON k.key = a.period_key
               WHERE a.plan_id = ? AND a.period_year = ? AND k.first_quarter >= ? AND k.last_quarter <= ?
                 AND nullif(trim(a.note), '') IS NOT NULL)
           WHERE n = 1 ORDER BY target_code, unit_code""",
        [plan_id, year, first_quarter, last_quarter]).df()


def written_explanation(con, plan_id: str, period: str, unit_code: str, target_code: str) -> str | None:
    row = con.execute("SELECT note FROM target_explanation WHERE plan_id = ? AND period = ? AND unit_code = ? "
                      "AND target_code = ?", [plan_id, period, unit_code, target_code]).fetchone()
    return row[0] if row else None


def save_explanation(con, plan_id: str, period: str, unit_code: str, target_code: str, note: str | None,
                     written_by: str, written_at: dt.datetime) -> None:
    """Replace the page's explanation (none: remove it). The caller owns the transaction."""
    con.execute("DELETE FROM target_explanation WHERE plan_id = ? AND period = ? AND unit_code = ? "
                "AND target_code = ?", [plan_id, period, unit_code, target_code])
    if note:
        con.execute("INSERT INTO target_explanation VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [plan_id, period, unit_code, target_code, note, written_by, written_at])


def area_comments(con, plan_id: str, period: str) -> pd.DataFrame:
    """The office's comments for the plan and period: area_code, comment, written_by, written_at."""
    return con.execute("SELECT area_code, comment, written_by, written_at FROM area_comment "
                       "WHERE plan_id = ? AND period = ? ORDER BY area_code", [plan_id, period]).df()


def area_comment(con, plan_id: str, period: str, area_code: str) -> str | None:
    row = con.execute("SELECT comment FROM area_comment WHERE plan_id = ? AND period = ? AND area_code = ?",
                      [plan_id, period, area_code]).fetchone()
    return row[0] if row else None


def save_area_comment(con, plan_id: str, period: str, area_code: str, comment: str | None, written_by: str,
                      written_at: dt.datetime) -> None:
    """Replace the comment on an area (none: remove it). The caller owns the transaction."""
    con.execute("DELETE FROM area_comment WHERE plan_id = ? AND period = ? AND area_code = ?",
                [plan_id, period, area_code])
    if comment:
        con.execute("INSERT INTO area_comment VALUES (?, ?, ?, ?, ?, ?)",
                    [plan_id, period, area_code, comment, written_by, written_at])


def target_exists(con, plan_id: str, target_code: str) -> bool:
    return con.execute("SELECT count(*) FROM target WHERE plan_id = ? AND code = ?",
                       [plan_id, target_code]).fetchone()[0] > 0


def plan_areas(con, plan_id: str) -> list[str]:
    """The areas that hold a target or a task of the plan."""
    return [r[0] for r in con.execute("SELECT area_code FROM target WHERE plan_id = ? UNION "
                                      "SELECT area_code FROM task WHERE plan_id = ?", [plan_id, plan_id]).fetchall()]


def target_texts(con, plan_id: str) -> dict[str, tuple[str, str, int]]:
    """target code -> (text, area code, plan order)."""
    return {code: (text_, area, seq) for code, text_, area, seq in con.execute(
        "SELECT code, text, area_code, seq FROM target WHERE plan_id = ?", [plan_id]).fetchall()}


def unit_order(con, plan_id: str) -> dict[str, int]:
    """unit code -> its place among the organisation's units in Vietnamese order (as the figures list them)."""
    rows = con.execute("SELECT u.code FROM unit u JOIN plan p ON p.org_id = u.org_id WHERE p.id = ? "
                       "ORDER BY u.name COLLATE vi, u.code", [plan_id]).fetchall()
    return {code: place for place, (code,) in enumerate(rows)}
