"""Uploads of filled report templates: read safely, check everything, preview, then apply at once.

`submit` is the one way the page and the command line take an upload in: check, audit row, and (on
confirmation, there or later through `confirm`) apply; they only present its `Outcome`.
`check` never writes: it returns every problem (sheet, Excel row, column, value found, message, hint;
errors block, warnings do not) and a preview of what would change. `apply` writes a checked upload in
one transaction: one submission per unit, superseding that unit's current one for the period.
Problem codes: docs/upload-errors.md. Template format: docs/template-format.md.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kpi import access, audit, clock, errors, text, vocabulary
from kpi.access import Actor
from kpi.cycle.submissions import Submission, TargetFigure, TaskReport, record
from kpi.db import originals, queries, transaction, uploads
from kpi.excel import reader, safety
from kpi.excel.template import (
    ALL_UNITS,
    FIRST_DATA_ROW,
    KEY_ROW,
    TARGET_KEYS,
    TASK_KEYS,
    TEMPLATE_FORMAT,
    TEMPLATE_VERSION,
    column_letter,
)
from kpi.periods import Period, parse_period
from kpi.problems import HasProblems, ImportRejected, KpiError, Problem, Severity
from kpi.rules import comparators

MAX_TEXT = 2_000
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)  # workbooks with <workbookPr date1904="1"/>
RATE_JUMP = 0.40
TARGET_REQUIRED = ("unit", "code", "numerator", "denominator", "value", "done")
TASK_REQUIRED = ("unit", "code", "status", "progress", "completed_on")
MISSING_MARKS = {"", "-", "–", "—"}
# Beyond any count of dossiers or figure of a plan, and beyond what a double holds as an exact whole number
# (2**53 ≈ 9e15): a larger figure is a typing accident or a built file, refused like inf and NaN.
MAX_FIGURE = 1e15
MAX_MERGES_NAMED = 20
FILE, WEB_FORM = "file", "web_form"  # how an upload came in: said in its audit rows


def _finite(number: float) -> bool:
    return math.isfinite(number) and abs(number) <= MAX_FIGURE


@dataclass
class UnitReport:
    unit: str
    figures: dict[str, TargetFigure] = field(default_factory=dict)
    tasks: dict[str, TaskReport] = field(default_factory=dict)
    identical: bool = False


@dataclass
class CheckedUpload(HasProblems):
    file_name: str
    sha256: str
    size: int
    problems: list[Problem] = field(default_factory=list)
    plan_id: str | None = None
    period: Period | None = None
    template_unit: str | None = None
    units: dict[str, UnitReport] = field(default_factory=dict)
    preview: pd.DataFrame = field(default_factory=pd.DataFrame)
    data: bytes = field(default=b"", repr=False)  # the file as received: kept beside the database once accepted
    channel: str = FILE  # FILE, or WEB_FORM: entries typed on the page (kpi/excel/entry_form.py)

    @property
    def blocked(self) -> bool:
        return bool(self.errors)

    @property
    def changes(self) -> list[UnitReport]:
        return [u for u in self.units.values() if not u.identical and (u.figures or u.tasks)]


# ---------------------------------------------------------------- cell readers

def _clean(value) -> str:
    if isinstance(value, str) and value.isascii() and value.isprintable() and "  " not in value:
        return value.strip()  # the common case, without the Unicode work
    s = unicodedata.normalize("NFKC", str(value))  # full-width digits, NBSP -> plain
    s = "".join(ch for ch in s if ch.isprintable() or ch == " ").replace("\u200b", "")
    return " ".join(s.split())


def _is_missing(value) -> bool:
    if value is None:
        return True
    if value.__class__ is not str:
        return False  # numbers, dates, booleans: a value
    if value.isalnum():
        return False  # codes such as "CT01", "VPS": no mark of a blank can hide in them
    return value == "" or _clean(value) in MISSING_MARKS


def read_count(value) -> tuple[float | None, str | None]:
    """A count of dossiers or units: a non-negative whole number. Returns (number, problem code)."""
    if value.__class__ is float and 0 <= value <= MAX_FIGURE and value.is_integer():
        return value, None  # what calamine gives for a typed count: no further reading needed
    if _is_missing(value):
        return None, None
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.time)):
        return None, "count_not_a_number"
    if isinstance(value, (int, float)):
        number = _as_float(value)
    else:
        s = _clean(value)
        if len(s) > 40 and re.fullmatch(r"-?[\d.,]+", s):
            return None, "number_not_finite"  # hundreds of digits: no count, and costly to read
        if re.fullmatch(r"-?\d+", s):
            number = float(s)
        elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", s):
            number = float(s.replace(".", ""))
        elif re.fullmatch(r"-?\d{1,3}(,\d{3})+", s):
            return None, "count_ambiguous"
        elif re.fullmatch(r"-?\d+([.,]\d+)+", s):
            return None, "count_not_integer"
        else:
            return None, "count_not_a_number"
    if not _finite(number):
        return None, "number_not_finite"
    if number < 0:
        return number, "count_negative"
    if abs(number - round(number)) > 1e-8 * max(1.0, abs(number)):  # formula noise such as 100.0000001
        if value.__class__ is float and thousands_misread(number) is not None:
            return None, "count_decimal_point"
        return None, "count_not_integer"
    return float(round(number)), None


def thousands_misread(number: float) -> int | None:
    """The count a person most likely meant when a count cell holds 1,15: 1150, typed «1.150» on a machine
    whose settings take the point for a decimal point (English), which also drops the trailing zero. Only a
    number the thousands grouping can produce: 1 to 999 before the point, 1 to 3 digits after it."""
    if not 1 <= number < 1000:  # also keeps inf and NaN away from round()
        return None
    meant = round(number * 1000)
    return meant if abs(number * 1000 - meant) < 1e-6 and meant % 1000 else None


def _as_float(value: int | float) -> float:
    """A cell's number as a float; an integer too large for one (hundreds of digits) becomes infinity, which
    the callers refuse as number_not_finite (float() would raise OverflowError)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf


def read_number(value) -> tuple[float | None, str | None]:
    if _is_missing(value):
        return None, None
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.time)):
        return None, "value_not_a_number"
    if isinstance(value, (int, float)):
        number = _as_float(value)
        return (number, None) if _finite(number) else (None, "number_not_finite")
    from kpi.plans.values import parse_number
    cleaned = _clean(value)
    if len(cleaned) > 40 and re.fullmatch(r"[+-]?[\d.,]+%?", cleaned):
        return None, "number_not_finite"
    try:
        number = parse_number(cleaned)
    except ValueError:
        return None, "value_not_a_number"
    if number is not None and not _finite(number):
        return None, "number_not_finite"
    return number, None


