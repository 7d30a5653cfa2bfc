"""Comparators as a table: key, symbol, the words that mean it, and how to say it.

Targets store the comparator explicitly rather than re-reading it from the plan's text.
"""
from __future__ import annotations

from dataclasses import dataclass

from kpi import text


@dataclass(frozen=True)
class Comparator:
    key: str          # as written in files and JSON
    symbol: str       # as shown
    needs_value: bool
    words: tuple[str, ...]  # other spellings accepted in a workbook cell
    sentence: str     # "{value}" is filled in


COMPARATORS = (
    Comparator(">=", "≥", True, ("≥", "=>", "tối thiểu", "ít nhất", "không dưới"), "tối thiểu {value}"),
    Comparator(">", ">", True, ("trên", "hơn"), "trên {value}"),
    Comparator("<=", "≤", True, ("≤", "=<", "tối đa", "không quá", "không vượt quá"), "tối đa {value}"),
    Comparator("<", "<", True, ("dưới",), "dưới {value}"),
    Comparator("=", "=", True, ("==", "bằng", "đúng"), "bằng {value}"),
    Comparator("increase", "↑", False, ("tăng", "tang"), "tăng so với kỳ trước"),
    Comparator("decrease", "↓", False, ("giảm", "giam"), "giảm so với kỳ trước"),
    Comparator("done", "✓", False, ("hoàn thành", "hoan thanh", "có/không", "yes_no"), "hoàn thành"),
)
BY_KEY = {c.key: c for c in COMPARATORS}


def parse(value) -> str | None:
    """A cell's comparator -> its key, or None when it cannot be read."""
    if value is None:
        return None
    key = text.fold(str(value))
    for comparator in COMPARATORS:
        if key == comparator.key or key in (text.fold(w) for w in comparator.words):
            return comparator.key
    return None


def describe(key: str, value, unit_of_measure: str | None) -> str:
    """(">=", 96.5, "%") -> "≥ 96,5%"; ("done", None, None) -> "✓ hoàn thành"."""
    comparator = BY_KEY[key]
    if not comparator.needs_value:
        return f"{comparator.symbol} {comparator.sentence}"
    amount = text.format_amount(value)
    unit = unit_of_measure or ""
    joined = f"{amount}{unit}" if unit == "%" else f"{amount} {unit}".strip()
    return f"{comparator.symbol} {joined}"
