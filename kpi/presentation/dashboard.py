"""What the overview page shows, computed in one place (pages only render it)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from kpi import engine, text
from kpi.cycle import reporting
from kpi.db import queries, submissions
from kpi.periods import Period, trend_sequence
from kpi.scope import APPROVED, Scope


@dataclass
class Overview:
    period: Period
    headline: dict
    by_area: pd.DataFrame
    unit_area: pd.DataFrame
    trend: pd.DataFrame
    at_risk: pd.DataFrame
    overdue: pd.DataFrame
    freshness: pd.DataFrame
    illustrative: bool
    has_reports: bool
    levels: dict[str, pd.DataFrame] = field(default_factory=dict)  # the engine's frames, every level
    as_of: dt.date | None = None  # the date the figures were computed at (the period's end by default)
    # «Tình hình báo cáo» (kpi.cycle.reporting.reporting_status().frame); empty in snapshots made before it
    reporting: pd.DataFrame = field(default_factory=pd.DataFrame)
    due: dt.date | None = None  # the period's report deadline the reporting table was judged against

    @property
    def reporting_summary(self) -> str:
        """«Đã nhận 4/5 báo cáo (80,0%) · đúng hạn 2/5 (40,0%) · …»; "" when the table is absent."""
        return reporting.summary_line(self.reporting, self.due) if len(self.reporting) else ""

    @property
    def basis(self) -> str:
        """Which submissions the figures count and how many of them the office approved."""
        return basis_line(self.headline)

    @property
    def measured_on(self) -> str:
        """What «Mức đạt chung» stands on when targets lack figures ("" when every target has one)."""
        return measured_on_line(self.headline)


def overview(con, scope: Scope) -> Overview:
    plan_id, period = scope.plan_id, scope.period
    levels = engine.overview(con, scope)
    plan_row = levels["plan"].iloc[0] if not levels["plan"].empty else None
    targets, tasks = levels["target"], levels["task"]
    counted = targets[targets["same_as"].isna()]  # a restating target is the same measure: counted once
    headline = {
        "attainment": plan_row["attainment"] if plan_row is not None else None,
        "status": plan_row["status"] if plan_row is not None else "no_data",
        "targets": len(counted), "targets_met": int((counted["status"] == "met").sum()),
        "targets_with_data": int(counted["attainment"].notna().sum()),
        "tasks": len(tasks), "tasks_done": int(tasks["state"].isin(["done_on_time", "done_late"]).sum()),
        "tasks_overdue": int((tasks["state"] == "overdue").sum()),
        "coverage": plan_row["coverage"] if plan_row is not None else None,
        "units_reported": int(plan_row["units_reported"]) if plan_row is not None else 0,
        "units_expected": int(plan_row["units_expected"]) if plan_row is not None else 0,
        **{f"reports_{key}": n for key, n in reporting.review_basis(con, scope).items()},
        "basis": scope.basis,
    }
    trend_rows = []
    for point in trend_sequence(period):  # each point exactly as selecting that period shows it (Scope.at)
        row = engine.attainment(con, scope.at(point), by="plan")
        trend_rows.append({"period": point.code, "label": point.label,
                           "attainment": row["attainment"].iloc[0] if len(row) else None,
                           "coverage": row["coverage"].iloc[0] if len(row) else None, "selected": point == period})
    names = queries.unit_names(con, plan_id)
    who = {code: ", ".join(names.get(u, u) for u in units)
           for code, units in queries.target_reporters(con, plan_id).items()}
    risky = targets[targets["at_risk"] | (targets["status"] == "below")].copy()
    from kpi.rules import comparators
    at_risk = pd.DataFrame({
        "code": risky["code"], "text": risky["text"],
        "target": [comparators.describe(c, v, u) for c, v, u in
                   zip(risky["comparator"], risky["target_value"], risky["unit_of_measure"])],
        "actual": figures_shown(risky),
        "status": risky["status_label"], "responsible": risky["code"].map(who).fillna(""),
    })
    late = tasks[tasks["state"] == "overdue"]
    leads = {code: ", ".join(names.get(u, u) for u in units) for code, units in queries.task_leads(con, plan_id).items()}
    overdue = pd.DataFrame({"code": late["code"], "text": late["text"], "deadline": late["deadline_text"],
                            "due": late["due"].map(lambda d: text.format_date(d) if pd.notna(d) else text.MISSING),
                            "lead": late["code"].map(leads).fillna("")})
    status = reporting.reporting_status(con, scope)
    return Overview(period, headline, levels["area"], levels["unit_area"], pd.DataFrame(trend_rows), at_risk,
                    overdue, freshness(con, scope),
                    bool(targets["illustrative"].any() or tasks["illustrative"].any()),
                    bool(targets["attainment"].notna().any() or tasks["n_reported"].gt(0).any()),
                    levels, scope.as_of_date, status.frame, status.due)


def measured_on_line(headline: dict) -> str:
    """«1 trong 3 chỉ tiêu chưa có số liệu của kỳ: mức đạt chung tính trên 2 chỉ tiêu có số liệu và …»; "" when
    every target has a figure, or for a snapshot made before the count was kept."""
    if "targets_with_data" not in headline or not headline.get("targets"):
        return ""
    total, with_data = int(headline["targets"]), int(headline["targets_with_data"])
    if with_data >= total:
        return ""
    if not with_data:
        return text.OVERVIEW["measured_on_tasks_only"].format(total=text.format_number(total))
    return text.OVERVIEW["measured_on_part"].format(missing=text.format_number(total - with_data),
                                                    total=text.format_number(total),
                                                    with_data=text.format_number(with_data))


def basis_line(headline: dict) -> str:
    """«Số liệu tính trên tất cả báo cáo đã nộp: 3 báo cáo đã duyệt, 2 chưa duyệt, 0 bị trả lại.» ("" for a
    snapshot made before reviews existed)."""
    if "reports_approved" not in headline:
        return ""
    approved, waiting, returned = (int(headline.get(f"reports_{k}") or 0) for k in ("approved", "submitted", "returned"))
    if not approved + waiting + returned:
        return ""
    if headline.get("basis") == APPROVED:
        return text.CYCLE["basis_approved_only"].format(
            approved=text.format_number(approved), waiting=text.format_number(waiting),
            returned=text.format_number(returned))
    if not waiting and not returned:
        return text.CYCLE["basis_all_approved"].format(approved=text.format_number(approved))
    return text.CYCLE["basis"].format(approved=text.format_number(approved), waiting=text.format_number(waiting),
                                      returned=text.format_number(returned))


def freshness(con, scope: Scope) -> pd.DataFrame:
    """Each reporting unit: its latest submission for the period, and whether it is late (at the scope's
    as-of date)."""
    plan_id, period = scope.plan_id, scope.period
    from kpi.cycle import locks
    deadline = locks.deadline(con, plan_id, period).due  # the office's, else the plan's rule
    today = scope.as_of_date
    # A unit has reported for the period when it sent the period itself or the report that closes it
    # (Q3 closes 9 months): cumulative views are built from quarters.
    latest = submissions.latest_by_unit(con, plan_id, period.year, max(period.kind.quarters))
    covered = engine.units_reported(con, scope)  # the coverage rule: reports cover every quarter of the period
    rows = []
    for code, name in reporting.reporting_units(con, plan_id):
        at, who = latest.get(code, (None, ""))
        state = ("reported" if code in covered else "partial" if at
                 else "late" if today > deadline else "waiting")
        rows.append({"unit": name, "last": text.format_datetime(at),
                     "by": who, "state": text.FRESHNESS[state], "order": FRESHNESS_ORDER.index(state)})
    # who has not reported comes first, late before waiting (a stable sort keeps Vietnamese name order within)
    frame = pd.DataFrame(rows, columns=["unit", "last", "by", "state", "order"]).sort_values("order", kind="stable")
    return frame.drop(columns=["order"]).reset_index(drop=True)


FRESHNESS_ORDER = ("late", "partial", "waiting", "reported")


def late_units(view: Overview) -> list[dict]:
    """The units that have not reported for the period although it is due (late) or that miss a quarter
    (partial), late first: [{"unit": "Đơn vị B", "state": "partial"}]."""
    keys = {label: key for key, label in text.FRESHNESS.items()}
    return [{"unit": unit, "state": keys[state]} for unit, state in zip(view.freshness["unit"], view.freshness["state"])
            if keys.get(state) in ("late", "partial")]


def overview_document(view: Overview, scope: Scope) -> dict:
    """The overview's figures as a contract (`python -m kpi overview --format json`, docs/cli.md): the same
    `Overview` the page draws."""
    h = view.headline
    areas = view.by_area
    return {
        "plan": scope.plan_id, "period": view.period.code, "period_label": view.period.label,
        "as_of": text.iso_date(view.as_of), "illustrative": view.illustrative,
        "headline": {
            "attainment": h["attainment"], "status": h["status"], "status_label": text.STATUS[h["status"]],
            "coverage": h["coverage"], "units_expected": h["units_expected"], "units_reported": h["units_reported"],
            "targets": h["targets"], "targets_met": h["targets_met"], "targets_with_data": h["targets_with_data"],
            "tasks": h["tasks"], "tasks_done": h["tasks_done"], "tasks_overdue": h["tasks_overdue"],
        },
        "trend": [{"period": r["period"], "label": r["label"], "attainment": r["attainment"],
                   "coverage": r["coverage"], "selected": bool(r["selected"])} for r in view.trend.to_dict("records")],
        "by_area": [{"area_code": r["area_code"], "name": r["name"], "attainment": r["attainment"],
                     "status": r["status"], "status_label": text.STATUS[r["status"]], "coverage": r["coverage"],
                     "units_reported": int(r["units_reported"]), "units_expected": int(r["units_expected"])}
                    for r in areas.to_dict("records")],
        "late_units": late_units(view),
        "reporting": reporting_document(view),
    }


def reporting_document(view: Overview) -> dict:
    """«Tình hình báo cáo» as the JSON contract gives it (docs/cli.md)."""
    frame = view.reporting
    return {"due": text.iso_date(view.due), **reporting.counts(frame),
            "completeness": reporting.completeness(frame), "timeliness": reporting.timeliness(frame),
            "basis": "approved" if view.headline.get("basis") == APPROVED else "all_submitted",
            "reports_approved": view.headline.get("reports_approved"),
            "reports_submitted": view.headline.get("reports_submitted"),
            "reports_returned": view.headline.get("reports_returned"),
            "units": [{"unit_code": r["unit_code"], "unit": r["unit"], "state": r["state"]}
                      for r in frame.to_dict("records")] if len(frame) else []}


def tasks_view(con, scope: Scope, lead_unit: str | None = None) -> pd.DataFrame:
    """Every task with its state at the as-of date, lead units, due date; optionally one lead unit's."""
    tasks = engine.attainment(con, scope, by="task")
    names = queries.unit_names(con, scope.plan_id)
    leads = queries.task_leads(con, scope.plan_id)
    frame = pd.DataFrame({
        "code": tasks["code"], "text": tasks["text"], "area": tasks["area_code"],
        "lead": tasks["code"].map(lambda c: ", ".join(names.get(u, u) for u in leads.get(c, []))),
        "lead_codes": tasks["code"].map(lambda c: leads.get(c, [])),
        "deadline": tasks["deadline_text"].fillna(""), "due": tasks["due"],
        "state": tasks["state"], "state_label": tasks["state"].map(text.STATUS),
        "progress": tasks["progress"], "illustrative": tasks["illustrative"],
    })
    if lead_unit:
        frame = frame[frame["lead_codes"].map(lambda units: lead_unit in units)]
    return frame.reset_index(drop=True)


