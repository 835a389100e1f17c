"""The Metrc HTTP adapter: :class:`MetrcClient` implements the track-and-trace protocol and every capability.

Configuration (reference/metrc-api.md, "Metrc transport")::

    from fe_compliance.tracktrace.metrc import MetrcClient, MetrcCredentials

    client = MetrcClient(
        MetrcCredentials(vendor_key=..., user_key=...),   # HTTP Basic: vendor key as user name, user key as password
        license_number="...",                             # sent as ?licenseNumber= where the endpoint takes it
        state="ma",                                       # https://api-ma.metrc.com (sandbox=True: sandbox-api-ma)
    )

or ``base_url=`` for an explicit host (HTTPS only, except a loopback address for a fake server). The facility's
time zone places ``SalesDateTime`` (Massachusetts: America/New_York); other states must name theirs.

Every call goes through :meth:`MetrcClient._call`: GETs through the rate limiter, each attempt through the
"send one request" transport, each failure through :func:`~fe_compliance.tracktrace.errors.map_failure`, and the
retry rule of :mod:`fe_compliance.tracktrace.retry` under one deadline. Logs (logger
``fe_compliance.tracktrace.metrc``) name method, path without query, status and timing; never a header, a body
or a key.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import random
import re
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import InvalidValueError
from .errors import (
    ConnectionFailedError,
    DeadlineExceededError,
    NotFoundError,
    RequestTimeoutError,
    ResponseFormatError,
    SendError,
    ServerError,
    TrackAndTraceError,
    ValidationError,
    map_failure,
)
from .http_client import HttpClientTransport, is_loopback_host
from .metrc_wire import (
    item_to_wire,
    page_rows,
    parse_item,
    parse_item_category,
    parse_patient,
    parse_receipt,
    parse_unit_of_measure,
    receipts_of_lookup,
    sale_to_wire,
)
from .models import Item, ItemCategory, Patient, PostedSale, Receipt, Sale, UnitOfMeasure
from .ratelimit import GetRateLimiter, LimiterTimeoutError
from .retry import Clock, Deadline, RetryPolicy, Sleep, retry_delay
from .transport import HttpRequest, HttpResponse, HttpTransport, Secret, Timeouts

__all__ = ["STATE_ZONES", "MetrcClient", "MetrcCredentials", "metrc_base_url"]

_log = logging.getLogger("fe_compliance.tracktrace.metrc")

#: Facility time zones the adapter knows by state. Massachusetts: metrc-api.md, "Massachusetts specifics".
STATE_ZONES: Mapping[str, str] = {"ma": "America/New_York"}

_PAGE_SIZE = 20  # metrc-api.md: pageSize at most 20
_MAX_PAGES = 100_000  # a server that never reports its last page cannot keep us reading forever
_ROUTE_MISSING = "no http resource was found"  # the text of Metrc's (ASP.NET) answer to an unknown route


def _says_receipt_missing(message: str | None) -> bool:
    """Whether a 404's message is Metrc saying it has no such receipt (then the look-up answers "absent").

    Only a message about a receipt counts: a missing route (ASP.NET's text), a web server's or a proxy's page
    (HTML, "Not Found") says nothing about the receipt, and taking it for "absent" would let a receipt be posted
    twice. The reference documents no 404 body for this look-up, so anything else raises.
    """
    if not message:
        return False
    lowered = message.lower()
    return "receipt" in lowered and _ROUTE_MISSING not in lowered and "<" not in lowered


def _may_have_acted(error: TrackAndTraceError) -> bool:
    """Whether a failed attempt may have been carried out by the server although no success came back."""
    if isinstance(error, (ConnectionFailedError, RequestTimeoutError)):
        return error.reached_server
    return isinstance(error, ServerError)


def metrc_base_url(state: str, *, sandbox: bool = False) -> str:
    """``https://api-{st}.metrc.com`` or ``https://sandbox-api-{st}.metrc.com`` (metrc-api.md, "Metrc transport")."""
    code = state.strip().lower() if isinstance(state, str) else ""
    if not re.fullmatch(r"[a-z]{2}", code):
        raise InvalidValueError("state", state, "must be a two-letter state code such as 'ma'")
    return f"https://{'sandbox-' if sandbox else ''}api-{code}.metrc.com"


def _wrap(value: Any) -> Secret | None:
    """The key as a :class:`Secret`, or None when it is not text. Never raises (see MetrcCredentials)."""
    return Secret(value) if isinstance(value, str) else None


def _check_key(field: str, secret: Secret | None) -> None:
    # Errors name the field only: the value is a secret.
    if secret is None or not secret.reveal().strip():
        raise InvalidValueError(field, "<redacted>", "must be a non-empty API key")
    text = secret.reveal()
    if any(ord(c) < 33 or ord(c) > 126 for c in text) or (":" in text and field == "vendor_key"):
        raise InvalidValueError(
            field, "<redacted>", "must be printable ASCII without spaces (and no ':' in a vendor key)"
        )


class MetrcCredentials:
    """The integrator (vendor) API key and the user's API key. Never shown: ``repr``/``str`` hide both.

    The keys are kept as :class:`~fe_compliance.tracktrace.transport.Secret` and the constructor drops its raw
    arguments before it validates, so even an error tracker that records every local variable of a traceback
    sees no key from our frames. In Massachusetts each user has their own key; a 401 for it is that user's
    failure and never a reason to try another key (metrc-api.md, "Massachusetts specifics"; seeds/000: the
    master credentials are never used when the user's fail).
    """

    __slots__ = ("_user_key", "_vendor_key")

    _vendor_key: Secret
    _user_key: Secret

    def __init__(self, vendor_key: str, user_key: str) -> None:
        vendor, user = _wrap(vendor_key), _wrap(user_key)
        del vendor_key, user_key  # from here on no frame of ours holds the raw text
        _check_key("vendor_key", vendor)
        _check_key("user_key", user)
        assert vendor is not None and user is not None
        object.__setattr__(self, "_vendor_key", vendor)
        object.__setattr__(self, "_user_key", user)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("MetrcCredentials is immutable")

    def __repr__(self) -> str:
        return "MetrcCredentials(vendor_key=<redacted>, user_key=<redacted>)"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("MetrcCredentials cannot be pickled (it holds secrets)")

    @property
    def vendor_key(self) -> Secret:
        """The integrator key (``.reveal()`` gives the text)."""
        return self._vendor_key

    @property
    def user_key(self) -> Secret:
        """The user's key (``.reveal()`` gives the text)."""
        return self._user_key

    def authorization(self) -> Secret:
        """The ``Authorization: Basic`` value, wrapped so it never prints."""
        raw = f"{self._vendor_key.reveal()}:{self._user_key.reveal()}".encode()
        return Secret("Basic " + base64.b64encode(raw).decode("ascii"))


def _check_base_url(url: Any) -> str:
    if not isinstance(url, str):
        raise InvalidValueError("base_url", url, "must be text")
    parts = urllib.parse.urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.username or parts.password:
        raise InvalidValueError("base_url", "<with credentials>", "must not carry credentials")
    secure = parts.scheme == "https" and bool(host)
    loopback = parts.scheme == "http" and bool(host) and is_loopback_host(host)
    if not (secure or loopback):
        raise InvalidValueError("base_url", url, "must be https:// (plain http only to a loopback address)")
    if parts.query or parts.fragment:
        raise InvalidValueError("base_url", url, "must not have a query or fragment")
    return url.strip().rstrip("/")


def _receipt_id(value: Any) -> str:
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not text.isdigit() or len(text) > 18:
        raise InvalidValueError("receipt_id", value, "must be Metrc's numeric receipt id")
    return text


class MetrcClient:
    """A Metrc facility seen through one user's key: implements ``TrackAndTrace`` and every capability.

    ``api_version`` 2 (default) uses the v2 paths and reads v2 lists page by page; 1 uses the v1 paths (a key can
    be limited to v1). ``transport`` is the "send one request" seam (default: :class:`HttpClientTransport`).
    ``clock``/``sleep``/``rng``/``wall_clock`` are injectable so tests control time and jitter.
    """

    def __init__(
        self,
        credentials: MetrcCredentials,
        license_number: str,
        *,
        state: str | None = None,
        sandbox: bool = False,
        base_url: str | None = None,
        facility_zone: str | None = None,
        api_version: Literal[1, 2] = 2,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        transport: HttpTransport | None = None,
        rate_limiter: GetRateLimiter | None = None,
        integrator_limiter: GetRateLimiter | None = None,
        page_size: int = _PAGE_SIZE,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        wall_clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        if not isinstance(credentials, MetrcCredentials):
            raise InvalidValueError("credentials", type(credentials).__name__, "must be MetrcCredentials")
        if not isinstance(license_number, str) or not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", license_number):
            raise InvalidValueError("license_number", license_number, "must be a Metrc license number")
        if (base_url is None) == (state is None):
            raise InvalidValueError("base_url", base_url, "give exactly one of state= and base_url=")
        self.base_url = (
            _check_base_url(base_url) if base_url is not None else metrc_base_url(str(state), sandbox=sandbox)
        )
        zone_name = facility_zone or (STATE_ZONES.get(state.lower()) if isinstance(state, str) else None)
        if zone_name is None:
            raise InvalidValueError("facility_zone", facility_zone, "name the facility's time zone (IANA name)")
        try:
            self.zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidValueError("facility_zone", zone_name, "is not a known IANA time zone") from None
        if api_version not in (1, 2):
            raise InvalidValueError("api_version", api_version, "must be 1 or 2")
        if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= _PAGE_SIZE:
            raise InvalidValueError("page_size", page_size, f"must be a whole number from 1 to {_PAGE_SIZE}")
        self._credentials = credentials
        self.license_number = license_number
        self.api_version = api_version
        self.timeouts = timeouts if timeouts is not None else Timeouts()
        self.retry = retry if retry is not None else RetryPolicy()
        self.transport: HttpTransport = transport if transport is not None else HttpClientTransport()
        self._clock = clock
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._rng = rng if rng is not None else random.Random()
        self.rate_limiter = rate_limiter if rate_limiter is not None else GetRateLimiter(clock=clock, sleep=sleep)
        self.integrator_limiter = integrator_limiter
        self.page_size = page_size

    def __repr__(self) -> str:
        return (
            f"MetrcClient(base_url={self.base_url!r}, license_number={self.license_number!r}, "
            f"api_version={self.api_version}, credentials=<redacted>)"
        )

    def __enter__(self) -> MetrcClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the transport's connections."""
        self.transport.close()

    # ------------------------------------------------------------------ the one call path

    def _url(self, path: str, query: Mapping[str, str | int]) -> str:
        text = self.base_url + path
        if query:
            text += "?" + urllib.parse.urlencode(query)
        return text

    def _call(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str | int] | None = None,
        body: Any = None,
        idempotent: bool = True,
        deadline: Deadline | None = None,
        resent_refusal_is_done: Callable[[Deadline], bool] | None = None,
    ) -> HttpResponse:
        """Send one API call with retries under one deadline; return a 2xx answer or raise a typed error.

        ``deadline`` lets a follow-up call share the deadline of the call it belongs to.
        ``resent_refusal_is_done`` is asked when a re-sent request is refused (400) after an earlier attempt of
        this same call may have reached the server: the refusal may be of our own first attempt's effect (a
        second void of a receipt the first one voided). It checks with the system and answers whether the call's
        purpose is already achieved; only then is the refusal taken as success.
        """
        payload = b"" if body is None else json.dumps(body, separators=(",", ":"), allow_nan=False).encode()
        headers: dict[str, str] = {"Authorization": self._credentials.authorization(), "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        request = HttpRequest(method, self._url(path, query or {}), headers, payload)
        if deadline is None:
            deadline = Deadline(self.retry.deadline, self._clock)
        attempt = 0
        earlier_may_have_acted = False
        while True:
            error = self._attempt(request, method, path, deadline, write=not idempotent)
            if isinstance(error, HttpResponse):  # a 2xx answer
                return error
            if (
                earlier_may_have_acted
                and resent_refusal_is_done is not None
                and isinstance(error, ValidationError)
                and self._refusal_is_done(resent_refusal_is_done, deadline, method, path)
            ):
                return HttpResponse(200, {}, b"")
            earlier_may_have_acted = earlier_may_have_acted or _may_have_acted(error)
            delay = retry_delay(
                error, attempt=attempt, idempotent=idempotent, policy=self.retry, deadline=deadline, rng=self._rng
            )
            if delay is None:
                _log.info("%s %s failed after %d attempt(s): %s", method, path, attempt + 1, type(error).__name__)
                raise error
            _log.warning(
                "%s %s: %s (status %s); retry %d in %.3f s",
                method,
                path,
                type(error).__name__,
                error.status,
                attempt + 1,
                delay,
            )
            self._sleep(delay)
            attempt += 1

    def _refusal_is_done(
        self, is_done: Callable[[Deadline], bool], deadline: Deadline, method: str, path: str
    ) -> bool:
        try:
            done = is_done(deadline)
        except TrackAndTraceError as exc:  # could not tell: the refusal stands
            _log.info("%s %s: re-send refused and the check failed (%s)", method, path, type(exc).__name__)
            return False
        if done:
            _log.info("%s %s: re-send refused, but an earlier attempt had already done it", method, path)
        return done

    def _attempt(
        self, request: HttpRequest, method: str, path: str, deadline: Deadline, *, write: bool
    ) -> HttpResponse | TrackAndTraceError:
        remaining = deadline.remaining()
        if remaining <= 0:
            return DeadlineExceededError(method, path, reached_server=False, reason="call deadline reached")
        limiters = (
            [lim for lim in (self.rate_limiter, self.integrator_limiter) if lim is not None] if method == "GET" else []
        )
        try:
            return self._send_limited(request, method, path, deadline, limiters, write=write)
        except LimiterTimeoutError:
            return DeadlineExceededError(
                method, path, reached_server=False, reason="no rate-limit slot before the deadline"
            )

    def _send_limited(
        self,
        request: HttpRequest,
        method: str,
        path: str,
        deadline: Deadline,
        limiters: list[GetRateLimiter],
        *,
        write: bool,
    ) -> HttpResponse | TrackAndTraceError:
        if limiters:
            with limiters[0].slot(deadline) as slot:
                try:
                    answer = self._send_limited(request, method, path, deadline, limiters[1:], write=write)
                except LimiterTimeoutError:
                    slot.refund = True  # an inner limiter held the GET back: it was never sent
                    raise
                slot.refund = (
                    isinstance(answer, TrackAndTraceError) and getattr(answer, "reached_server", True) is False
                )
                return answer
        remaining = deadline.remaining()
        if remaining <= 0:
            return DeadlineExceededError(method, path, reached_server=False, reason="call deadline reached")
        timeouts = Timeouts(min(self.timeouts.connect, remaining), min(self.timeouts.read, remaining))
        started = self._clock()
        try:
            response = self.transport.handle_request(request, timeouts)
        except (SendError, OSError, TrackAndTraceError) as exc:
            _log.debug("%s %s: network failure %s", method, path, type(exc).__name__)
            return map_failure(method, path, exception=exc, write=write)
        except Exception as exc:  # a user's transport raising something else: still typed, still unknown for a POST
            return map_failure(method, path, exception=exc, write=write)
        _log.debug("%s %s -> %d in %.1f ms", method, path, response.status, (self._clock() - started) * 1000)
        if 200 <= response.status <= 299:
            return response
        return map_failure(
            method,
            path,
            status=response.status,
            body=response.body,
            headers=response.headers,
            write=write,
            now=self._wall_clock(),
        )

    def _json(self, response: HttpResponse, method: str, path: str) -> Any:
        text = response.body.strip()
        if not text:
            # Never read as "nothing": an empty answer to a look-up taken for "absent" would let a receipt be
            # posted twice.
            raise map_failure(
                method,
                path,
                status=response.status,
                exception=ResponseFormatError("empty body where JSON was expected"),
            )
        try:
            return json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise map_failure(
                method, path, status=response.status, exception=ResponseFormatError(f"body is not JSON ({exc})")
            ) from None

    def _parse(self, method: str, path: str, parse: Callable[[], Any]) -> Any:
        try:
            return parse()
        except ResponseFormatError as exc:
            raise map_failure(method, path, status=200, exception=exc) from None
        except RecursionError:
            raise map_failure(
                method, path, status=200, exception=ResponseFormatError("answer nested too deeply")
            ) from None

    def _parse_page(self, path: str, data: Any) -> tuple[list[Any], int | None]:
        try:
            return page_rows(data if data is not None else [])
        except ResponseFormatError as exc:
            raise map_failure("GET", path, status=200, exception=exc) from None

    def _v(self) -> str:
        return f"v{self.api_version}"

    def _licensed(self, **extra: str | int) -> dict[str, str | int]:
        return {"licenseNumber": self.license_number, **extra}

    def _get_list(self, path: str, query: Mapping[str, str | int]) -> list[Any]:
        """Every row of a list: v1 in one answer, v2 page by page until the last (metrc-api.md, paging)."""
        if self.api_version == 1:
            data = self._json(self._call("GET", path, query=query), "GET", path)
            rows, _pages = self._parse_page(path, data)
            return rows
        rows_all: list[Any] = []
        previous: list[Any] | None = None
        page = 1
        while page <= _MAX_PAGES:
            answer = self._call("GET", path, query={**query, "pageNumber": page, "pageSize": self.page_size})
            data = self._json(answer, "GET", path)
            rows, total_pages = self._parse_page(path, data)
            if rows and rows == previous:
                # A server that ignores pageNumber would otherwise be read (and its rows counted) forever.
                raise map_failure(
                    "GET", path, status=200, exception=ResponseFormatError(f"page {page} repeats page {page - 1}")
                )
            previous = rows
            rows_all.extend(rows)
            if total_pages is not None:
                if page >= total_pages:
                    return rows_all
            elif len(rows) < self.page_size:
                return rows_all
            if not rows:
                return rows_all
            page += 1
        raise map_failure("GET", path, status=200, exception=ResponseFormatError("more pages than any facility has"))

    # ------------------------------------------------------------------ TrackAndTrace

    def post_sale(self, sale: Sale) -> PostedSale:
        """POST the sale as a one-element list. Raises ``OutcomeUnknownError`` when it may have been stored.

        It is re-sent automatically only after a failure while connecting (the request provably never reached
        Metrc); a read timeout, a reset after sending, a 5xx, a dropped keep-alive connection are "outcome
        unknown": ask :meth:`find_receipt` before posting again.
        """
        return self.post_sales([sale])[0]

    def post_sales(self, sales: Sequence[Sale]) -> list[PostedSale]:
        """POST several sales in one list body (the retry rule as for :meth:`post_sale`).

        A 400 raises ``ValidationError`` whose row numbers index into ``sales`` (Metrc numbers the objects of the
        body); Metrc validates the whole body first, so a refused batch stored nothing. v2 answers one id per
        sale in order; when it does not, the receipt ids stay None.
        """
        if isinstance(sales, (str, bytes)) or not isinstance(sales, Sequence) or not sales:
            raise InvalidValueError("sales", sales, "must be a non-empty sequence of Sale")
        numbers: set[str] = set()
        for sale in sales:
            if not isinstance(sale, Sale):
                raise InvalidValueError("sales", type(sale).__name__, "every item must be a Sale")
            if sale.external_receipt_number in numbers:
                raise InvalidValueError(
                    "external_receipt_number", sale.external_receipt_number, "appears twice in one batch"
                )
            numbers.add(sale.external_receipt_number)
        body = [sale_to_wire(sale, self.zone) for sale in sales]
        path = f"/sales/{self._v()}/receipts"
        answer = self._call("POST", path, query=self._licensed(), body=body, idempotent=False)
        # A 2xx means Metrc stored them; an unreadable success body must not turn that into a failure.
        ids: list[str | None] = [None] * len(sales)
        warnings: tuple[str, ...] = ()
        try:
            data = json.loads(answer.body) if answer.body.strip() else None
        except (ValueError, RecursionError):
            data = None
            _log.warning("POST %s: success answer was not JSON; the receipts are stored", path)
        if isinstance(data, Mapping):
            lowered = {str(k).lower(): v for k, v in data.items()}
            found_ids = lowered.get("ids")
            if (
                isinstance(found_ids, list)
                and len(found_ids) == len(sales)
                and all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in found_ids)
            ):
                ids = [str(i) for i in found_ids]
            found = lowered.get("warnings")
            if isinstance(found, list):
                warnings = tuple(str(w)[:500] for w in found)
        return [
            PostedSale(sale.external_receipt_number, receipt_id, warnings)
            for sale, receipt_id in zip(sales, ids, strict=True)
        ]

    def void_sale(self, receipt_id: str) -> None:
        """DELETE the receipt (retried on 429/500/503/network errors, as DELETE may be).

        When an attempt may have voided the receipt without its answer arriving (a read timeout, a reset, a 5xx)
        and the re-sent DELETE is then refused (Metrc refuses a second void with a 400), the receipt is read back
        within the same deadline: if Metrc shows it voided (``ArchivedDate`` set), the void is done and no error
        is raised. Otherwise, and whenever the first attempt itself is refused, the ``ValidationError`` stands.
        """
        number = _receipt_id(receipt_id)
        path = f"/sales/{self._v()}/receipts/{number}"

        def voided(deadline: Deadline) -> bool:
            answer = self._call("GET", path, query=self._licensed(), deadline=deadline)
            data = self._json(answer, "GET", path)
            receipt: Receipt = self._parse("GET", path, lambda: parse_receipt(data, self.zone))
            return receipt.id == number and receipt.archived_at is not None

        self._call("DELETE", path, query=self._licensed(), resent_refusal_is_done=voided)

    # ------------------------------------------------------------------ capabilities

    def update_receipt(self, receipt_id: str, sale: Sale) -> None:
        """PUT the receipt with its ``Id`` (returns and corrections)."""
        body = [sale_to_wire(sale, self.zone, receipt_id=int(_receipt_id(receipt_id)))]
        self._call("PUT", f"/sales/{self._v()}/receipts", query=self._licensed(), body=body)

    def finalize_receipts(self, receipt_ids: Sequence[str]) -> None:
        """v2 ``PUT /sales/v2/receipts/finalize`` with ``[{"Id": n}, ...]`` (metrc-api.md, "Sales receipts")."""
        self._finalize("finalize", receipt_ids)

    def unfinalize_receipts(self, receipt_ids: Sequence[str]) -> None:
        """v2 ``PUT /sales/v2/receipts/unfinalize`` with ``[{"Id": n}, ...]``."""
        self._finalize("unfinalize", receipt_ids)

    def _finalize(self, action: str, receipt_ids: Sequence[str]) -> None:
        if self.api_version != 2:
            raise InvalidValueError("api_version", self.api_version, f"receipts/{action} exists in v2 only")
        if isinstance(receipt_ids, (str, bytes)) or not isinstance(receipt_ids, Sequence) or not receipt_ids:
            raise InvalidValueError("receipt_ids", receipt_ids, "must be a non-empty sequence of receipt ids")
        body = [{"Id": int(_receipt_id(receipt_id))} for receipt_id in receipt_ids]
        self._call("PUT", f"/sales/v2/receipts/{action}", query=self._licensed(), body=body)

    def get_receipt(self, receipt_id: str) -> Receipt:
        """One receipt by Metrc's id (a 401 means the id is not valid for this license, not that it is absent)."""
        path = f"/sales/{self._v()}/receipts/{_receipt_id(receipt_id)}"
        data = self._json(self._call("GET", path, query=self._licensed()), "GET", path)
        result: Receipt = self._parse("GET", path, lambda: parse_receipt(data, self.zone))
        return result

    def find_receipt(self, external_receipt_number: str, *, sold_at: dt.datetime | None = None) -> Receipt | None:
        """The receipt stored under ``external_receipt_number``, or None when Metrc answered it has none.

        v2: ``GET /sales/v2/receipts/external/{n}``, answered as a list, one object or a ``Data`` wrapper; an
        empty answer, or a 404 whose message says the receipt is missing (not a missing route, not a web
        server's or a proxy's page), is "absent".
        v1 (no external look-up): the active and inactive receipts of ``sold_at``'s facility-local day,
        matched by external number; ``sold_at`` is then required. A 401 raises: it never means absent.
        """
        if not isinstance(external_receipt_number, str) or not external_receipt_number.strip():
            raise InvalidValueError("external_receipt_number", external_receipt_number, "must be non-blank text")
        number = external_receipt_number.strip()
        if self.api_version == 1:
            if sold_at is None:
                raise InvalidValueError("sold_at", None, "is required to find a receipt with a v1 key (by its day)")
            day = sold_at.astimezone(self.zone).date() if sold_at.tzinfo is not None else None
            if day is None:
                raise InvalidValueError("sold_at", sold_at, "must be timezone-aware")
            for active in (True, False):
                for receipt in self.list_receipts(day, active=active):
                    if receipt.external_receipt_number == number:
                        return receipt
            return None
        path = f"/sales/v2/receipts/external/{urllib.parse.quote(number, safe='')}"
        logged_path = "/sales/v2/receipts/external/{externalNumber}"
        try:
            answer = self._call("GET", path, query=self._licensed())
        except NotFoundError as error:
            if _says_receipt_missing(error.system_message):
                return None
            raise
        data = self._json(answer, "GET", logged_path)
        rows = self._parse("GET", logged_path, lambda: [parse_receipt(r, self.zone) for r in receipts_of_lookup(data)])
        matching = [r for r in rows if r.external_receipt_number in (number, None)]
        return matching[0] if matching else None

    def list_receipts(self, day: dt.date, *, active: bool = True) -> list[Receipt]:
        """The receipts of a facility-local ``day`` (all pages); ``active=False`` lists the voided ones.

        Sends ``salesDateStart`` = the day and ``salesDateEnd`` = the next day, then keeps the receipts whose
        ``SalesDateTime`` falls on the day, so the result is right whether Metrc reads the end as inclusive or not.
        """
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            raise InvalidValueError("day", day, "must be a date")
        path = f"/sales/{self._v()}/receipts/{'active' if active else 'inactive'}"
        query = self._licensed(salesDateStart=day.isoformat(), salesDateEnd=(day + dt.timedelta(days=1)).isoformat())
        rows = self._get_list(path, query)
        receipts: list[Receipt] = self._parse("GET", path, lambda: [parse_receipt(r, self.zone) for r in rows])
        return [r for r in receipts if r.sold_at is None or r.sold_at.astimezone(self.zone).date() == day]

    def list_patients(self) -> list[Patient]:
        """The facility's active patients (``/patients/v{1,2}/active``; Massachusetts fields, no demographics)."""
        path = f"/patients/{self._v()}/active"
        rows = self._get_list(path, self._licensed())
        result: list[Patient] = self._parse("GET", path, lambda: [parse_patient(r) for r in rows])
        return result

    def list_items(self) -> list[Item]:
        """The facility's active items (``/items/v{1,2}/active``)."""
        path = f"/items/{self._v()}/active"
        rows = self._get_list(path, self._licensed())
        result: list[Item] = self._parse("GET", path, lambda: [parse_item(r) for r in rows])
        return result

    def list_item_categories(self) -> list[ItemCategory]:
        """The item categories (``/items/v{1,2}/categories``; the license is sent, optional on v2)."""
        path = f"/items/{self._v()}/categories"
        rows = self._get_list(path, self._licensed())
        result: list[ItemCategory] = self._parse("GET", path, lambda: [parse_item_category(r) for r in rows])
        return result

    def update_item(self, item: Item) -> None:
        """v2 ``PUT /items/v2``; v1 ``POST /items/v1/update`` (a POST: never re-sent after it may have arrived)."""
        if not isinstance(item, Item):
            raise InvalidValueError("item", type(item).__name__, "must be an Item")
        body = [item_to_wire(item)]
        if self.api_version == 2:
            self._call("PUT", "/items/v2", query=self._licensed(), body=body)
        else:
            self._call("POST", "/items/v1/update", query=self._licensed(), body=body, idempotent=False)

    def list_units_of_measure(self) -> list[UnitOfMeasure]:
        """``/unitsofmeasure/v{1,2}/active`` (takes no license number)."""
        path = f"/unitsofmeasure/{self._v()}/active"
        rows = self._get_list(path, {})
        result: list[UnitOfMeasure] = self._parse("GET", path, lambda: [parse_unit_of_measure(r) for r in rows])
        return result
