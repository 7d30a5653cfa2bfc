"""One catalogue of bad files (../shared/RELIABILITY.md groups a and b), used by every entry point: the
library (tests/excel/test_upload.py has the finer cases), the "Nhập số liệu" page (AppTest) and
`python -m kpi actuals import` (real processes). Each case: the file's bytes and the error code expected."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from kpi import db
from kpi.excel import template
from tests.excel.conftest import Filled, rewrite_part, sheet_part

PLAN, UNIT, PERIOD = "syt-thanh-hoa-2021", "VPS", "2021-Q1"


def _filled(db_path: Path, tmp_path: Path, name: str, **cells) -> Path:
    blank = tmp_path / "blank.xlsx"
    if not blank.exists():
        con = db.connect(db_path)
        try:
            blank.write_bytes(template.build(con, PLAN, UNIT, PERIOD))
        finally:
            con.close()
    filled = Filled(blank, tmp_path / f"{name}.xlsx")
    for code, (numerator, denominator) in cells.items():
        filled.ratio(code, numerator, denominator).set("Chỉ tiêu", code, "note", "giải trình")
    return filled.save()


def _with_member(path: Path, member: str, data: bytes, target: Path) -> Path:
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item, source.read(item))
        out.writestr(member, data)
    return target


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
        "empty": (lambda: b"", "file_empty"),
        "truncated": (lambda: good.read_bytes()[: good.stat().st_size // 2], "file_corrupt"),
        "encrypted": (lambda: bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le"),
                      "file_encrypted"),
        "macros": (lambda: _with_member(good, "xl/vbaProject.bin", b"\0" * 64, tmp_path / "m.xlsx").read_bytes(),
                   "file_has_macros"),
        "dtd": (lambda: edited(lambda xml: xml.replace(b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "b">]><worksheet', 1)),
                "file_xml_forbidden"),
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
    make, code = builders[case]
    return make(), code


CASES = ["csv-renamed", "html-renamed", "pdf-renamed", "empty", "truncated", "encrypted", "macros", "dtd",
         "far-cell", "zip-bomb", "metadata-removed", "numerator-over-denominator", "negative-count",
         "text-in-number"]
