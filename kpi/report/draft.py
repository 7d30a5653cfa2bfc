"""The report's body as blocks (paragraphs of runs, tables), built from the content with the outline's phrases.

Nothing here knows Word: `to_docx.py` draws the blocks. Every figure is written by kpi/text.py's formatters
(`format_percent`, `format_date`, `format_coverage`) or by the functions the pages use for the same cells
(`comparators.describe`, `dashboard.figures_shown`), so the draft reads as the screen does; where a figure is
missing the sentence says whose ("Chưa có số liệu của …"), never a number.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from kpi import text
from kpi.presentation import dashboard
from kpi.report.content import ReportContent
from kpi.report.outline import Outline, Run
from kpi.rules import comparators

DONE = ("done_on_time", "done_late")


@dataclass
class Paragraph:
    runs: list[Run]
    kind: str = "body"   # section (I., II.) | area (1., 2.) | item (a), b)) | body | bullet


@dataclass
class Table:
    title: str
    columns: list[str]
    widths: list[float]              # relative
    centred: tuple[int, ...] = ()    # the columns of figures and codes, centred
    rows: list[list[str] | str] = field(default_factory=list)   # a str is a group row across the table


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _due(value) -> dt.date | None:
    return None if _missing(value) else pd.Timestamp(value).date()


def sentence_part(wording) -> str:
    """A plan's text set inside a sentence: its own closing stop or colon dropped ("… thực hiện." + ": …")."""
    return str(wording).strip().rstrip(".;:").rstrip()


def deadline(row) -> str:
    """A task's deadline as the plan words it, with the date the engine judged it by."""
    wording = "" if _missing(row["deadline_text"]) else str(row["deadline_text"])
    due = _due(row["due"])
    if due is None:
        return wording or text.MISSING
    return f"{wording} ({text.format_date(due)})" if wording else text.format_date(due)


