"""Issue 14 item 6: cells read as the person typed them. A percentage typed in a percent-formatted cell
(stored as 0,965 by Excel and LibreOffice, in .xlsx and .ods) is 96,5; a count typed «1.150» on a machine
with English settings arrives as 1,15 and is refused with the likely cause and the cell. The LibreOffice
round trips use the real `soffice`, so the styles are LibreOffice's own, not openpyxl's."""
from __future__ import annotations

import shutil
import time
import zipfile

import openpyxl
import pytest

from kpi import db
from kpi.excel import reader, template, upload
from kpi.periods import parse_period
from tests.conftest import fingerprint
from tests.excel.conftest import Filled, libreoffice_copy, percent_plan_files, rewrite_part
from tests.helpers import TEST_ACTOR

SHEET = "Chỉ tiêu"
PERIOD = parse_period("2023-Q1")
needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed; `make test` installs it (Debian package libreoffice-calc)")


@pytest.fixture
def plan(tmp_path):
    con, blank = percent_plan_files(tmp_path)
    yield con, blank
    con.close()


def _cell(filled: Filled, code: str, key: str):
    return filled.book[SHEET].cell(filled.row(SHEET, code), filled.col(SHEET, key))


# ---------------------------------------------------------------- the template

def test_percentage_targets_get_a_percent_cell_with_a_rule_of_at_most_100_percent(plan, tmp_path):
    con, blank = plan
    filled = Filled(blank, tmp_path / "look.xlsx")
    sheet = filled.book[SHEET]
    percent = {_cell(filled, code, "value").coordinate for code in ("T8", "T9")}
    plain = _cell(filled, "T7", "value").coordinate  # "≥ 12 lớp": a value, not a percentage
    assert {ref: sheet[ref].number_format for ref in percent} == {ref: "0.0#%" for ref in percent}
    assert "%" not in sheet[plain].number_format
    rules = {str(rule.sqref): rule for rule in sheet.data_validations.dataValidation}
    [percent_rule] = [rule for ranges, rule in rules.items() if all(ref in ranges for ref in percent)]
    assert (percent_rule.type, percent_rule.operator, percent_rule.formula1) == ("decimal", "lessThanOrEqual", "1")
    assert "96,5%" in percent_rule.error
    [plain_rule] = [rule for ranges, rule in rules.items() if plain in ranges]
    assert (plain_rule.operator, float(plain_rule.formula1)) == ("greaterThanOrEqual", -1e12)
    assert not any(ref in str(plain_rule.sqref) for ref in percent)  # one rule per cell, none overlapping
    count_rule = next(rule for rule in rules.values() if rule.type == "whole")
    assert "1.150" in count_rule.error and "1,15" in count_rule.error  # what Excel says on an English machine


def test_a_stored_percentage_comes_back_in_the_template_and_re_uploads_unchanged(plan, tmp_path):
    """95,5 stored for T9 is prefilled as 0,955 in the percent cell (shown 95,5%); the unchanged file is read
    as 95,5 again: identical, nothing to write."""
    con, blank = plan
    filled = Filled(blank, tmp_path / "first.xlsx")
    filled.set(SHEET, "T9", "value", 0.955).set(SHEET, "T9", "note", "giải trình")
    first = upload.submit(con, filled.save(), confirmed=True, actor=TEST_ACTOR)
    assert first.status == "applied", [p.code for p in first.checked.problems]
    again = tmp_path / "again.xlsx"
    again.write_bytes(template.build(con, "tiny-2023", "A", PERIOD))
    cell = _cell(Filled(again, tmp_path / "look.xlsx"), "T9", "value")
    assert (cell.value, cell.number_format) == (0.955, "0.0#%")
    before = fingerprint(con)
    assert upload.submit(con, again, confirmed=True, actor=TEST_ACTOR).status == "unchanged"
    assert fingerprint(con) == before


# ---------------------------------------------------------------- percentages through LibreOffice

