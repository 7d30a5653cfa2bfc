"""The PowerPoint export, read back from real files: python-pptx for the slides and charts, the zip and
openpyxl for the charts' embedded workbooks (RELIABILITY D2), LibreOffice for pictures of the slides.

Expected figures come from the engine and from the report's raw values, not from the exporter.
"""
from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from pptx import Presentation
from pptx.util import Inches

from kpi import engine, text
from kpi.presentation import charts
from kpi.meetings.export import build_report, export, safe, to_pptx
from kpi.db.connection import transaction
from tests.export.conftest import with_overdue, HOSTILE, LARGEST
from tests.helpers import scope

T = text.SNAPSHOT
P = text.EXPORT_PPTX
PERIOD = "2023-Q3"


def deck(data: bytes):
    return Presentation(io.BytesIO(data))


def slide_texts(slide) -> list[str]:
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return out


def title(slide) -> str:
    """The slide's heading: its first text (the accent bar above it holds none)."""
    return next(t for t in slide_texts(slide) if t)


def slide_with(prs, wanted: str):
    found = [s for s in prs.slides if title(s) == wanted]
    assert len(found) == 1, f"{len(found)} slides titled {wanted!r}"
    return found[0]


def charts_of(slide):
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def tables_of(slide):
    return [shape.table for shape in slide.shapes if shape.has_table]


def labels(series) -> list[str | None]:
    return [p.data_label.text_frame.text if p.data_label.has_text_frame else None
            for p in (series.points[i] for i in range(len(series.values)))]


@pytest.fixture(scope="module")
def rendered(report):
    steps = []
    data = to_pptx.render(report, lambda share, step: steps.append((share, step)))
    return data, steps


def test_the_exported_file_is_the_rendered_deck(report, rendered):
    """export(report, "pptx") — what the page's download button gives — read back: the same slides with the
    same texts as the renderer's deck, the headline figure as the dashboard shows it (its time is measured
    by bench/bench_export.py, not here)."""
    prs = deck(export(report, "pptx"))
    assert [slide_texts(s) for s in prs.slides] == [slide_texts(s) for s in deck(rendered[0]).slides]
    # cover, overview, «Tình hình báo cáo», 7 areas, overdue, changes
    assert title(prs.slides[0]) and len(prs.slides) == 7 + 5
    reporting = slide_texts(slide_with(prs, T["coverage"]))
    assert report.coverage.title.split(" · ", 1)[1] in reporting  # the two rates under the title
    assert all(unit in "\n".join(reporting) for unit in report.coverage.frame["unit"])
    overview = slide_texts(slide_with(prs, P["overview_title"]))
    assert "95,2%" in overview  # Quý III of Đồng Nai 2023, as the PDF's cover and the dashboard show it
    assert T["report_illustrative"] in "\n".join(slide_texts(prs.slides[0]))


def test_deck_is_16_9_with_a_slide_per_area_and_footers(rendered, report):
    prs = deck(rendered[0])
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 1e-3
    names = list(report.by_area.frame["name"])
    area_slides = [s for s in prs.slides if title(s).startswith(T["area_slide"].format(name=""))]
    assert [title(s) for s in area_slides] == [T["area_slide"].format(name=n) for n in names]
    assert len(names) == 7

    total = len(prs.slides)
    plan_line = P["footer"].format(plan=report.plan_title, period=report.period_label)
    for number, slide in enumerate(prs.slides, start=1):
        assert slide.slide_layout.name == "Blank"
        texts = slide_texts(slide)
        assert T["page"].format(page=number, pages=total) in texts
        assert any(t.startswith(plan_line) and P["illustrative_short"] in t for t in texts)
        # Nothing hangs off the slide.
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= prs.slide_width and shape.top + shape.height <= prs.slide_height

    cover = "\n".join(slide_texts(prs.slides[0]))
    for wanted in (report.organisation, report.title, report.plan_title, report.period_line, report.source_line,
                   T["report_illustrative"]):
        assert wanted in cover


def test_overview_chart_equals_the_engine(rendered, report, demo_db):
    prs = deck(rendered[0])
    slide = slide_with(prs, P["overview_title"])
    [chart] = charts_of(slide)
    areas = engine.overview(demo_db, scope(LARGEST, PERIOD))["area"]
    plot = chart.plots[0]
    assert list(plot.categories) == list(areas["name"]) == list(report.by_area.frame["name"])
    [series] = plot.series  # no area without data here, so no "no data" marker series
    assert len(series.values) == len(areas)
    for value, expected in zip(series.values, areas["attainment"]):
        assert value == pytest.approx(float(expected), abs=1e-9)
    assert labels(series) == [text.format_percent(float(a)) for a in areas["attainment"]]
    for i, status in enumerate(areas["status"]):
        assert str(series.points[i].format.fill.fore_color.rgb) == charts.STATUS_COLOURS[status].lstrip("#")
    assert chart.value_axis.minimum_scale == 0
    assert chart.value_axis.maximum_scale >= 1.0
    for label, shown in report.headline:
        assert label in slide_texts(slide) and shown in slide_texts(slide)


