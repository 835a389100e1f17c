"""Metrc clients for the integration: one per (license, key), bounded by the Real Time deadline.

The ``ClientFactory`` shape is the outbox's (``(license number, UserKey) -> TrackAndTrace``), so the same
factory serves the Batch pusher and Real Time. ``deadline_seconds`` becomes the client's retry deadline, so no
retry outlives the checkout's deadline; ``clock``/``sleep`` are injectable for tests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import attrs

from ..outbox.credentials import UserKey
from ..outbox.errors import NoUsableCredentialError
from ..outbox.pusher import ClientFactory
from ..tracktrace.metrc import MetrcClient, MetrcCredentials
from ..tracktrace.protocol import TrackAndTrace
from ..tracktrace.retry import Clock, RetryPolicy, Sleep
from ..tracktrace.transport import Secret, Timeouts

__all__ = ["metrc_factory"]


def metrc_factory(
    vendor_key: str,
    licenses: tuple[str, ...] | list[str],
    *,
    state: str | None = None,
    base_url: str | None = None,
    facility_zone: str | None = None,
    api_version: Literal[1, 2] = 2,
    timeouts: Timeouts | None = None,
    retry: RetryPolicy | None = None,
    deadline_seconds: float | None = None,
    clock: Clock | None = None,
    sleep: Sleep | None = None,
) -> ClientFactory:
    """A client factory for Metrc (``state="ma"`` for production, or ``base_url`` for a sandbox or a fake).

    ``deadline_seconds`` (give the settings' ``real_time_deadline_seconds`` for Real Time) replaces the retry
    policy's deadline, so no call with its retries outlives the checkout's deadline.
    """
    if deadline_seconds is not None:
        retry = attrs.evolve(retry or RetryPolicy(), deadline=deadline_seconds)
    vendor = Secret(vendor_key)
    del vendor_key
    allowed = frozenset(licenses)
    extra: dict[str, Callable[..., object]] = {}
    if clock is not None:
        extra["clock"] = clock
    if sleep is not None:
        extra["sleep"] = sleep

    def factory(license_number: str, key: UserKey) -> TrackAndTrace:
        if license_number not in allowed:
            raise NoUsableCredentialError(key.user_id, f"license {license_number!r} is not configured")
        return MetrcClient(
            MetrcCredentials(vendor.reveal(), key.reveal()), license_number, state=state, base_url=base_url,
            facility_zone=facility_zone, api_version=api_version, timeouts=timeouts, retry=retry,
            **extra,  # type: ignore[arg-type]
        )

    return factory
