"""AppTest of "Nhập số liệu": download, upload a filled template, see problems or a preview, confirm."""
import os
import tempfile

import pytest
from streamlit.testing.v1 import AppTest

from kpi.periods import parse_period
from kpi import db, engine
from kpi.excel import template
from tests.app.conftest import frame_with, open_app
from tests.excel import hostile
from tests.excel.conftest import Filled
from tests.conftest import fingerprint
from tests.helpers import scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def open_upload_page(monkeypatch, db_path) -> AppTest:
    at = open_app(monkeypatch, db_path, "pages/upload.py", role="van_phong", org_id="syt-thanh-hoa",
                  org="syt-thanh-hoa", year="2021")
    at.selectbox(key="upload_unit").set_value("VPS").run()
    return at


def filled_template(db_path, tmp_path, **cells) -> bytes:
    con = db.connect(db_path)
    try:
        blank = tmp_path / "blank.xlsx"
        blank.write_bytes(template.build(con, "syt-thanh-hoa-2021", "VPS", parse_period("2021-Q1")))
    finally:
        con.close()
    filled = Filled(blank, tmp_path / "filled.xlsx")
    for code, (numerator, denominator) in cells.items():
        filled.ratio(code, numerator, denominator).set("Chỉ tiêu", code, "note", "giải trình")
    return filled.save().read_bytes()


def test_upload_page_renders_with_a_template_to_download(monkeypatch, seeded_db_path):
    at = open_upload_page(monkeypatch, seeded_db_path)
    assert at.title[0].value == "Nhập số liệu"
    assert at.selectbox(key="upload_period").value == "2021-Q1"
    # Not the sidebar's «Kỳ báo cáo» (the period being viewed): a staff member must not take one for the other.
    sidebar_labels = {box.label for box in at.sidebar.selectbox}
    assert at.selectbox(key="upload_period").label == "Nộp báo cáo cho kỳ"
    assert "Kỳ báo cáo" in sidebar_labels and "Nộp báo cáo cho kỳ" not in sidebar_labels
    assert "Hạn nộp: 20/03/2021" in at.caption[1].value


def test_a_bad_file_shows_every_problem_and_writes_nothing(monkeypatch, seeded_db_path, tmp_path):
    data = filled_template(seeded_db_path, tmp_path, CT01=(120, 100), CT05=("x", 80))
    at = open_upload_page(monkeypatch, seeded_db_path)
    at.file_uploader(key="upload_file").upload("VPS-Q1.xlsx", data, XLSX).run()
    assert not at.exception
    assert "Tệp có 2 lỗi" in at.error[0].value
    problems = frame_with(at, "hint")
    assert list(problems["code"]) == ["numerator_gt_denominator", "count_not_a_number"]
    assert list(problems["rows"]) == ["4", "8"] and list(problems["column"]) == ["G", "G"]
    assert "upload_confirm" not in [b.key for b in at.button]
    con = db.connect(seeded_db_path)
    assert con.execute("SELECT count(*) FROM submission").fetchone()[0] == 0


def test_a_good_file_is_previewed_then_written_on_confirmation(monkeypatch, seeded_db_path, tmp_path):
    data = filled_template(seeded_db_path, tmp_path, CT01=(96, 100))
    at = open_upload_page(monkeypatch, seeded_db_path)
    at.file_uploader(key="upload_file").upload("VPS-Q1.xlsx", data, XLSX).run()
    assert not at.exception and "Tệp hợp lệ" in at.success[0].value
    preview = frame_with(at, "change")
    assert set(preview["code"]) == {"CT01"} and set(preview["change"]) == {"mới"}
    at.button(key="upload_confirm").click().run()
    assert not at.exception
    assert "Đã ghi 1 báo cáo kỳ Quý I/2021" in at.success[-1].value
    history = frame_with(at, "submitted_by")
    assert list(history["submitted_by"]) == ["Người van_phong"]  # the signed-in account (tests/app/conftest.py)
    con = db.connect(seeded_db_path)
    try:
        assert engine.attainment(con, scope("syt-thanh-hoa-2021", "2021-Q1")).set_index("code").loc["CT01", "rate"] == 0.96
    finally:
        con.close()


