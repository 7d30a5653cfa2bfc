"""Status bands as a table: met / near / below / no_data, the Python form and the SQL form side by side.

This module owns the banding rule. The cut-offs come from data/scoring.yaml (kpi/engine/config.py
`scoring()`); the labels shown for each key are in kpi/text.py STATUS and the colours in
kpi/presentation/charts.py STATUS_COLOURS, which must gain a key if a band is added here.

Two tables, read top to bottom, the first row that holds decides:
- TARGET: a target's own status. "met" needs its comparator satisfied (kpi/rules/comparators.py `met`),
  not just attainment 1,0: a "<" target sitting exactly on its goal has attainment 1,0 and is "near".
- ROLLUP: an area's, unit's or plan's status from its (capped) attainment and its coverage (units whose
  reports cover the period ÷ units expected): below min_coverage it is "insufficient" («Chưa đủ số liệu»).
The Python forms take attainment None or NaN as no data; the SQL forms take NULL. tests/unit/test_rules.py
checks that the two forms agree.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from kpi.engine.config import Scoring, scoring
from kpi.rules.comparators import EPS


@dataclass(frozen=True)
class Band:
    key: str
    holds: Callable[["float | None", "bool | None", "float | None", Scoring], bool]  # (attainment, met, coverage, s)
    sql: str  # over {attainment}, {met}, {coverage}, and the cut-offs {met_cut}, {near}, {min_coverage}, {eps}


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


_NO_DATA = Band("no_data", lambda a, m, c, s: _missing(a), "{attainment} IS NULL")
# A roll-up resting on too few of the expected units' reports is not a verdict (data/scoring.yaml
# min_coverage): no colour that suggests one. SQL's NULL < x is not true, as Python's missing coverage is not.
_INSUFFICIENT = Band("insufficient", lambda a, m, c, s: not _missing(c) and c < s.min_coverage - EPS,
                     "{coverage} < {min_coverage} - {eps}")
_NEAR = Band("near", lambda a, m, c, s: a >= s.near, "{attainment} >= {near}")
_BELOW = Band("below", lambda a, m, c, s: True, "true")

TARGET = (_NO_DATA, Band("met", lambda a, m, c, s: m is not None and bool(m), "{met}"), _NEAR, _BELOW)
ROLLUP = (_NO_DATA, _INSUFFICIENT,
          Band("met", lambda a, m, c, s: a >= s.met - EPS, "{attainment} >= {met_cut} - {eps}"), _NEAR, _BELOW)


def _band(table: tuple[Band, ...], attainment, met, coverage=None) -> str:
    s = scoring()
    return next(band.key for band in table if band.holds(attainment, met, coverage, s))


def _band_sql(table: tuple[Band, ...], attainment: str, met: str = "NULL", coverage: str = "NULL") -> str:
    s = scoring()
    *rows, last = table
    whens = " ".join(
        f"WHEN {band.sql.format(attainment=attainment, met=met, coverage=coverage, met_cut=s.met, near=s.near, min_coverage=s.min_coverage, eps=EPS)} "
        f"THEN '{band.key}'" for band in rows)
    return f"CASE {whens} ELSE '{last.key}' END"


def target_status(attainment: float | None, met: bool | None) -> str:
    """A target's status: near for ">=" 0,912 against 0,96 (attainment 0,95 ≥ near 0,9, not met)."""
    return _band(TARGET, attainment, met)


def target_status_sql(attainment: str, met: str) -> str:
    """The same as a SQL expression over the given attainment and met expressions."""
    return _band_sql(TARGET, attainment, met)


def rollup_status(attainment: float | None, coverage: float | None = None) -> str:
    """An area's, unit's or plan's status from its attainment and coverage: 0,95 -> near when near is 0,9;
    any attainment with coverage 0,4 -> insufficient when min_coverage is 0,5."""
    return _band(ROLLUP, attainment, None, coverage)


def rollup_status_sql(attainment: str, coverage: str = "NULL") -> str:
    """The same as a SQL expression over the given attainment and coverage expressions."""
    return _band_sql(ROLLUP, attainment, coverage=coverage)
