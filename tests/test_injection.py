"""SQL injection through filters and parameters (RELIABILITY D9): values are always bound parameters; the few
statements built from text take identifiers from the code itself, and the list of them is reviewed here."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

from kpi import audit
from kpi.db import queries
from kpi.periods import parse_period
from kpi.problems import KpiError
from kpi.scope import Scope
from tests.conftest import file_fingerprint, fingerprint

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ["Sở Y tế'; DROP TABLE actual; --", "x' OR 1=1 --", "2023-Q1' OR '1'='1", "%", "_", "1;DELETE FROM audit"]

# Every place in kpi/ where a statement is built from more than a literal, by (file, function): each interpolates
# only column lists, table or column names from the code, placeholders or SQL the engine composes from its own
# rule tables — never a value a person typed. A new entry must be reviewed and added here.
BUILT_SQL = {
    ('kpi/db/accounts.py', 'delete'),  # table names from a tuple in the code
    ('kpi/db/accounts.py', 'all_accounts'),
    ('kpi/db/accounts.py', 'find'),
    ('kpi/db/accounts.py', 'find_by_email'),
    ('kpi/db/audit_trail.py', 'all_rows'),
    ('kpi/db/audit_trail.py', 'insert'),
    ('kpi/db/audit_trail.py', 'rows'),
    ('kpi/db/copy.py', 'holds_data'),  # table names from the catalogue
    ('kpi/db/copy.py', 'fingerprint'),  # table and column names from the catalogue
    ('kpi/db/copy.py', '_copy_table'),
    ('kpi/db/connection.py', 'cursor_of'),  # USE of the constant catalogue name
    ('kpi/db/durability.py', '_journal'),
    ('kpi/db/postgres.py', 'attach'),  # the wheel's file path; the URL as a literal with its quotes doubled
    ('kpi/db/postgres.py', 'alive'),  # constant catalogue name
    ('kpi/db/postgres.py', 'in_transaction'),  # USE of the constant catalogue name
    ('kpi/db/read_cache.py', '_copied'),  # relation names and plan filters from the module's own tuple
    ('kpi/db/read_cache.py', '_current'),  # constant catalogue name in _CHANGES
    ('kpi/db/read_cache.py', 'data_version'),  # the same _CHANGES
    ('kpi/db/postgres.py', 'grant_application_role'),  # a role name checked against [a-z_][a-z0-9_]*
    ('kpi/db/postgres.py', 'lock_row_now'),
    ('kpi/db/plan_store.py', '_insert_plan'),
    ('kpi/db/plan_store.py', 'save_all'),
    ('kpi/db/schema.py', 'migrate'),
    ('kpi/db/schema.py', 'moments_to_utc'),
    ('kpi/db/schema.py', '_number_unit_links'),  # table and column names from the function's own tuple
    ('kpi/db/snapshots.py', 'delete_snapshot'),
    ('kpi/db/snapshots.py', 'previous_row'),
    ('kpi/db/snapshots.py', 'snapshot_row'),
    ('kpi/db/snapshots.py', 'snapshot_rows'),
    ('kpi/engine/attainment.py', '_run'),
    ('kpi/engine/attainment.py', '_with_projection'),
    ('kpi/engine/attainment.py', '_chosen_submissions'),
    ('kpi/engine/attainment.py', '_overview'),
}


def _built_sql_sites() -> set[tuple[str, str]]:
    sites = set()
    for path in sorted((ROOT / "kpi").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]:
            for node in ast.walk(function):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr in ("execute", "executemany", "sql") and node.args
                        and not isinstance(node.args[0], ast.Constant)):
                    sites.add((str(path.relative_to(ROOT)), function.name))
    return sites


def test_statements_built_from_text_are_the_reviewed_ones():
    unexpected = _built_sql_sites() - BUILT_SQL
    assert unexpected == set(), f"review these statements and add them to BUILT_SQL: {sorted(unexpected)}"


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_filters_match_nothing_and_change_nothing(seeded_db, hostile):
    before = fingerprint(seeded_db)
    assert queries.submission_history(seeded_db, hostile, "2021-Q1").empty
    assert queries.submission_history(seeded_db, "syt-thanh-hoa-2021", "2021-Q1", hostile).empty
    assert queries.unit_names(seeded_db, hostile) == {}
    assert audit.entries(seeded_db, plan_id=hostile, actor=hostile, action=hostile).empty
    with pytest.raises(KpiError):
        from kpi import engine
        engine.attainment(seeded_db, Scope(hostile, parse_period("2021-Q1")), by="plan")
    assert fingerprint(seeded_db) == before


@pytest.mark.parametrize("option, value", [("--plan", "x' OR 1=1 --"), ("--period", "2023-Q1' OR '1'='1"),
                                           ("--by", "area; DROP TABLE actual")])
def test_the_command_line_refuses_hostile_options_and_changes_nothing(seeded_db_path, option, value):
    before = file_fingerprint(seeded_db_path)
    args = {"--plan": "syt-thanh-hoa-2021", "--period": "2021-Q1", "--by": "area"} | {option: value}
    result = subprocess.run([sys.executable, "-m", "kpi", "--db", str(seeded_db_path), "attainment",
                             *[x for pair in args.items() for x in pair]], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert file_fingerprint(seeded_db_path) == before
