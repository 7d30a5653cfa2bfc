"""AppTest of "Nhiệm vụ" and "Chỉ tiêu": states and figures worked by hand (the small plan of
tests/app/conftest.py, or submissions written in the test)."""

from streamlit.testing.v1 import AppTest

from kpi import db
from kpi.cycle import demo
from tests.app.conftest import build_small, frame_with, open_app
from tests.engine.conftest import report



def open_page(monkeypatch, db_path, page, **params) -> AppTest:
    return open_app(monkeypatch, db_path, page, **params)


def test_tasks_page_on_demo_data_lists_only_overdue_tasks(monkeypatch, seeded_db_path):
    """The whole year 2021 (as of 31/12): the illustrative data has no Quý IV reports, so ongoing tasks still
    in progress are overdue at the year's end (at 9 months they are not: due 31/12, docs/deadlines.md)."""
    con = db.connect(seeded_db_path)
    demo.load(con)
    con.close()
    at = open_page(monkeypatch, seeded_db_path, "pages/tasks.py", org="syt-thanh-hoa", year="2021", period="2021")
    assert at.title[0].value == "Nhiệm vụ" and "Dữ liệu minh họa" in at.warning[0].value
    overdue = at.dataframe[0].value
    assert len(overdue) >= 1 and set(overdue["state_label"]) == {"Quá hạn"}
    assert len(at.get("plotly_chart")) == 1


def test_tasks_page_states_equal_the_hand_worked_small_plan(monkeypatch, tmp_path):
    """tests/app/conftest.py SMALL, Quý I/2023 (ngày xét 31/03/2023): NV01 (Phòng A) done on 15/03 ≤ 31/03 →
    «Hoàn thành đúng hạn», 100%; NV02 (Đơn vị B) due 31/03/2023, in progress at 40% on 31/03 → «Quá hạn»."""
    at = open_page(monkeypatch, build_small(tmp_path / "small.duckdb"), "pages/tasks.py", org="nho", year="2023",
                   period="2023-Q1")
    assert "ngày xét 31/03/2023" in at.caption[0].value
    overdue = at.dataframe[0].value
    assert [tuple(r) for r in overdue[["code", "lead", "due", "state_label", "progress"]].values] == [
        ("NV02", "Đơn vị B", "31/03/2023", "Quá hạn", "40%")]
    every = at.dataframe[1].value
    assert [tuple(r) for r in every[["code", "lead", "state_label", "progress"]].values] == [
        ("NV01", "Phòng A", "Hoàn thành đúng hạn", "100%"), ("NV02", "Đơn vị B", "Quá hạn", "40%")]


def test_tasks_page_filters_by_lead_unit(monkeypatch, seeded_db_path):
    at = open_page(monkeypatch, seeded_db_path, "pages/tasks.py", org="syt-thanh-hoa", year="2021")
    at.selectbox(key="tasks_lead").set_value("TTRA").run()
    assert set(frame_with(at, "state_label")["code"]) == {"I.5", "III.3"}


def test_target_page_shows_each_submission_behind_the_figure(monkeypatch, seeded_db_path):
    con = db.connect(seeded_db_path)
    report(con, "VPS", "2023-Q1", {"CT18": (92, 100)}, plan="syt-dong-nai-2023")
    report(con, "VPS", "2023-Q2", {"CT18": (93, 100)}, plan="syt-dong-nai-2023")
    con.close()
    at = open_page(monkeypatch, seeded_db_path, "pages/targets.py", org="syt-dong-nai", year="2023",
                   period="2023-H1", target="CT18")
    assert "Thực hiện: 92,5%" in at.markdown[0].value  # (92 + 93) / 200
    assert "đang đo theo 92, giá trị còn lại 93" in at.warning[0].value  # the body/appendix conflict
    detail = frame_with(at, "submitted_by")
    assert list(detail["period"]) == ["Quý I/2023", "Quý II/2023"]
    assert list(detail["rate"]) == ["92,0%", "93,0%"] and set(detail["submitted_by"]) == {"kiểm thử"}


