"""metrc_get_pages: a day of 10,000 receipts read from the fake Metrc in pages of 20, through the Metrc adapter.

The fake runs in its own process (``spawn_fake_metrc``), so the client being measured does not share an
interpreter lock with the server. Library side: ``MetrcClient.list_receipts(day)`` over one keep-alive
connection: rate limiter, retry policy, deadline, URL building, the ``HttpClientTransport`` seam, the JSON and
every row parsed into a ``Receipt`` (with its lines, an aware ``sold_at``, ``Decimal`` money). Baseline, a lower
bound: bare ``http.client`` keep-alive GETs of the same URLs with the same ``Authorization`` header, each body
through ``json.loads``, the ``Data`` rows collected, nothing else. Both sides must read the same receipts (ids and
external numbers, in order) or the benchmark fails.

The adapter's GET rate limiter is configured to 1,000,000 GETs per second: Metrc's own limit (50 GET/s per
facility) would make 500 pages take 10 s of sleeping and the ratio would measure the policy, not the code.

``extra`` reports the bare per-request latency (it must be well under a millisecond, or the fake is the bottleneck
and the ratio means nothing), the adapter's, a raw-socket round trip (request bytes out, response bytes in: the
fake plus the kernel, no client-side parsing), the fake process's own CPU time per request (from ``/proc``) and
each client side's CPU time per request: on a loaded machine the wall-clock figures grow with the waiting, the CPU
figures say where the work is.

    .venv/bin/python benchmarks/run.py --only metrc_get_pages
    .venv/bin/python benchmarks/bench_metrc_pages.py --profile   # where the adapter's time goes (cProfile)
"""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import json
import os
import socket
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._timing import compare, progress  # noqa: E402
from fe_compliance.testing.fake_metrc import SpawnedFakeMetrc, spawn_fake_metrc  # noqa: E402

NAME = "metrc_get_pages"
DAY = dt.date(2024, 1, 2)
PAGE_SIZE = 20
LICENSE = "LIC-BENCH-1"


def _client(spawned: SpawnedFakeMetrc) -> Any:
    from fe_compliance.tracktrace.metrc import MetrcClient, MetrcCredentials
    from fe_compliance.tracktrace.ratelimit import GetRateLimiter

    return MetrcClient(
        MetrcCredentials(vendor_key=spawned.vendor_key, user_key=spawned.user_key),
        spawned.license_number,
        base_url=spawned.url,
        facility_zone="America/New_York",
        rate_limiter=GetRateLimiter(per_second=1_000_000, concurrent=10),
    )


def _query(page: int) -> str:
    """The query the adapter sends for a day's page (same parameters, same order)."""
    return "?" + urlencode({
        "licenseNumber": LICENSE, "salesDateStart": DAY.isoformat(),
        "salesDateEnd": (DAY + dt.timedelta(days=1)).isoformat(), "pageNumber": page, "pageSize": PAGE_SIZE,
    })


class _Bare:
    """The baseline: one ``http.client`` keep-alive connection, ``json.loads``, the rows collected."""

    def __init__(self, spawned: SpawnedFakeMetrc) -> None:
        port = int(spawned.url.rsplit(":", 1)[1])
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        token = base64.b64encode(f"{spawned.vendor_key}:{spawned.user_key}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}", "Accept": "application/json"}
        self.requests = 0

    def read_day(self) -> list[tuple[str, str]]:
        rows: list[dict[str, Any]] = []
        page, pages = 1, 1
        while page <= pages:
            self.conn.request("GET", "/sales/v2/receipts/active" + _query(page), headers=self.headers)
            response = self.conn.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"baseline GET page {page}: HTTP {response.status}")
            data = json.loads(body)
            rows.extend(data["Data"])
            pages = data["TotalPages"]
            page += 1
        self.requests = pages
        return [(str(row["Id"]), row["ExternalReceiptNumber"]) for row in rows]