YES, NO = vocabulary.YES, vocabulary.NO


def read_done(value) -> tuple[bool | None, str | None]:
    if _is_missing(value):
        return None, None
    if isinstance(value, bool):
        return value, None
    key = text.fold(_clean(value))
    if key in YES:
        return True, None
    if key in NO:
        return False, None
    return None, "done_unreadable"


def read_date(value, date1904: bool = False) -> tuple[dt.date | None, str | None]:
    if _is_missing(value):
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if date1904:  # serial 0 is 01/01/1904; no phantom day
            if 0 <= value < 2_957_004:
                return EXCEL_EPOCH_1904 + dt.timedelta(days=int(value)), None
            return None, "date_unreadable"
        if 61 <= value < 2_958_466:  # Excel serials; 60 is Excel's phantom 29/02/1900
            return EXCEL_EPOCH + dt.timedelta(days=int(value)), None
        return None, "date_unreadable"
    s = _clean(value)
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(s, pattern).date(), None
        except ValueError:
            continue
    return None, "date_unreadable"


STATUS_BY_LABEL = {text.fold(label): key for key, label in text.TASK_PROGRESS.items()}


def read_status(value) -> tuple[str | None, str | None, str]:
    """Returns (status key, problem code, suggestion)."""
    if _is_missing(value):
        return None, None, ""
    cleaned = _clean(value)
    key = STATUS_BY_LABEL.get(text.fold(cleaned))
    if key:
        return key, None, ""
    loose = {text.search_key(label): label for label in text.TASK_PROGRESS.values()}
    guess = loose.get(text.search_key(cleaned)) or (text.TASK_PROGRESS["done"] if text.search_key(cleaned)
                                                     in vocabulary.DONE_SYNONYMS else None)
    return None, "status_unknown", text.PREVIEW["did_you_mean"].format(guess=guess) if guess else ""


# ---------------------------------------------------------------- checking

class _Sheet:
    """One data sheet: its rows, where each column key sits, and a problem factory."""

    def __init__(self, label: str, rows: list[list], keys: dict[str, int], problems: list[Problem]):
        self.label, self.rows, self.keys, self.problems = label, rows, keys, problems
        self.skip_rows: set[int] = set()
        self.percent_cells: set[str] = set()  # shown as a percentage in the file (xlsx pre-scan)
        self.blank_indexes: dict[tuple, list[int]] = {}

    def cell(self, row: list, key: str):
        index = self.keys.get(key)
        if index is None:
            return None
        try:
            return row[index]
        except IndexError:  # calamine trims nothing, but a short row from another tool may end early
            return None

    def ref(self, excel_row: int, key: str) -> str:
        return f"{column_letter(self.keys[key])}{excel_row}"

    def add(self, problem_code: str, excel_row: int, key: str | None, value=None, severity=Severity.ERROR,
            **params):
        if value.__class__ is float and math.isfinite(value):
            value = text.format_amount(value)  # what a person reads: -3 and 1,15, not Python's -3.0 and 1.15
        self.problems.append(Problem(
            problem_code, severity, sheet=self.label, rows=(excel_row,),
            column=column_letter(self.keys[key]) if key in self.keys else None,
            column_label=text.TEMPLATE_COLUMNS.get(key) if key else None,
            value=value, params={"sheet": self.label, **params}))


def _meta(rows: list[list]) -> dict[str, str]:
    return {str(r[0]).strip(): str(r[1]).strip() for r in rows if len(r) >= 2 and r[0]}


def _check_meta(con, meta: dict[str, str], expected: dict, now: dt.datetime) -> tuple[str, Period, str]:
    if meta.get("format") != TEMPLATE_FORMAT:
        raise ImportRejected([Problem("not_a_report_template")])
    try:
        period = parse_period(meta.get("period", ""))
    except KpiError as exc:
        raise ImportRejected([Problem("template_tampered", value=f"period={meta.get('period')}")]) from exc
    if meta.get("template_version") != TEMPLATE_VERSION:
        raise ImportRejected([Problem("template_version_old", value=meta.get("template_version"),
                                      params={"current": TEMPLATE_VERSION, "period": period.label})])
    plan_id, unit = meta.get("plan", ""), meta.get("unit", "")
    if queries.plan_year(con, plan_id) != period.year:
        raise ImportRejected([Problem("template_tampered", value=f"plan={plan_id}")])
    if expected.get("plan") and expected["plan"] != plan_id:
        raise ImportRejected([Problem("template_of_other_plan",
                                      params={"template_plan": plan_id, "plan": expected["plan"]})])
    names = queries.unit_names(con, plan_id)
    if unit != ALL_UNITS and unit not in names:
        raise ImportRejected([Problem("template_tampered", value=f"unit={unit}")])
    wanted_unit = expected.get("unit")
    if wanted_unit and wanted_unit != unit:
        raise ImportRejected([Problem("template_of_other_unit", params={
            "template_unit": names.get(unit, unit), "unit": names.get(wanted_unit, wanted_unit)})])
    if expected.get("period") and expected["period"] != period:
        raise ImportRejected([Problem("template_of_other_period", params={
            "template_period": period.label, "period": expected["period"].label})])
    try:
        generated = clock.parse_iso(meta.get("generated_at", ""))
    except ValueError as exc:
        raise ImportRejected([Problem("template_tampered", value="generated_at")]) from exc
    if generated > now + dt.timedelta(minutes=5):
        raise ImportRejected([Problem("template_tampered", value=f"generated_at={text.iso_moment(generated)}")])
    return plan_id, period, unit


def _sheet(workbook: reader.Workbook, label: str, known: tuple[str, ...], required: tuple[str, ...],
           problems: list[Problem]) -> _Sheet | None:
    rows = workbook.sheets.get(label)
    if rows is None:
        problems.append(Problem("sheet_missing", sheet=label, params={"sheet": label}))
        return None
    key_row = rows[KEY_ROW - 1] if len(rows) >= KEY_ROW else []
    keys = {}
    extra = []
    for index, cell in enumerate(key_row):
        name = str(cell).strip() if cell is not None else ""
        if name in known:
            keys.setdefault(name, index)
        elif name:
            extra.append(name)
    if "code" not in keys and "unit" not in keys:
        problems.append(Problem("key_row_missing", sheet=label, rows=(KEY_ROW,), params={"sheet": label}))
        return None
    missing = [k for k in required if k not in keys]
    for key in missing:
        problems.append(Problem("column_missing", sheet=label, params={
            "sheet": label, "label": text.TEMPLATE_COLUMNS[key], "key": key}))
    if missing:
        return None
    if extra:
        problems.append(Problem("extra_columns", Severity.WARNING, sheet=label, params={
            "sheet": label, "count": len(extra), "columns": ", ".join(extra[:10])}))
    sheet = _Sheet(label, rows, keys, problems)
    scan = workbook.scans.get(label)
    sheet.percent_cells = scan.percent_cells if scan else set()
    return sheet


