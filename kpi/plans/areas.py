"""The seven canonical reform areas, read from `data/areas.yaml` (areas are data, not code)."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from kpi import read_data, text


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    sort_order: int
    headings: tuple[str, ...]


@functools.cache
def all_areas() -> tuple[Area, ...]:
    raw = read_data("areas.yaml")
    return tuple(
        Area(a["code"], text.nfc(a["name"]), i + 1, tuple(text.nfc(h) for h in a["headings"]))
        for i, a in enumerate(raw["areas"])
    )


def codes() -> tuple[str, ...]:
    return tuple(a.code for a in all_areas())


def name_of(code: str) -> str:
    return {a.code: a.name for a in all_areas()}[code]


def resolve(value: str | None) -> str | None:
    """A code, the canonical name or a known heading -> the code; anything else -> None."""
    if not value:
        return None
    key = text.fold(value)
    for area in all_areas():
        if key in {area.code, text.fold(area.name), *(text.fold(h) for h in area.headings)}:
            return area.code
    return None


@functools.cache
def indicators() -> dict[str, dict]:
    raw = read_data("indicators.yaml")
    return {k: {**v, "name": text.nfc(v["name"])} for k, v in raw["indicators"].items()}
