"""Commentary in snapshots and exports (kpi/commentary.py → kpi/meetings/), read back from real files: the PDF
with poppler's pdftotext, the workbook with openpyxl, the deck with python-pptx.

The small hand-worked plan of tests/app/conftest.py, Quý I/2023: CT01 95,0% of ≥ 96% «Gần đạt» (not met: its
explanation goes on the deck), CT02 «Đạt» (met: its explanation is in the PDF and workbook, not on the deck)."""
from __future__ import annotations

import datetime as dt
import io
import subprocess

import openpyxl
import pytest
from pptx import Presentation

from kpi import commentary, db, text
from kpi.access import Actor
from kpi.meetings import snapshots
from kpi.meetings.export import build_report, export
from tests.app.conftest import SMALL_PLAN, build_small
from tests.export.test_pptx import slide_texts, title
from tests.helpers import scope

Q1 = scope(SMALL_PLAN, "2023-Q1")
OFFICE = Actor("vp-nho", "van_phong", "Chánh Văn phòng", org_id="nho", channel="test")
K = text.COMMENTARY
SHEETS = text.EXPORT_XLSX["sheets"]
OLD_EXPLANATION = "Hồ sơ trực tuyến tháng 1 còn thấp <script>alert(1)</script>"
OLD_COMMENT = "=1+1 Cần đẩy nhanh bồi dưỡng <b>công chức</b>"
MET_EXPLANATION = "Đạt nhờ số hóa hồ sơ"
NEW_EXPLANATION = "Đã khắc phục trong tháng 4"
NEW_COMMENT = "Đã có kế hoạch bồi dưỡng quý II"


@pytest.fixture
def con(tmp_path):
    con = db.connect(build_small(tmp_path / "nho.duckdb"))
    commentary.write_explanation(con, Q1, OFFICE, "CT01", "A", OLD_EXPLANATION)
    commentary.write_explanation(con, Q1, OFFICE, "CT02", "A", MET_EXPLANATION)
    commentary.write_area_comment(con, Q1, OFFICE, "cong_vu", OLD_COMMENT)
    yield con
    con.close()


@pytest.fixture
def frozen_then_changed(con):
    """A snapshot taken, then the explanation and the comment rewritten: (snapshot id, con)."""
    info = snapshots.create(con, Q1, name="Họp giao ban Quý I/2023", by="Văn phòng",
                            now=dt.datetime(2023, 4, 5, 8, 0))
    commentary.write_explanation(con, Q1, OFFICE, "CT01", "A", NEW_EXPLANATION)
    commentary.write_area_comment(con, Q1, OFFICE, "cong_vu", NEW_COMMENT)
    return info.id, con


def flat_pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    shown = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(shown.split())


