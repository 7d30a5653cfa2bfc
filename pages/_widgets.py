"""The only Streamlit helpers shared by pages (not a page itself)."""
from __future__ import annotations

import streamlit as st

from kpi import db, text
from kpi.db import connection, durability
from kpi.db.cursor import cursor
from kpi.plans import io
from kpi.scope import Scope


def _connection(path: str):
    """The process-wide connection, shared with server.py's sign-in routes (kpi/db/connection.py `shared`)."""
    return connection.shared(path, opener=io.open_database)


def db_cursor():
    """One cursor per script run on the process-wide connection (DuckDB: one writer per file)."""
    path = db.database_path()
    try:
        return cursor(_connection(path))
    except db.DatabaseBusy as busy:
        st.error(f"{busy.message}\n\n{busy.hint}")
        st.stop()
    except durability.DatabaseUnsafe:  # the administrator's commands are in the CLI's message, not on a page
        st.error(text.PAGE["database_unsafe"])
        st.stop()


def current_actor():
    """The signed-in person (kpi.access.Actor) that app.py resolved for this run, or None."""
    return st.session_state.get("actor")


def reset_connection() -> None:
    """Drop the process-wide connection: the next run opens a fresh one. After a failed write or checkpoint
    (full disk, read-only folder, a fatal DuckDB error) the old connection may be unusable."""
    connection.reset_shared(db.database_path())


def empty_state(message: str, hint: str = "") -> None:
    st.info(f"{message}\n\n{hint}" if hint else message)


def page_header(title: str, caption: str | None = None) -> Scope:
    """Title and caption; the scope chosen in the sidebar; stops the page with guidance when there is no
    plan to show."""
    st.title(title)
    if caption:
        st.caption(caption)
    scope = selected_scope()
    if scope is None:
        empty_state(text.PAGE["no_plans"], text.PAGE["no_plans_hint"])
        st.stop()
    return scope


def selected_scope() -> Scope | None:
    """The plan, period and as-of date chosen in app.py's sidebar (mirrored in the URL), resolved there once."""
    return st.session_state.get("scope")


def url_selectbox(label: str, options: list, param: str, *, key: str, format_func=str, default=None,
                  container=st, help: str | None = None):
    """A selectbox whose choice lives in the URL (?param=…), so a shared link opens on the same choice.

    On a session's first run, or when the options change (another plan), the URL decides; else `default`,
    else the first option. The choice is written back to the URL on every run."""
    by_url = {str(option): option for option in options}
    if st.session_state.get(key) not in options:
        wanted = by_url.get(st.query_params.get(param))
        st.session_state[key] = wanted if wanted is not None else default if default in options else options[0]
    value = container.selectbox(label, options, key=key, format_func=format_func, help=help)
    st.query_params[param] = str(value)
    return value


def link(path: str, **params) -> str:
    """A link inside the dashboard that keeps the sidebar's choice (organisation, year, period)."""
    from urllib.parse import urlencode
    keep = {k: st.query_params[k] for k in ("org", "year", "period", "as_of") if k in st.query_params}
    return f"/{path}?{urlencode({**keep, **params})}"


def dataframe(frame, labels: dict[str, str], links: tuple[str, ...] = (), **kwargs) -> None:
    """A read-only table with Vietnamese column headings; `links` columns hold dashboard links."""
    config = {key: st.column_config.Column(label) for key, label in labels.items()}
    for key in links:
        config[key] = st.column_config.LinkColumn(labels.get(key, ""), display_text=text.OVERVIEW["open"])
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config, **kwargs)


