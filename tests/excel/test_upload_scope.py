"""Who may upload what (kpi/access.py), checked where the data is written: a unit's staff only for its own units,
whatever path the request takes (RELIABILITY D5); every refusal recorded, nothing written."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kpi import accounts, audit
from kpi.access import Actor, Forbidden, allowed, require
from kpi.excel import upload
from tests.conftest import fingerprint
from tests.excel.conftest import PLAN, good
from tests.excel.test_upload_cli import fill as cli_fill, make_template
from tests.helpers import TEST_ACTOR

ROOT = Path(__file__).resolve().parents[2]
ORG = "syt-thanh-hoa"   # PLAN's organisation: units VPS, TCCB, KHTC, ...
PASSWORD = "mật khẩu đủ dài cho kiểm thử"


def _account(con, username, role, org=ORG, units=()):
    return Actor.of(accounts.create(con, username, role, PASSWORD, actor=TEST_ACTOR, org_id=org, units=units),
                    "test")


# The permission table, written out by hand: (role, action, same organisation?, own unit?) -> allowed.
@pytest.mark.parametrize("role, action, same_org, own_unit, expected", [
    ("lanh_dao", "read", True, None, True),
    ("lanh_dao", "read", False, None, False),       # leadership reads its own organisation only
    ("lanh_dao", "upload", True, None, False),
    ("lanh_dao", "cycle", True, None, False),
    ("van_phong", "upload", True, False, True),      # the office may upload for any unit of its organisation
    ("van_phong", "upload", False, False, False),
    ("van_phong", "cycle", True, None, True),
    ("van_phong", "accounts_admin", True, None, False),  # but never makes an administrator
    ("don_vi", "upload", True, True, True),
    ("don_vi", "upload", True, False, False),        # another unit of the same organisation
    ("don_vi", "explain", True, False, False),
    ("don_vi", "cycle", True, None, False),
    ("admin", "accounts", False, None, True),        # an administrator has no organisation: every one
    ("admin", "upload", True, True, False),
])
def test_the_permission_table(role, action, same_org, own_unit, expected):
    actor = Actor("nguoi", role, org_id=None if role == "admin" else ORG, units=frozenset({"VPS"}))
    unit = None if own_unit is None else ("VPS" if own_unit else "TCCB")
    assert allowed(actor, action, org_id=ORG if same_org else "sct", unit=unit) is expected


def test_the_server_actor_may_do_everything_and_names_the_operating_system_user():
    server = Actor.server("cli")
    assert server.role == "server" and server.username.startswith("os:")
    assert all(allowed(server, action, org_id="sct", unit="X") for action in ("upload", "cycle", "accounts_admin"))


def test_a_unit_uploading_another_units_report_is_refused_and_nothing_is_written(seeded_db, fill):
    """Case D5.1/D5.2: the template is VPS's (its metadata, or edited metadata, says so); the account reports
    for TCCB only. The file's own unit decides, so editing the hidden sheet changes nothing."""
    tccb = _account(seeded_db, "can.bo.tccb", "don_vi", units=("TCCB",))
    before = fingerprint(seeded_db)
    outcome = upload.submit(seeded_db, good(fill).save(), actor=tccb, confirmed=True)
    assert outcome.status == "rejected"
    assert [p.code for p in outcome.checked.errors] == ["forbidden_upload"]
    assert "không được nộp báo cáo cho «VPS»" in outcome.checked.errors[0].message
    assert "TCCB" in outcome.checked.errors[0].hint
    assert fingerprint(seeded_db) == before
    refused = seeded_db.execute("SELECT actor, action, subject, unit_code FROM audit_event "
                                "WHERE action = 'refused'").fetchall()
    assert refused == [("can.bo.tccb", "refused", "upload", "VPS")]
    assert audit.verify(seeded_db) == []


def test_forcing_the_slot_to_another_unit_is_refused_too(seeded_db, fill):
    """Case D5.3: the page's unit box (or session state) forced to VPS: the slot is checked as well as the file."""
    tccb = _account(seeded_db, "can.bo.tccb", "don_vi", units=("TCCB",))
    before = fingerprint(seeded_db)
    outcome = upload.submit(seeded_db, good(fill).save(), actor=tccb, plan=PLAN, unit="VPS", confirmed=True)
    assert outcome.status == "rejected" and fingerprint(seeded_db) == before


