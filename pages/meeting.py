"""Báo cáo họp: freeze the period for a meeting, look at any snapshot as it was, see what changed since the
last meeting, and export PDF, Excel and PowerPoint with the numbers shown here."""
import pandas as pd
import streamlit as st

from kpi import clock, report, text
from kpi.meetings import export, snapshots
from kpi.problems import KpiError
from pages._widgets import dataframe, db_cursor, empty_state, page_header, show_overview, show_table, url_selectbox

T = text.MEETING_PAGE
scope = page_header(T["title"], T["caption"])
plan_id, period_label = scope.plan_id, scope.period.label
con = db_cursor()

if "meeting_flash" in st.session_state:
    st.success(st.session_state.pop("meeting_flash"))
shots = snapshots.list_snapshots(con, plan_id)
with st.expander(T["create"], expanded=not shots, icon=":material/photo_camera:"):
    st.caption(T["create_help"].format(period=period_label,
                                       as_of=text.format_date(scope.as_of_date)))
    with st.form("snapshot_create", clear_on_submit=False):
        name = st.text_input(T["name"], value=T["name_default"].format(period=period_label))
        by = st.text_input(T["by"], help=T["by_help"])
        note = st.text_area(T["note"], height=80)
        if st.form_submit_button(T["create_button"], type="primary"):
            try:
                made = snapshots.create(con, scope, name=name, by=by, note=note)
            except KpiError as problem:
                st.error(f"{problem.message}\n\n{problem.hint}")
            else:
                st.query_params["snapshot"] = str(made.id)
                st.session_state["meeting_snapshot"] = made.id  # show the new snapshot, not the one before
                st.success(T["created"].format(title=made.title))
                shots = snapshots.list_snapshots(con, plan_id)

if not shots:
    empty_state(T["no_snapshots"], T["no_snapshots_hint"])
    st.stop()

ids = [s.id for s in shots]
by_id = {s.id: s for s in shots}
chosen = url_selectbox(T["snapshot"], ids, "snapshot", key="meeting_snapshot",
                       format_func=lambda i: f"{by_id[i].title} · {by_id[i].period_label}")
shot = by_id[chosen]

view_tab, compare_tab, export_tab, manage_tab = st.tabs([T["tab_view"], T["tab_compare"], T["tab_export"],
                                                         T["tab_manage"]])

with view_tab:
    st.info(text.SNAPSHOT["banner"].format(name=shot.name, id=shot.id, by=shot.created_by,
                                           at=text.format_datetime(shot.created_at),
                                           as_of=text.format_date(shot.as_of)), icon=":material/photo_camera:")
    if shot.note:
        st.caption(T["note_shown"].format(note=shot.note))
    frozen = snapshots.load(con, shot.id)
    if frozen.illustrative:
        st.warning(text.OVERVIEW["illustrative"], icon="⚠️")
    if frozen.has_reports:
        show_overview(frozen, key="snapshot", live=False)
    else:
        empty_state(text.OVERVIEW["no_reports"].format(period=shot.period_label))
    # The commentary as it read when the snapshot was taken (none in a snapshot made before it was frozen).
    explained, commented = snapshots.frozen_commentary(con, shot.id)
    for table in (export.report.area_comment_table(commented), export.report.explanation_table(explained)):
        if not table.empty:
            st.subheader(table.title)
            show_table(table)

with compare_tab:
    NOW = 0
    others = [NOW] + [i for i in ids if i != shot.id]
    previous = snapshots.previous(con, shot.id)
    against = st.selectbox(T["compare_with"], others, index=others.index(previous.id) if previous else 0,
                           key="meeting_against",
                           format_func=lambda i: T["compare_now"] if i == NOW else by_id[i].title)
    # Earlier snapshot first, so "newly met" reads forward in time.
    if against == NOW:
        comparison = snapshots.compare(con, shot.id, None)
    else:
        first, second = sorted([by_id[against], shot], key=lambda s: (s.created_at, s.id))
        comparison = snapshots.compare(con, first.id, second.id)
    st.caption(T["compare_caption"].format(before=comparison.before.title, after=comparison.after_label))
    if comparison.empty:
        empty_state(text.SNAPSHOT["no_changes"])
    for table in [] if comparison.empty else export.report.change_tables(comparison):
        st.markdown(f"**{table.title}** ({len(table.frame)})")
        if table.empty:
            st.caption(text.SNAPSHOT["none"])
        else:
            show_table(table)

