"""The in-memory ledger: accepted carts, returns and voids, and the history it gives the engine."""

from __future__ import annotations

import datetime as dt

import pytest

from fe_compliance.errors import InvalidValueError
from fe_compliance.limits import CartLine, Customer, Ledger, LedgerError, LimitEngine, LineKind, RefusedSaleError
from fe_compliance.states import pack_for

DETROIT = dt.timezone(dt.timedelta(hours=-4))
AT = dt.datetime(2024, 5, 1, 12, tzinfo=DETROIT)
MI = LimitEngine(pack_for("MI"))
PATIENT = Customer(customer_type="medical", customer_id="p1")


def flower(line_id: str, grams: float, quantity: float = 1) -> CartLine:
    return CartLine(line_id=line_id, category="Flower", fe_grams=grams, quantity=quantity)


def test_sell_records_allowed_carts_only() -> None:
    ledger = Ledger()
    ok = ledger.sell(MI, PATIENT, [flower("a", 60.0)], at=AT, transaction_id="t1")
    refused = ledger.sell(MI, PATIENT, [flower("b", 20.0)], at=AT, transaction_id="t2")
    assert ok.allowed and not refused.allowed
    assert ledger.transactions("p1") == ("t1",)
    with pytest.raises(RefusedSaleError):
        ledger.record(refused, transaction_id="t2")


def test_returns_restore_the_budget_partially() -> None:
    ledger = Ledger()
    ledger.sell(MI, PATIENT, [flower("a", 20.0, quantity=3)], at=AT, transaction_id="t1")
    assert not MI.check(PATIENT, [flower("b", 20.0)], at=AT, history=ledger.history("p1")).allowed
    ledger.record_return("t1", "a", 1, at=AT + dt.timedelta(hours=1))
    after = MI.check(PATIENT, [flower("b", 20.0)], at=AT, history=ledger.history("p1"))
    assert after.allowed and after.usage("mi_med_daily").used == 40.0
    kinds = [p.kind for p in ledger.history("p1")]
    assert kinds == [LineKind.SALE, LineKind.RETURN]
    assert ledger.history("p1")[1].sold_at == AT  # dated at the sale, not at the return


def test_over_returns_and_unknown_lines_are_refused() -> None:
    ledger = Ledger()
    ledger.sell(MI, PATIENT, [flower("a", 10.0, quantity=2)], at=AT, transaction_id="t1")
    with pytest.raises(LedgerError):
        ledger.record_return("t1", "a", 3, at=AT)
    with pytest.raises(LedgerError):
        ledger.record_return("t1", "zz", 1, at=AT)
    with pytest.raises(InvalidValueError):
        ledger.record_return("t1", "a", 0, at=AT)
    ledger.record_return("t1", "a", at=AT)  # everything left
    with pytest.raises(LedgerError):
        ledger.record_return("t1", "a", 1, at=AT)


def test_void_removes_the_sale_once() -> None:
    ledger = Ledger()
    ledger.sell(MI, PATIENT, [flower("a", 70.0)], at=AT, transaction_id="t1")
    ledger.void("t1", at=AT)
    assert ledger.history("p1") == ()
    with pytest.raises(LedgerError):
        ledger.void("t1", at=AT)
    with pytest.raises(LedgerError):
        ledger.void("nope", at=AT)
    assert [e.kind for e in ledger.events] == ["sale", "void"]


def test_records_are_checked() -> None:
    ledger = Ledger()
    with pytest.raises(InvalidValueError):
        ledger.record_sale(customer_id="", lines=[], sold_at=AT, transaction_id="t")
    ledger.record_sale(customer_id="c", lines=[flower("a", 1.0)], sold_at=AT, transaction_id="t")
    with pytest.raises(LedgerError):
        ledger.record_sale(customer_id="c", lines=[flower("a", 1.0)], sold_at=AT, transaction_id="t")
    with pytest.raises(InvalidValueError):
        ledger.record_sale(customer_id="c", lines=[flower("a", 1.0), flower("a", 2.0)], sold_at=AT, transaction_id="u")
    with pytest.raises(InvalidValueError):
        ledger.sell(MI, Customer(customer_type="medical"), [], at=AT, transaction_id="v")
    assert len(ledger) == 1


def test_a_return_within_rounding_of_what_is_left_never_exceeds_the_sale() -> None:
    ledger = Ledger()
    ledger.sell(MI, PATIENT, [flower("a", 10.0, quantity=3)], at=AT, transaction_id="t1")
    ledger.record_return("t1", "a", 3 + 1e-10, at=AT)  # a float a till might produce for "all three"
    back = [p for p in ledger.history("p1") if p.kind is LineKind.RETURN]
    assert [p.line.quantity for p in back] == [3.0]
    assert MI.check(PATIENT, [], at=AT, history=ledger.history("p1")).usage("mi_med_daily").used == 0.0


def test_wrongly_typed_arguments_are_library_errors_naming_them() -> None:
    ledger = Ledger()
    ledger.sell(MI, PATIENT, [flower("a", 10.0)], at=AT, transaction_id="t1")
    cases = [
        ("transaction_id", lambda: ledger.record_return(["t1"], "a", 1, at=AT)),  # type: ignore[arg-type]
        ("line_id", lambda: ledger.record_return("t1", ["a"], 1, at=AT)),  # type: ignore[arg-type]
        ("transaction_id", lambda: ledger.void({}, at=AT)),  # type: ignore[arg-type]
        ("customer_id", lambda: ledger.history(["p1"])),  # type: ignore[arg-type]
        ("customer_id", lambda: ledger.transactions(None)),  # type: ignore[arg-type]
        ("customer", lambda: ledger.sell(MI, None, [], at=AT, transaction_id="t2")),  # type: ignore[arg-type]
        ("engine", lambda: ledger.sell(None, PATIENT, [], at=AT, transaction_id="t2")),  # type: ignore[arg-type]
        (
            "lines",
            lambda: ledger.record_sale(customer_id="c", lines=None, sold_at=AT, transaction_id="t3"),  # type: ignore[arg-type]
        ),
    ]
    for field, call in cases:
        with pytest.raises(InvalidValueError) as info:
            call()
        assert info.value.field == field
