"""Period locks and deadlines (docs/cycle.md, docs/reliability-catalogue.md B11): when uploads for a period
are closed, for whom they are open again, and whether the period's figures are approved.

Two ways a period closes to uploads, both opt-in:
- a lock from a date (`lock`), as before;
- a deadline the office set (`set_deadline`): after the due day plus the grace days the period closes by
  itself. Without a stored deadline the plan's own rule (`kpi.cycle.reporting.report_deadline`) still says
  when reports are due (on time or late), but closes nothing: years of earlier reports stay correctable.
A unit reopened with a reason (`reopen`, or the older `allow`) may upload although the period is locked or
closed; an approved period takes no upload from anyone.

Every write here takes the actor, asks `kpi.access.require(..., "cycle", ...)` first and appends its audit
row inside its own transaction. The rows are read and written by `kpi.db.locks`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kpi import access, audit, clock, text
from kpi.db import locks as stored
from kpi.db import queries
from kpi.db.connection import transaction
from kpi.periods import Period
from kpi.problems import KpiError

MAX_GRACE_DAYS = 90
MAX_REASON = 500


@dataclass(frozen=True)
class Deadline:
    """A period's report deadline: `due` (the last day reports count as on time), `grace_days` after it
    during which uploads are still taken; `stored` False when it is the plan's rule, not the office's
    choice (then nothing closes by itself)."""
    due: dt.date
    grace_days: int = 0
    stored: bool = False
    set_by: str | None = None
    set_at: dt.datetime | None = None

    @property
    def closes_on(self) -> dt.date:
        """The first day uploads are refused."""
        return self.due + dt.timedelta(days=self.grace_days + 1)

    def closed(self, today: dt.date) -> bool:
        return self.stored and today >= self.closes_on


def _now() -> dt.datetime:
    return clock.now()


def _org_of(con, plan_id: str) -> str:
    if not queries.plan_exists(con, plan_id):
        raise KpiError("plan_unknown", value=plan_id)
    return queries.plan_org_id(con, plan_id)


def _require(con, actor: access.Actor, plan_id: str, period: Period) -> None:
    access.require(con, actor, "cycle", org_id=_org_of(con, plan_id), plan_id=plan_id, period=period.code)


def _row(con, plan_id: str, period: Period):
    return stored.period_lock(con, plan_id, period.code)


def _write_lock(con, actor, action: str, plan_id: str, period: Period, locked_from, approved: bool,
                approved_by, detail: dict) -> None:
    with transaction(con, action=action, detail={"plan": plan_id, "period": period.code}):
        stored.replace_period_lock(con, plan_id, period.code, locked_from, approved, approved_by, _now())
        audit.append(con, actor, action, plan_id=plan_id, period=period.code, detail=detail)


def lock(con, plan_id: str, period: Period, locked_from: dt.date, *, actor: access.Actor,
         note: str | None = None) -> None:
    """Close the period to uploads from `locked_from` (units reopened one by one excepted)."""
    _require(con, actor, plan_id, period)
    row = _row(con, plan_id, period)
    _write_lock(con, actor, "period_lock", plan_id, period, locked_from, bool(row and row[1]),
                row[2] if row else None, {"from": text.iso_date(locked_from), "note": note})


def unlock(con, plan_id: str, period: Period, *, actor: access.Actor, note: str | None = None) -> None:
    _require(con, actor, plan_id, period)
    row = _row(con, plan_id, period)
    _write_lock(con, actor, "period_unlock", plan_id, period, None, bool(row and row[1]), row[2] if row else None,
                {"note": note})


def approve(con, plan_id: str, period: Period, *, actor: access.Actor, note: str | None = None) -> None:
    """Approve the period's figures: no more uploads until un-approved. Recorded under the actor's name;
    `note` (the CLI's --by) only adds a display note."""
    _require(con, actor, plan_id, period)
    row = _row(con, plan_id, period)
    by = f"{actor.shown} ({note})" if note else actor.shown
    _write_lock(con, actor, "period_approve", plan_id, period, row[0] if row else None, True, by, {"note": note})


def unapprove(con, plan_id: str, period: Period, *, actor: access.Actor, note: str | None = None) -> None:
    _require(con, actor, plan_id, period)
    row = _row(con, plan_id, period)
    _write_lock(con, actor, "period_unapprove", plan_id, period, row[0] if row else None, False, None,
                {"note": note})


def _known_unit(con, plan_id: str, unit_code: str) -> None:
    if unit_code not in queries.unit_names(con, plan_id):
        raise KpiError("cycle_unit_unknown", value=unit_code, plan=plan_id)


def reopen(con, plan_id: str, period: Period, unit_code: str, reason: str, *, actor: access.Actor) -> None:
    """Let one unit upload although the period is locked or past its deadline, for a stated reason."""
    reason = (text.clean(reason) or "").strip()
    if not reason:
        raise KpiError("reopen_reason_missing", value=unit_code)
    if len(reason) > MAX_REASON:
        raise KpiError("cycle_text_too_long", value=reason[:40], limit=MAX_REASON)
    _grant(con, plan_id, period, unit_code, actor=actor, reason=reason, note=None)


def allow(con, plan_id: str, period: Period, unit_code: str, *, actor: access.Actor, note: str | None = None) -> None:
    """The older command (`periods allow`): reopen one unit, the reason optional (`note`)."""
    _grant(con, plan_id, period, unit_code, actor=actor, reason=note, note=note)


def _grant(con, plan_id: str, period: Period, unit_code: str, *, actor, reason, note) -> None:
    _require(con, actor, plan_id, period)
    _known_unit(con, plan_id, unit_code)
    with transaction(con, action="period_allow", detail={"plan": plan_id, "period": period.code, "unit": unit_code}):
        stored.replace_exception(con, plan_id, period.code, unit_code, actor.shown, _now(), reason)
        audit.append(con, actor, "period_allow", plan_id=plan_id, unit_code=unit_code, period=period.code,
                     detail={"reason": reason, "note": note})


def deadline(con, plan_id: str, period: Period) -> Deadline:
    """The period's deadline: the office's (stored) or the plan's own rule."""
    row = stored.period_deadline(con, plan_id, period.code)
    if row is not None:
        due, grace, by, at = row
        return Deadline(due, int(grace), True, by, at)
    from kpi.cycle.reporting import report_deadline
    return Deadline(report_deadline(con, plan_id, period))


def set_deadline(con, plan_id: str, period: Period, due: dt.date, grace_days: int = 0, *,
                 actor: access.Actor) -> Deadline:
    """Store the period's report deadline and grace days; after them the period closes to uploads."""
    _require(con, actor, plan_id, period)
    if not 0 <= int(grace_days) <= MAX_GRACE_DAYS:
        raise KpiError("grace_days_invalid", value=grace_days, limit=MAX_GRACE_DAYS)
    if due < period.start:
        raise KpiError("deadline_before_period", value=text.format_date(due), start=text.format_date(period.start))
    before = stored.period_deadline(con, plan_id, period.code)
    with transaction(con, action="deadline_set", detail={"plan": plan_id, "period": period.code}):
        stored.replace_deadline(con, plan_id, period.code, due, int(grace_days), actor.shown, _now())
        audit.append(con, actor, "deadline_set", plan_id=plan_id, period=period.code, detail={
            "due": text.iso_date(due), "grace_days": int(grace_days),
            "before": {"due": text.iso_date(before[0]), "grace_days": int(before[1])} if before else None})
    return deadline(con, plan_id, period)


def reopened_units(con, plan_id: str, period: Period) -> list[dict]:
    """Units reopened for the period: [{"unit_code", "granted_by", "granted_at" (UTC), "reason"}]."""
    return [{"unit_code": u, "granted_by": by, "granted_at": at, "reason": reason}
            for u, by, at, reason in stored.exceptions(con, plan_id, period.code)]


def period_state(con, plan_id: str, period: Period) -> dict:
    """What the office's page shows about the period: locked_from, approved, approved_by, deadline."""
    row = _row(con, plan_id, period)
    locked_from, approved, approved_by = row if row else (None, False, None)
    return {"locked_from": locked_from, "approved": bool(approved), "approved_by": approved_by,
            "deadline": deadline(con, plan_id, period)}


def refusal(con, plan_id: str, period: Period, unit_code: str, today: dt.date) -> tuple[str, dict] | None:
    """Why `unit_code` may not upload for the period today, as (problem code, parameters), or None."""
    return first_refusal(con, plan_id, period, [unit_code], today)


def first_refusal(con, plan_id: str, period: Period, unit_codes, today: dt.date) -> tuple[str, dict] | None:
    """The first reason one of `unit_codes` may not upload for the period today (a few queries however many
    units a consolidated file holds), or None."""
    if today < period.start:
        return "period_not_open", {"period": period.label, "start": text.format_date(period.start)}
    row = _row(con, plan_id, period)
    locked_from, approved, approved_by = row if row else (None, False, None)
    if approved:
        return "period_approved", {"period": period.label, "by": approved_by or text.MISSING}
    due = deadline(con, plan_id, period)
    locked = locked_from is not None and today >= locked_from
    if not locked and not due.closed(today):
        return None
    excepted = stored.excepted_units(con, plan_id, period.code)
    if all(unit in excepted for unit in unit_codes):
        return None
    if locked:
        return "period_locked", {"period": period.label, "since": text.format_date(locked_from)}
    offices = stored.office_names(con, queries.plan_org_id(con, plan_id))
    return "period_closed", {"period": period.label, "due": text.format_date(due.due),
                             "grace": text.format_number(due.grace_days),
                             "closed": text.format_date(due.closes_on),
                             "who": text.CYCLE["who_reopens"].format(names=", ".join(offices)) if offices
                             else text.ROLES["van_phong"]}


def may_run(con, actor: access.Actor | None, plan_id: str) -> bool:
    """Whether the office's page offers its controls to `actor` (the writers check again, and record refusals)."""
    return actor is not None and access.allowed(actor, "cycle", org_id=_org_of(con, plan_id))
