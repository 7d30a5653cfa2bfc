"""The five bundled plans against their seeds: complete, faithful, traps handled.

Counts were made by hand from the seeds, independently of the transcriptions
(docs/seed-plans.md says how); they are not read back from the code's output.
"""
import re
from collections import Counter

import pytest

from kpi.plans import catalogue, io, transcription
from tests import backend

from tests.conftest import SEEDS, TEAM_SEEDS  # data/seeds/; the team's originals beside the clone
AREAS = ("the_che", "thu_tuc_hanh_chinh", "to_chuc_bo_may", "cong_vu", "tai_chinh_cong", "chinh_quyen_so",
         "chi_dao_dieu_hanh")

# Appendix task rows per area, in the order of AREAS, counted on the seed text.
TASKS_PER_AREA = {
    "syt-thanh-hoa-2021": (5, 6, 3, 7, 2, 5, 4),     # rows 1.–n. under headings I–VII, 32 in all
    "syt-thanh-hoa-2022": (4, 7, 3, 8, 3, 5, 4),     # 34
    "syt-dong-nai-2023": (5, 21, 5, 8, 4, 7, 4),     # 54 activity rows, continuation rows included
    "sct-2021": (3, 4, 5, 13, 3, 10, 8),             # rows 1–45 with "33" twice: 46
    "syt-lai-chau-2021": (5, 3, 2, 3, 2, 5, 4),      # 24 rows, one "Năm 2021" deadline cell each
}
TARGETS = {"syt-thanh-hoa-2021": 8, "syt-thanh-hoa-2022": 13, "syt-dong-nai-2023": 39, "sct-2021": 23,
           "syt-lai-chau-2021": 11}
SOURCE_FILES = {"syt-thanh-hoa-2021": "000_97ce898ec87af707.txt", "syt-thanh-hoa-2022": "001_7dbf9d9573a33ab2.txt",
                "syt-dong-nai-2023": "002_2f2b4656f041ae0f.txt", "sct-2021": "003_24a9c7e6c9ad4780.txt",
                "syt-lai-chau-2021": "004_cb8fb6ae9e24c1df.txt"}


@pytest.fixture(scope="module")
def documents(seeded_db_file):
    from kpi import db
    con = db.connect(seeded_db_file)
    try:
        return {plan_id: catalogue.plan_document(con, plan_id) for plan_id in TASKS_PER_AREA}
    finally:
        con.close()


def test_bundled_source_documents_are_the_five_seeds():
    assert sorted(p.name for p in SEEDS.glob("*.txt")) == sorted(SOURCE_FILES.values())


@pytest.mark.skipif(not TEAM_SEEDS.is_dir(), reason=f"the team's seed originals are not at {TEAM_SEEDS} "
                    "(set KPI_TEAM_SEEDS); data/seeds/ is then checked on its own")
def test_bundled_source_documents_are_the_team_originals():
    for name in SOURCE_FILES.values():
        assert (SEEDS / name).read_bytes() == (TEAM_SEEDS / name).read_bytes(), name


def test_all_five_seed_plans_are_bundled(documents):
    assert {d["plan"]["source_file"] for d in documents.values()} == set(SOURCE_FILES.values())
    assert {p: d["plan"]["source_file"] for p, d in documents.items()} == SOURCE_FILES


@pytest.mark.parametrize("plan_id", TASKS_PER_AREA)
def test_every_appendix_task_row_is_there_per_area(documents, plan_id):
    counted = Counter(t["area"] for t in documents[plan_id]["tasks"])
    assert tuple(counted.get(a, 0) for a in AREAS) == TASKS_PER_AREA[plan_id]


@pytest.mark.parametrize("plan_id", TARGETS)
def test_target_count_per_plan(documents, plan_id):
    assert len(documents[plan_id]["targets"]) == TARGETS[plan_id]


def _seed_lines(source_file: str) -> list[str]:
    return (SEEDS / source_file).read_text(encoding="utf-8").split("\n")


def _plain(value: str) -> str:
    value = re.sub(r"<[^>]+>|\*\*|\*", " ", value)
    return " ".join(value.split()).casefold()


def _span(lines_ref: str) -> tuple[int, int]:
    first, _, last = lines_ref.replace("–", "-").partition("-")
    return int(first), int(last or first)


