"""Period locks (docs/reliability-catalogue.md B11): when uploads for a period are closed, for whom they are
open again, and whether the period's figures are approved. Opt-in: a period without a lock row is open
from its first day on. The rows are read and written by `kpi.db.locks`."""
from __future__ import annotations

import datetime as dt

from kpi import clock, text
from kpi.db import locks as stored
from kpi.periods import Period


def _now() -> dt.datetime:
    return clock.now()


def _row(con, plan_id: str, period: Period):
    return stored.period_lock(con, plan_id, period.code)


def _upsert(con, plan_id: str, period: Period, locked_from, approved: bool, approved_by) -> None:
    stored.replace_period_lock(con, plan_id, period.code, locked_from, approved, approved_by, _now())


def lock(con, plan_id: str, period: Period, locked_from: dt.date) -> None:
    row = _row(con, plan_id, period)
    _upsert(con, plan_id, period, locked_from, bool(row and row[1]), row[2] if row else None)


def unlock(con, plan_id: str, period: Period) -> None:
    row = _row(con, plan_id, period)
    _upsert(con, plan_id, period, None, bool(row and row[1]), row[2] if row else None)


def approve(con, plan_id: str, period: Period, by: str | None) -> None:
    row = _row(con, plan_id, period)
    _upsert(con, plan_id, period, row[0] if row else None, True, by)


def unapprove(con, plan_id: str, period: Period) -> None:
    row = _row(con, plan_id, period)
    _upsert(con, plan_id, period, row[0] if row else None, False, None)


def allow(con, plan_id: str, period: Period, unit_code: str, by: str | None) -> None:
    stored.replace_exception(con, plan_id, period.code, unit_code, by, _now())


def refusal(con, plan_id: str, period: Period, unit_code: str, today: dt.date) -> tuple[str, dict] | None:
    """Why `unit_code` may not upload for the period today, as (problem code, parameters), or None."""
    return first_refusal(con, plan_id, period, [unit_code], today)


def first_refusal(con, plan_id: str, period: Period, unit_codes, today: dt.date) -> tuple[str, dict] | None:
    """The first reason one of `unit_codes` may not upload for the period today (two queries however many
    units a consolidated file holds), or None."""
    if today < period.start:
        return "period_not_open", {"period": period.label, "start": text.format_date(period.start)}
    row = _row(con, plan_id, period)
    if row is None:
        return None
    locked_from, approved, approved_by = row
    if approved:
        return "period_approved", {"period": period.label, "by": approved_by or text.MISSING}
    if locked_from is not None and today >= locked_from:
        excepted = stored.excepted_units(con, plan_id, period.code)
        if any(unit not in excepted for unit in unit_codes):
            return "period_locked", {"period": period.label, "since": text.format_date(locked_from)}
    return None
