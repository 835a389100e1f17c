"""map_failure is the one place failures become typed errors; every body shape of the reference is read."""

from __future__ import annotations

import datetime as dt
import socket
import ssl
from email.utils import format_datetime

import pytest

from fe_compliance.errors import FEComplianceError
from fe_compliance.tracktrace.errors import (
    AccessDeniedError,
    AuthenticationError,
    ConnectionFailedError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitedError,
    RequestTimeoutError,
    RowMessage,
    SendError,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
    map_failure,
    parse_error_rows,
    parse_retry_after,
    path_without_query,
)

PATH = "/sales/v2/receipts?licenseNumber=LIC-SECRET-1"


def test_the_path_never_keeps_its_query_string() -> None:
    error = map_failure("post", PATH, status=500, body=b"")
    assert error.path == "/sales/v2/receipts"
    assert "LIC-SECRET-1" not in str(error) and "LIC-SECRET-1" not in repr(error.args)
    assert error.method == "POST"
    assert path_without_query("https://api-ma.metrc.com/items/v2/active?x=1#f") == "/items/v2/active"


@pytest.mark.parametrize(
    ("body", "rows"),
    [
        (
            b'[{"row":0,"message":"Package ABC is not active."},{"row":2,"message":"Bad unit."}]',
            (RowMessage(0, "Package ABC is not active."), RowMessage(2, "Bad unit.")),
        ),
        (b'[{"message":"No receipt."}]', (RowMessage(None, "No receipt."),)),
        (b'["first problem","second"]', (RowMessage(None, "first problem"), RowMessage(None, "second"))),
        (b'{"Message":"An error has occurred."}', (RowMessage(None, "An error has occurred."),)),
        (b"Sales date is in the future.", (RowMessage(None, "Sales date is in the future."),)),
        (b"", ()),
        (b"   ", ()),
        (b"[1, null, {}]", (RowMessage(None, "[1, null, {}]"),)),
        (b'{"Row": 3, "Message": "x"}', (RowMessage(3, "x"),)),
    ],
)
def test_every_error_body_shape(body: bytes, rows: tuple[RowMessage, ...]) -> None:
    assert parse_error_rows(body) == rows
    error = map_failure("POST", PATH, status=400, body=body)
    assert isinstance(error, ValidationError)
    assert error.rows == rows
    for row in rows:
        assert row.message in str(error)


def test_401_plain_text_v1_only_body() -> None:
    body = b"The provided API key is only valid for V1 API endpoints."
    error = map_failure("GET", "/sales/v2/receipts/external/X?licenseNumber=L", status=401, body=body)
    assert isinstance(error, AuthenticationError)
    assert not isinstance(error, LookupError)  # a 401 never means absent
    assert error.system_message == body.decode()
    assert "only valid for V1" in str(error) and "401" in str(error)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (401, AuthenticationError),
        (403, AccessDeniedError),
        (404, NotFoundError),
        (500, ServerError),
        (503, ServerError),
        (502, ServerError),
        (405, UnexpectedResponseError),
        (413, UnexpectedResponseError),
        (302, UnexpectedResponseError),
        (200, UnexpectedResponseError),
    ],
)
def test_status_mapping(status: int, cls: type[Exception]) -> None:
    error = map_failure("GET", "/x", status=status, body=b'{"Message":"m"}')
    assert type(error) is cls
    assert error.status == status and error.system_message == "m"
    assert isinstance(error, FEComplianceError)


def test_429_carries_the_wait_in_both_forms() -> None:
    assert map_failure("GET", "/x", status=429, headers={"Retry-After": "7"}).retry_after == 7.0  # type: ignore[attr-defined]
    now = 1_700_000_000.0
    when = format_datetime(dt.datetime.fromtimestamp(now + 30, dt.UTC), usegmt=True)
    error = map_failure("GET", "/x", status=429, headers={"retry-after": when}, now=now)
    assert isinstance(error, RateLimitedError) and error.retry_after == pytest.approx(30.0)
    none = map_failure("GET", "/x", status=429)
    assert isinstance(none, RateLimitedError) and none.retry_after is None
    assert parse_retry_after("garbage") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=now) == 0.0