def _structure(workbook: reader.Workbook, sheet: _Sheet, inputs: tuple[str, ...]) -> None:
    """Formulas with no cached value and error values in input cells, merged ranges over data rows.
    Their rows are not checked cell by cell: one cause, one problem."""
    scan = workbook.scans.get(sheet.label)
    if scan is None:
        return
    input_columns = {column_letter(sheet.keys[k]) for k in inputs if k in sheet.keys}
    by_letter = {column_letter(index): key for key, index in sheet.keys.items()}
    for ref, error in scan.errors.items():
        letters = re.match(r"[A-Z]+", ref).group()
        row = int(ref[len(letters):])
        if row >= FIRST_DATA_ROW and letters in input_columns:
            sheet.add("count_not_a_number" if by_letter.get(letters) in ("numerator", "denominator")
                      else "value_not_a_number", row, by_letter.get(letters), error)
            sheet.skip_rows.add(row)
    for ref in scan.formulas_without_value:
        letters = re.match(r"[A-Z]+", ref).group()
        row = int(ref[len(letters):])
        if row >= FIRST_DATA_ROW and letters in input_columns:
            sheet.problems.append(Problem("formula_without_value", sheet=sheet.label, rows=(row,), column=letters,
                                          value=ref, params={"sheet": sheet.label}))
            sheet.skip_rows.add(row)
    data_hidden = [r for r in scan.hidden_rows if r >= FIRST_DATA_ROW]
    if data_hidden:
        sheet.problems.append(Problem("hidden_rows", Severity.WARNING, sheet=sheet.label, rows=tuple(data_hidden),
                                      params={"sheet": sheet.label}))
    # A <col> span may cover the whole grid (max="16384"), thousands of times: only the key columns are looked up.
    key_columns = sorted({index + 1 for index in sheet.keys.values()})
    hidden_inputs = [column_letter(c - 1) for c in key_columns
                     if column_letter(c - 1) in input_columns and any(lo <= c <= hi for lo, hi in scan.hidden_columns)]
    if hidden_inputs:
        sheet.problems.append(Problem("hidden_columns", Severity.WARNING, sheet=sheet.label,
                                      value=", ".join(hidden_inputs), params={"sheet": sheet.label}))
    if scan.external:
        sheet.problems.append(Problem("external_links", Severity.WARNING, sheet=sheet.label,
                                      value=", ".join(scan.external[:10]), params={"sheet": sheet.label}))
    # Ranges are clipped to the rows the sheet really has before anything walks them (a merge may run to row
    # 1.048.576, thousands of times); the first MAX_MERGES_NAMED are named, the rest counted in the last one.
    over_data = [m for m in scan.merged if int(re.search(r"(\d+)$", m).group(1)) >= FIRST_DATA_ROW]
    for number, merged in enumerate(over_data[:MAX_MERGES_NAMED]):
        last_row = min(int(re.search(r"(\d+)$", merged).group(1)), len(sheet.rows))
        first_row = int(re.search(r"[A-Z]+(\d+):", merged).group(1))
        shown = merged
        if number == MAX_MERGES_NAMED - 1 and len(over_data) > MAX_MERGES_NAMED:
            shown = text.PREVIEW["more_ranges"].format(first=merged,
                                                     count=text.format_number(len(over_data) - MAX_MERGES_NAMED))
            last_row = len(sheet.rows)  # every row below the first named range: not checked cell by cell
            first_row = min(int(re.search(r"[A-Z]+(\d+):", m).group(1)) for m in over_data)
        sheet.problems.append(Problem("merged_cells", sheet=sheet.label, rows=(first_row,), value=shown,
                                      params={"sheet": sheet.label}))
        sheet.skip_rows.update(range(max(first_row, FIRST_DATA_ROW), last_row + 1))


def _is_blank_row(sheet: _Sheet, row: list, inputs: tuple[str, ...]) -> bool:
    indexes = sheet.blank_indexes.get(inputs)
    if indexes is None:  # where the code and the input columns sit, worked out once per sheet
        indexes = sheet.blank_indexes[inputs] = [sheet.keys[k] for k in ("code", *inputs) if k in sheet.keys]
    width = len(row)
    return all(index >= width or _is_missing(row[index]) for index in indexes)


# Columns the template fills from the plan and locks; the check takes their meaning from the database, so
# their (long) text need not travel back from the reading process.
_READ_ONLY_TEXT = {text.TEMPLATE["sheet_targets"]: (KEY_ROW, ("area", "text", "target", "unit_of_measure")),
                   text.TEMPLATE["sheet_tasks"]: (KEY_ROW, ("area", "task_text", "product", "deadline", "due"))}


def check(con, path: Path, *, name: str | None = None, plan: str | None = None, unit: str | None = None,
          period: Period | None = None, now: dt.datetime | None = None) -> CheckedUpload:
    """Read and check an upload; nothing is written. `plan`, `unit`, `period` state the slot it is meant
    for (the page's choice); a template of another slot is refused."""
    with _collector_paused():
        return _check(con, path, name=name, plan=plan, unit=unit, period=period, now=now)


