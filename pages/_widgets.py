"""The only Streamlit helpers shared by pages (not a page itself)."""
from __future__ import annotations

import streamlit as st

from kpi import db, text
from kpi.plans import io


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    return io.open_database(path)


def db_cursor():
    """One cursor per script run on the process-wide connection (DuckDB: one writer per file)."""
    path = db.database_path()
    try:
        return _connection(path).cursor()
    except db.DatabaseBusy as busy:
        st.error(f"{busy.message}\n\n{busy.hint}")
        st.stop()


def empty_state(message: str, hint: str = "") -> None:
    st.info(f"{message}\n\n{hint}" if hint else message)


def page_header(title: str, caption: str | None = None) -> str:
    """Title and caption; stops the page with guidance when there is no plan to show."""
    st.title(title)
    if caption:
        st.caption(caption)
    plan_id = selected_plan()
    if not plan_id:
        empty_state(text.PAGE["no_plans"], text.PAGE["no_plans_hint"])
        st.stop()
    return plan_id


def selected_as_of():
    """The as-of date chosen in the sidebar (default: the period's last day)."""
    return st.session_state.get("as_of")


def link(path: str, **params) -> str:
    """A link inside the dashboard that keeps the sidebar's choice (organisation, year, period)."""
    from urllib.parse import urlencode
    keep = {k: st.query_params[k] for k in ("org", "year", "period", "as_of") if k in st.query_params}
    return f"/{path}?{urlencode({**keep, **params})}"


def selected_plan() -> str | None:
    """The plan chosen in app.py's sidebar (mirrored in the URL)."""
    return st.session_state.get("plan_id")


def dataframe(frame, labels: dict[str, str], links: tuple[str, ...] = (), **kwargs) -> None:
    """A read-only table with Vietnamese column headings; `links` columns hold dashboard links."""
    config = {key: st.column_config.Column(label) for key, label in labels.items()}
    for key in links:
        config[key] = st.column_config.LinkColumn(labels.get(key, ""), display_text=text.OVERVIEW["open"])
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config, **kwargs)


__all__ = ["db_cursor", "empty_state", "selected_plan", "dataframe", "text"]
