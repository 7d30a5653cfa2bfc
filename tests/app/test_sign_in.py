"""Signing in on the dashboard, and the pages reflecting the signed-in role (kpi/access.py decides).

AppTest signs in through the identity provider's path (at.user, tests/app/conftest.py); the password form and
its cookie are driven for real in tests/test_web_session.py and tests/e2e/test_browser_sign_in.py."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from kpi.access import Forbidden
from kpi import accounts, db
from kpi.cycle import demo
from tests.app.conftest import APP, PASSWORD, open_app
from tests.conftest import fingerprint
from tests.helpers import TEST_ACTOR


def _texts(at) -> str:
    return "\n".join(str(e.value) for kind in ("title", "subheader", "markdown", "caption", "text", "info", "error")
                     for e in getattr(at, kind))


def test_without_identity_only_the_sign_in_view(monkeypatch, seeded_db_path):
    at = open_app(monkeypatch, seeded_db_path, signed_in=False, org="syt-thanh-hoa")
    assert at.title[0].value == "Theo dõi kế hoạch cải cách hành chính"
    assert at.subheader[0].value == "Đăng nhập"
    assert not at.sidebar.selectbox and not at.metric and not at.dataframe  # no scope, no figures
    form = at.get("html")[0].proto.body
    assert 'action="/dang-nhap"' in form and 'name="password"' in form and 'type="password"' in form
    assert "Tài khoản minh họa" not in _texts(at)  # no demo data in this database


def test_a_refused_sign_in_is_explained_without_echoing_what_was_typed(monkeypatch, seeded_db_path):
    at = open_app(monkeypatch, seeded_db_path, signed_in=False, dang_nhap="sign_in_failed")
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in at.error[0].value
    at = open_app(monkeypatch, seeded_db_path, signed_in=False, dang_nhap="<b>anything</b>")
    assert not at.error and "anything" not in _texts(at)  # an unknown code is ignored, never shown


def test_demo_accounts_are_listed_only_while_demo_data_is_loaded(monkeypatch, seeded_db_path):
    con = db.connect(seeded_db_path)
    try:
        demo.load(con)
        demo.load_accounts(con, TEST_ACTOR)
    finally:
        con.close()
    at = open_app(monkeypatch, seeded_db_path, signed_in=False)
    shown = _texts(at)
    assert "Tài khoản minh họa" in shown and demo.DEMO_PASSWORD in shown
    assert "demo.lanhdao — Lãnh đạo Sở" in shown and "demo.donvi — Cán bộ đơn vị (VPS)" in shown
    con = db.connect(seeded_db_path)
    try:
        demo.remove_accounts(con, TEST_ACTOR)
        demo.remove(con)
        assert accounts.find(con, "demo.vanphong") is None
    finally:
        con.close()
    assert "Tài khoản minh họa" not in _texts(open_app(monkeypatch, seeded_db_path, signed_in=False))


def test_a_leader_never_sees_another_organisation_even_by_link(monkeypatch, seeded_db_path):
    at = open_app(monkeypatch, seeded_db_path, role="lanh_dao", org_id="syt-lai-chau", org="syt-thanh-hoa")
    value, options = at.sidebar_state["org_id"]
    assert options == ["Sở Y tế Lai Châu"] and value == "syt-lai-chau"
    assert at.query_params["org"] == "syt-lai-chau"  # the link is corrected to what is shown
    assert at.session_state["scope"].plan_id == "syt-lai-chau-2021"


def test_the_navigation_offers_only_what_the_role_can_use(monkeypatch, seeded_db_path):
    """switch_page only finds the pages this run's st.navigation registered."""
    for role, org_id, units, upload, manage in (("lanh_dao", "syt-thanh-hoa", (), False, False),
                                                ("admin", None, (), False, True),
                                                ("van_phong", "syt-thanh-hoa", (), True, True),
                                                ("don_vi", "syt-thanh-hoa", ("VPS",), True, False)):
        at = open_app(monkeypatch, seeded_db_path, role=role, org_id=org_id, units=units)
        for script, offered in (("pages/upload.py", upload), ("pages/accounts.py", manage)):
            if offered:
                at.switch_page(script).run()
                assert not at.exception, (role, script)
            else:
                with pytest.raises(ValueError, match="Could not find a navigation page"):
                    at.switch_page(script)


