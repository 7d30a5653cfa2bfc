"""Nhật ký thao tác: the audit trail filtered (plan, from date, person, action), its integrity checked, the
filtered table downloaded as a workbook. Who may read it is decided in kpi/ (the `audit` right)."""
import streamlit as st

from kpi import text
from kpi.plans import catalogue
from kpi.presentation import audit_log
from kpi.problems import KpiError
from pages._widgets import current_actor, dataframe, db_cursor, empty_state

T = text.AUDIT_PAGE
st.title(T["title"])
st.caption(T["caption"])
con = db_cursor()
actor = current_actor()

plans = catalogue.plan_choices(con)
if actor.org_id is not None:
    plans = plans[plans["org_id"] == actor.org_id]
plan_ids = [None, *plans["plan_id"]]
c1, c2, c3, c4 = st.columns(4)
plan_id = c1.selectbox(T["plan"], plan_ids, format_func=lambda p: p or T["all_plans"], key="audit_plan")
since = c2.date_input(T["since"], value=None, format="DD/MM/YYYY", key="audit_since")
try:
    entries = audit_log.read(con, actor, plan_id=plan_id, since=since)
except KpiError as refused:  # recorded by kpi/ already; the page only says why
    st.error(f"{refused.message}\n\n{refused.hint}")
    st.stop()

people = audit_log.people(con, entries)
if st.session_state.get("audit_person") not in people:  # another plan or date: that person may have no rows
    st.session_state["audit_person"] = ""  # "everyone": not None, which Streamlit shows as its English placeholder
person = c3.selectbox(T["person"], ["", *people], format_func=lambda p: people[p] if p else T["all_people"],
                      key="audit_person") or None
action = c4.selectbox(T["action"], [None, *text.AUDIT_ACTIONS], key="audit_action",
                      format_func=lambda a: text.AUDIT_ACTIONS[a] if a else T["all_actions"])
table = audit_log.readable(con, audit_log.narrow(entries, person=person, action=action))

if table.empty:
    empty_state(T["empty"])
else:
    st.caption(T["count"].format(count=text.format_number(len(table))))
    dataframe(audit_log.shown(table), text.AUDIT_COLUMNS, key="audit_table")
    st.download_button(T["download"], data=audit_log.xlsx(table), file_name="nhat-ky-thao-tac.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="audit_download")

if st.button(T["integrity"], help=T["integrity_help"], key="audit_verify"):
    found = audit_log.integrity(con, actor)
    sentences = found.sentences()
    if found.intact:
        st.success(sentences[0])
    else:
        st.error("\n".join([sentences[0], *(f"- {s}" for s in sentences[1:]), "", text.AUDIT_VERIFY["hint"]]))
