"""Commentary beside the figures (docs/commentary.md): a unit's explanation of a target's figure, and the
office's comment on a reform area, per plan and period.

A unit explains a figure in the template's «Ghi chú / giải trình» column (stored with the report) or on the
target page; the page's text overrides the file's note, and removing it (saving an empty text) brings the
file's note back. The office (van_phong) writes one comment per area and period. Both are frozen into
meeting snapshots and carried into the exports (kpi/meetings/).

Who may write is decided here through `kpi.access.require` ("explain": don_vi for its own units, van_phong for
any unit of its organisation; "comment": van_phong), and each write appends its audit row in its own
transaction. Text is cleaned (`text.clean`: NFC, one line, no invisible characters) and kept as plain text:
nothing is ever interpreted as HTML or Markdown where it is shown.
"""
from __future__ import annotations

import pandas as pd

from kpi import access, audit, clock, text
from kpi.db import commentary as stored
from kpi.db import queries
from kpi.db.connection import transaction
from kpi.problems import KpiError
from kpi.scope import Scope

MAX_TEXT = 4000  # characters of one explanation or comment: a paragraph, not a report
EXPLANATION_COLUMNS = ["target", "unit", "text", "source", "by", "at", "target_text", "unit_name", "area_code"]
AREA_COMMENT_COLUMNS = ["area", "name", "text", "by", "at"]


def _bounded(value: str | None, what: str) -> str | None:
    """The text as stored: cleaned, None when empty; longer than MAX_TEXT refused."""
    cleaned = text.clean(value)
    if cleaned and len(cleaned) > MAX_TEXT:
        raise KpiError("commentary_too_long", what=text.COMMENTARY[what], length=text.format_number(len(cleaned)),
                       limit=text.format_number(MAX_TEXT))
    return cleaned


def _org(con, plan_id: str) -> str:
    if not queries.plan_exists(con, plan_id):
        raise KpiError("plan_unknown", value=plan_id)
    return queries.plan_org_id(con, plan_id)


# ---------------------------------------------------------------- explanations

def explanations(con, scope: Scope) -> pd.DataFrame:
    """Every explanation of the scope's plan and period, one row per target and unit: the page's text, else
    the note of the unit's newest current report within the period. Columns: target, unit (codes), text,
    source ("page" | "file"), by, at (UTC), target_text, unit_name, area_code; in plan order, then by unit."""
    period = scope.period
    written = stored.written_explanations(con, scope.plan_id, period.code).rename(columns={
        "target_code": "target", "unit_code": "unit", "note": "text", "written_by": "by", "written_at": "at"})
    written["source"] = "page"
    uploaded = stored.uploaded_notes(con, scope.plan_id, period.year, min(period.kind.quarters),
                                     max(period.kind.quarters)).rename(columns={
        "target_code": "target", "unit_code": "unit", "note": "text", "submitted_by": "by", "submitted_at": "at"})
    uploaded["source"] = "file"
    uploaded["text"] = uploaded["text"].map(text.clean)
    keys = set(zip(written["target"], written["unit"]))
    uploaded = uploaded[[key not in keys for key in zip(uploaded["target"], uploaded["unit"])]]
    parts = [part for part in (written, uploaded) if len(part)]  # pandas warns on concatenating empty frames
    frame = pd.concat(parts, ignore_index=True) if parts else written
    targets = stored.target_texts(con, scope.plan_id)
    names = queries.unit_names(con, scope.plan_id)
    frame["target_text"] = frame["target"].map(lambda code: targets.get(code, ("", "", 0))[0])
    frame["area_code"] = frame["target"].map(lambda code: targets.get(code, ("", "", 0))[1])
    frame["unit_name"] = frame["unit"].map(lambda code: names.get(code, code))
    places = stored.unit_order(con, scope.plan_id)
    frame = frame.assign(_target=frame["target"].map(lambda code: targets.get(code, ("", "", 0))[2]),
                         _unit=frame["unit"].map(lambda code: places.get(code, len(places))))
    frame = frame.sort_values(["_target", "_unit"], kind="stable")
    return frame[EXPLANATION_COLUMNS].reset_index(drop=True)


