"""What confirming a checked upload would change, field by field, in words a person reads.

The page shows this before «Xác nhận ghi số liệu»: only the fields whose value differs from what is stored
for the period (a new figure, a changed one, one the new report leaves empty), with the unit's and the
target's or task's names, the stored value and the new one written the Vietnamese way. A report replaces the
unit's whole report for the period (kpi/cycle/submissions.py), so a figure stored before and absent now is a
change too. An empty table means nothing changes.
"""
from __future__ import annotations

import pandas as pd

from kpi import text
from kpi.cycle.submissions import TargetFigure, TaskReport
from kpi.db import queries, uploads
from kpi.excel.upload import Outcome, stored_reports

FIGURE_FIELDS = tuple(key for key in TargetFigure._fields if key != "target_code")
TASK_FIELDS = tuple(key for key in TaskReport._fields if key != "task_code")
COLUMNS = ("unit", "item", "field", "before", "after", "change", "unit_code", "code")


def changed_rows(con, outcome: Outcome) -> pd.DataFrame:
    """One row per field that confirming would change: unit and item names, field label, before → after
    (stored, new: "—" where missing), what kind of change; codes last. Units whose report is identical to
    the stored one bring no row."""
    checked = outcome.checked
    if checked.plan_id is None or checked.period is None or not checked.changes:
        return pd.DataFrame(columns=COLUMNS)
    stored = stored_reports(con, checked.plan_id, checked.period)
    units = queries.unit_names(con, checked.plan_id)
    names = uploads.item_names(con, checked.plan_id)
    rows: list[dict] = []
    for report in checked.changes:
        figures, tasks, _, _ = stored.get(report.unit, ({}, {}, None, None))
        unit = units.get(report.unit, report.unit)
        for kind, new, old, fields in (("target", report.figures, figures, FIGURE_FIELDS),
                                       ("task", report.tasks, tasks, TASK_FIELDS)):
            for code in [*new, *(c for c in old if c not in new)]:
                for key, before, after in _differences(old.get(code), new.get(code), fields):
                    rows.append({"unit": unit, "item": names.get((kind, code), code),
                                 "field": text.TEMPLATE_COLUMNS[key], "before": _shown(key, before),
                                 "after": _shown(key, after), "change": _change(before, after),
                                 "unit_code": report.unit, "code": code})
    return pd.DataFrame(rows, columns=COLUMNS)


def _differences(old, new, fields: tuple[str, ...]):
    """(field, stored, new) for each field whose value differs; a missing report counts as all empty."""
    for key in fields:
        before = getattr(old, key) if old is not None else None
        after = getattr(new, key) if new is not None else None
        if before != after:
            yield key, before, after


def _change(before, after) -> str:
    return text.PREVIEW["new"] if before is None else text.CHANGES["cleared"] if after is None \
        else text.PREVIEW["changed"]


def _shown(key: str, value) -> str:
    if value is None:
        return text.MISSING
    if key == "status":
        return text.TASK_PROGRESS.get(value, value)
    if isinstance(value, bool):
        return text.TEMPLATE["yes"] if value else text.TEMPLATE["no"]
    if isinstance(value, (int, float)):
        return text.format_amount(value)
    if key == "completed_on":
        return text.format_date(value)
    return str(value)
