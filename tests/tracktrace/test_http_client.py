"""The http.client transport refuses plain HTTP beyond loopback and URLs with credentials before any socket
is opened, and tells the connect phase apart (a refused connection on 127.0.0.1)."""

from __future__ import annotations

import pytest

from fe_compliance.errors import InvalidValueError
from fe_compliance.testing.fake_metrc import free_loopback_port
from fe_compliance.tracktrace import HttpRequest, SendError, Timeouts
from fe_compliance.tracktrace.http_client import HttpClientTransport, is_loopback_host


@pytest.mark.parametrize(
    "url",
    ["http://api-ma.metrc.com/x", "http://10.0.0.1/x", "https://user:pw@api-ma.metrc.com/x", "ftp://127.0.0.1/x", "/x"],
)
def test_unsafe_urls_are_refused_before_connecting(url: str) -> None:
    with pytest.raises(InvalidValueError):
        HttpClientTransport().handle_request(HttpRequest("GET", url), Timeouts(0.2, 0.2))


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.5.6.7", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("api-ma.metrc.com", False),
        ("10.0.0.1", False),
        ("localhost.example", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_a_refused_connection_is_a_connect_phase_failure() -> None:
    port = free_loopback_port()
    with pytest.raises(SendError) as info:
        HttpClientTransport().handle_request(HttpRequest("POST", f"http://127.0.0.1:{port}/x"), Timeouts(0.5, 0.5))
    assert info.value.phase == "connect" and isinstance(info.value.cause, ConnectionRefusedError)
