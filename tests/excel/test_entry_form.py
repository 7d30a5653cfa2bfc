"""The web entry form («Nhập trên trang», kpi/excel/entry_form.py) is the Excel path with another way of typing:
the same values are refused with the same messages, accepted ones are written exactly as the file would
write them, refusals leave the database unchanged (fingerprint), an empty field stays missing, and the audit
trail says the report came from the form. Also the preview of changes (kpi/excel/changes.py)."""
import datetime as dt
import json

import pytest

from kpi import access
from kpi.cycle import locks
from kpi.excel import changes, entry_form, upload
from kpi.periods import parse_period
from kpi.problems import KpiError
from tests.conftest import fingerprint
from tests.excel.conftest import PERIOD, PLAN, good
from tests.helpers import TEST_ACTOR

Q1 = parse_period(PERIOD)
TARGET, TASK = entry_form.TARGET, entry_form.TASK


def typed(**fields) -> dict:
    """Entries as the page hands them over: CT01_numerator="96" -> {("target", "CT01", "numerator"): "96"};
    task fields are named task_<code>_<field> with the code's dot as an underscore (I_1 is task I.1)."""
    entries = {}
    for name, value in fields.items():
        if name.startswith("task_"):
            roman, number, key = name[5:].split("_", 2)
            entries[(TASK, f"{roman}.{number}", key)] = value
        else:
            code, key = name.split("_", 1)
            entries[(TARGET, code, key)] = value
    return entries


def form_outcome(con, actor=TEST_ACTOR, unit="VPS", **fields) -> upload.Outcome:
    form = entry_form.open_form(con, PLAN, unit, Q1)
    return entry_form.submit(con, form, typed(**fields), actor=actor)


def file_outcome(con, path, actor=TEST_ACTOR) -> upload.Outcome:
    return upload.submit(con, path, plan=PLAN, unit="VPS", period=Q1, actor=actor)


def said(outcome) -> list[tuple]:
    """What each problem tells the person, and where in the template it points."""
    return [(p.code, p.severity.value, p.message, p.hint, p.rows, p.column, p.column_label)
            for p in outcome.checked.problems]


def stored_rows(con) -> tuple[list, list]:
    """current_actual and current_task_progress without the submission's id (new on every write)."""
    figures = con.execute("SELECT * EXCLUDE (submission_id) FROM current_actual ORDER BY ALL").fetchall()
    tasks = con.execute("SELECT * EXCLUDE (submission_id) FROM current_task_progress ORDER BY ALL").fetchall()
    return figures, tasks


# ---------------------------------------------------------------- the same refusals, the same words

REFUSED = {  # form fields -> (the same values in the template's cells, the problem codes expected)
    "numerator above denominator": ({"CT01_numerator": "120", "CT01_denominator": "100"},
                                    lambda f: f.ratio("CT01", 120, 100), ["numerator_gt_denominator"]),
    "not a number": ({"CT05_numerator": "x", "CT05_denominator": "80"},
                     lambda f: f.ratio("CT05", "x", 80), ["count_not_a_number"]),
    "half a ratio": ({"CT01_numerator": "96"}, lambda f: f.set("Chỉ tiêu", "CT01", "numerator", 96),
                     ["ratio_incomplete"]),
    "decimal count": ({"CT01_numerator": "12,5", "CT01_denominator": "100"},
                      lambda f: f.ratio("CT01", "12,5", 100), ["count_not_integer"]),
    "negative count": ({"CT01_numerator": "-3", "CT01_denominator": "100"},
                       lambda f: f.ratio("CT01", -3, 100), ["count_negative"]),
    "task done without a date": ({"task_I_1_status": "Hoàn thành"},
                                 lambda f: f.task("I.1", "Hoàn thành"), ["done_without_date"]),
    "progress over 100": ({"task_I_1_status": "Đang thực hiện", "task_I_1_progress": "150"},
                          lambda f: f.task("I.1", "Đang thực hiện", 150), ["progress_out_of_range"]),
    "evidence not a link": ({"CT01_numerator": "96", "CT01_denominator": "100", "CT01_evidence": "hồ sơ giấy"},
                           lambda f: f.ratio("CT01", 96, 100).set("Chỉ tiêu", "CT01", "evidence", "hồ sơ giấy"),
                           ["evidence_not_http"]),
}


