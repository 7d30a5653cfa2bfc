"""Commentary (kpi/commentary.py, docs/commentary.md) on the small hand-worked plan of tests/app/conftest.py:
org "nho", units A (Phòng A) and B (Đơn vị B), areas thu_tuc_hanh_chinh and cong_vu, reports for Quý I/2023.

Each write is checked against the table it lands in and the audit row it appends; each refusal leaves the
database unchanged (fingerprint: every table but the audit trail and the write journal) and is recorded."""
from __future__ import annotations

import unicodedata

import pytest

from kpi import audit, commentary, db, text
from kpi.access import Actor, Forbidden
from kpi.cycle.submissions import Submission, TargetFigure, TaskReport
from kpi.periods import parse_period
from kpi.problems import KpiError
from tests.app.conftest import SMALL_PLAN, build_small
from tests.conftest import fingerprint
from tests.helpers import recorded, scope

Q1 = scope(SMALL_PLAN, "2023-Q1")
OFFICE = Actor("vp-nho", "van_phong", "Chánh Văn phòng", org_id="nho", channel="test")
OTHER_OFFICE = Actor("vp-khac", "van_phong", "Văn phòng khác", org_id="khac", channel="test")
LEADER = Actor("ld-nho", "lanh_dao", "Giám đốc", org_id="nho", channel="test")
UNIT_A = Actor("dv-a", "don_vi", "Cán bộ A", org_id="nho", units=frozenset({"A"}), channel="test")
FILE_NOTE = "Thiếu giáo viên cho 3 lớp"


@pytest.fixture
def con(tmp_path):
    path = build_small(tmp_path / "nho.duckdb")
    con = db.connect(path)
    # B reports Quý I again, its note in the template's «Ghi chú / giải trình» column on CT03.
    recorded(con, Submission(SMALL_PLAN, "B", parse_period("2023-Q1"), (
        TargetFigure("CT01", numerator=50, denominator=50), TargetFigure("CT03", value=9, note=FILE_NOTE)),
        (TaskReport("NV02", "in_progress", 40),), submitted_by="Đơn vị B"))
    yield con
    con.close()


def rows_of(frame, target, unit):
    return frame[(frame["target"] == target) & (frame["unit"] == unit)]


def last_event(con) -> dict:
    return audit.entries(con, limit=1).iloc[0].to_dict()


def test_the_files_note_is_the_explanation_until_the_page_writes_one(con):
    found = commentary.explanations(con, Q1)
    assert list(found.columns[:6]) == ["target", "unit", "text", "source", "by", "at"]
    row = rows_of(found, "CT03", "B").iloc[0]
    assert (row["text"], row["source"], row["by"], row["unit_name"]) == (FILE_NOTE, "file", "Đơn vị B", "Đơn vị B")
    assert len(found) == 1  # A wrote no note


def test_unit_writes_its_explanation_which_overrides_the_file_and_removing_it_brings_the_file_back(con):
    B = Actor("dv-b", "don_vi", "Cán bộ B", org_id="nho", units=frozenset({"B"}), channel="test")
    stored = commentary.write_explanation(con, Q1, B, "CT03", "B", "  Đã mở thêm   2 lớp trong tháng 4 ")
    assert stored == "Đã mở thêm 2 lớp trong tháng 4"  # text.clean: trimmed, inner spaces collapsed
    row = rows_of(commentary.explanations(con, Q1), "CT03", "B").iloc[0]
    assert (row["text"], row["source"], row["by"]) == (stored, "page", "Cán bộ B")
    event = last_event(con)
    assert (event["action"], event["actor"], event["unit_code"], event["period"], event["subject"]) == \
        ("explanation", "dv-b", "B", "2023-Q1", "CT03")
    assert event["detail"] == {"before": None, "after": stored}

    assert commentary.write_explanation(con, Q1, B, "CT03", "B", "   ") is None
    row = rows_of(commentary.explanations(con, Q1), "CT03", "B").iloc[0]
    assert (row["text"], row["source"]) == (FILE_NOTE, "file")
    assert last_event(con)["detail"] == {"before": stored, "after": None}
    assert con.execute("SELECT count(*) FROM target_explanation").fetchone()[0] == 0