@pytest.mark.parametrize("plan_id", TASKS_PER_AREA)
def test_every_row_points_at_the_seed_lines_that_hold_its_text(documents, plan_id):
    seed = _seed_lines(SOURCE_FILES[plan_id])
    misplaced = []
    doc = documents[plan_id]
    for kind, row in [("task", t) for t in doc["tasks"]] + [("target", t) for t in doc["targets"]]:
        ref = row["source"]["lines"]
        assert ref, f"{kind} {row['code']} has no line reference"
        first, last = _span(ref)
        window = _plain(" ".join(seed[first - 1:last]))
        candidates = [row["text"]] + ([row["original_text"]] if row["original_text"] else [])
        # original_text may name several fields ("text: … | lead_text: …"): try each part.
        candidates += [part.split(":", 1)[-1] for c in candidates[1:] for part in c.split(" | ")]
        if not any(_plain(c)[:25] in window for c in candidates):
            misplaced.append((kind, row["code"], ref))
    assert misplaced == []


def test_split_rows_are_one_task_with_both_parts():
    """Seed 000 appendix III.2 breaks at a page: "…xây" / "dựng đề án vị trí việc làm …"."""
    plan = transcription.load(transcription.SOURCE_DIR / "syt-thanh-hoa-2021.yaml")
    task = next(t for t in plan.tasks if t.code == "III.2")
    assert "xây dựng đề án vị trí việc làm" in task.text
    assert "split_across_pages" in task.flags
    assert task.product.endswith("của UBND tỉnh")


def test_row_number_used_twice_is_two_tasks(documents):
    tasks = {t["code"]: t for t in documents["sct-2021"]["tasks"]}
    assert {"33a", "33b"} <= tasks.keys() and "33" not in tasks
    assert tasks["33a"]["text"] != tasks["33b"]["text"]
    assert all("duplicate_row_number" in tasks[c]["flags"] for c in ("33a", "33b"))


@pytest.mark.parametrize("body, appendix", [(92, 93), (90, 100)], ids=["pakn-satisfaction", "job-positions"])
def test_dong_nai_body_and_appendix_disagreements_keep_both_values(documents, body, appendix):
    conflicts = [c for c in documents["syt-dong-nai-2023"]["conflicts"]
                 if (c["body_value"], c["appendix_value"]) == (body, appendix)]
    assert len(conflicts) == 1 and conflicts[0]["status"] == "unresolved"
    target = next(t for t in documents["syt-dong-nai-2023"]["targets"] if t["code"] == conflicts[0]["target_code"])
    assert target["stated_in"] == "both" and "conflict" in target["flags"]


def test_pakn_satisfaction_conflict_cites_both_places(documents):
    doc = documents["syt-dong-nai-2023"]
    conflict = next(c for c in doc["conflicts"] if c["appendix_value"] == 93)
    target = next(t for t in doc["targets"] if t["code"] == conflict["target_code"])
    assert target["source"]["lines"] == "74" and target["source"]["appendix_lines"] == "352"


def test_typos_are_normalised_with_the_original_kept():
    plan = transcription.load(transcription.SOURCE_DIR / "syt-thanh-hoa-2021.yaml")
    task = next(t for t in plan.tasks if t.code == "VII.2")
    assert "BCCI" in task.text and "BCCL" not in task.text
    assert "BCCL" in task.original_text and "typo_normalised" in task.flags


def test_lai_chau_budget_is_complete(documents):
    budgets = {t["code"]: t["budget_million_vnd"] for t in documents["syt-lai-chau-2021"]["tasks"]
               if t["budget_million_vnd"] is not None}
    assert budgets == {"VI.1.1": 4000, "VII.4": 15}  # lines 1396 and 1633 of seed 004


def test_dong_nai_plan_metadata(documents):
    plan = documents["syt-dong-nai-2023"]["plan"]
    assert (plan["number"], plan["issued_on"], plan["year"]) == ("311/KH-SYT", "2023-01-19", 2023)


def test_seed_003_sets_its_own_report_deadlines(documents):
    deadlines = {d["period"]: (d["day"], d["month"]) for d in documents["sct-2021"]["report_deadlines"]}
    assert deadlines == {"Q1": (10, 3), "H1": (10, 6), "9M": (10, 9), "Y": (5, 12)}


def test_units_spelled_differently_are_one_unit(documents):
    tasks = documents["syt-thanh-hoa-2021"]["tasks"]
    leads = Counter(u for t in tasks for u in t["lead_units"])
    assert "Văn phòng Sở" in leads and not any(u in leads for u in ("VP Sở", "VPS"))
    split = next(t for t in tasks if t["code"] == "III.3")  # "Phòng TCCB, Thanh tra Sở"
    assert len(split["lead_units"]) == 2


