"""The one owner of "now" and of time zones (issue 14, item 8).

A moment is an instant: `now()` is an aware UTC datetime, the database stores UTC, and people read the time
in Việt Nam. The server's own zone never enters, because the server may run anywhere (a container in UTC,
a laptop abroad) while every reader of the dashboard is in Asia/Ho_Chi_Minh.

- **Stored:** moment columns are `TIMESTAMP` holding UTC (migration 9). Not `TIMESTAMPTZ`: DuckDB 1.5.5's
  Python client needs `pytz` to return a `TIMESTAMPTZ`, which the pinned stack does not carry, and what it
  returns would follow the session's `TimeZone` setting; a plain `TIMESTAMP` comes back exactly as written.
  `to_storage` is the only way a moment goes in; a naive value read back is UTC (`to_utc`).
- **Shown:** `kpi.text` formats through `to_local` (Asia/Ho_Chi_Minh, +07:00, no daylight saving).
- **Calendar dates** (a lock's first day, "not after today") are Việt Nam's: `local_date`.

No Streamlit, no database: plain conversions the rest of the project asks for.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc
LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> dt.datetime:
    """This instant, aware, in UTC, to the second (stored times never needed the microseconds)."""
    return dt.datetime.now(UTC).replace(microsecond=0)


def now_precise() -> dt.datetime:
    """This instant with its microseconds: where rows written in one second must keep their order (audit)."""
    return dt.datetime.now(UTC)


def to_utc(value: dt.datetime) -> dt.datetime:
    """An aware UTC datetime. A naive value is UTC already: that is what the database holds since migration 9,
    and what callers (tests, demo data) pass when they mean an instant."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def to_storage(value: dt.datetime | None) -> dt.datetime | None:
    """What a `TIMESTAMP` column receives: naive UTC. Handing DuckDB an aware value would let it convert
    through the session zone; this never does."""
    if value is None:
        return None
    return to_utc(value).replace(tzinfo=None)


def to_local(value: dt.datetime) -> dt.datetime:
    """The same instant on a wall clock in Việt Nam."""
    return to_utc(value).astimezone(LOCAL_ZONE)


def local_date(value: dt.datetime | None = None) -> dt.date:
    """The calendar day in Việt Nam at an instant (default: now). Near midnight it differs from UTC's."""
    return to_local(value if value is not None else now()).date()


def from_local(wall: dt.datetime) -> dt.datetime:
    """A wall-clock time in Việt Nam (demo data: "16:30 on the period's last day") as an aware UTC instant."""
    return wall.replace(tzinfo=LOCAL_ZONE).astimezone(UTC)


def server_local_to_utc(value: dt.datetime) -> dt.datetime:
    """A naive time written by the server's own clock (rows before migration 9, templates made before it)
    as naive UTC. Python reads a naive datetime in the process's zone (TZ, through the C library's
    localtime), which is the zone the old `datetime.now()` wrote in. A time that occurred twice (daylight
    saving ending) is taken as the first; Việt Nam has had no daylight saving since 1975."""
    return value.astimezone(UTC).replace(tzinfo=None)


def parse_iso(value: str) -> dt.datetime:
    """An ISO 8601 moment from a file we wrote (aware UTC). One without an offset was written before
    migration 9 by the server's clock. Raises ValueError when it is not a moment."""
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        return to_utc(server_local_to_utc(parsed))
    return parsed.astimezone(UTC)


def start_of_local_day(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in Việt Nam, as naive UTC for comparing with stored moments."""
    return to_storage(dt.datetime.combine(day, dt.time()).replace(tzinfo=LOCAL_ZONE))


def storage_text(value: dt.datetime | None) -> str | None:
    """A stored moment as exact text (naive UTC, microseconds kept): what the audit chain hashes."""
    return str(to_storage(value)) if value is not None else None
