"""Deadline wording from the seeds and docs/domain.md, with due dates worked out by hand."""
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi.plans.deadlines import parse_deadline, quarter_end

D = dt.date


@pytest.mark.parametrize("wording, kind, due", [
    ("Thường xuyên", "recurring", None),
    ("Cả năm", "year", dt.date(2021, 12, 31)),
    ("Hằng quý", "periodic", None),
    ("Hàng tháng", "periodic", None),
    ("Định kỳ", "recurring", None),
    ("Thường xuyên theo Kế hoạch đào tạo, bồi dưỡng", "recurring", None),
    ("Trong năm", "year", D(2021, 12, 31)),
    ("Năm 2021", "year", D(2021, 12, 31)),
    ("ngay trong năm", "year", D(2021, 12, 31)),
    ("Quý I/2021", "quarter", D(2021, 3, 31)),
    ("Quý I", "quarter", D(2021, 3, 31)),
    ("Quý III", "quarter", D(2021, 9, 30)),
    ("Trong quý II/2023", "quarter", D(2023, 6, 30)),
    ("Quý I năm 2022", "quarter", D(2022, 3, 31)),
    ("Quý II, III/2021", "quarter_list", D(2021, 9, 30)),
    ("Quý III/ Quý IV", "quarter_list", D(2021, 12, 31)),
    ("Tháng 01/2022", "month", D(2022, 1, 31)),
    ("Tháng 12/2021", "month", D(2021, 12, 31)),
    ("Tháng 02/2024", "month", D(2024, 2, 29)),
    ("6 tháng đầu năm", "half", D(2021, 6, 30)),
    ("Trước ngày 15/02/2023", "before_date", D(2023, 2, 15)),
    ("Trước 01/06/2023", "before_date", D(2023, 6, 1)),
    ("Trước ngày 05/12/2021", "before_date", D(2021, 12, 5)),
    ("Trước 30/11", "before_date", D(2021, 11, 30)),
    ("Trước 5/12", "before_date", D(2021, 12, 5)),
    ("Trước 15/01", "before_date", D(2022, 1, 15)),
    ("Chậm nhất sau 05 ngày làm việc kể từ ngày nhận được Công văn", "event", None),
    ("Sau 03 ngày làm việc kể từ khi nhận được Quyết định công bố", "event", None),
    ("Khi có hướng dẫn của Bộ ngành TW", "event", None),
    ("Theo tiến độ phê duyệt", "external", None),
    ("Theo hướng dẫn Trung ương", "external", None),
    ("Theo chỉ đạo của UBND tỉnh; Bộ CT", "external", None),
    ("Theo thời hạn đã đăng ký với UBND tỉnh", "external", None),
    ("", "none", None),
    (None, "none", None),
], ids=lambda v: str(v))
def test_deadline_wording_gives_kind_and_due(wording, kind, due):
    parsed = parse_deadline(wording, 2021)
    assert (parsed.kind, parsed.due) == (kind, due)


def test_deadline_keeps_original_wording():
    assert parse_deadline("  Quý III/ Quý IV ", 2021).text == "Quý III/ Quý IV"


def test_deadline_compound_has_milestones_and_is_due_at_the_last():
    parsed = parse_deadline("- Kế hoạch (Quý I); - Báo cáo (Trước 30/11)", 2021)
    assert parsed.kind == "compound"
    assert [(m.label, m.due) for m in parsed.milestones] == [("Kế hoạch", D(2021, 3, 31)),
                                                              ("Báo cáo", D(2021, 11, 30))]
    assert parsed.due == D(2021, 11, 30)


def test_deadline_report_schedule_of_seed_003_is_four_milestones():
    parsed = parse_deadline("Báo cáo quý I, trước ngày 10/3; 6 tháng đầu năm, trước ngày 10/6; "
                            "quý III, trước ngày 10/9; báo cáo năm, trước ngày 5/12).", 2021)
    assert [m.due for m in parsed.milestones] == [D(2021, 3, 10), D(2021, 6, 10), D(2021, 9, 10), D(2021, 12, 5)]


def test_deadline_without_year_is_flagged_as_inferred():
    assert "year_inferred" in parse_deadline("Trước 30/11", 2021).flags


@pytest.mark.parametrize("wording", ["trong các năm tiếp theo", "Trước 31/02", "xyz", "Quý V/2021"])
def test_deadline_unknown_wording_is_kept_and_flagged(wording):
    parsed = parse_deadline(wording, 2021)
    assert (parsed.kind, parsed.due, parsed.text) == ("unknown", None, wording)
    assert "deadline_unparsed" in parsed.flags


@given(st.text(max_size=80), st.integers(1990, 2100))
def test_deadline_parser_never_raises(wording, year):
    parsed = parse_deadline(wording, year)
    assert parsed.kind


@given(st.integers(2000, 2099), st.integers(1, 4), st.sampled_from(["Quý {q}/{y}", "Trong quý {q}/{y}",
                                                                     "Quý {q} năm {y}"]))
def test_quarter_due_date_is_the_last_day_of_that_quarter(year, quarter, pattern):
    roman = {1: "I", 2: "II", 3: "III", 4: "IV"}[quarter]
    due = parse_deadline(pattern.format(q=roman, y=year), 2000).due
    assert due == quarter_end(year, quarter)
    assert (due + dt.timedelta(days=1)).day == 1 and (due + dt.timedelta(days=1)).month in (1, 4, 7, 10)


@given(st.integers(2000, 2099), st.dates(dt.date(2000, 1, 1), dt.date(2000, 12, 31)),
       st.sampled_from(["Trước {d}/{m}", "Trước ngày {d}/{m}", "Tháng {m}", "Quý {q}", "Trong năm"]))
def test_dates_without_a_year_lie_in_the_plan_year_or_the_next(plan_year, day, pattern):
    roman = {1: "I", 2: "II", 3: "III", 4: "IV"}[(day.month - 1) // 3 + 1]
    wording = pattern.format(d=f"{day.day:02d}", m=f"{day.month:02d}", q=roman)
    due = parse_deadline(wording, plan_year).due
    assert due is not None and due.year in (plan_year, plan_year + 1)