@pytest.fixture(scope="module")
def percent_copies(tmp_path_factory):
    """One filled report, saved again by LibreOffice as .xlsx and as .ods: T9 0,965 in the template's percent
    cell (what Excel and LibreOffice store for 96,5%), T8 4,5 in a cell the person set to General."""
    folder = tmp_path_factory.mktemp("percent")
    con, blank = percent_plan_files(folder)
    con.close()
    filled = Filled(blank, folder / "A-Q1.xlsx")
    filled.set(SHEET, "T9", "value", 0.965).set(SHEET, "T8", "value", 4.5).set(SHEET, "T7", "value", 12)
    _cell(filled, "T8", "value").number_format = "General"
    source = filled.save()
    return folder, {fmt: libreoffice_copy(source, fmt, folder) for fmt in ("xlsx", "ods")}


@needs_soffice
@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_percentage_saved_by_libreoffice_arrives_as_typed(percent_copies, fmt):
    folder, copies = percent_copies
    path = copies[fmt]
    with zipfile.ZipFile(path) as archive:  # LibreOffice's own writing, not the template's
        if fmt == "xlsx":
            assert b"LibreOffice" in archive.read("docProps/app.xml")
            assert b'formatCode="0.0#%"' in archive.read("xl/styles.xml")
        else:
            assert b'office:value-type="percentage" office:value="0.965"' in archive.read("content.xml")
    con = db.connect(folder / "percent.duckdb")
    try:
        checked = upload.check(con, path)
    finally:
        con.close()
    assert not checked.problems, [(p.code, p.message) for p in checked.problems]
    figures = checked.units["A"].figures
    assert (figures["T9"].value, figures["T8"].value, figures["T7"].value) == (96.5, 4.5, 12.0)


@needs_soffice
@pytest.mark.parametrize("code, percent", [("0.0#%", True), ("0,0%", True), ("0%", True),
                                           ('0.0\\%', False), ('0.0"%"', False), ("#,##0.##", False)])
def test_percent_formats_as_libreoffice_writes_them(percent_copies, tmp_path, code, percent):
    """The template's format in LibreOffice's styles.xml swapped for another: a bare % scales the value, a %
    quoted or escaped (a sign written after the number, as LibreOffice writes 0.0"%") does not."""
    _, copies = percent_copies
    escaped = code.replace('"', "&quot;").encode()
    path = rewrite_part(copies["xlsx"], r"xl/styles\.xml$",
                        lambda xml: xml.replace(b'formatCode="0.0#%"', b'formatCode="' + escaped + b'"'),
                        tmp_path / "styles.xlsx")
    scans = reader.prescan_xlsx(path, path.name)
    t9 = "I11"  # T9 is the 8th target row of Phòng A's template: row 4 + 7; value is column I
    assert _value_ref(path, "T9") == t9
    assert (t9 in scans[SHEET].percent_cells) is percent


