"""Page speed: the overview in a real Chromium, beside a bare Streamlit page with one plotly chart.

Run: make bench-pages. On the province-scale synthetic database (bench/synthetic.py), measured in one run:
  - cold: a fresh server, the time from opening the page until every chart is drawn and the script ended
  - filter change: choosing another period in the sidebar until the page is drawn again
  - the same two for the floor, a bare page with one plotly chart and one select box
  - peak memory (VmHWM) of the dashboard process after 10 browser sessions opened the overview
Goal (issue): the overview within 2× of the floor.
"""
from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import synthetic  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
RUNS = 3
FLOOR_APP = '''
import numpy as np, plotly.graph_objects as go, streamlit as st
n = st.selectbox("Kỳ", [1, 2, 3])
st.plotly_chart(go.Figure(go.Bar(x=np.arange(7), y=np.arange(7) * n)))
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(script: Path, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
                                "--server.address", "127.0.0.1", "--server.port", str(port),
                                "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                return process, url
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def drawn(page, charts: int) -> None:
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}",
                           timeout=120_000)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000)


def measure(browser, script: Path, env: dict, query: str, charts: int, option: str) -> tuple[float, float, int]:
    cold, change = [], []
    peak = 0
    for _ in range(RUNS):
        process, url = start(script, env)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            started = time.perf_counter()
            page.goto(url + query)
            drawn(page, charts)
            cold.append(time.perf_counter() - started)
            box = page.get_by_test_id("stSelectbox").filter(has_text="Kỳ").last
            box.click()
            started = time.perf_counter()
            page.get_by_role("option", name=option, exact=True).click()
            page.wait_for_timeout(50)
            drawn(page, charts)
            change.append(time.perf_counter() - started)
            page.close()
        finally:
            process.terminate()
            process.wait()
    return statistics.median(cold), statistics.median(change), peak


def memory_with_sessions(browser, env: dict, query: str, sessions: int = 10) -> int:
    process, url = start(ROOT / "app.py", env)
    try:
        pages = []
        for _ in range(sessions):
            page = browser.new_context().new_page()
            page.goto(url + query)
            pages.append(page)
        for page in pages:
            drawn(page, 3)
        status = Path(f"/proc/{process.pid}/status").read_text()
        return int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]) * 1024
    finally:
        process.terminate()
        process.wait()


def main() -> None:
    data = ROOT / "bench" / ".data"
    data.mkdir(parents=True, exist_ok=True)
    database = data / "province.duckdb"
    if not database.exists():
        synthetic.build(database, synthetic.SCALES["province"])
    env = {**os.environ, "KPI_DATABASE": str(database)}
    query = "/?org=o3&year=2022&period=2022-9M"
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        floor_script = Path(folder) / "floor.py"
        floor_script.write_text(FLOOR_APP, encoding="utf-8")
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), args=ARGS)
        o_cold, o_change, _ = measure(browser, ROOT / "app.py", env, query, 3, "6 tháng đầu năm 2022")
        f_cold, f_change, _ = measure(browser, floor_script, env, "/", 1, "2")
        memory = memory_with_sessions(browser, env, query)
        browser.close()
    print(f"province database, plan o3-2022, medians of {RUNS} runs, {os.cpu_count()} cores")
    print(f"{'measure':<40}{'overview s':>12}{'floor s':>10}{'ratio':>8}")
    print(f"{'cold start until drawn':<40}{o_cold:>12.2f}{f_cold:>10.2f}{o_cold / f_cold:>8.2f}")
    print(f"{'filter change until drawn':<40}{o_change:>12.2f}{f_change:>10.2f}{o_change / f_change:>8.2f}")
    print(f"peak memory of the dashboard process with 10 sessions: {memory / 2**20:,.0f} MiB".replace(",", "."))


if __name__ == "__main__":
    main()
