"""Meeting snapshots: a plan and period frozen at a moment, shown and exported exactly as they were.

A snapshot stores every table the overview showed (the engine's frames at every level included) as
Parquet, with the submissions they were computed from. Nothing here updates a snapshot; `delete` is the
only way one changes, and it removes the whole snapshot. Comparisons read stored frames only, so what
changed since the last meeting does not depend on corrections uploaded after it.
"""
from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass

import duckdb
import pandas as pd

from kpi import clock, commentary, engine, text
from kpi.db import queries
from kpi.db import snapshots as stored
from kpi.periods import Period, parse_period
from kpi.presentation import dashboard
from kpi.problems import KpiError
from kpi.rules import comparators
from kpi.scope import Scope

# Overview fields stored as frames; `levels` are stored as "level:<name>".
_FRAMES = ("by_area", "unit_area", "trend", "at_risk", "overdue", "freshness")
# The commentary of the period as it read when the snapshot was taken (kpi/commentary.py); a snapshot made
# before commentary existed has neither frame and shows none.
_EXPLANATIONS, _AREA_COMMENTS = "commentary:explanations", "commentary:area_comments"
MAX_NAME = 200
MAX_NOTE = 2000


@dataclass(frozen=True)
class SnapshotInfo:
    id: int
    plan_id: str
    period: Period
    as_of: dt.date
    name: str
    note: str
    created_by: str
    created_at: dt.datetime
    illustrative: bool
    summary: dict

    @property
    def period_label(self) -> str:
        return self.period.label

    @property
    def scope(self) -> Scope:
        """The plan, period and as-of date the snapshot froze."""
        return Scope(self.plan_id, self.period, self.as_of)

    @property
    def title(self) -> str:
        """«Họp giao ban Quý III/2023» (#3, 10:05 15/10/2023)"""
        return text.SNAPSHOT["title"].format(name=self.name, id=self.id, at=text.format_datetime(self.created_at))


def _parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _frame(data: bytes) -> pd.DataFrame:
    return pd.read_parquet(io.BytesIO(data))


def _clean(value: str | None, limit: int, code: str | None) -> str:
    cleaned = text.clean(value) or ""
    if not cleaned and code:
        raise KpiError(code)
    if len(cleaned) > limit:
        raise KpiError("snapshot_text_too_long", value=cleaned[:40], limit=limit)
    return cleaned


def _plain(value):
    """A headline figure as JSON holds it: NaN is missing (None), numpy numbers become Python numbers."""
    if isinstance(value, str) or value is None:
        return value
    return None if pd.isna(value) else value.item() if hasattr(value, "item") else value


def create(con: duckdb.DuckDBPyConnection, scope: Scope, *, name: str, by: str, note: str | None = None,
           now: dt.datetime | None = None) -> SnapshotInfo:
    """Freeze the overview of the scope's plan and period as the dashboard shows it now."""
    name = _clean(name, MAX_NAME, "snapshot_name_missing")
    by = _clean(by, MAX_NAME, "snapshot_by_missing")
    note = _clean(note, MAX_NOTE, None)
    plan_id, period = scope.plan_id, scope.period
    if not queries.plan_exists(con, plan_id):
        raise KpiError("plan_unknown", value=plan_id)
    view = dashboard.overview(con, scope)
    used = engine.chosen_submissions(con, scope)
    created_at = now or clock.now()
    summary = {k: _plain(v) for k, v in view.headline.items()} | {"has_reports": view.has_reports,
                                                                   "report_due": text.iso_date(view.due)}
    frames = {name_: getattr(view, name_) for name_ in _FRAMES}
    frames["reporting"] = view.reporting  # «Tình hình báo cáo» as the meeting saw it
    frames.update({f"level:{level}": frame for level, frame in view.levels.items()})
    frames.update({_EXPLANATIONS: commentary.explanations(con, scope),
                   _AREA_COMMENTS: commentary.area_comments(con, scope)})
    used_rows = [] if not len(used) else [
        [None if pd.isna(v) else v for v in row] for row in used[
            ["submission_id", "unit_code", "period", "submitted_by", "submitted_at", "file_name", "sha256",
             "illustrative"]].itertuples(index=False)]
    snapshot_id = stored.insert_snapshot(
        con, plan_id=plan_id, period_code=period.code, as_of=view.as_of, name=name, note=note or None,
        created_by=by, created_at=created_at, illustrative=view.illustrative,
        summary=json.dumps(summary, ensure_ascii=False, default=str),
        frames={key: _parquet(frame) for key, frame in frames.items()}, submissions=used_rows)
    return get(con, snapshot_id)


