"""Which reports the figures count (Scope.basis): every current report, or only those the office approved.
On the hand-worked small plan (tests/app/conftest.py): Quý I/2023, A reported CT01 45/50, B reported 50/50."""
import pytest

from kpi import db, engine
from kpi.cycle import submissions
from kpi.periods import parse_period
from kpi.scope import APPROVED, Scope
from tests.app.conftest import SMALL_PLAN, build_small
from tests.helpers import TEST_ACTOR

Q1 = parse_period("2023-Q1")


@pytest.fixture
def con(tmp_path):
    connection = db.connect(build_small(tmp_path / "small.duckdb"))
    yield connection
    connection.close()


def _submission(con, unit):
    return con.execute("SELECT id FROM submission WHERE unit_code = ? AND status = 'current'", [unit]).fetchone()[0]


def test_only_approved_reports_count_on_the_approved_basis(con):
    submissions.approve(con, _submission(con, "A"), actor=TEST_ACTOR)
    every = engine.attainment(con, Scope(SMALL_PLAN, Q1), by="target").set_index("code")
    approved = engine.attainment(con, Scope(SMALL_PLAN, Q1, basis=APPROVED), by="target").set_index("code")
    # every report: (45 + 50) / (50 + 50) = 95,0%; approved only (A): 45 / 50 = 90,0%
    assert every.loc["CT01", "rate"] == pytest.approx(0.95)
    assert approved.loc["CT01", "rate"] == pytest.approx(0.90)
    # coverage: 2 of 2 reporters, then 1 of 2 (B's report is not approved yet)
    assert every.loc["CT01", "coverage"] == 1.0 and approved.loc["CT01", "coverage"] == 0.5
    # CT03 is B's alone: missing on the approved basis, never 0
    assert approved.loc["CT03", "actual"] != approved.loc["CT03", "actual"]  # NaN: shown as missing
    tasks = engine.attainment(con, Scope(SMALL_PLAN, Q1, basis=APPROVED), by="task").set_index("code")
    assert tasks.loc["NV01", "n_reported"] == 1 and tasks.loc["NV02", "n_reported"] == 0  # A's task only


def test_a_returned_report_leaves_the_approved_figures(con):
    a = _submission(con, "A")
    submissions.approve(con, a, actor=TEST_ACTOR)
    submissions.send_back(con, a, "Sai mẫu số", actor=TEST_ACTOR)
    approved = engine.attainment(con, Scope(SMALL_PLAN, Q1, basis=APPROVED), by="plan")
    assert approved["coverage"].iloc[0] == 0.0
