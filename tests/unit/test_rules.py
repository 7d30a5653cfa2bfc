"""Rules as tables: each comparator's and each status band's Python form agrees with its SQL form.

The SQL forms run in an in-memory DuckDB over the same inputs the Python forms get; the expectations in
the worked examples are computed by hand (arithmetic in the comments), never read back from the code.
"""
import math

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.engine.config import scoring
from kpi.rules import comparators, status
from kpi.rules.comparators import COMPARATORS, EPS

KEYS = [c.key for c in COMPARATORS]


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def _sql_judge(con, rows: list[tuple]) -> list[tuple]:
    """(comparator, actual, goal, baseline, lower_better) rows -> (attainment, met) from the SQL forms."""
    frame = pd.DataFrame(rows, columns=["comparator", "actual", "goal", "baseline", "lower_better"])
    frame = frame.astype({"actual": "Float64", "goal": "Float64", "baseline": "Float64", "lower_better": "boolean"})
    return _select_over(con, frame, f"{comparators.attainment_sql()}, {comparators.met_sql()}")


def _select_over(con, frame: pd.DataFrame, columns: str) -> list[tuple]:
    """SELECT columns over the frame's rows (as the view `grid`), in the frame's order."""
    frame.insert(0, "i", range(len(frame)))
    con.register("grid", frame)
    try:
        return con.execute(f"SELECT {columns} FROM grid ORDER BY i").fetchall()
    finally:
        con.unregister("grid")


def _py_judge(row: tuple) -> tuple:
    key, actual, goal, baseline, lower_better = row
    return (comparators.attainment(key, actual, goal, baseline, lower_better),
            comparators.met(key, actual, goal, baseline, lower_better))


def _same_attainment(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def _assert_forms_agree(con, rows: list[tuple]):
    for row, (sql_att, sql_met) in zip(rows, _sql_judge(con, rows)):
        py_att, py_met = _py_judge(row)
        assert _same_attainment(py_att, sql_att), (row, py_att, sql_att)
        assert py_met is sql_met or py_met == sql_met, (row, py_met, sql_met)
        assert (py_met is None) == (sql_met is None), (row, py_met, sql_met)


# --------------------------------------------------------------- comparators: Python form = SQL form

GOALS = [None, 0.0, 0.96, 5.0, -2.0, EPS / 2, 1.0]
NEAR_GOAL = [-2 * EPS, -EPS, -EPS / 2, 0.0, EPS / 2, EPS, 2 * EPS]
OTHERS = [None, 0.0, -1.0, -5.0, 0.5, 0.912, 1.0 - EPS / 2, 12.0]
BASELINES = [None, 0.0, 0.96, 5.0, -1.0]
LOWER_BETTER = [False, True, None]  # None: a target without a unit of measure (SQL NULL)


def test_every_comparator_agrees_on_a_grid_of_edge_values(con):
    rows = [(key, actual, goal, baseline, lower)
            for key in KEYS for goal in GOALS
            for actual in OTHERS + ([goal + d for d in NEAR_GOAL] if goal is not None else [])
            for baseline in BASELINES for lower in LOWER_BETTER]
    assert len(rows) > 5_000
    _assert_forms_agree(con, rows)


def _number():
    return st.one_of(st.none(), st.sampled_from([0.0, -0.0, 1.0, -1.0, 0.96, EPS]),
                     st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False))


@st.composite
def judged_rows(draw):
    goal = draw(_number())
    near_goal = st.sampled_from(NEAR_GOAL).map(lambda d: goal + d) if goal is not None else _number()
    baseline = draw(_number())
    near_baseline = st.sampled_from(NEAR_GOAL).map(lambda d: baseline + d) if baseline is not None else _number()
    actual = draw(st.one_of(_number(), near_goal, near_baseline))
    return (draw(st.sampled_from(KEYS)), actual, goal, baseline, draw(st.sampled_from(LOWER_BETTER)))


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(judged_rows(), min_size=1, max_size=20))
def test_every_comparator_agrees_on_generated_figures(con, rows):
    _assert_forms_agree(con, rows)


