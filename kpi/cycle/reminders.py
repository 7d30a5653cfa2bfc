"""Reminders by e-mail to the units that have not reported a period (docs/reminders.md).

One call, `send(con, scope, actor)`, for the office's button and `python -m kpi remind`: every unit expected
to report the plan (kpi.cycle.reporting) without a current submission for the period gets one e-mail per
address of its unit accounts (kpi.db.accounts.unit_addresses). Before the deadline the e-mail reminds, after
it the e-mail says the report is late. Each attempt is one row of `reminder` written with its audit row in the
same transaction; nothing raises past this module once sending starts: a refused connection, a timeout, a
rejected address each become a 'failed' row with the error and a Vietnamese reason for the person.

The SMTP server comes from configuration (environment variables, else `.streamlit/secrets.toml` [smtp]);
the password is never recorded.
"""
from __future__ import annotations

import datetime as dt
import os
import smtplib
import socket
import ssl
import tomllib
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime as mail_date
from email.utils import make_msgid
from pathlib import Path

import pandas as pd

from kpi import access, audit, clock, text
from kpi.cycle import locks, reporting
from kpi.db import accounts as stored_accounts
from kpi.db import queries
from kpi.db import reminders as stored
from kpi.db.connection import transaction
from kpi.problems import KpiError
from kpi.scope import Scope

BEFORE, AFTER = "before", "after"
SENT, FAILED, NO_ADDRESS, DRY_RUN = "sent", "failed", "no_address", "dry_run"
ENVIRONMENT = {"host": "KPI_SMTP_HOST", "port": "KPI_SMTP_PORT", "user": "KPI_SMTP_USER",
               "password": "KPI_SMTP_PASSWORD", "sender": "KPI_SMTP_FROM", "starttls": "KPI_SMTP_STARTTLS",
               "dashboard_url": "KPI_DASHBOARD_URL", "timeout": "KPI_SMTP_TIMEOUT"}
SECRETS_KEYS = {"host": "host", "port": "port", "user": "user", "password": "password", "sender": "from",
                "starttls": "starttls", "dashboard_url": "dashboard_url", "timeout": "timeout"}
SECRETS_FILE = Path(".streamlit") / "secrets.toml"  # where `streamlit run` reads its secrets (working folder)
DEFAULT_PORT = 25
DEFAULT_TIMEOUT = 10.0  # seconds for connecting and for each reply: a dead server must not hold the page
IMPLICIT_TLS_PORT = 465


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how reminders are sent. `host` None: not configured (every attempt fails, recorded)."""
    host: str | None = None
    port: int = DEFAULT_PORT
    user: str | None = None
    password: str | None = None
    sender: str | None = None
    starttls: bool = False
    dashboard_url: str | None = None
    timeout: float = DEFAULT_TIMEOUT

    @property
    def from_address(self) -> str:
        return self.sender or self.user or f"cchc@{self.host or 'localhost'}"

    @classmethod
    def from_configuration(cls, environ=None, secrets_file: Path | None = SECRETS_FILE) -> "SmtpSettings":
        """The environment's KPI_SMTP_* variables, each falling back to `.streamlit/secrets.toml` [smtp]."""
        environ = os.environ if environ is None else environ
        secrets = _secrets(secrets_file)
        raw = {key: environ.get(variable) or secrets.get(SECRETS_KEYS[key]) for key, variable in ENVIRONMENT.items()}
        return cls(host=_text(raw["host"]), port=_number(raw["port"], int, DEFAULT_PORT), user=_text(raw["user"]),
                   password=_text(raw["password"]), sender=_text(raw["sender"]),
                   starttls=str(raw["starttls"] or "").strip().lower() in ("1", "true", "yes", "on"),
                   dashboard_url=_text(raw["dashboard_url"]),
                   timeout=_number(raw["timeout"], float, DEFAULT_TIMEOUT))


def _secrets(path: Path | None) -> dict:
    """The [smtp] table of Streamlit's secrets file; {} when absent or unreadable (the environment still counts)."""
    if path is None or not Path(path).is_file():
        return {}
    try:
        with open(path, "rb") as handle:
            table = tomllib.load(handle).get("smtp", {})
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return table if isinstance(table, dict) else {}