def test_area_slides_chart_units_and_list_open_targets(rendered, report):
    prs = deck(rendered[0])
    matrix = report.unit_area.frame
    targets = report.targets.frame
    for code, name in zip(report.by_area.frame["area_code"], report.by_area.frame["name"]):
        slide = slide_with(prs, T["area_slide"].format(name=name))
        [chart] = charts_of(slide)
        column = matrix[["unit", f"area:{code}"]].dropna()
        assert len(column), "every demo area has a unit with figures"
        plot = chart.plots[0]
        assert list(plot.categories) == list(column["unit"])
        assert list(plot.series[0].values) == pytest.approx(list(column[f"area:{code}"]), abs=1e-9)
        assert labels(plot.series[0]) == [text.format_percent(v) for v in column[f"area:{code}"]]

        open_targets = targets[(targets["area_code"] == code) & (targets["status"] != text.STATUS["met"])]
        if open_targets.empty:
            assert P["all_met"].format(total=int((targets["area_code"] == code).sum())) in slide_texts(slide)
            continue
        [table] = tables_of(slide)
        codes = [table.cell(r, 0).text for r in range(1, len(table.rows))]
        assert [table.cell(0, c).text for c in range(len(table.columns))] == [
            text.SNAPSHOT_COLUMNS[k] for k in ("code", "text", "target", "actual", "attainment", "status")]
        assert set(codes) <= set(open_targets["code"]) and len(set(codes)) == len(codes)
        worst = open_targets.sort_values("attainment", kind="stable")["code"]
        assert codes == list(worst[:len(codes)]), "the worst targets come first"
        more = [re.match(r"… và (\d+) ", t) for t in slide_texts(slide)]
        left_off = sum(int(m.group(1)) for m in more if m)
        assert len(codes) + left_off == len(open_targets)
        for r, code_ in enumerate(codes, start=1):
            row = open_targets[open_targets["code"] == code_].iloc[0]
            assert table.cell(r, 4).text == text.format_percent(row["attainment"])
            assert table.cell(r, 5).text == row["status"]
            shown = table.cell(r, 1).text
            assert shown == row["text"] or (shown.endswith("…") and row["text"].startswith(shown[:-1]))

    # The largest area does not fit on one slide: the rest is counted, not dropped silently.
    tthc = slide_with(prs, T["area_slide"].format(name="Cải cách thủ tục hành chính"))
    assert any(t.startswith("… và ") for t in slide_texts(tthc))


def test_every_run_names_a_font_with_vietnamese(rendered):
    prs = deck(rendered[0])
    runs = []
    for slide in prs.slides:
        for shape in slide.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            runs += [run for frame in frames for p in frame.paragraphs for run in p.runs]
    assert runs and all(run.font.name == "Arial" for run in runs if run.text)


def test_overdue_and_changes_slides(rendered, report):
    planted = with_overdue(report)
    overdue = slide_with(deck(to_pptx.render(planted, lambda share, step: None)), T["overdue"])
    [table] = tables_of(overdue)
    assert len(table.rows) == 1 + len(planted.overdue.frame) == 2
    assert table.cell(1, 0).text == "NV01"
    assert table.cell(1, 3).text == "30/09/2023"
    prs = deck(rendered[0])

    changes = slide_with(prs, T["changes"])
    texts = slide_texts(changes)
    assert report.changes_against in texts
    [counts] = tables_of(changes)
    assert [(counts.cell(r, 0).text, counts.cell(r, 1).text) for r in range(1, len(counts.rows))] == [
        (t.title, str(len(t.frame))) for t in report.changes]
    highlights = next(t for t in texts if t.startswith(P["highlights"]))
    missed = next(t for t in report.changes if t.key == "targets_missed")
    assert f"{missed.title} ({len(missed.frame)})" in highlights
    assert "CT06 · " in highlights and "Đạt → Gần đạt" in highlights


def test_progress_is_reported_per_slide_group(rendered):
    steps = rendered[1]
    shares = [share for share, _ in steps]
    assert shares == sorted(shares) and shares[0] == 0 and shares[-1] == 1
    labels_ = [step for _, step in steps]
    assert P["step_overview"] in labels_ and P["step_overdue"] in labels_ and P["step_changes"] in labels_
    assert sum(step.startswith("Trang lĩnh vực") for step in labels_) == 7


def test_area_without_data_has_no_bar_and_says_so(report):
    frame = report.by_area.frame.copy()
    frame.loc[1, "attainment"] = None
    frame.loc[1, "status"] = text.STATUS["no_data"]
    changed = dataclasses.replace(report, by_area=dataclasses.replace(report.by_area, frame=frame),
                                  changes=[], changes_against=None)
    prs = deck(to_pptx.render(changed, lambda share, step: None))
    [chart] = charts_of(slide_with(prs, P["overview_title"]))
    attainment, marker = chart.plots[0].series
    assert attainment.values[1] is None
    assert labels(attainment)[1] is None
    assert labels(marker)[1] == text.STATUS["no_data"]
    assert [v for i, v in enumerate(marker.values) if i != 1] == [None] * (len(frame) - 1)
    assert labels(attainment)[0] == text.format_percent(float(frame["attainment"][0]))
    # Without an earlier snapshot the changes slide says so.
    assert T["no_previous"] in slide_texts(prs.slides[-1])


