"""The KPI engine: attainment of every target and task, rolled up by area, unit and plan.

Plain functions returning DataFrames; the heavy work runs as SQL in DuckDB and only small
results cross into Python. Rules and worked examples: docs/kpi.md.
"""
from kpi.engine.attainment import (
    BY_LEVELS,
    attainment,
    attainment_all,
    chosen_submissions,
    overview,
    units_reported,
)
from kpi.engine.compare import compare_organisations, compare_years

__all__ = ["attainment", "overview", "chosen_submissions", "attainment_all", "compare_years", "compare_organisations", "BY_LEVELS", "units_reported"]
