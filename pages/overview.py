"""Tổng quan: where the department stands against its plan, for the chosen period."""
import streamlit as st

from kpi import text
from kpi.presentation import dashboard
from pages._widgets import db_cursor, empty_state, page_header, show_overview, show_reporting

T = text.OVERVIEW
scope = page_header(T["title"])
view = dashboard.overview(db_cursor(), scope)
st.caption(T["caption"].format(year=scope.period.year, period=scope.period.label,
                               as_of=text.format_date(scope.as_of_date)))
if view.illustrative:
    st.warning(T["illustrative"], icon="⚠️")
if not view.has_reports:
    empty_state(T["no_reports"].format(period=view.period.label), T["no_reports_hint"])
    show_reporting(view)  # who has not reported yet: first thing to see, with or without figures
    st.stop()

show_overview(view)
