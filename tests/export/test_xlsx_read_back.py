"""The meeting workbook read back, every sheet, cell by cell, against what the screen shows (issue 18, item 6).

The screen's figures come from the functions the pages call (kpi.presentation.dashboard: the overview's
metrics, `summary` on the area page, `readable_targets` on the area and unit pages; the meeting page's
`show_table` of the change tables), never from the exporter. Each workbook cell is rendered the way a
Vietnamese reader sees it by a small reader of the number format written here (not the exporter's code), so
that "stored 0.965 under 0.0%" and the screen's "96,5%" can be compared as text; and every cell whose screen
text holds a figure must be a number (or a date) in the workbook, never text.
"""
from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pandas as pd
import pytest

from kpi import text
from kpi.meetings import snapshots
from kpi.meetings.export import build_report, export
from kpi.meetings.export.report import change_tables
from kpi.presentation import dashboard
from tests.export.conftest import LARGEST
from tests.helpers import scope

SHEETS = text.EXPORT_XLSX["sheets"]
C = text.SNAPSHOT_COLUMNS
O = text.OVERVIEW
VIETNAMESE_TAG = "[$-42A]"   # Vietnamese's locale: LibreOffice prints 96,5% and 1.234 whatever the machine
# Columns of words (codes, names, texts, periods): their cells are text even when they hold digits.
WORD_COLUMNS = {C["code"], C["text"], C["name"], C["unit"], C["deadline"], C["lead"], C["state"], C["by"],
                C["status"], C["status_before"], C["status_after"], C["reason"], C["period"], C["file_name"],
                C["review"], text.COMMENTARY_COLUMNS["text"], text.COMMENTARY_COLUMNS["comment"],
                text.COMMENTARY_COLUMNS["source"], text.COMMENTARY_COLUMNS["unit"]}


# ------------------------------------------------------------------ a reader's eyes

