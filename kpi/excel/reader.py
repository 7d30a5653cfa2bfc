"""Reads an uploaded workbook safely: checks first, then python-calamine in a child process.

python-calamine 0.9.1 can abort the whole process on a 5 KB file (one cell at XFD1048576 makes it
allocate 512 GiB; docs/reliability-catalogue.md §0), and no try/except catches an abort. So the parent checks
the container (kpi.excel.safety: sizes counted while inflating, members, overlaps, DTDs, encryption,
macros) before a child process with a memory limit is asked to parse the cells. A child that dies is a
refused file; the dashboard stays up. Formulas are never evaluated: calamine returns the values Excel or
LibreOffice cached.

Timeline of one read (the child is what makes it safe; the order is what makes it fast on two cores):
  server: start child | check container | ask child | describe sheets (extent, formulas…) | metadata callback | checks
  child:        boots and loads calamine | waits    | parses: metadata sheet → sent, data sheets → sent
A far cell found by the description is refused with its own message and the child is killed; had the child
reached it first, only the child dies. Child protocol: kpi/excel/read_child.py.
"""
from __future__ import annotations

import html
import io
import json
import pickle
import re
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from defusedxml import ElementTree as SafeET
from xlsxwriter.utility import xl_col_to_name

from kpi.excel import safety
from kpi.problems import ImportRejected, Problem

# Address space of the reading process. Measured: 30 MB for a 10.000-row consolidated report; an extreme
# honest file (20.000 rows, a 2.000-character note and a hyperlink in every row, 61 MB unpacked) peaks at
# ~220 MB resident and needs 340 MB of address space. A hostile file under the size cap can ask calamine for
# more (a million-row range hidden from the pre-scan: ~430 MB); at this limit the child dies instead.
CHILD_MEMORY_BYTES = 384 * 1024 * 1024
CHILD_SECONDS = 60
CHILD_SCRIPT = Path(__file__).with_name("read_child.py")
MAX_MESSAGE_BYTES = CHILD_MEMORY_BYTES  # an answer cannot be larger than the child
MAX_ROWS = 20_000          # a consolidated workbook of a whole department stays far below
MAX_COLUMNS = 200
CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"')
ROW_REF = re.compile(rb'<row [^>]*?r="(\d{1,7})"')
WIDE_CELL_REF = re.compile(rb'<c r="([A-Z]{2,3})\d')
FORMULA = re.compile(rb'<f[ >/]')  # a cell formula; data validations hold <formula1>, which is not one
CELL_OPEN = re.compile(rb'<c r="([A-Z]{1,3}\d{1,7})"([^>]*)>')
CACHED_VALUE = re.compile(rb'<v>[^<]')
TEXT_RESULT = re.compile(rb'\bt="(?:str|s|inlineStr)"')
ERROR_CELL = re.compile(rb'<c r="([A-Z]{1,3}\d{1,7})"[^>]*\bt="e"[^>]*>(?:(?!</c>).)*?<v>([^<]*)</v>', re.S)
HIDDEN_ROW = re.compile(rb'<row r="(\d{1,7})"[^>]*\bhidden="(?:1|true)"[^>]*>((?:(?!</row>).)*)</row>', re.S)
COL_TAG = re.compile(rb'<col\b[^>]*>')
EXTERNAL_FORMULA = re.compile(rb'<c r="([A-Z]{1,3}\d{1,7})"[^>]*><f>[^<]*\[\d+\]')
MERGE = re.compile(rb'<mergeCell ref="([A-Z]{1,3}\d{1,7}):([A-Z]{1,3}\d{1,7})"')
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


@dataclass
class SheetScan:
    name: str
    max_row: int = 0
    max_column: int = 0
    formulas_without_value: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)   # cells holding a cached error (#DIV/0!)
    hidden_rows: list[int] = field(default_factory=list)    # hidden rows that hold values
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)  # (min, max) column numbers
    external: list[str] = field(default_factory=list)      # formulas taking values from another workbook
    percent_cells: set[str] = field(default_factory=set)   # cells shown as a percentage (0,955 shows 95,5%)


