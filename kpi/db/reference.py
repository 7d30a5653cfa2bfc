"""Reference tables filled when their migration runs (`kpi.db.schema.SEEDERS`): the canonical areas and the
period kinds. The data comes from `data/*.yaml` through `kpi.plans.areas` and `kpi.periods`."""
from __future__ import annotations


def seed_areas(con) -> None:
    from kpi.plans import areas  # late, like every seeder: the schema loads before the domain modules

    con.executemany(
        "INSERT INTO area (code, name, sort_order) VALUES (?, ?, ?)",
        [(a.code, a.name, a.sort_order) for a in areas.all_areas()],
    )


def seed_period_kinds(con) -> None:
    from kpi.periods import kinds

    con.executemany(
        "INSERT INTO period_kind VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(k.key, k.name, ",".join(map(str, k.quarters)), min(k.quarters), max(k.quarters), k.report_month,
          k.report_day) for k in kinds().values()],
    )


def infer_target_rules(con) -> None:
    """Migration 8: every stored target gets its aggregation and direction by the import's own inference
    (kpi/rules/), and the review flags where that inference is unsure."""
    from kpi.rules import aggregation, direction

    rows = con.execute("SELECT plan_id, code, kind, comparator, unit_of_measure, text, flags FROM target").fetchall()
    updates = []
    for plan_id, code, kind, comparator, unit, wording, flags in rows:
        rule, rule_sure = aggregation.infer(kind, unit, wording)
        way, way_sure = direction.infer(comparator, unit, wording)
        extra = [f for f, sure in (("aggregation_review", rule_sure), ("direction_review", way_sure)) if not sure]
        kept = [f for f in (flags or "").split(";") if f]
        updates.append((rule, way, ";".join(dict.fromkeys(kept + extra)), plan_id, code))
    if updates:
        con.executemany("UPDATE target SET aggregation = ?, direction = ?, flags = ? WHERE plan_id = ? AND code = ?",
                        updates)
