"""AppTest of "Tổng quan", the default page: empty states, demo data, URL parameters."""


from kpi import db
from kpi.cycle import demo
from tests.app.conftest import build_small, frame_with, open_app



def with_demo(path):
    con = db.connect(path)
    demo.load(con)
    con.close()


def test_overview_is_the_default_page_and_says_when_nothing_is_reported(monkeypatch, seeded_db_path):
    at = open_app(monkeypatch, seeded_db_path)
    assert at.title[0].value == "Tổng quan"
    assert "Chưa có báo cáo nào cho Quý I/2021" in at.info[0].value
    assert not at.warning  # no illustrative banner without illustrative data


def test_empty_database_says_what_to_do(monkeypatch, tmp_path):
    path = tmp_path / "empty.duckdb"
    db.connect(path).close()
    at = open_app(monkeypatch, path)
    assert "Chưa có kế hoạch nào" in at.info[0].value


def test_demo_data_shows_figures_under_a_banner(monkeypatch, seeded_db_path):
    with_demo(seeded_db_path)
    at = open_app(monkeypatch, seeded_db_path, org="syt-dong-nai", year="2023", period="2023-9M")
    assert "Dữ liệu minh họa" in at.warning[0].value
    metrics = {m.label: m.value for m in at.metric}
    label = next(k for k in metrics if k.startswith("Mức đạt chung"))
    assert metrics[label].endswith("%") and "," in metrics[label]  # a figure, in Vietnamese format
    assert metrics["Chỉ tiêu đạt"].endswith("/36")  # 39 targets, 3 restate another (CT28, CT33, CT39): counted once
    assert len(at.get("plotly_chart")) == 3


def test_overview_figures_equal_the_hand_worked_small_plan(monkeypatch, tmp_path):
    """tests/app/conftest.py SMALL, Quý I/2023, worked by hand there:
    plan (CT01 0,98958 + CT02 1 + CT03 0,75 + NV01 1 + NV02 0) / 5 = 3,73958 / 5 = 74,8% → «Chưa đạt»;
    targets met: CT02 only → 1/3; tasks done: NV01 → 1/2; overdue: NV02 → 1; both units reported: 2/2 (100%)."""
    at = open_app(monkeypatch, build_small(tmp_path / "small.duckdb"), org="nho", year="2023", period="2023-Q1")
    assert not at.warning  # real reports: no illustrative banner
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Mức đạt chung · Chưa đạt": "74,8%", "Chỉ tiêu đạt": "1/3", "Nhiệm vụ hoàn thành": "1/2",
                       "Nhiệm vụ quá hạn": "1", "Đơn vị đã báo cáo": "2/2 (100%)"}
    # The targets not met: CT01 (95/100 = 95,0%, 98,96% of 96% → «Gần đạt») and CT03 (9 of 12 → «Chưa đạt»).
    open_targets = frame_with(at, "responsible")
    assert list(zip(open_targets["code"], open_targets["actual"], open_targets["status"])) == [
        ("CT01", "95,0%", "Gần đạt"), ("CT03", "9", "Chưa đạt")]
    assert list(frame_with(at, "due")["code"]) == ["NV02"]  # 40% at 31/03/2023: overdue


def test_period_in_the_url_is_restored(monkeypatch, seeded_db_path):
    with_demo(seeded_db_path)
    at = open_app(monkeypatch, seeded_db_path, org="syt-thanh-hoa", year="2022", period="2022-H1")
    assert at.sidebar.selectbox(key="period").value == "2022-H1"
    assert "6 tháng đầu năm 2022" in at.caption[0].value
    # the plan is named as people say it, never by its code
    assert at.caption[0].value.startswith("Kế hoạch CCHC năm 2022 · ") and "syt-thanh-hoa" not in at.caption[0].value


def test_default_period_is_the_latest_with_reports(monkeypatch, seeded_db_path):
    with_demo(seeded_db_path)  # demo fills Q1–Q3
    at = open_app(monkeypatch, seeded_db_path, org="sct", year="2021")
    assert at.sidebar.selectbox(key="period").value == "2021-9M"


def test_the_trend_title_says_which_points_it_shows(monkeypatch, seeded_db_path):
    """A quarter selected: the trend has the quarters, and says so; a cumulative period: year to date."""
    con = db.connect(seeded_db_path)
    demo.load(con)
    con.close()
    quarter = open_app(monkeypatch, seeded_db_path, org="sct", year="2021", period="2021-Q3")
    assert "Diễn biến theo từng quý" in [h.value for h in quarter.subheader]
    nine = open_app(monkeypatch, seeded_db_path, org="sct", year="2021", period="2021-9M")
    assert "Diễn biến lũy kế từ đầu năm" in [h.value for h in nine.subheader]


def test_what_the_overall_figure_stands_on_is_said_when_targets_lack_figures(monkeypatch, tmp_path):
    """SMALL, Quý II/2023: only Phòng A reports (CT01 40/50, CT02 1/100); CT03 is Đơn vị B's alone, so it has no
    figure: 2 of the 3 targets have one, and the headline says so under «Mức đạt chung». In Quý I every target
    has a figure (test above): no such line."""
    import datetime as dt

    from kpi.cycle.submissions import Submission, TargetFigure
    from kpi.periods import parse_period
    from tests.helpers import recorded
    path = build_small(tmp_path / "small.duckdb")
    con = db.connect(path)
    recorded(con, Submission("nho-2023", "A", parse_period("2023-Q2"), (
        TargetFigure("CT01", numerator=40, denominator=50), TargetFigure("CT02", numerator=1, denominator=100)), (),
        submitted_by="Phòng A", submitted_at=dt.datetime(2023, 6, 10, 3, 0)))
    con.close()
    at = open_app(monkeypatch, path, org="nho", year="2023", period="2023-Q2")
    said = [c.value for c in at.caption if "chưa có số liệu của kỳ" in c.value]
    assert said == ["1 trong 3 chỉ tiêu chưa có số liệu của kỳ: mức đạt chung tính trên 2 chỉ tiêu có số liệu và "
                    "các nhiệm vụ được chấm điểm."]
    quarter_one = open_app(monkeypatch, path, org="nho", year="2023", period="2023-Q1")
    assert not [c.value for c in quarter_one.caption if "số liệu của kỳ" in c.value]


def test_the_overall_figure_over_tasks_alone_is_named():
    from kpi.presentation.dashboard import measured_on_line
    # 13 targets, none with a figure (Thanh Hóa 2022, Quý I, demo data: «Đạt 100,0%» from three tasks done)
    assert measured_on_line({"targets": 13, "targets_with_data": 0}) == (
        "Chưa chỉ tiêu nào trong 13 chỉ tiêu có số liệu của kỳ: mức đạt chung chỉ tính trên các nhiệm vụ được "
        "chấm điểm.")
    assert measured_on_line({"targets": 1234, "targets_with_data": 1}).startswith("1.233 trong 1.234 chỉ tiêu")
    assert measured_on_line({"targets": 3, "targets_with_data": 3}) == ""
    assert measured_on_line({"targets": 3}) == ""  # a snapshot made before the count was kept: nothing claimed