def workbook(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def sheet_rows(book, key: str) -> list[tuple]:
    """The table's rows under its header (row 3: title, subtitle, header)."""
    return [row for row in book[SHEETS[key]].iter_rows(min_row=4, values_only=True) if any(row)]


def deck(data: bytes):
    return Presentation(io.BytesIO(data))


def test_a_snapshot_keeps_the_commentary_it_was_taken_with(frozen_then_changed):
    snapshot_id, con = frozen_then_changed
    explained, commented = snapshots.frozen_commentary(con, snapshot_id)
    assert list(explained[explained["target"] == "CT01"]["text"]) == [OLD_EXPLANATION]
    assert list(commented["text"]) == [OLD_COMMENT]
    frozen = build_report(con, snapshot_id=snapshot_id)
    live = build_report(con, scope=Q1)
    assert frozen.area_comment("cong_vu")["text"] == OLD_COMMENT
    assert live.area_comment("cong_vu")["text"] == NEW_COMMENT
    assert frozen.area_comment("thu_tuc_hanh_chinh") is None
    assert OLD_EXPLANATION in set(frozen.explanations.frame["text"])
    assert NEW_EXPLANATION in set(live.explanations.frame["text"]) and \
        OLD_EXPLANATION not in set(live.explanations.frame["text"])
    # numbers unchanged by commentary: the frozen headline is the live one (74,8%, tests/app/conftest.py)
    assert frozen.headline == live.headline and dict(frozen.headline)["Mức đạt chung"] == "74,8%"


def test_the_pdf_carries_the_explanations_and_the_comment_under_its_area(frozen_then_changed, tmp_path):
    snapshot_id, con = frozen_then_changed
    shown = flat_pdf_text(export(build_report(con, snapshot_id=snapshot_id), "pdf"), tmp_path)
    assert K["explanations"] in shown and K["area_comments_title"] in shown
    # the comment follows its area's name, as plain text (no tag interpreted)
    comment_at = shown.find(K["area_comments_title"])
    assert shown.find("Cải cách chế độ công vụ " + OLD_COMMENT, comment_at) > comment_at
    assert OLD_EXPLANATION in shown and MET_EXPLANATION in shown and "Chánh Văn phòng" in shown
    assert NEW_EXPLANATION not in shown and NEW_COMMENT not in shown
    live = flat_pdf_text(export(build_report(con, scope=Q1), "pdf"), tmp_path)
    assert NEW_EXPLANATION in live and NEW_COMMENT in live


def test_the_workbook_has_a_sheet_of_explanations_and_one_of_area_comments(frozen_then_changed):
    snapshot_id, con = frozen_then_changed
    book = workbook(export(build_report(con, snapshot_id=snapshot_id), "xlsx"))
    assert book.sheetnames.index(SHEETS["explanations"]) == book.sheetnames.index(SHEETS["targets"]) + 1
    assert book.sheetnames.index(SHEETS["area_comments"]) == book.sheetnames.index(SHEETS["by_area"]) + 1
    header = [c.value for c in book[SHEETS["explanations"]][3]]
    C = text.COMMENTARY_COLUMNS
    assert header == [C["code"], text.SNAPSHOT_COLUMNS["text"], C["unit"], C["text"], C["source"], C["by"], C["at"]]
    rows = sheet_rows(book, "explanations")
    assert [row[:6] for row in rows] == [
        ("CT01", "Chỉ tiêu CT01", "Phòng A", OLD_EXPLANATION, text.COMMENTARY_SOURCES["page"], "Chánh Văn phòng"),
        ("CT02", "Chỉ tiêu CT02", "Phòng A", MET_EXPLANATION, text.COMMENTARY_SOURCES["page"], "Chánh Văn phòng")]
    assert all(isinstance(row[6], dt.datetime) for row in rows)  # a real date and time, Việt Nam's clock
    comments = sheet_rows(book, "area_comments")
    assert [row[:3] for row in comments] == [("Cải cách chế độ công vụ", OLD_COMMENT, "Chánh Văn phòng")]
    cell = book[SHEETS["area_comments"]]["B4"]
    assert cell.value == OLD_COMMENT and cell.data_type == "s"  # "=1+1 …" stays text, never a formula


def test_the_deck_shows_the_comment_on_the_area_slide_and_explanations_of_targets_not_met(frozen_then_changed):
    snapshot_id, con = frozen_then_changed
    prs = deck(export(build_report(con, snapshot_id=snapshot_id), "pptx"))
    area = next(s for s in prs.slides if title(s) == text.SNAPSHOT["area_slide"].format(name="Cải cách chế độ công vụ"))
    lines = "\n".join(slide_texts(area)).split("\n")  # the comment's box: the comment, then who wrote it when
    at = lines.index(K["area_comment_line"].format(comment=OLD_COMMENT))
    assert lines[at + 1].startswith("(Chánh Văn phòng, ")
    other = next(s for s in prs.slides if title(s) == text.SNAPSHOT["area_slide"].format(
        name="Cải cách thủ tục hành chính"))
    assert not any(t.startswith(K["area_comment_line"].split("{")[0]) for t in slide_texts(other))
    explained = [s for s in prs.slides if title(s) == K["explanations_slide"]]
    assert len(explained) == 1
    texts = slide_texts(explained[0])
    assert OLD_EXPLANATION in texts and "CT01" in texts and "Phòng A" in texts
    assert MET_EXPLANATION not in texts  # CT02 is met


def test_a_snapshot_taken_before_commentary_was_frozen_still_exports(frozen_then_changed, tmp_path):
    snapshot_id, con = frozen_then_changed
    con.execute("DELETE FROM snapshot_frame WHERE name LIKE 'commentary:%'")  # as an older snapshot was stored
    explained, commented = snapshots.frozen_commentary(con, snapshot_id)
    assert explained.empty and commented.empty
    report = build_report(con, snapshot_id=snapshot_id)
    assert report.explanations.empty and report.area_comment("cong_vu") is None
    shown = flat_pdf_text(export(report, "pdf"), tmp_path)
    assert f"{K['explanations']} {text.COMMENTARY_COLUMNS['code']}" not in shown
    assert K["area_comments_title"] not in shown and NEW_COMMENT not in shown
    assert [row[0] for row in sheet_rows(workbook(export(report, "xlsx")), "explanations")] == [text.SNAPSHOT["none"]]
    assert not [s for s in deck(export(report, "pptx")).slides if title(s) == K["explanations_slide"]]


def test_an_explanation_of_4000_characters_is_printed_whole_in_the_pdf_and_shortened_on_the_deck(con, tmp_path):
    longest = (" ".join(f"Lý do phần {i}." for i in range(1, 400)))[:commentary.MAX_TEXT - 6].rstrip() + " HẾT-GT"
    assert len(longest) <= commentary.MAX_TEXT
    commentary.write_explanation(con, Q1, OFFICE, "CT01", "A", longest)
    report = build_report(con, scope=Q1)
    shown = flat_pdf_text(export(report, "pdf"), tmp_path)
    assert "Lý do phần 1." in shown and "HẾT-GT" in shown
    texts = slide_texts(next(s for s in deck(export(report, "pptx")).slides if title(s) == K["explanations_slide"]))
    assert any(t.startswith("Lý do phần 1.") and t.endswith("…") for t in texts)