def _info(row) -> SnapshotInfo:
    """A stored snapshot row: an edge, where the stored period code becomes a `Period` again."""
    sid, plan_id, period, as_of, name, note, by, at, illustrative, summary = row
    return SnapshotInfo(int(sid), plan_id, parse_period(period), as_of, name, note or "", by, at, bool(illustrative),
                        json.loads(summary))


def get(con: duckdb.DuckDBPyConnection, snapshot_id: int) -> SnapshotInfo:
    row = stored.snapshot_row(con, snapshot_id)
    if row is None:
        raise KpiError("snapshot_unknown", value=snapshot_id)
    return _info(row)


def list_snapshots(con: duckdb.DuckDBPyConnection, plan_id: str | None = None) -> list[SnapshotInfo]:
    """Newest first."""
    rows = stored.snapshot_rows(con, plan_id)
    return [_info(row) for row in rows]


def previous(con: duckdb.DuckDBPyConnection, snapshot_id: int) -> SnapshotInfo | None:
    """The plan's latest snapshot made before this one: what the last meeting saw."""
    info = get(con, snapshot_id)
    row = stored.previous_row(con, info.plan_id, info.created_at, info.id)
    return _info(row) if row else None


def latest(con: duckdb.DuckDBPyConnection, plan_id: str) -> SnapshotInfo | None:
    shots = list_snapshots(con, plan_id)
    return shots[0] if shots else None


def load(con: duckdb.DuckDBPyConnection, snapshot_id: int) -> dashboard.Overview:
    """The overview exactly as it was frozen."""
    info = get(con, snapshot_id)
    frames = {key: _frame(data) for key, data in stored.frame_data(con, info.id).items()}
    summary = dict(info.summary)
    has_reports = summary.pop("has_reports")
    due = summary.pop("report_due", None)  # absent in snapshots made before «Tình hình báo cáo»
    levels = {key.split(":", 1)[1]: frame for key, frame in frames.items() if key.startswith("level:")}
    return dashboard.Overview(info.period, summary, frames["by_area"], frames["unit_area"],
                              frames["trend"], frames["at_risk"], frames["overdue"], frames["freshness"],
                              info.illustrative, has_reports, levels, info.as_of,
                              frames.get("reporting", pd.DataFrame()), dt.date.fromisoformat(due) if due else None)


