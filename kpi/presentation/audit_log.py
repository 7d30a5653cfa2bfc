"""The audit trail as people read it: the page "Nhật ký thao tác" and `python -m kpi audit` (docs/audit.md).

Reading the trail is itself a right (`audit`: admin, van_phong, lanh_dao; kpi/access.py): `read` asks
`require` first, so a refusal is recorded whatever path asked. An account bound to one organisation sees the
rows of its organisation's plans, and the rows without a plan written by, or about, its organisation's accounts.
"""
from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass

import pandas as pd

from kpi import access, audit, clock, text
from kpi.db import accounts as stored_accounts
from kpi.db import catalogue as stored_catalogue
from kpi.db import queries
from kpi.periods import parse_period
from kpi.problems import KpiError

READABLE = ("seq", "at", "person", "role", "channel", "action", "plan", "unit", "period", "subject", "detail",
            "sha256")


def read(con, actor, *, plan_id: str | None = None, since: dt.date | None = None, person: str | None = None,
         action: str | None = None) -> pd.DataFrame:
    """The entries `actor` may read, newest first, filtered (kpi.audit.entries' columns). Forbidden (recorded)
    for a role without the `audit` right or a plan of another organisation; KpiError for an unknown plan."""
    if plan_id and not queries.plan_exists(con, plan_id):
        raise KpiError("plan_unknown", value=plan_id)
    org_id = queries.plan_org_id(con, plan_id) if plan_id else actor.org_id
    access.require(con, actor, "audit", org_id=org_id, plan_id=plan_id)
    frame = audit.entries(con, plan_id=plan_id, since=since, actor=person, action=action)
    if actor.org_id is None or frame.empty:
        return frame
    plans = set(stored_catalogue.plan_choices_frame(con).query("org_id == @actor.org_id")["plan_id"])
    people = {row[0] for row in stored_accounts.all_accounts(con) if row[3] == actor.org_id}
    about_people = frame["actor"].isin(people) | frame["subject"].isin(people) | \
        frame["detail"].map(lambda d: d.get("org") == actor.org_id)
    own = frame["plan_id"].isin(plans) | (frame["plan_id"].isna() & about_people)
    return frame[own].reset_index(drop=True)


def narrow(frame: pd.DataFrame, *, person: str | None = None, action: str | None = None) -> pd.DataFrame:
    """The entries of one person and/or one action (the page filters what it has read once)."""
    keep = pd.Series(True, index=frame.index)
    if person:
        keep &= frame["actor"] == person
    if action:
        keep &= frame["action"] == action
    return frame[keep].reset_index(drop=True)


def people(con, frame: pd.DataFrame) -> dict[str, str]:
    """username -> "Họ tên (username)" of everyone in `frame`, in the order of their names (the person filter)."""
    names = {row[0]: row[1] for row in stored_accounts.all_accounts(con)}
    shown = {username: _person(username, names.get(username)) for username in set(frame["actor"])}
    return dict(sorted(shown.items(), key=lambda item: text.search_key(item[1])))


def readable(con, frame: pd.DataFrame) -> pd.DataFrame:
    """One row per entry in words (columns READABLE, headings text.AUDIT_COLUMNS); `at` stays a moment on
    Việt Nam's clock (naive local), formatted by the page or typed in the workbook."""
    names = {row[0]: row[1] for row in stored_accounts.all_accounts(con)}
    unit_names: dict[str, dict[str, str]] = {}

    def unit(plan_id, code):
        if not isinstance(code, str):
            return ""
        if plan_id not in unit_names:
            unit_names[plan_id] = queries.unit_names(con, plan_id) if isinstance(plan_id, str) else {}
        return unit_names[plan_id].get(code, code)

    rows = [{"seq": int(r.seq), "at": clock.to_local(r.happened_at).replace(tzinfo=None),
             "person": _person(r.actor, names.get(r.actor)), "role": text.ROLES.get(r.role, r.role),
             "channel": text.CHANNELS.get(r.channel, r.channel), "action": text.AUDIT_ACTIONS.get(r.action, r.action),
             "plan": r.plan_id or "", "unit": unit(r.plan_id, r.unit_code), "period": _period(r.period),
             "subject": _subject(r.action, r.subject), "detail": describe(r.detail), "sha256": r.sha256 or ""}
            for r in frame.itertuples()]
    return pd.DataFrame(rows, columns=list(READABLE))


def _person(username: str, display_name: str | None) -> str:
    return f"{display_name} ({username})" if display_name and display_name != username else username


