"""Which way a target's number is better: a rule per target, not per unit of measure.

This module owns the direction rule. `higher`: more is better (a share of dossiers on time, a score);
`lower`: less is better (a rank, processing time, overdue dossiers, complaints, spending to cut). The
comparators read it (kpi/rules/comparators.py: `increase` and `decrease` are judged against the baseline
in this direction, so "nâng cao thứ hạng" from 6 to 5 is an improvement).

Stored per target (column `direction`), inferred at import (`infer`) and editable in the plan workbook;
`consistent` refuses a direction that contradicts the comparator (≥ with "lower").
"""
from __future__ import annotations

from kpi import text, vocabulary
from kpi.engine.config import scoring

DIRECTIONS = ("higher", "lower")
_FIXED = {">=": "higher", ">": "higher", "<=": "lower", "<": "lower", "decrease": "lower", "done": "higher"}


def infer(comparator: str, unit_of_measure: str | None, wording: str) -> tuple[str, bool]:
    """(direction, sure). The comparator settles ≥ > ≤ < and "giảm"; "tăng/nâng cao" is higher unless the
    unit is a rank-like one (data/scoring.yaml lower_is_better_units: sure) or the wording names a measure
    that is better low (unsure: marked for review). "done" is higher (done beats not done); "=" follows the
    wording, unflagged: the direction does not change how it is judged."""
    if comparator in _FIXED:
        return _FIXED[comparator], True
    if text.fold(unit_of_measure or "") in {text.fold(u) for u in scoring().lower_is_better_units}:
        return "lower", True
    lower_words = any(word in text.fold(wording) for word in vocabulary.LOWER_BETTER_WORDS)
    if comparator == "increase":
        return ("lower", False) if lower_words else ("higher", True)
    return ("lower" if lower_words else "higher"), True


def consistent(comparator: str, direction: str) -> bool:
    """A written direction may not contradict the comparator (≥ with lower, ≤ with higher, giảm with higher)."""
    return _FIXED.get(comparator, direction) == direction
