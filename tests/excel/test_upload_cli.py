"""`python -m kpi template` and `python -m kpi actuals import` as real processes."""
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from kpi import db
from tests.backend import FILE_ONLY
from tests.excel import hostile

from tests.conftest import file_fingerprint, file_sha256, fingerprint, held_by_another_process, open_to_read
from tests.excel.conftest import sheet_part, rewrite_part

ROOT = Path(__file__).resolve().parents[2]


def kpi(*args, db_path, stdin: str | None = None):
    return subprocess.run([sys.executable, "-m", "kpi", "--db", str(db_path), *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)


def import_changing_nothing(db_path, path: Path, *options):
    """`kpi actuals import` of the file, which must leave the database file byte for byte as it was."""
    before = file_fingerprint(db_path)
    result = kpi("actuals", "import", str(path), *options, db_path=db_path)
    assert file_fingerprint(db_path) == before
    return result


def make_template(db_path, tmp_path, unit="VP Sở") -> Path:
    out = tmp_path / "vps.xlsx"
    result = kpi("template", "--plan", "syt-thanh-hoa-2021", "--unit", unit, "--period", "2021-Q1", "-o", str(out),
                 db_path=db_path)
    assert result.returncode == 0, result.stderr
    return out


def fill(path: Path, numerator, denominator) -> Path:
    book = openpyxl.load_workbook(path)
    book["Chỉ tiêu"]["G4"], book["Chỉ tiêu"]["H4"], book["Chỉ tiêu"]["L4"] = numerator, denominator, "giải trình"
    book.save(path)
    return path


def test_template_by_any_name_of_the_unit(seeded_db_path, tmp_path):
    path = make_template(seeded_db_path, tmp_path, unit="Văn phòng Sở")
    book = openpyxl.load_workbook(path)
    meta = {r[0].value: r[1].value for r in book["_meta"].iter_rows()}
    assert (meta["plan"], meta["unit"], meta["period"]) == ("syt-thanh-hoa-2021", "VPS", "2021-Q1")
    assert book["_meta"].sheet_state == "hidden" and book["Chỉ tiêu"].protection.sheet


def test_template_for_an_unknown_unit(seeded_db_path, tmp_path):
    result = kpi("template", "--plan", "syt-thanh-hoa-2021", "--unit", "Phòng Ma", "--period", "2021-Q1",
                 "-o", str(tmp_path / "x.xlsx"), db_path=seeded_db_path)
    assert result.returncode == 2 and "Không có đơn vị «Phòng Ma»" in result.stderr


def test_import_with_yes_writes_and_the_same_file_again_changes_nothing(seeded_db_path, tmp_path):
    path = fill(make_template(seeded_db_path, tmp_path), 96, 100)
    first = kpi("actuals", "import", str(path), "--yes", "--by", "Nguyễn Văn A", db_path=seeded_db_path)
    assert first.returncode == 0 and "Đã ghi 1 báo cáo kỳ Quý I/2021" in first.stdout
    again = import_changing_nothing(seeded_db_path, path, "--yes")
    assert again.returncode == 0 and "không có gì thay đổi" in again.stdout


def test_import_asks_before_writing(seeded_db_path, tmp_path):
    path = fill(make_template(seeded_db_path, tmp_path), 96, 100)
    declined = kpi("actuals", "import", str(path), db_path=seeded_db_path, stdin="n\n")
    assert declined.returncode == 1 and "Xem trước thay đổi" in declined.stdout
    assert "Không có gì được ghi" in declined.stdout


def test_a_rejected_import_exits_2_and_writes_nothing_but_its_audit_row(seeded_db_path, tmp_path):
    path = fill(make_template(seeded_db_path, tmp_path), 120, 100)
    result = import_changing_nothing(seeded_db_path, path, "--yes")
    assert result.returncode == 2
    assert "numerator_gt_denominator" in result.stderr and "(G4)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not Path(str(seeded_db_path) + ".wal").exists()


def test_a_far_cell_never_kills_the_process(seeded_db_path, tmp_path):
    """Measured: python-calamine aborts (exit 134) on one cell at XFD1048576. The CLI must say no, calmly."""
    path = fill(make_template(seeded_db_path, tmp_path), 96, 100)
    part = sheet_part(path, "Chỉ tiêu")
    hostile = rewrite_part(path, part.replace(".", r"\."), lambda xml: xml.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'), tmp_path / "far.xlsx")
    result = import_changing_nothing(seeded_db_path, hostile, "--yes")
    assert result.returncode == 2 and "too_many_rows" in result.stderr


@FILE_ONLY
def test_import_while_the_dashboard_holds_the_database(seeded_db_path, tmp_path):
    path = fill(make_template(seeded_db_path, tmp_path), 96, 100)
    with held_by_another_process(seeded_db_path):
        result = kpi("actuals", "import", str(path), "--yes", db_path=seeded_db_path)
    assert result.returncode == 3 and "đang được một chương trình khác mở" in result.stderr


def test_every_upload_leaves_exactly_one_audit_row(seeded_db_path, tmp_path):
    import getpass
    bad = fill(make_template(seeded_db_path, tmp_path), 120, 100)
    kpi("actuals", "import", str(bad), "--yes", "--by", "Nguyễn Văn A", db_path=seeded_db_path)
    good = fill(make_template(seeded_db_path, tmp_path), 96, 100)
    kpi("actuals", "import", str(good), "--yes", db_path=seeded_db_path)
    kpi("actuals", "import", str(good), "--yes", db_path=seeded_db_path)
    con = open_to_read(seeded_db_path)
    rows = con.execute("SELECT kind, who, unit_code, period, code, sha256 IS NOT NULL FROM audit ORDER BY happened_at").fetchall()
    con.close()
    assert [r[0] for r in rows] == ["upload_rejected", "upload_applied", "duplicate_ignored"]
    # without --as the command line acts as the server's administrator: the operating-system user, never --by
    assert rows[0][1:5] == (getpass.getuser(), "VPS", "2021-Q1", "numerator_gt_denominator") and rows[0][5]


def test_a_process_killed_mid_import_leaves_nothing_half_written(seeded_db_path, tmp_path):
    """SIGKILL inside the write transaction (after the first unit's rows): reopening shows the database as
    before — DuckDB replays only committed work."""
    import os
    import signal
    path = fill(make_template(seeded_db_path, tmp_path, unit="ALL"), 96, 100)
    before = file_fingerprint(seeded_db_path)
    process = subprocess.Popen([sys.executable, "-m", "kpi", "--db", str(seeded_db_path), "actuals", "import",
                                str(path), "--yes"], cwd=ROOT, env={**os.environ, "KPI_FAULT_AT": "apply"},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in process.stderr:
            if "FAULT_POINT" in line:
                break
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert file_fingerprint(seeded_db_path) == before


def test_a_locked_period_refuses_the_import_until_the_unit_is_allowed(seeded_db_path, tmp_path):
    path = fill(make_template(seeded_db_path, tmp_path), 96, 100)
    assert kpi("periods", "lock", "--plan", "syt-thanh-hoa-2021", "--period", "2021-Q1", "--from", "25/03/2021",
               db_path=seeded_db_path).returncode == 0
    refused = kpi("actuals", "import", str(path), "--yes", db_path=seeded_db_path)
    assert refused.returncode == 2 and "Kỳ Quý I/2021 đã khóa từ 25/03/2021" in refused.stderr
    kpi("periods", "allow", "--plan", "syt-thanh-hoa-2021", "--period", "2021-Q1", "--unit", "VPS",
        db_path=seeded_db_path)
    assert kpi("actuals", "import", str(path), "--yes", db_path=seeded_db_path).returncode == 0


@pytest.mark.parametrize("case", hostile.CASES)
def test_hostile_files_through_the_command_line(seeded_db_path, tmp_path, case):
    """The same bad files as the page gets: exit 2, the code named, the database file unchanged but for its
    one audit row, and the process never killed by what it read."""
    data, code = hostile.build(case, seeded_db_path, tmp_path)
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(data)
    before = hostile.prepared(case, seeded_db_path)
    result = kpi("actuals", "import", str(path), "--yes", "--format", "json", db_path=seeded_db_path)
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])
    assert code in {p["code"] for p in json.loads(result.stdout)["problems"]}
    hostile.assert_refused_and_unchanged(seeded_db_path, before, code)


@pytest.mark.parametrize("case", hostile.ACCEPTED)
def test_real_world_files_through_the_command_line(seeded_db_path, tmp_path, case):
    """Files as people really save them (A21, A22, A26, B1): written, with the warning they deserve."""
    data, warning, figures = hostile.build_accepted(case, seeded_db_path, tmp_path)
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(data)
    result = kpi("actuals", "import", str(path), "--yes", "--by", "Nguyễn Văn A", "--format", "json",
                 db_path=seeded_db_path)
    assert result.returncode == 0, result.stderr[-800:]
    codes = {p["code"] for p in json.loads(result.stdout)["problems"]}
    assert warning is None or warning in codes
    con = db.connect(seeded_db_path)
    try:
        assert hostile.stored_figures(con) == figures
    finally:
        con.close()


def test_the_identical_file_twice_changes_nothing_the_second_time(seeded_db_path, tmp_path):
    """B16 through the command line."""
    data, _, _ = hostile.build_accepted("vietnamese-thousands", seeded_db_path, tmp_path)
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(data)
    first = kpi("actuals", "import", str(path), "--yes", "--by", "A", db_path=seeded_db_path)
    assert first.returncode == 0, first.stderr
    con = db.connect(seeded_db_path)
    before = fingerprint(con)
    con.close()
    second = kpi("actuals", "import", str(path), "--yes", "--by", "A", "--format", "json", db_path=seeded_db_path)
    assert second.returncode == 0
    assert "identical_submission" in {p["code"] for p in json.loads(second.stdout)["problems"]}
    con = db.connect(seeded_db_path)
    try:
        assert fingerprint(con) == before
    finally:
        con.close()


FILE_LEVEL = ["csv-renamed", "html-renamed", "pdf-renamed", "png-renamed", "program-renamed", "empty", "truncated",
              "truncated-at-90", "end-record-removed", "encrypted", "macros", "dtd",
              "zip-bomb", "zip-headers-lie", "too-many-parts", "xlsb",
              "content-types-5mb"]


@pytest.mark.parametrize("case", FILE_LEVEL)
def test_bad_files_through_the_plan_import(seeded_db_path, tmp_path, case):
    """The plan-workbook import where the catalogue applies (the file itself, before any content): exit 2,
    the code named, the database file byte-identical."""
    data, code = hostile.build(case, seeded_db_path, tmp_path)
    path = tmp_path / "ke-hoach.xlsx"
    path.write_bytes(data)
    before = file_sha256(seeded_db_path)
    result = kpi("plans", "import", str(path), db_path=seeded_db_path)
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])
    assert f"[Lỗi {code}]" in result.stderr
    assert file_sha256(seeded_db_path) == before


