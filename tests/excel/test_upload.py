"""Uploads of filled templates: good files apply once and completely; every bad file is refused with
its code and location, and the database is exactly as before (fingerprint of every table)."""
import datetime as dt
import re
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kpi.periods import parse_period
from kpi import engine
from kpi.excel import reader, upload
from kpi.problems import ImportRejected, Severity
from tests.conftest import fingerprint
from tests.excel.conftest import PERIOD, PLAN, good, rewrite_part, sheet_part
from tests.helpers import scope
from tests.helpers import TEST_ACTOR

TARGETS, TASKS = "Chỉ tiêu", "Nhiệm vụ"


def rejected(con, path, **slot) -> list[tuple]:
    """Check and try to apply; assert nothing was written; return (sheet, rows, column, code) of errors."""
    before = fingerprint(con)
    checked = upload.check(con, path, **slot)
    assert checked.blocked, [p.code for p in checked.problems]
    with pytest.raises(ImportRejected) as refused:
        upload.apply(con, checked, actor=TEST_ACTOR)
    assert [p.code for p in refused.value.problems] == [p.code for p in checked.errors]
    assert fingerprint(con) == before
    for problem in checked.errors:
        assert problem.message and unicodedata.is_normalized("NFC", problem.message)
        assert "Traceback" not in problem.message and "Error" not in problem.message
    return [(p.sheet, p.rows, p.column, p.code) for p in checked.errors]


def test_a_good_report_is_previewed_then_applied_once(seeded_db, fill):
    path = good(fill).save()
    checked = upload.check(seeded_db, path, plan=PLAN, unit="VPS", period=parse_period(PERIOD))
    assert not checked.blocked, [p.code for p in checked.problems]
    assert set(checked.preview["change"]) == {"mới"} and len(checked.preview) == 5  # 2 ratios × 2 + 1 task
    upload.apply(seeded_db, checked, note="Nguyễn Văn A, Văn phòng Sở", actor=TEST_ACTOR)
    stored = seeded_db.execute("SELECT target_code, numerator, denominator FROM current_actual "
                               "WHERE plan_id = ? ORDER BY 1", [PLAN]).fetchall()
    assert stored == [("CT01", 95, 100), ("CT05", 60, 80)]
    ct01 = engine.attainment(seeded_db, scope(PLAN, PERIOD)).set_index("code").loc["CT01"]
    assert ct01["rate"] == pytest.approx(0.95)
    sub = seeded_db.execute("SELECT submitted_by, file_name, sha256, status FROM submission").fetchone()
    assert sub == (TEST_ACTOR.shown, path.name, checked.sha256, "current")  # who: the account, never typed text


def test_the_identical_file_twice_changes_nothing(seeded_db, fill):
    path = good(fill).save()
    upload.apply(seeded_db, upload.check(seeded_db, path), actor=TEST_ACTOR)
    before = fingerprint(seeded_db)
    again = upload.check(seeded_db, path)
    assert not again.blocked and again.changes == []
    assert "identical_submission" in [p.code for p in again.warnings]
    assert upload.apply(seeded_db, again, actor=TEST_ACTOR) == [] and fingerprint(seeded_db) == before


def test_a_resaved_copy_with_the_same_values_changes_nothing(seeded_db, fill):
    upload.apply(seeded_db, upload.check(seeded_db, good(fill).save()), actor=TEST_ACTOR)
    before = fingerprint(seeded_db)
    copy = good(fill)
    copy.book["Hướng dẫn"]["B1"] = "bản lưu lại"  # other bytes, same values
    checked = upload.check(seeded_db, copy.save())
    assert checked.changes == [] and fingerprint(seeded_db) == before


def test_a_correction_supersedes_and_keeps_history(seeded_db, fill):
    upload.apply(seeded_db, upload.check(seeded_db, good(fill).save()), actor=TEST_ACTOR)
    corrected = upload.check(seeded_db, good(fill).ratio("CT01", 99, 100).save())
    assert set(corrected.preview.query("code == 'CT01' and field == 'Tử số'")["change"]) == {"thay đổi"}
    upload.apply(seeded_db, corrected, actor=TEST_ACTOR)
    assert seeded_db.execute("SELECT status, count(*) FROM submission GROUP BY 1 ORDER BY 1").fetchall() == \
        [("current", 1), ("superseded", 1)]
    assert engine.attainment(seeded_db, scope(PLAN, PERIOD)).set_index("code").loc["CT01", "rate"] == 0.99


