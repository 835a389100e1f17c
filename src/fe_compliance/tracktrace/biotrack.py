"""The BioTrack adapter (legacy JSON API): :class:`BioTrackClient` implements ``TrackAndTrace`` and ``FindsReceipts``.

Configuration (reference/metrc-api.md, "BioTrack (legacy JSON API)"; the state hosts differ, so the endpoint is
given in full)::

    from fe_compliance.tracktrace.biotrack import BioTrackClient, BioTrackCredentials

    client = BioTrackClient(
        BioTrackCredentials(username="...", password="..."),
        license_number="...",                      # sent as license_number with the login
        url="https://<state host>/serverjson.asp",  # HTTPS only (plain http only to a loopback address)
        terminal_id="register-1",                  # sale_dispense's terminal_id
        training=False,                            # True sends "training": 1 (BioTrack's training mode)
    )

How it differs from Metrc, and what it shares. Every request is a POST of one JSON object to the one endpoint with
``Content-Type: text/JSON`` (cre-adapter: "BT wants this (incorrect) value"), ``"API": "4.0"``, the session id and
a ``nonce``. It shares the Metrc adapter's machinery: the "send one request" transport, :func:`map_failure` for
network failures and HTTP statuses, one :class:`~fe_compliance.tracktrace.retry.Deadline` per call, the retry rule
of :mod:`~fe_compliance.tracktrace.retry` (``login`` and ``nonce_replay`` may be re-sent; ``sale_dispense`` and
``sale_void`` only after a failure while connecting) and :class:`~fe_compliance.tracktrace.transport.Secret`.

BioTrack answers errors with HTTP 200 and ``success: 0``; the ``errorcode`` table is
:data:`~fe_compliance.tracktrace.biotrack_wire.ERROR_CODES`. On errorcode 63 (session expired) the client logs in
again and re-sends the same request with the same nonce, once. A write's nonce is derived from what identifies it
(:func:`~fe_compliance.tracktrace.biotrack_wire.derive_nonce`): the external receipt number of a sale, the
transaction id of a void. So after an outcome-unknown failure :meth:`BioTrackClient.find_receipt` asks
``nonce_replay`` what became of it, which is the same "find out what happened" capability as Metrc's look-up by
external number.

Logs (logger ``fe_compliance.tracktrace.biotrack``) name the action, status and timing; never a body, a password,
a session id or a nonce.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import re
import secrets
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import InvalidValueError
from .biotrack_wire import (
    API_VERSION,
    ERROR_CODES,
    ErrorKind,
    answer_code,
    answer_message,
    answer_succeeded,
    derive_nonce,
    is_session_expired,
    parse_answer,
    sale_to_fields,
)
from .errors import (
    AccessDeniedError,
    AuthenticationError,
    DeadlineExceededError,
    OutcomeUnknownError,
    ResponseFormatError,
    RowMessage,
    SendError,
    TrackAndTraceError,
    ValidationError,
    map_failure,
)
from .http_client import HttpClientTransport, is_loopback_host
from .models import PostedSale, Receipt, Sale
from .retry import Clock, Deadline, RetryPolicy, Sleep, retry_delay
from .transport import HttpRequest, HttpResponse, HttpTransport, Secret, Timeouts

__all__ = ["BioTrackClient", "BioTrackCredentials"]

_log = logging.getLogger("fe_compliance.tracktrace.biotrack")

_METHOD = "POST"
_CONTENT_TYPE = "text/JSON"  # cre-adapter _curl_init: 'content-type: text/JSON', "BT wants this (incorrect) value"
_TRANSACTION_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def _wrap(value: Any) -> Secret | None:
    return Secret(value) if isinstance(value, str) else None


class BioTrackCredentials:
    """The BioTrack user name and password. Never shown: ``repr``/``str`` hide both.

    Kept as :class:`~fe_compliance.tracktrace.transport.Secret`, and the constructor drops its raw arguments
    before validating, so a traceback's local variables show neither (as :class:`MetrcCredentials` does).
    """

    __slots__ = ("_password", "_username")

    _username: Secret
    _password: Secret

    def __init__(self, username: str, password: str) -> None:
        user, word = _wrap(username), _wrap(password)
        del username, password
        for field, secret in (("username", user), ("password", word)):
            if secret is None or not secret.reveal().strip():
                raise InvalidValueError(field, "<redacted>", "must be non-empty text")
            if any(ord(c) < 32 for c in secret.reveal()):
                raise InvalidValueError(field, "<redacted>", "must not contain control characters")
        assert user is not None and word is not None
        object.__setattr__(self, "_username", user)
        object.__setattr__(self, "_password", word)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("BioTrackCredentials is immutable")

    def __repr__(self) -> str:
        return "BioTrackCredentials(username=<redacted>, password=<redacted>)"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("BioTrackCredentials cannot be pickled (it holds secrets)")

    @property
    def username(self) -> Secret:
        return self._username

    @property
    def password(self) -> Secret:
        return self._password


def _check_url(url: Any) -> str:
    if not isinstance(url, str):
        raise InvalidValueError("url", url, "must be text")
    parts = urllib.parse.urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.username or parts.password:
        raise InvalidValueError("url", "<with credentials>", "must not carry credentials")
    secure = parts.scheme == "https" and bool(host)
    loopback = parts.scheme == "http" and bool(host) and is_loopback_host(host)
    if not (secure or loopback):
        raise InvalidValueError("url", url, "must be https:// (plain http only to a loopback address)")
    if parts.query or parts.fragment:
        raise InvalidValueError("url", url, "must not have a query or fragment")
    if not parts.path.lower().endswith("serverjson.asp"):
        raise InvalidValueError("url", url, "must be the full address of BioTrack's serverjson.asp endpoint")
    return url.strip()


def _transaction_id(value: Any) -> str:
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not _TRANSACTION_ID.fullmatch(text):
        raise InvalidValueError("receipt_id", value, "must be BioTrack's transaction id")
    return text


def _clear_tracebacks(error: BaseException) -> None:
    """Drop the frames of a network failure: http.client's frames hold the request bytes (a password, a session
    id) as local variables, and error trackers record every local of every frame."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.__traceback__ = None
        if isinstance(current, SendError):
            current.cause.__traceback__ = None
        current = current.__cause__ or current.__context__


