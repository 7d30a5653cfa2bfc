"""Period locks and per-unit exceptions in the database (the rules are in `kpi.cycle.locks`)."""
from __future__ import annotations

import datetime as dt

from kpi import clock
from kpi.db.connection import transaction


def period_lock(con, plan_id: str, period_code: str) -> tuple[dt.date | None, bool, str | None] | None:
    """(locked_from, approved, approved_by) of the period's lock, or None when it has none."""
    return con.execute("SELECT locked_from, approved, approved_by FROM period_lock WHERE plan_id = ? AND period = ?",
                       [plan_id, period_code]).fetchone()


def replace_period_lock(con, plan_id: str, period_code: str, locked_from: dt.date | None, approved: bool,
                        approved_by: str | None, changed_at: dt.datetime) -> None:
    """Write the period's lock row in one transaction, replacing any earlier one."""
    with transaction(con):
        con.execute("DELETE FROM period_lock WHERE plan_id = ? AND period = ?", [plan_id, period_code])
        con.execute("INSERT INTO period_lock VALUES (?, ?, ?, ?, ?, ?)",
                    [plan_id, period_code, locked_from, approved, approved_by, clock.to_storage(changed_at)])


def replace_exception(con, plan_id: str, period_code: str, unit_code: str, granted_by: str | None,
                      granted_at: dt.datetime) -> None:
    """Let one unit upload for a locked period, in one transaction, replacing an earlier grant."""
    with transaction(con):
        con.execute("DELETE FROM period_exception WHERE plan_id = ? AND period = ? AND unit_code = ?",
                    [plan_id, period_code, unit_code])
        con.execute("INSERT INTO period_exception (plan_id, period, unit_code, granted_by, granted_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [plan_id, period_code, unit_code, granted_by, clock.to_storage(granted_at)])


def excepted_units(con, plan_id: str, period_code: str) -> set[str]:
    """Units allowed to upload for the period although it is locked."""
    return {r[0] for r in con.execute("SELECT unit_code FROM period_exception WHERE plan_id = ? AND "
                                      "period = ?", [plan_id, period_code]).fetchall()}
