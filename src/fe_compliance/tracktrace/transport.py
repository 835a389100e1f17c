"""The "send one request" seam under every HTTP adapter.

An adapter (the Metrc one, or one you write for another system) builds an :class:`HttpRequest` and hands it to an
:class:`HttpTransport`, which sends it once and returns the :class:`HttpResponse`. Nothing else: no retries, no
status checks, no JSON. That keeps the contract small enough that a user can put another HTTP client underneath
(as httpx's ``BaseTransport.handle_request`` does) and that tests can put a
:class:`~fe_compliance.tracktrace.mock.MockTransport` there.

The one duty of a transport is to say honestly where a network failure happened: raise
:class:`~fe_compliance.tracktrace.errors.SendError` with ``phase="connect"`` only when no byte of the request can
have reached the server (DNS failure, refused connection, TLS handshake failure, connect timeout), and ``"send"``
or ``"receive"`` otherwise. The receipt-POST retry rule depends on it.

Headers that carry secrets are wrapped in :class:`SecretHeader`, a ``str`` whose ``repr`` is redacted, so a dict of
headers printed in a traceback, a log line or a debugger shows no credential.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import attrs

__all__ = ["HttpRequest", "HttpResponse", "HttpTransport", "Secret", "SecretHeader", "Timeouts"]


class Secret(str):
    """Text that must never be shown (an API key, an ``Authorization`` value): ``repr``, ``str``, ``format()``
    and ``%s`` all give ``<redacted>``.

    It is still a ``str``: http.client and other clients encode it and send it as is (``str.encode`` uses the
    real text). Only :meth:`reveal` and byte encoding give the secret itself.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "'<redacted>'"

    def __str__(self) -> str:
        return "<redacted>"

    def __format__(self, format_spec: str) -> str:
        return "<redacted>"

    def reveal(self) -> str:
        """The secret itself, for the one place that writes it on the wire."""
        return str.__str__(self)


#: A header value that must never be shown (the ``Authorization`` header); the same class as :class:`Secret`.
SecretHeader = Secret


@attrs.frozen(slots=True)
class Timeouts:
    """Seconds to wait for the connection (DNS + TCP + TLS) and for the answer.

    The default transport reads ``read`` as the bound of the whole exchange after connecting (sending, status
    line, headers, body), not of each ``recv``, so a trickling server cannot stretch an attempt past it.
    """

    connect: float = 10.0
    read: float = 30.0

    def __attrs_post_init__(self) -> None:
        for name in ("connect", "read"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value < float("inf"):
                from ..errors import InvalidValueError

                raise InvalidValueError(f"timeouts.{name}", value, "must be a positive number of seconds")


@attrs.frozen(slots=True)
class HttpRequest:
    """One request: method, absolute URL, headers, body bytes. ``repr`` never shows header values or the body."""

    method: str
    url: str
    headers: Mapping[str, str] = attrs.field(factory=dict, repr=False)
    body: bytes = attrs.field(default=b"", repr=False)


@attrs.frozen(slots=True)
class HttpResponse:
    """The answer: status code, headers (names as sent), body bytes."""

    status: int
    headers: Mapping[str, str] = attrs.field(factory=dict)
    body: bytes = attrs.field(default=b"", repr=False)

    def header(self, name: str) -> str | None:
        """A header by case-insensitive name, or None."""
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return None


@runtime_checkable
class HttpTransport(Protocol):
    """Sends one request and returns the answer; raises ``SendError`` (honest about the phase) on network failure."""

    def handle_request(self, request: HttpRequest, timeouts: Timeouts) -> HttpResponse:
        """Send ``request`` once; never retry."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
