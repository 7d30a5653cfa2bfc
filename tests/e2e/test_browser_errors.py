"""An error nobody expected, in a real browser: a Vietnamese message with an id, no traceback, no Deploy."""
from __future__ import annotations

import os
import re

import pytest

from tests.e2e.conftest import start_dashboard, stop_dashboard

pytestmark = pytest.mark.browser


@pytest.fixture
def broken_dashboard(tmp_path):
    """A server whose database file is not a database (a disk fault, a wrong file copied in its place)."""
    (tmp_path / "cchc.duckdb").write_bytes(b"this is not a DuckDB file\x00" * 400)
    env = {**os.environ, "KPI_DATABASE": str(tmp_path / "cchc.duckdb"), "KPI_LOG": str(tmp_path / "errors.log")}
    running = start_dashboard(tmp_path, env)
    yield running
    stop_dashboard(running)


def test_unexpected_error_shows_an_id_and_no_traceback(page, broken_dashboard, screenshots):
    page.goto(broken_dashboard["url"])
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    alert = page.locator('[data-testid="stAlert"]').first
    alert.wait_for(timeout=30_000)
    shown = page.locator('[data-testid="stApp"]').inner_text()
    page.screenshot(path=str(screenshots / "loi-ngoai-du-kien.png"), full_page=True)
    error_id = re.search(r"mã lỗi ([A-Z0-9]{8})", shown)
    assert error_id, shown
    for leaked in ("Traceback", "Error", "duckdb", "File \"", ".py", "Deploy"):
        assert leaked not in shown, leaked
    assert page.get_by_text("Deploy").count() == 0
    log = (broken_dashboard["env"]["KPI_LOG"])
    assert error_id.group(1) in open(log, encoding="utf-8").read()
