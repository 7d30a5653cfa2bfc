"""The shape of every problem found in user input, and the exceptions that carry them.

One cause on many rows is one Problem. The library raises typed exceptions with codes and
parameters; only pages and the command line turn them into text (via `kpi.text`).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Mapping

from kpi import text

MAX_VALUE_SHOWN = 50


class Severity(str, enum.Enum):
    ERROR = "error"      # blocks the import
    WARNING = "warning"  # accepted, flagged


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity = Severity.ERROR
    sheet: str | None = None            # as users see it: "Chỉ tiêu"
    rows: tuple[int, ...] = ()          # Excel row numbers
    column: str | None = None           # Excel letter: "E"
    column_label: str | None = None     # the column's heading: "So sánh"
    value: object = None                # what was read, before conversion
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def shown_value(self) -> str:
        if self.value is None:
            return ""
        shown = text.clean(str(self.value)) or ""
        return shown if len(shown) <= MAX_VALUE_SHOWN else shown[: MAX_VALUE_SHOWN - 1] + "…"

    def _format(self, template: str) -> str:
        return template.format(value=self.shown_value, **self.params)

    @property
    def message(self) -> str:
        return self._format(text.PROBLEMS[self.code].message)

    @property
    def hint(self) -> str:
        return self._format(text.PROBLEMS[self.code].hint)

    @property
    def command(self) -> str:
        """The hint's command-line form (kpi/cli.py prints it after the hint; pages never show it)."""
        return self._format(text.PROBLEMS[self.code].command)

    @property
    def location(self) -> str:
        """«Sheet "Chỉ tiêu", dòng 12, cột "So sánh" (D12)», or "" for whole-file problems."""
        parts = []
        if self.sheet:
            parts.append(f"Sheet «{self.sheet}»")
        if self.rows:
            parts.append(text.LOCATION["rows"].format(rows=format_rows(self.rows)))
        if self.column:
            cell = f"{self.column}{self.rows[0]}" if len(self.rows) == 1 else self.column
            label = f"«{self.column_label}» " if self.column_label else ""
            parts.append(text.LOCATION["column"].format(column=f"{label}({cell})"))
        return ", ".join(parts)

    def as_row(self) -> dict[str, object]:
        """One problem as a row of the page's table and of `actuals import --format json`."""
        return {
            "severity": text.SEVERITY_LABEL[self.severity.value],
            "code": self.code,
            "sheet": self.sheet or "",
            "rows": format_rows(self.rows),
            "column": self.column or "",
            "value": self.shown_value,
            "message": self.message,
            "hint": self.hint,
        }

    def __str__(self) -> str:
        where = self.location
        return f"{where}: {self.message} {self.hint}" if where else f"{self.message} {self.hint}"


def format_rows(rows: tuple[int, ...]) -> str:
    """(7, 8, 9, 12) -> "7–9, 12"."""
    if not rows:
        return ""
    ordered = sorted(set(rows))
    spans, start, prev = [], ordered[0], ordered[0]
    for row in ordered[1:] + [None]:
        if row is not None and row == prev + 1:
            prev = row
            continue
        spans.append(str(start) if start == prev else f"{start}–{prev}")
        if row is not None:
            start = prev = row
    return ", ".join(spans)


class KpiError(Exception):
    """An expected failure with a stable code, shown to users in Vietnamese."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code)

    @property
    def message(self) -> str:
        return text.PROBLEMS[self.code].message.format(**self.params)

    @property
    def hint(self) -> str:
        return text.PROBLEMS[self.code].hint.format(**self.params)

    @property
    def command(self) -> str:
        """The hint's command-line form (kpi/cli.py prints it after the hint; pages never show it)."""
        return text.PROBLEMS[self.code].command.format(**self.params)

    def __str__(self) -> str:
        """The command line's wording (kpi/cli.py prints str(error)): the hint and its command; pages show
        `message` and `hint` only."""
        return " ".join(part for part in (self.message, self.hint, self.command) if part)


class HasProblems:
    """Anything carrying `problems`: errors block, warnings do not."""
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]


class ImportRejected(HasProblems, Exception):
    """A file was refused; nothing was written. Carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(self.errors)} problem(s)")
