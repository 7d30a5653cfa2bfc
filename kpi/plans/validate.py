"""Checks a plan workbook's rows and builds a `PlanBundle`; every problem is collected.

Structure was checked when the rows were read (`kpi.excel.plan_workbook.read_raw`); here
every cell is checked and all problems are reported at once, each with sheet, row and
column. Errors block the import; warnings (an unparsed deadline) are accepted and flagged.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kpi import text
from kpi.excel.plan_workbook import RawRow, RawWorkbook
from kpi.plans import areas
from kpi.plans.deadlines import Deadline, parse_deadline
from kpi.plans.model import (
    AreaHeading,
    Conflict,
    Organisation,
    PlanBundle,
    PlanInfo,
    ReportDeadline,
    Target,
    Task,
    Unit,
)
from kpi.plans.values import as_code, parse_date, parse_number, split_list
from kpi.problems import ImportRejected, Problem, Severity
from kpi.rules import aggregation as aggregation_rule, comparators, direction as direction_rule

PERIOD_CODES = ("Q1", "Q2", "H1", "Q3", "9M", "Y")
CONFLICT_FIELDS = ("value", "comparator", "scope", "unit_of_measure")


@dataclass
class _Checker:
    problems: list[Problem] = field(default_factory=list)

    def add(self, code: str, sheet_key: str, row: RawRow | None = None, column: str | None = None,
            value=None, severity: Severity = Severity.ERROR, **params) -> None:
        sheet = text.SHEETS[sheet_key]
        self.problems.append(Problem(
            code, severity, sheet=sheet,
            rows=(row.row,) if row else (),
            column=row.letters.get(column) if row and column else None,
            column_label=text.LABELS.get(column) if column else None,
            value=value, params={"sheet": sheet, **params},
        ))

    def required(self, sheet_key: str, row: RawRow, column: str):
        value = row.values.get(column)
        if value is None or value == "":
            self.add("required_missing", sheet_key, row, column, label=text.LABELS[column])
            return None
        # Every required column holds text (a name, a kind, a heading); a number typed there is read as the
        # text it shows, never handed on as a float to code that expects a string.
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return text.clean(str(value))

    def number(self, sheet_key: str, row: RawRow, column: str, code: str = "number_unreadable"):
        value = row.values.get(column)
        try:
            return parse_number(value)
        except ValueError:
            self.add(code, sheet_key, row, column, value)
            return None


class UnitDirectory:
    """Every spelling of every unit of one organisation -> its code."""

    def __init__(self):
        self.by_key: dict[str, str] = {}
        self.spelling: dict[str, str] = {}

    def add(self, code: str, spelling: str) -> str | None:
        """Register; returns the other unit's code when the spelling is already taken."""
        key = text.fold(spelling)
        owner = self.by_key.get(key)
        if owner is not None and owner != code:
            return owner
        self.by_key[key] = code
        self.spelling.setdefault(key, spelling)
        return None

    def resolve(self, spelling: str) -> str | None:
        return self.by_key.get(text.fold(spelling))


def build_bundle(raw: RawWorkbook, existing_units: tuple[Unit, ...] = ()) -> PlanBundle:
    """Raw rows -> PlanBundle, or ImportRejected listing every error (warnings ride along)."""
    check = _Checker()
    info, organisation = _plan_sheet(check, raw.sheets.get("plan", []))
    plan_year = info.year if info and isinstance(info.year, int) else 2000
    units, directory = _units_sheet(check, raw.sheets.get("units", []), existing_units)
    org_name = organisation.name if organisation else ""
    area_rows = _areas_sheet(check, raw.sheets.get("areas", []))
    task_codes = {as_code(r.values.get("code")) for r in raw.sheets.get("tasks", [])}
    targets = _targets_sheet(check, raw.sheets.get("targets", []), directory, org_name, plan_year, task_codes)
    tasks = _tasks_sheet(check, raw.sheets.get("tasks", []), directory, org_name, plan_year)
    conflicts = _conflicts_sheet(check, raw.sheets.get("conflicts", []), {t.code for t in targets})
    deadlines = _report_deadlines_sheet(check, raw.sheets.get("report_deadlines", []))
    errors = [p for p in check.problems if p.severity is Severity.ERROR]
    if errors or info is None or organisation is None:
        raise ImportRejected(check.problems)
    conflicted = {c.target_code for c in conflicts if c.status == "unresolved"}
    targets = [
        _with_flags(t, ("conflict",)) if t.code in conflicted else t for t in targets
    ]
    return PlanBundle(info, organisation, tuple(units), tuple(area_rows), tuple(targets), tuple(tasks),
                      tuple(conflicts), tuple(deadlines), warnings=tuple(check.problems))


