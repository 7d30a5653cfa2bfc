"""Comparators as a table: key, symbol, the words that mean it, how to say it, and how it is judged.

This module owns the comparator rule. Each row holds, side by side, the Python form and the SQL form
of the two judgements made of a figure against its target:

- attainment: how far the figure goes towards the target (1,0 = reached; may exceed 1,0);
- met: whether the comparator is satisfied (within EPS).

The SQL forms read the columns `actual`, `goal`, `baseline` and `lower_better` (the target's direction is
"lower", kpi/rules/direction.py) of the row being judged;
the engine (kpi/engine/attainment.py `_judge`) builds its CASE from them. A figure with no actual is
judged neither (NULL / None), and neither is a directional target (increase, decrease) without a
baseline. The Python forms follow SQL's NULL logic exactly (tests/unit/test_rules.py checks that the two
agree), so changing one form means changing the other in the same row. Adding a comparator also needs
its key in docs/cli.md and its words in the plan workbook (kpi/excel/plan_workbook.py lists the keys).

Targets store the comparator explicitly rather than re-reading it from the plan's text.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from kpi import text, vocabulary

EPS = 1e-9  # tolerance of every comparison of a figure with its target or baseline

Judge = Callable[[float, "float | None", "float | None", "bool | None"], "float | bool | None"]


def _above(actual, goal, baseline, lower_better):  # ">=", ">": share of the goal reached
    if goal is not None and goal > 0:
        return actual / goal
    return 1.0 if goal is not None and actual >= goal else 0.0


def _below(actual, goal, baseline, lower_better):  # "<=", "<": goal / actual, full when actual <= 0
    if actual <= 0:
        return 1.0
    if goal is not None and goal <= 0:
        return 0.0
    return None if goal is None else goal / actual


def _equal(actual, goal, baseline, lower_better):  # "=": 1 - relative distance, never below 0
    if goal == 0:
        return 1.0 if abs(actual) <= EPS else 0.0
    return 0.0 if goal is None else max(0.0, 1.0 - abs(actual - goal) / abs(goal))


def _want_higher(key: str, lower_better: bool | None) -> bool | None:
    """Both directional comparators improve on the baseline in the target's own direction
    (kpi/rules/direction.py): "nâng cao thứ hạng" (increase, lower) wants a smaller number, "giảm chi"
    (decrease, lower) too. Unknown (None, SQL NULL) when the direction is."""
    return None if lower_better is None else not lower_better


def _direction(key: str):
    """Attainment of increase/decrease against the baseline (with no baseline: None)."""
    def attainment(actual, goal, baseline, lower_better):
        if baseline is None:
            return None
        if _want_higher(key, lower_better):
            return 1.0 if actual > baseline else min(actual / baseline, 1.0) if baseline > 0 else 0.0
        return 1.0 if actual < baseline else min(baseline / actual, 1.0) if actual > 0 else 0.0

    def met(actual, goal, baseline, lower_better):
        if baseline is None:
            return None
        if _want_higher(key, lower_better):
            return actual > baseline + EPS
        return actual < baseline - EPS
    return attainment, met


def _given(goal, test):
    """A comparison with the goal: None (SQL NULL) when there is no goal."""
    return None if goal is None else test()


_ABOVE_SQL = "CASE WHEN goal > 0 THEN actual / goal WHEN actual >= goal THEN 1.0 ELSE 0.0 END"
_BELOW_SQL = "CASE WHEN actual <= 0 THEN 1.0 WHEN goal <= 0 THEN 0.0 ELSE goal / actual END"


def _direction_sql(key: str) -> tuple[str, str]:
    """SQL attainment and met of increase/decrease; a NULL lower_better takes the ELSE branch, as in Python.
    `lower_better` is the target's direction (never NULL for a directional target: inferred at import)."""
    want_higher = "NOT lower_better"
    return (f"CASE WHEN baseline IS NULL THEN NULL WHEN {want_higher} THEN "
            "CASE WHEN actual > baseline THEN 1.0 WHEN baseline > 0 THEN least(actual / baseline, 1.0) ELSE 0.0 END "
            "ELSE CASE WHEN actual < baseline THEN 1.0 WHEN actual > 0 THEN least(baseline / actual, 1.0) "
            "ELSE 0.0 END END",
            f"CASE WHEN baseline IS NULL THEN NULL WHEN {want_higher} THEN actual > baseline + {EPS} "
            f"ELSE actual < baseline - {EPS} END")


_increase, _increase_met = _direction("increase")
_decrease, _decrease_met = _direction("decrease")


@dataclass(frozen=True)
class Comparator:
    key: str          # as written in files and JSON
    symbol: str       # as shown
    needs_value: bool
    words: tuple[str, ...]  # other spellings accepted in a workbook cell
    sentence: str     # "{value}" is filled in
    attainment_py: Judge    # (actual, goal, baseline, lower_better) -> float | None; actual is never None
    attainment_sql: str     # the same over the columns actual, goal, baseline, lower_better
    met_py: Judge           # -> bool | None
    met_sql: str


