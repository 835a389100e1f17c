"""The BioTrack adapter on a mock transport: the request it writes, every error code the sources name, the
session-expired re-login with the same nonce, the leaked header, and what BioTrack cannot take."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest

from fe_compliance.errors import InvalidValueError
from fe_compliance.tracktrace import (
    AccessDeniedError,
    AuthenticationError,
    FindsReceipts,
    HttpRequest,
    HttpResponse,
    MockTransport,
    OutcomeUnknownError,
    QuantityType,
    SaleLine,
    TrackAndTrace,
    TrackAndTraceError,
    UnexpectedResponseError,
    ValidationError,
)
from fe_compliance.tracktrace.biotrack import BioTrackClient, BioTrackCredentials
from fe_compliance.tracktrace.biotrack_wire import ERROR_CODES, derive_nonce, strip_leaked_header
from fe_compliance.tracktrace.retry import RetryPolicy

from .helpers import FakeClock, TimedTransport, make_sale

URL = "http://127.0.0.1:9/serverjson.asp"
LICENSE = "999000001"
BARCODE = "1584004777122787"
LOGIN_OK = {"success": 1, "admin": 1, "sessionid": "s-1", "time": 1}


def bt_sale(number: str = "R-1", **changes: Any) -> Any:
    changes.setdefault("lines", [SaleLine(BARCODE, 2, "Grams", Decimal("12.50"))])
    return make_sale(number, **changes)


def answer(data: Any, status: int = 200, prefix: bytes = b"") -> HttpResponse:
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    return HttpResponse(status, {"Content-Type": "text/plain"}, prefix + body)


class Script:
    """Answers per action from queues; records each request's parsed body."""

    def __init__(self, **queues: list[Any]) -> None:
        self.queues = {name: list(items) for name, items in queues.items()}
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: HttpRequest) -> HttpResponse:
        body = json.loads(request.body)
        self.bodies.append(body)
        queue = self.queues.get(body["action"])
        if not queue:
            raise AssertionError(f"unexpected action {body['action']}")
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        return item if isinstance(item, HttpResponse) else answer(item)

    def of(self, action: str) -> list[dict[str, Any]]:
        return [b for b in self.bodies if b["action"] == action]


def client_on(script: Callable[[HttpRequest], HttpResponse], **kwargs: Any) -> tuple[BioTrackClient, MockTransport]:
    clock = FakeClock()
    transport = MockTransport(script)
    kwargs.setdefault("retry", RetryPolicy(max_attempts=3, backoff_base=0.1, backoff_cap=0.5, deadline=10.0))
    client = BioTrackClient(
        BioTrackCredentials("user@example.com", "pw-secret"),
        LICENSE,
        url=URL,
        terminal_id="register-1",
        transport=transport,
        clock=clock,
        sleep=clock.sleep,
        rng=random.Random(3),
        **kwargs,
    )
    return client, transport


@pytest.fixture
def ok_script() -> Iterator[Script]:
    yield Script(login=[LOGIN_OK], sale_dispense=[{"success": 1, "transactionid": "77", "sessiontime": 1}])


def test_implements_the_protocol_and_the_find_capability() -> None:
    client, _ = client_on(Script())
    assert isinstance(client, TrackAndTrace)
    assert isinstance(client, FindsReceipts)


def test_dispense_request_is_the_documented_wire_format(ok_script: Script) -> None:
    client, transport = client_on(ok_script)
    posted = client.post_sale(bt_sale())
    assert posted.receipt_id == "77" and posted.external_receipt_number == "R-1"
    login, dispense = transport.requests
    assert login.method == dispense.method == "POST" and dispense.url == URL
    assert dispense.headers["Content-Type"] == "text/JSON"
    body = ok_script.of("sale_dispense")[0]
    assert body["API"] == "4.0" and body["sessionid"] == "s-1"
    assert body["terminal_id"] == "register-1"
    assert body["sale_time"] == int(dt.datetime(2024, 5, 1, 18, 30, tzinfo=dt.UTC).timestamp())
    assert body["data"] == [{"barcodeid": BARCODE, "quantity": 2.0, "price": 12.5}]
    assert body["nonce"] == client.dispense_nonce("R-1") == derive_nonce(LICENSE, "sale_dispense", "R-1")
    assert "training" not in body
    login_body = ok_script.of("login")[0]
    assert login_body["license_number"] == LICENSE and login_body["username"] == "user@example.com"
    assert login_body["password"] == "pw-secret" and login_body["API"] == "4.0"


def test_training_flag_is_sent_on_every_request(ok_script: Script) -> None:
    client, _ = client_on(ok_script, training=True)
    client.post_sale(bt_sale())
    assert [b["training"] for b in ok_script.bodies] == [1, 1]


