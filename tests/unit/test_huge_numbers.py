"""A cell holding an integer of hundreds of digits (found by `make fuzz`: a plan workbook's target value
`<v>999…9</v>` read by openpyxl as a Python int) is refused as a number nobody meant, never an OverflowError."""
import pytest

from kpi.excel.upload import read_count, read_number
from kpi.plans.values import parse_number

HUGE = 10 ** 400


@pytest.mark.parametrize("value", [HUGE, -HUGE, 10 ** 16], ids=["400-digits", "negative-400-digits", "10^16"])
def test_plan_workbook_number_refuses_huge_integers(value):
    with pytest.raises(ValueError):
        parse_number(value)


def test_report_cells_refuse_huge_integers_by_code():
    assert read_number(HUGE) == (None, "number_not_finite")
    assert read_count(HUGE) == (None, "number_not_finite")
    assert read_count(1234) == (1234.0, None)  # an ordinary count still reads
