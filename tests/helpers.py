"""Small helpers for tests that call kpi/ read functions directly."""
from __future__ import annotations

import datetime as dt

from kpi.periods import Period, parse_period
from kpi.scope import Scope


def scope(plan_id: str, period: str | Period, as_of: dt.date | None = None) -> Scope:
    """A test's scope from a plan id and a period code ("2023-9M"), as an edge would resolve it."""
    return Scope(plan_id, period if isinstance(period, Period) else parse_period(period), as_of)


def database_before(path, count: int):
    """A database file as an older version left it: only the first `count` migrations applied, not migrated
    further on opening (tests of what a later migration does to existing rows)."""
    from kpi.db import connect, schema
    con = connect(path, migrate=False)
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "applied_at TIMESTAMP NOT NULL)")
    for number, name, statements in schema.MIGRATIONS[:count]:
        for statement in statements:
            con.execute(statement)
        con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [number, name])
    return con


# Who the tests act as when the person is not what they test: the server's administrator (kpi/access.py),
# recorded in the audit trail with the channel "test".
from kpi.access import Actor  # noqa: E402

TEST_ACTOR = Actor(username="kiem-thu", role="server", display_name="Kiểm thử", channel="test")


def recorded(con, submission) -> str:
    """`kpi.cycle.submissions.record` as the product calls it: inside a write transaction (its caller's, when
    the test already holds one), so the write counter moves and no remembered figure outlives it
    (kpi/db/read_cache.py `remembered`). Returns the submission's id."""
    from kpi.cycle.submissions import record
    from kpi.db import connection
    if connection.in_transaction(con):
        return record(con, submission)
    with connection.transaction(con, action="test"):
        return record(con, submission)
