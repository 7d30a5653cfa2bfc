"""The sign-in routes of server.py, driven for real: `streamlit run server.py` on a free port, plain HTTP
(urllib; redirects not followed, so every answer is seen as the browser gets it). The cookie's signing and
the session's end are then checked on the database file once the server has let it go."""
from __future__ import annotations

import datetime as dt
import os
import stat
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kpi import accounts, clock, db, web_session
from tests import backend
from tests.e2e.conftest import start_dashboard, stop_dashboard
from tests.helpers import TEST_ACTOR

PASSWORD = "mat-khau-dung-cua-toi"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(url: str, fields: dict | None = None, cookie: str | None = None, method: str = "POST"):
    """(status, Location, the Set-Cookie headers) of one request."""
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields or {}).encode() if method == "POST"
                                     else None, method=method)
    if cookie:
        request.add_header("Cookie", f"{web_session.COOKIE}={cookie}")
    try:
        answer = _opener.open(request, timeout=30)
    except urllib.error.HTTPError as redirect:  # 303: urllib reports it as an error when not followed
        answer = redirect
    return answer.status, answer.headers.get("Location"), answer.headers.get_all("Set-Cookie") or []


def _cookie_value(set_cookie: list[str]) -> str:
    return next(h for h in set_cookie if h.startswith(f"{web_session.COOKIE}=")).split(";")[0].split("=", 1)[1]


def _server(folder, seeded_db_file, monkeypatch):
    path = backend.copy_database(seeded_db_file, folder, "cchc.duckdb")  # a file, or a PostgreSQL database
    con = db.connect(path)
    try:
        for username in ("can.bo.a", "bi.khoa", "ra.ve"):
            accounts.create(con, username, "lanh_dao", PASSWORD, actor=TEST_ACTOR, org_id="syt-thanh-hoa")
    finally:
        con.close()
    env = {key: value for key, value in os.environ.items() if key != web_session.ENV_SECRET}
    env["KPI_DATABASE"] = str(path)
    monkeypatch.setenv("KPI_DATABASE", str(path))  # this process signs and reads with the same key file
    monkeypatch.delenv(web_session.ENV_SECRET, raising=False)
    return start_dashboard(folder, env)


@pytest.fixture(scope="module")
def server(seeded_db_file, tmp_path_factory):
    with pytest.MonkeyPatch.context() as monkeypatch:
        running = _server(tmp_path_factory.mktemp("web"), seeded_db_file, monkeypatch)
        yield running
        stop_dashboard(running)


def test_the_right_password_sets_a_signed_http_only_cookie(server):
    status, location, cookies = post(server["url"] + "/dang-nhap", {"username": "can.bo.a", "password": PASSWORD,
                                                                     "next": "/don-vi?org=syt-thanh-hoa"})
    assert (status, location) == (303, "/don-vi?org=syt-thanh-hoa")
    header = next(h for h in cookies if h.startswith("cchc_phien="))
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in header.split(";")[1:]}
    assert set(attributes) == {"httponly", "max-age", "path", "samesite"}  # no Secure over plain http
    assert attributes["max-age"] == "Max-Age=28800"  # accounts.SESSION_HOURS 8 × 3600 s
    assert attributes["path"] == "Path=/" and attributes["samesite"].lower() == "samesite=lax"
    assert web_session.unsign(_cookie_value(cookies))  # signed with this server's key
    assert PASSWORD not in header


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(server):
    wrong = post(server["url"] + "/dang-nhap", {"username": "can.bo.a", "password": "sai-mat-khau-roi"})
    unknown = post(server["url"] + "/dang-nhap", {"username": "khong.co.ai", "password": "sai-mat-khau-roi"})
    assert wrong == unknown == (303, "/?dang_nhap=sign_in_failed", [])  # nothing typed comes back in the URL


