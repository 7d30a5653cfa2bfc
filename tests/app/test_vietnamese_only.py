"""Vietnamese only (issue 18, item 3): every page, opened by every role through app.py in AppTest, shows no English
word and no technical hint (a command, an option, a file path).

Everything the page puts in front of a person is collected: titles, markdown, captions, texts, alerts, widget labels,
help texts, options, button labels, metric labels and values, tab and expander labels, table headers and the text in
table cells, chart titles, axis titles and labels.

The rule, kept simple so that it cannot be talked round: the text is cut into words (runs of letters; digits and
punctuation separate them). A word with a Vietnamese letter (ă, â, đ, ê, ô, ơ, ư or any tone mark) is Vietnamese. A
word of ASCII letters only is suspicious unless
  - it is a valid Vietnamese syllable written without its marks (initial consonant, vowel group, final consonant:
    "toan", "ban", "tin", "so", "nguoi"): "Browse", "files", "Drag", "increase", "python", "init", "json", "db",
    "Page", "found" are not, so any of them fails the test; or
  - it is on the short ACCEPTED list below (names everybody uses: Excel, PDF, PowerPoint, Word; CCHC; Roman
    numerals of Quý III; Vietnamese abbreviations such as NV, KH); or a single letter ("Phòng A", "mục b"); or
  - it is data the person typed or the plan holds: the codes of units, targets, tasks, plans and organisations,
    account names (DATA_WORDS, read from the database); or
  - it is a file type written as one (".xlsx", ".ods", ".pdf" after a dot).
The file uploader's own English ("Drag and drop", "Upload", "200MB per file") is drawn by the browser, not sent as a
widget text: the test checks instead that every page with an uploader also carries the Vietnamese replacement
(pages/_widgets.py `file_uploader`), and the browser check looks at the pixels.
"""
from __future__ import annotations

import datetime as dt
import inspect
import json
import re
import unicodedata
from pathlib import Path

import pytest

from kpi import db, text
from tests import backend
from tests.app.conftest import account_for, open_app
from tests.app.test_roles_on_pages import EVERYONE, OFFERED
from tests.helpers import scope

ORG = "syt-dong-nai"
PLAN = "syt-dong-nai-2023"
WHERE = {"org": ORG, "year": "2023", "period": "2023-Q3"}

INITIAL = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
VOWELS = ("oai|oao|oay|oeo|uay|uoi|uou|uya|uye|uyu|ieu|yeu|"
          "ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ya|ye|a|e|i|o|u|y")
FINAL = r"(?:ch|ng|nh|[cmnpt])?"
SYLLABLE = re.compile(rf"{INITIAL}(?:{VOWELS}){FINAL}")

ACCEPTED = {
    "excel", "pdf", "powerpoint", "word",          # the names of the export formats, as everyone says them
    "cchc",                                          # cải cách hành chính, the dashboard's subject
    "ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii",   # Roman numerals: Quý III, mục IV
    "nv", "kh", "ubnd", "vp", "tp", "sct", "syt",   # Vietnamese abbreviations (nhiệm vụ, kế hoạch, Sở Y tế…)
    "kb", "mb",                                      # a file's size
    "tr",                                            # tr.đ, triệu đồng (a budget in millions of đồng)
}
FILE_TYPES = {"xlsx", "xls", "ods", "pdf", "pptx", "docx", "csv"}


def suspicious(words: str, data_words: set[str]) -> list[str]:
    """The words of `words` that are neither Vietnamese nor accepted (the rule in the module's docstring)."""
    shown = unicodedata.normalize("NFC", words)
    found = []
    for match in re.finditer(r"[^\W\d_]+", shown):
        word = match.group()
        if not word.isascii():
            continue
        lower = word.lower()
        if len(word) == 1 or SYLLABLE.fullmatch(lower) or lower in ACCEPTED or lower in data_words:
            continue
        if lower in FILE_TYPES and shown[max(match.start() - 1, 0)] == ".":
            continue
        found.append(word)
    return found


