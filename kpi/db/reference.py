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
