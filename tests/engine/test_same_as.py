"""A target that restates another (`same_as`) is the same measure: its own row computes, roll-ups count it once.

Plan "restated-2023" (organisation "tiny", units of tests/engine/conftest.py), one area (thủ tục hành chính):
  S1 ratio ≥ 90% (A)                 the measure as first stated
  S2 ratio ≥ 90% (A), same_as S1     the plan states it again (Đồng Nai 2023 CT28 = CT13)
Figures worked out by hand in the comments.
"""
from __future__ import annotations

import copy
import functools

import pandas as pd
import pytest

from kpi import db, engine
from tests import backend
from kpi.db import plan_store
from kpi.plans import transcription, validate
from kpi.presentation import dashboard
from kpi.problems import ImportRejected
from tests.engine.conftest import UNITS, _target, report as tiny_report
from tests.helpers import scope

RESTATED = {
    "plan": {"id": "restated-2023", "year": 2023, "number": "3/KH-TEST", "source_file": None},
    "organisation": {"id": "tiny", "name": "Sở Thử Nghiệm"},
    "units": UNITS,
    "areas": [],
    "targets": [
        _target("S1", "ratio", ">=", 90, "%", ["A"]),
        _target("S2", "ratio", ">=", 90, "%", ["A"], same_as="S1"),
    ],
    "tasks": [],
}

report = functools.partial(tiny_report, plan="restated-2023")


@pytest.fixture(scope="module")
def restated():
    con = db.connect(backend.new_database())
    plan_store.save(con, validate.build_bundle(transcription.to_raw(RESTATED)))
    # Both with data, different figures, so counting S2 would show: S1 36/50 = 0,72 -> attainment 0,72/0,90 = 0,8
    # (below); S2 45/50 = 0,90 -> attainment 1,0 (met). Counted twice the area would read (0,8 + 1,0)/2 = 0,9.
    report(con, "A", "2023-Q1", {"S1": (36, 50), "S2": (45, 50)})
    yield con
    con.close()


def test_the_restating_target_keeps_its_own_row_and_link(restated):
    rows = engine.attainment(restated, scope("restated-2023", "2023-Q1")).set_index("code")
    assert rows.loc["S2", "same_as"] == "S1" and pd.isna(rows.loc["S1", "same_as"])
    assert rows.loc["S1", "attainment"] == pytest.approx(0.8)      # 0,72 / 0,90
    assert rows.loc["S2", "attainment"] == pytest.approx(1.0)      # 0,90 / 0,90: its own row still computes
    assert rows.loc["S2", "status"] == "met"


@pytest.mark.parametrize("level, key", [("area", "thu_tuc_hanh_chinh"), ("plan", "restated-2023"), ("unit", "A")])
def test_roll_ups_count_the_measure_once(restated, level, key):
    row = engine.attainment(restated, scope("restated-2023", "2023-Q1"), by=level).set_index("code").loc[key]
    # Only S1 is counted: 1 target, 1 with data, 0 met; attainment S1's 0,8, not (0,8 + 1,0)/2 = 0,9.
    assert (row["targets"], row["targets_with_data"], row["targets_met"]) == (1, 1, 0)
    assert row["attainment"] == pytest.approx(0.8)
    assert row["coverage"] == pytest.approx(1.0)                   # S1's one quarter of one, S2's left out


def test_overview_counts_the_measure_once_too(restated):
    view = dashboard.overview(restated, scope("restated-2023", "2023-Q1"))
    assert view.levels["area"].set_index("code").loc["thu_tuc_hanh_chinh", "targets"] == 1
    assert view.levels["plan"]["attainment"].iloc[0] == pytest.approx(0.8)
    assert (view.headline["targets"], view.headline["targets_with_data"], view.headline["targets_met"]) == (1, 1, 0)
    assert len(view.levels["target"]) == 2                          # both rows still shown


def _rejected(targets: list[dict]) -> list[tuple[str, tuple]]:
    doc = copy.deepcopy(RESTATED)
    doc["targets"] = targets
    with pytest.raises(ImportRejected) as refused:
        validate.build_bundle(transcription.to_raw(doc))
    return [(p.code, p.rows) for p in refused.value.problems]


def test_same_as_naming_no_target_is_refused():
    assert _rejected([_target("S1", "ratio", ">=", 90, "%", ["A"]),
                      _target("S2", "ratio", ">=", 90, "%", ["A"], same_as="S9")]) == [("same_as_unknown", (2,))]


def test_same_as_pointing_at_itself_or_at_another_restatement_is_refused():
    assert _rejected([_target("S1", "ratio", ">=", 90, "%", ["A"], same_as="S1")]) == [("same_as_chain", (1,))]
    # S3 -> S2 -> S1: S3 must name S1, the target counted in its place.
    assert _rejected([_target("S1", "ratio", ">=", 90, "%", ["A"]),
                      _target("S2", "ratio", ">=", 90, "%", ["A"], same_as="S1"),
                      _target("S3", "ratio", ">=", 90, "%", ["A"], same_as="S2")]) == [("same_as_chain", (3,))]


def test_the_refusal_names_the_column_and_says_what_to_write():
    doc = copy.deepcopy(RESTATED)
    doc["targets"][1]["same_as"] = "S2"
    with pytest.raises(ImportRejected) as refused:
        validate.build_bundle(transcription.to_raw(doc))
    problem = refused.value.problems[0]
    assert problem.column_label == "Trùng với chỉ tiêu"
    assert "S2" in problem.message and "chỉ tiêu gốc" in problem.hint
