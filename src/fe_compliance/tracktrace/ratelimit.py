"""A client-side limiter for Metrc GETs: requests per second and requests in flight.

Metrc limits GETs only: 50 per second per facility and 150 per integrator key, 10 concurrent per facility and 30
per integrator (reference/metrc-api.md, "Metrc transport", from Metrc's 2021 rate-limiting document). POSTs are
not throttled, so the adapter passes only GETs through here.

A slot is never lost: the in-flight slot is given back in a ``finally`` whatever the request did, and a request
that provably never reached the server (it failed while connecting) also gets its per-second slot back. (Clients
that lose a slot on every exception slowly throttle themselves to a standstill.)

How to use: one :class:`GetRateLimiter` per facility (the adapter makes one), and one shared by every client of
the same integrator key: ``MetrcClient(..., integrator_limiter=GetRateLimiter(150, 30))``.
"""

from __future__ import annotations

import collections
import contextlib
import threading
import time
from collections.abc import Iterator

from ..errors import InvalidValueError
from .retry import Clock, Deadline, Sleep

__all__ = ["GetRateLimiter", "LimiterTimeoutError", "Slot"]


class LimiterTimeoutError(Exception):
    """No slot came free before the call's deadline (the adapter reports a ``RequestTimeoutError``)."""


class Slot:
    """A granted slot; set ``refund = True`` when the request never reached the server."""

    __slots__ = ("refund", "started")

    def __init__(self, started: float) -> None:
        self.started = started
        self.refund = False


class GetRateLimiter:
    """At most ``per_second`` GETs started in any one-second window and ``concurrent`` in flight.

    ``clock`` and ``sleep`` are injectable; waits for a free concurrent slot use a condition variable (other
    threads release them), waits for the per-second window use ``sleep``.
    """

    def __init__(
        self,
        per_second: int = 50,
        concurrent: int = 10,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        for name, value in (("per_second", per_second), ("concurrent", concurrent)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidValueError(f"rate_limiter.{name}", value, "must be a whole number of at least 1")
        self.per_second = per_second
        self.concurrent = concurrent
        self._clock = clock
        self._sleep = sleep
        self._cond = threading.Condition()
        self._in_flight = 0
        self._starts: collections.deque[float] = collections.deque()

    def __repr__(self) -> str:
        return f"GetRateLimiter(per_second={self.per_second}, concurrent={self.concurrent})"

    @property
    def in_flight(self) -> int:
        """GETs holding a slot now."""
        return self._in_flight

    @property
    def recent_starts(self) -> int:
        """GETs counted in the current one-second window."""
        with self._cond:
            self._prune(self._clock())
            return len(self._starts)

    def _prune(self, now: float) -> None:
        while self._starts and self._starts[0] <= now - 1.0:
            self._starts.popleft()

    def _take_concurrent(self, deadline: Deadline) -> None:
        with self._cond:
            while self._in_flight >= self.concurrent:
                remaining = deadline.remaining()
                if remaining <= 0:
                    raise LimiterTimeoutError("no concurrent slot before the deadline")
                self._cond.wait(min(remaining, 1.0))
            self._in_flight += 1

    def _give_concurrent(self) -> None:
        with self._cond:
            self._in_flight -= 1
            self._cond.notify()

    def _take_window(self, deadline: Deadline) -> float:
        while True:
            with self._cond:
                now = self._clock()
                self._prune(now)
                if len(self._starts) < self.per_second:
                    self._starts.append(now)
                    return now
                wait = self._starts[0] + 1.0 - now
            if not deadline.allows_wait(wait):
                raise LimiterTimeoutError("the per-second GET budget is spent until after the deadline")
            self._sleep(max(wait, 0.0))

    def _give_window(self, started: float) -> None:
        with self._cond, contextlib.suppress(ValueError):
            self._starts.remove(started)

    @contextlib.contextmanager
    def slot(self, deadline: Deadline) -> Iterator[Slot]:
        """Hold a slot for one GET; raises :class:`LimiterTimeoutError` when none frees up before ``deadline``."""
        self._take_concurrent(deadline)
        try:
            granted = Slot(self._take_window(deadline))
        except BaseException:
            self._give_concurrent()
            raise
        try:
            yield granted
        finally:
            self._give_concurrent()
            if granted.refund:
                self._give_window(granted.started)
