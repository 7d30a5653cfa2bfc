"""The periodic report's fixtures: the small plan worked by hand (tests/app/conftest.py SMALL) with commentary,
the five bundled plans with the demo reports, and readers of a .docx's text and tables."""
from __future__ import annotations

import datetime as dt
import io
import re

import docx
import pytest
from docx.oxml.ns import qn

from kpi import commentary, db
from kpi.access import Actor
from kpi.report import outline
from tests import backend
from tests.app.conftest import SMALL_PLAN, _one_connection_per_test, build_small  # noqa: F401 (fixture)
from tests.helpers import scope

Q1 = scope(SMALL_PLAN, "2023-Q1")
OFFICE = Actor("vp-nho", "van_phong", "Chánh Văn phòng", org_id="nho", channel="test")
EXPLANATION = "Đơn vị B nhập hồ sơ trực tuyến chậm trong tháng 2"
COMMENT = "Cần đẩy nhanh bồi dưỡng công chức"
NOW = dt.datetime(2023, 4, 5, 1, 30)   # UTC: 08:30 on 05/04/2023 in Việt Nam
OUTLINE = outline.load()


@pytest.fixture
def small_path(tmp_path):
    """SMALL with its two Quý I reports, a unit's explanation of CT01 and the office's comment on cong_vu."""
    path = build_small(tmp_path / "nho.duckdb")
    con = db.connect(path)
    commentary.write_explanation(con, Q1, OFFICE, "CT01", "B", EXPLANATION)
    commentary.write_area_comment(con, Q1, OFFICE, "cong_vu", COMMENT)
    con.close()
    return path


@pytest.fixture
def small(small_path):
    con = db.connect(small_path)
    yield con
    con.close()


@pytest.fixture
def demo_path(demo_db_file, tmp_path):
    """The five bundled plans with the illustrative reports (tests/conftest.py), a copy for this test."""
    return backend.copy_database(demo_db_file, tmp_path, "demo.duckdb")


@pytest.fixture
def demo(demo_path):
    con = db.connect(demo_path)
    yield con
    con.close()


def report_of(path, **source) -> bytes:
    """The report made on a connection closed again at once (a command run next may open the file)."""
    from kpi.report import build
    con = db.connect(path)
    try:
        return build(con, now=NOW, **source)
    finally:
        con.close()


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def paragraphs(document) -> list[str]:
    """Every paragraph's text in reading order, those inside tables included."""
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in document.element.body.iter(qn("w:p"))]


def full_text(document) -> str:
    return "\n".join(paragraphs(document))


def table_with(document, columns: list[str]):
    """The appendix table whose header row is `columns` (the outline's), as rows of cell texts."""
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0] == columns:
            return rows[1:]
    raise AssertionError(f"no table headed {columns}")


def data_rows(rows: list[list[str]]) -> list[list[str]]:
    """The rows of figures, without the area rows (one merged cell repeated across the row)."""
    return [row for row in rows if len(set(row)) > 1]


def number(shown: str) -> float | None:
    """The first Vietnamese number in a cell ("92,5%" -> 0.925 as a fraction, "1.234" -> 1234, "—" -> None)."""
    found = re.search(r"-?\d[\d.]*(,\d+)?", shown)
    if not found:
        return None
    value = float(found.group(0).replace(".", "").replace(",", "."))
    return value / 100 if shown[found.end():].startswith("%") else value