def frozen_commentary(con: duckdb.DuckDBPyConnection, snapshot_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(explanations, area comments) as frozen with the snapshot (kpi.commentary's columns); empty for a
    snapshot taken before commentary was frozen."""
    info = get(con, snapshot_id)
    data = stored.frame_data(con, info.id)
    return tuple(_frame(data[key]) if key in data else pd.DataFrame(columns=columns) for key, columns in
                 ((_EXPLANATIONS, commentary.EXPLANATION_COLUMNS), (_AREA_COMMENTS, commentary.AREA_COMMENT_COLUMNS)))


def submissions(con: duckdb.DuckDBPyConnection, snapshot_id: int) -> pd.DataFrame:
    info = get(con, snapshot_id)
    return stored.submissions_frame(con, info.id)


def delete(con: duckdb.DuckDBPyConnection, snapshot_id: int) -> SnapshotInfo:
    """Remove a snapshot entirely (explicit: the caller asked for this id)."""
    info = get(con, snapshot_id)
    stored.delete_snapshot(con, info.id)
    return info


# ---------------------------------------------------------------------------------------------------
# What changed between two snapshots, or between a snapshot and now.

@dataclass
class Comparison:
    before: SnapshotInfo
    after: SnapshotInfo | None          # None: the current figures
    after_as_of: dt.date
    targets_met: pd.DataFrame           # newly met
    targets_missed: pd.DataFrame        # newly missed (met before, not now)
    areas: pd.DataFrame                 # change by area
    units: pd.DataFrame                 # change by unit
    tasks_overdue: pd.DataFrame         # newly overdue
    tasks_completed: pd.DataFrame       # newly completed
    reported_since: pd.DataFrame        # submissions used now that were not used before

    @property
    def after_label(self) -> str:
        return self.after.title if self.after else text.SNAPSHOT["now"].format(
            as_of=text.format_date(self.after_as_of))

    @property
    def empty(self) -> bool:
        return all(frame.empty for frame in (self.targets_met, self.targets_missed, self.areas, self.units,
                                             self.tasks_overdue, self.tasks_completed, self.reported_since))


# ---- Why a row changed when its figures look the same. The change list prints attainment to 0,1 point, so
# "100,0% → 100,0%" can hide a status change (99,96% → 100%), a new result behind a capped attainment, a new
# target value or reports arriving. Each reason compares what a person would read, never raw floats: a
# difference nobody can see is no reason, and a reason only names what the row's own columns do not show.

def _seen(row, column: str, show) -> tuple[str, str] | None:
    """(before, after) as shown, when they read differently."""
    before, after = show(row[f"{column}_before"]), show(row[f"{column}_after"])
    return (before, after) if before != after else None


def _finer(before, after) -> tuple[str, str]:
    """Two attainments with just enough decimals to tell them apart."""
    for decimals in range(2, 8):
        shown = text.format_percent(before, decimals), text.format_percent(after, decimals)
        if shown[0] != shown[1]:
            return shown
    return shown


def _goal(row, side: str) -> str:
    if pd.isna(row[f"comparator_{side}"]):
        return text.MISSING
    return comparators.describe(row[f"comparator_{side}"], row[f"target_value_{side}"],
                                row[f"unit_of_measure_{side}"])


def _reason(row, *, target: bool) -> str | None:
    """The reasons of one merged row (columns `<name>_before`, `<name>_after`), joined; None when none is known."""
    R = text.SNAPSHOT_REASONS
    found = []
    same_figure = _seen(row, "attainment", text.format_percent) is None
    status_changed = _seen(row, "status", lambda v: text.STATUS.get(v, text.MISSING)) is not None
    if target:
        goal = _goal(row, "before"), _goal(row, "after")
        if text.MISSING not in goal and goal[0] != goal[1]:
            found.append(R["goal"].format(before=goal[0], after=goal[1]))
        kind = row["kind_after"] if isinstance(row["kind_after"], str) else row["kind_before"]
        figures = [("result", "actual")] if same_figure else []   # a visible attainment change already says it
        for reason, column in [*figures, ("baseline", "baseline")]:
            seen = _seen(row, column, lambda v: text.format_actual(v, kind))
            if seen:
                found.append(R[reason].format(before=seen[0], after=seen[1]))
    else:
        # The area and unit tables have no status columns: a new status is said here.
        for reason, column, show in (("status", "status", lambda v: text.STATUS.get(v, text.MISSING)),
                                     ("with_data", "with_data", text.format_number)):
            seen = _seen(row, column, show)
            if seen:
                found.append(R[reason].format(before=seen[0], after=seen[1]))
    seen = _seen(row, "coverage", lambda v: text.format_percent(v, 0))   # coverage is shown in whole percent
    if seen:
        found.append(R["coverage"].format(before=seen[0], after=seen[1]))
    # A change under the display's precision matters only when it moved the status (99,96% → 100%: Đạt).
    if same_figure and status_changed and not pd.isna(row["attainment_before"]) \
            and not pd.isna(row["attainment_after"]) and row["attainment_before"] != row["attainment_after"]:
        before, after = _finer(row["attainment_before"], row["attainment_after"])
        found.append(R["precision"].format(before=before, after=after))
    return R["join"].join(found) if found else None


def _visible(row) -> bool:
    """The row's own figures read differently: attainment before/after or the change in points."""
    return _seen(row, "attainment", text.format_percent) is not None or \
        text.format_number(abs(row["change"]) * 100, 1) not in (text.format_number(0, 1), text.MISSING)


def _change(before: pd.DataFrame, after: pd.DataFrame, key: str) -> pd.DataFrame:
    """Areas or units whose attainment reads differently, or that changed for a reason worth saying."""
    columns = [key, "name", "attainment", "status", "coverage", "with_data"]
    with_data = {"with_data": lambda f: f["targets_with_data"] + f["tasks_with_data"]}
    merged = before.assign(**with_data)[columns].merge(
        after.assign(**with_data)[columns], on=key, how="outer", suffixes=("_before", "_after"))
    merged["name"] = merged["name_after"].fillna(merged["name_before"])
    merged["change"] = merged["attainment_after"] - merged["attainment_before"]
    order = list(dict.fromkeys([*after[key], *before[key]]))  # the dashboard's order, not the merge's
    merged = merged.set_index(key).loc[order].reset_index()
    merged["reason"] = [_reason(row, target=False) for _, row in merged.iterrows()]
    # A row nobody could tell apart from "no change" is not a change (issue 14: "100,0% → 100,0%").
    merged = merged[[_visible(row) or pd.notna(row["reason"]) for _, row in merged.iterrows()]]
    return merged[[key, "name", "attainment_before", "attainment_after", "change", "status_before",
                   "status_after", "reason"]].reset_index(drop=True)


_DONE = ("done_on_time", "done_late")


def compare(con: duckdb.DuckDBPyConnection, before_id: int, after_id: int | None = None, *,
            as_of: dt.date | None = None) -> Comparison:
    """What changed from snapshot `before_id` to snapshot `after_id` (or to the current figures, computed
    for the same plan and period at `as_of`, by default the snapshot's own as-of date)."""
    before = get(con, before_id)
    old = load(con, before.id)
    if after_id is None:
        after = None
        now_scope = Scope(before.plan_id, before.period, as_of or before.as_of)
        new = dashboard.overview(con, now_scope)
        used_now = engine.chosen_submissions(con, now_scope)
    else:
        after = get(con, after_id)
        new = load(con, after.id)
        used_now = submissions(con, after.id)
    old_t, new_t = old.levels["target"], new.levels["target"]
    compared = ["code", "text", "status", "attainment", "kind", "comparator", "target_value", "unit_of_measure",
                "actual", "baseline", "coverage"]
    targets = old_t[compared].merge(new_t[compared], on="code", how="outer", suffixes=("_before", "_after"))
    targets["text"] = targets["text_after"].fillna(targets["text_before"])
    targets["reason"] = [_reason(row, target=True) for _, row in targets.iterrows()]
    targets = targets[["code", "text", "status_before", "status_after", "attainment_before", "attainment_after",
                       "reason"]]
    was_met, is_met = targets["status_before"].eq("met"), targets["status_after"].eq("met")
    old_k, new_k = old.levels["task"], new.levels["task"]
    tasks = old_k[["code", "text", "state"]].merge(new_k[["code", "text", "state", "deadline_text"]], on="code",
                                                   how="outer", suffixes=("_before", "_after"))
    tasks["text"] = tasks["text_after"].fillna(tasks["text_before"])
    tasks = tasks[["code", "text", "deadline_text", "state_before", "state_after"]]
    used_before = submissions(con, before.id)
    names = queries.unit_names(con, before.plan_id)
    since = used_now[~used_now["submission_id"].isin(used_before["submission_id"])].copy()
    since.insert(0, "unit", since["unit_code"].map(lambda u: names.get(u, u)))
    return Comparison(
        before, after, after.as_of if after else (as_of or before.as_of),
        targets[~was_met & is_met].reset_index(drop=True),
        targets[was_met & ~is_met].reset_index(drop=True),
        _change(old.by_area.rename(columns={"area_code": "key"}), new.by_area.rename(columns={"area_code": "key"}),
                "key"),
        _change(old.levels["unit"].rename(columns={"unit_code": "key"}),
                new.levels["unit"].rename(columns={"unit_code": "key"}), "key"),
        tasks[tasks["state_after"].eq("overdue") & ~tasks["state_before"].eq("overdue")].reset_index(drop=True),
        tasks[tasks["state_after"].isin(_DONE) & ~tasks["state_before"].isin(_DONE)].reset_index(drop=True),
        since[["unit", "unit_code", "period", "submitted_by", "submitted_at", "file_name"]].reset_index(drop=True),
    )
