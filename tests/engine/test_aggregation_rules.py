"""Each target combines its figures over periods and units by its own rule (kpi/rules/aggregation.py) and is
judged in its own direction (kpi/rules/direction.py). Figures worked out by hand in the comments.

Plan "levels-2023" (organisation "tiny", units of tests/engine/conftest.py):
  R1 a rank, "nâng cao thứ hạng" (value, increase, unit thứ hạng; VPS)   -> latest, lower
  R2 số đơn vị tự chủ (value, increase, unit đơn vị; A and B)             -> latest (stock), higher, review flag
  R3 số hồ sơ tiếp nhận ≥ 100 (value, ≥, unit hồ sơ; A and B)              -> sum, higher
  R4 thời gian chờ bình quân ≤ 30 phút (value, ≤; A and B)                 -> mean, lower
  R5 số lượt truy cập lớn nhất (value, ≥ 50, aggregation written "max"; A) -> max
"""
from __future__ import annotations

import copy
import functools

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi import db, engine
from tests import backend
from kpi.db import plan_store
from kpi.plans import transcription, validate
from kpi.problems import ImportRejected
from tests.engine.conftest import UNITS, _target, report as tiny_report, scratch
from tests.helpers import scope

LEVELS = {
    "plan": {"id": "levels-2023", "year": 2023, "number": "2/KH-TEST", "source_file": None},
    "organisation": {"id": "tiny", "name": "Sở Thử Nghiệm"},
    "units": UNITS,
    "areas": [],
    "targets": [
        {**_target("R1", "value", "increase", None, "thứ hạng", ["VPS"]), "text": "nâng cao thứ hạng Chỉ số CCHC"},
        {**_target("R2", "value", "increase", None, "đơn vị", ["A", "B"]),
         "text": "Tăng số đơn vị tự bảo đảm chi thường xuyên"},
        {**_target("R3", "value", ">=", 100, "hồ sơ", ["A", "B"]), "text": "Số hồ sơ tiếp nhận đạt tối thiểu 100"},
        {**_target("R4", "value", "<=", 30, "phút", ["A", "B"]), "text": "Thời gian chờ bình quân không quá 30 phút"},
        {**_target("R5", "value", ">=", 50, "lượt", ["A"]), "text": "Số lượt truy cập trong ngày cao điểm",
         "aggregation": "max"},
    ],
    "tasks": [],
}


report = functools.partial(tiny_report, plan="levels-2023")


def _build(doc=LEVELS):
    con = db.connect(backend.new_database())
    plan_store.save(con, validate.build_bundle(transcription.to_raw(doc)))
    return con


@pytest.fixture(scope="module")
def levels():
    con = _build()
    yield con
    con.close()


def rows(con, period):
    return engine.attainment(con, scope("levels-2023", period)).set_index("code")


def test_rules_and_directions_are_inferred_at_import(levels):
    stored = {code: (rule, way, flags) for code, rule, way, flags in levels.execute(
        "SELECT code, aggregation, direction, flags FROM target WHERE plan_id = 'levels-2023'").fetchall()}
    assert stored["R1"][:2] == ("latest", "lower")          # unit thứ hạng: a level, smaller is better
    assert stored["R2"][:2] == ("latest", "higher")         # "số đơn vị … tự bảo đảm": a stock
    assert "aggregation_review" in stored["R2"][2]           # inferred from words only: flagged for review
    assert stored["R3"][:2] == ("sum", "higher")            # a flow of dossiers, "≥"
    assert stored["R4"][:2] == ("mean", "lower")            # "bình quân", "≤"
    assert stored["R5"][:2] == ("max", "higher")            # as written in the workbook


def test_a_rank_is_the_latest_quarter_judged_against_the_same_quarters_baseline(levels):
    with scratch(levels) as con:
        report(con, "VPS", "2023-Q1", {"R1": (6, 7)})
        report(con, "VPS", "2023-Q2", {"R1": (22, 6)})
        report(con, "VPS", "2023-Q3", {"R1": (5, 22)})
        nine, half = rows(con, "2023-9M").loc["R1"], rows(con, "2023-H1").loc["R1"]
    # 9 tháng: the Q3 rank 5 against the Q3 baseline 22 (never 6 + 22 + 5 = 33): 5 < 22 is better, 1,0, met
    assert (nine["actual"], nine["baseline"], nine["attainment"], nine["status"]) == (5, 22, 1.0, "met")
    assert nine["latest_quarter"] == 3
    # 6 tháng: the Q2 rank 22 against 6: worse; attainment baseline / actual = 6 / 22 = 0,2727…
    assert (half["actual"], half["baseline"]) == (22, 6)
    assert half["attainment"] == pytest.approx(6 / 22)
    assert half["status"] == "below"