@dataclass
class Workbook:
    kind: str                                  # xlsx | xls | ods
    sheets: dict[str, list[list]]              # by sheet name: rows from A1, values as calamine gives them
    visible: dict[str, str]                    # sheet name -> visible | hidden | veryhidden
    scans: dict[str, SheetScan]
    peak_kib: int = 0                          # peak resident memory of the reading process
    date1904: bool = False                     # serials count days from 01/01/1904 (workbookPr date1904)


def _reject(code: str, name: str, **params) -> ImportRejected:
    return ImportRejected([Problem(code, params={"name": name, **params})])


def column_number(letters: str | bytes) -> int:
    number = 0
    for ch in (letters.decode() if isinstance(letters, bytes) else letters):
        number = number * 26 + ord(ch) - 64
    return number


def sniff(path: Path, name: str) -> str:
    """xlsx, xls or ods; anything else is refused with what it really is."""
    if not path.exists():
        raise _reject("file_missing", name)
    if path.stat().st_size == 0:
        raise _reject("file_empty", name)
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(safety.CFB_MAGIC):
        with path.open("rb") as handle:
            blob = handle.read(1 << 20)
        if "EncryptionInfo".encode("utf-16-le") in blob:
            raise _reject("file_encrypted", name)
        return "xls"
    if head.startswith(safety.ZIP_MAGIC):
        if b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet" in head:
            return "ods"
        return "xlsx"
    raise _reject("file_not_xlsx", name, detected=safety.detect(head))


@dataclass
class _SheetPart:
    name: str
    xml: bytes


def date_system_1904(path: Path) -> bool:
    """Whether the workbook counts dates from 1904 (<workbookPr date1904="1"/>, Excel for Mac's old default).
    calamine converts date-formatted cells itself; a serial in a General cell is converted by the checks."""
    with zipfile.ZipFile(path) as archive:
        head = archive.read("xl/workbook.xml")[:65536]
    found = re.search(rb'<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(1|true)"', head)
    return found is not None


def gate_xlsx(path: Path, name: str) -> tuple[list[_SheetPart], set[int]]:
    """What must pass before calamine sees the file: the container (kpi.excel.safety: sizes counted while
    inflating, members, overlaps, encryption, macros) and no DTD anywhere. Returns the sheets' XML (inflated once,
    while counting) and the indexes of percentage cell styles, for `describe_xlsx`."""
    parts = safety.check_xlsx(path, name, keep=lambda part: part.startswith("xl/worksheets/"))
    with zipfile.ZipFile(path) as archive:
        try:
            book = SafeET.fromstring(archive.read("xl/workbook.xml"))
            rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        except KeyError as exc:
            raise _reject("file_corrupt", name) from exc
        except Exception as exc:  # defusedxml refuses DTDs and entities; a broken part is refused too
            raise _reject("file_xml_forbidden", name) from exc
        targets = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", NS)}
        try:
            percent = _percent_styles(archive)
        except Exception as exc:  # defusedxml refuses DTDs and entities in styles too
            raise _reject("file_xml_forbidden", name) from exc
        sheets = book.find("m:sheets", NS)
        if sheets is None:
            raise _reject("file_corrupt", name)
        entries = sheets.findall("m:sheet", NS)
        if len(entries) > 50:
            raise _reject("too_many_sheets", name, count=len(entries))
        found = []
        for sheet in entries:
            target = targets.get(sheet.get(f"{{{NS['r']}}}id"), "")
            part = str(PurePosixPath("xl") / target) if not target.startswith("/") else target.lstrip("/")
            try:
                xml = parts[part] if part in parts else archive.read(part)
            except KeyError:
                continue
            if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml[:65536]:
                raise _reject("file_xml_forbidden", name)
            found.append(_SheetPart(sheet.get("name"), xml))
    return found, percent


