"""Moments are instants (kpi/clock.py): stored in UTC, shown and exported on Việt Nam's clock (+07:00, no daylight
saving) whatever zone the server process runs in. Expected values are worked out by hand in the comments."""
import datetime as dt
import json
import time
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from kpi import clock, db, text
from kpi.cycle.submissions import Submission, record
from kpi.db import queries, schema, transaction
from kpi.meetings import snapshots
from kpi.periods import parse_period
from kpi.presentation import dashboard
from tests.helpers import scope
from tests.test_cli import kpi

UTC = dt.timezone.utc
PLAN = "syt-dong-nai-2023"


def _set_zone(monkeypatch, zone: str) -> None:
    monkeypatch.setenv("TZ", zone)
    time.tzset()  # the C library (and so Python's naive conversions) reads TZ only here


@pytest.fixture(params=["UTC", "America/New_York"])
def server_zone(request, monkeypatch):
    """The server process in a zone that is not Việt Nam's; restored afterwards."""
    _set_zone(monkeypatch, request.param)
    yield request.param
    monkeypatch.undo()
    time.tzset()


# --- formatting -------------------------------------------------------------------------------------------------

def test_a_moment_shows_on_vietnam_clock_in_every_form(server_zone):
    at = dt.datetime(2023, 10, 15, 7, 5, tzinfo=UTC)  # 07:05 UTC + 7 h = 14:05 in Việt Nam, same day
    assert text.format_datetime(at) == "15/10/2023 14:05"
    assert text.format_datetime_long(at) == "14:05 ngày 15/10/2023"
    assert text.iso_moment(at) == "2023-10-15T14:05:00+07:00"
    assert text.file_stamp(at) == "20231015-1405"
    # Naive values are what the database returns: UTC. pandas hands them over as Timestamps.
    assert text.format_datetime(dt.datetime(2023, 10, 15, 7, 5)) == "15/10/2023 14:05"
    assert text.format_datetime(pd.Timestamp("2023-10-15 07:05")) == "15/10/2023 14:05"
    # Another zone's wall time is converted, not relabelled: 03:05 EDT (-04:00) = 07:05 UTC = 14:05 (+07:00).
    assert text.format_datetime(dt.datetime(2023, 10, 15, 3, 5, tzinfo=ZoneInfo("America/New_York"))) == \
        "15/10/2023 14:05"
    assert text.format_datetime(None) == text.MISSING and text.format_datetime(pd.NaT) == text.MISSING
    assert text.iso_moment(None) is None


def test_the_calendar_day_is_vietnams(server_zone):
    late = dt.datetime(2023, 10, 15, 18, 30, tzinfo=UTC)  # 18:30 UTC + 7 h = 01:30 on the 16th in Việt Nam
    assert clock.local_date(late) == dt.date(2023, 10, 16)
    assert text.format_datetime(late) == "16/10/2023 01:30"
    assert clock.local_date(dt.datetime(2023, 10, 15, 16, 59, tzinfo=UTC)) == dt.date(2023, 10, 15)  # 23:59


def test_now_is_an_aware_utc_instant(server_zone):
    now = clock.now()
    assert now.utcoffset() == dt.timedelta(0) and now.microsecond == 0
    assert abs(now.timestamp() - time.time()) < 5


def test_a_template_stamp_without_offset_was_written_on_the_servers_clock(monkeypatch):
    # Templates made before migration 9 say "2023-07-01T10:00:00" in the server's zone. In New York in July
    # (EDT, -04:00) that is 14:00 UTC; with an offset the text is exact whatever the zone.
    _set_zone(monkeypatch, "America/New_York")
    try:
        assert clock.parse_iso("2023-07-01T10:00:00") == dt.datetime(2023, 7, 1, 14, 0, tzinfo=UTC)
        assert clock.parse_iso("2023-07-01T21:00:00+07:00") == dt.datetime(2023, 7, 1, 14, 0, tzinfo=UTC)
    finally:
        monkeypatch.undo()
        time.tzset()


# --- stored and read back ---------------------------------------------------------------------------------------

def test_a_report_sent_at_a_known_instant_is_stored_in_utc_and_shown_in_vietnam(server_zone, seeded_db):
    sent = dt.datetime(2023, 10, 15, 18, 30, tzinfo=UTC)  # 01:30 on 16/10/2023 in Việt Nam
    with transaction(seeded_db):
        record(seeded_db, Submission(PLAN, "VPS", parse_period("2023-Q3"), submitted_by="Văn phòng",
                                     submitted_at=sent))
    stored = seeded_db.execute("SELECT submitted_at FROM submission WHERE plan_id = ?", [PLAN]).fetchone()[0]
    assert stored == dt.datetime(2023, 10, 15, 18, 30)  # naive UTC, whatever the process zone
    fresh = dashboard.freshness(seeded_db, scope(PLAN, "2023-Q3"))
    office = queries.unit_names(seeded_db, PLAN)["VPS"]
    assert fresh.loc[fresh["unit"] == office, "last"].tolist() == ["16/10/2023 01:30"]


def test_snapshot_json_carries_the_offset(server_zone, seeded_db_path):
    con = db.connect(seeded_db_path)
    try:
        made = snapshots.create(con, scope(PLAN, "2023-Q3"), name="Họp", by="VP",
                                now=dt.datetime(2023, 10, 12, 1, 30, tzinfo=UTC))  # 08:30 in Việt Nam
    finally:
        con.close()
    assert text.format_datetime(made.created_at) == "12/10/2023 08:30"
    listed = kpi("snapshot", "list", "--plan", PLAN, "--format", "json", db_path=seeded_db_path)  # inherits TZ
    assert listed.returncode == 0, listed.stderr
    assert [s["created_at"] for s in json.loads(listed.stdout)] == ["2023-10-12T08:30:00+07:00"]


