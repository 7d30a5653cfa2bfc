"""What a meeting report contains, independent of its file format.

`build_report` turns an overview (frozen in a snapshot, or computed now) into a `Report`: headline
figures and tables whose cells keep their raw values (fractions for percentages, dates as dates, None
where data is missing). Every exporter renders the same Report; the text shown for a cell is always
`Column.show(value)`, the same formatting functions the dashboard uses, so a PDF, a slide and the screen
print the same "91,9%". Spreadsheets keep the raw number with a display format instead; a figure with words
around it ("≥ 96,5%", "5 (số liệu Quý III/2021)") is a `Figure`: the words for pages, the number for workbooks.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from kpi import clock, commentary, text
from kpi.meetings import snapshots
from kpi.db import queries
from kpi.problems import KpiError
from kpi.periods import periods_of_year
from kpi.presentation import dashboard
from kpi.rules import comparators
from kpi.scope import Scope

T = text.SNAPSHOT
C = text.SNAPSHOT_COLUMNS


def missing(value) -> bool:
    """None, NaN, NaT or pandas' NA: a cell with no data."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


@dataclass(frozen=True)
class Figure:
    """A number inside the words its row shows around it: `shown` = prefix + the number written + suffix.
    Pages, PDF and slides print `shown`; a workbook stores `number` under a format that prints the same."""
    shown: str
    number: float
    percent: bool      # `number` is a fraction, written ×100 with "%"
    decimals: int
    prefix: str = ""
    suffix: str = ""


def figure(shown: str, number, written: str, percent: bool) -> Figure | str | None:
    """The figure `shown` holds, where the number appears in it as `written` ("96,5%", "1.500"); None when the
    number is missing, the text itself when the number cannot be found in it."""
    if missing(number):
        return None
    at = shown.find(written)
    if at < 0:
        return shown
    digits = written.removesuffix("%")
    return Figure(shown, float(number), percent, len(digits.partition(",")[2]), shown[:at], shown[at + len(written):])


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"    # text | percent (fraction 0..1) | share (fraction, whole percent) | points | int | date
    #                       | moment (a stored UTC instant, shown on Việt Nam's clock) | figure (a Figure)
    width: float = 1.0    # relative width for page and slide tables

    def show(self, value) -> str:
        """The cell as the dashboard prints it."""
        if missing(value):
            return text.MISSING if self.kind != "text" else ""
        if self.kind == "percent":
            return text.format_percent(float(value))
        if self.kind == "share":
            return text.format_percent(float(value), 0)
        if self.kind == "points":
            sign = "+" if value > 1e-12 else ""
            return sign + text.format_number(float(value) * 100, 1)
        if self.kind == "int":
            return text.format_number(int(value))
        if self.kind == "date":
            return text.format_date(value)
        if self.kind == "moment":
            return text.format_datetime(value)
        if isinstance(value, Figure):
            return value.shown
        return str(value)


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    frame: pd.DataFrame   # one column per Column.key (raw values), plus any helper columns

    def rows(self) -> list[list[object]]:
        """Raw values, None for missing."""
        return [[None if missing(v) else v for v in row]
                for row in self.frame[[c.key for c in self.columns]].itertuples(index=False)]

    def shown(self) -> list[list[str]]:
        return [[c.show(v) for c, v in zip(self.columns, row)] for row in self.rows()]

    @property
    def empty(self) -> bool:
        return self.frame.empty


K = text.COMMENTARY_COLUMNS


def explanation_table(explained: pd.DataFrame, statuses: dict[str, str] | None = None) -> Table:
    """The units' explanations (kpi.commentary.explanations' frame, live or frozen), with each target's status
    key beside them (`status_key`: the deck shows those of targets not met)."""
    statuses = statuses or {}
    frame = pd.DataFrame({
        "code": explained["target"], "target_text": explained["target_text"], "unit": explained["unit_name"],
        "text": explained["text"], "source": explained["source"].map(text.COMMENTARY_SOURCES),
        "by": explained["by"], "at": explained["at"], "area_code": explained["area_code"],
        "status_key": explained["target"].map(lambda code: statuses.get(code, "no_data"))}).reset_index(drop=True)
    return Table("explanations", text.COMMENTARY["explanations"], [
        Column("code", K["code"], width=0.8), Column("target_text", C["text"], width=3),
        Column("unit", K["unit"], width=1.6), Column("text", K["text"], width=5), Column("source", K["source"]),
        Column("by", K["by"], width=1.3), Column("at", K["at"], "moment")], frame)


