"""Accounts and sessions in the database (the rules are in `kpi.accounts`). Moments are UTC (kpi/clock.py)."""
from __future__ import annotations

import datetime as dt

from kpi import clock
from kpi.db.connection import transaction

COLUMNS = ("username, display_name, role, org_id, unit_code, password_hash, failed_attempts, locked_until, "
           "disabled, created_at, password_changed_at")


def find(con, username: str) -> tuple | None:
    return con.execute(f"SELECT {COLUMNS} FROM account WHERE username = ?", [username]).fetchone()


def all_accounts(con) -> list[tuple]:
    return con.execute(f"SELECT {COLUMNS} FROM account ORDER BY username").fetchall()


def insert(con, username: str, display_name: str, role: str, org_id: str | None, unit_code: str | None,
           password_hash: str, now: dt.datetime) -> None:
    with transaction(con, action="account_create", detail={"username": username}):
        con.execute("INSERT INTO account VALUES (?, ?, ?, ?, ?, ?, 0, NULL, false, ?, ?)",
                    [username, display_name, role, org_id, unit_code, password_hash, clock.to_storage(now),
                     clock.to_storage(now)])


def record_failure(con, username: str, failed_attempts: int, locked_until: dt.datetime | None) -> None:
    with transaction(con, action=None):  # a refused sign-in is not a product write
        con.execute("UPDATE account SET failed_attempts = ?, locked_until = ? WHERE username = ?",
                    [failed_attempts, clock.to_storage(locked_until), username])


def start_session(con, username: str, token_sha256: str, now: dt.datetime, expires_at: dt.datetime,
                  rehashed: str | None) -> None:
    """A successful sign-in: failures forgotten, the session stored (and the hash upgraded when argon2's
    parameters changed)."""
    with transaction(con, action=None):
        con.execute("UPDATE account SET failed_attempts = 0, locked_until = NULL WHERE username = ?", [username])
        if rehashed:
            con.execute("UPDATE account SET password_hash = ? WHERE username = ?", [rehashed, username])
        con.execute("INSERT INTO account_session VALUES (?, ?, ?, ?, false)",
                    [token_sha256, username, clock.to_storage(now), clock.to_storage(expires_at)])


def session(con, token_sha256: str) -> tuple | None:
    """(username, expires_at, ended) of a session."""
    return con.execute("SELECT username, expires_at, ended FROM account_session WHERE token_sha256 = ?",
                       [token_sha256]).fetchone()


def end_session(con, token_sha256: str) -> None:
    with transaction(con, action=None):
        con.execute("UPDATE account_session SET ended = true WHERE token_sha256 = ?", [token_sha256])


def change_password(con, username: str, password_hash: str, now: dt.datetime) -> None:
    """The new hash, and every open session of the account ended: a changed password signs everyone out."""
    with transaction(con, action="account_password", detail={"username": username}):
        con.execute("UPDATE account SET password_hash = ?, password_changed_at = ?, failed_attempts = 0, "
                    "locked_until = NULL WHERE username = ?", [password_hash, clock.to_storage(now), username])
        con.execute("UPDATE account_session SET ended = true WHERE username = ?", [username])
