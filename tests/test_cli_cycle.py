"""`python -m kpi periods …` and `submissions …` as the office runs them: real processes on a real file, --as."""
import datetime as dt

from kpi import accounts, audit, db
from kpi.cycle import locks, reporting
from tests.conftest import file_fingerprint
from tests.helpers import TEST_ACTOR
from tests.test_cli import kpi
from tests.test_cycle import PASSWORD, PLAN, Q1, UTC, build_five, report


def five_with_accounts(tmp_path):
    """The five-unit plan of tests/test_cycle.py, A's report of 10/03/2023, and three accounts of «Sở Năm»."""
    path = build_five(tmp_path / "five.duckdb")
    con = db.connect(path)
    try:
        for username, role, units in (("vanphong", "van_phong", ()), ("lanhdao", "lanh_dao", ()),
                                      ("donvi-a", "don_vi", ("A",))):
            accounts.create(con, username, role, PASSWORD, actor=TEST_ACTOR, display_name=f"Người {username}",
                            org_id="nam", units=units)
        submission = report(con, "A", dt.datetime(2023, 3, 10, 2, 0, tzinfo=UTC))
    finally:
        con.close()
    return path, submission


def test_the_office_sets_a_deadline_reopens_and_reviews_from_the_command_line(tmp_path):
    path, sid = five_with_accounts(tmp_path)
    deadline = kpi("--as", "vanphong", "periods", "deadline", "--plan", PLAN, "--period", "2023-Q1",
                   "--due", "20/03/2023", "--grace", "5", db_path=path)
    assert deadline.returncode == 0, deadline.stderr
    assert "20/03/2023, gia hạn 5 ngày" in deadline.stdout
    reopen = kpi("--as", "vanphong", "periods", "reopen", "--plan", PLAN, "--period", "2023-Q1", "--unit", "B",
                 "--reason", "Xin nộp bổ sung", db_path=path)
    assert reopen.returncode == 0, reopen.stderr
    back = kpi("--as", "vanphong", "submissions", "return", sid, "--comment", "Thiếu minh chứng", db_path=path)
    assert back.returncode == 0 and "Đã trả lại báo cáo" in back.stdout, back.stderr
    approve = kpi("--as", "vanphong", "periods", "approve", "--plan", PLAN, "--period", "2023-Q1",
                  "--by", "Giám đốc Sở", db_path=path)
    assert approve.returncode == 0, approve.stderr
    con = db.connect(path)
    try:
        stored = locks.deadline(con, PLAN, Q1)
        assert (stored.due, stored.grace_days, stored.set_by) == (dt.date(2023, 3, 20), 5, "Người vanphong")
        assert locks.reopened_units(con, PLAN, Q1)[0]["reason"] == "Xin nộp bổ sung"
        status = reporting.reporting_status(con, reporting.Scope(PLAN, Q1))
        assert status.frame.set_index("unit_code").loc["A", "state_label"] == "Bị trả lại"
        # --by is a display note beside the account, never the identity
        assert locks.period_state(con, PLAN, Q1)["approved_by"] == "Người vanphong (Giám đốc Sở)"
        trail = audit.entries(con)
        assert list(trail["action"][:4]) == ["period_approve", "submission_return", "period_allow", "deadline_set"]
        assert set(trail["actor"][:4]) == {"vanphong"} and set(trail["channel"][:4]) == {"cli"}
    finally:
        con.close()
    approve_submission = kpi("--as", "vanphong", "submissions", "approve", sid, db_path=path)
    assert approve_submission.returncode == 0 and "Đã duyệt báo cáo" in approve_submission.stdout


def test_leadership_and_units_are_refused_with_the_database_unchanged(tmp_path):
    path, sid = five_with_accounts(tmp_path)
    commands = [
        ("periods", "deadline", "--plan", PLAN, "--period", "2023-Q1", "--due", "20/03/2023"),
        ("periods", "lock", "--plan", PLAN, "--period", "2023-Q1", "--from", "01/04/2023"),
        ("periods", "unlock", "--plan", PLAN, "--period", "2023-Q1"),
        ("periods", "allow", "--plan", PLAN, "--period", "2023-Q1", "--unit", "A"),
        ("periods", "reopen", "--plan", PLAN, "--period", "2023-Q1", "--unit", "A", "--reason", "lý do"),
        ("periods", "approve", "--plan", PLAN, "--period", "2023-Q1"),
        ("submissions", "approve", sid),
        ("submissions", "return", sid, "--comment", "ý kiến"),
    ]
    for who in ("lanhdao", "donvi-a"):
        for command in commands:
            before = file_fingerprint(path)
            result = kpi("--as", who, *command, db_path=path)
            assert result.returncode == 2, (who, command, result.stdout, result.stderr)
            assert "quyền" in result.stderr, (who, command, result.stderr)
            assert file_fingerprint(path) == before, (who, command)


def test_without_as_the_server_administrator_may_and_is_recorded(tmp_path):
    path, _ = five_with_accounts(tmp_path)
    result = kpi("periods", "lock", "--plan", PLAN, "--period", "2023-Q1", "--from", "01/04/2023", db_path=path)
    assert result.returncode == 0, result.stderr
    con = db.connect(path)
    try:
        assert locks.refusal(con, PLAN, Q1, "A", dt.date(2023, 4, 2))[0] == "period_locked"
        newest = audit.entries(con).iloc[0]
        assert newest["action"] == "period_lock" and newest["actor"].startswith("os:") and newest["role"] == "server"
    finally:
        con.close()
