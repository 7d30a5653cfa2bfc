"""How a target's figures combine over the quarters of a longer period, and over its units: a rule table.

This module owns the aggregation rule. A 9-month figure is built from a unit's reports for the quarters
in it (kpi/engine/attainment.py `_chosen_reports` decides which reports); what is done with them depends on
what the figure is:

- sum: a flow (số hồ sơ, số văn bản, kinh phí): the quarters add up, and so do the units;
- ratio: a rate, Σ numerators ÷ Σ denominators over quarters and units, never a mean of percentages;
- latest: a level or a stock (a rank, an index score, số đơn vị tự chủ): each unit's latest report with a
  figure, never a sum over quarters; several units' stocks add up (a rank has one reporting unit: a level
  reported by several units is flagged for review when the plan is imported);
- mean: "bình quân": the quarters' mean, weighted by the quarters each report covers; units averaged;
- max / min: the largest or smallest over quarters and units;
- any: a yes/no target: a unit that said "done" in any quarter is done; across units, the share done.

Each row holds the SQL form over one unit's report rows (columns named by {x}, the report's last quarter
`rlq` and its length `quarters`) and over the unit rows, and the Python form of both, side by side;
tests/unit/test_rules.py checks that they agree. Baselines are combined by the same rule as the figure
(a rate's baseline weighted by its denominators, kpi/engine/attainment.py).

The rule is stored per target (column `aggregation`), inferred at import from the kind, the unit of
measure and the wording (`infer`), and editable in the plan workbook.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from kpi import text, vocabulary

# (last quarter, quarters covered, value) of one unit's reports in the period
Report = tuple[int, int, "float | None"]


def _present(reports: Sequence[Report]) -> list[Report]:
    return [r for r in reports if r[2] is not None]


def _sum(reports):
    values = [v for _, _, v in _present(reports)]
    return sum(values) if values else None


def _latest(reports):
    present = _present(reports)
    return max(present, key=lambda r: r[0])[2] if present else None


def _mean(reports):
    present = _present(reports)
    weight = sum(q for _, q, _ in present)
    return sum(v * q for _, q, v in present) / weight if weight else None


def _extreme(pick):
    def over(reports):
        values = [v for _, _, v in _present(reports)]
        return pick(values) if values else None
    return over


def _units_sum(values):
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _units_mean(values):
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _units_extreme(pick):
    def over(values):
        present = [v for v in values if v is not None]
        return pick(present) if present else None
    return over


@dataclass(frozen=True)
class Aggregation:
    key: str
    kinds: tuple[str, ...]           # target kinds it applies to
    periods_py: Callable[[Sequence[Report]], "float | None"]
    periods_sql: str                 # over one unit's report rows; {x} is the column
    units_py: Callable[[Sequence["float | None"]], "float | None"]
    units_sql: str                   # over the unit rows; {x} is the unit's combined column
    label: str


AGGREGATIONS = (
    Aggregation("sum", ("value",), _sum, "sum({x})", _units_sum, "sum({x})", text.AGGREGATIONS["sum"]),
    Aggregation("ratio", ("ratio",), _sum, "sum({x})", _units_sum, "sum({x})", text.AGGREGATIONS["ratio"]),
    # arg_max skips rows whose ordering value is NULL, not rows whose value is: the FILTER does that.
    Aggregation("latest", ("value", "ratio"), _latest, "arg_max({x}, rlq) FILTER (WHERE {x} IS NOT NULL)",
                _units_sum, "sum({x})", text.AGGREGATIONS["latest"]),
    Aggregation("mean", ("value",), _mean,
                "sum({x} * quarters) FILTER (WHERE {x} IS NOT NULL) / "
                "nullif(sum(quarters) FILTER (WHERE {x} IS NOT NULL), 0)",
                _units_mean, "avg({x})", text.AGGREGATIONS["mean"]),
    Aggregation("max", ("value",), _extreme(max), "max({x})", _units_extreme(max), "max({x})",
                text.AGGREGATIONS["max"]),
    Aggregation("min", ("value",), _extreme(min), "min({x})", _units_extreme(min), "min({x})",
                text.AGGREGATIONS["min"]),
    # yes/no: the figure is 1,0 (done) or 0,0; done in any quarter is done; across units the share done.
    Aggregation("any", ("yes_no",), _extreme(max), "max({x})", _units_mean, "avg({x})", text.AGGREGATIONS["any"]),
)
BY_KEY = {a.key: a for a in AGGREGATIONS}
# The rules whose every form is a plain sum: the engine combines their rows (most of them: rates and flows)
# without evaluating the other rules' aggregates, which cost a pass each over every report row.
ADDITIVE = tuple(a.key for a in AGGREGATIONS if a.periods_sql == a.units_sql == "sum({x})")


def over_periods(key: str, reports: Sequence[Report]) -> float | None:
    """One unit's figure for the period from its reports: ("latest", [(1, 1, 6.0), (3, 1, 5.0)]) -> 5,0."""
    return BY_KEY[key].periods_py(reports)


def over_units(key: str, values: Sequence[float | None]) -> float | None:
    """The target's figure from its units' figures (missing units are left out, never counted as 0)."""
    return BY_KEY[key].units_py(values)


def _case(form: str, column: str, keys: tuple[str, ...] | None = None) -> str:
    whens = " ".join(f"WHEN '{a.key}' THEN {getattr(a, form).format(x=column)}" for a in AGGREGATIONS
                     if keys is None or a.key in keys)
    return f"CASE aggregation {whens} END"


def periods_sql(column: str, keys: tuple[str, ...] | None = None) -> str:
    """SQL over one unit's report rows grouped with their target's `aggregation` (a grouping column);
    `keys` limits the CASE to those rules (for rows known to follow one of them)."""
    return _case("periods_sql", column, keys)


def units_sql(column: str, keys: tuple[str, ...] | None = None) -> str:
    """SQL over the unit rows grouped with their target's `aggregation` (`keys` as in `periods_sql`)."""
    return _case("units_sql", column, keys)


def allowed(key: str, kind: str) -> bool:
    return key in BY_KEY and kind in BY_KEY[key].kinds


def _has(wording: str, words: Sequence[str]) -> bool:
    return any(word in wording for word in words)


def infer(kind: str, unit_of_measure: str | None, wording: str) -> tuple[str, bool]:
    """(rule, sure) for a target with no rule written: the kind decides rates and yes/no; a value is a level
    by its unit (thứ hạng, điểm), a mean by "bình quân", a stock or a flow by its words. What the words do
    not settle is a flow (the figures add up) and is marked for review: `sure` is False."""
    if kind == "ratio":
        return "ratio", True
    if kind == "yes_no":
        return "any", True
    folded = text.fold(wording)
    unit = text.fold(unit_of_measure or "")
    if unit in vocabulary.LEVEL_UNITS:
        return "latest", True
    if _has(folded, vocabulary.MEAN_WORDS):
        return "mean", True
    if _has(folded, vocabulary.LEVEL_WORDS):
        return "latest", False
    if _has(folded, vocabulary.STOCK_WORDS):
        return "latest", False
    return "sum", _has(folded, vocabulary.FLOW_WORDS)
