"""The dashboard's sign-in cookie (docs/accounts.md): the session token of kpi/accounts.py, signed.

The browser keeps `cchc_phien` = itsdangerous signature of the token, HttpOnly (no script on the page can read
it), SameSite=Lax (not sent with another site's form posts), Path=/, for accounts.SESSION_HOURS. The signature
is a second lock: a cookie not made by this server is refused before the database is asked. The database keeps
only the token's SHA-256 (kpi/accounts.py), so a copied database does not hand out sessions either.

The signing key: KPI_COOKIE_SECRET, else a random key made once in `.cookie_secret` beside the database file
(data/.cookie_secret by default), readable only by its owner. Changing it signs everybody out.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from itsdangerous import BadSignature, URLSafeSerializer

from kpi import DATA_DIR, accounts
from kpi.db import postgres
from kpi.db.connection import database_path

COOKIE = "cchc_phien"
ENV_SECRET = "KPI_COOKIE_SECRET"
SALT = "cchc-phien-dang-nhap"
MAX_AGE = accounts.SESSION_HOURS * 3600
ERROR_CODES = ("sign_in_failed", "account_locked", "session_ended", "signed_out")


def secret_file() -> Path:
    """`.cookie_secret` in the database's folder (data/ by default; the project's data folder for :memory:
    and for a PostgreSQL URL, which has no folder: read as a path, the URL made a folder named after the
    server with its password in the name)."""
    path = database_path()
    folderless = path == ":memory:" or postgres.is_url(path)
    return (DATA_DIR if folderless else Path(path).resolve().parent) / ".cookie_secret"


def secret() -> str:
    """The signing key: the environment's, else the one kept on disk (created once, mode 0600)."""
    if os.environ.get(ENV_SECRET):
        return os.environ[ENV_SECRET]
    path = secret_file()
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # O_EXCL: two processes starting together keep one key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="ascii").strip()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(secret(), salt=SALT)


def sign(token: str) -> str:
    return _serializer().dumps(token)


def unsign(value: str | None) -> str | None:
    """The session token inside a cookie value, or None when absent, malformed or not signed by this server."""
    if not value:
        return None
    try:
        token = _serializer().loads(value)
    except BadSignature:
        return None
    return token if isinstance(token, str) else None


def account_from_cookie(con, value: str | None, now=None):
    """The signed-in account (kpi.accounts.Account) behind a cookie value, or None (no cookie, a forged one, an
    ended or expired session, a disabled account)."""
    token = unsign(value)
    return accounts.session_account(con, token, now=now) if token else None


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a path of this site ("/…", not "//…" nor "/\\…", no scheme or
    host), else "/": a link made elsewhere must not send a person off to another site (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ch in target for ch in "\r\n\t\\") or any(ord(ch) < 32 for ch in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def error_code(value: str | None) -> str | None:
    """A `?dang_nhap=` code the sign-in view knows (anything else is ignored, never shown)."""
    return value if value in ERROR_CODES else None