def test_nonces_differ_per_sale_and_license() -> None:
    assert derive_nonce(LICENSE, "sale_dispense", "R-1") != derive_nonce(LICENSE, "sale_dispense", "R-2")
    assert derive_nonce(LICENSE, "sale_dispense", "R-1") != derive_nonce("999000002", "sale_dispense", "R-1")
    assert derive_nonce(LICENSE, "sale_dispense", "7") != derive_nonce(LICENSE, "sale_void", "7")


def test_session_expired_logs_in_again_and_resends_the_same_nonce() -> None:
    script = Script(
        login=[LOGIN_OK, {**LOGIN_OK, "sessionid": "s-2"}],
        sale_dispense=[
            {"success": 0, "errorcode": "63", "error": "Session expired"},
            {"success": 1, "transactionid": 5},
        ],
    )
    client, _ = client_on(script)
    assert client.post_sale(bt_sale()).receipt_id == "5"
    first, second = script.of("sale_dispense")
    assert first["nonce"] == second["nonce"] and first["sessionid"] == "s-1" and second["sessionid"] == "s-2"
    assert len(script.of("login")) == 2


def test_an_expired_session_told_only_in_words_is_also_renewed() -> None:
    script = Script(
        login=[LOGIN_OK],
        sale_void=[{"success": 0, "error": "Your session has expired."}, {"success": 1, "transactionid": "9"}],
    )
    client, _ = client_on(script)
    client.void_sale("9")
    assert len(script.of("login")) == 2 and len(script.of("sale_void")) == 2


def test_a_second_63_after_a_fresh_login_is_an_authentication_error_not_a_loop() -> None:
    script = Script(login=[LOGIN_OK], sale_dispense=[{"success": 0, "errorcode": 63, "error": "invalid license"}])
    client, _ = client_on(script)
    with pytest.raises(AuthenticationError) as caught:
        client.post_sale(bt_sale())
    assert "errorcode 63" in str(caught.value)
    assert len(script.of("sale_dispense")) == 2 and len(script.of("login")) == 2


@pytest.mark.parametrize(
    ("code", "expected"),
    [("62", AccessDeniedError), ("200", AccessDeniedError), ("602", ValidationError), ("17", ValidationError)],
)
def test_every_known_error_code_maps_to_its_typed_error(code: str, expected: type[Exception]) -> None:
    assert code in ERROR_CODES
    script = Script(login=[LOGIN_OK], sale_dispense=[{"success": 0, "errorcode": code, "error": "no."}])
    client, _ = client_on(script)
    with pytest.raises(expected) as caught:
        client.post_sale(bt_sale())
    assert f"errorcode {code}: no." in str(caught.value)
    assert len(script.of("sale_dispense")) == 1  # a refusal is never re-sent


def test_an_error_code_no_source_names_leaves_a_dispense_outcome_unknown() -> None:
    script = Script(login=[LOGIN_OK], sale_dispense=[{"success": 0, "errorcode": "4711", "error": "odd"}])
    client, _ = client_on(script)
    with pytest.raises(OutcomeUnknownError):
        client.post_sale(bt_sale())


def test_an_unknown_code_answering_nonce_replay_is_never_absent() -> None:
    script = Script(login=[LOGIN_OK], nonce_replay=[{"success": 0, "errorcode": "4711", "error": "odd"}])
    client, _ = client_on(script)
    with pytest.raises(UnexpectedResponseError):
        client.find_receipt("R-1")


def test_nonce_replay_602_is_absent_and_a_replayed_success_is_the_receipt() -> None:
    script = Script(login=[LOGIN_OK], nonce_replay=[{"success": 0, "errorcode": "602", "error": "none"}])
    client, _ = client_on(script)
    assert client.find_receipt("R-1") is None
    assert script.of("nonce_replay")[0]["nonce"] == client.dispense_nonce("R-1")
    script.queues["nonce_replay"] = [{"success": 1, "transactionid": "88", "sessiontime": 3}]
    found = client.find_receipt("R-1")
    assert found is not None and found.id == "88" and found.external_receipt_number == "R-1"


def test_login_refusals() -> None:
    client, _ = client_on(Script(login=[{"success": 0, "error": "Invalid username or password."}]))
    with pytest.raises(AuthenticationError, match="Invalid username"):
        client.login()
    client, _ = client_on(Script(login=[{"success": 1, "admin": 1}]))
    with pytest.raises(UnexpectedResponseError, match="sessionid"):
        client.login()
    client, _ = client_on(Script(login=[{"success": "yes"}]))
    with pytest.raises(UnexpectedResponseError):
        client.login()


