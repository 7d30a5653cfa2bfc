"""Plan workbook import, beside the floor of merely reading the same files.

Run: make bench (not part of the test suite). Prints medians of several runs and ratios.
  (a) import: file checks + read + validate + store, all five bundled plans, fresh database each run
  (b) floor: openpyxl read-only pass over every cell of the same files, nothing else
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kpi import db  # noqa: E402
from kpi.plans import io  # noqa: E402

RUNS = 5


def bare_read(paths):
    for path in paths:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for sheet in book.worksheets:
            for _ in sheet.iter_rows(values_only=True):
                pass
        book.close()


def full_import(paths):
    with tempfile.TemporaryDirectory() as folder:
        con = db.connect(Path(folder) / "bench.duckdb")
        for path in paths:
            io.import_workbook(con, path)
        con.close()


def median_seconds(fn, *args) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    paths = io.bundled_workbooks()
    floor = median_seconds(bare_read, paths)
    imported = median_seconds(full_import, paths)
    print(f"{len(paths)} plan workbooks, median of {RUNS} runs")
    print(f"{'measure':<44}{'seconds':>10}{'× floor':>10}")
    print(f"{'(b) floor: openpyxl read of every cell':<44}{floor:>10.3f}{1:>10.2f}")
    print(f"{'(a) import: checks, validate, store':<44}{imported:>10.3f}{imported / floor:>10.2f}")


if __name__ == "__main__":
    main()
