"""What the "Nhập số liệu" page and the command line need besides checking: who reports, which
periods exist, and the submission history. SQL stays here, behind kpi/."""
from __future__ import annotations

import pandas as pd

from kpi import text
from kpi.excel.template import ALL_UNITS
from kpi.periods import periods_of_year


def reporting_units(con, plan_id: str) -> list[tuple[str, str]]:
    """(code, name) of every unit expected to report a target or a task, Vietnamese order."""
    return con.execute(
        """SELECT DISTINCT u.code, u.name FROM unit u JOIN plan p ON p.org_id = u.org_id
           JOIN (SELECT plan_id, unit_code FROM target_reporter UNION SELECT plan_id, unit_code FROM task_reporter) r
             ON r.plan_id = p.id AND r.unit_code = u.code
           WHERE p.id = ? ORDER BY u.name COLLATE vi""", [plan_id]).fetchall()


def period_choices(con, plan_id: str) -> list[tuple[str, str]]:
    """(code, label) of the periods of the plan's year."""
    year = con.execute("SELECT year FROM plan WHERE id = ?", [plan_id]).fetchone()[0]
    return [(p.code, p.label) for p in periods_of_year(year)]


def report_deadline(con, plan_id: str, period_code: str):
    from kpi.periods import parse_period
    period = parse_period(period_code)
    override = con.execute("SELECT month, day FROM plan_report_deadline WHERE plan_id = ? AND period = ?",
                           [plan_id, period.key]).fetchone()
    return period.report_deadline(override)


def history(con, plan_id: str, period_code: str, unit: str | None = None) -> pd.DataFrame:
    unit_filter = "" if unit in (None, ALL_UNITS) else "AND s.unit_code = ?"
    args = [plan_id, period_code] + ([] if unit in (None, ALL_UNITS) else [unit])
    frame = con.execute(
        f"""SELECT s.id, u.name AS unit, s.submitted_at, coalesce(s.submitted_by, '') AS submitted_by,
                   coalesce(s.file_name, '') AS file_name, s.rows, s.status, s.illustrative
            FROM submission s JOIN plan p ON p.id = s.plan_id
            JOIN unit u ON u.org_id = p.org_id AND u.code = s.unit_code
            WHERE s.plan_id = ? AND s.period = ? {unit_filter}
            ORDER BY s.submitted_at DESC""", args).df()
    frame["status"] = frame["status"].map(text.SUBMISSION_STATUS)
    frame["submitted_at"] = frame["submitted_at"].map(lambda t: t.strftime("%H:%M %d/%m/%Y"))
    frame.loc[frame["illustrative"], "submitted_by"] = text.UPLOAD_PAGE["illustrative"]
    return frame.drop(columns=["illustrative"])


def default_period(con, plan_id: str) -> str:
    """The longest year-to-date period with reports (9 months before 6 months before Q1); else Q1."""
    year = con.execute("SELECT year FROM plan WHERE id = ?", [plan_id]).fetchone()[0]
    reported = {r[0] for r in con.execute("SELECT DISTINCT period_key FROM submission WHERE plan_id = ? "
                                          "AND status = 'current'", [plan_id]).fetchall()}
    for key, covers in (("Y", {"Q4", "Y"}), ("9M", {"Q3", "9M"}), ("H1", {"Q2", "H1"}), ("Q1", {"Q1"})):
        if reported & covers:
            return str(year) if key == "Y" else f"{year}-{key}"
    return f"{year}-Q1"


def period_end(period_code: str):
    from kpi.periods import parse_period
    return parse_period(period_code).end


def parse_as_of(value: str | None):
    """"30-06-2023" (the URL form of an as-of date) -> date; anything else -> None."""
    import datetime as dt
    try:
        return dt.datetime.strptime(value, "%d-%m-%Y").date() if value else None
    except ValueError:
        return None
