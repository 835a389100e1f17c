"""The Metrc adapter over the mock transport: paths, auth, the retry rule, the deadline, the GET limiter."""

from __future__ import annotations

import base64
import datetime as dt
import json
from email.utils import format_datetime
from typing import Any

import pytest

from fe_compliance.errors import InvalidValueError
from fe_compliance.tracktrace import (
    AuthenticationError,
    FindsReceipts,
    HttpRequest,
    HttpResponse,
    ListsItems,
    ListsPatients,
    ListsReceipts,
    ListsUnitsOfMeasure,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitedError,
    RequestTimeoutError,
    SendError,
    ServerError,
    TrackAndTrace,
    TrackAndTraceError,
    UnexpectedResponseError,
    UpdatesItems,
    UpdatesReceipts,
    ValidationError,
)
from fe_compliance.tracktrace.metrc import MetrcClient, MetrcCredentials, metrc_base_url
from fe_compliance.tracktrace.models import Item
from fe_compliance.tracktrace.ratelimit import GetRateLimiter
from fe_compliance.tracktrace.retry import RetryPolicy

from .helpers import LICENSE, USER, VENDOR, FakeClock, json_response, make_client, make_sale


def ok(_request: HttpRequest) -> HttpResponse:
    return json_response({"Ids": [7], "Warnings": None})


def path_and_query(request: HttpRequest) -> tuple[str, dict[str, str]]:
    from urllib.parse import parse_qsl, urlsplit

    parts = urlsplit(request.url)
    return parts.path, dict(parse_qsl(parts.query))


def test_the_client_implements_the_protocol_and_every_capability() -> None:
    client, _, _ = make_client(ok)
    for protocol in (
        TrackAndTrace,
        UpdatesReceipts,
        FindsReceipts,
        ListsReceipts,
        ListsPatients,
        ListsItems,
        UpdatesItems,
        ListsUnitsOfMeasure,
    ):
        assert isinstance(client, protocol)


def test_post_sale_v2_sends_a_list_with_basic_auth_and_the_license() -> None:
    client, transport, _ = make_client(ok)
    posted = client.post_sale(make_sale())
    assert posted.receipt_id == "7" and posted.external_receipt_number == "ABC-1234"
    (request,) = transport.requests
    assert request.method == "POST"
    assert path_and_query(request) == ("/sales/v2/receipts", {"licenseNumber": LICENSE})
    body = json.loads(request.body)
    assert isinstance(body, list) and len(body) == 1
    assert body[0]["SalesDateTime"] == "2024-05-01T14:30:00.000"
    expected = "Basic " + base64.b64encode(f"{VENDOR}:{USER}".encode()).decode()
    assert str.__str__(request.headers["Authorization"]) == expected
    assert request.headers["Content-Type"] == "application/json"


def test_post_sale_v1_success_is_an_empty_200() -> None:
    client, transport, _ = make_client(lambda r: HttpResponse(200, {}, b""), api_version=1)
    posted = client.post_sale(make_sale())
    assert posted.receipt_id is None
    assert path_and_query(transport.requests[0])[0] == "/sales/v1/receipts"


def test_a_2xx_with_an_unreadable_body_is_still_a_stored_receipt() -> None:
    client, _, _ = make_client(lambda r: HttpResponse(200, {}, b"{not json"))
    assert client.post_sale(make_sale()).receipt_id is None


# ----------------------------------------------------------------------------- the POST retry rule


def scripted(*steps: Any) -> Any:
    """A handler playing ``steps`` in order: an HttpResponse is answered, an exception raised."""
    queue = list(steps)

    def handler(request: HttpRequest) -> HttpResponse:
        step = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(step, BaseException):
            raise step
        assert isinstance(step, HttpResponse)
        return step

    return handler


STORED = json_response({"Ids": [9], "Warnings": None})


@pytest.mark.parametrize(
    "never_reached",
    [
        SendError("connect", ConnectionRefusedError(111, "refused")),
        SendError("connect", OSError(-2, "Name or service not known")),
        SendError("connect", TimeoutError("connect timed out")),
        SendError("connect", __import__("ssl").SSLError(1, "handshake failure")),
    ],
)
def test_a_post_that_never_reached_the_server_is_re_sent(never_reached: SendError) -> None:
    client, transport, clock = make_client(scripted(never_reached, STORED))
    assert client.post_sale(make_sale()).receipt_id == "9"
    assert len(transport.requests) == 2
    assert len(clock.sleeps) == 1


