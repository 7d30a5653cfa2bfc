"""The layering the house style promises: a core without Streamlit, pages without SQL."""
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


def test_only_the_connection_module_opens_duckdb():
    opened = [str(p.relative_to(ROOT)) for p in (ROOT / "kpi").rglob("*.py")
              if "duckdb.connect(" in p.read_text(encoding="utf-8")]
    assert opened == ["kpi/db/connection.py"]
