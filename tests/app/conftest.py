"""Opening the dashboard in AppTest the way a person does: through app.py, then the page."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


PASSWORD = "mật khẩu kiểm thử đủ dài"


def account_for(db_path, role: str = "admin", org_id: str | None = None, units: tuple[str, ...] = ()) -> str:
    """An account of `role` in the database (created once, through kpi.accounts like the CLI does); returns its
    e-mail, which the identity provider hands over as st.user (AppTest's `at.user`)."""
    from kpi import accounts, db
    from tests.helpers import TEST_ACTOR
    username = "-".join(["tk", role.replace("_", ""), org_id or "tatca", *units]).lower()[:40]
    email = f"{username}@kiemthu.vn"
    con = db.connect(db_path)
    try:
        if accounts.find(con, username) is None:
            accounts.create(con, username, role, PASSWORD, actor=TEST_ACTOR, display_name=f"Người {role}",
                            org_id=org_id, units=units, email=email)
    finally:
        con.close()
    return email


def open_app(monkeypatch, db_path, page: str | None = None, *, role: str = "admin", org_id: str | None = None,
             units: tuple[str, ...] = (), signed_in: bool = True, **params) -> AppTest:
    """Run app.py signed in as an account of `role` (default: an administrator, who reads every organisation)
    with URL parameters; AppTest (Streamlit 1.67) draws the sidebar frame on this first run only, so its state
    is kept in `at.sidebar_state` before switching to `page`."""
    monkeypatch.setenv("KPI_DATABASE", str(db_path))
    at = AppTest.from_file(APP, default_timeout=60)
    if signed_in:
        at.user = {"is_logged_in": True, "email": account_for(db_path, role, org_id, units)}
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    at.sidebar_state = {box.key: (box.value, box.options) for box in at.sidebar.selectbox}
    if page:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def not_offered(at: AppTest, page: str) -> bool:
    """The page is not in this person's navigation (app.py filters it by role): AppTest cannot switch to it,
    as a browser cannot open it; kpi/ still refuses the writes if reached another way (its own tests)."""
    try:
        at.switch_page(page)
    except ValueError as refused:
        return "Could not find a navigation page" in str(refused)
    return False


def frame_with(at: AppTest, column: str):
    """The table that has `column` (st.dataframe elements carry no key in AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


# ------------------------------------------------------------------ a small plan worked out by hand
#
# Plan "nho-2023" of "Sở Nhỏ": units A (Phòng A) and B (Đơn vị B); two areas.
#   Cải cách thủ tục hành chính (thu_tuc_hanh_chinh): CT01 ratio ≥ 96% (A, B), CT02 ratio ≤ 5% (A),
#                                                      NV02 task due "Quý I/2023" (B)
#   Cải cách chế độ công vụ (cong_vu):                CT03 value ≥ 12 lớp (B), NV01 task due "Quý I/2023" (A)
# Reports for Quý I/2023 (written by build_small):
#   A: CT01 45/50, CT02 2/100, NV01 done on 15/03/2023      B: CT01 50/50, CT03 9, NV02 in progress 40%
# Worked by hand (docs/kpi.md, data/scoring.yaml: met ≥ 100%, near ≥ 90%, roll-ups cap at 100%, a task
# done on time scores 1, an overdue one 0):
#   CT01 rate (45 + 50) / (50 + 50) = 95/100 = 95,0%; 95/96 = 98,96% → «Gần đạt»
#   CT02 2/100 = 2,0% ≤ 5%: met; raw 5/2 = 250%, capped at 100% in roll-ups → «Đạt»
#   CT03 9 of 12 = 75,0% → «Chưa đạt»
#   NV01 done 15/03 ≤ 31/03: on time, 1      NV02 40% at 31/03/2023: overdue («Quá hạn»), 0
#   area thu_tuc_hanh_chinh (0,98958 + 1 + 0) / 3 = 0,66319 → 66,3%
#   area cong_vu            (0,75 + 1) / 2       = 0,875   → 87,5%
#   plan (0,98958 + 1 + 0,75 + 1 + 0) / 5 = 3,73958 / 5 = 0,74792 → 74,8%; targets met 1 of 3
SMALL_PLAN = "nho-2023"


def _small_target(code, kind, comparator, value, unit, units, area):
    return {"code": code, "area": area, "text": f"Chỉ tiêu {code}", "comparator": comparator, "value": value,
            "unit_of_measure": unit, "kind": kind, "stated_in": "body", "responsible_units": units}


SMALL = {
    "plan": {"id": SMALL_PLAN, "year": 2023, "number": "7/KH-NHO", "source_file": None},
    "organisation": {"id": "nho", "name": "Sở Nhỏ"},
    "units": [{"code": "A", "name": "Phòng A", "kind": "office", "aliases": []},
              {"code": "B", "name": "Đơn vị B", "kind": "subordinate", "aliases": []}],
    "areas": [],
    "targets": [
        _small_target("CT01", "ratio", ">=", 96, "%", ["A", "B"], "thu_tuc_hanh_chinh"),
        _small_target("CT02", "ratio", "<=", 5, "%", ["A"], "thu_tuc_hanh_chinh"),
        _small_target("CT03", "value", ">=", 12, "lớp", ["B"], "cong_vu"),
    ],
    "tasks": [
        {"code": "NV01", "area": "cong_vu", "text": "Nhiệm vụ NV01", "lead_units": ["A"],
         "deadline_text": "Quý I/2023"},
        {"code": "NV02", "area": "thu_tuc_hanh_chinh", "text": "Nhiệm vụ NV02", "lead_units": ["B"],
         "deadline_text": "Quý I/2023"},
    ],
}


def build_small(path: Path) -> Path:
    """SMALL saved through the product's import path (validate → store), its two Quý I reports recorded."""
    import datetime as dt

    from kpi import db
    from kpi.cycle.submissions import Submission, TargetFigure, TaskReport, record
    from kpi.periods import parse_period
    from kpi.db import plan_store
    from kpi.plans import transcription, validate
    con = db.connect(path)
    try:
        plan_store.save(con, validate.build_bundle(transcription.to_raw(SMALL)))
        q1 = parse_period("2023-Q1")
        record(con, Submission(SMALL_PLAN, "A", q1, (
            TargetFigure("CT01", numerator=45, denominator=50), TargetFigure("CT02", numerator=2, denominator=100)),
            (TaskReport("NV01", "done", 100, dt.date(2023, 3, 15)),), submitted_by="Phòng A"))
        record(con, Submission(SMALL_PLAN, "B", q1, (
            TargetFigure("CT01", numerator=50, denominator=50), TargetFigure("CT03", value=9)),
            (TaskReport("NV02", "in_progress", 40),), submitted_by="Đơn vị B"))
    finally:
        con.close()
    return path


@pytest.fixture(autouse=True)
def _one_connection_per_test():
    """The dashboard keeps one connection per database file for the whole process (kpi/db/connection.py
    `shared`); each test's temporary file is let go when the test ends."""
    yield
    from kpi.db import connection
    connection.reset_shared()
