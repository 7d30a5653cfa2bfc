"""Report templates: the .xlsx a unit downloads, fills and uploads for one plan and period.

Sheets: "Hướng dẫn" (instructions), "Chỉ tiêu" (the targets the unit answers for), "Nhiệm vụ" (the
tasks it leads), hidden "_meta" (plan, unit, period, template version, generation time) and hidden
"_lists" (drop-down values). Data sheets: row 1 title, row 2 headings, row 3 machine column keys
(hidden), data from row 4. Key cells are locked, input cells unlocked and yellow, data validation guards
types and ranges. Text is written as text, never as a formula. Format: docs/template-format.md.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from kpi import clock, text
from kpi.db import queries, templates
from kpi.periods import Period
from kpi.problems import KpiError
from kpi.rules import comparators

TEMPLATE_FORMAT = "cchc-report-template"
TEMPLATE_VERSION = "1"
HEADER_ROW, KEY_ROW, FIRST_DATA_ROW = 2, 3, 4   # Excel row numbers
PERCENT_FORMAT = "0.0#%"   # 96,5%, 90,0%, 96,55%: shown in the reader's own language by Excel and LibreOffice
ALL_UNITS = "ALL"

TARGET_KEYS = ("unit", "code", "area", "text", "target", "unit_of_measure", "numerator", "denominator", "value",
               "done", "baseline", "note", "evidence")
TASK_KEYS = ("unit", "code", "area", "task_text", "product", "deadline", "due", "status", "progress",
             "completed_on", "result", "note")
WIDTHS = {"unit": 12, "code": 8, "area": 18, "text": 60, "task_text": 60, "target": 14, "unit_of_measure": 10,
          "numerator": 11, "denominator": 11, "value": 11, "done": 12, "baseline": 12, "note": 30,
          "evidence": 26, "product": 26, "deadline": 16, "due": 12, "status": 16, "progress": 11,
          "completed_on": 14, "result": 30}


@dataclass(frozen=True)
class TemplateScope:
    plan_id: str
    plan_year: int
    org_id: str
    unit_code: str          # a unit code, or ALL for the consolidated template of the Văn phòng Sở
    unit_name: str
    period: Period


def resolve_unit(con, plan_id: str, unit: str) -> tuple[str, str]:
    """A unit's code or any of its names (as `plans show` lists them) -> (code, name); ALL for every unit."""
    if unit.upper() == ALL_UNITS:
        return ALL_UNITS, text.TEMPLATE_VALIDATION["all_units"]
    row = templates.unit_by_alias(con, plan_id, text.fold(unit))
    if row is None:
        raise KpiError("unit_not_in_plan", value=unit, plan=plan_id)
    return row


def scope_for(con, plan_id: str, unit: str, period: Period) -> TemplateScope:
    plan = templates.plan_year_and_org(con, plan_id)
    if plan is None:
        raise KpiError("plan_unknown", value=plan_id)
    if period.year != plan[0]:
        raise KpiError("period_outside_plan", value=period.code, plan=plan_id, year=plan[0])
    code, name = resolve_unit(con, plan_id, unit)
    return TemplateScope(plan_id, plan[0], plan[1], code, name, period)


def _one_unit(scope: TemplateScope) -> str | None:
    return None if scope.unit_code == ALL_UNITS else scope.unit_code


def target_rows(con, scope: TemplateScope) -> list[dict]:
    """The targets each unit answers for (expected reporters), with figures already reported."""
    rows = templates.target_rows(con, scope.plan_id, scope.period.code, _one_unit(scope))
    keys = ("unit", "code", "area", "text", "comparator", "goal", "unit_of_measure", "kind", "numerator",
            "denominator", "value", "done", "baseline", "note", "evidence")
    return [dict(zip(keys, r)) for r in rows]