@pytest.mark.parametrize("case", REFUSED)
def test_the_form_is_refused_with_the_words_of_the_same_values_in_an_excel_file(seeded_db, fill, case):
    fields, cells, codes = REFUSED[case]
    before = fingerprint(seeded_db)
    by_form = form_outcome(seeded_db, **fields)
    by_file = file_outcome(seeded_db, cells(fill()).save())
    assert by_form.status == by_file.status == "rejected"
    assert [p.code for p in by_form.checked.errors] == codes
    # message, hint, the template's row and column: word for word what the Excel file gets
    assert said(by_form) == said(by_file)
    assert fingerprint(seeded_db) == before


def test_the_forms_problems_name_the_target_and_the_field(seeded_db):
    form = entry_form.open_form(seeded_db, PLAN, "VPS", Q1)
    outcome = entry_form.submit(seeded_db, form, typed(CT01_numerator="120", CT01_denominator="100",
                                                       CT05_numerator="x", CT05_denominator="80"), actor=TEST_ACTOR)
    table = entry_form.problems_table(form, outcome)
    names = {row.code: row.name for row in form.targets}
    assert list(table["code"]) == ["CT01", "CT05"]
    assert list(table["item"]) == [names["CT01"], names["CT05"]]
    assert list(table["field"]) == ["Tử số", "Tử số"]
    assert list(table["message"]) == ["Tử số 120 lớn hơn mẫu số 100 (ô H4).", "«x» không phải là số."]


# ---------------------------------------------------------------- accepted: the same rows as the file

def test_an_accepted_form_writes_what_the_same_excel_file_writes(seeded_db_path, tmp_path, fill):
    """good(): CT01 95/100 with a note, CT05 60/80 with a note, I.1 done on 15/03/2021 (100%)."""
    from kpi import db
    from tests import backend
    twin = backend.copy_database(seeded_db_path, tmp_path, "twin.duckdb")
    by_file = db.connect(seeded_db_path)
    by_form = db.connect(twin)
    try:
        assert upload.submit(by_file, good(fill).save(), plan=PLAN, unit="VPS", period=Q1, actor=TEST_ACTOR,
                             confirmed=True).status == "applied"
        ready = form_outcome(by_form, CT01_numerator="95", CT01_denominator="100",
                             CT01_note="Hồ sơ trễ do mất điện", CT05_numerator="60", CT05_denominator="80",
                             CT05_note="Đang tăng", task_I_1_status="Hoàn thành", task_I_1_progress="100",
                             task_I_1_completed_on=dt.date(2021, 3, 15))
        assert ready.status == "ready", said(ready)
        applied = upload.confirm(by_form, ready, actor=TEST_ACTOR)
        assert applied.status == "applied" and len(applied.submissions) == 1
        assert stored_rows(by_form) == stored_rows(by_file)
        figures, _ = stored_rows(by_form)
        assert [(f[1], f[6], f[7]) for f in figures] == [("CT01", 95, 100), ("CT05", 60, 80)]
        assert by_form.execute("SELECT file_name, source FROM submission").fetchall() == [("Nhập trên trang", "upload")]
    finally:
        by_file.close()
        by_form.close()


def test_an_empty_field_stays_missing_never_zero(seeded_db):
    """Only CT01 is typed (96/100): CT05's empty fields bring no figure at all, not 0/0; the blank
    «Giá trị» of a target is not 0 either."""
    ready = form_outcome(seeded_db, CT01_numerator="96", CT01_denominator="100", CT01_note="",
                         CT05_numerator="", CT05_denominator="   ")
    upload.confirm(seeded_db, ready, actor=TEST_ACTOR)
    assert seeded_db.execute("SELECT target_code, numerator, denominator, value, note FROM current_actual").fetchall() \
        == [("CT01", 96, 100, None, None)]


