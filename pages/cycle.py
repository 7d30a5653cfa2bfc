"""Điều hành kỳ báo cáo: the office runs the period here — deadline and grace, lock, reopen one unit, review
each submission, approve the period. Every decision is taken in kpi/ (kpi.cycle.locks, kpi.cycle.submissions),
which checks the actor again and records it; this page only offers the controls to whom they belong."""
import datetime as dt

import streamlit as st

from kpi import clock, text
from kpi.cycle import locks, reporting
from kpi.cycle import submissions as reviews
from kpi.problems import KpiError
from pages._reminders import reminder_panel
from pages._widgets import current_actor, dataframe, db_cursor, empty_state, page_header

C = text.CYCLE
scope = page_header(C["page_title"], C["page_caption"])
con = db_cursor()
actor = current_actor()
plan_id = scope.plan_id
if not locks.may_run(con, actor, plan_id):
    st.error(f"{C['refused']}\n\n{C['refused_hint']}")
    st.stop()

done = st.session_state.pop("cycle_done", None)
if done:
    st.success(done)


def act(write, message: str) -> None:
    """Run one write; on success show `message` after the rerun (the figures above it change), else the reason."""
    try:
        write()
    except KpiError as refused:
        st.error(f"{refused.message}\n\n{refused.hint}")
        return
    st.session_state["cycle_done"] = message
    st.rerun()


periods = reporting.period_options(con, plan_id)
codes = list(periods)
code = st.selectbox(C["period"], codes, index=codes.index(scope.period.code) if scope.period.code in codes else 0,
                    format_func=lambda c: periods[c].label, key="cycle_period")
period = periods[code]
state = locks.period_state(con, plan_id, period)
deadline = state["deadline"]
today = clock.local_date()
grace = C["grace_part"].format(days=deadline.grace_days, last=text.format_date(deadline.closes_on - dt.timedelta(days=1))) \
    if deadline.stored else C["rule_part"]
lock_state = C["locked"].format(date=text.format_date(state["locked_from"])) if state["locked_from"] else \
    C["closed"].format(date=text.format_date(deadline.closes_on)) if deadline.closed(today) else C["open"]
approval = C["approved"].format(by=state["approved_by"] or text.MISSING) if state["approved"] else C["not_approved"]
st.info(C["state"].format(period=period.label, due=text.format_date(deadline.due), grace=grace, lock=lock_state,
                          approval=approval))

status = reporting.reporting_status(con, scope.at(period))
st.markdown(status.summary)

st.subheader(C["deadline_header"])
with st.form("cycle_deadline_form"):
    left, right = st.columns(2)
    due = left.date_input(C["due"], value=deadline.due, format="DD/MM/YYYY", key="cycle_due")
    grace_days = right.number_input(C["grace"], min_value=0, max_value=locks.MAX_GRACE_DAYS,
                                    value=deadline.grace_days, step=1, help=C["grace_help"], key="cycle_grace")
    if st.form_submit_button(C["save_deadline"]):
        act(lambda: locks.set_deadline(con, plan_id, period, due, int(grace_days), actor=actor),
            C["deadline_saved"].format(due=text.format_date(due), grace=int(grace_days)))

st.subheader(C["lock_header"])
left, middle, right = st.columns([2, 1, 1])
lock_from = left.date_input(C["lock_from"], value=state["locked_from"] or today, format="DD/MM/YYYY",
                            key="cycle_lock_from")
if middle.button(C["lock"], key="cycle_lock"):
    act(lambda: locks.lock(con, plan_id, period, lock_from, actor=actor),
        C["locked_done"].format(date=text.format_date(lock_from)))
if right.button(C["unlock"], key="cycle_unlock", disabled=state["locked_from"] is None):
    act(lambda: locks.unlock(con, plan_id, period, actor=actor), C["unlocked_done"])

st.subheader(C["reopen_header"])
units = dict(reporting.reporting_units(con, plan_id))
with st.form("cycle_reopen_form"):
    unit = st.selectbox(C["reopen_unit"], list(units), format_func=units.get, key="cycle_reopen_unit")
    reason = st.text_input(C["reopen_reason"], key="cycle_reopen_reason")
    if st.form_submit_button(C["reopen"]):
        act(lambda: locks.reopen(con, plan_id, period, unit, reason, actor=actor),
            C["reopened_done"].format(unit=units.get(unit, unit)))
reopened = locks.reopened_units(con, plan_id, period)
if reopened:
    st.caption(C["reopened_list"])
    dataframe([{"unit": units.get(r["unit_code"], r["unit_code"]), "reason": r["reason"] or "",
                "granted_by": r["granted_by"] or "", "granted_at": text.format_datetime(r["granted_at"])}
               for r in reopened], text.REPORTING_COLUMNS, key="cycle_reopened")

st.subheader(C["review_header"])
submitted = reporting.period_submissions(con, plan_id, period)
if submitted.empty:
    empty_state(C["no_submissions"])
else:
    dataframe(submitted[["unit", "submitted_at", "submitted_by", "file_name", "review", "review_comment",
                         "reviewed_by", "reviewed_at"]],
              {**text.REPORTING_COLUMNS, "review_comment": text.REPORTING_COLUMNS["comment"]}, key="cycle_submissions")
    # one current submission per unit and period: the label (unit, time, review) names it unambiguously
    choices = {C["submission_choice"].format(unit=row.unit, at=row.submitted_at, review=row.review): (row.id, row.unit)
               for row in submitted.itertuples()}
    chosen, chosen_unit = choices[st.selectbox(C["choose_submission"], list(choices), key="cycle_submission")]
    comment = st.text_area(C["comment"], key="cycle_comment")
    left, right = st.columns(2)
    if left.button(C["approve_submission"], key="cycle_approve_submission", type="primary"):
        act(lambda: reviews.approve(con, chosen, actor=actor), C["approved_done"].format(unit=chosen_unit))
    if right.button(C["return_submission"], key="cycle_return_submission"):
        act(lambda: reviews.send_back(con, chosen, comment, actor=actor), C["returned_done"].format(unit=chosen_unit))

st.subheader(C["period_approval_header"])
left, right = st.columns(2)
if left.button(C["approve_period"], key="cycle_approve_period", disabled=state["approved"]):
    act(lambda: locks.approve(con, plan_id, period, actor=actor), C["period_approved_done"].format(period=period.label))
if right.button(C["unapprove_period"], key="cycle_unapprove_period", disabled=not state["approved"]):
    act(lambda: locks.unapprove(con, plan_id, period, actor=actor),
        C["period_unapproved_done"].format(period=period.label))

reminder_panel(con, scope, actor)