def test_the_rule_flags_english_and_commands_and_lets_vietnamese_be():
    assert suspicious("Drag and drop file here · Browse files · Limit 200MB per file • XLSX", set()) == [
        "Drag", "and", "drop", "file", "here", "Browse", "files", "Limit", "per", "file", "XLSX"]
    assert suspicious("Chạy «python -m kpi init» để nạp kế hoạch", set()) == ["python", "kpi", "init"]
    assert suspicious("Page not found", set()) == ["Page", "found"]
    assert suspicious("increase —", set()) == ["increase"]
    assert suspicious("Tổng quan toàn Sở: 96,5% · Quý III/2023 · tin, ban, so, nguoi, truong", set()) == []
    assert suspicious("Tải biểu mẫu (.xlsx) · xuất PDF, Excel, PowerPoint · KHTC", {"khtc"}) == []


# ------------------------------------------------------------------ what a page puts on the screen

TEXT_FIELDS = ("body", "label", "help", "options", "placeholder", "caption", "delta", "default_text",
               "display_text", "title")
CHART_KEYS = {"text", "title", "name", "ticktext", "hovertemplate", "texttemplate", "annotations"}


def _markdown_words(value: str) -> str:
    """What a reader sees of markdown or HTML: no tags, style sheets, link targets or icon names."""
    value = re.sub(r"<style.*?</style>", " ", value, flags=re.S)
    value = re.sub(r"<[^>]+>", " ", value)
    value = re.sub(r"\]\([^)]*\)", "]", value)               # [words](link) shows the words
    value = re.sub(r":material/[a-z_]+:|:[a-z_]+:", " ", value)  # icons
    value = re.sub(r"%\{[^}]*\}|&\w+;", " ", value)          # plotly placeholders, HTML entities
    return value


