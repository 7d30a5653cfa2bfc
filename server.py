"""The dashboard's web server: Streamlit's app (app.py) plus the two sign-in routes.

Run: `make run` (or `streamlit run server.py`; Streamlit finds the ASGI app below). The routes and the pages
share one DuckDB connection per process (kpi/db/connection.py `shared`).

- POST /dang-nhap   (form: username, password, next): a right password sets the signed, HttpOnly cookie
  `cchc_phien` (kpi/web_session.py) and goes on to `next` (a path of this site only); a wrong one goes back
  to /?dang_nhap=<code> — the same answer whether or not the username exists, never echoing what was typed.
- POST or GET /dang-xuat: ends the session, deletes the cookie, goes to /.
"""
from __future__ import annotations

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from kpi import accounts, web_session
from kpi.db import connection, database_path
from kpi.plans import io
from kpi.problems import KpiError


def _cursor():
    return connection.shared(database_path(), opener=io.open_database).cursor()


def _set_cookie(response: RedirectResponse, request: Request, value: str) -> None:
    response.set_cookie(web_session.COOKIE, value, max_age=web_session.MAX_AGE, path="/", httponly=True,
                        samesite="lax", secure=request.url.scheme == "https")


async def sign_in(request: Request) -> RedirectResponse:
    form = await request.form()
    username, password = str(form.get("username") or "")[:200], str(form.get("password") or "")[:1000]
    target = web_session.safe_next(str(form.get("next") or "/"))

    def attempt() -> str:
        _, token = accounts.sign_in(_cursor(), username, password, channel="web")
        return token
    try:
        token = await run_in_threadpool(attempt)
    except KpiError as refused:  # sign_in_failed or account_locked: the code only, never what was typed
        code = web_session.error_code(refused.code) or "sign_in_failed"
        return RedirectResponse(f"/?dang_nhap={code}", status_code=303)
    response = RedirectResponse(target, status_code=303)
    _set_cookie(response, request, web_session.sign(token))
    return response


async def sign_out(request: Request) -> RedirectResponse:
    token = web_session.unsign(request.cookies.get(web_session.COOKIE))
    if token:
        await run_in_threadpool(lambda: accounts.sign_out(_cursor(), token, channel="web"))
    response = RedirectResponse("/?dang_nhap=signed_out", status_code=303)
    response.delete_cookie(web_session.COOKIE, path="/", httponly=True, samesite="lax",
                           secure=request.url.scheme == "https")
    return response


app = st.App("app.py", routes=[
    Route("/dang-nhap", sign_in, methods=["POST"]),
    Route("/dang-xuat", sign_out, methods=["POST", "GET"]),
])
