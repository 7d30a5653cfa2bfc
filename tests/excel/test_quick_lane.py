"""The law of the upload's quick lane: it changes nothing but time.

Most rows of a real report are a ratio target of the row's own unit with two whole numbers; the check
takes those the short way (kpi.excel.upload._quick_ratio_rows) and every other row the long way. For any
rows at all, the problems found (in order, with sheet, row, column, value and message) and the figures
kept must be exactly those of the long way alone.
"""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi.excel import upload
from kpi.excel.template import ALL_UNITS, FIRST_DATA_ROW
from kpi.periods import parse_period

PLAN, PERIOD = "syt-thanh-hoa-2021", "2021-Q2"
KEYS = {"unit": 0, "code": 1, "numerator": 2, "denominator": 3, "value": 4, "done": 5, "baseline": 6,
        "note": 7, "evidence": 8}
NOW = dt.datetime(2021, 7, 10, 9, 0)


@pytest.fixture
def contexts(seeded_db):
    period = parse_period(PERIOD)
    every_unit = upload._Context(seeded_db, PLAN, period, ALL_UNITS, NOW)
    reporters = sorted(every_unit.target_reporters)
    one_unit = upload._Context(seeded_db, PLAN, period, reporters[0][0], NOW)
    for ctx in (every_unit, one_unit):  # last period's rates for every other pair: rate jumps can arise
        ctx.previous_rates = {pair: 0.2 for pair in reporters[::2]}
    return every_unit, one_unit, reporters


def _outcome(ctx, rows: list[list], quick: bool, monkeypatch) -> tuple[list, dict]:
    if not quick:
        monkeypatch.setattr(upload, "_quick_ratio_rows", lambda *args: None)
    problems: list = []
    sheet = upload._Sheet("Chỉ tiêu", [[None] * 9] * (FIRST_DATA_ROW - 1) + [list(r) for r in rows], KEYS,
                          problems)
    checked = upload.CheckedUpload("x.xlsx", "0" * 64, 1)
    upload._check_targets(ctx, sheet, ("numerator", "denominator", "value", "done", "baseline", "note",
                                       "evidence"), checked)
    monkeypatch.undo()
    return [p.as_row() for p in problems], {u: r.figures for u, r in checked.units.items()}


WHOLE = st.integers(min_value=0, max_value=200).map(float)  # what most cells hold: weighted up below
NUMBERS = st.one_of(WHOLE, WHOLE, WHOLE, st.none(), st.just(""),
                    st.sampled_from([0.0, -0.0, 1.0, 95.0, 100.0, 100.0000001, 12.5, -5.0, 1e12]),
                    st.floats(min_value=-10, max_value=200, allow_nan=False).map(lambda x: float(round(x))),
                    st.sampled_from(["95", "1.234", "1,234", "khoảng 95", " 7 ", "-", True]))
TEXTS = st.one_of(st.none(), st.just(""), st.sampled_from(["ổn", "Hồ sơ trễ", "  hai  khoảng  ", "-",
                                                           "Ho\u0300a", "https://x.vn/a", "javascript:x", "x" * 2001]))


@st.composite
def report_rows(draw, reporters):
    units = sorted({u for u, _ in reporters}) + ["KHAC", "", None, " VPS "]
    codes = sorted({c for _, c in reporters}) + ["CT99", " CT01", None]
    # Weighted towards what real rows are (the plan's own pairs, a short clean note, no link), so that rows
    # of the quick lane with every kind of ending are drawn often, beside the odd ones.
    plan_pair = st.sampled_from(reporters)
    pairs = st.one_of(plan_pair, plan_pair, plan_pair, st.tuples(st.sampled_from(units), st.sampled_from(codes)))
    notes = st.one_of(st.sampled_from(["ổn", "Hồ sơ trễ do mất điện"]), TEXTS)
    links = st.one_of(st.none(), st.none(), TEXTS)
    rows = []
    for _ in range(draw(st.integers(min_value=1, max_value=25))):
        unit, code = draw(pairs)
        row = [unit, code, draw(NUMBERS), draw(NUMBERS), draw(NUMBERS), draw(st.sampled_from([None, "Có", "x"])),
               draw(NUMBERS), draw(notes), draw(links)]
        if draw(st.booleans()) and rows:
            row[:2] = rows[-1][:2]  # a duplicate of the row above
        rows.append(row if draw(st.integers(0, 9)) else row[:draw(st.integers(0, 8))])  # short rows too
    return rows


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_quick_lane_gives_exactly_what_the_long_way_gives(contexts, monkeypatch, data):
    every_unit, one_unit, reporters = contexts
    ctx = data.draw(st.sampled_from([every_unit, one_unit]))
    rows = data.draw(report_rows(reporters))
    assert _outcome(ctx, rows, True, monkeypatch) == _outcome(ctx, rows, False, monkeypatch)


def test_the_quick_lane_takes_the_common_row(contexts, monkeypatch):
    """Not a vacuous law: plain rows with a note do go the quick way (the long way is never asked for
    them), and still get exactly the long way's answer — including the rate-jump warnings of the pairs that
    had a rate last period (20% then 90%)."""
    every_unit, _, reporters = contexts
    ratio_pairs = [(u, c) for u, c in reporters if every_unit.targets[c][0] == "ratio"
                   and every_unit.targets[c][1] not in ("increase", "decrease")]
    rows = [[u, c, 9.0, 10.0, None, None, None, "ổn", None] for u, c in ratio_pairs[:6]]
    long_way = _outcome(every_unit, rows, False, monkeypatch)
    monkeypatch.setattr(upload, "_rows_to_check", _quick_only)
    quick_way = _outcome(every_unit, rows, True, monkeypatch)
    assert quick_way == long_way
    problems, figures = quick_way
    jumped = {pair for pair in ratio_pairs[:6] if pair in every_unit.previous_rates}
    assert jumped and [p["code"] for p in problems] == ["rate_jump"] * len(jumped)
    assert sum(len(f) for f in figures.values()) == len(rows)
    assert all(f.numerator == 9.0 and f.denominator == 10.0 and f.note == "ổn"
               for by_code in figures.values() for f in by_code.values())


def _quick_only(ctx, sheet, inputs, known, reporters, what, quick=None):
    seen: dict = {}
    for index, row in enumerate(sheet.rows[FIRST_DATA_ROW - 1:], start=FIRST_DATA_ROW):
        assert quick(index, row, seen), f"row {index} went the long way"
    return iter(())