@contextlib.contextmanager
def _collector_paused():
    """A consolidated file brings a hundred thousand cells, figures and preview strings, none of them in a
    reference cycle; the cyclic collector would walk the whole server heap several times over them
    (measured: a quarter of the check's time). Paused for the check, restored after, whatever happens."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check(con, path: Path, *, name: str | None, plan: str | None, unit: str | None, period: Period | None,
           now: dt.datetime | None) -> CheckedUpload:
    path = Path(path)
    name = safety.upload_name(name or path.name)  # shown and stored as metadata only: no folder, no invisibles
    now = clock.to_utc(now) if now else clock.now()
    data = path.read_bytes() if path.exists() else b""
    checked = CheckedUpload(name, hashlib.sha256(data).hexdigest(), len(data), data=data)
    refused_name = safety.name_refused(name)
    if refused_name:
        checked.problems.append(refused_name)
        return checked
    ready: dict = {}
    expected = {"plan": plan, "unit": unit, "period": period}
    try:
        workbook = reader.read(path, name, unread=_READ_ONLY_TEXT, first=(
            text.TEMPLATE["sheet_meta"], lambda rows: _take_metadata(con, checked, ready, rows, expected, now)))
        if "context" not in ready:  # no metadata sheet: nothing was handed over early
            raise ImportRejected([Problem("metadata_sheet_missing")])
    except ImportRejected as rejected:
        checked.problems = rejected.problems
        return checked
    return _check_workbook(con, checked, workbook, ready, now)


def check_entries(con, workbook: reader.Workbook, *, name: str, data: bytes, plan: str, unit: str, period: Period,
                  now: dt.datetime | None = None) -> CheckedUpload:
    """Check entries typed on the page (kpi/excel/entry_form.py), handed over as the workbook the reader
    would give for the same values in the unit's template: the same metadata, slot and lock checks, the same
    cell checks and messages. `data` is what was typed (canonical JSON), kept as the original once accepted."""
    now = clock.to_utc(now) if now else clock.now()
    checked = CheckedUpload(name, hashlib.sha256(data).hexdigest(), len(data), data=data, channel=WEB_FORM)
    ready: dict = {}
    try:
        _take_metadata(con, checked, ready, workbook.sheets[text.TEMPLATE["sheet_meta"]],
                       {"plan": plan, "unit": unit, "period": period}, now)
    except ImportRejected as rejected:
        checked.problems = rejected.problems
        return checked
    with _collector_paused():
        return _check_workbook(con, checked, workbook, ready, now)


def _take_metadata(con, checked: CheckedUpload, ready: dict, rows: list[list], expected: dict,
                   now: dt.datetime) -> None:
    """Which plan, unit and period, whether that slot is open, and everything the checks need from the
    database. For a file it runs while the reading process still parses the data sheets."""
    plan_id, the_period, template_unit = _check_meta(con, _meta(rows), expected, now)
    checked.plan_id, checked.period, checked.template_unit = plan_id, the_period, template_unit
    if template_unit != ALL_UNITS:
        from kpi.cycle import locks
        refused = locks.refusal(con, plan_id, the_period, template_unit, clock.local_date(now))
        if refused:
            raise ImportRejected([Problem(refused[0], params=refused[1])])
    ready["context"] = _Context(con, plan_id, the_period, template_unit, now)
    ready["stored"] = stored_reports(con, plan_id, the_period)


def _check_workbook(con, checked: CheckedUpload, workbook: reader.Workbook, ready: dict,
                    now: dt.datetime) -> CheckedUpload:
    """Every check of the data sheets, whether they came from a file or from the page's form."""
    plan_id, the_period, template_unit = checked.plan_id, checked.period, checked.template_unit
    designated = (text.TEMPLATE["sheet_targets"], text.TEMPLATE["sheet_tasks"])
    # A second sheet carrying the template's key row (a copy, often hidden, with other figures): which one is
    # meant cannot be guessed, so the file is refused (RELIABILITY A22); the designated sheets are still
    # checked, so every problem is named at once.
    copies = [label for label, rows in workbook.sheets.items()
              if label not in designated and _looks_like_data_sheet(rows)]
    for label in copies:
        checked.problems.append(Problem("duplicate_data_sheet", sheet=label, rows=(KEY_ROW,), params={
            "sheet": label, "sheets": "», «".join(designated)}))
    for label, state in workbook.visible.items():
        if state != "visible" and label not in (text.TEMPLATE["sheet_meta"], text.TEMPLATE["sheet_lists"], *copies):
            if any(any(not _is_missing(c) for c in r) for r in workbook.sheets.get(label, [])):
                checked.problems.append(Problem("hidden_data", Severity.WARNING, sheet=label,
                                                params={"sheet": label}))
    target_inputs = ("numerator", "denominator", "value", "done", "baseline", "note", "evidence")
    task_inputs = ("status", "progress", "completed_on", "result", "note")
    targets = _sheet(workbook, text.TEMPLATE["sheet_targets"], TARGET_KEYS, TARGET_REQUIRED, checked.problems)
    tasks = _sheet(workbook, text.TEMPLATE["sheet_tasks"], TASK_KEYS, TASK_REQUIRED, checked.problems)
    context = ready["context"]
    context.date1904 = workbook.date1904
    if targets:
        _structure(workbook, targets, target_inputs)
        _check_targets(context, targets, target_inputs, checked)
    if tasks:
        _structure(workbook, tasks, task_inputs)
        _check_tasks(context, tasks, task_inputs, checked)
    if template_unit == ALL_UNITS and not checked.blocked:
        from kpi.cycle import locks
        # a consolidated file: each unit's slot must be open
        refused = locks.first_refusal(con, plan_id, the_period, list(checked.units), clock.local_date(now))
        if refused:
            checked.problems.append(Problem(refused[0], params=refused[1]))
    if not checked.blocked:
        if not any(u.figures or u.tasks for u in checked.units.values()):
            checked.problems.append(Problem("nothing_reported"))
        else:
            stored = ready["stored"]
            _mark_identical(con, checked, stored)
            checked.preview = _preview(checked, stored)
    return checked


def _looks_like_data_sheet(rows: list[list]) -> bool:
    if len(rows) < KEY_ROW:
        return False
    keys = {str(cell).strip() for cell in rows[KEY_ROW - 1] if isinstance(cell, str)}
    return "code" in keys and bool(keys & {"numerator", "denominator", "value", "done", "status", "progress"})


class _Context:
    def __init__(self, con, plan_id: str, period: Period, template_unit: str, now: dt.datetime):
        self.plan_id, self.period, self.template_unit, self.now = plan_id, period, template_unit, now
        self.date1904 = False
        self.names = queries.unit_names(con, plan_id)
        known = uploads.check_context(con, plan_id)
        self.targets, self.target_reporters = known["targets"], known["target_reporters"]
        self.tasks, self.task_reporters = known["tasks"], known["task_reporters"]
        previous = period.previous
        self.previous_rates = uploads.previous_rates(con, plan_id, previous.code) if previous else {}

    def unit_of(self, sheet: _Sheet, row: list, excel_row: int) -> str | None:
        raw = sheet.cell(row, "unit")
        unit = raw if raw.__class__ is str and raw.isalnum() else _clean(raw) if not _is_missing(raw) else ""
        if self.template_unit != ALL_UNITS:
            if unit and unit != self.template_unit:
                sheet.add("unit_not_in_scope", excel_row, "unit", raw,
                          template_unit=self.names.get(self.template_unit, self.template_unit))
                return None
            return self.template_unit
        if unit not in self.names:
            sheet.add("unit_not_in_scope", excel_row, "unit", raw, template_unit=text.PREVIEW["whole_department"])
            return None
        return unit


