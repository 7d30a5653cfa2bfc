"""Unexpected errors: a short id for the person, the traceback for the log.

Nothing technical reaches a user. The dashboard and the command line catch what they did not expect at
their boundary, call `record`, and show the Vietnamese message of `kpi.text.ERRORS` with the id it
returns; the traceback is written under that id to the server's log (standard error) and to the error
log file (`KPI_LOG`, default `data/logs/errors.log`), where an administrator finds it by the id.
"""
from __future__ import annotations

import logging
import os
import secrets
import traceback
from pathlib import Path

from kpi import DATA_DIR, text

ENV_LOG = "KPI_LOG"
_logger = logging.getLogger("kpi.errors")


def log_path() -> Path:
    return Path(os.environ.get(ENV_LOG) or DATA_DIR / "logs" / "errors.log")


def new_id() -> str:
    """Eight characters a person can read out on the phone: 'E7K2Q9XA' (no 0/O or 1/I to confuse)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def kind(exc: BaseException) -> str:
    """Which fault a person can do something about: "disk_full", "read_only", else "unexpected"."""
    import errno
    seen: BaseException | None = exc
    while seen is not None:
        message = str(seen).lower()
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC or "no space left" in message \
                or "could not write" in message and "space" in message:
            return "disk_full"
        if isinstance(seen, OSError) and seen.errno in (errno.EROFS, errno.EACCES) or "read-only file system" in \
                message or "permission denied" in message:
            return "read_only"
        seen = seen.__cause__ or seen.__context__
    return "unexpected"


def connection_lost(exc: BaseException) -> bool:
    """DuckDB invalidates a database after a fatal error (a failed checkpoint among them): its connection
    must be reopened."""
    import duckdb
    return isinstance(exc, duckdb.FatalException) or "invalidated" in str(exc).lower()


def record(exc: BaseException, where: str, *, to_stderr: bool = True) -> str:
    """Log `exc` with its traceback under a new id and return the id. Never raises. `to_stderr`: also on
    standard error (the dashboard's server log); the command line keeps its screen free of tracebacks."""
    if getattr(exc, "error_id", None):  # already recorded deeper down (an upload's audit row carries it)
        return exc.error_id
    error_id = new_id()
    stamp = text.now_utc_iso()
    body = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    entry = f"[{stamp}] [{error_id}] {where}\n{body}"
    if to_stderr:
        _logger.error("[%s] %s\n%s", error_id, where, body)
    try:
        path = log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(entry + "\n")
    except OSError:
        pass
    return error_id