def area_comment_table(commented: pd.DataFrame) -> Table:
    """The office's comments on areas (kpi.commentary.area_comments' frame, live or frozen)."""
    frame = pd.DataFrame({"area_code": commented["area"], "name": commented["name"], "text": commented["text"],
                          "by": commented["by"], "at": commented["at"]}).reset_index(drop=True)
    return Table("area_comments", text.COMMENTARY["area_comments_title"], [
        Column("name", K["area"], width=2.5), Column("text", K["comment"], width=6),
        Column("by", K["by"], width=1.3), Column("at", K["at"], "moment")], frame)


@dataclass
class Report:
    organisation: str
    plan_id: str
    plan_title: str
    period_code: str
    period_label: str
    as_of: dt.date
    made_at: dt.datetime
    snapshot: snapshots.SnapshotInfo | None
    illustrative: bool
    headline: list[tuple[str, str]]          # (label, shown) as on the dashboard's metrics
    overall: dict                            # raw headline values
    by_area: Table
    unit_area: Table
    targets: Table
    overdue: Table
    coverage: Table
    changes: list[Table] = field(default_factory=list)
    changes_against: str | None = None       # which snapshot the changes are measured from
    # Commentary (kpi/commentary.py): none in a snapshot taken before it was frozen.
    explanations: Table = field(default_factory=lambda: explanation_table(
        pd.DataFrame(columns=commentary.EXPLANATION_COLUMNS)))
    area_comments: Table = field(default_factory=lambda: area_comment_table(
        pd.DataFrame(columns=commentary.AREA_COMMENT_COLUMNS)))

    @property
    def title(self) -> str:
        return T["report_title"]

    @property
    def source_line(self) -> str:
        if self.snapshot:
            s = self.snapshot
            return T["report_source_snapshot"].format(name=s.name, id=s.id, by=s.created_by,
                                                      at=text.format_datetime(s.created_at))
        return T["report_source_live"].format(at=text.format_datetime(self.made_at))

    @property
    def period_line(self) -> str:
        return T["report_period"].format(period=self.period_label, as_of=text.format_date(self.as_of))

    def area_comment(self, area_code: str) -> dict | None:
        """The office's comment on one area: {text, by, at} as shown, or None."""
        frame = self.area_comments.frame
        rows = frame[frame["area_code"] == area_code]
        if rows.empty:
            return None
        row = rows.iloc[0]
        return {"text": row["text"], "by": "" if missing(row["by"]) else row["by"],
                "at": "" if missing(row["at"]) else text.format_datetime(row["at"])}

    def area_targets(self, area_code: str) -> Table:
        """The targets of one reform area (for a slide or a section per area)."""
        part = self.targets.frame[self.targets.frame["area_code"] == area_code]
        return Table(f"targets:{area_code}", self.targets.title, self.targets.columns, part.reset_index(drop=True))

    def area_units(self, area_code: str) -> Table:
        """Each unit's attainment in one reform area."""
        part = self.unit_area.frame
        column = f"area:{area_code}"
        frame = pd.DataFrame({"unit": part["unit"], "attainment": part[column] if column in part else None})
        return Table(f"units:{area_code}", T["unit_area"],
                     [Column("unit", C["unit"], width=3), Column("attainment", C["attainment"], "percent")], frame)


def _headline(view: dashboard.Overview) -> tuple[list[tuple[str, str]], dict]:
    h, O = view.headline, text.OVERVIEW
    shown = [
        (O["metric_attainment"], text.format_percent(h["attainment"])),
        (text.SNAPSHOT_COLUMNS["status"], text.STATUS[h["status"]]),
        (O["metric_targets"], O["of"].format(part=h["targets_met"], whole=h["targets"])),
        (O["metric_tasks"], O["of"].format(part=h["tasks_done"], whole=h["tasks"])),
        (O["metric_overdue"], text.format_number(h["tasks_overdue"])),
        (O["metric_coverage"], text.format_coverage(h.get("units_reported"), h.get("units_expected"), h["coverage"])),
    ]
    overall = dict(h)
    if len(view.reporting):  # «Tình hình báo cáo»: the two rates, raw, for the workbook's figures
        from kpi.cycle import reporting
        overall |= {"completeness": reporting.completeness(view.reporting),
                    "timeliness": reporting.timeliness(view.reporting)}
    return shown, overall


