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

from kpi import audit, clock, text
from kpi.access import ADMIN, ROLES, UNIT, Actor, require
from kpi.db import accounts as stored
from kpi.db.connection import transaction
from kpi.problems import KpiError

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
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
    email: str | None
    units: tuple[str, ...]
    password_hash: str
    failed_attempts: int
    locked_until: dt.datetime | None  # UTC, naive as stored
    disabled: bool
    created_at: dt.datetime
    password_changed_at: dt.datetime


def _account(row) -> Account | None:
    if not row:
        return None
    username, name, role, org_id, email, units, *rest = row
    return Account(username, name, role, org_id, email, tuple(u for u in units.split(";") if u), *rest)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise KpiError("password_too_short", minimum=MIN_PASSWORD)


def create(con, username: str, role: str, password: str, *, actor: Actor, display_name: str | None = None,
           org_id: str | None = None, units: tuple[str, ...] | list[str] = (), email: str | None = None,
           now: dt.datetime | None = None) -> Account:
    """A new account, made by `actor` (an admin, the office of the same organisation, or the server); refused
    (KpiError) for a taken or malformed username, an unknown role, a unit account without its units, a unit
    the organisation does not have, a malformed e-mail or a password shorter than MIN_PASSWORD."""
    username = text.clean(username).strip().lower()
    if not USERNAME.match(username):
        raise KpiError("username_invalid", value=username)
    if role not in ROLES:
        raise KpiError("role_unknown", value=role)
    units = tuple(dict.fromkeys(text.clean(u).strip() for u in units if u and u.strip()))
    if role == UNIT and not units:
        raise KpiError("unit_required")
    if role != ADMIN and not org_id:
        raise KpiError("org_required")
    email = text.clean(email).strip() if email else None
    if email and not EMAIL.match(email):
        raise KpiError("email_invalid", value=email)
    _check_password(password)
    # only an administrator (or the server) makes another administrator
    require(con, actor, "accounts_admin" if role == ADMIN else "accounts", org_id=org_id)
    if stored.find(con, username):
        raise KpiError("username_taken", value=username)
    from kpi.db import queries
    known = queries.unit_codes(con, org_id) if org_id else set()
    unknown = [u for u in units if u not in known]
    if unknown:
        raise KpiError("unit_unknown_for_org", value=", ".join(unknown), org=org_id or "")
    with transaction(con, action="account_create", detail={"username": username}):
        stored.insert(con, username, text.clean(display_name or username), role, org_id, email, units,
                      _hasher.hash(password), now or clock.now())
        audit.append(con, actor, "account_create", subject=username,
                     detail={"role": role, "org": org_id, "units": list(units), "email": email})
    return _account(stored.find(con, username))


def set_disabled(con, username: str, disabled: bool, *, actor: Actor) -> None:
    """Disable (every session ends) or enable an account."""
    account = _account(stored.find(con, username))
    if account is None:
        raise KpiError("account_unknown", value=username)
    require(con, actor, "accounts", org_id=account.org_id)
    with transaction(con, action="account_change", detail={"username": username}):
        stored.set_disabled(con, username, disabled)
        audit.append(con, actor, "account_change", subject=username, detail={"disabled": disabled})


def remove(con, username: str, *, actor: Actor) -> None:
    """Delete an account (the demo accounts of `python -m kpi demo --remove`); its audit rows stay."""
    account = _account(stored.find(con, username))
    if account is None:
        return
    require(con, actor, "accounts_admin" if account.role == ADMIN else "accounts", org_id=account.org_id)
    with transaction(con, action="account_change", detail={"username": username}):
        stored.delete(con, username)
        audit.append(con, actor, "account_change", subject=username, detail={"removed": True})


def find(con, username: str) -> Account | None:
    return _account(stored.find(con, text.clean(username or "").strip().lower()))


def all_accounts(con) -> list[Account]:
    return [_account(row) for row in stored.all_accounts(con)]


def _locked(account: Account, now: dt.datetime) -> bool:
    return account.locked_until is not None and clock.to_storage(now) < account.locked_until