@pytest.mark.parametrize("row, attainment, met", [
    # ">= 96%": actual 0,912 / goal 0,96 = 0,95; 0,912 < 0,96, so not met
    ((">=", 0.912, 0.96, None, False), 0.95, False),
    # ">= 12 lớp", 12 held: 12 / 12 = 1,0 and 12 >= 12 - EPS
    ((">=", 12.0, 12.0, None, False), 1.0, True),
    # "> 12": exactly 12 is not above 12 (12 > 12 + EPS is false), yet 12 / 12 = 1,0
    ((">", 12.0, 12.0, None, False), 1.0, False),
    # ">= 0" with a negative figure: goal not > 0 and -1 < 0, so 0,0
    ((">=", -1.0, 0.0, None, False), 0.0, False),
    # "<= 5%": actual 0,04: goal / actual = 0,05 / 0,04 = 1,25, met
    (("<=", 0.04, 0.05, None, False), 1.25, True),
    # "<= 5%": actual 0,10: 0,05 / 0,10 = 0,5, not met
    (("<=", 0.10, 0.05, None, False), 0.5, False),
    # "<= 5%" with nothing late (actual 0): full attainment, met
    (("<=", 0.0, 0.05, None, False), 1.0, True),
    # "< 5": actual 5 sits on the goal: 5 / 5 = 1,0 but 5 < 5 - EPS is false
    (("<", 5.0, 5.0, None, False), 1.0, False),
    # "= 10": actual 12: 1 - |12 - 10| / 10 = 1 - 0,2 = 0,8
    (("=", 12.0, 10.0, None, False), 0.8, False),
    # "= 10": actual 35: 1 - 25 / 10 = -1,5, floored at 0
    (("=", 35.0, 10.0, None, False), 0.0, False),
    # "= 0": actual 0,5e-9 is within EPS = 1e-9 of 0
    (("=", 0.5e-9, 0.0, None, False), 1.0, True),
    # increase from 8 to 6: 6 / 8 = 0,75, not met
    (("increase", 6.0, None, 8.0, False), 0.75, False),
    # increase of a rank (lower is better) from 5th to 3rd: 3 < 5 counts as better, 1,0, met
    (("increase", 3.0, None, 5.0, True), 1.0, True),
    # decrease (direction lower, kpi/rules/direction.py) from 4 to 5: min(4 / 5, 1) = 0,8, not met
    (("decrease", 5.0, None, 4.0, True), 0.8, False),
    # decrease from 4 to 3: 3 < 4 is an improvement in direction lower: 1,0, met
    (("decrease", 3.0, None, 4.0, True), 1.0, True),
    # a rank "nâng cao" from 6th to 11th (direction lower): worse, 6 / 11 = 0,5454…, not met
    (("increase", 11.0, None, 6.0, True), 6 / 11, False),
    # decrease without last period's figure: no judgement
    (("decrease", 5.0, None, None, True), None, None),
    # done by half the units: 0,5, not met
    (("done", 0.5, None, None, False), 0.5, False),
    # no report: no judgement at all
    ((">=", None, 0.96, None, False), None, None),
])
def test_worked_examples(con, row, attainment, met):
    ((sql_att, sql_met),) = _sql_judge(con, [row])
    for got_att, got_met in (_py_judge(row), (sql_att, sql_met)):
        assert (got_att is None) == (attainment is None)
        assert attainment is None or got_att == pytest.approx(attainment, abs=1e-12)
        assert got_met == met


def test_the_sql_form_reads_only_the_documented_columns(con):
    con.execute("CREATE TEMP TABLE only_these (comparator VARCHAR, actual DOUBLE, goal DOUBLE, baseline DOUBLE, "
                "lower_better BOOLEAN)")
    con.execute(f"SELECT {comparators.attainment_sql()}, {comparators.met_sql()} FROM only_these").fetchall()


# --------------------------------------------------------------- status bands: Python form = SQL form

def _sql_status(con, rows: list[tuple]) -> list[tuple[str, str]]:
    rows = [(*row, None)[:3] for row in rows]  # (attainment, met, coverage); coverage None when not given
    frame = pd.DataFrame(rows, columns=["a", "m", "c"]).astype({"a": "Float64", "m": "boolean", "c": "Float64"})
    return _select_over(con, frame, f"{status.target_status_sql('a', 'm')}, {status.rollup_status_sql('a', 'c')}")


def _cut_offs():
    s = scoring()
    return [s.met, s.near]


@st.composite
def attainments(draw):
    cut = draw(st.sampled_from(_cut_offs()))
    return draw(st.one_of(st.none(), st.sampled_from(NEAR_GOAL).map(lambda d: cut + d),
                          st.floats(-10, 10, allow_nan=False)))


coverages = st.one_of(st.none(), st.floats(0, 1), st.sampled_from([0.5, 0.5 - 1e-12, 0.5 + 1e-12]))


@settings(max_examples=50, deadline=None)
@given(rows=st.lists(st.tuples(attainments(), st.sampled_from([True, False, None]), coverages),
                     min_size=1, max_size=30))
def test_status_bands_agree_between_python_and_sql(con, rows):
    for (a, m, c), (sql_target, sql_rollup) in zip(rows, _sql_status(con, rows)):
        assert status.target_status(a, m) == sql_target, (a, m)
        assert status.rollup_status(a, c) == sql_rollup, (a, c)


ORDER = ["below", "near", "met"]