def test_the_own_unit_is_accepted_and_recorded_under_the_account(seeded_db, fill):
    vps = _account(seeded_db, "can.bo.vps", "don_vi", units=("VPS",))
    outcome = upload.submit(seeded_db, good(fill).save(), actor=vps, confirmed=True, note="nộp thay trưởng phòng")
    assert outcome.status == "applied"
    who = seeded_db.execute("SELECT submitted_by, note FROM submission WHERE status = 'current'").fetchall()
    assert who == [("can.bo.vps", "nộp thay trưởng phòng")]   # display name = username here; the note apart
    trail = seeded_db.execute("SELECT actor, role, channel, action, sha256 IS NOT NULL FROM audit_event").fetchall()
    assert trail[-1] == ("can.bo.vps", "don_vi", "test", "upload_applied", True)


def test_leadership_and_other_organisations_may_not_upload(seeded_db, fill):
    leader = _account(seeded_db, "lanh.dao", "lanh_dao")
    other_office = _account(seeded_db, "vp.sct", "van_phong", org="sct")
    before = fingerprint(seeded_db)
    for actor in (leader, other_office):
        outcome = upload.submit(seeded_db, good(fill).save(), actor=actor, confirmed=True)
        assert [p.code for p in outcome.checked.errors] == ["forbidden_upload"]
    assert fingerprint(seeded_db) == before


def test_require_raises_a_vietnamese_refusal_and_records_it(seeded_db):
    leader = _account(seeded_db, "lanh.dao", "lanh_dao")
    with pytest.raises(Forbidden) as refused:
        require(seeded_db, leader, "cycle", org_id=ORG, plan_id=PLAN, period="2021-Q1")
    assert refused.value.code == "forbidden_role" and "Vai trò của bạn" in refused.value.message
    row = seeded_db.execute("SELECT actor, role, plan_id, period, subject FROM audit_event "
                            "ORDER BY seq DESC LIMIT 1").fetchone()
    assert row == ("lanh.dao", "lanh_dao", PLAN, "2021-Q1", "cycle")


def test_the_cli_as_a_unit_account_outside_its_scope_exits_2_with_a_rejected_document(seeded_db_path, tmp_path):
    """The contract: `actuals import FILE --as U --yes --format json` outside U's scope -> exit 2, JSON
    {"outcome": "rejected", ...} with the Vietnamese reason; the database unchanged."""
    from kpi import db
    path = cli_fill(make_template(seeded_db_path, tmp_path), 96, 100)   # VPS's template
    con = db.connect(seeded_db_path)
    _account(con, "can.bo.tccb", "don_vi", units=("TCCB",))
    before = fingerprint(con)
    con.close()
    result = subprocess.run([sys.executable, "-m", "kpi", "--db", str(seeded_db_path), "actuals", "import", str(path),
                             "--as", "can.bo.tccb", "--yes", "--format", "json"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    document = json.loads(result.stdout)
    assert document["outcome"] == "rejected"
    assert [p["code"] for p in document["problems"]] == ["forbidden_upload"]
    assert "không được nộp báo cáo" in document["problems"][0]["message"]
    con = db.connect(seeded_db_path)
    try:
        assert fingerprint(con) == before
        assert con.execute("SELECT actor, channel FROM audit_event WHERE action = 'refused'").fetchall() == [
            ("can.bo.tccb", "cli")]
    finally:
        con.close()


def test_the_cli_refuses_an_unknown_account_for_as(seeded_db_path, tmp_path):
    path = cli_fill(make_template(seeded_db_path, tmp_path), 96, 100)
    result = subprocess.run([sys.executable, "-m", "kpi", "--db", str(seeded_db_path), "--as", "khong.co",
                             "actuals", "import", str(path), "--yes"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2 and "Không có tài khoản đang hoạt động tên «khong.co»" in result.stderr
