"""The only Streamlit helpers shared by pages (not a page itself)."""
from __future__ import annotations

import streamlit as st

from kpi import db, errors, text
from kpi.problems import KpiError
from kpi.db import connection, durability
from kpi.plans import io
from kpi.scope import Scope


def db_cursor():
    """One cursor per script run on the process-wide connection (DuckDB: one writer per file)."""
    path = db.database_path()
    try:
        return connection.cursor(path, opener=io.open_database)
    except db.DatabaseBusy as busy:
        st.error(f"{busy.message}\n\n{busy.hint}")
        st.stop()
    except durability.DatabaseUnsafe:  # the administrator's commands are in the CLI's message, not on a page
        st.error(text.PAGE["database_unsafe"])
        st.stop()
    except KpiError as failed:  # PostgreSQL unreachable, refusing, or its extension missing: the details go
        error_id = errors.record(failed, "database connection")  # to the log, never the server's address
        st.error(text.PAGE["database_unreachable"].format(error_id=error_id))
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


def _clickable(live: bool) -> dict:
    """A live chart answers a click (one point selected, the page run again); a snapshot's is a picture."""
    return {"on_select": "rerun", "selection_mode": "points"} if live else {}


def _clicked(event):
    """The `customdata` of the point clicked on a chart (kpi/presentation/charts.py puts codes there), or None."""
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    for point in points:
        data = point.get("customdata")
        if data is not None and data != []:
            return data
    return None


def drill(page: str, params: dict, *, forget: tuple[str, ...] = ()) -> None:
    """Open `page` in the same tab with the sidebar's scope and `params` in its URL. The target page's own
    choices (`forget`: their session keys) are dropped so that the URL decides, as on a shared link."""
    keep = {k: st.query_params[k] for k in ("org", "year", "period", "as_of", "so-lieu") if k in st.query_params}
    for key in forget:
        st.session_state.pop(key, None)
    st.switch_page(page, query_params={**keep, **{k: str(v) for k, v in params.items()}})


LONG_TEXT = ("text",)  # a target's or task's wording: a wide column, not all of it, so the figures beside it show


def dataframe(frame, labels: dict[str, str], links: tuple[str, ...] = (), **kwargs) -> None:
    """A read-only table with Vietnamese column headings; `links` columns hold dashboard links."""
    config = {key: st.column_config.Column(label, width="large" if key in LONG_TEXT else None)
              for key, label in labels.items()}
    for key in links:
        config[key] = st.column_config.LinkColumn(labels.get(key, ""), display_text=text.OVERVIEW["open"],
                                                  width="small")
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config, **kwargs)


def show_overview(view, key: str = "overview", live: bool = True) -> None:
    """The overview's figures, charts and tables (kpi.presentation.dashboard.Overview), live or from a snapshot. A snapshot
    (live=False) gets no links into the drill-down pages: they show today's figures, not the frozen ones.
    The headline figures first, then «Tình hình báo cáo» (who has not reported is the first question of every
    meeting), the areas, the risks: the order a phone shows them in, top to bottom."""
    from kpi.presentation import charts
    T = text.OVERVIEW
    h = view.headline
    if view.basis:
        st.caption(view.basis)
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric(f'{T["metric_attainment"]} · {text.STATUS[h["status"]]}', text.format_percent(h["attainment"]))
    c2.metric(T["metric_targets"], T["of"].format(part=h["targets_met"], whole=h["targets"]))
    c3.metric(T["metric_tasks"], T["of"].format(part=h["tasks_done"], whole=h["tasks"]))
    c4.metric(T["metric_overdue"], text.format_number(h["tasks_overdue"]))
    c5.metric(T["metric_coverage"], text.format_coverage(h.get("units_reported"), h.get("units_expected"), h["coverage"]))
    if view.measured_on:
        st.caption(view.measured_on)
    show_reporting(view, key=key)

    left, right = st.columns([3, 2])
    with left:
        st.subheader(T["by_area"])
        chosen = st.plotly_chart(charts.area_bars(view.by_area), config={"displayModeBar": False},
                                 key=f"{key}_area_bars", **_clickable(live))
        if live and (area := _clicked(chosen)):  # a bar is a way in: that area's page, in the same tab
            drill("pages/areas.py", {"area": area}, forget=("area_code",))
        if live:
            areas = view.by_area.assign(link=[link("linh-vuc", area=a) for a in view.by_area["area_code"]])
            st.dataframe(areas[["link", "name"]], hide_index=True, width="stretch",  # the link first: seen on a phone
                         column_config={"name": st.column_config.Column(T["by_area"]),
                                        "link": st.column_config.LinkColumn("", display_text=T["open"], width="small")})
    with right:
        st.subheader(T["trend" if view.period.kind.cumulative else "trend_quarters"])  # which points the chart has
        chosen = st.plotly_chart(charts.trend(view.trend), config={"displayModeBar": False}, key=f"{key}_trend",
                                 **_clickable(live))
        if live and (period := _clicked(chosen)) and period != view.period.code:
            st.query_params["period"] = period  # a point selects its period: the sidebar follows the URL
            st.session_state.pop("period", None)  # app.py's period box: let the URL decide
            st.rerun()

    st.subheader(T["heatmap"])
    chosen = st.plotly_chart(charts.unit_area_heatmap(view.unit_area, list(view.by_area["name"])),
                             config={"displayModeBar": False}, key=f"{key}_heatmap", **_clickable(live))
    if live and (cell := _clicked(chosen)):  # a cell is a way in: that unit's page, narrowed to that area
        unit, area = cell
        drill("pages/units.py", {"unit": unit, "area": area}, forget=("unit_code", "unit_area_code"))

    # One under the other, full width: side by side, each half was too narrow for its status and figures.
    st.subheader(T["at_risk"])
    at_risk = _first(view.at_risk, AT_RISK_SHOWN)  # the verdict before the long text
    if at_risk.empty:
        empty_state(T["none_at_risk"])
    elif live:
        at_risk.insert(1, "link", [link("chi-tieu", target=c) for c in at_risk["code"]])
        dataframe(at_risk, {**text.OVERVIEW_COLUMNS, "link": ""}, links=("link",))
    else:
        dataframe(at_risk, text.OVERVIEW_COLUMNS)
    st.subheader(T["overdue"])
    overdue = _first(view.overdue, OVERDUE_SHOWN)
    if overdue.empty:
        empty_state(T["none_overdue"])
    elif live:
        overdue.insert(1, "link", link("nhiem-vu"))
        dataframe(overdue, {**text.OVERVIEW_COLUMNS, "link": ""}, links=("link",))
    else:
        dataframe(overdue, text.OVERVIEW_COLUMNS)

    if not len(view.reporting):  # a snapshot made before «Tình hình báo cáo»: its own table, as frozen
        st.subheader(T["freshness"])
        dataframe(view.freshness, text.OVERVIEW_COLUMNS)


