"""The frame of the dashboard: navigation and the sidebar filters, mirrored in the URL.

The sidebar is the dashboard's edge: the organisation, year, period and as-of date chosen here (or read
from a shared link) are resolved once into a `Scope` (kpi/scope.py) that every page reads.

Run: `make run` (or `python -m kpi init` then `streamlit run server.py`: the sign-in routes with this app).
"""
import streamlit as st

from kpi import errors, text
from kpi import scope as scopes
from kpi.cycle import reporting
from kpi.plans import catalogue
from pages._widgets import db_cursor, reset_connection, url_selectbox

st.set_page_config(page_title=text.PAGE["app_title"], page_icon=":material/description:", layout="wide")

PAGES = [  # (script, title, icon, url path, the permission the page needs beyond reading)
    ("pages/overview.py", text.PAGE["overview"], ":material/dashboard:", None, None),
    ("pages/reporting.py", text.PAGE["reporting"], ":material/fact_check:", "tinh-hinh-bao-cao", None),
    ("pages/areas.py", text.PAGE["areas"], ":material/category:", "linh-vuc", None),
    ("pages/units.py", text.PAGE["units"], ":material/apartment:", "don-vi", None),
    ("pages/targets.py", text.PAGE["targets"], ":material/flag:", "chi-tieu", None),
    ("pages/tasks.py", text.PAGE["tasks"], ":material/event:", "nhiem-vu", None),
    ("pages/compare.py", text.PAGE["compare"], ":material/compare_arrows:", "so-sanh", None),
    ("pages/plan.py", text.PAGE["plan"], ":material/description:", "ke-hoach", None),
    ("pages/upload.py", text.PAGE["upload"], ":material/upload_file:", "nhap-so-lieu", "upload"),
    ("pages/cycle.py", text.PAGE["cycle"], ":material/event_available:", "dieu-hanh", "cycle"),
    ("pages/meeting.py", text.PAGE["meeting"], ":material/co_present:", "bao-cao-hop", None),
    ("pages/audit.py", text.AUDIT_PAGE["title"], ":material/history:", "nhat-ky", "audit"),
    ("pages/accounts.py", text.ACCOUNTS_PAGE["page"], ":material/group:", "tai-khoan", "accounts"),
    ("pages/my_account.py", text.MY_ACCOUNT["page"], ":material/person:", "tai-khoan-cua-toi", None),
]


def navigation_for(actor):
    """The pages this actor can use (kpi/access.py decides; a hidden page is also refused by kpi if reached).
    st.navigation comes before the sidebar widgets: called after them, Streamlit 1.67 resets their choice on
    every rerun (seen in a real browser; tests/e2e/test_browser_plan.py)."""
    from kpi import access
    return st.navigation([
        st.Page(script, title=title, icon=icon, **({"url_path": url} if url else {"default": True}))
        for script, title, icon, url, needs in PAGES if needs is None or access.offers(actor, needs)],
        expanded=True)  # every page of the role in the menu, none folded behind «View more»


PAGE_NOT_FOUND = "page_not_found"


def _note_page_not_found(ctx) -> None:
    """Streamlit 1.67 answers an address naming no page of the navigation (mistyped, an old link, a page of
    another role, kept through signing in) with the default page and an English "Page not found" dialog, sent by
    `streamlit.commands.navigation.send_page_not_found`, which no option turns off. The dashboard replaces that
    function: the request is noted, and the overview opens with a Vietnamese note instead (below)."""
    st.session_state[PAGE_NOT_FOUND] = True


def say_page_not_found_in_vietnamese() -> None:
    from streamlit.commands import navigation as streamlit_navigation
    streamlit_navigation.send_page_not_found = _note_page_not_found


def sign_in_gate():
    """Who is asking, decided afresh on every run (never carried over in session state, which a browser
    could be made to alter): the identity provider's sign-in (st.user, Streamlit's own login cookie) mapped to
    an account by e-mail, else the dashboard's own signed session cookie (server.py, kpi/web_session.py).
    Without either, only the sign-in view is shown and the run stops."""
    from kpi import accounts, web_session
    from kpi.access import Actor
    con = db_cursor()
    signed_in = st.user.get("is_logged_in") and accounts.identity_current(st.user.to_dict())  # D12: exp checked
    account = accounts.by_email(con, st.user.get("email")) if signed_in else None
    cookie = st.context.cookies.get(web_session.COOKIE)
    if account is None:
        account = web_session.account_from_cookie(con, cookie)
    st.session_state["actor"] = actor = Actor.of(account, "web") if account else None
    if actor is None:
        ended = "session_ended" if cookie else None  # a cookie that no longer opens a session
        gate = st.navigation([st.Page(lambda: sign_in_view(con, ended), title=text.SIGN_IN["title"],
                                      icon=":material/login:", default=True)], position="hidden")
        st.session_state.pop(PAGE_NOT_FOUND, None)  # before signing in, every address leads here: nothing is missing
        gate.run()
        st.stop()
    return actor