@pytest.mark.parametrize(
    "maybe_stored",
    [
        SendError("receive", ConnectionResetError(104, "reset")),
        SendError("receive", TimeoutError("read timed out")),
        SendError("send", BrokenPipeError(32, "broken pipe")),
        SendError("receive", __import__("http.client").client.RemoteDisconnected("closed")),
        json_response({"Message": "An error has occurred."}, status=500),
        json_response({"Message": "busy"}, status=503),
        RuntimeError("a user transport's own exception"),
    ],
)
def test_a_post_that_may_have_been_stored_is_never_re_sent(maybe_stored: Any) -> None:
    client, transport, clock = make_client(scripted(maybe_stored, STORED))
    with pytest.raises(OutcomeUnknownError) as info:
        client.post_sale(make_sale())
    assert len(transport.requests) == 1 and clock.sleeps == []
    assert info.value.method == "POST" and info.value.path == "/sales/v2/receipts"
    assert not info.value.retryable


def test_a_post_refused_with_400_names_every_row() -> None:
    body = [{"row": 0, "message": "Package ABC is not active."}, {"row": 0, "message": "Quantity too high."}]
    client, transport, _ = make_client(scripted(json_response(body, status=400)))
    with pytest.raises(ValidationError) as info:
        client.post_sale(make_sale())
    assert [r.message for r in info.value.rows] == ["Package ABC is not active.", "Quantity too high."]
    assert len(transport.requests) == 1


def test_a_post_is_not_rate_limited() -> None:
    clock = FakeClock()
    limiter = GetRateLimiter(1, 1, clock=clock, sleep=clock.sleep)
    client, _, _ = make_client(ok, clock, rate_limiter=limiter)
    for number in range(5):
        client.post_sale(make_sale(f"N-{number}"))
    assert clock.sleeps == [] and limiter.recent_starts == 0


# ----------------------------------------------------------------------------- GET/PUT/DELETE retries


UNITS = [{"QuantityType": "WeightBased", "Name": "Grams", "Abbreviation": "g"}]


@pytest.mark.parametrize(
    "transient",
    [
        json_response({"Message": "x"}, status=500),
        json_response({"Message": "x"}, status=503),
        json_response({"Message": "x"}, status=429),
        SendError("receive", ConnectionResetError()),
        SendError("connect", ConnectionRefusedError()),
        SendError("receive", TimeoutError()),
    ],
)
def test_a_get_is_retried_on_429_500_503_and_network_errors(transient: Any) -> None:
    client, transport, clock = make_client(scripted(transient, transient, json_response(UNITS)), api_version=1)
    assert [u.name for u in client.list_units_of_measure()] == ["Grams"]
    assert len(transport.requests) == 3 and len(clock.sleeps) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 502])
def test_other_statuses_are_not_retried(status: int) -> None:
    client, transport, _ = make_client(scripted(json_response({"Message": "m"}, status=status)), api_version=1)
    with pytest.raises(Exception) as info:
        client.list_units_of_measure()
    assert len(transport.requests) == 1
    assert info.value.status == status  # type: ignore[attr-defined]


def test_backoff_is_exponential_with_full_jitter_and_gives_up_after_max_attempts() -> None:
    policy = RetryPolicy(max_attempts=5, backoff_base=0.5, backoff_cap=1.5, retry_after_cap=5.0, deadline=100.0)
    client, transport, clock = make_client(scripted(json_response({}, status=503)), retry=policy, api_version=1)
    with pytest.raises(ServerError):
        client.list_units_of_measure()
    assert len(transport.requests) == 5
    assert len(clock.sleeps) == 4
    for attempt, slept in enumerate(clock.sleeps):
        assert 0.0 <= slept <= min(1.5, 0.5 * 2**attempt)
    assert len(set(clock.sleeps)) == 4  # jittered, not a fixed schedule


def test_retry_after_in_seconds_and_as_an_http_date_is_honoured() -> None:
    later = format_datetime(dt.datetime.fromtimestamp(1_700_000_000 + 3, dt.UTC), usegmt=True)
    client, _, clock = make_client(
        scripted(
            json_response({}, status=429, headers={"Retry-After": "2"}),
            json_response({}, status=429, headers={"Retry-After": later}),
            json_response(UNITS),
        ),
        api_version=1,
    )
    client.list_units_of_measure()
    assert clock.sleeps == [2.0, pytest.approx(3.0)]