def extent(xml: bytes) -> tuple[int, int]:
    """(last row, last column) as far as the limits are concerned, bounded by real content: the row of the
    last value in the sheet (rows only formatted down to 1.048.576 are common in real files and do not count),
    columns of 2+ letters (a one-letter column is at most 26, far below MAX_COLUMNS). Found with a few
    searches from the end, never a walk over every row: a sheet of far rows without values (tens of MB from
    a small file) once cost seconds of regex per row. Rows are in order in any file a spreadsheet program
    writes; a far value hidden earlier in a shuffled file is still measured by the reading process."""
    last_value = max(xml.rfind(b"<v>"), xml.rfind(b"<is>"), xml.rfind(b"<v "))
    max_row = 0
    if last_value >= 0:
        row_start = xml.rfind(b"<row ", 0, last_value)
        row = ROW_REF.match(xml, row_start) if row_start >= 0 else None
        if row:
            max_row = int(row.group(1))
        cell_start = xml.rfind(b"<c ", 0, last_value)
        cell = CELL_REF.match(xml, cell_start) if cell_start >= 0 else None
        if cell and cell_start > row_start:
            max_row = max(max_row, int(cell.group(2)))
    last = xml.rfind(b"<row ")
    tail_row = ROW_REF.search(xml, last) if last >= 0 else None
    tail = int(tail_row.group(1)) if tail_row else 0
    max_row = max(max_row, tail if tail < 10_000 else 0)
    max_column = max([column_number(c) for c in set(WIDE_CELL_REF.findall(xml))] + [0])
    return max_row, max_column


def describe_xlsx(parts: list[_SheetPart], percent: set[int]) -> dict[str, SheetScan]:
    """Per sheet: extent (see `extent`), and what the checks need to know beyond the values: formulas with
    no cached value, cached errors, merged ranges, hidden rows and columns holding data, links to other
    workbooks, percentage cells. Runs while the reading process parses the same file."""
    percent_cell = re.compile(rb'<c r="([A-Z]{1,3}\d{1,7})"[^>]*?\bs="(?:%s)"' % b"|".join(
        str(i).encode() for i in sorted(percent))) if percent else None
    scans: dict[str, SheetScan] = {}
    for part in parts:
        xml = part.xml
        scan = SheetScan(part.name, *extent(xml))
        has_formulas = FORMULA.search(xml) is not None
        if has_formulas:
            scan.formulas_without_value = _formulas_without_value(xml)
            if b"[" in xml:
                scan.external = [ref.decode() for ref in EXTERNAL_FORMULA.findall(xml)]
        if b'hidden="' in xml:
            for row_number, body in HIDDEN_ROW.findall(xml):
                if b"<v>" in body or b"<is>" in body:
                    scan.hidden_rows.append(int(row_number))
        data_start = xml.find(b"<sheetData")
        head = xml[:data_start] if data_start >= 0 else xml  # <cols> comes before the cells
        for tag in COL_TAG.findall(head):  # attributes come in any order
            if re.search(rb'\bhidden="(?:1|true)"', tag):
                low, high = re.search(rb'\bmin="(\d+)"', tag), re.search(rb'\bmax="(\d+)"', tag)
                if low and high:
                    scan.hidden_columns.append((int(low.group(1)), int(high.group(1))))
        if b't="e"' in xml:
            for ref, value in ERROR_CELL.findall(xml):
                scan.errors[ref.decode()] = value.decode(errors="replace")
        data_end = xml.rfind(b"</sheetData>")
        tail = xml[data_end:] if data_end >= 0 else xml  # <mergeCells> comes after the cells
        scan.merged = [f"{a.decode()}:{b.decode()}" for a, b in MERGE.findall(tail)]
        if percent_cell:
            scan.percent_cells = {ref.decode() for ref in percent_cell.findall(xml)}
        scans[scan.name] = scan
    return scans


def prescan_xlsx(path: Path, name: str) -> dict[str, SheetScan]:
    """Gate and description in one call (for tools and tests; `read` splits them around the child)."""
    return describe_xlsx(*gate_xlsx(path, name))