def test_bundled_workbooks_are_in_step_with_their_transcriptions(tmp_path):
    rebuilt = {p.name: p for p in io.build_bundled(tmp_path)}
    shipped = {p.name: p for p in io.bundled_workbooks()}
    assert rebuilt.keys() == shipped.keys()
    from kpi import db
    con = db.connect(backend.new_database())
    for name in shipped:
        assert io.check_workbook(con, shipped[name]) == io.check_workbook(con, rebuilt[name]), name


def _targets(documents, plan_id):
    return {t["code"]: t for t in documents[plan_id]["targets"]}


def test_dong_nai_one_sentence_two_targets_each_shows_its_own_part(documents):
    """Seed 002 line 58: "100% thủ tục hành chính, quy trình nội bộ, quy trình điện tử thực hiện thủ tục hành
    chính thuộc thẩm quyền … được ban hành mới, sửa đổi, bổ sung, bãi bỏ kịp thời theo quy định"."""
    targets = _targets(documents, "syt-dong-nai-2023")
    ct03, ct04 = targets["CT03"], targets["CT04"]
    assert ct03["text"] != ct04["text"]
    assert ct03["text"].startswith("100% thủ tục hành chính thuộc thẩm quyền giải quyết của Sở Y tế")
    assert "quy trình nội bộ" not in ct03["text"]
    assert ct04["text"].startswith("100% quy trình nội bộ, quy trình điện tử thực hiện thủ tục hành chính thuộc")
    seed = _plain(_seed_lines(SOURCE_FILES["syt-dong-nai-2023"])[58 - 1])
    for target in (ct03, ct04):
        assert target["source"]["lines"] == "58" and target["original_text"] == ct03["original_text"]
        assert _plain(target["original_text"]) in seed               # the shared sentence, verbatim
        assert target["text"].endswith("bãi bỏ kịp thời theo quy định")


@pytest.mark.parametrize("restating, original, lines", [("CT28", "CT13", ("192", "70", "348")),
                                                        ("CT33", "CT11", ("196", "66", "349")),
                                                        ("CT39", "CT14", ("392", "70", "344"))])
def test_dong_nai_targets_stated_twice_are_linked_to_the_first(documents, restating, original, lines):
    targets = _targets(documents, "syt-dong-nai-2023")
    assert targets[restating]["same_as"] == original and targets[original]["same_as"] is None
    assert (targets[restating]["value"], targets[restating]["comparator"]) == \
        (targets[original]["value"], targets[original]["comparator"])
    assert targets[restating]["source"]["lines"] == lines[0]         # kept with its own provenance
    assert all(f"dòng {line}" in targets[restating]["note"].casefold() for line in lines)  # quotes both places
    assert "needs_review" not in targets[restating]["flags"]         # decided: the same measure


def test_dong_nai_work_files_online_has_the_key_the_other_plan_uses(documents):
    """002 CT31 (line 194) and 001 CT06 (line 30): "100% hồ sơ công việc … được xử lý trên môi trường mạng"."""
    ct31 = _targets(documents, "syt-dong-nai-2023")["CT31"]
    same = _targets(documents, "syt-thanh-hoa-2022")["CT06"]
    assert "hồ sơ công việc" in ct31["text"] and "hồ sơ công việc" in same["text"]
    assert ct31["indicator_key"] == same["indicator_key"] is None   # work files, not documents_electronic
    used = {t["indicator_key"] for d in documents.values() for t in d["targets"] if "hồ sơ công việc" in t["text"]
            and "môi trường mạng" in t["text"]}
    assert used == {None}


def test_sct_inspection_is_the_office_s_doing(documents):
    """003 CT03 (line 34) inspects the units; appendix row 6 "Kiểm tra CCHC năm 2021" (line 211): Văn phòng Sở."""
    ct03 = _targets(documents, "sct-2021")["CT03"]
    assert ct03["responsible_units"] == ["Văn phòng Sở"]
    assert "đối tượng được kiểm tra" in ct03["note"] and "dòng 211" in ct03["note"]
    task = next(t for t in documents["sct-2021"]["tasks"] if t["code"] == "6")
    assert task["lead_units"] == ct03["responsible_units"]
