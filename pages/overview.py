"""Tổng quan: where the department stands against its plan, for the chosen period."""
import streamlit as st

from kpi import charts, dashboard, text
from pages._widgets import dataframe, db_cursor, empty_state, link, page_header, selected_as_of

T = text.OVERVIEW
plan_id = page_header(T["title"])
as_of = selected_as_of()
view = dashboard.overview(db_cursor(), plan_id, st.session_state["period"], as_of)
st.caption(T["caption"].format(plan=plan_id, period=view.period.label,
                               as_of=text.format_date(as_of or view.period.end)))
if view.illustrative:
    st.warning(T["illustrative"], icon="⚠️")
if not view.has_reports:
    empty_state(T["no_reports"].format(period=view.period.label), T["no_reports_hint"])
    st.stop()

h = view.headline
c1, c2, c3, c4, c5 = st.columns(5)
c1.metric(f'{T["metric_attainment"]} · {text.STATUS[h["status"]]}', text.format_percent(h["attainment"]))
c2.metric(T["metric_targets"], T["of"].format(part=h["targets_met"], whole=h["targets"]))
c3.metric(T["metric_tasks"], T["of"].format(part=h["tasks_done"], whole=h["tasks"]))
c4.metric(T["metric_overdue"], text.format_number(h["tasks_overdue"]))
c5.metric(T["metric_coverage"], text.format_percent(h["coverage"], 0))

left, right = st.columns([3, 2])
with left:
    st.subheader(T["by_area"])
    st.plotly_chart(charts.area_bars(view.by_area), config={"displayModeBar": False}, key="area_bars")
    areas = view.by_area.assign(link=[link("linh-vuc", area=a) for a in view.by_area["area_code"]])
    st.dataframe(areas[["name", "link"]], hide_index=True, width="stretch",
                 column_config={"name": st.column_config.Column(T["by_area"]),
                                "link": st.column_config.LinkColumn("", display_text=text.OVERVIEW["open"])})
with right:
    st.subheader(T["trend"])
    st.plotly_chart(charts.trend(view.trend), config={"displayModeBar": False}, key="trend")

st.subheader(T["heatmap"])
st.plotly_chart(charts.unit_area_heatmap(view.unit_area, list(view.by_area["name"])),
                config={"displayModeBar": False}, key="heatmap")

a, b = st.columns(2)
with a:
    st.subheader(T["at_risk"])
    if view.at_risk.empty:
        empty_state(T["none_at_risk"])
    else:
        at_risk = view.at_risk.assign(link=[link("chi-tieu", target=c) for c in view.at_risk["code"]])
        dataframe(at_risk, {**text.OVERVIEW_COLUMNS, "link": ""}, links=("link",))
with b:
    st.subheader(T["overdue"])
    if view.overdue.empty:
        empty_state(T["none_overdue"])
    else:
        overdue = view.overdue.assign(link=link("nhiem-vu"))
        dataframe(overdue, {**text.OVERVIEW_COLUMNS, "link": ""}, links=("link",))

st.subheader(T["freshness"])
dataframe(view.freshness, text.OVERVIEW_COLUMNS)
