"""Push the outbox to a track-and-trace system: every receipt stored once, none lost.

One push claims up to ``batch_size`` items (a leased ``BEGIN IMMEDIATE`` transaction), sends them, and records
the results in one more transaction; it repeats until nothing pushable is left or ``stop()`` says so. The rules
that make a receipt land exactly once (the argument is written out in ``docs/outbox.md``):

1. An item whose last outcome is unknown (its lease expired, or the system's answer never came) is never posted
   again before the system is asked, through the
   :class:`~fe_compliance.tracktrace.protocol.FindsReceipts` capability, whether it holds the receipt: found
   means done. A system without that capability gets no re-post at all; the item waits for an operator.
2. A failure that proves nothing was stored (a refusal, a connection never made) leaves the item queued; a
   failure that may have stored it (:class:`~fe_compliance.tracktrace.errors.OutcomeUnknownError`) marks it
   outcome-unknown, so rule 1 applies next time.
3. A 400 naming rows of a batch fails those rows; the batch's other rows are marked outcome-unknown and come
   straight back (looked up, then re-posted without the refused rows).
4. The lease must have at least ``request_budget`` seconds left when a request goes out (it is renewed if not),
   and a result is written only while the lease is still ours: a slow pusher cannot overwrite what its
   successor found.

Updates and voids go after their sale's post (the claim enforces the order). They need the system's receipt id,
which a Metrc v1 POST does not return: the pusher takes it from the outbox when known, else finds the receipt by
its external number.

``checkpoint(name)`` is called at the named points of the protocol (``after_claim``, ``after_lookup``,
``before_send``, ``after_response``, ``before_commit``, ``after_commit``); the crash tests kill the process
there. It must not be used to change behaviour.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Sequence

import attrs

from ..errors import FEComplianceError, InvalidValueError
from ..tracktrace.errors import OutcomeUnknownError, TrackAndTraceError, ValidationError
from ..tracktrace.models import PostedSale, Sale
from ..tracktrace.protocol import FindsReceipts, PostsSaleBatches, TrackAndTrace, UpdatesReceipts
from .credentials import CredentialProvider, CredentialRule, UserKey, individual_key_required
from .errors import ReceiptNotOnSystemError
from .store import ItemKind, ItemResult, Outbox, OutboxItem

__all__ = ["CHECKPOINTS", "ClientFactory", "PushReport", "Pusher"]

_log = logging.getLogger("fe_compliance.outbox")

CHECKPOINTS = ("after_claim", "after_lookup", "before_send", "after_response", "before_commit", "after_commit")

#: ``(license number, user key) -> a client of the system`` acting for that user under that license.
ClientFactory = Callable[[str, UserKey], TrackAndTrace]


@attrs.define(slots=True)
class PushReport:
    """What one :meth:`Pusher.push` did. ``failed_ids`` are items left queued with a definite error;
    ``unknown_ids`` items whose outcome is unknown until looked up (they stay queued)."""

    posted: int = 0
    found: int = 0
    updated: int = 0
    voided: int = 0
    requests: int = 0
    lookups: int = 0
    failed_ids: list[int] = attrs.field(factory=list)
    unknown_ids: list[int] = attrs.field(factory=list)
    lost_leases: int = 0
    stopped: bool = False

    @property
    def done(self) -> int:
        return self.posted + self.found + self.updated + self.voided

    def to_dict(self) -> dict[str, object]:
        return {
            "posted": self.posted, "found": self.found, "updated": self.updated, "voided": self.voided,
            "requests": self.requests, "lookups": self.lookups, "failed_ids": sorted(set(self.failed_ids)),
            "unknown_ids": sorted(set(self.unknown_ids)), "lost_leases": self.lost_leases, "stopped": self.stopped,
        }


def _default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _describe(exc: BaseException) -> str:
    text = str(exc) if isinstance(exc, FEComplianceError) else f"{type(exc).__name__}: {exc}"
    return text[:1000]


class Pusher:
    """Pushes an :class:`~fe_compliance.outbox.store.Outbox` through clients made by ``client_factory``.

    ``credentials`` maps a selling user's id to that user's key; ``credential_rule`` decides which key may be
    used (default: the user's own only). ``lease_seconds`` must exceed the longest a request can take
    (``request_budget``, the client's timeouts and retries together) by a margin: a lease that runs out while a
    request is in flight is the one window in which two pushers could post the same receipt.
    """

    def __init__(
        self,
        outbox: Outbox,
        client_factory: ClientFactory,
        credentials: CredentialProvider,
        *,
        credential_rule: CredentialRule = individual_key_required,
        batch_size: int = 10,
        lease_seconds: float = 300.0,
        request_budget: float = 120.0,
        max_attempts: int | None = None,
        owner: str | None = None,
        checkpoint: Callable[[str], None] | None = None,
    ) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or not 1 <= batch_size <= 1000:
            raise InvalidValueError("batch_size", batch_size, "must be an integer from 1 to 1000")
        if not request_budget > 0 or not lease_seconds > request_budget:
            raise InvalidValueError(
                "lease_seconds", lease_seconds, f"must be longer than request_budget ({request_budget} s)"
            )
        if max_attempts is not None and (isinstance(max_attempts, bool) or not isinstance(max_attempts, int)
                                         or max_attempts < 1):
            raise InvalidValueError("max_attempts", max_attempts, "must be a positive integer or None")
        self.outbox = outbox
        self.client_factory = client_factory
        self.credentials = credentials
        self.credential_rule = credential_rule
        self.batch_size = batch_size
        self.lease_seconds = float(lease_seconds)
        self.request_budget = float(request_budget)
        self.max_attempts = max_attempts
        self.owner = owner or _default_owner()
        self._checkpoint = checkpoint
        self._clients: dict[tuple[str, str], TrackAndTrace] = {}
        self._solo: set[int] = set()

    def __repr__(self) -> str:
        return f"Pusher(outbox={self.outbox!r}, owner={self.owner!r}, batch_size={self.batch_size})"

    def _at(self, name: str) -> None:
        if self._checkpoint is not None:
            self._checkpoint(name)

    # ---------------------------------------------------------------- the loop

    def push(self, *, stop: Callable[[], bool] | None = None) -> PushReport:
        """Push until nothing pushable is left (failed items wait for the next push) or ``stop()`` is true.

        ``stop`` is checked between batches and before each request, never in the middle of recording a result.
        """
        report = PushReport()
        run_id = uuid.uuid4().hex
        should_stop = stop or (lambda: False)
        try:
            while True:
                if should_stop():
                    report.stopped = True
                    break
                claimed = self.outbox.claim(
                    self.owner, limit=self.batch_size, lease_seconds=self.lease_seconds, run_id=run_id
                )
                self._at("after_claim")
                if not claimed:
                    break
                results = self._push_claimed(claimed, report, should_stop)
                self._at("before_commit")
                written = set(self.outbox.complete(self.owner, results, run_id=run_id))
                self._at("after_commit")
                lost = [r for r in results if r.item_id not in written]
                if lost:
                    report.lost_leases += len(lost)
                    _log.warning("outbox: lease lost before the result was written for items %s; their next "
                                 "pusher looks them up", [r.item_id for r in lost])
                self._tally(report, [r for r in results if r.item_id in written])
                if report.stopped:
                    break
        finally:
            self.close_clients()
        return report

    def close_clients(self) -> None:
        """Close the clients this pusher made (keep-alive connections)."""
        clients, self._clients = self._clients, {}
        for client in clients.values():
            close = getattr(client, "close", None)
            if callable(close):
                try:
                    close()
                except Exception:  # closing is best effort; the results are already written
                    _log.debug("outbox: closing a client failed", exc_info=True)

    @staticmethod
    def _tally(report: PushReport, results: Sequence[ItemResult]) -> None:
        for result in results:
            if result.outcome == "done":
                if result.resolution == "found":
                    report.found += 1
                elif result.resolution == "updated":
                    report.updated += 1
                elif result.resolution == "voided":
                    report.voided += 1
                else:
                    report.posted += 1
            elif result.outcome in ("failed", "dead"):
                report.failed_ids.append(result.item_id)
            elif result.outcome == "unknown":
                report.unknown_ids.append(result.item_id)

    # ---------------------------------------------------------------- one claimed batch

    def _push_claimed(
        self, claimed: Sequence[OutboxItem], report: PushReport, stop: Callable[[], bool]
    ) -> list[ItemResult]:
        groups: dict[tuple[str, str], list[OutboxItem]] = {}
        for item in claimed:
            groups.setdefault((item.license_number, item.user_id), []).append(item)
        results: list[ItemResult] = []
        for (license_number, user_id), items in groups.items():
            if stop():
                report.stopped = True
                results.extend(ItemResult(item.id, "released") for item in items)
                continue
            try:
                client = self._client(license_number, user_id)
            except FEComplianceError as exc:  # no usable key, or a client that cannot be built: nothing was sent
                results.extend(self._failed(item, exc) for item in items)
                continue
            posts = [item for item in items if item.kind is ItemKind.POST]
            others = [item for item in items if item.kind is not ItemKind.POST]
            if posts:
                results.extend(self._post(client, posts, report))
            for item in others:
                results.append(self._update_or_void(client, item, report))
        return results

    def _client(self, license_number: str, user_id: str) -> TrackAndTrace:
        cached = self._clients.get((license_number, user_id))
        if cached is not None:
            return cached
        key = self.credential_rule(user_id, license_number, self.credentials)
        client = self.client_factory(license_number, key)
        self._clients[(license_number, user_id)] = client
        return client

    def _failed(self, item: OutboxItem, exc: BaseException, *, clear_unknown: bool = False) -> ItemResult:
        dead = self.max_attempts is not None and item.attempts >= self.max_attempts
        _log.warning("outbox: item %s (%s %s) failed: %s", item.id, item.kind.value, item.external_receipt_number,
                     _describe(exc))
        return ItemResult(
            item.id, "dead" if dead else "failed", error_type=type(exc).__name__, error=_describe(exc),
            clear_unknown=clear_unknown,
        )

    @staticmethod
    def _unknown(item: OutboxItem, exc: BaseException | None, reason: str = "") -> ItemResult:
        text = reason or (_describe(exc) if exc is not None else "outcome unknown")
        _log.warning("outbox: item %s (%s) outcome unknown: %s", item.id, item.external_receipt_number, text)
        return ItemResult(item.id, "unknown", error_type=type(exc).__name__ if exc else "OutcomeUnknown", error=text)

    def _ensure_lease(self, items: list[OutboxItem]) -> list[OutboxItem]:
        """The items whose lease lasts the whole request (renewed when it would not); lost ones are dropped."""
        now = self.outbox.clock()
        short = [item for item in items if (item.lease_until or 0.0) - now < self.request_budget]
        if not short:
            return items
        kept = set(self.outbox.renew(self.owner, [item.id for item in short], self.lease_seconds))
        return [item for item in items if item not in short or item.id in kept]

    def _post(self, client: TrackAndTrace, items: list[OutboxItem], report: PushReport) -> list[ItemResult]:
        results: list[ItemResult] = []
        to_post: list[tuple[OutboxItem, Sale]] = []
        for item in items:
            try:
                sale = item.sale
                assert sale is not None  # a post always carries a sale
            except FEComplianceError as exc:
                results.append(self._failed(item, exc))
                continue
            if item.outcome_unknown:
                found = self._look_up(client, item, report)
                if isinstance(found, ItemResult):
                    results.append(found)
                    continue
            to_post.append((item, sale))
        self._at("after_lookup")
        if not to_post:
            return results
        live = self._ensure_lease([item for item, _ in to_post])
        to_post = [(item, sale) for item, sale in to_post if item in live]
        solo = [(item, sale) for item, sale in to_post if item.id in self._solo]
        batch = [(item, sale) for item, sale in to_post if item.id not in self._solo]
        chunks = [batch] if batch else []
        chunks += [[entry] for entry in solo]
        for chunk in chunks:
            results.extend(self._send_posts(client, chunk, report))
        return results

    def _look_up(self, client: TrackAndTrace, item: OutboxItem, report: PushReport) -> ItemResult | None:
        """Ask the system about an item whose outcome is unknown: a result (found, or still unknown) or None
        (the system answered that it has no such receipt: post it)."""
        if not isinstance(client, FindsReceipts):
            return self._failed(
                item,
                InvalidValueError(
                    "outcome_unknown", True,
                    "the system cannot be asked whether it holds the receipt; check by hand, then resolve or retry",
                ),
            )
        report.lookups += 1
        try:
            receipt = client.find_receipt(item.external_receipt_number, sold_at=item.sold_at)
        except Exception as exc:  # any failure of the look-up leaves the outcome unknown, never "absent"
            return self._unknown(item, exc, f"look-up failed, outcome still unknown: {_describe(exc)}")
        if receipt is not None:
            _log.info("outbox: item %s (%s) was already on the system as receipt %s", item.id,
                      item.external_receipt_number, receipt.id)
            return ItemResult(item.id, "done", receipt_id=receipt.id, resolution="found")
        return None

    def _send_posts(
        self, client: TrackAndTrace, chunk: list[tuple[OutboxItem, Sale]], report: PushReport
    ) -> list[ItemResult]:
        items = [item for item, _ in chunk]
        sales = [sale for _, sale in chunk]
        self._at("before_send")
        report.requests += 1
        try:
            if len(sales) > 1 and isinstance(client, PostsSaleBatches):
                posted: Sequence[PostedSale] = client.post_sales(sales)
            elif len(sales) == 1:
                posted = [client.post_sale(sales[0])]
            else:  # no batch capability: one request per sale, each result kept as it comes
                return self._post_one_by_one(client, chunk, report)
        except OutcomeUnknownError as exc:
            self._at("after_response")
            return [self._unknown(item, exc) for item in items]
        except ValidationError as exc:
            self._at("after_response")
            return self._refused(items, exc)
        except TrackAndTraceError as exc:
            self._at("after_response")
            return [self._failed(item, exc, clear_unknown=True) for item in items]
        except FEComplianceError as exc:  # refused by the adapter before sending: nothing left this machine
            self._at("after_response")
            return [self._failed(item, exc, clear_unknown=True) for item in items]
        except Exception as exc:  # an unexpected failure: the request may have gone out
            self._at("after_response")
            return [self._unknown(item, exc) for item in items]
        self._at("after_response")
        if len(posted) != len(items):
            reason = f"the system answered {len(posted)} results for {len(items)} receipts; outcome unknown"
            return [self._unknown(item, None, reason) for item in items]
        return [
            ItemResult(item.id, "done", receipt_id=result.receipt_id, resolution="posted")
            for item, result in zip(items, posted, strict=True)
        ]

    def _post_one_by_one(
        self, client: TrackAndTrace, chunk: list[tuple[OutboxItem, Sale]], report: PushReport
    ) -> list[ItemResult]:
        results = []
        for index, entry in enumerate(chunk):
            if index:
                self._at("before_send")
                report.requests += 1
            results.extend(self._send_posts_single(client, entry))
        return results

    def _send_posts_single(self, client: TrackAndTrace, entry: tuple[OutboxItem, Sale]) -> list[ItemResult]:
        item, sale = entry
        try:
            posted = client.post_sale(sale)
        except OutcomeUnknownError as exc:
            return [self._unknown(item, exc)]
        except ValidationError as exc:
            return self._refused([item], exc)
        except FEComplianceError as exc:
            return [self._failed(item, exc, clear_unknown=True)]
        except Exception as exc:
            return [self._unknown(item, exc)]
        finally:
            self._at("after_response")
        return [ItemResult(item.id, "done", receipt_id=posted.receipt_id, resolution="posted")]

    def _refused(self, items: list[OutboxItem], exc: ValidationError) -> list[ItemResult]:
        """A 400. Rows it names are failed; the others' outcome is unknown until looked up (rule 3)."""
        named = {row.row for row in exc.rows if row.row is not None and 0 <= row.row < len(items)}
        if len(items) == 1:
            return [self._failed(items[0], exc, clear_unknown=True)]
        if not named:
            # No row named: post each alone next time so the refused one is found; meanwhile, unknown.
            self._solo.update(item.id for item in items)
            return [
                ItemResult(item.id, "unknown", error_type="ValidationError", hold=False,
                           error=f"batch refused without naming a row ({_describe(exc)}); outcome unknown")
                for item in items
            ]
        results = []
        for index, item in enumerate(items):
            if index in named:
                own_rows = tuple(row for row in exc.rows if row.row == index)
                results.append(self._failed(item, ValidationError(exc.method, exc.path, rows=own_rows),
                                            clear_unknown=True))
            else:
                # Unknown, and back in this same run: looked up, then re-posted without the refused rows.
                results.append(ItemResult(
                    item.id, "unknown", error_type="ValidationError", hold=False,
                    error="another row of its batch was refused; outcome unknown until looked up",
                ))
        return results

    # ---------------------------------------------------------------- updates and voids

    def _update_or_void(self, client: TrackAndTrace, item: OutboxItem, report: PushReport) -> ItemResult:
        try:
            receipt_id = item.receipt_id or self.outbox.receipt_id_of_post(
                item.license_number, item.external_receipt_number
            )
            retried = item.outcome_unknown or item.attempts > 1
            if item.kind is ItemKind.VOID and retried and isinstance(client, FindsReceipts):
                # An earlier DELETE may have landed unanswered: a second one would be refused ("already voided").
                report.lookups += 1
                receipt = client.find_receipt(item.external_receipt_number, sold_at=item.sold_at)
                if receipt is not None and receipt.archived_at is not None:
                    return ItemResult(item.id, "done", receipt_id=receipt.id, resolution="voided")
                if receipt is not None:
                    receipt_id = receipt.id
            if receipt_id is None:
                if not isinstance(client, FindsReceipts):
                    raise InvalidValueError(
                        "receipt_id", None, "the system's receipt id is unknown and the system cannot be asked for it"
                    )
                report.lookups += 1
                receipt = client.find_receipt(item.external_receipt_number, sold_at=item.sold_at)
                if receipt is None:
                    raise ReceiptNotOnSystemError(item.external_receipt_number, item.kind.value)
                receipt_id = receipt.id
            if not self._ensure_lease([item]):
                return ItemResult(item.id, "released", receipt_id=receipt_id)
            self._at("before_send")
            report.requests += 1
            if item.kind is ItemKind.UPDATE:
                if not isinstance(client, UpdatesReceipts):
                    raise InvalidValueError("kind", "update", "the system's client cannot update receipts")
                sale = item.sale
                assert sale is not None
                client.update_receipt(receipt_id, sale)
                resolution = "updated"
            else:
                client.void_sale(receipt_id)
                resolution = "voided"
        except FEComplianceError as exc:
            # Updates (PUT of the same id) and voids (DELETE) may be repeated: a failure just waits for next push.
            self._at("after_response")
            return self._failed(item, exc)
        except Exception as exc:
            self._at("after_response")
            return self._failed(item, exc)
        self._at("after_response")
        return ItemResult(item.id, "done", receipt_id=receipt_id, resolution=resolution)


def sleep_until(deadline: float, stop: Callable[[], bool], *, step: float = 0.2) -> bool:
    """Sleep until ``deadline`` (monotonic seconds) or until ``stop()``; returns True when stopped."""
    while True:
        if stop():
            return True
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(step, left))