def _with_flags(item, extra: tuple[str, ...]):
    from dataclasses import replace
    return replace(item, flags=tuple(dict.fromkeys(item.flags + extra)))


def _plan_sheet(check: _Checker, rows: list[RawRow]):
    values: dict[str, object] = {}
    where: dict[str, RawRow] = {}
    for row in rows:
        key = row.values.get("key")
        if isinstance(key, str) and key.strip():
            values[key.strip()] = row.values.get("value")
            where[key.strip()] = row
    ok = True
    for required in ("id", "organisation", "organisation_name", "year"):
        if values.get(required) in (None, ""):
            check.add("metadata_missing", "plan", where.get(required), "value" if required in where else None,
                      label=text.LABELS[required])
            ok = False
    year = values.get("year")
    try:
        year = int(parse_number(year)) if year not in (None, "") else None
        if year is not None and not 1990 <= year <= 2100:
            raise ValueError(year)
    except (ValueError, TypeError):
        check.add("year_invalid", "plan", where.get("year"), "value", values.get("year"))
        ok = False
    issued_on = None
    try:
        issued_on = parse_date(values.get("issued_on"))
    except ValueError:
        check.add("date_invalid", "plan", where.get("issued_on"), "value", values.get("issued_on"))
        ok = False
    if not ok:
        return None, None
    s = lambda k: text.clean(str(values[k])) if values.get(k) not in (None, "") else None  # noqa: E731
    organisation = Organisation(as_code(values["organisation"]), s("organisation_name"), s("province"),
                                s("sector"), s("parent"))
    info = PlanInfo(as_code(values["id"]), organisation.id, year, s("number"), issued_on, s("issued_text"),
                    s("signer"), s("signer_title"), s("title"), s("source_file"), s("note"))
    return info, organisation


def _units_sheet(check: _Checker, rows: list[RawRow], existing: tuple[Unit, ...]):
    """Units of the sheet, merged with those the organisation already has.

    Aliases accumulate: a spelling once known keeps naming its unit, so a later plan that
    spells a unit differently still finds it. A spelling may name one unit only.
    """
    directory = UnitDirectory()
    for unit in existing:
        for spelling in (unit.code, unit.name, *unit.aliases):
            directory.add(unit.code, spelling)
    known_aliases = {u.code: u.aliases for u in existing}
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for row in rows:
        code = as_code(row.values.get("code"))
        name = check.required("units", row, "name")
        kind = check.required("units", row, "kind")
        if code is None:
            check.add("required_missing", "units", row, "code", label=text.LABELS["code"])
            continue
        if code.upper() in seen:
            check.add("duplicate_code", "units", row, "code", code, first_row=seen[code.upper()])
            continue
        seen[code.upper()] = row.row
        if kind is not None and kind not in text.UNIT_KINDS:
            check.add("unit_kind_unknown", "units", row, "kind", kind)
        aliases = tuple(split_list(row.values.get("aliases")))
        for column, spelling in [("code", code), ("name", name or ""), *(("aliases", a) for a in aliases)]:
            if not spelling:
                continue
            other = directory.add(code, spelling)
            if other is not None:
                check.add("alias_ambiguous", "units", row, column, spelling, first=other, second=code)
        merged = tuple(dict.fromkeys(aliases + tuple(a for a in known_aliases.get(code, ())
                                                    if text.fold(a) not in {text.fold(name or ""), text.fold(code)})))
        if name and kind:
            units.append(Unit(code, name, kind, merged))
    return units, directory