def test_five_failures_lock_the_account_even_for_the_right_password(server):
    for _ in range(accounts.LOCK_AFTER - 1):
        assert post(server["url"] + "/dang-nhap", {"username": "bi.khoa", "password": "sai"})[1] == \
            "/?dang_nhap=sign_in_failed"
    assert post(server["url"] + "/dang-nhap", {"username": "bi.khoa", "password": "sai"})[1] == \
        "/?dang_nhap=account_locked"  # the fifth
    assert post(server["url"] + "/dang-nhap", {"username": "bi.khoa", "password": PASSWORD}) == \
        (303, "/?dang_nhap=account_locked", [])


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x",
                                    "http:/evil.example", "/%0d%0aSet-Cookie:x=1", ""])
def test_next_never_leaves_the_site(server, target):
    status, location, cookies = post(server["url"] + "/dang-nhap", {"username": "can.bo.a", "password": PASSWORD,
                                                                     "next": target})
    assert status == 303 and cookies
    assert location in ("/", "/%0d%0aSet-Cookie:x=1")  # a path of this site (the encoded one stays a path)
    assert urllib.parse.urlsplit(location).netloc == ""


def test_a_forged_cookie_is_refused(server):
    status, location, cookies = post(server["url"] + "/dang-nhap", {"username": "can.bo.a", "password": PASSWORD})
    value = _cookie_value(cookies)
    token = web_session.unsign(value)
    forged = value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB")
    assert web_session.unsign(forged) is None
    assert web_session.unsign(web_session.sign(token).replace(".", ".x", 1)) is None
    assert web_session.unsign(token) is None  # the bare token, unsigned, opens nothing either
    assert post(server["url"] + "/dang-xuat", cookie=forged)[:2] == (303, "/?dang_nhap=signed_out")


def test_signing_out_or_expiry_ends_what_the_cookie_opens(seeded_db_file, tmp_path, monkeypatch):
    running = _server(tmp_path, seeded_db_file, monkeypatch)
    try:
        _, _, cookies = post(running["url"] + "/dang-nhap", {"username": "ra.ve", "password": PASSWORD})
        kept = _cookie_value(cookies)
        _, _, other = post(running["url"] + "/dang-nhap", {"username": "can.bo.a", "password": PASSWORD})
        # a link or an image of another site (GET) signs nobody out: only the sidebar's form (POST) does
        assert post(running["url"] + "/dang-xuat", cookie=_cookie_value(other), method="GET")[::2] == (200, [])
        status, location, deleted = post(running["url"] + "/dang-xuat", cookie=kept)
        assert (status, location) == (303, "/?dang_nhap=signed_out")
        assert any(h.startswith('cchc_phien=""') or "Max-Age=0" in h for h in deleted)
    finally:
        stop_dashboard(running)
    secret = web_session.secret_file()
    # beside the database file; a PostgreSQL URL has no folder: the project's data folder
    assert secret.parent == (web_session.DATA_DIR if backend.ON_POSTGRES else tmp_path)
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    con = db.connect(os.environ["KPI_DATABASE"])  # the database _server made: a file, or a PostgreSQL one
    try:
        assert web_session.account_from_cookie(con, kept) is None  # signed out: app.py shows the sign-in view
        still = web_session.account_from_cookie(con, _cookie_value(other))
        assert still is not None and still.username == "can.bo.a"
        later = clock.now() + dt.timedelta(hours=accounts.SESSION_HOURS, minutes=1)
        assert web_session.account_from_cookie(con, _cookie_value(other), now=later) is None  # expired
    finally:
        con.close()


def test_safe_next_keeps_only_paths_of_this_site():
    assert web_session.safe_next("/nhap-so-lieu?org=syt-thanh-hoa&year=2021") == \
        "/nhap-so-lieu?org=syt-thanh-hoa&year=2021"
    for outside in ("https://evil.example", "//evil.example", "/\\evil.example", "evil.example", None, "/\r\nx"):
        assert web_session.safe_next(outside) == "/"


def test_on_postgres_the_signing_key_stays_in_the_data_folder_not_in_a_folder_named_after_the_url(monkeypatch):
    # Found by bench/bench_load.py: read as a path, the URL made ./postgresql:/user:password@host:port/
    from kpi import DATA_DIR
    monkeypatch.setenv("KPI_DATABASE", "postgresql://cchc:bi-mat@127.0.0.1:5432/cchc")
    assert web_session.secret_file() == DATA_DIR / ".cookie_secret"
