"""Signing in with a password in a real Chromium: the form, the HttpOnly cookie, two people side by side,
signing out, and a cookie that no longer opens a session."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import script_idle, sign_in

pytestmark = pytest.mark.browser

UPLOAD = "/nhap-so-lieu?org=syt-thanh-hoa&year=2021"


def _context(browser, browser_context_args):
    return browser.new_context(**browser_context_args)


def _unit_choices(page) -> list[str]:
    page.get_by_test_id("stMain").get_by_test_id("stSelectbox").filter(has_text="Đơn vị báo cáo").first.click()
    options = [o.inner_text() for o in page.get_by_role("option").all()]
    page.keyboard.press("Escape")
    return options


def test_two_people_signed_in_side_by_side_see_only_their_own(browser, browser_context_args, dashboard,
                                                               screenshots):
    office_context, unit_context = _context(browser, browser_context_args), _context(browser, browser_context_args)
    try:
        office, unit = office_context.new_page(), unit_context.new_page()
        sign_in(office, dashboard["url"], "demo.vanphong")
        sign_in(unit, dashboard["url"], "demo.donvi")
        for page in (office, unit):
            page.goto(dashboard["url"] + UPLOAD)
            script_idle(page)
            expect(page.get_by_role("heading", name="Nhập số liệu")).to_be_visible(timeout=60_000)
        expect(office.get_by_text("Đang đăng nhập: Văn phòng Sở (minh họa) · Văn phòng Sở")).to_be_visible()
        expect(unit.get_by_text("Đang đăng nhập: Cán bộ đơn vị VPS (minh họa) · Cán bộ đơn vị")).to_be_visible()
        office.screenshot(path=str(screenshots / "dang-nhap-van-phong.png"), full_page=True)
        unit.screenshot(path=str(screenshots / "dang-nhap-don-vi.png"), full_page=True)
        office_units, unit_units = _unit_choices(office), _unit_choices(unit)
        assert unit_units == ["Văn phòng Sở"]  # only its own unit
        assert "Văn phòng Sở" in office_units and len(office_units) > 2  # every unit of the plan, and "all units"
        # the navigation: the accounts page for the office only
        assert office.get_by_test_id("stSidebarNav").get_by_text("Tài khoản", exact=True).count() == 1
        assert unit.get_by_test_id("stSidebarNav").get_by_text("Tài khoản", exact=True).count() == 0
        # the session cookie is HttpOnly: no script on the page can read it
        assert "cchc_phien" not in office.evaluate("document.cookie")
        cookie = next(c for c in office_context.cookies() if c["name"] == "cchc_phien")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    finally:
        office_context.close()
        unit_context.close()


def test_a_wrong_password_is_refused_without_echoing_it(browser, browser_context_args, dashboard, screenshots):
    context = _context(browser, browser_context_args)
    try:
        page = context.new_page()
        page.goto(dashboard["url"])
        script_idle(page)
        page.fill('input[name="username"]', "demo.lanhdao")
        page.fill('input[name="password"]', "khong-phai-mat-khau")
        with page.expect_navigation():
            page.click('form.cchc-sign-in button[type="submit"]')
        script_idle(page)
        expect(page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng")).to_be_visible(timeout=30_000)
        assert "khong-phai-mat-khau" not in page.url and "demo.lanhdao" not in page.url
        assert not [c for c in context.cookies() if c["name"] == "cchc_phien"]
        page.screenshot(path=str(screenshots / "dang-nhap-sai.png"), full_page=True)
    finally:
        context.close()


def test_signing_out_ends_the_session_and_an_old_or_forged_cookie_opens_nothing(browser, browser_context_args,
                                                                                dashboard, screenshots):
    context = _context(browser, browser_context_args)
    try:
        page = context.new_page()
        sign_in(page, dashboard["url"], "demo.lanhdao")
        old = next(c for c in context.cookies() if c["name"] == "cchc_phien")
        with page.expect_navigation():
            page.locator("button.cchc-sign-out").click()
        script_idle(page)
        expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible(timeout=30_000)
        assert not [c for c in context.cookies() if c["name"] == "cchc_phien"]
        # the signed-out session's cookie, put back: the sign-in view again, saying the session has ended
        context.add_cookies([old])
        page.goto(dashboard["url"] + "/?org=syt-thanh-hoa")
        script_idle(page)
        expect(page.get_by_text("Phiên làm việc đã hết hạn hoặc đã kết thúc")).to_be_visible(timeout=30_000)
        expect(page.locator('input[name="password"]')).to_be_visible()
        assert page.get_by_text("Đang đăng nhập:").count() == 0
        page.screenshot(path=str(screenshots / "phien-da-ket-thuc.png"), full_page=True)
        # a forged cookie (the signature changed): refused before the database is asked
        context.add_cookies([{**old, "value": old["value"][:-4] + "AAAA"}])
        page.goto(dashboard["url"])
        script_idle(page)
        expect(page.locator('input[name="password"]')).to_be_visible(timeout=30_000)
        assert page.get_by_text("Đang đăng nhập:").count() == 0
    finally:
        context.close()


def test_changing_my_password_signs_me_out_and_the_new_one_works(browser, browser_context_args, dashboard,
                                                                  screenshots):
    from tests.e2e.conftest import E2E_PASSWORD
    new = "mat-khau-moi-cua-toi-2026"
    context = _context(browser, browser_context_args)
    try:
        page = context.new_page()
        sign_in(page, dashboard["url"], "e2e.doi.matkhau")
        page.goto(dashboard["url"] + "/tai-khoan-cua-toi")
        script_idle(page)
        page.get_by_label("Mật khẩu hiện tại").fill(E2E_PASSWORD)
        page.get_by_label("Mật khẩu mới", exact=True).fill(new)
        page.get_by_label("Nhập lại mật khẩu mới").fill(new)
        page.get_by_role("button", name="Đổi mật khẩu").click()
        expect(page.get_by_text("Đã đổi mật khẩu.")).to_be_visible(timeout=30_000)
        page.screenshot(path=str(screenshots / "doi-mat-khau.png"), full_page=True)
        page.goto(dashboard["url"])  # every session ended, this one too
        script_idle(page)
        expect(page.get_by_text("Phiên làm việc đã hết hạn hoặc đã kết thúc")).to_be_visible(timeout=30_000)
        sign_in(page, dashboard["url"], "e2e.doi.matkhau", new)
    finally:
        context.close()


@pytest.mark.parametrize("username, heading, sees_cycle", [
    ("demo.lanhdao", "Tổng quan", False), ("demo.vanphong", "Tổng quan", True),
    ("demo.donvi", "Tổng quan", False), ("demo.quantri", "Tổng quan", False)])
def test_each_roles_overview_in_a_browser(browser, browser_context_args, dashboard, screenshots, username, heading,
                                          sees_cycle):
    """Each role's overview as it signs in (screenshots for the closing note): «Tình hình báo cáo» first, and the
    office's own page in the menu only for the office."""
    context = _context(browser, browser_context_args)
    try:
        page = context.new_page()
        sign_in(page, dashboard["url"], username)
        page.goto(dashboard["url"] + "/?org=syt-thanh-hoa&year=2021")
        script_idle(page)
        expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=60_000)
        expect(page.get_by_text("Tình hình báo cáo").first).to_be_visible()
        menu = page.get_by_test_id("stSidebarNav")
        assert (menu.get_by_text("Điều hành kỳ báo cáo").count() > 0) is sees_cycle
        page.screenshot(path=str(screenshots / f"tong-quan-{username.split('.')[1]}.png"), full_page=True)
    finally:
        context.close()
