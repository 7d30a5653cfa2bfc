"""Accounts and sessions in the database (the rules, and the transactions, are in `kpi.accounts`).
Moments are UTC (kpi/clock.py)."""
from __future__ import annotations

import datetime as dt

from kpi import clock

COLUMNS = ("a.username, a.display_name, a.role, a.org_id, a.email, "
           "coalesce((SELECT string_agg(u.unit_code, ';' ORDER BY u.unit_code) FROM account_unit u "
           "WHERE u.username = a.username), ''), a.password_hash, a.failed_attempts, a.locked_until, a.disabled, "
           "a.created_at, a.password_changed_at")


def find(con, username: str) -> tuple | None:
    return con.execute(f"SELECT {COLUMNS} FROM account a WHERE a.username = ?", [username]).fetchone()


def find_by_email(con, email: str) -> tuple | None:
    return con.execute(f"SELECT {COLUMNS} FROM account a WHERE lower(a.email) = ?", [email]).fetchone()


def all_accounts(con) -> list[tuple]:
    return con.execute(f"SELECT {COLUMNS} FROM account a ORDER BY a.username").fetchall()


def unit_addresses(con, org_id: str) -> dict[str, list[str]]:
    """unit code -> the e-mail addresses of the active unit accounts that report for it."""
    found: dict[str, list[str]] = {}
    for unit, email in con.execute(
            "SELECT u.unit_code, a.email FROM account a JOIN account_unit u ON u.username = a.username "
            "WHERE a.org_id = ? AND a.role = 'don_vi' AND NOT a.disabled AND a.email IS NOT NULL "
            "ORDER BY u.unit_code, a.email", [org_id]).fetchall():
        found.setdefault(unit, []).append(email)
    return found


def insert(con, username: str, display_name: str, role: str, org_id: str | None, email: str | None,
           units: tuple[str, ...], password_hash: str, now: dt.datetime) -> None:
    con.execute("INSERT INTO account VALUES (?, ?, ?, ?, ?, ?, 0, NULL, false, ?, ?)",
                [username, display_name, role, org_id, email, password_hash, clock.to_storage(now),
                 clock.to_storage(now)])
    if units:
        con.executemany("INSERT INTO account_unit VALUES (?, ?)", [(username, unit) for unit in units])


def set_disabled(con, username: str, disabled: bool) -> None:
    con.execute("UPDATE account SET disabled = ? WHERE username = ?", [disabled, username])
    if disabled:
        con.execute("UPDATE account_session SET ended = true WHERE username = ?", [username])


def record_failure(con, username: str, failed_attempts: int, locked_until: dt.datetime | None) -> None:
    con.execute("UPDATE account SET failed_attempts = ?, locked_until = ? WHERE username = ?",
                [failed_attempts, clock.to_storage(locked_until), username])


def start_session(con, username: str, token_sha256: str, now: dt.datetime, expires_at: dt.datetime,
                  rehashed: str | None) -> None:
    """A successful sign-in: failures forgotten, the session stored (and the hash upgraded when argon2's
    parameters changed)."""
    con.execute("UPDATE account SET failed_attempts = 0, locked_until = NULL WHERE username = ?", [username])
    if rehashed:
        con.execute("UPDATE account SET password_hash = ? WHERE username = ?", [rehashed, username])
    con.execute("INSERT INTO account_session VALUES (?, ?, ?, ?, false)",
                [token_sha256, username, clock.to_storage(now), clock.to_storage(expires_at)])


def session(con, token_sha256: str) -> tuple | None:
    """(username, expires_at, ended) of a session."""
    return con.execute("SELECT username, expires_at, ended FROM account_session WHERE token_sha256 = ?",
                       [token_sha256]).fetchone()


def end_session(con, token_sha256: str) -> str | None:
    """End a session; the username it belonged to (None: no such session)."""
    row = con.execute("SELECT username FROM account_session WHERE token_sha256 = ?", [token_sha256]).fetchone()
    con.execute("UPDATE account_session SET ended = true WHERE token_sha256 = ?", [token_sha256])
    return row[0] if row else None


def change_password(con, username: str, password_hash: str, now: dt.datetime) -> None:
    """The new hash, and every open session of the account ended: a changed password signs everyone out."""
    con.execute("UPDATE account SET password_hash = ?, password_changed_at = ?, failed_attempts = 0, "
                "locked_until = NULL WHERE username = ?", [password_hash, clock.to_storage(now), username])
    con.execute("UPDATE account_session SET ended = true WHERE username = ?", [username])


def delete(con, username: str) -> None:
    """An account, its units and its sessions gone (the audit trail keeps what it did, by name)."""
    for table in ("account_session", "account_unit", "account"):
        con.execute(f"DELETE FROM {table} WHERE username = ?", [username])