def _tables(view: dashboard.Overview) -> dict[str, Table]:
    areas = view.by_area
    by_area = Table("by_area", T["by_area"], [
        Column("name", C["name"], width=4), Column("attainment", C["attainment"], "percent"),
        Column("status", C["status"], width=1.4), Column("targets_met", C["targets_met"], "int"),
        Column("targets", C["targets"], "int"), Column("tasks_overdue", C["tasks_overdue"], "int"),
        Column("coverage", C["coverage"], "share")],
        areas.assign(status=areas["status"].map(text.STATUS), status_key=areas["status"]).reset_index(drop=True))

    area_names = list(areas["name"])
    ua = view.unit_area
    # Units in the engine's order (Vietnamese collation, decided in SQL), then any others in the matrix.
    units = list(dict.fromkeys([*view.levels["unit"]["name"], *ua["name"]]))
    matrix = pd.DataFrame({"unit": units})
    area_columns = []
    for code, name in zip(areas["area_code"], area_names):
        cells = ua[ua["area_code"] == code].set_index("name")["attainment"]
        matrix[f"area:{code}"] = matrix["unit"].map(cells)
        if cells.notna().any():
            area_columns.append(Column(f"area:{code}", name, "percent"))
    unit_rows = view.levels["unit"].set_index("name")
    matrix["overall"] = matrix["unit"].map(unit_rows["attainment"])
    unit_area = Table("unit_area", T["unit_area"],
                      [Column("unit", C["unit"], width=3), *area_columns,
                       Column("overall", text.OVERVIEW["metric_attainment"], "percent")], matrix)

    tg = view.levels["target"]
    targets = Table("targets", T["targets"], [
        Column("code", C["code"], width=0.8), Column("text", C["text"], width=5),
        Column("target", C["target"], "figure"), Column("actual", C["actual"], "figure"),
        Column("attainment", C["attainment"], "percent"), Column("status", C["status"], width=1.3)],
        pd.DataFrame({
            "code": tg["code"], "text": tg["text"], "area_code": tg["area_code"],
            "target": _target_figures(tg), "actual": _actual_figures(tg),
            "attainment": tg["attainment"], "status": tg["status_label"],
            "status_key": tg["status"], "actual_value": tg["actual"]}).reset_index(drop=True))

    od = view.overdue
    overdue = Table("overdue", T["overdue"], [
        Column("code", C["code"], width=0.8), Column("text", C["text"], width=5),
        Column("deadline", C["deadline"], width=1.6), Column("due", C["due"], "date"),
        Column("lead", C["lead"], width=2)],
        pd.DataFrame({"code": od["code"], "text": od["text"], "deadline": od["deadline"],
                      "due": od["due"].replace({text.MISSING: None}), "lead": od["lead"]}).reset_index(drop=True))
    # The page shows due dates already written out; keep dates as dates for spreadsheets.
    due = view.levels["task"].set_index("code")["due"]
    overdue.frame["due"] = overdue.frame["code"].map(lambda c: None if pd.isna(due.get(c)) else due.get(c).date())

    unit_cov = view.levels["unit"].set_index("name")["coverage"] if len(view.levels["unit"]) else pd.Series()
    coverage = _reporting_table(view, unit_cov)
    return {"by_area": by_area, "unit_area": unit_area, "targets": targets, "overdue": overdue,
            "coverage": coverage}


def _target_figures(targets: pd.DataFrame) -> list[Figure | str]:
    """Each target as the pages state it ("≥ 96,5%", "✓ hoàn thành"), its value a number where it has one."""
    figures = []
    for comparator, value, unit in zip(targets["comparator"], targets["target_value"], targets["unit_of_measure"]):
        shown = comparators.describe(comparator, value, unit)
        written = text.format_amount(value) + ("%" if unit == "%" else "")
        number = None if missing(value) else float(value) / (100 if unit == "%" else 1)
        figures.append(shown if number is None else figure(shown, number, written, unit == "%"))
    return figures


def _actual_figures(targets: pd.DataFrame) -> list[Figure | None]:
    """Each target's result as the pages show it (dashboard.figures_shown: a rate as a percentage, a value as
    an amount, a latest figure with its quarter), the result itself a number."""
    return [figure(shown, actual, text.format_actual(actual, kind), kind == "ratio")
            for shown, actual, kind in zip(dashboard.figures_shown(targets), targets["actual"], targets["kind"])]


def _reporting_table(view: dashboard.Overview, unit_cov: pd.Series) -> Table:
    """«Tình hình báo cáo» as the overview shows it (who has not reported first), with each unit's coverage;
    its title carries the completeness and timeliness rates. A snapshot made before the table existed
    gives its older freshness table instead."""
    if len(view.reporting):
        rp = view.reporting
        # The moment itself where the table keeps it (snapshots made before it: the words shown)
        raw = "submitted_moment" in rp
        frame = pd.DataFrame({"unit": rp["unit"], "state": rp["state_label"],
                              "last": rp["submitted_moment" if raw else "submitted_at"],
                              "by": rp["submitted_by"], "review": rp["review"], "state_key": rp["state"]})
        title = f"{T['coverage']} · {view.reporting_summary}"
        columns = [Column("unit", C["unit"], width=3), Column("state", C["state"], width=1.4),
                   Column("last", C["last"], "moment" if raw else "text"), Column("by", C["by"], width=1.5),
                   Column("review", C["review"], width=1.1), Column("unit_coverage", C["unit_coverage"], "share")]
    else:
        frame, title = view.freshness, T["coverage"]
        columns = [Column("unit", C["unit"], width=3), Column("state", C["state"], width=1.6), Column("last", C["last"]),
                   Column("by", C["by"], width=1.5), Column("unit_coverage", C["unit_coverage"], "share")]
    return Table("coverage", title, columns, frame.assign(unit_coverage=frame["unit"].map(unit_cov)).reset_index(drop=True))


