"""The default "send one request" transport: the standard library's ``http.client`` with keep-alive connections.

One idle-connection pool per (scheme, host, port). Each request is sent exactly once; the transport never retries.
Its one subtle duty is to tell the adapter honestly *where* a failure happened (see
:class:`~fe_compliance.tracktrace.errors.SendError`):

* ``connect``: DNS resolution, the TCP connect and the TLS handshake, done explicitly before any request byte is
  written. A failure here provably never reached the server.
* ``send``: writing the request. Some bytes may have reached the server.
* ``receive``: waiting for and reading the answer. A connection taken from the pool that the server closed while
  we were writing shows up here (the request went into a dead socket, or a half-closed one the server may have
  read), so a POST on a stale keep-alive connection is never taken for "never sent". To make that rare, a pooled
  connection that shows any sign of having been closed while idle is discarded before a byte is written.

``http.client`` opens a closed connection by itself inside ``request()``; that would hide a connect failure
inside the send phase, so it is switched off (``auto_open = 0``) and the transport connects itself.

TLS verification is on: the default context is ``ssl.create_default_context()``. Plain HTTP is refused except to
a loopback address. Never set ``http.client``'s ``debuglevel``: it prints request headers, credentials included.
"""

from __future__ import annotations

import functools
import http.client
import io
import ipaddress
import select
import socket
import ssl
import threading
import time
import urllib.parse
from typing import Any

from ..errors import InvalidValueError
from .errors import SendError
from .transport import HttpRequest, HttpResponse, Timeouts

__all__ = ["HttpClientTransport", "is_loopback_host"]

_Key = tuple[str, str, int]


def is_loopback_host(host: str) -> bool:
    """True for ``localhost`` and loopback IP literals (127.0.0.0/8, ::1)."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class _AnswerBudget:
    """The connection's socket as an answer reads it: every ``recv_into`` waits only for what is left of the
    read timeout, so the timeout bounds the whole answer (status line, headers, body), not each ``recv``. A
    server trickling bytes just within the timeout would otherwise keep a call past its deadline."""

    __slots__ = ("_sock", "_until")

    def __init__(self, sock: socket.socket, until: float) -> None:
        self._sock = sock
        self._until = until

    def makefile(self, mode: str = "rb") -> io.BufferedReader:
        return io.BufferedReader(socket.SocketIO(self, "rb"))  # type: ignore[arg-type]

    def recv_into(self, buffer: Any, nbytes: int = 0) -> int:
        left = self._until - time.monotonic()
        if left <= 0:
            raise TimeoutError("the answer took longer than the read timeout")
        self._sock.settimeout(left)
        return self._sock.recv_into(buffer, nbytes) if nbytes else self._sock.recv_into(buffer)

    def fileno(self) -> int:
        return self._sock.fileno()

    def _decref_socketios(self) -> None:
        """The real socket gave out no file: closing the answer's reader leaves it open for keep-alive."""


def _looks_closed(sock: socket.socket) -> bool:
    """Whether an idle keep-alive socket has something to read: an idle HTTP connection never should, so
    readable means the server closed it (EOF, a reset, a TLS close_notify). Checked before reuse; a close that
    races with our write is still caught later as a failure of the ``receive`` phase."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _budgeted_response(sock: socket.socket, *args: Any, until: float, **kwargs: Any) -> http.client.HTTPResponse:
    return http.client.HTTPResponse(_AnswerBudget(sock, until), *args, **kwargs)  # type: ignore[arg-type]


class HttpClientTransport:
    """Keep-alive ``http.client`` connections per host, at most ``max_idle_per_host`` kept idle."""

    def __init__(self, *, ssl_context: ssl.SSLContext | None = None, max_idle_per_host: int = 10) -> None:
        self._ssl_context = ssl_context if ssl_context is not None else ssl.create_default_context()
        if self._ssl_context.verify_mode != ssl.CERT_REQUIRED or not self._ssl_context.check_hostname:
            raise InvalidValueError("ssl_context", "verification off", "TLS verification must stay on")
        self._max_idle = max_idle_per_host
        self._idle: dict[_Key, list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        with self._lock:
            idle = sum(len(pool) for pool in self._idle.values())
        return f"HttpClientTransport(idle_connections={idle})"

    @staticmethod
    def _target(url: str) -> tuple[_Key, str]:
        parts = urllib.parse.urlsplit(url)
        scheme = parts.scheme.lower()
        host = parts.hostname or ""
        if scheme not in ("http", "https") or not host:
            raise InvalidValueError("url", parts.path, "must be an absolute http(s) URL")
        if parts.username or parts.password:
            raise InvalidValueError("url", parts.path, "must not carry credentials")
        if scheme == "http" and not is_loopback_host(host):
            raise InvalidValueError("url", f"http://{host}", "plain HTTP is allowed only to a loopback address")
        port = parts.port or (443 if scheme == "https" else 80)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        return (scheme, host, port), target

    def _checkout(self, key: _Key) -> http.client.HTTPConnection | None:
        with self._lock:
            pool = self._idle.get(key)
            return pool.pop() if pool else None

    def _checkin(self, key: _Key, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            pool = self._idle.setdefault(key, [])
            if len(pool) < self._max_idle:
                pool.append(connection)
                return
        connection.close()

    def _connect(self, key: _Key, timeouts: Timeouts) -> http.client.HTTPConnection:
        scheme, host, port = key
        connection: http.client.HTTPConnection
        if scheme == "https":
            connection = http.client.HTTPSConnection(host, port, timeout=timeouts.connect, context=self._ssl_context)
        else:
            connection = http.client.HTTPConnection(host, port, timeout=timeouts.connect)
        try:
            connection.connect()  # DNS + TCP + TLS handshake: nothing of the request has been written yet
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            raise SendError("connect", exc) from None
        connection.auto_open = 0  # never reconnect silently inside request()
        if connection.sock is not None:
            connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection

    def handle_request(self, request: HttpRequest, timeouts: Timeouts) -> HttpResponse:
        """Send ``request`` once on a pooled or new connection; raise ``SendError`` with the honest phase."""
        key, target = self._target(request.url)
        connection = self._checkout(key)
        while connection is not None and (connection.sock is None or _looks_closed(connection.sock)):
            connection.close()  # the server closed it while idle: discard before writing a byte
            connection = self._checkout(key)
        if connection is None:
            connection = self._connect(key, timeouts)
        assert connection.sock is not None
        connection.sock.settimeout(timeouts.read)
        until = time.monotonic() + timeouts.read  # the read timeout bounds sending and the whole answer
        try:
            # Header values go in as given: a SecretHeader is encoded by str.encode (its real text) while its
            # repr stays redacted, so no plain copy of a credential is made here.
            connection.request(request.method, target, body=request.body or None, headers=dict(request.headers))
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            raise SendError("send", exc) from None
        # getresponse() builds the answer's reader from the socket it is given: give it the budgeted view.
        connection.response_class = functools.partial(  # type: ignore[assignment]
            _budgeted_response, until=until
        )
        try:
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            raise SendError("receive", exc) from None
        answer = HttpResponse(response.status, dict(response.getheaders()), body)
        if response.will_close:
            connection.close()
        else:
            self._checkin(key, connection)
        return answer

    def close(self) -> None:
        """Close every idle connection."""
        with self._lock:
            pools = list(self._idle.values())
            self._idle.clear()
        for pool in pools:
            for connection in pool:
                connection.close()
