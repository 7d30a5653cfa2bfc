"""The frame of the dashboard: navigation and the sidebar filters, mirrored in the URL.

Run: `make run` (or `python -m kpi init` then `streamlit run app.py`).
"""
import streamlit as st

from kpi import text
from kpi.plans import catalogue
from pages._widgets import db_cursor

st.set_page_config(page_title=text.PAGE["app_title"], page_icon="📋", layout="wide")

choices = catalogue.plan_choices(db_cursor())
if not choices.empty:
    organisations = list(dict.fromkeys(choices["organisation"]))
    org_ids = dict(zip(choices["organisation"], choices["org_id"]))
    wanted_org = st.query_params.get("org")
    org_index = next((i for i, name in enumerate(organisations) if org_ids[name] == wanted_org), 0)
    organisation = st.sidebar.selectbox(text.PAGE["organisation"], organisations, index=org_index)
    years = [int(y) for y in choices.loc[choices["organisation"] == organisation, "year"]]
    wanted_year = st.query_params.get("year")
    year_index = years.index(int(wanted_year)) if wanted_year and wanted_year.isdigit() \
        and int(wanted_year) in years else 0
    year = st.sidebar.selectbox(text.PAGE["year"], years, index=year_index)
    row = choices[(choices["organisation"] == organisation) & (choices["year"] == year)].iloc[0]
    st.session_state["plan_id"] = row["plan_id"]
    st.query_params["org"] = row["org_id"]
    st.query_params["year"] = str(year)
else:
    st.session_state["plan_id"] = None

navigation = st.navigation([
    st.Page("pages/plan.py", title=text.PAGE["plan"], icon="📋", default=True),
])
navigation.run()
