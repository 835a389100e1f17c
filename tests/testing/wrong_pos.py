"""Deliberately wrong POS functions, each with one bug auditors meet in the field.

Most are the reference engine run on a pack with one rule changed, so the bug is exactly the one named and nothing
else differs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from fe_compliance import states
from fe_compliance.equivalency import FlowerEquivalencyDefinition
from fe_compliance.limits import CartLine, Customer, Limit, LimitEngine, LineKind, PastLine, RulePack, Window
from fe_compliance.masscip import multiplier_for
from fe_compliance.units import mass_to_grams

Check = Callable[..., Any]


def _engine_with(state: str, change: Callable[[Any], Any]) -> LimitEngine:
    pack = states.pack_for(state)
    rules = tuple(r for r in (change(rule) for rule in pack.rules) if r is not None)
    return LimitEngine(attrs.evolve(pack, rules=rules))


def reference(state: str) -> Check:
    return states.engine(state).check


def forgets_sub_cap(state: str, code: str) -> Check:
    """Never checks the sub-cap ``code`` (MI: the 15 g concentrate cap inside the 2.5 oz)."""
    return _engine_with(state, lambda r: None if r.code == code else r).check


def window_one_day_short(state: str, code: str) -> Check:
    """Counts the rolling window of limit ``code`` one day short (MA medical: 59 days instead of 60)."""

    def shorten(rule: Any) -> Any:
        if isinstance(rule, Limit) and rule.code == code:
            assert rule.window.days is not None
            return attrs.evolve(rule, window=Window.rolling(rule.window.days - 1))
        return rule

    return _engine_with(state, shorten).check


def override_lifts_sub_caps(state: str) -> Check:
    """Applies a customer's allotment override to every limit: with an override, the sub-caps are not checked."""
    right = states.engine(state)
    no_sub_caps = _engine_with(state, lambda r: None if isinstance(r, Limit) and r.categories and str(r.kind) ==
                               "sub_cap" else r)

    def check(customer: Customer, cart: Sequence[CartLine], *, at: dt.datetime, history: Sequence[PastLine]) -> Any:
        engine = no_sub_caps if customer.allotment_override is not None else right
        return engine.check(customer, cart, at=at, history=history)

    return check


def return_given_back_twice(state: str) -> Check:
    """Takes returned units off the sale line and also subtracts the return line: every return counts twice."""
    engine = states.engine(state)

    def check(customer: Customer, cart: Sequence[CartLine], *, at: dt.datetime, history: Sequence[PastLine]) -> Any:
        returned: dict[tuple[str, str], float] = {}
        for past in history:
            if past.kind is LineKind.RETURN:
                key = (past.transaction_id, past.line.line_id)
                returned[key] = returned.get(key, 0.0) + past.line.quantity
        netted = []
        for past in history:
            key = (past.transaction_id, past.line.line_id)
            if past.kind is LineKind.SALE and key in returned:
                left = max(past.line.quantity - returned[key], 0.0)
                past = attrs.evolve(past, line=attrs.evolve(past.line, quantity=left))
            netted.append(past)
        return engine.check(customer, cart, at=at, history=netted)

    return check


def ignores_history(state: str) -> Check:
    """Checks each sale alone: a daily or rolling limit becomes per transaction."""
    engine = states.engine(state)

    def check(customer: Customer, cart: Sequence[CartLine], *, at: dt.datetime, history: Sequence[PastLine]) -> Any:
        return engine.check(customer, cart, at=at, history=())

    return check


def checks_all_but_the_last_line(state: str) -> Check:
    """Forgets the cart's last line (an off-by-one in a loop): the answer depends on which line comes last."""
    engine = states.engine(state)

    def check(customer: Customer, cart: Sequence[CartLine], *, at: dt.datetime, history: Sequence[PastLine]) -> Any:
        return engine.check(customer, list(cart)[:-1], at=at, history=history)

    return check


def sub_cap_only_when_a_concentrate_comes_first(state: str, code: str) -> Check:
    """Runs the sub-cap ``code`` only when the cart's first line is a concentrate: the answer depends on order."""
    right = states.engine(state)
    without = _engine_with(state, lambda r: None if r.code == code else r)
    inhaled = {"concentrate", "combined inhalable"}

    def check(customer: Customer, cart: Sequence[CartLine], *, at: dt.datetime, history: Sequence[PastLine]) -> Any:
        first = cart[0].category.strip().lower() if cart else ""
        engine = right if first in inhaled else without
        return engine.check(customer, cart, at=at, history=history)

    return check


def refuses_at_the_cap(state: str) -> Check:
    """Refuses a cart that reaches a cap exactly (``>=`` where the rule says "at most")."""
    engine = states.engine(state)

    def check(customer: Customer, cart: Sequence[CartLine], *, at: dt.datetime, history: Sequence[PastLine]) -> bool:
        decision = engine.check(customer, cart, at=at, history=history)
        at_cap = any(u.enforced and u.requested > 0 and u.total >= u.cap - 1e-6 for u in decision.usages)
        return decision.allowed and not at_cap

    return check


# ---------------------------------------------------------------------------------------- FE and MassCIP


def fe_right(definition: FlowerEquivalencyDefinition, amount: Any) -> float:
    return definition.calculate(amount).flower_equivalent_grams


def fe_reads_mg_as_g(definition: FlowerEquivalencyDefinition, amount: Any) -> float:
    """Takes the number of the amount as grams whatever its unit (500 mg read as 500 g)."""
    return float(amount.magnitude) * definition.ratio


def fe_ounce_as_28_g(definition: FlowerEquivalencyDefinition, amount: Any) -> float:
    """Converts ounces with 28 g instead of 28.349523125 g (the ratio's own ounces too)."""
    def grams(quantity: Any) -> float:
        if str(quantity.units) == "ounce":
            return float(quantity.magnitude) * 28.0
        return mass_to_grams(quantity, field="amount")

    ratio = grams(definition.equivalent_flower_amount) / grams(definition.category_amount)
    return grams(amount) * ratio


def masscip_right(category: str, grams_concentration: Any) -> float:
    return mass_to_grams(grams_concentration, field="g") * multiplier_for(category)


def masscip_reads_mg_as_g(category: str, grams_concentration: Any) -> float:
    return float(grams_concentration.magnitude) * multiplier_for(category)


def masscip_forgets_multiplier_for(name: str) -> Callable[[str, Any], float]:
    def allotment(category: str, grams_concentration: Any) -> float:
        factor = 1.0 if category == name else multiplier_for(category)
        return mass_to_grams(grams_concentration, field="g") * factor

    return allotment


__all__ = [name for name in dir() if not name.startswith("_")]
_ = RulePack
