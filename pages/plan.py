"""Kế hoạch: one department's plan for one year, as the source document states it."""
import streamlit as st

from kpi import text
from kpi.plans import areas
from kpi.plans import catalogue
from pages._widgets import dataframe, db_cursor, empty_state, page_header

plan_id = page_header(text.PAGE["plan"], text.PAGE["plan_caption"]).plan_id

con = db_cursor()
summary = catalogue.plan_summary(con, plan_id)
st.markdown(text.PAGE["plan_meta"].format(
    number=summary["number"] or text.MISSING, issued=text.format_date(summary["issued_on"]),
    signer=summary["signer"] or text.MISSING, source=summary["source_file"] or text.MISSING))

c1, c2, c3, c4 = st.columns(4)
c1.metric(text.PAGE["metric_targets"], text.format_number(summary["targets"]))
c2.metric(text.PAGE["metric_tasks"], text.format_number(summary["tasks"]))
c3.metric(text.PAGE["metric_conflicts"], text.format_number(summary["conflicts"]))
c4.metric(text.PAGE["metric_budget"], text.format_amount(summary["budget"]))
if summary["conflicts"]:
    st.warning(text.PAGE["conflict_banner"].format(count=summary["conflicts"]), icon="⚠️")

f1, f2, f3 = st.columns([2, 1, 1])
query = f1.text_input(text.PAGE["search"], help=text.PAGE["search_help"], key="plan_search")
area_options = [None, *areas.codes()]
area_code = f2.selectbox(text.PAGE["area_filter"], area_options,
                         format_func=lambda c: text.PAGE["all"] if c is None else areas.name_of(c),
                         key="area_filter")
lead_unit = f3.selectbox(text.PAGE["unit_filter"], [None, *catalogue.lead_units_of(con, plan_id)],
                         format_func=lambda u: text.PAGE["all"] if u is None else u, key="lead_filter")

targets = catalogue.filter_rows(catalogue.targets_table(con, plan_id), query, area_code,
                                columns=("code", "text", "responsible", "target", "source"))
tasks = catalogue.filter_rows(catalogue.tasks_table(con, plan_id), query, area_code, lead_unit,
                              columns=("code", "text", "product", "lead", "coordinating", "deadline"))
labels = text.COLUMNS_SHOWN
tab_targets, tab_tasks, tab_areas, tab_conflicts, tab_units = st.tabs([
    f"{text.PAGE['targets_tab']} ({len(targets)})", f"{text.PAGE['tasks_tab']} ({len(tasks)})",
    text.PAGE["areas_tab"], f"{text.PAGE['conflicts_tab']} ({summary['conflicts']})", text.PAGE["units_tab"]])

with tab_targets:
    if targets.empty:
        empty_state(text.PAGE["no_rows"])
    else:
        shown = targets.drop(columns=["area_code"])
        styled = shown.style.apply(
            lambda row: ["background-color: #fde2b5; font-weight: 600" if row["conflict"] else "" for _ in row],
            axis=1)
        dataframe(styled, {k: labels[k] for k in shown.columns})
with tab_tasks:
    if tasks.empty:
        empty_state(text.PAGE["no_rows"])
    else:
        shown = tasks.drop(columns=["area_code", "lead_units"])
        dataframe(shown, {k: labels[k] for k in shown.columns})
with tab_areas:
    frame = catalogue.areas_table(con, plan_id)
    dataframe(frame, {"canonical": labels["canonical"], "heading": labels["heading"], "number": labels["section_number"],
                      "n_targets": labels["n_targets"], "n_tasks": labels["n_tasks"]})
with tab_conflicts:
    frame = catalogue.conflicts_table(con, plan_id)
    if frame.empty:
        empty_state(text.PAGE["no_rows"])
    else:
        dataframe(frame, {k: labels[k] for k in frame.columns})
with tab_units:
    frame = catalogue.units_table(con, plan_id)
    dataframe(frame, {"code": labels["code"], "name": labels["name"], "kind": labels["unit_kind"],
                      "aliases": labels["aliases"]})

st.download_button(text.PAGE["download_workbook"], data=catalogue.workbook_bytes(con, plan_id),
                   file_name=f"{plan_id}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
