"""Who is asking, and what they may do: the one place roles are decided (docs/accounts.md).

Every read and write in `kpi/` that depends on a person takes an `Actor` (the signed-in account and the channel
it came through: the dashboard, the command line) and asks `require` before acting. A refusal raises
`Forbidden` with a Vietnamese reason and is recorded in the audit trail, whatever path the request took
(a widget, a URL parameter, session state, the command line, a direct call): the pages only reflect these
rules (what they offer), they never decide them.

Roles (the contract's codes; labels in kpi/text.py ROLES):
- `lanh_dao`  (leadership) reads everything of its organisation.
- `van_phong` (the Văn phòng Sở) reads its organisation, manages plans, periods and accounts of its
  organisation, approves, returns and reopens, writes the comment on an area, sends reminders.
- `don_vi`    (a unit's staff) reads its organisation, downloads templates and uploads for its own units
  only, writes its units' explanations.
- `admin`     manages accounts and reads everything.
The command line without `--as` acts as `Actor.server()`: whoever can open the database file can change it
anyway, so it may do everything, and the operating-system user is recorded as the actor.
"""
from __future__ import annotations

import getpass
from dataclasses import dataclass, field

from kpi.problems import KpiError

ADMIN, OFFICE, LEADER, UNIT = "admin", "van_phong", "lanh_dao", "don_vi"
ROLES = (ADMIN, OFFICE, LEADER, UNIT)
SERVER = "server"  # the role recorded for the command line acting without --as
CHANNELS = ("web", "cli", "test")

# What each role may do. `read`: see an organisation's plans and figures; `upload`: send a unit's report
# (own units only for don_vi); `explain`: write a unit's explanation of a figure (own units for don_vi);
# `cycle`: deadlines, locks, reopening, approving and returning submissions, restoring an earlier one;
# `comment`: the office's comment on an area; `remind`: send reminders; `plans`: import and replace plans;
# `accounts`: create and change accounts (`accounts_admin`: administrators); `snapshot`: freeze a snapshot for a meeting; `audit`: read the trail;
# `database`: move the whole database between backends (`db copy`).
PERMISSIONS: dict[str, frozenset[str]] = {
    ADMIN: frozenset({"read", "accounts", "accounts_admin", "audit", "database"}),
    OFFICE: frozenset({"read", "upload", "explain", "cycle", "comment", "remind", "plans", "accounts", "snapshot",
                       "audit"}),
    LEADER: frozenset({"read", "snapshot", "audit"}),
    UNIT: frozenset({"read", "upload", "explain"}),
}
UNIT_BOUND = frozenset({"upload", "explain"})  # for don_vi: only for the units of the account


class Forbidden(KpiError):
    """A request outside the caller's role or scope (text.PROBLEMS["forbidden_*"]); already recorded."""


@dataclass(frozen=True)
class Actor:
    """A person (or the server's administrator) acting through a channel. `org_id` None: every organisation
    (admin, server); `units`: the units a don_vi account reports for."""
    username: str
    role: str
    display_name: str = ""
    org_id: str | None = None
    units: frozenset[str] = field(default_factory=frozenset)
    channel: str = "web"
    email: str | None = None

    @classmethod
    def server(cls, channel: str = "cli") -> "Actor":
        """The command line without --as: the operating-system user, with every right."""
        try:
            who = getpass.getuser()
        except Exception:  # noqa: BLE001 - no passwd entry in a container: still an actor
            who = "?"
        return cls(username=f"os:{who}", role=SERVER, display_name=who, channel=channel)

    @classmethod
    def of(cls, account, channel: str) -> "Actor":
        """The actor behind a stored account (kpi.accounts.Account)."""
        return cls(username=account.username, role=account.role, display_name=account.display_name,
                   org_id=account.org_id, units=frozenset(account.units), channel=channel, email=account.email)

    @property
    def shown(self) -> str:
        """The name recorded and shown beside what this actor did."""
        return self.display_name or self.username


def allowed(actor: Actor, action: str, *, org_id: str | None = None, unit: str | None = None) -> bool:
    """May `actor` do `action` on the organisation `org_id` (and, for unit-bound actions, the unit `unit`)?"""
    if actor.role == SERVER:
        return True
    if action not in PERMISSIONS.get(actor.role, frozenset()):
        return False
    if actor.org_id is not None and org_id is not None and org_id != actor.org_id:
        return False
    if actor.role == UNIT and action in UNIT_BOUND:
        return unit is not None and unit in actor.units
    return True


def require(con, actor: Actor, action: str, *, org_id: str | None = None, unit: str | None = None,
            plan_id: str | None = None, period: str | None = None) -> None:
    """Refuse (Forbidden, recorded in the audit trail in its own transaction) what `actor` may not do."""
    if allowed(actor, action, org_id=org_id, unit=unit):
        return
    code = "forbidden_unit" if actor.role == UNIT and action in UNIT_BOUND and action in PERMISSIONS[UNIT] \
        else "forbidden_org" if action in PERMISSIONS.get(actor.role, ()) else "forbidden_role"
    from kpi import audit
    audit.record_refusal(con, actor, action, code=code, plan_id=plan_id, unit_code=unit, period=period,
                         org_id=org_id)
    raise Forbidden(code, action=action, unit=unit or "", role=actor.role)


def offers(actor: Actor, action: str) -> bool:
    """Whether the role has `action` at all (somewhere, for some unit): what a page offers in its navigation;
    `require` still checks each organisation and unit."""
    return actor.role == SERVER or action in PERMISSIONS.get(actor.role, frozenset())


def visible_orgs(actor: Actor, org_ids: list[str]) -> list[str]:
    """The organisations `actor` may read, in the order given."""
    return [org for org in org_ids if allowed(actor, "read", org_id=org)]


def operating_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001
        return "?"
