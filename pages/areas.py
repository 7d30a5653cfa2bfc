"""Lĩnh vực: one reform area — its figure, its targets, each unit's part, its tasks."""
import streamlit as st

from kpi import commentary, engine, text
from kpi.presentation import dashboard
from kpi.problems import KpiError
from pages._widgets import (TARGET_ROW_SHOWN, current_actor, dataframe, db_cursor, empty_state, page_header,
                            url_selectbox)

T = text.AREA_PAGE
K = text.COMMENTARY
scope = page_header(T["title"])
con = db_cursor()
levels = engine.overview(con, scope)
areas = dict(zip(levels["area"]["area_code"], levels["area"]["name"]))
area = url_selectbox(T["choose"], list(areas), "area", key="area_code", format_func=areas.get)
row = levels["area"].set_index("area_code").loc[area]
st.markdown(T["summary"].format(**dashboard.summary(row)))


def office_comment() -> None:
    """The office's comment on the area for the period: an editor for van_phong (kpi/commentary.py decides
    again on saving), the plain text for everyone else."""
    st.subheader(K["area_comment_title"])
    comment = commentary.area_comment(con, scope, area)
    key = f"area-comment-{scope.period.code}-{area}"
    if not commentary.may_comment(con, scope, current_actor()):
        if comment:
            st.text_area(K["area_comment_title"], value=comment["text"], disabled=True, key=key,
                         label_visibility="collapsed")
            st.caption(K["written"].format(by=comment["by"], at=text.format_datetime(comment["at"])))
        else:
            st.caption(K["no_area_comment"])
        return
    with st.form(key=f"{key}-form", border=False):
        value = st.text_area(K["area_comment_title"], value=comment["text"] if comment else "",
                             max_chars=commentary.MAX_TEXT, help=K["area_comment_help"], key=key,
                             label_visibility="collapsed")
        saved = st.form_submit_button(K["save_area_comment"], key=f"{key}-save")
    if saved:
        try:
            stored = commentary.write_area_comment(con, scope, current_actor(), area, value)
        except KpiError as problem:
            st.error(f"{problem.message}\n\n{problem.hint}")
        else:
            st.success(K["saved_area_comment" if stored else "removed_area_comment"])
            comment = commentary.area_comment(con, scope, area)
    if comment:
        st.caption(K["written"].format(by=comment["by"], at=text.format_datetime(comment["at"])))


office_comment()
if levels["target"]["illustrative"].any():
    st.warning(text.OVERVIEW["illustrative"], icon="⚠️")
columns = TARGET_ROW_SHOWN
st.subheader(T["targets"])
targets = dashboard.readable_targets(levels["target"][levels["target"]["area_code"] == area])
if targets.empty:
    empty_state(text.PAGE["no_rows"])
else:
    dataframe(targets[columns], {k: text.TARGET_ROW_COLUMNS[k] for k in columns})
st.subheader(T["units"])
units = levels["unit_area"][levels["unit_area"]["area_code"] == area].assign(
    attainment_shown=lambda f: f["attainment"].map(text.format_percent),
    coverage_shown=lambda f: f["coverage"].map(lambda c: text.format_percent(c, 0)))
unit_columns = ["name", "attainment_shown", "status_label", "coverage_shown"]
dataframe(units[unit_columns], {k: text.TARGET_ROW_COLUMNS[k] for k in unit_columns})
st.subheader(T["tasks"])
tasks = levels["task"][levels["task"]["area_code"] == area]
dataframe(tasks[["code", "status_label", "deadline_text", "text"]],
          {"code": text.TASK_COLUMNS["code"], "text": text.TASK_COLUMNS["text"],
           "deadline_text": text.TASK_COLUMNS["deadline"], "status_label": text.TASK_COLUMNS["state_label"]})