def test_the_form_is_prefilled_and_sent_unchanged_changes_nothing(seeded_db):
    """A figure stored with more decimals than the form shows (12,34567 shows as «12,3457») is kept exactly
    when the field is left as shown: sending the prefilled form again is «nothing changed»."""
    first = form_outcome(seeded_db, CT01_numerator="1234", CT01_denominator="2000", CT01_note="ghi chú")
    upload.confirm(seeded_db, first, actor=TEST_ACTOR)
    form = entry_form.open_form(seeded_db, PLAN, "VPS", Q1)
    ct01 = next(r for r in form.targets if r.code == "CT01")
    assert (ct01.prefill("numerator"), ct01.prefill("denominator"), ct01.prefill("note")) == ("1.234", "2.000",
                                                                                               "ghi chú")
    entries = {(TARGET, row.code, key): row.prefill(key) for row in form.targets for key in row.fields}
    before = fingerprint(seeded_db)
    again = entry_form.submit(seeded_db, form, entries, actor=TEST_ACTOR)
    assert again.status == "unchanged"
    assert "identical_submission" in [p.code for p in again.checked.warnings]
    assert fingerprint(seeded_db) == before


def test_a_stored_figure_with_more_decimals_than_shown_is_kept_exactly(seeded_db):
    """A value target's figure: the form shows format_amount (4 decimals at most); unchanged, the stored
    number goes back as it is, not as the rounded text."""
    form = entry_form.open_form(seeded_db, PLAN, "VPS", Q1)
    row = form.targets[0]
    stored = entry_form.Row(row.kind, row.code, row.name, row.area, row.goal, "lớp", ("value", "note"),
                            {**row.stored, "value": 12.34567})
    assert stored.prefill("value") == "12,3457"
    assert entry_form.cell_value(stored, "value", "12,3457") == 12.34567  # left as shown: the stored figure
    assert entry_form.cell_value(stored, "value", "12,35") == "12,35"     # changed: what was typed
    assert entry_form.cell_value(stored, "value", "  ") is None           # emptied: missing


# ---------------------------------------------------------------- refusals leave the database unchanged

def test_a_unit_account_is_refused_another_units_form(seeded_db):
    tccb = access.Actor("tk-tccb", "don_vi", "Cán bộ TCCB", org_id="syt-thanh-hoa", units=frozenset({"TCCB"}))
    before = fingerprint(seeded_db)
    outcome = form_outcome(seeded_db, actor=tccb, CT01_numerator="96", CT01_denominator="100")
    assert outcome.status == "rejected"
    assert [p.code for p in outcome.checked.errors] == ["forbidden_upload"]
    assert fingerprint(seeded_db) == before
    refused = seeded_db.execute("SELECT action, unit_code, detail FROM audit_event WHERE action = 'refused'").fetchall()
    assert refused and refused[-1][1] == "VPS" and json.loads(refused[-1][2])["code"] == "forbidden_unit"


def test_a_locked_period_refuses_the_form_with_the_files_words(seeded_db, fill):
    locks.lock(seeded_db, PLAN, Q1, dt.date(2021, 4, 1), actor=TEST_ACTOR)
    before = fingerprint(seeded_db)
    by_form = form_outcome(seeded_db, CT01_numerator="96", CT01_denominator="100")
    by_file = file_outcome(seeded_db, fill().ratio("CT01", 96, 100).save())
    assert [p.code for p in by_form.checked.errors] == ["period_locked"]
    assert said(by_form) == said(by_file)
    assert fingerprint(seeded_db) == before


def test_the_consolidated_report_is_not_a_form(seeded_db):
    with pytest.raises(KpiError) as refused:
        entry_form.open_form(seeded_db, PLAN, "ALL", Q1)
    assert refused.value.code == "entry_form_one_unit" and "Excel" in refused.value.hint


# ---------------------------------------------------------------- the same audit trail, saying it was the form

