"""Meeting snapshots on the tiny plan: frozen means frozen, and comparisons find planted changes.

The story (worked by hand; rules in docs/kpi.md):
- Quý I meeting, snapshot 1 (period 2023-Q1, as of 31/03/2023). Phòng A reports Q1: T1 90/100 = 90% (< 96%:
  not met), T2 3/100 = 3% (≤ 5%: met); task K2 (due Quý I) 50% under way, so overdue on 31/03; K1 (recurring)
  done on 20/03. Đơn vị B sends nothing.
- Quý II meeting, snapshot 2 (period 2023-H1, as of 05/07/2023). Phòng A reports Q2: T1 100/100, T2 17/100,
  K2 done on 10/04 (late), K1 done on 15/06; Đơn vị B reports Q2: T1 99/100, task K3 (due Quý II) 60% done.
  H1: T1 = (90 + 100 + 99) / (100 + 100 + 100) = 96,33% ≥ 96% → newly met;
      T2 = (3 + 17) / 200 = 10% > 5% → newly missed;
      K2 done late → newly completed; K3 is due 30/06 ≤ 05/07 and not done → newly overdue (it had no report
      on 31/03: "no data", never "overdue"); K5 (lead B) has no report at all → "no data" in both, not listed.
  Units that reported since: Phòng A (its Q2 report) and Đơn vị B (its Q2 report).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kpi.presentation import dashboard
from kpi.meetings import snapshots
from kpi.problems import KpiError
from tests.engine.conftest import build_tiny, report
from tests.helpers import database_before, scope

PLAN = "tiny-2023"


def _quarter_one(con):
    report(con, "A", "2023-Q1", {"T1": (90, 100), "T2": (3, 100)},
           {"K2": ("in_progress", 50), "K1": ("done", "2023-03-20")})


def _quarter_two(con):
    report(con, "A", "2023-Q2", {"T1": (100, 100), "T2": (17, 100)},
           {"K2": ("done", "2023-04-10"), "K1": ("done", "2023-06-15")})
    report(con, "B", "2023-Q2", {"T1": (99, 100)}, {"K3": ("in_progress", 60)})


@pytest.fixture
def meetings(tmp_path):
    con = build_tiny(tmp_path / "tiny.duckdb")
    _quarter_one(con)
    first = snapshots.create(con, scope(PLAN, "2023-Q1"), name="Họp Quý I", by="Văn phòng Sở", now=dt.datetime(2023, 4, 3, 9, 0))
    _quarter_two(con)
    second = snapshots.create(con, scope(PLAN, "2023-H1", dt.date(2023, 7, 5)), name="Họp Quý II", by="Văn phòng Sở", now=dt.datetime(2023, 7, 5, 9, 0))
    yield con, first, second
    con.close()


def test_comparison_finds_the_planted_changes(meetings):
    con, first, second = meetings
    change = snapshots.compare(con, first.id, second.id)
    assert list(change.targets_met["code"]) == ["T1"]
    assert list(change.targets_missed["code"]) == ["T2"]
    assert list(change.tasks_completed["code"]) == ["K2"]
    assert list(change.tasks_overdue["code"]) == ["K3"]
    assert sorted(change.reported_since["unit"]) == ["Phòng A", "Đơn vị B"]
    assert set(change.reported_since["period"]) == {"2023-Q2"}
    assert change.targets_met["attainment_before"].iloc[0] == pytest.approx(0.90 / 0.96)
    assert change.targets_met["attainment_after"].iloc[0] == pytest.approx(1.0)
    assert not change.empty


def test_snapshot_is_unchanged_after_new_uploads(meetings):
    con, _, second = meetings
    frozen = snapshots.load(con, second.id)
    before_rows = snapshots.submissions(con, second.id)
    # Đơn vị B corrects its Q2 report the day after the meeting: T1 drops to 50/100.
    report(con, "B", "2023-Q2", {"T1": (50, 100)})
    live = dashboard.overview(con, scope(PLAN, "2023-H1", dt.date(2023, 7, 5)))
    t1_live = live.levels["target"].set_index("code").loc["T1", "actual"]
    assert t1_live == pytest.approx((90 + 100 + 50) / 300)  # the correction counts now …
    again = snapshots.load(con, second.id)                  # … but not in what the meeting saw
    for name in ("by_area", "unit_area", "trend", "at_risk", "overdue", "freshness", "reporting"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(frozen, name))
    assert len(frozen.reporting) and frozen.due is not None  # «Tình hình báo cáo» is frozen too
    for level, frame in frozen.levels.items():
        pd.testing.assert_frame_equal(again.levels[level], frame)
    assert again.headline == frozen.headline and again.due == frozen.due
    assert again.levels["target"].set_index("code").loc["T1", "actual"] == pytest.approx(289 / 300)
    pd.testing.assert_frame_equal(snapshots.submissions(con, second.id), before_rows)
    # and comparing the snapshot with now names the correction
    change = snapshots.compare(con, second.id)
    assert list(change.targets_missed["code"]) == ["T1"]
    assert list(change.reported_since["unit"]) == ["Đơn vị B"]


def test_snapshot_survives_reopening_the_file(tmp_path):
    path = tmp_path / "reopen.duckdb"
    con = build_tiny(path)
    _quarter_one(con)
    shot = snapshots.create(con, scope(PLAN, "2023-Q1"), name="Họp Quý I", by="VP")
    frozen = snapshots.load(con, shot.id)
    con.close()
    con = build_tiny.__globals__["db"].connect(path)
    again = snapshots.load(con, shot.id)
    pd.testing.assert_frame_equal(again.levels["target"], frozen.levels["target"])
    assert again.as_of == dt.date(2023, 3, 31)
    con.close()


def test_snapshot_records_the_submissions_it_was_computed_from(meetings):
    con, first, second = meetings
    used = snapshots.submissions(con, second.id)
    # H1 is built from A's Q1 report plus its Q2 report, and B's Q2 report.
    assert sorted(zip(used["unit_code"], used["period"])) == [("A", "2023-Q1"), ("A", "2023-Q2"),
                                                               ("B", "2023-Q2")]
    assert list(snapshots.submissions(con, first.id)["unit_code"]) == ["A"]


def test_previous_is_the_last_meeting(meetings):
    con, first, second = meetings
    assert snapshots.previous(con, second.id).id == first.id
    assert snapshots.previous(con, first.id) is None
    assert [s.id for s in snapshots.list_snapshots(con, PLAN)] == [second.id, first.id]


def test_delete_removes_only_that_snapshot(meetings):
    con, first, second = meetings
    snapshots.delete(con, first.id)
    for table, key in (("snapshot", "id"), ("snapshot_frame", "snapshot_id"), ("snapshot_submission", "snapshot_id")):
        assert con.execute(f"SELECT count(*) FROM {table} WHERE {key} = ?", [first.id]).fetchone()[0] == 0
        assert con.execute(f"SELECT count(*) FROM {table} WHERE {key} = ?", [second.id]).fetchone()[0] > 0
    with pytest.raises(KpiError) as raised:
        snapshots.get(con, first.id)
    assert raised.value.code == "snapshot_unknown"


@pytest.mark.parametrize("name, by, code", [("  ", "VP", "snapshot_name_missing"),
                                            ("Họp", "", "snapshot_by_missing"),
                                            ("x" * 201, "VP", "snapshot_text_too_long")])
def test_refused_snapshot_writes_nothing(tiny, name, by, code):
    with pytest.raises(KpiError) as raised:
        snapshots.create(tiny, scope(PLAN, "2023-Q1"), name=name, by=by)
    assert raised.value.code == code
    assert tiny.execute("SELECT count(*) FROM snapshot").fetchone()[0] == 0


def test_snapshot_of_a_period_without_reports_shows_missing_not_zero(tiny):
    shot = snapshots.create(tiny, scope(PLAN, "2023-Q1"), name="Chưa ai nộp", by="VP")
    view = snapshots.load(tiny, shot.id)
    assert view.headline["attainment"] is None
    assert not view.has_reports
    assert view.levels["target"]["attainment"].isna().all()


# ---------------------------------------------------------------------------------------------------
# Snapshot numbers are never given again (issue 14, item 7): minutes and exported files cite «ảnh chụp số 2».

def test_the_deleted_highest_number_is_not_given_again(meetings):
    con, first, second = meetings
    assert (first.id, second.id) == (1, 2)
    snapshots.delete(con, second.id)   # the highest: max(id) + 1 would hand out 2 again
    third = snapshots.create(con, scope(PLAN, "2023-Q1"), name="Họp bổ sung", by="VP")
    assert third.id == 3
    snapshots.delete(con, first.id)
    snapshots.delete(con, third.id)    # none left at all
    assert snapshots.create(con, scope(PLAN, "2023-Q1"), name="Họp lại", by="VP").id == 4


def test_numbers_stay_retired_after_reopening_the_file(tmp_path):
    path = tmp_path / "numbers.duckdb"
    con = build_tiny(path)
    made = [snapshots.create(con, scope(PLAN, "2023-Q1"), name=f"Họp {i}", by="VP").id for i in (1, 2, 3)]
    assert made == [1, 2, 3]
    snapshots.delete(con, 3)
    con.close()
    con = build_tiny.__globals__["db"].connect(path)
    try:
        assert snapshots.create(con, scope(PLAN, "2023-Q1"), name="Họp 4", by="VP").id == 4
        assert [s.id for s in snapshots.list_snapshots(con, PLAN)] == [4, 2, 1]
    finally:
        con.close()


def test_a_database_from_before_the_counter_continues_after_its_highest_number(tmp_path):
    """A file made before migration 10 holds snapshots 2 and 7 (1, 3-6 deleted under the old code): the next
    number is 8. Whether a number above 7 was once given and deleted cannot be known from the file."""
    from kpi.db import schema
    from kpi.db import snapshots as stored
    con = database_before(tmp_path / "old.duckdb", 5)   # migration 5 made the snapshot table
    try:
        for old_id in (2, 7):
            con.execute("INSERT INTO snapshot VALUES (?, 'p', '2023-Q1', DATE '2023-03-31', 'Họp', NULL, 'VP', "
                        "TIMESTAMP '2023-04-01 09:00', false, '{}')", [old_id])
        assert schema.migrate(con) == schema.LATEST_VERSION
        new_id = stored.insert_snapshot(
            con, plan_id="p", period_code="2023-Q1", as_of=dt.date(2023, 3, 31), name="Họp", note=None,
            created_by="VP", created_at=dt.datetime(2023, 7, 1, 9, 0), illustrative=False, summary="{}",
            frames={"by_area": b"PAR1"}, submissions=[])
        assert new_id == 8
    finally:
        con.close()


# ---------------------------------------------------------------------------------------------------
# Why a row changed when its figures read the same (issue 14, item 7: "100,0% → 100,0%" with no reason).

def _two_meetings(con, period: str, as_of: dt.date, between) -> snapshots.Comparison:
    """Snapshot, `between(con)`, snapshot again; the comparison of the two."""
    first = snapshots.create(con, scope(PLAN, period, as_of), name="Họp 1", by="VP", now=dt.datetime(2023, 7, 1, 9))
    between(con)
    second = snapshots.create(con, scope(PLAN, period, as_of), name="Họp 2", by="VP", now=dt.datetime(2023, 7, 2, 9))
    return snapshots.compare(con, first.id, second.id)


def test_a_coverage_only_change_says_so_and_unchanged_rows_are_left_out(tiny):
    """Period 2023-H1. Đơn vị C alone reports T6 (≥ 50%, area «công vụ»), Quý I: 60/100 = 60% → Đạt, attainment
    capped at 100%. Then its Quý II report, 60/100 again: H1 = 120/200 = 60%, still 100%, still Đạt.
    Only coverage moves. Coverage counts units whose reports cover the whole period (kpi/engine/attainment.py):
    area «công vụ» expects C (T6) and A (T7); before, C has Q1 only of H1's two quarters: 0/2 = 0%, below the
    50% minimum (data/scoring.yaml) → «Chưa đủ số liệu»; after, C covers H1: 1/2 = 50%, not below → Đạt. Unit C
    expects itself: 0/1 = 0% → 1/1 = 100%, the same two statuses. No other area or unit changes at all, and
    no target changes status."""
    report(tiny, "C", "2023-Q1", {"T6": (60, 100)})
    change = _two_meetings(tiny, "2023-H1", dt.date(2023, 6, 30),
                           lambda con: report(con, "C", "2023-Q2", {"T6": (60, 100)}))
    assert list(change.areas["name"]) == ["Cải cách chế độ công vụ"]
    area = change.areas.iloc[0]
    assert (area["attainment_before"], area["attainment_after"], area["change"]) == (1.0, 1.0, 0.0)
    assert area["reason"] == "Đánh giá: Chưa đủ số liệu → Đạt; Đơn vị đã báo cáo: 0% → 50%"
    assert list(change.units["name"]) == ["Đơn vị C"]
    assert change.units["reason"].iloc[0] == "Đánh giá: Chưa đủ số liệu → Đạt; Đơn vị đã báo cáo: 0% → 100%"
    assert change.targets_met.empty and change.targets_missed.empty
    assert not change.empty


def test_a_status_change_below_the_display_precision_is_explained(tiny):
    """Period 2023-Q1. Phòng A reports T1 (≥ 96%) as 95.999/100.000 = 95,999%: attainment 0,95999/0,96 =
    99,99896% → shown «100,0%», but not Đạt (Gần đạt). Its corrected report, 96/100 = 96% → attainment 100%,
    Đạt, also shown «100,0%». The result reads «96,0%» both times and coverage is 1 of 2 reporters (A, B)
    both times, so the only reason is the hidden decimals: 99,999% → 100,000% (the first 3 decimals at
    which they differ). Area «thủ tục hành chính» and Phòng A have only T1 with data (K2, K5 are due
    but unreported: no data), so they move the same way, from Gần đạt to Đạt."""
    report(tiny, "A", "2023-Q1", {"T1": (95_999, 100_000)})
    change = _two_meetings(tiny, "2023-Q1", dt.date(2023, 3, 31),
                           lambda con: report(con, "A", "2023-Q1", {"T1": (96, 100)}))
    assert list(change.targets_met["code"]) == ["T1"]
    met = change.targets_met.iloc[0]
    assert (met["status_before"], met["status_after"]) == ("near", "met")
    assert met["attainment_before"] == pytest.approx(0.95999 / 0.96)
    assert met["reason"] == "Mức đạt đổi ít hơn 0,1 điểm % (không thấy khi làm tròn): 99,999% → 100,000%"
    assert list(change.areas["name"]) == ["Cải cách thủ tục hành chính"]
    assert change.areas["reason"].iloc[0] == ("Đánh giá: Gần đạt → Đạt; Mức đạt đổi ít hơn 0,1 điểm % "
                                              "(không thấy khi làm tròn): 99,999% → 100,000%")
    assert list(change.units["name"]) == ["Phòng A"]


def test_a_capped_attainment_with_a_new_result_names_the_result(tiny):
    """T3 «tăng so với năm trước» (value): Phòng A reports 12 against 10 last year → Đạt, attainment 120%
    capped at 100%. The correction says 10 against 10 → 100%, not an increase → Gần đạt (docs/kpi.md,
    Ví dụ 4). Both read «100,0%»; the result 12 → 10 is the reason."""
    report(tiny, "A", "2023-Q1", {"T3": (12, 10)})
    change = _two_meetings(tiny, "2023-Q1", dt.date(2023, 3, 31),
                           lambda con: report(con, "A", "2023-Q1", {"T3": (10, 10)}))
    assert list(change.targets_missed["code"]) == ["T3"]
    assert change.targets_missed["reason"].iloc[0] == "Kết quả đổi: 12 → 10"


def test_nothing_new_is_no_change(tiny):
    report(tiny, "A", "2023-Q1", {"T1": (90, 100)})
    change = _two_meetings(tiny, "2023-Q1", dt.date(2023, 3, 31), lambda con: None)
    assert change.areas.empty and change.units.empty and change.empty
