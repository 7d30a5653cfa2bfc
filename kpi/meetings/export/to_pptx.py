"""The meeting deck (16:9) from a `Report`: title, overview, one slide per reform area (the office's comment
at its foot), the units' explanations of targets not met, overdue tasks and what changed since the last meeting.

Charts are native PowerPoint charts (editable, their data in an embedded workbook). Every figure printed
on a slide is the dashboard's own text (`Table.shown()`, `text.format_percent`): data labels carry it as
custom text, so a viewer's locale never turns "91,9%" into "91.9%". All text goes through `safe`, and chart
categories are written into the embedded workbook as strings (docs/reliability-catalogue.md D2).

Slides are laid out on the Blank layout with explicit boxes; long texts are shortened with "…" to the
lines their box holds, measured with Arial's metrics, so nothing overflows in PowerPoint or LibreOffice.
"""
from __future__ import annotations

import functools
import io
import math
import os
from pathlib import Path
from typing import Callable

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt, lazyproperty

from kpi import DATA_DIR, text
from kpi.meetings.export import safe
from kpi.meetings.export.report import Report, Table, missing
from kpi.presentation import charts
from kpi.rules.status import rollup_status

P = text.EXPORT_PPTX
T = text.SNAPSHOT
Progress = Callable[[float, str], None]

# Arial is on every office PC and has the Vietnamese letters. LibreOffice draws it with the metric twin
# Liberation Sans and, where that lacks a letter (Debian's 1.07 lacks ệ, ả, …), with Noto Sans or DejaVu Sans;
# text is measured the same way (FONT_FILES, FALLBACK_FILES).
FONT = "Arial"
SLIDE_W, SLIDE_H = 13.333, 7.5          # inches: 16:9
MARGIN = 0.5
INNER_W = SLIDE_W - 2 * MARGIN
CONTENT_TOP, CONTENT_BOTTOM = 1.55, 6.85
CELL_PAD = 0.06                          # left/right inner margin of table cells and text boxes
INK, MUTED, ACCENT = "1F2937", "5B6470", "0072B2"
HEADER_FILL, BAND_FILL, CARD_FILL = "2F4858", "F1F3F5", "F1F3F5"
WARNING_FILL, WARNING_INK = "FFF1D6", "8A4B00"
# Status keys by the Vietnamese label the report tables carry.
STATUS_KEY = {text.STATUS[k]: k for k in charts.STATUS_COLOURS}


# ---------------------------------------------------------------- chart data written as text (D2)

class _TextWorkbookWriter(CategoryWorkbookWriter):
    """python-pptx writes categories and series names with `worksheet.write`, which stores "=…" as a live
    formula in the chart's workbook; here they are always strings, and formula-like ones get the quote
    prefix so that editing the cell in Excel keeps them text."""

    def _populate_worksheet(self, workbook, worksheet):
        self._plain = workbook.add_format()
        self._quoted = workbook.add_format({"quote_prefix": True})
        super()._populate_worksheet(workbook, worksheet)

    def _write_text(self, worksheet, row, col, value):
        value = safe.single_line(value)
        worksheet.write_string(row, col, value, self._quoted if safe.formula_like(value) else self._plain)

    def _write_cat_column(self, worksheet, col, level, num_format):
        worksheet.set_column(col, col, 40)
        for off, name in level:
            self._write_text(worksheet, off + 1, col, name)

    def _write_series(self, workbook, worksheet):
        first = self._chart_data.categories.depth
        for idx, series in enumerate(self._chart_data):
            number = workbook.add_format({"num_format": series.number_format})
            col = first + idx
            self._write_text(worksheet, 0, col, series.name)
            for row, value in enumerate(series.values, start=1):
                if value is None:
                    worksheet.write_blank(row, col, None, number)
                else:
                    worksheet.write_number(row, col, value, number)


class _TextChartData(CategoryChartData):
    @lazyproperty
    def _workbook_writer(self):
        return _TextWorkbookWriter(self)


# ---------------------------------------------------------------- measuring and shortening text

# Advances are read from Arial (or Liberation Sans), then from the font LibreOffice falls back to.
FONT_FILES = {False: ("LiberationSans-Regular.ttf", "arial.ttf", "Arial.ttf"),
              True: ("LiberationSans-Bold.ttf", "arialbd.ttf", "Arial Bold.ttf")}
