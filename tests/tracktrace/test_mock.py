"""MockTransport records requests and answers through the handler; the protocols are runtime-checkable."""

from __future__ import annotations

import pytest

from fe_compliance.errors import InvalidValueError
from fe_compliance.tracktrace import (
    FindsReceipts,
    HttpRequest,
    HttpResponse,
    HttpTransport,
    MockTransport,
    SecretHeader,
    SendError,
    Timeouts,
    TrackAndTrace,
)


def test_mock_transport_answers_and_records() -> None:
    def handler(request: HttpRequest) -> HttpResponse:
        return HttpResponse(201 if request.method == "POST" else 200, {"X": "1"}, request.body)

    mock = MockTransport(handler)
    assert isinstance(mock, HttpTransport)
    answer = mock.handle_request(HttpRequest("POST", "https://h/p", {}, b"abc"), Timeouts())
    assert answer.status == 201 and answer.body == b"abc" and answer.header("x") == "1"
    assert [r.method for r in mock.requests] == ["POST"]
    mock.close()
    assert mock.closed


def test_mock_transport_lets_send_errors_through() -> None:
    def handler(request: HttpRequest) -> HttpResponse:
        raise SendError("connect", ConnectionRefusedError())

    with pytest.raises(SendError):
        MockTransport(handler).handle_request(HttpRequest("GET", "https://h/p"), Timeouts())


def test_secret_headers_never_show() -> None:
    secret = SecretHeader("Basic c2VjcmV0OmtleQ==")
    request = HttpRequest("GET", "https://h/p", {"Authorization": secret})
    for text in (
        repr(secret),
        str(secret),
        f"{secret}",
        "%s" % (secret,),  # noqa: UP031
        repr(request),
        repr(dict(request.headers)),
    ):
        assert "c2VjcmV0" not in text
    assert secret.reveal() == "Basic c2VjcmV0OmtleQ=="
    assert secret.encode("latin-1") == b"Basic c2VjcmV0OmtleQ=="


def test_protocols_are_runtime_checkable() -> None:
    class OnlyPosts:
        def post_sale(self, sale: object) -> object:
            return None

        def void_sale(self, receipt_id: str) -> None:
            return None

    assert isinstance(OnlyPosts(), TrackAndTrace)
    assert not isinstance(OnlyPosts(), FindsReceipts)


@pytest.mark.parametrize("value", [0, -1, float("inf"), "1", True])
def test_timeouts_are_checked(value: object) -> None:
    with pytest.raises(InvalidValueError):
        Timeouts(connect=value)  # type: ignore[arg-type]