def _text_field(sheet: _Sheet, row, excel_row: int, key: str) -> str | None:
    value = sheet.cell(row, key)
    if _is_missing(value):
        return None
    if value.__class__ is str and value.isprintable() and unicodedata.is_normalized("NFC", value) and \
            "  " not in value and value == value.strip() and len(value) <= MAX_TEXT:
        return value  # already clean: the common case, without rebuilding the string
    cleaned = text.clean(unicodedata.normalize("NFC", str(value)))
    if cleaned and len(cleaned) > MAX_TEXT:
        sheet.add("text_too_long", excel_row, key, cleaned[:50], length=text.format_number(len(cleaned)),
                  limit=text.format_number(MAX_TEXT))
        return None
    return cleaned


def _rows_to_check(ctx: _Context, sheet: _Sheet, inputs, known, reporters, what: str, quick=None):
    """Yield (excel row, row, unit, code) for each filled row whose unit and code are valid and new;
    refuse unknown codes, codes of other units and duplicates. `what` is "target" or "task". A row that
    `quick(excel row, row, seen)` says it has handled is not yielded."""
    seen: dict[tuple[str, str], int] = {}
    for index, row in enumerate(sheet.rows[FIRST_DATA_ROW - 1:], start=FIRST_DATA_ROW):
        if quick is not None and quick(index, row, seen):
            continue
        if _is_blank_row(sheet, row, inputs) or index in sheet.skip_rows:
            continue
        unit = ctx.unit_of(sheet, row, index)
        code = sheet.cell(row, "code") or ""
        if not (code.__class__ is str and code.isalnum()):
            code = _clean(code)
        if unit is None:
            continue
        if code not in known:
            sheet.add(f"{what}_code_unknown", index, "code", code, plan=ctx.plan_id)
        elif (unit, code) not in reporters:
            sheet.add(f"{what}_not_for_unit", index, "code", code, unit=ctx.names.get(unit, unit))
        elif (unit, code) in seen:
            sheet.add("duplicate_row", index, "code", code, unit=ctx.names.get(unit, unit),
                      first_row=seen[(unit, code)])
        else:
            seen[(unit, code)] = index
            yield index, row, unit, code


def _check_targets(ctx: _Context, sheet: _Sheet, inputs, checked: CheckedUpload) -> None:
    quick = _quick_ratio_rows(ctx, sheet, checked)
    for index, row, unit, code in _rows_to_check(ctx, sheet, inputs, ctx.targets, ctx.target_reporters, "target",
                                                 quick):
        kind, comparator, goal, unit_of_measure = ctx.targets[code]
        before = len(sheet.problems)
        numerator = denominator = value = done = baseline = None
        if kind == "ratio":
            numerator, denominator = _ratio_counts(sheet, index, row)
            n, d = numerator, denominator
            if len(sheet.problems) == before:
                if (n is None) != (d is None):
                    sheet.add("ratio_incomplete", index, "numerator" if n is None else "denominator")
                elif n is not None and d == 0 and n > 0:
                    sheet.add("denominator_zero", index, "denominator", n)
                elif n is not None and n > d + 1e-9:
                    sheet.add("numerator_gt_denominator", index, "numerator", text.format_amount(n),
                              denominator=text.format_amount(d), denominator_cell=sheet.ref(index, "denominator"))
        elif kind == "value":
            raw = sheet.cell(row, "value")
            number, problem = read_number(raw)
            percent_target = unit_of_measure == "%"
            if percent_target and number is not None and isinstance(raw, (int, float)) and \
                    sheet.ref(index, "value") in sheet.percent_cells:
                # 0,955 in a cell formatted as a percentage is the 95,5% the person saw; rounded so that 0,07
                # is 7 (not 7,000000000000001) and a re-saved template compares equal to what is stored
                number = round(number * 100, 9)
                raw = f"{text.format_amount(number)}%"
            elif percent_target and number is not None and isinstance(raw, (int, float)) and 0 < number <= 1 \
                    and goal is not None and goal > 1:
                sheet.add("percent_as_fraction", index, "value", raw, severity=Severity.WARNING,
                          shown=text.format_amount(number), percent=text.format_amount(number * 100))
            if problem:
                sheet.add(problem, index, "value", raw)
            elif number is not None and percent_target and number > 100:
                sheet.add("percent_over_100", index, "value", raw)
            elif number is not None and unit_of_measure not in vocabulary.SIGNED_UNITS and number < 0:
                sheet.add("count_negative", index, "value", raw, label=text.TEMPLATE_COLUMNS["value"])
            else:
                value = number
        else:
            raw = sheet.cell(row, "done")
            done, problem = read_done(raw)
            if problem:
                sheet.add(problem, index, "done", raw)
        if comparator in ("increase", "decrease"):
            raw = sheet.cell(row, "baseline")
            baseline, problem = read_number(raw)
            if problem:
                sheet.add(problem, index, "baseline", raw)
        _keep_figure(ctx, sheet, checked, index, row, unit, code, before, numerator, denominator, value, done,
                     baseline)


def _ratio_counts(sheet: _Sheet, index: int, row: list) -> tuple[float | None, float | None]:
    """Numerator and denominator of a ratio row (None where refused), each problem added. The English-settings
    hint (count_decimal_point) is given only where the other cell leaves it possible: 12,5 over a denominator
    of 100 was not «12.500», which is more than the whole."""
    raw = {key: sheet.cell(row, key) for key in ("numerator", "denominator")}
    (numerator, n_problem), (denominator, d_problem) = read_count(raw["numerator"]), read_count(raw["denominator"])
    if n_problem == "count_decimal_point" and denominator is not None and not d_problem and \
            thousands_misread(raw["numerator"]) > denominator:
        n_problem = "count_not_integer"
    if d_problem == "count_decimal_point" and numerator is not None and not n_problem and \
            thousands_misread(raw["denominator"]) < numerator:
        d_problem = "count_not_integer"
    for key, problem in (("numerator", n_problem), ("denominator", d_problem)):
        if not problem:
            continue
        params = {"label": text.TEMPLATE_COLUMNS[key]}
        if problem == "count_decimal_point":
            meant = thousands_misread(raw[key])
            params.update(cell=sheet.ref(index, key), shown=text.format_amount(raw[key]),
                          typed=text.format_number(meant), meant=str(meant))
        sheet.add(problem, index, key, raw[key], **params)
    return (None if n_problem else numerator), (None if d_problem else denominator)


