"""The benchmarks' one timer: the median wall-clock time of a call, repeated."""
from __future__ import annotations

import statistics
import time


def median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
