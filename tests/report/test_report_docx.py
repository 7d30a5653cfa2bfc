"""The periodic report read back with python-docx: the NĐ 30 heading, the outline's sections, the appendix's
figures against `python -m kpi attainment --format json`, missing data said, placeholders highlighted, NFC,
the same snapshot giving the same document."""
from __future__ import annotations

import datetime as dt
import json
import unicodedata

import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Mm

from kpi import db, text
from kpi.cycle.submissions import Submission, TargetFigure
from kpi.meetings import snapshots
from kpi.periods import parse_period
from kpi.report import build
from kpi.report.content import gather
from kpi.report.to_docx import Writer
from tests.app.conftest import SMALL_PLAN
from tests.report.conftest import (COMMENT, EXPLANATION, NOW, OUTLINE, Q1, data_rows, full_text, number, open_docx,
                                   paragraphs, report_of, table_with)
from tests.helpers import recorded, scope
from tests.test_cli import kpi

LARGEST = "syt-dong-nai-2023"
O = OUTLINE


def test_heading_is_laid_out_as_nd_30(small):
    document = open_docx(build(small, scope=Q1, now=NOW))
    section = document.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)   # A4
    # the decree's margins, in millimetres (outline.yaml page.margins_mm)
    assert [round(m / Mm(1)) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                       section.right_margin)] == [20, 20, 30, 15]
    assert document.styles["Normal"].font.name == "Times New Roman"
    heading = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    left, right = heading[0]
    # Sở Nhỏ has no parent body in the data: the place for it is a highlighted placeholder
    assert left.startswith("CƠ QUAN CHỦ QUẢN\nSỞ NHỎ")
    assert right.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    number_cell, place = heading[1]
    assert number_cell == "Số: ……/BC-NHO"                       # the plan is 7/KH-NHO: the agency's symbol NHO
    # NOW is 01:30 UTC on 05/04/2023 = 08:30 in Việt Nam; the province is not known: «Địa danh» to write
    assert place == "Địa danh, ngày 05 tháng 04 năm 2023"
    shown = paragraphs(document)
    title = shown.index("BÁO CÁO")
    assert shown[title + 1] == "Kết quả thực hiện công tác cải cách hành chính quý I năm 2023"
    highlighted = _highlighted(document)
    assert "CƠ QUAN CHỦ QUẢN" in highlighted and "Địa danh" in highlighted and "……" in highlighted


def test_heading_of_a_bundled_plan_names_its_parent_place_and_signer(demo):
    document = open_docx(build(demo, scope=scope(LARGEST, "2023-H1"), now=dt.datetime(2023, 7, 4, 20, 0)))
    heading = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert heading[0][0].startswith("UBND TỈNH ĐỒNG NAI\nSỞ Y TẾ ĐỒNG NAI")
    assert heading[1] == ["Số: ……/BC-SYT", "Đồng Nai, ngày 05 tháng 07 năm 2023"]   # 20:00 UTC 04/07 = 03:00 05/07
    text_ = full_text(document)
    assert "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2023" in text_
    assert "Thực hiện Kế hoạch số 311/KH-SYT ngày 19/01/2023 của Sở Y tế Đồng Nai" in text_
    signature = [cell.text for cell in document.tables[1].rows[0].cells]
    assert signature[0].startswith("Nơi nhận:\n- UBND tỉnh Đồng Nai (b/c);")
    assert signature[1].startswith("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n(Ký, ghi rõ họ tên, đóng dấu)")
    assert signature[1].endswith("Lê Quang Trung")


def test_one_section_per_area_in_the_dashboards_order(demo_path):
    """Section II holds every area of the plan but the steering one (reported in I), numbered in the order the
    dashboard lists areas; the steering area's targets appear in I, before II's title."""
    shown = paragraphs(open_docx(report_of(demo_path, scope=scope(LARGEST, "2023-H1"))))
    areas = json.loads(kpi("attainment", "--plan", LARGEST, "--period", "2023-H1", "--by", "area", "--format", "json",
                           db_path=demo_path).stdout)
    steering = [a for a in areas if a["code"] == "chi_dao_dieu_hanh"]
    others = [a["name"] for a in areas if a["code"] != "chi_dao_dieu_hanh"]
    first, second, third = (shown.index(O.text(f"sections.{key}.title")) for key in ("steering", "areas", "assessment"))
    titles = [p for p in shown[second:third] if any(p == f"{n}. {name}" for n, name in enumerate(others, 1))]
    assert titles == [f"{n}. {name}" for n, name in enumerate(others, 1)]
    assert len(steering) == 1 and any(p.startswith("- CT35.") for p in shown[first:second])
    assert not any(p.startswith("- CT35.") for p in shown[second:third])