def test_a_conflict_of_scope_says_what_differs_not_two_equal_numbers(monkeypatch, seeded_db_path):
    """Đồng Nai 2023 CT01: body and appendix both say 100%, but count different things (seed lines 36-38
    and 313). "Measured by 100, the other value 100" would read as no difference; the page says the
    figure is the same and gives the transcriber's note."""
    at = open_page(monkeypatch, seeded_db_path, "pages/targets.py", org="syt-dong-nai", year="2023",
                   period="2023-Q1", target="CT01")
    warning = at.warning[0].value
    assert "cùng nêu mức 100 nhưng khác nhau về nội dung" in warning
    assert "giá trị còn lại" not in warning
    assert "khác mẫu số" in warning  # from the note recorded with the transcription


def test_target_page_without_figures_says_so(monkeypatch, seeded_db_path):
    at = open_page(monkeypatch, seeded_db_path, "pages/targets.py", org="sct", year="2021", target="CT03")
    assert "Chưa có đơn vị nào báo cáo" in at.info[0].value
    assert "Đánh giá: Chưa có số liệu" in at.markdown[0].value


def test_the_as_of_date_in_the_url_decides_what_is_overdue(monkeypatch, seeded_db_path):
    """V.1 (Thanh Hóa 2021, due "Quý I/2021" = 31/03/2021) is in progress: overdue at the end of Q1,
    on track as of 15/03/2021."""
    con = db.connect(seeded_db_path)
    report(con, "KHTC", "2021-Q1", tasks={"V.1": ("in_progress", 60)}, plan="syt-thanh-hoa-2021")
    con.close()
    at = open_page(monkeypatch, seeded_db_path, "pages/tasks.py", org="syt-thanh-hoa", year="2021",
                   period="2021-Q1")
    assert "V.1" in set(at.dataframe[0].value["code"])  # the overdue list
    at = open_page(monkeypatch, seeded_db_path, "pages/tasks.py", org="syt-thanh-hoa", year="2021",
                   period="2021-Q1", as_of="15-03-2021")
    assert "ngày xét 15/03/2021" in at.caption[0].value
    all_tasks = frame_with(at, "state_label")
    assert all_tasks.set_index("code").loc["V.1", "state_label"] == "Đang thực hiện, đúng tiến độ"


def test_the_file_behind_a_figure_downloads_from_the_target_page(monkeypatch, seeded_db_path, tmp_path):
    """A leader goes from a target's figure to the very file the unit sent: Văn phòng Sở's Quý I/2021 workbook
    for CT01 (95/100), uploaded through the product, is offered under its own name; a figure that came from no
    file (a report recorded by the library, as the command line does) says so and offers no button."""
    from kpi.excel import template, upload
    from kpi.periods import parse_period
    from tests.excel.conftest import Filled
    from tests.helpers import TEST_ACTOR
    con = db.connect(seeded_db_path)
    q1 = parse_period("2021-Q1")
    blank = tmp_path / "VPS-2021-Q1.xlsx"
    blank.write_bytes(template.build(con, "syt-thanh-hoa-2021", "VPS", q1))
    filled = Filled(blank, tmp_path / "Văn phòng Sở - Quý I.xlsx").ratio("CT01", 95, 100).save()
    outcome = upload.submit(con, filled, actor=TEST_ACTOR, plan="syt-thanh-hoa-2021", unit="VPS", period=q1,
                            confirmed=True)
    assert outcome.status == "applied"
    con.close()
    at = open_page(monkeypatch, seeded_db_path, "pages/targets.py", org="syt-thanh-hoa", year="2021",
                   period="2021-Q1", target="CT01")
    buttons = at.get("download_button")
    assert len(buttons) == 1
    label = buttons[0].proto.label
    assert label.startswith("Tải «Văn phòng Sở - Quý I.xlsx» — Văn phòng Sở, Quý I/2021, nộp lúc ")
    assert buttons[0].proto.url  # served by Streamlit's media store
    con = db.connect(seeded_db_path)
    report(con, "VPS", "2021-Q2", {"CT01": (90, 100)}, plan="syt-thanh-hoa-2021")  # no file behind it
    con.close()
    none = open_page(monkeypatch, seeded_db_path, "pages/targets.py", org="syt-thanh-hoa", year="2021",
                     period="2021-Q2", target="CT01")
    assert len(none.get("download_button")) == 0
    assert any("không đến từ tệp nộp lên" in c.value for c in none.caption)
