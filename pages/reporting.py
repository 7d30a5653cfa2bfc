"""Tình hình báo cáo: per unit, received on time, late, returned or not yet, with the two rates."""
import streamlit as st

from kpi import text
from kpi.cycle import reporting
from pages._widgets import dataframe, db_cursor, empty_state, page_header

C = text.CYCLE
scope = page_header(C["reporting_title"], C["reporting_caption"])
status = reporting.reporting_status(db_cursor(), scope)
if status.frame.empty:
    empty_state(C["none_expected"])
    st.stop()
st.markdown(status.summary)
dataframe(status.frame[["unit", "state_label", "submitted_at", "submitted_by", "review", "comment"]],
          text.REPORTING_COLUMNS, key="reporting_table")