def _chart_words(node, key=None):
    if isinstance(node, dict):
        for k, v in node.items():
            if k != "template":
                yield from _chart_words(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _chart_words(v, key)
    elif isinstance(node, str) and key in CHART_KEYS:
        yield node


def _table_words(element) -> list[str]:
    """A table's headers as shown (the column configuration's label, else the frame's own column name) and its
    text cells."""
    frame = element.value
    config = json.loads(element.proto.columns or "{}")
    order = list(element.proto.column_order)
    words = []
    for column in frame.columns:
        setting = config.get(f"name:{column}") or config.get(str(column)) or {}
        if setting.get("hidden") or (order and str(column) not in order):
            continue
        label = setting.get("label")
        words.append(str(column) if label is None else label)
        if (setting.get("type_config") or {}).get("type") == "link":
            words.append((setting.get("type_config") or {}).get("display_text") or "")
            continue
        words += [v for v in frame[column] if isinstance(v, str)]
    return words


def _proto_words(proto, depth: int = 0):
    """The strings of an element's text fields, one level of nested messages included (a tab's label)."""
    for field, value in proto.ListFields():
        if isinstance(value, str):
            if field.name in TEXT_FIELDS:
                yield value
        elif field.name in TEXT_FIELDS and not hasattr(value, "ListFields") and all(isinstance(v, str) for v in value):
            yield from value
        elif hasattr(value, "ListFields") and depth == 0:
            yield from _proto_words(value, 1)


def screen_words(at) -> list[tuple[str, str]]:
    """(element type, a text it shows) for every element and block of the run."""
    found = []

    def visit(node):
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if kind == "dataframe":
            found.extend((kind, w) for w in _table_words(node))
        elif kind == "plotly_chart":
            found.extend((kind, _markdown_words(w)) for w in _chart_words(json.loads(proto.spec)))
        elif proto is not None and hasattr(proto, "ListFields"):
            found.extend((kind, _markdown_words(value)) for value in _proto_words(proto))
        for child in getattr(node, "children", {}).values():
            visit(child)

    visit(at._tree)
    return [(kind, words) for kind, words in found if words and words.strip()]


def leaks(at, data_words: set[str]) -> list[tuple[str, str, list[str]]]:
    return [(kind, words, bad) for kind, words in screen_words(at) if (bad := suspicious(words, data_words))]


# ------------------------------------------------------------------ every page, every role

WHO = {"admin": {}, "van_phong": {"org_id": ORG}, "lanh_dao": {"org_id": ORG}, "don_vi": {"org_id": ORG}}
# Words that are data, not the dashboard's: codes and names the plans hold (their texts are the province's own
# documents, with their abbreviations: TTHC, TTg), file names, what people typed, account names.
DATA_SQL = " UNION ALL ".join(f"SELECT CAST({column} AS VARCHAR) FROM {table}" for table, columns in {
    "plan": ["id", "org_id", "number", "title", "signer", "signer_title", "issued_text", "source_file", "note"],
    "organisation": ["id", "name"], "unit": ["code", "name"], "plan_area": ["heading"],
    "target": ["code", "text", "original_text", "unit_of_measure", "deadline_text", "note", "source"],
    "task": ["code", "general_task", "text", "product", "lead_text", "coordinating_text", "deadline_text",
             "budget_text", "result_text", "note", "original_text", "source"],
    "submission": ["file_name", "submitted_by", "note", "review_comment"],
    "account": ["username", "display_name", "email"]}.items() for column in columns)


@pytest.fixture(scope="module")
def shown_db(demo_db_file, tmp_path_factory):
    """The demo database (five plans, illustrative reports) with one meeting snapshot, so that the meeting page
    shows its tabs and exports rather than its empty state."""
    from kpi.meetings import snapshots
    path = backend.copy_database(demo_db_file, tmp_path_factory.mktemp("vietnamese"), "demo.duckdb")
    con = db.connect(path)
    try:
        snapshots.create(con, scope(PLAN, "2023-Q3"), name="Họp giao ban Quý III/2023", by="Nguyễn Văn A",
                         now=dt.datetime(2023, 10, 12, 8, 30))
        unit = con.execute("SELECT min(code) FROM unit WHERE org_id = ?", [ORG]).fetchone()[0]
        for role, who in WHO.items():   # the accounts open_app signs in with, made now so their names are data
            account_for(path, role, **who, **({"units": (unit,)} if role == "don_vi" else {}))
        words = {w.lower() for row in con.execute(DATA_SQL).fetchall() for w in re.findall(r"[^\W\d_]+", row[0] or "")}
    finally:
        con.close()
    return path, unit, words


@pytest.mark.parametrize("role", list(OFFERED))
def test_every_page_speaks_vietnamese_to_every_role(monkeypatch, shown_db, role):
    path, unit, data_words = shown_db
    who = WHO[role] | ({"units": (unit,)} if role == "don_vi" else {})
    at = open_app(monkeypatch, path, role=role, **who, **WHERE)
    found = {}
    for page in EVERYONE + OFFERED[role]:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (role, page, at.exception)
        if bad := leaks(at, data_words):
            found[page] = bad
        nodes = walk(at)
        if any(getattr(n, "type", "") == "file_uploader" for n in nodes):
            # the uploader's own English is drawn by the browser: its Vietnamese replacement must be on the page
            styles = [n.proto.body for n in nodes if getattr(n, "type", "") == "html"]
            assert any(text.UPLOADER["browse"] in s and text.UPLOADER["drop"] in s for s in styles), (role, page)
    assert found == {}, {page: sorted({w for _, _, bad in leaks_ for w in bad}) for page, leaks_ in found.items()}


def walk(at):
    out = []

    def visit(node):
        out.append(node)
        for child in getattr(node, "children", {}).values():
            visit(child)
    visit(at._tree)
    return out


def test_the_sign_in_page_speaks_vietnamese(monkeypatch, shown_db):
    path, _, data_words = shown_db
    at = open_app(monkeypatch, path, signed_in=False, **WHERE)
    assert leaks(at, data_words) == []


@pytest.mark.parametrize("address", ["nhap-so-lieu", "trang-khong-co"])
def test_an_address_naming_no_page_opens_the_overview_with_a_vietnamese_note(monkeypatch, shown_db, address):
    """A leader opening /nhap-so-lieu (a page for the office and the units) or a mistyped address cold: Streamlit
    1.67 would answer with its English «Page not found» dialog; the dashboard opens the overview and says why.
    A browser asks for the page by its address, AppTest by its file: the address is put where Streamlit reads a
    browser's request (PagesManager's intended page name)."""
    from streamlit.commands import navigation
    from streamlit.runtime.pages_manager import PagesManager
    path, _, data_words = shown_db
    at = open_app(monkeypatch, path, role="lanh_dao", org_id=ORG, **WHERE)
    assert not at.info or text.NAVIGATION["page_not_found"] not in [i.value for i in at.info]
    with monkeypatch.context() as browser:
        browser.setattr(PagesManager, "intended_page_script_hash", property(lambda self: ""))
        browser.setattr(PagesManager, "intended_page_name", property(lambda self: address))
        at.run()
    assert not at.exception, at.exception
    assert text.NAVIGATION["page_not_found"] in [i.value for i in at.info]
    assert at.title[0].value == text.OVERVIEW["title"]
    assert leaks(at, data_words) == []
    # Streamlit's own English message is never sent: the function that sends it is the dashboard's now, and
    # Streamlit 1.67 still calls it by that name (a new Streamlit that does not fails here, not in a browser).
    assert navigation.send_page_not_found.__name__ == "_note_page_not_found"
    assert "send_page_not_found(ctx)" in inspect.getsource(navigation._navigation)
    at.run()      # said once, not on every run after (the browser now asks for the overview)
    assert text.NAVIGATION["page_not_found"] not in [i.value for i in at.info]


def test_the_uploader_words_hidden_are_those_of_the_installed_streamlit():
    """pages/_widgets.py `file_uploader` hides Streamlit 1.67's own words by test id and by the class of the drag
    text: both must still be in the installed front end, around the English they hide."""
    import streamlit
    from pages._widgets import UPLOADER_DRAG_CLASS
    folder = Path(streamlit.__file__).parent / "static" / "static" / "js"
    script = next(p.read_text() for p in folder.glob("FileUploader.*.js"))
    assert "stFileUploaderDropzoneInstructions" in script and "per file" in script
    assert "stFileUploaderDropzone`" in script and "label:l?`Upload directories`:`Upload`" in script
    drag = re.search(r"(\w+)=a\(`span`,\{target:`" + UPLOADER_DRAG_CLASS + r"`\}\)", script)
    assert drag and re.search(r"r\(" + drag.group(1) + r",\{children:l\?`Drag and drop", script)


def test_an_empty_database_speaks_vietnamese_on_every_page(monkeypatch, tmp_path):
    """No plan loaded yet: every page says so and what to do, without a command ("python -m kpi init" was here)."""
    path = tmp_path / "empty.duckdb"
    db.connect(path).close()  # schema, no plans
    at = open_app(monkeypatch, path)
    for page in EVERYONE + OFFERED["admin"]:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        assert leaks(at, {"tk", "admin", "tatca", "kiemthu", "vn"}) == [], page   # the test account's name


# The database refusing to open: the administrator's terminal alone reads these (a page shows text.ERRORS, app.py).
ADMIN_ONLY = {"database_busy", "wal_corrupt", "wal_foreign", "wal_stale", "writes_lost"}
COMMAND = re.compile(r"python|\bkpi\b|(?<![\w-])--[a-z]")


def test_problems_say_what_to_do_without_commands_and_the_command_line_keeps_them():
    """A page shows a problem's message and hint; its command-line form (text.Msg.command) is the CLI's alone."""
    from kpi.problems import KpiError
    commands = {code for code, msg in text.PROBLEMS.items() if COMMAND.search(msg.message + " " + msg.hint)}
    assert commands <= ADMIN_ONLY, sorted(commands - ADMIN_ONLY)
    assert not COMMAND.search(text.PAGE["no_plans_hint"])
    refused = KpiError("plan_exists", plan="syt-dong-nai-2023")
    assert "--replace" not in refused.message + refused.hint and "--replace" in str(refused)