def _raw_round_trip_us(spawned: SpawnedFakeMetrc, headers: dict[str, str], pages: int) -> float:
    """Median-free simple mean of raw request/response round trips over pages (the fake's share of a GET)."""
    port = int(spawned.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        stream = sock.makefile("rb")
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())

        def one(page: int) -> None:
            sock.sendall(f"GET /sales/v2/receipts/active{_query(page)} HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}\r\n"
                         .encode())
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            stream.read(length)

        for page in range(1, pages + 1):
            one(page)
        start = time.perf_counter()
        for page in range(1, pages + 1):
            one(page)
        return (time.perf_counter() - start) / pages * 1e6


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a process has used (Linux ``/proc``; ``None`` elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def run(quick: bool) -> dict[str, Any]:
    receipts = 1_000 if quick else 10_000
    repeats = 3 if quick else 5
    progress(f"  metrc_get_pages: starting the fake in its own process with {receipts} receipts")
    with spawn_fake_metrc(receipts=receipts, license_number=LICENSE, day=DAY) as spawned:
        client = _client(spawned)
        bare = _Bare(spawned)

        cpu = {"library": 0.0, "baseline": 0.0}

        def library() -> list[tuple[str, str | None]]:
            start = time.process_time()
            out = [(r.id, r.external_receipt_number) for r in client.list_receipts(DAY)]
            cpu["library"] += time.process_time() - start
            return out

        def baseline() -> list[tuple[str, str]]:
            start = time.process_time()
            out = bare.read_day()
            cpu["baseline"] += time.process_time() - start
            return out

        try:
            cpu_before = _cpu_seconds(spawned.process.pid)
            library_s, baseline_s, library_out, baseline_out = compare(library, baseline, repeats=repeats)
            cpu_after = _cpu_seconds(spawned.process.pid)
            if library_out != baseline_out or len(library_out) != receipts:
                raise SystemExit(
                    f"metrc_get_pages: adapter read {len(library_out)} receipts, bare http.client "
                    f"{len(baseline_out)}, expected {receipts} (or they differ)"
                )
            raw_us = _raw_round_trip_us(spawned, bare.headers, bare.requests)
        finally:
            client.close()
            bare.conn.close()
    pages = bare.requests
    served = (1 + max(3, repeats)) * 2 * pages  # compare(): one warm-up and the repeats, both sides
    fake_cpu_us = None if cpu_before is None or cpu_after is None else (cpu_after - cpu_before) / served * 1e6
    return {
        "name": NAME,
        "library_s": library_s,
        "baseline_s": baseline_s,
        "ratio": library_s / baseline_s,
        "baseline": "bare http.client keep-alive GETs of the same pages + json.loads (lower bound: no models)",
        "value": receipts / library_s,
        "unit": "receipts/s",
        "extra": {
            "receipts": receipts,
            "pages": pages,
            "page_size": PAGE_SIZE,
            "bare_per_request_us": round(baseline_s / pages * 1e6, 1),
            "library_per_request_us": round(library_s / pages * 1e6, 1),
            "raw_socket_round_trip_us": round(raw_us, 1),
            "fake_cpu_per_request_us": None if fake_cpu_us is None else round(fake_cpu_us, 1),
            "bare_client_cpu_per_request_us": round(cpu["baseline"] / (served / 2) * 1e6, 1),
            "library_client_cpu_per_request_us": round(cpu["library"] / (served / 2) * 1e6, 1),
            # CPU over CPU of the two client sides: steadier than the wall-clock ratio on a loaded machine, where
            # the waiting for a core (not the work) decides the wall times.
            "client_cpu_ratio": round(cpu["library"] / cpu["baseline"], 3) if cpu["baseline"] else None,
        },
    }


def _profile() -> None:
    import cProfile
    import pstats

    with spawn_fake_metrc(receipts=10_000, license_number=LICENSE, day=DAY) as spawned:
        client = _client(spawned)
        client.list_receipts(DAY)
        profiler = cProfile.Profile()
        profiler.enable()
        client.list_receipts(DAY)
        profiler.disable()
        client.close()
    pstats.Stats(profiler).sort_stats(sys.argv[2] if len(sys.argv) > 2 else "tottime").print_stats(30)


if __name__ == "__main__":
    if "--profile" in sys.argv:
        _profile()
    else:
        print(json.dumps(run("--quick" in sys.argv), indent=2))
