"""What the "Nhập số liệu" page and the command line need besides checking: who reports, which
periods exist, the report deadline of a period, and the submission history."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kpi import text
from kpi.db import queries
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


def history(con, scope: Scope, unit: str | None = None) -> pd.DataFrame:
    frame = queries.submission_history(con, scope.plan_id, scope.period.code, None if unit == ALL_UNITS else unit)
    frame["status"] = frame["status"].map(text.SUBMISSION_STATUS)
    frame["submitted_at"] = frame["submitted_at"].map(text.format_datetime)
    frame.loc[frame["illustrative"], "submitted_by"] = text.UPLOAD_PAGE["illustrative"]
    return frame.drop(columns=["illustrative"])


def default_period(con, plan_id: str) -> Period:
    """The longest year-to-date period with reports (9 months before 6 months before Q1); else Q1."""
    return longest_reported(queries.plan_year(con, plan_id), queries.reported_period_keys(con, plan_id))
