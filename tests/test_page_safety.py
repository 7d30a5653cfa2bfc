"""Static checks on the pages (RELIABILITY D6, D8): what a page may render as HTML, and that every page file is
reached only through app.py's role-filtered navigation."""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE_FILES = sorted(p for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_"))


def _sources():
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        yield path, path.read_text(encoding="utf-8")


def test_html_is_rendered_only_from_constants_or_escaped_text():
    """`st.html(...)` and `unsafe_allow_html=True` take no user-sourced text unless it passed html.escape: every
    argument is a literal, a name from kpi.text, or a call to an escape helper."""
    offences = []
    for path, source in _sources():
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            raw = name.endswith(".html") or any(k.arg == "unsafe_allow_html" and ast.unparse(k.value) == "True"
                                                for k in node.keywords)
            if not raw or not node.args:
                continue
            argument = ast.unparse(node.args[0])
            if not re.fullmatch(r"(text\.[A-Z_]+(\[.+\])*|'[^']*'|\"[^\"]*\"|.*escape.*|[A-Z_]+)", argument):
                offences.append(f"{path.name}:{node.lineno}: {argument[:60]}")
    assert offences == []


def test_every_page_file_is_registered_in_the_navigation():
    """A page file not in app.py's st.navigation would be reachable by its own path without the frame's sign-in
    gate (Streamlit's pages/ auto-discovery is replaced by st.navigation; a stray file must not exist)."""
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    registered = set(re.findall(r'"pages/([a-z_]+\.py)"', app))
    assert {p.name for p in PAGE_FILES} == registered