def _areas_sheet(check: _Checker, rows: list[RawRow]) -> list[AreaHeading]:
    found: dict[str, int] = {}
    headings = []
    for row in rows:
        raw_area = row.values.get("area")
        heading = check.required("areas", row, "heading")
        code = areas.resolve(str(raw_area)) if raw_area else None
        if raw_area is None:
            check.add("required_missing", "areas", row, "area", label=text.LABELS["area"])
            continue
        if code is None:
            check.add("area_unknown", "areas", row, "area", raw_area, choices=", ".join(areas.codes()))
            continue
        if code in found:
            check.add("duplicate_code", "areas", row, "area", raw_area, first_row=found[code])
            continue
        found[code] = row.row
        if heading:
            headings.append(AreaHeading(code, heading, as_code(row.values.get("number_in_plan")),
                                        _text(row, "source"), _text(row, "lines")))
    return headings


def _text(row: RawRow, column: str) -> str | None:
    value = row.values.get(column)
    return as_code(value) if value is not None else None


def _resolve_units(check: _Checker, sheet: str, row: RawRow, column: str, directory: UnitDirectory,
                   org_name: str) -> tuple[str, ...]:
    codes = []
    for spelling in split_list(row.values.get(column)):
        code = directory.resolve(spelling)
        if code is None:
            check.add("unit_unknown", sheet, row, column, spelling, organisation=org_name)
        elif code not in codes:
            codes.append(code)
    return tuple(codes)


def _area(check: _Checker, sheet: str, row: RawRow) -> str | None:
    raw_area = row.values.get("area")
    if raw_area is None:
        check.add("required_missing", sheet, row, "area", label=text.LABELS["area"])
        return None
    code = areas.resolve(str(raw_area))
    if code is None:
        check.add("area_unknown", sheet, row, "area", raw_area, choices=", ".join(areas.codes()))
    return code


def _deadline(check: _Checker, sheet: str, row: RawRow, plan_year: int) -> Deadline:
    wording = row.values.get("deadline_text")
    deadline = parse_deadline(text.clean(str(wording)) if wording is not None else None, plan_year)
    if deadline.kind == "unknown" or "deadline_unparsed" in deadline.flags:
        check.add("deadline_unparsed", sheet, row, "deadline_text", wording, severity=Severity.WARNING)
    return deadline


def _unique_code(check: _Checker, sheet: str, row: RawRow, seen: dict[str, int]) -> str | None:
    code = as_code(row.values.get("code"))
    if code is None:
        check.add("required_missing", sheet, row, "code", label=text.LABELS["code"])
        return None
    if code.casefold() in seen:
        check.add("duplicate_code", sheet, row, "code", code, first_row=seen[code.casefold()])
        return None
    seen[code.casefold()] = row.row
    return code