@pytest.mark.parametrize("odd", ["\u00b2", "1\u00b2", "\u0663", "1" * 5000, "+5", "-1", "1e3", "3.5", "0x10"])
def test_an_odd_retry_after_is_unreadable_never_an_untyped_error(odd: str) -> None:
    # RFC 9110: delta-seconds is ASCII digits. '\u00b2' (a latin-1 byte http.client passes through) is a
    # "digit" to str.isdigit but not to int(); 5,000 digits pass int()'s digit limit.
    error = map_failure("GET", "/x", status=429, headers={"Retry-After": odd})
    assert isinstance(error, RateLimitedError)
    assert error.retry_after is None or (odd == "1" * 5000 and error.retry_after >= 10**9)


@pytest.mark.parametrize(
    ("exc", "cls", "reached"),
    [
        (SendError("connect", socket.gaierror(-2, "Name or service not known")), ConnectionFailedError, False),
        (SendError("connect", ConnectionRefusedError(111, "refused")), ConnectionFailedError, False),
        (SendError("connect", ssl.SSLError(1, "handshake")), ConnectionFailedError, False),
        (SendError("connect", TimeoutError("timed out")), RequestTimeoutError, False),
        (SendError("send", BrokenPipeError(32, "pipe")), ConnectionFailedError, True),
        (SendError("receive", ConnectionResetError(104, "reset")), ConnectionFailedError, True),
        (SendError("receive", TimeoutError("timed out")), RequestTimeoutError, True),
        (ConnectionResetError(104, "reset"), ConnectionFailedError, True),
    ],
)
def test_network_failures(exc: BaseException, cls: type[Exception], reached: bool) -> None:
    error = map_failure("GET", "/x", exception=exc)
    assert type(error) is cls
    assert error.reached_server is reached  # type: ignore[attr-defined]
    written = map_failure("POST", "/sales/v2/receipts", exception=exc, write=True)
    if reached:
        assert isinstance(written, OutcomeUnknownError) and type(written.cause) is cls
    else:
        assert type(written) is cls  # provably never reached the server: safe to re-send


@pytest.mark.parametrize("status", [500, 503, 502])
def test_a_5xx_on_a_write_leaves_the_outcome_unknown(status: int) -> None:
    error = map_failure("POST", PATH, status=status, body=b"", write=True)
    assert isinstance(error, OutcomeUnknownError)
    assert isinstance(error.cause, ServerError)
    assert "external receipt number" in str(error)
    assert not error.retryable


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 413, 429])
def test_a_4xx_on_a_write_is_a_refusal_not_unknown(status: int) -> None:
    assert not isinstance(map_failure("POST", PATH, status=status, write=True), OutcomeUnknownError)


def test_an_unknown_exception_is_typed() -> None:
    error = map_failure("GET", "/x", exception=RuntimeError("boom"))
    assert isinstance(error, UnexpectedResponseError)
    assert isinstance(map_failure("POST", "/x", exception=RuntimeError("boom"), write=True), OutcomeUnknownError)


def test_a_huge_message_is_cut() -> None:
    error = map_failure("GET", "/x", status=500, body=b"x" * 100_000)
    assert len(str(error)) < 1000


def test_the_network_failure_stays_as_the_cause() -> None:
    reset = ConnectionResetError(104, "reset")
    error = map_failure("GET", "/x", exception=SendError("receive", reset))
    assert error.__cause__ is reset
    unknown = map_failure("POST", "/x", exception=SendError("receive", reset), write=True)
    assert isinstance(unknown, OutcomeUnknownError) and unknown.__cause__ is unknown.cause
    assert unknown.cause.__cause__ is reset
