"""Writes a checked `PlanBundle` to the database and reads plans back.

Every write is one transaction: a plan is stored completely or not at all. A plan that
already exists is replaced only when asked (`replace=True`), atomically.
"""
from __future__ import annotations

import duckdb

from kpi import clock, text
from kpi.db import transaction
from kpi.plans.deadlines import Deadline, Milestone, parse_deadline
from kpi.plans.model import (AreaHeading, Conflict, Organisation, PlanBundle, PlanInfo, ReportDeadline, Target,
                            Task, Unit)
from kpi.problems import KpiError

PLAN_TABLES = ("target_conflict", "task_milestone", "task_unit", "target_unit", "task", "target", "plan_area",
               "plan_report_deadline")


def _flags(flags) -> str:
    return ";".join(flags)


def organisation_units(con: duckdb.DuckDBPyConnection, org_id: str) -> tuple[Unit, ...]:
    units = con.execute("SELECT code, name, kind FROM unit WHERE org_id = ? ORDER BY code", [org_id]).fetchall()
    aliases: dict[str, list[str]] = {}
    for code, alias in con.execute(
        "SELECT unit_code, alias FROM unit_alias WHERE org_id = ? ORDER BY alias_key", [org_id]
    ).fetchall():
        aliases.setdefault(code, []).append(alias)
    return tuple(Unit(code, name, kind, tuple(aliases.get(code, []))) for code, name, kind in units)


def plan_exists(con, plan_id: str) -> bool:
    return con.execute("SELECT count(*) FROM plan WHERE id = ?", [plan_id]).fetchone()[0] > 0


def check_can_save(con, bundle: PlanBundle, replace: bool) -> None:
    """Raise KpiError when saving would clash with what is stored."""
    plan, org = bundle.plan, bundle.organisation
    if plan_exists(con, plan.id) and not replace:
        raise KpiError("plan_exists", plan=plan.id)
    other = con.execute("SELECT id FROM plan WHERE org_id = ? AND year = ? AND id <> ?",
                        [org.id, plan.year, plan.id]).fetchone()
    if other:
        raise KpiError("plan_year_taken", organisation=org.name, year=plan.year, plan=other[0])
    existing = con.execute("SELECT name FROM organisation WHERE id = ?", [org.id]).fetchone()
    if existing and text.fold(existing[0]) != text.fold(org.name):
        raise KpiError("organisation_mismatch", value=org.id, existing=existing[0], name=org.name)


def save(con: duckdb.DuckDBPyConnection, bundle: PlanBundle, *, replace: bool = False) -> None:
    """Store the plan in one transaction (replacing the stored one only when `replace`)."""
    save_all(con, [bundle], replace=replace)


def save_all(con: duckdb.DuckDBPyConnection, bundles: list[PlanBundle], *, replace: bool = False) -> None:
    """Store several plans in one transaction: all of them or none (`python -m kpi init`)."""
    with transaction(con, action="plan_import", detail={"plans": [b.plan.id for b in bundles]}):
        for bundle in bundles:
            check_can_save(con, bundle, replace)
            _save_organisation(con, bundle)
            for table in PLAN_TABLES:
                con.execute(f"DELETE FROM {table} WHERE plan_id = ?", [bundle.plan.id])
            con.execute("DELETE FROM plan WHERE id = ?", [bundle.plan.id])
            _insert_plan(con, bundle)


def _save_organisation(con, bundle: PlanBundle) -> None:
    org = bundle.organisation
    con.execute("DELETE FROM organisation WHERE id = ?", [org.id])
    con.execute("INSERT INTO organisation VALUES (?, ?, ?, ?, ?)",
                [org.id, org.name, org.province, org.sector, org.parent])
    for unit in bundle.units:
        con.execute("DELETE FROM unit WHERE org_id = ? AND code = ?", [org.id, unit.code])
        con.execute("INSERT INTO unit VALUES (?, ?, ?, ?)", [org.id, unit.code, unit.name, unit.kind])
    rows = {}
    for unit in bundle.units:
        for spelling in (unit.code, unit.name, *unit.aliases):
            rows.setdefault(text.fold(spelling), (org.id, text.fold(spelling), spelling, unit.code))
    taken = dict(con.execute("SELECT alias_key, unit_code FROM unit_alias WHERE org_id = ?", [org.id]).fetchall())
    fresh = [r for k, r in rows.items() if k not in taken]
    if fresh:
        con.executemany("INSERT INTO unit_alias VALUES (?, ?, ?, ?)", fresh)