def show_overview(view, key: str = "overview", live: bool = True) -> None:
    """The overview's figures, charts and tables (kpi.presentation.dashboard.Overview), live or from a snapshot. A snapshot
    (live=False) gets no links into the drill-down pages: they show today's figures, not the frozen ones.
    «Tình hình báo cáo» comes first: who has not reported is the first question of every meeting."""
    from kpi.presentation import charts
    T = text.OVERVIEW
    h = view.headline
    show_reporting(view, key=key)
    if view.basis:
        st.caption(view.basis)
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric(f'{T["metric_attainment"]} · {text.STATUS[h["status"]]}', text.format_percent(h["attainment"]))
    c2.metric(T["metric_targets"], T["of"].format(part=h["targets_met"], whole=h["targets"]))
    c3.metric(T["metric_tasks"], T["of"].format(part=h["tasks_done"], whole=h["tasks"]))
    c4.metric(T["metric_overdue"], text.format_number(h["tasks_overdue"]))
    c5.metric(T["metric_coverage"], text.format_coverage(h.get("units_reported"), h.get("units_expected"), h["coverage"]))

    left, right = st.columns([3, 2])
    with left:
        st.subheader(T["by_area"])
        st.plotly_chart(charts.area_bars(view.by_area), config={"displayModeBar": False}, key=f"{key}_area_bars")
        if live:
            areas = view.by_area.assign(link=[link("linh-vuc", area=a) for a in view.by_area["area_code"]])
            st.dataframe(areas[["name", "link"]], hide_index=True, width="stretch",
                         column_config={"name": st.column_config.Column(T["by_area"]),
                                        "link": st.column_config.LinkColumn("", display_text=T["open"])})
    with right:
        st.subheader(T["trend" if view.period.kind.cumulative else "trend_quarters"])  # which points the chart has
        st.plotly_chart(charts.trend(view.trend), config={"displayModeBar": False}, key=f"{key}_trend")

    st.subheader(T["heatmap"])
    st.plotly_chart(charts.unit_area_heatmap(view.unit_area, list(view.by_area["name"])),
                    config={"displayModeBar": False}, key=f"{key}_heatmap")

    a, b = st.columns(2)
    with a:
        st.subheader(T["at_risk"])
        if view.at_risk.empty:
            empty_state(T["none_at_risk"])
        elif live:
            at_risk = view.at_risk.assign(link=[link("chi-tieu", target=c) for c in view.at_risk["code"]])
            dataframe(at_risk, {**text.OVERVIEW_COLUMNS, "link": ""}, links=("link",))
        else:
            dataframe(view.at_risk, text.OVERVIEW_COLUMNS)
    with b:
        st.subheader(T["overdue"])
        if view.overdue.empty:
            empty_state(T["none_overdue"])
        elif live:
            overdue = view.overdue.assign(link=link("nhiem-vu"))
            dataframe(overdue, {**text.OVERVIEW_COLUMNS, "link": ""}, links=("link",))
        else:
            dataframe(view.overdue, text.OVERVIEW_COLUMNS)

    if not len(view.reporting):  # a snapshot made before «Tình hình báo cáo»: its own table, as frozen
        st.subheader(T["freshness"])
        dataframe(view.freshness, text.OVERVIEW_COLUMNS)


REPORTING_SHOWN = ("unit", "state_label", "submitted_at", "submitted_by", "review", "comment")


def show_reporting(view, key: str = "overview") -> None:
    """«Tình hình báo cáo» of an Overview: the rates, then each unit, who has not reported first."""
    C = text.CYCLE
    st.subheader(C["reporting_title"])
    if not len(view.reporting):
        if view.due is not None:  # computed, but the plan names no reporting unit
            empty_state(C["none_expected"])
        return
    st.markdown(view.reporting_summary)
    st.caption(C["reporting_caption"])
    dataframe(view.reporting[list(REPORTING_SHOWN)], text.REPORTING_COLUMNS, key=f"{key}_reporting")


def show_table(table) -> None:
    """A report table (kpi.meetings.export.Table) with its cells as the dashboard prints them."""
    import pandas as pd
    shown = pd.DataFrame(table.shown(), columns=[c.key for c in table.columns])
    dataframe(shown, {c.key: c.label for c in table.columns})


__all__ = ["db_cursor", "empty_state", "page_header", "selected_scope", "url_selectbox", "dataframe", "show_overview",
           "show_reporting", "show_table", "text"]