def write_explanation(con, scope: Scope, actor: access.Actor, target_code: str, unit_code: str,
                      note: str | None) -> str | None:
    """Write the unit's explanation of the target's figure in the scope's period (empty: remove the page's text,
    the file's note shows again). Returns the text stored, None when removed. Refused (and recorded) unless
    the actor may explain for the unit."""
    plan_id, period = scope.plan_id, scope.period.code
    org_id = _org(con, plan_id)
    access.require(con, actor, "explain", org_id=org_id, unit=unit_code, plan_id=plan_id, period=period)
    cleaned = _bounded(note, "explanation")
    if not stored.target_exists(con, plan_id, target_code):
        raise KpiError("commentary_target_unknown", value=target_code)
    if unit_code not in queries.unit_codes(con, org_id):
        raise KpiError("commentary_unit_unknown", value=unit_code)
    before = stored.written_explanation(con, plan_id, period, unit_code, target_code)
    if before == cleaned:
        return cleaned
    with transaction(con, action="explanation", detail={"plan": plan_id, "period": period, "unit": unit_code,
                                                        "target": target_code}):
        stored.save_explanation(con, plan_id, period, unit_code, target_code, cleaned, actor.shown,
                                clock.to_storage(clock.now()))
        audit.append(con, actor, "explanation", plan_id=plan_id, unit_code=unit_code, period=period,
                     subject=target_code, detail={"before": before, "after": cleaned})
    return cleaned


def target_units(con, scope: Scope, target_code: str, actor: access.Actor | None) -> list[dict]:
    """What the target page shows under the figures, one entry per unit that reports the target or has an
    explanation: unit (code), name, text, source, by, at (UTC) and whether `actor` may edit it."""
    org_id = queries.plan_org_id(con, scope.plan_id)
    names = queries.unit_names(con, scope.plan_id)
    found = explanations(con, scope)
    found = found[found["target"] == target_code].set_index("unit")
    units = list(dict.fromkeys([*queries.target_reporters(con, scope.plan_id).get(target_code, []), *found.index]))
    places = stored.unit_order(con, scope.plan_id)
    units.sort(key=lambda code: places.get(code, len(places)))
    rows = []
    for unit in units:
        row = found.loc[unit] if unit in found.index else None
        rows.append({"unit": unit, "name": names.get(unit, unit),
                     "text": row["text"] if row is not None else "",
                     "source": row["source"] if row is not None else None,
                     "by": row["by"] if row is not None else None, "at": row["at"] if row is not None else None,
                     "editable": actor is not None and access.allowed(actor, "explain", org_id=org_id, unit=unit)})
    return rows


def written_line(source: str | None, by, at) -> str:
    """Where an explanation comes from, in words: written on the page by whom and when, or the file's note."""
    if source is None:
        return text.COMMENTARY["no_explanation"]
    key = "source_page" if source == "page" else "source_file"
    return text.COMMENTARY[key].format(by=by or text.MISSING, at=text.format_datetime(at))


# ---------------------------------------------------------------- comments on areas

def area_comments(con, scope: Scope) -> pd.DataFrame:
    """The office's comment on each area of the scope's plan and period: area (code), name, text, by, at (UTC),
    in the areas' order."""
    frame = stored.area_comments(con, scope.plan_id, scope.period.code).rename(columns={
        "area_code": "area", "comment": "text", "written_by": "by", "written_at": "at"})
    names, order = queries.area_names(con), queries.area_order(con)
    frame["name"] = frame["area"].map(lambda code: names.get(code, code))
    frame = frame.assign(_order=frame["area"].map(lambda code: order.get(code, 10**6))).sort_values(
        "_order", kind="stable")
    return frame[AREA_COMMENT_COLUMNS].reset_index(drop=True)


def area_comment(con, scope: Scope, area_code: str) -> dict | None:
    """The comment on one area ({text, by, at}), or None."""
    frame = area_comments(con, scope)
    frame = frame[frame["area"] == area_code]
    return None if frame.empty else frame.iloc[0][["text", "by", "at"]].to_dict()


def may_comment(con, scope: Scope, actor: access.Actor | None) -> bool:
    """Whether the page offers `actor` the editor of the area comment (write_area_comment decides)."""
    return actor is not None and access.allowed(actor, "comment", org_id=queries.plan_org_id(con, scope.plan_id))


def write_area_comment(con, scope: Scope, actor: access.Actor, area_code: str, comment: str | None) -> str | None:
    """Write the office's comment on the area in the scope's period (empty: remove it). Returns the text
    stored, None when removed. Refused (and recorded) unless the actor may comment."""
    plan_id, period = scope.plan_id, scope.period.code
    org_id = _org(con, plan_id)
    access.require(con, actor, "comment", org_id=org_id, plan_id=plan_id, period=period)
    cleaned = _bounded(comment, "area_comment")
    if area_code not in stored.plan_areas(con, plan_id):
        raise KpiError("commentary_area_unknown", value=area_code)
    before = stored.area_comment(con, plan_id, period, area_code)
    if before == cleaned:
        return cleaned
    with transaction(con, action="area_comment", detail={"plan": plan_id, "period": period, "area": area_code}):
        stored.save_area_comment(con, plan_id, period, area_code, cleaned, actor.shown, clock.to_storage(clock.now()))
        audit.append(con, actor, "area_comment", plan_id=plan_id, period=period, subject=area_code,
                     detail={"before": before, "after": cleaned})
    return cleaned
