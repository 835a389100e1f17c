"""A real HTTP/1.1 server on 127.0.0.1 for fake track-and-trace systems, with scripted faults.

This is the generic half of the fake servers (the fake Metrc now, a fake BioTrack later): it owns the sockets, the
thread per connection, keep-alive, optional TLS and fault injection; an *application* object answers the requests.
It is written on the standard library's ``socketserver`` with its own small HTTP parser, because the fault
injection needs control that ``http.server`` does not give (resetting a connection after the request head was
read but before its body was, writing a response in exactly one ``send`` so latency benchmarks measure the client
and not the fake).

Why a real server and not a mock: the failures that lose or double a receipt live in the transport (a reset on a
reused keep-alive connection, a read timeout after the server stored the sale). Only real sockets produce them.

Nothing here logs or records request headers: ``Authorization`` carries credentials.
"""

from __future__ import annotations

import contextlib
import email.utils
import fnmatch
import logging
import random
import socket
import socketserver
import ssl
import struct
import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from enum import Enum
from typing import Any, BinaryIO, Protocol, cast
from urllib.parse import parse_qsl

import attrs

from fe_compliance.errors import InvalidValueError

__all__ = [
    "FakeHTTPServer",
    "Fault",
    "FaultKind",
    "FaultPlan",
    "HTTPApplication",
    "Pause",
    "Request",
    "Response",
    "free_loopback_port",
]

_log = logging.getLogger("fe_compliance.testing.fake_http")

LOOPBACK = "127.0.0.1"
_MAX_LINE = 65536
_MAX_HEADERS = 100
_MAX_BODY = 64 * 1024 * 1024
_REASONS = {
    100: "Continue", 200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 411: "Length Required", 413: "Payload Too Large", 414: "URI Too Long",
    429: "Too Many Requests", 431: "Request Header Fields Too Large", 500: "Internal Server Error",
    501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
}