FALLBACK_FILES = {False: ("NotoSans-Regular.ttf", "DejaVuSans.ttf"), True: ("NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf")}
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path(os.path.expanduser("~/.fonts")),
             Path("C:/Windows/Fonts"), Path("/Library/Fonts"),
             DATA_DIR / "fonts")  # bundled DejaVu: a machine with none
# A line of text is 1.15 em in Arial but up to 1.36 em where LibreOffice falls back to Noto Sans.
LINE_EM = 1.4


@functools.cache
def _font_file(name: str) -> Path | None:
    for folder in FONT_DIRS:
        if folder.is_dir():
            hit = next(folder.rglob(name), None)
            if hit:
                return hit
    return None


@functools.cache
def _advances(bold: bool) -> tuple[dict[int, float], ...]:
    """Advance widths (em) by code point: the font first, then the fallback."""
    faces = []
    try:
        from fontTools.ttLib import TTFont
    except ImportError:
        return ()
    for names in (FONT_FILES[bold], FALLBACK_FILES[bold]):
        path = next(filter(None, map(_font_file, names)), None)
        if path:
            font = TTFont(path, lazy=True)
            hmtx, em = font["hmtx"], font["head"].unitsPerEm
            faces.append({cp: hmtx[glyph][0] / em for cp, glyph in font.getBestCmap().items()})
    return tuple(faces)


@functools.lru_cache(maxsize=4096)
def _char_em(char: str, bold: bool) -> float:
    for face in _advances(bold):
        if ord(char) in face:
            return face[ord(char)]
    return 0.62 if bold else 0.58  # no font found: wider than almost every Arial letter


@functools.lru_cache(maxsize=65536)
def _width(value: str, size: float, bold: bool = False) -> float:
    """Inches `value` takes on one line (kerning ignored, which errs towards more room)."""
    return sum(_char_em(c, bold) for c in value) * size / 72


def _wrapped(value: str, width: float, size: float, bold: bool = False) -> int:
    """Lines `value` takes in a box `width` inches wide, wrapped at spaces as PowerPoint does."""
    width *= 0.96  # renderers differ a little in kerning and in where they break
    space, lines, used = _width(" ", size, bold), 1, 0.0
    for word in value.split(" "):
        w = _width(word, size, bold)
        if used == 0:
            used = w
        elif used + space + w <= width:
            used += space + w
        else:
            lines, used = lines + 1, w
        while used > width:  # a word longer than the line is broken inside it
            lines, used = lines + 1, used - width
    return lines


def _shorten(value, width: float, size: float, lines: int = 1, bold: bool = False) -> str:
    """`value` on one line of text, cut at a word with "…" so that it fits `lines` lines of the box."""
    value = safe.single_line(value).strip()
    if _wrapped(value, width, size, bold) <= lines:
        return value

    def fits(candidate: str) -> bool:
        return _wrapped(candidate, width, size, bold) <= lines

    words = value.split(" ")
    low, high = 0, len(words) - 1
    while low < high:
        mid = (low + high + 1) // 2
        if fits(_ellipsis(" ".join(words[:mid]))):
            low = mid
        else:
            high = mid - 1
    if low:
        return _ellipsis(" ".join(words[:low]))
    low, high = 0, len(value) - 1  # not even one word fits: cut inside it
    while low < high:
        mid = (low + high + 1) // 2
        if fits(_ellipsis(value[:mid])):
            low = mid
        else:
            high = mid - 1
    return _ellipsis(value[:low])


def _ellipsis(part: str) -> str:
    return part.rstrip(" ,;:.-·–(") + "…"


# ---------------------------------------------------------------- boxes

def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _style(run, size: float, *, bold=False, colour=INK, italic=False):
    # Written straight into the run's <a:rPr> (fill before font, as the schema orders them): python-pptx's
    # property setters search and rebuild children on every call and made up a third of the export's time.
    properties = run._r.get_or_add_rPr()
    properties.set("sz", str(round(size * 100)))
    properties.set("b", "1" if bold else "0")
    properties.set("i", "1" if italic else "0")
    for old in properties.findall(qn("a:solidFill")) + properties.findall(qn("a:latin")):
        properties.remove(old)
    fill = etree.SubElement(properties, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", colour.lstrip("#").upper())
    etree.SubElement(properties, qn("a:latin")).set("typeface", FONT)


def _cell_fill(cell, colour: str) -> None:
    """A table cell's background, written into <a:tcPr> directly (see _style)."""
    properties = cell._tc.get_or_add_tcPr()
    for old in properties.findall(qn("a:solidFill")):
        properties.remove(old)
    fill = etree.SubElement(properties, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", colour.lstrip("#").upper())


def _rectangle(slide, left, top, width, height, fill: str, line: str | None = None):
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left), Inches(top), Inches(width), Inches(height))
    # The theme style python-pptx attaches gives a shadow in LibreOffice even with an empty effect list.
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(fill)
    if line:
        shape.line.color.rgb = _rgb(line)
        shape.line.width = Pt(0.5)
    else:
        shape.line.fill.background()
    return shape


