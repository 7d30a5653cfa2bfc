"""AppTest of «Tình hình báo cáo» and «Điều hành kỳ báo cáo» on the small hand-worked plan (tests/app/conftest.py):
org "nho", units A (Phòng A) and B (Đơn vị B), both reported for Quý I/2023 when the test database was built
(today), long after the national deadline 20/03/2023."""
import datetime as dt

from kpi import audit, db
from kpi.cycle import locks, reporting
from kpi.periods import parse_period
from tests.app.conftest import not_offered, SMALL_PLAN, account_for, build_small, frame_with, open_app
from tests.conftest import fingerprint

Q1 = parse_period("2023-Q1")
WHERE = {"org": "nho", "year": "2023", "period": "2023-Q1"}


def file_fingerprint(path):
    """The database's fingerprint through the product's own connection (AppTest holds the file in this process)."""
    con = db.connect(path)
    try:
        return fingerprint(con)
    finally:
        con.close()


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_reporting_page_lists_late_units_first_with_both_rates(monkeypatch, tmp_path):
    """Both units reported today, after 20/03/2023: 2 of 2 received = 100,0%, 0 of 2 on time = 0,0%;
    both late, in Vietnamese order (Đơn vị B before Phòng A)."""
    at = open_app(monkeypatch, build_small(tmp_path / "small.duckdb"), "pages/reporting.py", role="lanh_dao",
                  org_id="nho", **WHERE)
    assert at.title[0].value == "Tình hình báo cáo"
    assert any(m.value.startswith("Đã nhận 2/2 báo cáo (100,0%) · đúng hạn 0/2 (0,0%) · nộp muộn 2")
               for m in at.markdown)
    table = frame_with(at, "state_label")
    assert list(table["unit"]) == ["Đơn vị B", "Phòng A"]
    assert list(table["state_label"]) == ["Nộp muộn", "Nộp muộn"] and list(table["review"]) == ["Chờ duyệt"] * 2


def test_overview_shows_the_reporting_status_first(monkeypatch, tmp_path):
    at = open_app(monkeypatch, build_small(tmp_path / "small.duckdb"), role="lanh_dao", org_id="nho", **WHERE)
    assert at.subheader[0].value == "Tình hình báo cáo"  # above the charts
    assert "Tình hình nộp báo cáo kỳ này" not in [h.value for h in at.subheader]  # the old table at the bottom: gone
    assert "Số liệu tính trên tất cả báo cáo đã nộp: 0 báo cáo đã duyệt, 2 chưa duyệt, 0 bị trả lại." in \
        [c.value for c in at.caption]


def test_cycle_page_refuses_roles_without_the_cycle_permission(monkeypatch, tmp_path):
    path = build_small(tmp_path / "small.duckdb")
    for role, units in (("lanh_dao", ()), ("don_vi", ("A",))):
        account_for(path, role, "nho", units)  # the account first: the fingerprint is of what the page does
        before = file_fingerprint(path)
        at = open_app(monkeypatch, path, role=role, org_id="nho", units=units, **WHERE)
        assert not_offered(at, "pages/cycle.py")  # not in the navigation of leadership or a unit
        assert file_fingerprint(path) == before


def test_cycle_page_refuses_the_office_of_another_organisation(monkeypatch, tmp_path):
    """The office of «khac» has the page, but no plan of «nho» to run: nothing to choose, no control."""
    at = open_app(monkeypatch, build_small(tmp_path / "small.duckdb"), "pages/cycle.py", role="van_phong",
                  org_id="khac", **WHERE)
    assert not at.exception
    assert not at.main.button and not at.main.date_input and not at.main.selectbox  # the sidebar keeps «Đăng xuất»
    assert "Chưa có kế hoạch nào" in at.info[0].value


