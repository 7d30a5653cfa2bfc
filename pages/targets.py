"""Chỉ tiêu: one target's figures unit by unit, down to each submission."""
import streamlit as st

from kpi import commentary, engine, text
from kpi.problems import KpiError
from kpi.rules import comparators
from kpi.presentation import dashboard
from kpi.plans import catalogue
from pages._widgets import current_actor, dataframe, db_cursor, empty_state, page_header, url_selectbox

T = text.TARGET_PAGE
K = text.COMMENTARY
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
    files = dashboard.target_originals(con, scope, code)
    with st.expander(text.TARGET_FILES["title"], expanded=False):
        st.caption(text.TARGET_FILES["caption"] if files else text.TARGET_FILES["none"])
        for number, original in enumerate(files):
            st.download_button(original.label, data=original.data, file_name=original.file_name,
                               key=f"original-{code}-{number}")


def explanation(entry: dict) -> None:
    """One unit's explanation: an editor with «Lưu giải trình» for whoever may write it (kpi/commentary.py
    decides again on saving), the plain text for everyone else; where it comes from underneath."""
    label = K["explanation_of"].format(unit=entry["name"])
    key = f"explain-{scope.period.code}-{code}-{entry['unit']}"
    if not entry["editable"]:
        st.text_area(label, value=entry["text"], disabled=True, key=key)
        st.caption(commentary.written_line(entry["source"], entry["by"], entry["at"]))
        return
    with st.form(key=f"{key}-form", border=False):
        note = st.text_area(label, value=entry["text"], max_chars=commentary.MAX_TEXT, key=key)
        saved = st.form_submit_button(K["save_explanation"], key=f"{key}-save")
    if saved:
        try:
            stored = commentary.write_explanation(con, scope, current_actor(), code, entry["unit"], note)
        except KpiError as problem:
            st.error(f"{problem.message}\n\n{problem.hint}")
        else:
            st.success(K["saved_explanation" if stored else "removed_explanation"].format(unit=entry["name"]))
            entry = next(e for e in commentary.target_units(con, scope, code, current_actor())
                         if e["unit"] == entry["unit"])
    st.caption(commentary.written_line(entry["source"], entry["by"], entry["at"]))


st.subheader(K["explanations"])
st.caption(K["explanations_caption"])
for entry in commentary.target_units(con, scope, code, current_actor()):
    explanation(entry)
