"""The http.client transport refuses plain HTTP beyond loopback and URLs with credentials before any socket
is opened, and tells the connect phase apart (a refused connection on 127.0.0.1)."""

from __future__ import annotations

import socket
import threading

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


def test_an_answer_dripping_in_slower_than_the_read_timeout_is_a_receive_timeout() -> None:
    # Each byte comes well within the read timeout, the whole answer never does: the read timeout bounds the
    # answer, not one recv(), or a trickling server would keep a call past its deadline.
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n")
            for _ in range(40):
                if stop.wait(0.05):
                    return
                try:
                    conn.sendall(b"x")
                except OSError:
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with pytest.raises(SendError) as info:
            HttpClientTransport().handle_request(
                HttpRequest("GET", f"http://127.0.0.1:{port}/slow"), Timeouts(connect=0.5, read=0.3)
            )
        assert info.value.phase == "receive" and isinstance(info.value.cause, TimeoutError)
    finally:
        stop.set()
        thread.join(5)
        listener.close()
