"""Exported text can never run as a formula or break a file (docs/reliability-catalogue.md D1, D2).

Spreadsheet programs treat a cell typed as `=…`, `+…`, `-…`, `@…` (or one starting with a tab or a line
break) as a formula when it is entered or re-edited; pandas, xlsxwriter's `write()`, openpyxl and the
python-pptx chart workbook even store such text as a live `<f>` formula. Every exporter therefore writes
text as text and marks formula-like text with Excel's quote prefix (the cell shows the text, editing it
keeps it text). Control characters are replaced: XML 1.0 cannot hold them (python-pptx fails on `\\x0b`).
"""
from __future__ import annotations

import re
import unicodedata

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(value) -> str:
    """NFC text with control characters (other than tab and line breaks) replaced by spaces."""
    return _CONTROL.sub(" ", unicodedata.normalize("NFC", str(value)))


def formula_like(value: str) -> bool:
    return value.startswith(FORMULA_START)


def single_line(value) -> str:
    """For places that hold one line (slide titles, chart categories, PDF cells): line breaks and tabs
    become spaces."""
    return " ".join(printable(value).replace("\t", " ").splitlines()) if value is not None else ""
