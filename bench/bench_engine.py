"""KPI engine benchmark: the engine beside plain pandas and a bare DuckDB GROUP BY, in one run.

Run: make bench-engine [SCALES="province national"] (not part of the test suite; prints a table).
For each scale (bench/synthetic.py):
  (a) engine      kpi.engine.attainment_all(con, "Y", by="area"): every plan, every area, the whole year
  (b) pandas      the same rules written plainly in pandas on DataFrames already in memory (loading them
                  is reported apart); its results are asserted equal to (a)
  (c) floor       a bare DuckDB GROUP BY of the same actual rows to (plan, target) sums
Also: one plan's overview (all five levels, engine.overview) and each single level at province scale, read
first and read again at the same data version,
and the peak memory of a process that opens the national database and runs (a).
Goals (docs/performance.md): (a) ≥ 5× faster than (b) and within 3× of (c) at national scale; overview
under 50 ms at province scale; peak memory under 1,5 GB at national scale.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synthetic  # noqa: E402

from kpi import db, engine  # noqa: E402
from kpi.db import read_cache  # noqa: E402
from tests.helpers import scope

DATA = ROOT / "bench" / ".data"


def median_time(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def load_frames(con) -> dict[str, pd.DataFrame]:
    return {
        "actual": con.execute("SELECT a.plan_id, a.target_code, a.unit_code, a.numerator, a.denominator, a.value "
                              "FROM current_actual a").df(),
        "target": con.execute("SELECT plan_id, code AS target_code, area_code, comparator, value AS target_value, "
                              "unit_of_measure, kind FROM target").df(),
        "reporter": con.execute("SELECT plan_id, target_code, unit_code FROM target_reporter").df(),
        "submission": con.execute("SELECT plan_id, unit_code, period_key FROM submission "
                                  "WHERE status = 'current'").df(),
    }


def pandas_area(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The engine's rules for this data (quarter reports, ≥/≤ ratios, ≥ values), written plainly."""
    keys = ["plan_id", "target_code"]
    unit = frames["actual"].groupby(keys + ["unit_code"], as_index=False).agg(
        num=("numerator", "sum"), den=("denominator", "sum"), val=("value", "sum"),
        quarters=("target_code", "size"))
    # coverage: a unit has reported for the year when its quarter reports cover all four quarters
    quarters = frames["submission"].groupby(["plan_id", "unit_code"], as_index=False).agg(
        quarters=("period_key", "nunique"))
    quarters["reported"] = quarters["quarters"] >= 4
    sums = unit.groupby(keys, as_index=False).agg(num=("num", "sum"), den=("den", "sum"), val=("val", "sum"))
    t = frames["target"].merge(sums, on=keys, how="left")
    ratio = t["kind"] == "ratio"
    t["goal"] = np.where(ratio & (t["unit_of_measure"] == "%"), t["target_value"] / 100, t["target_value"])
    t["actual"] = np.where(ratio, t["num"] / t["den"].where(t["den"] > 0), t["val"])
    at_least = t["comparator"] == ">="
    t["att"] = np.where(at_least, t["actual"] / t["goal"],
                        np.where(t["actual"] <= 0, 1.0, t["goal"] / t["actual"]))
    t.loc[t["actual"].isna(), "att"] = np.nan
    t["met"] = np.where(at_least, t["actual"] >= t["goal"] - 1e-9, t["actual"] <= t["goal"] + 1e-9) & t["actual"].notna()
    t["att_capped"] = t["att"].clip(upper=1.0)
    area = t.groupby(["plan_id", "area_code"], as_index=False).agg(
        targets=("target_code", "size"), targets_with_data=("att", "count"), targets_met=("met", "sum"),
        attainment=("att_capped", "mean"))
    answerable = frames["reporter"].merge(frames["target"][keys + ["area_code"]], on=keys)[
        ["plan_id", "area_code", "unit_code"]].drop_duplicates()
    answerable = answerable.merge(quarters, on=["plan_id", "unit_code"], how="left")
    answerable["reported"] = answerable["reported"].fillna(False).astype(bool)
    coverage = answerable.groupby(["plan_id", "area_code"], as_index=False).agg(coverage=("reported", "mean"))
    return area.merge(coverage, on=["plan_id", "area_code"], how="left")


def floor(con) -> pd.DataFrame:
    return con.execute("SELECT plan_id, target_code, sum(numerator), sum(denominator), sum(value), count(*) "
                       "FROM actual GROUP BY ALL").df()


