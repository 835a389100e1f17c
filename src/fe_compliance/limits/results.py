"""What the engine answers: a decision, with each limit's figures and each line's count, explained.

Every number is a float in the limit's unit (grams; millilitres for volume limits); ``to_dict`` gives a JSON-ready
form and ``explanation`` the lines a compliance officer reads, each limit with its rule and citation, unconfirmed
rules marked as such.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import attrs

from ..errors import InvalidValueError
from ..explain import Rule
from ..units import grams_quantity
from .customer import Customer
from .lines import CartLine
from .pack import RuleSet
from .rules import CountingRule, DatedRule, Limit, PeriodAnchor
from .volume import ml_quantity

__all__ = ["CAP_TOLERANCE", "CartDecision", "LimitUsage", "LineCount"]

CAP_TOLERANCE: Final = 1e-6
"""A cart may exceed a cap by at most this much (a microgram, or a microlitre for volume caps) before it is refused:
enough to absorb float rounding of exact-cap purchases, far below any amount a scale can weigh."""


@attrs.frozen(slots=True, kw_only=True)
class LineCount:
    """How one cart line counted: ``counted`` toward the budgets (``None`` when exempt or counted by none) and why.

    ``method`` is ``"package_fe"``, ``"masscip"``, ``"volume_rule"``, ``"fe_definition"``, ``"exempt"`` or
    ``"not_counted"`` (no budget covers the category, as concentrate beside Colorado's medical flower budget: the
    line adds only to its own limits, by their measures);
    ``value`` the per-unit input it multiplied (grams, or ml for a volume rule), ``factor`` the multiplier (1 for a
    package FE), ``detail`` the Metrc category or line field read. :attr:`how` puts them in a sentence (built only
    when asked for, so a check that nobody explains does not pay for formatting).

    ``rule`` is the pack rule used (the equivalency, volume rule or exemption), ``None`` for a package FE or a
    MassCIP count. ``counted_by`` is the rule that counted the line, always set on a counted line: the pack's
    counting rule (package FE), the equivalency or volume rule, or the MassCIP table entry (its citation and
    status); ``status`` is its flag (``"confirmed"``, ``"unconfirmed"``, or ``"decision"`` for a MassCIP entry the
    library decided). ``warnings`` are what the decision should say about this line (an unconfirmed table entry, a
    category mismatch, a product weight counted as THC); they are also in :attr:`CartDecision.warnings`.
    """

    line_id: str
    category: str
    quantity: float
    counted: float | None
    method: str
    value: float | None = None
    factor: float | None = None
    detail: str = ""
    rule: DatedRule | None = None
    counted_by: Rule | None = None
    status: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def exempt(self) -> bool:
        return self.method == "exempt"

    @property
    def flagged(self) -> bool:
        """True when the rule that counted the line is not confirmed (unconfirmed, or a decision of the library)."""
        return self.status not in ("", "confirmed")

    @property
    def how(self) -> str:
        q = self.quantity
        v = self.value if self.value is not None else 0.0
        f = self.factor if self.factor is not None else 1.0
        if self.method in ("exempt", "not_counted"):
            return self.detail
        if self.method == "package_fe":
            return f"package FE {v:.6g} g x {q:g}"
        if self.method == "masscip":
            return f"MassCIP: grams/concentration {v:.6g} g x {f:g} ({self.detail}) x {q:g}"
        if self.method == "fe_definition_weight_bound":
            return (
                f"FE definition: {self.detail} {v:.6g} g counted as thc_grams (upper bound: THC never exceeds the "
                f"product weight) x ratio {f:.6g} x {q:g}"
            )
        if self.method == "volume_rule":
            return f"volume rule: {v:.6g} ml x {f:.6g} g/ml x {q:g}"
        return f"FE definition: {self.detail} {v:.6g} g x ratio {f:.6g} x {q:g}"


@attrs.frozen(slots=True, kw_only=True)
class LimitUsage:
    """One limit's figures for one cart: the cap, what the window already holds, what the cart adds.

    ``remaining`` is what would be left after the sale (negative: over by that much); ``available`` what was left
    before it. ``overridden``: the cap is the customer's allotment override; ``waived``: a customer exemption lifts
    the limit (it is computed and shown, never refusing).
    """

    limit: Limit
    cap: float
    used: float
    requested: float
    total: float
    window_start: dt.datetime | None
    enforced: bool
    overridden: bool = False
    waived: bool = False

    @property
    def code(self) -> str:
        return self.limit.code

    @property
    def unit(self) -> str:
        return self.limit.measure.unit

    @property
    def remaining(self) -> float:
        return self.cap - self.total

    @property
    def available(self) -> float:
        return max(self.cap - self.used, 0.0)

    @property
    def exceeded(self) -> bool:
        """The cart adds to this limit and takes it over its cap (waived limits are never exceeded).

        Any positive request counts, however small: a request below the tolerance must not be let through, or a
        series of tiny purchases could creep past the cap. A cart that adds nothing to a limit never trips it, even
        when the window is already over (after a rule change, or an advisory cap)."""
        return not self.waived and self.requested > 0.0 and self.total > self.cap + CAP_TOLERANCE

    @property
    def refuses(self) -> bool:
        return self.enforced and self.exceeded

    def quantity(self, value: float) -> Any:
        return ml_quantity(value) if self.unit == "ml" else grams_quantity(value)

    def describe(self) -> str:
        limit = self.limit
        status = "WAIVED" if self.waived else ("EXCEEDED" if self.exceeded else "ok")
        if self.exceeded and not self.enforced:
            status = "EXCEEDED (advisory, not enforced)"
        u = self.unit
        cap = f"{self.cap:.6g} {u}"
        written = f"{limit.cap:~P}"
        if self.overridden:
            cap += " (allotment override)"
        elif written.replace(" ", "") != cap.replace(" ", ""):
            cap += f" ({written})"
        since = f", window from {self.window_start.isoformat()}" if self.window_start is not None else ""
        return (
            f"{limit.code} ({limit.kind}, {limit.window}{since}): cap {cap}; used {self.used:.6g} {u} + requested "
            f"{self.requested:.6g} {u} = {self.total:.6g} {u}; remaining {self.remaining:.6g} {u} -> {status}"
        )

    def to_dict(self) -> dict[str, Any]:
        rule = self.limit.rule
        return {
            "code": self.code,
            "kind": str(self.limit.kind),
            "measure": str(self.limit.measure),
            "unit": self.unit,
            "window": self.limit.window.describe(),
            "window_start": None if self.window_start is None else self.window_start.isoformat(),
            "cap": self.cap,
            "used": self.used,
            "requested": self.requested,
            "total": self.total,
            "remaining": self.remaining,
            "available": self.available,
            "exceeded": self.exceeded,
            "enforced": self.enforced,
            "overridden": self.overridden,
            "waived": self.waived,
            "confirmed": self.limit.confirmed,
            "rule": {"code": rule.code, "summary": rule.summary, "citation": rule.citation},
        }


@attrs.frozen(slots=True, kw_only=True)
class CartDecision:
    """The engine's answer for one cart, with everything needed to explain it."""

    allowed: bool
    state: str
    at: dt.datetime
    store_date: dt.date
    customer: Customer
    rules: RuleSet
    counting: CountingRule
    usages: tuple[LimitUsage, ...]
    lines: tuple[LineCount, ...]
    cart: tuple[CartLine, ...]
    warnings: tuple[str, ...] = ()
    period_anchor: PeriodAnchor = PeriodAnchor.ROLLING

    @property
    def refused_by(self) -> tuple[LimitUsage, ...]:
        return tuple(u for u in self.usages if u.refuses)

    def usage(self, code: str) -> LimitUsage:
        for usage in self.usages:
            if usage.code == code:
                return usage
        raise InvalidValueError("code", code, f"no limit with this code applied; applied: {self.codes()}")

    def codes(self) -> tuple[str, ...]:
        return tuple(u.code for u in self.usages)

    def explanation(self) -> list[str]:
        who = f"{self.customer.customer_type} customer" + (
            f" {self.customer.customer_id!r}" if self.customer.customer_id else ""
        )
        verdict = "ALLOWED" if self.allowed else "REFUSED"
        lines = [
            f"{verdict}: {self.state} cart of {len(self.cart)} line(s) for {who} at {self.at.isoformat()} "
            f"(store day {self.store_date.isoformat()})",
            f"rules in force: {self.rules.pack.name}, period {self.rules._period()}",
            f"counting basis: {self.counting.basis} - {self.counting.rule}",
        ]
        for count in self.lines:
            text = f"line {count.line_id!r} ({count.category} x {count.quantity:g}): "
            if count.exempt:
                text += f"exempt - {count.how}"
            elif count.counted is None:
                text += f"counted toward no budget - {count.how}"
            else:
                text += f"counts {count.counted:.6g} g - {count.how}"
            if count.counted_by is not None and count.method == "package_fe":
                # the counting rule, with its citation, is the "counting basis" line above
                text += f" [{count.counted_by.code}]"
            elif count.counted_by is not None:
                status = count.status.upper() if count.flagged else count.status
                text += f" [counted by {count.counted_by}; {status}]"
            elif count.rule is not None:
                text += f" [{count.rule.rule}]"
            lines.append(text)
        for usage in self.usages:
            lines.append(f"limit {usage.describe()}")
            lines.append(f"    rule: {usage.limit.rule}")
            if usage.limit.note:
                lines.append(f"    note: {usage.limit.note}")
        lines.extend(f"warning: {w}" for w in self.warnings)
        if not self.allowed:
            lines.append("refused by: " + ", ".join(u.code for u in self.refused_by))
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "state": self.state,
            "at": self.at.isoformat(),
            "store_date": self.store_date.isoformat(),
            "customer_type": str(self.customer.customer_type),
            "customer_id": self.customer.customer_id,
            "counting_basis": str(self.counting.basis),
            "period_anchor": str(self.period_anchor),
            "lines": [
                {
                    "line_id": c.line_id,
                    "category": c.category,
                    "quantity": c.quantity,
                    "counted": c.counted,
                    "exempt": c.exempt,
                    "how": c.how,
                    "rule": None if c.rule is None else c.rule.code,
                    "counted_by": None
                    if c.counted_by is None
                    else {
                        "code": c.counted_by.code,
                        "summary": c.counted_by.summary,
                        "citation": c.counted_by.citation,
                        "status": c.status,
                        "flagged": c.flagged,
                    },
                    "warnings": list(c.warnings),
                }
                for c in self.lines
            ],
            "limits": [u.to_dict() for u in self.usages],
            "refused_by": [u.code for u in self.refused_by],
            "warnings": list(self.warnings),
            "explanation": self.explanation(),
        }
