"""The report's outline: section titles and the phrases its sentences are built from, read from ONE data file
(kpi/report/outline.yaml by default; another through `--outline` or KPI_REPORT_OUTLINE), checked when loaded.

A phrase is a format string whose {names} are filled from the data; text between [[ and ]] is a placeholder
the office must write, printed highlighted. `PHRASES` lists every phrase the report uses and the names each
may use: a province's copy with a phrase missing or a misspelt name is refused before any document is made,
with every problem named at once (docs/report.md).
"""
from __future__ import annotations

import os
import re
import string
from dataclasses import dataclass
from pathlib import Path

import yaml

from kpi import text
from kpi.problems import KpiError

DEFAULT_PATH = Path(__file__).with_name("outline.yaml")
ENV_OUTLINE = "KPI_REPORT_OUTLINE"

# Every phrase (dotted key) and the names it may fill. A list of phrases ends in "[]".
PHRASES: dict[str, frozenset[str]] = {key: frozenset(names.split()) for key, names in {
    "header.parent": "parent", "header.parent_missing": "", "header.agency": "agency", "header.nation": "",
    "header.motto": "", "header.number": "symbol", "header.symbol_missing": "",
    "header.place_date": "place day month year", "header.place_missing": "", "header.doc_type": "",
    "header.subject": "period", "header.draft_note": "made_at source as_of",
    "header.source_snapshot": "name id at", "header.source_live": "",
    **{f"periods.{key}": "year" for key in ("Q1", "Q2", "H1", "Q3", "9M", "Q4", "Y")},
    "intro": "plan agency period", "plan_reference": "number issued agency title",
    "plan_reference_undated": "number agency title", "plan_number_missing": "", "plan_title_missing": "year",
    "sections.steering.title": "", "sections.steering.plan_issued": "agency plan",
    "sections.steering.placeholder": "",
    "sections.areas.title": "", "sections.areas.area_title": "number name", "sections.areas.none": "",
    "sections.assessment.title": "", "sections.assessment.strengths_title": "",
    "sections.assessment.weaknesses_title": "", "sections.assessment.strengths_placeholder": "",
    "sections.assessment.weaknesses_placeholder": "",
    "sections.next.title": "", "sections.next.placeholder": "",
    "sections.proposals.title": "", "sections.proposals.placeholder": "",
    "area.summary": "targets targets_met tasks attainment status coverage", "area.summary_no_data": "name",
    "area.targets_title": "", "area.target": "code text target actual attainment status",
    "area.target_done": "code text target actual status", "area.target_partial": "units",
    "area.target_missing": "code text units", "area.targets_none": "",
    "area.tasks_title": "", "area.tasks": "tasks states", "area.task_state": "count state", "area.state_join": "",
    "area.task_overdue": "code text lead deadline", "area.task_missing": "code lead", "area.tasks_none": "",
    "area.explanations_title": "", "area.explanation": "unit code text", "area.explanations_none": "",
    "area.comment_title": "", "area.comment": "text", "area.comment_missing": "",
    "assessment.overall": "attainment status targets_met targets tasks_done tasks coverage",
    "assessment.overall_no_data": "", "assessment.areas_met": "areas", "assessment.reporting": "summary",
    "assessment.not_met": "code text actual target status", "assessment.reasons": "reasons",
    "assessment.no_reason": "", "assessment.all_met": "", "assessment.overdue": "count tasks",
    "assessment.missing_units": "units", "assessment.list_join": "",
    "next.due": "until", "next.task": "code text lead deadline", "next.overdue": "", "next.none": "",
    "next.chase": "units",
    "closing.recipients_title": "", "closing.recipients[]": "parent", "closing.signer_title": "title",
    "closing.signer_title_missing": "", "closing.signature_note": "", "closing.signer": "name",
    "closing.signer_missing": "",
    "appendix.title": "", "appendix.subtitle": "period", "appendix.note": "symbol agency as_of",
    "appendix.targets_title": "", "appendix.tasks_title": "", "appendix.reporting_title": "",
    "appendix.reporting_summary": "summary", "appendix.area_row": "number name",
    "appendix.target_columns[]": "", "appendix.task_columns[]": "", "appendix.reporting_columns[]": "",
}.items()}
# Table headers: how many columns each table has (the renderer fills them in this order).
COLUMN_COUNTS = {"appendix.target_columns": 8, "appendix.task_columns": 7, "appendix.reporting_columns": 6}
# The page: NĐ 30/2020's ranges, so a copy cannot make an unreadable page by a typo.
PAGE_RANGES = {"size_pt": (10, 16), "table_size_pt": (8, 14), "margins_mm.top": (10, 40),
               "margins_mm.bottom": (10, 40), "margins_mm.left": (10, 45), "margins_mm.right": (10, 30)}