def test_zero_over_zero_is_no_activity_shown_as_no_data(seeded_db, fill):
    upload.apply(seeded_db, upload.check(seeded_db, fill().ratio("CT01", 0, 0).save()), actor=TEST_ACTOR)
    row = engine.attainment(seeded_db, scope(PLAN, PERIOD)).set_index("code").loc["CT01"]
    assert row["status"] == "no_data" and row["attainment"] != row["attainment"]  # NaN, never 0%


@pytest.mark.parametrize("numerator, denominator, stored", [
    ("1.234", "1.300", (1234, 1300)),        # Vietnamese thousands dot
    ("９５", "１００", (95, 100)),             # full-width digits
    (" 95 ", "100\u00a0", (95, 100)),         # padding and a no-break space
    (100.0000001, 100, (100, 100)),           # a formula's float noise
    (100, 100, (100, 100)),                   # the boundary
], ids=["thousands-dot", "full-width", "padding", "float-noise", "boundary"])
def test_counts_typed_as_real_people_type_them(seeded_db, fill, numerator, denominator, stored):
    checked = upload.check(seeded_db, fill().ratio("CT01", numerator, denominator).save())
    assert not checked.blocked, [p.code for p in checked.problems]
    figure = checked.units["VPS"].figures["CT01"]
    assert (figure.numerator, figure.denominator) == stored


@pytest.mark.parametrize("numerator, denominator, column, code", [
    (-5, 100, "G", "count_negative"),
    (5, -100, "H", "count_negative"),
    (120, 100, "G", "numerator_gt_denominator"),
    (5, 0, "H", "denominator_zero"),
    ("khoảng 95", 100, "G", "count_not_a_number"),
    ("N/A", 100, "G", "count_not_a_number"),
    ("#DIV/0!", 100, "G", "count_not_a_number"),
    (True, 100, "G", "count_not_a_number"),
    ("12,5", 100, "G", "count_not_integer"),
    (12.5, 100, "G", "count_not_integer"),
    ("1,234", 2000, "G", "count_ambiguous"),
    ("9 5", 100, "G", "count_not_a_number"),
    (95, None, "H", "ratio_incomplete"),
], ids=["negative-numerator", "negative-denominator", "numerator-above-denominator", "denominator-zero",
        "khoang-95", "n-a", "div-0", "true", "decimal-comma", "decimal-float", "ambiguous-comma", "inner-space",
        "numerator-only"])
def test_bad_counts_are_refused_where_they_stand(seeded_db, fill, numerator, denominator, column, code):
    filled = fill().ratio("CT01", numerator, denominator)
    row = filled.row(TARGETS, "CT01")
    assert rejected(seeded_db, filled.save()) == [(TARGETS, (row,), column, code)]


@pytest.mark.parametrize("value", ["", "-", "   "], ids=["empty", "dash", "spaces"])
def test_blank_and_dash_are_missing_not_zero(seeded_db, fill, value):
    checked = upload.check(seeded_db, good(fill).ratio("CT05", value, value).save())
    assert "CT05" not in checked.units["VPS"].figures


@pytest.mark.parametrize("status, progress, completed, column, code", [
    ("Hoàn thành", 100, None, "J", "done_without_date"),
    ("hoan thanh", 100, "15/03/2021", "H", "status_unknown"),
    ("Xong", 100, "15/03/2021", "H", "status_unknown"),
    ("Đang thực hiện", 120, None, "I", "progress_out_of_range"),
    ("Hoàn thành", 100, "02/15/2021", "J", "date_unreadable"),
    ("Hoàn thành", 100, "31/02/2021", "J", "date_unreadable"),
    ("Hoàn thành", 100, "Quý II/2021", "J", "date_unreadable"),
    ("Hoàn thành", 100, "15/03/2019", "J", "date_outside_plan_year"),
], ids=["done-no-date", "no-diacritics", "xong", "progress-120", "month-15", "feb-31", "quarter-in-date",
        "outside-year"])
