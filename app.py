"""The frame of the dashboard: navigation and the sidebar filters, mirrored in the URL.

The sidebar is the dashboard's edge: the organisation, year, period and as-of date chosen here (or read
from a shared link) are resolved once into a `Scope` (kpi/scope.py) that every page reads.

Run: `make run` (or `python -m kpi init` then `streamlit run app.py`).
"""
import streamlit as st

from kpi import errors, text
from kpi import scope as scopes
from kpi.cycle import reporting
from kpi.plans import catalogue
from pages._widgets import db_cursor, reset_connection, url_selectbox

st.set_page_config(page_title=text.PAGE["app_title"], page_icon=":material/description:", layout="wide")

# st.navigation comes before the sidebar widgets: called after them, Streamlit 1.67 resets
# their choice on every rerun (seen in a real browser; tests/e2e/test_browser_plan.py).
navigation = st.navigation([
    st.Page("pages/overview.py", title=text.PAGE["overview"], icon=":material/dashboard:", default=True),
    st.Page("pages/reporting.py", title=text.PAGE["reporting"], icon=":material/fact_check:",
            url_path="tinh-hinh-bao-cao"),
    st.Page("pages/areas.py", title=text.PAGE["areas"], icon=":material/category:", url_path="linh-vuc"),
    st.Page("pages/units.py", title=text.PAGE["units"], icon=":material/apartment:", url_path="don-vi"),
    st.Page("pages/targets.py", title=text.PAGE["targets"], icon=":material/flag:", url_path="chi-tieu"),
    st.Page("pages/tasks.py", title=text.PAGE["tasks"], icon=":material/event:", url_path="nhiem-vu"),
    st.Page("pages/compare.py", title=text.PAGE["compare"], icon=":material/compare_arrows:", url_path="so-sanh"),
    st.Page("pages/plan.py", title=text.PAGE["plan"], icon=":material/description:", url_path="ke-hoach"),
    st.Page("pages/upload.py", title=text.PAGE["upload"], icon=":material/upload_file:", url_path="nhap-so-lieu"),
    st.Page("pages/cycle.py", title=text.PAGE["cycle"], icon=":material/event_available:", url_path="dieu-hanh"),
    st.Page("pages/meeting.py", title=text.PAGE["meeting"], icon=":material/co_present:", url_path="bao-cao-hop"),
    st.Page("pages/audit.py", title=text.AUDIT_PAGE["title"], icon=":material/history:", url_path="nhat-ky"),
])


def sign_in_gate() -> None:
    """Who is asking, decided afresh on every run (never carried over in session state, which a browser
    could be made to alter): the identity provider's sign-in (st.user, Streamlit's own login cookie) mapped to
    an account by e-mail. Without one, only the sign-in view is shown."""
    from kpi import accounts
    from kpi.access import Actor
    account = accounts.by_email(db_cursor(), st.user.get("email")) if st.user.is_logged_in else None
    st.session_state["actor"] = Actor.of(account, "web") if account else None
    if account is None:
        st.title(text.PAGE["app_title"])
        st.info(text.PAGE["sign_in_needed"])
        st.stop()


def choose_scope() -> None:
    """The sidebar: organisation, year, period, as-of date -> st.session_state["scope"]."""
    con = db_cursor()
    choices = catalogue.plan_choices(con)
    if not choices.empty:
        names = dict(zip(choices["org_id"], choices["organisation"]))
        org_ids = list(dict.fromkeys(choices["org_id"]))  # Vietnamese order, from kpi
        org_id = url_selectbox(text.PAGE["organisation"], org_ids, "org", key="org_id", format_func=names.get,
                               container=st.sidebar)
        years = [int(y) for y in choices.loc[choices["org_id"] == org_id, "year"]]
        year = url_selectbox(text.PAGE["year"], years, "year", key="plan_year", container=st.sidebar)
        plan_id = choices[(choices["org_id"] == org_id) & (choices["year"] == year)].iloc[0]["plan_id"]
        periods = reporting.period_options(con, plan_id)
        code = url_selectbox(text.OVERVIEW["period"], list(periods), "period", key="period",
                             format_func=lambda c: periods[c].label, container=st.sidebar,
                             default=reporting.default_period(con, plan_id).code)
        period = periods[code]
        if "as_of" not in st.session_state or st.session_state.get("as_of_period") != code:
            st.session_state["as_of"] = scopes.as_of_from_url(st.query_params.get("as_of")) or period.end
            st.session_state["as_of_period"] = code
        as_of = st.sidebar.date_input(text.OVERVIEW["as_of"], key="as_of", format="DD/MM/YYYY",
                                      help=text.OVERVIEW["as_of_help"])
        if as_of != period.end:
            st.query_params["as_of"] = scopes.as_of_to_url(as_of)
        elif "as_of" in st.query_params:
            del st.query_params["as_of"]
        st.session_state["scope"] = scopes.Scope(plan_id, period, as_of)
    else:
        st.session_state["scope"] = None


# The boundary of every page: an error nobody expected shows a Vietnamese message and an id, never a
# traceback (the traceback goes to the log under that id: kpi/errors.py). Streamlit's own control flow
# (st.stop, st.rerun, st.switch_page) derives from BaseException and passes through.
try:
    sign_in_gate()
    choose_scope()
    navigation.run()
except Exception as unexpected:  # noqa: BLE001 - the boundary
    fault = errors.kind(unexpected)
    if fault != "unexpected" or errors.connection_lost(unexpected):
        reset_connection()  # the next run reopens the database once the cause is gone
    st.error(text.ERRORS["page" if fault == "unexpected" else fault].format(id=errors.record(unexpected, "dashboard")),
             icon=":material/error:")