def test_office_explains_for_any_unit_of_its_organisation_and_rewriting_replaces(con):
    commentary.write_explanation(con, Q1, OFFICE, "CT01", "A", "Lần một")
    commentary.write_explanation(con, Q1, OFFICE, "CT01", "A", "Lần hai")
    found = rows_of(commentary.explanations(con, Q1), "CT01", "A")
    assert list(found["text"]) == ["Lần hai"] and list(found["by"]) == ["Chánh Văn phòng"]
    assert con.execute("SELECT count(*) FROM target_explanation").fetchone()[0] == 1
    assert last_event(con)["detail"] == {"before": "Lần một", "after": "Lần hai"}


def test_explanations_are_per_period(con):
    commentary.write_explanation(con, Q1, OFFICE, "CT01", "A", "Quý I")
    assert rows_of(commentary.explanations(con, scope(SMALL_PLAN, "2023-H1")), "CT01", "A").empty
    # H1 covers Quý I: the file's note of B's Quý I report is the explanation there too
    assert list(rows_of(commentary.explanations(con, scope(SMALL_PLAN, "2023-H1")), "CT03", "B")["text"]) == \
        [FILE_NOTE]


def test_text_is_stored_nfc_and_html_stays_plain_text(con):
    decomposed = unicodedata.normalize("NFD", "Giải trình <script>alert('x')</script> <b>đậm</b> & =1+1")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    stored = commentary.write_explanation(con, Q1, UNIT_A, "CT02", "A", decomposed)
    assert stored == "Giải trình <script>alert('x')</script> <b>đậm</b> & =1+1"
    assert unicodedata.is_normalized("NFC", stored)
    assert con.execute("SELECT note FROM target_explanation").fetchone()[0] == stored
    comment = commentary.write_area_comment(con, Q1, OFFICE, "cong_vu", unicodedata.normalize("NFD", "<i>Tốt</i>"))
    assert comment == "<i>Tốt</i>" and commentary.area_comment(con, Q1, "cong_vu")["text"] == "<i>Tốt</i>"


@pytest.mark.parametrize("write", ["explanation", "area_comment"])
def test_longer_than_4000_characters_is_refused_naming_the_limit_and_nothing_is_written(con, write):
    before = fingerprint(con)
    at_limit = "ắ" * commentary.MAX_TEXT
    over = at_limit + "b"
    with pytest.raises(KpiError) as refused:
        if write == "explanation":
            commentary.write_explanation(con, Q1, OFFICE, "CT01", "A", over)
        else:
            commentary.write_area_comment(con, Q1, OFFICE, "cong_vu", over)
    assert refused.value.code == "commentary_too_long"
    assert "4.000" in refused.value.message and "4.001" in refused.value.message
    assert fingerprint(con) == before
    # exactly the limit is accepted
    if write == "explanation":
        assert commentary.write_explanation(con, Q1, OFFICE, "CT01", "A", at_limit) == at_limit
    else:
        assert commentary.write_area_comment(con, Q1, OFFICE, "cong_vu", at_limit) == at_limit


def test_office_comments_an_area_rewrites_and_removes_it(con):
    assert commentary.area_comments(con, Q1).empty
    commentary.write_area_comment(con, Q1, OFFICE, "cong_vu", "Cần đẩy nhanh bồi dưỡng")
    commentary.write_area_comment(con, Q1, OFFICE, "cong_vu", "Đã có kế hoạch bồi dưỡng")
    frame = commentary.area_comments(con, Q1)
    assert list(frame.columns) == ["area", "name", "text", "by", "at"]
    assert frame.iloc[0][["area", "name", "text", "by"]].tolist() == \
        ["cong_vu", "Cải cách chế độ công vụ", "Đã có kế hoạch bồi dưỡng", "Chánh Văn phòng"]
    event = last_event(con)
    assert (event["action"], event["subject"], event["period"]) == ("area_comment", "cong_vu", "2023-Q1")
    assert commentary.area_comments(con, scope(SMALL_PLAN, "2023-H1")).empty  # per period
    assert commentary.write_area_comment(con, Q1, OFFICE, "cong_vu", "") is None
    assert commentary.area_comments(con, Q1).empty and commentary.area_comment(con, Q1, "cong_vu") is None


