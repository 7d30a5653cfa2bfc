"""Accounts (kpi/accounts.py) on a real DuckDB file: argon2 hashes, lock-out, sessions, the CLI's first admin."""
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kpi import accounts, db
from kpi.problems import KpiError
from tests.helpers import TEST_ACTOR

ROOT = Path(__file__).resolve().parents[1]
T0 = dt.datetime(2026, 12, 4, 8, 0, tzinfo=dt.timezone.utc)
PASSWORD = "một câu mật khẩu dài"


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "accounts.duckdb")
    accounts.create(connection, "lan.vp", "van_phong", PASSWORD, actor=TEST_ACTOR, display_name="Nguyễn Thị Lan",
                    org_id="so-a", now=T0)
    yield connection
    connection.close()


def _code(call) -> str:
    with pytest.raises(KpiError) as refused:
        call()
    return refused.value.code


def test_the_password_is_stored_only_as_an_argon2id_hash(con):
    stored = con.execute("SELECT password_hash FROM account WHERE username = 'lan.vp'").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_sign_in_gives_a_session_that_expires_after_its_hours(con):
    account, token = accounts.sign_in(con, "Lan.VP", PASSWORD, now=T0)   # usernames are case-insensitive
    assert account.username == "lan.vp" and account.role == "van_phong"
    assert accounts.session_account(con, token, now=T0 + dt.timedelta(hours=7, minutes=59)).username == "lan.vp"
    # SESSION_HOURS = 8: at 08:00 + 8 h the session is over
    assert accounts.session_account(con, token, now=T0 + dt.timedelta(hours=8)) is None
    assert con.execute("SELECT count(*) FROM account_session WHERE token_sha256 = ?", [token]).fetchone()[0] == 0


def test_sign_out_ends_the_session(con):
    _, token = accounts.sign_in(con, "lan.vp", PASSWORD, now=T0)
    accounts.sign_out(con, token)
    assert accounts.session_account(con, token, now=T0) is None


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(con):
    for attempt in range(4):
        assert _code(lambda: accounts.sign_in(con, "lan.vp", "sai mật khẩu rồi", now=T0)) == "sign_in_failed"
    # the fifth failure in a row locks until 08:15 UTC = 15:15 in Việt Nam
    with pytest.raises(KpiError) as locked:
        accounts.sign_in(con, "lan.vp", "sai mật khẩu rồi", now=T0)
    assert locked.value.code == "account_locked" and "15:15" in locked.value.message
    # even the right password is refused while locked
    assert _code(lambda: accounts.sign_in(con, "lan.vp", PASSWORD, now=T0 + dt.timedelta(minutes=14))) == \
        "account_locked"
    account, _ = accounts.sign_in(con, "lan.vp", PASSWORD, now=T0 + dt.timedelta(minutes=15))
    assert account.failed_attempts == 0 and account.locked_until is None


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(con):
    assert _code(lambda: accounts.sign_in(con, "khong.co", PASSWORD, now=T0)) == "sign_in_failed"


def test_changing_the_password_ends_every_session(con):
    _, token = accounts.sign_in(con, "lan.vp", PASSWORD, now=T0)
    assert _code(lambda: accounts.change_password(con, "lan.vp", "không phải mật khẩu", "mật khẩu mới đủ dài",
                                                  now=T0)) == "password_wrong"
    assert _code(lambda: accounts.change_password(con, "lan.vp", PASSWORD, "ngắn", now=T0)) == "password_too_short"
    accounts.change_password(con, "lan.vp", PASSWORD, "mật khẩu mới đủ dài", now=T0)
    assert accounts.session_account(con, token, now=T0) is None
    assert _code(lambda: accounts.sign_in(con, "lan.vp", PASSWORD, now=T0)) == "sign_in_failed"
    assert accounts.sign_in(con, "lan.vp", "mật khẩu mới đủ dài", now=T0)[0].username == "lan.vp"


@pytest.mark.parametrize("username, role, password, unit, code", [
    ("lan.vp", "van_phong", PASSWORD, None, "username_taken"),
    ("Lan VP", "van_phong", PASSWORD, None, "username_invalid"),       # a space is not allowed
    ("an.dv", "chief", PASSWORD, None, "role_unknown"),
    ("an.dv", "don_vi", PASSWORD, None, "unit_required"),              # a unit account names its unit
    ("an.dv", "lanh_dao", "123456789", None, "password_too_short"),    # 9 < MIN_PASSWORD = 10
])
def test_an_account_that_cannot_hold_is_refused_and_nothing_is_written(con, username, role, password, unit, code):
    before = con.execute("SELECT count(*) FROM account").fetchone()[0]
    assert _code(lambda: accounts.create(con, username, role, password, actor=TEST_ACTOR, org_id="so-a",
                                                 units=[unit] if unit else [], now=T0)) == code
    assert con.execute("SELECT count(*) FROM account").fetchone()[0] == before


def _kpi(db_path, *args, stdin=""):
    return subprocess.run([sys.executable, "-m", "kpi", "--db", str(db_path), *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_the_first_administrator_is_created_from_stdin_never_from_the_command_line(tmp_path):
    path = tmp_path / "cli.duckdb"
    created = _kpi(path, "users", "create", "--username", "quan.tri", "--role", "admin", "--password-stdin",
                   stdin="mật khẩu quản trị đủ dài\n")
    assert created.returncode == 0, created.stderr
    assert "Đã tạo tài khoản quan.tri (Quản trị)" in created.stdout
    short = _kpi(path, "users", "create", "--username", "b.vp", "--role", "van_phong", "--org", "so-a", "--password-stdin",
                 stdin="ngắn\n")
    assert short.returncode == 2 and "Mật khẩu quá ngắn" in short.stderr and "Traceback" not in short.stderr
    listed = json.loads(_kpi(path, "users", "list", "--format", "json").stdout)
    assert [(u["username"], u["role"]) for u in listed] == [("quan.tri", "admin")]
    assert "hash" not in json.dumps(listed) and "argon2" not in json.dumps(listed)
    con = db.connect(path)
    try:
        assert accounts.sign_in(con, "quan.tri", "mật khẩu quản trị đủ dài")[0].role == "admin"
    finally:
        con.close()


def test_an_expired_identity_token_counts_as_signed_out():
    """RELIABILITY D12: Streamlit does not check the ID token's exp; kpi does. T0 = 04/12/2026 08:00 UTC."""
    at = T0.timestamp()
    assert accounts.identity_current({"email": "a@b.vn", "exp": at + 1}, now=T0) is True
    assert accounts.identity_current({"email": "a@b.vn", "exp": at}, now=T0) is False      # expiring now: out
    assert accounts.identity_current({"email": "a@b.vn", "exp": "ngày mai"}, now=T0) is False
    assert accounts.identity_current({"email": "a@b.vn"}, now=T0) is True                 # no exp claim given
