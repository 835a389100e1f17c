"""The pusher's decisions, against an in-memory system: batches, 400 rows, unknown outcomes, credentials, order."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from fe_compliance.outbox import (
    ItemState,
    NoUsableCredentialError,
    Outbox,
    Pusher,
    UserKey,
    individual_key_required,
    individual_or_fallback,
    keys_from_mapping,
)

from .helpers import CANARY_KEY, MemorySystem, make_sale, refuse_rows, refuse_sale, unknown_before_store


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def system() -> MemorySystem:
    return MemorySystem()


@pytest.fixture
def box(tmp_path: Path) -> Outbox:
    outbox = Outbox.open(tmp_path / "outbox.db", durability="normal")
    yield outbox  # type: ignore[misc]
    outbox.close()


def pusher(box: Outbox, system: MemorySystem, keys: dict[str, str] | None = None, **options: object) -> Pusher:
    return Pusher(box, system.client, keys_from_mapping(keys if keys is not None else {"u": "key-u"}), **options)  # type: ignore[arg-type]


def test_batches_of_ten_each_receipt_once(box: Outbox, system: MemorySystem) -> None:
    for n in range(25):
        box.enqueue_sale(make_sale(n), license_number="L", user_id="u")
    report = pusher(box, system).push()
    assert report.posted == 25 and report.requests == 3 and system.posts == 3
    assert all(system.stored_count(f"R-{n}") == 1 for n in range(25))
    assert box.status().all_done
    # A second push finds nothing to do and posts nothing.
    assert pusher(box, system).push().requests == 0 and system.posts == 3


def test_a_400_naming_one_row_fails_that_row_and_the_others_are_looked_up_then_posted(
    box: Outbox, system: MemorySystem
) -> None:
    ids = [box.enqueue_sale(make_sale(n), license_number="L", user_id="u").id for n in range(10)]
    system.post_faults.append(refuse_rows(3))
    report = pusher(box, system).push()
    bad = box.get(ids[3])
    assert bad.state is ItemState.QUEUED and bad.failed and "row 3" in (bad.last_error or "")
    assert not bad.outcome_unknown
    assert report.failed_ids == [ids[3]]
    # The nine others were asked about (outcome unknown after a refused batch), found absent, posted once.
    assert system.lookups == 9
    assert all(system.stored_count(f"R-{n}") == (0 if n == 3 else 1) for n in range(10))
    assert box.status().done == 9


def test_a_refused_sale_is_retried_with_every_later_push_until_resolved(box: Outbox, system: MemorySystem) -> None:
    item = box.enqueue_sale(make_sale(1), license_number="L", user_id="u")
    for _ in range(3):
        system.post_faults.append(refuse_sale("R-1"))
        report = pusher(box, system).push()
        assert report.failed_ids == [item.id]
    assert box.get(item.id).attempts == 3
    box.resolve(item.id, "package label corrected and entered by hand")
    assert pusher(box, system).push().requests == 0
    assert box.status().all_done


def test_outcome_unknown_after_store_is_found_by_look_up_not_posted_again(box: Outbox, system: MemorySystem) -> None:
    for n in range(4):
        box.enqueue_sale(make_sale(n), license_number="L", user_id="u")
    system.after_store_faults.append(True)  # stored, then the answer is lost
    first = pusher(box, system).push()
    assert len(first.unknown_ids) == 4 and box.status().outcome_unknown == 4
    second = pusher(box, system).push()
    assert second.found == 4 and second.requests == 0
    assert all(system.stored_count(f"R-{n}") == 1 for n in range(4))
    assert all(item.resolution == "found" and item.receipt_id for item in box.items())


def test_outcome_unknown_before_store_is_looked_up_then_posted(box: Outbox, system: MemorySystem) -> None:
    box.enqueue_sale(make_sale(1), license_number="L", user_id="u")
    system.post_faults.append(unknown_before_store)
    pusher(box, system).push()
    assert system.stored_count("R-1") == 0
    report = pusher(box, system).push()
    assert report.posted == 1 and system.lookups == 1 and system.stored_count("R-1") == 1


def test_a_failed_look_up_never_counts_as_absent(box: Outbox, system: MemorySystem) -> None:
    box.enqueue_sale(make_sale(1), license_number="L", user_id="u")
    system.after_store_faults.append(True)
    pusher(box, system).push()
    system.lookup_fails = 1
    report = pusher(box, system).push()
    assert report.requests == 0 and report.unknown_ids and system.stored_count("R-1") == 1
    assert pusher(box, system).push().found == 1
    assert system.stored_count("R-1") == 1


def test_an_expired_lease_is_looked_up_before_any_re_post(tmp_path: Path, system: MemorySystem) -> None:
    clock = Clock()
    with Outbox.open(tmp_path / "o.db", clock=clock) as box:
        box.enqueue_sale(make_sale(1), license_number="L", user_id="u")
        # A pusher claimed, posted, and died before recording the result.
        claimed = box.claim("dead-pusher", limit=10, lease_seconds=300)
        system.store(claimed[0].sale)  # type: ignore[arg-type]
        assert pusher(box, system).push().requests == 0  # still leased: nobody touches it
        clock.now += 301
        report = pusher(box, system).push()
        assert report.found == 1 and report.requests == 0 and system.stored_count("R-1") == 1


def test_no_usable_key_keeps_the_item_queued_with_a_typed_error(box: Outbox, system: MemorySystem) -> None:
    item = box.enqueue_sale(make_sale(1), license_number="L", user_id="cashier-2")
    report = pusher(box, system, keys={"u": "key-u"}).push()
    stored = box.get(item.id)
    assert report.failed_ids == [item.id] and stored.state is ItemState.QUEUED
    assert stored.last_error_type == "NoUsableCredentialError" and "cashier-2" in (stored.last_error or "")
    assert system.posts == 0
    # The fallback rule uses the master user's key only because cashier-2 has none.
    report = pusher(box, system, credential_rule=individual_or_fallback("u")).push()
    assert report.posted == 1 and system.keys_seen == ["u"]


def test_credential_rules() -> None:
    provider = keys_from_mapping({"a": "key-a", "m": "key-m"})
    assert individual_key_required("a", "L", provider).reveal() == "key-a"
    with pytest.raises(NoUsableCredentialError, match="'b'"):
        individual_key_required("b", "L", provider)
    assert individual_or_fallback("m")("b", "L", provider).user_id == "m"
    assert individual_or_fallback("m")("a", "L", provider).user_id == "a"


def test_update_and_void_resolve_the_receipt_id_by_external_number(box: Outbox, system: MemorySystem) -> None:
    box.enqueue_sale(make_sale(1), license_number="L", user_id="u")
    box.enqueue_update(make_sale(1, amount="4.00"), license_number="L", user_id="u")
    void = box.enqueue_void("R-1", license_number="L", user_id="u")
    report = pusher(box, system).push()
    assert (report.posted, report.updated, report.voided) == (1, 1, 1)
    receipt_id = system.receipts["R-1"][0][0]
    assert system.updates == [(receipt_id, make_sale(1, amount="4.00"))]
    assert system.voided == {receipt_id}
    assert box.get(void.id).receipt_id == receipt_id
    assert system.lookups == 1  # a v1 POST returned no id: looked up once, then reused from the outbox


def test_a_void_of_a_receipt_the_system_does_not_hold_waits_with_a_typed_error(
    box: Outbox, system: MemorySystem
) -> None:
    void = box.enqueue_void("R-404", license_number="L", user_id="u")
    pusher(box, system).push()
    assert box.get(void.id).last_error_type == "ReceiptNotOnSystemError"


def test_stop_between_batches(box: Outbox, system: MemorySystem) -> None:
    for n in range(30):
        box.enqueue_sale(make_sale(n), license_number="L", user_id="u")
    calls = iter([False, False, True])
    report = pusher(box, system).push(stop=lambda: next(calls, True))
    assert report.stopped and report.posted == 10 and box.status().queued == 20
    assert box.status().leased == 0  # nothing left leased by a clean stop


def test_max_attempts_parks_an_item_and_retry_brings_it_back(box: Outbox, system: MemorySystem) -> None:
    item = box.enqueue_sale(make_sale(1), license_number="L", user_id="nobody")
    pusher(box, system, max_attempts=2).push()
    pusher(box, system, max_attempts=2).push()
    assert box.get(item.id).state is ItemState.DEAD
    assert pusher(box, system, max_attempts=2).push().requests == 0
    assert box.retry(item.id).state is ItemState.QUEUED


def test_the_key_never_reaches_logs_reprs_errors_or_the_database(
    tmp_path: Path, system: MemorySystem, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    db = tmp_path / "canary.db"
    with Outbox.open(db) as box:
        for n in range(12):
            box.enqueue_sale(make_sale(n), license_number="L", user_id="u")
        box.enqueue_sale(make_sale(99), license_number="L", user_id="nokey")
        system.post_faults.append(refuse_rows(2))
        system.after_store_faults.extend([False, True])
        p = Pusher(box, system.client, keys_from_mapping({"u": CANARY_KEY}))
        texts = [repr(p), repr(box), repr(UserKey("u", CANARY_KEY)), f"{UserKey('u', CANARY_KEY)}"]
        for _ in range(3):
            report = p.push()
            texts.append(repr(report))
        texts += [repr(item) + str(item.to_dict()) for item in box.items()]
        texts += [str(entry) for item in box.items() for entry in box.attempts(item.id)]
    texts += [record.getMessage() for record in caplog.records]
    assert all(CANARY_KEY not in text for text in texts)
    for path in tmp_path.iterdir():
        assert CANARY_KEY.encode() not in path.read_bytes()
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(UserKey("u", CANARY_KEY))
