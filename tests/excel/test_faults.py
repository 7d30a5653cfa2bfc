"""Hostile files and faults, the file layer: corrupt compressed parts, non-finite numbers, DTDs in other
encodings, sheet extents that cost time, the 1904 date system (issue «Hostile files and faults»).

Every refusal: a Vietnamese problem with its code, never a traceback, and the database unchanged."""
from __future__ import annotations

import datetime as dt
import math
import re
import struct
import time
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest

from kpi import text
from kpi.excel import plan_workbook, upload
from kpi.plans import io
from kpi.problems import ImportRejected
from tests import backend
from tests.conftest import fingerprint
from tests.excel.conftest import good, rewrite_part, sheet_part

TARGETS, TASKS = "Chỉ tiêu", "Nhiệm vụ"
PLAN_FILE = Path(__file__).resolve().parents[2] / "data" / "plans" / "syt-thanh-hoa-2021.xlsx"


def _codes(checked) -> list[str]:
    return [p.code for p in checked.errors]


def _refused(con, path: Path) -> list:
    before = fingerprint(con)
    checked = upload.check(con, path)
    assert checked.blocked
    assert fingerprint(con) == before
    for problem in checked.errors:
        assert problem.code in text.PROBLEMS, problem.code
    return checked.errors


def _plan_refused(con, path: Path) -> list:
    before = fingerprint(con)
    with pytest.raises(ImportRejected) as refused:
        io.import_workbook(con, path, replace=True)
    assert fingerprint(con) == before
    for problem in refused.value.problems:
        assert problem.code in text.PROBLEMS, problem.code
    return refused.value.problems


# ---------------------------------------------------------------- 1. the container layer

def _member_data(data: bytes, info: zipfile.ZipInfo) -> int:
    """Offset of a member's compressed bytes (after its local header, whose extra field may differ)."""
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    return info.header_offset + 30 + name_len + extra_len


def corrupt_deflate(source: Path, part: str, target: Path) -> Path:
    """One byte of `part`'s deflate stream changed so that inflating it fails (zlib.error), not just the CRC."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo(part)
    start = _member_data(data, info)
    for offset in range(info.compress_size // 3, info.compress_size):
        trial = bytearray(data)
        trial[start + offset] ^= 0xFF
        try:
            zlib.decompressobj(-15).decompress(bytes(trial[start:start + info.compress_size]))
        except zlib.error:
            target.write_bytes(bytes(trial))
            return target
    raise AssertionError("no corrupting byte found")


def bad_crc(source: Path, part: str, target: Path) -> Path:
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo(part)
    struct.pack_into("<I", data, info.header_offset + 14, info.CRC ^ 0xDEADBEEF)
    for offset in range(len(data) - 46):
        if data[offset:offset + 4] == b"PK\x01\x02" and struct.unpack_from("<I", data, offset + 42)[0] == \
                info.header_offset:
            struct.pack_into("<I", data, offset + 16, info.CRC ^ 0xDEADBEEF)
    target.write_bytes(bytes(data))
    return target


def truncated_member(source: Path, part: str, target: Path) -> Path:
    """The member's compressed size says half of what it holds: its deflate stream ends early."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo(part)
    half = info.compress_size // 2
    struct.pack_into("<I", data, info.header_offset + 18, half)
    for offset in range(len(data) - 46):
        if data[offset:offset + 4] == b"PK\x01\x02" and struct.unpack_from("<I", data, offset + 42)[0] == \
                info.header_offset:
            struct.pack_into("<I", data, offset + 20, half)
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize("damage", [corrupt_deflate, bad_crc, truncated_member])
@pytest.mark.parametrize("which", ["sheet", "xl/styles.xml", "xl/workbook.xml"])
def test_a_damaged_part_is_a_named_refusal(seeded_db, fill, tmp_path, damage, which):
    path = good(fill).save()
    part = sheet_part(path, TARGETS) if which == "sheet" else which
    broken = damage(path, part, tmp_path / "broken.xlsx")
    errors = _refused(seeded_db, broken)
    assert [p.code for p in errors] in (["part_corrupt"], ["file_corrupt"])
    message = errors[0].message
    assert part in message and "broken.xlsx" in message