def test_task_rows_are_checked(seeded_db, fill, status, progress, completed, column, code):
    filled = fill().task("I.1", status, progress, completed)
    assert rejected(seeded_db, filled.save()) == [(TASKS, (filled.row(TASKS, "I.1"),), column, code)]


def test_status_without_diacritics_suggests_the_right_word(seeded_db, fill):
    checked = upload.check(seeded_db, fill().task("I.1", "hoan thanh", 100, "15/03/2021").save())
    assert "có phải «Hoàn thành»" in checked.errors[0].hint


@pytest.mark.parametrize("typed, expected", [
    ("15/03/2021", dt.date(2021, 3, 15)), ("15-03-2021", dt.date(2021, 3, 15)), ("2021-03-15", dt.date(2021, 3, 15)),
    (44270, dt.date(2021, 3, 15)), ("05/06/2021", dt.date(2021, 6, 5))])
def test_dates_as_excel_dates_or_dd_mm_yyyy(seeded_db, fill, typed, expected):
    checked = upload.check(seeded_db, fill().task("I.1", "Hoàn thành", 100, typed).save())
    assert checked.units["VPS"].tasks["I.1"].completed_on == expected


def test_task_warnings_do_not_block(seeded_db, fill):
    checked = upload.check(seeded_db, fill().task("I.1", "Đang thực hiện", 100, "10/03/2021").save())
    assert not checked.blocked
    assert {p.code for p in checked.warnings} >= {"progress_done_mismatch", "date_without_done"}


def test_a_missed_target_without_explanation_is_a_warning(seeded_db, fill):
    checked = upload.check(seeded_db, fill().ratio("CT01", 80, 100).save())
    assert [(p.code, p.severity) for p in checked.problems] == [("missed_without_explanation", Severity.WARNING)]


def test_a_rate_that_jumps_forty_points_is_a_warning(seeded_db, fill, tmp_path):
    from kpi.excel import template
    q1 = fill().ratio("CT01", 95, 100).set(TARGETS, "CT01", "note", "ok").save()
    upload.apply(seeded_db, upload.check(seeded_db, q1), actor=TEST_ACTOR)
    q2_path = tmp_path / "q2.xlsx"
    q2_path.write_bytes(template.build(seeded_db, PLAN, "VPS", parse_period("2021-Q2")))
    book = openpyxl.load_workbook(q2_path)
    book[TARGETS]["G4"], book[TARGETS]["H4"], book[TARGETS]["L4"] = 40, 100, "mất dữ liệu"
    book.save(q2_path)
    assert "rate_jump" in [p.code for p in upload.check(seeded_db, q2_path).warnings]


def test_every_problem_of_a_file_is_reported_at_once(seeded_db, fill):
    filled = fill().ratio("CT01", 120, 100).ratio("CT05", "x", 80).task("I.1", "Hoàn thành", 100, None)
    codes = [c[3] for c in rejected(seeded_db, filled.save())]
    assert codes == ["numerator_gt_denominator", "count_not_a_number", "done_without_date"]


def test_duplicate_unknown_and_foreign_codes(seeded_db, fill):
    filled = fill().ratio("CT01", 9, 10).ratio("CT05", 9, 10)
    sheet = filled.book[TARGETS]
    sheet.cell(filled.row(TARGETS, "CT05"), filled.col(TARGETS, "code"), "CT01")
    sheet.cell(filled.row(TARGETS, "CT06"), filled.col(TARGETS, "code"), "CT99")
    sheet.cell(filled.row(TARGETS, "CT99"), filled.col(TARGETS, "numerator"), 1)
    sheet.cell(filled.row(TARGETS, "CT99"), filled.col(TARGETS, "denominator"), 2)
    assert [c[3] for c in rejected(seeded_db, filled.save())] == ["duplicate_row", "target_code_unknown"]


def test_evidence_must_be_an_http_link(seeded_db, fill):
    filled = good(fill).set(TARGETS, "CT01", "evidence", "javascript:alert(1)")
    assert rejected(seeded_db, filled.save()) == [(TARGETS, (filled.row(TARGETS, "CT01"),), "M",
                                                    "evidence_not_http")]


