"""AppTest of commentary on «Chỉ tiêu» and «Lĩnh vực» (kpi/commentary.py), on the small hand-worked plan of
tests/app/conftest.py (org "nho", units A «Phòng A» and B «Đơn vị B», Quý I/2023), signed in as each role.

The page offers an editor only where kpi/ would accept the write; what is saved is read back from the
database, and shown again as plain text."""
from __future__ import annotations

from kpi import db, text
from tests.app.conftest import SMALL_PLAN, build_small, open_app

K = text.COMMENTARY
TARGET = dict(org="nho", year="2023", period="2023-Q1", target="CT01")
AREA = dict(org="nho", year="2023", period="2023-Q1", area="cong_vu")
HOSTILE = "Chưa đạt vì <script>alert('x')</script> **đậm**"


def stored(path, sql: str) -> list[tuple]:
    con = db.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def key(unit: str) -> str:
    return f"explain-2023-Q1-CT01-{unit}"


def test_office_writes_a_units_explanation_on_the_target_page(monkeypatch, tmp_path):
    path = build_small(tmp_path / "small.duckdb")
    at = open_app(monkeypatch, path, "pages/targets.py", role="van_phong", org_id="nho", **TARGET)
    assert K["explanations"] in [h.value for h in at.subheader]
    # CT01 is reported by A and B; the office may explain for both
    assert not at.text_area(key=key("A")).disabled and not at.text_area(key=key("B")).disabled
    at.text_area(key=key("B")).input(HOSTILE)
    at.button(key=key("B") + "-save").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [K["saved_explanation"].format(unit="Đơn vị B")]
    assert stored(path, "SELECT plan_id, period, unit_code, target_code, note, written_by FROM target_explanation") \
        == [(SMALL_PLAN, "2023-Q1", "B", "CT01", HOSTILE, "Người van_phong")]
    assert any(c.value.startswith(K["source_page"].split("{")[0]) and "Người van_phong" in c.value
               for c in at.caption)
    assert stored(path, "SELECT action, actor, unit_code, subject FROM audit_event ORDER BY seq DESC LIMIT 1") == \
        [("explanation", "tk-vanphong-nho", "B", "CT01")]

    # opened again (another session): the text is the stored one, kept as plain text in the box
    again = open_app(monkeypatch, path, "pages/targets.py", role="lanh_dao", org_id="nho", **TARGET)
    box = again.text_area(key=key("B"))
    assert box.value == HOSTILE and box.disabled
    assert not [b for b in again.button if b.key and b.key.startswith("explain-")]  # leadership reads only
    # emptied and saved: removed
    at.text_area(key=key("B")).input("")
    at.button(key=key("B") + "-save").click().run()
    assert [s.value for s in at.success] == [K["removed_explanation"].format(unit="Đơn vị B")]
    assert stored(path, "SELECT count(*) FROM target_explanation") == [(0,)]


def test_a_unit_edits_only_its_own_units_explanation(monkeypatch, tmp_path):
    path = build_small(tmp_path / "small.duckdb")
    at = open_app(monkeypatch, path, "pages/targets.py", role="don_vi", org_id="nho", units=("A",), **TARGET)
    assert not at.text_area(key=key("A")).disabled
    assert at.text_area(key=key("B")).disabled
    assert [b.key for b in at.button if b.key and b.key.startswith("explain-")] == [key("A") + "-save"]
    at.text_area(key=key("A")).input("Hồ sơ trực tuyến còn thấp trong tháng 1")
    at.button(key=key("A") + "-save").click().run()
    assert not at.exception and not at.error
    assert stored(path, "SELECT unit_code, note, written_by FROM target_explanation") == \
        [("A", "Hồ sơ trực tuyến còn thấp trong tháng 1", "Người don_vi")]


def test_office_comments_an_area_and_leadership_reads_it(monkeypatch, tmp_path):
    path = build_small(tmp_path / "small.duckdb")
    box = "area-comment-2023-Q1-cong_vu"
    at = open_app(monkeypatch, path, "pages/areas.py", role="van_phong", org_id="nho", **AREA)
    assert K["area_comment_title"] in [h.value for h in at.subheader]
    at.text_area(key=box).input(HOSTILE)
    at.button(key=box + "-save").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [K["saved_area_comment"]]
    assert stored(path, "SELECT plan_id, period, area_code, comment, written_by FROM area_comment") == \
        [(SMALL_PLAN, "2023-Q1", "cong_vu", HOSTILE, "Người van_phong")]

    leader = open_app(monkeypatch, path, "pages/areas.py", role="lanh_dao", org_id="nho", **AREA)
    assert leader.text_area(key=box).value == HOSTILE and leader.text_area(key=box).disabled
    assert not [b for b in leader.button if b.key == box + "-save"]


def test_a_unit_sees_the_area_comment_but_no_editor(monkeypatch, tmp_path):
    path = build_small(tmp_path / "small.duckdb")
    at = open_app(monkeypatch, path, "pages/areas.py", role="don_vi", org_id="nho", units=("A",), **AREA)
    assert K["no_area_comment"] in [c.value for c in at.caption]
    assert not [b for b in at.button if b.key and b.key.startswith("area-comment")]
    assert not at.exception


def test_the_meeting_page_shows_a_snapshots_commentary_as_it_was(monkeypatch, tmp_path):
    """Written, frozen, rewritten: the snapshot's view tab shows the text of the moment it was taken."""
    from kpi import commentary
    from kpi.access import Actor
    from kpi.meetings import snapshots
    from tests.app.conftest import frame_with
    from tests.helpers import scope
    path = build_small(tmp_path / "small.duckdb")
    office = Actor("vp-nho", "van_phong", "Chánh Văn phòng", org_id="nho", channel="test")
    q1 = scope(SMALL_PLAN, "2023-Q1")
    con = db.connect(path)
    commentary.write_explanation(con, q1, office, "CT01", "A", "Giải trình lúc họp")
    commentary.write_area_comment(con, q1, office, "cong_vu", "Nhận xét lúc họp")
    snapshots.create(con, q1, name="Họp giao ban Quý I/2023", by="Văn phòng")
    commentary.write_explanation(con, q1, office, "CT01", "A", "Giải trình sửa sau họp")
    commentary.write_area_comment(con, q1, office, "cong_vu", "Nhận xét sửa sau họp")
    con.close()
    at = open_app(monkeypatch, path, "pages/meeting.py", role="lanh_dao", org_id="nho", org="nho", year="2023",
                  period="2023-Q1")
    assert not at.exception, at.exception
    explained = frame_with(at, "target_text")
    assert explained[["code", "unit", "text"]].values.tolist() == [["CT01", "Phòng A", "Giải trình lúc họp"]]
    commented = next(d.value for d in at.dataframe if list(d.value.columns) == ["name", "text", "by", "at"])
    assert commented[["name", "text", "by"]].values.tolist() == [
        ["Cải cách chế độ công vụ", "Nhận xét lúc họp", "Chánh Văn phòng"]]
    assert {K["area_comments_title"], K["explanations"]} <= {h.value for h in at.subheader}