ODS_TABLE = re.compile(rb'<table:table [^>]*?table:name="([^"]*)"')
ODS_PERCENT = b'office:value-type="percentage"'
ODS_ROW_REPEAT = re.compile(rb'<table:table-row\b[^>]*?table:number-rows-repeated="(\d+)"')
ODS_CELL_REPEAT = re.compile(rb'<table:(?:covered-)?table-cell\b[^>]*?table:number-columns-repeated="(\d+)"')
ODS_ROW_TAGS = (b"<table:table-row ", b"<table:table-row>")
ODS_ROW_TAG = re.compile(rb"<table:table-row[ >]")
ODS_CELL_TAGS = (b"<table:table-cell", b"<table:covered-table-cell")


class _OdsCounter:
    """How many rows (or cells) start before a position, counting repeats: an .ods writes 5 equal rows
    as one tag with number-rows-repeated="5", so positions are counted, not read from the file. Asked for
    positions in increasing order, it counts each stretch of the XML once (C-speed counts and searches)."""

    def __init__(self, xml: bytes, start: int, tags: tuple[bytes, ...], repeat: re.Pattern):
        self.xml, self.position, self.count, self.tags, self.repeat = xml, start, 0, tags, repeat

    def before(self, position: int) -> int:
        xml, start = self.xml, self.position
        self.count += sum(xml.count(tag, start, position) for tag in self.tags)
        self.count += sum(int(n) - 1 for n in self.repeat.findall(xml, start, position))
        self.position = position
        return self.count


def _ods_last(xml: bytes, tags: tuple[bytes, ...], start: int, end: int) -> int:
    return max(xml.rfind(tag, start, end) for tag in tags)


def _ods_repeats(repeat: re.Pattern, xml: bytes, tag_start: int) -> int:
    """How many times the row or cell whose tag starts here stands (the pattern cannot leave the tag)."""
    tag = repeat.match(xml, tag_start)
    return int(tag.group(1)) if tag else 1


def describe_ods(content: bytes) -> dict[str, SheetScan]:
    """Per sheet of an .ods: its percentage cells (office:value-type="percentage"; calamine gives the stored
    fraction 0,965 of a cell showing 96,5%). The other checks of `describe_xlsx` are not made for .ods:
    extents are measured by the reading process. Cell references are counted only up to each percentage cell
    (a file without one costs a single search), and within the limits on rows and columns."""
    tables = [(m.start(), html.unescape(m.group(1).decode(errors="replace"))) for m in ODS_TABLE.finditer(content)]
    scans: dict[str, SheetScan] = {}
    for number, (start, sheet) in enumerate(tables):
        end = tables[number + 1][0] if number + 1 < len(tables) else len(content)
        scan = scans[sheet] = SheetScan(sheet)
        found = content.find(ODS_PERCENT, start, end)
        rows = _OdsCounter(content, start, ODS_ROW_TAGS, ODS_ROW_REPEAT)
        # Every search below is bounded by where the last one stopped, so a sheet is scanned about once
        # however many percentage cells it has (a hostile file may hold a million in one row).
        row_start, next_row, cell_start = -1, start, start
        while found >= 0:
            if found > next_row:  # a new row: count the rows before it, and cells from its start
                row_start = _ods_last(content, ODS_ROW_TAGS, next_row, found)
                if row_start < 0:
                    break  # a percentage outside any row: not a file a spreadsheet program writes
                following = ODS_ROW_TAG.search(content, row_start + 1, end)
                next_row, cell_start = following.start() if following else end, row_start
                cells = _OdsCounter(content, row_start, ODS_CELL_TAGS, ODS_CELL_REPEAT)
                row = rows.before(row_start) + 1
                if row > MAX_ROWS:
                    break  # the reading process refuses the sheet
                row_repeats = min(_ods_repeats(ODS_ROW_REPEAT, content, row_start), MAX_ROWS - row + 1)
            cell_start = _ods_last(content, ODS_CELL_TAGS, cell_start, found)
            if cell_start > row_start:  # inside a cell's tag (a percentage elsewhere is no cell calamine reads)
                column = cells.before(cell_start) + 1
                if column > MAX_COLUMNS:  # the reading process refuses the sheet; on to the next row
                    found = content.find(ODS_PERCENT, next_row, end)
                    continue
                column_repeats = min(_ods_repeats(ODS_CELL_REPEAT, content, cell_start), MAX_COLUMNS - column + 1)
                scan.percent_cells.update(f"{xl_col_to_name(c - 1)}{r}" for r in range(row, row + row_repeats)
                                          for c in range(column, column + column_repeats))
            else:
                cell_start = row_start
            found = content.find(ODS_PERCENT, found + len(ODS_PERCENT), end)
    return scans


