"""Load: N concurrent dashboard sessions and M concurrent uploads, on PostgreSQL with one and with two app
processes, and on the embedded file with one (issue 17, item 7).

Run: make bench-load [LOAD_ARGS="--sessions 8 --rounds 2 --uploads 4 --upload-rounds 3"]
(not part of the test suite; prints a table). For each setup:
  - a fresh database loaded as `make run` loads it: `python -m kpi init`, then `python -m kpi demo` (demo
    accounts demo.vanphong / demo.donvi, password minhhoa-2026); PostgreSQL is a throw-away server on a
    loopback port (tests/pg_server.py);
  - the dashboard started as the README starts it (`streamlit run server.py --server.headless true
    --server.port P`, KPI_DATABASE naming the database), one or two processes on their own ports. Sessions
    are dealt round-robin across the processes by the bench itself: no reverse proxy;
  - one warm-up sign-in per process (not counted), then N browser contexts in one headless Chromium at once,
    each signing in (alternately demo.vanphong and demo.donvi) and opening overview, areas and targets K
    times. A page's time runs from `page.goto` until the script run ended (data-test-script-state
    notRunning) and the page's heading is drawn;
  - at the same time, M upload workers (separate processes, each with its own connection, as an app
    process would hold) each sending R filled report templates (kpi.excel.template.build, figures changed)
    through kpi.excel.upload.submit(confirmed=True) for the demo plans' Quý IV slots; workers share slots
    when M exceeds them, so some uploads race for one slot (one current, the other superseded).
    On the embedded file no upload runs beside the dashboard: the file admits one process, and the
    dashboard holds it (the command line gets `database_busy`), so uploads there go only through the
    dashboard's own page, which this bench does not drive;
  - errors: a page that times out, shows a Streamlit exception or an error box; an upload that raises or
    does not end "applied"; all counted and printed;
  - peak memory: VmHWM of each app process at the end.
"""
from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pg_server import PgServer  # noqa: E402

