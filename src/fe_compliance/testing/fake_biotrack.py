"""A fake BioTrack legacy JSON API on 127.0.0.1, for integration tests of code that reports sales to BioTrack.

It speaks the wire format of the project's reference (``reference/metrc-api.md``, "BioTrack (legacy JSON API)"),
checked against openthc/cre-adapter ``lib/BioTrack.php`` and the openthc/bunk mock (``lib/biotrack/main.php``,
``login.php``): one endpoint ``/serverjson.asp``, a JSON object per request with ``"API": "4.0"``, ``action``,
``sessionid`` and ``nonce``; errors as HTTP 200 with ``success: 0``, ``error`` and ``errorcode``.

Actions: ``login``, ``sale_dispense``, ``sale_void``, ``nonce_replay``. On demand: :meth:`FakeBioTrack.expire_sessions`
(the next request with an old session id gets errorcode 63), :attr:`FakeBioTrack.leak_header` (every answer starts
with the ``Content-Type: text/plain`` line of BioTrack's known bug), and the fault injection of the fake Metrc
(:attr:`FakeBioTrack.faults`, the same :class:`~fe_compliance.testing._fake_http.FaultPlan`; every request is a
``POST /serverjson.asp``, so script faults in the order the client will send). It records what it stored
(:attr:`FakeBioTrack.sales`) and every request with the password and session id replaced by ``<redacted>``.

Where BioTrack's behaviour is unconfirmed, the fake is hard on a client: a request whose nonce already succeeded
is refused (602) rather than silently replayed, so a client that re-sends a stored sale fails a test; and
``nonce_replay`` replays the success answer of the request sent with that nonce, or answers 602 when no request
with it succeeded.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import attrs

from fe_compliance.errors import InvalidValueError

from ._fake_http import FakeHTTPServer, Fault, FaultKind, FaultPlan, Pause, Request, Response, free_loopback_port

__all__ = [
    "DEFAULT_LICENSE",
    "DEFAULT_PASSWORD",
    "DEFAULT_USERNAME",
    "ENDPOINT",
    "BioTrackUser",
    "FakeBioTrack",
    "Fault",
    "FaultKind",
    "FaultPlan",
    "Pause",
    "RecordedCall",
    "StoredSale",
    "free_loopback_port",
]

_log = logging.getLogger("fe_compliance.testing.fake_biotrack")

ENDPOINT = "/serverjson.asp"
DEFAULT_LICENSE = "999000001"  # bunk login.php accepts the test ids 999000001..999000009
DEFAULT_USERNAME = "fake.user@example.com"
DEFAULT_PASSWORD = "fake-biotrack-password"
_LEAK = b"Content-Type: text/plain\r\n\r\n"  # cre-adapter: the header text BioTrack leaks into the body
_REDACTED = "<redacted>"
_SALE_KEYS = frozenset({"terminal_id", "sale_time", "data"})
_LINE_KEYS = frozenset({"barcodeid", "quantity", "price"})
_COMMON_KEYS = frozenset({"API", "action", "sessionid", "nonce", "training"})


@attrs.frozen(slots=True)
class BioTrackUser:
    """A login the fake accepts. ``privileges`` are the actions it may call (``nonce_replay`` is always allowed);
    a missing one is answered with errorcode 62 (reference: "62 a missing privilege")."""

    username: str
    password: str = attrs.field(repr=False)
    license_number: str = DEFAULT_LICENSE
    privileges: frozenset[str] = frozenset({"sale_dispense", "sale_void"})


@attrs.frozen(slots=True)
class StoredSale:
    """A sale the fake stored: its transaction id, what was sent, the nonce, and whether it was voided."""

    transaction_id: str
    license_number: str
    terminal_id: Any
    sale_time: Any
    lines: tuple[dict[str, Any], ...]
    nonce: str
    training: bool
    voided: bool = False


@attrs.frozen(slots=True)
class RecordedCall:
    """One request the fake received. ``fields`` is the request object with ``password`` and ``sessionid``
    replaced by ``<redacted>`` (None when it was not JSON); ``status`` is None when the connection was reset;
    ``acted`` says whether the request took effect (a sale stored or voided)."""

    action: str | None
    nonce: str | None
    fields: dict[str, Any] | None = attrs.field(repr=False)
    content_type: str | None
    status: int | None
    fault: FaultKind | None
    acted: bool
    answer: dict[str, Any] | None = attrs.field(repr=False)


def _error(code: str | None, text: str) -> dict[str, Any]:
    answer: dict[str, Any] = {"success": 0, "error": text}
    if code is not None:
        answer["errorcode"] = code
    return answer


def _redacted(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: (_REDACTED if key in ("password", "sessionid") else value) for key, value in fields.items()}


class FakeBioTrack:
    """A fake BioTrack server on 127.0.0.1. Use as a context manager::

        with FakeBioTrack() as fake:
            url = fake.url                      # http://127.0.0.1:<port>/serverjson.asp
            fake.expire_sessions()              # the next call gets errorcode 63
            ...
            assert fake.stored_count(nonce) == 1

    ``users`` are the logins it accepts (one for :data:`DEFAULT_LICENSE` by default). ``clock`` gives the
    ``sessiontime``/``time`` it answers with; ``session_ids`` makes the session ids (a test can use canaries).
    """

    def __init__(
        self,
        *,
        users: Iterable[BioTrackUser] | None = None,
        port: int = 0,
        strict_content_type: bool = True,
        clock: Callable[[], datetime] | None = None,
        session_ids: Callable[[], str] | None = None,
    ) -> None:
        chosen = tuple(users) if users is not None else (BioTrackUser(DEFAULT_USERNAME, DEFAULT_PASSWORD),)
        if not chosen:
            raise InvalidValueError("users", chosen, "the fake needs at least one user")
        self._users = chosen
        self.strict_content_type = strict_content_type
        self.leak_header = False
        self._clock = clock or (lambda: datetime.now(UTC))
        self._new_session = session_ids or (lambda: secrets.token_hex(16))
        self._lock = threading.RLock()
        self._sessions: dict[str, BioTrackUser] = {}
        self._done: dict[str, dict[str, Any]] = {}  # nonce -> success answer of the request that used it
        self._sales: dict[str, StoredSale] = {}
        self._next_transaction = 1001
        self._log: list[RecordedCall] = []
        self._local = threading.local()
        self.logins = 0
        self._http = FakeHTTPServer(self, port=port)

    # ----------------------------------------------------------------- lifecycle

    @property
    def url(self) -> str:
        """The endpoint's full URL, e.g. ``http://127.0.0.1:54321/serverjson.asp``."""
        return self._http.url + ENDPOINT

    @property
    def faults(self) -> FaultPlan:
        """The fault plan (every request is ``POST /serverjson.asp``)."""
        return self._http.faults

    @property
    def username(self) -> str:
        return self._users[0].username

    @property
    def password(self) -> str:
        return self._users[0].password

    @property
    def license_number(self) -> str:
        return self._users[0].license_number

    def start(self) -> FakeBioTrack:
        self._http.start()
        return self

    def stop(self) -> None:
        self._http.stop()

    def stop_listening(self) -> None:
        """Refuse new connections (keeping all state) until :meth:`resume_listening`."""
        self._http.stop_listening()

    def resume_listening(self) -> None:
        self._http.resume_listening()

    def __enter__(self) -> FakeBioTrack:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self._http.url if self._http.running else "stopped"
        return f"FakeBioTrack({where}, users={len(self._users)}, sales={len(self._sales)}, requests={len(self._log)})"

    # ----------------------------------------------------------------- on demand and inspection

    def expire_sessions(self) -> None:
        """Forget every session: the next request with one gets errorcode 63 ("session expired")."""
        with self._lock:
            self._sessions.clear()

    @property
    def sales(self) -> tuple[StoredSale, ...]:
        """Every sale stored, oldest first (voided ones included, marked)."""
        with self._lock:
            return tuple(self._sales.values())

    def stored_count(self, nonce: str) -> int:
        """How many sales were stored with this nonce: 2 would mean a sale stored twice."""
        with self._lock:
            return sum(1 for sale in self._sales.values() if sale.nonce == nonce)

    @property
    def requests(self) -> tuple[RecordedCall, ...]:
        with self._lock:
            return tuple(self._log)

    def calls(self, action: str) -> list[RecordedCall]:
        """The recorded requests of one action."""
        return [call for call in self.requests if call.action == action]

    def clear_requests(self) -> None:
        with self._lock:
            self._log.clear()

    # ----------------------------------------------------------------- HTTPApplication

    def record(self, request: Request, response: Response | None, fault: Fault | None, acted: bool) -> None:
        local = self._local
        if getattr(local, "request", None) is request:
            fields, answer, stored = local.fields, local.answer, local.acted
        else:
            fields, answer, stored = self._peek(request.body), None, False
        local.request = None
        action = fields.get("action") if fields is not None and isinstance(fields.get("action"), str) else None
        nonce = fields.get("nonce") if fields is not None and isinstance(fields.get("nonce"), str) else None
        entry = RecordedCall(
            action, nonce, fields, request.headers.get("content-type"),
            response.status if response is not None else None, fault.kind if fault is not None else None,
            acted and stored, answer,
        )
        with self._lock:
            self._log.append(entry)
        _log.debug("fake BioTrack %s -> %s%s", action, entry.status if entry.status is not None else "reset",
                   f", fault {fault.kind.value}" if fault is not None else "")

    @staticmethod
    def _peek(body: bytes) -> dict[str, Any] | None:
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return None
        return _redacted(data) if isinstance(data, dict) else None

    def handle(self, request: Request) -> Response:
        local = self._local
        local.request = request
        local.fields = self._peek(request.body)
        local.acted = False
        answer, status = self._answer(request)
        local.answer = answer
        body = json.dumps(answer, separators=(",", ":")).encode()
        if self.leak_header:
            body = _LEAK + body
        return Response(status, body, "text/plain" if self.leak_header else "application/json")

    def _answer(self, request: Request) -> tuple[dict[str, Any], int]:
        if request.method != "POST" or request.path != ENDPOINT:
            return _error("999", "Unhandled Request"), 404
        content_type = request.headers.get("content-type", "")
        if self.strict_content_type and content_type.split(";")[0].strip().lower() != "text/json":
            return _error("602", "Requests must be sent as text/JSON."), 200
        try:
            data = json.loads(request.body)
        except (ValueError, RecursionError):
            return {"success": 0, "error": "Error decoding input."}, 400  # bunk: HTTP 400 for bad JSON
        if not isinstance(data, dict):
            return {"success": 0, "error": "Error decoding input."}, 400
        if data.get("API") != "4.0":
            return _error("17", "Invalid API Version"), 200  # bunk main.php
        action = data.get("action")
        if not isinstance(action, str) or not action:
            return _error("62", "Invalid Action"), 200  # bunk main.php
        if action == "login":
            return self._login(data), 200
        with self._lock:
            session = data.get("sessionid")
            user = self._sessions.get(session) if isinstance(session, str) else None
        if user is None:
            return _error("63", "Your session has expired. Please log in again."), 200
        nonce = data.get("nonce")
        if not isinstance(nonce, str) or not nonce:
            return _error("602", "A nonce is required."), 200
        if action == "nonce_replay":
            with self._lock:
                done = self._done.get(nonce)
            return (dict(done), 200) if done is not None else (_error("602", "No request found for this nonce."), 200)
        if action not in ("sale_dispense", "sale_void"):
            return _error("999", "Unhandled Request"), 200
        if action not in user.privileges:
            return _error("62", "You do not have the privilege to perform this action."), 200
        with self._lock:
            if nonce in self._done:
                return _error("602", "This nonce has already been used."), 200
            answer = self._dispense(data, user, nonce) if action == "sale_dispense" else self._void(data, user)
            if answer.get("success") == 1:
                self._done[nonce] = answer
                self._local.acted = True
            return answer, 200

    def _login(self, data: dict[str, Any]) -> dict[str, Any]:
        license_number, username, password = data.get("license_number"), data.get("username"), data.get("password")
        if not isinstance(license_number, str) or not license_number:
            return {"success": 0, "error": "Company identifier not provided (license_number)"}
        for user in self._users:
            if (
                isinstance(username, str)
                and isinstance(password, str)
                and hmac.compare_digest(user.username.encode(), username.encode())
                and hmac.compare_digest(user.password.encode(), password.encode())
            ):
                if user.license_number != license_number:
                    return _error("63", "You provided an invalid location license number.")  # cre-adapter
                session = self._new_session()
                with self._lock:
                    self._sessions[session] = user
                    self.logins += 1
                return {"success": 1, "admin": 1, "sessionid": session, "time": int(self._clock().timestamp())}
        return {"success": 0, "error": "Invalid username or password."}  # bunk login.php: no errorcode

    def _dispense(self, data: dict[str, Any], user: BioTrackUser, nonce: str) -> dict[str, Any]:
        unknown = sorted(set(data) - _COMMON_KEYS - _SALE_KEYS)
        if unknown:
            return _error("602", f"Unknown field(s): {', '.join(unknown)}.")
        terminal, sale_time, lines = data.get("terminal_id"), data.get("sale_time"), data.get("data")
        if not isinstance(terminal, str) or not terminal:
            return _error("602", "terminal_id is required.")
        if isinstance(sale_time, bool) or not isinstance(sale_time, int) or sale_time <= 0:
            return _error("602", "sale_time must be a Unix timestamp.")
        if not isinstance(lines, list) or not lines:
            return _error("602", "data must list the items sold.")
        for line in lines:
            if not isinstance(line, dict) or set(line) != _LINE_KEYS:
                return _error("602", "Each item needs exactly barcodeid, quantity and price.")
            barcode, quantity, price = line["barcodeid"], line["quantity"], line["price"]
            if not isinstance(barcode, str) or not barcode.isdigit():
                return _error("602", "The barcode identifier could not be found under the specified license number.")
            for value in (quantity, price):
                if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                    return _error("602", "quantity and price must be numbers.")
        transaction = str(self._next_transaction)
        self._next_transaction += 1
        self._sales[transaction] = StoredSale(
            transaction, user.license_number, terminal, sale_time, tuple(dict(line) for line in lines), nonce,
            data.get("training") == 1,
        )
        return {"success": 1, "transactionid": transaction, "sessiontime": int(self._clock().timestamp())}

    def _void(self, data: dict[str, Any], user: BioTrackUser) -> dict[str, Any]:
        transaction = data.get("transactionid")
        sale = self._sales.get(str(transaction)) if isinstance(transaction, str | int) else None
        if sale is None or sale.license_number != user.license_number:
            return _error("602", "The transaction could not be found.")
        if sale.voided:
            return _error("602", "The transaction has already been voided.")
        self._sales[sale.transaction_id] = attrs.evolve(sale, voided=True)
        return {"success": 1, "transactionid": sale.transaction_id, "sessiontime": int(self._clock().timestamp())}
