"""AppTest of "Nhật ký thao tác" (pages/audit.py) and of the office's reminder panel (pages/_reminders.py)."""
from __future__ import annotations

import io

import duckdb
import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from kpi import db
from tests.app.conftest import not_offered, account_for, frame_with, open_app
from tests.conftest import fingerprint
from tests.test_audit_trail import build_trail
from tests.test_reminders import Inbox, _free_port


@pytest.fixture
def trail_path(tmp_path):
    return build_trail(tmp_path / "trail.duckdb", tmp_path)


def test_the_office_sees_every_step_with_names_times_and_words(monkeypatch, trail_path):
    at = open_app(monkeypatch, trail_path, "pages/audit.py", role="van_phong", org_id="nho")
    assert at.title[0].value == "Nhật ký thao tác"
    table = frame_with(at, "person")
    # newest first; the office's own account was created by open_app after the trail (no plan, org nho)
    assert list(table["action"])[:3] == ["Tạo tài khoản", "Gửi nhắc báo cáo", "Nộp báo cáo"]
    reminder = table[table["action"] == "Gửi nhắc báo cáo"].iloc[0]
    assert reminder["person"] == "Nguyễn Thị Lan (van.phong)" and reminder["role"] == "Văn phòng Sở"
    assert reminder["channel"] == "Dòng lệnh" and reminder["unit"] == "Đơn vị B" and reminder["period"] == "Quý II/2023"
    assert reminder["detail"] == "loại: Báo quá hạn; kết quả: Đơn vị chưa có địa chỉ thư"
    assert len(reminder["at"]) == 16 and reminder["at"][2] == "/" and reminder["at"][13] == ":"  # dd/mm/yyyy hh:mm
    upload = table[table["action"] == "Nộp báo cáo"].iloc[0]
    assert upload["channel"] == "Trang tổng hợp" and upload["unit"] == "Phòng A" and upload["role"] == "Cán bộ đơn vị"


def test_filters_narrow_the_table(monkeypatch, trail_path):
    at = open_app(monkeypatch, trail_path, "pages/audit.py", role="van_phong", org_id="nho")
    at.selectbox(key="audit_action").set_value("account_create").run()
    assert set(frame_with(at, "person")["action"]) == {"Tạo tài khoản"}
    at.selectbox(key="audit_action").set_value(None).run()
    at.selectbox(key="audit_plan").set_value("nho-2023").run()
    assert list(frame_with(at, "person")["action"]) == ["Gửi nhắc báo cáo", "Nộp báo cáo"]
    at.selectbox(key="audit_person").set_value("don.vi.a").run()
    assert list(frame_with(at, "person")["action"]) == ["Nộp báo cáo"]


def test_the_integrity_check_says_intact(monkeypatch, trail_path):
    at = open_app(monkeypatch, trail_path, "pages/audit.py", role="van_phong", org_id="nho")
    at.button(key="audit_verify").click().run()
    assert at.success[0].value.startswith("Nhật ký nguyên vẹn")


def test_the_integrity_check_names_a_row_changed_behind_the_products_back(monkeypatch, trail_path):
    raw = duckdb.connect(str(trail_path))
    raw.execute("UPDATE audit_event SET actor = 'ai.do' WHERE seq = 5")
    raw.close()
    at = open_app(monkeypatch, trail_path, "pages/audit.py", role="van_phong", org_id="nho")
    at.button(key="audit_verify").click().run()
    assert "Dòng 5: nội dung đã bị sửa sau khi ghi." in at.error[0].value


def test_the_download_is_an_excel_workbook_of_the_filtered_table(monkeypatch, trail_path):
    at = open_app(monkeypatch, trail_path, "pages/audit.py", role="van_phong", org_id="nho")
    at.selectbox(key="audit_plan").set_value("nho-2023").run()
    button = at.get("download_button")[0]
    assert button.proto.label == "Tải bảng này (Excel)"


def test_a_unit_account_is_refused_in_vietnamese_and_nothing_is_written(monkeypatch, trail_path):
    account_for(trail_path, "don_vi", "nho", ("A",))
    con = db.connect(trail_path)
    before = fingerprint(con)
    con.close()
    at = open_app(monkeypatch, trail_path, role="don_vi", org_id="nho", units=("A",))
    assert not_offered(at, "pages/audit.py")  # not in a unit's navigation; kpi refuses reads otherwise
    con = db.connect(trail_path)
    assert fingerprint(con) == before
    con.close()


def _panel_script():
    from kpi import accounts
    from kpi.periods import parse_period
    from kpi.scope import Scope
    from pages._reminders import reminder_panel
    from pages._widgets import db_cursor
    con = db_cursor()
    reminder_panel(con, Scope("nho-2023", parse_period("2023-Q3")), accounts.actor_for(con, "van.phong", "web"))


def test_the_reminder_panel_sends_to_the_local_server_and_shows_each_address(monkeypatch, trail_path):
    from aiosmtpd.controller import Controller
    from pages._widgets import reset_connection
    reset_connection()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        for name, value in {"KPI_DATABASE": str(trail_path), "KPI_SMTP_HOST": "127.0.0.1",
                            "KPI_SMTP_PORT": str(controller.port), "KPI_SMTP_FROM": "vp@nho.gov.vn"}.items():
            monkeypatch.setenv(name, value)
        at = AppTest.from_function(_panel_script, default_timeout=60).run()
        assert not at.exception
        # Quý III/2023: neither unit has reported
        assert at.caption[0].value == "2 đơn vị chưa nộp báo cáo Quý III/2023 (hạn ngày 20/09/2023)."
        at.button(key="reminder_dry_run").click().run()
        assert inbox.received == []
        # Vietnamese order of names: «Đơn vị B» before «Phòng A»
        assert list(frame_with(at, "outcome")["outcome"]) == ["Đơn vị chưa có địa chỉ thư", "Thử, không gửi"]
        at.button(key="reminder_send").click().run()
        assert [rcpts for rcpts, _ in inbox.received] == [["a@nho.gov.vn"]]
        assert at.success[0].value == "Đã gửi 1 thư; không gửi được 0; đơn vị chưa có địa chỉ 1; thử 0."
        assert list(frame_with(at, "outcome")["outcome"]) == ["Đơn vị chưa có địa chỉ thư", "Đã gửi"]
    finally:
        controller.stop()
        reset_connection()


def test_the_reminder_panel_says_a_refused_connection_in_vietnamese(monkeypatch, trail_path):
    from pages._widgets import reset_connection
    reset_connection()
    for name, value in {"KPI_DATABASE": str(trail_path), "KPI_SMTP_HOST": "127.0.0.1",
                        "KPI_SMTP_PORT": str(_free_port())}.items():
        monkeypatch.setenv(name, value)
    try:
        at = AppTest.from_function(_panel_script, default_timeout=60).run()
        at.button(key="reminder_send").click().run()
        assert not at.exception
        assert at.warning[0].value.startswith("Có 1 thư không gửi được: không kết nối được máy chủ thư")
    finally:
        reset_connection()


def test_the_workbook_opens(trail_path):
    from kpi.presentation import audit_log
    from tests.helpers import TEST_ACTOR
    con = db.connect(trail_path)
    try:
        data = audit_log.xlsx(audit_log.readable(con, audit_log.read(con, TEST_ACTOR)))
    finally:
        con.close()
    assert openpyxl.load_workbook(io.BytesIO(data)).active.max_row == 7  # heading + 6 rows
