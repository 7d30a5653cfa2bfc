"""The report opened by LibreOffice (headless): converted to PDF, its pages drawn as pictures in
test-artifacts/report/ for a person to look at (the first page, an area section, the appendix)."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.conftest import ARTIFACTS
from tests.helpers import scope
from tests.report.conftest import report_of

OUT = ARTIFACTS / "report"
PLANS = [("syt-dong-nai-2023", "2023-H1"), ("sct-2021", "2021-9M")]


def _convert(docx_path, folder):
    """soffice with a profile of its own (two conversions at once must not share one), then pdftotext."""
    profile = f"file:///tmp/lo-report-{os.getpid()}-{docx_path.stem}"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
                    "--outdir", str(folder), str(docx_path)], check=True, capture_output=True, timeout=240)
    return folder / f"{docx_path.stem}.pdf"


def _pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _page_text(pdf, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")), reason="LibreOffice/poppler missing")
@pytest.mark.parametrize("plan, period", PLANS)
def test_libreoffice_opens_the_report_and_draws_its_pages(demo_path, tmp_path, plan, period):
    source = tmp_path / f"{plan}_{period}.docx"
    source.write_bytes(report_of(demo_path, scope=scope(plan, period)))
    pdf = _convert(source, tmp_path)
    pages = _pages(pdf)
    assert pages >= 2
    first = _page_text(pdf, 1)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first and "BÁO CÁO" in first
    # NĐ 30: page numbers in the top margin from the second page on, none on the first
    assert _page_text(pdf, 2).split()[0] == "2" and first.split()[0] != "1"
    appendix = next(n for n in range(1, pages + 1) if "PHỤ LỤC" in _page_text(pdf, n))
    assert "Bảng 1" in _page_text(pdf, appendix)
    out = OUT / f"{plan}_{period}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    shutil.copy(source, out / source.name)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out / "trang")], check=True, timeout=120)
    assert len(list(out.glob("trang-*.png"))) == pages