@given(a=st.floats(-10, 10, allow_nan=False), b=st.floats(-10, 10, allow_nan=False))
def test_a_higher_attainment_never_bands_lower(a, b):
    low, high = sorted((a, b))
    assert ORDER.index(status.rollup_status(low)) <= ORDER.index(status.rollup_status(high))


@given(a=st.one_of(st.none(), st.floats(-10, 10, allow_nan=False)))
def test_a_target_is_met_only_when_its_comparator_is(a):
    assert status.target_status(a, False) != "met"
    assert status.target_status(a, None) != "met"


def test_worked_status_examples(con):
    assert (scoring().met, scoring().near) == (1.0, 0.9)  # the cut-offs the figures below are worked with
    rows = [
        (0.95, False),         # ">= 96%", 0,912 / 0,96 = 0,95 ≥ near 0,9, comparator not met: near
        (1.0, False),          # "< 5" sitting on 5: attainment 5 / 5 = 1,0 but not met: near (roll-up: met)
        (1.25, True),          # "<= 5%" with 4%: 0,05 / 0,04 = 1,25, met
        (1.0 - EPS / 2, None), # a roll-up at 1 - 0,5e-9 is within EPS of 1,0: met
        (0.9, None),           # exactly on the near cut-off: near
        (0.89, False),         # 0,89 < 0,9: below
        (None, None),          # no report: no data
        (float("nan"), None),  # a missing figure from pandas: no data
    ]
    expected_target = ["near", "near", "met", "near", "near", "below", "no_data", "no_data"]
    expected_rollup = ["near", "met", "met", "met", "near", "below", "no_data", "no_data"]
    assert [status.target_status(a, m) for a, m in rows] == expected_target
    assert [status.rollup_status(a) for a, _ in rows] == expected_rollup
    sql = _sql_status(con, rows[:-1])  # SQL has no NaN from pandas: its missing figure is NULL
    assert [t for t, _ in sql] == expected_target[:-1]
    assert [r for _, r in sql] == expected_rollup[:-1]


# ---------------------------------------------------------------- aggregation over periods and units

from kpi.rules import aggregation  # noqa: E402  (kept beside the tests that use it)

unit_reports = st.lists(st.tuples(st.integers(1, 4), st.sampled_from([1, 2, 3]),
                                  st.one_of(st.none(), st.integers(-50, 500).map(float))),
                        min_size=1, max_size=4, unique_by=lambda r: r[0])


@settings(max_examples=60, deadline=None)
@given(key=st.sampled_from([a.key for a in aggregation.AGGREGATIONS]),
       units=st.lists(unit_reports, min_size=1, max_size=3))
def test_every_aggregation_rule_agrees_in_python_and_sql(con, key, units):
    """Per unit, the periods form over (last quarter, quarters, value) rows; then the units form."""
    frame = pd.DataFrame([(key, unit, rlq, quarters, value) for unit, reports in enumerate(units)
                          for rlq, quarters, value in reports],
                         columns=["aggregation", "unit", "rlq", "quarters", "value"]).astype({"value": "Float64"})
    con.register("reports", frame)
    try:
        sql = (f"SELECT {aggregation.units_sql('v')} FROM (SELECT aggregation, unit, "
               f"{aggregation.periods_sql('value')} AS v FROM reports GROUP BY aggregation, unit) GROUP BY aggregation")
        (got,) = con.execute(sql).fetchone()
    finally:
        con.unregister("reports")
    expected = aggregation.over_units(key, [aggregation.over_periods(key, reports) for reports in units])
    assert (got is None) == (expected is None)
    assert expected is None or got == pytest.approx(expected)


@pytest.mark.parametrize("key, reports, expected", [
    # latest: the report with the largest last quarter that has a figure: Q3's 5 (Q4 has none)
    ("latest", [(1, 1, 6.0), (2, 1, 22.0), (3, 1, 5.0), (4, 1, None)], 5.0),
    # sum: 6 + 22 + 5 = 33
    ("sum", [(1, 1, 6.0), (2, 1, 22.0), (3, 1, 5.0)], 33.0),
    # mean weighted by quarters: a 6-month 20 and a Q3 35: (20 × 2 + 35) / 3 = 25
    ("mean", [(2, 2, 20.0), (3, 1, 35.0)], 25.0),
    ("max", [(1, 1, 30.0), (2, 1, 55.0), (3, 1, 41.0)], 55.0),
    ("min", [(1, 1, 30.0), (2, 1, 55.0), (3, 1, 41.0)], 30.0),
    # nothing reported: no figure, never 0
    ("sum", [(1, 1, None)], None),
])
def test_aggregation_worked_examples(key, reports, expected):
    assert aggregation.over_periods(key, reports) == expected