def test_the_audit_trail_says_the_report_came_from_the_form(seeded_db):
    ready = form_outcome(seeded_db, CT01_numerator="96", CT01_denominator="100", CT01_note="giải trình")
    upload.confirm(seeded_db, ready, actor=TEST_ACTOR, note="nộp thay")
    action, subject, sha, detail = seeded_db.execute(
        "SELECT action, subject, sha256, detail FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
    assert (action, subject, sha) == ("upload_applied", "Nhập trên trang", ready.checked.sha256)
    assert json.loads(detail)["channel"] == "web_form" and json.loads(detail)["note"] == "nộp thay"
    from kpi.presentation import audit_log
    assert "nộp bằng: nhập trên trang" in audit_log.describe(json.loads(detail))  # in words on «Nhật ký thao tác»
    assert seeded_db.execute("SELECT kind, file_name FROM audit").fetchall() == [("upload_applied", "Nhập trên trang")]
    # what was typed is kept as the report's original, as a file's bytes are (kpi/db/durability.py)
    from kpi.db import originals
    kept = originals.read(seeded_db, ready.checked.sha256)  # a file beside DuckDB, a row on PostgreSQL
    assert json.loads(kept.decode("utf-8"))["unit"] == "VPS"


def test_a_file_upload_says_it_came_from_a_file(seeded_db, fill):
    upload.submit(seeded_db, good(fill).save(), plan=PLAN, unit="VPS", period=Q1, actor=TEST_ACTOR, confirmed=True)
    detail = seeded_db.execute("SELECT detail FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()[0]
    assert json.loads(detail)["channel"] == "file"


# ---------------------------------------------------------------- the preview: only what changes, with names

def test_the_preview_lists_only_changed_fields_with_names_old_and_new(seeded_db, fill):
    """Stored: CT01 95/100 (note), CT05 60/80 (note), I.1 done. The new file: CT01 96/100 with the same note,
    I.1 as before, CT05 left empty. Changes: CT01's numerator 95 → 96; CT05's numerator, denominator and note
    emptied (a report replaces the unit's whole report). Nothing about CT01's denominator or note, or I.1."""
    upload.submit(seeded_db, good(fill).save(), plan=PLAN, unit="VPS", period=Q1, actor=TEST_ACTOR, confirmed=True)
    again = fill().ratio("CT01", 96, 100).set("Chỉ tiêu", "CT01", "note", "Hồ sơ trễ do mất điện") \
        .task("I.1", "Hoàn thành", 100, "15/03/2021").save()
    ready = file_outcome(seeded_db, again)
    rows = changes.changed_rows(seeded_db, ready)
    names = dict(seeded_db.execute("SELECT code, text FROM target WHERE plan_id = ?", [PLAN]).fetchall())
    assert list(rows.itertuples(index=False, name=None)) == [
        ("Văn phòng Sở", names["CT01"], "Tử số", "95", "96", "thay đổi", "VPS", "CT01"),
        ("Văn phòng Sở", names["CT05"], "Tử số", "60", "—", "bỏ trống", "VPS", "CT05"),
        ("Văn phòng Sở", names["CT05"], "Mẫu số", "80", "—", "bỏ trống", "VPS", "CT05"),
        ("Văn phòng Sở", names["CT05"], "Ghi chú / giải trình", "Đang tăng", "—", "bỏ trống", "VPS", "CT05"),
    ]


def test_the_preview_writes_numbers_the_vietnamese_way(seeded_db, fill):
    ready = file_outcome(seeded_db, fill().ratio("CT01", 1234, 1500).set("Chỉ tiêu", "CT01", "note", "x").save())
    rows = changes.changed_rows(seeded_db, ready)
    assert list(rows[["field", "before", "after", "change"]].itertuples(index=False, name=None)) == [
        ("Tử số", "—", "1.234", "mới"), ("Mẫu số", "—", "1.500", "mới"), ("Ghi chú / giải trình", "—", "x", "mới")]


def test_nothing_changes_gives_an_empty_preview(seeded_db, fill):
    path = good(fill).save()
    upload.submit(seeded_db, path, plan=PLAN, unit="VPS", period=Q1, actor=TEST_ACTOR, confirmed=True)
    same = upload.submit(seeded_db, path, plan=PLAN, unit="VPS", period=Q1, actor=TEST_ACTOR)
    assert same.status == "unchanged" and changes.changed_rows(seeded_db, same).empty
