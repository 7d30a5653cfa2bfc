"""Every role on every page (AppTest with `at.user`): each page a role is offered opens without a fault and
without a refusal; each page it is not offered cannot be reached. The expected navigation is written out by
hand from the roles table in docs/accounts.md, not read from kpi/access.py."""
import pytest

from tests.app.conftest import SMALL_PLAN, build_small, not_offered, open_app

EVERYONE = ["overview", "reporting", "areas", "units", "targets", "tasks", "compare", "plan", "meeting",
            "my_account"]
OFFERED = {  # role -> pages beyond EVERYONE's, by the roles table (docs/accounts.md)
    "admin": ["accounts", "audit"],
    "van_phong": ["upload", "cycle", "audit", "accounts"],
    "lanh_dao": ["audit"],
    "don_vi": ["upload"],
}
ALL_PAGES = sorted(set(EVERYONE).union(*OFFERED.values()))
WHO = {"admin": {}, "van_phong": {"org_id": "nho"}, "lanh_dao": {"org_id": "nho"},
       "don_vi": {"org_id": "nho", "units": ("A",)}}
WHERE = {"org": "nho", "year": "2023", "period": "2023-Q1"}


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    return build_small(tmp_path_factory.mktemp("roles") / "small.duckdb")


@pytest.mark.parametrize("role", list(OFFERED))
def test_each_role_opens_exactly_its_pages(monkeypatch, small_db, role):
    at = open_app(monkeypatch, small_db, role=role, **WHO[role], **WHERE)
    assert at.sidebar_state["org_id"][0] == "nho"     # the plan of «Sở Nhỏ» is the one shown
    signed = [t.value for t in at.sidebar.text]
    assert any("Đang đăng nhập" in line or "Người " in line for line in signed), signed
    # the navigation of the first run, for every page at once (no run in between): AppTest (1.67) stops checking
    # switches against the navigation once the default page has been switched to by its file
    reachable = sorted(page for page in ALL_PAGES if not not_offered(at, f"pages/{page}.py"))
    assert reachable == sorted(EVERYONE + OFFERED[role])
    for page in EVERYONE + OFFERED[role]:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (role, page, at.exception)
        refusals = [e.value for e in at.error if "không được" in e.value or "chỉ" in e.value.lower()[:20]]
        assert refusals == [], (role, page, refusals)
        assert at.title, (role, page)  # every page says what it is


def test_a_leader_of_another_organisation_never_sees_this_plan(monkeypatch, small_db):
    """Leadership of «khac» opening a link to «nho»'s plan: the sidebar offers only its own organisation."""
    at = open_app(monkeypatch, small_db, role="lanh_dao", org_id="khac", **WHERE)
    assert "nho" not in at.sidebar_state.get("org_id", (None, []))[1]
    assert SMALL_PLAN not in str([m.value for m in at.main.markdown] + [c.value for c in at.caption])
