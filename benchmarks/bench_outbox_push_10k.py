"""outbox_push_10k: 10,000 queued receipts pushed to the fake Metrc in batches of 10 per request.

Library side: ``Pusher.push()`` over an outbox holding 10,000 queued sales (enqueued before the clock starts):
claim ten (a durable ``BEGIN IMMEDIATE`` transaction at synchronous=FULL), POST them as one request through
``MetrcClient.post_sales`` (the tracktrace Metrc adapter on http.client keep-alive), record the results (a
second durable transaction), until the queue is empty. The fake Metrc runs in its own process
(``spawn_fake_metrc``; both sides set TCP_NODELAY) so client and server do not share an interpreter lock.

Baseline (a lower bound): a bare ``http.client.HTTPConnection`` kept alive, POSTing the same request bodies
(the same receipts as Metrc JSON, built before the clock starts, different receipt numbers so both sides store
new receipts) with the same headers, plus the two commits at FULL per batch that any durable pusher needs (a claim
and a result: ``BEGIN IMMEDIATE`` / ``UPDATE`` of the batch's ten rows of a table of all the receipts / ``COMMIT``,
twice, on a WAL file). Both sides must get a 200 for every
request and end with every receipt stored (checked: the outbox is all done; the baseline saw 200 each time). The
bare per-request latency (the POST alone, no commits) is reported in ``extra``. Target ratio <= 1.5.

    .venv/bin/python benchmarks/run.py --only outbox_push_10k [--quick]
"""

from __future__ import annotations

import base64
import gc
import http.client
import json
import socket
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._outbox_sales import make_sales  # noqa: E402
from benchmarks._timing import progress  # noqa: E402
from fe_compliance.outbox import Outbox, Pusher, keys_from_mapping  # noqa: E402
from fe_compliance.outbox.config import load_push_config  # noqa: E402
from fe_compliance.outbox.metrc import metrc_client_factory  # noqa: E402
from fe_compliance.testing.fake_metrc import spawn_fake_metrc  # noqa: E402
from fe_compliance.tracktrace.metrc_wire import sale_to_wire  # noqa: E402
from fe_compliance.tracktrace.retry import RetryPolicy  # noqa: E402
from fe_compliance.tracktrace.transport import Timeouts  # noqa: E402

NAME = "outbox_push_10k"
ZONE_NAME = "America/New_York"
BATCH = 10


def _sales(prefix: str, count: int) -> list[Any]:
    return make_sales(prefix, count)


def _fill(path: Path, sales: list[Any], license_number: str) -> None:
    with Outbox.open(path, durability="normal") as box:
        for sale in sales:
            box.enqueue_sale(sale, license_number=license_number, user_id="cashier-7")


def _library(path: Path, fake: Any) -> int:
    config = load_push_config({
        "FE_METRC_VENDOR_KEY": fake.vendor_key, "FE_METRC_LICENSE": fake.license_number,
        "FE_METRC_BASE_URL": fake.url, "FE_METRC_FACILITY_ZONE": ZONE_NAME,
    })
    factory = metrc_client_factory(config, timeouts=Timeouts(connect=5.0, read=30.0),
                                   retry=RetryPolicy(max_attempts=1, deadline=60.0))
    with Outbox.open(path) as box:
        report = Pusher(box, factory, keys_from_mapping({"cashier-7": fake.user_key}), batch_size=BATCH).push()
        status = box.status()
    if status.done != status.total or report.failed_ids or report.unknown_ids:
        raise SystemExit(f"outbox_push_10k: the library did not post everything: {report.to_dict()}")
    return report.requests


