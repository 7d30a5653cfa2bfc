"""`python -m kpi` as administrators and scripts call it: real processes, real files."""
import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import file_sha256, held_by_another_process
from tests.backend import FILE_ONLY

ROOT = Path(__file__).resolve().parents[1]
PLAN_KEYS = {"id", "organisation", "year", "number", "issued_on", "source_file"}
TARGET_KEYS = {"code", "area", "text", "comparator", "value", "unit_of_measure", "kind", "stated_in",
               "responsible_units", "deadline_text", "due_date", "indicator_key", "source", "flags"}
TASK_KEYS = {"code", "area", "text", "product", "lead_units", "coordinating_units", "deadline_text",
             "deadline_kind", "due_date", "milestones", "budget_million_vnd", "source", "flags"}


def kpi(*args, db_path=None):
    command = [sys.executable, "-m", "kpi"] + (["--db", str(db_path)] if db_path else []) + list(args)
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_init_twice_loads_once(tmp_path):
    path = tmp_path / "cli.duckdb"
    first, second = kpi("init", db_path=path), kpi("init", db_path=path)
    assert first.returncode == 0 and "đã nạp 5 kế hoạch mới" in first.stdout
    assert second.returncode == 0 and "đã nạp 0 kế hoạch mới, 5 kế hoạch đã có" in second.stdout


def test_plans_list_json(seeded_db_path):
    result = kpi("plans", "list", "--format", "json", db_path=seeded_db_path)
    assert result.returncode == 0
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["sct-2021", "syt-dong-nai-2023", "syt-lai-chau-2021",
                                       "syt-thanh-hoa-2021", "syt-thanh-hoa-2022"]  # Công < Y tế Đ < L < T


def test_plans_show_json_is_the_documented_contract(seeded_db_path):
    result = kpi("plans", "show", "syt-dong-nai-2023", "--format", "json", db_path=seeded_db_path)
    assert result.returncode == 0
    doc = json.loads(result.stdout)
    assert PLAN_KEYS <= doc["plan"].keys()
    assert all(TARGET_KEYS <= t.keys() for t in doc["targets"])
    assert all(TASK_KEYS <= t.keys() for t in doc["tasks"])
    assert {t["comparator"] for t in doc["targets"]} <= {">=", ">", "<=", "<", "=", "increase", "decrease", "done"}
    pakn = next(c for c in doc["conflicts"] if c["appendix_value"] == 93)
    assert (pakn["body_value"], pakn["status"]) == (92, "unresolved")
    task = next(t for t in doc["tasks"] if t["code"] == "II.1.7")
    assert (task["deadline_text"], task["due_date"]) == ("Trước ngày 01/12/2023", "2023-12-01")


def test_plans_show_unknown_plan_exits_2_in_vietnamese(seeded_db_path):
    result = kpi("plans", "show", "khong-co", db_path=seeded_db_path)
    assert result.returncode == 2 and "Không có kế hoạch «khong-co»" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_then_import_on_another_database(seeded_db_path, tmp_path):
    out = tmp_path / "sct.xlsx"
    assert kpi("plans", "export", "sct-2021", "-o", str(out), db_path=seeded_db_path).returncode == 0
    other = tmp_path / "other.duckdb"
    kpi("plans", "list", db_path=other)  # creates an empty database
    result = kpi("plans", "import", str(out), db_path=other)
    assert result.returncode == 0 and "23 chỉ tiêu, 46 nhiệm vụ" in result.stdout


def test_rejected_import_exits_2_and_leaves_the_file_byte_identical(seeded_db_path, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("Mã,Nội dung\n", encoding="utf-8")
    before = file_sha256(seeded_db_path)
    result = kpi("plans", "import", str(bad), db_path=seeded_db_path)
    assert result.returncode == 2
    assert "không phải tệp Excel .xlsx" in result.stderr and "Không có gì được ghi" in result.stderr
    assert file_sha256(seeded_db_path) == before
    assert not Path(str(seeded_db_path) + ".wal").exists()


def test_existing_plan_needs_replace(seeded_db_path, tmp_path):
    out = tmp_path / "again.xlsx"
    kpi("plans", "export", "sct-2021", "-o", str(out), db_path=seeded_db_path)
    refused = kpi("plans", "import", str(out), db_path=seeded_db_path)
    assert refused.returncode == 2 and "--replace" in refused.stderr
    assert kpi("plans", "import", str(out), "--replace", db_path=seeded_db_path).returncode == 0


@FILE_ONLY
def test_busy_database_gives_a_clear_message_and_exit_3(seeded_db_path):
    with held_by_another_process(seeded_db_path):
        result = kpi("plans", "list", db_path=seeded_db_path)
    assert result.returncode == 3
    assert "đang được một chương trình khác mở" in result.stderr and "Traceback" not in result.stderr


def test_every_command_has_vietnamese_help_with_an_example():
    for args in (["init"], ["plans", "list"], ["plans", "show"], ["plans", "import"], ["plans", "export"]):
        result = kpi(*args, "--help")
        assert result.returncode == 0 and "Ví dụ:" in result.stdout, args
