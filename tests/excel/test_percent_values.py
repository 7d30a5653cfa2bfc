"""B5: percentages typed into the value column of a target measured in % (no seed plan has one, so the tiny
plan gets two: T8 "≤ 5%" and T9 "≥ 90%", both reported as a value by Phòng A)."""
from __future__ import annotations

import pytest

from kpi import db
from kpi.excel import upload
from kpi.problems import Severity
from tests.conftest import fingerprint
from tests.excel.conftest import Filled, percent_plan_files

SHEET = "Chỉ tiêu"


@pytest.fixture
def percent_plan(tmp_path):
    con, blank = percent_plan_files(tmp_path)
    yield con, blank
    con.close()


def _check(con, blank, tmp_path, value, number_format=None):
    filled = Filled(blank, tmp_path / "filled.xlsx")
    filled.set(SHEET, "T9", "value", value).set(SHEET, "T9", "note", "giải trình")
    cell = filled.book[SHEET].cell(filled.row(SHEET, "T9"), filled.col(SHEET, "value"))
    if number_format:
        cell.number_format = number_format
    return upload.check(con, filled.save()), cell.coordinate


@pytest.mark.parametrize("value, number_format, expected", [
    (90, "General", 90.0),            # the documented way in a plain cell: 90 means 90%
    ("95,5%", None, 95.5),            # typed with the sign, Vietnamese decimal comma, kept as text
    ("95.5%", None, 95.5),
    (0.955, None, 95.5),              # the template's own percentage format: Excel stores 0,955, shows 95,5%
    (0.955, "0.0%", 95.5),            # a percentage format the person chose
    (0.9, "0%", 90.0),
    (0.07, "0%", 7.0),                # 7, not 7,000000000000001
])
def test_percentages_are_read_as_the_person_saw_them(percent_plan, tmp_path, value, number_format, expected):
    con, blank = percent_plan
    checked, _ = _check(con, blank, tmp_path, value, number_format)
    assert not checked.problems, [(p.code, p.message) for p in checked.problems]
    assert checked.units["A"].figures["T9"].value == expected  # exact: what the person saw, no float noise


@pytest.mark.parametrize("value, number_format", [("105%", None), (1.05, "0%"), (1.05, None), (105, "General")])
def test_a_percentage_over_100_is_refused(percent_plan, tmp_path, value, number_format):
    con, blank = percent_plan
    before = fingerprint(con)
    checked, coordinate = _check(con, blank, tmp_path, value, number_format)
    [problem] = checked.errors
    assert (problem.code, problem.sheet, f"{problem.column}{problem.rows[0]}") == ("percent_over_100", SHEET,
                                                                                    coordinate)
    assert "105" in problem.message
    assert fingerprint(con) == before


def test_a_fraction_in_a_plain_cell_is_taken_as_typed_with_a_warning(percent_plan, tmp_path):
    """0,9 typed into a plain cell for a "≥ 90%" target: read as 0,9% (the template's documented unit), and
    the person is told how to write 90%."""
    con, blank = percent_plan
    checked, coordinate = _check(con, blank, tmp_path, 0.9, "General")
    assert not checked.blocked
    assert checked.units["A"].figures["T9"].value == pytest.approx(0.9)
    [warning] = checked.warnings
    assert warning.severity is Severity.WARNING and warning.code == "percent_as_fraction"
    assert f"{warning.column}{warning.rows[0]}" == coordinate
    assert "90%" in warning.message and "nhập 90" in warning.hint


def _percent_workbook(con, blank, tmp_path) -> bytes:
    """T9 typed as 0,955 in a cell formatted as a percentage (what Excel stores for "95,5%")."""
    filled = Filled(blank, tmp_path / "percent.xlsx")
    filled.set(SHEET, "T9", "value", 0.955).set(SHEET, "T9", "note", "giải trình")
    filled.book[SHEET].cell(filled.row(SHEET, "T9"), filled.col(SHEET, "value")).number_format = "0.0%"
    return filled.save().read_bytes()


def _stored_t9(path) -> float:
    con = db.connect(path)
    try:
        return con.execute("SELECT value FROM current_actual WHERE target_code = 'T9'").fetchone()[0]
    finally:
        con.close()


def test_percent_cell_through_the_command_line(percent_plan, tmp_path):
    """B5 through `python -m kpi actuals import`: 95,5 is stored, not 0,955."""
    from tests.excel.test_upload_cli import kpi
    con, blank = percent_plan
    path = tmp_path / "percent-cli.xlsx"
    path.write_bytes(_percent_workbook(con, blank, tmp_path))
    con.close()
    result = kpi("actuals", "import", str(path), "--yes", "--by", "Phòng A", db_path=tmp_path / "percent.duckdb")
    assert result.returncode == 0, result.stderr
    assert _stored_t9(tmp_path / "percent.duckdb") == pytest.approx(95.5)


def test_percent_cell_through_the_page(percent_plan, tmp_path, monkeypatch):
    """B5 through "Nhập số liệu": the preview shows 95,5 and that is what is written."""
    from tests.app.conftest import frame_with, open_app
    con, blank = percent_plan
    data = _percent_workbook(con, blank, tmp_path)
    con.close()
    at = open_app(monkeypatch, tmp_path / "percent.duckdb", "pages/upload.py", role="van_phong", org_id="tiny",
                  org="tiny", year="2023")
    at.selectbox(key="upload_unit").set_value("A").run()
    at.selectbox(key="upload_period").set_value("2023-Q1").run()
    at.file_uploader(key="upload_file").upload("A-Q1.xlsx", data,
                                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").run()
    assert not at.exception and not at.error
    preview = frame_with(at, "change")
    assert preview.query("code == 'T9' and field == 'Giá trị'")["after"].item() == "95,5"  # its note: a row of its own
    at.button(key="upload_confirm").click().run()
    assert not at.exception
    assert _stored_t9(tmp_path / "percent.duckdb") == pytest.approx(95.5)
