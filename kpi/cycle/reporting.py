"""What the "Nhập số liệu" page and the command line need besides checking: who reports, which
periods exist, the report deadline of a period, and the submission history."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from kpi import clock, text
from kpi.db import queries, submissions
from kpi.excel.template import ALL_UNITS
from kpi.periods import Period, longest_reported, periods_of_year
from kpi.scope import Scope


def reporting_units(con, plan_id: str) -> list[tuple[str, str]]:
    """(code, name) of every unit expected to report a target or a task, Vietnamese order."""
    return queries.reporting_units(con, plan_id)


def period_options(con, plan_id: str) -> dict[str, Period]:
    """code -> Period for every period of the plan's year, in reporting order (what a period choice offers;
    a widget holds the code, the page gets the `Period` back from here without parsing)."""
    return {p.code: p for p in periods_of_year(queries.plan_year(con, plan_id))}


def report_deadline(con, plan_id: str, period: Period) -> dt.date:
    """The day reports for `period` are due: the plan's own deadline for the period kind, else the national one."""
    return period.report_deadline(queries.report_deadline_override(con, plan_id, period.key))


def deadline_line(con, plan_id: str, period: Period) -> str:
    """«Hạn nộp: 20/03/2023» on the upload page, with the grace days when the office set them."""
    from kpi.cycle import locks
    deadline = locks.deadline(con, plan_id, period)
    line = text.UPLOAD_PAGE["deadline"].format(date=text.format_date(deadline.due))
    if deadline.stored and deadline.grace_days:
        line += text.CYCLE["deadline_grace"].format(days=deadline.grace_days,
                                                    last=text.format_date(deadline.closes_on - dt.timedelta(days=1)))
    return line


def history(con, scope: Scope, unit: str | None = None) -> pd.DataFrame:
    frame = queries.submission_history(con, scope.plan_id, scope.period.code, None if unit == ALL_UNITS else unit)
    frame["status"] = frame["status"].map(text.SUBMISSION_STATUS)
    frame["submitted_at"] = frame["submitted_at"].map(text.format_datetime)
    frame.loc[frame["illustrative"], "submitted_by"] = text.UPLOAD_PAGE["illustrative"]
    return frame.drop(columns=["illustrative"])


def default_period(con, plan_id: str) -> Period:
    """The longest year-to-date period with reports (9 months before 6 months before Q1); else Q1."""
    return longest_reported(queries.plan_year(con, plan_id), queries.reported_period_keys(con, plan_id))


# ---- «Tình hình báo cáo»: who has reported for the period, on time or late, returned, or not yet.

# Each unit has one state; the order is the table's: who has not reported first, then late, then returned
# (Vietnamese name order within each, kept from `reporting_units` by a stable sort).
REPORTING_ORDER = ("missing", "late", "returned", "on_time")


@dataclass
class ReportingStatus:
    """Per reporting unit of the plan (`frame`: unit_code, unit, state, state_label, submitted_at, submitted_by,
    review, comment, submission_id) and the period's deadline. `counts` and the two rates come from the frame,
    so a frozen frame (a snapshot) gives the same figures."""
    frame: pd.DataFrame
    due: dt.date | None = None
    grace_days: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.frame)

    @property
    def completeness(self) -> float | None:
        return completeness(self.frame)

    @property
    def timeliness(self) -> float | None:
        return timeliness(self.frame)

    @property
    def summary(self) -> str:
        return summary_line(self.frame, self.due)


def counts(frame: pd.DataFrame) -> dict[str, int]:
    """expected, received, on_time, late, returned, missing. Received = on time + late + returned."""
    states = list(frame["state"]) if "state" in frame else []
    found = {state: states.count(state) for state in REPORTING_ORDER}
    return {"expected": len(states), "received": len(states) - found["missing"], **found}


def completeness(frame: pd.DataFrame) -> float | None:
    """Received / expected (None without expected units)."""
    c = counts(frame)
    return c["received"] / c["expected"] if c["expected"] else None


def timeliness(frame: pd.DataFrame) -> float | None:
    """On time / expected ("đúng hạn"): a returned report is not counted on time until it is accepted again."""
    c = counts(frame)
    return c["on_time"] / c["expected"] if c["expected"] else None