def _targets_sheet(check, rows, directory, org_name, plan_year, task_codes) -> list[Target]:
    seen: dict[str, int] = {}
    targets = []
    known_indicators = areas.indicators()
    for row in rows:
        code = _unique_code(check, "targets", row, seen)
        area = _area(check, "targets", row)
        body = check.required("targets", row, "text")
        raw_comparator = row.values.get("comparator")
        comparator = comparators.parse(raw_comparator)
        if raw_comparator is None:
            check.add("required_missing", "targets", row, "comparator", label=text.LABELS["comparator"])
        elif comparator is None:
            check.add("comparator_unreadable", "targets", row, "comparator", raw_comparator)
        value = check.number("targets", row, "value", "value_unreadable")
        if comparator and comparators.BY_KEY[comparator].needs_value and value is None \
                and row.values.get("value") in (None, ""):
            check.add("value_required", "targets", row, "value", comparator=comparators.BY_KEY[comparator].symbol)
        kind = check.required("targets", row, "kind")
        if kind is not None and kind not in text.TARGET_KINDS:
            check.add("kind_unknown", "targets", row, "kind", kind)
        stated_in = check.required("targets", row, "stated_in")
        if stated_in is not None and stated_in not in text.STATED_IN:
            check.add("stated_in_unknown", "targets", row, "stated_in", stated_in)
        units = _resolve_units(check, "targets", row, "responsible_units", directory, org_name)
        indicator = text.clean(row.values.get("indicator_key")) if row.values.get("indicator_key") else None
        if indicator and indicator not in known_indicators:
            check.add("indicator_unknown", "targets", row, "indicator_key", indicator)
        task_code = as_code(row.values.get("task_code"))
        if task_code and task_code not in task_codes:
            check.add("task_unknown", "targets", row, "task_code", task_code)
        weight = check.number("targets", row, "weight")
        deadline = _deadline(check, "targets", row, plan_year) if row.values.get("deadline_text") else \
            Deadline(None, "none")
        if None in (code, area, body, comparator, kind, stated_in):
            continue
        aggregation, direction, review = _rules(check, row, kind, comparator, _text(row, "unit_of_measure"), body)
        targets.append(Target(
            code, area, body, comparator, value, _text(row, "unit_of_measure"), kind, stated_in, deadline,
            units, weight, indicator, task_code, _text(row, "source"), _text(row, "lines"),
            _text(row, "appendix_source"), _text(row, "appendix_lines"),
            tuple(dict.fromkeys(split_list(row.values.get("flags")) + list(deadline.flags) + review)),
            _text(row, "original_text"), _text(row, "note"), aggregation, direction, _text(row, "same_as"),
        ))
    _check_same_as(check, rows)
    return targets


def _check_same_as(check: _Checker, rows: list[RawRow]) -> None:
    """A restating target points at a target of the sheet that is itself counted: the one counted in its
    place. Pointing at itself or at another restating target would leave the measure counted nowhere."""
    restates = {as_code(r.values.get("code")): as_code(r.values.get("same_as")) for r in rows}
    for row in rows:
        code, original = as_code(row.values.get("code")), as_code(row.values.get("same_as"))
        if original is None:
            continue
        if original not in restates:
            check.add("same_as_unknown", "targets", row, "same_as", original)
        elif original == code or restates[original] is not None:
            check.add("same_as_chain", "targets", row, "same_as", original, target=code or "")


def _rules(check, row, kind: str, comparator: str, unit_of_measure: str | None, wording: str):
    """The target's aggregation and direction: as written when the cell holds one (checked against the kind
    and the comparator), else inferred, with a review flag where the inference is unsure."""
    review: list[str] = []
    aggregation = _written_or_inferred(
        check, row, "aggregation", review, aggregation_rule.BY_KEY,
        lambda written: aggregation_rule.allowed(written, kind),
        ("aggregation_kind_mismatch", {"kind": text.TARGET_KINDS.get(kind, kind)}),
        lambda: aggregation_rule.infer(kind, unit_of_measure, wording))
    direction = _written_or_inferred(
        check, row, "direction", review, direction_rule.DIRECTIONS,
        lambda written: direction_rule.consistent(comparator, written),
        ("direction_conflict", {"comparator": comparators.BY_KEY[comparator].symbol}),
        lambda: direction_rule.infer(comparator, unit_of_measure, wording))
    return aggregation, direction, review


