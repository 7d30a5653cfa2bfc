"""Comparisons: one department across years, departments against each other.

Targets are matched by their standard indicator key (data/indicators.yaml), so "on-time dossiers" of
Thanh Hóa 2021 and 2022, or of Thanh Hóa and Đồng Nai, are the same measure whatever the plans'
own codes and wording.
"""
from __future__ import annotations

import pandas as pd

from kpi.engine.attainment import attainment
from kpi.periods import Period
from kpi.plans import areas
from kpi.scope import Scope

COLUMNS = ["organisation", "org_id", "plan_id", "year", "period", "indicator_key", "indicator", "code", "text",
           "kind", "comparator", "target_value", "unit_of_measure", "goal", "actual", "numerator", "denominator",
           "attainment", "status", "status_label", "coverage"]


def _indicator_rows(con, plan_ids: list[str], period_key: str) -> pd.DataFrame:
    frames = []
    for plan_id, year, organisation, org_id in con.execute(
            "SELECT p.id, p.year, o.name, o.id FROM plan p JOIN organisation o ON o.id = p.org_id "
            "WHERE p.id IN (SELECT unnest(?)) ORDER BY o.name COLLATE vi, p.year", [plan_ids]).fetchall():
        rows = attainment(con, Scope(plan_id, Period(year, period_key)), by="target")
        rows = rows[rows["indicator_key"].notna()].copy()
        rows["organisation"], rows["org_id"], rows["year"] = organisation, org_id, year
        rows["period"] = Period(year, period_key).code
        rows["indicator"] = rows["indicator_key"].map(lambda k: areas.indicators()[k]["name"])
        frames.append(rows)
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)[COLUMNS]


def compare_years(con, org_id: str, period_key: str = "Y") -> pd.DataFrame:
    """The department's targets with a standard indicator, for the same period of each plan year."""
    plans = [r[0] for r in con.execute("SELECT id FROM plan WHERE org_id = ? ORDER BY year", [org_id]).fetchall()]
    return _indicator_rows(con, plans, period_key)


def compare_organisations(con, year: int, period_key: str = "Y", indicator_key: str | None = None) -> pd.DataFrame:
    """Every department's plan of `year` on targets sharing a standard indicator."""
    plans = [r[0] for r in con.execute("SELECT id FROM plan WHERE year = ?", [year]).fetchall()]
    rows = _indicator_rows(con, plans, period_key)
    return rows if indicator_key is None else rows[rows["indicator_key"] == indicator_key].reset_index(drop=True)
