"""One catalogue of bad files (docs/reliability-catalogue.md groups a and b), used by every entry point: the
library (tests/excel/test_upload.py has the finer cases), the "Nhập số liệu" page (AppTest) and
`python -m kpi actuals import` (real processes). Each case: the file's bytes and the error code expected."""
from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path

from kpi.periods import parse_period
from kpi import db
from kpi.excel import template
from tests.conftest import fingerprint
from tests.excel.conftest import Filled, libreoffice_copy, rewrite_part, sheet_part

PLAN, UNIT, PERIOD = "syt-thanh-hoa-2021", "VPS", "2021-Q1"


def _filled(db_path: Path, tmp_path: Path, name: str, edit=None, **cells) -> Path:
    blank = tmp_path / "blank.xlsx"
    if not blank.exists():
        con = db.connect(db_path)
        try:
            blank.write_bytes(template.build(con, PLAN, UNIT, parse_period(PERIOD)))
        finally:
            con.close()
    filled = Filled(blank, tmp_path / f"{name}.xlsx")
    for code, (numerator, denominator) in cells.items():
        filled.ratio(code, numerator, denominator).set("Chỉ tiêu", code, "note", "giải trình")
    if edit:
        edit(filled)
    return filled.save()


def _lying_headers(padded: Path, part: str, target: Path) -> bytes:
    """A2: the zip says the sheet unpacks to 10 KB; it really unpacks to 110 MB."""
    data = bytearray(padded.read_bytes())
    with zipfile.ZipFile(padded) as archive:
        info = archive.getinfo(part)
    struct.pack_into("<I", data, info.header_offset + 22, 10_240)  # local header: uncompressed size
    for offset in range(len(data) - 46):
        if data[offset:offset + 4] == b"PK\x01\x02" and \
                struct.unpack_from("<I", data, offset + 42)[0] == info.header_offset:
            struct.pack_into("<I", data, offset + 24, 10_240)      # central directory: the same lie
    target.write_bytes(bytes(data))
    return bytes(data)


def _many_members(good: Path, target: Path) -> bytes:
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            out.writestr(item, source.read(item))
        for index in range(20_000):
            out.writestr(f"xl/media/x{index}.bin", b"")
    return target.read_bytes()


def _with_member(path: Path, member: str, data: bytes, target: Path) -> Path:
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item, source.read(item))
        out.writestr(member, data)
    return target


def _xlsb(target: Path) -> bytes:
    """A zip laid out as Excel saves a binary workbook (.xlsb): the parts of a real one (tafia/calamine's
    tests/date.xlsb lists them), with record bytes of our own — refused by its layout, never parsed."""
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/'
             'package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.'
             'macroEnabled.main"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.'
             'worksheet"/></Types>')
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("[Content_Types].xml", types)
        out.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                     '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                     'officeDocument" Target="xl/workbook.bin"/></Relationships>')
        out.writestr("xl/_rels/workbook.bin.rels", "<Relationships/>")
        out.writestr("xl/workbook.bin", bytes([0x83, 0x01, 0x00, 0x84, 0x01, 0x00]))  # BrtBeginBook, BrtEndBook
        out.writestr("xl/worksheets/sheet1.bin", bytes([0x81, 0x01, 0x00, 0x82, 0x01, 0x00]))
    return target.read_bytes()


