"""An in-memory ledger of accepted carts, returns and voids: the purchase history the engine reads.

A POS with its own store of sales passes history lines to the engine directly; the ledger is for everyone else
(tests, simulations, a kiosk without a back office, an auditor replaying a day). It keeps, per customer, the sales
recorded through it, and gives them back as :class:`~fe_compliance.limits.lines.PastLine` items.

Returns and voids restore the budget. A return is kept as a ``RETURN`` line dated at the original sale, so it
gives back room in exactly the windows the sale took it from; a void removes the sale altogether. Every operation
is also kept in :attr:`Ledger.events` for audit. Nothing is written anywhere: the ledger lives as long as the
object does.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping

import attrs

from ..errors import InvalidValueError
from .customer import Customer
from .engine import LimitEngine
from .errors import LedgerError, RefusedSaleError
from .lines import CartLine, LineKind, PastLine
from .results import CartDecision
from .timeutil import require_aware

__all__ = ["Ledger", "LedgerEvent"]


@attrs.frozen(slots=True, kw_only=True)
class LedgerEvent:
    """One thing that happened to the ledger: a sale, a return of part of a line, or a void."""

    kind: str
    transaction_id: str
    customer_id: str
    at: dt.datetime
    line_id: str | None = None
    quantity: float | None = None


class _Sale:
    __slots__ = ("customer_id", "lines", "returned", "sold_at", "transaction_id", "voided")

    def __init__(self, transaction_id: str, customer_id: str, sold_at: dt.datetime, lines: tuple[CartLine, ...]):
        self.transaction_id = transaction_id
        self.customer_id = customer_id
        self.sold_at = sold_at
        self.lines = {line.line_id: line for line in lines}
        self.returned: dict[str, float] = {}
        self.voided = False


def _id(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(field, value, "expected a non-empty id")
    return value


class Ledger:
    """Sales, returns and voids per customer, in memory."""

    __slots__ = ("_by_customer", "_events", "_history", "_sales")

    def __init__(self) -> None:
        self._sales: dict[str, _Sale] = {}
        self._by_customer: dict[str, list[str]] = {}
        self._events: list[LedgerEvent] = []
        self._history: dict[str, tuple[PastLine, ...]] = {}

    # --------------------------------------------------------------------------------------------------- writes

    def record(self, decision: CartDecision, *, transaction_id: str) -> None:
        """Record an allowed decision's cart as a sale; a refused decision raises :class:`RefusedSaleError`."""
        if not isinstance(decision, CartDecision):
            raise InvalidValueError("decision", decision, "expected a CartDecision from LimitEngine.check")
        if not decision.allowed:
            raise RefusedSaleError(
                f"decision: the cart was refused by {', '.join(u.code for u in decision.refused_by)}; "
                "only allowed carts are recorded",
                field="decision",
                value=transaction_id,
            )
        self.record_sale(
            customer_id=decision.customer.customer_id,
            lines=decision.cart,
            sold_at=decision.at,
            transaction_id=transaction_id,
        )

    def record_sale(
        self, *, customer_id: str, lines: Iterable[CartLine], sold_at: dt.datetime, transaction_id: str
    ) -> None:
        """Record a sale made elsewhere (imported history). No limit is checked here."""
        cid = _id(customer_id, "customer_id")
        tid = _id(transaction_id, "transaction_id")
        moment = require_aware(sold_at, field="sold_at")
        if tid in self._sales:
            raise LedgerError(f"transaction_id: {tid!r} is already recorded", field="transaction_id", value=tid)
        if isinstance(lines, (str, bytes, Mapping)) or not isinstance(lines, Iterable):
            raise InvalidValueError("lines", lines, "expected an iterable of CartLine items")
        items = tuple(lines)
        for line in items:
            if not isinstance(line, CartLine):
                raise InvalidValueError("lines", line, "expected CartLine items")
        if len({line.line_id for line in items}) != len(items):
            raise InvalidValueError("lines", tid, "two lines of one sale share an id")
        self._sales[tid] = _Sale(tid, cid, moment, items)
        self._by_customer.setdefault(cid, []).append(tid)
        self._events.append(LedgerEvent(kind="sale", transaction_id=tid, customer_id=cid, at=moment))
        self._history.pop(cid, None)

    def record_return(
        self, transaction_id: str, line_id: str, quantity: float | None = None, *, at: dt.datetime
    ) -> None:
        """Return ``quantity`` units (default: all not yet returned) of one line of a recorded sale."""
        sale = self._sale(transaction_id)
        moment = require_aware(at, field="at")
        line = sale.lines.get(_id(line_id, "line_id"))
        if line is None:
            raise LedgerError(
                f"line_id: transaction {transaction_id!r} has no line {line_id!r}", field="line_id", value=line_id
            )
        left = line.quantity - sale.returned.get(line_id, 0.0)
        amount = left if quantity is None else quantity
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not math.isfinite(amount):
            raise InvalidValueError("quantity", quantity, "expected a number of units")
        if amount <= 0:
            raise InvalidValueError("quantity", quantity, "a return must return something")
        if amount > left + 1e-9:
            raise LedgerError(
                f"quantity: only {left:g} unit(s) of line {line_id!r} remain to return (asked {amount:g})",
                field="quantity",
                value=quantity,
            )
        amount = min(float(amount), left)  # within rounding of what is left: never return more than was sold
        sale.returned[line_id] = sale.returned.get(line_id, 0.0) + float(amount)
        self._events.append(
            LedgerEvent(
                kind="return",
                transaction_id=sale.transaction_id,
                customer_id=sale.customer_id,
                at=moment,
                line_id=line_id,
                quantity=float(amount),
            )
        )
        self._history.pop(sale.customer_id, None)

    def void(self, transaction_id: str, *, at: dt.datetime) -> None:
        """Void a recorded sale: it no longer counts anywhere."""
        sale = self._sale(transaction_id)
        moment = require_aware(at, field="at")
        sale.voided = True
        self._events.append(
            LedgerEvent(kind="void", transaction_id=sale.transaction_id, customer_id=sale.customer_id, at=moment)
        )
        self._history.pop(sale.customer_id, None)

    def sell(
        self, engine: LimitEngine, customer: Customer, cart: Iterable[CartLine], *, at: dt.datetime, transaction_id: str
    ) -> CartDecision:
        """Check ``cart`` against this ledger's history of ``customer`` and record it when allowed."""
        if not isinstance(engine, LimitEngine):
            raise InvalidValueError("engine", engine, "expected a LimitEngine (fe_compliance.states.engine('MA'))")
        if not isinstance(customer, Customer):
            raise InvalidValueError("customer", customer, "expected a Customer")
        cid = _id(customer.customer_id, "customer.customer_id")
        decision = engine.check(customer, cart, at=at, history=self.history(cid))
        if decision.allowed:
            self.record(decision, transaction_id=transaction_id)
        return decision

    # ---------------------------------------------------------------------------------------------------- reads

    def _sale(self, transaction_id: str) -> _Sale:
        sale = self._sales.get(_id(transaction_id, "transaction_id"))
        if sale is None:
            raise LedgerError(
                f"transaction_id: no recorded sale {transaction_id!r}", field="transaction_id", value=transaction_id
            )
        if sale.voided:
            raise LedgerError(
                f"transaction_id: sale {transaction_id!r} is already void", field="transaction_id", value=transaction_id
            )
        return sale

    def history(self, customer_id: str) -> tuple[PastLine, ...]:
        """The customer's history lines: every line of every sale not voided, and a ``RETURN`` line per return."""
        if not isinstance(customer_id, str):
            raise InvalidValueError("customer_id", customer_id, "expected a customer id (text)")
        cached = self._history.get(customer_id)
        if cached is not None:
            return cached
        lines: list[PastLine] = []
        for tid in self._by_customer.get(customer_id, ()):
            sale = self._sales[tid]
            if sale.voided:
                continue
            for line in sale.lines.values():
                lines.append(PastLine(line=line, sold_at=sale.sold_at, transaction_id=tid))
                back = sale.returned.get(line.line_id)
                if back:
                    lines.append(
                        PastLine(
                            line=attrs.evolve(line, quantity=back),
                            sold_at=sale.sold_at,
                            transaction_id=tid,
                            kind=LineKind.RETURN,
                        )
                    )
        result = tuple(lines)
        self._history[customer_id] = result
        return result

    @property
    def events(self) -> tuple[LedgerEvent, ...]:
        return tuple(self._events)

    def transactions(self, customer_id: str) -> tuple[str, ...]:
        """The customer's transaction ids, voided ones included, in the order recorded."""
        if not isinstance(customer_id, str):
            raise InvalidValueError("customer_id", customer_id, "expected a customer id (text)")
        return tuple(self._by_customer.get(customer_id, ()))

    def __len__(self) -> int:
        return len(self._sales)