def test_the_leaked_header_is_stripped_before_parsing() -> None:
    leaked = b"Content-Type: text/plain\r\n\r\n"
    script = Script(
        login=[answer(LOGIN_OK, prefix=leaked)],
        sale_dispense=[answer({"success": 1, "transactionid": "4"}, prefix=b"  content-type: text/plain\n")],
    )
    client, _ = client_on(script)
    assert client.post_sale(bt_sale()).receipt_id == "4"
    assert strip_leaked_header(b'{"a":"Content-Type: text/plain"}') == b'{"a":"Content-Type: text/plain"}'


def test_an_unreadable_dispense_answer_is_outcome_unknown_and_login_is_retried_on_503() -> None:
    script = Script(login=[answer(b"oops", 503), LOGIN_OK], sale_dispense=[answer(b"{not json")])
    client, _ = client_on(script)
    with pytest.raises(OutcomeUnknownError):
        client.post_sale(bt_sale())
    assert len(script.of("login")) == 2 and len(script.of("sale_dispense")) == 1


def test_a_second_void_is_answered_by_nonce_replay() -> None:
    script = Script(
        login=[LOGIN_OK],
        sale_void=[{"success": 0, "errorcode": "602", "error": "This nonce has already been used."}],
        nonce_replay=[{"success": 1, "transactionid": "9"}],
    )
    client, _ = client_on(script)
    client.void_sale("9")
    assert script.of("nonce_replay")[0]["nonce"] == client.void_nonce("9")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"customer_type": "Patient", "patient_license_number": "P-1"}, "customer_type"),
        ({"identification_method": "Drivers License"}, "identification_method"),
        ({"patient_license_number": "P-1"}, "patient_license_number"),
        ({"patient_registration_location_id": 3}, "patient_registration_location_id"),
        ({"lines": [SaleLine(BARCODE, 1, "Ounces", Decimal("1"))]}, "lines[0].unit_of_measure"),
        ({"lines": [SaleLine(BARCODE, 1.5, None, Decimal("1"), QuantityType.COUNT)]}, "lines[0].quantity"),
        ({"lines": [SaleLine("1A4FF01000", 1, "Grams", Decimal("1"))]}, "lines[0].package_label"),
        ({"lines": [SaleLine(BARCODE, 1, "Grams", Decimal("1.005"))]}, "lines[0].amount"),
    ],
)
def test_what_biotrack_cannot_take_is_refused_before_sending(changes: dict[str, Any], field: str) -> None:
    client, transport = client_on(Script())
    with pytest.raises(InvalidValueError) as caught:
        client.post_sale(bt_sale(**changes))
    assert caught.value.field == field
    assert transport.requests == []


@pytest.mark.parametrize(
    "url",
    ["http://biotrack.example.com/serverjson.asp", "https://biotrack.example.com/api", "ftp://127.0.0.1/serverjson.asp",
     "https://u:p@biotrack.example.com/serverjson.asp"],
)
def test_https_only_except_loopback_and_the_endpoint_named(url: str) -> None:
    with pytest.raises(InvalidValueError):
        BioTrackClient(BioTrackCredentials("u", "p"), LICENSE, url=url, terminal_id="t")
    BioTrackClient(BioTrackCredentials("u", "p"), LICENSE, url="https://bt.example.com/serverjson.asp", terminal_id="t")


def test_a_call_never_outlives_its_deadline() -> None:
    clock = FakeClock()
    transport = TimedTransport(lambda request: answer(b"busy", 503), clock, cost=0.6)
    client = BioTrackClient(
        BioTrackCredentials("u", "p"), LICENSE, url=URL, terminal_id="t", transport=transport, clock=clock,
        sleep=clock.sleep, rng=random.Random(1),
        retry=RetryPolicy(max_attempts=5, backoff_base=0.05, backoff_cap=0.1, deadline=1.0),
    )
    started = clock.now
    with pytest.raises(TrackAndTraceError):
        client.post_sale(bt_sale())
    assert clock.now - started <= 1.0 + 1e-9
    assert len(transport.timeouts) == 2 and transport.timeouts[1].read < 0.5  # cut to what was left


def test_a_void_whose_follow_up_question_fails_raises_the_void_failure() -> None:
    script = Script(
        login=[LOGIN_OK],
        sale_void=[{"success": 0, "errorcode": "602", "error": "The transaction could not be found."}],
        nonce_replay=[answer(b"down", 500)],
    )
    client, _ = client_on(script)
    with pytest.raises(ValidationError, match="could not be found"):
        client.void_sale("9")
