"""Hand-computed attainment, worked out before looking at the engine's output."""
import math

import pandas as pd
import pytest

from kpi import engine
from kpi.db.connection import transaction
from tests.engine.conftest import report
from tests.helpers import scope


def row(frame, code):
    return frame.set_index("code").loc[code]


def test_ratio_pools_numerators_and_denominators_across_units(tiny):
    """A: 9/10 on time, B: 1/100. The department's rate is 10/110 = 9,09%, not the mean 45,5%."""
    report(tiny, "A", "2023-Q1", {"T1": (9, 10)})
    report(tiny, "B", "2023-Q1", {"T1": (1, 100)})
    t1 = row(engine.attainment(tiny, scope("tiny-2023", "2023-Q1")), "T1")
    assert (t1["numerator"], t1["denominator"]) == (10, 110)
    assert t1["rate"] == pytest.approx(10 / 110)
    assert t1["attainment"] == pytest.approx((10 / 110) / 0.96)
    assert (t1["status"], t1["coverage"]) == ("below", 1.0)


def test_half_year_combines_the_quarters_the_same_way(tiny):
    """A reports Q1 9/10 and Q2 19/20: H1 is 28/30 = 93,3%. B sent nothing: coverage 2 of 4 quarters."""
    report(tiny, "A", "2023-Q1", {"T1": (9, 10)})
    report(tiny, "A", "2023-Q2", {"T1": (19, 20)})
    t1 = row(engine.attainment(tiny, scope("tiny-2023", "2023-H1")), "T1")
    assert t1["rate"] == pytest.approx(28 / 30)
    assert t1["coverage"] == pytest.approx(0.5)
    assert t1["status"] == "near"  # 0,933 / 0,96 = 0,972 ≥ 0,9


def test_a_cumulative_report_plus_the_next_quarter_makes_nine_months(tiny):
    """A sends a 6-month report 28/30 and a Q3 report 10/10: 9 months = 38/40 = 95%, nothing counted twice."""
    report(tiny, "A", "2023-Q1", {"T1": (9, 10)})
    report(tiny, "A", "2023-H1", {"T1": (28, 30)})
    report(tiny, "A", "2023-Q3", {"T1": (10, 10)})
    assert row(engine.attainment(tiny, scope("tiny-2023", "2023-9M")), "T1")["rate"] == pytest.approx(38 / 40)


def test_target_with_no_report_is_no_data_not_zero_and_not_met(tiny):
    t6 = row(engine.attainment(tiny, scope("tiny-2023", "2023-Q1")), "T6")
    assert t6["status"] == "no_data" and t6["status_label"] == "Chưa có số liệu"
    assert math.isnan(t6["attainment"]) and math.isnan(t6["actual"])
    # "met" is unknown (NA), neither True nor False: `not met is True` held for any value and could not fail
    assert t6["coverage"] == 0.0 and pd.isna(t6["met"])


def test_no_report_does_not_lower_the_area_attainment(tiny):
    """cong_vu holds T6 (no report) and T7 (A reports 12 ≥ 12: met). The area is 100%, coverage 1 of 2."""
    report(tiny, "A", "2023-Q1", {"T7": 12})
    area = row(engine.attainment(tiny, scope("tiny-2023", "2023-Q1"), by="area"), "cong_vu")
    assert area["target_attainment"] == pytest.approx(1.0)
    assert (area["targets"], area["targets_with_data"]) == (2, 1)
    assert area["coverage"] == pytest.approx(0.5)


@pytest.mark.parametrize("late, total, status, attainment", [
    (3, 100, "met", 1.0),          # 3% ≤ 5%: met; raw 0,05/0,03 = 1,67 is capped at 100% for display
    (8, 100, "below", 5 / 8),      # 8% > 5%: attainment 0,05/0,08 = 62,5%
    (0, 100, "met", 1.0),
])
def test_at_most_target(tiny, late, total, status, attainment):
    report(tiny, "A", "2023-Q1", {"T2": (late, total)})
    t2 = row(engine.attainment(tiny, scope("tiny-2023", "2023-Q1")), "T2")
    assert (t2["status"], t2["attainment"]) == (status, pytest.approx(attainment))