def _quick_ratio_rows(ctx: _Context, sheet: _Sheet, checked: CheckedUpload):
    """The row almost every line of a real report is: a ratio target of the row's own unit with two whole,
    non-negative numbers, numerator not above denominator. Such a row is checked here with the least
    work; any other row (or any doubt) goes the long way, which gives the same result for this one.
    Returns a function (excel row, row, seen) -> handled?, or None when the sheet has no such columns."""
    keys = sheet.keys
    if "note" not in keys or "evidence" not in keys:
        return None
    code_at, unit_at, n_at, d_at = keys["code"], keys["unit"], keys["numerator"], keys["denominator"]
    width = 1 + max(keys[k] for k in ("code", "unit", "numerator", "denominator", "note", "evidence"))
    simple = {code for code, (kind, comparator, *_) in ctx.targets.items()
              if kind == "ratio" and comparator not in ("increase", "decrease")}
    note_at, evidence_at = keys["note"], keys["evidence"]
    one_unit = None if ctx.template_unit == ALL_UNITS else ctx.template_unit
    names, reporters, skip, previous, units = ctx.names, ctx.target_reporters, sheet.skip_rows, \
        ctx.previous_rates, checked.units

    def take(index: int, row: list, seen: dict) -> bool:
        if len(row) < width:
            return False
        code, unit, n, d = row[code_at], row[unit_at], row[n_at], row[d_at]
        if not (n.__class__ is float and d.__class__ is float and 0 <= n <= d <= MAX_FIGURE and n.is_integer()
                and d.is_integer() and code.__class__ is str and code in simple and code.isalnum()):
            return False
        if one_unit is None:
            if not (unit.__class__ is str and unit in names and unit.isalnum()):
                return False
        elif unit is None or unit == "" or unit == one_unit:
            unit = one_unit
        else:
            return False
        key = (unit, code)
        if key not in reporters or key in seen or index in skip:
            return False
        seen[key] = index
        note, evidence = row[note_at], row[evidence_at]
        if not (evidence is None or evidence == "") or not (note is None or note == "" or (
                note.__class__ is str and note.isprintable() and len(note) <= MAX_TEXT and note == note.strip()
                and "  " not in note and note not in MISSING_MARKS and unicodedata.is_normalized("NFC", note))):
            # a link to check, or a note to clean: the common end of a row
            _keep_figure(ctx, sheet, checked, index, row, unit, code, len(sheet.problems), n + 0.0, d + 0.0,
                         None, None, None)
            return True
        note = note or None
        if note is None or key in previous:  # with a note and no previous rate, no warning can arise
            _warnings_for(ctx, sheet, index, unit, code, n + 0.0, d + 0.0, None, note)
        report = units.get(unit) or units.setdefault(unit, UnitReport(unit))
        report.figures[code] = TargetFigure(code, n + 0.0, d + 0.0, None, None, None, note, None)
        return True
    return take


def _keep_figure(ctx: _Context, sheet: _Sheet, checked: CheckedUpload, index: int, row: list, unit: str,
                 code: str, before: int, numerator, denominator, value, done, baseline) -> None:
    """The end of every target row: note and evidence read, warnings given, the figure kept unless the row
    had an error (`before` = the number of problems when the row began) or reports nothing."""
    note = _text_field(sheet, row, index, "note")
    evidence = _text_field(sheet, row, index, "evidence")
    if evidence and not HTTP_LINK.match(evidence):
        sheet.add("evidence_not_http", index, "evidence", evidence)
    if len(sheet.problems) > before and any(p.severity is Severity.ERROR for p in sheet.problems[before:]):
        return
    if numerator is None and value is None and done is None:
        return  # nothing reported for this target: missing, never 0
    _warnings_for(ctx, sheet, index, unit, code, numerator, denominator, value, note)
    report = checked.units.get(unit) or checked.units.setdefault(unit, UnitReport(unit))
    report.figures[code] = TargetFigure(code, numerator, denominator, value, done, baseline, note, evidence)


HTTP_LINK = re.compile(r"^https?://[^\s]+$", re.I)


def _warnings_for(ctx: _Context, sheet: _Sheet, index: int, unit: str, code: str, numerator, denominator, value,
                  note: str | None) -> None:
    kind, comparator, goal, unit_of_measure = ctx.targets[code]
    if kind == "ratio" and denominator:
        actual = numerator / denominator
        goal_value = goal / 100 if unit_of_measure == "%" and goal is not None else goal
        previous = ctx.previous_rates.get((unit, code))
        if previous is not None and abs(actual - previous) > RATE_JUMP:
            sheet.add("rate_jump", index, "numerator", severity=Severity.WARNING, code=code,
                      change=text.format_number(abs(actual - previous) * 100, 0),
                      previous=text.format_percent(previous), actual=text.format_percent(actual))
    elif kind == "value" and value is not None and goal is not None:
        actual, goal_value = value, goal
    else:
        return
    if goal is None or note:
        return
    # only comparators with a stated value are judged here (increase/decrease need last period's figure)
    if comparators.BY_KEY[comparator].needs_value and comparators.met(comparator, actual, goal_value) is False:
        # figures written out only for the rows that get the warning
        shown, target_shown = (text.format_percent(actual), f"{text.format_amount(goal)}%") if kind == "ratio" \
            else (text.format_amount(actual), text.format_amount(goal))
        sheet.add("missed_without_explanation", index, "note", severity=Severity.WARNING, code=code,
                  actual=shown, target=target_shown)


