"""Hand-written YAML transcriptions of the seed plans (docs/transcription.md) -> plan rows.

The YAML is the reviewable source of the bundled plan workbooks; it is turned into the
same rows a workbook holds and checked by the same code (`kpi.plans.validate`), so a
bundled plan passes exactly the checks a user's workbook passes.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from kpi import DATA_DIR, text
from kpi.excel.plan_workbook import COLUMNS, PLAN_FIELDS, RawRow, RawWorkbook
from kpi.plans import validate
from kpi.plans.model import PlanBundle

SOURCE_DIR = DATA_DIR / "plans" / "src"


def _cell(value):
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) if value else None
    if isinstance(value, str):
        return text.clean(value)
    return value


def _rows(sheet: str, items: list[dict], rename: dict[str, str] | None = None) -> list[RawRow]:
    keys = [c[0] for c in COLUMNS[sheet]]
    rename = rename or {}
    letters = {k: k for k in keys}  # a transcription has no columns; the key names the field
    rows = []
    for index, item in enumerate(items or [], start=1):
        values = {k: _cell(item.get(rename.get(k, k))) for k in keys}
        rows.append(RawRow(index, values, letters))
    return rows


def to_raw(doc: dict) -> RawWorkbook:
    plan, org = doc["plan"], doc["organisation"]
    plan_values = {**{k: plan.get(k) for k in PLAN_FIELDS}, "organisation": org["id"],
                   "organisation_name": org["name"], "province": org.get("province"),
                   "sector": org.get("sector"), "parent": org.get("parent")}
    conflicts = []
    for target in doc.get("targets") or []:
        conflict = target.get("conflict")
        if conflict:
            conflicts.append({"target_code": target["code"], **conflict})
    sheets = {
        "plan": _rows("plan", [{"key": k, "value": plan_values.get(k)} for k in PLAN_FIELDS]),
        "units": _rows("units", doc.get("units")),
        "areas": _rows("areas", doc.get("areas"), {"number_in_plan": "number"}),
        "targets": _rows("targets", doc.get("targets")),
        "tasks": _rows("tasks", doc.get("tasks")),
        "conflicts": _rows("conflicts", conflicts),
        "report_deadlines": _rows("report_deadlines", doc.get("report_deadlines")),
    }
    return RawWorkbook(sheets, {k: {c[0]: c[0] for c in COLUMNS[k]} for k in sheets})


def load(path: Path) -> PlanBundle:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return validate.build_bundle(to_raw(doc))


def source_files() -> list[Path]:
    return sorted(SOURCE_DIR.glob("*.yaml"))
