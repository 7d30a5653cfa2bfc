"""Reporting periods as data (`data/periods.yaml`): codes, quarters covered, windows, deadlines.

A period code names a year and a period: "2023-Q1", "2023-H1", "2023-9M", "2023" (the whole year).
Figures are reported per period; a longer period is made of its quarters (`components`), so a
half-year combines Q1 and Q2 as sums of numerators and denominators, never as a mean of rates.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

import yaml

from kpi import DATA_DIR
from kpi.plans.deadlines import last_day_of_month, quarter_end
from kpi.problems import KpiError

PERIODS_FILE = DATA_DIR / "periods.yaml"
_CODE = re.compile(r"^(?P<year>\d{4})(?:-(?P<key>Q[1-4]|H1|9M|Y))?$")


@dataclass(frozen=True)
class PeriodKind:
    key: str
    name: str
    label: str
    quarters: tuple[int, ...]
    report_month: int
    report_day: int
    window: tuple[str, str]
    sort_order: int


@functools.cache
def kinds() -> dict[str, PeriodKind]:
    raw = yaml.safe_load(PERIODS_FILE.read_text(encoding="utf-8"))
    return {p["key"]: PeriodKind(p["key"], p["name"], p["label"], tuple(p["quarters"]), p["report"][0],
                                 p["report"][1], tuple(p["window"]), i + 1)
            for i, p in enumerate(raw["periods"])}


@dataclass(frozen=True)
class Period:
    year: int
    key: str  # Q1 Q2 H1 Q3 9M Q4 Y

    @property
    def code(self) -> str:
        return str(self.year) if self.key == "Y" else f"{self.year}-{self.key}"

    @property
    def kind(self) -> PeriodKind:
        return kinds()[self.key]

    @property
    def label(self) -> str:
        return self.kind.label.format(year=self.year)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, (min(self.kind.quarters) - 1) * 3 + 1, 1)

    @property
    def end(self) -> dt.date:
        return quarter_end(self.year, max(self.kind.quarters))

    @property
    def months(self) -> int:
        return 3 * len(self.kind.quarters)

    @property
    def components(self) -> tuple["Period", ...]:
        """The quarters it is made of ("2023-H1" -> 2023-Q1, 2023-Q2); a quarter is its own."""
        return tuple(Period(self.year, f"Q{q}") for q in self.kind.quarters)

    @property
    def covering(self) -> tuple["Period", ...]:
        """Every period whose direct report can stand for part of this one (itself first)."""
        inner = [Period(self.year, k) for k, kind in kinds().items()
                 if k != self.key and set(kind.quarters) < set(self.kind.quarters)]
        return (self, *inner)

    @property
    def previous(self) -> "Period | None":
        """The period of the same length just before, within the year (Q2 -> Q1); None for the first."""
        first = min(self.kind.quarters)
        if first == 1:
            return None
        same = [k for k, kind in kinds().items() if len(kind.quarters) == len(self.kind.quarters)
                and max(kind.quarters) == first - 1]
        return Period(self.year, same[0]) if same else None

    def report_deadline(self, override: tuple[int, int] | None = None) -> dt.date:
        month, day = override or (self.kind.report_month, self.kind.report_day)
        return dt.date(self.year, month, min(day, last_day_of_month(self.year, month).day))


def parse_period(code: str) -> Period:
    """"2023-Q1" / "2023-H1" / "2023-9M" / "2023" -> Period; anything else -> KpiError."""
    match = _CODE.match(str(code).strip().upper())
    if not match:
        raise KpiError("period_unknown", value=code)
    return Period(int(match["year"]), match["key"] or "Y")


def periods_of_year(year: int) -> list[Period]:
    return [Period(year, key) for key in kinds()]


def seed_table(con) -> None:
    con.executemany(
        "INSERT INTO period_kind VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(k.key, k.name, ",".join(map(str, k.quarters)), min(k.quarters), max(k.quarters), k.report_month,
          k.report_day) for k in kinds().values()],
    )
