"""The meeting report as an Excel workbook: a summary sheet, then one sheet per table of the report (the
office's comments on areas and the units' explanations included).

Cells keep the report's raw values (fractions, counts, real dates) under a display format, so people can
sort, filter and compute with them; the dashboard's wording (`Column.show`) is only used to size columns.
A figure with words around it (a target "≥ 96,5%", a result "5 (số liệu Quý III/2021)": report.Figure) is a
number too, its words kept in its format. Missing values stay empty cells: an empty cell is never mistaken for
a 0 % attainment. Every table starts in column A, its columns under their headers (docs/meetings.md).

No exported text can become a formula (docs/reliability-catalogue.md D1): every string is written with
`write_string` (xlsxwriter's `write()` stores "=…" as a live `<f>`), and formula-like text gets Excel's
quote prefix so that editing the cell later keeps it text. The workbook has no formulas at all.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import numbers
import textwrap
from typing import Callable

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from kpi import clock, text
from kpi.meetings.export import safe
from kpi.meetings.export.report import Figure, Report, Table, missing

X = text.EXPORT_XLSX
T = text.SNAPSHOT

# Format codes are stored in Excel's invariant notation behind Vietnamese's locale tag [$-42A]: LibreOffice
# then prints Vietnamese separators (91,4% · 1.234) whatever the reader's own settings; Excel prints the
# separators of the reader's system (the same on a Vietnamese one).
VIETNAMESE = "[$-42A]"
NUMBER_FORMATS = {kind: VIETNAMESE + code for kind, code in {
    "percent": "0.0%", "share": "0%", "points": "+0.0;-0.0;0.0", "int": "#,##0", "date": "dd/mm/yyyy"}.items()}
DATETIME_FORMAT = VIETNAMESE + "dd/mm/yyyy hh:mm"  # as text.format_datetime
NUMERIC_KINDS = ("percent", "share", "points", "int")
HEADER_ROW = 2              # row 0: the table's title, row 1: what it is measured on
TEXT_WIDTH = (6, 60)        # characters; longer text wraps instead of widening the column
TEXT_WIDTH_PER_UNIT = 15    # characters per unit of Column.width
NUMBER_WIDTH = (8, 16)      # numeric headers wrap onto several lines rather than widen the column
# Table cells have borders: on paper (no gridlines) a number would otherwise run into the text after it.
GRID = {"border": 1, "border_color": "#BFBFBF"}
HEADER = {**GRID, "bold": True, "bg_color": "#DDEBF7", "text_wrap": True}
TITLE = {"bold": True, "font_size": 13}
WARNING = {"bold": True, "font_color": "#C00000"}
LINE_HEIGHT = 15           # points, one line of the default 11 pt font


def render(report: Report, progress: Callable[[float, str], None]) -> bytes:
    buffer = io.BytesIO()
    # write_string is used for every text; these options only guard against a future careless write().
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_numbers": False, "strings_to_urls": False,
                                            "remove_timezone": True})
    workbook.set_properties({
        "title": safe.single_line(report.title), "subject": safe.single_line(f"{report.plan_title} · {report.period_label}"),
        "author": safe.single_line(report.organisation), "company": safe.single_line(report.organisation),
        "comments": safe.single_line(report.source_line), "created": clock.to_utc(report.made_at)})  # written with a "Z": UTC
    book = _Book(workbook)
    names = X["sheets"]
    # The office's comments on areas after the areas, the units' explanations after the targets.
    detail = [("by_area", report.by_area, 0), ("area_comments", report.area_comments, 1),
              ("unit_area", report.unit_area, 1), ("targets", report.targets, 0),
              ("explanations", report.explanations, 2), ("overdue", report.overdue, 0),
              ("coverage", report.coverage, 0)]
    steps = 2 + len(detail)
    progress(0.0, X["progress"].format(sheet=names["summary"]))
    book.summary(names["summary"], report)
    for step, (key, table, frozen_columns) in enumerate(detail, start=1):
        progress(step / steps, X["progress"].format(sheet=names[key]))
        book.table_sheet(names[key], table, report.period_line, frozen_columns)
    progress((steps - 1) / steps, X["progress"].format(sheet=names["changes"]))
    book.changes(names["changes"], report)
    workbook.close()
    return buffer.getvalue()


class _Book:
    def __init__(self, workbook: xlsxwriter.Workbook):
        self.workbook = workbook
        self._formats = {}

    def fmt(self, **props):
        """One Format per distinct style: xlsxwriter writes every add_format() into styles.xml."""
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format({"valign": "top", **props})
        return self._formats[key]

    # ------------------------------------------------------------------ cells

    def text(self, ws: Worksheet, row: int, col: int, value, **style) -> None:
        # A line break inside a cell is LF in Excel; a CR would be stored as the escape "_x000D_".
        shown = safe.printable(value).replace("\r\n", "\n").replace("\r", "\n")
        if safe.formula_like(shown):
            style["quote_prefix"] = True
        ws.write_string(row, col, shown, self.fmt(**style))

    def cell(self, ws: Worksheet, row: int, col: int, kind: str, value, **style) -> None:
        if value is None:
            if style:
                ws.write_blank(row, col, None, self.fmt(**style))
            return
        if isinstance(value, Figure):
            if math.isfinite(value.number):
                ws.write_number(row, col, value.number, self.fmt(num_format=figure_format(value), **style))
            return
        if kind in NUMERIC_KINDS and isinstance(value, numbers.Real) and not isinstance(value, bool):
            number = float(value) * (100 if kind == "points" else 1)
            if math.isfinite(number):
                ws.write_number(row, col, number, self.fmt(num_format=NUMBER_FORMATS[kind], **style))
            return
        if kind == "moment" and isinstance(value, dt.datetime):  # a stored UTC instant, on Việt Nam's clock
            ws.write_datetime(row, col, clock.to_local(value).replace(tzinfo=None),
                              self.fmt(num_format=DATETIME_FORMAT, **style))
            return
        if kind == "date" and isinstance(value, dt.date):
            if isinstance(value, dt.datetime):
                value = value.replace(tzinfo=None)
            ws.write_datetime(row, col, value, self.fmt(num_format=NUMBER_FORMATS["date"], **style))
            return
        # A value that does not fit its column's kind is still shown, as the text it is.
        self.text(ws, row, col, value, text_wrap=True, **style)

    # ------------------------------------------------------------------ sheets

    def _sheet(self, name: str, *, landscape: bool = True) -> Worksheet:
        ws = self.workbook.add_worksheet(name)
        ws.set_paper(9)  # A4
        if landscape:
            ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_footer("&C" + T["page"].format(page="&P", pages="&N"))
        # Codes such as "1.2" or "2023" are text on purpose: Excel would flag them as numbers stored as text.
        ws.ignore_errors({"number_stored_as_text": "A1:XFD1048576"})
        return ws

    def summary(self, name: str, report: Report) -> None:
        ws = self._sheet(name, landscape=False)
        self.text(ws, 0, 0, report.title, **{**TITLE, "font_size": 14})
        facts = [(X["organisation"], "text", report.organisation), (X["plan"], "text", report.plan_title),
                 (X["period"], "text", report.period_label), (X["as_of"], "date", report.as_of),
                 (X["source"], "text", report.source_line)]
        row = 2
        longest = max(len(safe.printable(v)) for v in (report.organisation, report.plan_title, report.source_line))
        value_width = min(max(longest + 2, 20), 70)
        for label, kind, value in facts:
            self.text(ws, row, 0, label, bold=True)
            self.cell(ws, row, 1, kind, value, align="left")
            if kind == "text":
                _fit_height(ws, row, [(value, value_width)])
            row += 1
        self.text(ws, row, 0, X["made_at"], bold=True)
        ws.write_datetime(row, 1, clock.to_local(report.made_at).replace(tzinfo=None),  # a cell has no zone
                          self.fmt(num_format=DATETIME_FORMAT, align="left"))
        row += 1
        if report.illustrative:
            self.text(ws, row, 0, T["report_illustrative"], **WARNING)
            row += 1

        o, O, C = report.overall, text.OVERVIEW, text.SNAPSHOT_COLUMNS
        status = o.get("status")
        figures = [(O["metric_attainment"], "percent", o.get("attainment")),
                   (C["status"], "text", text.STATUS.get(status, status) if status else None),
                   (O["metric_targets"], "int", o.get("targets_met")), (X["targets_total"], "int", o.get("targets")),
                   (O["metric_tasks"], "int", o.get("tasks_done")), (X["tasks_total"], "int", o.get("tasks")),
                   (O["metric_overdue"], "int", o.get("tasks_overdue")),
                   (O["metric_coverage"], "share", o.get("coverage"))]
        if "completeness" in o:  # «Tình hình báo cáo» (snapshots made before it have no rates)
            figures += [(X["completeness"], "percent", o["completeness"]), (X["timeliness"], "percent", o["timeliness"])]
        row += 1
        self.text(ws, row, 0, X["figures"], **TITLE)
        row += 1
        self.text(ws, row, 0, X["figure"], **HEADER)
        self.text(ws, row, 1, X["value"], **HEADER)
        for label, kind, value in figures:
            row += 1
            self.text(ws, row, 0, label)
            self.cell(ws, row, 1, kind, None if missing(value) else value, align="left")
        ws.set_column(0, 0, max(len(label) for label, _, _ in facts + figures) + 4)
        ws.set_column(1, 1, value_width)

    def table_sheet(self, name: str, table: Table, subtitle: str, frozen_columns: int) -> None:
        ws = self._sheet(name)
        self.text(ws, 0, 0, table.title, **TITLE)
        self.text(ws, 1, 0, subtitle, italic=True)
        widths = _widths(table)
        _set_widths(ws, widths)
        end = self._table(ws, HEADER_ROW, table, widths)
        ws.freeze_panes(HEADER_ROW + 1, frozen_columns)
        # An empty table keeps its filter on the header alone: the "none" line below is no data row.
        last = end - 1 if not table.empty else HEADER_ROW
        ws.autofilter(HEADER_ROW, 0, last, len(table.columns) - 1)
        ws.repeat_rows(HEADER_ROW)

    def changes(self, name: str, report: Report) -> None:
        """Every change table stacked on one sheet, each under its own heading. Excel allows one
        autofilter per sheet, so this sheet has none; the headings stay in view instead."""
        ws = self._sheet(name)
        self.text(ws, 0, 0, T["changes"], **TITLE)
        self.text(ws, 1, 0, report.changes_against or T["no_previous"], italic=True)
        ws.freeze_panes(HEADER_ROW, 0)
        # The stacked tables share columns, each table from column A (a table starting further right reads as
        # shifted: its headers over another table's columns); each column gets the widest need of any table.
        widths: list[float] = []
        for table in report.changes:
            for col, width in enumerate(_widths(table)):
                widths.extend([0.0] * (col + 1 - len(widths)))
                widths[col] = max(widths[col], width)
        _set_widths(ws, widths)
        row = HEADER_ROW + 1
        for table in report.changes:
            self.text(ws, row, 0, table.title, bold=True, font_size=12)
            row = self._table(ws, row + 1, table, widths) + 1

    def _table(self, ws: Worksheet, top: int, table: Table, widths: list[float]) -> int:
        """Header row at `top`, columns from A, then the rows; returns the first row after the table."""
        for col, column in enumerate(table.columns):
            # Numbers are right-aligned: so are their headings.
            self.text(ws, top, col, column.label, **HEADER, **({} if column.kind == "text" else {"align": "right"}))
        _fit_height(ws, top, [(c.label, w) for c, w in zip(table.columns, widths)])
        rows = table.rows()
        if not rows:
            self.text(ws, top + 1, 0, T["none"], italic=True)
            return top + 2
        for r, values in enumerate(rows, start=top + 1):
            for col, (column, value) in enumerate(zip(table.columns, values)):
                if column.kind == "text" and value is not None:
                    self.text(ws, r, col, value, text_wrap=True, **GRID)
                else:
                    self.cell(ws, r, col, column.kind, value, **GRID)
            _fit_height(ws, r, [(v, w) for c, v, w in zip(table.columns, values, widths)
                                if c.kind == "text" and v is not None])
        return top + 1 + len(rows)


def figure_format(value: Figure) -> str:
    """The format that prints a Figure's number with its words: "≥ "0.0% prints 0.965 as «≥ 96,5%»."""
    digits = "0" + ("." + "0" * value.decimals if value.decimals else "")
    core = digits + "%" if value.percent else "#,##" + digits
    return VIETNAMESE + _literal(value.prefix) + core + _literal(value.suffix)


