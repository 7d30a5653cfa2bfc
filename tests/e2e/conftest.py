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


@pytest.fixture(autouse=True)
def _warm(request, browser):
    """Open the home page once per server before any deep link: Streamlit 1.67 shows a false "Page not
    found" over a deep link that is a fresh server's very first page (streamlit/streamlit#8860, #9992)."""
    if "dashboard" not in request.fixturenames or getattr(request.session, "_kpi_warm", False):
        return
    dashboard = request.getfixturevalue("dashboard")
    page = browser.new_page()
    page.goto(dashboard["url"])
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    page.close()
    request.session._kpi_warm = True


def start_dashboard(folder: Path, env: dict) -> dict:
    """`streamlit run app.py` as the README starts it, on `env`'s database; waits until it answers."""
    port = _free_port()
    log = (folder / "streamlit.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
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
    """`make run`: `python -m kpi init`, then `streamlit run app.py`, on a fresh database."""
    folder = tmp_path_factory.mktemp("dashboard")
    env = {**os.environ, "KPI_DATABASE": str(folder / "cchc.duckdb")}
    subprocess.run([sys.executable, "-m", "kpi", "init"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "kpi", "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    running = start_dashboard(folder, env)
    yield running
    stop_dashboard(running)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "dashboard" in item.funcargs:
        report.sections.append(("streamlit log", item.funcargs["dashboard"]["log"].read_text()[-5000:]))