def _first(frame, columns: tuple[str, ...]):
    """A copy of `frame` with `columns` (those it has) first, in that order: the key columns in view at 1366 px."""
    return frame[[c for c in columns if c in frame] + [c for c in frame if c not in columns]].copy()


# A target's row on the area and unit pages: the verdict before the long wording, so that it is in view at
# 1366 px and is what a phone shows first (tests/e2e/test_browser_screens.py)
TARGET_ROW_SHOWN = ["code", "status_label", "attainment_shown", "actual_shown", "target", "text", "coverage_shown"]
AT_RISK_SHOWN = ("code", "status", "actual", "target", "text", "responsible")
OVERDUE_SHOWN = ("code", "due", "lead", "text", "deadline")
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


# Streamlit 1.67's uploader draws its own English ("Upload", "20MB per file • XLSX", "Drag and drop a file here")
# and offers no parameter for it (streamlit/streamlit#13500): its words are hidden and Vietnamese ones drawn in
# their place. The drag text has no test id; its element's class is Streamlit 1.67's own (checked by
# tests/app/test_vietnamese_only.py against the installed front end).
UPLOADER_CSS = """
[data-testid="stFileUploaderDropzoneInstructions"] > * {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"]::after {{ content: {limit}; font-size: .875rem; opacity: .75; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button::after {{ content: {browse}; font-size: 1rem; }}
[data-testid="stFileUploaderDropzone"] .{drag_class} {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] .{drag_class}::after {{ content: {dragging}; font-size: .875rem; }}
"""
UPLOADER_DRAG_CLASS = "euud7oh2"
UPLOADER_TYPES = ["xlsx", "xls", "ods"]  # what the dashboard reads (kpi/excel/safety.py checks the content)


def _uploader_style() -> str:
    """The style sheet of UPLOADER_CSS with its words, from kpi.text and the server's upload limit only."""
    import json
    U = text.UPLOADER
    limit = U["limit"].format(size=text.format_number(st.get_option("server.maxUploadSize")),
                              types=", ".join(f".{t}" for t in UPLOADER_TYPES))
    css = UPLOADER_CSS.format(limit=json.dumps(f'{U["drop"]} · {limit}', ensure_ascii=False),
                              browse=json.dumps(U["browse"], ensure_ascii=False),
                              dragging=json.dumps(U["dragging"], ensure_ascii=False), drag_class=UPLOADER_DRAG_CLASS)
    return f"<style>{css}</style>"


UPLOADER_STYLE = _uploader_style()  # no person's text in it: a constant for st.html (tests/test_page_safety.py)


def file_uploader(label: str, *, key: str, **kwargs):
    """st.file_uploader for the dashboard's workbooks, whose own words are Vietnamese: «Chọn tệp», «Kéo thả tệp vào
    đây · tối đa 20 MB, tệp .xlsx, .xls, .ods» (the limit is the server's, .streamlit/config.toml)."""
    st.html(UPLOADER_STYLE)
    return st.file_uploader(label, type=UPLOADER_TYPES, key=key, **kwargs)


def show_table(table) -> None:
    """A report table (kpi.meetings.export.Table) with its cells as the dashboard prints them."""
    import pandas as pd
    shown = pd.DataFrame(table.shown(), columns=[c.key for c in table.columns])
    dataframe(shown, {c.key: c.label for c in table.columns})


__all__ = ["TARGET_ROW_SHOWN", "db_cursor", "empty_state", "page_header", "selected_scope", "url_selectbox",
           "dataframe", "show_overview", "show_reporting", "show_table", "file_uploader", "text"]
