"""Reminders in the database: who has reported a period, and the record of every reminder (the rules are in
`kpi.cycle.reminders`; the caller owns the transaction). Moments are UTC (kpi/clock.py)."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kpi import clock


def reported_units(con, plan_id: str, period_code: str) -> set[str]:
    """The units with a current submission for exactly this plan and period."""
    return {r[0] for r in con.execute(
        "SELECT DISTINCT unit_code FROM submission WHERE plan_id = ? AND period = ? AND status = 'current'",
        [plan_id, period_code]).fetchall()}


def insert(con, reminder_id: str, sent_at: dt.datetime, plan_id: str, period_code: str, unit_code: str,
           address: str | None, kind: str, outcome: str, error: str | None, sent_by: str) -> None:
    con.execute("INSERT INTO reminder (id, sent_at, plan_id, period, unit_code, address, kind, outcome, error, "
                "sent_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [reminder_id, clock.to_storage(sent_at), plan_id, period_code, unit_code, address, kind, outcome,
                 error, sent_by])


def sent(con, plan_id: str, period_code: str) -> pd.DataFrame:
    """Every reminder of a plan and period, newest first."""
    return con.execute("SELECT id, sent_at, unit_code, address, kind, outcome, error, sent_by FROM reminder "
                       "WHERE plan_id = ? AND period = ? ORDER BY sent_at DESC, unit_code, address",
                       [plan_id, period_code]).df()
