"""Leadership's first look: the overview in a real Chromium, with the illustrative data of `make run`."""
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_browser_plan import metric, settle

pytestmark = pytest.mark.browser


def test_overview_draws_figures_charts_and_the_banner(page: Page, dashboard, screenshots):
    page.goto(f"{dashboard['url']}/?org=syt-dong-nai&year=2023&period=2023-9M")
    settle(page)
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()
    expect(page.get_by_text("Dữ liệu minh họa")).to_be_visible()
    expect(metric(page, "Chỉ tiêu đạt")).to_have_text(re.compile(r"^\d+/39$"))
    expect(metric(page, "Mức đạt chung")).to_have_text(re.compile(r"^\d{1,3},\d%$"))
    expect(page.locator(".js-plotly-plot")).to_have_count(3, timeout=30_000)
    expect(page.get_by_text("Cải cách thủ tục hành chính").first).to_be_visible()
    page.set_viewport_size({"width": 1366, "height": 2200})
    page.wait_for_timeout(500)
    page.screenshot(path=screenshots / "tong-quan-dong-nai-2023-9-thang.png", full_page=True)


def test_the_chosen_period_changes_the_figures(page: Page, dashboard):
    page.goto(f"{dashboard['url']}/?org=syt-dong-nai&year=2023&period=2023-Q1")
    settle(page)
    expect(page.get_by_text("Quý I/2023").first).to_be_visible()
    page.goto(f"{dashboard['url']}/?org=syt-dong-nai&year=2023&period=2023-9M")
    settle(page)
    expect(page.get_by_text("9 tháng năm 2023").first).to_be_visible()
    expect(metric(page, "Mức đạt chung")).to_have_text(re.compile(r"^\d{1,3},\d%$"))


def script_done(page: Page) -> None:
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)


def test_tasks_and_target_pages_in_the_browser(page: Page, dashboard, screenshots):
    page.goto(f"{dashboard['url']}/nhiem-vu?org=syt-thanh-hoa&year=2021&period=2021-9M")
    script_done(page)
    expect(page.get_by_role("heading", name="Nhiệm vụ", exact=True)).to_be_visible()
    expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=30_000)
    expect(page.get_by_text("Quá hạn").first).to_be_visible()
    page.set_viewport_size({"width": 1366, "height": 1800})
    page.screenshot(path=screenshots / "nhiem-vu-thanh-hoa-2021-9-thang.png", full_page=True)
    page.goto(f"{dashboard['url']}/chi-tieu?org=syt-dong-nai&year=2023&period=2023-H1&target=CT18")
    script_done(page)
    expect(page.get_by_text("Thân kế hoạch và phụ lục nêu khác nhau")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Thực hiện: \d{1,3},\d%"))).to_be_visible()
    page.screenshot(path=screenshots / "chi-tieu-dong-nai-ct18.png", full_page=True)
