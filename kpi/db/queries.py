"""Reads that many modules need, each written once: plans, units and who reports what.

Every function takes an open connection (or cursor) and returns plain Python values.
"""
from __future__ import annotations


def plan_year(con, plan_id: str) -> int | None:
    row = con.execute("SELECT year FROM plan WHERE id = ?", [plan_id]).fetchone()
    return row[0] if row else None


def plan_org_id(con, plan_id: str) -> str:
    """The organisation of a stored plan."""
    return con.execute("SELECT org_id FROM plan WHERE id = ?", [plan_id]).fetchone()[0]


def plan_exists(con, plan_id: str) -> bool:
    return plan_year(con, plan_id) is not None


def plan_heading(con, plan_id: str) -> tuple[str, str]:
    """(organisation name, plan title or id)."""
    return con.execute("SELECT o.name, coalesce(p.title, p.id) FROM plan p JOIN organisation o ON o.id = p.org_id "
                       "WHERE p.id = ?", [plan_id]).fetchone()


def unit_codes(con, org_id: str) -> set[str]:
    """The codes of an organisation's units."""
    return {r[0] for r in con.execute("SELECT code FROM unit WHERE org_id = ?", [org_id]).fetchall()}


def unit_names(con, plan_id: str) -> dict[str, str]:
    """code -> name of every unit of the plan's organisation."""
    return dict(con.execute("SELECT u.code, u.name FROM unit u JOIN plan p ON p.org_id = u.org_id WHERE p.id = ?",
                            [plan_id]).fetchall())


def target_choices(con, plan_id: str) -> list[tuple[str, str]]:
    """(code, text) of every target of the plan, in plan order."""
    return con.execute("SELECT code, text FROM target WHERE plan_id = ? ORDER BY seq", [plan_id]).fetchall()


def area_names(con) -> dict[str, str]:
    return dict(con.execute("SELECT code, name FROM area").fetchall())


def area_order(con) -> dict[str, int]:
    return dict(con.execute("SELECT code, sort_order FROM area").fetchall())


def target_reporters(con, plan_id: str) -> dict[str, list[str]]:
    """target code -> the units that report it, in code order."""
    found: dict[str, list[str]] = {}
    for code, unit in con.execute("SELECT target_code, unit_code FROM target_reporter WHERE plan_id = ? "
                                  "ORDER BY 1, 2", [plan_id]).fetchall():
        found.setdefault(code, []).append(unit)
    return found


def task_leads(con, plan_id: str) -> dict[str, list[str]]:
    """task code -> its lead units, in code order."""
    found: dict[str, list[str]] = {}
    for code, unit in con.execute("SELECT task_code, unit_code FROM task_reporter WHERE plan_id = ? ORDER BY 1, 2",
                                  [plan_id]).fetchall():
        found.setdefault(code, []).append(unit)
    return found


def reporting_units(con, plan_id: str) -> list[tuple[str, str]]:
    """(code, name) of every unit expected to report a target or a task, Vietnamese order."""
    return con.execute(
        """SELECT DISTINCT u.code, u.name FROM unit u JOIN plan p ON p.org_id = u.org_id
           JOIN (SELECT plan_id, unit_code FROM target_reporter UNION SELECT plan_id, unit_code FROM task_reporter) r
             ON r.plan_id = p.id AND r.unit_code = u.code
           WHERE p.id = ? ORDER BY u.name COLLATE vi""", [plan_id]).fetchall()


def report_deadline_override(con, plan_id: str, period_key: str) -> tuple[int, int] | None:
    """(month, day) when the plan sets its own report deadline for the period kind."""
    return con.execute("SELECT month, day FROM plan_report_deadline WHERE plan_id = ? AND period = ?",
                       [plan_id, period_key]).fetchone()


def reported_period_keys(con, plan_id: str) -> set[str]:
    """Period keys with a current submission in the plan."""
    return {r[0] for r in con.execute("SELECT DISTINCT period_key FROM submission WHERE plan_id = ? "
                                      "AND status = 'current'", [plan_id]).fetchall()}


def submission_history(con, plan_id: str, period_code: str, unit: str | None = None):
    """Every submission of a plan and period (optionally one unit's), newest first, as a DataFrame."""
    return con.execute(
        """SELECT s.id, u.name AS unit, s.submitted_at, coalesce(s.submitted_by, '') AS submitted_by,
                  coalesce(s.file_name, '') AS file_name, s.rows, s.status, s.illustrative
           FROM submission s JOIN plan p ON p.id = s.plan_id
           JOIN unit u ON u.org_id = p.org_id AND u.code = s.unit_code
           WHERE s.plan_id = ? AND s.period = ? AND (? IS NULL OR s.unit_code = ?)
           ORDER BY s.submitted_at DESC""", [plan_id, period_code, unit, unit]).df()


def report_heading(con, plan_id: str) -> dict:
    """What a report's heading names (kpi/report): the organisation, its parent body and province, and the plan's
    number, date, title and signer as the plan states them."""
    row = con.execute(
        """SELECT o.name, o.parent, o.province, p.number, p.issued_on, p.title, p.signer, p.signer_title
           FROM plan p JOIN organisation o ON o.id = p.org_id WHERE p.id = ?""", [plan_id]).fetchone()
    keys = ("agency", "parent", "province", "number", "issued_on", "title", "signer", "signer_title")
    return dict(zip(keys, row)) if row else {}


def task_products(con, plan_id: str) -> dict[str, str]:
    """task code -> the product (sản phẩm) the plan asks for, where it names one."""
    return dict(con.execute("SELECT code, product FROM task WHERE plan_id = ? AND product IS NOT NULL",
                            [plan_id]).fetchall())
