"""Illustrative figures ("Dữ liệu minh họa") for the bundled plans: deterministic and plausible.

`load` fills Q1–Q3 of each plan's year (Q4 is left unreported, as it would be before year end) with
figures around each target (some met, some near, some missed), leaves about one report in twelve
missing (late units), and reports task progress from each task's due date (most done on time, some
late, some overdue). Everything written is a submission with source 'demo' and illustrative = true;
`remove` deletes exactly those and nothing else. Units that already reported for real are never
overwritten. Shared by `python -m kpi demo`, the tests and the benchmarks.
"""
from __future__ import annotations

import datetime as dt
import random

import duckdb

from kpi.cycle.submissions import Submission, TargetFigure, TaskReport, record
from kpi.db import demo as stored
from kpi.db import transaction
from kpi import clock, text
from kpi.periods import quarters_of_year

SEED = 2023
DEMO_AUTHOR = text.UPLOAD_PAGE["illustrative"]
QUARTERS_REPORTED = 3  # the first three quarters: the year is still under way
MISSING_SHARE = 1 / 12


def _profile(rng: random.Random) -> float:
    """How far a target runs from its goal: most close to it, a few well below."""
    return rng.choices([0.03, -0.02, -0.08, -0.2], weights=[5, 3, 2, 1])[0]


def _target_figure(rng, target, quarter: int, drift: float, unit_size: int) -> TargetFigure:
    code, kind, comparator, value, unit_of_measure = target
    if kind == "ratio":
        denominator = max(1, int(unit_size * rng.uniform(0.6, 1.4)))
        goal = (value or 80) / 100 if unit_of_measure == "%" else (value or 0.8)
        if comparator in ("increase", "decrease"):
            goal = rng.uniform(0.5, 0.9)
        rate = min(1.0, max(0.0, goal + drift + rng.gauss(0, 0.015)))
        baseline = round(max(0.0, min(1.0, rate - rng.uniform(-0.03, 0.08))), 4) \
            if comparator in ("increase", "decrease") else None
        return TargetFigure(code, numerator=round(rate * denominator), denominator=denominator, baseline=baseline)
    if kind == "value":
        if comparator in ("increase", "decrease"):
            base = rng.randint(5, 40)
            step = rng.choice([-2, 1, 2, 3]) if comparator == "increase" else rng.choice([-3, -1, 1])
            return TargetFigure(code, value=base + step, baseline=base)
        if comparator == "=":
            return TargetFigure(code, value=rng.choices([value or 0, (value or 0) + 1], weights=[4, 1])[0])
        return TargetFigure(code, value=round((value or 10) * (1 + drift) / 4 * rng.uniform(0.8, 1.2), 1))
    return TargetFigure(code, done=quarter >= 2 and rng.random() < 0.7)


def _task_report(rng, task, quarter_end: dt.date) -> TaskReport:
    code, kind, due = task
    if kind in ("recurring", "periodic"):
        if rng.random() < 0.85:
            return TaskReport(code, "done", 100, quarter_end - dt.timedelta(days=5))
        return TaskReport(code, "in_progress", 60)
    if due is not None and due <= quarter_end:
        roll = rng.random()
        if roll < 0.7:
            return TaskReport(code, "done", 100, due - dt.timedelta(days=rng.randint(0, 40)))
        if roll < 0.85:
            return TaskReport(code, "done", 100, min(quarter_end, due + dt.timedelta(days=rng.randint(3, 30))))
        return TaskReport(code, "in_progress", rng.choice([40, 60, 80]))
    if rng.random() < 0.2:
        return TaskReport(code, "not_started", 0)
    return TaskReport(code, "in_progress", rng.choice([20, 30, 50, 70]))


