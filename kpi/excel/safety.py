"""Checks a file before any spreadsheet parser sees it (docs/reliability-catalogue.md §0).

Says what a file really is from its first bytes, refuses encrypted and macro workbooks,
and refuses zips whose declared or real unpacked size, member count or overlapping
entries mark them as broken or hostile. This Python's zipfile predates the overlap fix.
"""
from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

from kpi import text
from kpi.problems import ImportRejected, Problem

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 2_000
# Parts that only list other parts grow with their number (≤ MAX_MEMBERS) and the sheets', never with the
# data: a few KB in real workbooks. A bigger one is built to make a parser work (RELIABILITY A4: a 5 MB
# [Content_Types].xml). A sheet's own .rels is not one of them: it grows with the hyperlinks in the sheet
# (Excel turns every typed evidence link into one).
MAX_INDEX_PART_BYTES = 1024 * 1024
INDEX_PARTS = {"[content_types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "_rels/.rels",
               "meta-inf/manifest.xml"}
ZIP_MAGIC = b"PK\x03\x04"
# Everything the container layer raises for damaged bytes (a flipped byte in a deflate stream, a bad CRC, a
# member cut short, a header that lies, a name that is not UTF-8, a part that is not there): a refused file.
CONTAINER_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, struct.error, UnicodeDecodeError, KeyError,
                    OSError, RuntimeError, ValueError, NotImplementedError, OverflowError, IndexError)
# A DTD or entity declaration, as it reads in each encoding an XML parser could take a part to be in (UTF-8,
# UTF-16 and UTF-32 in both byte orders; a BOM only precedes it). The UTF-8 marks also catch every
# ASCII-compatible encoding. Searched at any byte offset, so alignment does not hide one.
_ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
_DTD_MARKS = tuple(word.encode(encoding) for encoding in _ENCODINGS for word in ("<!DOCTYPE", "<!ENTITY"))
_OPENERS = tuple(dict.fromkeys("<!".encode(encoding) for encoding in _ENCODINGS))  # cheap first look
SEAM = max(len(mark) for mark in _DTD_MARKS)
CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def _reject(code: str, name: str, **params) -> ImportRejected:
    return ImportRejected([Problem(code, params={"name": name, **params})])