def target_detail(con, scope: Scope, target_code: str) -> pd.DataFrame:
    """The figures behind one target in the period: each unit's current reports, down to the submission
    (who, when, which file)."""
    plan_id, period = scope.plan_id, scope.period
    frame = submissions.target_figures(con, plan_id, target_code, period.year, min(period.kind.quarters),
                                       max(period.kind.quarters))
    frame["period"] = [Period(year, key).label for year, key in zip(frame["period_year"], frame["period_key"])]
    frame["rate"] = [text.format_percent(n / d) if pd.notna(d) and d > 0 else text.MISSING
                     for n, d in zip(frame["numerator"], frame["denominator"])]
    for column in ("numerator", "denominator", "value", "baseline"):
        frame[column] = frame[column].map(text.format_amount)
    frame["done"] = frame["done"].map({True: text.TEMPLATE["yes"], False: text.TEMPLATE["no"]}).fillna("")
    frame["submitted_at"] = frame["submitted_at"].map(text.format_datetime)
    frame.loc[frame["illustrative"], "submitted_by"] = text.UPLOAD_PAGE["illustrative"]
    frame[["note", "evidence"]] = frame[["note", "evidence"]].fillna("")
    return frame.drop(columns=["illustrative", "period_year", "period_key"])


@dataclass(frozen=True)
class OriginalFile:
    """An uploaded file behind a target's figures, as a person downloads it again."""
    label: str
    file_name: str
    data: bytes


