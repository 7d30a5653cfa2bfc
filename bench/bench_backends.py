"""The engine on PostgreSQL beside the embedded file, in one run (issue 17, item 2: measurement).

Run: make bench-backends [SCALES="province national"] (not part of the test suite; prints a table).
For each scale (bench/synthetic.py, reused from bench/.data when already built):
  1. a throw-away PostgreSQL server on a loopback port (tests/pg_server.py) and the synthetic DuckDB file
     copied into it by the product's own `python -m kpi --db FILE db copy --to URL` (timed);
  2. on the file, then on PostgreSQL, the median of --runs runs of
       roll-up     kpi.engine.attainment_all(con, "Y", by="area") (as bench/bench_engine.py),
       overview    engine.overview for one plan, 9 months (province scale only, as bench/bench_engine.py),
                   computed each time (kpi/db/read_cache.py `remembered` emptied first; the copy kept),
       first read  the same overview with no local copy of the plan yet (on PostgreSQL the plan's rows are
                   copied first, kpi/db/read_cache.py: what the first reader after a write waits);
     and the ratio PostgreSQL / file;
  3. the postgres extension's cheap levers (DuckDB settings, no engine change) on the roll-up: each row of
     LEVERS set on the PostgreSQL connection, timed, then reset.
The server is stopped and its folder removed at the end, whatever happens.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synthetic  # noqa: E402
import timing  # noqa: E402

from kpi import db, engine  # noqa: E402
from kpi.db import read_cache  # noqa: E402
from tests.helpers import scope  # noqa: E402
from tests.pg_server import PgServer  # noqa: E402

DATA = ROOT / "bench" / ".data"

# The postgres extension's settings that change how a table is read through the attachment (DuckDB 1.5.5's
# extension; defaults: filter pushdown on, 1000 pages per task, ctid-parallel scans, binary COPY).
LEVERS = (
    ("defaults", {}),
    ("pg_experimental_filter_pushdown = false", {"pg_experimental_filter_pushdown": "false"}),
    ("pg_pages_per_task = 100", {"pg_pages_per_task": "100"}),
    ("pg_pages_per_task = 10000", {"pg_pages_per_task": "10000"}),
    ("pg_use_ctid_scan = false", {"pg_use_ctid_scan": "false"}),
    ("pg_use_binary_copy = false", {"pg_use_binary_copy": "false"}),
    ("threads = 1", {"threads": "1"}),
)


def copy_to_postgres(path: Path, url: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kpi", "--db", str(path), "db", "copy", "--to", url],
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"db copy failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - start


def overview_scope(con):
    plan = con.execute("SELECT id FROM plan ORDER BY id LIMIT 1 OFFSET 7").fetchone()[0]
    return scope(plan, f"{int(plan.rsplit('-', 1)[1])}-9M")


def time_backend(con, scale: str, runs: int) -> dict:
    rows = con.execute("SELECT count(*) FROM actual").fetchone()[0]
    engine.attainment_all(con, "Y", by="area")  # warm: buffer pool, catalog cache, connection pool
    result = {"rows": rows, "rollup": timing.median(lambda: engine.attainment_all(con, "Y", by="area"), runs)}
    if scale == "province":
        chosen = overview_scope(con)
        engine.overview(con, chosen)
        # computed each time (the figures not remembered), on PostgreSQL through the copy already made
        result["overview"] = timing.median(lambda: (read_cache.forget(copies=False), engine.overview(con, chosen)),
                                           max(runs, 5))
        # the first read after a write: on PostgreSQL the plan's rows are copied again (kpi/db/read_cache.py)
        result["first read"] = timing.median(lambda: (read_cache.forget(), engine.overview(con, chosen)),
                                             max(runs, 5))
    return result


def same_answer(file_con, pg_con) -> None:
    """The two backends must give the same roll-up, or the timing compares different work."""
    left = engine.attainment_all(file_con, "Y", by="area").sort_values(["plan_id", "area_code"])
    right = engine.attainment_all(pg_con, "Y", by="area").sort_values(["plan_id", "area_code"])
    for column in ("targets", "targets_with_data", "targets_met", "attainment", "coverage"):
        a, b = left[column].astype(float).to_numpy(), right[column].astype(float).to_numpy()
        if len(a) != len(b) or not all(x == y or abs(x - y) < 1e-9 or (x != x and y != y) for x, y in zip(a, b)):
            raise AssertionError(f"the backends disagree on {column}")


def time_levers(con, runs: int) -> list[tuple[str, float]]:
    timed = []
    for name, settings in LEVERS:
        for key, value in settings.items():
            con.execute(f"SET {key} = {value}")  # names and values from LEVERS above, never user text
        engine.attainment_all(con, "Y", by="area")
        timed.append((name, timing.median(lambda: engine.attainment_all(con, "Y", by="area"), runs)))
        for key in settings:
            con.execute(f"RESET {key}")
    return timed


def run_scale(server: PgServer, scale: str, runs: int, levers: bool) -> dict:
    path = synthetic.built(DATA, scale)
    url = server.create()
    print(f"[{scale}] copying {path.name} into PostgreSQL …", flush=True)
    copy_seconds = copy_to_postgres(path, url)
    print(f"[{scale}] db copy took {copy_seconds:.1f} s", flush=True)
    file_con, pg_con = db.connect(path), db.connect(url)
    try:
        same_answer(file_con, pg_con)
        result = {"scale": scale, "copy": copy_seconds, "file": time_backend(file_con, scale, runs),
                  "postgres": time_backend(pg_con, scale, runs)}
        if levers:
            result["levers"] = time_levers(pg_con, runs)
        return result
    finally:
        file_con.close()
        pg_con.close()
        server.drop(url)


def report(results: list[dict], pg_version: str) -> None:
    import duckdb
    print(f"\nmachine: {os.cpu_count()} cores (shared with other work), Python {sys.version.split()[0]}, "
          f"DuckDB {duckdb.__version__}, PostgreSQL {pg_version}; medians, same run")
    print(f"{'scale':<10}{'actual rows':>13}{'what':>12}{'file s':>10}{'PostgreSQL s':>14}{'PG/file':>9}")
    for r in results:
        for what in ("rollup", "overview", "first read"):
            if what in r["file"]:
                f, p = r["file"][what], r["postgres"][what]
                print(f"{r['scale']:<10}{r['file']['rows']:>13,}{what:>12}{f:>10.3f}{p:>14.3f}{p / f:>9.1f}")
        print(f"{'':<10}(db copy file → PostgreSQL: {r['copy']:.1f} s)")
        for name, seconds in r.get("levers", []):
            print(f"{'':<10}roll-up on PostgreSQL, {name:<42}{seconds:>8.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", nargs="+", default=["province"], choices=list(synthetic.SCALES))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-levers", action="store_true", help="skip the extension settings")
    args = parser.parse_args()
    server = PgServer.start()
    try:
        pg_version = server.sql("SHOW server_version")[0][0].split()[0]
        results = [run_scale(server, scale, args.runs, not args.no_levers) for scale in args.scales]
    finally:
        server.stop()
    report(results, pg_version)


if __name__ == "__main__":
    main()
