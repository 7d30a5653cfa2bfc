"""Tài khoản của tôi: who I am signed in as, and changing my password (every session then ends)."""
import html

import streamlit as st

from kpi import accounts, text
from kpi.plans import catalogue
from kpi.problems import KpiError
from pages._widgets import current_actor, db_cursor

T = text.MY_ACCOUNT
con = db_cursor()
actor = current_actor()
account = accounts.find(con, actor.username)
choices = catalogue.plan_choices(con)
organisations = dict(zip(choices["org_id"], choices["organisation"])) if not choices.empty else {}

st.title(T["title"])
st.text("\n".join(f"{label}: {value}" for label, value in (
    (T["username"], account.username), (T["name"], account.display_name),
    (T["role"], text.ROLES.get(account.role, account.role)), (T["organisation"], organisations.get(account.org_id, account.org_id or T["every_org"])),
    (T["units"], ", ".join(account.units) or "—"), (T["email"], account.email or "—"))))

st.subheader(T["change_password"])
if st.user.get("is_logged_in"):
    st.info(T["provider_note"])
else:
    with st.form("change_password"):
        old = st.text_input(T["old_password"], type="password", key="old_password")
        new = st.text_input(T["new_password"], type="password", key="new_password")
        repeat = st.text_input(T["repeat_password"], type="password", key="repeat_password")
        if st.form_submit_button(T["change_password"], type="primary"):
            if new != repeat:
                st.error(T["mismatch"])
            else:
                try:
                    accounts.change_password(con, account.username, old, new, channel="web")
                except KpiError as refused:
                    st.error(f"{refused.message}\n\n{refused.hint}")
                else:  # every session has ended: the next run of any page shows the sign-in view
                    st.success(T["changed"])
                    st.html(f'<a href="/" target="_self">{html.escape(T["sign_in_again"])}</a>')
