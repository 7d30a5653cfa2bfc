"""Đơn vị: one unit — its own figures for the targets it reports, and the tasks it leads."""
import streamlit as st

from kpi import engine, text
from kpi.presentation import dashboard
from kpi.cycle import reporting
from pages._widgets import TARGET_ROW_SHOWN, dataframe, db_cursor, empty_state, page_header, url_selectbox

T = text.UNIT_PAGE
scope = page_header(T["title"])
con = db_cursor()
units = dict(reporting.reporting_units(con, scope.plan_id))
unit = url_selectbox(T["choose"], list(units), "unit", key="unit_code", format_func=units.get)
levels = engine.overview(con, scope)
by_unit = levels["unit"].set_index("unit_code")
st.markdown(T["summary"].format(**dashboard.summary(by_unit.loc[unit] if unit in by_unit.index else None)))
if levels["target"]["illustrative"].any():
    st.warning(text.OVERVIEW["illustrative"], icon="⚠️")
columns = TARGET_ROW_SHOWN
st.subheader(T["targets"])
own = levels["unit_target"][levels["unit_target"]["unit_code"] == unit]
areas = dict(zip(levels["area"]["area_code"], levels["area"]["name"]))
area = url_selectbox(T["area"], ["", *areas], "area", key="unit_area_code",
                     format_func=lambda code: areas.get(code, T["all_areas"]))
if area:  # from a cell of the overview's heatmap: this unit's targets in that area
    own = own[own["area_code"] == area]
if own.empty:
    empty_state(T["none"])
else:
    dataframe(dashboard.readable_targets(own)[columns], {k: text.TARGET_ROW_COLUMNS[k] for k in columns})
st.subheader(T["tasks"])
tasks = dashboard.tasks_view(con, scope, unit)
if tasks.empty:
    empty_state(text.TASKS_PAGE["none"])
else:
    shown = ["code", "state_label", "deadline", "text"]  # the state before the wording, as the targets above
    dataframe(tasks[shown], {k: text.TASK_COLUMNS[k] for k in shown})