def test_a_note_over_two_thousand_characters(seeded_db, fill):
    filled = good(fill).set(TARGETS, "CT01", "note", "x" * 2_001)
    assert [c[3] for c in rejected(seeded_db, filled.save())] == ["text_too_long"]


def test_decomposed_text_and_padding_are_accepted_as_nfc(seeded_db, fill):
    decomposed = unicodedata.normalize("NFD", "Hoàn thành")
    checked = upload.check(seeded_db, good(fill).task("I.1", f"  {decomposed} ", 100, "15/03/2021")
                           .set(TARGETS, "CT01", "note", unicodedata.normalize("NFD", " Hồ sơ trễ  do mất điện ")).save())
    assert not checked.blocked
    assert checked.units["VPS"].tasks["I.1"].status == "done"
    assert checked.units["VPS"].figures["CT01"].note == "Hồ sơ trễ do mất điện"


# ---------------------------------------------------------------- the slot and the metadata

def test_template_of_another_unit(seeded_db, fill):
    assert rejected(seeded_db, good(fill).save(), unit="TCCB") == [(None, (), None, "template_of_other_unit")]


def test_template_of_another_plan(seeded_db, fill):
    assert rejected(seeded_db, good(fill).save(), plan="syt-thanh-hoa-2022") == \
        [(None, (), None, "template_of_other_plan")]


def test_template_of_another_period(seeded_db, fill):
    assert rejected(seeded_db, good(fill).save(), period=parse_period("2021-Q2")) == [(None, (), None, "template_of_other_period")]


@pytest.mark.parametrize("key, value, code", [
    ("template_version", "0.9", "template_version_old"),
    ("plan", "syt-khong-co-2021", "template_tampered"),
    ("unit", "ZZZ", "template_tampered"),
    ("generated_at", "2099-01-01T00:00:00", "template_tampered"),
    ("format", "something-else", "not_a_report_template"),
], ids=["old-version", "other-plan-id", "unknown-unit", "future-generation", "other-format"])
def test_tampered_metadata(seeded_db, fill, key, value, code):
    filled = good(fill)
    meta = filled.book["_meta"]
    row = next(r for r in range(1, meta.max_row + 1) if meta.cell(r, 1).value == key)
    meta.cell(row, 2, value)
    assert rejected(seeded_db, filled.save()) == [(None, (), None, code)]


def test_metadata_sheet_removed(seeded_db, fill):
    filled = good(fill)
    del filled.book["_meta"]
    assert rejected(seeded_db, filled.save()) == [(None, (), None, "metadata_sheet_missing")]


def test_key_row_removed(seeded_db, fill):
    filled = good(fill)
    filled.book[TARGETS].delete_rows(3)
    assert [c[3] for c in rejected(seeded_db, filled.save())] == ["key_row_missing"]


def test_key_cell_renamed(seeded_db, fill):
    filled = good(fill)
    filled.book[TARGETS].cell(3, filled.col(TARGETS, "numerator"), "tu_so")
    assert rejected(seeded_db, filled.save()) == [(TARGETS, (), None, "column_missing")]


def test_reordered_and_extra_columns_are_accepted(seeded_db, fill):
    filled = good(fill)
    sheet = filled.book[TARGETS]
    sheet.insert_cols(1)
    sheet.cell(3, 1, "ghi_chu_rieng")
    sheet.move_range("H1:I40", cols=8)  # numerator and denominator move right, past the others
    checked = upload.check(seeded_db, filled.save())
    assert not checked.blocked, [p.code for p in checked.problems]
    assert (checked.units["VPS"].figures["CT01"].numerator, checked.units["VPS"].figures["CT01"].denominator) == \
        (95, 100)
    assert "extra_columns" in [p.code for p in checked.warnings]


def test_merged_cells_over_inputs(seeded_db, fill):
    filled = good(fill)
    row = filled.row(TARGETS, "CT01")
    filled.book[TARGETS].merge_cells(start_row=row, start_column=7, end_row=row, end_column=8)
    assert [c[3] for c in rejected(seeded_db, filled.save())] == ["merged_cells"]


