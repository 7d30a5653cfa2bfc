"""The dashboard's web server: Streamlit's app (app.py) plus the two sign-in routes.

Run: `make run` (or `streamlit run server.py`; Streamlit finds the ASGI app below). The routes and the pages
share one DuckDB connection per process (kpi/db/connection.py `shared`).

- POST /dang-nhap   (form: username, password, next): a right password sets the signed, HttpOnly cookie
  `cchc_phien` (kpi/web_session.py) and goes on to `next` (a path of this site only); a wrong one goes back
  to /?dang_nhap=<code> — the same answer whether or not the username exists, never echoing what was typed.
- POST /dang-xuat: ends the session, deletes the cookie, goes to /?dang_nhap=signed_out («Bạn đã đăng xuất»).
  POST only: with SameSite=Lax, another site cannot sign a person out by a link or an image.
"""
from __future__ import annotations

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from kpi import accounts, errors, web_session
from kpi.db import connection, database_path
from kpi.db.cursor import cursor as cursor_of
from kpi.plans import io
from kpi.problems import KpiError


def _with_cursor(work):
    """Run `work(cursor)` on a cursor of the process-wide connection (closed afterwards), in a worker thread
    (argon2 and DuckDB block)."""
    def run():
        cursor = cursor_of(connection.shared(database_path(), opener=io.open_database))
        try:
            return work(cursor)
        finally:
            cursor.close()
    return run_in_threadpool(run)


def _set_cookie(response: RedirectResponse, request: Request, value: str) -> None:
    response.set_cookie(web_session.COOKIE, value, max_age=web_session.MAX_AGE, path="/", httponly=True,
                        samesite="lax", secure=request.url.scheme == "https")


async def sign_in(request: Request) -> RedirectResponse:
    form = await request.form()
    username, password = str(form.get("username") or "")[:200], str(form.get("password") or "")[:1000]
    target = web_session.safe_next(str(form.get("next") or "/"))

    try:
        _, token = await _with_cursor(lambda con: accounts.sign_in(con, username, password, channel="web"))
    except KpiError as refused:  # sign_in_failed or account_locked: the code only, never what was typed
        if refused.code in ("sign_in_failed", "account_locked"):
            return RedirectResponse(f"/?dang_nhap={refused.code}", status_code=303)
        return _unavailable(refused)
    except Exception as unexpected:  # noqa: BLE001 - the boundary, as in app.py
        return _unavailable(unexpected)
    response = RedirectResponse(target, status_code=303)
    _set_cookie(response, request, web_session.sign(token))
    return response


def _unavailable(fault: Exception) -> RedirectResponse:
    """The database could not answer (busy, unsafe, broken): logged under an id; the home page then shows the
    Vietnamese message for it (app.py's boundary), never a traceback."""
    errors.record(fault, "dang-nhap")
    return RedirectResponse("/", status_code=303)


async def sign_out(request: Request) -> RedirectResponse:
    token = web_session.unsign(request.cookies.get(web_session.COOKIE))
    if token:
        await _with_cursor(lambda con: accounts.sign_out(con, token, channel="web"))
    response = RedirectResponse("/?dang_nhap=signed_out", status_code=303)
    response.delete_cookie(web_session.COOKIE, path="/", httponly=True, samesite="lax",
                           secure=request.url.scheme == "https")
    return response


app = st.App("app.py", routes=[
    Route("/dang-nhap", sign_in, methods=["POST"]),
    Route("/dang-xuat", sign_out, methods=["POST"]),
])
