"""Tổng quan: where the department stands against its plan, for the chosen period."""
import streamlit as st

from kpi import text
from kpi.presentation import dashboard
from pages._widgets import db_cursor, empty_state, page_header, selected_as_of, show_overview

T = text.OVERVIEW
plan_id = page_header(T["title"])
as_of = selected_as_of()
view = dashboard.overview(db_cursor(), plan_id, st.session_state["period"], as_of)
st.caption(T["caption"].format(plan=plan_id, period=view.period.label,
                               as_of=text.format_date(as_of or view.period.end)))
if view.illustrative:
    st.warning(T["illustrative"], icon="⚠️")
if not view.has_reports:
    empty_state(T["no_reports"].format(period=view.period.label), T["no_reports_hint"])
    st.stop()

show_overview(view)