def _check_tasks(ctx: _Context, sheet: _Sheet, inputs, checked: CheckedUpload) -> None:
    year = ctx.period.year
    for index, row, unit, code in _rows_to_check(ctx, sheet, inputs, ctx.tasks, ctx.task_reporters, "task"):
        before = len(sheet.problems)
        raw_status = sheet.cell(row, "status")
        status, problem, suggestion = read_status(raw_status)
        if problem:
            sheet.add(problem, index, "status", raw_status, suggestion=suggestion)
        raw_progress = sheet.cell(row, "progress")
        progress, problem = read_number(raw_progress)
        if problem == "number_not_finite":
            sheet.add(problem, index, "progress", raw_progress)
        elif problem or (progress is not None and not 0 <= progress <= 100):
            sheet.add("progress_out_of_range", index, "progress", raw_progress)
        raw_date = sheet.cell(row, "completed_on")
        completed, problem = read_date(raw_date, ctx.date1904)
        if problem:
            sheet.add(problem, index, "completed_on", raw_date, year=year)
        elif completed and not dt.date(year, 1, 1) <= completed <= dt.date(year + 1, 1, 31):
            sheet.add("date_outside_plan_year", index, "completed_on", text.format_date(completed), year=year)
        result = _text_field(sheet, row, index, "result")
        note = _text_field(sheet, row, index, "note")
        if status == "done" and completed is None and not problem:
            sheet.add("done_without_date", index, "completed_on", year=year)
        label = text.TASK_PROGRESS.get(status, "")
        if status and status != "done" and completed is not None:
            sheet.add("date_without_done", index, "completed_on", label, severity=Severity.WARNING)
        if status == "in_progress" and progress == 100:
            sheet.add("progress_done_mismatch", index, "progress", label, severity=Severity.WARNING)
        if completed and completed > clock.local_date(ctx.now):
            sheet.add("date_in_future", index, "completed_on", text.format_date(completed), severity=Severity.WARNING)
        if any(p.severity is Severity.ERROR for p in sheet.problems[before:]) or status is None:
            continue
        if status == "done" and progress is None:
            progress = 100.0
        report = checked.units.setdefault(unit, UnitReport(unit))
        report.tasks[code] = TaskReport(code, status, progress, completed, result, note)


def stored_reports(con, plan_id: str, period: Period) -> dict[str, tuple[dict, dict, str, dt.datetime]]:
    """Every unit's current submission for the period: figures, task reports, sha256, time (3 queries)."""
    rows, figure_rows, task_rows = uploads.current_submissions(con, plan_id, period.code)
    subs = {r[0]: (r[1], r[2], r[3]) for r in rows}
    stored = {unit: ({}, {}, sha, at) for unit, sha, at in subs.values()}
    # The three reads are three statements: an upload committed between them (another session, another app
    # process) leaves figures of a submission the first read did not see. They belong to a newer state the
    # write re-checks under its lock; skip them rather than fail (bench/bench_load.py, issue 17).
    for sid, *figure in figure_rows:
        if sid in subs:
            stored[subs[sid][0]][0][figure[0]] = TargetFigure(*figure)
    for sid, *task in task_rows:
        if sid in subs:
            stored[subs[sid][0]][1][task[0]] = TaskReport(*task)
    return stored


def _mark_identical(con, checked: CheckedUpload, stored: dict) -> None:
    for report in checked.units.values():
        figures, tasks, sha, at = stored.get(report.unit, ({}, {}, None, None))
        if (sha == checked.sha256) or (figures == report.figures and tasks == report.tasks and (figures or tasks)):
            report.identical = True
            checked.problems.append(Problem("identical_submission", Severity.WARNING, params={
                "unit": report.unit, "period": checked.period.label,
                "at": text.format_datetime_long(at)}))


_PREVIEW_FIELDS = tuple((TargetFigure._fields.index(key), text.PREVIEW[key])
                        for key in ("numerator", "denominator", "value", "done", "baseline"))


def _preview(checked: CheckedUpload, stored: dict) -> pd.DataFrame:
    # Built column by column, each number written out once: a consolidated file previews tens of thousands
    # of cells, most of them the same few numbers.
    columns: dict[str, list] = {k: [] for k in ("unit", "kind", "code", "field", "before", "after", "change")}
    unit_col, kind_col, code_col, field_col = columns["unit"], columns["kind"], columns["code"], columns["field"]
    before_col, after_col, change_col = columns["before"], columns["after"], columns["change"]
    P = text.PREVIEW
    written: dict = {None: ""}

    def shown(value) -> str:
        key = (value.__class__, value)  # True and 1.0 are equal keys, not equal texts
        if key not in written:
            written[key] = _shown(value)
        return written[key]

    for report in checked.units.values():
        figures, tasks, _, _ = stored.get(report.unit, ({}, {}, None, None))
        unit = report.unit
        for code, new in report.figures.items():
            old = figures.get(code)
            for position, label in _PREVIEW_FIELDS:
                after, before = new[position], old[position] if old else None
                if after is None and before is None:
                    continue
                unit_col.append(unit)
                kind_col.append(text.PREVIEW["target"])
                code_col.append(code)
                field_col.append(label)
                before_col.append("" if before is None else shown(before))
                after_col.append("" if after is None else shown(after))
                change_col.append(P["new"] if old is None else (P["same"] if before == after else P["changed"]))
        for code, new in report.tasks.items():
            old = tasks.get(code)
            before = text.TASK_PROGRESS.get(old.status) if old else None
            unit_col.append(unit)
            kind_col.append(P["task"])
            code_col.append(code)
            field_col.append(P["status"])
            before_col.append(before or "")
            after_col.append(text.TASK_PROGRESS[new.status])
            change_col.append(P["new"] if old is None else (P["same"] if old == new else P["changed"]))
    return pd.DataFrame(columns, dtype=object)  # plain text for display; arrow strings cost 4 ms more here


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return text.TEMPLATE["yes"] if value else text.TEMPLATE["no"]
    return text.format_amount(value)


def apply(con, checked: CheckedUpload, *, actor: Actor, note: str | None = None) -> list[str]:
    """Write a checked upload in one transaction; returns the new submission ids (none when identical)."""
    if checked.blocked:
        raise ImportRejected(checked.errors)
    ids = []
    with transaction(con, action="upload", detail={"sha256": checked.sha256, "file": checked.file_name,
                                                   "plan": checked.plan_id, "unit": checked.template_unit,
                                                   "period": checked.period.code if checked.period else None,
                                                   "channel": checked.channel}):
        if checked.data and checked.changes:  # the original before the commit: an accepted upload always has it
            originals.keep(con, checked.sha256, checked.data)
        for report in checked.changes:
            ids.append(record(con, Submission(
                checked.plan_id, report.unit, checked.period, tuple(report.figures.values()),
                tuple(report.tasks.values()), source="upload", submitted_by=actor.shown,
                file_name=checked.file_name, sha256=checked.sha256, note=note)))
            _fault_point("apply")
        _audit_rows(con, checked, "upload_applied", actor, note)  # committed with the figures, or not at all
    return ids


def _fault_point(name: str) -> None:
    """Test hook (RELIABILITY C1): KPI_FAULT_AT=apply makes the writer stop here, mid-transaction, so a
    test can kill the process and prove nothing half-written survives. Unset in normal use."""
    import os
    import sys
    import time
    if os.environ.get("KPI_FAULT_AT") == name:
        print("FAULT_POINT", flush=True, file=sys.stderr)
        time.sleep(60)


