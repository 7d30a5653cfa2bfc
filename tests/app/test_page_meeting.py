"""AppTest of "Báo cáo họp": create a snapshot, see it frozen after a correction, compare, export, delete."""
from __future__ import annotations

import datetime as dt

from kpi import db
from kpi.cycle import demo
from kpi.meetings import snapshots
from kpi.cycle.submissions import Submission, TargetFigure, TaskReport
from kpi.periods import parse_period
from tests.app.conftest import SMALL_PLAN, build_small, frame_with, open_app
from tests.helpers import recorded, scope

PLAN = "syt-dong-nai-2023"
PARAMS = dict(org="syt-dong-nai", year="2023", period="2023-Q3")


def _with_demo(path):
    con = db.connect(path)
    demo.load(con)
    con.close()


def _open(monkeypatch, path, **extra):
    return open_app(monkeypatch, path, "pages/meeting.py", **PARAMS, **extra)


def test_without_snapshots_the_page_says_how_to_make_one(monkeypatch, seeded_db_path):
    at = _open(monkeypatch, seeded_db_path)
    assert at.title[0].value == "Báo cáo họp"
    assert any("chưa có ảnh chụp" in info.value for info in at.info)
    assert at.text_input[0].value == "Họp giao ban Quý III/2023"


def test_creating_a_snapshot_needs_a_name_and_who(monkeypatch, seeded_db_path):
    _with_demo(seeded_db_path)
    at = _open(monkeypatch, seeded_db_path)
    at.button[0].click().run()  # form submit with the "who" field empty
    assert "Chưa ghi người tạo" in at.error[0].value
    con = db.connect(seeded_db_path)
    assert con.execute("SELECT count(*) FROM snapshot").fetchone()[0] == 0
    con.close()


def test_snapshot_made_on_the_page_stays_as_it_was(monkeypatch, tmp_path):
    """tests/app/conftest.py SMALL, Quý I/2023. At the snapshot the plan is (CT01 0,98958 + CT02 1 + CT03 0,75 +
    NV01 1 + NV02 0) / 5 = 74,8%. Đơn vị B then corrects CT01 from 50/50 to 25/50: CT01 (45 + 25) / 100 = 70%,
    70/96 = 0,72917, so the plan is now (0,72917 + 1 + 0,75 + 1 + 0) / 5 = 3,47917 / 5 = 69,6%."""
    path = build_small(tmp_path / "small.duckdb")
    small = dict(org="nho", year="2023", period="2023-Q1")
    at = open_app(monkeypatch, path, "pages/meeting.py", **small)
    at.text_input[1].input("Nguyễn Văn A, Văn phòng Sở")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert "Đã tạo ảnh chụp" in at.success[0].value
    con = db.connect(path)
    recorded(con, Submission(SMALL_PLAN, "B", parse_period("2023-Q1"), (
        TargetFigure("CT01", numerator=25, denominator=50), TargetFigure("CT03", value=9)),
        (TaskReport("NV02", "in_progress", 40),), submitted_by="Sửa sau họp"))  # the whole report again
    con.close()
    live = {m.label: m.value for m in open_app(monkeypatch, path, **small).metric}
    assert live["Mức đạt chung · Chưa đạt"] == "69,6%"  # the correction is real …
    at = open_app(monkeypatch, path, "pages/meeting.py", **small)
    metrics = {m.label: m.value for m in at.metric}
    label = next(k for k in metrics if k.startswith("Mức đạt chung"))
    assert metrics[label] == "74,8%"  # … but the snapshot shows what the meeting saw
    assert "ẢNH CHỤP" in at.info[0].value
    # the comparison with now names the correction
    assert any("Đơn vị đã nộp báo cáo từ lần trước** (1)" in m.value for m in at.markdown)


def test_compare_and_delete(monkeypatch, seeded_db_path):
    _with_demo(seeded_db_path)
    con = db.connect(seeded_db_path)
    first = snapshots.create(con, scope(PLAN, "2023-Q2"), name="Họp Quý II", by="VP", now=dt.datetime(2023, 7, 10))
    second = snapshots.create(con, scope(PLAN, "2023-Q3"), name="Họp Quý III", by="VP", now=dt.datetime(2023, 10, 10))
    con.close()
    at = _open(monkeypatch, seeded_db_path)
    assert at.selectbox(key="meeting_snapshot").value == second.id  # newest first
    assert at.selectbox(key="meeting_against").value == first.id    # compared with the last meeting
    assert any(f"«Họp Quý II» (số {first.id}" in c.value for c in at.caption)
    at.checkbox(key=f"meeting_delete_sure_{second.id}").check().run()
    at.button(key="meeting_delete").click().run()
    assert not at.exception, at.exception
    con = db.connect(seeded_db_path)
    assert [s.id for s in snapshots.list_snapshots(con, PLAN)] == [first.id]
    con.close()


