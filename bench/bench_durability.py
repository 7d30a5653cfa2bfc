"""Durability benchmark: what "đã lưu" costs once every write is journaled, checkpointed and in the ledger.

Run: make bench-durability. On a copy of the five bundled plans with the illustrative reports, one unit's
quarterly report (every target it answers for) is written again and again as the upload does, medians of 15:
  (a) product write: kpi.db.transaction(action=...) — journal row, commit, CHECKPOINT, ledger line + fsync
  (b) floor: the same rows in a plain DuckDB transaction — commit only (DuckDB syncs its WAL at commit)
and the time to open the database with and without a WAL left by a crash (the WAL is replayed into a copy
and compared first). Printed as ratios; no goal is asserted anywhere.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import timing  # noqa: E402  (bench/, beside this script)
from kpi import db  # noqa: E402
from kpi.cycle import demo  # noqa: E402
from kpi.cycle.submissions import Submission, TargetFigure, record  # noqa: E402
from kpi.db import durability  # noqa: E402
from kpi.periods import parse_period  # noqa: E402
from kpi.plans import io  # noqa: E402

RUNS = 15
PLAN, UNIT = "syt-dong-nai-2023", "VPS"


def median(fn, runs: int = RUNS) -> float:
    return timing.median(fn, runs)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-durability-"))
    path = folder / "cchc.duckdb"
    con = io.open_database(path)
    demo.load(con)
    codes = [r[0] for r in con.execute("SELECT target_code FROM target_reporter WHERE plan_id = ? AND unit_code = ?",
                                       [PLAN, UNIT]).fetchall()]
    figures = tuple(TargetFigure(code, 95, 100) for code in codes)
    period = parse_period("2023-Q4")

    def product_write():
        with db.transaction(con, action="upload", detail={"bench": True}):
            record(con, Submission(PLAN, UNIT, period, figures, submitted_by="bench"))

    def plain_write():
        con.execute("BEGIN TRANSACTION")
        record(con, Submission(PLAN, UNIT, period, figures, submitted_by="bench"))
        con.execute("COMMIT")

    product, plain = median(product_write), median(plain_write)
    con.close()
    open_clean = median(lambda: db.connect(path).close(), 5)
    copy = folder / "crashed.duckdb"
    shutil.copy(path, copy)
    raw = __import__("duckdb").connect(str(copy))
    raw.execute("PRAGMA disable_checkpoint_on_shutdown")
    raw.execute("SET checkpoint_threshold = '1TB'")
    raw.execute("BEGIN TRANSACTION")
    durability.journal_write(raw, "bench", None)
    raw.execute("COMMIT")
    raw.close()
    open_wal = median(lambda: durability.check(copy), 5)
    size = path.stat().st_size / 1e6
    print(f"one unit's report ({len(figures)} targets), database {size:.1f} MB, medians of {RUNS}")
    print(f"  (a) product write (journal + commit + checkpoint + ledger fsync): {product * 1000:7.1f} ms")
    print(f"  (b) plain DuckDB transaction (commit, WAL synced by DuckDB):      {plain * 1000:7.1f} ms")
    print(f"  ratio (a)/(b): {product / plain:.2f}x, cost of durability {1000 * (product - plain):.1f} ms per write")
    print(f"  open without a WAL: {open_clean * 1000:.1f} ms; WAL check before replay (copy + compare): "
          f"{open_wal * 1000:.1f} ms")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