def _written_or_inferred(check, row, column: str, review: list[str], known, fits, misfit: tuple[str, dict], infer):
    """A rule cell: its key when written (unknown -> `<column>_unknown`; not fitting the target -> `misfit`),
    else `infer()`'s, adding `<column>_review` to `review` when that inference is unsure."""
    written = text.fold(_text(row, column) or "")
    if not written:
        inferred, sure = infer()
        review += [] if sure else [f"{column}_review"]
        return inferred
    if written not in known:
        check.add(f"{column}_unknown", "targets", row, column, written)
    elif not fits(written):
        check.add(misfit[0], "targets", row, column, written, **misfit[1])
    return written


def _tasks_sheet(check, rows, directory, org_name, plan_year) -> list[Task]:
    seen: dict[str, int] = {}
    tasks = []
    for row in rows:
        code = _unique_code(check, "tasks", row, seen)
        area = _area(check, "tasks", row)
        body = check.required("tasks", row, "text")
        lead = _resolve_units(check, "tasks", row, "lead_units", directory, org_name)
        coordinating = _resolve_units(check, "tasks", row, "coordinating_units", directory, org_name)
        budget = check.number("tasks", row, "budget_million_vnd")
        deadline = _deadline(check, "tasks", row, plan_year)
        if None in (code, area, body):
            continue
        tasks.append(Task(
            code, area, body, deadline, _text(row, "general_task"), _text(row, "product"), lead,
            _text(row, "lead_text"), coordinating, _text(row, "coordinating_text"), budget,
            _text(row, "budget_text"), _text(row, "result_text"), _text(row, "source"), _text(row, "lines"),
            tuple(dict.fromkeys(split_list(row.values.get("flags")) + list(deadline.flags))),
            _text(row, "original_text"), _text(row, "note"),
        ))
    return tasks


def _conflicts_sheet(check, rows, target_codes) -> list[Conflict]:
    conflicts = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        target_code = as_code(row.values.get("target_code"))
        field_name = check.required("conflicts", row, "field")
        body = check.required("conflicts", row, "body")
        appendix = check.required("conflicts", row, "appendix")
        if target_code is None:
            check.add("required_missing", "conflicts", row, "target_code", label=text.LABELS["target_code"])
        elif target_code not in target_codes:
            check.add("target_unknown", "conflicts", row, "target_code", target_code)
        if field_name is not None and field_name not in CONFLICT_FIELDS:
            check.add("required_missing", "conflicts", row, "field", field_name, label=text.LABELS["field"])
        if (target_code, field_name) in seen:
            check.add("duplicate_code", "conflicts", row, "target_code", target_code, first_row=text.LOCATION["above"])
        seen.add((target_code, field_name))
        status = text.clean(row.values.get("status")) if row.values.get("status") else "unresolved"
        body_value = check.number("conflicts", row, "body_value")
        appendix_value = check.number("conflicts", row, "appendix_value")
        resolved = check.number("conflicts", row, "resolved_value")
        if None in (target_code, field_name, body, appendix):
            continue
        conflicts.append(Conflict(target_code, field_name, str(body), str(appendix), body_value, appendix_value,
                                  _text(row, "note"), status if status in ("unresolved", "resolved")
                                  else "unresolved", resolved))
    return conflicts


def _report_deadlines_sheet(check, rows) -> list[ReportDeadline]:
    found = []
    for row in rows:
        period = check.required("report_deadlines", row, "period")
        month = check.number("report_deadlines", row, "month")
        day = check.number("report_deadlines", row, "day")
        if period not in PERIOD_CODES:
            check.add("required_missing", "report_deadlines", row, "period", period,
                      label=text.LABELS["period"] + " (" + ", ".join(PERIOD_CODES) + ")")
            continue
        if month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
            check.add("date_invalid", "report_deadlines", row, "day", f"{day}/{month}")
            continue
        found.append(ReportDeadline(period, int(month), int(day), _text(row, "text"), _text(row, "source"),
                                    _text(row, "lines")))
    return found