def shown(cell) -> str:
    """The cell as a Vietnamese reader sees it: "" for an empty cell."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    code = cell.number_format
    assert code.startswith(VIETNAMESE_TAG), (cell.parent.title, cell.coordinate, code)
    code = code[len(VIETNAMESE_TAG):]
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y %H:%M}" if "hh:mm" in code else f"{value:%d/%m/%Y}"
    sections = code.split(";")
    if len(sections) == 3:  # positive;negative;zero, each with its own sign written in it
        section = sections[0] if value > 0 else sections[1] if value < 0 else sections[2]
        value = abs(value)
    else:
        section = sections[0]
    return _apply(section, value)


def _apply(section: str, value: float) -> str:
    """One section of a format code: quoted words, \\-escaped characters and +/- kept; the digits part
    (0, #, the grouping comma, the decimal point) written with Vietnamese separators; % scales by 100."""
    parts = re.findall(r'"[^"]*"|\\.|[0#,.]+|%|.', section)
    digits = next(p for p in parts if re.fullmatch(r"[0#,.]+", p))
    decimals = len(digits.partition(".")[2])
    scaled = value * 100 if "%" in parts else value
    number = f"{abs(scaled):{',' if ',' in digits else ''}.{decimals}f}".translate(str.maketrans(",.", ".,"))
    if scaled < 0 and round(abs(scaled), decimals):
        number = "-" + number
    out = []
    for part in parts:
        if part == digits:
            out.append(number)
        elif part.startswith('"'):
            out.append(part[1:-1])
        elif part.startswith("\\"):
            out.append(part[1])
        else:
            out.append(part)
    return "".join(out)


def test_the_reader_reads_the_formats_as_a_vietnamese_reader_would():
    wb = openpyxl.Workbook()
    ws = wb.active
    cases = [(0.9654, "0.0%", "96,5%"), (1234567, "#,##0", "1.234.567"), (1, '"≥ "0%', "≥ 100%"),
             (25, '#,##0" (số liệu Quý III/2023)"', "25 (số liệu Quý III/2023)"), (-0.5859, "+0.0;-0.0;0.0", "-0,6"),
             (2.24, "+0.0;-0.0;0.0", "+2,2"), (0, "+0.0;-0.0;0.0", "0,0"), (1500.25, '#,##0.00" đ"', "1.500,25 đ")]
    for row, (value, code, expected) in enumerate(cases, start=1):
        cell = ws.cell(row, 1, value)
        cell.number_format = VIETNAMESE_TAG + code
        assert shown(cell) == expected, code


# ------------------------------------------------------------------ the sheets

def table_at(ws, top: int, labels: list[str]) -> list[list]:
    """The table whose header is row `top`: its headers must be exactly `labels` from column A, and no row
    may hold anything right of its last header (a row shifted by a column would)."""
    assert [ws.cell(top, col + 1).value for col in range(len(labels) + 1)] == [*labels, None], ws.title
    rows = []
    for r in range(top + 1, ws.max_row + 2):
        cells = [ws.cell(r, col + 1) for col in range(ws.max_column + 1)]
        if all(c.value is None for c in cells):
            break
        assert all(c.value is None for c in cells[len(labels):]), (ws.title, r)
        rows.append(cells[:len(labels)])
    return rows


def compare(ws, top: int, labels: list[str], expected: list[list[str]]) -> int:
    """The table at `top` against the screen's rows, cell by cell; returns the row after it. An empty screen
    table is the sheet's «Không có.» line. A missing figure ("—" on screen) is an empty cell."""
    rows = table_at(ws, top, labels)
    if not expected:
        assert [[shown(c) for c in row] for row in rows] == [[text.SNAPSHOT["none"]] + [""] * (len(labels) - 1)]
        return top + 2
    assert len(rows) == len(expected), ws.title
    for cells, screen in zip(rows, expected):
        for label, cell, on_screen in zip(labels, cells, screen):
            on_screen = "" if on_screen in (text.MISSING, None) else str(on_screen)
            assert shown(cell) == on_screen, (ws.title, cell.coordinate, label)
            if label not in WORD_COLUMNS and re.search(r"\d", on_screen):
                assert cell.data_type in ("n", "d"), (ws.title, cell.coordinate, label, cell.value)
    return top + 1 + len(rows)


def header_row(ws, label: str) -> int:
    return next(c.row for c in ws["A"] if c.value == label)


def check_summary(ws, view):
    h = view.headline
    figure = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(header_row(ws, text.EXPORT_XLSX["figure"]) + 1,
                                                                   ws.max_row + 1)}
    X = text.EXPORT_XLSX
    assert shown(figure[O["metric_attainment"]]) == text.format_percent(h["attainment"])
    assert shown(figure[C["status"]]) == text.STATUS[h["status"]]
    # The overview's metrics «5/36»: the part and the whole are two numbers in the workbook.
    assert O["of"].format(part=shown(figure[O["metric_targets"]]), whole=shown(figure[X["targets_total"]])) == \
        O["of"].format(part=h["targets_met"], whole=h["targets"])
    assert O["of"].format(part=shown(figure[O["metric_tasks"]]), whole=shown(figure[X["tasks_total"]])) == \
        O["of"].format(part=h["tasks_done"], whole=h["tasks"])
    assert shown(figure[O["metric_overdue"]]) == text.format_number(h["tasks_overdue"])
    # «3/3 (100%)»: the workbook keeps the share, as the bracket shows it.
    assert f"({shown(figure[O['metric_coverage']])})" in text.format_coverage(
        h["units_reported"], h["units_expected"], h["coverage"])
    for rate in (X["completeness"], X["timeliness"]):   # «Đã nhận 3/3 báo cáo (100,0%) · đúng hạn …»
        assert f"({shown(figure[rate])})" in view.reporting_summary
    for label, cell in figure.items():
        if label != C["status"]:
            assert cell.data_type == "n", label


def check_tables(wb, view, explained, commented, comparison):
    """Every table sheet against the screen."""
    levels = view.levels
    ws = wb[SHEETS["by_area"]]
    labels = [C["name"], C["attainment"], C["status"], C["targets_met"], C["targets"], C["tasks_overdue"], C["coverage"]]
    screen = []
    for _, row in view.by_area.iterrows():      # the area page's line: dashboard.summary of the area's row
        s = dashboard.summary(row)
        screen.append([row["name"], s["attainment"], s["status"], s["met"], s["targets"], s["overdue"], s["coverage"]])
    compare(ws, header_row(ws, C["name"]), labels, screen)

    ws = wb[SHEETS["unit_area"]]
    top = header_row(ws, C["unit"])
    areas = [ws.cell(top, col).value for col in range(2, ws.max_column)]
    assert set(areas) <= set(view.by_area["name"]) and areas
    cells = {(u, a): v for u, a, v in zip(view.unit_area["name"], view.unit_area["area_name"],
                                          view.unit_area["attainment"])}
    overall = levels["unit"].set_index("name")["attainment"]
    screen = [[unit, *(text.format_percent(cells.get((unit, area))) for area in areas),
               text.format_percent(overall.get(unit))] for unit in levels["unit"]["name"]]
    compare(ws, top, [C["unit"], *areas, O["metric_attainment"]], screen)

    ws = wb[SHEETS["targets"]]
    targets = dashboard.readable_targets(levels["target"])   # the area and unit pages' table
    compare(ws, header_row(ws, C["code"]), [C["code"], C["text"], C["target"], C["actual"], C["attainment"], C["status"]],
            targets[["code", "text", "target", "actual_shown", "attainment_shown", "status_label"]].values.tolist())

    ws = wb[SHEETS["overdue"]]
    compare(ws, header_row(ws, C["code"]), [C["code"], C["text"], C["deadline"], C["due"], C["lead"]],
            view.overdue[["code", "text", "deadline", "due", "lead"]].values.tolist())

    ws = wb[SHEETS["coverage"]]
    coverage = levels["unit"].set_index("name")["coverage"]
    rp = view.reporting
    compare(ws, header_row(ws, C["unit"]), [C["unit"], C["state"], C["last"], C["by"], C["review"], C["unit_coverage"]],
            [[u, s, at, by, rv, text.format_percent(coverage.get(u), 0)] for u, s, at, by, rv in
             zip(rp["unit"], rp["state_label"], rp["submitted_at"], rp["submitted_by"], rp["review"])])

    # The meeting page shows commentary and changes with show_table: Table.shown(), cell by cell.
    from kpi.meetings.export.report import area_comment_table, explanation_table
    for key, table in (("explanations", explanation_table(explained)), ("area_comments", area_comment_table(commented))):
        ws = wb[SHEETS[key]]
        compare(ws, 3, [c.label for c in table.columns], table.shown())

    ws = wb[SHEETS["changes"]]
    tables = change_tables(comparison) if comparison is not None else []
    row = 4
    for table in tables:                         # stacked, each title in column A, its header under it
        assert ws.cell(row, 1).value == table.title
        row = compare(ws, row + 1, [c.label for c in table.columns], table.shown()) + 1
    if not tables:
        assert ws.cell(2, 1).value == text.SNAPSHOT["no_previous"]