def _period(code) -> str:
    if not isinstance(code, str) or not code:
        return ""
    try:
        return parse_period(code).label  # a stored row is an edge, like a stored snapshot
    except KpiError:
        return code


def _subject(action: str, subject) -> str:
    if not isinstance(subject, str):
        return ""
    return text.AUDIT_PERMISSIONS.get(subject, subject) if action == "refused" else subject


def describe(detail) -> str:
    """An entry's detail in words: "kết quả: Đã gửi; loại: Báo quá hạn"."""
    if not isinstance(detail, dict) or not detail:
        return ""
    return "; ".join(f"{text.AUDIT_DETAIL.get(key, key)}: {_value(key, value)}" for key, value in detail.items()
                     if value not in (None, "", [], {}))


def _value(key: str, value) -> str:
    words = {"kind": text.REMINDER_KINDS, "outcome": text.REMINDER_OUTCOMES, "role": text.ROLES,
             "channel": text.UPLOAD_CHANNELS}.get(key, {})
    if key == "reason" and value in text.REMINDER_REASONS:
        return text.REMINDER_REASONS[value]
    if key == "code" and value in text.PROBLEMS and "{" not in text.PROBLEMS[value].message:
        return text.PROBLEMS[value].message
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return text.format_number(value)
    return words.get(value, str(value)) if isinstance(value, str) else str(value)


def shown(table: pd.DataFrame) -> pd.DataFrame:
    """The readable table with its moments as text (dd/mm/yyyy hh:mm, Việt Nam), for a screen or a terminal."""
    return table.assign(at=table["at"].map(lambda moment: text.format_datetime(clock.from_local(moment))))


def xlsx(table: pd.DataFrame) -> bytes:
    """The readable table as an Excel workbook: numbers typed as numbers, moments as dates (dd/mm/yyyy hh:mm),
    every text cell written as text (never a formula)."""
    import xlsxwriter
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(text.AUDIT_PAGE["sheet"][:31])
    bold = book.add_format({"bold": True})
    moment = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for column, key in enumerate(READABLE):
        sheet.write_string(0, column, text.AUDIT_COLUMNS[key], bold)
    for row, entry in enumerate(table.itertuples(index=False), start=1):
        for column, key in enumerate(READABLE):
            value = getattr(entry, key)
            if key == "seq":
                sheet.write_number(row, column, int(value))
            elif key == "at":
                sheet.write_datetime(row, column, pd.Timestamp(value).to_pydatetime(), moment)
            else:
                sheet.write_string(row, column, str(value))
    widths = {"seq": 7, "at": 17, "person": 28, "detail": 60, "sha256": 20}
    for column, key in enumerate(READABLE):
        sheet.set_column(column, column, widths.get(key, 16))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(table), 1), len(READABLE) - 1)
    book.close()
    return buffer.getvalue()


@dataclass(frozen=True)
class Integrity:
    """What `kpi.audit.verify` found: `problems` [] when intact; `head` (seq, hash) of the newest row."""
    problems: list[dict]
    head: tuple[int, str] | None

    @property
    def intact(self) -> bool:
        return not self.problems

    def sentences(self) -> list[str]:
        """The finding in Vietnamese: one sentence when intact, a heading and one line per problem otherwise."""
        words = text.AUDIT_VERIFY
        if self.intact:
            if self.head is None:
                return [words["empty"]]
            return [words["intact"].format(count=text.format_number(self.head[0]), seq=self.head[0],
                                           hash=self.head[1])]
        return [words["broken"].format(count=len(self.problems)), *(_problem(p) for p in self.problems)]

    def document(self) -> dict:
        """The finding as `audit verify --format json` prints it."""
        return {"intact": self.intact,
                "head": {"seq": self.head[0], "hash": self.head[1]} if self.head else None,
                "problems": self.problems, "messages": self.sentences()}


def _problem(problem: dict) -> str:
    words = text.AUDIT_VERIFY
    if problem["problem"] == "missing":
        key = "missing_one" if problem["from"] == problem["to"] else "missing"
        return words[key].format(first=problem["from"], last=problem["to"], seq=problem["seq"])
    return words[problem["problem"]].format(seq=problem["seq"])


def integrity(con, actor) -> Integrity:
    """Check the whole chain (kpi.audit.verify) for someone with the `audit` right."""
    access.require(con, actor, "audit", org_id=actor.org_id)
    problems = audit.verify(con)
    head = audit.head(con)
    return Integrity(problems=problems, head=(int(head[0]), head[1]) if head else None)
