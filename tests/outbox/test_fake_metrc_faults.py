"""Against the fake Metrc over loopback: posting for real, 30 % mixed faults, update and void by external number."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from fe_compliance.outbox import ItemState, Outbox
from fe_compliance.testing.fake_metrc import FakeMetrc, Fault, MetrcUser

from .helpers import CANARY_KEY, make_sale
from .metrc_setup import LICENSE, USER_ID, enqueue, make_pusher, push_config


@pytest.fixture
def fake() -> FakeMetrc:
    with FakeMetrc(users=[MetrcUser("user-1", CANARY_KEY, {LICENSE})]) as server:
        yield server  # type: ignore[misc]


def test_receipts_land_once_in_batches_of_ten(tmp_path: Path, fake: FakeMetrc) -> None:
    numbers = enqueue(tmp_path / "o.db", 25)
    config = push_config(fake.url, fake.vendor_key, CANARY_KEY)
    with Outbox.open(tmp_path / "o.db") as box:
        report = make_pusher(box, config).push()
        assert report.posted == 25 and report.requests == 3
        assert box.status().all_done
    assert all(fake.stored_count(n) == 1 for n in numbers)
    posts = [r for r in fake.requests if r.method == "POST"]
    assert len(posts) == 3


def test_update_and_void_find_the_receipt_id_by_external_number(tmp_path: Path, fake: FakeMetrc) -> None:
    config = push_config(fake.url, fake.vendor_key, CANARY_KEY)
    with Outbox.open(tmp_path / "o.db") as box:
        box.enqueue_sale(make_sale("U-1"), license_number=LICENSE, user_id=USER_ID)
        box.enqueue_update(make_sale("U-1", amount="4.50"), license_number=LICENSE, user_id=USER_ID)
        void = box.enqueue_void("U-1", license_number=LICENSE, user_id=USER_ID)
        report = make_pusher(box, config).push()
        assert (report.posted, report.updated, report.voided) == (1, 1, 1)
        assert box.get(void.id).state is ItemState.DONE and box.get(void.id).receipt_id
    assert fake.stored_count("U-1") == 1
    [receipt] = fake.receipts(LICENSE)
    assert receipt["ArchivedDate"] is not None  # voided (Metrc keeps a voided receipt, archived)
    assert receipt["Transactions"][0]["TotalAmount"] == 4.5  # the update landed before the void


MIXED_FAULTS = [
    Fault.server_error(),
    Fault.unavailable(),
    Fault.rate_limited(),
    Fault.reset_before_read(),
    Fault.reset_after_read(),
    Fault.malformed_json(),
    Fault.empty_body(500),
    Fault.drop_after_store(),
    Fault.drop_after_store(),
    Fault.slow(0.25),
]


def test_thousand_receipts_under_thirty_percent_mixed_faults_land_exactly_once(
    tmp_path: Path, fake: FakeMetrc, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    db = tmp_path / "o.db"
    numbers = enqueue(db, 1000)
    fake.faults.randomly(0.3, MIXED_FAULTS, seed=12)
    config = push_config(fake.url, fake.vendor_key, CANARY_KEY)
    pushes = 0
    with Outbox.open(db, durability="normal") as box:
        while not box.status().all_done:
            pushes += 1
            assert pushes < 200, box.status()
            make_pusher(box, config).push()
        found = sum(1 for item in box.items() if item.resolution == "found")
    counts = [fake.stored_count(n) for n in numbers]
    assert counts.count(1) == 1000, {n: c for n, c in zip(numbers, counts, strict=True) if c != 1}
    assert found > 0  # some receipts were stored without an answer and were found, not re-posted
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert CANARY_KEY not in text
    assert CANARY_KEY.encode() not in db.read_bytes()
    stream = io.StringIO()
    stream.write(repr(fake.requests[:5]))
    assert CANARY_KEY not in stream.getvalue()


def test_a_void_whose_answer_was_lost_is_not_sent_again(tmp_path: Path, fake: FakeMetrc) -> None:
    config = push_config(fake.url, fake.vendor_key, CANARY_KEY)
    with Outbox.open(tmp_path / "o.db") as box:
        box.enqueue_sale(make_sale("V-1"), license_number=LICENSE, user_id=USER_ID)
        make_pusher(box, config).push()
        void = box.enqueue_void("V-1", license_number=LICENSE, user_id=USER_ID)
        fake.faults.script(Fault.drop_after_store(), Fault.drop_after_store(), method="DELETE")
        first = make_pusher(box, config).push()
        assert first.failed_ids == [void.id]
        # The DELETE landed although no answer came: the next push asks before deleting again.
        second = make_pusher(box, config).push()
        assert second.voided == 1 and box.get(void.id).state is ItemState.DONE
    deletes = [r for r in fake.requests if r.method == "DELETE"]
    assert len(deletes) == 2  # the original and the client's one re-send of an idempotent DELETE; none after
