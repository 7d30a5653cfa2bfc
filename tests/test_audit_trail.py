"""The audit trail visible and tamper-evident: `python -m kpi audit`, `audit verify`, kpi/presentation/audit_log.py.

A trail is built with real writes (accounts created through kpi.accounts, an upload of the small plan's
template through kpi.excel.upload, a dry-run reminder), then tampered with through a raw DuckDB connection, as
someone holding the file (and not the product) would.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pytest

from kpi import accounts, audit, db
from tests import backend
from kpi.access import Forbidden
from kpi.cycle import reminders
from kpi.excel import template, upload
from kpi.periods import parse_period
from kpi.presentation import audit_log
from kpi.scope import Scope
from tests.app.conftest import SMALL_PLAN, build_small
from tests.conftest import fingerprint
from tests.excel.conftest import Filled
from tests.helpers import TEST_ACTOR

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "một câu mật khẩu đủ dài"
Q2 = parse_period("2023-Q2")


def build_trail(path: Path, tmp_path: Path) -> Path:
    """The small plan, four accounts, Phòng A's Quý II report uploaded and applied by its unit account, one
    dry-run reminder by the office: every write leaves its row."""
    build_small(path)
    con = db.connect(path)
    try:
        accounts.create(con, "van.phong", "van_phong", PASSWORD, actor=TEST_ACTOR, display_name="Nguyễn Thị Lan",
                        org_id="nho")
        accounts.create(con, "lanh.dao", "lanh_dao", PASSWORD, actor=TEST_ACTOR, org_id="nho")
        accounts.create(con, "don.vi.a", "don_vi", PASSWORD, actor=TEST_ACTOR, org_id="nho", units=("A",),
                        email="a@nho.gov.vn")
        accounts.create(con, "don.vi.b", "don_vi", PASSWORD, actor=TEST_ACTOR, org_id="nho", units=("B",))
        blank = tmp_path / "A-Q2.xlsx"
        blank.write_bytes(template.build(con, SMALL_PLAN, "A", Q2))
        filled = Filled(blank, tmp_path / "A-Q2-filled.xlsx").ratio("CT01", 48, 50).ratio("CT02", 1, 100).save()
        unit_a = accounts.actor_for(con, "don.vi.a", "web")
        outcome = upload.submit(con, filled, actor=unit_a, plan=SMALL_PLAN, unit="A", period=Q2)
        assert upload.confirm(con, outcome, actor=unit_a).status == "applied"
        reminders.send(con, Scope(SMALL_PLAN, Q2), accounts.actor_for(con, "van.phong", "cli"), dry_run=True,
                       settings=reminders.SmtpSettings())
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def trail_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("trail")
    return build_trail(backend.new_database(folder, "trail.duckdb"), folder)


@pytest.fixture
def trail_path(trail_file, tmp_path) -> Path:
    return backend.copy_database(trail_file, tmp_path, "trail.duckdb")


def _actions(path: Path) -> list[str]:
    con = db.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT action FROM audit_event ORDER BY seq").fetchall()]
    finally:
        con.close()


def _raw(path: Path, *statements):
    """Someone with the file (or the database owner's password), behind the product's back."""
    con = db.connect(path, migrate=False) if backend.ON_POSTGRES else duckdb.connect(str(path))
    try:
        for statement, params in statements:
            con.execute(statement, params)
    finally:
        con.close()


def test_the_trail_holds_every_write_in_order(trail_path):
    # 4 accounts, the upload applied, then the dry-run reminder: B has no address (A has reported Q2)
    assert _actions(trail_path) == ["account_create"] * 4 + ["upload_applied", "reminder"]


def test_an_intact_trail_verifies_with_its_head(trail_path):
    con = db.connect(trail_path)
    try:
        found = audit_log.integrity(con, TEST_ACTOR)
        assert found.problems == [] and audit.verify(con) == []
        assert found.head[0] == 6
        assert found.sentences()[0].startswith("Nhật ký nguyên vẹn: 6 dòng, dòng cuối số 6, mã kiểm tra ")
    finally:
        con.close()


def test_a_changed_detail_is_named_changed_at_its_row(trail_path):
    _raw(trail_path, ("UPDATE audit_event SET detail = ? WHERE seq = 2", ['{"role":"admin"}']))
    con = db.connect(trail_path)
    try:
        assert audit.verify(con) == [{"seq": 2, "problem": "changed"}]
        assert audit_log.integrity(con, TEST_ACTOR).sentences()[1] == "Dòng 2: nội dung đã bị sửa sau khi ghi."
    finally:
        con.close()


def test_a_deleted_middle_row_is_named_missing(trail_path):
    _raw(trail_path, ("DELETE FROM audit_event WHERE seq = 3", []))
    con = db.connect(trail_path)
    try:
        # row 4 follows row 2: the gap is seq 3
        assert audit.verify(con) == [{"seq": 4, "problem": "missing", "from": 3, "to": 3}]
        assert audit_log.integrity(con, TEST_ACTOR).sentences()[1] == \
            "Dòng 3: đã bị xóa (dòng 4 đứng ngay sau chỗ thiếu)."
    finally:
        con.close()


def test_a_forged_row_is_named(trail_path):
    con = db.connect(trail_path)
    seq, head_hash = audit.head(con)
    first_hash = con.execute("SELECT row_hash FROM audit_event WHERE seq = 1").fetchone()[0]
    con.close()
    # a careful forger computes the row's hash with the product's formula but links it to row 1, not to the head
    fields = audit._fields(seq + 1, dt.datetime(2026, 1, 1), "ke.gia", "admin", "web", "period_unlock", SMALL_PLAN,
                           None, "2023-Q2", None, None, None)
    forged = audit.row_hash(first_hash, fields)
    _raw(trail_path, ("INSERT INTO audit_event VALUES (?, ?, 'ke.gia', 'admin', 'web', 'period_unlock', ?, NULL, "
                      "'2023-Q2', NULL, NULL, NULL, ?, ?)",
                      [seq + 1, dt.datetime(2026, 1, 1), SMALL_PLAN, first_hash, forged]),
         # a careless one makes up the hash
         ("INSERT INTO audit_event VALUES (?, ?, 'ke.gia', 'admin', 'web', 'period_lock', NULL, NULL, NULL, NULL, "
          "NULL, NULL, ?, ?)", [seq + 2, dt.datetime(2026, 1, 2), forged, "f" * 64]))
    con = db.connect(trail_path)
    try:
        assert audit.verify(con) == [{"seq": 7, "problem": "inserted"}, {"seq": 8, "problem": "changed"}]
        assert head_hash != forged
    finally:
        con.close()


def _cli(db_path, *args):
    environment = {**os.environ, "KPI_DATABASE": str(db_path)}
    return subprocess.run([sys.executable, "-m", "kpi", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=environment)


def test_audit_json_lists_entries_with_moment_actor_action_channel_and_detail(trail_path):
    done = _cli(trail_path, "audit", "--plan", SMALL_PLAN, "--format", "json")
    assert done.returncode == 0, done.stderr
    entries = json.loads(done.stdout)
    # newest first: the reminder (office, cli), then the upload (unit A, web); accounts have no plan
    assert [(e["action"], e["actor"], e["channel"]) for e in entries] == [
        ("reminder", "van.phong", "cli"), ("upload_applied", "don.vi.a", "web")]
    assert entries[0]["at"].endswith("+07:00")
    assert dt.datetime.fromisoformat(entries[0]["at"]).utcoffset() == dt.timedelta(hours=7)
    assert entries[0]["detail"] == {"kind": "after", "outcome": "no_address"}
    assert entries[0]["unit"] == "B" and entries[0]["period"] == "2023-Q2"


def test_audit_filters_by_actor_action_and_date(trail_path):
    by_action = json.loads(_cli(trail_path, "audit", "--action", "account_create", "--format", "json").stdout)
    assert len(by_action) == 4 and {e["actor"] for e in by_action} == {"kiem-thu"}
    by_actor = json.loads(_cli(trail_path, "audit", "--actor", "don.vi.a", "--format", "json").stdout)
    assert [e["action"] for e in by_actor] == ["upload_applied"]
    tomorrow = json.loads(_cli(trail_path, "audit", "--since", "31/12/2099", "--format", "json").stdout)
    assert tomorrow == []
    table = _cli(trail_path, "audit")
    assert table.returncode == 0 and "Gửi nhắc báo cáo" in table.stdout and "Nguyễn Thị Lan (van.phong)" in table.stdout


def test_audit_verify_on_the_command_line(trail_path):
    intact = _cli(trail_path, "audit", "verify", "--format", "json")
    assert intact.returncode == 0
    document = json.loads(intact.stdout)
    assert document["intact"] is True and document["head"]["seq"] == 6 and len(document["head"]["hash"]) == 64
    _raw(trail_path, ("UPDATE audit_event SET actor = 'ai.do' WHERE seq = 5", []),
         ("DELETE FROM audit_event WHERE seq = 2", []))
    broken = _cli(trail_path, "audit", "verify")
    assert broken.returncode == 1
    assert "Dòng 2: đã bị xóa (dòng 3 đứng ngay sau chỗ thiếu)." in broken.stdout
    assert "Dòng 5: nội dung đã bị sửa sau khi ghi." in broken.stdout


def test_a_unit_account_may_not_read_the_trail_and_the_refusal_is_recorded(trail_path):
    con = db.connect(trail_path)
    before = fingerprint(con)
    try:
        with pytest.raises(Forbidden):
            audit_log.read(con, accounts.actor_for(con, "don.vi.b", "test"))
        assert fingerprint(con) == before
    finally:
        con.close()
    refused = _cli(trail_path, "--as", "don.vi.b", "audit", "verify")
    assert refused.returncode == 2 and "Vai trò của bạn không được" in refused.stderr
    assert _actions(trail_path)[-2:] == ["refused", "refused"]


def test_the_workbook_types_numbers_and_moments(trail_path):
    con = db.connect(trail_path)
    try:
        table = audit_log.readable(con, audit_log.read(con, accounts.actor_for(con, "van.phong", "test")))
    finally:
        con.close()
    sheet = openpyxl.load_workbook(io.BytesIO(audit_log.xlsx(table))).active
    assert sheet.title == "Nhật ký thao tác"
    assert [c.value for c in sheet[1]][:6] == ["Số", "Thời điểm", "Người thực hiện", "Vai trò", "Kênh", "Thao tác"]
    first = [c for c in sheet[2]]
    assert first[0].value == 6 and first[0].data_type == "n"
    assert isinstance(first[1].value, dt.datetime) and first[1].number_format == "dd/mm/yyyy hh:mm"
    assert first[5].value == "Gửi nhắc báo cáo" and first[3].value == "Văn phòng Sở"
