"""Accounts: who may sign in, with which role, and their sessions (docs/accounts.md).

Passwords are kept only as argon2id hashes (argon2-cffi's defaults, upgraded on sign-in when they change);
there is no default password: the first administrator is created with
`python -m kpi users create --username … --role admin --password-stdin`. LOCK_AFTER failures in a row lock
the account for LOCK_MINUTES; a session is a random token handed to the browser, of which the database keeps
only the SHA-256, valid for SESSION_HOURS unless signed out or the password changes.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kpi import clock, text
from kpi.db import accounts as stored
from kpi.problems import KpiError

ROLES = ("admin", "leader", "office", "unit")  # labels in kpi/text.py ROLES
LOCK_AFTER = 5
LOCK_MINUTES = 15
SESSION_HOURS = 8
MIN_PASSWORD = 10
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")

_hasher = PasswordHasher()


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    role: str
    org_id: str | None
    unit_code: str | None
    password_hash: str
    failed_attempts: int
    locked_until: dt.datetime | None  # UTC, naive as stored
    disabled: bool
    created_at: dt.datetime
    password_changed_at: dt.datetime


def _account(row) -> Account | None:
    return Account(*row) if row else None


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise KpiError("password_too_short", minimum=MIN_PASSWORD)


def create(con, username: str, role: str, password: str, *, display_name: str | None = None,
           org_id: str | None = None, unit_code: str | None = None, now: dt.datetime | None = None) -> Account:
    """A new account; refused (KpiError) for a taken or malformed username, an unknown role, a unit account
    without its unit, or a password shorter than MIN_PASSWORD."""
    username = text.clean(username).strip().lower()
    if not USERNAME.match(username):
        raise KpiError("username_invalid", value=username)
    if role not in ROLES:
        raise KpiError("role_unknown", value=role)
    if role == "unit" and not unit_code:
        raise KpiError("unit_required")
    _check_password(password)
    if stored.find(con, username):
        raise KpiError("username_taken", value=username)
    stored.insert(con, username, text.clean(display_name or username), role, org_id, unit_code,
                  _hasher.hash(password), now or clock.now())
    return _account(stored.find(con, username))


def all_accounts(con) -> list[Account]:
    return [_account(row) for row in stored.all_accounts(con)]


def _locked(account: Account, now: dt.datetime) -> bool:
    return account.locked_until is not None and clock.to_storage(now) < account.locked_until


def sign_in(con, username: str, password: str, now: dt.datetime | None = None) -> tuple[Account, str]:
    """(account, session token) for a right password; KpiError otherwise. The message never says whether the
    username exists; a locked account says until when, and is not tried at all while locked."""
    now = now or clock.now()
    account = _account(stored.find(con, text.clean(username).strip().lower()))
    if account is None or account.disabled:
        _hasher.hash(password)  # the same time as a real check, so the answer does not tell who exists
        raise KpiError("sign_in_failed")
    if _locked(account, now):
        raise KpiError("account_locked", until=text.format_datetime(account.locked_until))
    try:
        _hasher.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        failures = account.failed_attempts + 1
        until = clock.to_utc(now) + dt.timedelta(minutes=LOCK_MINUTES) if failures >= LOCK_AFTER else None
        stored.record_failure(con, account.username, 0 if until else failures, until)
        if until:
            raise KpiError("account_locked", until=text.format_datetime(clock.to_storage(until))) from None
        raise KpiError("sign_in_failed") from None
    token = secrets.token_urlsafe(32)
    rehashed = _hasher.hash(password) if _hasher.check_needs_rehash(account.password_hash) else None
    stored.start_session(con, account.username, _digest(token), now,
                         clock.to_utc(now) + dt.timedelta(hours=SESSION_HOURS), rehashed)
    return _account(stored.find(con, account.username)), token


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def session_account(con, token: str | None, now: dt.datetime | None = None) -> Account | None:
    """The signed-in account behind a session token, or None (no token, unknown, ended, expired, disabled)."""
    if not token:
        return None
    found = stored.session(con, _digest(token))
    if found is None:
        return None
    username, expires_at, ended = found
    if ended or clock.to_storage(now or clock.now()) >= expires_at:
        return None
    account = _account(stored.find(con, username))
    return None if account is None or account.disabled else account


def sign_out(con, token: str) -> None:
    stored.end_session(con, _digest(token))


def change_password(con, username: str, old: str, new: str, now: dt.datetime | None = None) -> None:
    """The old password must be right; the new one long enough; every session of the account ends."""
    account = _account(stored.find(con, username))
    if account is None:
        raise KpiError("sign_in_failed")
    try:
        _hasher.verify(account.password_hash, old)
    except (VerificationError, InvalidHashError):
        raise KpiError("password_wrong") from None
    _check_password(new)
    stored.change_password(con, username, _hasher.hash(new), now or clock.now())
