"""One request's scope: the plan, the period, the as-of date, resolved once at the edge.

The edges are the dashboard's sidebar and URL (`app.py`), the command-line options (`kpi/cli.py`), a
stored snapshot (`kpi/meetings/snapshots.py`) and an uploaded file's metadata (`kpi/excel/upload.py`).
Each turns what it was given into a `Scope` (a period code is parsed there, by `kpi.periods.parse_period`,
and nowhere else); every read function of `kpi/` then takes `(con, scope)` and never parses a period
code again.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from kpi import text
from kpi.periods import Period



# Which reports the figures count (issue 16): every current report the units sent ("tất cả đã nộp"), or only
# those the office approved ("đã duyệt"). Labels in kpi/text.py BASES; the engine filters (kpi/engine).
SUBMITTED, APPROVED = "submitted", "approved"
BASES = (SUBMITTED, APPROVED)


@dataclass(frozen=True)
class Scope:
    plan_id: str
    period: Period
    as_of: dt.date | None = None  # None: the period's last day
    basis: str = SUBMITTED        # SUBMITTED or APPROVED

    @property
    def approved_only(self) -> bool:
        return self.basis == APPROVED

    @property
    def as_of_date(self) -> dt.date:
        """The date the figures are computed at: the chosen as-of date, else the period's last day."""
        return self.as_of or self.period.end

    @property
    def year(self) -> int:
        return self.period.year

    def at(self, period: Period) -> Scope:
        """The same plan seen for another period, as that period showed it: as of its own end, or as of the
        chosen date when that comes earlier (a trend point never looks past the date being viewed)."""
        as_of = self.as_of if self.as_of is not None and self.as_of < period.end else None
        return replace(self, period=period, as_of=as_of)


def as_of_from_url(value: str | None) -> dt.date | None:
    """"30-06-2023" (the URL form of an as-of date) -> date; anything else -> None."""
    try:
        return dt.datetime.strptime(value, text.URL_DATE).date() if value else None
    except ValueError:
        return None


def as_of_to_url(value: dt.date) -> str:
    return text.url_date(value)