def test_long_overdue_list_continues_on_more_slides(report):
    changed = with_overdue(report, 45)
    rows = changed.overdue.frame.to_dict(orient="records")
    prs = deck(to_pptx.render(changed, lambda share, step: None))
    overdue = [s for s in prs.slides if title(s).startswith(T["overdue"])]
    assert len(overdue) >= 3
    codes = [table.cell(r, 0).text for s in overdue for table in tables_of(s) for r in range(1, len(table.rows))]
    assert codes == [r["code"] for r in rows]
    for slide in overdue:
        [shape] = [s for s in slide.shapes if s.has_table]
        assert shape.top + shape.height <= Inches(6.9), "the table stays above the footer"
        for r in range(1, len(shape.table.rows)):
            full = next(row["text"] for row in rows if row["code"] == shape.table.cell(r, 0).text).strip()
            cell = shape.table.cell(r, 1).text
            assert cell == full or (cell.endswith("…") and full.startswith(cell[:-1]) and len(cell) < 200)
    shortened = [table.cell(r, 1).text for s in overdue for table in tables_of(s) for r in range(1, len(table.rows))]
    assert sum(c.endswith("…") for c in shortened) >= 15
    assert P["continued"].format(title=T["overdue"], page=2, pages=len(overdue)) in slide_texts(overdue[1])


@pytest.fixture
def hostile_reports(hostile_report, demo_db):
    """The fixture's report, and one more where chart categories themselves are hostile: an area name and a
    unit name with the vertical tab that crashes python-pptx."""
    with transaction(demo_db):  # as every product write: figures remembered per data version see the change
        demo_db.execute("UPDATE area SET name = ? WHERE code = 'the_che'", [HOSTILE[0]])
        demo_db.execute("UPDATE area SET name = ? WHERE code = 'cong_vu'", [HOSTILE[-1]])
        demo_db.execute("UPDATE unit SET name = ? WHERE code = 'VPS' AND org_id = 'syt-dong-nai'", [HOSTILE[-1]])
    again = build_report(demo_db, scope=scope(LARGEST, PERIOD))
    return [hostile_report, again]


def test_chart_workbooks_hold_text_never_formulas(hostile_reports):
    """RELIABILITY D2: python-pptx on its own writes '=HYPERLINK(…)' categories as live formulas."""
    seen = set()
    for report in hostile_reports:
        data = to_pptx.render(report, lambda share, step: None)
        archive = zipfile.ZipFile(io.BytesIO(data))
        embedded = [n for n in archive.namelist() if n.startswith("ppt/embeddings/") and n.endswith(".xlsx")]
        assert len(embedded) == 1 + len(report.by_area.frame)
        for name in embedded:
            workbook = zipfile.ZipFile(io.BytesIO(archive.read(name)))
            for sheet in (n for n in workbook.namelist() if n.startswith("xl/worksheets/")):
                assert not re.search(rb"<f[\s>/]", workbook.read(sheet)), f"{name} {sheet} holds a formula"
            sheet = openpyxl.load_workbook(io.BytesIO(archive.read(name))).active
            assert sheet.cell(1, 2).data_type == "s"
            for row in range(2, sheet.max_row + 1):
                cell = sheet.cell(row, 1)
                assert cell.data_type == "s" and isinstance(cell.value, str)
                assert cell.quotePrefix == safe.formula_like(cell.value)
                seen.add(cell.value)
        for chart_xml in (n for n in archive.namelist() if n.startswith("ppt/charts/chart")):
            assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", archive.read(chart_xml))
    assert HOSTILE[0] in seen                      # an area name and a unit name, kept as text
    assert " =1+1" in seen                         # "\t=1+1" and "\n=1+1" on one line
    assert "Phòng Tổ chức" in seen                 # the vertical tab became a space
    assert any(safe.formula_like(v) for v in seen)


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")), reason="LibreOffice/poppler missing")
def test_slides_render_to_pictures(rendered, exports_dir, tmp_path):
    """Pictures of every slide, for a person to look at (test-artifacts/exports/pptx/)."""
    out = exports_dir / "pptx"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    source = tmp_path / "deck.pptx"
    source.write_bytes(rendered[0])
    shutil.copy(source, out / "deck.pptx")
    subprocess.run(["soffice", "--headless", "-env:UserInstallation=file:///tmp/lo-pptx-test", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(tmp_path / "deck.pdf"), str(out / "slide")], check=True,
                   timeout=120)
    pictures = sorted(out.glob("slide-*.png"))
    assert len(pictures) == len(deck(rendered[0]).slides)