def sign_in(con, username: str, password: str, now: dt.datetime | None = None, channel: str = "web") -> tuple[Account, str]:
    """(account, session token) for a right password; KpiError otherwise. The message never says whether the
    username exists; a locked account says until when, and is not tried at all while locked."""
    now = now or clock.now()
    account = _account(stored.find(con, text.clean(username).strip().lower()))
    if account is None or account.disabled:
        _hasher.hash(password)  # the same time as a real check, so the answer does not tell who exists
        _record_sign_in(con, username, "sign_in_failed", channel, {"reason": "unknown"})
        raise KpiError("sign_in_failed")
    if _locked(account, now):
        _record_sign_in(con, account.username, "sign_in_failed", channel, {"reason": "locked"}, account.role)
        raise KpiError("account_locked", until=text.format_datetime(account.locked_until))
    try:
        _hasher.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        failures = account.failed_attempts + 1
        until = clock.to_utc(now) + dt.timedelta(minutes=LOCK_MINUTES) if failures >= LOCK_AFTER else None
        with transaction(con, action=None):  # a refused sign-in is not a product write
            stored.record_failure(con, account.username, 0 if until else failures, until)
            audit.append(con, Actor(account.username, account.role, channel=channel), "sign_in_failed",
                         subject=account.username, detail={"reason": "password", "locked": bool(until)})
        if until:
            raise KpiError("account_locked", until=text.format_datetime(clock.to_storage(until))) from None
        raise KpiError("sign_in_failed") from None
    token = secrets.token_urlsafe(32)
    rehashed = _hasher.hash(password) if _hasher.check_needs_rehash(account.password_hash) else None
    with transaction(con, action=None):
        stored.start_session(con, account.username, _digest(token), now,
                             clock.to_utc(now) + dt.timedelta(hours=SESSION_HOURS), rehashed)
        audit.append(con, Actor(account.username, account.role, channel=channel), "sign_in", subject=account.username)
    return _account(stored.find(con, account.username)), token


def _record_sign_in(con, username: str, action: str, channel: str, detail: dict, role: str = "?") -> None:
    shown = (text.clean(username or "") or "").strip().lower()[:40]  # a name typed at the form: bounded, as text
    with transaction(con, action=None):
        audit.append(con, Actor(shown or "?", role, channel=channel), action, subject=shown, detail=detail)


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


def sign_out(con, token: str, channel: str = "web") -> None:
    with transaction(con, action=None):
        username = stored.end_session(con, _digest(token))
        if username:
            account = _account(stored.find(con, username))
            audit.append(con, Actor(username, account.role if account else "?", channel=channel), "sign_out",
                         subject=username)


def change_password(con, username: str, old: str, new: str, now: dt.datetime | None = None,
                    channel: str = "web") -> None:
    """The old password must be right; the new one long enough; every session of the account ends."""
    account = _account(stored.find(con, username))
    if account is None:
        raise KpiError("sign_in_failed")
    try:
        _hasher.verify(account.password_hash, old)
    except (VerificationError, InvalidHashError):
        raise KpiError("password_wrong") from None
    _check_password(new)
    with transaction(con, action="account_password", detail={"username": username}):
        stored.change_password(con, username, _hasher.hash(new), now or clock.now())
        audit.append(con, Actor(username, account.role, channel=channel), "account_password", subject=username)


def by_email(con, email: str | None) -> Account | None:
    """The active account with this e-mail address (an identity provider's sign-in: st.user), or None."""
    if not email:
        return None
    row = stored.find_by_email(con, text.clean(email).strip().lower())
    account = _account(row)
    return None if account is None or account.disabled else account


def actor_for(con, username: str, channel: str) -> Actor:
    """The actor behind a username given on the command line (--as) or by a test; KpiError when there is no
    such active account."""
    account = find(con, username)
    if account is None or account.disabled:
        raise KpiError("account_unknown", value=username)
    return Actor.of(account, channel)


def identity_current(claims: dict, now: dt.datetime | None = None) -> bool:
    """An identity provider's claims (st.user) still valid: Streamlit does not check the ID token's `exp`
    (RELIABILITY D12), so an expired one counts as signed out here."""
    expires = claims.get("exp")
    if expires is None:
        return True
    try:
        return clock.to_utc(now or clock.now()).timestamp() < float(expires)
    except (TypeError, ValueError):
        return False  # a claim that is not a number is not trusted