def _ods(target: Path, content: bytes) -> bytes:
    """A minimal OpenDocument spreadsheet (the mimetype first and stored, as the format requires)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                     compress_type=zipfile.ZIP_STORED)
        out.writestr("content.xml", content)
        out.writestr("META-INF/manifest.xml", '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                     'opendocument:xmlns:manifest:1.0"/>')
    return target.read_bytes()


ODS_CONTENT = (b'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
               b'opendocument:xmlns:office:1.0"><office:body><office:spreadsheet/></office:body>'
               b'</office:document-content>')


def _hidden_copy(filled: Filled) -> None:
    copy = filled.book.copy_worksheet(filled.book["Chỉ tiêu"])
    copy.title = "Chỉ tiêu (2)"
    copy.cell(filled.row("Chỉ tiêu", "CT01"), filled.col("Chỉ tiêu", "numerator"), 60)
    copy.sheet_state = "veryHidden"


def _meta(filled: Filled, key: str, value: str) -> None:
    meta = filled.book["_meta"]
    meta.cell(next(r for r in range(1, meta.max_row + 1) if meta.cell(r, 1).value == key), 2, value)


def build(case: str, db_path: Path, tmp_path: Path) -> tuple[bytes, str]:
    """The bytes of one bad file and the error code it must get."""
    good = _filled(db_path, tmp_path, "good", CT01=(96, 100))
    part = re.escape(sheet_part(good, "Chỉ tiêu"))

    def edited(edit) -> bytes:
        return rewrite_part(good, part, edit, tmp_path / f"{case}.xlsx").read_bytes()

    def without_meta() -> bytes:
        filled = Filled(good, tmp_path / f"{case}.xlsx")
        del filled.book["_meta"]
        return filled.save().read_bytes()

    builders = {
        # (a) files that are not what they claim, or are built to hurt
        "csv-renamed": (lambda: b"Ma,Tu so\nCT01,95\n", "file_not_xlsx"),
        "html-renamed": (lambda: b"<!doctype html><html><body>bao cao</body></html>", "file_not_xlsx"),
        "pdf-renamed": (lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "file_not_xlsx"),
        "png-renamed": (lambda: b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + b"\0" * 64, "file_not_xlsx"),
        "program-renamed": (lambda: b"\x7fELF\x02\x01\x01" + b"\0" * 120, "file_not_xlsx"),
        "truncated-at-90": (lambda: good.read_bytes()[: good.stat().st_size * 9 // 10], "file_corrupt"),
        "end-record-removed": (lambda: good.read_bytes()[:-22], "file_corrupt"),  # A12: the 22-byte EOCD cut off
        "empty": (lambda: b"", "file_empty"),
        "truncated": (lambda: good.read_bytes()[: good.stat().st_size // 2], "file_corrupt"),
        "encrypted": (lambda: bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le"),
                      "file_encrypted"),
        "macros": (lambda: _with_member(good, "xl/vbaProject.bin", b"\0" * 64, tmp_path / "m.xlsx").read_bytes(),
                   "file_has_macros"),
        "dtd": (lambda: edited(lambda xml: xml.replace(b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "b">]><worksheet', 1)),
                "file_xml_forbidden"),
        "far-row-without-cell-references": (lambda: edited(lambda xml: xml.replace(
            b"</sheetData>", b'<row r="1048576"><c><v>1</v></c></row></sheetData>')), "too_many_rows"),
        "far-cell": (lambda: edited(lambda xml: xml.replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')), "too_many_rows"),
        "zip-bomb": (lambda: edited(lambda xml: xml.replace(b"</sheetData>", b" " * 110_000_000 + b"</sheetData>")),
                     "file_too_large"),
        "metadata-removed": (without_meta, "metadata_sheet_missing"),
        # (b) well-formed templates with wrong figures
        "numerator-over-denominator": (lambda: _filled(db_path, tmp_path, case, CT01=(120, 100)).read_bytes(),
                                       "numerator_gt_denominator"),
        "negative-count": (lambda: _filled(db_path, tmp_path, case, CT01=(-3, 100)).read_bytes(), "count_negative"),
        "text-in-number": (lambda: _filled(db_path, tmp_path, case, CT01=("chín mươi", 100)).read_bytes(),
                           "count_not_a_number"),
    }
    def filled(edit, **cells) -> bytes:
        return _filled(db_path, tmp_path, case, edit, **cells).read_bytes()

    def cell(sheet, code, key, value):
        return lambda f: f.set(sheet, code, key, value)

    def sheets(f):
        for index in range(60):
            f.book.create_sheet(f"Thêm {index}")

    def merge(f):
        row = f.row("Chỉ tiêu", "CT01")
        f.book["Chỉ tiêu"].merge_cells(start_row=row, start_column=7, end_row=row, end_column=8)

    def tamper(f):
        meta = f.book["_meta"]
        next(r for r in meta.iter_rows() if r[0].value == "plan")[1].value = "syt-dong-nai-2023"

    def foreign_code(f):
        f.book["Chỉ tiêu"].cell(f.row("Chỉ tiêu", "CT05"), f.col("Chỉ tiêu", "code"), "CT99")
        f.ratio("CT99", 1, 2)

    padded = lambda: rewrite_part(good, part, lambda xml: xml.replace(  # noqa: E731
        b"</sheetData>", b" " * 110_000_000 + b"</sheetData>"), tmp_path / "padded.xlsx")
    builders.update({
        "zip-headers-lie": (lambda: _lying_headers(padded(), sheet_part(good, "Chỉ tiêu"), tmp_path / "liar.xlsx"),
                            "part_corrupt"),  # the inflated bytes disagree with the headers: that part is named
        "too-many-parts": (lambda: _many_members(good, tmp_path / "members.xlsx"), "too_many_parts"),
        "too-many-sheets": (lambda: filled(sheets), "too_many_sheets"),
        "16384-columns": (lambda: edited(lambda xml: xml.replace(
            b"</sheetData>", b'<row r="9"><c r="XFD9"><v>1</v></c></row></sheetData>')), "too_many_columns"),
        "formula-without-value": (lambda: filled(cell("Chỉ tiêu", "CT05", "numerator", "=H4*0.9"), CT01=(96, 100)),
                                  "formula_without_value"),
        "merged-inputs": (lambda: filled(merge), "merged_cells"),
        "metadata-of-other-plan": (lambda: filled(tamper), "template_tampered"),
        "zero-denominator": (lambda: filled(None, CT01=(5, 0)), "denominator_zero"),
        "non-integer-count": (lambda: filled(None, CT01=("12,5", 100)), "count_not_integer"),
        "done-without-date": (lambda: filled(lambda f: f.task("I.1", "Hoàn thành", 100, None)), "done_without_date"),
        "date-outside-year": (lambda: filled(lambda f: f.task("I.1", "Hoàn thành", 100, "15/03/2019")),
                              "date_outside_plan_year"),
        "unknown-code": (lambda: filled(foreign_code), "target_code_unknown"),
        "million-rows": (lambda: edited(lambda xml: xml.replace(b"</sheetData>", b"".join(
            b'<row r="%d"><c r="G%d"><v>1</v></c></row>' % (r, r) for r in range(100, 1_048_576)) + b"</sheetData>")),
            "too_many_rows"),  # A13: 1.048.477 rows holding a value, refused by the pre-scan before calamine
        "locked-period": (lambda: good.read_bytes(), "period_locked"),  # B11, with SETUP below
        "evidence-not-a-link": (lambda: filled(cell("Chỉ tiêu", "CT01", "evidence", "javascript:alert(1)"),
                                               CT01=(96, 100)), "evidence_not_http"),
        # A10: .xlsb refused with how to save as .xlsx; .ods gets the container checks .xlsx gets
        "xlsb": (lambda: _xlsb(tmp_path / "b.xlsb"), "file_xlsb"),
        "content-types-5mb": (lambda: rewrite_part(good, re.escape("[Content_Types].xml"), lambda xml: xml.replace(
            b"</Types>", b"".join(b'<Override PartName="/x%d.xml" ContentType="application/xml"/>' % i
                                  for i in range(80_000)) + b"</Types>"), tmp_path / "types.xlsx").read_bytes(),
            "part_too_large"),  # A4 (iii)
        "ods-zip-bomb": (lambda: _ods(tmp_path / "bomb.ods", ODS_CONTENT.replace(
            b"<office:body>", b" " * 110_000_000 + b"<office:body>")), "file_too_large"),
        "ods-dtd": (lambda: _ods(tmp_path / "dtd.ods", ODS_CONTENT.replace(
            b"?>", b'?><!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/hostname">]>', 1)), "file_xml_forbidden"),
        # A22 (ii): a very hidden copy of the data sheet with other figures; A24: template metadata and keys
        "very-hidden-copy": (lambda: filled(_hidden_copy, CT01=(96, 100)), "duplicate_data_sheet"),
        "old-template-version": (lambda: filled(lambda f: _meta(f, "template_version", "0.9")), "template_version_old"),
        "generated-in-the-future": (lambda: filled(lambda f: _meta(f, "generated_at", "2099-01-01T00:00:00")),
                                    "template_tampered"),
        "key-row-removed": (lambda: filled(lambda f: f.book["Chỉ tiêu"].delete_rows(3)), "key_row_missing"),
        "numerator-key-renamed": (lambda: filled(lambda f: f.book["Chỉ tiêu"].cell(
            3, f.col("Chỉ tiêu", "numerator"), "tu_so")), "column_missing"),
        # B2, B6, B8, B9, B13, B14: more of the values people type
        "negative-denominator": (lambda: filled(None, CT01=(3, -100)), "count_negative"),
        "cached-error-value": (lambda: edited(lambda xml: re.sub(  # "#DIV/0!" cached by Excel in a numerator
            rb'<c r="G4"([^>]*?)(?: t="n")?><v>96</v></c>', rb'<c r="G4"\1 t="e"><v>#DIV/0!</v></c>', xml)),
            "count_not_a_number"),
        "date-month-15": (lambda: filled(lambda f: f.task("I.1", "Hoàn thành", 100, "02/15/2021")),
                          "date_unreadable"),
        "date-31-february": (lambda: filled(lambda f: f.task("I.1", "Hoàn thành", 100, "31/02/2021")),
                             "date_unreadable"),
        "date-29-02-1900": (lambda: filled(lambda f: f.task("I.1", "Hoàn thành", 100, "29/02/1900")), "date_unreadable"),
        "quarter-in-a-date-cell": (lambda: filled(lambda f: f.task("I.1", "Hoàn thành", 100, "Quý I/2021")),
                                   "date_unreadable"),
        "progress-120": (lambda: filled(lambda f: f.task("I.1", "Đang thực hiện", 120, None)), "progress_out_of_range"),
        "status-without-diacritics": (lambda: filled(lambda f: f.task("I.1", "hoan thanh", 100, "15/03/2021")),
                                      "status_unknown"),
        "duplicate-code": (lambda: filled(lambda f: f.book["Chỉ tiêu"].cell(
            f.row("Chỉ tiêu", "CT05"), f.col("Chỉ tiêu", "code"), "CT01"), CT01=(96, 100), CT05=(9, 10)),
            "duplicate_row"),
        "evidence-file-url": (lambda: filled(cell("Chỉ tiêu", "CT01", "evidence", "file:///C:/secret.xlsx"),
                                             CT01=(96, 100)), "evidence_not_http"),
        "evidence-data-url": (lambda: filled(cell("Chỉ tiêu", "CT01", "evidence",
                                                  "data:text/html,<script>alert(1)</script>"), CT01=(96, 100)),
                              "evidence_not_http"),
        "evidence-5000-characters": (lambda: filled(cell("Chỉ tiêu", "CT01", "evidence", "https://x.vn/" + "a" * 5000),
                                                    CT01=(96, 100)), "text_too_long"),
    })
    make, code = builders[case]
    return make(), code


CASES = ["csv-renamed", "html-renamed", "pdf-renamed", "png-renamed", "program-renamed", "empty", "truncated",
         "truncated-at-90", "end-record-removed", "encrypted", "macros", "dtd", "far-cell", "zip-bomb",
         "zip-headers-lie", "too-many-parts", "too-many-sheets", "16384-columns", "formula-without-value",
         "merged-inputs", "metadata-removed", "metadata-of-other-plan", "numerator-over-denominator",
         "negative-count", "text-in-number", "zero-denominator", "non-integer-count", "done-without-date",
         "date-outside-year", "unknown-code", "evidence-not-a-link", "million-rows", "locked-period", "xlsb",
         "content-types-5mb", "ods-zip-bomb", "ods-dtd", "negative-denominator", "cached-error-value",
         "date-month-15", "date-31-february", "date-29-02-1900", "quarter-in-a-date-cell", "progress-120",
         "status-without-diacritics", "duplicate-code", "evidence-file-url", "evidence-data-url",
         "evidence-5000-characters", "very-hidden-copy", "old-template-version", "generated-in-the-future",
         "key-row-removed", "numerator-key-renamed", "far-row-without-cell-references"]


def _lock(con) -> None:
    import datetime as dt
    from kpi.cycle import locks
    from tests.helpers import TEST_ACTOR
    locks.lock(con, PLAN, parse_period(PERIOD), dt.date(2021, 4, 1), actor=TEST_ACTOR)  # closed since 01/04/2021, so closed today


SETUP = {"locked-period": _lock}  # database state a case needs, made before the "unchanged" fingerprint


def build_accepted(case: str, db_path: Path, tmp_path: Path) -> tuple[bytes, str | None, dict]:
    """Real-world files that must be accepted: their bytes, the warning they must carry (or None) and the
    figures (unit, target) -> (numerator, denominator) they must store."""
    import unicodedata

    def note(f, value):
        return f.set("Chỉ tiêu", "CT01", "note", value)

    def hide(f):
        f.book["Chỉ tiêu"].row_dimensions[f.row("Chỉ tiêu", "CT01")].hidden = True

    def typed(f):  # B1: the Vietnamese thousands dot, typed as text
        f.set("Chỉ tiêu", "CT01", "numerator", "1.150").set("Chỉ tiêu", "CT01", "denominator", "1.200")

    def decomposed(f):  # A26: NFD text, padding and a no-break space inside a number
        note(f, unicodedata.normalize("NFD", "  Hồ sơ trễ  do mất điện "))
        f.set("Chỉ tiêu", "CT01", "numerator", "96\u00a0").set("Chỉ tiêu", "CT01", "denominator", " 100")

    def hide_column(f):  # A22: the denominator column hidden, its figures still there
        f.book["Chỉ tiêu"].column_dimensions["H"].hidden = True

    def hidden_sheet(f):  # A22: a hidden sheet with data of its own
        extra = f.book.create_sheet("Nháp")
        extra["A1"] = "số liệu nháp"
        extra.sheet_state = "hidden"

    cases = {
        "hidden-row-with-data": (hide, "hidden_rows", {("VPS", "CT01"): (96, 100)}),
        "hidden-input-column": (hide_column, "hidden_columns", {("VPS", "CT01"): (96, 100)}),
        "hidden-sheet-with-data": (hidden_sheet, "hidden_data", {("VPS", "CT01"): (96, 100)}),
        "vietnamese-thousands": (typed, None, {("VPS", "CT01"): (1150, 1200)}),
        "decomposed-text": (decomposed, None, {("VPS", "CT01"): (96, 100)}),
    }
    if case in ("saved-as-xls", "saved-as-ods"):  # A9, A10: the filled template saved again by LibreOffice
        good = _filled(db_path, tmp_path, "good", CT01=(96, 100))
        copy = libreoffice_copy(good, case.rsplit("-", 1)[1], tmp_path)
        return copy.read_bytes(), None, {("VPS", "CT01"): (96, 100)}
    if case == "external-link":  # A21: a value taken from another workbook: the cached value, with a warning
        good = _filled(db_path, tmp_path, "good", CT01=(96, 100))
        linked = rewrite_part(good, re.escape(sheet_part(good, "Chỉ tiêu")), lambda xml: re.sub(
            rb'<c r="G4"([^>]*)><v>96</v></c>', rb'<c r="G4"\1><f>[1]Sheet1!A1</f><v>96</v></c>', xml),
            tmp_path / "linked.xlsx")
        return linked.read_bytes(), "external_links", {("VPS", "CT01"): (96, 100)}
    edit, warning, figures = cases[case]
    return _filled(db_path, tmp_path, case, edit, CT01=(96, 100)).read_bytes(), warning, figures


ACCEPTED = ["hidden-row-with-data", "hidden-input-column", "hidden-sheet-with-data", "vietnamese-thousands",
            "decomposed-text", "external-link", "saved-as-xls", "saved-as-ods"]


def stored_figures(con) -> dict:
    return {(u, t): (n, d) for u, t, n, d in con.execute(
        "SELECT unit_code, target_code, numerator, denominator FROM current_actual").fetchall()}


def prepared(case: str, db_path: Path):
    """Make the database state the case needs; return the fingerprint a refusal must leave unchanged."""
    con = db.connect(db_path)
    try:
        if case in SETUP:
            SETUP[case](con)
        return fingerprint(con)
    finally:
        con.close()


def assert_refused_and_unchanged(db_path: Path, before, code: str) -> None:
    """Nothing written but the one audit row that says the file was refused, and why."""
    con = db.connect(db_path)
    try:
        assert fingerprint(con) == before
        assert con.execute("SELECT kind, code FROM audit").fetchall() == [("upload_rejected", code)]
    finally:
        con.close()