PLACEHOLDER = re.compile(r"\[\[(.*?)\]\]", re.S)


@dataclass(frozen=True)
class Run:
    """A piece of a sentence: its text and whether the office must still write or check it (highlighted)."""
    text: str
    placeholder: bool = False


@dataclass(frozen=True)
class Outline:
    data: dict
    path: Path

    def raw(self, key: str):
        value = self.data
        for part in key.split("."):
            value = value[part]
        return value

    def runs(self, key: str, **fields) -> list[Run]:
        """The phrase `key` filled with `fields`, cut into runs at its [[placeholders]]. The marks are read in
        the phrase before the data goes in, so a unit's text can never turn itself into a placeholder."""
        return phrase_runs(self.raw(key), fields)

    def text(self, key: str, **fields) -> str:
        return "".join(run.text for run in self.runs(key, **fields))

    def page(self, key: str) -> float:
        return float(self.raw(f"page.{key}"))

    @property
    def font(self) -> str:
        return str(self.raw("page.font"))

    def period_phrase(self, key: str, year: int) -> str:
        return self.text(f"periods.{key}", year=year)

    @property
    def steering_area(self) -> str | None:
        return self.data["sections"]["steering"].get("area")


def phrase_runs(phrase: str, fields: dict) -> list[Run]:
    runs = []
    for at, part in enumerate(PLACEHOLDER.split(phrase)):  # odd parts lay between [[ and ]]
        if part:
            runs.append(Run(text.nfc(part.format(**fields)), placeholder=bool(at % 2)))
    return runs


def load(path: str | Path | None = None) -> Outline:
    """The outline at `path`, else KPI_REPORT_OUTLINE's, else the one the project ships; refused with every
    problem listed when a phrase is missing, uses a name it may not, or the page is out of range."""
    path = Path(path or os.environ.get(ENV_OUTLINE) or DEFAULT_PATH)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise KpiError("report_outline_unreadable", path=path, reason=type(exc).__name__) from exc
    except yaml.YAMLError as exc:
        raise KpiError("report_outline_invalid", path=path, problems=str(exc).replace("\n", " ")) from exc
    problems = problems_of(data)
    if problems:
        raise KpiError("report_outline_invalid", path=path, problems="; ".join(problems))
    return Outline(_nfc(data), path)


def problems_of(data) -> list[str]:
    """What is wrong with an outline's data, each problem in words (kpi/text.py REPORT_OUTLINE)."""
    P = text.REPORT_OUTLINE
    if not isinstance(data, dict):
        return [P["not_mapping"]]
    found = [] if data.get("version") == 1 else [P["version"].format(value=data.get("version"))]
    for key, allowed in PHRASES.items():
        is_list = key.endswith("[]")
        value = _lookup(data, key.removesuffix("[]"))
        if value is None:
            found.append(P["missing"].format(key=key.removesuffix("[]")))
            continue
        phrases = value if is_list and isinstance(value, list) else [value]
        if (is_list and not isinstance(value, list)) or not all(isinstance(p, str) for p in phrases):
            found.append(P["not_text"].format(key=key.removesuffix("[]")))
            continue
        found += [P["name"].format(key=key.removesuffix("[]"), name=name, allowed=", ".join(sorted(allowed)) or "—")
                  for phrase in phrases for name in _names(phrase) if name not in allowed]
    for key, count in COLUMN_COUNTS.items():
        value = _lookup(data, key)
        if isinstance(value, list) and len(value) != count:
            found.append(P["columns"].format(key=key, count=count, value=len(value)))
    for key, (low, high) in PAGE_RANGES.items():
        value = _lookup(data, f"page.{key}")
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not low <= value <= high:
            found.append(P["page"].format(key=f"page.{key}", low=low, high=high, value=value))
    if not isinstance(_lookup(data, "page.font"), str):
        found.append(P["missing"].format(key="page.font"))
    return found


def _nfc(value):
    """Every text of the outline in NFC (a copy saved by an editor that decomposes accents still matches)."""
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    return text.nfc(value)


def _lookup(data: dict, key: str):
    value = data
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _names(phrase: str) -> list[str]:
    """The {names} a format string fills ("{code}. {text}" -> ["code", "text"]); a broken brace is a name
    nobody may use."""
    try:
        return [field.split(".")[0].split("[")[0] for _, field, _, _ in string.Formatter().parse(phrase) if field]
    except ValueError:
        return ["{"]
