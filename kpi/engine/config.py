"""Scoring configuration, read from the versioned file data/scoring.yaml."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from kpi import read_data


@dataclass(frozen=True)
class Scoring:
    version: int
    met: float
    near: float
    min_coverage: float
    rollup_cap: float
    done_on_time: float
    done_late: float
    overdue: float
    dropped: float
    lower_is_better_units: tuple[str, ...]


@functools.cache
def scoring() -> Scoring:
    raw = read_data("scoring.yaml")
    return Scoring(raw["version"], raw["bands"]["met"], raw["bands"]["near"], raw["bands"]["min_coverage"],
                   raw["rollup_cap"],
                   raw["tasks"]["done_on_time"], raw["tasks"]["done_late"], raw["tasks"]["overdue"],
                   raw["tasks"]["dropped"], tuple(raw["lower_is_better_units"]))
