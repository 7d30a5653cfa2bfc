"""The frame of the dashboard: navigation and the sidebar filters, mirrored in the URL.

Run: `make run` (or `python -m kpi init` then `streamlit run app.py`).
"""
import streamlit as st

from kpi import text
from kpi.cycle import reporting
from kpi.plans import catalogue
from pages._widgets import db_cursor

st.set_page_config(page_title=text.PAGE["app_title"], page_icon=":material/description:", layout="wide")

# st.navigation comes before the sidebar widgets: called after them, Streamlit 1.67 resets
# their choice on every rerun (seen in a real browser; tests/e2e/test_browser_plan.py).
navigation = st.navigation([
    st.Page("pages/overview.py", title=text.PAGE["overview"], icon=":material/dashboard:", default=True),
    st.Page("pages/areas.py", title=text.PAGE["areas"], icon=":material/category:", url_path="linh-vuc"),
    st.Page("pages/units.py", title=text.PAGE["units"], icon=":material/apartment:", url_path="don-vi"),
    st.Page("pages/targets.py", title=text.PAGE["targets"], icon=":material/flag:", url_path="chi-tieu"),
    st.Page("pages/tasks.py", title=text.PAGE["tasks"], icon=":material/event:", url_path="nhiem-vu"),
    st.Page("pages/compare.py", title=text.PAGE["compare"], icon=":material/compare_arrows:", url_path="so-sanh"),
    st.Page("pages/plan.py", title=text.PAGE["plan"], icon=":material/description:", url_path="ke-hoach"),
    st.Page("pages/upload.py", title=text.PAGE["upload"], icon=":material/upload_file:", url_path="nhap-so-lieu"),
    st.Page("pages/meeting.py", title=text.PAGE["meeting"], icon=":material/co_present:", url_path="bao-cao-hop"),
])

choices = catalogue.plan_choices(db_cursor())
if not choices.empty:
    names = dict(zip(choices["org_id"], choices["organisation"]))
    org_ids = list(dict.fromkeys(choices["org_id"]))  # Vietnamese order, from kpi
    if "org_id" not in st.session_state:  # first run of a session: the URL decides
        wanted = st.query_params.get("org")
        st.session_state["org_id"] = wanted if wanted in org_ids else org_ids[0]
    org_id = st.sidebar.selectbox(text.PAGE["organisation"], org_ids, key="org_id", format_func=names.get)
    years = [int(y) for y in choices.loc[choices["org_id"] == org_id, "year"]]
    if st.session_state.get("plan_year") not in years:
        wanted_year = st.query_params.get("year", "")
        st.session_state["plan_year"] = int(wanted_year) if wanted_year.isdigit() and int(wanted_year) in years \
            else years[0]
    year = st.sidebar.selectbox(text.PAGE["year"], years, key="plan_year")
    row = choices[(choices["org_id"] == org_id) & (choices["year"] == year)].iloc[0]
    st.session_state["plan_id"] = row["plan_id"]
    periods = dict(reporting.period_choices(db_cursor(), row["plan_id"]))
    if st.session_state.get("period") not in periods:
        wanted_period = st.query_params.get("period")
        st.session_state["period"] = wanted_period if wanted_period in periods else \
            reporting.default_period(db_cursor(), row["plan_id"])
    period = st.sidebar.selectbox(text.OVERVIEW["period"], list(periods), format_func=periods.get, key="period")
    period_end = reporting.period_end(period)
    if "as_of" not in st.session_state or st.session_state.get("as_of_period") != period:
        st.session_state["as_of"] = reporting.parse_as_of(st.query_params.get("as_of")) or period_end
        st.session_state["as_of_period"] = period
    as_of = st.sidebar.date_input(text.OVERVIEW["as_of"], key="as_of", format="DD/MM/YYYY",
                                  help=text.OVERVIEW["as_of_help"])
    st.query_params["org"] = org_id
    st.query_params["year"] = str(year)
    st.query_params["period"] = period
    if as_of != period_end:
        st.query_params["as_of"] = as_of.strftime("%d-%m-%Y")
    elif "as_of" in st.query_params:
        del st.query_params["as_of"]
else:
    st.session_state["plan_id"] = None


navigation.run()
