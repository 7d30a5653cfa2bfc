"""The "Kế hoạch" page in a real headless Chromium against a real server."""
import re

import openpyxl
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def settle(page: Page) -> None:
    """Wait until Streamlit has finished the script run (never a fixed sleep)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=60_000)


def metric(page: Page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).first.get_by_test_id("stMetricValue")


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_timeout(200)  # let the rerun start before waiting for it to end
    settle(page)


def test_plan_page_shows_the_bundled_plans(page: Page, dashboard, screenshots):
    page.goto(f"{dashboard['url']}/ke-hoach")
    settle(page)
    expect(page.get_by_role("heading", name="Kế hoạch")).to_be_visible()
    expect(metric(page, "Chỉ tiêu")).to_have_text("23")
    expect(metric(page, "Nhiệm vụ")).to_have_text("46")
    page.screenshot(path=screenshots / "ke-hoach-so-cong-thuong-2021.png", full_page=True)

    choose(page, "Cơ quan", "Sở Y tế Đồng Nai")
    expect(metric(page, "Chỉ tiêu")).to_have_text("39")
    expect(metric(page, "Mâu thuẫn chưa xử lý")).to_have_text("7")
    expect(page.get_by_text("thân văn bản và phụ lục nêu khác nhau")).to_be_visible()
    assert re.search(r"org=syt-dong-nai", page.url) and "year=2023" in page.url
    page.screenshot(path=screenshots / "ke-hoach-dong-nai-2023.png", full_page=True)

    page.get_by_role("tab", name=re.compile("Nhiệm vụ")).click()
    page.screenshot(path=screenshots / "ke-hoach-dong-nai-2023-nhiem-vu.png", full_page=True)
    page.get_by_role("tab", name=re.compile("Mâu thuẫn")).click()
    page.screenshot(path=screenshots / "ke-hoach-dong-nai-2023-mau-thuan.png", full_page=True)


def test_choosing_a_year_in_the_sidebar_and_reopening_the_link(page: Page, dashboard, screenshots, context):
    page.goto(f"{dashboard['url']}/ke-hoach?org=syt-thanh-hoa&year=2022")
    settle(page)
    expect(metric(page, "Nhiệm vụ")).to_have_text("34")
    choose(page, "Năm", "2021")
    expect(metric(page, "Nhiệm vụ")).to_have_text("32")
    assert "year=2021" in page.url
    copied = page.url
    other = context.new_page()
    other.goto(copied)
    settle(other)
    expect(metric(other, "Nhiệm vụ")).to_have_text("32")
    other.screenshot(path=screenshots / "ke-hoach-thanh-hoa-2021.png", full_page=True)


def test_search_narrows_the_targets(page: Page, dashboard):
    page.goto(f"{dashboard['url']}/ke-hoach?org=syt-thanh-hoa&year=2021")
    settle(page)
    box = page.get_by_role("textbox", name="Tìm kiếm")
    box.fill("ky so")
    box.press("Enter")
    page.wait_for_timeout(200)
    settle(page)
    expect(page.get_by_role("tab", name="Chỉ tiêu (1)")).to_be_visible()


def test_download_the_plan_workbook(page: Page, dashboard, tmp_path):
    page.goto(f"{dashboard['url']}/ke-hoach?org=syt-lai-chau&year=2021")
    settle(page)
    expect(metric(page, "Kinh phí (triệu đồng)")).to_have_text("4.015")
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải sổ kế hoạch (.xlsx)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    book = openpyxl.load_workbook(path, read_only=True)
    assert {"Kế hoạch", "Đơn vị", "Lĩnh vực", "Chỉ tiêu", "Nhiệm vụ"} <= set(book.sheetnames)
    assert path.name == "syt-lai-chau-2021.xlsx"