def _insert_plan(con, bundle: PlanBundle) -> None:
    p, org_id = bundle.plan, bundle.organisation.id
    con.execute(
        "INSERT INTO plan VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [p.id, org_id, p.year, p.number, p.issued_on, p.issued_text, p.signer, p.signer_title, p.title,
         p.source_file, p.note, clock.to_storage(clock.now())],
    )
    if bundle.areas:
        con.executemany("INSERT INTO plan_area VALUES (?, ?, ?, ?, ?, ?)",
                        [(p.id, a.area, a.heading, a.number, a.source, a.lines) for a in bundle.areas])
    if bundle.targets:
        con.executemany(
            "INSERT INTO target VALUES (" + ", ".join(["?"] * 26) + ")",
            [(p.id, t.code, seq, t.area, t.text, t.comparator, t.value, t.unit_of_measure, t.kind, t.stated_in,
              t.source, t.lines, t.appendix_source, t.appendix_lines, t.task_code, t.deadline.text,
              t.deadline.kind, t.deadline.due, t.weight, t.indicator_key, _flags(t.flags), t.original_text,
              t.note, t.aggregation, t.direction, t.same_as) for seq, t in enumerate(bundle.targets, start=1)],
        )
    links = [(p.id, t.code, org_id, u, position) for t in bundle.targets
             for position, u in enumerate(t.responsible_units, start=1)]
    if links:
        con.executemany("INSERT INTO target_unit VALUES (?, ?, ?, ?, ?)", links)
    if bundle.tasks:
        con.executemany(
            "INSERT INTO task VALUES (" + ", ".join(["?"] * 20) + ")",
            [(p.id, t.code, seq, t.area, t.general_task, t.text, t.product, t.lead_text, t.coordinating_text,
              t.deadline.text, t.deadline.kind, t.deadline.due, t.budget_million_vnd, t.budget_text,
              t.result_text, t.source, t.lines, _flags(t.flags), t.original_text, t.note)
             for seq, t in enumerate(bundle.tasks, start=1)],
        )
    task_links = [(p.id, t.code, "lead", org_id, u, position) for t in bundle.tasks
                  for position, u in enumerate(t.lead_units, start=1)]
    task_links += [(p.id, t.code, "coordinating", org_id, u, position) for t in bundle.tasks
                   for position, u in enumerate(t.coordinating_units, start=1)]
    if task_links:
        con.executemany("INSERT INTO task_unit VALUES (?, ?, ?, ?, ?, ?)", task_links)
    milestones = [(p.id, t.code, i, m.label, m.text, m.kind, m.due)
                  for t in bundle.tasks for i, m in enumerate(t.deadline.milestones, start=1)]
    if milestones:
        con.executemany("INSERT INTO task_milestone VALUES (?, ?, ?, ?, ?, ?, ?)", milestones)
    if bundle.conflicts:
        con.executemany(
            "INSERT INTO target_conflict VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(p.id, c.target_code, c.field, c.body, c.appendix, c.body_value, c.appendix_value, c.note, c.status,
              c.resolved_value) for c in bundle.conflicts],
        )
    if bundle.report_deadlines:
        con.executemany("INSERT INTO plan_report_deadline VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [(p.id, d.period, d.month, d.day, d.text, d.source, d.lines)
                         for d in bundle.report_deadlines])


# ---------------------------------------------------------------- reading back

def _split(flags: str | None) -> tuple[str, ...]:
    return tuple(f for f in (flags or "").split(";") if f)


