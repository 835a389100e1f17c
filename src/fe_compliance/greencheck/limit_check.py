"""The purchase-limit exception check on top of gram extraction.

Green Check's use of the grams: a bank flags a customer's sale when its grams exceed a purchase limit, and the
retailer then has to explain the flag. The seed's advice for a wrong flag is to look at which POS field produced
the grams, so every :class:`LimitFlag` carries the traces of the lines that made up its total.

Two modes. ``cumulative=False`` (the default) compares each sale's own total with the limit (a per-transaction
limit). ``cumulative=True`` adds the sales up in the order given and flags each sale from the one whose running
total first exceeds the limit (a limit over a window of sales: the caller passes the sales of the window). A
cumulative flag's grams come from every sale so far, so it carries the earlier sales too (``earlier``), and its
``traces`` cover every line counted, not only its own.

A line whose extraction failed is passed as its error (the :class:`~fe_compliance.greencheck.errors.VendorError`
that :func:`~fe_compliance.greencheck.extract_grams` raised, or a bulk line's ``error``), never dropped: its grams
are unknown, so the sale (and, cumulatively, every later one) cannot be cleared. Such sales are listed in
:attr:`LimitCheck.unchecked` and make :attr:`LimitCheck.ok` false; the grams that are known are still compared, so a
sale already over the limit on its known lines is flagged as well. Missing grams never count as zero.

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
from .errors import VendorError
from .result import Basis, GramsResult, TraceStep

__all__ = ["LimitCheck", "LimitFlag", "SaleGrams", "check_purchase_limit"]


def _tuple(value: Any, field: str) -> tuple[Any, ...]:
    try:
        return tuple(value)
    except TypeError:
        raise InvalidValueError(field, value, "expected a sequence") from None


Line = GramsResult | VendorError
"""One line of a sale: its extraction result, or the error that says why it has no grams."""


def _results(value: Iterable[Line]) -> tuple[Line, ...]:
    if isinstance(value, (str, bytes, Mapping)):
        raise InvalidValueError("lines", value, "expected a sequence of GramsResult objects (or VendorErrors)")
    items = _tuple(value, "lines")
    for item in items:
        if not isinstance(item, (GramsResult, VendorError)):
            raise InvalidValueError("lines", item, "expected GramsResult objects from extract_grams, or the "
                                                   "VendorError of a line without grams")
    return items


def _sale_id(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError("sale_id", value, "expected a non-empty sale id")
    return value


@attrs.frozen(slots=True)
class SaleGrams:
    """One sale of the customer: its id and, per line, the extraction result or the error of a line without grams."""

    sale_id: str = attrs.field(converter=_sale_id)
    lines: tuple[Line, ...] = attrs.field(converter=_results)

    @property
    def results(self) -> tuple[GramsResult, ...]:
        """The lines that have grams."""
        return tuple(line for line in self.lines if isinstance(line, GramsResult))

    @property
    def errors(self) -> tuple[VendorError, ...]:
        """The lines without grams (their grams are unknown, not zero)."""
        return tuple(line for line in self.lines if isinstance(line, VendorError))

    @property
    def total_grams(self) -> float:
        """The grams of the lines that have them: a lower bound when :attr:`errors` is not empty."""
        return sum(line.grams_value for line in self.results)


@attrs.frozen(slots=True)
class LimitFlag:
    """A sale that exceeds the limit. ``grams`` is what was compared with the limit (the sale's total, or the
    running total in cumulative mode); ``lines`` are the sale's lines with grams; ``earlier`` the sales before it
    whose grams are in a cumulative total (empty per sale). ``traces`` holds the trace of every line counted in
    ``grams``, earlier sales first: the fields that produced the grams a bank flagged."""

    sale_id: str
    grams: float
    sale_grams: float
    limit_grams: float
    lines: tuple[GramsResult, ...]
    earlier: tuple[SaleGrams, ...] = ()

    @property
    def excess_grams(self) -> float:
        return self.grams - self.limit_grams

    @property
    def counted(self) -> tuple[GramsResult, ...]:
        """Every line whose grams are in :attr:`grams`, in order (earlier sales first)."""
        return tuple(line for sale in self.earlier for line in sale.results) + self.lines

    @property
    def traces(self) -> tuple[tuple[TraceStep, ...], ...]:
        return tuple(line.trace for line in self.counted)

    @property
    def bases(self) -> tuple[Basis, ...]:
        return tuple(dict.fromkeys(line.basis for line in self.counted))

    def explanation(self) -> list[str]:
        lines = [f"sale {self.sale_id}: {self.grams:.6g} g exceeds the limit of {self.limit_grams:.6g} g "
                 f"by {self.excess_grams:.6g} g"]
        if self.earlier:
            lines.append(f"  running total: {self.sale_grams:.6g} g in this sale, after "
                         + ", ".join(f"{sale.sale_id} ({sale.total_grams:.6g} g)" for sale in self.earlier))
        for sale_id, results in [*((sale.sale_id, sale.results) for sale in self.earlier),
                                 (self.sale_id, self.lines)]:
            for number, line in enumerate(results, start=1):
                lines.append(f"  sale {sale_id} line {number}: {line.grams_value:.6g} g from {line.vendor} "
                             f"{line.source}")
                lines.extend(f"    {step}" for step in line.trace)
                lines.extend(f"    warning: {warning}" for warning in line.warnings)
        return lines


@attrs.frozen(slots=True)
class LimitCheck:
    """The outcome: the limit, every sale checked, the flags, and the sales that could not be cleared because a
    line counted in them has no grams (``unchecked``: the sale itself, and in cumulative mode every later one).
    :attr:`ok` is true only when no sale is flagged and every sale was checked."""

    limit_grams: float
    cumulative: bool
    sales: tuple[SaleGrams, ...]
    flags: tuple[LimitFlag, ...]
    unchecked: tuple[SaleGrams, ...] = ()

    @property
    def limit(self) -> Any:
        return grams_quantity(self.limit_grams)

    @property
    def ok(self) -> bool:
        return not self.flags and not self.unchecked


def check_purchase_limit(
    sales: Iterable[SaleGrams] | Mapping[str, Iterable[Line]],
    limit: object,
    *,
    cumulative: bool = False,
) -> LimitCheck:
    """Flag the sales whose grams exceed ``limit`` (a mass: a Quantity or text such as ``"1 oz"``).

    ``sales`` is an iterable of :class:`SaleGrams` or a mapping of sale id to that sale's lines (extraction
    results, and the errors of lines without grams). A sale exactly at the limit is not flagged. A sale with a line
    without grams is listed in ``unchecked`` (never cleared); in cumulative mode so is every sale after it.
    """
    limit_grams = mass_to_grams(limit, field="limit", allow_zero=False)
    if isinstance(sales, Mapping):
        checked = tuple(SaleGrams(sale_id, lines) for sale_id, lines in sales.items())
    else:
        checked = _tuple(sales, "sales")
        for sale in checked:
            if not isinstance(sale, SaleGrams):
                raise InvalidValueError("sales", sale, "expected SaleGrams objects or a mapping of id to results")
    flags: list[LimitFlag] = []
    unchecked: list[SaleGrams] = []
    running = 0.0
    unknown = False  # cumulative: an earlier line has no grams, so no later total is known
    for index, sale in enumerate(checked):
        sale_total = sale.total_grams
        running += sale_total
        unknown = (unknown and cumulative) or bool(sale.errors)
        if unknown:
            unchecked.append(sale)
        compared = running if cumulative else sale_total
        if compared > limit_grams:
            earlier = checked[:index] if cumulative else ()
            flags.append(LimitFlag(sale.sale_id, compared, sale_total, limit_grams, sale.results, earlier))
    return LimitCheck(limit_grams, cumulative, checked, tuple(flags), tuple(unchecked))