def _percent_styles(archive: zipfile.ZipFile) -> set[int]:
    """Cell style indexes whose number format scales by 100 (built-in 9 and 10, or a format code with a %
    that is not quoted or escaped): calamine gives such a cell's stored fraction, not what the person saw."""
    try:
        styles = SafeET.fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return set()
    codes = {int(f.get("numFmtId")): f.get("formatCode", "") for f in styles.iterfind("m:numFmts/m:numFmt", NS)}

    def scales(format_id: int) -> bool:
        if format_id in (9, 10):
            return True
        bare = re.sub(r'"[^"]*"|\\.', "", codes.get(format_id, ""))
        return "%" in bare
    return {index for index, xf in enumerate(styles.iterfind("m:cellXfs/m:xf", NS))
            if scales(int(xf.get("numFmtId", "0")))}


def _formulas_without_value(xml: bytes) -> list[str]:
    """Cells whose formula has no cached value. Found from each formula outwards to its cell, so a sheet
    without formulas costs one search."""
    found: list[str] = []
    end = 0
    for formula in FORMULA.finditer(xml):
        if formula.start() < end:
            continue  # a second formula mark inside the cell already looked at
        start = xml.rfind(b"<c ", 0, formula.start())
        opening = CELL_OPEN.match(xml, start) if start >= 0 else None
        end = xml.find(b"</c>", formula.end())
        if opening is None or end < 0:
            continue
        body = xml[opening.end():end]
        # No <v>, or an empty one on a number cell (openpyxl with lxml writes "<v></v>"): never calculated.
        # An empty <v> of a text result is a formula that returned "".
        if not CACHED_VALUE.search(body) and not (
                TEXT_RESULT.search(opening.group(2)) and (b"<v></v>" in body or b"<v/>" in body)):
            found.append(opening.group(1).decode())
    return found


def read(path: Path, name: str | None = None, sheets: tuple[str, ...] = (),
         unread: dict[str, tuple[int, tuple[str, ...]]] | None = None,
         first: tuple[str, Callable[[list[list]], None]] | None = None) -> Workbook:
    """Check and read `path`; raise ImportRejected for anything refused. Only `sheets` are returned
    (all when empty); rows beyond MAX_ROWS or columns beyond MAX_COLUMNS are refused (found while the
    child parses; the child is then killed).
    `unread` names, per sheet, a key row (1-based) and the keys of columns whose cells below that row are
    not wanted (the template's read-only text): they come back as None, so columns keep their places.
    `first` = (sheet, callback): that sheet's rows are handed to the callback as soon as they are read,
    while the reading process goes on with the others; an ImportRejected from the callback stops it."""
    name = name or path.name
    kind = sniff(path, name)
    child = _ReadingProcess()  # starts while this process checks the file; it reads nothing until asked
    try:
        parts, percent = gate_xlsx(path, name) if kind == "xlsx" else ([], set())
        content = safety.check_ods(path, name) if kind == "ods" else b""
        if kind != "xlsx" and path.stat().st_size > 20 * 1024 * 1024:
            raise _reject("file_too_large", name, size=f"{path.stat().st_size // 2**20} MB", limit="20 MB")
        child.ask(path, name, kind, sheets, unread or {}, first and first[0])
        # While the child parses: what the checks need to know, and the extents. A far cell that got this
        # far is refused here with its own message; in the child it only costs that process its memory
        # limit (python-calamine aborts on a cell at XFD1048576), and the child is killed on the way out.
        scans = describe_ods(content) if kind == "ods" else describe_xlsx(parts, percent)
        for scan in scans.values():
            if sheets and scan.name not in sheets:
                continue
            if scan.max_row > MAX_ROWS:
                raise _extent_refused("too_many_rows", scan.name, scan.max_row)
            if scan.max_column > MAX_COLUMNS:
                raise _extent_refused("too_many_columns", scan.name, scan.max_column)
        payload = child.answers(name, first and first[1])
    finally:
        child.close()
    date1904 = kind == "xlsx" and date_system_1904(path)  # the gate already read every part of it safely
    return Workbook(kind, payload["sheets"], payload["visible"], scans, payload.get("peak_kib", 0), date1904)