_ANCHORS = {MSO_ANCHOR.TOP: "t", MSO_ANCHOR.MIDDLE: "ctr", MSO_ANCHOR.BOTTOM: "b"}


def _text(slide, left, top, width, height, paragraphs, *, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP,
          fill=None, lines: int = 1):
    """A text box; each paragraph is (text, size, style) or a list of those runs. A one-run paragraph is
    shortened to `lines` lines of the box."""
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    body = frame._txBody.bodyPr  # wrap, anchor and insets as attributes (see _style)
    body.set("wrap", "square")
    body.set("anchor", _ANCHORS[anchor])
    for side, inches in (("lIns", CELL_PAD), ("rIns", CELL_PAD), ("tIns", 0.03), ("bIns", 0.03)):
        body.set(side, str(Inches(inches)))
    if fill:
        box.fill.solid()
        box.fill.fore_color.rgb = _rgb(fill)
    for i, runs in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        runs = runs if isinstance(runs, list) else [runs]
        for value, size, options in runs:
            run = paragraph.add_run()
            run.text = (_shorten(value, width - 2 * CELL_PAD, size, lines, options.get("bold", False))
                        if len(runs) == 1 else safe.single_line(value))
            _style(run, size, **options)
        paragraph.space_after = Pt(runs[0][1] * 0.3)
    return box


def _heading(slide, title: str, subtitle: str | None = None):
    _rectangle(slide, 0, 0, SLIDE_W, 0.12, ACCENT)
    # A long area name gets a smaller type before it loses words.
    inner = INNER_W - 2 * CELL_PAD
    size = next((s for s in (26, 23, 20) if _wrapped(safe.single_line(title), inner, s, True) == 1), 20)
    _text(slide, MARGIN, 0.3, INNER_W, 0.7, [(title, size, {"bold": True})], anchor=MSO_ANCHOR.MIDDLE)
    if subtitle:
        _text(slide, MARGIN, 0.98, INNER_W, 0.42, [(subtitle, 14, {"colour": MUTED})])


# ---------------------------------------------------------------- tables

def _row_height(lines: int, size: float) -> float:
    return lines * size * LINE_EM / 72 + 0.08


def _fit(rows: list[list[str]], widths: list[float], size: float, max_lines: int,
         bold: bool = False) -> tuple[list[list[str]], list[float]]:
    """Rows shortened to `max_lines` lines per cell, and each row's height in inches."""
    fitted, heights = [], []
    for row in rows:
        cells = [_shorten(v, w - 2 * CELL_PAD, size, max_lines, bold) for v, w in zip(row, widths)]
        lines = max(_wrapped(c, w - 2 * CELL_PAD, size, bold) for c, w in zip(cells, widths))
        fitted.append(cells)
        heights.append(_row_height(lines, size))
    return fitted, heights


def _take(heights: list[float], room: float) -> int:
    """How many of the rows fit in `room` inches."""
    used, count = 0.0, 0
    for h in heights:
        if used + h > room:
            break
        used, count = used + h, count + 1
    return count


def _table(slide, left: float, top: float, header: list[str], rows: list[list[str]], widths: list[float],
           heights: list[float], size: float, *, align: list | None = None) -> float:
    """A table of fitted rows under a header; returns its height in inches."""
    [head], [head_height] = _fit([header], widths, size, 2, bold=True)
    shape = slide.shapes.add_table(len(rows) + 1, len(header), Inches(left), Inches(top), Inches(sum(widths)),
                                   Inches(head_height + sum(heights)))
    table = shape.table
    table.horz_banding = False
    for c, w in enumerate(widths):
        table.columns[c].width = Inches(w)
    for r, h in enumerate([head_height, *heights]):
        table.rows[r].height = Inches(h)
    for r, row in enumerate([head, *rows]):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            properties = cell._tc.get_or_add_tcPr()  # margins and anchor as attributes (see _style)
            for side, inches in (("marL", CELL_PAD), ("marR", CELL_PAD), ("marT", 0.03), ("marB", 0.03)):
                properties.set(side, str(Inches(inches)))
            properties.set("anchor", "ctr")
            _cell_fill(cell, HEADER_FILL if r == 0 else (BAND_FILL if r % 2 == 0 else "FFFFFF"))
            paragraph = cell.text_frame.paragraphs[0]
            paragraph.alignment = (align[c] if align and r else None) or PP_ALIGN.LEFT
            run = paragraph.add_run()
            run.text = value
            _style(run, size, bold=r == 0, colour="FFFFFF" if r == 0 else INK)
    return head_height + sum(heights)


