"""The Metrc adapter against the fake Metrc over real sockets on 127.0.0.1: every endpoint, every injected
fault, the retry rule, TLS. Timeouts are sub-second and Retry-After caps small so the module stays fast."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from fe_compliance.testing.fake_metrc import FakeMetrc, Fault, MetrcUser, free_loopback_port
from fe_compliance.tracktrace import (
    AuthenticationError,
    ConnectionFailedError,
    Item,
    OutcomeUnknownError,
    PostsSaleBatches,
    QuantityType,
    RateLimitedError,
    Sale,
    SaleCustomerType,
    SaleLine,
    Timeouts,
    UnexpectedResponseError,
    ValidationError,
)
from fe_compliance.tracktrace import http_client as http_client_module
from fe_compliance.tracktrace.http_client import HttpClientTransport
from fe_compliance.tracktrace.metrc import MetrcClient, MetrcCredentials
from fe_compliance.tracktrace.retry import RetryPolicy

from .helpers import NY, make_sale
from .test_metrc_wire import DOCUMENTED_NOT_IN_OPENAPI, DOCUMENTED_POST, documented_sale

SCHEMAS: dict[str, list[str]] = json.loads(
    (Path(__file__).parent / "data" / "metrc_openapi_fields.json").read_text(encoding="utf-8")
)["schemas"]
FAST = RetryPolicy(max_attempts=3, backoff_base=0.01, backoff_cap=0.02, retry_after_cap=1.5, deadline=5.0)
SHORT = Timeouts(connect=0.5, read=0.4)
DAY = dt.date(2024, 5, 1)


@pytest.fixture
def fake() -> Iterator[FakeMetrc]:
    with FakeMetrc() as server:
        yield server


def client_for(fake: FakeMetrc, **kwargs: Any) -> MetrcClient:
    kwargs.setdefault("retry", FAST)
    kwargs.setdefault("timeouts", SHORT)
    kwargs.setdefault("sleep", lambda seconds: time.sleep(min(seconds, 0.01)))  # waits are checked elsewhere
    return MetrcClient(
        MetrcCredentials(fake.vendor_key, fake.user_key),
        fake.license_number,
        base_url=fake.url,
        facility_zone="America/New_York",
        **kwargs,
    )


@pytest.fixture
def client(fake: FakeMetrc) -> Iterator[MetrcClient]:
    with client_for(fake) as made:
        yield made


def posts(fake: FakeMetrc) -> list[Any]:
    return [r for r in fake.requests if r.method == "POST"]


# ----------------------------------------------------------------------------- endpoints


def test_post_find_get_update_void_over_real_sockets(fake: FakeMetrc, client: MetrcClient) -> None:
    posted = client.post_sale(make_sale("R-1"))
    assert posted.receipt_id is not None and fake.stored_count("R-1") == 1
    found = client.find_receipt("R-1")
    assert found is not None and found.id == posted.receipt_id
    assert found.sold_at == dt.datetime(2024, 5, 1, 14, 30, tzinfo=NY)
    assert found.lines[0].amount == Decimal("12.5") and found.lines[0].unit_of_measure == "Grams"
    assert client.get_receipt(posted.receipt_id).external_receipt_number == "R-1"
    assert client.find_receipt("NEVER-POSTED") is None
    returned = make_sale("R-1", lines=[SaleLine("ABCDEF012345670000010331", 0.5, "Grams", "6.25")])
    client.update_receipt(posted.receipt_id, returned)
    assert client.get_receipt(posted.receipt_id).lines[0].quantity == 0.5
    assert [r.id for r in client.list_receipts(DAY)] == [posted.receipt_id]
    client.void_sale(posted.receipt_id)
    assert client.list_receipts(DAY) == []
    assert [r.id for r in client.list_receipts(DAY, active=False)] == [posted.receipt_id]
    assert fake.stored_count("R-1") == 1


def test_the_json_on_the_wire_is_the_documented_example(fake: FakeMetrc, client: MetrcClient) -> None:
    client.post_sale(documented_sale())
    (request,) = posts(fake)
    assert request.json() == json.loads(DOCUMENTED_POST)
    assert request.path == "/sales/v2/receipts" and dict(request.query) == {"licenseNumber": fake.license_number}


@pytest.mark.parametrize("shape", ["list", "object", "wrapper"])
@pytest.mark.parametrize("unknown", ["empty", "404"])
@pytest.mark.parametrize("names", ["write", "read", "empty"])
def test_find_receipt_against_every_answer_shape(shape: str, unknown: str, names: str) -> None:
    options: dict[str, Any] = {"external_lookup": shape, "unknown_external": unknown, "transaction_names": names}
    with FakeMetrc(**options) as fake, client_for(fake) as client:
        client.post_sale(make_sale("S-1"))
        found = client.find_receipt("S-1")
        assert found is not None and found.external_receipt_number == "S-1"
        assert (len(found.lines) == 0) == (names == "empty")
        if found.lines:
            assert found.lines[0].quantity == 1.0 and found.lines[0].unit_of_measure == "Grams"
        assert client.find_receipt("S-2") is None


def test_a_401_on_a_look_up_is_never_absent() -> None:
    with FakeMetrc(unknown_external="401") as fake, client_for(fake) as client, pytest.raises(AuthenticationError):
        client.find_receipt("S-9")


def test_v1_paths_post_and_find_by_day(fake: FakeMetrc) -> None:
    with client_for(fake, api_version=1) as client:
        assert client.post_sale(make_sale("V1-1")).receipt_id is None
        found = client.find_receipt("V1-1", sold_at=dt.datetime(2024, 5, 1, 18, 30, tzinfo=dt.UTC))
        assert found is not None and found.external_receipt_number == "V1-1"
        assert [u.name for u in client.list_units_of_measure()][:2] == ["Each", "Ounces"]
    assert posts(fake)[0].path == "/sales/v1/receipts"


def test_v2_lists_are_read_page_by_page(fake: FakeMetrc, client: MetrcClient) -> None:
    fake.seed_receipts(45, day=DAY)
    receipts = client.list_receipts(DAY)
    assert len(receipts) == 45 and len({r.external_receipt_number for r in receipts}) == 45
    pages = [dict(r.query)["pageNumber"] for r in fake.requests if r.path == "/sales/v2/receipts/active"]
    assert pages == ["1", "2", "3"]


def test_items_categories_units_patients(fake: FakeMetrc, client: MetrcClient) -> None:
    stored = fake.add_item(
        fake.license_number, {"Name": "Gummies", "ProductCategoryName": "Infused", "UnitOfMeasureName": "Each"}
    )
    fake.add_patient(
        fake.license_number,
        {"LicenseNumber": "PTN-1", "HasSalesLimitExemption": True, "LicenseEffectiveEndDate": "2026-01-01"},
    )
    (item,) = client.list_items()
    assert item.name == "Gummies" and item.quantity_type is QuantityType.COUNT
    assert {c.name for c in client.list_item_categories()} == {"Buds", "Infused"}
    assert {u.abbreviation for u in client.list_units_of_measure()} >= {"g", "ea", "oz"}
    (patient,) = client.list_patients()
    assert patient.license_number == "PTN-1" and patient.has_sales_limit_exemption is True
    assert patient.license_effective_end == dt.date(2026, 1, 1)
    client.update_item(Item(id=str(stored["Id"]), name="Gummies 10pk", category_name="Infused", unit_of_measure="Each"))
    assert fake.items(fake.license_number)[0]["Name"] == "Gummies 10pk"


def test_unit_of_measure_follows_the_item_quantity_type(fake: FakeMetrc, client: MetrcClient) -> None:
    stored = fake.add_item(fake.license_number, {"Name": "Gummies", "ProductCategoryName": "Infused"})
    fake.add_package("PKG-COUNT", stored["Id"])
    counted = SaleLine("PKG-COUNT", 2, None, "20", QuantityType.COUNT)
    client.post_sale(make_sale("U-1", lines=[counted]))
    assert posts(fake)[-1].json()[0]["Transactions"][0]["UnitOfMeasure"] == "Each"
    # Without the quantity type the adapter cannot know; Metrc (here the fake) refuses, naming the row.
    with pytest.raises(ValidationError) as info:
        client.post_sale(make_sale("U-2", lines=[SaleLine("PKG-COUNT", 2, "Grams", "20")]))
    assert info.value.rows and info.value.rows[0].row == 0


def test_every_field_the_fake_returns_exists_in_the_openapi_schema(fake: FakeMetrc, client: MetrcClient) -> None:
    client.post_sale(make_sale("F-1"))
    fake.add_item(fake.license_number, {"Name": "Buds A", "ProductCategoryName": "Buds"})
    fake.add_patient(fake.license_number, {"LicenseNumber": "PTN-2"})
    client.list_items()
    client.list_item_categories()
    client.list_patients()
    client.list_units_of_measure()
    client.find_receipt("F-1")
    schema_for = {
        "/sales/v2/receipts/external/F-1": ("SaleReceipt",),
        "/items/v2/active": ("Item",),
        "/items/v2/categories": ("ItemCategory",),
        "/patients/v2/active": ("Patient",),
        "/unitsofmeasure/v2/active": ("UnitOfMeasure",),
    }
    wrapper = {f.lower() for f in SCHEMAS["SaleReceiptMetrcWrapper"]}
    checked = 0
    for path, names in schema_for.items():
        allowed = {f.lower() for name in names for f in SCHEMAS[name]}
        with pytest.MonkeyPatch.context() as patch:
            captured: list[bytes] = []
            original = HttpClientTransport.handle_request

            def spy(
                self: Any, request: Any, timeouts: Any, captured: list[bytes] = captured, original: Any = original
            ) -> Any:
                answer = original(self, request, timeouts)
                captured.append(answer.body)
                return answer

            patch.setattr(HttpClientTransport, "handle_request", spy)
            if path.startswith("/sales"):
                client.find_receipt("F-1")
            else:
                {
                    "/items/v2/active": client.list_items,
                    "/items/v2/categories": client.list_item_categories,
                    "/patients/v2/active": client.list_patients,
                    "/unitsofmeasure/v2/active": client.list_units_of_measure,
                }[path]()
        data = json.loads(captured[0])
        rows = data if isinstance(data, list) else data["Data"]
        if isinstance(data, dict):
            assert {k.lower() for k in data} <= wrapper
        for row in rows:
            keys = {k.lower() for k in row}
            assert keys - allowed <= DOCUMENTED_NOT_IN_OPENAPI, (path, keys - allowed)
            checked += 1
    assert checked >= 5


# ----------------------------------------------------------------------------- auth and licenses


def test_wrong_keys_and_licenses_are_authentication_errors(fake: FakeMetrc) -> None:
    bad_key = MetrcClient(
        MetrcCredentials(fake.vendor_key, "wrong-user-key"),
        fake.license_number,
        base_url=fake.url,
        facility_zone="America/New_York",
        retry=FAST,
        timeouts=SHORT,
    )
    with bad_key, pytest.raises(AuthenticationError) as info:
        bad_key.list_items()
    assert info.value.status == 401 and info.value.path == "/items/v2/active"
    with client_for(fake) as client:
        client.license_number = "LIC-OTHER"
        with pytest.raises(AuthenticationError, match="not valid"):
            client.post_sale(make_sale())
    assert fake.stored_count("ABC-1234") == 0


def test_a_v1_only_key_on_a_v2_path_gets_the_plain_text_401() -> None:
    users = [MetrcUser("v1-user", "v1-only-key", frozenset({"LIC-0001"}), frozenset({"v1"}))]
    with FakeMetrc(users=users) as fake:
        client = MetrcClient(
            MetrcCredentials(fake.vendor_key, "v1-only-key"),
            "LIC-0001",
            base_url=fake.url,
            facility_zone="America/New_York",
            retry=FAST,
            timeouts=SHORT,
        )
        with client, pytest.raises(AuthenticationError) as info:
            client.find_receipt("X")
        assert info.value.system_message == "The provided API key is only valid for V1 API endpoints."


# ----------------------------------------------------------------------------- faults on GET (retried)


@pytest.mark.parametrize(
    "fault",
    [
        Fault.server_error(),
        Fault.unavailable(),
        Fault.unavailable(retry_after=0),
        Fault.rate_limited(),
        Fault.rate_limited(retry_after=1),
        Fault.rate_limited(retry_after=dt.datetime.now(dt.UTC)),
        Fault.reset_before_read(),
        Fault.reset_after_read(),
        Fault.slow(1.0),
    ],
    ids=lambda f: f"{f.kind.value}-{f.status}-{f.retry_after}",
)
def test_a_transient_get_failure_is_retried(fake: FakeMetrc, client: MetrcClient, fault: Fault) -> None:
    fake.faults.script(fault, method="GET")
    assert len(client.list_units_of_measure()) == 6
    assert fake.faults.pending == 0
    assert len([r for r in fake.requests if r.method == "GET"]) == 2


def test_retry_after_is_honoured_in_seconds(fake: FakeMetrc) -> None:
    slept: list[float] = []
    with client_for(fake, sleep=slept.append) as client:
        fake.faults.script(Fault.rate_limited(retry_after=1), method="GET")
        client.list_units_of_measure()
    assert slept == [1.0]


def test_a_retry_after_beyond_the_cap_is_not_waited(fake: FakeMetrc, client: MetrcClient) -> None:
    fake.faults.script(Fault.rate_limited(retry_after=60), method="GET")
    with pytest.raises(RateLimitedError) as info:
        client.list_units_of_measure()
    assert info.value.retry_after == 60.0


@pytest.mark.parametrize("fault", [Fault.malformed_json(), Fault.empty_body()])
def test_a_malformed_or_empty_answer_to_a_get_is_typed(fake: FakeMetrc, client: MetrcClient, fault: Fault) -> None:
    fake.faults.script(fault, method="GET")
    with pytest.raises(UnexpectedResponseError):
        client.find_receipt("ABC-1234")


# ----------------------------------------------------------------------------- the POST retry rule


def test_dropped_after_store_is_outcome_unknown_and_stored_once(fake: FakeMetrc, client: MetrcClient) -> None:
    fake.faults.script(Fault.drop_after_store(), method="POST", path="/sales/v2/receipts")
    sale = make_sale("D-1")
    with pytest.raises(OutcomeUnknownError):
        client.post_sale(sale)
    assert fake.stored_count("D-1") == 1 and len(posts(fake)) == 1
    # what the caller must do next: ask, and do not post again
    assert client.find_receipt(sale.external_receipt_number, sold_at=sale.sold_at) is not None
    assert fake.stored_count("D-1") == 1


@pytest.mark.parametrize(
    ("fault", "stored"),
    [
        (Fault.server_error(), 0),
        (Fault.unavailable(retry_after=0), 0),
        (Fault.reset_before_read(), 0),
        (Fault.reset_after_read(), 0),
        (Fault.slow(1.0), 1),
    ],
    ids=["500", "503", "reset-before-read", "reset-after-read", "slow"],
)
def test_a_post_that_may_have_arrived_is_never_re_sent(
    fake: FakeMetrc, client: MetrcClient, fault: Fault, stored: int
) -> None:
    fake.faults.script(fault, method="POST")
    with pytest.raises(OutcomeUnknownError):
        client.post_sale(make_sale("P-1"))
    assert len(posts(fake)) == 1 and fake.stored_count("P-1") == stored


def test_a_pause_after_store_outlives_the_read_timeout(fake: FakeMetrc, client: MetrcClient) -> None:
    fault = Fault.pause_after_store(timeout=5.0)
    fake.faults.script(fault, method="POST")
    with pytest.raises(OutcomeUnknownError):
        client.post_sale(make_sale("Z-1"))
    assert fault.pause is not None and fault.pause.reached.is_set()
    fault.pause.release.set()
    assert fake.stored_count("Z-1") == 1 and len(posts(fake)) == 1


@pytest.mark.parametrize("fault", [Fault.malformed_json(), Fault.empty_body()])
def test_a_2xx_post_with_an_unreadable_body_is_stored_once(fake: FakeMetrc, client: MetrcClient, fault: Fault) -> None:
    fake.faults.script(fault, method="POST")
    assert client.post_sale(make_sale("M-1")).receipt_id is None
    assert fake.stored_count("M-1") == 1


def test_a_429_post_is_refused_not_unknown(fake: FakeMetrc, client: MetrcClient) -> None:
    fake.faults.script(Fault.rate_limited(retry_after=1), method="POST")
    with pytest.raises(RateLimitedError):
        client.post_sale(make_sale("Q-1"))
    assert fake.stored_count("Q-1") == 0 and len(posts(fake)) == 1


def test_a_refused_connection_is_re_sent_and_stored_once(fake: FakeMetrc) -> None:
    fake.stop_listening()

    def sleep_then_come_back(seconds: float) -> None:
        fake.resume_listening()

    with client_for(fake, sleep=sleep_then_come_back) as client:
        posted = client.post_sale(make_sale("C-1"))
    assert posted.receipt_id is not None
    assert fake.stored_count("C-1") == 1 and len(posts(fake)) == 1


def test_nothing_listening_is_a_connection_error_that_never_reached_the_server() -> None:
    port = free_loopback_port()
    client = MetrcClient(
        MetrcCredentials("v", "u"),
        "LIC-0001",
        base_url=f"http://127.0.0.1:{port}",
        facility_zone="America/New_York",
        retry=FAST,
        timeouts=SHORT,
    )
    with client, pytest.raises(ConnectionFailedError) as info:
        client.post_sale(make_sale())
    assert info.value.reached_server is False and "refused" in str(info.value)


def test_a_stale_keep_alive_connection_is_discarded_before_writing(fake: FakeMetrc, client: MetrcClient) -> None:
    client.list_units_of_measure()  # leaves a keep-alive connection in the pool
    fake.stop()  # closes it from the server's side
    fake.start()
    client.post_sale(make_sale("K-1"))
    assert fake.stored_count("K-1") == 1 and len(posts(fake)) == 1


def test_a_post_on_a_connection_closed_while_sending_is_never_silently_re_sent(
    fake: FakeMetrc, client: MetrcClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.list_units_of_measure()
    fake.stop()
    fake.start()
    # The server closes the idle connection just after the liveness check: the race no check can close.
    monkeypatch.setattr(http_client_module, "_looks_closed", lambda sock: False)
    with pytest.raises(OutcomeUnknownError) as info:
        client.post_sale(make_sale("K-2"))
    assert info.value.cause.reached_server is True  # type: ignore[attr-defined]
    assert fake.stored_count("K-2") == 0 and posts(fake) == []


def test_a_get_on_a_connection_closed_while_sending_is_retried(
    fake: FakeMetrc, client: MetrcClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.list_units_of_measure()
    fake.stop()
    fake.start()
    monkeypatch.setattr(http_client_module, "_looks_closed", lambda sock: False)
    assert len(client.list_units_of_measure()) == 6


def test_random_faults_never_double_post(fake: FakeMetrc, client: MetrcClient) -> None:
    faults = [
        Fault.server_error(),
        Fault.drop_after_store(),
        Fault.reset_after_read(),
        Fault.unavailable(),
        Fault.malformed_json(),
    ]
    fake.faults.randomly(0.5, faults, seed=3)
    outcomes = {"posted": 0, "unknown": 0, "other": 0}
    for number in range(30):
        sale = make_sale(f"RND-{number}")
        try:
            client.post_sale(sale)
            outcomes["posted"] += 1
        except OutcomeUnknownError:
            outcomes["unknown"] += 1
        assert fake.stored_count(sale.external_receipt_number) <= 1
    assert outcomes["unknown"] > 0 and outcomes["posted"] > 0


# ----------------------------------------------------------------------------- TLS on loopback


def test_tls_with_the_fake_ca_works_and_an_untrusted_certificate_never_reaches_the_server() -> None:
    pytest.importorskip("trustme")  # the test extra installs it; a bare install still runs everything else
    with FakeMetrc(tls=True) as fake:
        assert fake.url.startswith("https://127.0.0.1")
        trusted = client_for(fake, transport=HttpClientTransport(ssl_context=fake.client_ssl_context()))
        with trusted:
            assert trusted.post_sale(make_sale("T-1")).receipt_id is not None
        untrusted = client_for(fake)  # the system's default trust store does not know the throw-away CA
        with untrusted, pytest.raises(ConnectionFailedError) as info:
            untrusted.post_sale(make_sale("T-2"))
        assert info.value.reached_server is False and "TLS" in str(info.value)
        assert fake.stored_count("T-1") == 1 and fake.stored_count("T-2") == 0
        assert len(posts(fake)) == 1


def test_tls_verification_cannot_be_switched_off() -> None:
    import ssl

    from fe_compliance.errors import InvalidValueError

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with pytest.raises(InvalidValueError):
        HttpClientTransport(ssl_context=context)


def test_concurrent_posts_share_the_pool(fake: FakeMetrc, client: MetrcClient) -> None:
    errors: list[BaseException] = []

    def post(index: int) -> None:
        try:
            client.post_sale(make_sale(f"TH-{index}"))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=post, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all(fake.stored_count(f"TH-{index}") == 1 for index in range(8))


def test_a_patient_sale(fake: FakeMetrc, client: MetrcClient) -> None:
    sale = Sale(
        "PT-1",
        dt.datetime(2024, 5, 1, 10, tzinfo=NY),
        SaleCustomerType.PATIENT,
        [SaleLine("ABCDEF012345670000010331", 3.5, "Grams", 40)],
        patient_license_number="PTN-123-456",
    )
    client.post_sale(sale)
    body = posts(fake)[-1].json()[0]
    assert body["SalesCustomerType"] == "Patient" and body["PatientLicenseNumber"] == "PTN-123-456"


# ----------------------------------------------------------------------------- batches


def test_a_batch_is_one_post_with_one_id_per_sale(fake: FakeMetrc, client: MetrcClient) -> None:
    assert isinstance(client, PostsSaleBatches)
    posted = client.post_sales([make_sale(f"B-{n}") for n in range(3)])
    assert [p.external_receipt_number for p in posted] == ["B-0", "B-1", "B-2"]
    assert len({p.receipt_id for p in posted}) == 3 and None not in {p.receipt_id for p in posted}
    (request,) = posts(fake)
    assert [row["ExternalReceiptNumber"] for row in request.json()] == ["B-0", "B-1", "B-2"]
    for p in posted:
        assert client.find_receipt(p.external_receipt_number).id == p.receipt_id  # type: ignore[union-attr]


def test_a_refused_batch_names_the_row_and_stores_nothing(fake: FakeMetrc, client: MetrcClient) -> None:
    stored = fake.add_item(fake.license_number, {"Name": "Gummies", "ProductCategoryName": "Infused"})
    fake.add_package("PKG-COUNT", stored["Id"])
    bad = make_sale("B-BAD", lines=[SaleLine("PKG-COUNT", 1, "Grams", "5")])
    with pytest.raises(ValidationError) as info:
        client.post_sales([make_sale("B-OK"), bad])
    assert [row.row for row in info.value.rows] == [1]
    assert fake.stored_count("B-OK") == 0 and fake.stored_count("B-BAD") == 0


def test_a_dropped_batch_is_outcome_unknown_and_stored_once(fake: FakeMetrc, client: MetrcClient) -> None:
    fake.faults.script(Fault.drop_after_store(), method="POST")
    with pytest.raises(OutcomeUnknownError):
        client.post_sales([make_sale("DB-1"), make_sale("DB-2")])
    assert fake.stored_count("DB-1") == 1 and fake.stored_count("DB-2") == 1 and len(posts(fake)) == 1


@pytest.mark.parametrize("bad", [[], "abc", [object()]])
def test_bad_batches_are_refused_before_sending(fake: FakeMetrc, client: MetrcClient, bad: Any) -> None:
    from fe_compliance.errors import InvalidValueError

    with pytest.raises(InvalidValueError):
        client.post_sales(bad)
    with pytest.raises(InvalidValueError):
        client.post_sales([make_sale("SAME"), make_sale("SAME")])
    assert posts(fake) == []


def test_finalize_and_unfinalize(fake: FakeMetrc, client: MetrcClient) -> None:
    posted = client.post_sale(make_sale("FIN-1"))
    assert posted.receipt_id is not None
    client.finalize_receipts([posted.receipt_id])
    request = next(r for r in fake.requests if r.path == "/sales/v2/receipts/finalize")
    assert request.json() == [{"Id": int(posted.receipt_id)}]  # metrc-api.md: [{"Id":1}]
    assert client.get_receipt(posted.receipt_id).is_final is True
    with pytest.raises(ValidationError):
        client.void_sale(posted.receipt_id)  # a finalized receipt cannot be voided
    client.unfinalize_receipts([posted.receipt_id])
    assert client.get_receipt(posted.receipt_id).is_final is False
    client.void_sale(posted.receipt_id)


@pytest.mark.parametrize("tls", [False, True])
def test_keep_alive_connections_are_reused(monkeypatch: pytest.MonkeyPatch, tls: bool) -> None:
    if tls:
        pytest.importorskip("trustme")
    connects: list[Any] = []
    original = HttpClientTransport._connect

    def counting(self: HttpClientTransport, key: Any, timeouts: Timeouts) -> Any:
        connects.append(key)
        return original(self, key, timeouts)

    monkeypatch.setattr(HttpClientTransport, "_connect", counting)
    with FakeMetrc(tls=tls) as fake:
        transport = HttpClientTransport(ssl_context=fake.client_ssl_context()) if tls else HttpClientTransport()
        with client_for(fake, transport=transport) as client:
            for _ in range(5):
                client.list_units_of_measure()
            client.post_sale(make_sale("KA-1"))
    assert len(connects) == 1


# ----------------------------------------------------------------------------- a void whose answer was lost


def test_a_void_whose_answer_was_lost_is_done_when_metrc_shows_it_voided(fake: FakeMetrc, client: MetrcClient) -> None:
    posted = client.post_sale(make_sale("LOST-VOID"))
    assert posted.receipt_id is not None
    fake.faults.script(Fault.drop_after_store(), method="DELETE")
    client.void_sale(posted.receipt_id)  # first DELETE voids and is dropped; the re-send gets the 400
    deletes = [r for r in fake.requests if r.method == "DELETE"]
    assert len(deletes) == 2  # the re-send really was refused: this is the case, not a lucky first answer
    assert [r.id for r in client.list_receipts(DAY, active=False)] == [posted.receipt_id]


def test_a_void_refused_on_its_first_attempt_is_still_refused(fake: FakeMetrc, client: MetrcClient) -> None:
    posted = client.post_sale(make_sale("TWICE-VOID"))
    assert posted.receipt_id is not None
    client.void_sale(posted.receipt_id)
    with pytest.raises(ValidationError):
        client.void_sale(posted.receipt_id)  # a second call is not a retry: Metrc's refusal stands


def test_a_resent_void_refused_for_another_reason_stays_refused(fake: FakeMetrc, client: MetrcClient) -> None:
    posted = client.post_sale(make_sale("FINAL-VOID"))
    assert posted.receipt_id is not None
    client.finalize_receipts([posted.receipt_id])
    fake.faults.script(Fault.unavailable(), method="DELETE")
    with pytest.raises(ValidationError):
        client.void_sale(posted.receipt_id)  # 503, then the finalized receipt's refusal: not voided, not "done"
    assert client.get_receipt(posted.receipt_id).archived_at is None
