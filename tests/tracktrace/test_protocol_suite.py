"""One protocol-level suite, run against every adapter over its fake server on real sockets: the Metrc adapter with
the fake Metrc and the BioTrack adapter with the fake BioTrack. It checks only what ``TrackAndTrace`` and
``FindsReceipts`` promise, so it is the proof that the protocol is not shaped after one system: a sale is stored
once, found again by its external receipt number, voided; a failure after the request may have arrived is
``OutcomeUnknownError`` and is resolved by asking, never by a second store; a server that is down stores nothing.

To add an adapter: add a ``System`` factory to ``SYSTEMS``."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest

from fe_compliance.testing._fake_http import Fault
from fe_compliance.testing.fake_biotrack import FakeBioTrack
from fe_compliance.testing.fake_metrc import FakeMetrc
from fe_compliance.tracktrace import (
    ConnectionFailedError,
    FindsReceipts,
    OutcomeUnknownError,
    PostedSale,
    Sale,
    SaleLine,
    Timeouts,
    TrackAndTrace,
)
from fe_compliance.tracktrace.biotrack import BioTrackClient, BioTrackCredentials
from fe_compliance.tracktrace.metrc import MetrcClient, MetrcCredentials
from fe_compliance.tracktrace.retry import RetryPolicy

from .helpers import make_sale

FAST = RetryPolicy(max_attempts=3, backoff_base=0.01, backoff_cap=0.02, retry_after_cap=1.0, deadline=5.0)
SHORT = Timeouts(connect=0.5, read=0.3)


def _quick_sleep(seconds: float) -> None:
    time.sleep(min(seconds, 0.01))


@attrs.define
class System:
    """An adapter over its fake, and the few system-specific ways a test looks inside the fake."""

    name: str
    client: Any  # TrackAndTrace and FindsReceipts
    sale: Callable[[str], Sale]
    stored_count: Callable[[str], int]  # receipts stored under an external receipt number
    voided: Callable[[str], bool]  # whether the receipt with this system id is voided
    script_write_fault: Callable[[Fault], None]  # the next sale post meets this fault
    stop_listening: Callable[[], None]
    resume_listening: Callable[[], None]


def _metrc() -> Iterator[System]:
    with FakeMetrc() as fake:
        client = MetrcClient(
            MetrcCredentials(fake.vendor_key, fake.user_key), fake.license_number, base_url=fake.url,
            facility_zone="America/New_York", retry=FAST, timeouts=SHORT, sleep=_quick_sleep,
        )

        def voided(receipt_id: str) -> bool:
            rows = [r for r in fake.receipts() if str(r["Id"]) == receipt_id]
            return bool(rows) and rows[0]["ArchivedDate"] is not None

        def stop() -> None:
            fake.stop_listening()
            client.transport.close()

        with client:
            yield System(
                "metrc", client, lambda number: make_sale(number), fake.stored_count, voided,
                lambda fault: fake.faults.script(fault, method="POST", path="/sales/v*/receipts"),
                stop, fake.resume_listening,
            )


def _biotrack() -> Iterator[System]:
    with FakeBioTrack() as fake:
        client = BioTrackClient(
            BioTrackCredentials(fake.username, fake.password), fake.license_number, url=fake.url,
            terminal_id="register-1", retry=FAST, timeouts=SHORT, sleep=_quick_sleep,
        )

        def sale(number: str) -> Sale:
            return make_sale(number, lines=[SaleLine("1584004777122787", 1.0, "Grams", Decimal("12.50"))])

        def script(fault: Fault) -> None:
            client.login()  # every request is POST /serverjson.asp: the fault must meet the dispense, not the login
            fake.faults.script(fault)

        def stop() -> None:
            fake.stop_listening()
            client.transport.close()

        with client:
            yield System(
                "biotrack", client, sale, lambda number: fake.stored_count(client.dispense_nonce(number)),
                lambda receipt_id: any(s.voided for s in fake.sales if s.transaction_id == receipt_id),
                script, stop, fake.resume_listening,
            )


SYSTEMS = {"metrc": _metrc, "biotrack": _biotrack}


@pytest.fixture(params=sorted(SYSTEMS))
def system(request: pytest.FixtureRequest) -> Iterator[System]:
    yield from SYSTEMS[request.param]()


def test_the_adapter_implements_the_protocol_and_the_find_capability(system: System) -> None:
    assert isinstance(system.client, TrackAndTrace)
    assert isinstance(system.client, FindsReceipts)


def test_a_sale_is_stored_once_found_by_its_number_and_voided(system: System) -> None:
    posted = system.client.post_sale(system.sale("S-1"))
    assert isinstance(posted, PostedSale) and posted.external_receipt_number == "S-1"
    assert posted.receipt_id is not None and system.stored_count("S-1") == 1
    found = system.client.find_receipt("S-1", sold_at=system.sale("S-1").sold_at)
    assert found is not None and found.id == posted.receipt_id
    system.client.void_sale(posted.receipt_id)
    assert system.voided(posted.receipt_id)


def test_a_number_never_posted_is_answered_absent(system: System) -> None:
    system.client.post_sale(system.sale("S-1"))
    assert system.client.find_receipt("S-2", sold_at=system.sale("S-2").sold_at) is None


@pytest.mark.parametrize(
    "fault", [Fault.drop_after_store(), Fault.slow(0.6), Fault.pause_after_store(timeout=0.6)],
    ids=["drop", "slow", "pause"],
)
def test_a_stored_sale_without_an_answer_is_unknown_then_found_not_stored_again(system: System, fault: Fault) -> None:
    system.script_write_fault(fault)
    with pytest.raises(OutcomeUnknownError):
        system.client.post_sale(system.sale("S-1"))
    found = system.client.find_receipt("S-1", sold_at=system.sale("S-1").sold_at)
    assert found is not None
    assert system.stored_count("S-1") == 1


@pytest.mark.parametrize(
    "fault", [Fault.reset_before_read(), Fault.reset_after_read(), Fault.server_error()],
    ids=["reset-before-read", "reset-after-read", "500"],
)
def test_an_unanswered_sale_not_stored_is_found_absent_and_posted_once(system: System, fault: Fault) -> None:
    system.script_write_fault(fault)
    with pytest.raises(OutcomeUnknownError):
        system.client.post_sale(system.sale("S-1"))
    assert system.client.find_receipt("S-1", sold_at=system.sale("S-1").sold_at) is None
    system.client.post_sale(system.sale("S-1"))
    assert system.stored_count("S-1") == 1


def test_a_server_that_is_down_stores_nothing_and_says_so(system: System) -> None:
    system.client.post_sale(system.sale("S-0"))  # log in / warm a connection first
    system.stop_listening()
    try:
        with pytest.raises(ConnectionFailedError) as caught:
            system.client.post_sale(system.sale("S-1"))
        assert caught.value.reached_server is False
    finally:
        system.resume_listening()
    assert system.stored_count("S-1") == 0
    system.client.post_sale(system.sale("S-1"))
    assert system.stored_count("S-1") == 1