def _header_height(header: list[str], widths: list[float], size: float) -> float:
    return _fit([header], widths, size, 2, bold=True)[1][0]


# ---------------------------------------------------------------- charts

def _bar_chart(slide, left: float, top: float, width: float, height: float, spec: charts.BarChart,
               size: float = 12):
    """A native chart of `spec` (charts.bar_chart: order, figures, colours): horizontal bars of fractions, the
    first on top; each bar labelled with the dashboard's figure, or "Chưa có số liệu" where there is none."""
    values = [b.value for b in spec.bars]
    data = _TextChartData(number_format="0.0%")
    data.categories = [safe.single_line(b.name) for b in spec.bars]
    data.add_series(T["attainment_series"], values, number_format="0.0%")
    gaps = [i for i, v in enumerate(values) if v is None]
    if gaps:
        # Neither PowerPoint nor LibreOffice draws a label on an empty point, so the "no data" labels sit on
        # zero-length bars of a second series overlaid on the first.
        data.add_series(text.STATUS["no_data"], [0 if v is None else None for v in values], number_format="0.0%")
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(left), Inches(top), Inches(width),
                                   Inches(height), data)
    chart = frame.chart
    chart.has_title = False
    chart.has_legend = False
    chart.font.name, chart.font.size = FONT, Pt(size)
    chart.font.color.rgb = _rgb(INK)
    plot = chart.plots[0]
    plot.vary_by_categories = False
    plot.gap_width = 60
    plot.overlap = 100

    category_axis = chart.category_axis
    category_axis.reverse_order = True
    category_axis.crosses = XL_AXIS_CROSSES.MAXIMUM  # keeps the value axis at the bottom once reversed
    category_axis.format.line.color.rgb = _rgb("888888")
    category_axis.has_major_gridlines = False

    value_axis = chart.value_axis
    largest = spec.top
    value_axis.minimum_scale = 0
    # Room right of a full bar for its label; ticks stop at 100% unless a value goes beyond it.
    value_axis.maximum_scale = math.ceil((largest + 0.14) * 20) / 20
    value_axis.major_unit = 0.25 if width > 6 else 0.5  # ticks that fit without being turned
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = _rgb("DDDDDD")
    value_axis.format.line.fill.background()
    value_axis.tick_labels.number_format = "0%"
    value_axis.tick_labels.number_format_is_linked = False

    series = plot.series[0]
    for i, bar in enumerate(spec.bars):
        if bar.value is None:
            continue
        point = series.points[i]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(bar.colour)
        point.format.line.color.rgb = _rgb("333333")
        point.format.line.width = Pt(0.5)
        _label(point, bar.figure, XL_LABEL_POSITION.OUTSIDE_END, size, bold=True)
    if gaps:
        marker = plot.series[1]
        marker.format.fill.background()
        marker.format.line.fill.background()
        for i in gaps:
            _label(marker.points[i], spec.bars[i].label, XL_LABEL_POSITION.INSIDE_BASE, size, italic=True,
                   colour=MUTED)
    return frame


def _label(point, value: str, position, size: float, **style):
    label = point.data_label
    label.position = position
    run = label.text_frame.paragraphs[0].add_run()
    run.text = value
    _style(run, size, **style)


def _legend(slide, left: float, top: float):
    """Status names beside their colours, so the bars do not depend on colour alone."""
    x = left
    for key in ("met", "near", "below", "no_data"):
        _rectangle(slide, x, top + 0.08, 0.2, 0.2, charts.STATUS_COLOURS[key], line="333333")
        label = text.STATUS[key]
        width = _width(label, 12) + 2 * CELL_PAD + 0.1
        _text(slide, x + 0.24, top, width, 0.34, [(label, 12, {"colour": MUTED})])
        x += 0.24 + width + 0.3




# ---------------------------------------------------------------- slides

