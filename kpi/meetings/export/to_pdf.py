"""The meeting report as an A4 PDF (fpdf2): cover and summary, the attainment-by-area chart drawn as
vector graphics, the unit × area table on a landscape page, the office's comment under each area, then
targets, the units' explanations, overdue tasks, reporting coverage and the changes since the previous snapshot.

Fonts are the DejaVu TTFs bundled in data/fonts (embedded, subset): the file looks the same on every
machine, and DejaVu has every Vietnamese letter, but only in precomposed form, so all text passes
through `safe.printable` (NFC, no control characters). Text is written as text, never interpreted
(markdown off), so a unit named `=HYPERLINK(...)` prints exactly that (docs/reliability-catalogue.md D2).
"""
from __future__ import annotations

import re
from typing import Callable

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from kpi import DATA_DIR, clock, text
from kpi.meetings.export import safe
from kpi.meetings.export.report import Report, Table
from kpi.presentation import charts

FONTS = DATA_DIR / "fonts"
T, P = text.SNAPSHOT, text.EXPORT_PDF
NUMERIC = ("percent", "share", "points", "int")
NUMBER = re.compile(r"^[+-]?\d[\d.]*(,\d+)?%?$")
LINE, PAD_V, PAD_H = 0.47, 1.1, 1.3   # table line height (× font size in pt, in mm) and cell padding (mm)
KEEP_WHOLE = 70.0                     # mm: tables up to this tall are not split over two pages
ROW_MAX = 0.6                         # share of a page's printable height one table row may take
SHORT_COLUMN = 0.25                   # a column whose longest cell fits in this share of the width never wraps
# by_area and change tables carry the Vietnamese status label; colours are keyed by status code.
STATUS_BY_LABEL = {text.STATUS[key]: key for key in charts.STATUS_COLOURS}

BOTTOM = 16                           # mm kept free for the footer

INK = (33, 33, 33)
MUTED = (90, 90, 90)
RULE = (170, 170, 170)
HEAD_FILL = (225, 231, 238)
ZEBRA = (246, 247, 249)
ACCENT = (0, 84, 147)
WARN = (170, 40, 0)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def _tint(hex_colour: str, share: float) -> tuple[int, int, int]:
    """The colour mixed into white: pale enough for black text on it."""
    return tuple(round(255 - (255 - c) * share) for c in _rgb(hex_colour))


def _line(value) -> str:
    return safe.single_line(value)


def _numeric(column, cells: list[str]) -> bool:
    """Figures line up on the right, also those a table keeps as text (an actual "91,4%")."""
    if column.kind in NUMERIC:
        return True
    filled = [c for c in cells if c and c != text.MISSING]
    return bool(filled) and all(NUMBER.match(c) for c in filled)