def assert_same(engine_area: pd.DataFrame, pandas_area_: pd.DataFrame) -> None:
    keys = ["plan_id", "area_code"]
    left = engine_area.sort_values(keys).reset_index(drop=True)
    right = pandas_area_.sort_values(keys).reset_index(drop=True)
    for column in ("targets", "targets_with_data", "targets_met", "attainment", "coverage"):
        np.testing.assert_allclose(left[column].astype(float), right[column].astype(float), rtol=1e-9,
                                   err_msg=column)


def run_scale(scale: str, runs: int, skip_memory: bool = False) -> dict:
    path = synthetic.built(DATA, scale)
    con = db.connect(path)
    rows = con.execute("SELECT count(*) FROM actual").fetchone()[0]
    engine.attainment_all(con, "Y", by="area")  # warm the buffer pool for every contestant alike
    t_engine, engine_area = median_time(lambda: engine.attainment_all(con, "Y", by="area"), runs)
    t_floor, _ = median_time(lambda: floor(con), runs)
    start = time.perf_counter()
    frames = load_frames(con)
    t_load = time.perf_counter() - start
    t_pandas, p_area = median_time(lambda: pandas_area(frames), max(1, runs // 2))
    assert_same(engine_area, p_area)
    result = {"scale": scale, "rows": rows, "engine": t_engine, "pandas": t_pandas, "pandas_load": t_load,
              "floor": t_floor}
    if scale == "province":
        plan = con.execute("SELECT id FROM plan ORDER BY id LIMIT 1 OFFSET 7").fetchone()[0]
        year = int(plan.rsplit("-", 1)[1])
        nine_months = scope(plan, f"{year}-9M")
        # Cold: the first read after a write (nothing remembered); again: the same scope at the same data
        # version, as a page drawn again or a period chosen again (kpi/db/read_cache.py `remembered`).
        result["overview"], _ = median_time(lambda: (read_cache.forget(), engine.overview(con, nine_months)), 9)
        result["overview_again"], _ = median_time(lambda: engine.overview(con, nine_months), 9)
        for level in engine.BY_LEVELS:
            result[f"level_{level}"], _ = median_time(
                lambda: (read_cache.forget(), engine.attainment(con, nine_months, by=level)), 9)
    con.close()
    if scale == "national" and not skip_memory:
        result["peak_rss"] = peak_memory(path)
    return result


def peak_memory(path: Path) -> int:
    """Peak RSS (bytes) of a fresh process that opens the database and runs the engine once.

    Read from VmHWM: unlike getrusage's ru_maxrss, it is not inherited from this (large) parent
    process across fork and exec.
    """
    code = ("import sys; sys.path.insert(0, %r); from kpi import db, engine; "
            "con = db.connect(%r); engine.attainment_all(con, 'Y', by='area'); "
            "print(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])"
            ) % (str(ROOT), str(path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1]) * 1024


def report(results: list[dict]) -> None:
    print(f"\nmachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"DuckDB {__import__('duckdb').__version__}, pandas {pd.__version__}; medians")
    print(f"{'scale':<10}{'actual rows':>14}{'engine s':>10}{'pandas s':>10}{'floor s':>9}"
          f"{'pandas/engine':>15}{'engine/floor':>14}")
    for r in results:
        print(f"{r['scale']:<10}{r['rows']:>14,}{r['engine']:>10.3f}{r['pandas']:>10.3f}{r['floor']:>9.3f}"
              f"{r['pandas'] / r['engine']:>15.1f}{r['engine'] / r['floor']:>14.2f}")
        print(f"{'':<10}(pandas also spent {r['pandas_load']:.2f} s loading its DataFrames, not counted)")
        if "overview" in r:
            levels = ", ".join(f"{k[6:]} {r[k] * 1000:.0f} ms" for k in r if k.startswith("level_"))
            print(f"{'':<10}one plan, 9 months: overview (all levels) {r['overview'] * 1000:.0f} ms, the same "
                  f"again {r['overview_again'] * 1000:.1f} ms; first read of each level: {levels}")
        if "peak_rss" in r:
            print(f"{'':<10}peak memory of a process running (a): {r['peak_rss'] / 2**30:.2f} GiB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", nargs="+", default=["province", "national"], choices=list(synthetic.SCALES))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    report([run_scale(scale, args.runs) for scale in args.scales])


if __name__ == "__main__":
    main()
