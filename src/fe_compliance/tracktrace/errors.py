"""Typed errors of the track-and-trace transports, and the one function that produces them.

Every failure of a call to a track-and-trace system, whether the server answered with an error status, the
network failed, or the call ran out of time, ends up as exactly one of these classes. They are made in one place,
:func:`map_failure`, so an adapter never invents its own mapping (the shape of httpx's
``map_httpcore_exceptions``)::

    FEComplianceError
    └── TrackAndTraceError            method, path (never a query string), status, the system's message
        ├── AuthenticationError       401: wrong or expired key, key only valid for another API version,
        │                             license the key may not use. Never "absent".
        ├── AccessDeniedError         403: the user's key lacks the permission
        ├── NotFoundError             404 (also LookupError)
        ├── ValidationError           400: ``rows`` holds every (row, message) the system sent
        ├── RateLimitedError          429: ``retry_after`` seconds when the system said so
        ├── ServerError               5xx
        ├── RequestTimeoutError       (also TimeoutError) connect or read timeout
        │   └── DeadlineExceededError the call's overall deadline passed: no more attempts
        ├── ConnectionFailedError     DNS, refused, reset, TLS: ``reached_server`` says whether bytes left us
        ├── UnexpectedResponseError   a status or body the protocol does not describe (malformed JSON, ...)
        └── OutcomeUnknownError       a write that may or may not have been stored: ask before re-sending

How to use them: catch :class:`TrackAndTraceError` to handle every transport failure; catch
:class:`OutcomeUnknownError` around a ``post_sale`` and then ask the system with ``find_receipt`` (the
:class:`~fe_compliance.tracktrace.protocol.FindsReceipts` capability) before posting again. ``retryable`` says
whether re-sending the *same* idempotent request may help; it is never true for an outcome-unknown write.

No error ever holds a credential: errors are built from the method, the path with its query string cut off, the
status and the server's message, never from request headers.
"""

from __future__ import annotations

import json
import socket
import ssl
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any, Literal

import attrs

from ..errors import FEComplianceError

__all__ = [
    "AccessDeniedError",
    "AuthenticationError",
    "ConnectionFailedError",
    "DeadlineExceededError",
    "NotFoundError",
    "OutcomeUnknownError",
    "Phase",
    "RateLimitedError",
    "RequestTimeoutError",
    "ResponseFormatError",
    "RowMessage",
    "SendError",
    "ServerError",
    "TrackAndTraceError",
    "UnexpectedResponseError",
    "ValidationError",
    "map_failure",
    "parse_retry_after",
    "path_without_query",
]

#: Where a send failed. ``"connect"`` covers DNS, the TCP connect and the TLS handshake: nothing of the request
#: left this machine. ``"send"`` and ``"receive"`` mean request bytes may have reached the server.
Phase = Literal["connect", "send", "receive"]

_MAX_MESSAGE_CHARS = 500


def path_without_query(path_or_url: str) -> str:
    """The path of a URL or request target without its query string or fragment (license numbers stay out)."""
    text = path_or_url
    if "://" in text:
        text = text.split("://", 1)[1]
        slash = text.find("/")
        text = text[slash:] if slash >= 0 else "/"
    for mark in ("?", "#"):
        cut = text.find(mark)
        if cut >= 0:
            text = text[:cut]
    return text or "/"


