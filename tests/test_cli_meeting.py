"""`python -m kpi snapshot …` and `python -m kpi export …` as real processes on a real database file."""
import json
import shutil

import pytest

from kpi import db
from kpi.cycle import demo
from tests.test_cli import kpi

PLAN = "syt-dong-nai-2023"


@pytest.fixture
def demo_path(seeded_db_path):
    con = db.connect(seeded_db_path)
    demo.load(con)
    con.close()
    return seeded_db_path


def test_snapshot_create_list_show_compare_delete(demo_path):
    made = kpi("snapshot", "create", "--plan", PLAN, "--period", "2023-Q2", "--name", "Họp Quý II",
               "--by", "Nguyễn Văn A", "--format", "json", db_path=demo_path)
    assert made.returncode == 0, made.stderr
    first = json.loads(made.stdout)
    assert (first["period_label"], first["as_of"], first["created_by"]) == ("Quý II/2023", "2023-06-30",
                                                                          "Nguyễn Văn A")
    second = kpi("snapshot", "create", "--plan", PLAN, "--period", "2023-Q3", "--name", "Họp Quý III",
                 "--by", "Trần Thị B", "--as-of", "15/10/2023", db_path=demo_path)
    assert second.returncode == 0 and "Đã tạo ảnh chụp số 2" in second.stdout and "15/10/2023" in second.stdout

    listed = json.loads(kpi("snapshot", "list", "--plan", PLAN, "--format", "json", db_path=demo_path).stdout)
    assert [s["id"] for s in listed] == [2, 1]

    shown = json.loads(kpi("snapshot", "show", "1", "--format", "json", db_path=demo_path).stdout)
    assert len(shown["areas"]) == 7 and {s["period"] for s in shown["submissions"]} == {"2023-Q2"}
    table = kpi("snapshot", "show", "1", db_path=demo_path).stdout
    assert "«Họp Quý II» (số 1" in table and "Dữ liệu minh họa" in table

    compared = json.loads(kpi("snapshot", "compare", "1", "2", "--format", "json", db_path=demo_path).stdout)
    # Quý III's demo reports were not used by the Quý II snapshot: each of them "reported since".
    assert {r["period"] for r in compared["reported_since"]} == {"Quý III/2023"}
    assert len(compared["areas_change"]) == 7

    refused = kpi("snapshot", "delete", "1", db_path=demo_path)  # no --yes, no terminal: answer is no
    assert refused.returncode != 0
    deleted = kpi("snapshot", "delete", "1", "--yes", db_path=demo_path)
    assert deleted.returncode == 0
    assert [s["id"] for s in json.loads(kpi("snapshot", "list", "--format", "json", db_path=demo_path).stdout)] == [2]


def test_unknown_snapshot_and_missing_source_exit_2(demo_path, tmp_path):
    unknown = kpi("snapshot", "show", "42", db_path=demo_path)
    assert unknown.returncode == 2 and "Không có ảnh chụp số «42»" in unknown.stderr
    neither = kpi("export", "--format", "pdf", "-o", str(tmp_path / "x.pdf"), db_path=demo_path)
    assert neither.returncode == 2 and "--snapshot" in neither.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("fmt, magic", [("pdf", b"%PDF"), ("xlsx", b"PK"), ("pptx", b"PK")])
def test_export_from_a_snapshot_writes_the_file(demo_path, tmp_path, fmt, magic):
    assert kpi("snapshot", "create", "--plan", PLAN, "--period", "2023-Q3", "--name", "Họp", "--by", "VP",
               db_path=demo_path).returncode == 0
    output = tmp_path / f"bao-cao.{fmt}"
    result = kpi("export", "--snapshot", "1", "--format", fmt, "-o", str(output), db_path=demo_path)
    assert result.returncode == 0, result.stderr
    assert output.read_bytes()[:len(magic)] == magic
    assert "[100%]" in result.stderr  # progress reached the end
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no partial file left


def test_export_of_current_figures(demo_path, tmp_path):
    output = tmp_path / "now.xlsx"
    result = kpi("export", "--plan", PLAN, "--period", "2023-Q3", "--format", "xlsx", "-o", str(output),
                 db_path=demo_path)
    assert result.returncode == 0, result.stderr
    assert output.stat().st_size > 0
    shutil.copy(output, tmp_path / "copy.xlsx")