class BioTrackClient:
    """A BioTrack license seen through one user's login: ``TrackAndTrace`` and ``FindsReceipts``.

    ``transport`` is the "send one request" seam (default :class:`HttpClientTransport`); ``clock``/``sleep``/
    ``rng`` are injectable so tests control time and jitter. Thread-safe: the session is shared, a re-login is
    done by one thread at a time.
    """

    def __init__(
        self,
        credentials: BioTrackCredentials,
        license_number: str,
        *,
        url: str,
        terminal_id: str,
        training: bool = False,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        transport: HttpTransport | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        if not isinstance(credentials, BioTrackCredentials):
            raise InvalidValueError("credentials", type(credentials).__name__, "must be BioTrackCredentials")
        if not isinstance(license_number, str) or not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", license_number):
            raise InvalidValueError("license_number", license_number, "must be a BioTrack license number")
        if not isinstance(terminal_id, str) or not re.fullmatch(r"[A-Za-z0-9 ._-]{1,64}", terminal_id):
            raise InvalidValueError("terminal_id", terminal_id, "must be 1-64 letters, digits, space, '.', '_', '-'")
        if not isinstance(training, bool):
            raise InvalidValueError("training", training, "must be True or False")
        self.url = _check_url(url)
        self.path = urllib.parse.urlsplit(self.url).path or "/serverjson.asp"
        self._credentials = credentials
        self.license_number = license_number
        self.terminal_id = terminal_id
        self.training = training
        self.timeouts = timeouts if timeouts is not None else Timeouts()
        self.retry = retry if retry is not None else RetryPolicy()
        self.transport: HttpTransport = transport if transport is not None else HttpClientTransport()
        self._clock = clock
        self._sleep = sleep
        self._rng = rng if rng is not None else random.Random()
        self._session: Secret | None = None
        self._session_lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"BioTrackClient(url={self.url!r}, license_number={self.license_number!r}, "
            f"training={self.training}, credentials=<redacted>, session={'yes' if self._session else 'none'})"
        )

    def __enter__(self) -> BioTrackClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the transport's connections (the session is simply forgotten)."""
        self._session = None
        self.transport.close()

    # ------------------------------------------------------------------ requests

    def _where(self, action: str) -> str:
        return f"{self.path} ({action})"

    def _request(self, action: str, fields: Mapping[str, Any], nonce: str, *, login: bool = False) -> HttpRequest:
        """The one request body. Secrets are revealed only here, into bytes held by an ``HttpRequest`` whose
        repr never shows its body; this frame is gone before anything is sent."""
        body: dict[str, Any] = {"API": API_VERSION, "action": action}
        if login:
            body["license_number"] = self.license_number
            body["username"] = self._credentials.username.reveal()
            body["password"] = self._credentials.password.reveal()
        else:
            session = self._session
            if session is not None:
                body["sessionid"] = session.reveal()
        body.update(fields)
        if self.training:
            body["training"] = 1
        body["nonce"] = nonce
        payload = json.dumps(body, separators=(",", ":"), allow_nan=False).encode("utf-8")
        return HttpRequest(
            _METHOD, self.url, {"Content-Type": _CONTENT_TYPE, "Accept": "application/json"}, payload
        )

    def _attempt(
        self, request: HttpRequest, action: str, deadline: Deadline, *, write: bool
    ) -> dict[str, Any] | TrackAndTraceError:
        where = self._where(action)
        remaining = deadline.remaining()
        if remaining <= 0:
            return DeadlineExceededError(_METHOD, where, reached_server=False, reason="call deadline reached")
        timeouts = Timeouts(min(self.timeouts.connect, remaining), min(self.timeouts.read, remaining))
        started = self._clock()
        try:
            response: HttpResponse = self.transport.handle_request(request, timeouts)
        except Exception as exc:  # SendError, OSError or anything a user's transport raises: typed either way
            _clear_tracebacks(exc)
            _log.debug("%s: network failure %s", action, type(exc).__name__)
            error = map_failure(_METHOD, where, exception=exc, write=write)
            return error
        _log.debug("%s -> %d in %.1f ms", action, response.status, (self._clock() - started) * 1000)
        if not 200 <= response.status <= 299:
            return map_failure(
                _METHOD, where, status=response.status, body=response.body, headers=response.headers, write=write
            )
        try:
            return parse_answer(response.body)
        except ResponseFormatError as exc:
            return map_failure(_METHOD, where, status=response.status, exception=exc, write=write)

    def _exchange(
        self, action: str, build: Callable[[], HttpRequest], deadline: Deadline, *, idempotent: bool
    ) -> dict[str, Any]:
        """Send one action with the retry rule under ``deadline``; the answer object (success or not)."""
        attempt = 0
        while True:
            result = self._attempt(build(), action, deadline, write=not idempotent)
            if isinstance(result, dict):
                return result
            delay = retry_delay(
                result, attempt=attempt, idempotent=idempotent, policy=self.retry, deadline=deadline, rng=self._rng
            )
            if delay is None:
                _log.info("%s failed after %d attempt(s): %s", action, attempt + 1, type(result).__name__)
                raise result
            _log.warning("%s: %s; retry %d in %.3f s", action, type(result).__name__, attempt + 1, delay)
            self._sleep(delay)
            attempt += 1

    def _system_message(self, data: Mapping[str, Any]) -> str | None:
        code, message = answer_code(data), answer_message(data)
        if message is not None:
            for secret in (self._credentials.password.reveal(), self._session.reveal() if self._session else ""):
                if secret and secret in message:
                    message = message.replace(secret, "<redacted>")
        if code is None:
            return message
        return f"errorcode {code}: {message or '(no text)'}"

    def _refusal(self, action: str, data: Mapping[str, Any], *, write: bool) -> TrackAndTraceError:
        """The typed error of a ``success: 0`` answer (after any session handling)."""
        where = self._where(action)
        code = answer_code(data)
        message = self._system_message(data)
        known = ERROR_CODES.get(code) if code is not None else None
        kind = known[0] if known is not None else None
        if kind is ErrorKind.SESSION:
            return AuthenticationError(
                _METHOD, where, status=200, system_message=message, reason="not authenticated after a fresh login"
            )
        if kind is ErrorKind.DENIED:
            return AccessDeniedError(_METHOD, where, status=200, system_message=message, reason="permission denied")
        if action == "login":
            # bunk login.php: a wrong user name or password is success 0 with no errorcode.
            return AuthenticationError(_METHOD, where, status=200, system_message=message, reason="login refused")
        if kind is ErrorKind.REFUSED:
            return ValidationError(_METHOD, where, status=200, rows=(RowMessage(None, message or "refused"),))
        # An error code no source names: for a write the outcome is unknown (ask nonce_replay), never "refused".
        error = map_failure(
            _METHOD,
            where,
            status=200,
            exception=ResponseFormatError(f"success 0 with an unknown errorcode ({message or 'no text'})"),
            write=write,
        )
        return error

    def _login(self, deadline: Deadline, stale: Secret | None) -> None:
        """Log in unless another thread already replaced the ``stale`` session."""
        with self._session_lock:
            if self._session is not None and self._session is not stale:
                return
            self._session = None
            nonce = secrets.token_hex(20)
            data = self._exchange("login", lambda: self._request("login", {}, nonce, login=True), deadline,
                                  idempotent=True)
            if not self._succeeded("login", data, False):
                raise self._refusal("login", data, write=False)
            session = data.get("sessionid")
            if not isinstance(session, str) or not session.strip():
                raise map_failure(
                    _METHOD, self._where("login"), status=200,
                    exception=ResponseFormatError("login succeeded without a sessionid"),
                )
            self._session = Secret(session.strip())
            _log.info("logged in to BioTrack for license %s", self.license_number)

    def _call(
        self, action: str, fields: Mapping[str, Any], nonce: str, *, idempotent: bool
    ) -> dict[str, Any]:
        """One action under one deadline: log in if needed; on a session-expired answer log in again and re-send
        the same request with the same nonce, once. Returns a success answer or raises a typed error."""
        deadline = Deadline(self.retry.deadline, self._clock)
        write = not idempotent
        session = self._session
        if session is None:
            self._login(deadline, None)
            session = self._session
        data = self._exchange(action, lambda: self._request(action, fields, nonce), deadline, idempotent=idempotent)
        if not self._succeeded(action, data, write) and is_session_expired(data):
            _log.info("%s: session expired; logging in again and re-sending with the same nonce", action)
            self._login(deadline, session)
            data = self._exchange(action, lambda: self._request(action, fields, nonce), deadline,
                                  idempotent=idempotent)
        if self._succeeded(action, data, write):
            return data
        raise self._refusal(action, data, write=write)

    def _succeeded(self, action: str, data: Mapping[str, Any], write: bool) -> bool:
        try:
            return answer_succeeded(data)
        except ResponseFormatError as exc:
            raise map_failure(_METHOD, self._where(action), status=200, exception=exc, write=write) from None

    # ------------------------------------------------------------------ public actions

    def login(self) -> None:
        """Log in now (otherwise the first action does). Raises ``AuthenticationError`` when refused."""
        self._login(Deadline(self.retry.deadline, self._clock), self._session)

    def dispense_nonce(self, external_receipt_number: str) -> str:
        """The nonce a sale with this external receipt number is (or was) sent with."""
        if not isinstance(external_receipt_number, str) or not external_receipt_number.strip():
            raise InvalidValueError("external_receipt_number", external_receipt_number, "must be non-blank text")
        return derive_nonce(self.license_number, "sale_dispense", external_receipt_number.strip())

    def void_nonce(self, receipt_id: str) -> str:
        """The nonce the void of this transaction is (or was) sent with."""
        return derive_nonce(self.license_number, "sale_void", _transaction_id(receipt_id))

    def post_sale(self, sale: Sale) -> PostedSale:
        """``sale_dispense``. Raises ``InvalidValueError`` for what BioTrack cannot take, ``ValidationError`` when
        BioTrack refused it, ``OutcomeUnknownError`` when it may have been stored (ask :meth:`find_receipt`).

        Re-sent automatically only after a failure while connecting, or with the same nonce after a fresh login
        when BioTrack answered that the session expired (the request was then not acted on).
        """
        fields = sale_to_fields(sale, self.terminal_id)
        nonce = self.dispense_nonce(sale.external_receipt_number)
        data = self._call("sale_dispense", fields, nonce, idempotent=False)
        transaction = data.get("transactionid")
        receipt_id = str(transaction) if isinstance(transaction, (str, int)) and not isinstance(transaction, bool) \
            else None
        if receipt_id is None:
            _log.warning("sale_dispense: success without a transactionid; the sale is stored")
        return PostedSale(sale.external_receipt_number, receipt_id or None)

    def void_sale(self, receipt_id: str) -> None:
        """``sale_void`` of a transaction id. Safe to call again: when a void may have landed unanswered, or
        BioTrack refuses a repeat, ``nonce_replay`` of the void's nonce is asked before giving up."""
        transaction = _transaction_id(receipt_id)
        nonce = self.void_nonce(transaction)
        try:
            self._call("sale_void", {"transactionid": transaction}, nonce, idempotent=False)
        except (OutcomeUnknownError, ValidationError) as error:
            try:
                replayed = self.nonce_replay(nonce)
            except TrackAndTraceError:
                raise error from None  # the void's own failure says more than the failed question about it
            if replayed is not None:
                _log.info("sale_void: an earlier void with the same nonce succeeded")
                return
            raise error from None

    def nonce_replay(self, nonce: str) -> dict[str, Any] | None:
        """What became of the request sent with ``nonce``: its success answer as BioTrack replays it, or None when
        BioTrack answered that it holds no successful request with that nonce (errorcode 602 or no code).

        Any other failure raises (a network error, a missing privilege, an unknown code): unknown is never absent.
        """
        if not isinstance(nonce, str) or not re.fullmatch(r"[A-Za-z0-9._-]{1,128}", nonce):
            raise InvalidValueError("nonce", nonce, "must be a nonce as sent (letters, digits, '.', '_', '-')")
        try:
            return self._call("nonce_replay", {}, nonce, idempotent=True)
        except ValidationError:
            return None  # errorcode 602 (or 17): BioTrack answered; nothing succeeded under this nonce

    def find_receipt(self, external_receipt_number: str, *, sold_at: dt.datetime | None = None) -> Receipt | None:
        """The receipt a ``post_sale`` of this external number stored, found with ``nonce_replay``; None when
        BioTrack answered that nothing was stored under its nonce. ``sold_at`` is not needed (and ignored)."""
        nonce = self.dispense_nonce(external_receipt_number)
        data = self.nonce_replay(nonce)
        if data is None:
            return None
        transaction = data.get("transactionid")
        if isinstance(transaction, bool) or not isinstance(transaction, (str, int)) or not str(transaction).strip():
            raise map_failure(
                _METHOD, self._where("nonce_replay"), status=200,
                exception=ResponseFormatError("replayed answer has no transactionid"),
            )
        return Receipt(id=str(transaction).strip(), external_receipt_number=external_receipt_number.strip())