def sign_in_view(con, ended: str | None) -> None:
    """The sign-in form (posted to server.py's /dang-nhap), a message for the route's answer, and the demo
    accounts while demo data is loaded."""
    import html
    from kpi import web_session
    from kpi.cycle import demo
    T = text.SIGN_IN
    st.title(text.PAGE["app_title"])
    st.subheader(T["title"])
    code = web_session.error_code(st.query_params.get("dang_nhap")) or ended
    if code in ("sign_in_failed", "account_locked"):
        st.error(T[code], icon=":material/error:")
    elif code:
        st.info(T[code])
    if st.user.get("is_logged_in"):
        st.warning(T["not_linked"].format(email=st.user.get("email") or ""))
    st.caption(T["intro"])
    st.html(f"""<form method="post" action="/dang-nhap" class="cchc-sign-in" style="max-width:24rem">
  <input type="hidden" name="next" value="{html.escape(_next_path())}">
  <label style="display:block;margin:.5rem 0 .25rem">{html.escape(T["username"])}</label>
  <input name="username" autocomplete="username" required autofocus
         style="width:100%;padding:.5rem;border:1px solid #bbb;border-radius:.4rem">
  <label style="display:block;margin:.75rem 0 .25rem">{html.escape(T["password"])}</label>
  <input name="password" type="password" autocomplete="current-password" required
         style="width:100%;padding:.5rem;border:1px solid #bbb;border-radius:.4rem">
  <button type="submit" style="margin-top:1rem;padding:.5rem 1.25rem;border:0;border-radius:.4rem;
          background:#0b5cad;color:#fff;font-size:1rem;cursor:pointer">{html.escape(T["submit"])}</button>
</form>""")
    if _provider_configured():
        st.caption(T["or_provider"])
        st.button(T["provider_button"], on_click=st.login, icon=":material/badge:")
    shown = demo.shown_accounts(con)
    if shown:
        with st.container(border=True):
            st.markdown(f'**{T["demo_title"]}**')
            st.text(T["demo_intro"].format(password=demo.DEMO_PASSWORD))
            st.text("\n".join(T["demo_row"].format(
                username=a.username, role=text.ROLES.get(a.role, a.role),
                scope=f' ({", ".join(a.units)})' if a.units else "") for a in shown))


def _next_path() -> str:
    """This page's path and parameters (without the sign-in answer), to come back to after signing in."""
    from urllib.parse import urlencode, urlsplit
    from kpi import web_session
    path = urlsplit(st.context.url or "/").path or "/"
    params = {k: v for k, v in st.query_params.items() if k != "dang_nhap"}
    return web_session.safe_next(path + (f"?{urlencode(params)}" if params else ""))


def _provider_configured() -> bool:
    """Whether an identity provider ([auth] in .streamlit/secrets.toml) is set up for st.login."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all: no provider
        return False


def sidebar_account(actor) -> None:
    """Who is signed in, and the way out (a form posting to server.py's /dang-xuat, or st.logout)."""
    import html
    T = text.SIGN_IN
    st.sidebar.divider()
    # st.text: a stored name is shown as typed, never read as markup or HTML
    st.sidebar.text(T["signed_in_as"].format(name=actor.shown, role=text.ROLES.get(actor.role, actor.role)))
    if st.user.get("is_logged_in"):
        st.sidebar.button(T["sign_out"], on_click=st.logout, icon=":material/logout:", key="sign_out")
    else:
        st.sidebar.html(f"""<form method="post" action="/dang-xuat">
<button type="submit" class="cchc-sign-out" style="padding:.35rem .9rem;border:1px solid #bbb;border-radius:.4rem;
 background:transparent;cursor:pointer;font-size:.9rem">{html.escape(T["sign_out"])}</button></form>""")


def choose_scope(actor) -> None:
    """The sidebar: organisation, year, period, as-of date -> st.session_state["scope"]. Only the
    organisations the actor may read are offered; a link naming another falls back to the first offered."""
    from kpi import access
    con = db_cursor()
    choices = catalogue.plan_choices(con)
    choices = choices[choices["org_id"].isin(access.visible_orgs(actor, list(choices["org_id"])))] \
        if not choices.empty else choices
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
        basis_of = {slug: basis for basis, slug in text.BASIS_URL.items()}
        slug = url_selectbox(text.PAGE["basis"], list(basis_of), "so-lieu", key="basis",
                             format_func=lambda s: text.BASES[basis_of[s]], container=st.sidebar,
                             help=text.PAGE["basis_help"])
        st.session_state["scope"] = scopes.Scope(plan_id, period, as_of, basis_of[slug])
    else:
        st.session_state["scope"] = None


# The boundary of every page: an error nobody expected shows a Vietnamese message and an id, never a
# traceback (the traceback goes to the log under that id: kpi/errors.py). Streamlit's own control flow
# (st.stop, st.rerun, st.switch_page) derives from BaseException and passes through.
navigation = None
try:
    st.session_state["actor"] = None  # nobody, until the gate says otherwise on this very run
    say_page_not_found_in_vietnamese()
    actor = sign_in_gate()
    navigation = navigation_for(actor)
    if st.session_state.pop(PAGE_NOT_FOUND, False):
        st.info(text.NAVIGATION["page_not_found"], icon=":material/info:")
    choose_scope(actor)
    sidebar_account(actor)
    navigation.run()
except Exception as unexpected:  # noqa: BLE001 - the boundary
    fault = errors.kind(unexpected)
    if fault != "unexpected" or errors.connection_lost(unexpected):
        reset_connection()  # the next run reopens the database once the cause is gone
    message = text.ERRORS["page" if fault == "unexpected" else fault].format(id=errors.record(unexpected, "dashboard"))
    if navigation is None:  # without st.navigation, Streamlit would list (and open) pages/ by their file names
        st.navigation([st.Page(lambda: st.error(message, icon=":material/error:"), title=text.PAGE["app_title"],
                               default=True)], position="hidden").run()
    else:
        st.error(message, icon=":material/error:")
