"""Words and formats have one home: every user-facing string and every date/time format lives in kpi/text.py;
the words the parsers read live in kpi/vocabulary.py. This test fails when a string literal with Vietnamese
letters, or a strftime/isoformat call, appears anywhere else in kpi/, pages/ or app.py (docstrings and
comments are not code and are left alone)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOMES = {"kpi/text.py", "kpi/vocabulary.py"}
VIETNAMESE = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I)


def sources() -> list[Path]:
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "kpi").rglob("*.py"))]
    return [p for p in files if str(p.relative_to(ROOT)) not in HOMES]


def offences(source: str) -> list[str]:
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings \
                and VIETNAMESE.search(node.value):
            found.append(f"{node.lineno}: {node.value[:60]!r}")
        if isinstance(node, ast.Attribute) and node.attr in ("strftime", "isoformat"):
            found.append(f"{node.lineno}: .{node.attr}(…)")
    return found


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_user_facing_words_or_formats_outside_their_home(path):
    assert offences(path.read_text(encoding="utf-8")) == []


def test_the_check_sees_a_vietnamese_literal_a_format_and_lets_docstrings_be():
    page = '"""Trang tổng quan: a docstring may say anything."""\nst.title("Tổng quan")\nd.strftime("%d/%m")\n'
    assert offences(page) == ["2: 'Tổng quan'", "3: .strftime(…)"]
