"""Nhập số liệu: download a unit's template, upload it filled, or type the figures on the page («Nhập trên
trang», kpi/excel/entry_form.py); see every problem, then only what changes, and confirm."""
import streamlit as st

from kpi import access, text
from kpi.cycle import reporting
from kpi.db import queries
from kpi.excel import changes, entry_form, template, upload
from kpi.excel.template import ALL_UNITS
from kpi.scope import Scope
from pages._widgets import current_actor, dataframe, db_cursor, empty_state, page_header
from pages._widgets import file_uploader  # Vietnamese words on the uploader (issue 18)

T = text.UPLOAD_PAGE
scope = page_header(T["title"], T["caption"])
plan_id = scope.plan_id
con = db_cursor()
actor = current_actor()

units = reporting.reporting_units(con, plan_id)
names = {code: name for code, name in units} | {ALL_UNITS: T["all_units"]}
# only the units this account reports for (kpi/access.py; kpi refuses the others anyway, recorded)
org_id = queries.plan_org_id(con, plan_id)
offered = [code for code in [code for code, _ in units] + [ALL_UNITS]
           if access.allowed(actor, "upload", org_id=org_id, unit=code)]
if not offered:
    empty_state(text.UPLOAD_ROLE["no_units"], text.UPLOAD_ROLE["no_units_hint"])
    st.stop()
c1, c2 = st.columns(2)
unit = c1.selectbox(T["unit"], offered, format_func=names.get, key="upload_unit")
periods = reporting.period_options(con, plan_id)
# The sidebar's period, until the person picks another here; a new choice in the sidebar is followed again.
if st.session_state.get("upload_follows") != scope.period.code or st.session_state.get("upload_period") not in periods:
    st.session_state["upload_period"] = scope.period.code if scope.period.code in periods else next(iter(periods))
    st.session_state["upload_follows"] = scope.period.code
code = c2.selectbox(T["period"], list(periods), format_func=lambda c: periods[c].label, key="upload_period",
                    help=T["period_help"])
period = periods[code]


def show_changes(outcome, key: str) -> None:
    """Only what confirming would change, with names, old → new (kpi/excel/changes.py); said plainly when
    nothing would."""
    changed = changes.changed_rows(con, outcome)
    if changed.empty:
        st.info(text.CHANGES["none"])
        return
    st.caption(text.CHANGES["count"].format(count=text.format_number(len(changed))))
    dataframe(changed.drop(columns=["unit_code"]), text.CHANGES["columns"], key=key)


def confirm(outcome, note: str | None, key: str) -> bool:
    """The confirmation button of a "ready" report; True once clicked (written, or refused and said why)."""
    if not st.button(T["confirm"], type="primary", key=key):
        return False
    written = upload.confirm(con, outcome, actor=actor, note=note)
    if written.status == "applied":
        st.success(T["applied"].format(count=len(written.submissions), period=period.label))
    else:
        st.error(T["blocked"].format(errors=len(written.checked.errors), warnings=len(written.checked.warnings)))
    return True


def show_outcome(outcome, words: dict, problems: tuple, note: str | None, key: str) -> bool:
    """Where a checked report stands (`words`: the file's or the form's sentences), its problems (table,
    column labels), then only what would change and the confirmation; True once confirmation was clicked."""
    checked = outcome.checked
    if outcome.status == "rejected":
        st.error(words["blocked"].format(errors=len(checked.errors), warnings=len(checked.warnings)))
    elif checked.warnings:
        st.warning(words["warnings"].format(warnings=len(checked.warnings)))
    else:
        st.success(words["ok"])
    if checked.problems:
        dataframe(*problems, key=f"{key}_problems")
    if outcome.status == "unchanged":
        st.info(T["nothing_changed"])
    elif outcome.status == "ready":
        st.subheader(T["preview"])
        show_changes(outcome, key=f"{key}_preview")
        return confirm(outcome, note, key=f"{key}_confirm")
    return False