def _literal(words: str) -> str:
    """Words inside a format code: quoted; a quote mark itself, which cannot sit inside quotes, escaped."""
    return '\\"'.join(f'"{part}"' if part else "" for part in words.split('"'))


def _widths(table: Table) -> list[float]:
    """Column widths in characters, from the longest text the dashboard would show in each column.
    Text wraps at a width in proportion to the column's relative width (the same hint page and slide
    tables use), so a status column stays narrow while the "Nội dung" column gets the room."""
    shown = list(zip(*table.shown())) or [() for _ in table.columns]
    widths = []
    for column, values in zip(table.columns, shown):
        longest = max((len(line) for v in values for line in safe.printable(v).splitlines()), default=0)
        word = max((len(w) for w in column.label.split()), default=0)  # headings wrap between words
        if column.kind == "text":
            low, high = TEXT_WIDTH
            cap = min(max(TEXT_WIDTH_PER_UNIT * column.width, 18), high)
            widths.append(min(max(longest, min(len(column.label), cap - 2), word, low) + 2, cap))
        elif column.kind == "figure":  # a number never wraps: its words must fit, or Excel prints "###"
            widths.append(min(max(longest + 3, word + 2, NUMBER_WIDTH[0]), TEXT_WIDTH[1]))
        else:
            low, high = NUMBER_WIDTH
            widths.append(min(max(longest + 3, word + 2, min(len(column.label), 12) + 2, low), high))
    return widths


def _set_widths(ws: Worksheet, widths: list[float]) -> None:
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)


def _fit_height(ws: Worksheet, row: int, cells: list[tuple[object, float]]) -> None:
    """Give a row the height its wrapped text needs. LibreOffice does not recompute row heights when it
    opens an xlsx file, so without this it shows one line of a wrapped cell and hides the rest."""
    lines = max((_line_count(safe.printable(value), width) for value, width in cells), default=1)
    if lines > 1:
        ws.set_row(row, LINE_HEIGHT * lines)


def _line_count(value: str, width: float) -> int:
    # A column width counts digit widths; running text is narrower (measured: about 1.2 characters a
    # digit in LibreOffice's Noto Sans, more in Excel's Calibri). Erring low leaves a spare line, never
    # a hidden one.
    chars = max(int(width * 1.1), 1)
    return sum(max(len(textwrap.wrap(line, chars)), 1) for line in value.splitlines() or [""])


__all__ = ["render"]
