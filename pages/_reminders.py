"""The office's reminder panel (not a page): "Gửi nhắc báo cáo" and "Thử, không gửi" for the chosen plan and
period, then what happened to each address. Placed by the page that runs the cycle; who may send is decided
in kpi/ (kpi.cycle.reminders.send asks kpi.access), the panel only reflects it."""
from __future__ import annotations

import streamlit as st

from kpi import text
from kpi.cycle import locks, reminders
from kpi.problems import KpiError
from pages._widgets import dataframe


def reminder_panel(con, scope, actor) -> None:
    """Two buttons and the results of the last run for this plan and period (kept in the session)."""
    T = text.REMINDER_PANEL
    st.subheader(T["title"])
    if not reminders.may_send(con, scope, actor):
        st.info(T["not_allowed"])
        return
    pending = reminders.pending_units(con, scope)
    deadline = text.format_date(locks.deadline(con, scope.plan_id, scope.period).due)
    if not pending:
        st.caption(T["none_pending"].format(period=scope.period.label))
    else:
        st.caption(T["pending"].format(count=len(pending), period=scope.period.label, deadline=deadline))
    left, right = st.columns(2)
    send = left.button(T["send"], type="primary", help=T["send_help"], key="reminder_send", disabled=not pending)
    trial = right.button(T["dry_run"], help=T["dry_run_help"], key="reminder_dry_run", disabled=not pending)
    slot = (scope.plan_id, scope.period.code)
    if send or trial:
        try:
            results = reminders.send(con, scope, actor, dry_run=trial and not send)
        except KpiError as refused:
            st.error(f"{refused.message}\n\n{refused.hint}")
            return
        st.session_state["reminder_results"] = (slot, results)
    kept = st.session_state.get("reminder_results")
    if kept and kept[0] == slot:
        _show(kept[1])


def _show(results) -> None:
    T = text.REMINDER_PANEL
    counts = reminders.summary(results)
    if counts["failed"]:
        reasons = sorted({text.REMINDER_REASONS[r.reason] for r in results if r.outcome == "failed"})
        st.warning(T["failed"].format(failed=counts["failed"], reasons="; ".join(reasons)))
    else:
        st.success(T["summary"].format(**counts))
    dataframe(reminders.table(results), text.REMINDER_COLUMNS, key="reminder_results_table")
