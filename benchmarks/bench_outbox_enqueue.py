"""outbox_enqueue: 10,000 durable enqueues, against a bare sqlite3 INSERT + COMMIT of the same serialised item.

Library side: ``Outbox.enqueue_sale`` for 10,000 distinct sales, each its own durable transaction (``BEGIN
IMMEDIATE``, the idempotency look-up, INSERT, COMMIT). Baseline (a lower bound): a bare ``sqlite3`` connection in
the same mode (WAL, same ``synchronous``) inserting the same canonical JSON text, already serialised, with the same
(license, external number) into a table with only that UNIQUE constraint, ``BEGIN``/``INSERT``/``COMMIT`` per item.
Both sides start from a new file in the same directory; both files hold the same 10,000 payloads afterwards
(checked). Reported for FULL (the headline entry; target ratio <= 1.3) and NORMAL (in ``extra``; target <= 1.5:
without a sync per commit the library's own work shows).

    .venv/bin/python benchmarks/run.py --only outbox_enqueue [--quick]
"""

from __future__ import annotations

import gc
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._outbox_sales import make_sales  # noqa: E402
from benchmarks._timing import progress  # noqa: E402
from fe_compliance.outbox import Outbox, sale_to_json  # noqa: E402

NAME = "outbox_enqueue"
LICENSE = "LIC-0001"


def _sales(count: int) -> list[Any]:
    return make_sales("B", count)


def _library(directory: Path, sales: list[Any], durability: str, run: int) -> list[str]:
    path = directory / f"lib-{durability}-{run}.db"
    with Outbox.open(path, durability=durability) as box:
        for sale in sales:
            box.enqueue_sale(sale, license_number=LICENSE, user_id="cashier-7")
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT payload FROM items ORDER BY id")]


def _baseline(directory: Path, rows: list[tuple[str, str]], durability: str, run: int) -> list[str]:
    path = directory / f"bare-{durability}-{run}.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA synchronous = {durability.upper()}")
    conn.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, license_number TEXT NOT NULL, "
                 "external_receipt_number TEXT NOT NULL, payload TEXT NOT NULL, "
                 "UNIQUE (license_number, external_receipt_number))")
    for number, payload in rows:
        conn.execute("BEGIN")
        conn.execute("INSERT INTO items (license_number, external_receipt_number, payload) VALUES (?, ?, ?)",
                     (LICENSE, number, payload))
        conn.execute("COMMIT")
    out = [row[0] for row in conn.execute("SELECT payload FROM items ORDER BY id")]
    conn.close()
    return out


def _time(function: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        result = function()
        return time.perf_counter() - start, result
    finally:
        gc.enable()


def _measure(directory: Path, sales: list[Any], rows: list[tuple[str, str]], durability: str,
             repeats: int) -> tuple[float, float]:
    lib_times: list[float] = []
    bare_times: list[float] = []
    _library(directory, sales[:50], durability, -1)  # warm-up
    _baseline(directory, rows[:50], durability, -1)
    for run in range(repeats):
        elapsed, lib_out = _time(lambda r=run: _library(directory, sales, durability, r))  # type: ignore[misc]
        lib_times.append(elapsed)
        elapsed, bare_out = _time(lambda r=run: _baseline(directory, rows, durability, r))  # type: ignore[misc]
        bare_times.append(elapsed)
        if lib_out != bare_out:
            raise SystemExit("outbox_enqueue: the library and the baseline stored different payloads")
        progress(f"  {durability} run {run + 1}/{repeats}: library {lib_times[-1]:.3f} s, "
                 f"baseline {bare_times[-1]:.3f} s")
    return statistics.median(lib_times), statistics.median(bare_times)


def run(quick: bool) -> dict[str, Any]:
    count = 100 if quick else 10_000
    repeats = 3
    sales = _sales(count)
    rows = [(sale.external_receipt_number, sale_to_json(sale)) for sale in sales]
    with tempfile.TemporaryDirectory(prefix="fe-outbox-bench-", dir=str(ROOT)) as tmp:
        directory = Path(tmp)
        full_lib, full_bare = _measure(directory, sales, rows, "full", repeats)
        normal_lib, normal_bare = _measure(directory, sales, rows, "normal", repeats)
    return {
        "name": NAME,
        "library_s": full_lib,
        "baseline_s": full_bare,
        "ratio": full_lib / full_bare,
        "baseline": f"bare sqlite3 BEGIN/INSERT/COMMIT of the same serialised item, WAL + synchronous=FULL, "
                    f"{count} items (lower bound)",
        "value": count / full_lib,
        "unit": "enqueues/s (FULL)",
        "extra": {
            "items": count,
            "full": {"library_s": full_lib, "baseline_s": full_bare, "ratio": full_lib / full_bare, "target": 1.3},
            "normal": {"library_s": normal_lib, "baseline_s": normal_bare, "ratio": normal_lib / normal_bare,
                       "target": 1.5},
            "library_per_enqueue_us_full": full_lib / count * 1e6,
            "library_per_enqueue_us_normal": normal_lib / count * 1e6,
            "tempdir": "under the repository (same disk as a POS's data directory would be, not tmpfs)",
        },
    }