def _text(value) -> str | None:
    return str(value).strip() or None if value is not None else None


def _number(value, kind, default):
    try:
        return kind(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default


@dataclass(frozen=True)
class Result:
    """One reminder attempt: one unit and one address (None: the unit has no address)."""
    unit_code: str
    unit_name: str
    address: str | None
    kind: str
    outcome: str
    reason: str | None = None  # why it failed, a key of text.REMINDER_REASONS
    error: str | None = None   # the server's or the system's own words, kept in the row for the administrator

    @property
    def message(self) -> str:
        """What the person reads about this attempt, in Vietnamese."""
        label = text.REMINDER_OUTCOMES[self.outcome]
        return f"{label}: {text.REMINDER_REASONS[self.reason]}" if self.reason else label


def kind_for(deadline: dt.date, today: dt.date) -> str:
    """'before' up to and including the deadline day, 'after' from the next day."""
    return BEFORE if today <= deadline else AFTER


def pending_units(con, scope: Scope) -> list[tuple[str, str]]:
    """(code, name) of the units expected to report the plan that have no current submission for the period,
    in the plan's Vietnamese order."""
    reported = stored.reported_units(con, scope.plan_id, scope.period.code)
    return [(code, name) for code, name in reporting.reporting_units(con, scope.plan_id) if code not in reported]


def may_send(con, scope: Scope, actor) -> bool:
    """Whether `actor` may send reminders for the plan of `scope` (what a page offers; `send` decides)."""
    return queries.plan_exists(con, scope.plan_id) and \
        access.allowed(actor, "remind", org_id=queries.plan_org_id(con, scope.plan_id))


def send(con, scope: Scope, actor, *, dry_run: bool = False, settings: SmtpSettings | None = None,
         today: dt.date | None = None) -> list[Result]:
    """Remind every unit of `scope` that has not reported: one e-mail per address, each attempt recorded.
    Refused (Forbidden, nothing written but the refusal) for an actor without the `remind` right on the plan's
    organisation; KpiError for an unknown plan. `dry_run`: everything recorded as 'dry_run', nothing sent."""
    year = queries.plan_year(con, scope.plan_id)
    if year is None:
        raise KpiError("plan_unknown", value=scope.plan_id)
    if scope.period.year != year:
        raise KpiError("period_outside_plan", value=scope.period.code, plan=scope.plan_id, year=year)
    org_id = queries.plan_org_id(con, scope.plan_id)
    access.require(con, actor, "remind", org_id=org_id, plan_id=scope.plan_id, period=scope.period.code)
    settings = settings or SmtpSettings.from_configuration()
    deadline = locks.deadline(con, scope.plan_id, scope.period).due  # the office's, else the plan's rule
    kind = kind_for(deadline, today or clock.local_date())
    organisation, plan_title = queries.plan_heading(con, scope.plan_id)
    addresses = stored_accounts.unit_addresses(con, org_id)
    letters, results = [], []
    for code, name in pending_units(con, scope):
        if not addresses.get(code):
            results.append(_record(con, scope, actor, org_id, Result(code, name, None, kind, NO_ADDRESS)))
        for address in addresses.get(code, []):
            if dry_run:
                results.append(_record(con, scope, actor, org_id, Result(code, name, address, kind, DRY_RUN)))
            else:
                letters.append(Result(code, name, address, kind, SENT))
    context = {"organisation": organisation, "plan": plan_title, "period": scope.period.label,
               "deadline": text.format_date(deadline)}
    for attempt in _deliver(settings, letters, context):
        results.append(_record(con, scope, actor, org_id, attempt))
    return results


def compose(settings: SmtpSettings, letter: Result, context: dict) -> EmailMessage:
    """The e-mail of one reminder: Vietnamese subject and body (NFC, UTF-8)."""
    words = text.REMINDER_MAIL
    fields = {**context, "unit": letter.unit_name}
    link = words["link"].format(url=settings.dashboard_url) if settings.dashboard_url else words["no_link"]
    message = EmailMessage()
    message["Subject"] = text.nfc(words[f"subject_{letter.kind}"].format(**fields))
    message["From"] = settings.from_address
    message["To"] = letter.address
    message["Date"] = mail_date(clock.now())
    message["Message-ID"] = make_msgid(domain=settings.from_address.rpartition("@")[2] or None)
    body = "\n\n".join([words["greeting"].format(**fields), words[f"body_{letter.kind}"].format(**fields), link,
                        words["signature"].format(**fields)])
    message.set_content(text.nfc(body), charset="utf-8")
    return message


def _deliver(settings: SmtpSettings, letters: list[Result], context: dict):
    """Send each letter over one connection; yield each attempt's Result as it ends (failures included)."""
    if not letters:
        return
    if not settings.host:
        for letter in letters:
            yield _failed(letter, "not_configured", None)
        return
    try:
        server = _connect(settings)
    except Exception as exc:  # noqa: BLE001 - whatever the network says, it is recorded, never raised
        for letter in letters:
            yield _failed(letter, _reason(exc), exc)
        return
    try:
        for letter in letters:
            try:
                server.send_message(compose(settings, letter, context), to_addrs=[letter.address])
                yield letter
            except Exception as exc:  # noqa: BLE001 - one address refused: the others still go
                yield _failed(letter, _reason(exc), exc)
    finally:
        try:
            server.quit()
        except Exception:  # noqa: BLE001 - the letters are sent or recorded failed already
            server.close()


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.port == IMPLICIT_TLS_PORT:
        server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                  context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.starttls:
            server.starttls(context=ssl.create_default_context())
        if settings.user:
            server.login(settings.user, settings.password or "")
    except Exception:
        server.close()
        raise
    return server


def _failed(letter: Result, reason: str, exc: Exception | None) -> Result:
    error = f"{type(exc).__name__}: {exc}" if exc is not None else None
    return Result(letter.unit_code, letter.unit_name, letter.address, letter.kind, FAILED, reason, error)


def _reason(exc: Exception) -> str:
    """The kind of failure, for the Vietnamese reason (text.REMINDER_REASONS)."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "login"
    if isinstance(exc, (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused)):
        return "address"
    if isinstance(exc, (ssl.SSLError, smtplib.SMTPNotSupportedError)):
        return "tls"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "timeout"
    if isinstance(exc, (ConnectionError, socket.gaierror, smtplib.SMTPConnectError,
                        smtplib.SMTPServerDisconnected)):
        return "connection"
    if isinstance(exc, OSError):
        return "connection"
    return "other"


def _record(con, scope: Scope, actor, org_id: str, result: Result) -> Result:
    """One reminder row and its audit row, in one transaction (the right checked again before each)."""
    access.require(con, actor, "remind", org_id=org_id, plan_id=scope.plan_id, period=scope.period.code)
    detail = {"kind": result.kind, "outcome": result.outcome, "reason": result.reason, "error": result.error}
    with transaction(con, action="reminder", detail={"plan": scope.plan_id, "period": scope.period.code,
                                                      "unit": result.unit_code, "outcome": result.outcome}):
        stored.insert(con, uuid.uuid4().hex, clock.now(), scope.plan_id, scope.period.code, result.unit_code,
                      result.address, result.kind, result.outcome, result.error, actor.username)
        audit.append(con, actor, "reminder", plan_id=scope.plan_id, unit_code=result.unit_code,
                     period=scope.period.code, subject=result.address,
                     detail={k: v for k, v in detail.items() if v is not None})
    return result


def summary(results: list[Result]) -> dict[str, int]:
    """outcome -> count, every outcome present (0 when none)."""
    counts = {outcome: 0 for outcome in (SENT, FAILED, NO_ADDRESS, DRY_RUN)}
    for result in results:
        counts[result.outcome] += 1
    return counts


def document(results: list[Result]) -> list[dict]:
    """The results as `remind --format json` prints them."""
    return [{"unit": r.unit_code, "unit_name": r.unit_name, "address": r.address, "kind": r.kind,
             "outcome": r.outcome, "reason": r.reason, "error": r.error, "message": r.message} for r in results]


def table(results: list[Result]) -> pd.DataFrame:
    """The results for a person: unit, address, kind and outcome in Vietnamese (columns text.REMINDER_COLUMNS)."""
    return pd.DataFrame([{"unit": r.unit_name, "address": r.address or text.MISSING,
                          "kind": text.REMINDER_KINDS[r.kind], "outcome": r.message} for r in results],
                        columns=list(text.REMINDER_COLUMNS))
