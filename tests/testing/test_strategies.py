"""The sale strategies honour their pins, reach the edges limit bugs hide at, and shrink to small cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from fe_compliance.catalog import InventoryPackage, LabResults
from fe_compliance.categories import CustomerType
from fe_compliance.errors import FEComplianceError
from fe_compliance.limits import CAP_TOLERANCE, CartLine, Customer, Ledger, LineKind, RulePack
from fe_compliance.testing import strategies as fs
from fe_compliance.testing.cases import CheckoutCase
from fe_compliance.testing.reference import reference_engine

T = TypeVar("T")


class _FoundError(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


def reach(strategy: st.SearchStrategy[T], predicate: Callable[[T], bool], max_examples: int = 400) -> T:
    """The first drawn value satisfying ``predicate`` (no shrinking: this asks whether the edge is reached)."""

    @settings(database=None, max_examples=max_examples, derandomize=True, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def search(value: T) -> None:
        if predicate(value):
            raise _FoundError(value)

    try:
        search()
    except _FoundError as found:
        return found.value  # type: ignore[no-any-return]
    raise AssertionError(f"no value in {max_examples} examples satisfied the predicate")


def decision(case: CheckoutCase):  # type: ignore[no-untyped-def]
    return reference_engine(case.state).check(case.customer, case.cart, at=case.at, history=case.history)


@settings(max_examples=25, database=None)
@given(case=fs.checkout_cases(state="MA", on=dt.date(2024, 3, 1), customer_type="medical", category="Concentrate"))
def test_pins_hold(case: CheckoutCase) -> None:
    assert case.state == "MA"
    assert case.at.astimezone(case.rules.pack.zone).date() == dt.date(2024, 3, 1)
    assert case.customer.customer_type is CustomerType.MEDICAL
    assert {line.category for line in case.cart} == {"Concentrate"}
    assert all(line.metrc_category for line in case.cart)  # MassCIP can count every line
    decision(case)  # the reference decides every drawn case: no line lacks the data its rules need


@settings(max_examples=25, database=None)
@given(customer=fs.customers(state="IL", customer_type="recreational"), line=fs.cart_lines(state="MI"))
def test_customers_and_lines_are_valid_for_their_rules(customer: Customer, line: CartLine) -> None:
    assert customer.customer_type is CustomerType.RECREATIONAL and customer.resident is not None
    assert line.quantity >= 1 and line.fe_grams is not None and line.grams_concentration is not None


def test_a_customer_type_the_rules_do_not_cover_is_refused() -> None:
    with pytest.raises(FEComplianceError) as info:
        reach(fs.customers(state="OH", on=dt.date(2025, 1, 1), customer_type="medical"), bool)
    assert info.value.field == "customer_type"
    with pytest.raises(FEComplianceError):
        fs.checkout_cases(edge="sideways")


def test_rule_change_dates_are_reached() -> None:
    """Nevada's SB 277 period starts 2024-01-01: the day itself and the day before are both drawn."""
    periods = fs.rule_sets(state="NV").map(lambda rs: rs.valid_from)  # the day, not the RuleSet's long repr
    assert reach(periods, lambda day: day == dt.date(2024, 1, 1))
    day_before = reach(
        fs.checkout_cases(state="NV"),
        lambda c: c.at.astimezone(c.rules.pack.zone).date() == dt.date(2023, 12, 31)
    )
    assert day_before.rules.valid_until == dt.date(2024, 1, 1)


@pytest.mark.parametrize(
    ("low", "high", "allowed"),
    [(CAP_TOLERANCE, 0.01, False), (-1e-9, 1e-9, True), (-0.01, -1e-9, True)],
    ids=["just over", "exactly at", "just under"],
)
def test_carts_land_on_each_side_of_a_sub_cap(low: float, high: float, allowed: bool) -> None:
    def at_edge(case: CheckoutCase) -> bool:
        usage = decision(case).usage("mi_rec_concentrate")
        return low < usage.total - usage.cap <= high

    cases = fs.checkout_cases(state="MI", customer_type="recreational", history=False, overrides=False)
    case = reach(cases, at_edge)
    assert decision(case).allowed is allowed


def test_histories_reach_the_last_counted_day_of_a_window_with_returns() -> None:
    """MA medical, 60 days: a sale 59 store days before (its last counted day) that was partly returned."""

    def edge_with_return(case: CheckoutCase) -> bool:
        zone = case.rules.pack.zone
        today = case.at.astimezone(zone).date()
        return any(
            past.kind is LineKind.RETURN and (today - past.sold_at.astimezone(zone).date()).days == 59
            for past in case.history
        )

    case = reach(fs.checkout_cases(state="MA", customer_type="medical"), edge_with_return)
    assert any(p.kind is LineKind.SALE for p in case.history)


def test_amounts_come_in_mixed_units() -> None:
    for unit in ("milligram", "gram", "ounce", "pound"):
        assert str(reach(fs.masses(max_grams=100.0), lambda q, u=unit: str(q.units) == u).units) == unit


@settings(max_examples=10, database=None)
@given(
    st.from_type(InventoryPackage),
    st.from_type(LabResults),
    st.from_type(Customer),
    st.from_type(CartLine),
    st.from_type(RulePack),
    st.from_type(CheckoutCase),
)
def test_from_type_knows_the_sale_types(
    package: InventoryPackage, lab: LabResults, customer: Customer, line: CartLine, pack: RulePack, case: CheckoutCase
) -> None:
    assert isinstance(package, InventoryPackage) and isinstance(lab, LabResults)
    assert isinstance(customer, Customer) and isinstance(line, CartLine) and isinstance(pack, RulePack)
    assert isinstance(case, CheckoutCase)


def test_histories_include_voided_sales(monkeypatch: pytest.MonkeyPatch) -> None:
    """A void removes its sale from the history the engine reads; the strategy records some through the ledger."""
    voided: list[str] = []

    class SpyLedger(Ledger):
        def void(self, transaction_id: str, *, at: dt.datetime) -> None:
            voided.append(transaction_id)
            super().void(transaction_id, at=at)

    monkeypatch.setattr("fe_compliance.testing.strategies.Ledger", SpyLedger)

    def has_void_and_sales(case: CheckoutCase) -> bool:
        kept = {p.transaction_id for p in case.history}
        return bool(voided) and voided[-1] not in kept and bool(kept)

    def fresh(case: CheckoutCase) -> bool:
        found = has_void_and_sales(case)
        voided.clear()
        return found

    reach(fs.checkout_cases(state="MA", customer_type="medical", near_cap=False), fresh)
