"""Shared timing for the benchmarks: alternate library and baseline, after a warm-up, and take medians.

The machine is shared and noisy, so only the ratio of two medians measured in the same run is meaningful. The
garbage collector is paused inside each timed call (for both sides alike) so that a collection triggered by one
side's allocations is not billed to the other.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

__all__ = ["compare", "progress"]


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _timed(function: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
    finally:
        gc.enable()
    return elapsed, result


def compare(
    library: Callable[[], Any], baseline: Callable[[], Any], *, repeats: int = 5
) -> tuple[float, float, Any, Any]:
    """Median seconds of ``library`` and ``baseline`` over ``repeats`` alternating runs (after one warm-up each),
    and the last output of each (for the caller to check that they agree)."""
    library()
    baseline()
    library_times: list[float] = []
    baseline_times: list[float] = []
    library_out: Any = None
    baseline_out: Any = None
    for _ in range(max(3, repeats)):
        elapsed, library_out = _timed(library)
        library_times.append(elapsed)
        elapsed, baseline_out = _timed(baseline)
        baseline_times.append(elapsed)
    return statistics.median(library_times), statistics.median(baseline_times), library_out, baseline_out