def test_over_achievement_shows_raw_but_counts_capped_in_roll_ups(tiny):
    """T2 at 1% (raw 5,0 = 500%) and T1 at 48/100 (0,5) in the same area: the area is (1,0 + 0,5)/2."""
    report(tiny, "A", "2023-Q1", {"T1": (48, 100), "T2": (1, 100)})
    targets = engine.attainment(tiny, scope("tiny-2023", "2023-Q1"))
    assert row(targets, "T2")["attainment_raw"] == pytest.approx(5.0)
    area = row(engine.attainment(tiny, scope("tiny-2023", "2023-Q1"), by="area"), "thu_tuc_hanh_chinh")
    assert area["target_attainment"] == pytest.approx((1.0 + 0.48 / 0.96) / 2)


@pytest.mark.parametrize("value, baseline, status, attainment", [
    (12, 10, "met", 1.0), (9, 10, "near", 0.9), (10, 10, "near", 1.0), (5, 10, "below", 0.5),
])
def test_directional_target_is_measured_against_the_previous_year(tiny, value, baseline, status, attainment):
    report(tiny, "A", "2023-Q1", {"T3": (value, baseline)})
    t3 = row(engine.attainment(tiny, scope("tiny-2023", "2023-Q1")), "T3")
    assert (t3["status"], t3["attainment"]) == (status, pytest.approx(attainment))


def test_directional_target_without_a_baseline_is_no_data(tiny):
    report(tiny, "A", "2023-Q1", {"T3": 12})
    assert row(engine.attainment(tiny, scope("tiny-2023", "2023-Q1")), "T3")["status"] == "no_data"


def test_yes_no_target_is_met_only_when_every_reporting_unit_is_done(tiny):
    report(tiny, "A", "2023-Q1", {"T4": True})
    report(tiny, "B", "2023-Q1", {"T4": False})
    t4 = row(engine.attainment(tiny, scope("tiny-2023", "2023-Q1")), "T4")
    assert (t4["actual"], t4["status"]) == (0.5, "below")


def test_conflict_target_is_measured_against_the_body_and_shows_the_appendix(tiny):
    """Body ≥ 90%, appendix ≥ 95%; rate 92/100 meets the body value; the appendix value rides along."""
    report(tiny, "A", "2023-Q1", {"T5": (92, 100)})
    t5 = row(engine.attainment(tiny, scope("tiny-2023", "2023-Q1")), "T5")
    assert (t5["target_value"], t5["other_value"], t5["status"]) == (90, 95, "met")
    with transaction(tiny):  # as every product write does (a plan imported again with the conflict settled)
        tiny.execute("UPDATE target_conflict SET status = 'resolved', resolved_value = 95 WHERE target_code = 'T5'")
    t5 = row(engine.attainment(tiny, scope("tiny-2023", "2023-Q1")), "T5")
    assert (t5["target_value"], t5["status"]) == (95, "near")
    assert math.isnan(t5["other_value"])
    assert t5["attainment"] == pytest.approx(0.92 / 0.95)


def test_additive_value_projects_linearly_to_year_end(tiny):
    """T7 ≥ 12 classes a year; A held 2 in Q1 and 4 in Q2: H1 = 6, projected 6 × 12/6 = 12: not at risk."""
    report(tiny, "A", "2023-Q1", {"T7": 2})
    report(tiny, "A", "2023-Q2", {"T7": 4})
    t7 = row(engine.attainment(tiny, scope("tiny-2023", "2023-H1")), "T7")
    assert (t7["actual"], t7["projected"], t7["at_risk"]) == (6, 12, False)
    assert t7["status"] == "below"  # half the year's classes so far: 6/12


def test_ratio_projection_is_the_year_to_date_rate(tiny):
    report(tiny, "A", "2023-Q1", {"T1": (90, 100)})
    report(tiny, "B", "2023-Q1", {"T1": (100, 100)})
    t1 = row(engine.attainment(tiny, scope("tiny-2023", "2023-Q1")), "T1")
    assert t1["projected"] == pytest.approx(0.95) and t1["at_risk"]


def tasks(con, period, as_of=None):
    return engine.attainment(con, scope("tiny-2023", period, as_of), by="task").set_index("code")


def test_recurring_task_is_assessed_in_every_period(tiny):
    """K1 "Thường xuyên": done in Q1; no Q2 report means no data for Q2, not done. An ongoing task is due at
    the year's end (31/12/2023), never at the end of a quarter."""
    report(tiny, "A", "2023-Q1", tasks={"K1": ("done", "2023-03-20")})
    assert tasks(tiny, "2023-Q1").loc["K1", "state"] == "done_on_time"
    q2 = tasks(tiny, "2023-Q2").loc["K1"]
    assert (q2["state"], str(q2["due"])[:10]) == ("no_data", "2023-12-31")