def _short(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > _MAX_MESSAGE_CHARS:
        text = text[: _MAX_MESSAGE_CHARS - 3] + "..."
    return text


@attrs.frozen(slots=True)
class RowMessage:
    """One message of a 400 answer: the index of the object in the request body it is about, and the text."""

    row: int | None
    message: str


class TrackAndTraceError(FEComplianceError):
    """A call to a track-and-trace system failed. ``str()`` names method, path, status and the system's message."""

    retryable: bool = False

    def __init__(
        self,
        method: str,
        path: str,
        *,
        status: int | None = None,
        system_message: str | None = None,
        reason: str = "",
    ) -> None:
        self.method = method.upper()
        self.path = path_without_query(path)
        self.status = status
        self.system_message = system_message
        self.reason = reason
        parts = [f"{self.method} {self.path}"]
        if status is not None:
            parts.append(f"answered {status}")
        if reason:
            parts.append(reason)
        text = ": ".join([parts[0], ", ".join(parts[1:])]) if len(parts) > 1 else parts[0]
        if system_message:
            text += f" (system says: {system_message})"
        super().__init__(text, field="request", value=f"{self.method} {self.path}")


class AuthenticationError(TrackAndTraceError):
    """401. The key is wrong, expired, limited to another API version, or not allowed for this license.

    A 401 never means "the record does not exist": Metrc answers 401 for a look-up of a number that is not valid
    for the license. Re-entering credentials is the fix; never fall back to another user's key.
    """


class AccessDeniedError(TrackAndTraceError):
    """403. The user's key works but lacks the permission for this call."""


class NotFoundError(TrackAndTraceError, LookupError):
    """404. The path or the record does not exist."""


class ValidationError(TrackAndTraceError):
    """400. The system refused the body; ``rows`` holds every message it sent, with the row it is about."""

    def __init__(self, method: str, path: str, *, status: int | None = 400, rows: tuple[RowMessage, ...] = ()) -> None:
        self.rows = rows
        joined = "; ".join(f"row {r.row}: {r.message}" if r.row is not None else r.message for r in rows)
        super().__init__(method, path, status=status, system_message=joined or None, reason="request refused")


class RateLimitedError(TrackAndTraceError):
    """429. ``retry_after`` is the wait in seconds the system asked for, or None when it said nothing."""

    retryable = True

    def __init__(self, method: str, path: str, *, retry_after: float | None, system_message: str | None = None) -> None:
        self.retry_after = retry_after
        wait = f"retry after {retry_after:g} s" if retry_after is not None else "no Retry-After given"
        super().__init__(method, path, status=429, system_message=system_message, reason=f"rate limited, {wait}")


class ServerError(TrackAndTraceError):
    """5xx. For a write, the outcome is unknown (see :class:`OutcomeUnknownError`). ``retry_after`` is the wait a
    ``Retry-After`` header asked for (a 503 may carry one), else None."""

    retryable = True
    retry_after: float | None = None


class RequestTimeoutError(TrackAndTraceError, TimeoutError):
    """A connect or read timeout, or the call's overall deadline. ``reached_server`` as for connection errors."""

    retryable = True

    def __init__(self, method: str, path: str, *, reached_server: bool, reason: str) -> None:
        self.reached_server = reached_server
        super().__init__(method, path, reason=reason)


class DeadlineExceededError(RequestTimeoutError):
    """The call's overall deadline passed (or no rate-limit slot came free before it): no more attempts."""

    retryable = False


class ConnectionFailedError(TrackAndTraceError):
    """The network failed. ``reached_server`` is False only when the request provably never left this machine."""

    retryable = True

    def __init__(self, method: str, path: str, *, reached_server: bool, reason: str) -> None:
        self.reached_server = reached_server
        super().__init__(method, path, reason=reason)


class UnexpectedResponseError(TrackAndTraceError):
    """The system answered something its documentation does not describe (malformed JSON, wrong types)."""


class OutcomeUnknownError(TrackAndTraceError):
    """A write (a receipt POST) may or may not have been stored: the request left us and no answer said which.

    Never re-send blindly: ask the system (``find_receipt`` with the external receipt number) and post again only
    when it answers that the receipt is absent. ``cause`` is the failure that left the outcome open.
    """

    def __init__(self, cause: TrackAndTraceError) -> None:
        self.cause = cause
        super().__init__(
            cause.method,
            cause.path,
            status=cause.status,
            system_message=cause.system_message,
            reason=f"outcome unknown after {type(cause).__name__}"
            + (f" ({cause.reason})" if cause.reason else "")
            + "; ask by external receipt number before posting again",
        )


class ResponseFormatError(ValueError):
    """Raised by a body parser when an answer does not have the documented shape; :func:`map_failure` types it
    as :class:`UnexpectedResponseError`. ``str()`` says what was wrong, naming the field (never a credential)."""


class SendError(Exception):
    """Raised by a "send one request" transport when the network failed; :func:`map_failure` types it.

    ``phase`` must be honest: ``"connect"`` only when no request byte can have reached the server (DNS failure,
    refused connection, TLS handshake failure, connect timeout). ``cause`` is the underlying exception. It holds
    no request data, so no credential can travel with it.
    """

    def __init__(self, phase: Phase, cause: BaseException) -> None:
        super().__init__(f"{phase} failed: {type(cause).__name__}")
        self.phase: Phase = phase
        self.cause = cause


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date; None when absent or unreadable.

    ``now`` is the current POSIX time (for the date form); a date in the past gives 0.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():  # delta-seconds (RFC 9110): ASCII digits only; '²' is a str digit
        return float(min(int(text), 10**9)) if len(text) <= 10 else 1e9  # int() refuses over 4,300 digits
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or when.tzinfo is None:
        return None
    if now is None:
        import time

        now = time.time()
    return max(0.0, when.timestamp() - now)


def _text_of(body: bytes) -> str:
    return body.decode("utf-8", errors="replace").strip()


def _message_from(item: Any) -> tuple[int | None, str] | None:
    if isinstance(item, str):
        return (None, item) if item.strip() else None
    if isinstance(item, Mapping):
        lowered = {str(k).lower(): v for k, v in item.items()}
        message = lowered.get("message")
        row = lowered.get("row")
        row_index = row if isinstance(row, int) and not isinstance(row, bool) else None
        if isinstance(message, str):
            return (row_index, message)
        if message is not None:
            return (row_index, json.dumps(message, default=str)[:_MAX_MESSAGE_CHARS])
    return None


def parse_error_rows(body: bytes) -> tuple[RowMessage, ...]:
    """Every message of an error body, in any shape Metrc uses.

    Shapes (metrc-api.md, "What existing open-source clients get wrong"): a list of strings, a list of
    ``{"message"}`` or ``{"row","message"}``, one ``{"Message"}`` object, plain text, or an empty body.
    """
    text = _text_of(body)
    if not text:
        return ()
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return (RowMessage(None, _short(text)),)
    items: list[Any]
    if isinstance(data, list):
        items = data
    elif isinstance(data, Mapping):
        lowered = {str(k).lower(): v for k, v in data.items()}
        nested = lowered.get("errors") or lowered.get("data")
        items = nested if isinstance(nested, list) else [data]
    elif isinstance(data, str):
        items = [data]
    else:
        return (RowMessage(None, _short(text)),)
    rows: list[RowMessage] = []
    for item in items:
        found = _message_from(item)
        if found is not None:
            rows.append(RowMessage(found[0], _short(found[1])))
    if not rows:
        rows.append(RowMessage(None, _short(text)))
    return tuple(rows)


def _describe_exception(exc: BaseException) -> str:
    if isinstance(exc, socket.gaierror):
        return "host name could not be resolved"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "TLS certificate verification failed"
    if isinstance(exc, ssl.SSLError):
        return "TLS failure"
    if isinstance(exc, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(exc, BrokenPipeError):
        return "connection closed by the server while sending"
    name = type(exc).__name__
    if name == "RemoteDisconnected":
        return "server closed the connection without answering"
    if name in ("BadStatusLine", "LineTooLong", "IncompleteRead", "HTTPException"):
        return f"broken HTTP answer ({name})"
    return f"network failure ({name})"


def map_failure(
    method: str,
    path: str,
    *,
    status: int | None = None,
    body: bytes = b"",
    headers: Mapping[str, str] | None = None,
    exception: BaseException | None = None,
    write: bool = False,
    now: float | None = None,
) -> TrackAndTraceError:
    """The one place that turns a failed call into a typed error.

    Give either the answer (``status``, ``body``, ``headers``) or the ``exception`` a transport raised. ``write``
    marks a non-idempotent request (a receipt POST): any failure after its bytes may have reached the server, a
    5xx, a read timeout, a dropped connection, is then wrapped in :class:`OutcomeUnknownError`. ``now`` (POSIX
    seconds) is used to read a ``Retry-After`` date.
    """
    error = _map(method, path, status=status, body=body, headers=headers, exception=exception, now=now)
    if exception is not None and error is not exception and error.__cause__ is None:
        # Keep the network failure for debugging (it holds no request data, so no credential).
        error.__cause__ = exception.cause if isinstance(exception, SendError) else exception
    if write and _may_have_been_stored(error):
        unknown = OutcomeUnknownError(error)
        unknown.__cause__ = error
        return unknown
    return error


def _may_have_been_stored(error: TrackAndTraceError) -> bool:
    if isinstance(error, OutcomeUnknownError):
        return False
    if isinstance(error, (ConnectionFailedError, RequestTimeoutError)):
        return error.reached_server
    if isinstance(error, ServerError):
        return True
    # An answer we could not read, or an exception of a kind we do not know: the server may have taken the bytes.
    # A 4xx (413, 405, ...) is a refusal: nothing was stored.
    if isinstance(error, UnexpectedResponseError):
        return error.status is None or not 400 <= error.status <= 499
    return False


def _map(
    method: str,
    path: str,
    *,
    status: int | None,
    body: bytes,
    headers: Mapping[str, str] | None,
    exception: BaseException | None,
    now: float | None,
) -> TrackAndTraceError:
    if exception is not None:
        if isinstance(exception, TrackAndTraceError):
            return exception
        if isinstance(exception, SendError):
            reached = exception.phase != "connect"
            cause = exception.cause
            if isinstance(cause, (TimeoutError, socket.timeout)):
                what = "connect timeout" if not reached else "read timeout"
                return RequestTimeoutError(method, path, reached_server=reached, reason=what)
            return ConnectionFailedError(
                method, path, reached_server=reached, reason=f"{_describe_exception(cause)} during {exception.phase}"
            )
        if isinstance(exception, ResponseFormatError):
            return UnexpectedResponseError(method, path, status=status, reason=_short(str(exception)))
        if isinstance(exception, (TimeoutError, socket.timeout)):
            return RequestTimeoutError(method, path, reached_server=True, reason="timeout")
        if isinstance(exception, OSError):
            return ConnectionFailedError(method, path, reached_server=True, reason=_describe_exception(exception))
        return UnexpectedResponseError(method, path, reason=f"transport raised {type(exception).__name__}")
    if status is None:
        return UnexpectedResponseError(method, path, reason="no status and no exception")
    rows = parse_error_rows(body)
    message = "; ".join(r.message for r in rows) or None
    if status == 400:
        return ValidationError(method, path, rows=rows)
    if status == 401:
        return AuthenticationError(method, path, status=401, system_message=message, reason="not authenticated")
    if status == 403:
        return AccessDeniedError(method, path, status=403, system_message=message, reason="permission denied")
    if status == 404:
        return NotFoundError(method, path, status=404, system_message=message, reason="not found")
    if status == 429:
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        return RateLimitedError(
            method, path, retry_after=parse_retry_after(lowered.get("retry-after"), now=now), system_message=message
        )
    if 500 <= status <= 599:
        server = ServerError(method, path, status=status, system_message=message, reason="server error")
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        server.retry_after = parse_retry_after(lowered.get("retry-after"), now=now)
        return server
    if 200 <= status <= 299:
        return UnexpectedResponseError(method, path, status=status, system_message=message, reason="unreadable answer")
    return UnexpectedResponseError(method, path, status=status, system_message=message, reason="unexpected status")
