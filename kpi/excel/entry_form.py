"""The web entry form («Nhập trên trang»): a unit's report typed on the page instead of in Excel.

The form asks exactly what the unit's template asks (`kpi.excel.template.target_rows` / `task_rows`: the same
targets and tasks, in the same order, prefilled with what is stored for the period). What the person typed
becomes the workbook the Excel reader would give for the same values typed in that template (`as_workbook`:
same sheets, key row and data rows, so even the row numbers in the messages are the template's), and goes
through the upload's own checks and write (`kpi.excel.upload.check_entries`, `take_in`, `confirm`): one set
of rules and messages, the same slot, lock and account refusals, the same audit trail (its detail says
"channel": "web_form"). An empty field stays empty: missing, never 0.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pandas as pd

from kpi import clock, text
from kpi.access import Actor
from kpi.excel import reader, template, upload
from kpi.excel.template import ALL_UNITS, FIRST_DATA_ROW, TARGET_KEYS, TASK_KEYS, TEMPLATE_FORMAT, \
    TEMPLATE_VERSION
from kpi.periods import Period
from kpi.problems import KpiError
from kpi.rules import comparators

TARGET, TASK = "target", "task"
# What the person fills per target kind, as in the template's yellow cells; «tăng/giảm» targets add the baseline.
FIGURE_FIELDS = {"ratio": ("numerator", "denominator"), "value": ("value",), "yes_no": ("done",)}
TASK_FIELDS = ("status", "progress", "completed_on", "result", "note")


@dataclass(frozen=True)
class Row:
    """One target or task of the form: what it is, which fields it takes, what is stored for them."""
    kind: str                 # TARGET or TASK
    code: str
    name: str                 # the target's or task's text
    area: str
    goal: str                 # the target as a sentence («≥ 96%»), or the task's deadline
    unit_of_measure: str | None
    fields: tuple[str, ...]   # keys of TARGET_KEYS / TASK_KEYS the person fills
    stored: dict              # key -> the value stored for the period (None: missing)

    def prefill(self, key: str):
        """The field as the form first shows it: a number written the Vietnamese way, Có/Không, a status's
        label, a date, a text; None when nothing is stored."""
        value = self.stored.get(key)
        if value is None:
            return None
        if key == "done":
            return text.TEMPLATE["yes"] if value else text.TEMPLATE["no"]
        if key == "status":
            return text.TASK_PROGRESS.get(value)
        if isinstance(value, (int, float)):
            return text.format_amount(value)
        return value


@dataclass(frozen=True)
class EntryForm:
    plan_id: str
    org_id: str
    unit: str
    unit_name: str
    period: Period
    targets: tuple[Row, ...]
    tasks: tuple[Row, ...]
    opened_at: dt.datetime

    def rows(self, kind: str) -> tuple[Row, ...]:
        return self.targets if kind == TARGET else self.tasks


def open_form(con, plan_id: str, unit: str, period: Period, *, now: dt.datetime | None = None) -> EntryForm:
    """The form of one unit for one period (the consolidated «toàn Sở» report stays an Excel file)."""
    if unit == ALL_UNITS:
        raise KpiError("entry_form_one_unit")
    scope = template.scope_for(con, plan_id, unit, period)
    targets = tuple(_target_row(r) for r in template.target_rows(con, scope))
    tasks = tuple(_task_row(r) for r in template.task_rows(con, scope))
    return EntryForm(plan_id, scope.org_id, scope.unit_code, scope.unit_name, scope.period, targets, tasks,
                     clock.to_utc(now) if now else clock.now())


def _target_row(r: dict) -> Row:
    fields = FIGURE_FIELDS[r["kind"]]
    if r["comparator"] in ("increase", "decrease"):
        fields += ("baseline",)
    stored = {"numerator": r["numerator"], "denominator": r["denominator"], "value": r["value"], "done": r["done"],
              "baseline": r["baseline"], "note": r["note"], "evidence": r["evidence"]}
    return Row(TARGET, r["code"], r["text"], r["area"],
               comparators.describe(r["comparator"], r["goal"], r["unit_of_measure"]), r["unit_of_measure"],
               fields + ("note", "evidence"), stored)


def _task_row(r: dict) -> Row:
    stored = {key: r[key] for key in TASK_FIELDS}
    return Row(TASK, r["code"], r["task_text"], r["area"], r["deadline"] or text.format_date(r["due"]), None,
               TASK_FIELDS, stored)


# ---------------------------------------------------------------- entries -> the reader's workbook

def cell_value(row: Row, key: str, entered):
    """What the template's cell would hold: blank for an empty field (missing, not 0); the stored figure
    itself when the field still shows what the form prefilled (one written with more decimals than shown is
    kept exactly); else what was typed or chosen, as text a person types in a cell."""
    if entered is None or (isinstance(entered, str) and not entered.strip()):
        return None
    stored = row.stored.get(key)
    percent = key == "value" and row.unit_of_measure == "%"  # a bare fraction there would be warned about
    if isinstance(stored, float) and not percent and entered == row.prefill(key):
        return stored
    return entered


def as_workbook(form: EntryForm, entries: dict[tuple[str, str, str], object]) -> reader.Workbook:
    """The workbook `kpi.excel.reader.read` returns for the unit's template with these values typed in.
    `entries`: (TARGET or TASK, code, field key) -> text, a date or a choice; fields left out are empty."""
    meta = [["format", TEMPLATE_FORMAT], ["template_version", TEMPLATE_VERSION], ["plan", form.plan_id],
            ["plan_year", str(form.period.year)], ["organisation", form.org_id], ["unit", form.unit],
            ["unit_name", form.unit_name], ["period", form.period.code],
            ["generated_at", text.iso_moment(form.opened_at)]]
    sheets = {text.TEMPLATE["sheet_targets"]: _sheet_rows(form, TARGET, TARGET_KEYS, entries),
              text.TEMPLATE["sheet_tasks"]: _sheet_rows(form, TASK, TASK_KEYS, entries),
              text.TEMPLATE["sheet_meta"]: meta}
    visible = {label: "visible" for label in sheets} | {text.TEMPLATE["sheet_meta"]: "hidden"}
    return reader.Workbook("form", sheets, visible, scans={})


def _sheet_rows(form: EntryForm, kind: str, keys: tuple[str, ...], entries: dict) -> list[list]:
    title = text.TEMPLATE[f"title_{'targets' if kind == TARGET else 'tasks'}"].format(
        unit=form.unit_name, period=form.period.label)
    rows: list[list] = [[title], [text.TEMPLATE_COLUMNS[k] for k in keys], list(keys)]  # rows 1-3, as the template
    for row in form.rows(kind):
        cells = {"unit": form.unit, "code": row.code}
        cells |= {key: cell_value(row, key, entries.get((kind, row.code, key))) for key in row.fields}
        rows.append([cells.get(key) for key in keys])
    return rows


def row_at(form: EntryForm, sheet: str | None, excel_row: int) -> Row | None:
    """The form's row behind a problem's sheet and Excel row (the template's numbering)."""
    kind = {text.TEMPLATE["sheet_targets"]: TARGET, text.TEMPLATE["sheet_tasks"]: TASK}.get(sheet)
    rows = form.rows(kind) if kind else ()
    index = excel_row - FIRST_DATA_ROW
    return rows[index] if 0 <= index < len(rows) else None


def _typed(form: EntryForm, workbook: reader.Workbook) -> bytes:
    """What was entered, as canonical JSON: its sha256 names the report, and it is kept as its original
    (kpi/db/durability.py), as a file's bytes are."""
    cells = {label: rows[FIRST_DATA_ROW - 1:] for label, rows in workbook.sheets.items()
             if label != text.TEMPLATE["sheet_meta"]}
    return json.dumps({"plan": form.plan_id, "unit": form.unit, "period": form.period.code, "rows": cells},
                      ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")


# ---------------------------------------------------------------- the one way the form's report is taken in

def submit(con, form: EntryForm, entries: dict, *, actor: Actor, note: str | None = None, confirmed: bool = False,
           now: dt.datetime | None = None) -> upload.Outcome:
    """Check the entries as the Excel path checks a file, leave the same audit rows, and when `confirmed`
    write them all or nothing; unconfirmed, a checkable report comes back "ready" for `upload.confirm`."""
    workbook = as_workbook(form, entries)
    checked = upload.check_entries(con, workbook, name=text.ENTRY_FORM["file_name"], data=_typed(form, workbook),
                                   plan=form.plan_id, unit=form.unit, period=form.period, now=now)
    return upload.take_in(con, checked, actor=actor, unit=form.unit, note=note, confirmed=confirmed)


def problems_table(form: EntryForm, outcome: upload.Outcome) -> pd.DataFrame:
    """The problems as the form shows them: which target or task and which field, then the upload's own
    message and hint (the same words as for the same values in an Excel file)."""
    rows = []
    for problem in outcome.checked.problems:
        row = row_at(form, problem.sheet, problem.rows[0]) if problem.rows else None
        rows.append({"severity": text.SEVERITY_LABEL[problem.severity.value],
                     "item": row.name if row else "", "field": problem.column_label or "",
                     "value": problem.shown_value, "message": problem.message, "hint": problem.hint,
                     "code": row.code if row else ""})
    return pd.DataFrame(rows, columns=["severity", "item", "field", "value", "message", "hint", "code"])