with export_tab:
    source = st.radio(T["export_source"], ["snapshot", "live"], horizontal=True, key="meeting_export_source",
                      format_func=lambda s: T["export_snapshot"].format(title=shot.title) if s == "snapshot"
                      else T["export_live"].format(period=period_label))
    st.caption(T["export_help"])
    made = st.session_state.setdefault("meeting_exports", {})
    columns = st.columns(len(export.FORMATS))
    for column, fmt in zip(columns, export.FORMATS):
        slot = (source, shot.id if source == "snapshot" else scope, fmt)
        with column:
            if st.button(T["export_button"][fmt], key=f"make_{fmt}", icon=":material/description:"):
                bar = st.progress(0.0, text=T["export_starting"])
                report = export.build_report(con, snapshot_id=shot.id) if source == "snapshot" else \
                    export.build_report(con, scope=scope)
                data = export.export(report, fmt, lambda share, step: bar.progress(min(share, 1.0), text=step))
                bar.empty()
                made[slot] = (export.file_name(report, fmt), data)
            if slot in made:
                file_name, data = made[slot]
                st.download_button(T["download"].format(fmt=fmt.upper(), size=text.format_number(len(data) / 1024)),
                                   data=data, file_name=file_name, mime=export.mime_type(fmt), help=file_name,
                                   key=f"download_{fmt}", icon=":material/download:", type="primary")

    # The periodic report (issue 19): a Word draft of the same source, for the office to complete and sign.
    st.divider()
    st.caption(text.REPORT_DOC["help"])
    slot = (source, shot.id if source == "snapshot" else scope, "docx")
    if st.button(text.REPORT_DOC["make"], key="make_docx", icon=":material/article:"):
        try:
            with st.spinner(text.REPORT_DOC["making"]):
                data = report.build(con, snapshot_id=shot.id) if source == "snapshot" else \
                    report.build(con, scope=scope)
        except KpiError as problem:   # a province's outline file that does not load
            st.error(f"{problem.message}\n\n{problem.hint}")
        else:
            made[slot] = (report.file_name(plan_id, shot.period.code if source == "snapshot" else scope.period.code,
                                           shot.id if source == "snapshot" else None, clock.now()), data)
    if slot in made:
        file_name, data = made[slot]
        st.download_button(text.REPORT_DOC["download"].format(size=text.format_number(len(data) / 1024)),
                           data=data, file_name=file_name, mime=report.MIME_TYPE, help=file_name,
                           key="download_docx", icon=":material/download:", type="primary")

with manage_tab:
    listing = [{"id": s.id, "name": s.name, "period": s.period_label, "as_of": text.format_date(s.as_of),
                "by": s.created_by, "at": text.format_datetime(s.created_at),
                "attainment": text.format_percent(s.summary.get("attainment"))} for s in shots]
    dataframe(pd.DataFrame(listing), text.MEETING_COLUMNS)
    st.markdown(f"**{T['delete_title']}**")
    sure = st.checkbox(T["delete_confirm"].format(title=shot.title), key=f"meeting_delete_sure_{shot.id}")
    if st.button(T["delete_button"], disabled=not sure, key="meeting_delete", icon=":material/delete:"):
        snapshots.delete(con, shot.id)
        del st.query_params["snapshot"]
        st.session_state.pop("meeting_snapshot", None)
        st.session_state["meeting_flash"] = T["deleted"].format(title=shot.title)
        st.rerun()