def test_a_unit_account_is_offered_only_its_own_units(monkeypatch, seeded_db_path):
    at = open_app(monkeypatch, seeded_db_path, "pages/upload.py", role="don_vi", org_id="syt-thanh-hoa",
                  units=("VPS",), org="syt-thanh-hoa", year="2021")
    assert at.selectbox(key="upload_unit").options == ["Văn phòng Sở"]  # not the other units, not "all units"
    assert at.selectbox(key="upload_unit").value == "VPS"


def test_a_name_with_markup_is_shown_as_text(monkeypatch, seeded_db_path):
    name = "<script>alert('x')</script> **đậm** [liên kết](https://evil.example)"
    con = db.connect(seeded_db_path)
    try:
        accounts.create(con, "nguoi.la", "lanh_dao", PASSWORD, actor=TEST_ACTOR, display_name=name,
                        org_id="syt-thanh-hoa", email="nguoi.la@kiemthu.vn")
    finally:
        con.close()
    monkeypatch.setenv("KPI_DATABASE", str(seeded_db_path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = {"is_logged_in": True, "email": "nguoi.la@kiemthu.vn"}
    at.run()
    assert not at.exception
    shown = [t.value for t in at.sidebar.text]
    assert f"Đang đăng nhập: {name} · Lãnh đạo Sở" in shown  # st.text: exactly as typed, nothing interpreted
    assert not any("<script" in str(m.value) for m in at.markdown)
    assert not any("<script" in h.proto.body for h in at.get("html"))


def test_an_office_creates_and_disables_an_account_of_its_organisation(monkeypatch, seeded_db_path):
    at = open_app(monkeypatch, seeded_db_path, "pages/accounts.py", role="van_phong", org_id="syt-thanh-hoa",
                  org="syt-thanh-hoa")
    assert [r for r in at.selectbox(key="new_role").options] == ["Văn phòng Sở", "Lãnh đạo Sở", "Cán bộ đơn vị"]
    at.text_input(key="new_username").set_value("can.bo.vps")
    at.text_input(key="new_display_name").set_value("Cán bộ VPS")
    at.selectbox(key="new_role").set_value("don_vi")
    at.multiselect(key="new_units").set_value(["VPS"])
    at.text_input(key="new_password").set_value("mot-mat-khau-du-dai")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception and "Đã tạo tài khoản can.bo.vps (Cán bộ đơn vị)" in at.success[0].value
    con = db.connect(seeded_db_path)
    try:
        made = accounts.find(con, "can.bo.vps")
        assert made.org_id == "syt-thanh-hoa" and made.units == ("VPS",) and not made.disabled
    finally:
        con.close()
    at.run()  # the list, read before the form was sent, now holds the new account
    at.selectbox(key="account_choice").set_value("can.bo.vps").run()
    at.button(key="account_toggle").click().run()
    assert "Đã khóa tài khoản can.bo.vps" in at.success[-1].value
    con = db.connect(seeded_db_path)
    try:
        assert accounts.find(con, "can.bo.vps").disabled
    finally:
        con.close()


def test_an_office_cannot_create_an_administrator(monkeypatch, seeded_db_path):
    at = open_app(monkeypatch, seeded_db_path, "pages/accounts.py", role="van_phong", org_id="syt-thanh-hoa",
                  org="syt-thanh-hoa")
    assert "Quản trị" not in at.selectbox(key="new_role").options  # not offered; kpi refuses it anyway:
    con = db.connect(seeded_db_path)
    try:
        before = fingerprint(con)
        office = accounts.actor_for(con, "tk-vanphong-syt-thanh-hoa", "web")
        with pytest.raises(Forbidden):
            accounts.create(con, "quan.tri.moi", "admin", "mot-mat-khau-du-dai", actor=office)
        assert fingerprint(con) == before
    finally:
        con.close()


def test_changing_my_password_ends_every_session(monkeypatch, seeded_db_path):
    at = open_app(monkeypatch, seeded_db_path, "pages/my_account.py", role="lanh_dao", org_id="syt-thanh-hoa")
    con = db.connect(seeded_db_path)
    try:
        _, token = accounts.sign_in(con, "tk-lanhdao-syt-thanh-hoa", PASSWORD)
    finally:
        con.close()
    # the provider's sign-in (at.user) has no password here: the page says so; a password account changes it
    assert "hệ thống định danh" in at.info[0].value
    con = db.connect(seeded_db_path)
    try:
        accounts.change_password(con, "tk-lanhdao-syt-thanh-hoa", PASSWORD, "mat-khau-moi-du-dai")
        assert accounts.session_account(con, token) is None
    finally:
        con.close()