class _Document(FPDF):
    def __init__(self, report: Report):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report = report
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=BOTTOM)
        for family, stem in (("DejaVu", "DejaVuSans"), ("DejaVuCond", "DejaVuSansCondensed")):
            self.add_font(family, "", str(FONTS / f"{stem}.ttf"))
            self.add_font(family, "B", str(FONTS / f"{stem}-Bold.ttf"))
        self.set_text_color(*INK)

    def footer(self) -> None:
        r = self.report
        self.set_y(-11)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y() - 1.5, self.w - self.r_margin, self.get_y() - 1.5)
        self.set_font("DejaVuCond", "", 7.5)
        page = T["page"].format(page=self.page_no(), pages="{nb}")
        page_w = self.get_string_width(T["page"].format(page=999, pages=999)) + 2
        left = _line(P["footer"].format(plan=r.plan_title, period=r.period_label))
        if r.illustrative:
            mark = P["illustrative_mark"]
            self.set_font("DejaVuCond", "B", 7.5)
            self.set_text_color(*WARN)
            mark_w = self.get_string_width(mark) + 3
            self.cell(mark_w, 5, mark)
            self.set_font("DejaVuCond", "", 7.5)
        else:
            mark_w = 0
        self.set_text_color(*MUTED)
        room = self.epw - page_w - mark_w
        while left and self.get_string_width(left) > room:  # a very long plan title must not run into the page number
            left = left[:-2] + "…"
        self.cell(room, 5, left)
        self.cell(page_w, 5, page, align="R")
        self.set_text_color(*INK)

    # --- building blocks -------------------------------------------------------------------------

    def heading(self, title: str, *, level: int = 0, room: float = 35) -> None:
        """A section title, moved to the next page when it would be left alone at the bottom."""
        if self.will_page_break(room):
            self.add_page()
        self.start_section(_line(title), level=level)
        self.ln(2 if level else 4)
        self.set_font("DejaVu", "B", 13 if level == 0 else 10.5)
        self.set_text_color(*(ACCENT if level == 0 else INK))
        self.multi_cell(0, 6.5 if level == 0 else 5.5, _line(title), align="L",
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if level == 0:
            self.set_draw_color(*ACCENT)
            self.set_line_width(0.4)
            self.line(self.l_margin, self.get_y() + 0.5, self.l_margin + self.epw, self.get_y() + 0.5)
            self.ln(2.5)
        else:
            self.ln(1)
        self.set_text_color(*INK)

    def paragraph(self, value: str, *, size: float = 9.5, colour=INK, bold: bool = False) -> None:
        self.set_font("DejaVu", "B" if bold else "", size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.5, _line(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)

    def part(self, title: str, table: Table, *, level: int = 0) -> None:
        """A titled table. A short table is kept on one page; a long one starts where there is room for
        its heading and a few rows."""
        self.heading(title, level=level, room=(16 if level == 0 else 12) + min(self.table_height(table), KEEP_WHOLE))
        self.table_of(table)

    def table_of(self, table: Table, *, size: float = 8) -> None:
        """Cells exactly as the dashboard prints them (`Table.shown`), numbers right-aligned; long text
        wraps and the heading row repeats on every page the table runs onto."""
        if table.empty:
            self.paragraph(T["none"], colour=MUTED)
            return
        columns, shown = table.columns, [[_line(v) for v in row] for row in table.shown()]
        align = tuple("RIGHT" if _numeric(c, [row[i] for row in shown]) else "LEFT" for i, c in enumerate(columns))
        self.set_draw_color(*RULE)
        self.set_line_width(0.15)
        # fpdf2 paints the cells that are not zebra-filled with the current fill colour.
        self.set_fill_color(255)
        widths = self.column_widths(table, shown, size)
        self.set_font("DejaVuCond", "", size)  # the cells' font is the one current when the table starts
        shown = self.rows_that_fit(shown, widths, size)
        heading = FontFace(family="DejaVuCond", emphasis="BOLD", size_pt=size, fill_color=HEAD_FILL, color=INK)
        with self.table(col_widths=widths, text_align=align,
                        line_height=size * LINE, headings_style=heading, padding=(PAD_V, PAD_H), v_align="TOP",
                        align="LEFT", cell_fill_color=ZEBRA, cell_fill_mode=TableCellFillMode.EVEN_ROWS,
                        width=self.epw) as grid:
            head = grid.row()
            for column in columns:
                head.cell(_line(column.label))
            for cells in shown:
                row = grid.row()
                for column, value in zip(columns, cells):
                    style = None
                    if column.key.startswith("status") and value in STATUS_BY_LABEL:
                        style = FontFace(fill_color=_tint(charts.STATUS_COLOURS[STATUS_BY_LABEL[value]], 0.3))
                    row.cell(value, style=style)
        self.ln(3)

    def rows_that_fit(self, shown: list[list[str]], widths: list[float], size: float) -> list[list[str]]:
        """fpdf2 cannot break one table row over two pages: a cell of a few thousand characters would make a
        row taller than the page. Such a row is cut into rows of at most ROW_MAX of a page, its long cells
        continued in the rows below (the other cells left empty there), so any text flows across pages."""
        scale = self.epw / sum(widths)
        most = max(1, int(ROW_MAX * self.eph / (size * LINE)))
        fitted = []
        for cells in shown:
            lines = [self.multi_cell(w * scale - 2 * PAD_H, size * LINE, v, dry_run=True,
                                     output=MethodReturnValue.LINES) for w, v in zip(widths, cells)]
            if max(len(cell) for cell in lines) <= most:
                fitted.append(cells)
                continue
            for start in range(0, max(len(cell) for cell in lines), most):
                fitted.append([" ".join(cell[start:start + most]) if len(cell) > most else (v if start == 0 else "")
                               for cell, v in zip(lines, cells)])
        return fitted

    def table_height(self, table: Table, *, size: float = 8) -> float:
        """About how tall `table_of` draws the table (to keep a short table in one piece)."""
        if table.empty:
            return 10
        shown = [[_line(v) for v in row] for row in table.shown()]
        widths = self.column_widths(table, shown, size)
        widths = [w * self.epw / sum(widths) for w in widths]
        height = 0.0
        for i, cells in enumerate([[_line(c.label) for c in table.columns], *shown]):
            self.set_font("DejaVuCond", "B" if i == 0 else "", size)
            height += max(self.multi_cell(w, size * LINE, v, padding=(PAD_V, PAD_H), dry_run=True,
                                          output=MethodReturnValue.HEIGHT) for w, v in zip(widths, cells))
        return height + 1

    def column_widths(self, table: Table, shown: list[list[str]], size: float) -> list[float]:
        """Short columns (figures, dates, codes, statuses) as wide as their longest cell so they never
        wrap; the rest of the width goes to the long-text columns by their relative `Column.width`.
        Headings wrap onto two lines, or three when the page is too narrow for two."""
        total, pad = self.epw, 2 * PAD_H + 0.8
        self.set_font("DejaVuCond", "", size)
        cells = [max((self.get_string_width(row[i]) for row in shown), default=0) for i in range(len(table.columns))]
        self.set_font("DejaVuCond", "B", size)
        labels = [_line(c.label).split() for c in table.columns]
        least = [max((self.get_string_width(w) for w in words), default=0) + pad for words in labels]
        for lines in (2, 3):
            natural = [max(self._wrapped_width(words, lines), cell) + pad for words, cell in zip(labels, cells)]
            short = [n <= SHORT_COLUMN * total for n in natural]
            fixed = sum(n for n, s in zip(natural, short) if s)
            if fixed <= total:
                break
        else:  # too many columns for the page: shrink all, keeping their proportions
            return [n * total / fixed for n in natural]
        spare = total - fixed
        if all(short):  # every column fits: the spare width is shared out by relative width
            weights = sum(c.width for c in table.columns)
            widths = [n + spare * c.width / weights for n, c in zip(natural, table.columns)]
        else:
            weights = sum(c.width for c, s in zip(table.columns, short) if not s)
            widths = [n if s else spare * c.width / weights for n, s, c in zip(natural, short, table.columns)]
        return [max(w, m) for w, m in zip(widths, least)]

    def _wrapped_width(self, words: list[str], lines: int) -> float:
        """The narrowest width at which the words, wrapped at spaces, take at most `lines` lines."""
        sizes = [self.get_string_width(w) for w in words]
        space = self.get_string_width(" ")

        def count(width: float) -> int:
            used, current = 1, -space
            for size in sizes:
                if current + space + size > width and current > 0:
                    used, current = used + 1, size
                else:
                    current += space + size
            return used

        low, high = max(sizes, default=0.0), sum(sizes) + space * max(len(sizes) - 1, 0)
        for _ in range(16):
            middle = (low + high) / 2
            low, high = (low, middle) if count(middle) <= lines else (middle, high)
        return high

    # --- parts of the report ---------------------------------------------------------------------

    def cover(self) -> None:
        r = self.report
        self.add_page()
        self.set_fill_color(*ACCENT)
        self.rect(0, 0, self.w, 6, style="F")
        self.set_y(18)
        self.set_font("DejaVu", "B", 12)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, 6, _line(r.organisation).upper(), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(5)
        self.set_font("DejaVu", "B", 19)
        self.set_text_color(*INK)
        self.multi_cell(0, 8.5, _line(r.title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)
        self.set_font("DejaVu", "", 12.5)
        self.multi_cell(0, 6.5, _line(P["plan"].format(plan=r.plan_title)), align="L",
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)
        self.set_draw_color(*RULE)
        self.set_line_width(0.3)
        self.line(self.l_margin, self.get_y(), self.l_margin + self.epw, self.get_y())
        self.ln(3)
        self.paragraph(r.period_line, size=10.5, bold=True)
        self.ln(0.5)
        self.paragraph(P["made_on"].format(date=text.format_date(clock.local_date(r.made_at))), size=9.5)
        self.ln(0.5)
        self.paragraph(r.source_line, size=9.5, colour=MUTED)
        if r.illustrative:
            self.ln(4)
            self.set_font("DejaVu", "B", 10.5)
            self.set_draw_color(*WARN)
            self.set_fill_color(*_tint("#D55E00", 0.12))
            self.set_text_color(*WARN)
            self.set_line_width(0.6)
            self.multi_cell(0, 6, _line(T["report_illustrative"]), border=1, fill=True, align="C",
                            padding=(2.5, 3), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(*INK)
        self.ln(4)

    def summary(self) -> None:
        r = self.report
        self.heading(T["summary"], room=40)
        items = r.headline
        gap = 2.5
        box_w = (self.epw - gap * (len(items) - 1)) / max(len(items), 1)
        self.set_font("DejaVuCond", "", 8)
        label_h = max(len(self.multi_cell(box_w - 4, 3.6, _line(label), dry_run=True,
                                          output=MethodReturnValue.LINES)) for label, _ in items) * 3.6
        box_h = label_h + 12
        top = self.get_y()
        status_colour = charts.STATUS_COLOURS.get(r.overall.get("status"), charts.STATUS_COLOURS["no_data"])
        for i, (label, value) in enumerate(items):
            x = self.l_margin + i * (box_w + gap)
            self.set_fill_color(*ZEBRA)
            self.set_draw_color(*RULE)
            self.set_line_width(0.25)
            self.rect(x, top, box_w, box_h, style="DF")
            if value == text.STATUS.get(r.overall.get("status")):  # the status box carries its colour as well as its word
                self.set_fill_color(*_rgb(status_colour))
                self.rect(x, top, box_w, 1.6, style="F")
            self.set_xy(x + 2, top + 2.5)
            self.set_font("DejaVuCond", "", 8)
            self.set_text_color(*MUTED)
            self.multi_cell(box_w - 4, 3.6, _line(label), align="L")
            self.set_xy(x + 2, top + 2.5 + label_h + 1)
            self.set_font("DejaVu", "B", 13 if self.get_string_width(_line(value)) < box_w else 11)
            self.set_text_color(*INK)
            self.cell(box_w - 4, 7, _line(value), align="L")
        self.set_xy(self.l_margin, top + box_h + 4)

    def area_chart(self) -> None:
        """Horizontal bars of attainment by area, drawn with lines and rectangles (sharp at any zoom,
        searchable text). Each bar carries its figure and status in words."""
        r = self.report
        chart = charts.area_bar_chart(r.by_area.frame, "status_key")
        names_w, right_pad = 60.0, 6.0
        x0 = self.l_margin + names_w + 3
        top_value = chart.top
        scale = (self.l_margin + self.epw - right_pad - x0) / top_value
        self.set_font("DejaVuCond", "", 8.5)
        line_h = 3.7
        name_lines = [self.multi_cell(names_w, line_h, _line(n), dry_run=True, output=MethodReturnValue.LINES)
                      for n in (b.name for b in chart.bars)]
        rows_h = [max(9.0, len(lines) * line_h + 2) for lines in name_lines]
        # A plan with very many areas: squeeze the rows so the chart stays on one page.
        fit = min(1.0, (self.eph - 45) / max(sum(rows_h), 1))
        rows_h = [h * fit for h in rows_h]
        self.heading(T["by_area"], room=sum(rows_h) + 35)
        plot_top = self.get_y() + 6
        plot_bottom = plot_top + sum(rows_h)
        # Drawn at computed positions: an automatic page break halfway would split bars from their names.
        self.set_auto_page_break(False)

        ticks = [i / 5 for i in range(int(top_value * 5 + 1e-9) + 1)]
        self.set_line_width(0.15)
        self.set_draw_color(225, 225, 225)
        for tick in ticks:
            self.line(x0 + tick * scale, plot_top, x0 + tick * scale, plot_bottom)

        y = plot_top
        for bar, lines, row_h in zip(chart.bars, name_lines, rows_h):
            self.set_font("DejaVuCond", "", 8.5)
            self.set_text_color(*INK)
            self.set_xy(self.l_margin, y + (row_h - len(lines) * line_h) / 2)
            self.multi_cell(names_w, line_h, _line(bar.name), align="R")
            bar_h = min(6.5, row_h * 0.72)
            bar_y = y + (row_h - bar_h) / 2
            self.set_font("DejaVuCond", "B", 8)
            if bar.value is None:
                self.set_text_color(*MUTED)
                self.set_xy(x0 + 1.5, bar_y)
                self.cell(60, bar_h, bar.label)
            else:
                bar_w = max(bar.value * scale, 0.4)
                self.set_fill_color(*_rgb(bar.colour))
                self.set_draw_color(51, 51, 51)
                self.set_line_width(0.15)
                self.rect(x0, bar_y, bar_w, bar_h, style="DF")
                label = _line(bar.label)
                label_w = self.get_string_width(label) + 3
                # Inside the bar when it fits (black on these colours reads well), else just past its end.
                self.set_xy(x0 + (0 if label_w <= bar_w else bar_w + 0.5), bar_y)
                self.set_text_color(*INK)
                self.cell(label_w, bar_h, label)
            y += row_h

        self.set_draw_color(*INK)
        self.set_line_width(0.3)
        self.line(x0, plot_top, x0, plot_bottom)
        self.line(x0, plot_bottom, x0 + top_value * scale, plot_bottom)
        self.set_font("DejaVuCond", "", 8)
        self.set_text_color(*MUTED)
        for tick in ticks:
            x = x0 + tick * scale
            self.line(x, plot_bottom, x, plot_bottom + 1.2)
            self.set_xy(x - 10, plot_bottom + 1.5)
            self.cell(20, 4, text.format_percent(tick, 0), align="C")

        plan_x = x0 + chart.plan * scale
        self.set_draw_color(51, 51, 51)
        self.set_line_width(0.35)
        self.set_dash_pattern(dash=1.6, gap=1.2)
        self.line(plan_x, plot_top - 4, plan_x, plot_bottom)
        self.set_dash_pattern()
        self.set_font("DejaVuCond", "B", 8)
        self.set_text_color(*INK)
        plan_label = chart.plan_label
        self.set_xy(plan_x - self.get_string_width(plan_label) - 3.5, plot_top - 5)
        self.cell(self.get_string_width(plan_label) + 2, 4, plan_label, align="R")
        self.set_xy(self.l_margin, plot_bottom + 8)
        self.set_auto_page_break(True, margin=BOTTOM)

    def unit_area(self) -> None:
        self.add_page(orientation="L")
        self.heading(T["unit_area"])
        self.table_of(self.report.unit_area, size=8)
        self.add_page(orientation="P")

    def area_comments(self) -> None:
        """The office's comment under each area that has one (kpi/commentary.py), as plain text."""
        table = self.report.area_comments
        if table.empty:
            return
        self.heading(table.title)
        for code, name in zip(table.frame["area_code"], table.frame["name"]):
            comment = self.report.area_comment(code)
            self.heading(name, level=1, room=25)
            self.paragraph(comment["text"], size=9.5)
            self.paragraph(text.COMMENTARY["area_comment_by"].format(by=comment["by"], at=comment["at"]), size=8.5,
                           colour=MUTED)
            self.ln(1)

    def changes(self) -> None:
        r = self.report
        self.heading(T["changes"])
        if not r.changes:
            self.paragraph(T["no_previous"], colour=MUTED)
            return
        if r.changes_against:
            self.paragraph(r.changes_against, size=9, colour=MUTED)
            self.ln(1)
        if all(t.empty for t in r.changes):
            self.paragraph(T["no_changes"], colour=MUTED)
            return
        for table in r.changes:
            self.part(table.title, table, level=1)


def render(report: Report, progress: Callable[[float, str], None]) -> bytes:
    """The report as PDF bytes; `progress(share, step)` is called as the parts are drawn."""
    progress(0.0, P["step_start"])
    pdf = _Document(report)
    title = _line(f"{report.title} · {report.plan_title} · {report.period_label}")
    pdf.set_title(title)
    pdf.set_author(_line(report.organisation))
    pdf.set_subject(_line(f"{report.period_line} · {report.source_line}"))
    pdf.set_keywords(_line(P["keywords"].format(period=report.period_label)))
    pdf.set_creation_date(clock.to_utc(report.made_at))
    pdf.set_lang("vi-VN")

    progress(0.05, P["step_cover"])
    pdf.cover()
    pdf.summary()
    progress(0.2, P["step_chart"])
    pdf.area_chart()
    # The area table belongs under the chart; split over a page break it would leave a nearly empty
    # page before the landscape one, so when it does not fit whole it follows the landscape page.
    under_chart = not pdf.will_page_break(pdf.table_height(report.by_area))
    if under_chart:
        pdf.table_of(report.by_area)
    progress(0.35, P["step_unit_area"])
    pdf.unit_area()
    if not under_chart:
        pdf.part(T["by_area"], report.by_area)
    pdf.area_comments()
    progress(0.5, P["step_tables"])
    for part in (report.targets, report.explanations, report.overdue, report.coverage):
        pdf.part(part.title, part)
    progress(0.75, P["step_changes"])
    pdf.changes()
    progress(0.9, P["step_file"])
    data = bytes(pdf.output())
    progress(1.0, P["step_done"])
    return data
