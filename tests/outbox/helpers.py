"""Shared pieces of the outbox tests: sales, and an in-memory system that implements the tracktrace protocols.

The in-memory system is for the unit tests of the pusher's decisions; the crash and concurrency tests run
against the real fake Metrc over loopback sockets (``fe_compliance.testing.fake_metrc``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal

from fe_compliance.outbox import UserKey
from fe_compliance.tracktrace import (
    ConnectionFailedError,
    OutcomeUnknownError,
    PostedSale,
    Receipt,
    RowMessage,
    Sale,
    SaleLine,
    ServerError,
    ValidationError,
)

CANARY_KEY = "CANARY-7f3e9b1c-do-not-leak"


def make_sale(number: int | str, *, amount: str = "9.99", grams: float = 3.5) -> Sale:
    return Sale(
        external_receipt_number=f"R-{number}" if isinstance(number, int) else number,
        sold_at=dt.datetime(2026, 12, 4, 10, 30, tzinfo=dt.UTC),
        customer_type="Consumer",
        lines=(SaleLine("1A4000000000000000001234", grams, "Grams", Decimal(amount)),),
    )


class MemorySystem:
    """Receipts kept in a dict; faults scripted per call: a list of callables consulted before acting."""

    def __init__(self) -> None:
        self.receipts: dict[str, list[tuple[str, Sale]]] = {}
        self.voided: set[str] = set()
        self.updates: list[tuple[str, Sale]] = []
        self.keys_seen: list[str] = []
        self.post_faults: list[Callable[[Sequence[Sale]], None] | None] = []
        self.after_store_faults: list[bool] = []
        self.lookup_fails = 0
        self.posts = 0
        self.lookups = 0
        self._next_id = 1

    def client(self, license_number: str, key: UserKey) -> MemoryClient:
        self.keys_seen.append(key.user_id)
        return MemoryClient(self, license_number, key)

    def stored_count(self, number: str) -> int:
        return len(self.receipts.get(number, []))

    def store(self, sale: Sale) -> str:
        receipt_id = str(self._next_id)
        self._next_id += 1
        self.receipts.setdefault(sale.external_receipt_number, []).append((receipt_id, sale))
        return receipt_id


class MemoryClient:
    def __init__(self, system: MemorySystem, license_number: str, key: UserKey) -> None:
        self.system = system
        self.license_number = license_number
        self.key = key

    def post_sales(self, sales: Sequence[Sale]) -> list[PostedSale]:
        system = self.system
        system.posts += 1
        fault = system.post_faults.pop(0) if system.post_faults else None
        if fault is not None:
            fault(sales)
        for sale in sales:
            system.store(sale)
        if system.after_store_faults and system.after_store_faults.pop(0):
            raise OutcomeUnknownError(ServerError("POST", "/sales/v1/receipts", status=500, reason="dropped"))
        return [PostedSale(sale.external_receipt_number) for sale in sales]  # v1: no id

    def post_sale(self, sale: Sale) -> PostedSale:
        return self.post_sales([sale])[0]

    def find_receipt(self, external_receipt_number: str, *, sold_at: dt.datetime | None = None) -> Receipt | None:
        system = self.system
        system.lookups += 1
        if system.lookup_fails:
            system.lookup_fails -= 1
            raise ConnectionFailedError("GET", "/sales/v2/receipts/external/x", reached_server=True, reason="reset")
        stored = system.receipts.get(external_receipt_number)
        if not stored:
            return None
        return Receipt(id=stored[0][0], external_receipt_number=external_receipt_number)

    def update_receipt(self, receipt_id: str, sale: Sale) -> None:
        self.system.updates.append((receipt_id, sale))

    def void_sale(self, receipt_id: str) -> None:
        self.system.voided.add(receipt_id)


def refuse_rows(*rows: int) -> Callable[[Sequence[Sale]], None]:
    def fault(sales: Sequence[Sale]) -> None:
        raise ValidationError(
            "POST", "/sales/v1/receipts", rows=tuple(RowMessage(r, f"bad package in row {r}") for r in rows)
        )

    return fault


def refuse_sale(number: str) -> Callable[[Sequence[Sale]], None]:
    """A 400 naming the row whose sale has this number (whatever batch it lands in)."""

    def fault(sales: Sequence[Sale]) -> None:
        rows = [i for i, sale in enumerate(sales) if sale.external_receipt_number == number]
        if rows:
            found = tuple(RowMessage(r, "Package not found") for r in rows)
            raise ValidationError("POST", "/sales/v1/receipts", rows=found)

    return fault


def unknown_before_store(sales: Sequence[Sale]) -> None:
    raise OutcomeUnknownError(ServerError("POST", "/sales/v1/receipts", status=503, reason="server error"))