COMPARATORS = (
    Comparator(">=", "≥", True, vocabulary.COMPARATOR_WORDS[">="], text.COMPARATOR_SENTENCES[">="],
               _above, _ABOVE_SQL,
               lambda a, g, b, lb: _given(g, lambda: a >= g - EPS), f"actual >= goal - {EPS}"),
    Comparator(">", ">", True, vocabulary.COMPARATOR_WORDS[">"], text.COMPARATOR_SENTENCES[">"],
               _above, _ABOVE_SQL,
               lambda a, g, b, lb: _given(g, lambda: a > g + EPS), f"actual > goal + {EPS}"),
    Comparator("<=", "≤", True, vocabulary.COMPARATOR_WORDS["<="], text.COMPARATOR_SENTENCES["<="],
               _below, _BELOW_SQL,
               lambda a, g, b, lb: _given(g, lambda: a <= g + EPS), f"actual <= goal + {EPS}"),
    Comparator("<", "<", True, vocabulary.COMPARATOR_WORDS["<"], text.COMPARATOR_SENTENCES["<"],
               _below, _BELOW_SQL,
               lambda a, g, b, lb: _given(g, lambda: a < g - EPS), f"actual < goal - {EPS}"),
    Comparator("=", "=", True, vocabulary.COMPARATOR_WORDS["="], text.COMPARATOR_SENTENCES["="],
               _equal, f"CASE WHEN goal = 0 THEN CASE WHEN abs(actual) <= {EPS} THEN 1.0 ELSE 0.0 END "
                       "ELSE greatest(0.0, 1.0 - abs(actual - goal) / abs(goal)) END",
               lambda a, g, b, lb: _given(g, lambda: abs(a - g) <= EPS), f"abs(actual - goal) <= {EPS}"),
    Comparator("increase", "↑", False, vocabulary.COMPARATOR_WORDS["increase"], text.COMPARATOR_SENTENCES["increase"],
               _increase, _direction_sql("increase")[0], _increase_met, _direction_sql("increase")[1]),
    Comparator("decrease", "↓", False, vocabulary.COMPARATOR_WORDS["decrease"], text.COMPARATOR_SENTENCES["decrease"],
               _decrease, _direction_sql("decrease")[0], _decrease_met, _direction_sql("decrease")[1]),
    Comparator("done", "✓", False, vocabulary.COMPARATOR_WORDS["done"], text.COMPARATOR_SENTENCES["done"],
               lambda a, g, b, lb: a, "actual",
               lambda a, g, b, lb: a >= 1.0 - EPS, f"actual >= 1.0 - {EPS}"),
)
BY_KEY = {c.key: c for c in COMPARATORS}


def attainment(key: str, actual, goal, baseline=None, lower_better: bool | None = False) -> float | None:
    """How far `actual` goes towards the target: ">=" 0,912 against 0,96 -> 0,95. None without a figure."""
    return None if actual is None else BY_KEY[key].attainment_py(actual, goal, baseline, lower_better)


def met(key: str, actual, goal, baseline=None, lower_better: bool | None = False) -> bool | None:
    """Whether `actual` satisfies the comparator (within EPS). None without a figure (or a needed baseline)."""
    return None if actual is None else BY_KEY[key].met_py(actual, goal, baseline, lower_better)


def _case(form: str) -> str:
    whens = "\n".join(f"          WHEN comparator = '{c.key}' THEN {getattr(c, form)}" for c in COMPARATORS)
    return f"CASE\n          WHEN actual IS NULL THEN NULL\n{whens}\n        END"


def attainment_sql() -> str:
    """SQL expression for attainment over the columns comparator, actual, goal, baseline, lower_better."""
    return _case("attainment_sql")


def met_sql() -> str:
    """SQL expression for met over the same columns (NULL where `met` gives None)."""
    return _case("met_sql")


def parse(value) -> str | None:
    """A cell's comparator -> its key, or None when it cannot be read."""
    if value is None:
        return None
    key = text.fold(str(value))
    for comparator in COMPARATORS:
        if key == comparator.key or key in (text.fold(w) for w in comparator.words):
            return comparator.key
    return None


def describe(key: str, value, unit_of_measure: str | None) -> str:
    """(">=", 96.5, "%") -> "≥ 96,5%"; ("done", None, None) -> "✓ hoàn thành"."""
    comparator = BY_KEY[key]
    if not comparator.needs_value:
        return f"{comparator.symbol} {comparator.sentence}"
    amount = text.format_amount(value)
    unit = unit_of_measure or ""
    joined = f"{amount}{unit}" if unit == "%" else f"{amount} {unit}".strip()
    return f"{comparator.symbol} {joined}"
