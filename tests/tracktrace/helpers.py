"""Shared pieces of the tracktrace tests: a controllable clock, a sale, a client on a mock transport."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from fe_compliance.tracktrace import HttpRequest, HttpResponse, MockTransport, Sale, SaleLine, SendError, Timeouts
from fe_compliance.tracktrace.metrc import MetrcClient, MetrcCredentials
from fe_compliance.tracktrace.ratelimit import GetRateLimiter
from fe_compliance.tracktrace.retry import RetryPolicy

NY = ZoneInfo("America/New_York")
VENDOR = "vendor-key-1"
USER = "user-key-1"
LICENSE = "LIC-0001"


class FakeClock:
    """A monotonic clock that only moves when told to; ``sleep`` advances it and remembers the waits."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


def make_sale(number: str = "ABC-1234", **changes: Any) -> Sale:
    values: dict[str, Any] = {
        "external_receipt_number": number,
        "sold_at": dt.datetime(2024, 5, 1, 14, 30, tzinfo=NY),
        "customer_type": "Consumer",
        "lines": [SaleLine("ABCDEF012345670000010331", 1.0, "Grams", Decimal("12.50"))],
    }
    values.update(changes)
    return Sale(**values)


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    return HttpResponse(status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(data).encode())


class TimedTransport(MockTransport):
    """A mock transport that also records the timeouts of each call and can move the clock per request."""

    def __init__(
        self, handler: Callable[[HttpRequest], HttpResponse], clock: FakeClock | None = None, cost: float = 0.0
    ) -> None:
        super().__init__(handler)
        self.timeouts: list[Timeouts] = []
        self.clock = clock
        self.cost = cost

    def handle_request(self, request: HttpRequest, timeouts: Timeouts) -> HttpResponse:
        self.timeouts.append(timeouts)
        if self.clock is not None and self.cost:
            # A real transport gives up at its read timeout: the answer takes ``cost`` seconds or times out.
            self.clock.now += min(self.cost, timeouts.read)
            if self.cost > timeouts.read:
                self.requests.append(request)
                raise SendError("receive", TimeoutError("read timed out"))
        return super().handle_request(request, timeouts)


def make_client(
    handler: Callable[[HttpRequest], HttpResponse],
    clock: FakeClock | None = None,
    *,
    cost: float = 0.0,
    **kwargs: Any,
) -> tuple[MetrcClient, TimedTransport, FakeClock]:
    clock = clock or FakeClock()
    transport = TimedTransport(handler, clock, cost)
    kwargs.setdefault(
        "retry", RetryPolicy(max_attempts=4, backoff_base=0.1, backoff_cap=1.0, retry_after_cap=5.0, deadline=30.0)
    )
    kwargs.setdefault("rate_limiter", GetRateLimiter(50, 10, clock=clock, sleep=clock.sleep))
    client = MetrcClient(
        MetrcCredentials(VENDOR, USER),
        LICENSE,
        base_url="http://127.0.0.1:9",
        facility_zone="America/New_York",
        transport=transport,
        clock=clock,
        sleep=clock.sleep,
        wall_clock=lambda: 1_700_000_000.0,
        rng=random.Random(7),
        **kwargs,
    )
    return client, transport, clock
