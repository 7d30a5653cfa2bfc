"""Reads of the plan catalogue for lists and page tables (kpi/plans/catalogue.py formats them).

Lists sort with Vietnamese collation in SQL (`COLLATE vi`), never with Python's sorted().
"""
from __future__ import annotations

import pandas as pd


def plans_frame(con) -> pd.DataFrame:
    """One row per plan: id, organisation, year, number, issued_on, counts, source_file."""
    return con.execute(
        """SELECT p.id, o.name AS organisation, o.id AS org_id, o.province, p.year, p.number, p.issued_on,
                  p.source_file,
                  (SELECT count(*) FROM target t WHERE t.plan_id = p.id) AS targets,
                  (SELECT count(*) FROM task k WHERE k.plan_id = p.id) AS tasks,
                  (SELECT count(*) FROM target_conflict c WHERE c.plan_id = p.id
                      AND c.status = 'unresolved') AS conflicts
           FROM plan p JOIN organisation o ON o.id = p.org_id
           ORDER BY o.name COLLATE vi, p.year"""
    ).df()


def area_counts_frame(con, plan_id: str) -> pd.DataFrame:
    """Every canonical area with the plan's heading and its target and task counts, in area order."""
    return con.execute(
        """SELECT a.name AS canonical, pa.heading, pa.number,
                  (SELECT count(*) FROM target t WHERE t.plan_id = pa.plan_id AND t.area_code = a.code) AS n_targets,
                  (SELECT count(*) FROM task k WHERE k.plan_id = pa.plan_id AND k.area_code = a.code) AS n_tasks
           FROM area a LEFT JOIN plan_area pa ON pa.area_code = a.code AND pa.plan_id = ?
           ORDER BY a.sort_order""", [plan_id]).df()


def units_frame(con, plan_id: str) -> pd.DataFrame:
    """The units of the plan's organisation with their other spellings (kind as stored), Vietnamese order."""
    return con.execute(
        """SELECT u.code, u.name, u.kind,
                  (SELECT string_agg(a.alias, '; ' ORDER BY a.alias COLLATE vi) FROM unit_alias a
                   WHERE a.org_id = u.org_id AND a.unit_code = u.code AND a.alias <> u.name AND a.alias <> u.code)
                   AS aliases
           FROM unit u JOIN plan p ON p.org_id = u.org_id WHERE p.id = ?
           ORDER BY u.name COLLATE vi""", [plan_id]).df()


def conflicts_frame(con, plan_id: str) -> pd.DataFrame:
    """Body/appendix conflicts of the plan (status as stored), in target order."""
    return con.execute(
        """SELECT c.target_code AS code, t.text, c.body, c.appendix, c.note, c.status
           FROM (SELECT target_code, body_text AS body, appendix_text AS appendix, note, status, plan_id
                 FROM target_conflict) c
           JOIN target t ON t.plan_id = c.plan_id AND t.code = c.target_code
           WHERE c.plan_id = ? ORDER BY t.seq""", [plan_id]).df()


def open_conflict_notes(con, plan_id: str, target_code: str) -> list[str]:
    """What the transcriber wrote about each unresolved body/appendix conflict of one target."""
    return [note for (note,) in con.execute(
        "SELECT note FROM target_conflict WHERE plan_id = ? AND target_code = ? AND status = 'unresolved' "
        "AND note IS NOT NULL ORDER BY field", [plan_id, target_code]).fetchall()]


def plan_summary_row(con, plan_id: str) -> tuple | None:
    """(number, issued_on, signer, source_file, targets, tasks, unresolved conflicts, budget), or None."""
    return con.execute(
        """SELECT p.number, p.issued_on, p.signer, p.source_file,
                  (SELECT count(*) FROM target WHERE plan_id = p.id),
                  (SELECT count(*) FROM task WHERE plan_id = p.id),
                  (SELECT count(*) FROM target_conflict WHERE plan_id = p.id AND status = 'unresolved'),
                  (SELECT sum(budget_million_vnd) FROM task WHERE plan_id = p.id)
           FROM plan p WHERE p.id = ?""", [plan_id]).fetchone()


def plan_choices_frame(con) -> pd.DataFrame:
    """Organisations and their plan years, Vietnamese order: what the sidebar offers."""
    return con.execute(
        """SELECT o.id AS org_id, o.name AS organisation, p.year, p.id AS plan_id
           FROM plan p JOIN organisation o ON o.id = p.org_id
           ORDER BY o.name COLLATE vi, p.year DESC""").df()


def lead_unit_names(con, plan_id: str) -> list[str]:
    """Names of the units leading at least one task of the plan, Vietnamese order."""
    return [r[0] for r in con.execute(
        """SELECT DISTINCT u.name FROM task_unit tu JOIN unit u ON u.org_id = tu.org_id AND u.code = tu.unit_code
           WHERE tu.plan_id = ? AND tu.role = 'lead' ORDER BY u.name COLLATE vi""", [plan_id]).fetchall()]
