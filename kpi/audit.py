"""The audit trail: every write and every refusal, as a hash chain (docs/audit.md).

Each row carries `prev_hash` (the previous row's `row_hash`, "0"*64 for the first) and
`row_hash = sha256(prev_hash + the row's fields as canonical JSON)`. `verify` recomputes the chain and names
every row whose content was changed, every gap where rows were deleted, and every row inserted behind the
product's back (its hash cannot be right without recomputing all that follow). Rows are appended inside the
writer's own transaction, so a write and its audit row commit together or not at all.

What it cannot see, said plainly: someone who rewrites the whole chain from a point onward with the same
formula, or deletes only the newest rows. `python -m kpi audit verify` prints the head (the last seq and hash)
for the office to note in its minutes; comparing heads across time catches both.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading

import pandas as pd

from kpi import clock, text
from kpi.db import audit_trail as stored

GENESIS = "0" * 64
_append_lock = threading.Lock()  # one process, many sessions: seq numbers are handed out one at a time

# The actions written to the trail (labels in kpi/text.py AUDIT_ACTIONS).
ACTIONS = ("plan_import", "upload_applied", "upload_rejected", "duplicate_ignored", "submission_restore",
           "submission_approve", "submission_return", "period_lock", "period_unlock", "period_allow",
           "period_approve", "period_unapprove", "deadline_set", "snapshot_create", "snapshot_delete",
           "account_create", "account_change", "account_password", "sign_in", "sign_in_failed", "sign_out",
           "reminder", "explanation", "area_comment", "refused", "legacy_upload", "db_copy")


def _canonical(fields: dict) -> str:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def row_hash(prev_hash: str, fields: dict) -> str:
    return hashlib.sha256((prev_hash + _canonical(fields)).encode("utf-8")).hexdigest()


def _fields(seq, happened_at, actor, role, channel, action, plan_id, unit_code, period, subject, sha256,
            detail) -> dict:
    """The hashed content of a row: every column but the two hashes (moments as ISO text, µs kept)."""
    return {"seq": int(seq), "at": clock.storage_text(happened_at), "actor": actor, "role": role,
            "channel": channel, "action": action, "plan": plan_id, "unit": unit_code, "period": period,
            "subject": subject, "sha256": sha256, "detail": detail}


def append(con, actor, action: str, *, plan_id: str | None = None, unit_code: str | None = None,
           period: str | None = None, subject: str | None = None, sha256: str | None = None,
           detail: dict | None = None, at: dt.datetime | None = None) -> int:
    """Append one row (the caller owns the transaction). `actor` is a kpi.access.Actor. Returns its seq."""
    happened_at = clock.to_storage(at or clock.now_precise())
    detail_text = _canonical(text.nfc(detail)) if detail else None
    with _append_lock:
        last = stored.last(con)
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        fields = _fields(seq, happened_at, actor.username, actor.role, actor.channel, action, plan_id, unit_code,
                         period, subject, sha256, detail_text)
        stored.insert(con, seq, happened_at, actor.username, actor.role, actor.channel, action, plan_id,
                      unit_code, period, subject, sha256, detail_text, prev, row_hash(prev, fields))
    return seq


def record_refusal(con, actor, action: str, *, code: str, plan_id=None, unit_code=None, period=None,
                   org_id=None) -> None:
    """A request outside the caller's scope, recorded in its own transaction (the request writes nothing)."""
    from kpi.db.connection import transaction
    with transaction(con, action=None):
        append(con, actor, "refused", plan_id=plan_id, unit_code=unit_code, period=period, subject=action,
               detail={"code": code, "org": org_id})


def verify(con) -> list[dict]:
    """Every break in the chain: [{"seq", "problem": changed|missing|inserted, ...}]; [] when intact."""
    problems = []
    expected_prev, expected_seq = GENESIS, 1
    for row in stored.all_rows(con):
        seq, happened_at, actor, role, channel, action, plan_id, unit_code, period, subject, sha256, detail, \
            prev, stored_hash = row
        fields = _fields(seq, happened_at, actor, role, channel, action, plan_id, unit_code, period, subject,
                         sha256, detail)
        if seq != expected_seq:
            problems.append({"seq": int(seq), "problem": "missing", "from": expected_seq, "to": int(seq) - 1})
        elif prev != expected_prev:
            problems.append({"seq": int(seq), "problem": "inserted" if row_hash(prev, fields) == stored_hash
                             else "changed"})
        if row_hash(prev, fields) != stored_hash:
            problems.append({"seq": int(seq), "problem": "changed"})
        expected_prev, expected_seq = stored_hash, int(seq) + 1
    # one row may be named twice (a wrong link and a wrong hash): keep the first of each
    seen, unique = set(), []
    for problem in problems:
        key = (problem["seq"], problem["problem"])
        if key not in seen:
            seen.add(key)
            unique.append(problem)
    return unique


def head(con) -> tuple[int, str] | None:
    """(seq, row_hash) of the newest row: the figure to note down and compare later."""
    return stored.last(con)


def entries(con, *, plan_id: str | None = None, since: dt.date | None = None, actor: str | None = None,
            action: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """The trail, newest first, filtered; moments UTC as stored (format with text.format_datetime)."""
    frame = stored.rows(con, plan_id=plan_id, since=clock.start_of_local_day(since) if since else None,
                        actor=actor, action=action, limit=limit)
    frame["detail"] = frame["detail"].map(lambda d: json.loads(d) if isinstance(d, str) and d else {})
    return frame


def document(frame: pd.DataFrame) -> list[dict]:
    """The trail as `audit --format json` prints it: at (ISO, Asia/Ho_Chi_Minh), actor, action, channel, detail."""
    return [{"seq": int(r.seq), "at": text.iso_moment(r.happened_at), "actor": r.actor, "role": r.role,
             "action": r.action, "channel": r.channel, "plan": r.plan_id, "unit": r.unit_code, "period": r.period,
             "subject": r.subject, "sha256": r.sha256, "detail": r.detail} for r in frame.itertuples()]


def chain_legacy_uploads(con) -> None:
    """Migration 13: the upload events of the older `audit` table join the chain, oldest first."""
    from kpi.access import Actor
    for happened_at, kind, who, plan_id, unit_code, period, file_name, sha256, size, code in \
            stored.legacy_uploads(con):
        legacy = Actor(username=who or "?", role="legacy", channel="legacy")
        append(con, legacy, kind, plan_id=plan_id, unit_code=unit_code, period=period, subject=file_name,
               sha256=sha256, detail={"size": size, "code": code}, at=happened_at)
