"""Reading numbers and dates as Vietnamese offices type them."""
from __future__ import annotations

import datetime as dt
import math
import re

from kpi import text

_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)*$")


def parse_number(value) -> float | None:
    """96 / "96" / "96,5" / "96,5%" / "95.5%" / "1.234" (one thousand ...) -> float.

    Raises ValueError for anything else ("9O%", "tối thiêu 70"). Empty -> None.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int) and abs(value) > 10**15:  # a 400-digit integer would overflow float()
        raise ValueError(value)
    if isinstance(value, (int, float)):
        return _finite(float(value), value)
    s = text.clean(str(value)) or ""
    s = s.replace(" ", "").removesuffix("%")
    if not s:
        return None
    if not _NUMBER.match(s):
        raise ValueError(value)
    if "," in s and "." in s:
        # Vietnamese 1.234,5 (or, from an English sheet, 1,234.5): the last mark is the decimal.
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        s = s.replace(thousands, "").replace(decimal, ".")
    elif "," in s:
        if s.count(",") > 1:
            s = s.replace(",", "")
        else:
            s = s.replace(",", ".")
    elif "." in s:
        parts = s.split(".")
        # "1.234" and "1.234.567" are thousands; "95.5" is a decimal.
        if len(parts) > 2 or (len(parts[1]) == 3 and parts[0].lstrip("+-") not in ("", "0")):
            s = s.replace(".", "")
    return _finite(float(s), value)


def _finite(number: float, value) -> float:
    """inf, NaN and figures beyond 1e15 (no plan or report has one; a double stops counting whole numbers
    exactly near 9e15) are not numbers anyone meant: refused like any other unreadable value."""
    if not math.isfinite(number) or abs(number) > 1e15:
        raise ValueError(value)
    return number


def parse_date(value) -> dt.date | None:
    """An Excel date, "15/02/2023", "2023-02-15" -> date. Raises ValueError. Empty -> None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = (text.clean(str(value)) or "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(s, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def as_code(value) -> str | None:
    """Codes typed as numbers (33 or 33.0) are the text "33"."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return text.clean(str(value))


def split_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [text.clean(str(v)) for v in value if text.clean(str(v))]
    return [p for p in (text.clean(part) for part in str(value).split(";")) if p]
