"""Nhập số liệu: download a unit's template, upload it filled, see every problem, confirm."""
import streamlit as st

from kpi import access, text
from kpi.cycle import reporting
from kpi.db import queries
from kpi.excel import template, upload
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
code = c2.selectbox(T["period"], list(periods), format_func=lambda c: periods[c].label, key="upload_period",
                    help=T["period_help"])
period = periods[code]

st.subheader(T["step_download"])
st.caption(reporting.deadline_line(con, plan_id, period))
st.download_button(T["download"].format(period=period.label),
                   data=template.build(con, plan_id, unit, period),
                   file_name=f"{plan_id}-{unit}-{period.code}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

st.subheader(T["step_upload"])
note = st.text_input(T["note"], help=T["note_help"], key="upload_note")
uploaded = file_uploader(T["uploader"], key="upload_file")
if uploaded is not None:
    slot = (uploaded.file_id, plan_id, unit, period)
    if st.session_state.get("upload_slot") != slot:
        with st.status(T["checking"], expanded=False) as status:
            outcome = upload.submit(con, uploaded.getvalue(), name=uploaded.name, plan=plan_id, unit=unit,
                                    period=period, actor=actor, note=note or None)
            status.update(label=T["checked"], state="complete")
        st.session_state["upload_slot"], st.session_state["upload_outcome"] = slot, outcome
    outcome = st.session_state["upload_outcome"]
    checked = outcome.checked
    if outcome.status == "rejected":
        st.error(T["blocked"].format(errors=len(checked.errors), warnings=len(checked.warnings)))
    elif checked.warnings:
        st.warning(T["warnings"].format(warnings=len(checked.warnings)))
    else:
        st.success(T["ok"])
    if not outcome.problems.empty:
        dataframe(outcome.problems, text.PROBLEM_COLUMNS, key="upload_problems")
    if outcome.status == "unchanged":
        st.info(T["nothing_changed"])
    elif outcome.status == "ready":
        st.subheader(T["preview"])
        dataframe(outcome.preview, text.PREVIEW_COLUMNS, key="upload_preview")
        if st.button(T["confirm"], type="primary", key="upload_confirm"):
            written = upload.confirm(con, outcome, actor=actor, note=note or None)
            st.session_state.pop("upload_slot", None)
            if written.status == "applied":
                st.success(T["applied"].format(count=len(written.submissions), period=period.label))
            else:
                st.error(T["blocked"].format(errors=len(written.checked.errors), warnings=len(written.checked.warnings)))

st.subheader(T["history"])
past = reporting.history(con, Scope(plan_id, period), unit)
if past.empty:
    empty_state(T["no_history"])
else:
    dataframe(past.drop(columns=["id"]), text.HISTORY_COLUMNS, key="upload_history")
