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
    # The banner, not the grid's «Người nộp» cells, which say «Dữ liệu minh họa» too
    expect(page.get_by_text("Dữ liệu minh họa: các số liệu trên trang này")).to_be_visible()
    expect(metric(page, "Chỉ tiêu đạt")).to_have_text(re.compile(r"^\d+/36$"))  # 39 listed, 3 restate others
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


def test_area_unit_and_compare_pages_in_the_browser(page: Page, dashboard, screenshots):
    for path, heading, name in [
        ("linh-vuc?org=syt-dong-nai&year=2023&period=2023-9M&area=cong_vu", "Lĩnh vực", "linh-vuc-cong-vu"),
        ("don-vi?org=syt-dong-nai&year=2023&period=2023-9M&unit=VPS", "Đơn vị", "don-vi-vps"),
        ("so-sanh?org=syt-thanh-hoa&year=2021&period=2021-9M", "So sánh", "so-sanh-thanh-hoa"),
    ]:
        page.goto(f"{dashboard['url']}/{path}")
        script_done(page)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        expect(page.get_by_text(re.compile(r"Mức đạt: \d{1,3},\d%|qua các năm")).first).to_be_visible()
        page.screenshot(path=screenshots / f"{name}.png", full_page=True)


@pytest.mark.signed_in_as("e2e.vp.laichau")
def test_an_upload_changes_the_overview(page: Page, dashboard, tmp_path):
    """Staff upload Q4 for Sở Y tế Lai Châu (no illustrative Q4 exists); the year view then counts it: the
    headline figure moves. Units reported stay 0/4: Văn phòng Sở's illustrative data has no Quý II, so its
    reports still do not cover the year (the coverage rule, docs/kpi.md), and the page says so."""
    import openpyxl
    page.goto(f"{dashboard['url']}/?org=syt-lai-chau&year=2021&period=2021")
    script_done(page)
    before = metric(page, "Mức đạt chung").inner_text()
    page.goto(f"{dashboard['url']}/nhap-so-lieu?org=syt-lai-chau&year=2021&period=2021")
    script_done(page)
    page.get_by_test_id("stMain").get_by_test_id("stSelectbox").filter(has_text="Nộp báo cáo cho kỳ").first.click()
    page.get_by_role("option", name="Quý IV/2021", exact=True).click()
    page.wait_for_timeout(300)
    script_done(page)
    page.get_by_test_id("stMain").get_by_test_id("stSelectbox").filter(has_text="Đơn vị báo cáo").first.click()
    page.get_by_role("option", name="Văn phòng Sở", exact=True).click()
    page.wait_for_timeout(300)
    script_done(page)
    expect(page.get_by_text("Hạn nộp: 20/12/2021").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải biểu mẫu Quý IV/2021 (.xlsx)").click()
    path = tmp_path / "q4.xlsx"
    download.value.save_as(path)
    book = openpyxl.load_workbook(path)
    sheet = book["Chỉ tiêu"]
    keys = {c.value: c.column for c in sheet[3]}
    for row in range(4, sheet.max_row + 1):
        if sheet.cell(row, keys["code"]).value and sheet.cell(row, keys["numerator"]).protection.locked is False:
            sheet.cell(row, keys["numerator"], 95)
            sheet.cell(row, keys["denominator"], 100)
            sheet.cell(row, keys["note"], "giải trình")
    book.save(path)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    expect(page.get_by_text("Tệp hợp lệ")).to_be_visible(timeout=60_000)
    script_done(page)  # no name to type: the person is the signed-in account (e2e.vp.laichau)
    page.get_by_role("button", name="Xác nhận ghi số liệu").click()
    expect(page.get_by_text("Đã ghi 1 báo cáo kỳ Quý IV/2021")).to_be_visible(timeout=60_000)
    page.goto(f"{dashboard['url']}/?org=syt-lai-chau&year=2021&period=2021")
    script_done(page)
    expect(metric(page, "Mức đạt chung")).not_to_have_text(before)
    expect(metric(page, "Đơn vị đã báo cáo")).to_have_text("0/4 (0%)")


def test_a_click_on_an_area_bar_opens_that_area_in_the_same_tab(page: Page, dashboard, screenshots):
    """The leader's way in: a bar of «Mức đạt theo lĩnh vực» is a link. The bars are drawn bottom to top, the
    plan's first area (Cải cách thể chế) at the top; its area page opens in the same tab, scope kept."""
    page.goto(f"{dashboard['url']}/?org=syt-dong-nai&year=2023&period=2023-9M")
    settle(page)
    pages_before = len(page.context.pages)
    bars = page.locator(".js-plotly-plot").first.locator("g.point path")
    expect(bars.first).to_be_visible(timeout=30_000)
    bars.last.click(force=True)  # the last drawn bar is the top one: the plan's first area
    page.wait_for_url(re.compile(r"/linh-vuc\?.*area="), timeout=60_000)
    script_done(page)
    expect(page.get_by_role("heading", name="Lĩnh vực", exact=True)).to_be_visible()
    assert "org=syt-dong-nai" in page.url and "period=2023-9M" in page.url
    assert len(page.context.pages) == pages_before  # no new tab
    page.screenshot(path=screenshots / "bam-cot-linh-vuc.png", full_page=True)



def test_a_click_on_a_heatmap_cell_opens_that_unit_in_that_area_in_the_same_tab(page: Page, dashboard, screenshots):
    """«Đơn vị × lĩnh vực» is a grid of scatter points (Streamlit 1.67 reports no click on a plotly heatmap). Sở Y
    tế Đồng Nai, 9 tháng 2023: areas down the side in the plan's order, units across the top in Vietnamese order
    (Chi cục An toàn vệ sinh thực phẩm, Phòng Kế hoạch - Tài chính, Văn phòng Sở); one point per cell, row by row.
    Point 6 = row 2 (Cải cách thủ tục hành chính, the plan's third area) × column 0 (the Chi cục): 2 × 3 + 0."""
    page.goto(f"{dashboard['url']}/?org=syt-dong-nai&year=2023&period=2023-9M")
    settle(page)
    pages_before = len(page.context.pages)
    heatmap = page.locator(".js-plotly-plot").nth(2)
    cells = heatmap.locator("g.points path.point")
    expect(cells).to_have_count(7 * 3, timeout=30_000)
    cells.nth(6).click(force=True)
    page.wait_for_url(re.compile(r"/don-vi\?.*unit=ATVSTP"), timeout=60_000)
    script_done(page)
    expect(page.get_by_role("heading", name="Đơn vị", exact=True)).to_be_visible()
    assert "area=thu_tuc_hanh_chinh" in page.url and "org=syt-dong-nai" in page.url and "period=2023-9M" in page.url
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("combobox", name="Đơn vị")).to_have_value("Chi cục An toàn vệ sinh thực phẩm")
    expect(main.get_by_role("combobox", name="Lĩnh vực")).to_have_value("Cải cách thủ tục hành chính")
    assert len(page.context.pages) == pages_before  # no new tab
    page.screenshot(path=screenshots / "bam-o-don-vi-linh-vuc.png")


def test_a_click_on_a_trend_point_selects_that_period(page: Page, dashboard):
    """The trend of 9 tháng 2023 has three year-to-date points: Quý I, 6 tháng đầu năm, 9 tháng. A click on the
    first one makes Quý I/2023 the sidebar's period, and the URL's."""
    page.goto(f"{dashboard['url']}/?org=syt-dong-nai&year=2023&period=2023-9M")
    settle(page)
    points = page.locator(".js-plotly-plot").nth(1).locator("g.points path.point")
    expect(points).to_have_count(3, timeout=30_000)
    points.first.click(force=True)
    page.wait_for_url(re.compile(r"period=2023-Q1"), timeout=60_000)
    settle(page)
    expect(page.get_by_test_id("stSidebar").get_by_role("combobox", name="Kỳ báo cáo")).to_have_value("Quý I/2023")
    expect(page.get_by_text("Quý I/2023").first).to_be_visible()
