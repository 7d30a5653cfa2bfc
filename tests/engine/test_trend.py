"""A trend point is what that period shows: the point for period P equals the headline a person sees
selecting P, whatever period is selected now — on all five bundled plans with the illustrative reports.

Before, every point took the selected view's as-of date: Sở Công Thương 2021's Quý I point read 84,8% with
"9 tháng" selected and 82,1% with "Năm 2021" selected."""
from __future__ import annotations


import pytest

from kpi import db
from tests import backend
from kpi.periods import periods_of_year, trend_sequence
from kpi.presentation import dashboard
from kpi.scope import Scope


@pytest.fixture(scope="module")
def demo_con(demo_db_file, tmp_path_factory):
    con = db.connect(backend.copy_database(demo_db_file, tmp_path_factory.mktemp("trend"), "demo.duckdb"))
    yield con
    con.close()


def plans(con) -> list[tuple[str, int]]:
    return con.execute("SELECT id, year FROM plan ORDER BY id").fetchall()


def test_every_trend_point_equals_the_headline_of_its_own_period(demo_con):
    headline, trends = {}, {}  # (plan, period code) -> what selecting that period shows (as of its end)
    for plan_id, year in plans(demo_con):
        for period in periods_of_year(year):
            view = dashboard.overview(demo_con, Scope(plan_id, period, period.end))  # the sidebar's default
            headline[(plan_id, period.code)] = view.headline["attainment"]
            trends[(plan_id, period.code)] = view.trend.set_index("period")
    checked = 0
    for (plan_id, code), points in trends.items():
        assert points["selected"].sum() == 1 and points.loc[code, "selected"]
        for point_code, point in points.iterrows():
            expected = headline[(plan_id, point_code)]
            assert point["attainment"] == pytest.approx(expected, nan_ok=True), (plan_id, code, point_code)
            checked += 1
    # per plan: Quý I 1 point, Quý II 2, 6 tháng 2, Quý III 3, 9 tháng 3, Quý IV 4, Năm 4 = 19; five plans
    assert checked == 5 * 19


def test_a_quarter_shows_the_quarters_and_a_cumulative_period_the_cumulative_trend(demo_con):
    plan_id, year = "sct-2021", 2021
    quarter = next(p for p in periods_of_year(year) if p.code == "2021-Q3")
    nine = next(p for p in periods_of_year(year) if p.code == "2021-9M")
    assert list(dashboard.overview(demo_con, Scope(plan_id, quarter, quarter.end)).trend["period"]) == \
        ["2021-Q1", "2021-Q2", "2021-Q3"]
    assert list(dashboard.overview(demo_con, Scope(plan_id, nine, nine.end)).trend["period"]) == \
        ["2021-Q1", "2021-H1", "2021-9M"]


def test_an_earlier_as_of_date_is_kept_by_the_points_it_falls_in(demo_con):
    """Viewing 9 tháng as of 15/05/2021: the Quý I point is Quý I as of its own end (15/05 is later), the
    6-month and 9-month points are as of 15/05 (earlier than their ends)."""
    import datetime as dt
    nine = next(p for p in periods_of_year(2021) if p.code == "2021-9M")
    scope = Scope("sct-2021", nine, dt.date(2021, 5, 15))
    assert [s.as_of for s in (scope.at(p) for p in trend_sequence(nine))] == \
        [None, dt.date(2021, 5, 15), dt.date(2021, 5, 15)]