def task_rows(con, scope: TemplateScope) -> list[dict]:
    rows = templates.task_rows(con, scope.plan_id, scope.period.code, _one_unit(scope))
    keys = ("unit", "code", "area", "task_text", "product", "deadline", "due", "deadline_kind", "status", "progress",
            "completed_on", "result", "note")
    return [dict(zip(keys, r)) for r in rows]


def build(con, plan_id: str, unit: str, period: Period, *, prefill: bool = True,
          now: dt.datetime | None = None) -> bytes:
    """The template as .xlsx bytes."""
    scope = scope_for(con, plan_id, unit, period)
    targets, tasks = target_rows(con, scope), task_rows(con, scope)
    deadline = queries.report_deadline_override(con, plan_id, scope.period.key)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    fmt = _formats(book)
    _guide(book, fmt, scope, scope.period.report_deadline(deadline))
    _lists(book)
    _targets_sheet(book, fmt, scope, targets, prefill)
    _tasks_sheet(book, fmt, scope, tasks, prefill)
    _meta(book, scope, now or clock.now())
    book.close()
    return buffer.getvalue()


def _formats(book) -> dict:
    return {
        "title": book.add_format({"bold": True, "font_size": 13}),
        "head": book.add_format({"bold": True, "bg_color": "#DDE7F0", "text_wrap": True, "valign": "top",
                                 "border": 1, "locked": True}),
        "locked": book.add_format({"text_wrap": True, "valign": "top", "locked": True, "border": 1,
                                   "font_color": "#333333"}),
        "grey": book.add_format({"bg_color": "#EEEEEE", "locked": True, "border": 1}),
        "input": book.add_format({"bg_color": "#FFF2B3", "locked": False, "border": 1, "num_format": "#,##0"}),
        "input_dec": book.add_format({"bg_color": "#FFF2B3", "locked": False, "border": 1,
                                      "num_format": "#,##0.##"}),
        # Percentage targets: what a person types as 96,5% is stored as 0,965 whatever the program's settings,
        # and read back as 96,5 (kpi/excel/upload.py); Excel also turns a bare 96,5 typed there into 96,5%
        # (its automatic percent entry), and where a program does not, the validation below stops 9650%.
        "input_percent": book.add_format({"bg_color": "#FFF2B3", "locked": False, "border": 1,
                                          "num_format": PERCENT_FORMAT}),
        "input_text": book.add_format({"bg_color": "#FFF2B3", "locked": False, "border": 1, "text_wrap": True,
                                       "valign": "top"}),
        "input_date": book.add_format({"bg_color": "#FFF2B3", "locked": False, "border": 1,
                                       "num_format": "dd/mm/yyyy"}),
        "date": book.add_format({"num_format": "dd/mm/yyyy", "locked": True, "border": 1}),
        "wrap": book.add_format({"text_wrap": True}),
    }


def _guide(book, fmt, scope: TemplateScope, deadline: dt.date) -> None:
    sheet = book.add_worksheet(text.TEMPLATE["sheet_guide"])
    sheet.set_column(0, 0, 120, fmt["wrap"])
    for row, line in enumerate(text.TEMPLATE["guide"]):
        sheet.write_string(row, 0, line.format(plan=scope.plan_id, unit=scope.unit_name, period=scope.period.label,
                                               deadline=text.format_date(deadline)),
                           fmt["title"] if row == 0 else None)


def _lists(book) -> None:
    sheet = book.add_worksheet(text.TEMPLATE["sheet_lists"])
    for row, label in enumerate(text.TASK_PROGRESS.values()):
        sheet.write_string(row, 0, label)
    sheet.write_string(0, 1, text.TEMPLATE["yes"])
    sheet.write_string(1, 1, text.TEMPLATE["no"])
    sheet.hide()


def _header(sheet, fmt, keys, title: str) -> None:
    sheet.write_string(0, 0, title, fmt["title"])
    for col, key in enumerate(keys):
        label_key = key
        sheet.write_string(HEADER_ROW - 1, col, text.TEMPLATE_COLUMNS[label_key], fmt["head"])
        sheet.write_string(KEY_ROW - 1, col, key)
        sheet.set_column(col, col, WIDTHS[key])
    sheet.set_row(KEY_ROW - 1, None, None, {"hidden": True})
    sheet.set_row(HEADER_ROW - 1, 32)
    sheet.freeze_panes(KEY_ROW, 3)


