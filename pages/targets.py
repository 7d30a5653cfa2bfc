"""Chỉ tiêu: one target's figures unit by unit, down to each submission."""
import streamlit as st

from kpi import engine, text
from kpi.rules import comparators
from kpi.presentation import dashboard
from kpi.plans import catalogue
from pages._widgets import dataframe, db_cursor, empty_state, page_header, url_selectbox

T = text.TARGET_PAGE
scope = page_header(T["title"])
con = db_cursor()
st.caption(T["caption"].format(period=scope.period.label))
choices = dict(dashboard.target_choices(con, scope.plan_id))
code = url_selectbox(T["choose"], list(choices), "target", key="target_code", format_func=choices.get)
row = engine.attainment(con, scope, by="target").set_index("code").loc[code]
actual = text.format_actual(row["actual"], row["kind"])
st.markdown(T["summary"].format(target=comparators.describe(row["comparator"], row["target_value"],
                                                            row["unit_of_measure"]),
                                actual=actual, status=row["status_label"],
                                coverage=text.format_percent(row["coverage"], 0)))
if row["in_conflict"]:
    same = row["other_value"] == row["target_value"]
    message = T["conflict_same_value" if same else "conflict"].format(
        measured=text.format_amount(row["target_value"]), other=text.format_amount(row["other_value"]))
    st.warning(" ".join([message, *catalogue.open_conflict_notes(con, scope.plan_id, code)]))
detail = dashboard.target_detail(con, scope, code)
if detail.empty:
    empty_state(T["no_figures"])
else:
    if (detail["submitted_by"] == text.UPLOAD_PAGE["illustrative"]).any():
        st.warning(text.OVERVIEW["illustrative"], icon="⚠️")
    dataframe(detail, text.DETAIL_COLUMNS)
