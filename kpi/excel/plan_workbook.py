"""The plan workbook: the .xlsx in which a Văn phòng Sở brings a year's plan.

Seven sheets (names in `kpi.text.SHEETS`). Every sheet has the Vietnamese column headings
in row 1 and machine keys in row 2 (hidden); data starts at row 3. Columns are found by
their key, so they may be reordered and extra columns are ignored. Lists of units are
written by name, separated by ";", and read back by any name, alias or code.
docs/plan-workbook.md documents the format; `write` and `read_raw` are its only
implementation.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kpi import text
from kpi.excel import safety
from kpi.plans.model import DERIVED_FLAGS, PlanBundle
from kpi.problems import ImportRejected, Problem
from kpi.rules import comparators

FORMAT_VERSION = 1
HEADER_ROWS = 2          # row 1 labels, row 2 keys
MAX_ROWS = 20_000        # per sheet; a plan has a few hundred
LIST_SEPARATOR = "; "

# (key, required, width) per sheet, in the order written.
COLUMNS: dict[str, tuple[tuple[str, bool, int], ...]] = {
    "plan": (("key", True, 20), ("label", False, 34), ("value", False, 70)),
    "units": (("code", True, 10), ("name", True, 44), ("kind", True, 14), ("aliases", False, 60)),
    "areas": (("area", True, 22), ("heading", True, 60), ("number_in_plan", False, 8),
              ("source", False, 26), ("lines", False, 10)),
    "targets": (
        ("code", True, 8), ("area", True, 22), ("text", True, 70), ("comparator", True, 10),
        ("value", False, 9), ("unit_of_measure", False, 12), ("kind", True, 9), ("stated_in", True, 10),
        ("responsible_units", False, 30), ("deadline_text", False, 18), ("weight", False, 8),
        ("indicator_key", False, 20), ("task_code", False, 10), ("source", False, 26), ("lines", False, 10),
        ("appendix_source", False, 20), ("appendix_lines", False, 10), ("flags", False, 20),
        ("original_text", False, 30), ("note", False, 30), ("aggregation", False, 12), ("direction", False, 10),
        ("same_as", False, 10),
    ),
    "tasks": (
        ("code", True, 8), ("area", True, 22), ("general_task", False, 30), ("text", True, 70),
        ("product", False, 30), ("lead_units", False, 26), ("lead_text", False, 26),
        ("coordinating_units", False, 26), ("coordinating_text", False, 26), ("deadline_text", False, 18),
        ("budget_million_vnd", False, 12), ("budget_text", False, 16), ("result_text", False, 16),
        ("source", False, 20), ("lines", False, 10), ("flags", False, 20), ("original_text", False, 30),
        ("note", False, 30),
    ),
    "conflicts": (
        ("target_code", True, 10), ("field", True, 14), ("body", True, 30), ("appendix", True, 30),
        ("body_value", False, 10), ("appendix_value", False, 10), ("note", False, 50),
        ("status", False, 12), ("resolved_value", False, 10),
    ),
    "report_deadlines": (("period", True, 10), ("month", True, 8), ("day", True, 8), ("text", False, 40),
                         ("source", False, 26), ("lines", False, 10)),
}
REQUIRED_SHEETS = ("plan", "units", "areas", "targets", "tasks")
PLAN_FIELDS = ("id", "organisation", "organisation_name", "province", "sector", "parent", "year", "number",
               "issued_on", "issued_text", "signer", "signer_title", "title", "source_file", "note")
SHEET_KEYS = {label: key for key, label in text.SHEETS.items()}


@dataclass(frozen=True)
class RawRow:
    row: int                      # Excel row number
    values: dict[str, object]     # by column key
    letters: dict[str, str]       # column key -> Excel letter


@dataclass(frozen=True)
class RawWorkbook:
    sheets: dict[str, list[RawRow]]   # by sheet key; absent when the sheet is missing
    letters: dict[str, dict[str, str]]


# ---------------------------------------------------------------- writing

def _join(items) -> str | None:
    items = [i for i in items if i]
    return LIST_SEPARATOR.join(items) if items else None


def _flags(flags) -> str | None:
    return _join(f for f in flags if f not in DERIVED_FLAGS)


def bundle_rows(bundle: PlanBundle) -> dict[str, list[dict[str, object]]]:
    """The bundle as the rows each sheet holds (values as written into cells)."""
    unit_names = {u.code: u.name for u in bundle.units}
    names = lambda codes: _join(unit_names.get(c, c) for c in codes)  # noqa: E731
    p, org = bundle.plan, bundle.organisation
    plan_values = {
        "id": p.id, "organisation": org.id, "organisation_name": org.name, "province": org.province,
        "sector": org.sector, "parent": org.parent, "year": p.year, "number": p.number,
        "issued_on": p.issued_on, "issued_text": p.issued_text, "signer": p.signer,
        "signer_title": p.signer_title, "title": p.title, "source_file": p.source_file, "note": p.note,
    }
    return {
        "plan": [{"key": k, "label": text.LABELS[k], "value": plan_values[k]} for k in PLAN_FIELDS],
        "units": [{"code": u.code, "name": u.name, "kind": u.kind, "aliases": _join(u.aliases)}
                  for u in bundle.units],
        "areas": [{"area": a.area, "heading": a.heading, "number_in_plan": a.number, "source": a.source,
                   "lines": a.lines} for a in bundle.areas],
        "targets": [{
            "code": t.code, "area": t.area, "text": t.text, "comparator": t.comparator, "value": t.value,
            "unit_of_measure": t.unit_of_measure, "kind": t.kind, "stated_in": t.stated_in,
            "responsible_units": names(t.responsible_units), "deadline_text": t.deadline.text,
            "weight": t.weight, "indicator_key": t.indicator_key, "task_code": t.task_code,
            "source": t.source, "lines": t.lines, "appendix_source": t.appendix_source,
            "appendix_lines": t.appendix_lines, "flags": _flags(t.flags), "original_text": t.original_text,
            "note": t.note, "aggregation": t.aggregation, "direction": t.direction, "same_as": t.same_as}
            for t in bundle.targets],
        "tasks": [{
            "code": t.code, "area": t.area, "general_task": t.general_task, "text": t.text,
            "product": t.product, "lead_units": names(t.lead_units), "lead_text": t.lead_text,
            "coordinating_units": names(t.coordinating_units), "coordinating_text": t.coordinating_text,
            "deadline_text": t.deadline.text, "budget_million_vnd": t.budget_million_vnd,
            "budget_text": t.budget_text, "result_text": t.result_text, "source": t.source,
            "lines": t.lines, "flags": _flags(t.flags), "original_text": t.original_text,
            "note": t.note} for t in bundle.tasks],
        "conflicts": [{
            "target_code": c.target_code, "field": c.field, "body": c.body, "appendix": c.appendix,
            "body_value": c.body_value, "appendix_value": c.appendix_value, "note": c.note,
            "status": c.status, "resolved_value": c.resolved_value} for c in bundle.conflicts],
        "report_deadlines": [{
            "period": d.period, "month": d.month, "day": d.day, "text": d.text, "source": d.source,
            "lines": d.lines} for d in bundle.report_deadlines],
    }


def _safe_cell(value):
    return text.nfc(value) if isinstance(value, str) else value


def write(bundle: PlanBundle, path: Path) -> Path:
    """Write the plan workbook. Text cells are stored as strings, never as formulas."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    for key, rows in bundle_rows(bundle).items():
        sheet = workbook.create_sheet(text.SHEETS[key])
        columns = COLUMNS[key]
        for index, (column, required, width) in enumerate(columns, start=1):
            label = text.LABELS[column] + (" *" if required else "")
            cell = sheet.cell(row=1, column=index, value=label)
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.cell(row=2, column=index, value=column)
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.row_dimensions[2].hidden = True
        sheet.freeze_panes = "A3"
        for offset, row in enumerate(rows):
            for index, (column, _, _) in enumerate(columns, start=1):
                value = _safe_cell(row.get(column))
                cell = sheet.cell(row=HEADER_ROWS + 1 + offset, column=index)
                cell.value = value
                if cell.data_type == "f":
                    cell.data_type = "s"  # text such as "=HYPERLINK(...)" stays inert text
                if isinstance(value, dt.date):
                    cell.number_format = "DD/MM/YYYY"
                if isinstance(value, str) and len(value) > 40:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    info = workbook.create_sheet("_format")
    info.append(["format", "cchc-plan-workbook"])
    info.append(["version", FORMAT_VERSION])
    info.append(["comparators", ", ".join(c.key for c in comparators.COMPARATORS)])
    info.sheet_state = "hidden"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


