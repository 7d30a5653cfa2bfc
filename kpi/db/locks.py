"""Period locks, deadlines and per-unit exceptions in the database (the rules are in `kpi.cycle.locks`).

The writers here do not open a transaction: `kpi.cycle.locks` owns it, so each write and its audit row
commit together (kpi/audit.py)."""
from __future__ import annotations

import datetime as dt

from kpi import clock


def period_lock(con, plan_id: str, period_code: str) -> tuple[dt.date | None, bool, str | None] | None:
    """(locked_from, approved, approved_by) of the period's lock, or None when it has none."""
    return con.execute("SELECT locked_from, approved, approved_by FROM period_lock WHERE plan_id = ? AND period = ?",
                       [plan_id, period_code]).fetchone()


def replace_period_lock(con, plan_id: str, period_code: str, locked_from: dt.date | None, approved: bool,
                        approved_by: str | None, changed_at: dt.datetime) -> None:
    """Write the period's lock row, replacing any earlier one (the caller owns the transaction)."""
    con.execute("DELETE FROM period_lock WHERE plan_id = ? AND period = ?", [plan_id, period_code])
    con.execute("INSERT INTO period_lock VALUES (?, ?, ?, ?, ?, ?)",
                [plan_id, period_code, locked_from, approved, approved_by, clock.to_storage(changed_at)])


def replace_exception(con, plan_id: str, period_code: str, unit_code: str, granted_by: str | None,
                      granted_at: dt.datetime, reason: str | None = None) -> None:
    """Let one unit upload for a locked or closed period, replacing an earlier grant (the caller owns the
    transaction)."""
    con.execute("DELETE FROM period_exception WHERE plan_id = ? AND period = ? AND unit_code = ?",
                [plan_id, period_code, unit_code])
    con.execute("INSERT INTO period_exception (plan_id, period, unit_code, granted_by, granted_at, reason) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [plan_id, period_code, unit_code, granted_by, clock.to_storage(granted_at), reason])


def excepted_units(con, plan_id: str, period_code: str) -> set[str]:
    """Units allowed to upload for the period although it is locked."""
    return {r[0] for r in con.execute("SELECT unit_code FROM period_exception WHERE plan_id = ? AND "
                                      "period = ?", [plan_id, period_code]).fetchall()}


def exceptions(con, plan_id: str, period_code: str) -> list[tuple[str, str | None, dt.datetime, str | None]]:
    """(unit_code, granted_by, granted_at UTC, reason) of every unit reopened for the period, oldest first."""
    return con.execute("SELECT unit_code, granted_by, granted_at, reason FROM period_exception "
                       "WHERE plan_id = ? AND period = ? ORDER BY granted_at, unit_code",
                       [plan_id, period_code]).fetchall()


def period_deadline(con, plan_id: str, period_code: str) -> tuple[dt.date, int, str | None, dt.datetime] | None:
    """(due, grace_days, set_by, set_at) the office set for the period, or None."""
    return con.execute("SELECT due, grace_days, set_by, set_at FROM period_deadline WHERE plan_id = ? AND period = ?",
                       [plan_id, period_code]).fetchone()


def replace_deadline(con, plan_id: str, period_code: str, due: dt.date, grace_days: int, set_by: str | None,
                     set_at: dt.datetime) -> None:
    """Write the period's deadline row, replacing any earlier one (the caller owns the transaction)."""
    con.execute("DELETE FROM period_deadline WHERE plan_id = ? AND period = ?", [plan_id, period_code])
    con.execute("INSERT INTO period_deadline VALUES (?, ?, ?, ?, ?, ?)",
                [plan_id, period_code, due, grace_days, set_by, clock.to_storage(set_at)])


def office_names(con, org_id: str) -> list[str]:
    """Display names of the organisation's active office (van_phong) accounts: who can reopen a period."""
    return [r[0] for r in con.execute(
        "SELECT coalesce(nullif(display_name, ''), username) FROM account WHERE org_id = ? AND role = 'van_phong' "
        "AND NOT disabled ORDER BY display_name COLLATE vi, username", [org_id]).fetchall()]
