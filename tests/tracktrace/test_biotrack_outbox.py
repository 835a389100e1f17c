"""The outbox pushes to BioTrack through the protocol alone: against the fake BioTrack, with expiring sessions and
30 % mixed faults, every sale lands exactly once and a queued void lands after its sale (the outbox resolves
unknown outcomes with ``find_receipt``, which the BioTrack adapter answers with ``nonce_replay``)."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from pathlib import Path

from fe_compliance.outbox import ItemState, Outbox, Pusher
from fe_compliance.outbox.credentials import UserKey
from fe_compliance.testing.fake_biotrack import BioTrackUser, FakeBioTrack, Fault
from fe_compliance.tracktrace import Sale, SaleLine, Timeouts, TrackAndTrace
from fe_compliance.tracktrace.biotrack import BioTrackClient, BioTrackCredentials
from fe_compliance.tracktrace.retry import RetryPolicy

USER_ID = "cashier-7"
PASSWORD = "cashier-password"
LICENSE = "999000001"
FAST_RETRY = RetryPolicy(max_attempts=2, backoff_base=0.005, backoff_cap=0.01, retry_after_cap=0.05, deadline=1.0)
MIXED = [Fault.server_error(), Fault.unavailable(), Fault.reset_before_read(), Fault.reset_after_read(),
         Fault.malformed_json(), Fault.drop_after_store(), Fault.drop_after_store(), Fault.slow(0.3)]


def sale(number: str) -> Sale:
    return Sale(number, dt.datetime(2024, 5, 1, 14, 30, tzinfo=dt.UTC), "Consumer",
                [SaleLine("1584004777122787", 1.0, "Grams", Decimal("9.99"))])


def test_the_outbox_lands_every_sale_once_on_biotrack_through_faults(tmp_path: Path) -> None:
    numbers = [f"B-{n:03d}" for n in range(12)]
    with FakeBioTrack(users=[BioTrackUser(USER_ID, PASSWORD)]) as fake:
        clients: list[BioTrackClient] = []

        def factory(license_number: str, key: UserKey) -> TrackAndTrace:
            client = BioTrackClient(
                BioTrackCredentials(key.user_id, key.reveal()), license_number, url=fake.url,
                terminal_id="register-1", timeouts=Timeouts(0.5, 0.15), retry=FAST_RETRY,
                sleep=lambda s: time.sleep(min(s, 0.01)),
            )
            clients.append(client)
            return client

        with Outbox.open(tmp_path / "o.db") as box:
            for number in numbers:
                box.enqueue_sale(sale(number), license_number=LICENSE, user_id=USER_ID)
            void = box.enqueue_void("B-003", license_number=LICENSE, user_id=USER_ID)
            pusher = Pusher(box, factory, {USER_ID: PASSWORD}.get, lease_seconds=5.0, request_budget=2.0)
            fake.faults.randomly(0.3, MIXED, seed=11)
            for round_number in range(40):
                if round_number % 3 == 1:
                    fake.expire_sessions()
                pusher.push()
                if box.status().all_done:
                    break
            fake.faults.clear()
            assert box.status().all_done, box.status()
            assert box.get(void.id).state is ItemState.DONE
        for client in clients:
            client.close()
        # The faults really happened: some sales were stored while their answer was lost or garbled.
        assert any(c.acted and c.fault is not None for c in fake.calls("sale_dispense"))
        assert fake.calls("nonce_replay") and fake.logins >= 2  # unknown outcomes asked about, a session renewed
        nonces = {clients[0].dispense_nonce(number): number for number in numbers}
        assert all(fake.stored_count(nonce) == 1 for nonce in nonces), [
            (number, fake.stored_count(nonce)) for nonce, number in nonces.items()]
        assert len(fake.sales) == len(numbers)
        voided = [s for s in fake.sales if s.voided]
        assert [s.nonce for s in voided] == [clients[0].dispense_nonce("B-003")]