def test_export_buttons_make_files(monkeypatch, seeded_db_path):
    _with_demo(seeded_db_path)
    con = db.connect(seeded_db_path)
    shot = snapshots.create(con, scope(PLAN, "2023-Q3"), name="Họp Quý III", by="VP")
    con.close()
    at = _open(monkeypatch, seeded_db_path)
    at.button(key="make_xlsx").click().run()
    assert not at.exception, at.exception
    made = at.session_state["meeting_exports"]
    (name, data), = made.values()
    assert name == f"bao-cao-cchc_{PLAN}_2023-Q3_anh-chup-{shot.id}.xlsx"
    assert data[:2] == b"PK"


def test_a_snapshot_has_no_links_into_todays_figures(monkeypatch, seeded_db_path):
    """Drill-down pages show current figures; from a frozen view they would silently leave the snapshot."""
    _with_demo(seeded_db_path)
    con = db.connect(seeded_db_path)
    snapshots.create(con, scope(PLAN, "2023-Q3"), name="Họp Quý III", by="VP")
    con.close()
    at = _open(monkeypatch, seeded_db_path)
    assert not at.exception
    assert all("link" not in frame.value.columns for frame in at.dataframe)
    live = open_app(monkeypatch, seeded_db_path, **PARAMS)  # the live overview keeps its links
    assert any("link" in frame.value.columns for frame in live.dataframe)


def test_the_comparison_says_why_a_target_changed_when_its_figures_read_the_same(monkeypatch, tmp_path):
    """tests/app/conftest.py SMALL, Quý I/2023. Đơn vị B first reports CT01 as 95.954/99.950, so CT01 is
    (45 + 95.954) / (50 + 99.950) = 95.999/100.000 = 95,999%; 0,95999/0,96 = 99,99896% → shown «100,0%»,
    Gần đạt. The snapshot is taken. B corrects CT01 to 99/100: (45 + 99) / 150 = 144/150 = 96% → 100%, Đạt,
    also «100,0%». Coverage stays 100% (A and B reported). The page lists CT01 as newly met with the hidden
    decimals as the reason. Areas: thủ tục hành chính (0,99999 + 1 + 0) / 3 → (1 + 1 + 0) / 3 reads 66,7% both
    times and stays Chưa đạt; unit B's own CT01 is 95.954/99.950 ≥ 96% → Đạt both times: neither is listed."""
    path = build_small(tmp_path / "small.duckdb")
    con = db.connect(path)

    def report_b(numerator, denominator):   # B's whole report again, only CT01 differs
        recorded(con, Submission(SMALL_PLAN, "B", parse_period("2023-Q1"), (
            TargetFigure("CT01", numerator=numerator, denominator=denominator), TargetFigure("CT03", value=9)),
            (TaskReport("NV02", "in_progress", 40),), submitted_by="Đơn vị B"))

    report_b(95_954, 99_950)
    snapshots.create(con, scope(SMALL_PLAN, "2023-Q1"), name="Họp Quý I", by="VP", now=dt.datetime(2023, 4, 5, 9))
    report_b(99, 100)
    con.close()
    at = open_app(monkeypatch, path, "pages/meeting.py", org="nho", year="2023", period="2023-Q1")
    assert at.selectbox(key="meeting_against").value == 0   # no earlier snapshot: compared with now
    counts = [m.value for m in at.markdown if m.value.startswith("**")]
    assert "**Chỉ tiêu mới đạt** (1)" in counts
    assert "**Thay đổi theo lĩnh vực** (0)" in counts and "**Thay đổi theo đơn vị** (0)" in counts
    met = frame_with(at, "reason")
    assert list(met["code"]) == ["CT01"]
    assert (met["attainment_before"].iloc[0], met["attainment_after"].iloc[0]) == ("100,0%", "100,0%")
    assert list(met["reason"]) == ["Mức đạt đổi ít hơn 0,1 điểm % (không thấy khi làm tròn): 99,999% → 100,000%"]