def test_the_office_runs_the_period_from_the_page(monkeypatch, tmp_path):
    path = build_small(tmp_path / "small.duckdb")
    at = open_app(monkeypatch, path, "pages/cycle.py", role="van_phong", org_id="nho", **WHERE)
    assert not at.error
    assert at.selectbox(key="cycle_period").value == "2023-Q1"
    assert "hạn nộp 20/03/2023 (theo quy định chung" in at.info[0].value
    assert "Gửi nhắc báo cáo" in [h.value for h in at.subheader]  # the reminder panel ends the page
    assert {"reminder_send", "reminder_dry_run"} <= {b.key for b in at.button}

    # deadline 25/03/2023 with 3 days of grace: closed from 29/03/2023 (25 + 3 + 1)
    at.date_input(key="cycle_due").set_value(dt.date(2023, 3, 25))
    at.number_input(key="cycle_grace").set_value(3)
    button(at, "Lưu hạn nộp").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "Đã lưu hạn nộp 25/03/2023 (gia hạn 3 ngày)."
    assert "đã hết hạn, đóng từ 29/03/2023" in at.info[0].value

    at.selectbox(key="cycle_reopen_unit").set_value("A")
    at.text_input(key="cycle_reopen_reason").set_value("Xin nộp bổ sung")
    button(at, "Mở lại cho đơn vị").click().run()
    assert at.success[0].value == "Đã mở lại kỳ cho Phòng A."

    # Return Đơn vị B's report (listed first: Vietnamese order) with a comment, then approve Phòng A's.
    submissions = frame_with(at, "review_comment")
    assert list(submissions["unit"]) == ["Đơn vị B", "Phòng A"]
    choices = at.selectbox(key="cycle_submission").options
    at.text_area(key="cycle_comment").set_value("Thiếu minh chứng CT03")
    button(at, "Trả lại kèm ý kiến").click().run()
    assert at.success[0].value == "Đã trả lại báo cáo của Đơn vị B."
    box = at.selectbox(key="cycle_submission")
    box.select_index(1).run()
    button(at, "Duyệt báo cáo").click().run()
    assert at.success[0].value == "Đã duyệt báo cáo của Phòng A."
    assert len(choices) == 2

    button(at, "Phê duyệt số liệu kỳ").click().run()
    assert at.success[0].value == "Đã phê duyệt số liệu kỳ Quý I/2023."
    assert "đã phê duyệt (Người van_phong)" in at.info[0].value

    con = db.connect(path)
    try:
        deadline = locks.deadline(con, SMALL_PLAN, Q1)
        assert (deadline.due, deadline.grace_days) == (dt.date(2023, 3, 25), 3)
        assert locks.reopened_units(con, SMALL_PLAN, Q1)[0]["reason"] == "Xin nộp bổ sung"
        reviews = reporting.period_submissions(con, SMALL_PLAN, Q1).set_index("unit")
        assert reviews.loc["Đơn vị B", "review"] == "Bị trả lại"
        assert reviews.loc["Đơn vị B", "review_comment"] == "Thiếu minh chứng CT03"
        assert reviews.loc["Phòng A", "review"] == "Đã duyệt"
        trail = audit.entries(con)
        assert list(trail["action"][:5]) == ["period_approve", "submission_approve", "submission_return",
                                             "period_allow", "deadline_set"]
        assert set(trail["channel"][:5]) == {"web"}
        assert not audit.verify(con)
    finally:
        con.close()


def test_a_refused_write_on_the_page_shows_the_reason(monkeypatch, tmp_path):
    """Reopening without a reason: the page shows kpi's Vietnamese message, nothing is written."""
    path = build_small(tmp_path / "small.duckdb")
    at = open_app(monkeypatch, path, "pages/cycle.py", role="van_phong", org_id="nho", **WHERE)
    before = file_fingerprint(path)
    button(at, "Mở lại cho đơn vị").click().run()
    assert "Chưa ghi lý do mở lại kỳ" in at.error[0].value
    assert file_fingerprint(path) == before