def summary_line(frame: pd.DataFrame, due: dt.date | None = None) -> str:
    """«Đã nhận 4/5 báo cáo (80,0%) · đúng hạn 2/5 (40,0%) · …» as every page and export says it."""
    c = counts(frame)
    line = text.CYCLE["summary"].format(
        received=text.format_number(c["received"]), expected=text.format_number(c["expected"]),
        completeness=text.format_percent(completeness(frame)), on_time=text.format_number(c["on_time"]),
        timeliness=text.format_percent(timeliness(frame)), late=text.format_number(c["late"]),
        returned=text.format_number(c["returned"]), missing=text.format_number(c["missing"]))
    return line + (text.CYCLE["summary_due"].format(due=text.format_date(due)) if due else "")


def _state(row, due: dt.date) -> str:
    if row is None:
        return "missing"
    if row.review == "returned":
        return "returned"
    return "on_time" if clock.local_date(row.first_at) <= due else "late"


def reporting_status(con, scope: Scope) -> ReportingStatus:
    """Each unit expected to report for the plan: its state for the scope's period. A unit has reported when it
    has a current report for a period ending with the period's last quarter (Quý III or 9 tháng for 9 tháng,
    as the coverage table reads it); on time when its first such report arrived (Việt Nam's calendar day) on or
    before the due day; returned while the office's return stands."""
    from kpi.cycle import locks
    plan_id, period = scope.plan_id, scope.period
    deadline = locks.deadline(con, plan_id, period)
    reports = submissions.period_reports(con, plan_id, period.year, period.kind.last_quarter)
    by_unit = {row.unit_code: row for row in reports.itertuples()}
    rows = []
    for code, name in reporting_units(con, plan_id):
        row = by_unit.get(code)
        state = _state(row, deadline.due)
        rows.append({"unit_code": code, "unit": name, "state": state, "state_label": text.CYCLE_STATES[state],
                     "submitted_at": text.format_datetime(row.submitted_at) if row is not None else "",
                     "submitted_moment": row.submitted_at if row is not None else None,  # UTC, for workbooks
                     "submitted_by": row.submitted_by if row is not None else "",
                     "review": text.REVIEW[row.review] if row is not None else "",
                     "comment": row.review_comment if row is not None else "",
                     "submission_id": row.id if row is not None else "",
                     "order": REPORTING_ORDER.index(state)})
    columns = ["unit_code", "unit", "state", "state_label", "submitted_at", "submitted_moment", "submitted_by",
               "review", "comment", "submission_id", "order"]
    frame = pd.DataFrame(rows, columns=columns).sort_values("order", kind="stable").drop(columns=["order"])
    return ReportingStatus(frame.reset_index(drop=True), deadline.due, deadline.grace_days)


def review_basis(con, scope: Scope) -> dict[str, int]:
    """How many of the submissions behind the figures are approved, waiting, returned: the figures count every
    current report ("tất cả đã nộp"); this says how many of them the office has approved."""
    from dataclasses import replace

    from kpi import engine
    from kpi.scope import SUBMITTED
    used = engine.chosen_submissions(con, replace(scope, basis=SUBMITTED))  # every report, to say what is left out
    reviews = submissions.reviews_of(con, list(used["submission_id"].unique()) if len(used) else [])
    values = list(reviews.values())
    return {key: values.count(key) for key in ("approved", "submitted", "returned")}


def period_submissions(con, plan_id: str, period: Period) -> pd.DataFrame:
    """The period's current submissions for the office's review page, formatted (review as its label,
    moments in Việt Nam's clock)."""
    frame = submissions.period_submissions(con, plan_id, period.code)
    frame["review_key"] = frame["review"]
    frame["review"] = frame["review"].map(text.REVIEW)
    frame["submitted_at"] = frame["submitted_at"].map(text.format_datetime)
    frame["reviewed_at"] = frame["reviewed_at"].map(lambda at: text.format_datetime(at) if pd.notna(at) else "")
    frame.loc[frame["illustrative"], "submitted_by"] = text.UPLOAD_PAGE["illustrative"]
    return frame.drop(columns=["illustrative"])