def target_originals(con, scope: Scope, target_code: str) -> list[OriginalFile]:
    """The kept original files behind one target's figures in the period, newest first (kpi/db/originals.py:
    beside the DuckDB file or in PostgreSQL). A file that was not kept is left out, not shown broken."""
    from kpi.db import originals
    period = scope.period
    found = []
    for unit, year, key, file_name, sha256, at in submissions.target_files(
            con, scope.plan_id, target_code, period.year, min(period.kind.quarters), max(period.kind.quarters)):
        data = originals.read(con, sha256)
        if data is None:
            continue
        name = file_name or f"{sha256[:12]}.xlsx"
        found.append(OriginalFile(text.TARGET_FILES["download"].format(
            file=name, unit=unit, period=Period(year, key).label, at=text.format_datetime(at)), name, data))
    return found


def target_choices(con, plan_id: str) -> list[tuple[str, str]]:
    """(code, "code · the start of its text …") of every target, in plan order: cut between words, never inside
    one (a word cut in two reads as a foreign one: "xã tr")."""
    import textwrap
    return [(code, f"{code} · {textwrap.shorten(target, CHOICE_WIDTH, placeholder=' …')}")
            for code, target in queries.target_choices(con, plan_id)]


CHOICE_WIDTH = 90  # characters of a target's text in a list to choose from


