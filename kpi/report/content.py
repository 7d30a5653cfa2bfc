"""What the periodic report is drafted from, read once: the overview of a scope (computed now, or frozen in a
snapshot), the commentary of the period, and the plan's heading, task leads and products.

The figures are the dashboard's own frames (`dashboard.overview` or `snapshots.load`): the target and task
rows are `engine.attainment(con, scope, by="target" | "task")`, the rows `python -m kpi attainment` prints, so
the report can only say what the screen says.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from kpi import clock, commentary
from kpi.db import queries
from kpi.meetings import snapshots
from kpi.presentation import dashboard
from kpi.scope import Scope


@dataclass
class ReportContent:
    scope: Scope
    snapshot: snapshots.SnapshotInfo | None
    heading: dict                      # queries.report_heading
    view: dashboard.Overview
    explanations: pd.DataFrame         # commentary.EXPLANATION_COLUMNS
    area_comments: pd.DataFrame        # commentary.AREA_COMMENT_COLUMNS
    leads: dict[str, str]              # task code -> lead units' names
    products: dict[str, str]           # task code -> product
    reporters: dict[str, list[str]]    # target code -> the units (codes) that report it
    unit_names: dict[str, str]
    area_names: dict[str, str]
    area_order: dict[str, int]
    made_at: dt.datetime               # when the draft was made (UTC)

    @property
    def as_of(self) -> dt.date:
        return self.view.as_of

    @property
    def targets(self) -> pd.DataFrame:
        return self.view.levels["target"]

    @property
    def tasks(self) -> pd.DataFrame:
        return self.view.levels["task"]

    @property
    def moment(self) -> dt.datetime:
        """The fixed moment the file's own dates carry: the snapshot's, else the draft's (reproducible bytes)."""
        return self.snapshot.created_at if self.snapshot else self.made_at

    def areas(self) -> list[pd.Series]:
        """Every area holding a target or a task of the plan, in the areas' order: its row of the dashboard's
        table, or (an area the table leaves out: none of its rows has a unit to report it) a row without figures."""
        rows = {row["area_code"]: row for _, row in self.view.by_area.iterrows()}
        codes = set(rows) | set(self.targets["area_code"]) | set(self.tasks["area_code"])
        return [rows.get(code, pd.Series({"area_code": code, "name": self.area_names.get(code, code),
                                          "attainment": None}))
                for code in sorted(codes, key=lambda code: self.area_order.get(code, 10**6))]

    def missing_units(self, target_code: str) -> list[str]:
        """The names of the units that report the target and have no figure for it in the period."""
        with_data = self._with_data.get(target_code, set())
        return [self.unit_names.get(u, u) for u in self.reporters.get(target_code, []) if u not in with_data]

    @cached_property
    def _with_data(self) -> dict[str, set[str]]:
        """target code -> the units with a figure for it (the engine's unit rows)."""
        rows = self.view.levels.get("unit_target", pd.DataFrame(columns=["code", "unit_code", "actual"]))
        found: dict[str, set[str]] = {}
        for code, unit in rows.loc[rows["actual"].notna(), ["code", "unit_code"]].itertuples(index=False):
            found.setdefault(code, set()).add(unit)
        return found


def gather(con, *, scope: Scope | None = None, snapshot_id: int | None = None,
           now: dt.datetime | None = None) -> ReportContent:
    """The content of a report of a snapshot (exactly as frozen) or of the current figures of `scope`. An unknown
    plan or snapshot, or a period outside the plan's year, is refused (KpiError) before anything is drawn."""
    info = None
    if snapshot_id is not None:
        info = snapshots.get(con, snapshot_id)
        view = snapshots.load(con, info.id)
        explained, commented = snapshots.frozen_commentary(con, info.id)
        scope = info.scope
    else:
        view = dashboard.overview(con, scope)   # the engine refuses an unknown plan or a period outside its year
        explained, commented = commentary.explanations(con, scope), commentary.area_comments(con, scope)
    plan_id = scope.plan_id
    names = queries.unit_names(con, plan_id)
    leads = {code: ", ".join(names.get(u, u) for u in units) for code, units in queries.task_leads(con, plan_id).items()}
    return ReportContent(scope, info, queries.report_heading(con, plan_id), view, explained, commented, leads,
                         queries.task_products(con, plan_id), queries.target_reporters(con, plan_id), names,
                         queries.area_names(con), queries.area_order(con), now or clock.now())