def _value_ref(path, code: str) -> str:
    sheet = openpyxl.load_workbook(path, read_only=True)[SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    keys = rows[2]
    row = next(i for i, r in enumerate(rows, 1) if r[keys.index("code")] == code)
    return f"{chr(ord('A') + keys.index('value'))}{row}"


@needs_soffice
def test_percentage_cells_of_an_ods_are_found_where_calamine_puts_them(tmp_path):
    """LibreOffice compresses an .ods: equal rows and cells are written once with a repeat count, merged cells
    leave covered cells. Expected references counted by hand from the sheet below."""
    book = openpyxl.Workbook()
    first = book.active
    first.title = "A & B"
    first["A1"] = "x"
    for ref in ("E1", "F1", "G1"):       # one cell repeated 3 times
        first[ref], first[ref].number_format = 0.25, "0%"
    first["B5"], first["B5"].number_format = 0.965, "0.0%"
    for ref in ("D10", "D11", "D12"):    # one row repeated 3 times
        first[ref], first[ref].number_format = 0.5, "0.0%"
    first.merge_cells("A20:C20")         # A20 and two covered cells before D20
    first["A20"], first["D20"], first["D20"].number_format, first["H20"] = "m", 0.1, "0.00%", 7
    second = book.create_sheet("Two")
    second["A1"], second["C3"], second["C3"].number_format = 5, 0.3, "0%"
    book.save(tmp_path / "shapes.xlsx")
    ods = libreoffice_copy(tmp_path / "shapes.xlsx", "ods", tmp_path)
    content = zipfile.ZipFile(ods).read("content.xml")
    assert b'table:number-rows-repeated="3"' in content and b"<table:covered-table-cell" in content
    workbook = reader.read(ods)
    assert {name: sorted(scan.percent_cells) for name, scan in workbook.scans.items()} == {
        "A & B": ["B5", "D10", "D11", "D12", "D20", "E1", "F1", "G1"], "Two": ["C3"]}
    assert workbook.sheets["A & B"][19][3] == 0.1 and workbook.sheets["Two"][2][2] == 0.3  # the same cells


# ---------------------------------------------------------------- counts typed with English settings

@pytest.mark.parametrize("number, meant", [
    (1.15, 1150), (1.5, 1500), (12.5, 12500), (999.999, 999999), (1.005, 1005),
    (0.5, None),        # no thousands group starts with 0
    (1234.5, None),     # 4 digits before the point: not a grouping
    (1.2345, None),     # 4 digits after it
    (1.15e-3, None),
])
def test_which_numbers_look_like_a_thousands_dot_read_as_a_decimal_point(number, meant):
    assert upload.thousands_misread(number) == meant


@needs_soffice
def test_a_count_typed_with_english_settings_is_refused_with_the_cause_and_the_cell(plan, tmp_path):
    """«1.150» typed on a machine with English settings is stored as 1,15; LibreOffice saves it so. Refused
    with count_decimal_point naming the cell and 1150; nothing is written."""
    con, blank = plan
    filled = Filled(blank, tmp_path / "english.xlsx")
    filled.ratio("T1", 1.15, 2000).ratio("T2", 12.5, 100).ratio("T5", 1100, 1.2)
    refs = {(code, key): _cell(filled, code, key).coordinate
            for code, key in (("T1", "numerator"), ("T2", "numerator"), ("T5", "denominator"))}
    saved = libreoffice_copy(filled.save(), "xlsx", tmp_path)
    before = fingerprint(con)
    outcome = upload.submit(con, saved, note="Phòng A", actor=TEST_ACTOR)
    assert outcome.status == "rejected"
    assert fingerprint(con) == before
    found = {f"{p.column}{p.rows[0]}": p for p in outcome.checked.errors}
    assert set(found) == set(refs.values())
    t1 = found[refs["T1", "numerator"]]
    assert (t1.code, t1.sheet) == ("count_decimal_point", SHEET)
    assert f"Ô {refs['T1', 'numerator']} ghi 1,15" in t1.message and "gõ 1.150" in t1.message
    assert "dấu chấm thập phân kiểu Anh" in t1.message and "hãy nhập 1150" in t1.hint
    # 12,5 over 100: «12.500» would be more than the whole, so the hint would mislead
    assert found[refs["T2", "numerator"]].code == "count_not_integer"
    # 1.100 over 1,2: «1.200» fits, the denominator gets the hint
    t5 = found[refs["T5", "denominator"]]
    assert t5.code == "count_decimal_point" and "hãy nhập 1200" in t5.hint


def test_a_sheet_of_a_million_percentage_cells_is_described_within_the_limits_and_fast():
    """A hostile content.xml: 400.000 percentage cells in one row, then one percentage row repeated a million
    times. Only cells within MAX_ROWS × MAX_COLUMNS are named (the reading process refuses the rest), and every
    search starts where the last stopped: no rescanning of the row for each cell."""
    cell = b'<table:table-cell office:value-type="percentage" office:value="0.5"><text:p>50%</text:p></table:table-cell>'
    content = (b'<table:table table:name="W"><table:table-row>' + cell * 400_000 + b"</table:table-row>"
               b'<table:table-row table:number-rows-repeated="1000000">' + cell + b"</table:table-row></table:table>")
    started = time.perf_counter()
    scans = reader.describe_ods(content)
    elapsed = time.perf_counter() - started
    cells = scans["W"].percent_cells
    assert len(cells) == reader.MAX_COLUMNS + reader.MAX_ROWS - 1  # row 1: A..GR; rows 2..20.000: A
    assert {"A1", "GR1", "A2", "A20000"} <= cells and not {"GS1", "A20001"} & cells
    assert elapsed < 2.0, elapsed