# ---------------------------------------------------------------- reading

def read_raw(path: Path, name: str | None = None) -> RawWorkbook:
    """Read every sheet's rows by column key. Structure problems raise ImportRejected."""
    safety.check_xlsx(path, name)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken part
        raise ImportRejected([Problem("file_corrupt", params={"name": name or path.name})]) from exc
    try:
        return _read_sheets(workbook)
    except ImportRejected:
        raise
    except Exception as exc:  # read-only openpyxl parses each sheet while iterating: a broken cell or part
        # (a text in a number cell, a bad style index, XML that ends early) surfaces here, whatever its type
        raise ImportRejected([Problem("file_corrupt", params={"name": name or path.name})]) from exc
    finally:
        workbook.close()


def _read_sheets(workbook) -> RawWorkbook:
    problems: list[Problem] = []
    present = {SHEET_KEYS.get(text.nfc(ws.title).strip()): ws for ws in workbook.worksheets}
    present.pop(None, None)
    if not present:
        raise ImportRejected([Problem("workbook_empty")])
    sheets: dict[str, list[RawRow]] = {}
    letters_by_sheet: dict[str, dict[str, str]] = {}
    for key in COLUMNS:
        label = text.SHEETS[key]
        ws = present.get(key)
        if ws is None:
            if key in REQUIRED_SHEETS:
                problems.append(Problem("sheet_missing", sheet=label, params={"sheet": label}))
            continue
        if hasattr(ws, "reset_dimensions"):
            # The sheet's own <dimension> tag may claim A1:XFD1048576: read-only openpyxl would pad every row
            # to it. Without it, rows are as long as their cells and only rows present are read.
            ws.reset_dimensions()
        rows_iter = ws.iter_rows(values_only=True)
        header = next(rows_iter, None)
        keys_row = next(rows_iter, None)
        letters: dict[str, str] = {}
        if keys_row:
            for index, cell in enumerate(keys_row):
                if isinstance(cell, str) and cell.strip() in dict((c[0], 1) for c in COLUMNS[key]):
                    letters.setdefault(cell.strip(), get_column_letter(index + 1))
        if not letters and header:
            # A row of keys may have been deleted: fall back on the Vietnamese headings.
            by_label = {text.LABELS[c[0]]: c[0] for c in COLUMNS[key]}
            for index, cell in enumerate(header):
                if isinstance(cell, str):
                    found = by_label.get(text.nfc(cell).replace("*", "").strip())
                    if found:
                        letters.setdefault(found, get_column_letter(index + 1))
        missing = [c for c, required, _ in COLUMNS[key] if required and c not in letters]
        for column in missing:
            problems.append(Problem("column_missing", sheet=label,
                                    params={"sheet": label, "label": text.LABELS[column], "key": column}))
        if missing:
            continue
        index_of = {c: _column_index(letter) for c, letter in letters.items()}
        rows: list[RawRow] = []
        for offset, values in enumerate(_guarded(rows_iter, label, problems)):
            excel_row = HEADER_ROWS + 1 + offset
            if offset >= MAX_ROWS:
                problems.append(Problem("too_many_rows", sheet=label, rows=(excel_row,),
                                        params={"sheet": label, "count": text.more_than(text.format_number(MAX_ROWS)),
                                                "limit": text.format_number(MAX_ROWS)}))
                break
            picked = {c: (values[i] if i < len(values) else None) for c, i in index_of.items()}
            picked = {c: _clean_cell(v) for c, v in picked.items()}
            if all(v is None for v in picked.values()):
                continue  # blank rows are normal in hand-edited sheets
            rows.append(RawRow(excel_row, picked, letters))
        sheets[key] = rows
        letters_by_sheet[key] = letters
    if problems:
        raise ImportRejected(problems)
    if not any(sheets.get(k) for k in ("targets", "tasks")) and not any(
        r.values.get("value") for r in sheets.get("plan", [])
    ):
        raise ImportRejected([Problem("workbook_empty")])
    return RawWorkbook(sheets, letters_by_sheet)


def _guarded(rows_iter, label: str, problems: list[Problem]):
    """The sheet's rows; read-only openpyxl parses a row when it is asked for it, and a cell it cannot convert
    (<v>NaN</v> in a number cell) raises there: that row is named and the sheet's reading stops."""
    row = HEADER_ROWS
    while True:
        try:
            values = next(rows_iter)
        except StopIteration:
            return
        except Exception:
            problems.append(Problem("sheet_unreadable", sheet=label, rows=(row + 1,), params={"sheet": label}))
            return
        row += 1
        yield values


def _column_index(letter: str) -> int:
    index = 0
    for ch in letter:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def _clean_cell(value):
    if isinstance(value, str):
        return text.clean(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value
