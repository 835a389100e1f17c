"""When to send a request again, how long to wait, and the deadline no retry outlives. Pure: no I/O.

The rule (reference/metrc-api.md, "Metrc transport"): GET, PUT of the same Id and DELETE may be re-sent on 429,
500, 503 and network errors, with exponential backoff and full jitter, honouring ``Retry-After`` (seconds or an
HTTP date, on a 429 or a 503) up to a cap. A receipt POST is re-sent only when the request provably never
reached the server (DNS failure, refused connection, TLS handshake failure, connect timeout); anything else
leaves its outcome unknown.

How to use: an adapter builds a :class:`Deadline` per call from its :class:`RetryPolicy`, and after a failure asks
:func:`retry_delay` whether and how long to wait. Clocks and sleeps are injected so tests never wait on wall time.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import attrs

from ..errors import InvalidValueError
from .errors import (
    ConnectionFailedError,
    DeadlineExceededError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    TrackAndTraceError,
)

__all__ = ["Clock", "Deadline", "RetryPolicy", "Sleep", "retry_delay"]

#: Seconds of a monotonic clock (``time.monotonic``).
Clock = Callable[[], float]
#: Waits the given seconds (``time.sleep``).
Sleep = Callable[[float], None]

_RETRIED_STATUSES = frozenset({429, 500, 503})  # metrc-api.md, "Retrying"


def _positive(_instance: object, attribute: attrs.Attribute[float], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < float("inf"):
        raise InvalidValueError(f"retry.{attribute.name}", value, "must be a positive number")


def _attempts(_instance: object, _attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        raise InvalidValueError("retry.max_attempts", value, "must be a whole number from 1 to 100")


@attrs.frozen(slots=True)
class RetryPolicy:
    """How hard to try. ``deadline`` bounds one call, all attempts and waits included.

    ``max_attempts`` counts the first try. Backoff before retry n (0-based) is uniform in
    ``[0, min(backoff_cap, backoff_base * 2**n)]`` ("full jitter"). A ``Retry-After`` longer than
    ``retry_after_cap`` (or than what is left of the deadline) is not waited for: the call fails with
    :class:`~fe_compliance.tracktrace.errors.RateLimitedError` carrying the wait, so the caller can schedule it.
    """

    max_attempts: int = attrs.field(default=4, validator=_attempts)
    backoff_base: float = attrs.field(default=0.5, validator=_positive)
    backoff_cap: float = attrs.field(default=8.0, validator=_positive)
    retry_after_cap: float = attrs.field(default=30.0, validator=_positive)
    deadline: float = attrs.field(default=60.0, validator=_positive)


class Deadline:
    """The moment a call must be over, on an injected monotonic clock."""

    __slots__ = ("_clock", "at", "seconds")

    def __init__(self, seconds: float, clock: Clock) -> None:
        self._clock = clock
        self.seconds = seconds
        self.at = clock() + seconds

    def remaining(self) -> float:
        """Seconds left (0 or less when the deadline has passed)."""
        return self.at - self._clock()

    def allows_wait(self, seconds: float) -> bool:
        """Whether waiting ``seconds`` still leaves time for another attempt."""
        return self._clock() + seconds < self.at


def _may_retry(error: TrackAndTraceError, *, idempotent: bool) -> bool:
    if isinstance(error, DeadlineExceededError):
        return False
    if not idempotent:
        # A POST: only a failure that provably never reached the server.
        return isinstance(error, (ConnectionFailedError, RequestTimeoutError)) and not error.reached_server
    if isinstance(error, (ConnectionFailedError, RequestTimeoutError)):
        return True
    return isinstance(error, (RateLimitedError, ServerError)) and error.status in _RETRIED_STATUSES


def retry_delay(
    error: TrackAndTraceError,
    *,
    attempt: int,
    idempotent: bool,
    policy: RetryPolicy,
    deadline: Deadline,
    rng: random.Random,
) -> float | None:
    """Seconds to wait before re-sending after ``error`` on attempt ``attempt`` (0-based), or None: give up."""
    if attempt + 1 >= policy.max_attempts or not _may_retry(error, idempotent=idempotent):
        return None
    asked = error.retry_after if isinstance(error, (RateLimitedError, ServerError)) else None
    if asked is not None:
        if asked > policy.retry_after_cap:
            return None
        delay = asked
    else:
        delay = rng.uniform(0.0, min(policy.backoff_cap, policy.backoff_base * 2.0**attempt))
    return delay if deadline.allows_wait(delay) else None
