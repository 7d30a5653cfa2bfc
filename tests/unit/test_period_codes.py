"""Period codes as people type them on the command line: a wrong one is refused with codes they can copy."""
import pytest

from kpi.periods import parse_period
from kpi.problems import KpiError


@pytest.mark.parametrize("code, year, key", [("2021-Q3", 2021, "Q3"), ("2022-9m", 2022, "9M"),
                                             (" 2023-H1 ", 2023, "H1"), ("2024", 2024, "Y")])
def test_period_code_is_read(code, year, key):
    period = parse_period(code)
    assert (period.year, period.kind.key) == (year, key)


def test_wrong_code_lists_the_codes_of_the_year_typed():
    # «6M» is no period of the regime (the half-year is H1): the hint lists 2021's codes in the order of the
    # year, quarters before the cumulative period that ends with them, not another year's.
    with pytest.raises(KpiError) as refused:
        parse_period("2021-6M")
    text = f"{refused.value.message} {refused.value.hint}"
    assert "«2021-6M» không hợp lệ" in text
    assert "2021-Q1, 2021-Q2, 2021-H1, 2021-Q3, 2021-9M, 2021-Q4, 2021." in text
    assert "2023" not in text


def test_wrong_code_without_a_year_still_gets_an_example():
    with pytest.raises(KpiError) as refused:
        parse_period("quý 3")
    assert "2023-Q1, 2023-Q2, 2023-H1" in f"{refused.value.message} {refused.value.hint}"