def change_tables(cmp: snapshots.Comparison) -> list[Table]:
    def status_table(key, title, frame):
        return Table(key, title, [
            Column("code", C["code"], width=0.8), Column("text", C["text"], width=5),
            Column("attainment_before", C["before"], "percent"), Column("attainment_after", C["after"], "percent"),
            Column("status_before", C["status_before"], width=1.3), Column("status_after", C["status_after"], width=1.3),
            Column("reason", C["reason"], width=3)],
            frame.assign(status_before=frame["status_before"].map(text.STATUS),
                         status_after=frame["status_after"].map(text.STATUS)))

    def level_table(key, title, frame, label):
        return Table(key, title, [
            Column("name", label, width=4), Column("attainment_before", C["before"], "percent"),
            Column("attainment_after", C["after"], "percent"), Column("change", C["change"], "points"),
            Column("reason", C["reason"], width=3)], frame)

    def task_table(key, title, frame):
        return Table(key, title, [
            Column("code", C["code"], width=0.8), Column("text", C["text"], width=5),
            Column("deadline_text", C["deadline"], width=1.6), Column("state_before", C["status_before"], width=1.4),
            Column("state_after", C["status_after"], width=1.4)],
            frame.assign(state_before=frame["state_before"].map(text.STATUS),
                         state_after=frame["state_after"].map(text.STATUS)))

    labels = {p.code: p.label for p in periods_of_year(cmp.before.period.year)}  # a snapshot holds one plan year
    reported = cmp.reported_since.assign(period=cmp.reported_since["period"].map(labels))
    return [
        status_table("targets_met", T["targets_met"], cmp.targets_met),
        status_table("targets_missed", T["targets_missed"], cmp.targets_missed),
        level_table("areas_change", T["areas_change"], cmp.areas, C["name"]),
        level_table("units_change", T["units_change"], cmp.units, C["unit"]),
        task_table("tasks_overdue", T["tasks_overdue"], cmp.tasks_overdue),
        task_table("tasks_completed", T["tasks_completed"], cmp.tasks_completed),
        Table("reported_since", T["reported_since"], [
            Column("unit", C["unit"], width=3), Column("period", C["period"]),
            Column("submitted_at", C["submitted_at"], "moment", width=1.4), Column("submitted_by", C["by"], width=1.5),
            Column("file_name", C["file_name"], width=2)], reported),
    ]


def build_report(con, *, snapshot_id: int | None = None, scope: Scope | None = None,
                 now: dt.datetime | None = None) -> Report:
    """A report of a snapshot (changes measured from the snapshot before it), or of the current figures of
    `scope` (changes measured from the plan's latest snapshot)."""
    info = None
    if snapshot_id is not None:
        info = snapshots.get(con, snapshot_id)
        view = snapshots.load(con, info.id)
        scope = info.scope
        before = snapshots.previous(con, info.id)
        cmp = snapshots.compare(con, before.id, info.id) if before else None
        explained, commented = snapshots.frozen_commentary(con, info.id)
    else:
        if not queries.plan_exists(con, scope.plan_id):
            raise KpiError("plan_unknown", value=scope.plan_id)
        view = dashboard.overview(con, scope)
        before = snapshots.latest(con, scope.plan_id)
        cmp = snapshots.compare(con, before.id, None, as_of=view.as_of) if before else None
        explained, commented = commentary.explanations(con, scope), commentary.area_comments(con, scope)
    plan_id = scope.plan_id
    organisation, plan_title = queries.plan_heading(con, plan_id)
    shown, overall = _headline(view)
    tables = _tables(view)
    return Report(
        organisation=organisation, plan_id=plan_id, plan_title=plan_title, period_code=scope.period.code,
        period_label=scope.period.label, as_of=view.as_of, made_at=now or clock.now(),
        snapshot=info, illustrative=view.illustrative, headline=shown, overall=overall,
        changes=change_tables(cmp) if cmp else [],
        changes_against=T["changes_against"].format(name=before.name, id=before.id,
                                                    at=text.format_datetime(before.created_at))
        if before else None,
        explanations=explanation_table(explained, dict(zip(view.levels["target"]["code"],
                                                            view.levels["target"]["status"]))),
        area_comments=area_comment_table(commented),
        **tables)
