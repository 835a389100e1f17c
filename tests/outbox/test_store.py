"""The SQLite storage layer: durability settings, idempotent enqueue, ordering, leases, busy handling, audit."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from fe_compliance.outbox import (
    ConflictingReceiptError,
    DatabaseBusyError,
    DatabaseWriteError,
    Durability,
    ItemKind,
    ItemNotFoundError,
    ItemResult,
    ItemState,
    ItemStateError,
    Outbox,
    SchemaVersionError,
    sale_from_json,
    sale_to_json,
)

from .helpers import make_sale


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "outbox.db"


def test_every_connection_is_wal_and_synchronous_full(db: Path) -> None:
    with Outbox.open(db) as first, Outbox.open(db) as second:
        for box in (first, second):
            assert box.pragma("journal_mode") == "wal"
            assert box.pragma("synchronous") == 2  # FULL
            assert box.pragma("busy_timeout") == 5000
    with Outbox.open(db, durability="normal") as normal:
        assert normal.pragma("synchronous") == 1  # NORMAL


def test_codec_round_trips_and_is_canonical() -> None:
    sale = make_sale(1, amount="10.10")
    text = sale_to_json(sale)
    assert sale_from_json(text) == sale
    assert sale_to_json(sale_from_json(text)) == text
    assert '"amount":"10.10"' in text


def test_same_sale_twice_is_one_item_and_other_content_is_refused(db: Path) -> None:
    with Outbox.open(db) as box:
        first = box.enqueue_sale(make_sale(1), license_number="LIC-1", user_id="u1")
        again = box.enqueue_sale(make_sale(1), license_number="LIC-1", user_id="u1")
        assert again.id == first.id
        with pytest.raises(ConflictingReceiptError) as caught:
            box.enqueue_sale(make_sale(1, amount="1.00"), license_number="LIC-1", user_id="u1")
        assert caught.value.field == "external_receipt_number" and "R-1" in str(caught.value)
        other_license = box.enqueue_sale(make_sale(1), license_number="LIC-2", user_id="u1")
        assert other_license.id != first.id
        assert box.status().total == 2


def test_updates_and_voids_are_ordered_after_their_post(db: Path) -> None:
    clock = Clock()
    with Outbox.open(db, clock=clock) as box:
        post = box.enqueue_sale(make_sale(1), license_number="L", user_id="u")
        update = box.enqueue_update(make_sale(1, amount="5.00"), license_number="L", user_id="u")
        assert box.enqueue_update(make_sale(1, amount="5.00"), license_number="L", user_id="u").id == update.id
        void = box.enqueue_void("R-1", license_number="L", user_id="u")
        assert box.enqueue_void("R-1", license_number="L", user_id="u").id == void.id
        with pytest.raises(ItemStateError):
            box.enqueue_update(make_sale(1, amount="6.00"), license_number="L", user_id="u")
        assert [post.seq, update.seq, void.seq] == [0, 1, 2]
        # One claim takes only the post: the update waits for it, even with room in the batch.
        claimed = box.claim("p1", limit=10, lease_seconds=60)
        assert [item.id for item in claimed] == [post.id]
        box.complete("p1", [ItemResult(post.id, "done", resolution="posted")])
        assert [item.id for item in box.claim("p1", limit=10, lease_seconds=60)] == [update.id]
        box.complete("p1", [ItemResult(update.id, "failed", error="x", error_type="X")], run_id="r")
        # In the same run the failed update is held back, and it still blocks the void.
        assert box.claim("p1", limit=10, lease_seconds=60, run_id="r") == []
        # The next run retries the update, and again not the void.
        assert [item.kind for item in box.claim("p1", limit=10, lease_seconds=60, run_id="r2")] == [ItemKind.UPDATE]


def test_a_post_after_an_update_of_the_same_receipt_is_refused(db: Path) -> None:
    with Outbox.open(db) as box:
        box.enqueue_void("R-9", license_number="L", user_id="u")
        with pytest.raises(ItemStateError):
            box.enqueue_sale(make_sale(9), license_number="L", user_id="u")


def test_a_lease_hides_the_item_until_it_expires_then_it_comes_back_outcome_unknown(db: Path) -> None:
    clock = Clock()
    with Outbox.open(db, clock=clock) as box:
        item = box.enqueue_sale(make_sale(1), license_number="L", user_id="u")
        assert [c.id for c in box.claim("a", limit=10, lease_seconds=30)] == [item.id]
        assert box.claim("b", limit=10, lease_seconds=30) == []
        clock.now += 29.9
        assert box.claim("b", limit=10, lease_seconds=30) == []
        clock.now += 0.2
        back = box.claim("b", limit=10, lease_seconds=30)
        assert [c.id for c in back] == [item.id]
        assert back[0].outcome_unknown and back[0].lease_owner == "b" and back[0].attempts == 2
        assert "expired" in (back[0].last_error or "")
        # The old owner's late result is fenced off: it writes nothing.
        assert box.complete("a", [ItemResult(item.id, "done", resolution="posted")]) == []
        assert box.get(item.id).state is ItemState.QUEUED


def test_opening_never_resets_claims(db: Path) -> None:
    clock = Clock()
    with Outbox.open(db, clock=clock) as box:
        box.enqueue_sale(make_sale(1), license_number="L", user_id="u")
        box.claim("a", limit=1, lease_seconds=100)
    with Outbox.open(db, clock=clock) as reopened:
        item = next(reopened.items())
        assert item.lease_owner == "a" and item.lease_until == clock.now + 100
        assert reopened.claim("b", limit=1, lease_seconds=100) == []


def test_done_resolved_and_dead_items_stay_with_their_audit_trail(db: Path) -> None:
    with Outbox.open(db) as box:
        ids = [box.enqueue_sale(make_sale(n), license_number="L", user_id="u").id for n in range(3)]
        box.claim("p", limit=3, lease_seconds=60)
        box.complete("p", [
            ItemResult(ids[0], "done", resolution="posted", receipt_id="77"),
            ItemResult(ids[1], "dead", error="refused", error_type="ValidationError"),
            ItemResult(ids[2], "failed", error="refused", error_type="ValidationError"),
        ], run_id="r")
        resolved = box.resolve(ids[2], "entered in Metrc by hand")
        assert resolved.state is ItemState.RESOLVED and resolved.note == "entered in Metrc by hand"
        with pytest.raises(ItemStateError):
            box.retry(ids[0])
        assert box.retry(ids[1]).state is ItemState.QUEUED
        status = box.status()
        assert (status.total, status.done, status.resolved, status.queued) == (3, 1, 1, 1)
        trail = box.attempts(ids[2])
        assert [entry["outcome"] for entry in trail] == ["failed", "resolved"]
        assert box.get(ids[0]).receipt_id == "77"
        with pytest.raises(ItemNotFoundError):
            box.get(999)


def test_a_leased_item_cannot_be_resolved_or_retried(db: Path) -> None:
    with Outbox.open(db) as box:
        item = box.enqueue_sale(make_sale(1), license_number="L", user_id="u")
        box.claim("p", limit=1, lease_seconds=60)
        with pytest.raises(ItemStateError, match="being pushed"):
            box.resolve(item.id)


def test_a_database_that_is_not_an_outbox_or_is_newer_is_refused(db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(SchemaVersionError, match="not an outbox"):
        Outbox.open(other)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all, just text" * 100)
    with pytest.raises(SchemaVersionError, match="not an SQLite database"):
        Outbox.open(junk)
    Outbox.open(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(SchemaVersionError, match="99"):
        Outbox.open(db)


def test_database_is_locked_is_retried_then_reported_as_not_committed(db: Path) -> None:
    Outbox.open(db).close()
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Outbox.open(db, busy_timeout=0.05, lock_budget=0.3) as box:
            with pytest.raises(DatabaseBusyError) as caught:
                box.enqueue_sale(make_sale(1), license_number="L", user_id="u")
            assert caught.value.may_have_committed is False
            assert "nothing was committed" in str(caught.value)
            # Released while the library is still retrying: the enqueue succeeds.
            timer = threading.Timer(0.1, lambda: holder.execute("COMMIT"))
            timer.start()
            box.lock_budget = 5.0
            item = box.enqueue_sale(make_sale(1), license_number="L", user_id="u")
            timer.join()
            assert box.get(item.id).state is ItemState.QUEUED
    finally:
        holder.close()


def test_concurrent_enqueues_and_claims_from_threads_never_share_an_item(db: Path) -> None:
    Outbox.open(db).close()
    claimed: list[int] = []
    lock = threading.Lock()

    def work(worker: int) -> None:
        with Outbox.open(db) as box:
            for n in range(25):
                box.enqueue_sale(make_sale(worker * 1000 + n), license_number="L", user_id="u")
                for item in box.claim(f"w{worker}", limit=3, lease_seconds=600):
                    with lock:
                        claimed.append(item.id)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(claimed) == len(set(claimed))
    with Outbox.open(db) as box:
        assert box.status().total == 100


def test_bad_arguments_name_the_field(db: Path) -> None:
    with Outbox.open(db) as box:
        with pytest.raises(ValueError, match="license_number"):
            box.enqueue_sale(make_sale(1), license_number=" ", user_id="u")
        with pytest.raises(ValueError, match="limit"):
            box.claim("p", limit=0, lease_seconds=1)
    with pytest.raises(ValueError, match="durability"):
        Outbox.open(db, durability="fast")
    assert Durability("full") is Durability.FULL


class _FailingCommit:
    """A connection whose COMMIT fails the way an I/O error does (not "busy"): SQLite cannot say if it landed."""

    def __init__(self, inner: sqlite3.Connection) -> None:
        self.inner = inner

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        if sql == "COMMIT":
            raise sqlite3.OperationalError("disk I/O error")
        return self.inner.execute(sql, *args)

    @property
    def in_transaction(self) -> bool:
        return self.inner.in_transaction

    def close(self) -> None:
        self.inner.close()


def test_an_enqueue_that_fails_at_commit_says_it_may_have_committed_and_can_be_repeated(db: Path) -> None:
    with Outbox.open(db) as box:
        real = box._conn
        box._conn = _FailingCommit(real)  # type: ignore[assignment]
        with pytest.raises(DatabaseWriteError) as caught:
            box.enqueue_sale(make_sale(1), license_number="L", user_id="u")
        assert caught.value.may_have_committed is True and "MAY have been committed" in str(caught.value)
        box._conn = real
        # Enqueuing the same sale again is the safe answer either way: one item.
        box.enqueue_sale(make_sale(1), license_number="L", user_id="u")
        box.enqueue_sale(make_sale(1), license_number="L", user_id="u")
        assert box.status().total == 1