def _write(sheet, row, col, value, cell_format) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None, cell_format)
    elif isinstance(value, str):
        sheet.write_string(row, col, value, cell_format)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), cell_format)
    else:
        sheet.write_number(row, col, value, cell_format)


def _data_sheet(book, fmt, scope: TemplateScope, rows: list[dict], which: str, keys) -> tuple:
    """A data sheet with its title and key rows: (sheet, column of each key, last data row index)."""
    sheet = book.add_worksheet(text.TEMPLATE[f"sheet_{which}"])
    _header(sheet, fmt, keys, text.TEMPLATE[f"title_{which}"].format(unit=scope.unit_name, period=scope.period.label))
    return sheet, {k: i for i, k in enumerate(keys)}, FIRST_DATA_ROW - 1 + max(len(rows), 1)


def _targets_sheet(book, fmt, scope: TemplateScope, rows: list[dict], prefill: bool) -> None:
    sheet, col, last = _data_sheet(book, fmt, scope, rows, "targets", TARGET_KEYS)
    percent_rows = set()
    for i, r in enumerate(rows):
        excel_row = FIRST_DATA_ROW - 1 + i
        percent = r["kind"] == "value" and r["unit_of_measure"] == "%"
        if percent:
            percent_rows.add(excel_row)
        directional = r["comparator"] in ("increase", "decrease")
        inputs = {"ratio": {"numerator", "denominator"}, "value": {"value"}, "yes_no": {"done"}}[r["kind"]]
        if directional:
            inputs = inputs | {"baseline"}
        inputs |= {"note", "evidence"}
        target = comparators.describe(r["comparator"], r["goal"], r["unit_of_measure"])
        fixed = {"unit": r["unit"], "code": r["code"], "area": r["area"], "text": r["text"], "target": target,
                 "unit_of_measure": r["unit_of_measure"]}
        for key, value in fixed.items():
            _write(sheet, excel_row, col[key], value, fmt["locked"])
        for key in ("numerator", "denominator", "value", "done", "baseline", "note", "evidence"):
            if key not in inputs:
                _write(sheet, excel_row, col[key], None, fmt["grey"])
                continue
            value = r.get(key) if prefill else None
            if key == "done" and value is not None:
                value = text.TEMPLATE["yes"] if value else text.TEMPLATE["no"]
            cell_format = {"numerator": fmt["input"], "denominator": fmt["input"], "value": fmt["input_dec"],
                           "baseline": fmt["input_dec"]}.get(key, fmt["input_text"])
            if key == "value" and percent:
                cell_format = fmt["input_percent"]
                value = None if value is None else value / 100  # stored 95,5 (percent) is the cell's 0,955
            _write(sheet, excel_row, col[key], value, cell_format)
    first = FIRST_DATA_ROW - 1
    for key in ("numerator", "denominator"):
        sheet.data_validation(first, col[key], last, col[key], {
            "validate": "integer", "criteria": ">=", "value": 0,
            "error_title": text.TEMPLATE_VALIDATION["title"], "error_message": text.TEMPLATE_VALIDATION["count"]})
    sheet.data_validation(first, col["done"], last, col["done"], {
        "validate": "list", "source": f"='{text.TEMPLATE['sheet_lists']}'!$B$1:$B$2"})
    # A percentage cell holds the fraction: at most 1 (100%); 96,5 typed where LibreOffice keeps it as 9650% is
    # stopped here rather than refused at upload. Other value cells take any number.
    value_rows = {True: [], False: []}
    for excel_row in range(first, last + 1):
        value_rows[excel_row in percent_rows].append(excel_row)
    for percent, rule in ((True, {"validate": "decimal", "criteria": "<=", "value": 1,
                                  "error_message": text.TEMPLATE_VALIDATION["percent"]}),
                          (False, {"validate": "decimal", "criteria": ">=", "value": -1e12,
                                   "error_message": text.TEMPLATE_VALIDATION["number"]})):
        spans = _spans(value_rows[percent])
        if spans:
            letter = column_letter(col["value"])
            rule["multi_range"] = " ".join(f"{letter}{a + 1}:{letter}{b + 1}" for a, b in spans)
            sheet.data_validation(spans[0][0], col["value"], spans[0][1], col["value"], rule)
    sheet.data_validation(first, col["evidence"], last, col["evidence"], {
        "validate": "length", "criteria": "<=", "value": 2000})
    sheet.protect("", {"format_columns": True, "format_rows": True, "autofilter": True})


