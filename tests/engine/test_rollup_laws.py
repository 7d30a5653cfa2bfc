"""Laws the attainment engine must obey, checked on many generated reports (hypothesis)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi import engine
from tests.engine.conftest import build_tiny, report, scratch
from tests.helpers import scope

CASES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def base():
    con = build_tiny()
    yield con
    con.close()


def t1(con, period="2023-Q1"):
    return engine.attainment(con, scope("tiny-2023", period)).set_index("code").loc["T1"]


def t1_after(base, *reports, period="2023-Q1"):
    """T1's row for the period once the reports (unit, period, figures) are written; rolled back after."""
    with scratch(base) as con:
        for unit, reported, figures in reports:
            report(con, unit, reported, figures)
        return t1(con, period)


counts = st.tuples(st.integers(0, 5_000), st.integers(1, 5_000)).map(lambda p: (min(p), p[1]))


@CASES
@given(q1=counts, q2=counts)
def test_splitting_a_units_figures_across_quarters_changes_nothing(base, q1, q2):
    """One 6-month report (n1+n2)/(d1+d2) equals two quarter reports n1/d1 and n2/d2."""
    split = t1_after(base, ("A", "2023-Q1", {"T1": q1}), ("A", "2023-Q2", {"T1": q2}), period="2023-H1")
    whole = t1_after(base, ("A", "2023-H1", {"T1": (q1[0] + q2[0], q1[1] + q2[1])}), period="2023-H1")
    assert split["rate"] == pytest.approx(whole["rate"])
    assert split["attainment"] == pytest.approx(whole["attainment"])


@CASES
@given(a=counts, b=counts)
def test_combined_rate_lies_between_the_unit_rates(base, a, b):
    rate = t1_after(base, ("A", "2023-Q1", {"T1": a}), ("B", "2023-Q1", {"T1": b}))["rate"]
    rates = [a[0] / a[1], b[0] / b[1]]
    assert min(rates) - 1e-12 <= rate <= max(rates) + 1e-12


@CASES
@given(a=counts, extra=st.integers(0, 1_000))
def test_attainment_never_decreases_when_an_at_least_targets_actual_rises(base, a, extra):
    numerator, denominator = a
    better = (min(numerator + extra, denominator), denominator)
    before = t1_after(base, ("A", "2023-Q1", {"T1": a}))["attainment"]
    after = t1_after(base, ("A", "2023-Q1", {"T1": better}))["attainment"]
    assert after >= before - 1e-12


@CASES
@given(a=counts, b=counts, order=st.permutations(["A", "B"]))
def test_results_do_not_depend_on_the_order_of_reports(base, a, b, order):
    figures = {"A": a, "B": b}
    with scratch(base) as con:
        for unit in order:
            report(con, unit, "2023-Q1", {"T1": figures[unit]})
        shuffled = engine.attainment(con, scope("tiny-2023", "2023-Q1"), by="area").set_index("code")
    with scratch(base) as con:
        for unit in ("A", "B"):
            report(con, unit, "2023-Q1", {"T1": figures[unit]})
        ordered = engine.attainment(con, scope("tiny-2023", "2023-Q1"), by="area").set_index("code")
    assert shuffled["attainment"].equals(ordered["attainment"])


@CASES
@given(a=counts)
def test_a_unit_with_no_report_lowers_coverage_not_attainment(base, a):
    with scratch(base) as con:
        con.execute("DELETE FROM target_unit WHERE target_code = 'T1' AND unit_code = 'B'")
        report(con, "A", "2023-Q1", {"T1": a})
        alone = t1(con)
    with_silent_unit = t1_after(base, ("A", "2023-Q1", {"T1": a}))  # B is expected too, and silent
    assert with_silent_unit["attainment"] == pytest.approx(alone["attainment"])
    assert with_silent_unit["coverage"] < alone["coverage"]