def test_ongoing_task_under_way_is_not_overdue_before_the_year_ends(tiny):
    """K1 "Thường xuyên" reported in progress for Q3: at the 9-month view (as of 30/09) it is on track, not
    "Quá hạn"; at the year's end, still in progress, it is overdue."""
    report(tiny, "A", "2023-Q3", tasks={"K1": ("in_progress", 60)})
    assert tasks(tiny, "2023-9M").loc["K1", "state"] == "on_track"
    report(tiny, "A", "2023-Q4", tasks={"K1": ("in_progress", 80)})
    assert tasks(tiny, "2023").loc["K1", "state"] == "overdue"


def test_task_finished_after_its_due_date_scores_half(tiny):
    """K2 due 31/03/2023, finished 15/04/2023: done late, score 0,5 (data/scoring.yaml)."""
    report(tiny, "A", "2023-Q2", tasks={"K2": ("done", "2023-04-15")})
    k2 = tasks(tiny, "2023-Q2").loc["K2"]
    assert (k2["state"], k2["score"]) == ("done_late", 0.5)


def test_task_states_at_the_as_of_date(tiny):
    """At 30/06/2023: K3 (due 30/06) done 10/06 on time; K4 (due 31/12) in progress, on track and not
    scored; K5 (due 31/03) still in progress: overdue, score 0."""
    report(tiny, "B", "2023-Q2", tasks={"K3": ("done", "2023-06-10"), "K4": ("in_progress", 40),
                                        "K5": ("in_progress", 80)})
    frame = tasks(tiny, "2023-Q2")
    assert frame.loc[["K3", "K4", "K5"], "state"].tolist() == ["done_on_time", "on_track", "overdue"]
    assert frame.loc["K3", "score"] == 1.0 and math.isnan(frame.loc["K4", "score"]) and frame.loc["K5", "score"] == 0
    assert not frame.loc["K4", "assessed"]


def test_as_of_date_moves_a_task_into_overdue(tiny):
    import datetime as dt
    report(tiny, "B", "2023-Q1", tasks={"K5": ("in_progress", 50)})
    assert tasks(tiny, "2023-Q1", as_of=dt.date(2023, 3, 15)).loc["K5", "state"] == "on_track"
    assert tasks(tiny, "2023-Q1").loc["K5", "state"] == "overdue"  # as of 31/03, its due date


def test_plan_roll_up_weights_targets_and_tasks_equally(tiny):
    """Q1: T1 A 96/100 (met, 1,0); K2 done 20/03 (1,0); K5 no report (no data). Plan attainment 1,0;
    coverage counts the missing task report and every unreported target."""
    report(tiny, "A", "2023-Q1", {"T1": (96, 100)}, tasks={"K2": ("done", "2023-03-20")})
    plan = row(engine.attainment(tiny, scope("tiny-2023", "2023-Q1"), by="plan"), "tiny-2023")
    assert plan["attainment"] == pytest.approx(1.0)
    assert (plan["targets_with_data"], plan["tasks_with_data"]) == (1, 1)
    assert plan["coverage"] < 0.5


def test_by_unit_rolls_up_each_units_own_reports(tiny):
    """A: T1 9/10 (0,9375 of 0,96). B: T1 1/100. Each unit is judged on its own figures."""
    report(tiny, "A", "2023-Q1", {"T1": (9, 10)})
    report(tiny, "B", "2023-Q1", {"T1": (1, 100)})
    units = engine.attainment(tiny, scope("tiny-2023", "2023-Q1"), by="unit").set_index("code")
    assert units.loc["A", "target_attainment"] == pytest.approx(0.9 / 0.96)
    assert units.loc["B", "target_attainment"] == pytest.approx(0.01 / 0.96)


def test_a_newer_submission_supersedes_the_older(tiny):
    report(tiny, "A", "2023-Q1", {"T1": (5, 10)})
    report(tiny, "A", "2023-Q1", {"T1": (10, 10)})
    assert row(engine.attainment(tiny, scope("tiny-2023", "2023-Q1")), "T1")["rate"] == 1.0
    assert tiny.execute("SELECT count(*) FROM submission WHERE status = 'superseded'").fetchone()[0] == 1


def test_period_outside_the_plan_year_is_refused(tiny):
    from kpi.problems import KpiError
    with pytest.raises(KpiError) as error:
        engine.attainment(tiny, scope("tiny-2023", "2022-Q1"))
    assert error.value.code == "period_outside_plan"
