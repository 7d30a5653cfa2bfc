"""The layering the house style promises: a core without Streamlit, pages without SQL, SQL only in kpi/db/
and kpi/engine/."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_core_never_imports_streamlit():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "kpi").rglob("*.py")
                 if re.search(r"^\s*(import|from)\s+streamlit", p.read_text(encoding="utf-8"), re.M)]
    assert offenders == []


def test_pages_hold_no_sql():
    sql = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b.+\b(FROM|INTO|SET)\b")
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    offenders = [str(p.relative_to(ROOT)) for p in files if sql.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


# kpi/ modules outside kpi/db/ and kpi/engine/ that still hold SQL. ONLY these two, and only while other
# branches edit them: the lead moves their queries into kpi/db/ after merging and empties this set.
SQL_OUTSIDE_DB_ALLOWED: set[str] = set()  # empty: every statement has moved to kpi/db/


def test_core_sql_lives_in_db_and_engine():
    """SQL text has one home: kpi/db/ (kpi/engine/ for the attainment SQL). A statement may span lines."""
    sql = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b[^;]{0,300}?\b(FROM|INTO|SET)\b")
    runs = re.compile(r"\.(execute|executemany|sql)\(")
    homes = ("kpi/db/", "kpi/engine/")
    offenders = []
    for path in sorted((ROOT / "kpi").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        code = path.read_text(encoding="utf-8")
        if not name.startswith(homes) and (sql.search(code) or runs.search(code)):
            offenders.append(name)
    assert [name for name in offenders if name not in SQL_OUTSIDE_DB_ALLOWED] == []


def test_only_the_connection_module_opens_duckdb():
    opened = [str(p.relative_to(ROOT)) for p in (ROOT / "kpi").rglob("*.py")
              if "duckdb.connect(" in p.read_text(encoding="utf-8")]
    assert opened == ["kpi/db/connection.py"]