@attrs.frozen(slots=True)
class Request:
    """One request as the application sees it. ``path`` is as sent (percent-encoded; decode each segment after
    splitting on ``/``); ``headers`` has lower-case names and is never logged or recorded."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: dict[str, str] = attrs.field(repr=False)
    body: bytes = attrs.field(repr=False)
    _query_index: dict[str, str] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        index: dict[str, str] = {}
        for key, value in self.query:
            index.setdefault(key.lower(), value)
        object.__setattr__(self, "_query_index", index)

    def query_value(self, name: str) -> str | None:
        """The first value of a query parameter, matched case-insensitively (as ASP.NET servers do)."""
        return self._query_index.get(name.lower())


@attrs.frozen(slots=True)
class Response:
    """What the application answers: a status, a body and its type, and any extra headers."""

    status: int
    body: bytes = b""
    content_type: str | None = "application/json; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


class HTTPApplication(Protocol):
    """What a fake system implements: answer one request; told afterwards what the transport did with it."""

    def handle(self, request: Request) -> Response:
        """Answer ``request`` (acting on it: storing a receipt happens here)."""
        ...

    def record(self, request: Request, response: Response | None, fault: Fault | None, acted: bool) -> None:
        """Note that ``request`` was received. ``response`` is what was (or would have been) sent, ``None`` if the
        connection was reset instead; ``acted`` says whether :meth:`handle` ran."""
        ...


class FaultKind(Enum):
    """Every failure the fake can inject. The docstring of each :class:`Fault` constructor says what it does."""

    STATUS = "status"
    SLOW = "slow"
    RESET_BEFORE_READ = "reset_before_read"
    RESET_AFTER_READ = "reset_after_read"
    MALFORMED_JSON = "malformed_json"
    EMPTY_BODY = "empty_body"
    DROP_AFTER_STORE = "drop_after_store"
    PAUSE_AFTER_STORE = "pause_after_store"


class Pause:
    """The handle of a pause-after-store fault: ``reached`` is set once the request took effect and the server
    is holding its response; the server answers once ``release`` is set (or ``timeout`` seconds passed, or the
    server stops). A test waits on ``reached``, kills its client, then sets ``release``."""

    def __init__(self, timeout: float = 30.0) -> None:
        self.reached = threading.Event()
        self.release = threading.Event()
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"Pause(reached={self.reached.is_set()}, released={self.release.is_set()})"


# Faults that answer instead of the application: the request never takes effect.
_PRE_EMPTIVE = frozenset({FaultKind.STATUS, FaultKind.RESET_BEFORE_READ, FaultKind.RESET_AFTER_READ})


@attrs.frozen(slots=True)
class Fault:
    """One injected failure. Build it with the class methods, then :meth:`FaultPlan.script` or
    :meth:`FaultPlan.randomly` it. Faults that happen *after* the request took effect (slow, malformed, empty,
    drop, pause) let a test check that a client which saw a failure did not post the receipt twice."""

    kind: FaultKind
    status: int = 200
    body: bytes | None = None
    content_type: str | None = "application/json; charset=utf-8"
    retry_after: str | None = None
    delay: float = 0.0
    pause: Pause | None = attrs.field(default=None, eq=False)

    @property
    def acts(self) -> bool:
        """Whether the request takes effect (the application handles it) under this fault."""
        return self.kind not in _PRE_EMPTIVE

    @classmethod
    def error(
        cls, status: int, body: bytes | str | None = None, *, content_type: str | None = None,
        retry_after: str | None = None,
    ) -> Fault:
        """Answer ``status`` without acting on the request. ``body`` defaults to ``{"Message": ...}`` JSON; a
        ``str`` body is sent as plain text unless ``content_type`` says otherwise."""
        if not 100 <= status <= 599:
            raise InvalidValueError("status", status, "an HTTP status is between 100 and 599")
        if body is None:
            reason = _REASONS.get(status, "Error")
            data = b'{"Message":"' + reason.encode() + b' (injected by the fake server)."}'
            kind = content_type or "application/json; charset=utf-8"
        elif isinstance(body, str):
            data = body.encode()
            kind = content_type or "text/plain; charset=utf-8"
        else:
            data = body
            kind = content_type or "application/json; charset=utf-8"
        return cls(FaultKind.STATUS, status=status, body=data, content_type=kind, retry_after=retry_after)

    @classmethod
    def server_error(cls) -> Fault:
        """500, request not acted on."""
        return cls.error(500)

    @classmethod
    def unavailable(cls, retry_after: float | datetime | None = None) -> Fault:
        """503, request not acted on, optionally with ``Retry-After``."""
        return cls.error(503, retry_after=_retry_after_text(retry_after))

    @classmethod
    def rate_limited(cls, retry_after: float | datetime | None = None) -> Fault:
        """429, request not acted on. ``retry_after`` in seconds (sent as a whole number of seconds, rounded up)
        or as an aware datetime (sent as an HTTP date); ``None`` sends no ``Retry-After`` header."""
        return cls.error(429, retry_after=_retry_after_text(retry_after))

    @classmethod
    def slow(cls, delay: float) -> Fault:
        """Act on the request, then wait ``delay`` seconds before answering (longer than a client's read
        timeout: the client gives up although the receipt was stored)."""
        if not delay >= 0:
            raise InvalidValueError("delay", delay, "a delay is a number of seconds, zero or more")
        return cls(FaultKind.SLOW, delay=delay)

    @classmethod
    def reset_before_read(cls) -> Fault:
        """Read the request line and headers (to match the fault), then reset the connection (TCP RST) without
        reading the body or acting on the request."""
        return cls(FaultKind.RESET_BEFORE_READ)

    @classmethod
    def reset_after_read(cls) -> Fault:
        """Read the whole request, then reset the connection without acting on it."""
        return cls(FaultKind.RESET_AFTER_READ)

    @classmethod
    def malformed_json(cls, status: int = 200) -> Fault:
        """Act on the request, then answer ``status`` with a body that is not valid JSON (cut mid-object)."""
        return cls(FaultKind.MALFORMED_JSON, status=status, body=b'{"Data":[{"Id":1,"Name":')

    @classmethod
    def empty_body(cls, status: int = 200) -> Fault:
        """Act on the request, then answer ``status`` with an empty JSON-typed body."""
        return cls(FaultKind.EMPTY_BODY, status=status, body=b"")

    @classmethod
    def drop_after_store(cls) -> Fault:
        """Act on the request (a receipt is stored), then reset the connection with no response at all."""
        return cls(FaultKind.DROP_AFTER_STORE)

    @classmethod
    def pause_after_store(cls, timeout: float = 30.0) -> Fault:
        """Act on the request, set ``fault.pause.reached``, and hold the response until ``fault.pause.release``
        is set (at most ``timeout`` seconds); then answer normally if the client is still there."""
        return cls(FaultKind.PAUSE_AFTER_STORE, pause=Pause(timeout))


def _retry_after_text(value: float | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise InvalidValueError("retry_after", value, "an HTTP date needs an aware datetime")
        return email.utils.format_datetime(value.astimezone(UTC), usegmt=True)
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise InvalidValueError("retry_after", value, "Retry-After is a number of seconds, zero or more")
    seconds = int(value)
    return str(seconds if seconds == value else seconds + 1)


@attrs.frozen(slots=True)
class _Rule:
    fault: Fault
    method: str | None
    path: str | None

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (
            self.path is None or fnmatch.fnmatchcase(path, self.path)
        )


class FaultPlan:
    """Which requests fail and how: a script of faults consumed in order by the requests they match, then
    faults drawn at random with a seeded generator (so a failing run can be replayed).

    ``method`` matches exactly (``"POST"``), ``path`` is a shell-style pattern on the path without the query
    (``"/sales/v2/receipts"``, ``"/sales/v*/receipts*"``); ``None`` matches anything.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._script: list[_Rule] = []
        self._random: list[tuple[float, tuple[Fault, ...], _Rule]] = []
        self._rng = random.Random(0)
        self.injected: list[tuple[str, str, FaultKind]] = []
        self._connection_resets = 0
        self.connections_reset = 0

    def script(self, *faults: Fault, method: str | None = None, path: str | None = None, times: int = 1) -> None:
        """Queue ``faults`` (each ``times`` times, in order) for the next matching requests."""
        if times < 1:
            raise InvalidValueError("times", times, "a fault is queued at least once")
        with self._lock:
            for fault in faults:
                self._script.extend(_Rule(fault, method and method.upper(), path) for _ in range(times))

    def randomly(
        self, rate: float, faults: Iterable[Fault], *, seed: int = 0, method: str | None = None,
        path: str | None = None,
    ) -> None:
        """With probability ``rate``, fail a matching request with one of ``faults`` (chosen uniformly)."""
        chosen = tuple(faults)
        if not 0.0 <= rate <= 1.0:
            raise InvalidValueError("rate", rate, "a probability is between 0 and 1")
        if not chosen:
            raise InvalidValueError("faults", chosen, "give at least one fault to draw from")
        with self._lock:
            self._rng = random.Random(seed)
            self._random.append((rate, chosen, _Rule(chosen[0], method and method.upper(), path)))

    def reset_connections(self, count: int = 1) -> None:
        """Reset the next ``count`` new connections as soon as they are accepted, before a byte is read (a server
        that accepted the TCP connection and died). A keep-alive connection already open is not affected."""
        if count < 1:
            raise InvalidValueError("count", count, "reset at least one connection")
        with self._lock:
            self._connection_resets += count

    def take_connection_reset(self) -> bool:
        """Whether a newly accepted connection is to be reset (one queued reset is used up)."""
        if not self._connection_resets:
            return False
        with self._lock:
            if self._connection_resets:
                self._connection_resets -= 1
                self.connections_reset += 1
                return True
        return False

    def clear(self) -> None:
        """Forget every scripted and random fault."""
        with self._lock:
            self._script.clear()
            self._random.clear()
            self._connection_resets = 0

    @property
    def pending(self) -> int:
        """How many scripted faults are still waiting for a request."""
        with self._lock:
            return len(self._script)

    def take(self, method: str, path: str) -> Fault | None:
        """The fault for this request, if any (a scripted one is used up)."""
        if not self._script and not self._random:
            return None
        with self._lock:
            for index, rule in enumerate(self._script):
                if rule.matches(method, path):
                    del self._script[index]
                    self.injected.append((method, path, rule.fault.kind))
                    return rule.fault
            for rate, faults, rule in self._random:
                if rule.matches(method, path) and self._rng.random() < rate:
                    fault = faults[self._rng.randrange(len(faults))]
                    self.injected.append((method, path, fault.kind))
                    return fault
        return None


