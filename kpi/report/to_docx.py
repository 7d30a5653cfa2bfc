"""The report as a Word document (python-docx), laid out as NĐ 30/2020/NĐ-CP's Phụ lục I sets an administrative
document: A4, Times New Roman, the decree's margins (from the outline), the two-column heading (agency left,
quốc hiệu and tiêu ngữ right), "Số: …/BC-…", place and date, «BÁO CÁO» and its subject, the body, «Nơi nhận»
and the signature block; then the appendix on landscape pages.

Placeholders are highlighted yellow. The file's own dates (core properties, zip entries) are the content's
fixed moment, so the same snapshot gives the same bytes.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from kpi import clock, text
from kpi.report.content import ReportContent
from kpi.report.draft import Drafter, Paragraph, Table
from kpi.report.outline import Outline, Run, phrase_runs

A4 = (Mm(210), Mm(297))
CENTER, LEFT, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY


class Writer:
    def __init__(self, content: ReportContent, outline: Outline):
        self.c, self.o = content, outline
        self.d = Drafter(content, outline)
        self.doc = Document()
        self.size = Pt(outline.page("size_pt"))
        self._styles()
        self._page(self.doc.sections[0], landscape=False)
        self._page_numbers(self.doc.sections[0])

    # ---- page and styles
    def _styles(self) -> None:
        normal = self.doc.styles["Normal"]
        normal.font.name, normal.font.size = self.o.font, self.size
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):   # Vietnamese letters in every script slot
            fonts.set(qn(attribute), self.o.font)
        normal.paragraph_format.space_after, normal.paragraph_format.space_before = Pt(6), Pt(0)
        normal.paragraph_format.line_spacing = 1.1

    def _page(self, section, landscape: bool) -> None:
        width, height = A4
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (height, width) if landscape else (width, height)
        for side in ("top", "bottom", "left", "right"):
            setattr(section, f"{side}_margin", Mm(self.o.page(f"margins_mm.{side}")))

    def _page_numbers(self, section) -> None:
        """NĐ 30: the page number centred in the top margin, Arabic digits, not shown on the first page. The
        appendix's section continues the same header (linked), so its pages go on counting."""
        section.different_first_page_header_footer = True
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = CENTER
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        number = OxmlElement("w:t")
        number.text = "1"
        run.append(number)
        field.append(run)
        paragraph._p.append(field)

    # ---- paragraphs
    def para(self, runs: list[Run], align=JUSTIFY, *, bold=False, italic=False, caps=False, size=None,
             indent=False, space_after=None, container=None, keep=False):
        paragraph = (container or self.doc).add_paragraph()
        paragraph.alignment = align
        if keep:   # a heading stays on the page of what follows it
            paragraph.paragraph_format.keep_with_next = True
        if indent:
            paragraph.paragraph_format.first_line_indent = Cm(1)
        if space_after is not None:
            paragraph.paragraph_format.space_after = Pt(space_after)
        for piece in runs:
            run = paragraph.add_run(piece.text.upper() if caps else piece.text)
            run.bold, run.italic = bold or None, italic or None
            if size:
                run.font.size = Pt(size)
            if piece.placeholder:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        return paragraph

    def block(self, block: Paragraph) -> None:
        style = {"section": dict(bold=True), "area": dict(bold=True), "item": dict(bold=True, italic=True),
                 "body": {}, "bullet": {}}[block.kind]
        runs = [Run("- "), *block.runs] if block.kind == "bullet" else block.runs
        self.para(runs, JUSTIFY, indent=True, keep=block.kind in ("section", "area", "item"), **style)

    def rule(self, container, width_chars: int = 14) -> None:
        """The short line NĐ 30 draws under the agency's name and under the tiêu ngữ."""
        self.para([Run("\u2500" * width_chars)], CENTER, size=8, space_after=2, container=container)

    # ---- heading (the two-column table of NĐ 30)
    def heading(self) -> None:
        h, o = self.c.heading, self.o
        table = self.doc.add_table(rows=2, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _widths(table, [Mm(62), Mm(103)])
        left, right = table.cell(0, 0), table.cell(0, 1)
        # A parent body without the province's name ("UBND tỉnh") is for the office to complete: highlighted.
        parent = [Run(r.text, r.placeholder or not h.get("province")) for r in o.runs("header.parent", parent=h["parent"])] \
            if h.get("parent") else o.runs("header.parent_missing")
        for cell in (left, right):
            cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
        self.para(parent, CENTER, caps=True, size=12, space_after=0, container=left)
        self.para(o.runs("header.agency", agency=h["agency"]), CENTER, bold=True, caps=True, size=12, space_after=0,
                  container=left)
        self.rule(left, 10)
        self.para(o.runs("header.nation"), CENTER, bold=True, size=12, space_after=0, container=right)
        self.para(o.runs("header.motto"), CENTER, bold=True, size=13, space_after=0, container=right)
        self.rule(right, 22)
        number, place = table.cell(1, 0), table.cell(1, 1)
        for cell in (number, place):
            cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
        symbol = self.symbol() or o.text("header.symbol_missing")
        self.para(_marked(o.runs("header.number", symbol=symbol), None if self.symbol() else symbol), CENTER,
                  size=13, container=number)
        today = clock.to_local(self.c.made_at)
        where = h.get("province") or o.text("header.place_missing")
        runs = o.runs("header.place_date", place=where, day=f"{today.day:02d}", month=f"{today.month:02d}",
                      year=today.year)
        self.para(_marked(runs, None if h.get("province") else where), CENTER, italic=True, size=14, container=place)
        self.para(o.runs("header.doc_type"), CENTER, bold=True, size=14, space_after=0)
        self.para(o.runs("header.subject", period=self.period_phrase()), CENTER, bold=True, size=14, space_after=0)
        self.rule(self.doc, 12)
        self.para(o.runs("header.draft_note", made_at=text.format_datetime(self.c.made_at), source=self.source(),
                         as_of=text.format_date(self.c.as_of)), CENTER, italic=True, size=11)

    def symbol(self) -> str | None:
        """The agency's symbol from the plan's number: "311/KH-SYT" -> "SYT"."""
        number = self.c.heading.get("number") or ""
        _, dash, symbol = number.partition("KH-")
        return symbol.strip() or None if dash else None

    def period_phrase(self) -> str:
        period = self.c.scope.period
        return self.o.period_phrase(period.key, period.year)

    def source(self) -> str:
        s = self.c.snapshot
        if s is None:
            return self.o.text("header.source_live")
        return self.o.text("header.source_snapshot", name=s.name, id=s.id, at=text.format_datetime(s.created_at))

    def plan_reference(self) -> str:
        h = self.c.heading
        title = h.get("title") or self.o.text("plan_title_missing", year=self.c.scope.year)
        number = h.get("number") or text.MISSING
        if number.startswith("/"):  # the plan's text gives its symbol but not its number ("/KH-SYT"): a gap to fill
            number = self.o.text("plan_number_missing") + number
        fields = dict(number=number, agency=h["agency"], title=title[:1].lower() + title[1:])
        if h.get("issued_on"):
            return self.o.text("plan_reference", issued=text.format_date(h["issued_on"]), **fields)
        return self.o.text("plan_reference_undated", **fields)

    # ---- body
    def body(self) -> None:
        o, d = self.o, self.d
        self.para(o.runs("intro", plan=self.plan_reference(), agency=self.c.heading["agency"],
                         period=self.period_phrase()), indent=True)
        steering, others = self.split_areas()
        self.block(d.p("sections.steering.title", "section"))
        self.block(d.p("sections.steering.plan_issued", agency=self.c.heading["agency"], plan=self.plan_reference()))
        for row in steering:
            for block in d.area(row):
                self.block(block)
        self.block(d.p("sections.steering.placeholder"))
        self.block(d.p("sections.areas.title", "section"))
        for number, row in enumerate(others, start=1):
            self.block(d.p("sections.areas.area_title", "area", number=number, name=row["name"]))
            for block in d.area(row):
                self.block(block)
        if not others:
            self.block(d.p("sections.areas.none"))
        strengths, weaknesses = d.assessment()
        self.block(d.p("sections.assessment.title", "section"))
        self.block(d.p("sections.assessment.strengths_title", "area"))
        for block in strengths:
            self.block(block)
        self.block(d.p("sections.assessment.weaknesses_title", "area"))
        for block in weaknesses:
            self.block(block)
        self.block(d.p("sections.next.title", "section"))
        for block in d.next_tasks():
            self.block(block)
        self.block(d.p("sections.proposals.title", "section"))
        self.block(d.p("sections.proposals.placeholder"))

    def split_areas(self) -> tuple[list, list]:
        """(the steering area's row, the other areas' rows) in the dashboard's order of areas."""
        rows = self.c.areas()
        code = self.o.steering_area
        return [r for r in rows if r["area_code"] == code], [r for r in rows if r["area_code"] != code]

    # ---- closing: «Nơi nhận» left, the signature right
    def closing(self) -> None:
        h, o = self.c.heading, self.o
        table = self.doc.add_table(rows=1, cols=2)
        _widths(table, [Mm(80), Mm(85)])
        left, right = table.cell(0, 0), table.cell(0, 1)
        for cell in (left, right):
            cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
        self.para(o.runs("closing.recipients_title"), LEFT, bold=True, italic=True, size=12, space_after=0,
                  container=left)
        parent = h.get("parent") or o.text("header.parent_missing")
        for phrase in o.raw("closing.recipients"):
            self.para(phrase_runs(phrase, {"parent": parent}), LEFT, size=11, space_after=0, container=left)
        titles = [part.strip() for part in (h.get("signer_title") or "").split(" - ") if part.strip()]
        if titles:
            for line in titles:
                self.para(o.runs("closing.signer_title", title=line), CENTER, bold=True, caps=True, space_after=0,
                          container=right)
        else:
            self.para(o.runs("closing.signer_title_missing"), CENTER, bold=True, space_after=0, container=right)
        self.para(o.runs("closing.signature_note"), CENTER, italic=True, size=12, space_after=60, container=right)
        signer = o.runs("closing.signer", name=h["signer"]) if h.get("signer") else o.runs("closing.signer_missing")
        self.para(signer, CENTER, bold=True, container=right)

    # ---- phụ lục on landscape pages
    def appendix(self) -> None:
        o = self.o
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._page(section, landscape=True)
        section.different_first_page_header_footer = False   # the appendix's first page is numbered too
        self.para(o.runs("appendix.title"), CENTER, bold=True, size=14, space_after=0)
        self.para(o.runs("appendix.subtitle", period=self.period_phrase()), CENTER, bold=True, space_after=0)
        self.para(o.runs("appendix.note", symbol=self.symbol() or "\u2026", agency=self.c.heading["agency"],
                         as_of=text.format_date(self.c.as_of)), CENTER, italic=True, size=12)
        steering, others = self.split_areas()
        # The appendix names each area by its place in the body: "I" (the steering area), "II.1", "II.2" …
        first, second = (self.o.text(f"sections.{key}.title").split(".")[0] for key in ("steering", "areas"))
        numbered = [(first, row) for row in steering] + [(f"{second}.{n}", row) for n, row in enumerate(others, 1)]
        for table in self.d.appendix(numbered):
            self.para([Run(table.title)], LEFT, bold=True, space_after=3, keep=True)
            if table.title == o.text("appendix.reporting_title") and self.c.view.reporting_summary:
                self.para(o.runs("appendix.reporting_summary", summary=self.c.view.reporting_summary), LEFT,
                          italic=True, size=12, space_after=3, keep=True)
            self.table(table)

    def table(self, table: Table) -> None:
        size = Pt(self.o.page("table_size_pt"))
        grid = self.doc.add_table(rows=1 + len(table.rows), cols=len(table.columns))   # made at once: fast
        grid.style = "Table Grid"
        usable = Mm(297 - self.o.page("margins_mm.left") - self.o.page("margins_mm.right"))
        _widths(grid, [int(usable * w / sum(table.widths)) for w in table.widths])
        rows = grid.rows
        _repeat_header(rows[0])
        for cell, label in zip(rows[0].cells, table.columns):
            _cell_text(cell, label, size, bold=True, align=CENTER)
        for drawn, row in zip(rows[1:], table.rows):
            cells = drawn.cells
            if isinstance(row, str):   # an area's name across the table
                _cell_text(cells[0].merge(cells[-1]), row, size, bold=True)
                continue
            for column, (cell, value) in enumerate(zip(cells, row)):
                _cell_text(cell, value, size, align=CENTER if column in table.centred else LEFT)
        self.para([Run("")], space_after=6)

    def properties(self) -> None:
        props = self.doc.core_properties
        moment = clock.to_local(self.c.moment).astimezone(dt.timezone.utc).replace(tzinfo=None)  # stored as UTC
        props.title = self.o.text("header.subject", period=self.period_phrase())
        props.author = props.last_modified_by = self.c.heading["agency"]
        props.created = props.modified = props.last_printed = moment
        props.revision = 1
        props.comments = props.keywords = props.subject = ""

    def render(self) -> bytes:
        self.heading()
        self.body()
        self.closing()
        self.appendix()
        self.properties()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return _fixed_zip(buffer.getvalue(), clock.to_local(self.c.moment))


def _marked(runs: list[Run], missing: str | None) -> list[Run]:
    """The runs with `missing` (the words put in for absent data: «Địa danh») highlighted where they stand."""
    if not missing:
        return runs
    marked = []
    for run in runs:
        for at, part in enumerate(run.text.split(missing)):
            if at:
                marked.append(Run(missing, True))
            if part:
                marked.append(Run(part, run.placeholder))
    return marked


def _cell_text(cell, value: str, size, *, bold: bool = False, align=LEFT) -> None:
    """One run of text in a table cell, written as XML directly: the appendix has a thousand cells and
    python-docx's run API costs a millisecond each. The text is cleaned (text.clean: NFC, one line, no control
    characters XML cannot hold)."""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    run, properties = OxmlElement("w:r"), OxmlElement("w:rPr")
    if bold:
        properties.append(OxmlElement("w:b"))
    points = OxmlElement("w:sz")
    points.set(qn("w:val"), str(round(size.pt * 2)))   # half-points
    properties.append(points)
    run.append(properties)
    words = OxmlElement("w:t")
    words.set(qn("xml:space"), "preserve")
    words.text = text.clean(str(value)) or ""
    run.append(words)
    paragraph._p.append(run)


def _widths(table, widths) -> None:
    """Column widths as Word and LibreOffice both read them: the grid's columns (LibreOffice) and each cell's
    (Word), with a fixed layout so text never widens a column."""
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths):
        column.w = width
    for row in table._tbl.tr_lst:
        for cell, width in zip(row.tc_lst, widths):
            cell.width = width


def _repeat_header(row) -> None:
    """The table's header row repeats on every page the table runs over."""
    properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _fixed_zip(data: bytes, moment: dt.datetime) -> bytes:
    """The same package with every entry dated `moment` (python-docx dates them at saving): same content,
    same bytes."""
    stamp = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, moment.second)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(item.filename))
    return out.getvalue()


def render(content: ReportContent, outline: Outline) -> bytes:
    return Writer(content, outline).render()
