"""Vietnamese formatting, NFC, accent-free search, Vietnamese collation."""
import datetime as dt
import re
import unicodedata

import pytest

from kpi import db, text
from kpi.plans.values import parse_number


@pytest.mark.parametrize("rate, shown", [(0.965, "96,5%"), (1.0, "100,0%"), (10 / 110, "9,1%"), (None, "—")])
def test_percent_has_decimal_comma_and_no_space(rate, shown):
    assert text.format_percent(rate) == shown


@pytest.mark.parametrize("value, decimals, shown", [(1234, 0, "1.234"), (1234567.5, 1, "1.234.567,5"),
                                                    (-1500, 0, "-1.500"), (0, 0, "0")])
def test_number_has_thousands_dot(value, decimals, shown):
    assert text.format_number(value, decimals) == shown


def test_amount_drops_trailing_zeros_and_missing_is_a_dash():
    assert [text.format_amount(v) for v in (4015.0, 96.5, 100, None)] == ["4.015", "96,5", "100", "—"]


def test_dates_and_quarters_read_as_in_vietnam():
    assert text.format_date(dt.date(2023, 1, 5)) == "05/01/2023"
    assert text.format_quarter(2023, 3) == "Quý III/2023"


def test_clean_makes_nfc_and_drops_control_characters():
    decomposed = unicodedata.normalize("NFD", "Văn phòng Sở")
    assert text.clean(f"  {decomposed}\x0b\t ") == "Văn phòng Sở"
    assert unicodedata.is_normalized("NFC", text.clean(decomposed))


@pytest.mark.parametrize("typed, kept", [
    ("Ng\u200buyễn Văn A", "Nguyễn Văn A"),          # zero-width space inside a word: removed, not a space
    ("Văn phòng\u202e Sở", "Văn phòng Sở"),           # right-to-left override: removed
    ("\u2066Thanh tra\u2069", "Thanh tra"),            # isolates: removed
    ("\ufeffTổ chức", "Tổ chức"),                      # a byte-order mark pasted from a file
    ("Phòng\nKế hoạch\tTài chính", "Phòng Kế hoạch Tài chính"),  # line breaks and tabs: one space
], ids=["zero-width", "rtl-override", "isolates", "bom", "line-breaks"])
def test_clean_removes_invisible_and_direction_characters(typed, kept):
    assert text.clean(typed) == kept


def test_cli_free_text_is_cleaned_at_the_edge():
    from kpi.cli import _clean_text
    assert _clean_text(None, None, "Chánh\u200b Văn phòng\u202e") == "Chánh Văn phòng"
    assert _clean_text(None, None, None) is None


def test_search_key_ignores_case_and_accents():
    assert text.search_key("Đẩy mạnh VĂN PHÒNG Sở") == "day manh van phong so"


def test_duckdb_sorts_with_vietnamese_collation():
    con = db.connect(":memory:", migrate=False)
    names = ["Đà Nẵng", "Cà Mau", "An Giang", "Bắc Ninh", "Yên Bái"]
    ordered = [r[0] for r in con.execute(
        "SELECT x FROM (SELECT unnest(?) AS x) ORDER BY x COLLATE vi", [names]).fetchall()]
    assert ordered == ["An Giang", "Bắc Ninh", "Cà Mau", "Đà Nẵng", "Yên Bái"]
    assert sorted(names)[-1] == "Đà Nẵng"  # why Python's sorted() is never used for names


@pytest.mark.parametrize("typed, number", [("96,5%", 96.5), ("95.5%", 95.5), ("96,5", 96.5), ("1.234", 1234.0),
                                           ("1.234,5", 1234.5), (" 100 % ", 100.0), (0.955, 0.955), (70, 70.0)])
def test_numbers_typed_the_vietnamese_way_are_read(typed, number):
    assert parse_number(typed) == number


@pytest.mark.parametrize("typed", ["9O%", "tối thiêu 70", "≥95", "1,2,3a", "true"])
def test_text_in_a_number_cell_is_refused(typed):
    with pytest.raises(ValueError, match=f"^{re.escape(typed)}$"):  # the message is what was typed
        parse_number(typed)
