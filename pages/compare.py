"""So sánh: the department across years, and departments of the same year, on standard indicators."""
import streamlit as st

from kpi import text
from kpi.presentation import dashboard
from pages._widgets import dataframe, db_cursor, empty_state, page_header

T = text.COMPARE_PAGE
scope = page_header(T["title"], T["caption"])
con = db_cursor()
across_years, across_orgs = dashboard.compare(con, scope)
columns = ["indicator", "year", "organisation", "code", "target", "actual_shown", "status_label", "coverage_shown"]
labels = {k: text.TARGET_ROW_COLUMNS.get(k, text.TARGET_ROW_COLUMNS.get(k)) for k in columns}
if across_years.empty:
    empty_state(T["none"])
else:
    st.subheader(T["years"].format(organisation=across_years["organisation"].iloc[0]))
    dataframe(across_years.sort_values(["indicator", "year"])[columns], labels)
st.subheader(T["organisations"].format(year=scope.year))
if across_orgs.empty:
    empty_state(T["none"])
else:
    dataframe(across_orgs.sort_values(["indicator", "organisation"])[columns], labels)
