"""Deadline wording of CCHC plans -> a `Deadline`, the wording always kept.

Seed inputs: "Thường xuyên", "Trong năm", "Năm 2021", "Quý I/2021", "Quý I",
"Trong quý II/2023", "Quý II, III/2021", "Quý III/ Quý IV", "Tháng 01/2022",
"Trước ngày 15/02/2023", "Trước 01/06/2023", "Trước 30/11", "Trước 15/01",
"- Kế hoạch (Quý I); - Báo cáo (Trước 30/11)", "Chậm nhất sau 05 ngày làm việc kể từ ...",
"Khi có hướng dẫn của Bộ ngành TW", "Theo tiến độ phê duyệt". The grammar is in
docs/deadlines.md. Wording that fits no rule is kept with kind "unknown" and flagged;
parsing never raises.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from kpi import text, vocabulary

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True)
class Milestone:
    label: str | None
    text: str
    kind: str
    due: dt.date | None


@dataclass(frozen=True)
class Deadline:
    text: str | None               # the plan's wording, untouched (NFC)
    kind: str                      # see kpi.text.DEADLINE_KINDS
    due: dt.date | None = None     # the last date by which it must be done
    milestones: tuple[Milestone, ...] = ()
    flags: tuple[str, ...] = field(default=())


def last_day_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> dt.date:
    return last_day_of_month(year, quarter * 3)


_SPACE = re.compile(r"\s+")
_YEAR, _QUARTER_WORD, _ROMAN = vocabulary.DEADLINE_YEAR, vocabulary.DEADLINE_QUARTER_WORD, vocabulary.DEADLINE_ROMAN

# Three kinds of "every time" wording, each with its own due date (docs/deadlines.md); the words are in
# kpi/vocabulary.py.
RECURRING = re.compile(vocabulary.DEADLINE_ONGOING)         # ongoing: due at the year's end
PER_PERIOD = re.compile(vocabulary.DEADLINE_PER_PERIOD)     # due at the end of every period
WHOLE_YEAR = re.compile(vocabulary.DEADLINE_WHOLE_YEAR)     # the plan year, due 31/12
EXTERNAL = re.compile(vocabulary.DEADLINE_EXTERNAL)
EVENT = re.compile(vocabulary.DEADLINE_EVENT)
YEAR_ONLY = re.compile(vocabulary.DEADLINE_YEAR_ONLY)
WITHIN_YEAR = re.compile(vocabulary.DEADLINE_WITHIN_YEAR)
HALF = re.compile(vocabulary.DEADLINE_HALF)
QUARTERS = re.compile(vocabulary.DEADLINE_QUARTERS)
MONTHS = re.compile(vocabulary.DEADLINE_MONTHS)
BEFORE = re.compile(vocabulary.DEADLINE_BEFORE)


def _normal(wording: str) -> str:
    lowered = text.nfc(wording).strip().lower()
    lowered = lowered.strip(" .;:()-–")
    return _SPACE.sub(" ", lowered)


def _year_of(match_year: str | None, plan_year: int) -> int:
    if not match_year:
        return plan_year
    year = int(match_year)
    return year + 2000 if year < 100 else year


def _parse_simple(wording: str, plan_year: int) -> Deadline:
    """One expression, no milestones."""
    source = text.nfc(wording)
    s = _normal(source)
    if not s:
        return Deadline(source, "none")
    if RECURRING.match(s):
        return Deadline(source, "recurring")
    if PER_PERIOD.match(s):
        return Deadline(source, "periodic")
    if WHOLE_YEAR.match(s):
        return Deadline(source, "year", dt.date(plan_year, 12, 31), flags=("year_inferred",))
    if m := YEAR_ONLY.match(s) or WITHIN_YEAR.match(s):
        year = _year_of(m.group(3), plan_year)
        return Deadline(source, "year", dt.date(year, 12, 31))
    if m := HALF.match(s):
        year = _year_of(m.group(4), plan_year)
        due = dt.date(year, 6, 30) if m.group(2) == vocabulary.DEADLINE_FIRST_HALF else dt.date(year, 12, 31)
        return Deadline(source, "half", due)
    if m := QUARTERS.match(s):
        numbers = [ROMAN[m["first"]]] + [ROMAN[q] for q in re.findall(rf"\b{_ROMAN}\b", re.sub(_QUARTER_WORD, " ", m["rest"] or ""))]
        year = _year_of(m["year"], plan_year)
        kind = "quarter" if len(numbers) == 1 else "quarter_list"
        return Deadline(source, kind, quarter_end(year, max(numbers)))
    if m := MONTHS.match(s):
        months = [int(m["first"])] + [int(x) for x in re.findall(r"\d{1,2}", m["rest"] or "")]
        if all(1 <= x <= 12 for x in months):
            year = _year_of(m["year"], plan_year)
            return Deadline(source, "month", last_day_of_month(year, max(months)))
    if m := BEFORE.match(s):
        day, month = int(m.group(3)), int(m.group(4))
        flags: tuple[str, ...] = ()
        if m.group(5):
            year = _year_of(m.group(5), plan_year)
        else:
            # "Trước 15/01" in a 2021 plan is the year-end report of 2021, due in January 2022.
            year = plan_year + 1 if month == 1 else plan_year
            flags = ("year_inferred",)
            if (day, month) == (29, 2) and last_day_of_month(year, 2).day == 28:
                day = 28  # "Trước 29/02" written for every year: in a year without 29/02, the end of February
        try:
            return Deadline(source, "before_date", dt.date(year, month, day), flags=flags)
        except ValueError:
            return Deadline(source, "unknown", flags=("deadline_unparsed",))
    if EVENT.match(s):
        return Deadline(source, "event")
    if EXTERNAL.match(s):
        return Deadline(source, "external")
    return Deadline(source, "unknown", flags=("deadline_unparsed",))


_MILESTONE_PART = re.compile(r"^\s*[-–•]?\s*(?P<label>[^()]*?)\s*\((?P<when>[^()]+)\)\s*$")


def parse_deadline(wording: str | None, plan_year: int) -> Deadline:
    """Parse one cell of "Thời gian thực hiện". Never raises.

    "- Kế hoạch (Quý I); - Báo cáo (Trước 30/11)" -> compound, two milestones, due 30/11.
    """
    if wording is None or not str(wording).strip():
        return Deadline(None, "none")
    source = text.nfc(str(wording)).strip()
    whole = _parse_simple(source, plan_year)
    if whole.kind in {"recurring", "periodic", "event", "external"}:
        # "Theo chỉ đạo của UBND tỉnh; Bộ CT" is one external reference, not two milestones.
        return whole
    parts = [p for p in re.split(r";|\n", source) if p.strip(" -–•.")]
    if len(parts) > 1:
        milestones = []
        for part in parts:
            labelled = _MILESTONE_PART.match(part)
            label, when = (labelled["label"] or None, labelled["when"]) if labelled else (None, part)
            single = _parse_simple(when, plan_year)
            if single.kind == "unknown" and "," in when:
                # "Báo cáo quý I, trước ngày 10/3": the label, then the date.
                head, _, tail = when.rpartition(",")
                tail_parsed = _parse_simple(tail, plan_year)
                if tail_parsed.kind != "unknown":
                    label, when, single = head.strip(" -–"), tail.strip(), tail_parsed
            milestones.append(Milestone(label and label.strip(" -–"), when.strip(), single.kind, single.due))
        if all(m.kind in {"event", "external"} for m in milestones):
            return Deadline(source, milestones[0].kind)
        dated = [m.due for m in milestones if m.due is not None]
        flags = ("deadline_unparsed",) if any(m.kind == "unknown" for m in milestones) else ()
        return Deadline(source, "compound", max(dated) if dated else None, tuple(milestones), flags)
    labelled = _MILESTONE_PART.match(source)
    if labelled and labelled["label"]:
        # "Kế hoạch (Quý I)": one labelled milestone
        single = _parse_simple(labelled["when"], plan_year)
        if single.kind not in {"unknown", "none"}:
            return Deadline(source, single.kind, single.due,
                            (Milestone(labelled["label"].strip(" -–"), labelled["when"].strip(), single.kind, single.due),),
                            single.flags)
    return whole