def _extent_refused(code: str, sheet: str, count: int) -> ImportRejected:
    limit = MAX_ROWS if code == "too_many_rows" else MAX_COLUMNS
    return ImportRejected([Problem(code, sheet=sheet, params={
        "sheet": sheet, "count": f"{count:,}".replace(",", "."), "limit": f"{limit:,}".replace(",", ".")})])


class _ReadingProcess:
    """kpi/excel/read_child.py as a child process: memory- and CPU-limited by itself, killed by a timer
    if it outlives CHILD_SECONDS. A child that dies is a refused file; this process stays up."""

    def __init__(self):
        # Started as a script in isolated mode (-I): no package import, nothing from the environment; it
        # sets its own limits first thing (no preexec_fn: unsafe in a threaded server).
        self.process = subprocess.Popen([sys.executable, "-I", str(CHILD_SCRIPT), str(CHILD_MEMORY_BYTES),
                                         str(CHILD_SECONDS)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.timer = threading.Timer(CHILD_SECONDS, self.process.kill)
        self.timer.daemon = True
        self.timer.start()
        self.asked = False

    def ask(self, path: Path, name: str, kind: str, sheets: tuple[str, ...], unread: dict, first: str | None) -> None:
        request = {"path": str(path), "kind": kind, "sheets": list(sheets), "unread": unread, "first": first,
                   "limits": [MAX_ROWS, MAX_COLUMNS]}
        self.first = first
        self.asked = True
        try:
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.close()
        except OSError as exc:  # the child is already gone
            raise _reject("file_hostile", name) from exc

    def answers(self, name: str, on_first: Callable[[list[list]], None] | None) -> dict:
        message = self._next(name)
        if "first" in message:
            if on_first:
                on_first(message["first"])
            later = self._next(name)
            later["sheets"][self.first] = message["first"]
            message = later
        return message

    def _next(self, name: str) -> dict:
        try:
            size = int.from_bytes(self._exactly(8), "big")
            if size > MAX_MESSAGE_BYTES:
                raise ValueError(size)
            message = _SafeUnpickler(io.BytesIO(self._exactly(size))).load()
        except Exception as exc:  # cut short: killed by its limits, the timer, or an abort inside calamine
            self.process.kill()  # if it is somehow still there, its answer can no longer be trusted
            self.process.wait()
            raise _reject("file_hostile", name) from exc
        if "code" in message:
            self.process.wait()
            if "sheet" in message:
                raise _extent_refused(message["code"], message["sheet"], message["count"])
            raise _reject(message["code"], name)
        return message

    def _exactly(self, size: int) -> bytes:
        data = self.process.stdout.read(size)
        if len(data) != size:
            raise EOFError
        return data

    def close(self) -> None:
        self.timer.cancel()
        if self.process.poll() is None:
            if self.asked:  # still reading a file whose answer is no longer wanted
                self.process.kill()
            else:
                try:
                    self.process.stdin.close()  # a child still waiting for a request ends by itself
                except OSError:
                    pass
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()


class _SafeUnpickler(pickle.Unpickler):
    """Cell values only: a pickle from the reading process may name no class but the datetime ones."""
    ALLOWED = {("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"), ("datetime", "timedelta")}

    def find_class(self, module: str, name: str):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a cell value")
