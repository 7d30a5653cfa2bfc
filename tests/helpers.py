"""Small helpers for tests that call kpi/ read functions directly."""
from __future__ import annotations

import datetime as dt

from kpi.periods import Period, parse_period
from kpi.scope import Scope


def scope(plan_id: str, period: str | Period, as_of: dt.date | None = None) -> Scope:
    """A test's scope from a plan id and a period code ("2023-9M"), as an edge would resolve it."""
    return Scope(plan_id, period if isinstance(period, Period) else parse_period(period), as_of)
