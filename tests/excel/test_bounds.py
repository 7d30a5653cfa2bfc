"""Bounds on what reading a file may cost, and files from other programs (docs/reliability-catalogue.md).

R5: nothing of an upload stays on disk. R6: for a file under the size cap, the reading process peaks at
≤ 300 MB (R6's ≤ 5 s is wall-clock time: bench/bench_upload.py measures it, the tests do not). A9/A10: the
template saved as .xls or .ods by LibreOffice reads exactly like its .xlsx twin. A18: huge strings are refused
at the size cap or named cell by cell.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
import subprocess
import tempfile
import time
import zipfile

import pytest

from kpi import db
from kpi.excel import reader, upload
from tests.conftest import fingerprint
from tests.excel.conftest import good, libreoffice_copy, rewrite_part, sheet_part

TARGETS, TASKS = "Chỉ tiêu", "Nhiệm vụ"
PEAK_LIMIT_KIB = 300 * 1024


def _figures(checked) -> dict:
    return {unit: (report.figures, report.tasks) for unit, report in checked.units.items()}


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_a_template_saved_by_libreoffice_reads_like_the_xlsx(seeded_db, fill, tmp_path, fmt):
    """A9 (.xls, BIFF8) and A10 (.ods): accepted with the same parsed figures as the .xlsx twin."""
    original = good(fill).save()
    twin = upload.check(seeded_db, original)
    assert not twin.blocked, [p.code for p in twin.problems]
    converted = libreoffice_copy(original, fmt, tmp_path)
    assert converted.read_bytes()[:4] in (b"\xd0\xcf\x11\xe0", b"PK\x03\x04")
    checked = upload.check(seeded_db, converted)
    assert not checked.blocked, [(p.code, p.sheet, p.rows, p.column) for p in checked.problems]
    assert _figures(checked) == _figures(twin)
    assert reader.sniff(converted, converted.name) == fmt


def test_reading_a_normal_template_is_bounded(seeded_db, fill):
    """R6 on the everyday file."""
    path = good(fill).save()
    workbook = reader.read(path)
    assert 0 < workbook.peak_kib <= PEAK_LIMIT_KIB
    rows = workbook.sheets[TARGETS]
    keys = rows[2]
    ct01 = next(row for row in rows[3:] if row[keys.index("code")] == "CT01")
    assert (ct01[keys.index("numerator")], ct01[keys.index("denominator")]) == (95, 100)


def test_huge_notes_are_refused_at_the_size_cap(seeded_db, fill, tmp_path):
    """A18: a 32.767-character note in each of 5.000 rows (160 MB of text) stops at the unpacked-size cap,
    before any parser sees it (its time: bench/bench_upload.py)."""
    path = good(fill).save()
    part = sheet_part(path, TARGETS)
    note = "ghi chú dài " * 2979  # 32.769 characters, cut to Excel's 32.767 below
    rows = "".join(f'<row r="{r}"><c r="L{r}" t="inlineStr"><is><t>{note[:32767]}</t></is></c></row>'
                   for r in range(100, 5100)).encode()
    hostile = rewrite_part(path, re.escape(part), lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>"),
                           tmp_path / "huge-notes.xlsx")
    before = fingerprint(seeded_db)
    checked = upload.check(seeded_db, hostile)
    assert [p.code for p in checked.errors] == ["file_too_large"]
    assert fingerprint(seeded_db) == before


def test_one_long_result_is_named_by_its_cell(seeded_db, fill):
    """A18, second part: the longest result text a cell can hold (32.767 characters: a "100 KB text" is cut
    there by Excel itself) — the message names the cell and both lengths; R6 holds."""
    long_text = ("Đã hoàn thành rà soát thủ tục " * 1100)[:32767]
    filled = good(fill).set(TASKS, "I.1", "result", long_text)
    path = filled.save()
    row, column = filled.row(TASKS, "I.1"), filled.col(TASKS, "result")
    checked = upload.check(seeded_db, path)
    [problem] = checked.errors
    assert (problem.code, problem.sheet, problem.rows) == ("text_too_long", TASKS, (row,))
    assert problem.column == "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[column - 1]
    assert "32.767" in problem.message and "2.000" in problem.message
    assert reader.read(path).peak_kib <= PEAK_LIMIT_KIB


def test_nothing_of_an_upload_stays_on_disk(seeded_db, fill, tmp_path, monkeypatch):
    """R5: checking good and bad files leaves the temporary folder empty (watched alone: other processes
    share /tmp)."""
    good_file = good(fill).save()
    bad_file = tmp_path / "not-a-workbook.xlsx"
    bad_file.write_text("a,b\n1,2\n")
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    monkeypatch.setenv("TMPDIR", str(private))  # and for the reading process
    for path in (good_file, bad_file):
        upload.check(seeded_db, path)
    assert os.listdir(private) == []


def test_the_reading_process_imports_nothing_of_the_server():
    """It starts in milliseconds and shares no state: run as the server runs it (a script, isolated mode),
    it loads only the standard library and python-calamine — not even the kpi package."""
    import sys
    script = Path(reader.CHILD_SCRIPT)
    done = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(script.parent)!r}); "
                           "import read_child; read_child._read; import python_calamine; "
                           "print(sorted(m for m in sys.modules if m.startswith(('kpi', 'pandas', 'duckdb'))))"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def _children() -> set[int]:
    """Live child processes of this one (from /proc: no extra package)."""
    found = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            found |= {int(pid) for pid in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def test_no_reading_process_outlives_a_refusal(seeded_db, fill, tmp_path):
    """Refused while the child still parses (metadata of another unit), refused before it is asked (a DTD),
    refused by the description while it parses (a far cell), and accepted: no child is left running."""
    before = _children()
    path = good(fill).save()
    assert [p.code for p in upload.check(seeded_db, path, unit="KHAC").errors] == ["template_of_other_unit"]
    dtd = rewrite_part(path, re.escape("xl/styles.xml"), lambda xml: XXE + xml, tmp_path / "dtd.xlsx")
    assert [p.code for p in upload.check(seeded_db, dtd).errors] == ["file_xml_forbidden"]
    far = rewrite_part(path, sheet_part(path, TARGETS), lambda xml: xml.replace(
        b"</sheetData>", b'<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>'), tmp_path / "far.xlsx")
    assert [p.code for p in upload.check(seeded_db, far).errors] == ["too_many_rows"]
    assert not upload.check(seeded_db, path).blocked
    assert _children() - before == set()


def test_a_dtd_across_two_inflated_chunks_is_still_seen(tmp_path, fill):
    """The size check reads parts in 1 MiB chunks; a declaration cut by the seam is found all the same."""
    from kpi.excel import safety
    from kpi.problems import ImportRejected
    path = good(fill).save()
    for offset in (4, 8, 9):  # "<!DOCTYPE" starts 4, 8 or 9 bytes before the end of the first chunk
        padded = rewrite_part(path, re.escape("xl/styles.xml"), lambda xml: _pad_to_seam(xml, offset),
                              tmp_path / f"seam-{offset}.xlsx")
        with pytest.raises(ImportRejected) as refused:
            safety.check_xlsx(padded)
        assert [p.code for p in refused.value.problems] == ["file_xml_forbidden"]


def _pad_to_seam(xml: bytes, offset: int) -> bytes:
    """`xml` with a comment that pushes "<!DOCTYPE" to start `offset` bytes before the 1 MiB mark."""
    head, tail = xml.split(b"</styleSheet>")
    filler = (1 << 20) - offset - len(head) - len(b"<!---->")
    return head + b"<!--" + b"x" * filler + b"-->" + b"<!DOCTYPE x>" + b"</styleSheet>" + tail


def test_the_reading_process_may_send_cell_values_only():
    """Its answers are unpickled by an unpickler that knows cell values and dates, and nothing else."""
    import datetime as dt
    import io
    import pickle
    cells = [[1.0, "Hoàn thành", None, True, dt.date(2023, 2, 15), dt.datetime(2023, 2, 15, 8, 30)]]
    assert reader._SafeUnpickler(io.BytesIO(pickle.dumps({"sheets": {"x": cells}}, 5))).load() == {"sheets": {"x": cells}}
    for hostile in (Path("/etc/hostname"), os.system):
        with pytest.raises(pickle.UnpicklingError, match="is not a cell value"):
            reader._SafeUnpickler(io.BytesIO(pickle.dumps(hostile, 5))).load()


def test_unread_columns_come_back_empty_in_their_places(seeded_db, fill):
    """The template's read-only text is not sent back by the reading process; every other cell is, where
    it was (error messages name columns by their place)."""
    path = good(fill).save()
    whole = reader.read(path).sheets[TARGETS]
    lean = reader.read(path, unread={TARGETS: (3, ("text", "area"))}).sheets[TARGETS]
    keys = whole[2]
    assert lean[:3] == whole[:3]  # title, headings and key row untouched
    for full_row, lean_row in zip(whole[3:], lean[3:]):
        for key, full_cell, lean_cell in zip(keys, full_row, lean_row):
            assert lean_cell == (None if key in ("text", "area") else full_cell)


XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml", "[Content_Types].xml"])
def test_a_dtd_in_any_part_is_refused_by_upload_and_plan_import(seeded_db, fill, tmp_path, part):
    """A5/A7 in every part, not only the sheets: openpyxl parses some parts with lxml once lxml is installed
    (python-pptx brings it), and lxml resolves entities — so the DTD is refused before any parser runs."""
    from kpi.excel import plan_workbook
    from kpi.problems import ImportRejected
    template = good(fill).save()
    plan = Path(__file__).resolve().parents[2] / "data" / "plans" / "sct-2021.xlsx"
    for source, name in ((template, "upload.xlsx"), (plan, "plan.xlsx")):
        with zipfile.ZipFile(source) as archive:
            present = part in archive.namelist()
        if not present:
            continue
        hostile = rewrite_part(source, re.escape(part), lambda xml: XXE + (
            xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml), tmp_path / name)
        if name == "upload.xlsx":
            before = fingerprint(seeded_db)
            assert [p.code for p in upload.check(seeded_db, hostile).errors] == ["file_xml_forbidden"]
            assert fingerprint(seeded_db) == before
        else:
            with pytest.raises(ImportRejected) as refused:
                plan_workbook.read_raw(hostile)
            assert [p.code for p in refused.value.problems] == ["file_xml_forbidden"]


def test_openpyxl_keeps_to_defusedxml_even_with_lxml_installed():
    """A fresh interpreter that imports kpi first, as app.py and the command line do."""
    import sys
    done = subprocess.run([sys.executable, "-c", "import kpi, lxml, openpyxl.xml; print(openpyxl.xml.LXML)"],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2], check=True)
    assert done.stdout.strip() == "False"


def test_an_external_entity_never_reaches_the_network_or_the_disk(seeded_db, fill, tmp_path):
    """A7: entities that would read /etc/hostname or call a listener on this machine, in a sheet and in the
    shared strings, through the upload and the plan import: refused, no connection made, the host name
    nowhere in the problems or the database."""
    import socket
    import threading
    from kpi.excel import plan_workbook
    from kpi.problems import ImportRejected
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    connections = []

    def watch():
        while not stop.is_set():
            try:
                connections.append(listener.accept())
            except OSError:
                continue
    stop = threading.Event()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    port = listener.getsockname()[1]
    dtd = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY host SYSTEM "file:///etc/hostname">'
           b'<!ENTITY call SYSTEM "http://127.0.0.1:%d/">]>' % port)
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else socket.gethostname()
    template = good(fill).save()
    plan = Path(__file__).resolve().parents[2] / "data" / "plans" / "sct-2021.xlsx"
    try:
        for source, part in ((template, sheet_part(template, TARGETS)), (plan, "xl/worksheets/sheet2.xml")):
            def plant(xml: bytes) -> bytes:  # the declarations, and the references where a parser expands them
                planted = dtd + re.sub(rb"<(v|t)>", rb"<\1>&call;&host;", re.sub(rb"^<\?xml[^>]*\?>", b"", xml), 1)
                assert b">&call;&host;" in planted
                return planted
            hostile = rewrite_part(source, re.escape(part), plant, tmp_path / f"xxe-{source.stem}.xlsx")
            before = fingerprint(seeded_db)
            checked = upload.check(seeded_db, hostile)
            assert [p.code for p in checked.errors] == ["file_xml_forbidden"]
            assert fingerprint(seeded_db) == before
            assert hostname not in str([p.as_row() for p in checked.problems])
            with pytest.raises(ImportRejected) as refused:
                plan_workbook.read_raw(hostile)
            assert [p.code for p in refused.value.problems] == ["file_xml_forbidden"]
        time.sleep(0.3)  # a connection, had one been made, would have been accepted by now
    finally:
        stop.set()
        watcher.join()
        listener.close()
    assert connections == []
    dump = str(seeded_db.execute("SELECT * FROM audit").fetchall())
    assert hostname not in dump


def test_rows_without_references_are_bounded_by_the_reading_process(seeded_db, fill, tmp_path):
    """Rows and cells may omit their references; calamine then places them by counting, out of the pre-scan's
    sight. 30.000 such rows after the template's own: the reading process measures the parsed range itself
    and refuses it before turning it into lists (the server never receives 30.000 rows)."""
    path = good(fill).save()
    counted = rewrite_part(path, sheet_part(path, TARGETS), lambda xml: xml.replace(
        b"</sheetData>", b"<row><c><v>1</v></c></row>" * 30_000 + b"</sheetData>"), tmp_path / "counted.xlsx")
    before = fingerprint(seeded_db)
    checked = upload.check(seeded_db, counted)
    (problem,) = checked.errors
    assert (problem.code, problem.sheet) == ("too_many_rows", TARGETS)
    assert problem.params["limit"] == "20.000" and int(problem.params["count"].replace(".", "")) > 30_000
    assert fingerprint(seeded_db) == before


def test_the_reading_process_cannot_grow_past_its_limit(seeded_db, fill, tmp_path, monkeypatch):
    """What bounds a file nobody foresaw is the child's address-space limit. A million empty rows without
    references, then one value: calamine builds a 1.048.012 × 13 range (~430 MB) that no pre-scan pattern
    sees. Under the product's limit the child dies and the file is refused; given 2 GB, the same file gets
    through the parse and only the child's extent check stops it — so it is the limit that bounds memory."""
    path = good(fill).save()
    counted = rewrite_part(path, sheet_part(path, TARGETS), lambda xml: xml.replace(
        b"</sheetData>", b"<row/>" * 1_048_000 + b"<row><c><v>1</v></c></row></sheetData>"), tmp_path / "rows.xlsx")
    before = fingerprint(seeded_db)
    assert [p.code for p in upload.check(seeded_db, counted).errors] == ["file_hostile"]
    monkeypatch.setattr(reader, "CHILD_MEMORY_BYTES", 2 * 1024 ** 3)
    assert [p.code for p in upload.check(seeded_db, counted).errors] == ["too_many_rows"]
    assert fingerprint(seeded_db) == before


