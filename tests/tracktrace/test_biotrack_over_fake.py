"""The BioTrack adapter against the fake BioTrack over real sockets on 127.0.0.1: every action, every injected fault,
session expiry mid-sale, outcome-unknown dispenses resolved by nonce replay, the leaked header. Timeouts are
sub-second so the module stays fast."""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from fe_compliance.testing.fake_biotrack import BioTrackUser, FakeBioTrack, Fault
from fe_compliance.tracktrace import (
    AccessDeniedError,
    AuthenticationError,
    ConnectionFailedError,
    OutcomeUnknownError,
    RequestTimeoutError,
    SaleLine,
    Timeouts,
    ValidationError,
)
from fe_compliance.tracktrace.biotrack import BioTrackClient, BioTrackCredentials
from fe_compliance.tracktrace.retry import RetryPolicy

from .helpers import make_sale

FAST = RetryPolicy(max_attempts=3, backoff_base=0.01, backoff_cap=0.02, retry_after_cap=1.5, deadline=5.0)
SHORT = Timeouts(connect=0.5, read=0.4)
BARCODE = "1584004777122787"


def bt_sale(number: str = "R-1") -> Any:
    return make_sale(number, lines=[SaleLine(BARCODE, 2, "Grams", Decimal("12.50")),
                                    SaleLine("1584004777122788", 1, "Each", Decimal("30"))])


@pytest.fixture
def fake() -> Iterator[FakeBioTrack]:
    with FakeBioTrack() as server:
        yield server


def client_for(fake: FakeBioTrack, **kwargs: Any) -> BioTrackClient:
    kwargs.setdefault("retry", FAST)
    kwargs.setdefault("timeouts", SHORT)
    kwargs.setdefault("sleep", lambda seconds: time.sleep(min(seconds, 0.01)))
    username = kwargs.pop("username", fake.username)
    password = kwargs.pop("password", fake.password)
    license_number = kwargs.pop("license_number", fake.license_number)
    return BioTrackClient(
        BioTrackCredentials(username, password), license_number, url=fake.url, terminal_id="register-1", **kwargs
    )


@pytest.fixture
def client(fake: FakeBioTrack) -> Iterator[BioTrackClient]:
    with client_for(fake) as made:
        made.login()
        yield made


# ----------------------------------------------------------------------------- actions


def test_login_dispense_find_void(fake: FakeBioTrack, client: BioTrackClient) -> None:
    posted = client.post_sale(bt_sale())
    (stored,) = fake.sales
    assert posted.receipt_id == stored.transaction_id
    assert stored.terminal_id == "register-1" and stored.nonce == client.dispense_nonce("R-1")
    assert stored.lines == ({"barcodeid": BARCODE, "quantity": 2.0, "price": 12.5},
                            {"barcodeid": "1584004777122788", "quantity": 1.0, "price": 30.0})
    found = client.find_receipt("R-1")
    assert found is not None and found.id == posted.receipt_id
    assert client.find_receipt("R-404") is None
    assert posted.receipt_id is not None
    client.void_sale(posted.receipt_id)
    assert fake.sales[0].voided
    client.void_sale(posted.receipt_id)  # a repeat is answered by nonce_replay, not refused
    assert [c.content_type for c in fake.requests] == ["text/JSON"] * len(fake.requests)
    login = fake.calls("login")[0]
    assert login.fields is not None and login.fields["password"] == "<redacted>"
    assert all(c.fields is not None and c.fields.get("sessionid") == "<redacted>" for c in fake.calls("sale_void"))


def test_training_flag_reaches_the_server(fake: FakeBioTrack) -> None:
    with client_for(fake, training=True) as client:
        client.post_sale(bt_sale())
    assert fake.sales[0].training
    assert all(c.fields is not None and c.fields["training"] == 1 for c in fake.requests)


def test_void_of_an_unknown_transaction_is_refused(client: BioTrackClient) -> None:
    with pytest.raises(ValidationError, match="errorcode 602"):
        client.void_sale("424242")


def test_wrong_password_and_wrong_license_fail_login(fake: FakeBioTrack) -> None:
    with client_for(fake, password="not-it") as client, pytest.raises(AuthenticationError):
        client.post_sale(bt_sale())
    with client_for(fake, license_number="999000002") as client, pytest.raises(AuthenticationError, match="63"):
        client.post_sale(bt_sale())
    assert fake.sales == ()


def test_missing_privilege_is_access_denied_and_stores_nothing() -> None:
    user = BioTrackUser("clerk@example.com", "clerk-pw", privileges=frozenset({"sale_void"}))
    with FakeBioTrack(users=[user]) as fake, client_for(fake) as client:
        with pytest.raises(AccessDeniedError, match="errorcode 62"):
            client.post_sale(bt_sale())
        assert fake.sales == ()


# ----------------------------------------------------------------------------- session expiry


def test_session_expiry_mid_sale_logs_in_again_and_stores_once(fake: FakeBioTrack, client: BioTrackClient) -> None:
    fake.expire_sessions()
    client.post_sale(bt_sale())
    dispenses = fake.calls("sale_dispense")
    assert [c.acted for c in dispenses] == [False, True]
    assert dispenses[0].nonce == dispenses[1].nonce == client.dispense_nonce("R-1")
    assert fake.logins == 2 and fake.stored_count(client.dispense_nonce("R-1")) == 1


