"""Reads behind a unit's report template (kpi/excel/template.py): who it is for and what it asks."""
from __future__ import annotations


def unit_by_alias(con, plan_id: str, alias_key: str) -> tuple[str, str] | None:
    """(code, name) of the plan organisation's unit known by `alias_key` (kpi.text.fold of any of its names)."""
    return con.execute(
        "SELECT u.code, u.name FROM unit_alias a JOIN plan p ON p.org_id = a.org_id "
        "JOIN unit u ON u.org_id = a.org_id AND u.code = a.unit_code WHERE p.id = ? AND a.alias_key = ?",
        [plan_id, alias_key]).fetchone()


def plan_year_and_org(con, plan_id: str) -> tuple[int, str] | None:
    return con.execute("SELECT year, org_id FROM plan WHERE id = ?", [plan_id]).fetchone()


def target_rows(con, plan_id: str, period_code: str, unit_code: str | None) -> list[tuple]:
    """Each target every unit answers for (or one unit's), with the figures already reported for the period."""
    return con.execute(
        """SELECT r.unit_code, t.code, a.name AS area, t.text, t.comparator, t.value, t.unit_of_measure, t.kind,
                  c.numerator, c.denominator, c.value AS reported, c.done, c.baseline, c.note, c.evidence
           FROM target_reporter r JOIN target t ON t.plan_id = r.plan_id AND t.code = r.target_code
           JOIN area a ON a.code = t.area_code
           LEFT JOIN current_actual c ON c.plan_id = r.plan_id AND c.target_code = r.target_code
                AND c.unit_code = r.unit_code AND c.period = ?
           WHERE r.plan_id = ? AND (? IS NULL OR r.unit_code = ?)
           ORDER BY r.unit_code, t.seq""", [period_code, plan_id, unit_code, unit_code]).fetchall()


def task_rows(con, plan_id: str, period_code: str, unit_code: str | None) -> list[tuple]:
    """Each task every unit leads (or one unit's), with the progress already reported for the period."""
    return con.execute(
        """SELECT r.unit_code, k.code, a.name, k.text, k.product, k.deadline_text, k.due_date, k.deadline_kind,
                  p.status, p.progress, p.completed_on, p.result, p.note
           FROM task_reporter r JOIN task k ON k.plan_id = r.plan_id AND k.code = r.task_code
           JOIN area a ON a.code = k.area_code
           LEFT JOIN current_task_progress p ON p.plan_id = r.plan_id AND p.task_code = r.task_code
                AND p.unit_code = r.unit_code AND p.period = ?
           WHERE r.plan_id = ? AND (? IS NULL OR r.unit_code = ?)
           ORDER BY r.unit_code, k.seq""", [period_code, plan_id, unit_code, unit_code]).fetchall()
