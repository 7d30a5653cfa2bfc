"""AppTest of «Nhập số liệu» following the sidebar's period, its preview of changes (names, old → new, only
what changes), and the «Nhập trên trang» tab: the web entry form refused and written as the Excel path is."""
import datetime as dt

from kpi import db
from kpi.cycle import locks
from kpi.periods import parse_period
from tests.app.conftest import frame_with, open_app
from tests.app.test_page_cycle import file_fingerprint as database_state
from tests.app.test_page_upload import XLSX, filled_template
from tests.conftest import fingerprint
from tests.helpers import TEST_ACTOR

PLAN = "syt-thanh-hoa-2021"


def open_upload(monkeypatch, db_path, unit="VPS", role="van_phong", units=(), **params):
    at = open_app(monkeypatch, db_path, "pages/upload.py", role=role, org_id="syt-thanh-hoa", units=units,
                  org="syt-thanh-hoa", year="2021", **params)
    if at.selectbox(key="upload_unit").value != unit:
        at.selectbox(key="upload_unit").set_value(unit).run()
    return at


def field(at, code: str, key: str, period="2021-Q1", unit="VPS", kind="target"):
    return f"form_{unit}_{period}_{kind}_{code}_{key}"


def check_button(at):
    return next(b for b in at.button if b.label == "Kiểm tra và xem trước")


def target_name(db_path, code: str) -> str:
    con = db.connect(db_path)
    try:
        return con.execute("SELECT text FROM target WHERE plan_id = ? AND code = ?", [PLAN, code]).fetchone()[0]
    finally:
        con.close()


# ---------------------------------------------------------------- the period follows the sidebar

def test_the_upload_period_is_the_sidebars(monkeypatch, seeded_db_path):
    """Opened from a link on Quý II/2021 (the sidebar's period), the upload is for Quý II, not Quý I."""
    at = open_upload(monkeypatch, seeded_db_path, period="2021-Q2")
    assert at.sidebar_state["period"][0] == "2021-Q2"
    assert at.selectbox(key="upload_period").value == "2021-Q2"
    assert "Quý II/2021" in at.get("download_button")[0].proto.label
    # and it can still be changed on the page (a late report for an earlier period)
    at.selectbox(key="upload_period").set_value("2021-Q1").run()
    assert not at.exception and at.selectbox(key="upload_period").value == "2021-Q1"


def test_a_new_sidebar_period_is_followed_a_choice_on_the_page_kept_until_then(monkeypatch, seeded_db_path):
    """The sidebar's «Kỳ báo cáo» (app.py, session key "period") moves to Quý III: the upload follows it."""
    at = open_upload(monkeypatch, seeded_db_path)
    assert at.selectbox(key="upload_period").value == "2021-Q1"
    at.selectbox(key="upload_period").set_value("2021-Q2").run()   # the person's own choice on the page
    at.text_input(key="upload_note").set_value("nộp bổ sung").run()  # any other rerun keeps it
    assert at.selectbox(key="upload_period").value == "2021-Q2"
    at.session_state["period"] = "2021-Q3"  # the sidebar moves to Quý III
    at.run()
    assert not at.exception and at.selectbox(key="upload_period").value == "2021-Q3"


# ---------------------------------------------------------------- the preview: only what changes, by name

def test_the_preview_shows_only_changes_with_names_old_and_new(monkeypatch, seeded_db_path, tmp_path):
    """Stored first: CT01 95/100 (note «giải trình»). The new file: CT01 96/100, same note. The preview has
    one row: CT01's «Tử số» 95 → 96, the unit and target by name; no unchanged row, no denominator."""
    at = open_upload(monkeypatch, seeded_db_path)
    at.file_uploader(key="upload_file").upload("a.xlsx", filled_template(seeded_db_path, tmp_path, CT01=(95, 100)),
                                               XLSX).run()
    at.button(key="upload_confirm").click().run()
    assert "Đã ghi 1 báo cáo" in at.success[-1].value
    at = open_upload(monkeypatch, seeded_db_path)
    at.file_uploader(key="upload_file").upload("b.xlsx", filled_template(seeded_db_path, tmp_path, CT01=(96, 100)),
                                               XLSX).run()
    preview = frame_with(at, "before")
    assert list(preview.itertuples(index=False, name=None)) == [
        ("Văn phòng Sở", target_name(seeded_db_path, "CT01"), "Tử số", "95", "96", "thay đổi", "CT01")]
    assert "Sẽ thay đổi 1 ô" in " ".join(c.value for c in at.caption)


def test_the_same_file_again_says_nothing_changes(monkeypatch, seeded_db_path, tmp_path):
    data = filled_template(seeded_db_path, tmp_path, CT01=(95, 100))
    at = open_upload(monkeypatch, seeded_db_path)
    at.file_uploader(key="upload_file").upload("a.xlsx", data, XLSX).run()
    at.button(key="upload_confirm").click().run()
    at = open_upload(monkeypatch, seeded_db_path)
    at.file_uploader(key="upload_file").upload("a.xlsx", data, XLSX).run()
    assert "upload_confirm" not in [b.key for b in at.button]
    assert any("không có gì thay đổi" in i.value for i in at.info)


# ---------------------------------------------------------------- «Nhập trên trang»

