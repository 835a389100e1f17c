"""One checkout as the reference properties replay it: who buys what, when, after which purchases.

A :class:`CheckoutCase` is plain data (no hypothesis needed to hold one). :meth:`CheckoutCase.describe` renders it
the way an auditor reads a counterexample: the customer, the sale time in the store's zone, the history with
returns, and each cart line with its amounts in grams.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from ..limits import CartLine, Customer, LineKind, PastLine, RuleSet

__all__ = ["CheckoutCase", "describe_line"]


def _g(value: float | None) -> str:
    return "-" if value is None else f"{value:.10g} g"


def describe_line(line: CartLine) -> str:
    """One line in a sentence: id, category, quantity and the per-unit amounts the rules read."""
    parts = [f"FE {_g(line.fe_grams)}", f"grams/concentration {_g(line.grams_concentration)}"]
    if line.thc_grams is not None:
        parts.append(f"THC {line.thc_grams * 1000:.10g} mg")
    if line.volume_ml is not None:
        parts.append(f"volume {line.volume_ml:.6g} ml")
    if line.metrc_category:
        parts.append(f"Metrc {line.metrc_category!r}")
    if line.exempt:
        parts.append("flagged exempt")
    return f"{line.line_id!r} {line.category} x {line.quantity:g}: " + ", ".join(parts) + " (per unit)"


@attrs.frozen(slots=True, kw_only=True)
class CheckoutCase:
    """A customer's cart at ``at``, with the purchase ``history`` the POS would hold for them."""

    rules: RuleSet = attrs.field(repr=lambda rules: f"<{rules.state} rules {rules._period()}>")
    customer: Customer
    at: dt.datetime
    cart: tuple[CartLine, ...]
    history: tuple[PastLine, ...] = ()

    @property
    def state(self) -> str:
        return self.rules.state

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """How hypothesis prints a failing case: the readable description, not the whole rule pack."""
        printer.text("CheckoutCase(\n" + self.describe() + "\n)")

    def describe(self) -> str:
        c = self.customer
        facts = [str(c.customer_type)]
        if c.resident is not None:
            facts.append("resident" if c.resident else "non-resident")
        age = c.age_on(self.at.astimezone(self.rules.pack.zone).date())
        if age is not None:
            facts.append(f"aged {age}")
        if c.caregiver:
            facts.append("caregiver")
        if c.allotment_override is not None:
            facts.append(f"allotment override {c.override_grams:.10g} g")
        if c.exemptions:
            facts.append("exemptions " + ", ".join(sorted(c.exemptions)))
        local = self.at.astimezone(self.rules.pack.zone)
        text = [f"{self.state} sale at {local.isoformat()} (store time) to a customer: {', '.join(facts)}"]
        if self.history:
            text.append("history:")
            for past in self.history:
                when = past.sold_at.astimezone(self.rules.pack.zone).isoformat()
                kind = "RETURN of" if past.kind is LineKind.RETURN else "sale"
                text.append(f"  {when} {kind} {past.transaction_id or '-'}: {describe_line(past.line)}")
        else:
            text.append("history: none")
        text.append("cart:" if self.cart else "cart: empty")
        text.extend(f"  {describe_line(line)}" for line in self.cart)
        return "\n".join(text)
