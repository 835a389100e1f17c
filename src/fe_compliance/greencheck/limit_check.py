"""The purchase-limit exception check on top of gram extraction.

Green Check's use of the grams: a bank flags a customer's sale when its grams exceed a purchase limit, and the
retailer then has to explain the flag. The seed's advice for a wrong flag is to look at which POS field produced
the grams, so every :class:`LimitFlag` carries the traces of the lines that made up its total.

Two modes. ``cumulative=False`` (the default) compares each sale's own total with the limit (a per-transaction
limit). ``cumulative=True`` adds the sales up in the order given and flags each sale from the one whose running
total first exceeds the limit (a limit over a window of sales: the caller passes the sales of the window).

The check compares grams with grams: it does not know which purchase-limit category a line belongs to, so pass it
the lines of one category (and one basis: a limit on flower weight compared with THC grams means nothing; each
flag lists the bases of its lines so a mixture is visible).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..errors import InvalidValueError
from ..units import grams_quantity, mass_to_grams
from .result import Basis, GramsResult, TraceStep

__all__ = ["LimitCheck", "LimitFlag", "SaleGrams", "check_purchase_limit"]


def _results(value: Iterable[GramsResult]) -> tuple[GramsResult, ...]:
    items = tuple(value)
    for item in items:
        if not isinstance(item, GramsResult):
            raise InvalidValueError("lines", item, "expected GramsResult objects from extract_grams")
    return items


def _sale_id(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError("sale_id", value, "expected a non-empty sale id")
    return value


@attrs.frozen(slots=True)
class SaleGrams:
    """One sale of the customer: its id and the extraction result of each of its lines."""

    sale_id: str = attrs.field(converter=_sale_id)
    lines: tuple[GramsResult, ...] = attrs.field(converter=_results)

    @property
    def total_grams(self) -> float:
        return sum(line.grams_value for line in self.lines)


@attrs.frozen(slots=True)
class LimitFlag:
    """A sale that exceeds the limit. ``grams`` is what was compared with the limit (the sale's total, or the
    running total in cumulative mode); ``traces`` holds, per line of the sale, the trace that produced its grams."""

    sale_id: str
    grams: float
    sale_grams: float
    limit_grams: float
    lines: tuple[GramsResult, ...]

    @property
    def excess_grams(self) -> float:
        return self.grams - self.limit_grams

    @property
    def traces(self) -> tuple[tuple[TraceStep, ...], ...]:
        return tuple(line.trace for line in self.lines)

    @property
    def bases(self) -> tuple[Basis, ...]:
        return tuple(dict.fromkeys(line.basis for line in self.lines))

    def explanation(self) -> list[str]:
        lines = [f"sale {self.sale_id}: {self.grams:.6g} g exceeds the limit of {self.limit_grams:.6g} g "
                 f"by {self.excess_grams:.6g} g"]
        for number, line in enumerate(self.lines, start=1):
            lines.append(f"  line {number}: {line.grams_value:.6g} g from {line.vendor} {line.source}")
            lines.extend(f"    {step}" for step in line.trace)
            lines.extend(f"    warning: {warning}" for warning in line.warnings)
        return lines


@attrs.frozen(slots=True)
class LimitCheck:
    """The outcome: the limit, every sale checked, and the flags (empty when no sale exceeded the limit)."""

    limit_grams: float
    cumulative: bool
    sales: tuple[SaleGrams, ...]
    flags: tuple[LimitFlag, ...]

    @property
    def limit(self) -> Any:
        return grams_quantity(self.limit_grams)

    @property
    def ok(self) -> bool:
        return not self.flags


def check_purchase_limit(
    sales: Iterable[SaleGrams] | Mapping[str, Iterable[GramsResult]],
    limit: object,
    *,
    cumulative: bool = False,
) -> LimitCheck:
    """Flag the sales whose grams exceed ``limit`` (a mass: a Quantity or text such as ``"1 oz"``).

    ``sales`` is an iterable of :class:`SaleGrams` or a mapping of sale id to that sale's extraction results.
    A sale exactly at the limit is not flagged.
    """
    limit_grams = mass_to_grams(limit, field="limit", allow_zero=False)
    if isinstance(sales, Mapping):
        checked = tuple(SaleGrams(sale_id, lines) for sale_id, lines in sales.items())
    else:
        checked = tuple(sales)
        for sale in checked:
            if not isinstance(sale, SaleGrams):
                raise InvalidValueError("sales", sale, "expected SaleGrams objects or a mapping of id to results")
    flags: list[LimitFlag] = []
    running = 0.0
    for sale in checked:
        sale_total = sale.total_grams
        running += sale_total
        compared = running if cumulative else sale_total
        if compared > limit_grams:
            flags.append(LimitFlag(sale.sale_id, compared, sale_total, limit_grams, sale.lines))
    return LimitCheck(limit_grams, cumulative, checked, tuple(flags))
