"""Reminders (kpi/cycle/reminders.py) sent to a REAL local SMTP server (aiosmtpd), on a real DuckDB file.

The small plan of tests/app/conftest.py: units A (Phòng A) and B (Đơn vị B) both reported Quý I/2023, nobody
reported Quý II/2023. Unit accounts: A has two (a1, a2, each with an e-mail), B has none with an address.
"""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import os
import socket
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from kpi import accounts, db
from kpi.access import Forbidden
from kpi.problems import KpiError
from kpi.cycle import reminders
from kpi.cycle.submissions import Submission, TargetFigure, record
from kpi.db.connection import transaction
from kpi.periods import parse_period
from kpi.scope import Scope
from tests.app.conftest import SMALL_PLAN, build_small
from tests.conftest import fingerprint
from tests.helpers import TEST_ACTOR

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "một câu mật khẩu đủ dài"
Q2 = Scope(SMALL_PLAN, parse_period("2023-Q2"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What the SMTP server received: (envelope recipients, parsed message) per e-mail."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def _settings(port: int, **more) -> reminders.SmtpSettings:
    return reminders.SmtpSettings(host="127.0.0.1", port=port, sender="vanphong@nho.gov.vn",
                                  dashboard_url="https://cchc.nho.gov.vn", timeout=5, **more)


@pytest.fixture
def db_path(tmp_path) -> Path:
    path = build_small(tmp_path / "nho.duckdb")
    con = db.connect(path)
    try:
        accounts.create(con, "van.phong", "van_phong", PASSWORD, actor=TEST_ACTOR, display_name="Văn phòng", org_id="nho")
        accounts.create(con, "don.vi.a1", "don_vi", PASSWORD, actor=TEST_ACTOR, org_id="nho", units=("A",),
                        email="a1@nho.gov.vn")
        accounts.create(con, "don.vi.a2", "don_vi", PASSWORD, actor=TEST_ACTOR, org_id="nho", units=("A",),
                        email="a2@nho.gov.vn")
        accounts.create(con, "don.vi.b1", "don_vi", PASSWORD, actor=TEST_ACTOR, org_id="nho", units=("B",))  # no e-mail
        accounts.create(con, "lanh.dao", "lanh_dao", PASSWORD, actor=TEST_ACTOR, org_id="nho")
    finally:
        con.close()
    return path


@pytest.fixture
def con(db_path):
    connection = db.connect(db_path)
    yield connection
    connection.close()


def _office(con):
    return accounts.actor_for(con, "van.phong", "test")


def _rows(con):
    return con.execute("SELECT unit_code, address, kind, outcome, error, sent_by FROM reminder "
                       "ORDER BY unit_code, address NULLS FIRST").fetchall()


def test_each_address_of_a_unit_that_has_not_reported_receives_one_vietnamese_email(con, smtp):
    controller, inbox = smtp
    results = reminders.send(con, Q2, _office(con), settings=_settings(controller.port))
    # A: two addresses -> two e-mails; B: no address -> one 'no_address' row, nothing sent
    assert sorted((r.unit_code, r.address, r.outcome) for r in results) == [
        ("A", "a1@nho.gov.vn", "sent"), ("A", "a2@nho.gov.vn", "sent"), ("B", None, "no_address")]
    assert sorted(rcpt for rcpts, _ in inbox.received for rcpt in rcpts) == ["a1@nho.gov.vn", "a2@nho.gov.vn"]
    _, message = inbox.received[0]
    subject = str(message["Subject"])
    # Quý II/2023 is due 20/06/2023 (data/periods.yaml: [6, 20]); today (2026 or later) is after it
    assert subject == "[Quá hạn báo cáo] Phòng A: chưa nộp báo cáo Quý II/2023 (hạn ngày 20/06/2023)"
    assert unicodedata.is_normalized("NFC", subject)
    body = message.get_content()
    assert unicodedata.is_normalized("NFC", body)
    assert "20/06/2023" in body and "Sở Nhỏ" in body and "https://cchc.nho.gov.vn" in body
    assert message.get_content_charset() == "utf-8"
    assert message["From"] == "vanphong@nho.gov.vn"
    # every attempt is a row, with its audit row in the same transaction
    assert _rows(con) == [("A", "a1@nho.gov.vn", "after", "sent", None, "van.phong"),
                          ("A", "a2@nho.gov.vn", "after", "sent", None, "van.phong"),
                          ("B", None, "after", "no_address", None, "van.phong")]
    assert con.execute("SELECT count(*) FROM audit_event WHERE action = 'reminder' AND actor = 'van.phong'").fetchone()[0] == 3


def test_a_unit_that_has_reported_gets_no_reminder(con, smtp):
    controller, inbox = smtp
    with transaction(con, action="test"):
        record(con, Submission(SMALL_PLAN, "A", Q2.period, (TargetFigure("CT01", numerator=1, denominator=1),)))
    results = reminders.send(con, Q2, _office(con), settings=_settings(controller.port))
    assert [(r.unit_code, r.outcome) for r in results] == [("B", "no_address")]
    assert inbox.received == []
    # Quý I/2023: both units reported (build_small): nobody to remind, nothing written
    assert reminders.send(con, Scope(SMALL_PLAN, parse_period("2023-Q1")), _office(con),
                          settings=_settings(controller.port)) == []


def test_before_the_deadline_the_email_reminds_and_after_it_says_late():
    deadline = dt.date(2023, 6, 20)
    assert reminders.kind_for(deadline, dt.date(2023, 6, 20)) == "before"   # the deadline day itself: still before
    assert reminders.kind_for(deadline, dt.date(2023, 6, 21)) == "after"


def test_before_the_deadline_the_subject_says_when_it_is_due(con, smtp):
    controller, inbox = smtp
    reminders.send(con, Q2, _office(con), settings=_settings(controller.port), today=dt.date(2023, 6, 10))
    subjects = {str(m["Subject"]) for _, m in inbox.received}
    assert subjects == {"[Nhắc báo cáo] Phòng A: báo cáo Quý II/2023 hạn ngày 20/06/2023"}
    assert {r[2] for r in _rows(con)} == {"before"}


def test_a_dry_run_records_every_reminder_and_sends_nothing(con, smtp):
    controller, inbox = smtp
    results = reminders.send(con, Q2, _office(con), dry_run=True, settings=_settings(controller.port))
    assert sorted(r.outcome for r in results) == ["dry_run", "dry_run", "no_address"]
    assert inbox.received == []
    assert [r[3] for r in _rows(con)] == ["dry_run", "dry_run", "no_address"]


def test_a_refused_connection_gives_failed_rows_with_the_error_and_a_clear_message(con):
    port = _free_port()  # nothing listens there
    results = reminders.send(con, Q2, _office(con), settings=_settings(port))
    failed = [r for r in results if r.outcome == "failed"]
    assert [r.address for r in failed] == ["a1@nho.gov.vn", "a2@nho.gov.vn"]
    assert {r.reason for r in failed} == {"connection"}
    assert failed[0].message == "Không gửi được: không kết nối được máy chủ thư (máy chủ tắt, sai địa chỉ hoặc cổng)"
    stored = [r for r in _rows(con) if r[3] == "failed"]
    assert len(stored) == 2 and all("ConnectionRefusedError" in r[4] for r in stored)


def test_without_a_configured_server_every_reminder_fails_and_is_recorded(con):
    results = reminders.send(con, Q2, _office(con), settings=reminders.SmtpSettings())
    assert sorted((r.outcome, r.reason) for r in results) == [
        ("failed", "not_configured"), ("failed", "not_configured"), ("no_address", None)]


@pytest.mark.parametrize("username", ["lanh.dao", "don.vi.a1"])
def test_leadership_and_unit_accounts_may_not_send_and_nothing_is_written(con, smtp, username):
    controller, inbox = smtp
    before = fingerprint(con)
    with pytest.raises(Forbidden) as refused:
        reminders.send(con, Q2, accounts.actor_for(con, username, "test"), settings=_settings(controller.port))
    assert refused.value.message == "Vai trò của bạn không được thực hiện thao tác này."
    assert fingerprint(con) == before and inbox.received == []
    # the refusal itself is in the audit trail
    assert con.execute("SELECT subject FROM audit_event WHERE action = 'refused' AND actor = ?",
                       [username]).fetchone() == ("remind",)


def test_an_unknown_plan_or_a_period_of_another_year_is_refused_before_anything(con):
    before = fingerprint(con)
    for scope, code in ((Scope("khong-co", Q2.period), "plan_unknown"),
                        (Scope(SMALL_PLAN, parse_period("2024-Q2")), "period_outside_plan")):
        with pytest.raises(KpiError) as refused:
            reminders.send(con, scope, _office(con), settings=reminders.SmtpSettings())
        assert refused.value.code == code
    assert fingerprint(con) == before


def test_settings_come_from_the_environment_then_the_secrets_file(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[smtp]\nhost = "mail.nho.gov.vn"\nport = 587\nstarttls = true\nfrom = "vp@nho.gov.vn"\n',
                       encoding="utf-8")
    settings = reminders.SmtpSettings.from_configuration({"KPI_SMTP_HOST": "relay.local"}, secrets)
    assert (settings.host, settings.port, settings.starttls, settings.sender) == \
        ("relay.local", 587, True, "vp@nho.gov.vn")
    assert reminders.SmtpSettings.from_configuration({}, tmp_path / "absent.toml") == reminders.SmtpSettings()


def _cli(db_path, *args, env=None):
    environment = {**os.environ, "KPI_DATABASE": str(db_path), **(env or {})}
    return subprocess.run([sys.executable, "-m", "kpi", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=environment)


def _smtp_env(port: int) -> dict:
    return {"KPI_SMTP_HOST": "127.0.0.1", "KPI_SMTP_PORT": str(port), "KPI_SMTP_FROM": "vanphong@nho.gov.vn",
            "KPI_SMTP_STARTTLS": "0", "KPI_DASHBOARD_URL": "https://cchc.nho.gov.vn"}


def test_the_command_line_sends_through_the_configured_server(db_path, smtp):
    controller, inbox = smtp
    done = _cli(db_path, "--as", "van.phong", "remind", "--plan", SMALL_PLAN, "--period", "2023-Q2", "--format", "json",
                env=_smtp_env(controller.port))
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert sorted((r["unit"], r["outcome"]) for r in document["results"]) == [
        ("A", "sent"), ("A", "sent"), ("B", "no_address")]
    assert document["deadline"] == "2023-06-20" and document["kind"] == "after"
    assert len(inbox.received) == 2


def test_the_command_line_reports_a_refused_connection_in_vietnamese_with_exit_1(db_path):
    done = _cli(db_path, "remind", "--plan", SMALL_PLAN, "--period", "2023-Q2", env=_smtp_env(_free_port()))
    assert done.returncode == 1
    assert "không kết nối được máy chủ thư" in done.stdout and "Traceback" not in done.stderr + done.stdout


def test_the_command_line_dry_run_and_a_refused_account(db_path):
    done = _cli(db_path, "remind", "--plan", SMALL_PLAN, "--period", "2023-Q2", "--dry-run", env=_smtp_env(1))
    assert done.returncode == 0 and done.stdout.count("Thử, không gửi") == 2
    con = db.connect(db_path)
    before = fingerprint(con)
    con.close()
    refused = _cli(db_path, "--as", "don.vi.a1", "remind", "--plan", SMALL_PLAN, "--period", "2023-Q2")
    assert refused.returncode == 2 and "Vai trò của bạn không được" in refused.stderr
    con = db.connect(db_path)
    assert fingerprint(con) == before
    con.close()
