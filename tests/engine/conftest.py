"""A tiny hand-built plan whose figures are worked out by hand in the tests' docstrings.

Plan "tiny-2023" of organisation "tiny": units VPS (Văn phòng Sở), A (Phòng A), B (Đơn vị B), C (Đơn vị C).
Targets:  T1 ratio ≥ 96% (A, B; dossiers on time)   T2 ratio ≤ 5% (A)      T3 value increase (A)
          T4 yes/no done (A, B)                       T5 ratio ≥ 90% (A; appendix says 95%: conflict)
          T6 ratio ≥ 50% (C)                          T7 value ≥ 12 (A; additive count)
Tasks:    K1 "Thường xuyên" (A)   K2 "Quý I/2023" (A)   K3 "Quý II/2023" (B)   K4 "Quý IV/2023" (B)
          K5 "Quý I/2023" (B)
"""
from __future__ import annotations

import contextlib
import datetime as dt

import pytest

from kpi import db
from tests import backend
from kpi.periods import parse_period
from kpi.db import plan_store
from kpi.plans import transcription, validate
from kpi.cycle.submissions import Submission, TargetFigure, TaskReport
from tests.helpers import recorded

UNITS = [
    {"code": "VPS", "name": "Văn phòng Sở", "kind": "office", "aliases": []},
    {"code": "A", "name": "Phòng A", "kind": "office", "aliases": []},
    {"code": "B", "name": "Đơn vị B", "kind": "subordinate", "aliases": []},
    {"code": "C", "name": "Đơn vị C", "kind": "subordinate", "aliases": []},
]


def _target(code, kind, comparator, value, unit, units, area="thu_tuc_hanh_chinh", **extra):
    return {"code": code, "area": area, "text": f"Chỉ tiêu {code}", "comparator": comparator, "value": value,
            "unit_of_measure": unit, "kind": kind, "stated_in": "body", "responsible_units": units, **extra}


def _task(code, deadline, lead, area="thu_tuc_hanh_chinh"):
    return {"code": code, "area": area, "text": f"Nhiệm vụ {code}", "lead_units": lead, "deadline_text": deadline}


TINY = {
    "plan": {"id": "tiny-2023", "year": 2023, "number": "1/KH-TEST", "source_file": None},
    "organisation": {"id": "tiny", "name": "Sở Thử Nghiệm"},
    "units": UNITS,
    "areas": [],
    "targets": [
        _target("T1", "ratio", ">=", 96, "%", ["A", "B"], indicator_key="dossiers_on_time"),
        _target("T2", "ratio", "<=", 5, "%", ["A"]),
        _target("T3", "value", "increase", None, "đơn vị", ["A"], area="tai_chinh_cong"),
        _target("T4", "yes_no", "done", None, None, ["A", "B"], area="to_chuc_bo_may"),
        _target("T5", "ratio", ">=", 90, "%", ["A"], area="chinh_quyen_so", stated_in="both",
                conflict={"field": "value", "body": "≥ 90%", "appendix": "≥ 95%", "body_value": 90,
                          "appendix_value": 95}),
        _target("T6", "ratio", ">=", 50, "%", ["C"], area="cong_vu"),
        _target("T7", "value", ">=", 12, "lớp", ["A"], area="cong_vu"),
    ],
    "tasks": [
        _task("K1", "Thường xuyên", ["A"]),
        _task("K2", "Quý I/2023", ["A"]),
        _task("K3", "Quý II/2023", ["B"]),
        _task("K4", "Quý IV/2023", ["B"]),
        _task("K5", "Quý I/2023", ["B"]),
    ],
}


def build_tiny(path=None):
    con = db.connect(path if path is not None else backend.new_database())
    bundle = validate.build_bundle(transcription.to_raw(TINY))
    plan_store.save(con, bundle)
    return con


@pytest.fixture
def tiny():
    con = build_tiny()
    yield con
    con.close()


@contextlib.contextmanager
def scratch(con):
    """Writes inside a transaction that is rolled back: a module's base plan stays clean between examples."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    finally:
        con.execute("ROLLBACK")


def report(con, unit: str, period: str, figures: dict | None = None, tasks: dict | None = None,
           plan: str = "tiny-2023") -> str:
    """figures: {"T1": (num, den)} for ratios, {"T3": (value, baseline)}, {"T4": True}, {"T7": 5}.
    tasks: {"K2": ("done", "2023-04-15")} or {"K4": ("in_progress", 40)}."""
    rows = []
    kinds = dict(con.execute("SELECT code, kind FROM target WHERE plan_id = ?", [plan]).fetchall())
    for code, figure in (figures or {}).items():
        if kinds[code] == "ratio":
            rows.append(TargetFigure(code, numerator=figure[0], denominator=figure[1]))
        elif kinds[code] == "yes_no":
            rows.append(TargetFigure(code, done=figure))
        elif isinstance(figure, tuple):
            rows.append(TargetFigure(code, value=figure[0], baseline=figure[1]))
        else:
            rows.append(TargetFigure(code, value=figure))
    progress = []
    for code, (status, extra) in (tasks or {}).items():
        if status == "done":
            progress.append(TaskReport(code, "done", 100, dt.date.fromisoformat(extra) if extra else None))
        else:
            progress.append(TaskReport(code, status, extra))
    return recorded(con, Submission(plan, unit, parse_period(period), tuple(rows), tuple(progress),
                                    submitted_by="kiểm thử"))
