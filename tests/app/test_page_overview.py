"""AppTest of "Tổng quan", the default page: empty states, demo data, URL parameters."""


from kpi import db, engine
from kpi.cycle import demo
from tests.app.conftest import open_app
from tests.helpers import scope



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
    con = db.connect(seeded_db_path)
    plan = engine.attainment(con, scope("syt-dong-nai-2023", "2023-9M"), by="plan").iloc[0]
    targets = engine.attainment(con, scope("syt-dong-nai-2023", "2023-9M"))
    con.close()
    label = next(k for k in metrics if k.startswith("Mức đạt chung"))
    expected = f"{plan['attainment'] * 100:.1f}%".replace(".", ",")
    assert metrics[label] == expected  # the same number as the engine, Vietnamese format
    assert metrics["Chỉ tiêu đạt"] == f"{(targets['status'] == 'met').sum()}/39"
    assert len(at.get("plotly_chart")) == 3


def test_period_in_the_url_is_restored(monkeypatch, seeded_db_path):
    with_demo(seeded_db_path)
    at = open_app(monkeypatch, seeded_db_path, org="syt-thanh-hoa", year="2022", period="2022-H1")
    assert at.sidebar.selectbox(key="period").value == "2022-H1"
    assert "6 tháng đầu năm 2022" in at.caption[0].value


def test_default_period_is_the_latest_with_reports(monkeypatch, seeded_db_path):
    with_demo(seeded_db_path)  # demo fills Q1–Q3
    at = open_app(monkeypatch, seeded_db_path, org="sct", year="2021")
    assert at.sidebar.selectbox(key="period").value == "2021-9M"
