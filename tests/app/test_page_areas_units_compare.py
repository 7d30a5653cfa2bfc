"""AppTest of "Lĩnh vực", "Đơn vị" and "So sánh" on illustrative data; figures equal the engine's."""

from streamlit.testing.v1 import AppTest

from kpi import db, engine
from kpi.cycle import demo
from tests.app.conftest import open_app
from tests.helpers import scope



def open_page(monkeypatch, db_path, page, **params) -> AppTest:
    con = db.connect(db_path)
    demo.load(con)
    con.close()
    return open_app(monkeypatch, db_path, page, **params)


def test_area_page_summarises_the_area_as_the_engine_does(monkeypatch, seeded_db_path):
    at = open_page(monkeypatch, seeded_db_path, "pages/areas.py", org="syt-dong-nai", year="2023",
                   period="2023-9M", area="thu_tuc_hanh_chinh")
    con = db.connect(seeded_db_path)
    row = engine.attainment(con, scope("syt-dong-nai-2023", "2023-9M"), by="area").set_index("area_code").loc[
        "thu_tuc_hanh_chinh"]
    con.close()
    expected = f"{row['attainment'] * 100:.1f}%".replace(".", ",")
    assert f"Mức đạt: {expected}" in at.markdown[0].value
    targets = at.dataframe[0].value
    assert len(targets) == 17 and targets["code"].str.startswith("CT").all()


def test_unit_page_shows_the_units_own_figures(monkeypatch, seeded_db_path):
    at = open_page(monkeypatch, seeded_db_path, "pages/units.py", org="syt-dong-nai", year="2023",
                   period="2023-9M", unit="KHTC")
    assert at.selectbox(key="unit_code").value == "KHTC"
    own = at.dataframe[0].value
    con = db.connect(seeded_db_path)
    reported = {r[0] for r in con.execute("SELECT target_code FROM target_reporter WHERE plan_id = "
                                          "'syt-dong-nai-2023' AND unit_code = 'KHTC'").fetchall()}
    con.close()
    assert set(own["code"]) == reported == {"CT26", "CT27"}
    assert own["attainment_shown"].str.endswith("%").all()


def test_compare_page_puts_departments_side_by_side(monkeypatch, seeded_db_path):
    at = open_page(monkeypatch, seeded_db_path, "pages/compare.py", org="syt-thanh-hoa", year="2021",
                   period="2021-9M")
    years, organisations = at.dataframe[0].value, at.dataframe[1].value
    assert set(years["year"]) == {2021, 2022}
    assert {"Sở Công Thương", "Sở Y tế Lai Châu", "Sở Y tế Thanh Hóa"} <= set(organisations["organisation"])