class Drafter:
    """Sentences and tables of one report."""

    def __init__(self, content: ReportContent, outline: Outline):
        self.c, self.o = content, outline
        targets = content.targets
        self.shown_actual = dict(zip(targets["code"], dashboard.figures_shown(targets)))
        self.goal = {code: comparators.describe(c, v, u) for code, c, v, u in zip(
            targets["code"], targets["comparator"], targets["target_value"], targets["unit_of_measure"])}

    def p(self, key: str, kind: str = "body", **fields) -> Paragraph:
        return Paragraph(self.o.runs(key, **fields), kind)

    def join(self, items) -> str:
        return self.o.text("assessment.list_join").join(items)

    # ---- one area: section I's steering area and each area of section II
    def area(self, row) -> list[Paragraph]:
        code = row["area_code"]
        targets = self.c.targets[self.c.targets["area_code"] == code]
        tasks = self.c.tasks[self.c.tasks["area_code"] == code]
        if _missing(row["attainment"]):
            blocks = [self.p("area.summary_no_data", name=row["name"])]
        else:
            blocks = [self.p("area.summary", targets=text.format_number(int(row["targets"])),
                             targets_met=text.format_number(int(row["targets_met"])),
                             tasks=text.format_number(len(tasks)), attainment=text.format_percent(row["attainment"]),
                             status=text.STATUS[row["status"]],
                             coverage=text.format_coverage(row["units_reported"], row["units_expected"],
                                                           row["coverage"]))]
        blocks.append(self.p("area.targets_title", "item"))
        blocks += [self.target(t) for _, t in targets.iterrows()] or [self.p("area.targets_none")]
        blocks.append(self.p("area.tasks_title", "item"))
        blocks += self.tasks(tasks)
        blocks.append(self.p("area.explanations_title", "item"))
        explained = self.c.explanations[self.c.explanations["area_code"] == code]
        blocks += [self.p("area.explanation", "bullet", unit=e["unit_name"], code=e["target"], text=e["text"])
                   for _, e in explained.iterrows()] or [self.p("area.explanations_none")]
        blocks.append(self.p("area.comment_title", "item"))
        comment = self.c.area_comments[self.c.area_comments["area"] == code]
        blocks.append(self.p("area.comment", text=comment.iloc[0]["text"]) if len(comment)
                      else self.p("area.comment_missing"))
        return blocks

    def target(self, t) -> Paragraph:
        code, wording = t["code"], sentence_part(t["text"])
        if _missing(t["attainment"]):
            units = self.c.missing_units(code) or [text.MISSING]
            return self.p("area.target_missing", "bullet", code=code, text=wording, units=self.join(units))
        fields = dict(code=code, text=wording, target=self.goal[code], actual=self.shown_actual[code],
                      status=t["status_label"])
        paragraph = self.p("area.target_done", "bullet", **fields) if t["comparator"] == "done" else \
            self.p("area.target", "bullet", attainment=text.format_percent(t["attainment"]), **fields)
        partial = self.c.missing_units(code)   # some units reported, others not: say whose figure is missing
        if partial:
            paragraph.runs += [Run(" "), *self.o.runs("area.target_partial", units=self.join(partial))]
        return paragraph

    def tasks(self, tasks: pd.DataFrame) -> list[Paragraph]:
        if tasks.empty:
            return [self.p("area.tasks_none")]
        counts = tasks["state"].value_counts()
        states = self.o.text("area.state_join").join(
            self.o.text("area.task_state", count=text.format_number(int(counts[key])), state=text.STATUS[key].lower())
            for key in text.STATUS if key in counts)
        blocks = [self.p("area.tasks", tasks=text.format_number(len(tasks)), states=states)]
        for _, k in tasks.iterrows():
            lead = self.c.leads.get(k["code"], text.MISSING)
            if k["state"] == "overdue":
                blocks.append(self.p("area.task_overdue", "bullet", code=k["code"], text=sentence_part(k["text"]), lead=lead,
                                     deadline=deadline(k)))
            elif k["state"] == "no_data":
                blocks.append(self.p("area.task_missing", "bullet", code=k["code"], lead=lead))
        return blocks

    # ---- section III
    def assessment(self) -> tuple[list[Paragraph], list[Paragraph]]:
        h, view = self.c.view.headline, self.c.view
        if _missing(h.get("attainment")):
            strengths = [self.p("assessment.overall_no_data")]
        else:
            strengths = [self.p("assessment.overall", attainment=text.format_percent(h["attainment"]),
                                status=text.STATUS[h["status"]], targets_met=text.format_number(h["targets_met"]),
                                targets=text.format_number(h["targets"]), tasks_done=text.format_number(h["tasks_done"]),
                                tasks=text.format_number(h["tasks"]),
                                coverage=text.format_coverage(h.get("units_reported"), h.get("units_expected"),
                                                              h["coverage"]))]
        met = [name for name, status in zip(view.by_area["name"], view.by_area["status"]) if status == "met"]
        if met:
            strengths.append(self.p("assessment.areas_met", areas=self.join(met)))
        if view.reporting_summary:
            strengths.append(self.p("assessment.reporting", summary=view.reporting_summary))
        strengths.append(self.p("sections.assessment.strengths_placeholder"))
        return strengths, self.weaknesses()

    def weaknesses(self) -> list[Paragraph]:
        targets = self.c.targets
        short = targets[targets["attainment"].notna() & targets["status"].isin(["near", "below"])]
        blocks = []
        for _, t in short.iterrows():
            blocks.append(self.p("assessment.not_met", "bullet", code=t["code"], text=sentence_part(t["text"]),
                                 actual=self.shown_actual[t["code"]], target=self.goal[t["code"]],
                                 status=t["status_label"]))
            reasons = self.c.explanations[self.c.explanations["target"] == t["code"]]
            said = self.join(f"{unit}: {why}" for unit, why in zip(reasons["unit_name"], reasons["text"]))
            blocks[-1].runs += [Run(" "), *(self.o.runs("assessment.reasons", reasons=said) if said
                                          else self.o.runs("assessment.no_reason"))]
        if short.empty:
            blocks.append(self.p("assessment.all_met"))
        overdue = self.c.tasks[self.c.tasks["state"] == "overdue"]
        if len(overdue):
            blocks.append(self.p("assessment.overdue", count=text.format_number(len(overdue)),
                                 tasks=self.join(overdue["code"])))
        missing = self.missing_reporters()
        if missing:
            blocks.append(self.p("assessment.missing_units", units=self.join(missing)))
        blocks.append(self.p("sections.assessment.weaknesses_placeholder"))
        return blocks

    def missing_reporters(self) -> list[str]:
        frame = self.c.view.reporting
        if not len(frame):
            return []
        return list(frame.loc[frame["state"] == "missing", "unit"])

    # ---- section IV
    def next_tasks(self) -> list[Paragraph]:
        """Tasks falling due after the as-of date up to the end of the next quarter, then the overdue ones."""
        until = next_quarter_end(self.c.as_of)
        tasks = self.c.tasks
        due = [(k, _due(k["due"])) for _, k in tasks.iterrows() if k["state"] not in DONE + ("dropped",)]
        coming = [k for k, day in due if day is not None and self.c.as_of < day <= until and k["state"] != "overdue"]
        blocks = []
        if coming:
            blocks.append(self.p("next.due", until=text.format_date(until)))
            blocks += [self.task_line(k) for k in coming]
        overdue = [k for k, _ in due if k["state"] == "overdue"]
        if overdue:
            blocks.append(self.p("next.overdue"))
            blocks += [self.task_line(k) for k in overdue]
        if not blocks:
            blocks.append(self.p("next.none"))
        missing = self.missing_reporters()
        if missing:
            blocks.append(self.p("next.chase", units=self.join(missing)))
        blocks.append(self.p("sections.next.placeholder"))
        return blocks

    def task_line(self, k) -> Paragraph:
        return self.p("next.task", "bullet", code=k["code"], text=sentence_part(k["text"]),
                      lead=self.c.leads.get(k["code"], text.MISSING), deadline=deadline(k))

    # ---- phụ lục
    def appendix(self, areas: list[tuple[str, pd.Series]]) -> list[Table]:
        """Bảng 1 (targets) and 2 (tasks), grouped by area under the numbers the body gives them ("I",
        "II.1" …), then Bảng 3 (who reported and when)."""
        o, c = self.o, self.c
        targets = Table(o.text("appendix.targets_title"), o.raw("appendix.target_columns"),
                        [0.6, 0.7, 5.0, 1.4, 1.7, 1.0, 1.1, 1.1], centred=(0, 1, 3, 4, 5, 6, 7))
        tasks = Table(o.text("appendix.tasks_title"), o.raw("appendix.task_columns"),
                      [0.6, 0.7, 4.6, 2.0, 1.8, 1.5, 2.0], centred=(0, 1, 4, 5))
        for table, frame, row_of in ((targets, c.targets, self.target_row), (tasks, c.tasks, self.task_row)):
            number = 0
            for label, area in areas:
                rows = frame[frame["area_code"] == area["area_code"]]
                if len(rows):
                    table.rows.append(o.text("appendix.area_row", number=label, name=area["name"]))
                for _, row in rows.iterrows():
                    number += 1
                    table.rows.append([str(number), *row_of(row)])
        return [targets, tasks, self.reporting_table()]

    def target_row(self, t) -> list[str]:
        return [t["code"], t["text"], self.goal[t["code"]], self.shown_actual[t["code"]],
                text.format_percent(t["attainment"]), t["status_label"], text.format_percent(t["coverage"], 0)]

    def task_row(self, k) -> list[str]:
        return [k["code"], k["text"], self.c.leads.get(k["code"], text.MISSING), deadline(k), k["status_label"],
                self.c.products.get(k["code"], "")]

    def reporting_table(self) -> Table:
        o, frame = self.o, self.c.view.reporting
        table = Table(o.text("appendix.reporting_title"), o.raw("appendix.reporting_columns"),
                      [0.6, 4.0, 1.5, 1.8, 2.0, 1.4], centred=(0, 2, 3, 5))
        if not len(frame):   # a snapshot made before «Tình hình báo cáo» was kept: its freshness table
            frame = self.c.view.freshness.rename(columns={"last": "submitted_at", "by": "submitted_by"}).assign(
                state_label=lambda f: f["state"], review="")
        for number, (_, r) in enumerate(frame.iterrows(), start=1):
            table.rows.append([str(number), r["unit"], r["state_label"], r["submitted_at"] or text.MISSING,
                               r["submitted_by"] or "", r["review"] or ""])
        return table


def next_quarter_end(day: dt.date) -> dt.date:
    """The last day of the quarter after the one `day` falls in (31/12 stays within the year: the plan's)."""
    quarter = (day.month - 1) // 3 + 1
    if quarter == 4:
        return dt.date(day.year, 12, 31)
    month = 3 * (quarter + 1)
    return (dt.date(day.year, month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