def load(con: duckdb.DuckDBPyConnection, plan_ids: list[str] | None = None) -> int:
    """Write the illustrative submissions; returns how many. Idempotent: loads only where none exist."""
    plans = stored.plan_years(con)
    written = 0
    with transaction(con):
        for plan_id, year in plans:
            if plan_ids is not None and plan_id not in plan_ids:
                continue
            if stored.has_illustrative(con, plan_id):
                continue  # already there: loading twice changes nothing
            rng = random.Random(f"{SEED}:{plan_id}")
            targets = stored.targets(con, plan_id)
            drift = {t[0]: _profile(rng) for t in targets}
            target_units = stored.target_reporter_pairs(con, plan_id)
            tasks = {c: (c, k, d) for c, k, d in stored.tasks(con, plan_id)}
            task_units = stored.task_reporter_pairs(con, plan_id)
            units = sorted({u for u, _ in target_units} | {u for u, _ in task_units})
            sizes = {u: rng.choice([40, 80, 150, 300]) for u in units}
            by_code = {t[0]: t for t in targets}
            for quarter_number, period in enumerate(quarters_of_year(year)[:QUARTERS_REPORTED], start=1):
                for unit in units:
                    taken = stored.has_current_submission(con, plan_id, unit, period.code)
                    if taken or rng.random() < MISSING_SHARE:
                        continue  # a real report is never overwritten; some units are late
                    figures = tuple(_target_figure(rng, by_code[code], quarter_number, drift[code], sizes[unit])
                                    for u, code in target_units if u == unit)
                    reports = tuple(_task_report(rng, tasks[code], period.end) for u, code in task_units
                                    if u == unit)
                    if not figures and not reports:
                        continue
                    record(con, Submission(plan_id, unit, period, figures, reports, source="demo",
                                           illustrative=True, submitted_by=DEMO_AUTHOR,
                                           submitted_at=_demo_moment(con, plan_id, unit, period)))
                    written += 1
    return written


def remove(con: duckdb.DuckDBPyConnection) -> int:
    """Delete every illustrative submission and its rows; nothing else. Returns how many."""
    with transaction(con):
        count = stored.delete_illustrative(con)
    return count


def _demo_moment(con, plan_id: str, unit: str, period) -> dt.datetime:
    """When a demo report "arrived": most units a few days before the deadline, one in five a few days after,
    so «Tình hình báo cáo» shows both. Its own generator per report: the figures' generator is not touched,
    so the demo's figures stay what they were."""
    from kpi.cycle import locks
    chance = random.Random(f"{plan_id}|{unit}|{period.code}")
    due = locks.deadline(con, plan_id, period).due
    shift = chance.randint(1, 4) if chance.random() < 0.2 else -chance.randint(0, 5)
    return clock.from_local(dt.datetime.combine(due + dt.timedelta(days=shift), dt.time(16, 30)))


# ---- demo accounts (issue 16): one of each role, so `make run` can be tried at once (docs/accounts.md).
# Their shared password is printed on the sign-in page while demo data is present: never for real use.
DEMO_PASSWORD = "minhhoa-2026"
DEMO_ORG = "syt-thanh-hoa"
DEMO_UNIT = "VPS"


def _demo_accounts(con) -> list[dict]:
    """The four demo accounts for the demo organisation (empty when that organisation is not loaded)."""
    from kpi.db import queries
    units = sorted(queries.unit_codes(con, DEMO_ORG))
    if not units:
        return []
    unit = DEMO_UNIT if DEMO_UNIT in units else units[0]
    names = text.SIGN_IN["demo_names"]
    return [
        {"username": "demo.quantri", "role": "admin", "display_name": names["admin"], "org_id": None},
        {"username": "demo.vanphong", "role": "van_phong", "display_name": names["van_phong"], "org_id": DEMO_ORG},
        {"username": "demo.lanhdao", "role": "lanh_dao", "display_name": names["lanh_dao"], "org_id": DEMO_ORG},
        {"username": "demo.donvi", "role": "don_vi", "display_name": names["don_vi"].format(unit=unit),
         "org_id": DEMO_ORG, "units": (unit,)},
    ]


def load_accounts(con, actor) -> list[str]:
    """Create the demo accounts that do not exist yet; their usernames."""
    from kpi import accounts
    made = []
    for spec in _demo_accounts(con):
        if accounts.find(con, spec["username"]) is None:
            accounts.create(con, password=DEMO_PASSWORD, actor=actor, **spec)
            made.append(spec["username"])
    return made


def remove_accounts(con, actor) -> None:
    from kpi import accounts
    for username in ("demo.quantri", "demo.vanphong", "demo.lanhdao", "demo.donvi"):
        accounts.remove(con, username, actor=actor)


def shown_accounts(con) -> list:
    """The demo accounts to list on the sign-in page: only while illustrative data is loaded, and only those
    that still exist and are active (kpi.accounts.Account)."""
    from kpi import accounts
    if not any(stored.has_illustrative(con, plan_id) for plan_id, _ in stored.plan_years(con)):
        return []
    found = [accounts.find(con, u) for u in ("demo.quantri", "demo.vanphong", "demo.lanhdao", "demo.donvi")]
    return [a for a in found if a is not None and not a.disabled]