def load_bundle(con: duckdb.DuckDBPyConnection, plan_id: str) -> PlanBundle:
    row = con.execute(
        "SELECT p.id, p.org_id, p.year, p.number, p.issued_on, p.issued_text, p.signer, p.signer_title, p.title, "
        "p.source_file, p.note, o.name, o.province, o.sector, o.parent "
        "FROM plan p JOIN organisation o ON o.id = p.org_id WHERE p.id = ?", [plan_id]).fetchone()
    if row is None:
        raise KpiError("plan_unknown", value=plan_id)
    info = PlanInfo(*row[:11])
    org = Organisation(row[1], row[11], row[12], row[13], row[14])
    year = info.year
    units = organisation_units(con, org.id)
    areas = tuple(AreaHeading(*r) for r in con.execute(
        "SELECT pa.area_code, pa.heading, pa.number, pa.source, pa.lines FROM plan_area pa "
        "JOIN area a ON a.code = pa.area_code WHERE plan_id = ? ORDER BY a.sort_order", [plan_id]).fetchall())
    target_units: dict[str, list[str]] = {}
    for code, unit in con.execute(
            "SELECT target_code, unit_code FROM target_unit WHERE plan_id = ? ORDER BY target_code, position", [plan_id]).fetchall():
        target_units.setdefault(code, []).append(unit)
    targets = []
    for r in con.execute(
            "SELECT code, area_code, text, comparator, value, unit_of_measure, kind, stated_in, deadline_text, "
            "weight, indicator_key, task_code, source, lines, appendix_source, appendix_lines, flags, "
            "original_text, note, aggregation, direction, same_as FROM target WHERE plan_id = ? ORDER BY seq",
            [plan_id]).fetchall():
        deadline = parse_deadline(r[8], year) if r[8] else Deadline(None, "none")
        targets.append(Target(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], deadline,
                              tuple(target_units.get(r[0], [])), r[9], r[10], r[11], r[12], r[13], r[14], r[15],
                              _split(r[16]), r[17], r[18], r[19], r[20], r[21]))
    task_units: dict[tuple[str, str], list[str]] = {}
    for code, role, unit in con.execute(
            "SELECT task_code, role, unit_code FROM task_unit WHERE plan_id = ? ORDER BY task_code, role, position", [plan_id]).fetchall():
        task_units.setdefault((code, role), []).append(unit)
    tasks = []
    for r in con.execute(
            "SELECT code, area_code, text, deadline_text, general_task, product, lead_text, coordinating_text, "
            "budget_million_vnd, budget_text, result_text, source, lines, flags, original_text, note "
            "FROM task WHERE plan_id = ? ORDER BY seq", [plan_id]).fetchall():
        tasks.append(Task(r[0], r[1], r[2], parse_deadline(r[3], year), r[4], r[5],
                          tuple(task_units.get((r[0], "lead"), [])), r[6],
                          tuple(task_units.get((r[0], "coordinating"), [])), r[7], r[8], r[9], r[10], r[11],
                          r[12], _split(r[13]), r[14], r[15]))
    conflicts = tuple(Conflict(*r) for r in con.execute(
        "SELECT c.target_code, c.field, c.body_text, c.appendix_text, c.body_value, c.appendix_value, c.note, "
        "c.status, c.resolved_value FROM target_conflict c JOIN target t "
        "ON t.plan_id = c.plan_id AND t.code = c.target_code WHERE c.plan_id = ? ORDER BY t.seq, c.field",
        [plan_id]).fetchall())
    deadlines = tuple(ReportDeadline(*r) for r in con.execute(
        "SELECT period, month, day, text, source, lines FROM plan_report_deadline WHERE plan_id = ? "
        "ORDER BY month, day", [plan_id]).fetchall())
    return PlanBundle(info, org, units, areas, tuple(targets), tuple(tasks), conflicts, deadlines)


__all__ = ["save", "load_bundle", "organisation_units", "plan_exists", "check_can_save", "Milestone"]
