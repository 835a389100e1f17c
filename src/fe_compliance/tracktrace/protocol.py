"""What a track-and-trace system does with a sale, and the optional capabilities some systems add.

Every system takes a sale and voids one: that is :class:`TrackAndTrace`. Everything else is a separate, small,
runtime-checkable protocol, so an adapter implements what its system offers and a caller asks before using it::

    if isinstance(transport, FindsReceipts):
        receipt = transport.find_receipt(sale.external_receipt_number, sold_at=sale.sold_at)

How to use, for callers (the outbox, the MassCIP integration): program against these protocols, never against an
adapter class. How to use, for adapter authors: implement :class:`TrackAndTrace` and any capability your system
has, map failures with :func:`~fe_compliance.tracktrace.errors.map_failure`, and raise
:class:`~fe_compliance.tracktrace.errors.OutcomeUnknownError` from ``post_sale`` whenever the sale may have been
stored without the system saying so.

The contract of :class:`FindsReceipts` is what keeps a receipt from being stored twice: ``find_receipt`` returns the
receipt when the system has it, ``None`` only when the system *answered* that it has none, and raises otherwise (a
401, a timeout: unknown is never "absent"). Metrc implements it by external receipt number; a BioTrack adapter can
implement it with ``nonce_replay`` by deriving the request's nonce from the external receipt number it posted with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from .models import Item, ItemCategory, Patient, PostedSale, Receipt, Sale, UnitOfMeasure

__all__ = [
    "FindsReceipts",
    "ListsItems",
    "ListsPatients",
    "ListsReceipts",
    "ListsUnitsOfMeasure",
    "PostsSaleBatches",
    "TrackAndTrace",
    "UpdatesItems",
    "UpdatesReceipts",
]


@runtime_checkable
class TrackAndTrace(Protocol):
    """Report a sale and take one back. Every track-and-trace adapter implements this."""

    def post_sale(self, sale: Sale) -> PostedSale:
        """Store the sale. Raises ``OutcomeUnknownError`` when it may have been stored without an answer saying so."""
        ...

    def void_sale(self, receipt_id: str) -> None:
        """Void the receipt the system knows by ``receipt_id`` (the system's id, as text)."""
        ...


@runtime_checkable
class PostsSaleBatches(Protocol):
    """Post several sales in one request (Metrc's receipt POST body is a list)."""

    def post_sales(self, sales: Sequence[Sale]) -> list[PostedSale]:
        """One :class:`PostedSale` per sale, in order.

        A refusal raises ``ValidationError`` whose ``rows`` index into ``sales``; a batch that may have been
        stored without an answer saying so raises ``OutcomeUnknownError`` (ask for each sale before re-posting).
        """
        ...


@runtime_checkable
class UpdatesReceipts(Protocol):
    """Replace a posted receipt's content (how returns and corrections are reported)."""

    def update_receipt(self, receipt_id: str, sale: Sale) -> None:
        """Make the receipt ``receipt_id`` say what ``sale`` says."""
        ...


@runtime_checkable
class FindsReceipts(Protocol):
    """Find out what happened to a sale: the step before any re-post after an outcome-unknown failure."""

    def find_receipt(self, external_receipt_number: str, *, sold_at: dt.datetime | None = None) -> Receipt | None:
        """The receipt stored under this external number, or None when the system answered that there is none.

        ``sold_at`` (aware) narrows the search to the sale's day for systems that can only list by date. Any
        failure raises a typed error: it never means "absent".
        """
        ...


@runtime_checkable
class ListsReceipts(Protocol):
    """The receipts of one facility-local day."""

    def list_receipts(self, day: dt.date, *, active: bool = True) -> list[Receipt]:
        """Every receipt of ``day`` (all pages); ``active=False`` lists voided ones."""
        ...


@runtime_checkable
class ListsPatients(Protocol):
    """The facility's registered patients (no demographics)."""

    def list_patients(self) -> list[Patient]:
        """Every active patient (all pages)."""
        ...


@runtime_checkable
class ListsItems(Protocol):
    """The facility's items and the system's item categories."""

    def list_items(self) -> list[Item]:
        """Every active item (all pages)."""
        ...

    def list_item_categories(self) -> list[ItemCategory]:
        """Every item category (all pages)."""
        ...


@runtime_checkable
class UpdatesItems(Protocol):
    """Change an item's registration (the "Sync to Metrc Item" of seed 000)."""

    def update_item(self, item: Item) -> None:
        """Make the system's item ``item.id`` match ``item``."""
        ...


@runtime_checkable
class ListsUnitsOfMeasure(Protocol):
    """The units the system accepts."""

    def list_units_of_measure(self) -> list[UnitOfMeasure]:
        """Every active unit of measure."""
        ...
