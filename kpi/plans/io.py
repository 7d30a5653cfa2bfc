"""Importing and exporting plan workbooks, and loading the bundled seed plans.

`import_workbook` checks everything before writing anything, then writes in one
transaction; `export_workbook` writes the same format, so import -> export -> import is
lossless (tests/test_plan_workbook.py proves it on all five seed plans).
"""
from __future__ import annotations

from pathlib import Path

from kpi import DATA_DIR
from kpi.db import plan_store
from kpi.excel import plan_workbook
from kpi.plans import transcription, validate
from kpi.plans.model import PlanBundle
from kpi.problems import ImportRejected, KpiError, Problem

BUNDLED_DIR = DATA_DIR / "plans"


def check_workbook(con, path: Path, name: str | None = None) -> PlanBundle:
    """Read and check a plan workbook; raise ImportRejected with every problem found."""
    raw = plan_workbook.read_raw(Path(path), name)
    plan_rows = {r.values.get("key"): r.values.get("value") for r in raw.sheets.get("plan", [])}
    org_id = plan_rows.get("organisation")
    existing = plan_store.organisation_units(con, str(org_id)) if org_id else ()
    return validate.build_bundle(raw, existing)


def import_workbook(con, path: Path, *, replace: bool = False, name: str | None = None) -> PlanBundle:
    """Check, then store all or nothing. Clashes with stored plans become ImportRejected too."""
    bundle = check_workbook(con, path, name)
    try:
        plan_store.save(con, bundle, replace=replace)
    except KpiError as exc:
        raise ImportRejected([Problem(exc.code, params=exc.params)]) from exc
    return bundle


def export_workbook(con, plan_id: str, path: Path) -> Path:
    return plan_workbook.write(plan_store.load_bundle(con, plan_id), Path(path))


def open_database(path=None):
    """Open the database; on its very first start, load the bundled plans too."""
    from kpi.db import connect, schema

    con = connect(path, migrate=False)
    first_start = schema.current_version(con) == 0
    schema.migrate(con)
    if first_start:
        load_bundled(con)
    return con


def bundled_workbooks() -> list[Path]:
    return sorted(BUNDLED_DIR.glob("*.xlsx"))


def build_bundled(out_dir: Path = BUNDLED_DIR) -> list[Path]:
    """Regenerate data/plans/*.xlsx from the YAML transcriptions in data/plans/src/."""
    written = []
    for source in transcription.source_files():
        bundle = transcription.load(source)
        written.append(plan_workbook.write(bundle, out_dir / f"{bundle.plan.id}.xlsx"))
    return written


def load_bundled(con) -> tuple[list[str], list[str]]:
    """Import every bundled plan not yet in the database, all or none: each is checked first, then all are
    stored in one transaction. Returns (loaded, already there)."""
    fresh, kept = [], []
    for path in bundled_workbooks():
        bundle = check_workbook(con, path)
        (kept if plan_store.plan_exists(con, bundle.plan.id) else fresh).append(bundle)
    if fresh:
        plan_store.save_all(con, fresh)
    return [b.plan.id for b in fresh], [b.plan.id for b in kept]