def test_unknown_target_unit_or_area_is_refused_with_nothing_written(con):
    before = fingerprint(con)
    for call, code in ((lambda: commentary.write_explanation(con, Q1, OFFICE, "CT99", "A", "x"),
                        "commentary_target_unknown"),
                       (lambda: commentary.write_explanation(con, Q1, OFFICE, "CT01", "Z", "x"),
                        "commentary_unit_unknown"),
                       (lambda: commentary.write_area_comment(con, Q1, OFFICE, "khong_co", "x"),
                        "commentary_area_unknown")):
        with pytest.raises(KpiError) as refused:
            call()
        assert refused.value.code == code
    assert fingerprint(con) == before


REFUSALS = {
    "leader_explains": (lambda con: commentary.write_explanation(con, Q1, LEADER, "CT01", "A", "x"),
                        "ld-nho", "explain", "forbidden_role", "A"),
    "unit_explains_another_unit": (lambda con: commentary.write_explanation(con, Q1, UNIT_A, "CT01", "B", "x"),
                                   "dv-a", "explain", "forbidden_unit", "B"),
    "unit_comments_an_area": (lambda con: commentary.write_area_comment(con, Q1, UNIT_A, "cong_vu", "x"),
                              "dv-a", "comment", "forbidden_role", None),
    "leader_comments_an_area": (lambda con: commentary.write_area_comment(con, Q1, LEADER, "cong_vu", "x"),
                                "ld-nho", "comment", "forbidden_role", None),
    "another_office_explains": (lambda con: commentary.write_explanation(con, Q1, OTHER_OFFICE, "CT01", "A", "x"),
                                "vp-khac", "explain", "forbidden_org", "A"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refusals_leave_the_database_unchanged_and_are_recorded(con, case):
    call, username, action, code, unit = REFUSALS[case]
    commentary.write_explanation(con, Q1, OFFICE, "CT01", "A", "Giữ nguyên")  # something a refusal must not touch
    before = fingerprint(con)
    with pytest.raises(Forbidden) as refused:
        call(con)
    assert refused.value.code == code and refused.value.message == text.PROBLEMS[code].message
    assert fingerprint(con) == before
    event = last_event(con)
    assert (event["action"], event["actor"], event["subject"], event["unit_code"], event["plan_id"]) == \
        ("refused", username, action, unit, SMALL_PLAN)
    assert event["detail"]["code"] == code
    assert audit.verify(con) == []


def test_the_target_page_offers_the_editor_only_to_those_who_may_write(con):
    by_unit = {e["unit"]: e for e in commentary.target_units(con, Q1, "CT01", UNIT_A)}
    assert list(by_unit) == ["B", "A"]  # as the figures: by name in Vietnamese order, «Đơn vị B» before «Phòng A»
    assert (by_unit["A"]["editable"], by_unit["B"]["editable"]) == (True, False)
    assert all(e["editable"] for e in commentary.target_units(con, Q1, "CT01", OFFICE))
    assert not any(e["editable"] for e in commentary.target_units(con, Q1, "CT01", LEADER))
    ct03 = commentary.target_units(con, Q1, "CT03", LEADER)
    assert [(e["unit"], e["text"], e["source"]) for e in ct03] == [("B", FILE_NOTE, "file")]
    assert commentary.may_comment(con, Q1, OFFICE) and not commentary.may_comment(con, Q1, UNIT_A)
    assert not commentary.may_comment(con, Q1, LEADER) and not commentary.may_comment(con, Q1, OTHER_OFFICE)


def test_audit_rows_of_commentary_keep_the_chain(con):
    commentary.write_explanation(con, Q1, UNIT_A, "CT01", "A", "Một")
    commentary.write_area_comment(con, Q1, OFFICE, "thu_tuc_hanh_chinh", "Hai")
    assert audit.verify(con) == []
    actions = list(audit.entries(con, limit=2)["action"])
    assert actions == ["area_comment", "explanation"]
    assert {text.AUDIT_ACTIONS[a] for a in actions} == {"Nhận xét lĩnh vực", "Giải trình số liệu"}