def upload_file() -> None:
    st.subheader(T["step_download"])
    st.caption(reporting.deadline_line(con, plan_id, period))
    st.download_button(T["download"].format(period=period.label),
                       data=template.build(con, plan_id, unit, period),
                       file_name=f"{plan_id}-{unit}-{period.code}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    st.subheader(T["step_upload"])
    note = st.text_input(T["note"], help=T["note_help"], key="upload_note")
    uploaded = file_uploader(T["uploader"], key="upload_file")
    if uploaded is None:
        return
    slot = (uploaded.file_id, plan_id, unit, period)
    if st.session_state.get("upload_slot") != slot:
        with st.status(T["checking"], expanded=False) as status:
            outcome = upload.submit(con, uploaded.getvalue(), name=uploaded.name, plan=plan_id, unit=unit,
                                    period=period, actor=actor, note=note or None)
            status.update(label=T["checked"], state="complete")
        st.session_state["upload_slot"], st.session_state["upload_outcome"] = slot, outcome
    outcome = st.session_state["upload_outcome"]
    if show_outcome(outcome, T, (outcome.problems, text.PROBLEM_COLUMNS), note or None, key="upload"):
        st.session_state.pop("upload_slot", None)


def field_input(form, row, key: str):
    """One field of the form, prefilled with what is stored; an empty field is sent as empty (missing)."""
    E = text.ENTRY_FORM
    label, shown = text.TEMPLATE_COLUMNS[key], row.prefill(key)
    widget_key = f"form_{form.unit}_{form.period.code}_{row.kind}_{row.code}_{key}"
    if key in ("done", "status"):
        options = [text.TEMPLATE["yes"], text.TEMPLATE["no"]] if key == "done" else list(text.TASK_PROGRESS.values())
        return st.selectbox(label, options, index=options.index(shown) if shown in options else None,
                            placeholder=E["choose"], key=widget_key)
    if key == "completed_on":
        return st.date_input(label, value=shown, format="DD/MM/YYYY", key=widget_key)
    return st.text_input(label, value=shown or "", key=widget_key)


def form_rows(form, kind: str) -> dict:
    """The inputs of every target or task: (kind, code, field) -> what is in it."""
    E = text.ENTRY_FORM
    rows, entries = form.rows(kind), {}
    if rows:
        st.subheader(E["targets" if kind == entry_form.TARGET else "tasks"])
    for row in rows:
        with st.container(border=True):
            st.markdown(f"**{row.name}**")
            st.caption(E[f"{kind}_caption"].format(code=row.code, area=row.area, goal=row.goal))
            numbers = [k for k in row.fields if k not in ("note", "evidence", "result")]
            for column, key in zip(st.columns(len(numbers)), numbers):
                with column:
                    entries[(kind, row.code, key)] = field_input(form, row, key)
            for key in (k for k in row.fields if k in ("note", "evidence", "result")):
                entries[(kind, row.code, key)] = field_input(form, row, key)
    return entries


def enter_on_page() -> None:
    """«Nhập trên trang»: the unit's template as a form, checked and written by the upload's own path."""
    E = text.ENTRY_FORM
    if unit == ALL_UNITS:
        empty_state(E["all_units"])
        return
    form = entry_form.open_form(con, plan_id, unit, period)
    if not form.targets and not form.tasks:
        empty_state(E["nothing_to_report"])
        return
    st.caption(reporting.deadline_line(con, plan_id, period))
    st.caption(E["intro"])
    slot = (plan_id, unit, period.code)
    with st.form(key="entry_form"):
        entries = form_rows(form, entry_form.TARGET) | form_rows(form, entry_form.TASK)
        note = st.text_input(T["note"], help=T["note_help"], key=f"form_note_{unit}_{period.code}")
        if st.form_submit_button(E["check"], type="primary"):
            outcome = entry_form.submit(con, form, entries, actor=actor, note=note or None)
            st.session_state["form_outcome"] = (slot, outcome, note or None)
    kept = st.session_state.get("form_outcome")
    if not kept or kept[0] != slot:
        return
    _, outcome, note = kept
    if show_outcome(outcome, E, (entry_form.problems_table(form, outcome), E["columns"]), note, key="form"):
        st.session_state.pop("form_outcome", None)


file_tab, form_tab = st.tabs([text.ENTRY_FORM["tab_file"], text.ENTRY_FORM["tab_form"]])
with file_tab:
    upload_file()
with form_tab:
    enter_on_page()

st.subheader(T["history"])
past = reporting.history(con, Scope(plan_id, period), unit)
if past.empty:
    empty_state(T["no_history"])
else:
    dataframe(past.drop(columns=["id"]), text.HISTORY_COLUMNS, key="upload_history")
