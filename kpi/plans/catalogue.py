"""Reading the plan catalogue: lists, the `plans show` JSON contract, and page tables.

The JSON of `plan_document` is a stable contract (docs/cli.md): field names do not change.
The reads are in `kpi.db.catalogue` (lists sort there, with `COLLATE vi`); this module shapes them.
"""
from __future__ import annotations

import pandas as pd

from kpi import text
from kpi.db import catalogue as stored
from kpi.db.plan_store import load_bundle
from kpi.plans import areas
from kpi.problems import KpiError
from kpi.rules import comparators


def list_plans(con) -> pd.DataFrame:
    """One row per plan: id, organisation, year, number, issued_on, counts, source_file."""
    return stored.plans_frame(con)


def _date(value):
    return text.iso_date(value) if value else None


def plan_document(con, plan_id: str) -> dict:
    """The `plans show --format json` contract."""
    bundle = load_bundle(con, plan_id)
    unit_names = {u.code: u.name for u in bundle.units}
    p = bundle.plan
    return {
        "plan": {
            "id": p.id, "organisation": bundle.organisation.name, "organisation_id": bundle.organisation.id,
            "province": bundle.organisation.province, "year": p.year, "number": p.number,
            "issued_on": _date(p.issued_on), "signer": p.signer, "title": p.title, "source_file": p.source_file,
        },
        "areas": [{"area": a.area, "name": areas.name_of(a.area), "heading": a.heading, "number": a.number,
                   "source": a.source, "lines": a.lines} for a in bundle.areas],
        "units": [{"code": u.code, "name": u.name, "kind": u.kind, "aliases": list(u.aliases)}
                  for u in bundle.units],
        "targets": [{
            "code": t.code, "area": t.area, "text": t.text, "comparator": t.comparator, "value": t.value,
            "unit_of_measure": t.unit_of_measure, "kind": t.kind, "stated_in": t.stated_in,
            "responsible_units": [unit_names.get(u, u) for u in t.responsible_units],
            "deadline_text": t.deadline.text, "due_date": _date(t.deadline.due), "weight": t.weight,
            "indicator_key": t.indicator_key, "task_code": t.task_code,
            "aggregation": t.aggregation, "direction": t.direction, "same_as": t.same_as,
            "source": {"file": p.source_file, "section": t.source, "lines": t.lines,
                       "appendix_section": t.appendix_source, "appendix_lines": t.appendix_lines},
            "flags": list(t.flags), "original_text": t.original_text, "note": t.note,
        } for t in bundle.targets],
        "tasks": [{
            "code": t.code, "area": t.area, "text": t.text, "product": t.product,
            "general_task": t.general_task,
            "lead_units": [unit_names.get(u, u) for u in t.lead_units],
            "coordinating_units": [unit_names.get(u, u) for u in t.coordinating_units],
            "lead_text": t.lead_text, "coordinating_text": t.coordinating_text,
            "deadline_text": t.deadline.text, "deadline_kind": t.deadline.kind, "due_date": _date(t.deadline.due),
            "milestones": [{"label": m.label, "text": m.text, "kind": m.kind, "due_date": _date(m.due)}
                           for m in t.deadline.milestones],
            "budget_million_vnd": t.budget_million_vnd, "budget_text": t.budget_text,
            "source": {"file": p.source_file, "section": t.source, "lines": t.lines},
            "flags": list(t.flags), "original_text": t.original_text, "note": t.note,
        } for t in bundle.tasks],
        "conflicts": [{
            "target_code": c.target_code, "field": c.field, "body": c.body, "appendix": c.appendix,
            "body_value": c.body_value, "appendix_value": c.appendix_value, "note": c.note, "status": c.status,
            "resolved_value": c.resolved_value,
        } for c in bundle.conflicts],
        "report_deadlines": [{"period": d.period, "month": d.month, "day": d.day, "text": d.text}
                             for d in bundle.report_deadlines],
    }


# ---------------------------------------------------------------- tables for the page

def _flag_labels(flags) -> str:
    return ", ".join(text.FLAGS.get(f, f) for f in flags)


def targets_table(con, plan_id: str) -> pd.DataFrame:
    doc = plan_document(con, plan_id)
    conflicts = {c["target_code"]: c for c in doc["conflicts"] if c["status"] == "unresolved"}
    rows = []
    for t in doc["targets"]:
        c = conflicts.get(t["code"])
        rows.append({
            "code": t["code"], "area": areas.name_of(t["area"]), "area_code": t["area"], "text": t["text"],
            "target": comparators.describe(t["comparator"], t["value"], t["unit_of_measure"]),
            "kind": text.TARGET_KINDS[t["kind"]], "stated_in": text.STATED_IN[t["stated_in"]],
            "responsible": ", ".join(t["responsible_units"]),
            "conflict": text.PAGE["conflict_both"].format(body=c["body"], appendix=c["appendix"]) if c else "",
            "indicator": areas.indicators().get(t["indicator_key"], {}).get("name", "") if t["indicator_key"] else "",
            "source": _source_label(t["source"]), "flags": _flag_labels(t["flags"]),
            "aggregation": text.AGGREGATIONS.get(t["aggregation"], ""),
            "direction": text.DIRECTIONS.get(t["direction"], ""),
            "same_as": text.PAGE["same_as_mark"].format(code=t["same_as"]) if t["same_as"] else "",
        })
    return pd.DataFrame(rows, columns=["code", "target", "text", "conflict", "same_as", "responsible", "area",
                                       "area_code", "kind", "aggregation", "direction", "stated_in", "indicator",
                                       "source", "flags"])