def test_a_unit_account_sending_another_units_file_is_refused_in_vietnamese(monkeypatch, seeded_db_path, tmp_path):
    """The person is the signed-in account (no name box); a unit account of TCCB is offered only TCCB, and a
    filled VPS template sent there is refused by kpi (kpi/excel/upload.py), shown in Vietnamese, nothing written
    (kpi's own refusal of a unit outside the account: tests of kpi/excel/upload.py)."""
    data = filled_template(seeded_db_path, tmp_path, CT01=(96, 100))
    at = open_app(monkeypatch, seeded_db_path, "pages/upload.py", role="don_vi", org_id="syt-thanh-hoa",
                  units=("TCCB",), org="syt-thanh-hoa", year="2021")
    con = db.connect(seeded_db_path)
    try:
        before = fingerprint(con)
    finally:
        con.close()
    assert at.selectbox(key="upload_unit").value == "TCCB" and len(at.selectbox(key="upload_unit").options) == 1
    at.file_uploader(key="upload_file").upload("VPS-Q1.xlsx", data, XLSX).run()
    assert not at.exception and "upload_confirm" not in [b.key for b in at.button]
    problems = frame_with(at, "hint")
    # the file names VPS, the slot is TCCB: refused before the account's units are even asked
    assert list(problems["code"]) == ["template_of_other_unit"]
    con = db.connect(seeded_db_path)
    try:
        assert fingerprint(con) == before
    finally:
        con.close()


@pytest.mark.parametrize("case", hostile.CASES)
def test_hostile_files_through_the_page(monkeypatch, seeded_db_path, tmp_path, case):
    data, code = hostile.build(case, seeded_db_path, tmp_path)
    at = open_upload_page(monkeypatch, seeded_db_path)  # first: signing in creates the test's account
    before = hostile.prepared(case, seeded_db_path)
    private = tmp_path / "tmp"  # the page's temporary folder, watched alone (other processes share /tmp)
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    at.file_uploader(key="upload_file").upload("bao-cao.xlsx", data, XLSX).run()
    assert not at.exception
    assert os.listdir(private) == []  # R5: nothing of the upload left on disk
    assert "Chưa ghi gì" in at.error[0].value
    assert list(frame_with(at, "hint")["code"]) == [code]
    hostile.assert_refused_and_unchanged(seeded_db_path, before, code)


@pytest.mark.parametrize("case", hostile.ACCEPTED)
def test_real_world_files_through_the_page(monkeypatch, seeded_db_path, tmp_path, case):
    """Files as people really save them (A21, A22, A26, B1): previewed with their warning, then written."""
    data, warning, figures = hostile.build_accepted(case, seeded_db_path, tmp_path)
    at = open_upload_page(monkeypatch, seeded_db_path)
    at.file_uploader(key="upload_file").upload("bao-cao.xlsx", data, XLSX).run()
    assert not at.exception and not at.error
    if warning:  # accepted, the person told what to look at
        assert at.warning and warning in list(frame_with(at, "hint")["code"])
    else:
        assert "Tệp hợp lệ" in at.success[0].value
    at.button(key="upload_confirm").click().run()
    assert not at.exception
    con = db.connect(seeded_db_path)
    try:
        assert hostile.stored_figures(con) == figures
    finally:
        con.close()


def test_template_of_another_period_or_plan_through_the_page(monkeypatch, seeded_db_path, tmp_path):
    """B11.1: the Quý I/2021 file uploaded while Quý II/2021 is chosen. B12: the 2021 plan's file uploaded on
    the 2022 plan's page. Both refused; nothing written but the audit rows."""
    data = filled_template(seeded_db_path, tmp_path, CT01=(96, 100))
    at = open_upload_page(monkeypatch, seeded_db_path)  # first: signing in creates the test's account
    before = hostile.prepared("", seeded_db_path)
    at.selectbox(key="upload_period").set_value("2021-Q2").run()
    at.file_uploader(key="upload_file").upload("VPS-Q1.xlsx", data, XLSX).run()
    assert list(frame_with(at, "hint")["code"]) == ["template_of_other_period"]
    at = open_app(monkeypatch, seeded_db_path, "pages/upload.py", role="van_phong", org_id="syt-thanh-hoa",
                  org="syt-thanh-hoa", year="2022")
    at.selectbox(key="upload_unit").set_value("VPS").run()
    at.file_uploader(key="upload_file").upload("VPS-Q1-2021.xlsx", data, XLSX).run()
    assert list(frame_with(at, "hint")["code"]) == ["template_of_other_plan"]
    con = db.connect(seeded_db_path)
    try:
        assert hostile.fingerprint(con) == before
        assert sorted(con.execute("SELECT code FROM audit").fetchall()) == [
            ("template_of_other_period",), ("template_of_other_plan",)]
    finally:
        con.close()


def test_template_of_another_unit_through_the_page(monkeypatch, seeded_db_path, tmp_path):
    """B10: the page's chosen unit decides; Văn phòng Sở's file uploaded while another unit is chosen."""
    data = filled_template(seeded_db_path, tmp_path, CT01=(96, 100))
    at = open_upload_page(monkeypatch, seeded_db_path)
    at.selectbox(key="upload_unit").set_value("TCCB").run()  # Phòng Tổ chức cán bộ
    at.file_uploader(key="upload_file").upload("VPS-Q1.xlsx", data, XLSX).run()
    assert list(frame_with(at, "hint")["code"]) == ["template_of_other_unit"]
