"""The plan model: organisation -> plan -> areas -> targets and tasks; units with aliases.

Plain dataclasses, checked and built by `kpi.plans.validate`, stored by `kpi.db.plan_store`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kpi.plans.deadlines import Deadline

# Flags the importer derives itself; a workbook never needs to carry them.
DERIVED_FLAGS = frozenset({"conflict", "deadline_unparsed", "year_inferred"})


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    province: str | None = None
    sector: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str  # kpi.text.UNIT_KINDS
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanInfo:
    id: str
    organisation: str
    year: int
    number: str | None = None
    issued_on: dt.date | None = None
    issued_text: str | None = None
    signer: str | None = None
    signer_title: str | None = None
    title: str | None = None
    source_file: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class AreaHeading:
    area: str
    heading: str
    number: str | None = None
    source: str | None = None
    lines: str | None = None


@dataclass(frozen=True)
class Conflict:
    target_code: str
    field: str            # value | comparator | scope | unit_of_measure
    body: str             # each side as the plan states it
    appendix: str
    body_value: float | None = None
    appendix_value: float | None = None
    note: str | None = None
    status: str = "unresolved"
    resolved_value: float | None = None


@dataclass(frozen=True)
class Target:
    code: str
    area: str
    text: str
    comparator: str       # >= > <= < = increase done
    value: float | None
    unit_of_measure: str | None
    kind: str             # ratio | value | yes_no
    stated_in: str        # body | appendix | both
    deadline: Deadline
    responsible_units: tuple[str, ...] = ()
    weight: float | None = None
    indicator_key: str | None = None
    task_code: str | None = None
    source: str | None = None
    lines: str | None = None
    appendix_source: str | None = None
    appendix_lines: str | None = None
    flags: tuple[str, ...] = ()
    original_text: str | None = None
    note: str | None = None
    aggregation: str | None = None   # over periods and units: kpi/rules/aggregation.py (inferred when blank)
    direction: str | None = None     # higher | lower: kpi/rules/direction.py (inferred when blank)
    # The code of the target this one restates (the plan states one measure twice): kept with its own
    # provenance and row, but counted once in roll-ups (kpi/engine/attainment.py `_rollup_over`).
    same_as: str | None = None


@dataclass(frozen=True)
class Task:
    code: str
    area: str
    text: str
    deadline: Deadline
    general_task: str | None = None
    product: str | None = None
    lead_units: tuple[str, ...] = ()
    lead_text: str | None = None
    coordinating_units: tuple[str, ...] = ()
    coordinating_text: str | None = None
    budget_million_vnd: float | None = None
    budget_text: str | None = None
    result_text: str | None = None
    source: str | None = None
    lines: str | None = None
    flags: tuple[str, ...] = ()
    original_text: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class ReportDeadline:
    period: str
    month: int
    day: int
    text: str | None = None
    source: str | None = None
    lines: str | None = None


@dataclass(frozen=True)
class PlanBundle:
    """One plan, complete: what a plan workbook holds."""
    plan: PlanInfo
    organisation: Organisation
    units: tuple[Unit, ...]
    areas: tuple[AreaHeading, ...]
    targets: tuple[Target, ...]
    tasks: tuple[Task, ...]
    conflicts: tuple[Conflict, ...] = ()
    report_deadlines: tuple[ReportDeadline, ...] = field(default=())
    # Problems that did not block the import (an unparsed deadline): shown, not stored.
    warnings: tuple = field(default=(), compare=False)