def test_session_expiry_before_a_nonce_replay_and_a_void(fake: FakeBioTrack, client: BioTrackClient) -> None:
    posted = client.post_sale(bt_sale())
    fake.expire_sessions()
    assert client.find_receipt("R-1") is not None
    fake.expire_sessions()
    assert posted.receipt_id is not None
    client.void_sale(posted.receipt_id)
    assert fake.sales[0].voided and fake.logins == 3


# ----------------------------------------------------------------------------- faults


@pytest.mark.parametrize(
    "fault",
    [Fault.drop_after_store(), Fault.slow(1.0), Fault.malformed_json(), Fault.empty_body()],
    ids=["drop", "slow", "malformed", "empty"],
)
def test_an_outcome_unknown_dispense_is_resolved_by_nonce_replay_without_a_second_store(
    fake: FakeBioTrack, client: BioTrackClient, fault: Fault
) -> None:
    fake.faults.script(fault)
    with pytest.raises(OutcomeUnknownError):
        client.post_sale(bt_sale())
    assert len(fake.calls("sale_dispense")) == 1  # never re-sent by the adapter
    found = client.find_receipt("R-1")
    assert found is not None and found.id == fake.sales[0].transaction_id
    assert fake.stored_count(client.dispense_nonce("R-1")) == 1


@pytest.mark.parametrize(
    "fault", [Fault.reset_before_read(), Fault.reset_after_read(), Fault.server_error()],
    ids=["reset-before-read", "reset-after-read", "500"],
)
def test_an_outcome_unknown_dispense_not_stored_is_found_absent_and_posted_once(
    fake: FakeBioTrack, client: BioTrackClient, fault: Fault
) -> None:
    fake.faults.script(fault)
    with pytest.raises(OutcomeUnknownError):
        client.post_sale(bt_sale())
    assert client.find_receipt("R-1") is None
    client.post_sale(bt_sale())
    assert fake.stored_count(client.dispense_nonce("R-1")) == 1


def test_a_refused_connection_is_retried_then_typed(fake: FakeBioTrack, client: BioTrackClient) -> None:
    fake.stop_listening()
    client.transport.close()  # the idle keep-alive connection of the login would still be served
    try:
        with pytest.raises(ConnectionFailedError) as caught:
            client.post_sale(bt_sale())
        assert caught.value.reached_server is False
        assert fake.calls("sale_dispense") == []
    finally:
        fake.resume_listening()
    client.post_sale(bt_sale())
    assert fake.stored_count(client.dispense_nonce("R-1")) == 1


@pytest.mark.parametrize("fault", [Fault.unavailable(), Fault.rate_limited(0), Fault.reset_after_read()],
                         ids=["503", "429", "reset"])
def test_reads_and_logins_are_retried(fake: FakeBioTrack, fault: Fault) -> None:
    with client_for(fake) as client:
        fake.faults.script(fault)
        client.login()
        fake.faults.script(fault)
        assert client.find_receipt("R-1") is None
    assert [c.fault is not None for c in fake.calls("login")] == [True, False]
    assert [c.fault is not None for c in fake.calls("nonce_replay")] == [True, False]


def test_a_read_timeout_on_every_replay_ends_in_a_typed_timeout(fake: FakeBioTrack) -> None:
    with client_for(fake, timeouts=Timeouts(0.5, 0.1)) as client:
        client.login()
        fake.faults.script(Fault.slow(0.3), times=3)
        with pytest.raises(RequestTimeoutError):
            client.find_receipt("R-1")
    assert [c.fault is not None for c in fake.calls("nonce_replay")] == [True, True, True]


def test_the_leaked_header_is_stripped(fake: FakeBioTrack, client: BioTrackClient) -> None:
    fake.leak_header = True
    posted = client.post_sale(bt_sale())
    found = client.find_receipt("R-1")
    assert found is not None and found.id == posted.receipt_id


def test_the_fake_refuses_a_reused_nonce_and_a_wrong_content_type(fake: FakeBioTrack) -> None:
    import http.client
    import json

    def post(body: dict[str, Any], content_type: str = "text/JSON") -> dict[str, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", int(fake.url.split(":")[2].split("/")[0]), timeout=2)
        connection.request("POST", "/serverjson.asp", json.dumps(body), {"Content-Type": content_type})
        data: dict[str, Any] = json.loads(connection.getresponse().read())
        connection.close()
        return data

    login = post({"API": "4.0", "action": "login", "license_number": fake.license_number,
                  "username": fake.username, "password": fake.password, "nonce": "n0"})
    sale = {"API": "4.0", "action": "sale_dispense", "sessionid": login["sessionid"], "nonce": "n1",
            "terminal_id": "t", "sale_time": 1700000000, "data": [{"barcodeid": BARCODE, "quantity": 1, "price": 1}]}
    assert post(sale)["success"] == 1
    assert post(sale)["errorcode"] == "602"
    assert post({**sale, "nonce": "n2"}, "application/json")["errorcode"] == "602"
    assert post({**sale, "nonce": "n3", "API": "3.0"})["errorcode"] == "17"
    assert post({**sale, "nonce": "n4", "patient": "x"})["errorcode"] == "602"
    assert len(fake.sales) == 1