@pytest.mark.parametrize("period", ["2023-H1", "2023-9M"])
def test_appendix_figures_equal_the_attainment_command(demo_path, period):
    """Every target and task of the plan is in the appendix, each figure equal to `attainment --format json`
    for the same scope (parsed back from the Vietnamese cell, within the half-unit of its last digit)."""
    path = demo_path
    document = open_docx(report_of(demo_path, scope=scope(LARGEST, period)))
    targets = json.loads(kpi("attainment", "--plan", LARGEST, "--period", period, "--by", "target", "--format",
                             "json", db_path=path).stdout)
    tasks = json.loads(kpi("attainment", "--plan", LARGEST, "--period", period, "--by", "task", "--format", "json",
                           db_path=path).stdout)
    shown = {row[1]: row for row in data_rows(table_with(document, O.raw("appendix.target_columns")))}
    assert sorted(shown) == sorted(t["code"] for t in targets)          # every target, once
    ct01 = next(t for t in targets if t["code"] == "CT01")
    # By hand from the JSON's own counts: a ratio is Σ numerators ÷ Σ denominators, e.g. in 6 tháng
    # 161/174 = 0,92529 → "92,5%"; its target is ≥ 100%, so attainment = 0,92529/1 → "92,5%" too.
    rate = ct01["numerator"] / ct01["denominator"]
    assert shown["CT01"][4] == shown["CT01"][5] == f"{round(rate * 100, 1):.1f}%".replace(".", ",")
    for target in targets:
        _, _, _, goal, actual, attainment, status, coverage = shown[target["code"]]
        assert status == target["status_label"]
        assert _close(number(attainment), target["attainment"]), target["code"]
        assert _close(number(coverage), target["coverage"], 0.005), target["code"]
        assert _close(number(actual), target["actual"], 0.0005 if target["kind"] == "ratio" else 0.00005)
        if target["comparator"] not in ("increase", "decrease", "done"):
            assert _close(number(goal) * (100 if goal.endswith("%") else 1), target["target_value"], 1e-9)
    listed = {row[1]: row for row in data_rows(table_with(document, O.raw("appendix.task_columns")))}
    assert sorted(listed) == sorted(t["code"] for t in tasks)            # every task, once
    for task in tasks:
        _, _, _, _, deadline, state, _ = listed[task["code"]]
        assert state == task["status_label"]
        if task["due"]:  # the JSON moment on Việt Nam's clock; the cell writes its day
            assert text.format_date(dt.date.fromisoformat(task["due"][:10])) in deadline


def _close(shown, expected, tolerance=0.0005) -> bool:
    if expected is None:
        return shown is None
    return shown is not None and abs(shown - expected) <= tolerance + 1e-12


def test_small_plan_figures_worked_by_hand(small):
    """tests/app/conftest.py SMALL, Quý I/2023: CT01 (45 + 50)/(50 + 50) = 95,0%, 95/96 = 98,96% → 99,0%, Gần
    đạt; CT03 9 of 12 lớp = 75,0%, Chưa đạt; NV02 40% at 31/03 past its Quý I deadline: Quá hạn; the plan
    (0,98958 + 1 + 0,75 + 1 + 0)/5 = 74,8%."""
    document = open_docx(build(small, scope=Q1, now=NOW))
    rows = {row[1]: row for row in data_rows(table_with(document, O.raw("appendix.target_columns")))}
    assert rows["CT01"][3:] == ["≥ 96%", "95,0%", "99,0%", "Gần đạt", "100%"]
    assert rows["CT03"][3:] == ["≥ 12 lớp", "9", "75,0%", "Chưa đạt", "100%"]
    tasks = {row[1]: row for row in data_rows(table_with(document, O.raw("appendix.task_columns")))}
    assert tasks["NV02"][3:6] == ["Đơn vị B", "Quý I/2023 (31/03/2023)", "Quá hạn"]
    text_ = full_text(document)
    assert "Mức độ thực hiện kế hoạch chung 74,8% (Chưa đạt): 1/3 chỉ tiêu đạt, 1/2 nhiệm vụ hoàn thành" in text_
    # the unit's explanation under its area and as the reason in III; the office's comment under its area
    assert f"- Đơn vị B (CT01): {EXPLANATION}" in text_
    assert f"Lý do đơn vị nêu: Đơn vị B: {EXPLANATION}" in text_
    assert COMMENT in text_
    assert "Quá hạn: NV02. Nhiệm vụ NV02 (chủ trì: Đơn vị B; thời hạn: Quý I/2023 (31/03/2023))." in text_


