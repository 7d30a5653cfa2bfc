"""The reporting cycle run by the office (docs/cycle.md): deadlines and grace, reopening one unit, locks and
approval with the actor, reviews of single submissions, and «Tình hình báo cáo» worked by hand."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kpi import accounts, audit, db
from kpi.access import Forbidden
from kpi.cycle import locks, reporting
from kpi.cycle import submissions as cycle
from kpi.cycle.submissions import Submission, TargetFigure
from kpi.excel import template, upload
from kpi.meetings import snapshots
from kpi.meetings.export import report as export_report
from kpi.periods import parse_period
from kpi.presentation import dashboard
from kpi.problems import KpiError
from tests.conftest import fingerprint
from tests.excel.conftest import Filled
from tests.helpers import recorded, TEST_ACTOR, scope

PLAN = "nam-2023"
Q1 = parse_period("2023-Q1")
UTC = dt.timezone.utc
PASSWORD = "mật khẩu kiểm thử đủ dài"

# Five units named so that Vietnamese order differs from code-point order: «Ánh» sorts with A, before «Bảo»
# (in code points Á, U+00C1, comes after every ASCII letter).
FIVE = {
    "plan": {"id": PLAN, "year": 2023, "number": "5/KH-NAM", "source_file": None},
    "organisation": {"id": "nam", "name": "Sở Năm"},
    "units": [{"code": "A", "name": "Phòng Ánh sáng", "kind": "office", "aliases": []},
              {"code": "B", "name": "Phòng Bảo vệ", "kind": "office", "aliases": []},
              {"code": "C", "name": "Phòng Cấp phép", "kind": "office", "aliases": []},
              {"code": "D", "name": "Phòng Dữ liệu", "kind": "office", "aliases": []},
              {"code": "E", "name": "Phòng Đối ngoại", "kind": "office", "aliases": []}],
    "areas": [],
    "targets": [{"code": "CT01", "area": "thu_tuc_hanh_chinh", "text": "Chỉ tiêu CT01", "comparator": ">=",
                 "value": 96, "unit_of_measure": "%", "kind": "ratio", "stated_in": "body",
                 "responsible_units": ["A", "B", "C", "D", "E"]}],
    "tasks": [],
}


def build_five(path: Path) -> Path:
    from kpi.db import plan_store
    from kpi.plans import transcription, validate
    con = db.connect(path)
    try:
        plan_store.save(con, validate.build_bundle(transcription.to_raw(FIVE)))
    finally:
        con.close()
    return path


def report(con, unit: str, at: dt.datetime) -> str:
    return recorded(con, Submission(PLAN, unit, Q1, (TargetFigure("CT01", numerator=48, denominator=50),),
                                    submitted_by=f"Cán bộ {unit}", submitted_at=at))


@pytest.fixture
def five(tmp_path):
    con = db.connect(build_five(tmp_path / "five.duckdb"))
    yield con
    con.close()


def account(con, username: str, role: str, org_id: str | None = "nam", units=()):
    accounts.create(con, username, role, PASSWORD, actor=TEST_ACTOR, display_name=f"Người {username}",
                    org_id=org_id, units=tuple(units))
    return accounts.actor_for(con, username, "test")


# ---------------------------------------------------------------- «Tình hình báo cáo», worked by hand

def test_reporting_status_worked_by_hand(five):
    """Quý I/2023, due 20/03/2023 (the national rule: day 20 of the quarter's last month; nothing stored).
    A  Ánh sáng  first report 15/03 10:00 (Việt Nam), corrected 25/03: the first arrival counts  -> on time
    B  Bảo vệ    20/03 23:30 in Việt Nam = 20/03 16:30 UTC: the due day itself                   -> on time
    C  Cấp phép  20/03 23:00 UTC = 21/03 06:00 in Việt Nam: a day late on Việt Nam's calendar     -> late
    D  Dữ liệu   18/03, returned by the office                                                    -> returned
    E  Đối ngoại nothing                                                                           -> not yet
    received 4 of 5 = 80,0%; on time 2 of 5 = 40,0% (a returned report is not on time).
    Order: not yet (E), late (C), returned (D), on time (A before B: Vietnamese order, «Ánh» < «Bảo»)."""
    assert reporting.report_deadline(five, PLAN, Q1) == dt.date(2023, 3, 20)
    report(five, "A", dt.datetime(2023, 3, 15, 3, 0, tzinfo=UTC))    # 10:00 in Việt Nam
    report(five, "A", dt.datetime(2023, 3, 25, 3, 0, tzinfo=UTC))    # the correction, after the deadline
    report(five, "B", dt.datetime(2023, 3, 20, 16, 30, tzinfo=UTC))
    report(five, "C", dt.datetime(2023, 3, 20, 23, 0, tzinfo=UTC))
    returned = report(five, "D", dt.datetime(2023, 3, 18, 2, 0, tzinfo=UTC))
    cycle.send_back(five, returned, "Thiếu minh chứng", actor=TEST_ACTOR)

    status = reporting.reporting_status(five, scope(PLAN, "2023-Q1"))
    frame = status.frame
    assert list(frame["unit_code"]) == ["E", "C", "D", "A", "B"]
    assert list(frame["state_label"]) == ["Chưa nộp", "Nộp muộn", "Bị trả lại", "Đúng hạn", "Đúng hạn"]
    assert status.counts == {"expected": 5, "received": 4, "on_time": 2, "late": 1, "returned": 1, "missing": 1}
    assert status.completeness == pytest.approx(0.8) and status.timeliness == pytest.approx(0.4)
    assert status.summary == ("Đã nhận 4/5 báo cáo (80,0%) · đúng hạn 2/5 (40,0%) · nộp muộn 1 · bị trả lại 1 · "
                              "chưa nộp 1 · hạn nộp 20/03/2023")
    assert frame.set_index("unit_code").loc["D", "comment"] == "Thiếu minh chứng"
    assert frame.set_index("unit_code").loc["A", "submitted_at"] == "25/03/2023 10:00"  # the current one

    # D sends again: its review starts over at «Chờ duyệt»; its first report arrived on time (18/03).
    report(five, "D", dt.datetime(2023, 3, 28, 2, 0, tzinfo=UTC))
    again = reporting.reporting_status(five, scope(PLAN, "2023-Q1"))
    assert again.frame.set_index("unit_code").loc["D", "review"] == "Chờ duyệt"
    assert again.counts["returned"] == 0 and again.counts["on_time"] == 3  # 3 of 5 = 60,0%
    assert reporting.summary_line(again.frame).startswith("Đã nhận 4/5 báo cáo (80,0%) · đúng hạn 3/5 (60,0%)")


def test_the_overview_says_which_figures_it_counts(five):
    """Figures count every current report («tất cả đã nộp»); the overview says how many are approved:
    A approved, B waiting, C returned -> 1 approved, 1 waiting, 1 returned."""
    ids = {u: report(five, u, dt.datetime(2023, 3, 10, 2, 0, tzinfo=UTC)) for u in "ABC"}
    cycle.approve(five, ids["A"], actor=TEST_ACTOR)
    cycle.send_back(five, ids["C"], "Sai mẫu số", actor=TEST_ACTOR)
    view = dashboard.overview(five, scope(PLAN, "2023-Q1"))
    assert view.basis == ("Số liệu tính trên tất cả báo cáo đã nộp: 1 báo cáo đã duyệt, 1 chưa duyệt, "
                          "1 bị trả lại.")
    # on time: A, B (10/03 ≤ 20/03); returned C; missing D, E -> 3/5 = 60,0% received, 2/5 = 40,0% on time
    assert view.reporting_summary.startswith("Đã nhận 3/5 báo cáo (60,0%) · đúng hạn 2/5 (40,0%)")
    document = dashboard.overview_document(view, scope(PLAN, "2023-Q1"))["reporting"]
    assert {k: document[k] for k in ("due", "expected", "received", "on_time", "late", "returned", "missing")} == {
        "due": "2023-03-20", "expected": 5, "received": 3, "on_time": 2, "late": 0, "returned": 1, "missing": 2}
    assert document["completeness"] == pytest.approx(0.6) and document["timeliness"] == pytest.approx(0.4)
    assert (document["reports_approved"], document["reports_submitted"], document["reports_returned"]) == (1, 1, 1)
    # missing D, E; returned C; on time A, B
    assert [u["unit_code"] for u in document["units"]] == ["D", "E", "C", "A", "B"]


def test_exports_and_snapshots_carry_the_same_table(five):
    report(five, "A", dt.datetime(2023, 3, 10, 2, 0, tzinfo=UTC))
    live = export_report.build_report(five, scope=scope(PLAN, "2023-Q1"))
    # received 1 of 5 = 20,0%, on time 1 of 5 = 20,0%
    assert live.coverage.title.startswith("Tình hình báo cáo · Đã nhận 1/5 báo cáo (20,0%) · đúng hạn 1/5 (20,0%)")
    assert [row[:2] for row in live.coverage.shown()] == [
        ["Phòng Bảo vệ", "Chưa nộp"], ["Phòng Cấp phép", "Chưa nộp"], ["Phòng Dữ liệu", "Chưa nộp"],
        ["Phòng Đối ngoại", "Chưa nộp"], ["Phòng Ánh sáng", "Đúng hạn"]]
    assert live.overall["completeness"] == pytest.approx(0.2) and live.overall["timeliness"] == pytest.approx(0.2)
    shot = snapshots.create(five, scope(PLAN, "2023-Q1"), name="Họp quý I", by="Văn phòng")
    report(five, "B", dt.datetime(2023, 3, 11, 2, 0, tzinfo=UTC))  # after the snapshot: not in it
    frozen = export_report.build_report(five, snapshot_id=shot.id)
    assert frozen.coverage.title == live.coverage.title and frozen.coverage.shown() == live.coverage.shown()


# ---------------------------------------------------------------- deadlines close uploads; reopening opens one unit

def filled_template(con, tmp_path, unit: str) -> Path:
    blank = tmp_path / f"{unit}-blank.xlsx"
    blank.write_bytes(template.build(con, PLAN, unit, Q1))
    return Filled(blank, tmp_path / f"{unit}-filled.xlsx").ratio("CT01", 49, 50).save()


def test_an_upload_after_deadline_and_grace_is_refused_until_the_unit_is_reopened(five, tmp_path):
    """Due 20/03/2023 with 5 days of grace: closed from 26/03/2023 (20 + 5 + 1), so closed today."""
    office = account(five, "vanphong-nam", "van_phong")
    unit_a = account(five, "donvi-a", "don_vi", units=["A"])
    path = filled_template(five, tmp_path, "A")
    set_to = locks.set_deadline(five, PLAN, Q1, dt.date(2023, 3, 20), 5, actor=office)
    assert set_to.closes_on == dt.date(2023, 3, 26) and set_to.stored
    assert reporting.deadline_line(five, PLAN, Q1) == "Hạn nộp: 20/03/2023 (gia hạn 5 ngày, nhận đến hết 25/03/2023)"
    assert locks.refusal(five, PLAN, Q1, "A", dt.date(2023, 3, 25)) is None          # the last day of grace
    assert locks.refusal(five, PLAN, Q1, "A", dt.date(2023, 3, 26))[0] == "period_closed"

    before = fingerprint(five)
    refused = upload.submit(five, path, actor=unit_a, plan=PLAN, unit="A", period=Q1, confirmed=True)
    assert refused.status == "rejected"
    problem = refused.checked.errors[0]
    assert problem.code == "period_closed"
    assert "hạn 20/03/2023" in problem.message and "gia hạn 5 ngày" in problem.message
    assert "26/03/2023" in problem.message
    assert "Văn phòng Sở (Người vanphong-nam)" in problem.hint  # who can reopen: the organisation's office
    assert fingerprint(five) == before

    locks.reopen(five, PLAN, Q1, "A", "Đơn vị xin nộp bổ sung theo công văn 12", actor=office)
    accepted = upload.submit(five, path, actor=unit_a, plan=PLAN, unit="A", period=Q1, confirmed=True)
    assert accepted.status == "applied"
    # only A was reopened: B stays closed
    assert locks.refusal(five, PLAN, Q1, "B", dt.date(2026, 1, 1))[0] == "period_closed"
    assert locks.reopened_units(five, PLAN, Q1)[0]["reason"] == "Đơn vị xin nộp bổ sung theo công văn 12"
    trail = audit.entries(five)
    assert {"deadline_set", "period_allow", "upload_applied"} <= set(trail["action"])
    reopen_row = trail[trail["action"] == "period_allow"].iloc[0]
    assert reopen_row["actor"] == "vanphong-nam" and reopen_row["unit_code"] == "A"
    assert reopen_row["detail"]["reason"] == "Đơn vị xin nộp bổ sung theo công văn 12"
    assert not audit.verify(five)


def test_without_a_stored_deadline_nothing_closes(five):
    """The national rule still says when reports are due (on time or late) but closes nothing: years of
    earlier reports stay correctable until the office sets a deadline."""
    assert locks.deadline(five, PLAN, Q1).stored is False
    assert locks.refusal(five, PLAN, Q1, "A", dt.date(2026, 1, 1)) is None


def test_cycle_inputs_are_checked(five):
    office = account(five, "vanphong-nam", "van_phong")
    before = fingerprint(five)
    with pytest.raises(KpiError) as missing_reason:
        locks.reopen(five, PLAN, Q1, "A", "  ", actor=office)
    assert missing_reason.value.code == "reopen_reason_missing"
    with pytest.raises(KpiError) as unknown:
        locks.reopen(five, PLAN, Q1, "ZZ", "lý do", actor=office)
    assert unknown.value.code == "cycle_unit_unknown"
    with pytest.raises(KpiError) as grace:
        locks.set_deadline(five, PLAN, Q1, dt.date(2023, 3, 20), -1, actor=office)
    assert grace.value.code == "grace_days_invalid"
    with pytest.raises(KpiError) as early:
        locks.set_deadline(five, PLAN, Q1, dt.date(2022, 12, 31), 0, actor=office)
    assert early.value.code == "deadline_before_period"
    sid = report(five, "A", dt.datetime(2023, 3, 10, 2, 0, tzinfo=UTC))
    after_report = fingerprint(five)
    with pytest.raises(KpiError) as no_comment:
        cycle.send_back(five, sid, "", actor=office)
    assert no_comment.value.code == "return_comment_missing"
    report(five, "A", dt.datetime(2023, 3, 11, 2, 0, tzinfo=UTC))
    with pytest.raises(KpiError) as superseded:
        cycle.approve(five, sid, actor=office)
    assert superseded.value.code == "submission_not_current"
    with pytest.raises(KpiError) as unknown_id:
        cycle.approve(five, "khong-co", actor=office)
    assert unknown_id.value.code == "submission_unknown"
    assert before != after_report  # the reports themselves were written; nothing else was


def test_review_is_recorded_with_who_and_when(five):
    office = account(five, "vanphong-nam", "van_phong")
    sid = report(five, "A", dt.datetime(2023, 3, 10, 2, 0, tzinfo=UTC))
    cycle.send_back(five, sid, "Thiếu minh chứng", actor=office)
    rows = reporting.period_submissions(five, PLAN, Q1)
    row = rows.set_index("id").loc[sid]
    assert (row["review"], row["review_comment"], row["reviewed_by"]) == ("Bị trả lại", "Thiếu minh chứng",
                                                                          "Người vanphong-nam")
    cycle.approve(five, sid, actor=office)
    assert reporting.period_submissions(five, PLAN, Q1).set_index("id").loc[sid, "review"] == "Đã duyệt"
    actions = list(audit.entries(five)["action"])
    assert actions[:2] == ["submission_approve", "submission_return"]  # newest first


def test_lock_unlock_and_approve_take_the_actor(five):
    office = account(five, "vanphong-nam", "van_phong")
    locks.lock(five, PLAN, Q1, dt.date(2023, 4, 1), actor=office, note="theo chỉ đạo")
    assert locks.refusal(five, PLAN, Q1, "A", dt.date(2023, 4, 2))[0] == "period_locked"
    locks.unlock(five, PLAN, Q1, actor=office)
    assert locks.refusal(five, PLAN, Q1, "A", dt.date(2023, 4, 2)) is None
    locks.approve(five, PLAN, Q1, actor=office, note="họp giao ban")
    refused = locks.refusal(five, PLAN, Q1, "A", dt.date(2023, 4, 2))
    assert refused == ("period_approved", {"period": "Quý I/2023", "by": "Người vanphong-nam (họp giao ban)"})
    locks.unapprove(five, PLAN, Q1, actor=office)
    assert locks.period_state(five, PLAN, Q1)["approved"] is False
    trail = audit.entries(five)
    assert list(trail["action"][:4]) == ["period_unapprove", "period_approve", "period_unlock", "period_lock"]
    assert set(trail["actor"][:4]) == {"vanphong-nam"}


# ---------------------------------------------------------------- who may run the cycle

def _writes(sid: str):
    """Every cycle write, as (name, call taking an actor)."""
    return [
        ("deadline", lambda c, a: locks.set_deadline(c, PLAN, Q1, dt.date(2023, 3, 25), 2, actor=a)),
        ("lock", lambda c, a: locks.lock(c, PLAN, Q1, dt.date(2023, 4, 1), actor=a)),
        ("unlock", lambda c, a: locks.unlock(c, PLAN, Q1, actor=a)),
        ("approve", lambda c, a: locks.approve(c, PLAN, Q1, actor=a)),
        ("unapprove", lambda c, a: locks.unapprove(c, PLAN, Q1, actor=a)),
        ("allow", lambda c, a: locks.allow(c, PLAN, Q1, "A", actor=a)),
        ("reopen", lambda c, a: locks.reopen(c, PLAN, Q1, "A", "lý do", actor=a)),
        ("approve submission", lambda c, a: cycle.approve(c, sid, actor=a)),
        ("return submission", lambda c, a: cycle.send_back(c, sid, "ý kiến", actor=a)),
    ]


@pytest.mark.parametrize("who", ["lanh_dao", "don_vi", "van_phong of another organisation"])
def test_only_the_office_of_the_organisation_runs_the_cycle(five, who):
    role = who.split()[0]
    actor = account(five, f"tk-{role.replace('_', '')}", role,
                    org_id="khac" if "another" in who else "nam", units=["A"] if role == "don_vi" else ())
    sid = report(five, "A", dt.datetime(2023, 3, 10, 2, 0, tzinfo=UTC))
    for name, write in _writes(sid):
        before = fingerprint(five)
        refusals = int((audit.entries(five)["action"] == "refused").sum())
        with pytest.raises(Forbidden) as refused:
            write(five, actor)
        assert refused.value.code in ("forbidden_role", "forbidden_org") and refused.value.message, name
        assert fingerprint(five) == before, name
        trail = audit.entries(five)
        assert int((trail["action"] == "refused").sum()) == refusals + 1, name  # recorded
        assert trail.iloc[0]["subject"] == "cycle" and trail.iloc[0]["actor"] == actor.username
    assert not audit.verify(five)


def test_the_office_may(five):
    office = account(five, "vanphong-nam", "van_phong")
    sid = report(five, "A", dt.datetime(2023, 3, 10, 2, 0, tzinfo=UTC))
    for name, write in _writes(sid):
        write(five, office)
    assert locks.may_run(five, office, PLAN)
    assert not locks.may_run(five, None, PLAN)
