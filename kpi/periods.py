"""Every period rule, in one place: kinds and keys (data `data/periods.yaml`), codes and labels, the
quarters a period covers, the year-to-date sequence, the report deadline of a period.

A period code names a year and a period: "2023-Q1", "2023-H1", "2023-9M", "2023" (the whole year).
A code is parsed only at the edges (URL, command-line option, stored snapshot, uploaded file) through
`parse_period`, usually by way of `kpi.scope.resolve`; past the edge a period is always a `Period`.
Nothing else in the code base lists period keys: ask `kinds()`, `year_to_date()`, `cumulative_sequence()`.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from kpi import read_data
from kpi.plans.deadlines import last_day_of_month, quarter_end
from kpi.problems import KpiError

_CODE = re.compile(r"^(?P<year>\d{4})(?:-(?P<key>Q[1-4]|H1|9M|Y))?$")


@dataclass(frozen=True)
class PeriodKind:
    key: str
    name: str
    label: str
    quarters: tuple[int, ...]
    report_month: int
    report_day: int
    sort_order: int

    @property
    def first_quarter(self) -> int:
        return min(self.quarters)

    @property
    def last_quarter(self) -> int:
        return max(self.quarters)

    @property
    def cumulative(self) -> bool:
        """Starts with the year (Q1, 6 tháng, 9 tháng, Năm): what a year-to-date view is made of."""
        return self.first_quarter == 1


@functools.cache
def kinds() -> dict[str, PeriodKind]:
    raw = read_data("periods.yaml")
    return {p["key"]: PeriodKind(p["key"], p["name"], p["label"], tuple(p["quarters"]), p["report"][0],
                                 p["report"][1], i + 1)
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
    def previous(self) -> "Period | None":
        """The period of the same length just before, within the year (Q2 -> Q1); None for the first."""
        first = min(self.kind.quarters)
        if first == 1:
            return None
        same = [k for k, kind in kinds().items() if len(kind.quarters) == len(self.kind.quarters)
                and max(kind.quarters) == first - 1]
        return Period(self.year, same[0]) if same else None

    @property
    def year_to_date(self) -> "Period":
        """The cumulative period ending where this one ends (Quý III -> 9 tháng; 6 tháng -> itself)."""
        return next(Period(self.year, k.key) for k in kinds().values()
                    if k.cumulative and k.last_quarter == self.kind.last_quarter)

    def covers(self, other: "Period") -> bool:
        """Whether a report for `other` (same year) lies inside this period (Q1 and H1 lie inside 9M)."""
        return other.year == self.year and self.kind.first_quarter <= other.kind.first_quarter \
            and other.kind.last_quarter <= self.kind.last_quarter

    def report_deadline(self, override: tuple[int, int] | None = None) -> dt.date:
        month, day = override or (self.kind.report_month, self.kind.report_day)
        return dt.date(self.year, month, min(day, last_day_of_month(self.year, month).day))


def parse_period(code: str) -> Period:
    """"2023-Q1" / "2023-H1" / "2023-9M" / "2023" -> Period; anything else -> KpiError."""
    match = _CODE.match(str(code).strip().upper())
    if not match:
        # The hint lists the codes of the year the person typed ("2021-6M" -> 2021-Q1 … 2021), so the
        # example is one they can copy; 2023 when no year can be read.
        typed_year = re.match(r"\s*(\d{4})", str(code))
        example_year = int(typed_year[1]) if typed_year else 2023
        raise KpiError("period_unknown", value=code,
                       codes=", ".join(p.code for p in sorted(periods_of_year(example_year),
                                                              key=lambda p: (p.kind.last_quarter, len(p.kind.quarters)))))
    return Period(int(match["year"]), match["key"] or "Y")


def periods_of_year(year: int) -> list[Period]:
    return [Period(year, key) for key in kinds()]


def quarters_of_year(year: int) -> list[Period]:
    """The four quarters, in order: the periods units report one by one."""
    return [Period(year, k.key) for k in kinds().values() if len(k.quarters) == 1]


def cumulative_sequence(period: Period) -> list[Period]:
    """The year-to-date periods up to the one that ends with `period` (9 tháng -> Quý I, 6 tháng, 9 tháng)."""
    return [Period(period.year, k.key) for k in sorted(kinds().values(), key=lambda k: k.last_quarter)
            if k.cumulative and k.last_quarter <= period.kind.last_quarter]


def trend_sequence(period: Period) -> list[Period]:
    """The points of a trend that ends with `period`, of the same kind as it: the year-to-date periods for a
    cumulative one (9 tháng -> Quý I, 6 tháng, 9 tháng), the quarters for a quarter (Quý III -> I, II, III)."""
    if period.kind.cumulative:
        return cumulative_sequence(period)
    return [q for q in quarters_of_year(period.year) if q.kind.last_quarter <= period.kind.last_quarter]


def longest_reported(year: int, reported: set[str]) -> Period:
    """The longest year-to-date period closed by a report (period keys in `reported`); the first one
    (Quý I) when nothing is reported yet."""
    closed = max((kinds()[key].last_quarter for key in reported if key in kinds()), default=None)
    sequence = [Period(year, k.key) for k in sorted(kinds().values(), key=lambda k: k.last_quarter)
                if k.cumulative]
    return next((p for p in sequence if p.kind.last_quarter == closed), sequence[0])


def deadline_keys() -> tuple[str, ...]:
    """Period keys a plan may give its own report deadline for (a plan's deadlines sheet): every period
    but the last quarter, whose report is the year's."""
    year_end = max(k.last_quarter for k in kinds().values())
    return tuple(k.key for k in kinds().values() if not (len(k.quarters) == 1 and k.last_quarter == year_end))