def test_a_retry_after_beyond_the_cap_fails_at_once_with_the_wait() -> None:
    client, transport, clock = make_client(
        scripted(json_response({}, status=429, headers={"Retry-After": "600"})), api_version=1
    )
    with pytest.raises(RateLimitedError) as info:
        client.list_units_of_measure()
    assert info.value.retry_after == 600.0 and clock.sleeps == [] and len(transport.requests) == 1


def test_a_retry_after_date_beyond_the_cap_fails_at_once_with_the_wait() -> None:
    later = format_datetime(dt.datetime.fromtimestamp(1_700_000_000 + 600, dt.UTC), usegmt=True)
    client, transport, clock = make_client(
        scripted(json_response({}, status=503, headers={"Retry-After": later})), api_version=1
    )
    with pytest.raises(ServerError) as info:
        client.list_units_of_measure()
    assert info.value.retry_after == pytest.approx(600.0) and clock.sleeps == [] and len(transport.requests) == 1


def test_put_and_delete_are_retried() -> None:
    client, transport, _ = make_client(scripted(json_response({}, status=503), HttpResponse(200, {}, b"")))
    client.void_sale("42")
    assert [r.method for r in transport.requests] == ["DELETE", "DELETE"]
    assert path_and_query(transport.requests[0]) == ("/sales/v2/receipts/42", {"licenseNumber": LICENSE})
    client2, transport2, _ = make_client(
        scripted(SendError("receive", ConnectionResetError()), HttpResponse(200, {}, b""))
    )
    client2.update_receipt("42", make_sale())
    assert [r.method for r in transport2.requests] == ["PUT", "PUT"]
    body = json.loads(transport2.requests[1].body)
    assert body[0]["Id"] == 42 and body[0]["ExternalReceiptNumber"] == "ABC-1234"


ALREADY_VOIDED = json_response([{"row": 0, "message": "Receipt 42 is already voided."}], status=400)
VOIDED_42 = json_response({"Id": 42, "ExternalReceiptNumber": "ABC-1234", "ArchivedDate": "2024-05-01T19:00:00Z"})


def test_a_resent_void_refused_after_a_lost_answer_is_checked_within_the_deadline() -> None:
    client, transport, _ = make_client(
        scripted(SendError("receive", TimeoutError("read timed out")), ALREADY_VOIDED, VOIDED_42)
    )
    client.void_sale("42")
    assert [r.method for r in transport.requests] == ["DELETE", "DELETE", "GET"]
    # The look-up is part of the void's call: it gets no more time than the deadline leaves.
    assert transport.timeouts[2].read <= transport.timeouts[0].read


@pytest.mark.parametrize(
    ("first", "check"),
    [
        (json_response({}, status=429), VOIDED_42),  # a 429 is a refusal: the first attempt did nothing
        (json_response({}, status=503), json_response({"Id": 42, "ArchivedDate": None})),  # not voided
        (json_response({}, status=503), json_response({}, status=401)),  # the check fails: cannot tell
        (json_response({}, status=503), json_response({"Id": 7, "ArchivedDate": "2024-05-01T19:00:00Z"})),
    ],
)
def test_a_resent_void_refusal_stands_unless_metrc_shows_the_receipt_voided(first: Any, check: Any) -> None:
    client, transport, _ = make_client(scripted(first, ALREADY_VOIDED, check), retry=RetryPolicy(max_attempts=2))
    with pytest.raises(ValidationError):
        client.void_sale("42")
    sent = [r.method for r in transport.requests]
    assert sent == (["DELETE", "DELETE"] if first.status == 429 else ["DELETE", "DELETE", "GET"])


@pytest.mark.parametrize("bad", ["", "12a", "../x", "1" * 30, True, None])
def test_receipt_ids_are_checked(bad: Any) -> None:
    client, transport, _ = make_client(ok)
    with pytest.raises(InvalidValueError):
        client.void_sale(bad)
    assert transport.requests == []


# ----------------------------------------------------------------------------- the deadline