def figures_shown(rows: pd.DataFrame) -> list[str]:
    """Each target row's figure as shown: a rate as a percentage, a value as an amount; a `latest` figure
    (a rank, a stock) says which quarter it is: "5 (số liệu Quý III/2021)"."""
    shown = []
    latest = rows["latest_quarter"] if "latest_quarter" in rows else pd.Series(None, index=rows.index)
    years = rows["year"] if "year" in rows else pd.Series(None, index=rows.index)
    for actual, kind, quarter, year in zip(rows["actual"], rows["kind"], latest, years):
        figure = text.format_actual(actual, kind)
        if pd.notna(quarter) and pd.notna(year) and pd.notna(actual):
            period = Period(int(year), f"Q{int(quarter)}")
            figure = f"{figure} ({text.LATEST_FROM.format(period=period.label)})"
        shown.append(figure)
    return shown


def readable_targets(rows: pd.DataFrame) -> pd.DataFrame:
    """Target rows (plan-level or unit-level) with Vietnamese-formatted figures for tables."""
    from kpi.rules import comparators
    shown = rows.copy()
    shown["target"] = [comparators.describe(c, v, u) for c, v, u in
                       zip(rows["comparator"], rows["target_value"], rows["unit_of_measure"])]
    shown["actual_shown"] = figures_shown(rows)
    shown["attainment_shown"] = rows["attainment"].map(text.format_percent)
    shown["coverage_shown"] = rows["coverage"].map(lambda c: text.format_percent(c, 0))
    return shown


def summary(row: pd.Series | None) -> dict:
    if row is None:
        return {"attainment": text.MISSING, "status": text.STATUS["no_data"], "met": 0, "targets": 0,
                "overdue": 0, "coverage": text.MISSING}
    return {"attainment": text.format_percent(row["attainment"]), "status": text.STATUS[row["status"]],
            "met": int(row["targets_met"]), "targets": int(row["targets"]), "overdue": int(row["tasks_overdue"]),
            "coverage": text.format_percent(row["coverage"], 0)}


def compare(con, scope: Scope) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(same department across years, departments of the same year) on standard indicators."""
    org_id = queries.plan_org_id(con, scope.plan_id)
    across_years = readable_targets(engine.compare_years(con, org_id, scope.period.key))
    across_orgs = readable_targets(engine.compare_organisations(con, scope.year, scope.period.key))
    return across_years, across_orgs