def test_formula_without_a_cached_value(seeded_db, fill):
    filled = good(fill)
    row = filled.row(TARGETS, "CT01")
    filled.book[TARGETS].cell(row, 7, "=H4*0.9")  # openpyxl writes no cached value
    assert rejected(seeded_db, filled.save()) == [(TARGETS, (row,), "G", "formula_without_value")]


@pytest.mark.parametrize("cell, flagged", [
    ('<c r="K{row}"><f>1+1</f></c>', True),                     # no <v> at all (openpyxl without lxml)
    ('<c r="K{row}"><f>1+1</f><v></v></c>', True),              # empty <v> on a number (openpyxl with lxml)
    ('<c r="K{row}"><f>1+1</f><v/></c>', True),
    ('<c r="K{row}" t="str"><f>IF(1,"","x")</f><v></v></c>', False),  # a formula that returned ""
    ('<c r="K{row}"><f>1+1</f><v>2</v></c>', False),            # calculated and saved
])
def test_cached_value_forms(seeded_db, fill, tmp_path, cell, flagged):
    """How a formula's cached value looks in the sheet XML decides whether we can use it."""
    filled = good(fill)
    path = filled.save()
    row = filled.row(TARGETS, "CT01")
    part = sheet_part(path, TARGETS)

    def add_cell(xml: bytes) -> bytes:
        return re.sub(rb'(<row [^>]*r="%d"[^>]*>)(.*?)(</row>)' % row,
                      lambda m: m.group(1) + m.group(2) + cell.format(row=row).encode() + m.group(3), xml,
                      count=1, flags=re.S)
    edited = rewrite_part(path, re.escape(part), add_cell, tmp_path / "edited.xlsx")
    scans = reader.prescan_xlsx(edited, "edited.xlsx")
    assert (f"K{row}" in scans[TARGETS].formulas_without_value) is flagged


# ---------------------------------------------------------------- files that are not what they claim

@pytest.mark.parametrize("content, code", [
    (b"Ma,Tu so\nCT01,95\n", "file_not_xlsx"),
    (b"<html><script>alert(1)</script></html>", "file_not_xlsx"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "file_not_xlsx"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "file_not_xlsx"),
    (b"\x7fELF" + b"\0" * 100, "file_not_xlsx"),
    (b"", "file_empty"),
    (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le"), "file_encrypted"),
], ids=["csv", "html", "pdf", "png", "elf", "empty", "encrypted"])
def test_files_that_are_not_workbooks(seeded_db, tmp_path, content, code):
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(content)
    assert rejected(seeded_db, path) == [(None, (), None, code)]


@pytest.mark.parametrize("share", [0.1, 0.5, 0.9])
def test_truncated_file(seeded_db, fill, tmp_path, share):
    data = good(fill).save().read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: int(len(data) * share)])
    assert rejected(seeded_db, path) == [(None, (), None, "file_corrupt")]


def padded_with_110_mb(fill, target: Path) -> Path:
    """A good report whose targets sheet is padded with 110 MB of blanks (it compresses to almost nothing)."""
    source = good(fill).save()
    part = sheet_part(source, TARGETS)
    return rewrite_part(source, part.replace(".", r"\."),
                        lambda xml: xml.replace(b"</sheetData>", b" " * 110_000_000 + b"</sheetData>"), target)


def test_zip_bomb_with_honest_headers(seeded_db, fill, tmp_path):
    bomb = padded_with_110_mb(fill, tmp_path / "bomb.xlsx")
    assert rejected(seeded_db, bomb) == [(None, (), None, "file_too_large")]


def test_zip_bomb_whose_headers_lie(seeded_db, fill, tmp_path):
    import struct
    padded = padded_with_110_mb(fill, tmp_path / "padded.xlsx")
    data = bytearray(padded.read_bytes())
    with zipfile.ZipFile(padded) as archive:
        info = archive.getinfo(sheet_part(padded, TARGETS))
    struct.pack_into("<I", data, info.header_offset + 22, 10_240)        # local header: uncompressed size
    for offset in range(len(data) - 46):
        if data[offset:offset + 4] == b"PK\x01\x02" and struct.unpack_from("<I", data, offset + 42)[0] == \
                info.header_offset:
            struct.pack_into("<I", data, offset + 24, 10_240)              # central directory: the same lie
    liar = tmp_path / "liar.xlsx"
    liar.write_bytes(bytes(data))
    assert [c[3] for c in rejected(seeded_db, liar)] in (["file_too_large"], ["part_corrupt"])


