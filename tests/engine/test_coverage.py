"""One coverage rule (kpi/engine/attainment.py `_unit_coverage_sql`): units whose reports cover every quarter of
the period ÷ units expected, the same on the plan, an area, a unit, a target and the freshness table; a
roll-up below data/scoring.yaml min_coverage (0,5) is «Chưa đủ số liệu» (kpi/rules/status.py).

Tiny plan (tests/engine/conftest.py): units answerable A (T1–T5, T7, K1, K2), B (T1, T4, K3–K5), C (T6).
Period 2023-H1 (two quarters), as of 30/06/2023. A sends its 6-month report, B only Quý II, C Quý I and Quý II.
"""
import datetime as dt

import pytest

from kpi import engine, text
from kpi.presentation import dashboard
from kpi.rules import status
from tests.engine.conftest import report
from tests.helpers import scope

H1 = scope("tiny-2023", "2023-H1", dt.date(2023, 6, 30))


@pytest.fixture
def reported(tiny):
    report(tiny, "A", "2023-H1", {"T1": (90, 100), "T7": 12})
    report(tiny, "B", "2023-Q2", {"T1": (50, 50)})
    report(tiny, "C", "2023-Q1", {"T6": (60, 100)})
    report(tiny, "C", "2023-Q2", {"T6": (60, 100)})
    return tiny


def test_every_level_counts_the_units_whose_reports_cover_the_period(reported):
    levels = engine.overview(reported, H1)
    plan = levels["plan"].iloc[0]
    # A covers H1 (one 6-month report), C covers it (Q1 + Q2), B has Q2 only: 2 of 3 units = 66,7%
    assert (plan["units_reported"], plan["units_expected"]) == (2, 3)
    assert plan["coverage"] == pytest.approx(2 / 3)
    areas = levels["area"].set_index("area_code")
    # «thủ tục hành chính»: T1 (A, B), T2 (A), K1–K5 (A, B): 1 of 2 = 50%, not below the minimum
    assert areas.loc["thu_tuc_hanh_chinh", ["units_reported", "units_expected"]].tolist() == [1, 2]
    assert areas.loc["thu_tuc_hanh_chinh", "status"] != "insufficient"
    # «công vụ»: T6 (C), T7 (A): both covered, 2 of 2
    assert areas.loc["cong_vu", ["units_reported", "units_expected"]].tolist() == [2, 2]
    # «tổ chức bộ máy»: T4 (A, B): 1 of 2
    assert areas.loc["to_chuc_bo_may", ["units_reported", "units_expected"]].tolist() == [1, 2]
    units = levels["unit"].set_index("unit_code")
    # Đơn vị B: 0 of 1, whatever its figures say (T1 50/50 = 100%): «Chưa đủ số liệu», no verdict
    assert units.loc["B", "coverage"] == 0
    assert units.loc["B", "status"] == "insufficient"
    assert units.loc["B", "status_label"] == "Chưa đủ số liệu"
    assert units.loc["A", "coverage"] == 1
    # T1's reporters A and B: A covers, B does not: 1 of 2 = 50%
    t1 = levels["target"].set_index("code").loc["T1"]
    assert (t1["covered"], t1["expected"], t1["coverage"]) == (1, 2, 0.5)


def test_the_overview_headline_and_the_freshness_table_say_the_same(reported):
    view = dashboard.overview(reported, H1)
    assert (view.headline["units_reported"], view.headline["units_expected"]) == (2, 3)
    states = dict(zip(view.freshness["unit"], view.freshness["state"]))
    assert states == {"Phòng A": text.FRESHNESS["reported"], "Đơn vị B": text.FRESHNESS["partial"],
                      "Đơn vị C": text.FRESHNESS["reported"]}
    # "2/3 (67%)" under «Đơn vị đã báo cáo»: the count and the share are one figure
    assert text.format_coverage(2, 3, view.headline["coverage"]) == "2/3 (67%)"


@pytest.mark.parametrize("attainment, coverage, expected", [
    (0.97, 0.49, "insufficient"),   # 49% < 50%: no verdict, whatever the attainment
    (0.97, 0.50, "near"),           # exactly 50% is enough: 0,97 ≥ 0,9 → Gần đạt
    (1.0, None, "met"),             # coverage unknown: judged on attainment alone
    (None, 0.2, "no_data"),         # no figure at all stays «Chưa có số liệu»
])
def test_the_insufficient_band(attainment, coverage, expected):
    assert status.rollup_status(attainment, coverage) == expected