def test_an_extreme_but_honest_file_still_reads_within_bounds(tmp_path):
    """The limit must not refuse what a department could really send: 20.000 rows (the row limit), each with
    a 2.000-character note (the note limit) and a hyperlink per row (Excel makes one of every typed link,
    so the sheet's .rels part holds 20.000 relationships, ~3 MB) — 61 MB unpacked, under the 100 MB cap.
    Read whole, R6 holds: the reading process stays under 300 MB resident (the time is measured by
    bench/bench_upload.py)."""
    import xlsxwriter
    path = tmp_path / "extreme.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet(TARGETS)
    note = "Giải trình chi tiết " * 100
    for row in range(20_000):
        sheet.write_row(row, 0, ["U1", f"T{row % 80:03d}", 95, 100, note + str(row)])
        sheet.write_url(row, 5, f"https://minhchung.vn/{row}")
    book.close()
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/_rels/sheet1.xml.rels").file_size > 1024 * 1024
    workbook = reader.read(path)
    assert len(workbook.sheets[TARGETS]) == 20_000 and workbook.sheets[TARGETS][-1][4].endswith("19999")
    assert workbook.peak_kib <= PEAK_LIMIT_KIB


def test_uploads_checked_at_once_each_get_their_own_answer(seeded_db, fill, tmp_path):
    """The dashboard serves several people at once (a thread each): good and hostile files checked at the
    same time each get their own answer, no reading process is left behind, and the cyclic collector —
    paused during each check — is running again afterwards."""
    import gc
    import threading
    path = good(fill).save()
    far = rewrite_part(path, sheet_part(path, TARGETS), lambda xml: xml.replace(
        b"</sheetData>", b'<row r="1048576"><c><v>1</v></c></row></sheetData>'), tmp_path / "far.xlsx")
    before = _children()
    answers, failures = [], []

    def staff(i: int) -> None:
        cursor = db.connection.cursor_of(seeded_db)  # a thread's own cursor, on either backend
        try:
            for k in range(3):
                file = far if (i + k) % 3 == 0 else path
                checked = upload.check(cursor, file)
                answers.append((file.name, tuple(p.code for p in checked.errors),
                                checked.units["VPS"].figures["CT01"].numerator if not checked.blocked else None))
        except Exception as exc:  # collected, so the assertion below names it
            failures.append(repr(exc))
    people = [threading.Thread(target=staff, args=(i,)) for i in range(6)]
    for person in people:
        person.start()
    for person in people:
        person.join(timeout=60)
    assert failures == []
    assert sorted(set(answers)) == [("far.xlsx", ("too_many_rows",), None), (path.name, (), 95.0)]
    assert len(answers) == 18
    assert gc.isenabled()
    assert _children() - before == set()