def problems_table(problems: list[Problem]) -> pd.DataFrame:
    """The problems table of the «Nhập số liệu» page (the command line prints a list: docs/upload-errors.md)."""
    return pd.DataFrame([p.as_row() for p in problems],
                        columns=["severity", "sheet", "rows", "column", "value", "message", "hint", "code"])


def _audit(con, checked: CheckedUpload, kind: str, actor: Actor, note: str | None,
           codes: str | None = None) -> None:
    """What happened to an upload (rejected, duplicate): one row of the upload log and one of the audit
    trail, in their own transaction (nothing else was written)."""
    with transaction(con, action=None):  # the upload log is not a product write: see kpi/db/durability.py
        _audit_rows(con, checked, kind, actor, note, codes)


def _audit_rows(con, checked: CheckedUpload, kind: str, actor: Actor, note: str | None,
                codes: str | None = None) -> None:
    codes = codes or ",".join(dict.fromkeys(p.code for p in checked.errors)) or None
    period = checked.period.code if checked.period else None
    uploads.insert_audit(con, kind, actor.shown, checked.plan_id, checked.template_unit, period,
                         checked.file_name, checked.sha256, checked.size, codes)
    audit.append(con, actor, kind, plan_id=checked.plan_id, unit_code=checked.template_unit, period=period,
                 subject=checked.file_name, sha256=checked.sha256,
                 detail={"size": checked.size, "codes": codes, "units": sorted(checked.units), "note": note,
                         "channel": checked.channel})


def _refuse_outside_scope(con, checked: CheckedUpload, actor: Actor, slot_unit: str | None) -> None:
    """A unit account may upload only for its own units: every unit the file reports for (or the slot it was
    sent to) is checked against `actor` (kpi/access.py); a refusal becomes the file's error, recorded."""
    if checked.plan_id is None:
        return
    org_id = queries.plan_org_id(con, checked.plan_id)
    units = set(checked.units) | ({slot_unit} if slot_unit else set())
    if checked.template_unit and checked.template_unit != ALL_UNITS:
        units.add(checked.template_unit)
    if not units:
        units = {None}
    for unit in sorted(units, key=lambda u: u or ""):
        if not access.allowed(actor, "upload", org_id=org_id, unit=unit):
            audit.record_refusal(con, actor, "upload", code="forbidden_unit", plan_id=checked.plan_id,
                                 unit_code=unit, period=checked.period.code if checked.period else None,
                                 org_id=org_id)
            checked.problems.append(Problem("forbidden_upload", params={
                "unit": unit or text.UPLOAD_PAGE["all_units"], "units": ", ".join(sorted(actor.units)) or "—"}))
            return


# ---------------------------------------------------------------- submitting: the one way an upload is taken in

@dataclass
class Outcome:
    """Where an upload stands after `submit` or `confirm`. `status`: "rejected" (errors, nothing written),
    "unchanged" (same figures as stored, nothing written), "ready" (checked, waiting for a confirmation),
    "applied" (written; `submissions` holds the new ids). Callers only present it."""
    checked: CheckedUpload
    status: str
    submissions: list[str] = field(default_factory=list)

    @property
    def problems(self) -> pd.DataFrame:
        return problems_table(self.checked.problems)

    @property
    def preview(self) -> pd.DataFrame:
        return self.checked.preview


_AUDIT_KIND = {"rejected": "upload_rejected", "unchanged": "duplicate_ignored", "applied": "upload_applied"}


def submit(con, workbook: Path | bytes, *, actor: Actor, name: str | None = None, plan: str | None = None,
           unit: str | None = None, period: Period | None = None, note: str | None = None,
           confirmed: bool = False, now: dt.datetime | None = None) -> Outcome:
    """Take in an uploaded report workbook: check it, leave its audit row, and, when `confirmed`, write it
    all or nothing. `workbook` is a path or the uploaded bytes (written to a temporary folder removed after
    the check). `plan`, `unit`, `period`: the slot it is meant for. Unconfirmed, a checkable file comes
    back "ready", to be shown and passed to `confirm` (no audit row until then)."""
    if isinstance(workbook, (bytes, bytearray)):
        import tempfile
        with tempfile.TemporaryDirectory() as folder:  # nothing of the upload stays on disk
            path = Path(folder) / "upload"
            path.write_bytes(workbook)
            checked = check(con, path, name=name, plan=plan, unit=unit, period=period, now=now)
    else:
        checked = check(con, Path(workbook), name=name, plan=plan, unit=unit, period=period, now=now)
    return take_in(con, checked, actor=actor, unit=unit, note=note, confirmed=confirmed)


def take_in(con, checked: CheckedUpload, *, actor: Actor, unit: str | None, note: str | None,
            confirmed: bool = False) -> Outcome:
    """The rest of `submit` for a checked upload, from a file or from the page's form
    (kpi/excel/entry_form.py): the account's scope, the audit row of a refusal or a duplicate, then "ready"
    or, when `confirmed`, written."""
    _refuse_outside_scope(con, checked, actor, unit)
    status = "rejected" if checked.blocked else "unchanged" if not checked.changes else "ready"
    if status != "ready":
        _audit(con, checked, _AUDIT_KIND[status], actor, note)
        return Outcome(checked, status)
    outcome = Outcome(checked, status)
    return confirm(con, outcome, actor=actor, note=note) if confirmed else outcome


def confirm(con, outcome: Outcome, *, actor: Actor, note: str | None = None) -> Outcome:
    """Write a "ready" upload (all or nothing) and leave its audit row; returns the "applied" outcome. An
    error nobody expected still leaves an audit row (refused, code `unexpected_error:<id>`) before it goes
    on to the caller's boundary, which shows the same id."""
    if outcome.status != "ready":
        raise ValueError(f"only a ready upload can be confirmed, not a {outcome.status} one")
    try:
        _refuse_outside_scope(con, outcome.checked, actor, None)  # the actor confirming may not be who checked
        if outcome.checked.blocked:
            _audit(con, outcome.checked, "upload_rejected", actor, note)
            return Outcome(outcome.checked, "rejected")
        ids = apply(con, outcome.checked, actor=actor, note=note)
    except Exception as unexpected:
        error_id = errors.record(unexpected, "upload")
        unexpected.error_id = error_id  # the boundary shows this id, not a new one
        try:
            _audit(con, outcome.checked, "upload_rejected", actor, note, codes=f"unexpected_error:{error_id}")
        except Exception:  # noqa: BLE001 - the database itself may be what failed; the log keeps the id
            pass
        raise
    return Outcome(outcome.checked, "applied", ids)