def test_a_missing_figure_says_whose_it_is(small):
    """Quý II/2023: only Phòng A reports (CT01 40/50, CT02 1/100). CT01 is reported by A and B: its figure is
    A's 40/50 = 80,0%, and the draft says B's is missing; CT03 is B's alone: no figure at all."""
    recorded(small, Submission(SMALL_PLAN, "A", parse_period("2023-Q2"), (
        TargetFigure("CT01", numerator=40, denominator=50), TargetFigure("CT02", numerator=1, denominator=100)), (),
        submitted_by="Phòng A"))
    document = open_docx(build(small, scope=scope(SMALL_PLAN, "2023-Q2"), now=NOW))
    text_ = full_text(document)
    assert "thực hiện 80,0%" in text_ and "Chưa có số liệu của Đơn vị B." in text_
    assert "- CT03. Chỉ tiêu CT03: chưa có số liệu của chỉ tiêu CT03 (Đơn vị B)." in text_
    assert "Chưa có số liệu của Đơn vị B (chưa gửi báo cáo kỳ này)." in text_
    rows = {row[1]: row for row in data_rows(table_with(document, O.raw("appendix.target_columns")))}
    assert rows["CT03"][4:7] == [text.MISSING, text.MISSING, "Chưa có số liệu"]


def test_a_period_nobody_reported_names_every_missing_target_and_unit(small):
    """Quý IV/2023: no report at all. Every target says whose figure is missing; the tasks keep the state their
    Quý I reports gave them (NV02 still overdue), as the dashboard shows."""
    document = open_docx(build(small, scope=scope(SMALL_PLAN, "2023-Q4"), now=NOW))
    text_ = full_text(document)
    assert "- CT01. Chỉ tiêu CT01: chưa có số liệu của chỉ tiêu CT01 (Phòng A, Đơn vị B)." in text_
    assert "- CT02. Chỉ tiêu CT02: chưa có số liệu của chỉ tiêu CT02 (Phòng A)." in text_
    assert "Chưa có số liệu của Đơn vị B, Phòng A (chưa gửi báo cáo kỳ này)." in text_
    assert "Thực hiện Kế hoạch số 7/KH-NHO của Sở Nhỏ về cải cách hành chính năm 2023" in text_  # no title stored


def test_placeholders_are_highlighted_and_section_v_is_left_to_the_office(small):
    document = open_docx(build(small, scope=Q1, now=NOW))
    highlighted = _highlighted(document)
    for key in ("sections.steering.placeholder", "sections.proposals.placeholder",
                "sections.assessment.strengths_placeholder", "sections.next.placeholder", "area.comment_missing"):
        assert O.text(key) in highlighted, key
    assert COMMENT not in highlighted and EXPLANATION not in highlighted   # the data is not a placeholder
    shown = paragraphs(document)
    proposals = shown.index(O.text("sections.proposals.title"))
    assert shown[proposals + 1] == O.text("sections.proposals.placeholder")


def _highlighted(document) -> str:
    runs = [run for p in document.paragraphs for run in p.runs] + [
        run for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs
        for run in p.runs]
    return "".join(run.text for run in runs if run.font.highlight_color == WD_COLOR_INDEX.YELLOW)


def test_every_text_is_nfc(demo):
    document = open_docx(build(demo, scope=scope(LARGEST, "2023-9M"), now=NOW))
    shown = full_text(document)
    assert shown == unicodedata.normalize("NFC", shown)
    assert "Độc lập - Tự do - Hạnh phúc" in shown     # composed letters, as written
    assert all(value == unicodedata.normalize("NFC", value) for value in (
        document.core_properties.title, document.core_properties.author))