def _source_label(source: dict) -> str:
    line = text.LOCATION["line"]
    parts = [source["section"] + line.format(lines=source["lines"]) if source.get("lines") else source.get("section")]
    if source.get("appendix_section"):
        parts.append(source["appendix_section"] + line.format(lines=source["appendix_lines"]))
    return "; ".join(p for p in parts if p)


def tasks_table(con, plan_id: str) -> pd.DataFrame:
    doc = plan_document(con, plan_id)
    rows = []
    for t in doc["tasks"]:
        due = t["due_date"]
        rows.append({
            "code": t["code"], "area": areas.name_of(t["area"]), "area_code": t["area"], "text": t["text"],
            "product": t["product"] or "", "lead": ", ".join(t["lead_units"]) or (t["lead_text"] or ""),
            "lead_units": t["lead_units"],
            "coordinating": ", ".join(t["coordinating_units"]) or (t["coordinating_text"] or ""),
            "deadline": t["deadline_text"] or "", "deadline_kind": text.DEADLINE_KINDS[t["deadline_kind"]],
            "due": text.format_date(_parse_iso(due)) if due else text.MISSING,
            "budget": t["budget_million_vnd"], "source": _source_label(t["source"]),
            "flags": _flag_labels(t["flags"]),
        })
    return pd.DataFrame(rows, columns=["code", "text", "lead", "deadline", "due", "deadline_kind", "product",
                                       "coordinating", "budget", "area", "area_code", "lead_units", "source",
                                       "flags"])


def _parse_iso(value):
    import datetime as dt
    return dt.date.fromisoformat(value)


def areas_table(con, plan_id: str) -> pd.DataFrame:
    return stored.area_counts_frame(con, plan_id)


def units_table(con, plan_id: str) -> pd.DataFrame:
    frame = stored.units_frame(con, plan_id)
    frame["kind"] = frame["kind"].map(text.UNIT_KINDS)
    return frame


def conflicts_table(con, plan_id: str) -> pd.DataFrame:
    return stored.conflicts_frame(con, plan_id).assign(status=lambda f: f["status"].map(text.CONFLICT_STATUS))


def open_conflict_notes(con, plan_id: str, target_code: str) -> list[str]:
    """What the transcriber wrote about each unresolved body/appendix conflict of one target."""
    return stored.open_conflict_notes(con, plan_id, target_code)


def plan_summary(con, plan_id: str) -> dict:
    row = stored.plan_summary_row(con, plan_id)
    if row is None:
        raise KpiError("plan_unknown", value=plan_id)
    return {"number": row[0], "issued_on": row[1], "signer": row[2], "source_file": row[3], "targets": row[4],
            "tasks": row[5], "conflicts": row[6], "budget": row[7]}


def filter_rows(frame: pd.DataFrame, query: str | None = None, area_code: str | None = None,
                lead_unit: str | None = None, columns: tuple[str, ...] = ("code", "text")) -> pd.DataFrame:
    """Rows matching every given filter; the search ignores case and accents."""
    keep = pd.Series(True, index=frame.index)
    if area_code:
        keep &= frame["area_code"] == area_code
    if lead_unit and "lead_units" in frame:
        keep &= frame["lead_units"].map(lambda units: lead_unit in units)
    if query and query.strip():
        needle = text.search_key(query)
        haystack = frame[list(columns)].astype(str).agg(" ".join, axis=1).map(text.search_key)
        keep &= haystack.str.contains(needle, regex=False)
    return frame[keep]


def plan_choices(con) -> pd.DataFrame:
    """Organisations and their plan years, Vietnamese order: what the sidebar offers."""
    return stored.plan_choices_frame(con)


def lead_units_of(con, plan_id: str) -> list[str]:
    return stored.lead_unit_names(con, plan_id)


def workbook_bytes(con, plan_id: str) -> bytes:
    import tempfile
    from pathlib import Path

    from kpi.plans.io import export_workbook
    with tempfile.TemporaryDirectory() as folder:
        path = export_workbook(con, plan_id, Path(folder) / f"{plan_id}.xlsx")
        return path.read_bytes()
