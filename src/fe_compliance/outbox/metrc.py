"""Metrc clients for the pusher: one per (license, selling user), posting receipts ten to a request.

Metrc's receipt POST takes a list (reference/metrc-api.md, "Sales receipts"), so a batch of receipts is one
request: the tracktrace :class:`~fe_compliance.tracktrace.metrc.MetrcClient` has the
:class:`~fe_compliance.tracktrace.protocol.PostsSaleBatches` capability (same retry rule as one receipt: re-sent
only when it provably never reached Metrc; every other failure is
:class:`~fe_compliance.tracktrace.errors.OutcomeUnknownError`). A 400 comes back as
:class:`~fe_compliance.tracktrace.errors.ValidationError` whose rows index into the batch.

:func:`metrc_client_factory` turns a :class:`~fe_compliance.outbox.config.PushConfig` into the pusher's
``client_factory``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from ..tracktrace.metrc import STATE_ZONES, MetrcClient, MetrcCredentials
from ..tracktrace.protocol import TrackAndTrace
from ..tracktrace.retry import RetryPolicy
from ..tracktrace.transport import HttpTransport, Timeouts
from .config import ConfigError, PushConfig
from .credentials import UserKey
from .errors import NoUsableCredentialError
from .pusher import ClientFactory

__all__ = ["metrc_client_factory"]


def metrc_client_factory(
    config: PushConfig,
    *,
    timeouts: Timeouts | None = None,
    retry: RetryPolicy | None = None,
    transport_factory: Callable[[], HttpTransport] | None = None,
) -> ClientFactory:
    """The pusher's ``client_factory`` for the Metrc target of ``config``.

    An item under a license the configuration does not list gets no client: it stays queued with
    :class:`NoUsableCredentialError` (the pusher must not report a license it was not given).
    """
    if config.facility_zone is None and (config.state is None or config.state not in STATE_ZONES):
        raise ConfigError(
            "FE_METRC_FACILITY_ZONE",
            "the facility's time zone is needed to write SalesDateTime (set FE_METRC_FACILITY_ZONE or facility_zone, "
            f"an IANA name such as America/New_York; known by state: {', '.join(sorted(STATE_ZONES))})",
        )
    licenses = frozenset(config.licenses)
    timeouts = timeouts or Timeouts(connect=min(10.0, config.timeout_seconds), read=config.timeout_seconds)
    api_version: Literal[1, 2] = 1 if config.api_version == 1 else 2

    def factory(license_number: str, key: UserKey) -> TrackAndTrace:
        if license_number not in licenses:
            raise NoUsableCredentialError(
                key.user_id, f"license {license_number!r} is not one this pusher is configured for"
            )
        credentials = MetrcCredentials(vendor_key=config.vendor_key, user_key=key.reveal())
        return MetrcClient(
            credentials,
            license_number,
            state=config.state if config.base_url is None else None,
            base_url=config.base_url,
            facility_zone=config.facility_zone,
            api_version=api_version,
            timeouts=timeouts,
            retry=retry,
            transport=transport_factory() if transport_factory is not None else None,
        )

    return factory
