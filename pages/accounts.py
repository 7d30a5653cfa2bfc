"""Tài khoản: the organisation's accounts (admin: every account), creating one, disabling or enabling one.
kpi/accounts.py decides who may do what; this page offers only the roles and units that make sense."""
import pandas as pd
import streamlit as st

from kpi import access, accounts, text
from kpi.db import queries
from kpi.problems import KpiError
from pages._widgets import current_actor, dataframe, db_cursor, empty_state, selected_scope

T = text.ACCOUNTS_PAGE
con = db_cursor()
actor = current_actor()
scope = selected_scope()
# an office works on its own organisation; an administrator on the one chosen in the sidebar
org_id = actor.org_id or (queries.plan_org_id(con, scope.plan_id) if scope else None)

st.title(T["title"])
st.caption(T["caption"])

listed = [a for a in accounts.all_accounts(con) if actor.org_id is None or a.org_id == actor.org_id]
st.subheader(T["list"])
if not listed:
    empty_state(T["none"])
else:
    dataframe(pd.DataFrame([{
        "username": a.username, "display_name": a.display_name, "role": text.ROLES.get(a.role, a.role),
        "units": ", ".join(a.units), "email": a.email or "", "state": T["disabled" if a.disabled else "active"],
        "created_at": text.format_datetime(a.created_at)} for a in listed]), T["columns"], key="accounts_list")

st.subheader(T["create"])
roles = [r for r in access.ROLES if access.allowed(actor, "accounts_admin" if r == access.ADMIN else "accounts")]
unit_names = queries.unit_names(con, scope.plan_id) if scope else {}
with st.form("account_create", clear_on_submit=True):
    c1, c2 = st.columns(2)
    username = c1.text_input(T["username"], help=T["username_help"], key="new_username")
    name = c2.text_input(T["display_name"], key="new_display_name")
    role = c1.selectbox(T["role"], roles, format_func=lambda r: text.ROLES[r], key="new_role")
    units = c2.multiselect(T["units"], sorted(unit_names), format_func=lambda u: f"{u} — {unit_names[u]}",
                           key="new_units", placeholder=T["units_placeholder"])
    email = c1.text_input(T["email"], key="new_email")
    password = c2.text_input(T["password"], type="password", help=T["password_help"], key="new_password")
    if st.form_submit_button(T["submit"], type="primary"):
        try:
            made = accounts.create(con, username, role, password, actor=actor, display_name=name or None,
                                   org_id=None if role == access.ADMIN else org_id,
                                   units=units if role == access.UNIT else (), email=email or None)
        except KpiError as refused:
            st.error(f"{refused.message}\n\n{refused.hint}")
        else:
            st.success(T["created"].format(username=made.username, role=text.ROLES[made.role]))

st.subheader(T["disable_title"])
others = [a for a in listed if a.username != actor.username]
if others:
    by_name = {a.username: a for a in others}
    chosen = st.selectbox(T["choose"], list(by_name), key="account_choice",
                          format_func=lambda u: f'{u} — {by_name[u].display_name} '
                                                f'({T["disabled" if by_name[u].disabled else "active"]})')
    target = by_name[chosen]
    if st.button(T["enable" if target.disabled else "disable"], key="account_toggle"):
        try:
            accounts.set_disabled(con, target.username, not target.disabled, actor=actor)
        except KpiError as refused:
            st.error(f"{refused.message}\n\n{refused.hint}")
        else:
            st.success(T["enabled_done" if target.disabled else "disabled_done"].format(username=target.username))
else:  # only the person's own account: the heading alone would read as if something failed to load
    empty_state(T["no_others"])