# --- migration 9 ------------------------------------------------------------------------------------------------

def _database_at_version_7(path, old: dt.datetime, journal_at: dt.datetime):
    """A file as the code before migration 9 left it: every moment column holding `old`, naive server time
    (the write journal held UTC already: `journal_at`)."""
    con = db.connect(path, migrate=False)
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "applied_at TIMESTAMP NOT NULL)")
    for number, name, statements in schema.MIGRATIONS:
        if number > 7:
            break
        for statement in statements:
            con.execute(statement)
        if number in schema.SEEDERS:
            schema.SEEDERS[number](con)
        con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [number, name, old])
    rows = {
        "plan (id, org_id, year, imported_at)": ["p", "o", 2023],
        "submission (id, plan_id, org_id, unit_code, period, period_year, period_key, source, illustrative, "
        "rows, status, submitted_at)": ["s", "p", "o", "VPS", "2023-Q3", 2023, "Q3", "upload", False, 0, "current"],
        "audit (id, kind, happened_at)": ["a", "upload_applied"],
        "period_lock (plan_id, period, approved, changed_at)": ["p", "2023-Q3", False],
        "period_exception (plan_id, period, unit_code, granted_at)": ["p", "2023-Q3", "VPS"],
        "snapshot (id, plan_id, period, as_of, name, created_by, illustrative, summary, created_at)":
            [1, "p", "2023-Q3", dt.date(2023, 9, 30), "Họp", "VP", False, "{}"],
        "snapshot_submission (snapshot_id, submission_id, unit_code, period, illustrative, submitted_at)":
            [1, "s", "VPS", "2023-Q3", False],
    }
    for target, values in rows.items():
        con.execute(f"INSERT INTO {target} VALUES ({', '.join('?' * (len(values) + 1))})", values + [old])
    db_id = con.execute("SELECT id FROM database_identity").fetchone()[0]
    con.execute("INSERT INTO write_journal VALUES (1, ?, ?, 'upload', NULL)", [db_id, journal_at])
    return con


MOMENTS = schema.LOCAL_MOMENTS + (("schema_version", "applied_at"),)


@pytest.mark.parametrize("zone, old, utc, shown", [
    # A server in Việt Nam (+07:00): 14:05 local is 07:05 UTC, and the dashboard still shows 14:05.
    ("Asia/Ho_Chi_Minh", dt.datetime(2023, 10, 15, 14, 5), dt.datetime(2023, 10, 15, 7, 5), "15/10/2023 14:05"),
    # New York in summer (EDT, -04:00): 10:00 + 4 h = 14:00 UTC; + 7 h = 21:00 in Việt Nam.
    ("America/New_York", dt.datetime(2023, 7, 1, 10, 0), dt.datetime(2023, 7, 1, 14, 0), "01/07/2023 21:00"),
    # New York in winter (EST, -05:00): 22:00 + 5 h = 03:00 UTC on the 2nd; + 7 h = 10:00 in Việt Nam.
    ("America/New_York", dt.datetime(2023, 12, 1, 22, 0), dt.datetime(2023, 12, 2, 3, 0), "02/12/2023 10:00"),
    # A server already in UTC: nothing moves; + 7 h = 16:30 in Việt Nam.
    ("UTC", dt.datetime(2023, 9, 30, 9, 30), dt.datetime(2023, 9, 30, 9, 30), "30/09/2023 16:30"),
])
def test_migration_9_reads_old_rows_in_the_servers_zone_and_stores_utc(tmp_path, monkeypatch, zone, old, utc,
                                                                      shown):
    _set_zone(monkeypatch, zone)
    journal_at = dt.datetime(2023, 10, 15, 7, 5, 0, 123456)  # UTC from the start: must not move
    con = _database_at_version_7(tmp_path / "old.duckdb", old, journal_at)
    try:
        assert schema.migrate(con) == schema.LATEST_VERSION
        for table, column in MOMENTS:
            where = " WHERE version <= 7" if table == "schema_version" else ""
            values = {r[0] for r in con.execute(f"SELECT {column} FROM {table}{where}").fetchall()}
            assert values == {utc}, (table, column)
        assert con.execute("SELECT written_at FROM write_journal").fetchall() == [(journal_at,)]
        applied = con.execute("SELECT applied_at FROM schema_version WHERE version = 9").fetchone()[0]
        assert abs(clock.to_utc(applied) - clock.now()) < dt.timedelta(minutes=1)  # written in UTC, not shifted
        assert text.format_datetime(con.execute("SELECT submitted_at FROM submission").fetchone()[0]) == shown
        assert schema.migrate(con) == schema.LATEST_VERSION  # again: a no-op, nothing shifts twice
        assert con.execute("SELECT created_at FROM snapshot").fetchone()[0] == utc
    finally:
        con.close()
        monkeypatch.undo()
        time.tzset()


def test_a_fresh_database_keeps_its_migration_times_in_utc(tmp_path, monkeypatch):
    # Migrations 1–7 run in the same start as 9 and already write UTC: 9 must not shift them by the server's
    # +07:00 (they would read 7 h early).
    _set_zone(monkeypatch, "Asia/Ho_Chi_Minh")
    con = db.connect(tmp_path / "new.duckdb")
    try:
        applied = [r[0] for r in con.execute("SELECT applied_at FROM schema_version").fetchall()]
        assert len(applied) == len(schema.MIGRATIONS)
        assert all(abs(clock.to_utc(at) - clock.now()) < dt.timedelta(minutes=1) for at in applied)
    finally:
        con.close()
        monkeypatch.undo()
        time.tzset()
