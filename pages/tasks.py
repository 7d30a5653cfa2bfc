"""Nhiệm vụ: tasks by due date, coloured by state, filtered by lead unit; the overdue list."""
import pandas as pd
import streamlit as st

from kpi import text
from kpi.presentation import charts, dashboard
from kpi.cycle import reporting
from pages._widgets import dataframe, db_cursor, empty_state, page_header

T = text.TASKS_PAGE
scope = page_header(T["title"])
con = db_cursor()
st.caption(T["caption"].format(period=scope.period.label, as_of=text.format_date(scope.as_of_date)))
units = dict(reporting.reporting_units(con, scope.plan_id))
lead = st.selectbox(T["lead"], [None, *units], format_func=lambda u: T["all"] if u is None else units[u],
                    key="tasks_lead")
tasks = dashboard.tasks_view(con, scope, lead)
if tasks["illustrative"].any():
    st.warning(text.OVERVIEW["illustrative"], icon="⚠️")
if tasks.empty:
    empty_state(T["none"])
    st.stop()

shown = tasks.assign(due=tasks["due"].map(lambda d: text.format_date(d) if pd.notna(d) else text.MISSING),
                     progress=tasks["progress"].map(lambda p: text.format_number(p, 0) + "%" if pd.notna(p)
                                                    else text.MISSING))
# the verdict (state, progress, due date) before the long wording: in view at 1366 px without scrolling sideways
columns = {k: text.TASK_COLUMNS[k] for k in ("code", "state_label", "progress", "due", "text", "lead", "deadline")}
st.subheader(T["overdue"])
late = shown[tasks["state"] == "overdue"]
if late.empty:
    empty_state(text.OVERVIEW["none_overdue"])
else:
    dataframe(late[list(columns)], columns)
st.subheader(T["timeline"])
st.plotly_chart(charts.task_timeline(tasks), config={"displayModeBar": False}, key="task_timeline")
undated = int(tasks["due"].isna().sum())
if undated:
    st.caption(T["no_due"].format(count=undated))
st.subheader(T["all_tasks"])
dataframe(shown[list(columns)], columns)
