"""AppTest of "Lĩnh vực", "Đơn vị" and "So sánh": figures worked by hand on the small plan of
tests/app/conftest.py; listings on illustrative data."""

from streamlit.testing.v1 import AppTest

from kpi import db
from kpi.cycle import demo
from tests.app.conftest import build_small, open_app



def open_page(monkeypatch, db_path, page, **params) -> AppTest:
    con = db.connect(db_path)
    demo.load(con)
    con.close()
    return open_app(monkeypatch, db_path, page, **params)


def test_area_page_lists_the_areas_targets(monkeypatch, seeded_db_path):
    at = open_page(monkeypatch, seeded_db_path, "pages/areas.py", org="syt-dong-nai", year="2023",
                   period="2023-9M", area="thu_tuc_hanh_chinh")
    assert at.markdown[0].value.startswith("Mức đạt: ")
    targets = at.dataframe[0].value
    assert len(targets) == 17 and targets["code"].str.startswith("CT").all()


def test_area_page_figures_equal_the_hand_worked_small_plan(monkeypatch, tmp_path):
    """tests/app/conftest.py SMALL, Quý I/2023, area «Cải cách thủ tục hành chính» (CT01, CT02, NV02):
    CT01 (45 + 50) / (50 + 50) = 95,0%; 95/96 = 98,96% → 99,0% «Gần đạt»; CT02 2/100 = 2,0% ≤ 5% → 100,0% «Đạt»;
    NV02 overdue → 0. Area (0,98958 + 1 + 0) / 3 = 66,3% «Chưa đạt»; targets met 1/2; overdue 1.
    By unit: Phòng A CT01 45/50 = 90% → 90/96 = 0,9375, CT02 1 → (0,9375 + 1) / 2 = 96,9% «Gần đạt»;
    Đơn vị B CT01 50/50 → 1, NV02 0 → (1 + 0) / 2 = 50,0% «Chưa đạt»."""
    at = open_app(monkeypatch, build_small(tmp_path / "small.duckdb"), "pages/areas.py", org="nho", year="2023",
                  period="2023-Q1", area="thu_tuc_hanh_chinh")
    assert at.markdown[0].value == ("Mức đạt: 66,3% · Chưa đạt · chỉ tiêu đạt 1/2 · nhiệm vụ quá hạn 1 · "
                                    "báo cáo đã nhận 100%")
    targets = at.dataframe[0].value
    assert [tuple(r) for r in targets[["code", "actual_shown", "attainment_shown", "status_label"]].values] == [
        ("CT01", "95,0%", "99,0%", "Gần đạt"), ("CT02", "2,0%", "100,0%", "Đạt")]
    units = at.dataframe[1].value
    assert [tuple(r) for r in units[["name", "attainment_shown", "status_label"]].values] == [
        ("Phòng A", "96,9%", "Gần đạt"), ("Đơn vị B", "50,0%", "Chưa đạt")]
    tasks = at.dataframe[2].value
    assert [tuple(r) for r in tasks[["code", "status_label"]].values] == [("NV02", "Quá hạn")]


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


def test_the_unit_page_narrows_to_one_area_from_its_url(monkeypatch, seeded_db_path):
    """?unit=VPS&area=… (the heatmap's cell address): only that unit's targets of that area are listed, and the
    «Lĩnh vực» box says which; without `area`, every area."""
    from kpi import db
    from kpi.cycle import demo
    from tests.app.conftest import open_app
    con = db.connect(seeded_db_path)
    demo.load(con)
    areas = dict(con.execute("SELECT code, area_code FROM target WHERE plan_id = 'syt-dong-nai-2023'").fetchall())
    con.close()
    every = open_app(monkeypatch, seeded_db_path, "pages/units.py", org="syt-dong-nai", year="2023",
                     period="2023-9M", unit="VPS")
    one = open_app(monkeypatch, seeded_db_path, "pages/units.py", org="syt-dong-nai", year="2023",
                   period="2023-9M", unit="VPS", area="cong_vu")
    all_codes = set(every.dataframe[0].value["code"])
    shown = set(one.dataframe[0].value["code"])
    assert shown and shown < all_codes and {areas[c] for c in shown} == {"cong_vu"}
    assert {c for c in all_codes if areas[c] == "cong_vu"} == shown
