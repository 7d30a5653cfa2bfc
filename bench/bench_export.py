"""Export benchmark: each meeting export of the largest seed plan, beside the floor for its format.

Run: make bench-export. The database holds the five bundled plans with the demo reports; the report is
Sở Y tế Đồng Nai 2023 (39 targets, 54 tasks, 7 units), Quý III, from a snapshot with a previous one (so the
"changes" part is full). Measured in one run, medians of RUNS:
  build    snapshot read + report model (shared by every format)
  export   kpi.meetings.export.export(report, fmt): the file as users get it (cover, charts, styling)
  floor    the same library writing the same tables with no charts and no styling
           (fpdf2 table pages; xlsxwriter plain rows; python-pptx slides holding only the tables)
Goal (issue 7): each export within 3× its floor and under 5 s.
"""
from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import xlsxwriter  # noqa: E402
from fpdf import FPDF  # noqa: E402
from pptx import Presentation  # noqa: E402
from pptx.util import Inches, Pt  # noqa: E402

from kpi.cycle import demo  # noqa: E402
from kpi.meetings import export, snapshots  # noqa: E402
from kpi.plans import io as plan_io  # noqa: E402
from bench_engine import median_time  # noqa: E402  (bench/ is on the path when run as a script)
from tests.helpers import scope

RUNS = 5
PLAN = "syt-dong-nai-2023"
FONTS = ROOT / "data" / "fonts"


def tables(report) -> list:
    return [report.by_area, report.unit_area, report.targets, report.overdue, report.coverage, *report.changes]


def floor_pdf(report) -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", FONTS / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_font("DejaVu", size=8)
    for table in tables(report):
        pdf.add_page()
        with pdf.table() as out:
            out.row([c.label for c in table.columns])
            for row in table.shown():
                out.row(row)
    return bytes(pdf.output())


def floor_xlsx(report) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for number, table in enumerate(tables(report)):
        sheet = book.add_worksheet(f"t{number}")
        sheet.write_row(0, 0, [c.label for c in table.columns])
        for r, row in enumerate(table.rows(), start=1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif isinstance(value, (int, float)):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(value))
    book.close()
    return buffer.getvalue()


def floor_pptx(report) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    for table in tables(report):
        shown = table.shown()[:12]
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        grid = slide.shapes.add_table(len(shown) + 1, len(table.columns), Inches(0.4), Inches(0.4), Inches(12.5),
                                      Inches(6.5)).table
        for c, column in enumerate(table.columns):
            grid.cell(0, c).text = column.label
        for r, row in enumerate(shown, start=1):
            for c, value in enumerate(row):
                cell = grid.cell(r, c)
                cell.text = value[:80]
                if value:
                    cell.text_frame.paragraphs[0].runs[0].font.size = Pt(9)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


FLOORS = {"pdf": floor_pdf, "xlsx": floor_xlsx, "pptx": floor_pptx}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        con = plan_io.open_database(Path(folder) / "bench.duckdb")
        demo.load(con)
        snapshots.create(con, scope(PLAN, "2023-Q2"), name="Họp Quý II", by="bench")
        shot = snapshots.create(con, scope(PLAN, "2023-Q3"), name="Họp Quý III", by="bench")
        build_time, report = median_time(lambda: export.build_report(con, snapshot_id=shot.id), RUNS)
        print(f"Report {PLAN} Quý III (snapshot {shot.id}): {len(report.targets.frame)} targets, "
              f"{len(report.overdue.frame)} overdue tasks, {len(report.changes)} change tables; "
              f"build {build_time * 1000:.0f} ms (median of {RUNS})")
        print(f"{'format':<6} {'export':>9} {'floor':>9} {'ratio':>7} {'size':>9}   goal: ≤ 3× floor and < 5 s")
        verdicts = []
        for fmt, floor in FLOORS.items():
            export_time, data = median_time(lambda: export.export(report, fmt), RUNS)
            floor_time, _ = median_time(lambda: floor(report), RUNS)
            ratio = export_time / floor_time
            ok = ratio <= 3 and export_time < 5
            verdicts.append(ok)
            print(f"{fmt:<6} {export_time * 1000:>7.0f} ms {floor_time * 1000:>6.0f} ms {ratio:>6.2f}× "
                  f"{len(data) / 1024:>6.0f} KB  {'met' if ok else 'MISSED'}")
        con.close()
    print("all goals met" if all(verdicts) else "some goals missed (see above)")


if __name__ == "__main__":
    main()
