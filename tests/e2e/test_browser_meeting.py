"""A meeting preparer in a real Chromium: freeze the quarter, look at it, download the PDF and the workbook,
and find in them the number shown on screen."""
import subprocess
import zipfile

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from tests.e2e.test_browser_upload import settle_upload as settle, show

pytestmark = pytest.mark.browser


def _export(page: Page, make: str, download_label: str, folder):
    """Press the make button, wait for its download button, download: the saved file's path."""
    page.get_by_role("button", name=make).click()
    settle(page)
    button = page.get_by_role("button", name=download_label)
    expect(button).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        button.click()
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    return path


@pytest.mark.signed_in_as("e2e.vp.dongnai")
def test_freeze_the_quarter_and_export(page: Page, dashboard, screenshots, tmp_path):
    page.goto(dashboard["url"])
    settle(page)
    page.goto(f"{dashboard['url']}/bao-cao-hop?org=syt-dong-nai&year=2023&period=2023-Q3")
    settle(page)
    if page.get_by_text("Page not found").is_visible():  # upstream modal over a deep link, see conftest
        page.get_by_role("button", name="Close").click()
    expect(page.get_by_role("heading", name="Báo cáo họp")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Kế hoạch này chưa có ảnh chụp nào.")).to_be_visible()
    page.get_by_role("textbox", name="Người tạo").fill("Nguyễn Văn A, Văn phòng Sở")
    page.get_by_role("button", name="Chụp và đóng băng số liệu").click()
    settle(page)
    expect(page.get_by_text("Đã tạo ảnh chụp")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Đang xem ẢNH CHỤP «Họp giao ban Quý III/2023»")).to_be_visible()
    shown = page.get_by_test_id("stMetricValue").first.inner_text().strip()
    assert shown.endswith("%") and "," in shown  # Vietnamese format, e.g. 93,7%
    show(page, "Đang xem ẢNH CHỤP")
    page.screenshot(path=screenshots / "bao-cao-hop-anh-chup.png", full_page=True)

    page.get_by_role("tab", name="Xuất báo cáo").click()
    pdf = _export(page, "Tạo PDF (A4)", "Tải tệp PDF", tmp_path)
    assert pdf.name == "bao-cao-cchc_syt-dong-nai-2023_2023-Q3_anh-chup-1.pdf"
    words = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert shown in words and "Quý III/2023" in words and "Sở Y tế" in words

    xlsx = _export(page, "Tạo Excel", "Tải tệp XLSX", tmp_path)
    with zipfile.ZipFile(xlsx) as book:
        assert book.testzip() is None

    # the periodic report (issue 19): the Word draft of the same snapshot carries the figure on screen
    docx = _export(page, "Tạo báo cáo định kỳ (Word)", "Tải báo cáo Word", tmp_path)
    assert docx.suffix == ".docx" and "anh-chup-1" in docx.name
    document = Document(str(docx))
    draft = "\n".join([p.text for p in document.paragraphs] +  # the header is laid out in a table
                       [cell.text for table in document.tables for row in table.rows for cell in row.cells])
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in draft and "quý III năm 2023" in draft
    assert shown in draft  # the overall attainment, as the metric above shows it
    page.screenshot(path=screenshots / "bao-cao-hop-xuat.png", full_page=True)

    page.get_by_role("tab", name="So sánh").click()
    settle(page)
    expect(page.get_by_text("Không có thay đổi.")).to_be_visible()  # nobody reported since the snapshot
    page.screenshot(path=screenshots / "bao-cao-hop-so-sanh.png", full_page=True)