def test_macro_workbook_is_refused(seeded_db, fill, tmp_path):
    source = good(fill).save()
    macro = tmp_path / "macro.xlsx"
    import shutil
    shutil.copy(source, macro)
    with zipfile.ZipFile(macro, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\0" * 64)
    assert rejected(seeded_db, macro) == [(None, (), None, "file_has_macros")]


def test_billion_laughs_is_refused_before_parsing(seeded_db, fill, tmp_path):
    source = good(fill).save()
    part = sheet_part(source, TARGETS)
    lol = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>')
    hostile = rewrite_part(source, part.replace(".", r"\."),
                           lambda xml: lol + (xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml),
                           tmp_path / "lol.xlsx")
    assert rejected(seeded_db, hostile) == [(None, (), None, "file_xml_forbidden")]


@pytest.mark.parametrize("cell", ["XFD1048576", "A1048576", "XFD3"], ids=["far-corner", "last-row", "last-column"])
def test_far_cells_are_refused_before_calamine_sees_them(seeded_db, fill, tmp_path, cell):
    source = good(fill).save()
    part = sheet_part(source, TARGETS)
    row = cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    hostile = rewrite_part(source, part.replace(".", r"\."),
                           lambda xml: xml.replace(b"</sheetData>",
                                                   f'<row r="{row}"><c r="{cell}"><v>1</v></c></row></sheetData>'
                                                   .encode()), tmp_path / "far.xlsx")
    assert [c[3] for c in rejected(seeded_db, hostile)] in (["too_many_rows"], ["too_many_columns"])


def test_a_parser_that_dies_is_a_refused_file_not_a_dead_server(seeded_db, fill, monkeypatch):
    """The memory limit of the reading process is what stands between calamine and the server."""
    monkeypatch.setattr(reader, "CHILD_MEMORY_BYTES", 4 * 1024 * 1024)  # too little to even load calamine
    assert rejected(seeded_db, good(fill).save()) == [(None, (), None, "file_hostile")]


def test_openpyxl_uses_defusedxml():
    import openpyxl.xml
    assert openpyxl.xml.DEFUSEDXML is True


def test_an_earlier_submission_can_be_restored(seeded_db, fill):
    from kpi.cycle import submissions
    first = upload.apply(seeded_db, upload.check(seeded_db, good(fill).save()), actor=TEST_ACTOR)[0]
    upload.apply(seeded_db, upload.check(seeded_db, good(fill).ratio("CT01", 99, 100).save()), actor=TEST_ACTOR)
    submissions.restore(seeded_db, first, actor=TEST_ACTOR)
    trail = seeded_db.execute("SELECT action, subject FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
    assert trail == ("submission_restore", first)
    assert engine.attainment(seeded_db, scope(PLAN, PERIOD)).set_index("code").loc["CT01", "rate"] == 0.95
    assert seeded_db.execute("SELECT count(*) FROM submission WHERE status = 'current'").fetchone()[0] == 1
    # uploading again after a restore makes a new current version, history kept
    upload.apply(seeded_db, upload.check(seeded_db, good(fill).ratio("CT01", 98, 100).save()), actor=TEST_ACTOR)
    assert seeded_db.execute("SELECT status, count(*) FROM submission GROUP BY 1 ORDER BY 1").fetchall() == \
        [("current", 1), ("superseded", 2)]


def test_an_ods_copy_reads_the_same_as_its_xlsx_twin(seeded_db, fill, tmp_path):
    """A10: the same filled template saved as OpenDocument (.ods) gives identical figures."""
    import pandas as pd
    source = good(fill).save()
    ods = tmp_path / "bao-cao.ods"
    book = openpyxl.load_workbook(source)
    with pd.ExcelWriter(ods, engine="odf") as writer:
        for sheet in book.worksheets:
            rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
            pd.DataFrame(rows).to_excel(writer, sheet_name=sheet.title, header=False, index=False)
    xlsx_checked, ods_checked = upload.check(seeded_db, source), upload.check(seeded_db, ods)
    assert not ods_checked.blocked, [p.code for p in ods_checked.problems]
    assert ods_checked.units["VPS"].figures == xlsx_checked.units["VPS"].figures
    assert ods_checked.units["VPS"].tasks == xlsx_checked.units["VPS"].tasks


def test_locks_exceptions_and_approval_decide_who_may_upload(seeded_db, fill):
    """B11: locked from 25/03/2021 → refused; an exception for VPS → accepted; approved → refused until
    un-approved; a period that has not begun → refused."""
    from kpi.cycle import locks
    from tests.helpers import TEST_ACTOR
    path = good(fill).save()
    assert not upload.check(seeded_db, path).blocked
    locks.lock(seeded_db, PLAN, parse_period(PERIOD), dt.date(2021, 3, 25), actor=TEST_ACTOR)
    assert rejected_code(seeded_db, path) == "period_locked"
    assert "đã khóa từ 25/03/2021" in upload.check(seeded_db, path).errors[0].message
    locks.allow(seeded_db, PLAN, parse_period(PERIOD), "VPS", actor=TEST_ACTOR, note="Chánh Văn phòng")
    assert not upload.check(seeded_db, path).blocked
    locks.approve(seeded_db, PLAN, parse_period(PERIOD), actor=TEST_ACTOR, note="Giám đốc Sở")
    assert rejected_code(seeded_db, path) == "period_approved"
    locks.unapprove(seeded_db, PLAN, parse_period(PERIOD), actor=TEST_ACTOR)
    assert not upload.check(seeded_db, path).blocked
    assert locks.refusal(seeded_db, PLAN, parse_period(PERIOD), "VPS", dt.date(2020, 12, 1))[0] == "period_not_open"


def rejected_code(con, path) -> str:
    checked = upload.check(con, path)
    assert checked.blocked
    return checked.errors[0].code


def test_rows_only_formatted_to_the_bottom_of_the_sheet_are_ignored(seeded_db, fill, tmp_path):
    """A13 variant: three real rows, formatting down to row 1.048.576, is accepted (its time is measured by
    bench/bench_upload.py)."""
    source = good(fill).save()
    part = sheet_part(source, TARGETS)
    formatted = rewrite_part(source, part.replace(".", r"\."), lambda xml: xml.replace(
        b"</sheetData>", b'<row r="1048576" s="1" customFormat="1"><c r="A1048576" s="1"/></row></sheetData>'),
        tmp_path / "formatted.xlsx")
    checked = upload.check(seeded_db, formatted)
    assert not checked.blocked, [p.code for p in checked.problems]
    assert checked.units["VPS"].figures["CT01"].numerator == 95


def test_hidden_rows_and_columns_with_data_are_warned_about(seeded_db, fill):
    """A22: data in hidden rows or hidden input columns is read, and the person is told."""
    filled = good(fill)
    sheet = filled.book[TARGETS]
    sheet.row_dimensions[filled.row(TARGETS, "CT05")].hidden = True
    sheet.column_dimensions["H"].hidden = True
    checked = upload.check(seeded_db, filled.save())
    assert not checked.blocked
    warned = {p.code: p for p in checked.warnings}
    assert warned["hidden_rows"].rows == (filled.row(TARGETS, "CT05"),)
    assert warned["hidden_columns"].value == "H"
    assert checked.units["VPS"].figures["CT05"].numerator == 60


def test_values_from_other_workbooks_are_warned_about_and_never_followed(seeded_db, fill, tmp_path):
    """A21: a formula into another workbook with a cached value: the value is used, with a warning."""
    source = good(fill).save()
    part = sheet_part(source, TARGETS)
    linked = rewrite_part(source, part.replace(".", r"\."), lambda xml: re.sub(
        rb'<c r="G4"([^>]*)><v>95</v></c>', rb'<c r="G4"\1><f>[1]Sheet1!A1</f><v>95</v></c>', xml),
        tmp_path / "linked.xlsx")
    checked = upload.check(seeded_db, linked)
    assert not checked.blocked
    assert [p.value for p in checked.warnings if p.code == "external_links"] == ["G4"]
    assert checked.units["VPS"].figures["CT01"].numerator == 95


def test_too_many_parts_or_sheets(seeded_db, fill, tmp_path):
    """A4: 20.000 zip members are refused by counting alone; 60 worksheets by the sheet count."""
    members = tmp_path / "members.xlsx"
    with zipfile.ZipFile(good(fill).save()) as source, zipfile.ZipFile(members, "w") as out:
        for item in source.infolist():
            out.writestr(item, source.read(item))
        for index in range(20_000):
            out.writestr(f"xl/media/x{index}.bin", b"")
    assert rejected(seeded_db, members) == [(None, (), None, "too_many_parts")]
    filled = good(fill)
    for index in range(60):
        filled.book.create_sheet(f"Thêm {index}")
    assert rejected(seeded_db, filled.save()) == [(None, (), None, "too_many_sheets")]


def test_a_copy_of_the_data_sheet_is_refused_and_the_rest_still_checked(seeded_db, fill):
    """A22 (ii): a visible copy «Chỉ tiêu (2)» with other figures — which one is the report cannot be guessed.
    The real sheet's own error is named in the same answer; a hidden sheet of notes is only a warning."""
    filled = fill().ratio("CT01", 120, 100)
    copy = filled.book.copy_worksheet(filled.book[TARGETS])
    copy.title = "Chỉ tiêu (2)"
    notes = filled.book.create_sheet("Nháp")
    notes["A3"], notes["B3"] = "code", "ghi chú"  # a key-like word alone does not make a data sheet
    found = rejected(seeded_db, filled.save())
    assert ("Chỉ tiêu (2)", (3,), None, "duplicate_data_sheet") in found
    assert (TARGETS, (filled.row(TARGETS, "CT01"),), "G", "numerator_gt_denominator") in found
    assert not any(sheet == "Nháp" for sheet, *_ in found)


def test_submit_in_two_steps_writes_and_audits_only_on_confirmation(seeded_db, fill):
    """The page's form: the uploaded bytes are checked and come back "ready" with no row written (not even
    an audit row); `confirm` writes them and leaves one audit row; the same bytes again are "unchanged"."""
    data = good(fill).save().read_bytes()
    before = fingerprint(seeded_db)
    ready = upload.submit(seeded_db, data, name="bao-cao.xlsx", plan=PLAN, unit="VPS", period=parse_period(PERIOD), note="A", actor=TEST_ACTOR)
    assert ready.status == "ready" and ready.submissions == [] and len(ready.preview) == 5
    assert fingerprint(seeded_db) == before
    applied = upload.confirm(seeded_db, ready, note="Nguyễn Văn A", actor=TEST_ACTOR)
    assert applied.status == "applied" and len(applied.submissions) == 1
    with pytest.raises(ValueError):
        upload.confirm(seeded_db, applied, actor=TEST_ACTOR)
    again = upload.submit(seeded_db, data, name="bao-cao.xlsx", confirmed=True, actor=TEST_ACTOR)
    assert again.status == "unchanged" and again.submissions == []
    assert seeded_db.execute("SELECT kind, who, file_name FROM audit ORDER BY happened_at").fetchall() == [
        ("upload_applied", TEST_ACTOR.shown, "bao-cao.xlsx"), ("duplicate_ignored", TEST_ACTOR.shown, "bao-cao.xlsx")]
    # the trail names the account and keeps the typed note apart from it
    trail = seeded_db.execute("SELECT action, actor, channel, detail FROM audit_event ORDER BY seq").fetchall()
    assert [(a, who, ch) for a, who, ch, _ in trail] == [("upload_applied", "kiem-thu", "test"),
                                                         ("duplicate_ignored", "kiem-thu", "test")]
    assert '"note":"Nguyễn Văn A"' in trail[0][3]


def test_the_file_name_is_stored_without_invisible_characters(seeded_db, tmp_path):
    """A right-to-left override in a file name makes «báo cáo‮xslx.exe» read as something else; it is removed
    before the name is shown or stored."""
    path = tmp_path / "upload"
    path.write_bytes(b"not a workbook")
    checked = upload.check(seeded_db, path, name="bao\u202ecao\u200b.xlsx")
    assert checked.file_name == "baocao.xlsx"