@pytest.mark.parametrize("slot, code", [
    (("--plan", "syt-thanh-hoa-2021", "--unit", "Phòng Tổ chức cán bộ"), "template_of_other_unit"),   # B10
    (("--period", "2021-Q2"), "template_of_other_period"),                                          # B11.1
    (("--plan", "syt-thanh-hoa-2022"), "template_of_other_plan"),                                   # B12
], ids=["other-unit", "other-period", "other-plan"])
def test_a_template_of_another_slot_through_the_command_line(seeded_db_path, tmp_path, slot, code):
    """Văn phòng Sở's Quý I/2021 report, imported for a slot stated on the command line as the page's
    choices state it: refused, the code named, nothing written but the audit row."""
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(hostile._filled(seeded_db_path, tmp_path, "vps", CT01=(96, 100)).read_bytes())
    before = hostile.prepared("", seeded_db_path)
    result = kpi("actuals", "import", str(path), "--yes", "--format", "json", *slot, db_path=seeded_db_path)
    assert result.returncode == 2, result.stderr[-500:]
    assert [p["code"] for p in json.loads(result.stdout)["problems"]] == [code]
    hostile.assert_refused_and_unchanged(seeded_db_path, before, code)


def test_the_right_slot_named_by_the_unit_s_name_is_accepted(seeded_db_path, tmp_path):
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(hostile._filled(seeded_db_path, tmp_path, "vps", CT01=(96, 100)).read_bytes())
    result = kpi("actuals", "import", str(path), "--yes", "--by", "Nguyễn Văn A", "--plan", "syt-thanh-hoa-2021",
                 "--unit", "văn phòng sở", "--period", "2021-Q1", db_path=seeded_db_path)
    assert result.returncode == 0, result.stderr[-500:]
    con = db.connect(seeded_db_path)
    try:
        assert hostile.stored_figures(con) == {("VPS", "CT01"): (96, 100)}
    finally:
        con.close()


def test_a_unit_without_its_plan_is_a_usage_error(seeded_db_path, tmp_path):
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(hostile._filled(seeded_db_path, tmp_path, "vps", CT01=(96, 100)).read_bytes())
    before = file_sha256(seeded_db_path)
    result = kpi("actuals", "import", str(path), "--yes", "--unit", "VPS", db_path=seeded_db_path)
    assert result.returncode == 2
    assert "Thêm --plan" in result.stderr
    assert file_sha256(seeded_db_path) == before