class _Deck:
    def __init__(self, report: Report):
        self.report = report
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
        self.blank = next(layout for layout in self.prs.slide_layouts if layout.name == "Blank")

    def slide(self):
        return self.prs.slides.add_slide(self.blank)

    def footers(self):
        r = self.report
        total = len(self.prs.slides)
        left = P["footer"].format(plan=r.plan_title, period=r.period_label)
        if r.illustrative:
            left += " · " + P["illustrative_short"]
        for number, slide in enumerate(self.prs.slides, start=1):
            _text(slide, MARGIN, 7.02, INNER_W - 2.0, 0.32, [(left, 10, {"colour": MUTED})], anchor=MSO_ANCHOR.MIDDLE)
            _text(slide, SLIDE_W - MARGIN - 1.9, 7.02, 1.9, 0.32,
                  [(T["page"].format(page=number, pages=total), 10, {"colour": MUTED})],
                  align=PP_ALIGN.RIGHT, anchor=MSO_ANCHOR.MIDDLE)

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


def _title_slide(deck: _Deck):
    r = deck.report
    slide = deck.slide()
    _rectangle(slide, 0, 0, 0.35, SLIDE_H, ACCENT)
    left, width = MARGIN + 0.4, INNER_W - 0.4
    _text(slide, left, 1.0, width, 0.5, [(r.organisation, 20, {"colour": ACCENT, "bold": True})])
    _text(slide, left, 1.6, width, 1.4, [(r.title, 34, {"bold": True})], lines=2)
    _text(slide, left, 3.05, width, 0.9, [(r.plan_title, 22, {})], lines=2)
    _text(slide, left, 4.1, width, 1.0, [(r.period_line, 18, {}), (r.source_line, 14, {"colour": MUTED})])
    if r.illustrative:
        _text(slide, left, 5.4, width, 0.6, [(T["report_illustrative"], 16, {"bold": True, "colour": WARNING_INK})],
              fill=WARNING_FILL, anchor=MSO_ANCHOR.MIDDLE)