def detect(head: bytes) -> str:
    """A human name for what the first bytes say the file is."""
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(CFB_MAGIC):
        return text.FILE_KINDS["cfb"]
    if head.lstrip().startswith((b"<!doctype html", b"<html", b"<!DOCTYPE html", b"<HTML")):
        return text.FILE_KINDS["html"]
    if head.startswith(b"%PDF"):
        return text.FILE_KINDS["pdf"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return text.FILE_KINDS["png"]
    if head.startswith(b"\xff\xd8\xff"):
        return text.FILE_KINDS["jpeg"]
    if head.startswith(b"\x7fELF") or head.startswith(b"MZ"):
        return text.FILE_KINDS["program"]
    if head.lstrip().startswith(b"<?xml"):
        return text.FILE_KINDS["xml"]
    try:
        head.decode("utf-8")
        return text.FILE_KINDS["text"]
    except UnicodeDecodeError:
        return text.FILE_KINDS["binary"]


def check_xlsx(path: Path, name: str | None = None, keep=None) -> dict[str, bytes]:
    """Raise ImportRejected unless `path` looks like a sound .xlsx workbook. The parts whose name `keep`
    accepts are returned as inflated while counting, so a caller does not inflate them a second time."""
    return _check_zip(path, name or path.name, keep, _xlsx_parts)


def check_ods(path: Path, name: str | None = None) -> bytes:
    """The same container checks for an OpenDocument spreadsheet (LibreOffice's .ods is a zip of XML too).
    Returns content.xml (inflated once, while counting), where kpi.excel.reader finds percentage cells."""
    return _check_zip(path, name or path.name, lambda part: part == "content.xml", _ods_parts)["content.xml"]


def _xlsx_parts(names: set[str], name: str) -> None:
    if "xl/workbook.bin" in names:  # .xlsb: binary records, which the checks of kpi.excel.reader cannot see into
        raise _reject("file_xlsb", name)
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise _reject("file_not_xlsx", name, detected=text.FILE_KINDS["zip_not_excel"])
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _reject("file_has_macros", name)


def _ods_parts(names: set[str], name: str) -> None:
    if "content.xml" not in names:
        raise _reject("file_not_xlsx", name, detected=text.FILE_KINDS["zip_not_sheet"])
    if any(n.startswith("Basic/") and n.endswith(".xml") and not n.endswith("script-lc.xml") for n in names):
        raise _reject("file_has_macros", name)


def _check_zip(path: Path, name: str, keep, check_parts) -> dict[str, bytes]:
    if not path.exists():
        raise _reject("file_missing", name)
    size = path.stat().st_size
    if size == 0:
        raise _reject("file_empty", name)
    with path.open("rb") as handle:
        head = handle.read(512)
    if head.startswith(CFB_MAGIC):
        with path.open("rb") as handle:
            blob = handle.read(1 << 20)
        if "EncryptionInfo".encode("utf-16-le") in blob:
            raise _reject("file_encrypted", name)
        raise _reject("file_not_xlsx", name, detected=detect(head))
    if not head.startswith(ZIP_MAGIC):
        raise _reject("file_not_xlsx", name, detected=detect(head))
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise _reject("too_many_parts", name, count=text.format_number(len(members)),
                              limit=text.format_number(MAX_MEMBERS))
            declared = sum(m.file_size for m in members)
            if declared > MAX_UNPACKED_BYTES:
                raise _reject("file_too_large", name, size=_size(declared), limit=_size(MAX_UNPACKED_BYTES))
            check_parts({m.filename for m in members}, name)
            _refuse_overlaps(members, name)
            for member in members:
                if member.filename.lower() in INDEX_PARTS and member.file_size > MAX_INDEX_PART_BYTES:
                    raise _reject("part_too_large", name, part=member.filename, size=_size(member.file_size),
                                  limit=_size(MAX_INDEX_PART_BYTES))
            # Headers can lie: count what really inflates, stopping at the cap.
            inflated = 0
            kept: dict[str, bytes] = {}
            for member in members:
                chunks = [] if keep and keep(member.filename) else None
                tail = b""
                index_part = member.filename.lower() in INDEX_PARTS
                part_bytes = 0
                try:
                    stream = archive.open(member)
                except CONTAINER_ERRORS as exc:
                    raise _reject("part_corrupt", name, part=member.filename) from exc
                with stream:
                    while chunk := _read(stream, name, member.filename):
                        inflated += len(chunk)
                        part_bytes += len(chunk)
                        if index_part and part_bytes > MAX_INDEX_PART_BYTES:  # its header understated it
                            limit = _size(MAX_INDEX_PART_BYTES)
                            raise _reject("part_too_large", name, part=member.filename, size=text.more_than(limit),
                                          limit=limit)
                        if inflated > MAX_UNPACKED_BYTES:
                            raise _reject("file_too_large", name, size=text.more_than(_size(MAX_UNPACKED_BYTES)),
                                          limit=_size(MAX_UNPACKED_BYTES))
                        # No part of a workbook needs a DTD; entities are how XXE and "billion laughs" work.
                        # Refused here, whatever parser runs later (openpyxl parses with lxml once lxml is
                        # installed, and lxml resolves entities) and whatever the part's name or encoding:
                        # every part is looked at, parsed by the product or not.
                        if _has_dtd(chunk) or _has_dtd(tail + chunk[:SEAM]):
                            raise _reject("file_xml_forbidden", name)
                        tail = chunk[-SEAM:]
                        if chunks is not None:
                            chunks.append(chunk)
                if chunks is not None:
                    kept[member.filename] = b"".join(chunks)
            return kept
    # RuntimeError covers zipfile's refusal of an unsupported compression method.
    except CONTAINER_ERRORS as exc:
        raise _reject("file_corrupt", name) from exc


def _read(stream, name: str, part: str) -> bytes:
    """The next inflated megabyte of one part; damaged compressed data is refused naming the part."""
    try:
        return stream.read(1 << 20)
    except CONTAINER_ERRORS as exc:
        raise _reject("part_corrupt", name, part=part) from exc


def _has_dtd(data: bytes) -> bool:
    """A DTD or entity declaration in `data`, in any of the encodings a part may be written in."""
    return any(opener in data for opener in _OPENERS) and any(mark in data for mark in _DTD_MARKS)


def _refuse_overlaps(members: list[zipfile.ZipInfo], name: str) -> None:
    spans = sorted((m.header_offset, m.header_offset + 30 + len(m.filename.encode()) + m.compress_size)
                   for m in members)
    for (_, end), (start, _) in zip(spans, spans[1:]):
        if start < end:
            raise _reject("file_corrupt", name)


def _size(n: int) -> str:
    if n >= 1024 ** 3:
        return text.format_number(n / 1024 ** 3, 1) + " GB"
    return text.format_number(n / 1024 ** 2, 0) + " MB"


ALLOWED_EXTENSIONS = {"xlsx", "xlsm", "xls", "ods"}
MAX_NAME = 120  # characters of a file name kept as metadata (a 300-character name is cut, its extension kept)


def upload_name(name: str) -> str:
    """The name a person gave a file, as metadata only (RELIABILITY D4): no folder part, no invisible or control
    characters, at most MAX_NAME characters. The file itself is never stored under this name."""
    base = (text.clean(name) or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "tep-tai-len"
    if len(base) > MAX_NAME:
        stem, dot, extension = base.rpartition(".")
        base = (stem[: MAX_NAME - len(extension) - 2] + "…" + dot + extension) if dot and len(extension) <= 5 \
            else base[: MAX_NAME - 1] + "…"
    return base


def name_refused(name: str) -> Problem | None:
    """A name whose real (last) extension is not a spreadsheet's: «bao_cao.xlsx.exe», «kpi.duckdb». A name
    without an extension is judged by its content alone."""
    stem, dot, extension = name.rpartition(".")
    if dot and stem and extension.lower() not in ALLOWED_EXTENSIONS:
        return Problem("file_name_extension", value=name)
    return None