def test_a_call_never_outlives_its_deadline() -> None:
    policy = RetryPolicy(max_attempts=50, backoff_base=1.0, backoff_cap=4.0, retry_after_cap=5.0, deadline=10.0)
    clock = FakeClock()
    start = clock.now
    client, transport, _ = make_client(
        scripted(json_response({}, status=503)), clock, cost=1.5, retry=policy, api_version=1
    )
    with pytest.raises((ServerError, RequestTimeoutError)):
        client.list_units_of_measure()
    assert clock.now - start <= 10.0
    assert 2 <= len(transport.requests) < 50
    # each attempt's timeouts never reach past the deadline
    elapsed = 0.0
    for index, timeouts in enumerate(transport.timeouts):
        elapsed = sum(clock.sleeps[:index]) + 1.5 * index
        assert timeouts.read <= 10.0 - elapsed + 1e-9
        assert timeouts.connect <= 10.0 - elapsed + 1e-9


def test_retry_after_that_would_pass_the_deadline_is_not_waited() -> None:
    policy = RetryPolicy(max_attempts=5, backoff_base=0.1, backoff_cap=1.0, retry_after_cap=60.0, deadline=5.0)
    client, transport, clock = make_client(
        scripted(json_response({}, status=429, headers={"Retry-After": "30"})), retry=policy, api_version=1
    )
    with pytest.raises(RateLimitedError):
        client.list_units_of_measure()
    assert clock.sleeps == [] and len(transport.requests) == 1


def test_a_deadline_already_spent_by_the_limiter_is_a_timeout() -> None:
    clock = FakeClock()
    limiter = GetRateLimiter(1, 1, clock=clock, sleep=clock.sleep)
    policy = RetryPolicy(deadline=0.5)
    client, transport, _ = make_client(
        lambda r: json_response(UNITS), clock, rate_limiter=limiter, retry=policy, api_version=1
    )
    client.list_units_of_measure()
    with pytest.raises(RequestTimeoutError):
        client.list_units_of_measure()  # the next slot frees after 1 s; the deadline is 0.5 s
    assert len(transport.requests) == 1
    assert limiter.in_flight == 0


# ----------------------------------------------------------------------------- the GET rate limiter


def test_the_limiter_spaces_gets_to_its_rate() -> None:
    clock = FakeClock()
    limiter = GetRateLimiter(2, 5, clock=clock, sleep=clock.sleep)
    client, transport, _ = make_client(lambda r: json_response(UNITS), clock, rate_limiter=limiter, api_version=1)
    for _ in range(5):
        client.list_units_of_measure()
    assert len(transport.requests) == 5
    assert sum(clock.sleeps) == pytest.approx(2.0)  # 5 GETs at 2/s: two waits of a second


def test_the_limiter_never_loses_a_slot_on_failure() -> None:
    clock = FakeClock()
    limiter = GetRateLimiter(1000, 2, clock=clock, sleep=clock.sleep)
    failures = [
        SendError("receive", ConnectionResetError()),
        json_response({}, status=500),
        RuntimeError("boom"),
        SendError("connect", ConnectionRefusedError()),
        json_response({}, status=401),
    ]
    policy = RetryPolicy(max_attempts=1)
    for failure in failures * 10:
        client, _, _ = make_client(scripted(failure), clock, rate_limiter=limiter, retry=policy, api_version=1)
        with pytest.raises(TrackAndTraceError):
            client.list_units_of_measure()
        assert limiter.in_flight == 0
    # connect failures never reached the server: their per-second slot was given back
    assert limiter.recent_starts == 40
    client, _, _ = make_client(lambda r: json_response(UNITS), clock, rate_limiter=limiter, api_version=1)
    client.list_units_of_measure()


def test_a_get_the_integrator_limiter_holds_back_gives_the_facility_slot_back() -> None:
    clock = FakeClock()
    facility = GetRateLimiter(5, 10, clock=clock, sleep=clock.sleep)
    integrator = GetRateLimiter(1, 10, clock=clock, sleep=clock.sleep)
    client, transport, _ = make_client(
        lambda r: json_response(UNITS),
        clock,
        rate_limiter=facility,
        integrator_limiter=integrator,
        retry=RetryPolicy(deadline=0.5),
        api_version=1,
    )
    client.list_units_of_measure()
    with pytest.raises(RequestTimeoutError):
        client.list_units_of_measure()  # the integrator's next slot frees after 1 s; the deadline is 0.5 s
    assert len(transport.requests) == 1
    assert facility.recent_starts == 1  # the GET that was never sent holds no facility slot
    assert facility.in_flight == 0 and integrator.in_flight == 0