CASES = {
    # The meeting page's snapshot (Đồng Nai 2023 Quý III, changes since the Quý II snapshot): 39 targets,
    # three of them values (CT20, CT26, CT27), two with the quarter of their latest figure beside it.
    "snapshot": dict(snapshot_id=2),
    # The live figures of Sở Công Thương 2021 Quý III: yes/no and value targets beside rates, no snapshot.
    "live": dict(scope=("sct-2021", "2021-Q3")),
}


@pytest.mark.parametrize("case", CASES)
def test_every_sheet_reads_back_as_the_screen_shows_it(case, demo_db, tmp_path):
    con = demo_db
    if case == "snapshot":
        report = build_report(con, snapshot_id=2, now=dt.datetime(2023, 10, 12, 9, 0))
        view = snapshots.load(con, 2)                       # what the meeting page shows of snapshot 2
        explained, commented = snapshots.frozen_commentary(con, 2)
        comparison = snapshots.compare(con, 1, 2)
    else:
        chosen = scope(*CASES[case]["scope"])
        report = build_report(con, scope=chosen, now=dt.datetime(2021, 10, 20, 9, 0))
        view = dashboard.overview(con, chosen)              # what the overview page shows
        from kpi import commentary
        explained, commented = commentary.explanations(con, chosen), commentary.area_comments(con, chosen)
        assert snapshots.latest(con, "sct-2021") is None
        comparison = None
    path = tmp_path / "report.xlsx"
    path.write_bytes(export(report, "xlsx"))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == list(SHEETS.values())

    check_summary(wb[SHEETS["summary"]], view)
    check_tables(wb, view, explained, commented, comparison)

    # The figures that used to be text: every «Thực hiện» and every target with a value is a number now.
    ws = wb[SHEETS["targets"]]
    top = header_row(ws, C["code"])
    rows = table_at(ws, top, [c.value for c in ws[top] if c.value is not None])
    actual = [row[3] for row in rows if row[3].value is not None]
    assert len(actual) == levels_with_actual(view) and all(c.data_type == "n" for c in actual)
    kinds = set(view.levels["target"]["kind"])
    assert {"ratio", "value"} <= kinds and (case == "snapshot" or "yes_no" in kinds)


def levels_with_actual(view) -> int:
    return int(view.levels["target"]["actual"].notna().sum())


def test_the_latest_figure_keeps_its_quarter_and_stays_a_number(demo_db, tmp_path):
    """CT26 of Đồng Nai 2023 (a stock: «37 (số liệu Quý III/2023)» on screen) is the number 37 in the workbook."""
    report = build_report(demo_db, snapshot_id=2, now=dt.datetime(2023, 10, 12, 9, 0))
    path = tmp_path / "report.xlsx"
    path.write_bytes(export(report, "xlsx"))
    ws = openpyxl.load_workbook(path)[SHEETS["targets"]]
    row = next(r for r in ws.iter_rows() if r[0].value == "CT26")
    assert row[3].value == 37 and row[3].data_type == "n"
    assert shown(row[3]) == "37 (số liệu Quý III/2023)"
    assert pd.isna(report.targets.frame.loc[report.targets.frame["code"] == "CT26", "attainment"]).sum() == 0
    assert LARGEST == report.plan_id
