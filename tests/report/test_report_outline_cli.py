"""The outline is a file a province replaces (checked when loaded), and `python -m kpi report` as a real process."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kpi import text
from kpi.problems import KpiError
from kpi.report import build, outline
from tests.conftest import file_fingerprint
from tests.report.conftest import NOW, Q1, full_text, open_docx
from tests.test_cli import kpi

LARGEST = "syt-dong-nai-2023"


def _copy(tmp_path, edit) -> Path:
    data = yaml.safe_load(outline.DEFAULT_PATH.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "de-cuong.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_shipped_outline_loads_and_lists_every_phrase_it_has():
    shipped = outline.load()
    assert shipped.path == outline.DEFAULT_PATH
    for key in outline.PHRASES:
        assert shipped.raw(key.removesuffix("[]")) is not None


def test_a_province_changes_a_title_in_a_file_not_in_code(small, tmp_path, monkeypatch):
    def rename(data):
        data["sections"]["proposals"]["title"] = "V. KIẾN NGHỊ VỚI UBND TỈNH"
    path = _copy(tmp_path, rename)
    assert "V. KIẾN NGHỊ VỚI UBND TỈNH" in full_text(open_docx(build(small, scope=Q1, outline=path, now=NOW)))
    monkeypatch.setenv(outline.ENV_OUTLINE, str(path))        # or for every report, by the environment
    assert "V. KIẾN NGHỊ VỚI UBND TỈNH" in full_text(open_docx(build(small, scope=Q1, now=NOW)))


def test_a_broken_outline_is_refused_with_every_problem_named(small, tmp_path):
    def break_it(data):
        data["area"]["target"] = "{code}: {chi_tieu}"           # a name the phrase may not use
        del data["sections"]["next"]["title"]                    # a phrase missing
        data["page"]["margins_mm"]["left"] = 80                  # off the page
        data["appendix"]["task_columns"] = ["STT", "Mã"]         # too few columns
    with pytest.raises(KpiError) as refused:
        build(small, scope=Q1, outline=_copy(tmp_path, break_it))
    assert refused.value.code == "report_outline_invalid"
    message = refused.value.message
    for part in ("{chi_tieu}", "sections.next.title", "page.margins_mm.left", "appendix.task_columns"):
        assert part in message, part
    with pytest.raises(KpiError) as unreadable:
        build(small, scope=Q1, outline=tmp_path / "khong-co.yaml")
    assert unreadable.value.code == "report_outline_unreadable"


def test_a_unit_text_cannot_make_itself_a_placeholder():
    runs = outline.phrase_runs("{text} [[viết thêm]]", {"text": "[[không phải chỗ trống]]"})
    assert [(r.text, r.placeholder) for r in runs] == [("[[không phải chỗ trống]] ", False), ("viết thêm", True)]


def test_cli_writes_the_report_and_reads_nothing_into_the_database(demo_path, tmp_path):
    before = file_fingerprint(demo_path)
    output = tmp_path / "bao-cao.docx"
    done = kpi("report", "--plan", LARGEST, "--period", "2023-H1", "--output", str(output), db_path=demo_path)
    assert done.returncode == 0, done.stderr
    assert "Đã ghi báo cáo" in done.stdout and output.stat().st_size > 20_000
    assert "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2023" in full_text(
        open_docx(output.read_bytes()))
    assert file_fingerprint(demo_path) == before


def test_cli_report_of_a_snapshot(demo_path, tmp_path):
    made = kpi("snapshot", "create", "--plan", LARGEST, "--period", "2023-Q3", "--name", "Họp Quý III",
               "--by", "Văn phòng", db_path=demo_path)
    assert made.returncode == 0, made.stderr
    output = tmp_path / "anh-chup.docx"
    done = kpi("report", "--snapshot", "1", "-o", str(output), db_path=demo_path)
    assert done.returncode == 0, done.stderr
    assert "«Họp Quý III» (số 1" in full_text(open_docx(output.read_bytes()))


@pytest.mark.parametrize("args, words", [
    (["--plan", "khong-co", "--period", "2023-H1"], "Không có kế hoạch «khong-co»"),
    (["--plan", LARGEST, "--period", "2021-H1"], "không thuộc năm của kế hoạch"),
    (["--plan", LARGEST, "--period", "2023-H7"], "không hợp lệ"),
    (["--plan", LARGEST], "Cần đúng một nguồn"),
    (["--snapshot", "42"], "Không có ảnh chụp số «42»"),
    (["--snapshot", "1", "--plan", LARGEST, "--period", "2023-H1"], "Cần đúng một nguồn"),
], ids=["unknown-plan", "period-outside-plan", "bad-period", "no-period", "unknown-snapshot", "two-sources"])
def test_cli_refuses_in_vietnamese_with_exit_2_and_writes_nothing(demo_path, tmp_path, args, words):
    before = file_fingerprint(demo_path)
    output = tmp_path / "x.docx"
    refused = kpi("report", *args, "-o", str(output), db_path=demo_path)
    assert refused.returncode == 2 and words in refused.stderr, refused.stderr
    assert not output.exists() and not list(tmp_path.glob(".*.partial"))
    assert file_fingerprint(demo_path) == before


def test_cli_refuses_a_broken_outline(demo_path, tmp_path):
    broken = tmp_path / "hong.yaml"
    broken.write_text("version: 1\nheader: {}\n", encoding="utf-8")
    refused = kpi("report", "--plan", LARGEST, "--period", "2023-H1", "--outline", str(broken), "-o",
                  str(tmp_path / "x.docx"), db_path=demo_path)
    assert refused.returncode == 2 and "Tệp đề cương báo cáo" in refused.stderr
    assert text.PROBLEMS["report_outline_invalid"].hint in refused.stderr


def test_help_is_vietnamese():
    shown = kpi("report", "--help").stdout
    assert "Dự thảo báo cáo định kỳ" in shown and "Ví dụ: python -m kpi report" in shown



def test_every_phrase_and_its_names_are_documented():
    documented = (Path(__file__).resolve().parents[2] / "docs" / "report.md").read_text(encoding="utf-8")
    for key in outline.PHRASES:
        assert f"`{key}`" in documented, key