@pytest.mark.parametrize("damage", [corrupt_deflate, bad_crc, truncated_member])
def test_a_damaged_part_of_a_plan_workbook_is_a_named_refusal(seeded_db, tmp_path, damage):
    with zipfile.ZipFile(PLAN_FILE) as archive:
        part = next(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
    broken = damage(PLAN_FILE, part, tmp_path / "plan.xlsx")
    problems = _plan_refused(seeded_db, broken)
    assert [p.code for p in problems] in (["part_corrupt"], ["file_corrupt"])
    assert part in problems[0].message


def test_the_command_line_exits_2_on_a_damaged_part(seeded_db_path, fill, tmp_path):
    import subprocess
    import sys
    import shutil
    path = good(fill).save()
    broken = corrupt_deflate(path, sheet_part(path, TARGETS), tmp_path / "broken.xlsx")
    # the fixture's connection holds the embedded file (one process per file): the command line gets a copy;
    # PostgreSQL takes a second connection, and a refused file writes nothing anyway
    database = seeded_db_path if backend.ON_POSTGRES else shutil.copy(seeded_db_path, tmp_path / "cli.duckdb")
    done = subprocess.run([sys.executable, "-m", "kpi", "--db", str(database), "actuals", "import",
                           str(broken), "--yes"], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr + done.stdout


# ---------------------------------------------------------------- 2. non-finite and absurd numbers

SENTINEL = 777123


def _with_raw_value(fill, tmp_path, code: str, key: str, raw: bytes, inline_text: bool = False) -> Path:
    """A filled template whose cell (code, key) holds `raw` exactly as written in the sheet XML."""
    filled = good(fill)
    filled.set(TARGETS, code, key, SENTINEL)
    if key in ("numerator", "denominator"):
        other = "denominator" if key == "numerator" else "numerator"
        filled.set(TARGETS, code, other, 5)
    path = filled.save()
    part = re.escape(sheet_part(path, TARGETS))

    def edit(xml: bytes) -> bytes:
        if inline_text:
            return re.sub(rb'<c r="([A-Z]+\d+)"([^>]*?)(?: t="n")?><v>%d</v></c>' % SENTINEL,
                          lambda m: b'<c r="%s"%s t="inlineStr"><is><t>%s</t></is></c>' % (m.group(1), m.group(2), raw),
                          xml)
        return xml.replace(b"<v>%d</v>" % SENTINEL, b"<v>%s</v>" % raw)
    return rewrite_part(path, part, edit, tmp_path / "raw.xlsx")


NON_FINITE = [b"NaN", b"nan", b"inf", b"-inf", b"Infinity", b"1e309", b"1E+400", b"-1e309", b"1e300"]


@pytest.mark.parametrize("raw", NON_FINITE)
@pytest.mark.parametrize("code,key", [("CT01", "numerator"), ("CT01", "denominator"), ("CT04", "baseline")])
def test_non_finite_numbers_are_refused_with_the_cell(seeded_db, fill, tmp_path, raw, code, key):
    path = _with_raw_value(fill, tmp_path, code, key, raw)
    errors = _refused(seeded_db, path)
    assert "number_not_finite" in [p.code for p in errors]
    problem = next(p for p in errors if p.code == "number_not_finite")
    assert problem.sheet == TARGETS and problem.rows and problem.column


@pytest.mark.parametrize("raw", [b"1" + b"0" * 400, b"9" * 40, b"1e309", b"NaN", b"inf"])
def test_absurd_numbers_typed_as_text_are_refused(seeded_db, fill, tmp_path, raw):
    path = _with_raw_value(fill, tmp_path, "CT01", "numerator", raw, inline_text=True)
    errors = _refused(seeded_db, path)
    assert {p.code for p in errors} <= {"number_not_finite", "count_not_a_number"}, [p.code for p in errors]


def test_the_database_refuses_a_non_finite_figure_whatever_the_path(seeded_db):
    """The migration's CHECKs: even a write that skips every reader cannot store one (NaN >= 0 holds in DuckDB)."""
    import duckdb
    # DuckDB names its own refusal; through the postgres extension PostgreSQL's comes back as a failed COPY
    refused = {"expected_exception": duckdb.Error if backend.ON_POSTGRES else duckdb.ConstraintException,
               "match": "(?i)check constraint"}
    key = ["s-nan", "syt-thanh-hoa-2021", "CT01", "VPS", "2021-Q1", 2021, "Q1"]
    for column in ("numerator", "denominator", "value", "baseline"):
        for bad in (math.nan, math.inf, -math.inf):
            with pytest.raises(**refused):
                seeded_db.execute(f"INSERT INTO actual (submission_id, plan_id, target_code, unit_code, period, "
                                  f"period_year, period_key, {column}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", key + [bad])
    seeded_db.execute("INSERT INTO actual (submission_id, plan_id, target_code, unit_code, period, period_year, "
                      "period_key, numerator, denominator) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 2)", key)
    with pytest.raises(**refused):
        seeded_db.execute("UPDATE actual SET numerator = 'NaN'::DOUBLE WHERE submission_id = 's-nan'")
    for bad in (math.nan, math.inf):
        with pytest.raises(**refused):
            seeded_db.execute("INSERT INTO task_progress VALUES ('s-nan', 'syt-thanh-hoa-2021', 'I.1', 'VPS', "
                              "'2021-Q1', 2021, 'Q1', 'in_progress', ?, NULL, NULL, NULL)", [bad])


def test_the_migration_keeps_finite_figures_and_drops_non_finite_ones(tmp_path):
    from kpi.db import schema
    from tests.helpers import database_before
    con = database_before(tmp_path / "old.duckdb", 5)
    try:
        con.execute("INSERT INTO actual (submission_id, plan_id, target_code, unit_code, period, period_year, "
                    "period_key, numerator, denominator, value) VALUES ('a', 'p', 'CT01', 'U', '2021-Q1', 2021, "
                    "'Q1', 'NaN'::DOUBLE, 5, 3), ('b', 'p', 'CT01', 'U', '2021-Q1', 2021, 'Q1', 4, 5, NULL)")
        assert schema.migrate(con) == schema.LATEST_VERSION
        rows = con.execute("SELECT submission_id, numerator, denominator, value FROM actual ORDER BY 1").fetchall()
        assert rows == [("a", None, None, 3.0), ("b", 4.0, 5.0, None)]
        assert con.execute("SELECT count(*) FROM current_actual").fetchone()[0] == 0
    finally:
        con.close()


@pytest.mark.parametrize("raw", [b"NaN", b"inf", b"1e309"])
def test_a_non_finite_progress_is_refused(seeded_db, fill, tmp_path, raw):
    filled = good(fill)
    filled.set(TASKS, "I.1", "progress", SENTINEL)
    path = filled.save()
    part = re.escape(sheet_part(path, TASKS))
    broken = rewrite_part(path, part, lambda xml: xml.replace(b"<v>%d</v>" % SENTINEL, b"<v>%s</v>" % raw),
                          tmp_path / "progress.xlsx")
    errors = _refused(seeded_db, broken)
    assert "number_not_finite" in [p.code for p in errors]
    assert next(p for p in errors if p.code == "number_not_finite").column


# ---------------------------------------------------------------- 3. DTDs in every encoding, every part

DTD = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("part", ["xl/styles.xml", "customXml/item1.xml", "docProps/custom.bin"])
def test_a_dtd_in_any_encoding_in_any_part_is_refused(seeded_db, fill, tmp_path, encoding, part):
    path = good(fill).save()
    payload = DTD.encode(encoding)
    if part == "xl/styles.xml":
        hostile = rewrite_part(path, re.escape(part), lambda xml: payload, tmp_path / "dtd.xlsx")
    else:  # a part nothing parses: still checked
        hostile = tmp_path / "dtd.xlsx"
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as out:
            for item in source.infolist():
                out.writestr(item, source.read(item))
            out.writestr(part, payload)
    assert [p.code for p in _refused(seeded_db, hostile)] == ["file_xml_forbidden"]
    with pytest.raises(ImportRejected) as refused:
        plan_workbook.read_raw(hostile)
    assert [p.code for p in refused.value.problems] == ["file_xml_forbidden"]


def test_a_utf16_dtd_split_across_inflated_chunks_is_seen(seeded_db, fill, tmp_path):
    path = good(fill).save()
    payload = (" " * ((1 << 20) - 7)).encode("utf-16-le") + '<!DOCTYPE x [<!ENTITY a "b">]>'.encode("utf-16-le")
    hostile = tmp_path / "seam.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item, source.read(item))
        out.writestr("customXml/item9.xml", payload)
    assert [p.code for p in _refused(seeded_db, hostile)] == ["file_xml_forbidden"]


# ---------------------------------------------------------------- 4. extents bounded by real content

# Time is bounded by real content, not by what a file claims: a hostile file with the honest file's content
# must cost about what the honest file costs. Held as a ratio to the honest file's check, timed in the same
# test on the same machine (a fixed number of seconds fails on a loaded CI machine and proves nothing on a
# fast one); the old costs were 25–443 s, a hundred times or more. The absolute 2 s aim is measured in
# bench/bench_upload.py and docs/reliability.md.
CHEAP_RATIO = 6.0
PARSE_RATIO = 25.0  # scanning and parsing XML costs ~10–15× inflating it (measured: 1,39 s against 0,11 s)


def _timed_check(con, path: Path):
    before = fingerprint(con)
    start = time.perf_counter()
    checked = upload.check(con, path)
    elapsed = time.perf_counter() - start
    if checked.blocked:
        assert fingerprint(con) == before
    return checked, elapsed


def _unpacking_floor(path: Path) -> float:
    """The irreducible cost of looking at a file's bytes: every part inflated once, nothing parsed."""
    start = time.perf_counter()
    with zipfile.ZipFile(path) as archive:
        for item in archive.infolist():
            archive.read(item)
    return time.perf_counter() - start


def _assert_as_cheap_as_the_honest_file(con, honest: Path, elapsed: float, hostile: Path | None = None) -> None:
    """Cost ≤ CHEAP_RATIO × the honest file's check + PARSE_RATIO × inflating the hostile file's bytes: what
    the file really holds, never what its extents claim."""
    _, honest_elapsed = _timed_check(con, honest)
    floor = _unpacking_floor(hostile) if hostile else 0.0
    print("ELAPSED hostile", round(elapsed, 2), "honest", round(honest_elapsed, 2), "unpacking", round(floor, 2))
    assert elapsed < CHEAP_RATIO * honest_elapsed + PARSE_RATIO * floor + 0.5, (elapsed, honest_elapsed, floor)


def test_a_hidden_column_span_over_the_whole_grid_is_cheap(seeded_db, fill, tmp_path):
    path = good(fill).save()
    cols = b"<cols>" + b"".join(b'<col min="%d" max="16384" hidden="1" width="0"/>' % c for c in range(1, 2000)) + \
        b"</cols>"

    def edit(xml: bytes) -> bytes:
        xml = re.sub(rb"<cols>.*?</cols>", b"", xml, flags=re.S)
        return xml.replace(b"<sheetData", cols + b"<sheetData", 1)
    hostile = rewrite_part(path, re.escape(sheet_part(path, TARGETS)), edit, tmp_path / "cols.xlsx")
    checked, elapsed = _timed_check(seeded_db, hostile)
    _assert_as_cheap_as_the_honest_file(seeded_db, path, elapsed)
    assert all(p.code in text.PROBLEMS for p in checked.problems)


def test_thousands_of_whole_sheet_merges_are_cheap(seeded_db, fill, tmp_path):
    path = good(fill).save()
    merges = b'<mergeCells count="5000">' + b"".join(
        b'<mergeCell ref="A%d:XFD1048576"/>' % r for r in range(4, 5004)) + b"</mergeCells>"

    def edit(xml: bytes) -> bytes:
        xml = re.sub(rb"<mergeCells.*?</mergeCells>", b"", xml, flags=re.S)
        return xml.replace(b"</sheetData>", b"</sheetData>" + merges, 1)
    hostile = rewrite_part(path, re.escape(sheet_part(path, TARGETS)), edit, tmp_path / "merges.xlsx")
    checked, elapsed = _timed_check(seeded_db, hostile)
    _assert_as_cheap_as_the_honest_file(seeded_db, path, elapsed)
    assert checked.blocked and "merged_cells" in _codes(checked)
    merged = [p for p in checked.errors if p.code == "merged_cells"]
    assert len(merged) <= 50  # named, not listed by the thousand


def test_far_rows_without_values_are_cheap(seeded_db, fill, tmp_path):
    path = good(fill).save()
    # 12.000 far rows of 150 formatted, empty cells: 40 MB of XML in a file under 1 MB (the old per-row regex
    # walk took seconds over it)
    rows = b"".join(b'<row r="%d">' % r + b"".join(b'<c r="%s%d" s="1"/>' % (bytes([65 + i % 26]), r)
                                                    for i in range(150)) + b"</row>" for r in range(100_000, 112_000))

    def edit(xml: bytes) -> bytes:
        return xml.replace(b"</sheetData>", rows + b"</sheetData>", 1)
    hostile = rewrite_part(path, re.escape(sheet_part(path, TARGETS)), edit, tmp_path / "far.xlsx")
    assert hostile.stat().st_size < 1 << 20
    checked, elapsed = _timed_check(seeded_db, hostile)
    _assert_as_cheap_as_the_honest_file(seeded_db, path, elapsed, hostile)


def test_a_plan_workbook_past_the_row_limit_is_a_named_refusal(seeded_db, tmp_path):
    book = openpyxl.load_workbook(PLAN_FILE)
    sheet = book[text.SHEETS["tasks"]]
    for r in range(sheet.max_row + 1, plan_workbook.MAX_ROWS + 10):
        sheet.cell(r, 1, f"X{r}")
    path = tmp_path / "long.xlsx"
    book.save(path)
    problems = _plan_refused(seeded_db, path)
    assert "too_many_rows" in [p.code for p in problems]
    assert all(p.message for p in problems)


@pytest.mark.parametrize("sheet_key,column", [("units", "name"), ("areas", "area"), ("targets", "responsible_units"),
                                              ("tasks", "lead_units"), ("units", "aliases")])
def test_a_number_where_a_name_belongs_is_a_named_refusal_or_read(seeded_db, tmp_path, sheet_key, column):
    book = openpyxl.load_workbook(PLAN_FILE)
    sheet = book[text.SHEETS[sheet_key]]
    index = next(c.column for c in sheet[2] if c.value == column)
    sheet.cell(3, index, 12345)
    path = tmp_path / "number.xlsx"
    book.save(path)
    before = fingerprint(seeded_db)
    try:
        io.import_workbook(seeded_db, path, replace=True)
    except ImportRejected as refused:
        assert all(p.code in text.PROBLEMS for p in refused.problems)
        assert fingerprint(seeded_db) == before


# ---------------------------------------------------------------- 5. the 1904 date system

def test_dates_of_a_1904_workbook_are_read_in_its_date_system(seeded_db, fill, tmp_path):
    """15/03/2021 is serial 44270 in the 1900 system and 42808 in the 1904 system."""
    filled = good(fill).task("I.1", "Hoàn thành", 100, 42808)
    path = rewrite_part(filled.save(), re.escape(sheet_part(filled.path, TASKS)), lambda xml: re.sub(
        rb'<c r="([A-Z]+\d+)"[^>]*><v>42808</v>', rb'<c r="\1"><v>42808</v>', xml), tmp_path / "general.xlsx")
    hostile = rewrite_part(path, r"xl/workbook\.xml$", lambda xml: re.sub(
        rb"<workbookPr\b", b'<workbookPr date1904="1"', xml, count=1) if b"<workbookPr" in xml else
        xml.replace(b"<sheets>", b'<workbookPr date1904="1"/><sheets>', 1), tmp_path / "1904.xlsx")
    checked = upload.check(seeded_db, hostile)
    assert not checked.blocked, [(p.code, p.message) for p in checked.errors]
    task = checked.units["VPS"].tasks["I.1"]
    assert task.completed_on == dt.date(2021, 3, 15)


def test_a_1904_plan_workbook_reads_its_dates_right(seeded_db, tmp_path):
    book = openpyxl.load_workbook(PLAN_FILE)
    book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    path = tmp_path / "plan-1904.xlsx"
    book.save(path)
    raw = plan_workbook.read_raw(path)
    original = plan_workbook.read_raw(PLAN_FILE)
    issued = lambda r: next(row.values["value"] for row in r.sheets["plan"] if row.values["key"] == "issued_on")  # noqa
    assert issued(raw) == issued(original)


def test_a_plan_workbook_claiming_the_whole_grid_is_read_by_its_content(seeded_db, tmp_path):
    """A <dimension> of A1:XFD1048576 and a far formatted cell: read-only openpyxl padded every row to it."""
    with zipfile.ZipFile(PLAN_FILE) as archive:
        part = next(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
    hostile = rewrite_part(PLAN_FILE, re.escape(part) + "$", lambda xml: re.sub(
        rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml), tmp_path / "grid.xlsx")
    start = time.perf_counter()
    raw = plan_workbook.read_raw(hostile)
    elapsed = time.perf_counter() - start
    start = time.perf_counter()
    honest = plan_workbook.read_raw(PLAN_FILE)
    honest_elapsed = time.perf_counter() - start
    # as cheap as the honest file (same content); padding every row to the claimed grid cost minutes
    assert elapsed < CHEAP_RATIO * honest_elapsed + 0.5, (elapsed, honest_elapsed)
    assert raw.sheets == honest.sheets


@pytest.mark.parametrize("raw", [b"1e309", b"NaN", b"-inf", b"1e300"])
@pytest.mark.parametrize("column", ["value", "weight"])
def test_a_plan_workbook_with_a_non_finite_figure_is_refused(seeded_db, tmp_path, raw, column):
    book = openpyxl.load_workbook(PLAN_FILE)
    sheet = book[text.SHEETS["targets"]]
    index = next(c.column for c in sheet[2] if c.value == column)
    sheet.cell(3, index, SENTINEL)
    path = tmp_path / "sentinel.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        part = next(n for n in archive.namelist() if n.startswith("xl/worksheets/")
                    and b"<v>%d</v>" % SENTINEL in archive.read(n))
    hostile = rewrite_part(path, re.escape(part) + "$", lambda xml: xml.replace(
        b"<v>%d</v>" % SENTINEL, b"<v>%s</v>" % raw), tmp_path / "inf.xlsx")
    problems = _plan_refused(seeded_db, hostile)
    # openpyxl cannot even convert NaN or -inf in a number cell: the row is named (sheet_unreadable)
    assert any(p.sheet == text.SHEETS["targets"] and p.rows == (3,) and (p.column or p.code == "sheet_unreadable")
               for p in problems), \
        [(p.code, p.sheet, p.rows, p.column) for p in problems]
