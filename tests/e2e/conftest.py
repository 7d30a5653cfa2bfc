"""A real dashboard server, started the way the README starts it, and a real Chromium."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args,
            "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}, "locale": "vi-VN",
            "accept_downloads": True}


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    print(f"\nẢnh chụp màn hình / screenshots: {SCREENSHOTS}")
    return SCREENSHOTS


# Who the browser tests are: made by `python -m kpi demo` (kpi/cycle/demo.py) and by `dashboard` below.
E2E_PASSWORD = "mat-khau-kiem-thu-trinh-duyet"
E2E_ACCOUNTS = (("e2e.vp.dongnai", "van_phong", "syt-dong-nai"), ("e2e.vp.laichau", "van_phong", "syt-lai-chau"),
                ("e2e.doi.matkhau", "lanh_dao", "syt-thanh-hoa"))  # the last one changes its password
DEFAULT_USER = "demo.quantri"  # an administrator reads every organisation; a test that writes names its office


def password_of(username: str) -> str:
    from kpi.cycle import demo
    return demo.DEMO_PASSWORD if username.startswith("demo.") else E2E_PASSWORD


def script_idle(page, timeout: int = 60_000) -> None:
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)


def sign_in(page, url: str, username: str, password: str | None = None) -> None:
    """Sign in the way a person does: the home page shows the form; fill it, send it, wait for the dashboard."""
    page.goto(url)
    script_idle(page)
    page.locator('input[name="username"]').wait_for(timeout=30_000)
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', password or password_of(username))
    with page.expect_navigation():
        page.click('form.cchc-sign-in button[type="submit"]')
    script_idle(page)
    page.get_by_text("Đang đăng nhập:").wait_for(timeout=30_000)


@pytest.fixture(autouse=True)
def _signed_in(request):
    """Every test on the `dashboard` server starts signed in (as @pytest.mark.signed_in_as names, else
    DEFAULT_USER) in its browser context. Signing in opens the home page first, which also avoids Streamlit
    1.67's false "Page not found" over a deep link opened first on a fresh server (streamlit/streamlit#8860)."""
    if "dashboard" not in request.fixturenames or "page" not in request.fixturenames:
        return
    marker = request.node.get_closest_marker("signed_in_as")
    dashboard = request.getfixturevalue("dashboard")
    sign_in(request.getfixturevalue("page"), dashboard["url"], marker.args[0] if marker else DEFAULT_USER)


def start_dashboard(folder: Path, env: dict) -> dict:
    """`streamlit run server.py` as `make run` starts it, on `env`'s database; waits until it answers."""
    port = _free_port()
    log = (folder / "streamlit.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "server.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("dashboard did not start:\n" + (folder / "streamlit.log").read_text())
        time.sleep(0.3)
    return {"url": url, "process": server, "log": folder / "streamlit.log", "env": env, "log_file": log}


def stop_dashboard(running: dict) -> None:
    running["process"].terminate()
    running["process"].wait(timeout=20)
    running["log_file"].close()


@pytest.fixture(scope="session")
def dashboard(tmp_path_factory):
    """`make run`: `python -m kpi init`, `python -m kpi demo` (with its demo accounts), then `streamlit run
    server.py`, on a fresh database; plus an office account for two more organisations."""
    folder = tmp_path_factory.mktemp("dashboard")
    env = {**os.environ, "KPI_DATABASE": str(folder / "cchc.duckdb")}
    subprocess.run([sys.executable, "-m", "kpi", "init"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "kpi", "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    for username, role, org in E2E_ACCOUNTS:
        subprocess.run([sys.executable, "-m", "kpi", "users", "create", "--username", username, "--role", role,
                        "--org", org, "--password-stdin"], input=E2E_PASSWORD + "\n", text=True, cwd=ROOT, env=env,
                       check=True, capture_output=True)
    running = start_dashboard(folder, env)
    yield running
    stop_dashboard(running)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "dashboard" in item.funcargs:
        report.sections.append(("streamlit log", item.funcargs["dashboard"]["log"].read_text()[-5000:]))