def _spans(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row indexes as (first, last) runs: [3, 4, 5, 8] -> [(3, 5), (8, 8)]."""
    spans: list[tuple[int, int]] = []
    for row in rows:
        if spans and spans[-1][1] == row - 1:
            spans[-1] = (spans[-1][0], row)
        else:
            spans.append((row, row))
    return spans


def _tasks_sheet(book, fmt, scope: TemplateScope, rows: list[dict], prefill: bool) -> None:
    sheet, col, last = _data_sheet(book, fmt, scope, rows, "tasks", TASK_KEYS)
    for i, r in enumerate(rows):
        excel_row = FIRST_DATA_ROW - 1 + i
        for key in ("unit", "code", "area", "task_text", "product", "deadline"):
            _write(sheet, excel_row, col[key], r[key], fmt["locked"])
        _write(sheet, excel_row, col["due"], r["due"], fmt["date"])
        status = text.TASK_PROGRESS.get(r["status"]) if prefill and r["status"] else None
        _write(sheet, excel_row, col["status"], status, fmt["input_text"])
        _write(sheet, excel_row, col["progress"], r["progress"] if prefill else None, fmt["input_dec"])
        _write(sheet, excel_row, col["completed_on"], r["completed_on"] if prefill else None, fmt["input_date"])
        _write(sheet, excel_row, col["result"], r["result"] if prefill else None, fmt["input_text"])
        _write(sheet, excel_row, col["note"], r["note"] if prefill else None, fmt["input_text"])
    first = FIRST_DATA_ROW - 1
    sheet.data_validation(first, col["status"], last, col["status"], {
        "validate": "list", "source": f"='{text.TEMPLATE['sheet_lists']}'!$A$1:$A${len(text.TASK_PROGRESS)}"})
    sheet.data_validation(first, col["progress"], last, col["progress"], {
        "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100,
        "error_message": text.TEMPLATE_VALIDATION["progress"]})
    sheet.data_validation(first, col["completed_on"], last, col["completed_on"], {
        "validate": "date", "criteria": "between",
        "minimum": dt.datetime(scope.plan_year, 1, 1), "maximum": dt.datetime(scope.plan_year + 1, 1, 31),
        "error_message": text.TEMPLATE_VALIDATION["date"].format(year=scope.plan_year)})
    sheet.protect("", {"format_columns": True, "format_rows": True, "autofilter": True})


def _meta(book, scope: TemplateScope, now: dt.datetime) -> None:
    sheet = book.add_worksheet(text.TEMPLATE["sheet_meta"])
    values = [("format", TEMPLATE_FORMAT), ("template_version", TEMPLATE_VERSION), ("plan", scope.plan_id),
              ("plan_year", str(scope.plan_year)), ("organisation", scope.org_id), ("unit", scope.unit_code),
              ("unit_name", scope.unit_name), ("period", scope.period.code), ("generated_at", text.iso_moment(now))]
    for row, (key, value) in enumerate(values):
        sheet.write_string(row, 0, key)
        sheet.write_string(row, 1, value)
    sheet.hide()


def column_letter(index: int) -> str:
    return xl_col_to_name(index)