def test_an_integrator_limiter_is_shared() -> None:
    clock = FakeClock()
    shared = GetRateLimiter(3, 30, clock=clock, sleep=clock.sleep)
    clients = [
        make_client(lambda r: json_response(UNITS), clock, integrator_limiter=shared, api_version=1)[0]
        for _ in range(2)
    ]
    for client in clients * 2:
        client.list_units_of_measure()
    assert sum(clock.sleeps) == pytest.approx(1.0)


# ----------------------------------------------------------------------------- reading lists, paging


def receipts_pages(total: int, page_size: int = 20, *, with_total_pages: bool = True) -> Any:
    rows = [
        {"Id": n + 1, "ExternalReceiptNumber": f"E-{n}", "SalesDateTime": "2024-05-01T10:00:00.000", "Transactions": []}
        for n in range(total)
    ]

    def handler(request: HttpRequest) -> HttpResponse:
        _, query = path_and_query(request)
        size = int(query["pageSize"])
        page = int(query["pageNumber"])
        chunk = rows[(page - 1) * size : page * size]
        wrapper: dict[str, Any] = {"Data": chunk, "Total": total, "PageSize": size, "Page": page}
        if with_total_pages:
            wrapper["TotalPages"] = -(-total // size)
        return json_response(wrapper)

    return handler


@pytest.mark.parametrize(("total", "requests"), [(0, 1), (1, 1), (20, 1), (21, 2), (45, 3)])
def test_v2_lists_are_read_to_the_last_page(total: int, requests: int) -> None:
    client, transport, _ = make_client(receipts_pages(total))
    receipts = client.list_receipts(dt.date(2024, 5, 1))
    assert [r.id for r in receipts] == [str(n + 1) for n in range(total)]
    assert len(transport.requests) == requests
    path, query = path_and_query(transport.requests[0])
    assert path == "/sales/v2/receipts/active"
    assert query == {
        "licenseNumber": LICENSE,
        "salesDateStart": "2024-05-01",
        "salesDateEnd": "2024-05-02",
        "pageNumber": "1",
        "pageSize": "20",
    }


def test_v2_paging_without_total_pages_stops_at_a_short_page() -> None:
    client, transport, _ = make_client(receipts_pages(41, with_total_pages=False))
    assert len(client.list_receipts(dt.date(2024, 5, 1))) == 41
    assert len(transport.requests) == 3


def test_list_receipts_keeps_only_the_day() -> None:
    rows = [
        {"Id": 1, "SalesDateTime": "2024-05-01T23:59:59.000"},
        {"Id": 2, "SalesDateTime": "2024-05-02T00:00:00.000"},
    ]
    client, _, _ = make_client(lambda r: json_response(rows), api_version=1)
    assert [r.id for r in client.list_receipts(dt.date(2024, 5, 1), active=False)] == ["1"]


def test_every_list_endpoint_and_its_path() -> None:
    seen: list[tuple[str, dict[str, str]]] = []
    answers = {
        "/patients/v2/active": [{"LicenseNumber": "P-1", "HasSalesLimitExemption": False}],
        "/items/v2/active": [{"Id": 1, "Name": "Buds", "QuantityType": "WeightBased"}],
        "/items/v2/categories": [{"Name": "Buds", "QuantityType": "WeightBased"}],
        "/unitsofmeasure/v2/active": UNITS,
    }

    def handler(request: HttpRequest) -> HttpResponse:
        path, query = path_and_query(request)
        seen.append((path, query))
        if request.method == "PUT":
            return HttpResponse(200, {}, b"")
        return json_response({"Data": answers[path], "TotalPages": 1})

    client, _, _ = make_client(handler)
    assert client.list_patients()[0].license_number == "P-1"
    assert client.list_items()[0].name == "Buds"
    assert client.list_item_categories()[0].name == "Buds"
    assert client.list_units_of_measure()[0].abbreviation == "g"
    client.update_item(Item(id="1", name="Buds 2", category_name="Buds", unit_of_measure="Grams"))
    assert [p for p, _ in seen] == [*answers, "/items/v2"]
    assert "licenseNumber" not in seen[3][1]  # units of measure take no license
    assert all(q.get("licenseNumber") == LICENSE for p, q in seen if p != "/unitsofmeasure/v2/active")


def test_v1_item_update_is_a_post_to_update() -> None:
    client, transport, _ = make_client(lambda r: HttpResponse(200, {}, b""), api_version=1)
    client.update_item(Item(id="1", name="Buds"))
    assert transport.requests[0].method == "POST"
    assert path_and_query(transport.requests[0])[0] == "/items/v1/update"


# ----------------------------------------------------------------------------- find_receipt


RECEIPT = {"Id": 5, "ExternalReceiptNumber": "ABC-1234", "SalesDateTime": "2024-05-01T14:30:00.000"}


@pytest.mark.parametrize("answer", [[RECEIPT], RECEIPT, {"Data": [RECEIPT], "Total": 1}])
def test_find_receipt_reads_every_documented_shape(answer: Any) -> None:
    client, transport, _ = make_client(lambda r: json_response(answer))
    found = client.find_receipt("ABC-1234")
    assert found is not None and found.id == "5"
    assert path_and_query(transport.requests[0]) == ("/sales/v2/receipts/external/ABC-1234", {"licenseNumber": LICENSE})


@pytest.mark.parametrize(
    "absent",
    [
        json_response([]),
        json_response({"Data": [], "Total": 0}),
        json_response({"Message": "No receipt with external number ABC-1234."}, status=404),
    ],
)
def test_find_receipt_says_absent_only_when_metrc_answered_so(absent: HttpResponse) -> None:
    client, _, _ = make_client(lambda r: absent)
    assert client.find_receipt("ABC-1234") is None


def test_find_receipt_never_takes_a_401_or_a_missing_route_for_absent() -> None:
    client, _, _ = make_client(lambda r: json_response({"Message": "Authorization has been denied."}, status=401))
    with pytest.raises(AuthenticationError):
        client.find_receipt("ABC-1234")
    v1_only = HttpResponse(
        401, {"Content-Type": "text/plain"}, b"The provided API key is only valid for V1 API endpoints."
    )
    client, _, _ = make_client(lambda r: v1_only)
    with pytest.raises(AuthenticationError, match="only valid for V1"):
        client.find_receipt("ABC-1234")
    route = json_response({"Message": "No HTTP resource was found that matches the request URI."}, status=404)
    client, _, _ = make_client(lambda r: route)
    with pytest.raises(NotFoundError):
        client.find_receipt("ABC-1234")
    client, _, _ = make_client(lambda r: HttpResponse(404, {}, b""))
    with pytest.raises(NotFoundError):
        client.find_receipt("ABC-1234")
    client, _, _ = make_client(lambda r: HttpResponse(200, {}, b""))
    with pytest.raises(UnexpectedResponseError):
        client.find_receipt("ABC-1234")  # an empty answer is not "absent"


@pytest.mark.parametrize(
    "not_about_the_receipt",
    [
        HttpResponse(404, {"Content-Type": "text/html"}, b"<html><body><h1>404 - File or directory not found.</h1>"),
        HttpResponse(404, {"Content-Type": "text/plain"}, b"Not Found"),
        json_response({"Message": "Not found."}, status=404),
        HttpResponse(404, {}, b"<html><title>Receipt</title>Not Found</html>"),
    ],
)
def test_a_404_that_does_not_say_the_receipt_is_missing_is_not_absent(not_about_the_receipt: HttpResponse) -> None:
    # A proxy's or web server's 404 (a wrong base path, a gateway) says nothing about the receipt: taking it for
    # "absent" would let the caller post the receipt a second time.
    client, _, _ = make_client(lambda r: not_about_the_receipt)
    with pytest.raises(NotFoundError):
        client.find_receipt("ABC-1234")


def test_find_receipt_ignores_other_numbers_and_quotes_the_path() -> None:
    other = {**RECEIPT, "ExternalReceiptNumber": "OTHER"}
    client, transport, _ = make_client(lambda r: json_response([other]))
    assert client.find_receipt("A/B?C") is None
    assert path_and_query(transport.requests[0])[0] == "/sales/v2/receipts/external/A%2FB%3FC"


def test_find_receipt_with_a_v1_key_lists_the_sale_day() -> None:
    calls: list[str] = []

    def handler(request: HttpRequest) -> HttpResponse:
        path, query = path_and_query(request)
        calls.append(path)
        assert query["salesDateStart"] == "2024-05-01"
        return json_response([RECEIPT] if path.endswith("inactive") else [])

    client, _, _ = make_client(handler, api_version=1)
    found = client.find_receipt("ABC-1234", sold_at=dt.datetime(2024, 5, 1, 18, 30, tzinfo=dt.UTC))
    assert found is not None and calls == ["/sales/v1/receipts/active", "/sales/v1/receipts/inactive"]
    with pytest.raises(InvalidValueError):
        client.find_receipt("ABC-1234")


def test_malformed_answers_are_typed() -> None:
    for body in (b"{not json", b'"text"', b"[1, 2]", b'{"Data": 5}', b"[" * 5000 + b"]" * 5000):
        client, _, _ = make_client(lambda r, b=body: HttpResponse(200, {}, b), api_version=1)
        with pytest.raises(UnexpectedResponseError):
            client.list_units_of_measure()


# ----------------------------------------------------------------------------- configuration


def test_base_urls() -> None:
    assert metrc_base_url("MA") == "https://api-ma.metrc.com"
    assert metrc_base_url("ma", sandbox=True) == "https://sandbox-api-ma.metrc.com"
    client = MetrcClient(MetrcCredentials(VENDOR, USER), LICENSE, state="ma")
    assert client.base_url == "https://api-ma.metrc.com" and str(client.zone) == "America/New_York"
    client.close()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"base_url": "http://api-ma.metrc.com"}, "base_url"),
        ({"base_url": "ftp://127.0.0.1"}, "base_url"),
        ({"base_url": "https://u:p@api-ma.metrc.com"}, "base_url"),
        ({"state": "ma", "base_url": "https://x"}, "base_url"),
        ({}, "base_url"),
        ({"state": "co"}, "facility_zone"),
        ({"state": "ma", "facility_zone": "Mars/Olympus"}, "facility_zone"),
        ({"state": "ma", "api_version": 3}, "api_version"),
        ({"state": "ma", "page_size": 21}, "page_size"),
        ({"state": "massachusetts"}, "state"),
    ],
)
def test_bad_configuration_is_refused(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        MetrcClient(MetrcCredentials(VENDOR, USER), LICENSE, **kwargs)
    assert info.value.field == field


def test_loopback_http_is_allowed() -> None:
    for url in ("http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:5"):
        MetrcClient(MetrcCredentials(VENDOR, USER), LICENSE, base_url=url, facility_zone="UTC").close()


def test_a_batch_answer_with_the_wrong_number_of_ids_gives_no_ids() -> None:
    client, transport, _ = make_client(lambda r: json_response({"Ids": [1], "Warnings": ["w"]}))
    posted = client.post_sales([make_sale("A"), make_sale("B")])
    assert [p.receipt_id for p in posted] == [None, None] and posted[0].warnings == ("w",)
    assert len(json.loads(transport.requests[0].body)) == 2


def test_a_503_retry_after_is_honoured_too() -> None:
    client, _, clock = make_client(
        scripted(json_response({}, status=503, headers={"Retry-After": "3"}), json_response(UNITS)), api_version=1
    )
    client.list_units_of_measure()
    assert clock.sleeps == [3.0]


def test_the_deadline_error_is_typed_and_final() -> None:
    from fe_compliance.tracktrace import DeadlineExceededError

    clock = FakeClock()
    limiter = GetRateLimiter(1, 1, clock=clock, sleep=clock.sleep)
    policy = RetryPolicy(max_attempts=10, deadline=0.5)
    client, transport, _ = make_client(
        lambda r: json_response(UNITS), clock, rate_limiter=limiter, retry=policy, api_version=1
    )
    client.list_units_of_measure()
    with pytest.raises(DeadlineExceededError) as info:
        client.list_units_of_measure()
    assert isinstance(info.value, RequestTimeoutError) and not info.value.retryable
    assert len(transport.requests) == 1 and clock.sleeps == []


def test_a_server_repeating_the_same_page_is_an_error_not_a_loop() -> None:
    page = [{"Id": n, "SalesDateTime": "2024-05-01T10:00:00.000"} for n in range(20)]
    client, transport, _ = make_client(lambda r: json_response({"Data": page}))
    with pytest.raises(UnexpectedResponseError, match="repeats"):
        client.list_receipts(dt.date(2024, 5, 1))
    assert len(transport.requests) == 2