PASSWORD = "minhhoa-2026"  # kpi/cycle/demo.py DEMO_PASSWORD
USERS = ("demo.vanphong", "demo.donvi")
PAGES = (("overview", "/"), ("areas", "/linh-vuc"), ("targets", "/chi-tieu"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
TIMEOUT_MS = 120_000


# ---- databases and app processes

def kpi_cli(database: str, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "kpi", "--db", database, *args], cwd=ROOT, check=True,
                   capture_output=True, text=True)


def load_demo(database: str) -> None:
    kpi_cli(database, "init")
    kpi_cli(database, "demo")


def start_apps(database: str, count: int, folder: Path) -> list[dict]:
    from tests.e2e.conftest import start_dashboard
    env = {**os.environ, "KPI_DATABASE": database}
    apps = []
    for n in range(count):
        own = folder / f"app-{n}"
        own.mkdir()
        apps.append(start_dashboard(own, env))
    return apps


def stop_apps(apps: list[dict]) -> None:
    from tests.e2e.conftest import stop_dashboard
    for app in apps:
        stop_dashboard(app)


def peak_rss(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM"))


# ---- uploads (run in worker processes)

def upload_slots(database: str) -> list[tuple[str, str, int]]:
    """(plan, unit, year) of every demo plan's reporting units: their Quý IV is not in the demo data."""
    from kpi import db
    from kpi.db import demo as stored
    con = db.connect(database)
    try:
        plans = con.execute("SELECT id, year FROM plan ORDER BY id").fetchall()
        return [(plan, unit, year) for plan, year in plans
                for unit in sorted({u for u, _ in stored.target_reporter_pairs(con, plan)})]
    finally:
        con.close()


def filled_templates(database: str, slots, count: int, folder: Path, seed: int) -> list[tuple]:
    """`count` report workbooks for the slots in turn, every ratio and value figure filled at random."""
    import openpyxl

    from kpi import db
    from kpi.db import demo as stored
    from kpi.excel import template
    from kpi.periods import parse_period
    rng = random.Random(seed)
    con = db.connect(database)
    made = []
    try:
        for n in range(count):
            plan, unit, year = slots[n % len(slots)]
            kinds = {t[0]: t[1] for t in stored.targets(con, plan)}
            book = openpyxl.load_workbook(io.BytesIO(template.build(con, plan, unit, parse_period(f"{year}-Q4"))))
            sheet = book["Chỉ tiêu"]
            column = {cell.value: cell.column for cell in sheet[3]}
            for row in range(4, sheet.max_row + 1):
                kind = kinds.get(sheet.cell(row, column["code"]).value)
                if kind == "ratio":
                    sheet.cell(row, column["numerator"], rng.randint(60, 100))
                    sheet.cell(row, column["denominator"], 100)
                elif kind == "value":
                    sheet.cell(row, column["value"], rng.randint(1, 500))
            path = folder / f"upload-{seed}-{n}.xlsx"
            book.save(path)
            made.append((str(path), plan, unit, f"{year}-Q4"))
    finally:
        con.close()
    return made


def upload_worker(database: str, files: list[tuple]) -> list[tuple[float, str | None]]:
    """One worker: its own connection, its files one after another; (seconds, error or None) each."""
    sys.path.insert(0, str(ROOT))
    from kpi import db
    from kpi.excel import upload
    from kpi.periods import parse_period
    from tests.helpers import TEST_ACTOR
    con = db.connect(database)
    timed = []
    try:
        for path, plan, unit, period in files:
            start = time.perf_counter()
            try:
                outcome = upload.submit(con, Path(path), actor=TEST_ACTOR, plan=plan, unit=unit,
                                        period=parse_period(period), confirmed=True)
                error = None if outcome.status == "applied" else f"status {outcome.status}"
            except Exception as exc:  # noqa: BLE001 - every failure is counted and printed, none hidden
                error = f"{type(exc).__name__}: {str(exc)[:300]}"
            timed.append((time.perf_counter() - start, error))
    finally:
        con.close()
    return timed


# ---- browser sessions

async def open_page(page, url: str) -> None:
    await page.goto(url, timeout=TIMEOUT_MS)
    await page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
    await page.locator("h1").first.wait_for(timeout=TIMEOUT_MS)


async def sign_in(page, base: str, user: str) -> None:
    await page.goto(base, timeout=TIMEOUT_MS)
    await page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
    await page.locator('input[name="username"]').wait_for(timeout=TIMEOUT_MS)
    await page.fill('input[name="username"]', user)
    await page.fill('input[name="password"]', PASSWORD)
    async with page.expect_navigation(timeout=TIMEOUT_MS):
        await page.click('form.cchc-sign-in button[type="submit"]')
    await page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
    await page.get_by_text("Đang đăng nhập:").wait_for(timeout=TIMEOUT_MS)


async def session(browser, base: str, user: str, rounds: int, times: list, errors: list) -> None:
    context = await browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = await context.new_page()
    try:
        try:
            await sign_in(page, base, user)
        except Exception as exc:  # noqa: BLE001
            errors.append(f"sign-in {user} on {base}: {type(exc).__name__}: {str(exc)[:200]}")
            return
        for _ in range(rounds):
            for name, path in PAGES:
                start = time.perf_counter()
                try:
                    await open_page(page, base + path)
                except Exception as exc:  # noqa: BLE001
                    errors.append(f"{name} {user} on {base}: {type(exc).__name__}: {str(exc)[:200]}")
                    continue
                times.append(time.perf_counter() - start)
                shown = page.locator(ERRORS)
                if await shown.count():
                    errors.append(f"{name} {user} on {base}: shows «{(await shown.first.inner_text())[:200]}»")
    finally:
        await context.close()


async def browse(urls: list[str], sessions: int, rounds: int) -> tuple[list, list]:
    from playwright.async_api import async_playwright
    times, errors = [], []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                                          args=ARGS)
        try:
            for url in urls:  # warm-up: each process's first run imports and caches (not counted)
                await session(browser, url, USERS[0], 1, [], errors)
            await asyncio.gather(*[session(browser, urls[n % len(urls)], USERS[n % len(USERS)], rounds,
                                           times, errors) for n in range(sessions)])
        finally:
            await browser.close()
    return times, errors


# ---- one setup

def run_setup(name: str, database: str, processes: int, args, folder: Path) -> dict:
    load_demo(database)
    uploads = args.uploads if database.startswith("postgresql://") else 0
    jobs = []
    if uploads:
        slots = upload_slots(database)
        jobs = [filled_templates(database, slots[w::uploads] or slots, args.upload_rounds, folder, seed=w)
                for w in range(uploads)]
    apps = start_apps(database, processes, folder)
    try:
        with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, uploads)) as pool:
            started = time.perf_counter()
            pending = [pool.submit(upload_worker, database, files) for files in jobs]
            page_times, errors = asyncio.run(browse([a["url"] for a in apps], args.sessions, args.rounds))
            upload_results = [t for f in pending for t in f.result()]
            wall = time.perf_counter() - started
        memory = [peak_rss(a["process"].pid) for a in apps]
    finally:
        stop_apps(apps)
    errors += [f"upload: {e}" for _, e in upload_results if e]
    return {"setup": name, "pages": page_times, "uploads": [s for s, e in upload_results if not e],
            "upload_count": len(upload_results), "errors": errors, "memory": memory, "wall": wall}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(results: list[dict], args) -> None:
    print(f"\nmachine: {os.cpu_count()} cores (shared with other work); N={args.sessions} sessions × "
          f"K={args.rounds} rounds × 3 pages, M={args.uploads} upload workers × R={args.upload_rounds} uploads")
    print(f"{'setup':<22}{'pages':>6}{'p50 s':>7}{'p95 s':>7}{'uploads':>8}{'p50 s':>7}{'p95 s':>7}"
          f"{'errors':>7}{'peak RSS MiB':>16}{'wall s':>8}")
    for r in results:
        memory = " + ".join(f"{m / 2**20:.0f}" for m in r["memory"])
        uploads = (f"{r['upload_count']:>8}{percentile(r['uploads'], 50):>7.2f}{percentile(r['uploads'], 95):>7.2f}"
                   if r["upload_count"] else f"{'—':>8}{'—':>7}{'—':>7}")
        print(f"{r['setup']:<22}{len(r['pages']):>6}{percentile(r['pages'], 50):>7.2f}"
              f"{percentile(r['pages'], 95):>7.2f}{uploads}{len(r['errors']):>7}{memory:>16}{r['wall']:>8.0f}")
    for r in results:
        for error in r["errors"]:
            print(f"  error [{r['setup']}]: {error}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=8, help="N concurrent browser sessions")
    parser.add_argument("--rounds", type=int, default=2, help="K times each session opens the three pages")
    parser.add_argument("--uploads", type=int, default=4, help="M concurrent upload workers (PostgreSQL)")
    parser.add_argument("--upload-rounds", type=int, default=3, help="R uploads per worker")
    parser.add_argument("--setups", nargs="+", default=["postgres-1", "postgres-2", "file-1"],
                        choices=["postgres-1", "postgres-2", "file-1"])
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="kpi-load-") as tmp:
        server = PgServer.start() if any(s.startswith("postgres") for s in args.setups) else None
        try:
            for name in args.setups:
                folder = Path(tmp) / name
                folder.mkdir()
                database = server.create() if name.startswith("postgres") else str(folder / "cchc.duckdb")
                processes = int(name.rsplit("-", 1)[1])
                print(f"[{name}] {processes} app process(es) …", flush=True)
                results.append(run_setup(name, database, processes, args, folder))
        finally:
            if server:
                server.stop()
    report(results, args)


if __name__ == "__main__":
    main()