class _BadRequestError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _read_head(rfile: BinaryIO) -> tuple[str, str, str, dict[str, str]] | None:
    """Method, target, version and lower-cased headers of the next request; ``None`` on a cleanly closed line."""
    line = rfile.readline(_MAX_LINE + 1)
    while line in (b"\r\n", b"\n"):  # tolerate stray blank lines between requests (RFC 9112 2.2)
        line = rfile.readline(_MAX_LINE + 1)
    if not line:
        return None
    if len(line) > _MAX_LINE:
        raise _BadRequestError(414, "request line too long")
    parts = line.decode("latin-1").split()
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise _BadRequestError(400, "malformed request line")
    headers: dict[str, str] = {}
    for _ in range(_MAX_HEADERS + 1):
        raw = rfile.readline(_MAX_LINE + 1)
        if raw in (b"\r\n", b"\n", b""):
            return parts[0], parts[1], parts[2], headers
        name, sep, value = raw.decode("latin-1").partition(":")
        if not sep or not name or name != name.strip():
            raise _BadRequestError(400, "malformed header line")
        key = name.lower()
        value = value.strip()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    raise _BadRequestError(431, "too many header lines")


def _read_body(rfile: BinaryIO, headers: dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        chunks: list[bytes] = []
        total = 0
        while True:
            size_line = rfile.readline(_MAX_LINE + 1)
            try:
                size = int(size_line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise _BadRequestError(400, "malformed chunk size") from None
            if size == 0:
                while rfile.readline(_MAX_LINE + 1) not in (b"\r\n", b"\n", b""):
                    pass  # trailers are ignored
                return b"".join(chunks)
            total += size
            if total > _MAX_BODY:
                raise _BadRequestError(413, "body too large")
            chunks.append(rfile.read(size))
            rfile.readline(_MAX_LINE + 1)
    length_text = headers.get("content-length")
    if length_text is None:
        return b""
    try:
        length = int(length_text)
    except ValueError:
        raise _BadRequestError(400, "malformed Content-Length") from None
    if length < 0:
        raise _BadRequestError(400, "malformed Content-Length")
    if length > _MAX_BODY:
        raise _BadRequestError(413, "body too large")
    body = rfile.read(length)
    if len(body) != length:
        raise ConnectionError("client closed the connection mid-body")
    return body


def _split_target(target: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Path (as sent: still percent-encoded, so an encoded ``/`` inside a segment stays inside it) and decoded query
    pairs of a request target; the common case (nothing encoded) without ``urllib.parse``, which costs more than
    the rest of answering a page."""
    raw_path, _, raw_query = target.partition("?")
    raw_path = raw_path.partition("#")[0]
    if "://" in raw_path:  # absolute-form target (RFC 9112 3.2.2)
        raw_path = "/" + raw_path.split("://", 1)[1].partition("/")[2]
    path = raw_path
    if not raw_query:
        return path, ()
    raw_query = raw_query.partition("#")[0]
    if "%" in raw_query or "+" in raw_query:
        return path, tuple(parse_qsl(raw_query, keep_blank_values=True))
    pairs = []
    for part in raw_query.split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((name, value))
    return path, tuple(pairs)


def _encode(response: Response, *, keep_alive: bool, body: bytes | None = None) -> bytes:
    payload = response.body if body is None else body
    lines = [f"HTTP/1.1 {response.status} {_REASONS.get(response.status, 'Status')}",
             f"Content-Length: {len(payload)}"]
    if response.content_type is not None:
        lines.append(f"Content-Type: {response.content_type}")
    lines.extend(f"{name}: {value}" for name, value in response.headers)
    if not keep_alive:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload


def _reset(sock: socket.socket) -> None:
    """Close with a TCP RST (SO_LINGER 0) instead of an orderly FIN: the client sees ``ECONNRESET``."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


class _Connection(socketserver.BaseRequestHandler):
    """One client connection: serves requests in order until the client closes, asks to close, or a fault ends it."""

    server: _ThreadingServer

    def handle(self) -> None:
        owner = self.server.owner
        sock: socket.socket = self.request
        if owner.faults.take_connection_reset():
            _reset(sock)
            return
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if owner.ssl_context is not None:
            try:
                sock = owner.ssl_context.wrap_socket(sock, server_side=True)
            except (ssl.SSLError, OSError) as error:
                _log.debug("TLS handshake with a client failed: %s", type(error).__name__)
                return
        owner._track(sock, True)
        rfile = cast(BinaryIO, sock.makefile("rb", buffering=65536))
        try:
            while self._serve_one(owner, sock, rfile):
                pass
        except (ConnectionError, TimeoutError, ssl.SSLError, OSError):
            pass  # the client went away; nothing to answer
        finally:
            owner._track(sock, False)
            with contextlib.suppress(OSError):
                rfile.close()
            with contextlib.suppress(OSError):
                sock.close()

    def _serve_one(self, owner: FakeHTTPServer, sock: socket.socket, rfile: BinaryIO) -> bool:
        try:
            head = _read_head(rfile)
        except _BadRequestError as error:
            sock.sendall(_encode(Response(error.status, str(error).encode(), "text/plain"), keep_alive=False))
            return False
        if head is None:
            return False
        method, target, version, headers = head
        path, query = _split_target(target)
        fault = owner.faults.take(method, path)
        if fault is not None and fault.kind is FaultKind.RESET_BEFORE_READ:
            owner.app.record(Request(method, path, query, headers, b""), None, fault, False)
            _reset(sock)
            return False
        if headers.get("expect", "").lower() == "100-continue":
            sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        try:
            body = _read_body(rfile, headers)
        except _BadRequestError as error:
            sock.sendall(_encode(Response(error.status, str(error).encode(), "text/plain"), keep_alive=False))
            return False
        request = Request(method, path, query, headers, body)
        connection = headers.get("connection", "").lower()
        keep_alive = "close" not in connection and (version != "HTTP/1.0" or "keep-alive" in connection)
        if fault is not None and fault.kind is FaultKind.RESET_AFTER_READ:
            owner.app.record(request, None, fault, False)
            _reset(sock)
            return False
        if fault is not None and fault.kind is FaultKind.STATUS:
            extra = (("Retry-After", fault.retry_after),) if fault.retry_after is not None else ()
            response = Response(fault.status, fault.body or b"", fault.content_type, extra)
            owner.app.record(request, response, fault, False)
            sock.sendall(_encode(response, keep_alive=keep_alive))
            return keep_alive
        try:
            response = owner.app.handle(request)
        except Exception as error:  # a bug in the fake must answer, not hang the client
            _log.error("fake server failed on %s %s: %s", method, path, type(error).__name__)
            response = Response(500, b'{"Message":"The fake server failed."}')
        if fault is None:
            owner.app.record(request, response, None, True)
            sock.sendall(_encode(response, keep_alive=keep_alive))
            return keep_alive
        return self._after_acting(owner, sock, request, response, fault, keep_alive)

    def _after_acting(
        self, owner: FakeHTTPServer, sock: socket.socket, request: Request, response: Response, fault: Fault,
        keep_alive: bool,
    ) -> bool:
        if fault.kind is FaultKind.DROP_AFTER_STORE:
            owner.app.record(request, None, fault, True)
            _reset(sock)
            return False
        owner.app.record(request, response, fault, True)
        body: bytes | None = None
        if fault.kind is FaultKind.SLOW:
            owner._stopping.wait(fault.delay)
        elif fault.kind is FaultKind.PAUSE_AFTER_STORE and fault.pause is not None:
            fault.pause.reached.set()
            deadline = time.monotonic() + fault.pause.timeout
            while not fault.pause.release.wait(0.05):
                if owner._stopping.is_set() or time.monotonic() > deadline:
                    break
        elif fault.kind in (FaultKind.MALFORMED_JSON, FaultKind.EMPTY_BODY):
            response = Response(fault.status, response.body, "application/json; charset=utf-8", response.headers)
            body = fault.body or b""
        sock.sendall(_encode(response, keep_alive=keep_alive, body=body))
        return keep_alive


class _ThreadingServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False
    request_queue_size = 128

    def __init__(self, owner: FakeHTTPServer, port: int) -> None:
        self.owner = owner
        super().__init__((LOOPBACK, port), _Connection)

    def handle_error(self, request: Any, client_address: Any) -> None:
        _log.debug("connection from %s ended with an error", client_address)


class FakeHTTPServer:
    """Serve an :class:`HTTPApplication` on 127.0.0.1 in a background thread, one thread per connection.

    Use it as a context manager (``with server: ...``): it starts on a free port (or ``port``) and stops cleanly,
    closing every open connection and releasing paused handlers. With ``ssl_context`` it speaks HTTPS; the
    handshake happens in the connection's own thread, so a client that fails it cannot stall the others.
    """

    def __init__(self, app: HTTPApplication, *, port: int = 0, ssl_context: ssl.SSLContext | None = None) -> None:
        self.app = app
        self.ssl_context = ssl_context
        self.faults = FaultPlan()
        self._requested_port = port
        self._port: int | None = None
        self._server: _ThreadingServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the fake server is not started")
        return self._port

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321`` (``https://`` in TLS mode), without a trailing slash."""
        scheme = "https" if self.ssl_context is not None else "http"
        return f"{scheme}://{LOOPBACK}:{self.port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> None:
        if self._server is not None:
            raise RuntimeError("the fake server is already started")
        self._stopping.clear()
        self._listen(self._requested_port if self._port is None else self._port)

    def _listen(self, port: int) -> None:
        server = _ThreadingServer(self, port)
        self._server = server
        self._port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"fake-http-{self._port}",
            daemon=True,
        )
        self._thread.start()

    def _close_listener(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def stop(self) -> None:
        """Stop listening, close every open connection, release paused responses. Safe to call twice."""
        self._stopping.set()
        self._close_listener()
        with self._connections_lock:
            open_connections = list(self._connections)
        for sock in open_connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def stop_listening(self) -> None:
        """Close the listening socket while keeping state and open connections: new connections are *refused*
        (as by a server that is down), until :meth:`resume_listening` binds the same port again."""
        if self._server is None:
            raise RuntimeError("the fake server is not listening")
        self._close_listener()

    def resume_listening(self) -> None:
        """Listen again on the same port after :meth:`stop_listening`."""
        if self._server is not None:
            raise RuntimeError("the fake server is already listening")
        self._listen(self.port)

    def _track(self, sock: socket.socket, add: bool) -> None:
        with self._connections_lock:
            if add:
                self._connections.add(sock)
            else:
                self._connections.discard(sock)

    def __enter__(self) -> FakeHTTPServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def free_loopback_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now (connections to it are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
    return port