def _overview_slide(deck: _Deck):
    r = deck.report
    slide = deck.slide()
    _heading(slide, P["overview_title"], r.period_line)
    # Headline figures as cards, two columns by three rows, left of the chart.
    card_w, card_h, gap = 1.75, 1.55, 0.15
    for i, (label, shown) in enumerate(r.headline):
        x = MARGIN + (i % 2) * (card_w + gap)
        y = CONTENT_TOP + 0.1 + (i // 2) * (card_h + gap)
        _rectangle(slide, x, y, card_w, card_h, CARD_FILL)
        if shown in STATUS_KEY:  # the overall status, in its colour as on the chart
            _rectangle(slide, x, y, 0.09, card_h, charts.STATUS_COLOURS[STATUS_KEY[shown]])
        _text(slide, x + 0.1, y + 0.08, card_w - 0.15, 0.6, [(label, 12, {"colour": MUTED})], lines=2)
        _text(slide, x + 0.1, y + 0.68, card_w - 0.15, 0.8, [(shown, 24, {"bold": True})],
              anchor=MSO_ANCHOR.BOTTOM, lines=2)

    frame = r.by_area.frame
    left = MARGIN + 2 * card_w + gap + 0.35
    width = SLIDE_W - MARGIN - left
    _text(slide, left, CONTENT_TOP, width, 0.4, [(T["by_area"], 16, {"bold": True})])
    if frame.empty:  # a chart needs at least one category
        _text(slide, left, CONTENT_TOP + 0.5, width, 0.4, [(P["no_chart"], 13, {"colour": MUTED})])
        return
    height = CONTENT_BOTTOM - CONTENT_TOP - 0.95
    _bar_chart(slide, left, CONTENT_TOP + 0.45, width, height, charts.area_bar_chart(frame, "status_key"))
    _legend(slide, left + 0.1, CONTENT_TOP + 0.5 + height)


CHART_W = 4.6   # left part of an area slide; its table takes the rest
COMMENT_H = 1.05  # inches at the foot of an area slide for the office's comment: three lines and who wrote it


def _area_slides(deck: _Deck, progress: Progress, start: float, end: float):
    r = deck.report
    frame = r.by_area.frame
    keys = [c.key for c in r.by_area.columns]
    count = len(frame)
    for index, (code, shown) in enumerate(zip(frame["area_code"], r.by_area.shown())):
        progress(start + (end - start) * index / max(count, 1), P["step_area"].format(index=index + 1, count=count))
        row = dict(zip(keys, shown))
        slide = deck.slide()
        summary = text.AREA_PAGE["summary"].format(
            attainment=row["attainment"], status=row["status"], met=row["targets_met"], targets=row["targets"],
            overdue=row["tasks_overdue"], coverage=row["coverage"])
        _heading(slide, T["area_slide"].format(name=row["name"]), summary)
        comment = r.area_comment(code)
        bottom = CONTENT_BOTTOM - (COMMENT_H + 0.1 if comment else 0)
        _area_chart(slide, r, code, bottom)
        _area_targets(slide, r.area_targets(code), bottom)
        if comment:
            _area_comment(slide, comment, bottom + 0.1)


def _area_comment(slide, comment: dict, top: float):
    """The office's comment on the area, shortened with "…" to three lines, and who wrote it when."""
    K = text.COMMENTARY
    _text(slide, MARGIN, top, INNER_W, COMMENT_H,
          [(K["area_comment_line"].format(comment=comment["text"]), 12, {}),
           (K["area_comment_by"].format(by=comment["by"], at=comment["at"]), 10, {"colour": MUTED, "italic": True})],
          fill=CARD_FILL, lines=3)


def _area_chart(slide, r: Report, code: str, bottom: float = CONTENT_BOTTOM):
    units = r.area_units(code).frame
    # A unit without a figure in an area has no targets or tasks there: it is left off, not shown as missing.
    units = units[[not missing(a) for a in units["attainment"]]]
    if len(units):
        title, names = P["units_chart"], list(units["unit"])
        values = [float(a) for a in units["attainment"]]
        statuses = [rollup_status(v) for v in values]  # the report keeps only the figure
    else:
        targets = r.area_targets(code).frame
        title, names = P["targets_chart"], list(targets["code"])
        values, statuses = list(targets["attainment"]), list(targets["status_key"])
    _text(slide, MARGIN, CONTENT_TOP, CHART_W, 0.4, [(title, 14, {"bold": True})])
    if not names:
        _text(slide, MARGIN, CONTENT_TOP + 0.5, CHART_W, 0.4, [(P["no_chart"], 13, {"colour": MUTED})])
        return
    height = min(bottom - CONTENT_TOP - 0.5, 0.9 + 0.55 * len(names))
    _bar_chart(slide, MARGIN, CONTENT_TOP + 0.45, CHART_W, height, charts.bar_chart(names, values, statuses))


def _area_targets(slide, targets: Table, bottom: float = CONTENT_BOTTOM):
    left = MARGIN + CHART_W + 0.3
    width = SLIDE_W - MARGIN - left
    frame = targets.frame
    open_rows = frame[frame["status_key"] != "met"]
    total = len(frame)
    if not total:
        _text(slide, left, CONTENT_TOP, width, 0.4, [(P["no_targets"], 14, {"colour": MUTED})])
        return
    if open_rows.empty:
        _text(slide, left, CONTENT_TOP, width, 0.4, [(P["all_met"].format(total=total), 14, {"bold": True})])
        return
    _text(slide, left, CONTENT_TOP, width, 0.4,
          [(P["open_targets"].format(count=len(open_rows), total=total), 14, {"bold": True})])
    # Worst first; targets without figures after those with figures.
    order = open_rows.assign(_missing=open_rows["attainment"].isna()).sort_values(
        ["_missing", "attainment"], kind="stable").index
    shown = targets.shown()
    keys = [c.key for c in targets.columns]
    columns = [keys.index(k) for k in ("code", "text", "target", "actual", "attainment", "status")]
    header = [targets.columns[i].label for i in columns]
    widths = [0.7, 0, 0.85, 0.9, 0.85, 1.0]
    widths[1] = width - sum(widths)
    size = 11
    top = CONTENT_TOP + 0.45
    room = bottom - top - _header_height(header, widths, size)
    # Three lines of each text when every row still fits, otherwise two lines and more rows.
    for max_lines in (3, 2):
        rows, heights = _fit([[shown[i][c] for c in columns] for i in order], widths, size, max_lines)
        fits = _take(heights, room)
        if fits == len(rows):
            break
    if fits < len(rows):
        fits = _take(heights, room - 0.35)
    right = PP_ALIGN.RIGHT
    used = _table(slide, left, top, header, rows[:fits], widths, heights[:fits], size,
                  align=[None, None, right, right, right, None])
    if fits < len(rows):
        _text(slide, left, top + used + 0.05, width, 0.3,
              [(P["more_targets"].format(count=len(rows) - fits), 11, {"italic": True, "colour": MUTED})])


def _explanation_slides(deck: _Deck):
    """The units' explanations of the targets not met (kpi/commentary.py), on slides of their own; none when no
    such target is explained."""
    table = deck.report.explanations
    frame = table.frame
    at_risk = [i for i, status in enumerate(frame["status_key"]) if status != "met"]
    if not at_risk:
        return
    K = text.COMMENTARY
    shown = table.shown()
    keys = [c.key for c in table.columns]
    columns = [keys.index(k) for k in ("code", "target_text", "unit", "text", "by", "at")]
    header = [table.columns[i].label for i in columns]
    widths = [0.8, 2.6, 1.6, 0, 1.4, 1.45]
    widths[3] = INNER_W - sum(widths)
    size = 11
    rows, heights = _fit([[shown[i][c] for c in columns] for i in at_risk], widths, size, max_lines=4)
    room = CONTENT_BOTTOM - CONTENT_TOP - _header_height(header, widths, size) - 0.35
    pages, start = [], 0
    while start < len(rows):
        fits = max(_take(heights[start:], room), 1)
        pages.append((start, start + fits))
        start += fits
    for number, (first, last) in enumerate(pages, start=1):
        slide = deck.slide()
        title = K["explanations_slide"] if number == 1 else P["continued"].format(
            title=K["explanations_slide"], page=number, pages=len(pages))
        _heading(slide, title, deck.report.period_line)
        used = _table(slide, MARGIN, CONTENT_TOP, header, rows[first:last], widths, heights[first:last], size)
        if last < len(rows):
            _text(slide, MARGIN, CONTENT_TOP + used + 0.05, INNER_W, 0.3,
                  [(K["more_explanations"].format(count=len(rows) - last), 11, {"italic": True, "colour": MUTED})])


def _overdue_slides(deck: _Deck):
    r = deck.report
    table = r.overdue
    subtitle = P["overdue_count"].format(count=text.format_number(len(table.frame)), as_of=text.format_date(r.as_of))
    widths = [1.1, 0, 1.7, 1.3, 2.9]
    widths[1] = INNER_W - sum(widths)
    _table_slides(deck, table, T["overdue"], subtitle, widths, text.OVERVIEW["none_overdue"], P["more_overdue"])


def _reporting_slides(deck: _Deck):
    """«Tình hình báo cáo»: who has not reported first; the rates under the title."""
    table = deck.report.coverage
    title, _, subtitle = table.title.partition(" · ")
    widths = [0] + [1.6, 1.9, 2.2, 1.3, 1.3][:len(table.columns) - 1]
    widths[0] = INNER_W - sum(widths)
    _table_slides(deck, table, title, subtitle or None, widths, text.CYCLE["none_expected"], P["more_units"])


def _table_slides(deck: _Deck, table: Table, title_text: str, subtitle: str | None, widths: list[float],
                  empty_text: str, more: str):
    if table.empty:
        slide = deck.slide()
        _heading(slide, title_text, subtitle)
        _text(slide, MARGIN, CONTENT_TOP, INNER_W, 0.5, [(empty_text, 16, {})])
        return
    header = [c.label for c in table.columns]
    size = 12
    rows, heights = _fit(table.shown(), widths, size, max_lines=2)
    room = CONTENT_BOTTOM - CONTENT_TOP - _header_height(header, widths, size) - 0.35
    pages, start = [], 0
    while start < len(rows):
        fits = max(_take(heights[start:], room), 1)
        pages.append((start, start + fits))
        start += fits
    for number, (first, last) in enumerate(pages, start=1):
        slide = deck.slide()
        title = title_text if number == 1 else P["continued"].format(title=title_text, page=number, pages=len(pages))
        _heading(slide, title, subtitle)
        used = _table(slide, MARGIN, CONTENT_TOP, header, rows[first:last], widths, heights[first:last], size)
        if last < len(rows):
            _text(slide, MARGIN, CONTENT_TOP + used + 0.05, INNER_W, 0.3,
                  [(more.format(count=len(rows) - last), 11, {"italic": True, "colour": MUTED})])


# The changes that matter most at a meeting first, with how many rows of each to list at most.
HIGHLIGHTS = [("targets_missed", 3), ("tasks_overdue", 3), ("areas_change", 3), ("targets_met", 2),
              ("tasks_completed", 2), ("units_change", 2)]


def _change_parts(table: Table, row: dict) -> tuple[str, str, str]:
    """A changed row as (prefix, name, suffix); only the name is shortened to fit the line. The reason goes
    last: "100,0% → 100,0%" alone would not say why the row is listed."""
    reason = P["change_reason"].format(reason=row["reason"]) if row.get("reason") else ""
    if table.key in ("targets_met", "targets_missed"):
        change = P["status_change"].format(before=row["status_before"], after=row["status_after"])
        figures = P["status_change"].format(before=row["attainment_before"], after=row["attainment_after"])
        return f"• {row['code']} · ", row["text"], f": {change} ({figures}){reason}"
    if table.key in ("tasks_overdue", "tasks_completed"):
        change = P["status_change"].format(before=row["state_before"], after=row["state_after"])
        return f"• {row['code']} · ", row["text"], f": {change}"
    return "• ", row["name"], ": " + P["level_change"].format(
        before=row["attainment_before"], after=row["attainment_after"], change=row["change"]) + reason


def _changes_slide(deck: _Deck):
    r = deck.report
    slide = deck.slide()
    _heading(slide, T["changes"], r.changes_against)
    if not r.changes:
        _text(slide, MARGIN, CONTENT_TOP, INNER_W, 0.5, [(T["no_previous"], 16, {})])
        return
    if all(t.empty for t in r.changes):
        _text(slide, MARGIN, CONTENT_TOP, INNER_W, 0.5, [(T["no_changes"], 16, {})])
        return

    widths = [3.5, 0.9]
    _text(slide, MARGIN, CONTENT_TOP, sum(widths), 0.4, [(P["counts"], 14, {"bold": True})])
    rows, heights = _fit([[t.title, text.format_number(len(t.frame))] for t in r.changes], widths, 12, 2)
    _table(slide, MARGIN, CONTENT_TOP + 0.45, [P["change_kind"], P["change_count"]], rows, widths, heights, 12,
           align=[None, PP_ALIGN.RIGHT])

    left = MARGIN + sum(widths) + 0.4
    width = SLIDE_W - MARGIN - left
    inner = width - 2 * CELL_PAD
    size = 12
    paragraphs = [(P["highlights"], 14, {"bold": True})]
    # A line and the paragraph spacing after it: 1.2 + 0.3 em in PowerPoint, about 1.4 in LibreOffice.
    line = size * 1.5 / 72
    lines_left = int((CONTENT_BOTTOM - CONTENT_TOP - 14 * 1.5 / 72) / line)
    by_key = {t.key: t for t in r.changes}
    for key, limit in HIGHLIGHTS:
        table = by_key.get(key)
        if table is None or table.empty or lines_left < 2:
            continue
        frame = table.frame.reset_index(drop=True)
        order = list(frame["change"].abs().sort_values(ascending=False, kind="stable").index
                     if "change" in frame else frame.index)
        keys = [c.key for c in table.columns]
        shown = table.shown()
        # The heading carries the count, so rows left off are not lost from view.
        paragraphs.append((f"{table.title} ({text.format_number(len(frame))})", size,
                           {"bold": True, "colour": ACCENT}))
        lines_left -= 1
        for i in order[:limit]:
            prefix, name, suffix = (safe.single_line(part) for part in _change_parts(table, dict(zip(keys, shown[i]))))
            room = inner - _width(prefix + suffix, size)
            name = _shorten(name, max(room, 1.5), size)
            lines = _wrapped(prefix + name + suffix, inner, size)
            if lines > lines_left:
                break
            paragraphs.append([(prefix, size, {}), (name, size, {}), (suffix, size, {"colour": MUTED})])
            lines_left -= lines
    _text(slide, left, CONTENT_TOP, width, CONTENT_BOTTOM - CONTENT_TOP, paragraphs)


# ---------------------------------------------------------------- entry point

def render(report: Report, progress: Progress) -> bytes:
    deck = _Deck(report)
    progress(0.0, P["step_title"])
    _title_slide(deck)
    progress(0.1, P["step_overview"])
    _overview_slide(deck)
    _reporting_slides(deck)
    _area_slides(deck, progress, 0.2, 0.7)
    _explanation_slides(deck)
    progress(0.75, P["step_overdue"])
    _overdue_slides(deck)
    progress(0.85, P["step_changes"])
    _changes_slide(deck)
    progress(0.95, P["step_pack"])
    deck.footers()
    data = deck.bytes()
    progress(1.0, P["step_pack"])
    return data
