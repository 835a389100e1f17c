"""The outbox's SQLite storage: durable enqueue, leased claims, results, and the audit trail.

Durability. Every connection sets ``journal_mode=WAL`` and ``synchronous=FULL`` (the synchronous setting is not
stored in the database file, so a connection that forgets it silently runs at the default), and ``fullfsync``
where the platform has it (macOS; SQLite ignores it elsewhere). With FULL, a committed enqueue survives a power
cut. ``Durability.NORMAL`` is the documented option for hardware where fsync per sale is too slow: in WAL mode
it survives a crash of the process but a power cut may lose the last commits.

Concurrency. Every write is a ``BEGIN IMMEDIATE`` transaction: it takes the write lock at BEGIN, so it never
fails half way with "database is locked" when a read would have to be upgraded to a write (the failure a plain
``BEGIN`` gives under contention, whatever the busy timeout; Simon Willison's notes on SQLITE_BUSY, 2025). The
busy timeout makes SQLite wait for the lock; if it stays locked longer, the library retries BEGIN with backoff
for ``lock_budget`` seconds, then raises :class:`DatabaseBusyError` (nothing committed). A claim leases items to
one pusher until a deadline (``UPDATE ... RETURNING`` inside that transaction, the shape litequeue uses for its
``pop``; unlike litequeue, a lease expires and opening the database never resets claims).

Nothing is deleted: done, resolved and dead items stay, and every attempt is appended to ``attempts``.

How to use::

    with Outbox.open("outbox.db") as box:
        box.enqueue_sale(sale, license_number="LIC-1", user_id="cashier-7")
        print(box.status())

Pushing is :class:`~fe_compliance.outbox.pusher.Pusher`'s job; it uses :meth:`Outbox.claim` and
:meth:`Outbox.complete`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import json
import os
import random
import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

from ..errors import InvalidValueError
from ..tracktrace.models import Sale
from .codec import sale_from_json, sale_to_json
from .errors import (
    ConflictingReceiptError,
    DatabaseBusyError,
    DatabaseWriteError,
    ItemNotFoundError,
    ItemStateError,
    SchemaVersionError,
)

__all__ = [
    "SCHEMA_VERSION",
    "Durability",
    "ItemKind",
    "ItemResult",
    "ItemState",
    "Outbox",
    "OutboxItem",
    "OutboxStatus",
]

#: Version of the tables below, kept in ``PRAGMA user_version``. Raise it with every schema change and add the
#: migration to :meth:`Outbox._migrate`.
SCHEMA_VERSION = 1

# An application id marks the file as an fe-compliance outbox ("FEOB"), so the command refuses another database.
_APPLICATION_ID = 0x46454F42

_SCHEMA = """
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    license_number TEXT NOT NULL,
    external_receipt_number TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('post', 'update', 'void')) CHECK (kind != 'post' OR seq = 0),
    user_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'done', 'dead', 'resolved')),
    receipt_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    last_error_type TEXT,
    outcome_unknown INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    failed_run TEXT,
    lease_owner TEXT,
    lease_until REAL,
    resolution TEXT,
    note TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    finished_at REAL,
    UNIQUE (license_number, external_receipt_number, seq)  -- with the CHECK above: one post per receipt
);
CREATE UNIQUE INDEX items_one_void ON items (license_number, external_receipt_number) WHERE kind = 'void';
CREATE INDEX items_queued ON items (id) WHERE state = 'queued';
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items (id),
    at REAL NOT NULL,
    owner TEXT,
    outcome TEXT NOT NULL,
    error_type TEXT,
    error TEXT
);
CREATE INDEX attempts_item ON attempts (item_id);
"""

_T = TypeVar("_T")


class Durability(enum.Enum):
    """``FULL``: a commit survives a power cut (the default). ``NORMAL``: survives a process crash only (WAL)."""

    FULL = "full"
    NORMAL = "normal"


class ItemKind(enum.Enum):
    """What the item asks the system to do with its receipt."""

    POST = "post"
    UPDATE = "update"
    VOID = "void"


class ItemState(enum.Enum):
    """``QUEUED``: to push (failed items stay queued and are retried every push). ``DONE``: the system holds it.
    ``DEAD``: parked (attempt limit reached); ``retry`` queues it again. ``RESOLVED``: closed by an operator."""

    QUEUED = "queued"
    DONE = "done"
    DEAD = "dead"
    RESOLVED = "resolved"


def _iso(moment: float | None) -> str | None:
    if moment is None:
        return None
    return dt.datetime.fromtimestamp(moment, dt.UTC).isoformat(timespec="milliseconds")


@attrs.frozen(slots=True)
class OutboxItem:
    """One queued (or finished) operation on one receipt, as stored. ``payload`` is the canonical JSON text."""

    id: int
    kind: ItemKind
    license_number: str
    external_receipt_number: str
    seq: int
    user_id: str
    payload: str = attrs.field(repr=False)
    state: ItemState
    receipt_id: str | None
    attempts: int
    last_error: str | None
    last_error_type: str | None
    outcome_unknown: bool
    failed: bool
    lease_owner: str | None
    lease_until: float | None
    resolution: str | None
    note: str | None
    created_at: float
    updated_at: float
    finished_at: float | None

    @property
    def sale(self) -> Sale | None:
        """The sale of a post or update (None for a void)."""
        if self.kind is ItemKind.VOID:
            return None
        return sale_from_json(self.payload)

    @property
    def sold_at(self) -> dt.datetime | None:
        """When the sale was made, when the payload says (used to narrow a look-up by date)."""
        data = json.loads(self.payload)
        text = data.get("sold_at")
        return dt.datetime.fromisoformat(text) if isinstance(text, str) else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view (times as ISO 8601 UTC), without the payload."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "license_number": self.license_number,
            "external_receipt_number": self.external_receipt_number,
            "seq": self.seq,
            "user_id": self.user_id,
            "state": self.state.value,
            "receipt_id": self.receipt_id,
            "attempts": self.attempts,
            "failed": self.failed,
            "outcome_unknown": self.outcome_unknown,
            "last_error": self.last_error,
            "last_error_type": self.last_error_type,
            "lease_owner": self.lease_owner,
            "lease_until": _iso(self.lease_until),
            "resolution": self.resolution,
            "note": self.note,
            "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at),
            "finished_at": _iso(self.finished_at),
        }


_COLUMNS = (
    "id, kind, license_number, external_receipt_number, seq, user_id, payload, state, receipt_id, attempts, "
    "last_error, last_error_type, outcome_unknown, failed, lease_owner, lease_until, resolution, note, "
    "created_at, updated_at, finished_at"
)


# Constant SQL text, so sqlite3's statement cache (keyed by the text) prepares each once per connection.
_INSERT_POST = (
    "INSERT INTO items (license_number, external_receipt_number, seq, kind, user_id, payload, created_at, "
    "updated_at) VALUES (?, ?, 0, 'post', ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id"
)
_INSERT_ANY = (
    "INSERT INTO items (license_number, external_receipt_number, seq, kind, user_id, payload, created_at, "
    f"updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING {_COLUMNS}"
)


def _item(row: Sequence[Any]) -> OutboxItem:
    return OutboxItem(
        id=row[0], kind=ItemKind(row[1]), license_number=row[2], external_receipt_number=row[3], seq=row[4],
        user_id=row[5], payload=row[6], state=ItemState(row[7]), receipt_id=row[8], attempts=row[9],
        last_error=row[10], last_error_type=row[11], outcome_unknown=bool(row[12]), failed=bool(row[13]),
        lease_owner=row[14], lease_until=row[15], resolution=row[16], note=row[17], created_at=row[18],
        updated_at=row[19], finished_at=row[20],
    )


@attrs.frozen(slots=True)
class ItemResult:
    """What one push attempt of one item came to, written by :meth:`Outbox.complete`.

    ``outcome``: ``"done"`` (the system holds it; ``resolution`` says how we know: ``"posted"``, ``"found"``,
    ``"updated"``, ``"voided"``), ``"failed"`` (a definite refusal or an unusable key: stays queued, retried
    next push), ``"unknown"`` (may have been stored: looked up before any re-post), ``"released"`` (not tried,
    or the look-up said absent: back in the queue as it was, with ``outcome_unknown`` cleared if
    ``clear_unknown``), ``"dead"`` (parked). ``hold`` keeps a failed or unknown item out of the rest of this
    push run (it is retried by the next push); ``hold=False`` lets it come straight back.
    """

    item_id: int
    outcome: str
    receipt_id: str | None = None
    resolution: str | None = None
    error_type: str | None = None
    error: str | None = None
    clear_unknown: bool = False
    hold: bool = True

    def __attrs_post_init__(self) -> None:
        if self.outcome not in ("done", "failed", "unknown", "released", "dead"):
            raise InvalidValueError("outcome", self.outcome, "must be done, failed, unknown, released or dead")


@attrs.frozen(slots=True)
class OutboxStatus:
    """Counts of items by state, and of queued items that failed, have an unknown outcome, or are leased."""

    total: int
    queued: int
    done: int
    dead: int
    resolved: int
    failed: int
    outcome_unknown: int
    leased: int

    @property
    def all_done(self) -> bool:
        """Nothing left to push and nothing parked."""
        return self.queued == 0 and self.dead == 0

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__ if not name.startswith("__")}


def _is_locked(error: sqlite3.OperationalError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


class Outbox:
    """A durable queue of receipts to push, in one SQLite file. Open with :meth:`open`; close when done.

    ``clock`` returns the current time in POSIX seconds (inject one in tests to expire leases). Several
    processes may open the same file; each should use its own :class:`Outbox`.
    """

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: str,
        *,
        durability: Durability,
        clock: Callable[[], float],
        lock_budget: float,
    ) -> None:
        self._conn = connection
        self.path = path
        self.durability = durability
        self.clock = clock
        self.lock_budget = lock_budget

    def __repr__(self) -> str:
        return f"Outbox(path={self.path!r}, durability={self.durability.value})"

    # ---------------------------------------------------------------- opening

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        durability: Durability | str = Durability.FULL,
        busy_timeout: float = 5.0,
        lock_budget: float = 30.0,
        clock: Callable[[], float] = time.time,
        create: bool = True,
    ) -> Outbox:
        """Open (and with ``create``, create) the outbox at ``path``. Never resets claims or items.

        ``busy_timeout`` is how long SQLite itself waits for a lock per statement; ``lock_budget`` how long the
        library keeps retrying a write that still finds the database locked.
        """
        if isinstance(durability, str):
            try:
                durability = Durability(durability.lower())
            except ValueError:
                raise InvalidValueError("durability", durability, "must be 'full' or 'normal'") from None
        if not isinstance(durability, Durability):
            raise InvalidValueError("durability", durability, "must be Durability.FULL or Durability.NORMAL")
        for name, value in (("busy_timeout", busy_timeout), ("lock_budget", lock_budget)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 86400:
                raise InvalidValueError(name, value, "must be a number of seconds from 0 to 86400")
        text_path = os.fspath(path)
        if not create and not Path(text_path).exists():
            raise InvalidValueError("db", text_path, "no outbox file there")
        conn = sqlite3.connect(text_path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
        box = cls(conn, text_path, durability=durability, clock=clock, lock_budget=lock_budget)
        try:
            box._configure(busy_timeout)
            box._migrate()
        except sqlite3.DatabaseError as exc:
            conn.close()
            if isinstance(exc, sqlite3.OperationalError) and _is_locked(exc):
                raise DatabaseBusyError("open", lock_budget) from None
            raise SchemaVersionError(text_path, f"none (not an SQLite database: {exc})", SCHEMA_VERSION) from None
        except BaseException:
            conn.close()
            raise
        return box

    def _configure(self, busy_timeout: float) -> None:
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        # journal_mode needs the lock briefly; retry it like any write.
        mode = self._retry_locked("set WAL mode", lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
        if mode is None or str(mode[0]).lower() != "wal":
            raise DatabaseWriteError("open", f"SQLite refused WAL mode (got {mode!r})", may_have_committed=False)
        conn.execute(f"PRAGMA synchronous = {self.durability.value.upper()}")
        conn.execute("PRAGMA fullfsync = ON")  # macOS: F_FULLFSYNC; a no-op where the platform has none
        conn.execute("PRAGMA foreign_keys = ON")

    def _migrate(self) -> None:
        """Create the tables in a new file, accept a file of this schema version, refuse anything else.

        The check is a read, so opening a busy outbox does not wait for the write lock; only creation writes.
        """

        def check(conn: sqlite3.Connection) -> bool:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app = conn.execute("PRAGMA application_id").fetchone()[0]
            if version == 0:
                tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
                if tables:
                    raise SchemaVersionError(self.path, "none (a database that is not an outbox)", SCHEMA_VERSION)
                return True
            if app != _APPLICATION_ID or version != SCHEMA_VERSION:
                raise SchemaVersionError(self.path, version if app == _APPLICATION_ID else "none", SCHEMA_VERSION)
            return False

        def create(conn: sqlite3.Connection) -> None:
            if not check(conn):  # another process created it meanwhile
                return
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

        if self._retry_locked("open", lambda: check(self._conn)):
            self._write("create the outbox tables", create)

    # ---------------------------------------------------------------- transactions

    def _retry_locked(self, operation: str, action: Callable[[], _T]) -> _T:
        """Run ``action``, retrying "database is locked" with jittered backoff for ``lock_budget`` seconds."""
        started = time.monotonic()
        delay = 0.005
        while True:
            try:
                return action()
            except sqlite3.OperationalError as exc:
                waited = time.monotonic() - started
                if not _is_locked(exc):
                    raise
                if waited >= self.lock_budget:
                    raise DatabaseBusyError(operation, waited) from None
                time.sleep(min(delay, max(0.0, self.lock_budget - waited)) * (0.5 + random.random()))
                delay = min(delay * 2, 0.5)

    def _write(self, operation: str, body: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run ``body`` in one ``BEGIN IMMEDIATE`` transaction and commit it durably.

        Failure before COMMIT rolls back (nothing committed). COMMIT answering busy is retried (the transaction
        stays open, SQLite's documented behaviour); any other COMMIT failure may or may not have reached the disk,
        and says so.
        """
        conn = self._conn
        # The first try goes straight to SQLite (its busy timeout already waits); only a lock that outlasts it pays
        # for the retry loop. Enqueue calls this once per sale, so the fast path matters (issue 12).
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if not _is_locked(exc):
                raise
            self._retry_locked(operation, lambda: conn.execute("BEGIN IMMEDIATE"))
        try:
            result = body(conn)
        except BaseException as exc:
            self._rollback()
            if isinstance(exc, sqlite3.Error) and not isinstance(exc, sqlite3.IntegrityError):
                raise DatabaseWriteError(operation, f"{type(exc).__name__}: {exc}", may_have_committed=False) from exc
            raise
        try:
            try:
                conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if not _is_locked(exc):
                    raise
                self._retry_locked(operation, lambda: conn.execute("COMMIT"))
        except DatabaseBusyError:
            self._rollback()
            raise
        except sqlite3.Error as exc:
            self._rollback()
            raise DatabaseWriteError(operation, f"COMMIT failed: {exc}", may_have_committed=True) from exc
        return result

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):  # an unusable connection rolls back when closed
                self._conn.execute("ROLLBACK")

    def close(self) -> None:
        """Close the connection (an open transaction is rolled back; nothing committed is lost)."""
        self._conn.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ---------------------------------------------------------------- enqueue

    def enqueue_sale(self, sale: Sale, *, license_number: str, user_id: str) -> OutboxItem:
        """Queue the post of ``sale``; durable when this returns. The same sale again returns the same item.

        ``user_id`` is the selling user's id in the POS (the pusher asks the credential provider for that user's
        key at push time; a key is never stored). Raises :class:`ConflictingReceiptError` when the receipt number
        is already queued under this license with other content.
        """
        payload = sale_to_json(sale)
        return self._enqueue(ItemKind.POST, license_number, user_id, sale.external_receipt_number, payload)

    def enqueue_update(self, sale: Sale, *, license_number: str, user_id: str) -> OutboxItem:
        """Queue an update of the receipt ``sale.external_receipt_number`` to say what ``sale`` says.

        It is pushed after the sale's post (and after earlier updates). The same update again returns the same
        item; an update after a void is refused.
        """
        payload = sale_to_json(sale)
        return self._enqueue(ItemKind.UPDATE, license_number, user_id, sale.external_receipt_number, payload)

    def enqueue_void(
        self,
        external_receipt_number: str,
        *,
        license_number: str,
        user_id: str,
        sold_at: dt.datetime | None = None,
    ) -> OutboxItem:
        """Queue the void of a receipt, pushed after its post and updates. Voiding twice is one item.

        ``sold_at`` (aware) helps find the receipt on systems that search by date when the outbox holds no post.
        """
        number = _text("external_receipt_number", external_receipt_number)
        if sold_at is not None and (not isinstance(sold_at, dt.datetime) or sold_at.utcoffset() is None):
            raise InvalidValueError("sold_at", sold_at, "must be a timezone-aware datetime or None")
        payload = json.dumps(
            {"format": 1, "external_receipt_number": number, "sold_at": sold_at.isoformat() if sold_at else None},
            sort_keys=True, separators=(",", ":"),
        )
        return self._enqueue(ItemKind.VOID, license_number, user_id, number, payload)

    def _enqueue(self, kind: ItemKind, license_number: str, user_id: str, number: str, payload: str) -> OutboxItem:
        license_number = _text("license_number", license_number)
        user_id = _text("user_id", user_id)

        def run(conn: sqlite3.Connection) -> OutboxItem:
            if kind is ItemKind.POST:
                # The common case in one statement: a new receipt. Any conflict falls through to the checks below.
                # Every column of a fresh row is known here, so only its id comes back (issue 12: reading the
                # whole row back cost ~10 us an enqueue).
                now = float(self.clock())
                fresh = conn.execute(
                    _INSERT_POST, (license_number, number, user_id, payload, now, now)
                ).fetchone()
                if fresh is not None:
                    return OutboxItem(
                        id=fresh[0], kind=ItemKind.POST, license_number=license_number,
                        external_receipt_number=number, seq=0, user_id=user_id, payload=payload,
                        state=ItemState.QUEUED, receipt_id=None, attempts=0, last_error=None, last_error_type=None,
                        outcome_unknown=False, failed=False, lease_owner=None, lease_until=None, resolution=None,
                        note=None, created_at=now, updated_at=now, finished_at=None,
                    )
            found = conn.execute(
                f"SELECT {_COLUMNS} FROM items WHERE license_number = ? AND external_receipt_number = ? "
                "ORDER BY seq",
                (license_number, number),
            ).fetchall()
            rows = [_item(row) for row in found]
            if kind is ItemKind.POST:
                for existing in rows:
                    if existing.kind is ItemKind.POST:
                        if existing.payload == payload and existing.user_id == user_id:
                            return existing
                        raise ConflictingReceiptError(license_number, number, "post", existing.id)
                if rows:
                    raise ItemStateError(
                        "external_receipt_number", number,
                        f"an update or void of this receipt is already queued (item {rows[0].id}); its post "
                        "cannot come after it",
                    )
            elif kind is ItemKind.VOID:
                for existing in rows:
                    if existing.kind is ItemKind.VOID:
                        return existing
            else:
                if any(existing.kind is ItemKind.VOID for existing in rows):
                    raise ItemStateError("external_receipt_number", number, "the receipt's void is already queued")
                if rows and rows[-1].payload == payload and rows[-1].kind is not ItemKind.VOID:
                    return rows[-1]
            seq = rows[-1].seq + 1 if rows else 0
            now = self.clock()
            row = conn.execute(
                _INSERT_ANY, (license_number, number, seq, kind.value, user_id, payload, now, now)
            ).fetchone()
            return _item(row)

        return self._write(f"enqueue {kind.value} {number}", run)

    # ---------------------------------------------------------------- claims and results

    def claim(self, owner: str, *, limit: int, lease_seconds: float, run_id: str | None = None) -> list[OutboxItem]:
        """Lease up to ``limit`` pushable items to ``owner`` for ``lease_seconds``, oldest first.

        Pushable: queued, not leased (or the lease expired), every earlier item of the same receipt done or
        resolved (updates and voids wait for their post), and not already failed in this ``run_id`` (a failed
        item is retried by the next push, not in a loop). An item whose previous lease expired comes back with
        ``outcome_unknown`` set: its pusher may have posted it, so the next pusher looks it up first.
        """
        owner = _text("owner", owner)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InvalidValueError("limit", limit, "must be a positive integer")
        if isinstance(lease_seconds, bool) or not isinstance(lease_seconds, (int, float)) or not lease_seconds > 0:
            raise InvalidValueError("lease_seconds", lease_seconds, "must be a positive number of seconds")

        def run(conn: sqlite3.Connection) -> list[OutboxItem]:
            now = self.clock()
            rows = conn.execute(
                "UPDATE items SET "
                "outcome_unknown = CASE WHEN lease_owner IS NOT NULL THEN 1 ELSE outcome_unknown END, "
                "last_error = CASE WHEN lease_owner IS NOT NULL "
                "THEN 'the lease of ' || lease_owner || ' expired without a result' ELSE last_error END, "
                "last_error_type = CASE WHEN lease_owner IS NOT NULL THEN 'LeaseExpired' ELSE last_error_type END, "
                "lease_owner = :owner, lease_until = :until, attempts = attempts + 1, updated_at = :now "
                "WHERE id IN ("
                "  SELECT i.id FROM items AS i WHERE i.state = 'queued'"
                "  AND (i.lease_until IS NULL OR i.lease_until <= :now)"
                "  AND (i.failed_run IS NULL OR i.failed_run IS NOT :run)"
                "  AND NOT EXISTS (SELECT 1 FROM items AS p WHERE p.license_number = i.license_number"
                "    AND p.external_receipt_number = i.external_receipt_number AND p.seq < i.seq"
                "    AND p.state NOT IN ('done', 'resolved'))"
                "  ORDER BY i.id LIMIT :limit) "
                f"RETURNING {_COLUMNS}",
                {"owner": owner, "until": now + lease_seconds, "now": now, "limit": limit, "run": run_id},
            ).fetchall()
            items = sorted((_item(row) for row in rows), key=lambda item: item.id)
            for item in items:
                if item.last_error_type == "LeaseExpired" and item.outcome_unknown:
                    conn.execute(
                        "INSERT INTO attempts (item_id, at, owner, outcome, error_type, error) "
                        "VALUES (?, ?, ?, 'lease-expired', 'LeaseExpired', ?)",
                        (item.id, now, owner, item.last_error),
                    )
            return items

        return self._write("claim", run)

    def renew(self, owner: str, item_ids: Sequence[int], lease_seconds: float) -> list[int]:
        """Extend ``owner``'s leases; returns the ids still leased to ``owner`` (the others were lost)."""

        def run(conn: sqlite3.Connection) -> list[int]:
            now = self.clock()
            kept = []
            for item_id in item_ids:
                cursor = conn.execute(
                    "UPDATE items SET lease_until = ? WHERE id = ? AND lease_owner = ? AND state = 'queued'",
                    (now + lease_seconds, item_id, owner),
                )
                if cursor.rowcount:
                    kept.append(item_id)
            return kept

        return self._write("renew lease", run)

    def complete(self, owner: str, results: Sequence[ItemResult], *, run_id: str | None = None) -> list[int]:
        """Write the results of ``owner``'s attempts in one transaction and release the leases.

        A result is written only while ``owner`` still holds the item's lease (a fence): a pusher whose lease
        expired and was taken over writes nothing, and its successor looks the receipt up. Returns the ids
        written.
        """

        def run(conn: sqlite3.Connection) -> list[int]:
            now = self.clock()
            written = []
            for result in results:
                outcome = result.outcome
                if outcome == "done":
                    sql = (
                        "UPDATE items SET state = 'done', receipt_id = coalesce(?, receipt_id), resolution = ?, "
                        "outcome_unknown = 0, failed = 0, failed_run = NULL, lease_owner = NULL, "
                        "lease_until = NULL, updated_at = ?, finished_at = ? WHERE id = ? AND lease_owner = ?"
                    )
                    params: tuple[Any, ...] = (result.receipt_id, result.resolution, now, now, result.item_id, owner)
                elif outcome in ("failed", "dead"):
                    sql = (
                        "UPDATE items SET state = ?, failed = 1, failed_run = ?, last_error = ?, "
                        "last_error_type = ?, outcome_unknown = CASE WHEN ? THEN 0 ELSE outcome_unknown END, "
                        "lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND lease_owner = ?"
                    )
                    params = (
                        "dead" if outcome == "dead" else "queued", run_id, result.error, result.error_type,
                        result.clear_unknown, now, result.item_id, owner,
                    )
                elif outcome == "unknown":
                    sql = (
                        "UPDATE items SET outcome_unknown = 1, failed_run = ?, last_error = ?, last_error_type = ?, "
                        "lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND lease_owner = ?"
                    )
                    params = (
                        run_id if result.hold else None, result.error, result.error_type, now, result.item_id, owner
                    )
                else:  # released
                    sql = (
                        "UPDATE items SET outcome_unknown = CASE WHEN ? THEN 0 ELSE outcome_unknown END, "
                        "receipt_id = coalesce(?, receipt_id), lease_owner = NULL, lease_until = NULL, "
                        "attempts = max(attempts - 1, 0), updated_at = ? WHERE id = ? AND lease_owner = ?"
                    )
                    params = (result.clear_unknown, result.receipt_id, now, result.item_id, owner)
                if conn.execute(sql, params).rowcount:
                    written.append(result.item_id)
                    # The item row itself records a plain success (state, resolution, finished_at, attempts); the
                    # trail keeps every failure, every unknown outcome, every receipt found by look-up.
                    plain_success = outcome == "done" and result.resolution in ("posted", "updated", "voided")
                    if outcome != "released" and not plain_success:
                        conn.execute(
                            "INSERT INTO attempts (item_id, at, owner, outcome, error_type, error) "
                            "VALUES (?, ?, ?, ?, ?, ?)",
                            (result.item_id, now, owner, result.resolution or outcome, result.error_type,
                             result.error),
                        )
            return written

        return self._write("record results", run)

    def receipt_id_of_post(self, license_number: str, external_receipt_number: str) -> str | None:
        """The system's receipt id recorded for the post of this receipt, when the outbox knows it."""
        row = self._conn.execute(
            "SELECT receipt_id FROM items WHERE license_number = ? AND external_receipt_number = ? "
            "AND receipt_id IS NOT NULL ORDER BY seq LIMIT 1",
            (license_number, external_receipt_number),
        ).fetchone()
        return None if row is None else str(row[0])

    # ---------------------------------------------------------------- operator actions

    def retry(self, item_id: int) -> OutboxItem:
        """Queue a dead or failed item again now (clears the per-run hold, keeps attempts and the last error)."""

        def run(conn: sqlite3.Connection) -> OutboxItem:
            item = self._get(conn, item_id)
            if item.state in (ItemState.DONE, ItemState.RESOLVED):
                raise ItemStateError("item_id", item_id, f"item is {item.state.value}; nothing to retry")
            self._refuse_leased(item)
            now = self.clock()
            conn.execute(
                "UPDATE items SET state = 'queued', failed_run = NULL, updated_at = ? WHERE id = ?", (now, item_id)
            )
            conn.execute(
                "INSERT INTO attempts (item_id, at, owner, outcome) VALUES (?, ?, NULL, 'retry-requested')",
                (item_id, now),
            )
            return self._get(conn, item_id)

        return self._write(f"retry item {item_id}", run)

    def resolve(self, item_id: int, note: str = "resolved by an operator") -> OutboxItem:
        """Close an item by hand (the receipt was entered in the system another way); kept for the audit trail."""
        note = _text("note", note, max_len=500)

        def run(conn: sqlite3.Connection) -> OutboxItem:
            item = self._get(conn, item_id)
            if item.state in (ItemState.DONE, ItemState.RESOLVED):
                raise ItemStateError("item_id", item_id, f"item is already {item.state.value}")
            self._refuse_leased(item)
            now = self.clock()
            conn.execute(
                "UPDATE items SET state = 'resolved', resolution = 'operator', note = ?, updated_at = ?, "
                "finished_at = ? WHERE id = ?",
                (note, now, now, item_id),
            )
            conn.execute(
                "INSERT INTO attempts (item_id, at, owner, outcome, error) VALUES (?, ?, NULL, 'resolved', ?)",
                (item_id, now, note),
            )
            return self._get(conn, item_id)

        return self._write(f"resolve item {item_id}", run)

    def _refuse_leased(self, item: OutboxItem) -> None:
        if item.lease_owner is not None and item.lease_until is not None and item.lease_until > self.clock():
            raise ItemStateError(
                "item_id", item.id, f"item is being pushed by {item.lease_owner} until {_iso(item.lease_until)}"
            )

    # ---------------------------------------------------------------- reading

    def _get(self, conn: sqlite3.Connection, item_id: int) -> OutboxItem:
        if isinstance(item_id, bool) or not isinstance(item_id, int):
            raise InvalidValueError("item_id", item_id, "must be an integer")
        row = conn.execute(f"SELECT {_COLUMNS} FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise ItemNotFoundError(item_id)
        return _item(row)

    def get(self, item_id: int) -> OutboxItem:
        """The item ``item_id``; :class:`ItemNotFoundError` if there is none."""
        return self._get(self._conn, item_id)

    def items(self, *, state: ItemState | None = None, failed_only: bool = False) -> Iterator[OutboxItem]:
        """Every item (or those in ``state``; with ``failed_only``, queued items whose last attempt failed)."""
        sql = f"SELECT {_COLUMNS} FROM items"
        clauses: list[str] = []
        params: list[Any] = []
        if state is not None:
            clauses.append("state = ?")
            params.append(ItemState(state).value)
        if failed_only:
            clauses.append("(failed = 1 OR outcome_unknown = 1 OR state = 'dead')")
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        for row in self._conn.execute(sql + " ORDER BY id", params).fetchall():
            yield _item(row)

    def attempts(self, item_id: int) -> list[dict[str, Any]]:
        """The audit trail of one item: every attempt, look-up result and operator action, oldest first."""
        rows = self._conn.execute(
            "SELECT at, owner, outcome, error_type, error FROM attempts WHERE item_id = ? ORDER BY id", (item_id,)
        ).fetchall()
        return [
            {"at": _iso(at), "owner": owner, "outcome": outcome, "error_type": error_type, "error": error}
            for at, owner, outcome, error_type, error in rows
        ]

    def status(self) -> OutboxStatus:
        """Counts by state (a read; takes no lock a writer waits for, in WAL mode)."""
        now = self.clock()
        row = self._conn.execute(
            "SELECT count(*), "
            "coalesce(sum(state = 'queued'), 0), coalesce(sum(state = 'done'), 0), "
            "coalesce(sum(state = 'dead'), 0), coalesce(sum(state = 'resolved'), 0), "
            "coalesce(sum(state = 'queued' AND failed = 1), 0), "
            "coalesce(sum(state = 'queued' AND outcome_unknown = 1), 0), "
            "coalesce(sum(state = 'queued' AND lease_until > ?), 0) FROM items",
            (now,),
        ).fetchone()
        return OutboxStatus(*(int(value) for value in row))

    def pragma(self, name: str) -> Any:
        """The connection's value of a PRAGMA (for checks that durability settings are in force)."""
        if name not in ("synchronous", "journal_mode", "busy_timeout", "fullfsync", "user_version"):
            raise InvalidValueError("name", name, "not a pragma the outbox reports")
        return self._conn.execute(f"PRAGMA {name}").fetchone()[0]


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# Texts already accepted, by (value, max_len): a POS sends the same license and user ids all day, and checking
# them again cost ~4 us each per enqueue (issue 12). Bounded: cleared when full.
_CHECKED_TEXT: dict[tuple[str, int], str] = {}


def _text(field: str, value: Any, *, max_len: int = 100) -> str:
    if type(value) is str:
        cached = _CHECKED_TEXT.get((value, max_len))
        if cached is not None:
            return cached
    text = _check_text(field, value, max_len)
    if len(_CHECKED_TEXT) >= 1024:
        _CHECKED_TEXT.clear()
    _CHECKED_TEXT[(value, max_len)] = text
    return text


def _check_text(field: str, value: Any, max_len: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(field, value, "must be non-blank text")
    text = value.strip()
    if len(text) > max_len or _CONTROL.search(text):
        raise InvalidValueError(field, value, f"must be at most {max_len} characters, without control characters")
    return text