def _baseline(path: Path, fake: Any, bodies: list[bytes]) -> tuple[int, float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS leases (id INTEGER PRIMARY KEY, owner TEXT, until REAL, state TEXT)")
    conn.execute("BEGIN")
    conn.executemany("INSERT OR IGNORE INTO leases (id, state) VALUES (?, 'queued')",
                     [(n,) for n in range(len(bodies) * BATCH)])
    conn.execute("COMMIT")
    parts = urllib.parse.urlsplit(fake.url)
    target = f"/sales/v2/receipts?licenseNumber={urllib.parse.quote(fake.license_number)}"
    token = base64.b64encode(f"{fake.vendor_key}:{fake.user_key}".encode()).decode()
    headers = {"Authorization": "Basic " + token, "Accept": "application/json", "Content-Type": "application/json"}
    http_conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    http_conn.connect()
    assert http_conn.sock is not None
    http_conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    post_time = 0.0
    for index, body in enumerate(bodies):
        first, last = index * BATCH, index * BATCH + BATCH - 1
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE leases SET owner = 'bare', until = ? WHERE id BETWEEN ? AND ?",
                     (time.time() + 300, first, last))
        conn.execute("COMMIT")
        started = time.perf_counter()
        http_conn.request("POST", target, body=body, headers=headers)
        answer = http_conn.getresponse()
        answer.read()
        post_time += time.perf_counter() - started
        if answer.status != 200:
            raise SystemExit(f"outbox_push_10k: the baseline got {answer.status}")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE leases SET owner = NULL, until = NULL, state = 'done' WHERE id BETWEEN ? AND ?",
                     (first, last))
        conn.execute("COMMIT")
    http_conn.close()
    conn.close()
    return len(bodies), post_time


def _timed(function: Any) -> tuple[float, Any]:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        result = function()
        return time.perf_counter() - start, result
    finally:
        gc.enable()


def run(quick: bool) -> dict[str, Any]:
    count = 100 if quick else 10_000
    repeats = 3
    zone = ZoneInfo(ZONE_NAME)
    lib_times: list[float] = []
    bare_times: list[float] = []
    per_request: list[float] = []
    requests = 0
    with spawn_fake_metrc() as fake, tempfile.TemporaryDirectory(prefix="fe-push-bench-", dir=str(ROOT)) as tmp:
        directory = Path(tmp)
        for run_index in range(-1, repeats):  # -1: warm-up with a tenth of the work
            size = max(BATCH, count // 10) if run_index < 0 else count
            db = directory / f"lib-{run_index}.db"
            _fill(db, _sales(f"L{run_index + 1}", size), fake.license_number)
            sales = _sales(f"B{run_index + 1}", size)
            bodies = [
                json.dumps([sale_to_wire(s, zone) for s in sales[i:i + BATCH]], separators=(",", ":")).encode()
                for i in range(0, size, BATCH)
            ]
            elapsed, lib_requests = _timed(lambda d=db: _library(d, fake))  # type: ignore[misc]
            bare_elapsed, (bare_requests, post_time) = _timed(
                lambda d=directory / f"bare-{run_index}.db", b=bodies: _baseline(d, fake, b)  # type: ignore[misc]
            )
            if lib_requests != bare_requests:
                raise SystemExit(f"outbox_push_10k: {lib_requests} library requests, {bare_requests} bare ones")
            if run_index >= 0:
                lib_times.append(elapsed)
                bare_times.append(bare_elapsed)
                per_request.append(post_time / bare_requests)
                requests = bare_requests
                progress(f"  run {run_index + 1}/{repeats}: library {elapsed:.3f} s, baseline {bare_elapsed:.3f} s "
                         f"({post_time / bare_requests * 1e3:.3f} ms per bare POST)")
    library_s = statistics.median(lib_times)
    baseline_s = statistics.median(bare_times)
    return {
        "name": NAME,
        "library_s": library_s,
        "baseline_s": baseline_s,
        "ratio": library_s / baseline_s,
        "baseline": f"bare http.client keep-alive POSTs of the same {requests} batches of {BATCH} plus two "
                    "BEGIN IMMEDIATE/UPDATE of the batch's rows/COMMIT at synchronous=FULL per batch (lower bound)",
        "value": count / library_s,
        "unit": "receipts/s",
        "extra": {
            "receipts": count,
            "requests": requests,
            "bare_post_latency_ms": statistics.median(per_request) * 1e3,
            "library_per_request_ms": library_s / requests * 1e3,
            "baseline_per_request_ms": baseline_s / requests * 1e3,
            "target": 1.5,
        },
    }