def test_the_same_snapshot_twice_gives_the_same_document(demo):
    """Bytes equal for the same moment; at another moment only the lines naming the moment differ."""
    info = snapshots.create(demo, scope(LARGEST, "2023-Q3"), name="Họp giao ban Quý III/2023", by="Trần Thị B",
                            now=dt.datetime(2023, 10, 12, 1, 30))
    first = build(demo, snapshot_id=info.id, now=NOW)
    assert build(demo, snapshot_id=info.id, now=NOW) == first
    later = paragraphs(open_docx(build(demo, snapshot_id=info.id, now=NOW + dt.timedelta(days=3, hours=2))))
    earlier = paragraphs(open_docx(first))
    changed = [(a, b) for a, b in zip(earlier, later) if a != b]
    assert len(earlier) == len(later) and len(changed) == 2      # the date line and the draft note
    assert "ngày 05 tháng 04 năm 2023" in changed[0][0] and "ngày 08 tháng 04 năm 2023" in changed[0][1]
    assert "«Họp giao ban Quý III/2023»" in changed[1][0]        # the note names the snapshot
    props = open_docx(first).core_properties
    assert props.created == props.modified == dt.datetime(2023, 10, 12, 1, 30, tzinfo=dt.timezone.utc)  # the snapshot's


def test_snapshot_report_keeps_the_frozen_figures(small):
    """A correction after the snapshot (CT01 B 50/50 -> 25/50) does not reach the snapshot's report: CT01 stays
    95,0%; the live report shows (45 + 25)/100 = 70,0%."""
    info = snapshots.create(small, Q1, name="Họp Quý I", by="Văn phòng", now=dt.datetime(2023, 4, 5, 1, 0))
    recorded(small, Submission(SMALL_PLAN, "B", parse_period("2023-Q1"), (
        TargetFigure("CT01", numerator=25, denominator=50), TargetFigure("CT03", value=9)), (),
        submitted_by="Sửa sau họp"))
    frozen = {r[1]: r for r in data_rows(table_with(open_docx(build(small, snapshot_id=info.id, now=NOW)),
                                                    O.raw("appendix.target_columns")))}
    live = {r[1]: r for r in data_rows(table_with(open_docx(build(small, scope=Q1, now=NOW)),
                                                  O.raw("appendix.target_columns")))}
    assert (frozen["CT01"][4], live["CT01"][4]) == ("95,0%", "70,0%")


def test_a_plan_whose_text_gives_no_number_shows_the_gap(demo):
    """Thanh Hóa's 2021 plan is stored as «/KH-SYT» (its text names no number): the draft shows dots to fill
    there, as the report's own «Số: ……», never «Kế hoạch số /KH-SYT»."""
    text_ = full_text(open_docx(build(demo, scope=scope("syt-thanh-hoa-2021", "2021-H1"), now=NOW)))
    assert "Kế hoạch số ……/KH-SYT của Sở Y tế Thanh Hóa" in text_
    assert "số /KH-SYT" not in text_


@pytest.mark.parametrize("plan, period", [("sct-2021", "2021-H1"), ("syt-dong-nai-2023", "2023-Q3"),
                                          ("syt-lai-chau-2021", "2021-9M"), ("syt-thanh-hoa-2021", "2021"),
                                          ("syt-thanh-hoa-2022", "2022-Q1")])
def test_every_bundled_plan_gives_a_complete_draft(demo, plan, period):
    content = gather(demo, scope=scope(plan, period), now=NOW)
    document = open_docx(Writer(content, OUTLINE).render())
    shown = paragraphs(document)
    for key in ("steering", "areas", "assessment", "next", "proposals"):
        assert O.text(f"sections.{key}.title") in shown
    assert len(data_rows(table_with(document, O.raw("appendix.target_columns")))) == len(content.targets)
    assert len(data_rows(table_with(document, O.raw("appendix.task_columns")))) == len(content.tasks)
    assert len(table_with(document, O.raw("appendix.reporting_columns"))) == len(content.view.reporting)
    assert O.text("header.nation") in shown


def test_an_unknown_plan_or_snapshot_is_refused(small):
    from kpi.problems import KpiError
    with pytest.raises(KpiError) as unknown:
        build(small, scope=scope("khong-co", "2023-Q1"))
    assert unknown.value.code == "plan_unknown"
    with pytest.raises(KpiError) as missing:
        build(small, snapshot_id=42)
    assert missing.value.code == "snapshot_unknown"
    with pytest.raises(KpiError) as outside:
        build(small, scope=scope(SMALL_PLAN, "2022-Q1"))
    assert outside.value.code == "period_outside_plan"


def test_reading_a_report_writes_nothing(small_path):
    from tests.conftest import fingerprint
    con = db.connect(small_path)
    before = fingerprint(con)
    build(con, scope=Q1, now=NOW)
    assert fingerprint(con) == before
    con.close()