def test_the_form_lists_the_units_template_targets_and_tasks(monkeypatch, seeded_db_path):
    """VPS's template has 8 targets and 18 tasks (kpi/excel/template.py): the form has the same."""
    at = open_upload(monkeypatch, seeded_db_path)
    assert [t.label for t in at.tabs] == ["Tải tệp Excel", "Nhập trên trang"]
    targets = {k.key.split("_")[4] for k in at.text_input if k.key and k.key.startswith("form_VPS_2021-Q1_target_")}
    tasks = {k.key for k in at.selectbox if k.key and k.key.startswith("form_VPS_2021-Q1_task_")}
    assert len(targets) == 8 and len(tasks) == 18
    assert any(target_name(seeded_db_path, "CT01") in m.value for m in at.markdown)


def test_bad_entries_are_refused_naming_the_target_and_the_field(monkeypatch, seeded_db_path):
    at = open_upload(monkeypatch, seeded_db_path)
    before = database_state(seeded_db_path)
    at.text_input(key=field(at, "CT01", "numerator")).set_value("120")
    at.text_input(key=field(at, "CT01", "denominator")).set_value("100")
    at.text_input(key=field(at, "CT05", "numerator")).set_value("x")
    at.text_input(key=field(at, "CT05", "denominator")).set_value("80")
    check_button(at).click().run()
    assert not at.exception
    assert "Có 2 lỗi" in at.error[0].value and "Chưa ghi gì" in at.error[0].value
    problems = frame_with(at, "item")
    assert list(problems["item"]) == [target_name(seeded_db_path, "CT01"), target_name(seeded_db_path, "CT05")]
    assert list(problems["field"]) == ["Tử số", "Tử số"]
    assert list(problems["message"]) == ["Tử số 120 lớn hơn mẫu số 100 (ô H4).", "«x» không phải là số."]
    assert "form_confirm" not in [b.key for b in at.button]
    assert database_state(seeded_db_path) == before


def test_good_entries_are_previewed_then_written_on_confirmation(monkeypatch, seeded_db_path):
    """CT01 96/100 with a note, task I.1 done on 15/03/2021: previewed as new, written on confirmation,
    listed in the history as «Nhập trên trang»; CT05, left empty, stays missing."""
    at = open_upload(monkeypatch, seeded_db_path)
    at.text_input(key=field(at, "CT01", "numerator")).set_value("96")
    at.text_input(key=field(at, "CT01", "denominator")).set_value("100")
    at.text_input(key=field(at, "CT01", "note")).set_value("giải trình")
    at.selectbox(key=field(at, "I.1", "status", kind="task")).set_value("Hoàn thành")
    at.date_input(key=field(at, "I.1", "completed_on", kind="task")).set_value(dt.date(2021, 3, 15))
    check_button(at).click().run()
    assert not at.exception and "Số liệu hợp lệ" in at.success[0].value
    preview = frame_with(at, "before")
    assert set(preview["change"]) == {"mới"} and set(preview["code"]) == {"CT01", "I.1"}
    assert list(preview["after"]) == ["96", "100", "giải trình", "Hoàn thành", "100", "15/03/2021"]
    at.button(key="form_confirm").click().run()
    assert not at.exception
    assert "Đã ghi 1 báo cáo kỳ Quý I/2021" in at.success[-1].value
    assert list(frame_with(at, "submitted_by")["file_name"]) == ["Nhập trên trang"]
    con = db.connect(seeded_db_path)
    try:
        assert con.execute("SELECT target_code, numerator, denominator, note FROM current_actual").fetchall() == [
            ("CT01", 96, 100, "giải trình")]
        assert con.execute("SELECT task_code, status, progress, completed_on FROM current_task_progress").fetchall() \
            == [("I.1", "done", 100, dt.date(2021, 3, 15))]
        action, detail = con.execute("SELECT action, detail FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
        assert action == "upload_applied" and '"channel":"web_form"' in detail
    finally:
        con.close()


def test_a_locked_period_refuses_the_form_and_writes_nothing(monkeypatch, seeded_db_path):
    at = open_upload(monkeypatch, seeded_db_path)
    con = db.connect(seeded_db_path)
    try:
        locks.lock(con, PLAN, parse_period("2021-Q1"), dt.date(2021, 4, 1), actor=TEST_ACTOR)
        before = fingerprint(con)
    finally:
        con.close()
    at.text_input(key=field(at, "CT01", "numerator")).set_value("96")
    at.text_input(key=field(at, "CT01", "denominator")).set_value("100")
    check_button(at).click().run()
    assert not at.exception
    assert list(frame_with(at, "item")["message"]) == ["Kỳ Quý I/2021 đã khóa từ 01/04/2021."]
    assert database_state(seeded_db_path) == before


def test_a_unit_account_fills_only_its_own_units_form(monkeypatch, seeded_db_path):
    """A don_vi account of TCCB is offered TCCB alone (10 tasks, no target); a task marked done without a
    date is refused with the Excel path's words; nothing written."""
    at = open_upload(monkeypatch, seeded_db_path, unit="TCCB", role="don_vi", units=("TCCB",))
    assert at.selectbox(key="upload_unit").options == ["Phòng Tổ chức cán bộ"]
    assert not [k for k in at.text_input if k.key and "_VPS_" in k.key]
    before = database_state(seeded_db_path)
    first = next(k.key for k in at.selectbox if k.key and k.key.startswith("form_TCCB_2021-Q1_task_"))
    at.selectbox(key=first).set_value("Hoàn thành")
    check_button(at).click().run()
    assert not at.exception
    assert list(frame_with(at, "item")["field"]) == ["Ngày hoàn thành"]
    assert database_state(seeded_db_path) == before


def test_the_consolidated_report_has_no_form(monkeypatch, seeded_db_path):
    at = open_upload(monkeypatch, seeded_db_path, unit="ALL")
    assert not at.exception
    assert any("chỉ nộp bằng tệp Excel" in i.value for i in at.info)