def test_a_stock_is_each_units_latest_figure_added_over_units(levels):
    with scratch(levels) as con:
        report(con, "A", "2023-Q1", {"R2": (3, 2)})
        report(con, "A", "2023-Q2", {"R2": (4, 3)})
        report(con, "B", "2023-Q1", {"R2": (2, 2)})   # B has nothing for Q2: its Q1 figure is its latest
        row = rows(con, "2023-H1").loc["R2"]
    # A's latest 4 + B's latest 2 = 6 units now (not 3 + 4 + 2 = 9); baselines 3 + 2 = 5; 6 > 5: met
    assert (row["actual"], row["baseline"], row["met"]) == (6, 5, True)
    assert row["latest_quarter"] == 2


def test_a_flow_adds_up_over_quarters_and_units(levels):
    with scratch(levels) as con:
        report(con, "A", "2023-Q1", {"R3": 30})
        report(con, "A", "2023-Q2", {"R3": 25})
        report(con, "B", "2023-Q2", {"R3": 40})
        row = rows(con, "2023-H1").loc["R3"]
    # 30 + 25 + 40 = 95 dossiers against ≥ 100: 95 / 100 = 0,95, "Gần đạt"
    assert row["actual"] == 95
    assert row["attainment"] == pytest.approx(0.95)
    assert row["status"] == "near"
    assert pd_isna(row["latest_quarter"])  # only a `latest` figure says which quarter it is


def test_a_mean_weights_each_report_by_its_quarters_and_averages_the_units(levels):
    with scratch(levels) as con:
        report(con, "A", "2023-H1", {"R4": 20})      # 6 months: 2 quarters at 20 minutes
        report(con, "A", "2023-Q3", {"R4": 35})      # 1 quarter at 35
        report(con, "B", "2023-Q1", {"R4": 40})
        row = rows(con, "2023-9M").loc["R4"]
    # A: (20 × 2 + 35 × 1) / 3 = 25; B: 40; units averaged: (25 + 40) / 2 = 32,5 minutes against ≤ 30:
    # attainment 30 / 32,5 = 0,923…, not met
    assert row["actual"] == pytest.approx(32.5)
    assert row["attainment"] == pytest.approx(30 / 32.5)
    assert not row["met"]


def test_max_takes_the_largest_quarter(levels):
    with scratch(levels) as con:
        for quarter, value in (("Q1", 30), ("Q2", 55), ("Q3", 41)):
            report(con, "A", f"2023-{quarter}", {"R5": value})
        row = rows(con, "2023-9M").loc["R5"]
    # max(30, 55, 41) = 55 ≥ 50: met
    assert row["actual"] == 55 and row["met"]


def pd_isna(value) -> bool:
    return bool(pd.isna(value))


quarter_values = st.lists(st.one_of(st.none(), st.integers(0, 500)), min_size=4, max_size=4)
CASES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@CASES
@given(a=quarter_values, b=quarter_values)
def test_latest_is_the_latest_reported_quarter_and_sum_the_sum_for_every_cumulative_period(levels, a, b):
    """The law of the issue: for every cumulative period, `latest` = each unit's latest reported quarter
    (added over units) and `sum` = the sum of every reported quarter. None = no report that quarter."""
    with scratch(levels) as con:
        for unit, values in (("A", a), ("B", b)):
            for quarter, value in enumerate(values, start=1):
                if value is not None:
                    report(con, unit, f"2023-Q{quarter}", {"R2": (value, None), "R3": value})
        for period, last in (("2023-Q1", 1), ("2023-H1", 2), ("2023-9M", 3), ("2023-Y", 4)):
            got = rows(con, period)
            latest = [next((v for v in reversed(values[:last]) if v is not None), None) for values in (a, b)]
            present = [v for v in latest if v is not None]
            expected_latest = sum(present) if present else None
            flows = [v for values in (a, b) for v in values[:last] if v is not None]
            expected_sum = sum(flows) if flows else None
            for code, expected in (("R2", expected_latest), ("R3", expected_sum)):
                actual = got.loc[code, "actual"]
                assert (pd_isna(actual) and expected is None) or actual == expected, (period, code, a, b)


def _rejected(changes: dict) -> set[str]:
    doc = copy.deepcopy(LEVELS)
    doc["targets"][0].update(changes)
    with pytest.raises(ImportRejected) as refused:
        validate.build_bundle(transcription.to_raw(doc))
    return {p.code for p in refused.value.problems}


def test_a_written_rule_or_direction_that_cannot_hold_is_refused_with_its_cell():
    assert "aggregation_unknown" in _rejected({"aggregation": "cộng"})
    assert "aggregation_kind_mismatch" in _rejected({"aggregation": "ratio"})      # a value is not a rate
    assert "direction_unknown" in _rejected({"direction": "up"})
    assert "direction_conflict" in _rejected({"comparator": ">=", "value": 3, "direction": "lower"})
