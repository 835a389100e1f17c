"""Errors of the purchase-limit layer, each under the library's one tree (see :mod:`fe_compliance.errors`).

::

    FEComplianceError
    ├── InvalidValueError
    │   ├── NaiveDatetimeError        a datetime without a time zone where the store's calendar matters
    │   ├── InvalidDateError          a date given as text that is not an ISO date ("2025-06-01")
    │   ├── CategoryMismatchError     a line whose purchase-limit and Metrc categories disagree, when the engine
    │   │                             is told to refuse such lines
    │   ├── InvalidLineError          a cart or history line with an impossible value (negative quantity, ...)
    │   │   (InvalidQuantityError)
    │   └── InvalidRuleError          a rule pack that contradicts itself (overlapping dates, unknown category)
    ├── MissingDataError
    │   └── LineDataError             a line lacks what a rule needs to count it (no FE and no way to compute one)
    ├── UnknownCategoryError
    │   └── UnknownStateError         a state code with no rule pack
    ├── NoRulesInForceError           (also LookupError) a date before any rule of the pack, or a customer type the
    │                                 pack does not cover on that date
    ├── RefusedSaleError              recording a cart the engine refused
    └── LedgerError                   a return or void that does not match what the ledger holds

A cart is never allowed because data was missing: every error here is raised instead of a decision.
"""

from __future__ import annotations

from typing import Any

from ..errors import (
    FEComplianceError,
    InvalidQuantityError,
    InvalidValueError,
    MissingDataError,
    UnknownCategoryError,
)

__all__ = [
    "CategoryMismatchError",
    "InvalidDateError",
    "InvalidLineError",
    "InvalidRuleError",
    "LedgerError",
    "LineDataError",
    "NaiveDatetimeError",
    "NoRulesInForceError",
    "RefusedSaleError",
    "UnknownStateError",
    "line_field",
]


def line_field(line_id: str, field: str) -> str:
    """The field name errors use for one field of one line: ``line 'A1' grams_concentration``."""
    return f"line {line_id!r} {field}"


class NaiveDatetimeError(InvalidValueError):
    """A datetime without ``tzinfo`` where the store's time zone decides the calendar day."""


class InvalidDateError(InvalidValueError):
    """A date given as text that is not an ISO 8601 calendar date (``"2025-06-01"``), or a value that is no date."""


class CategoryMismatchError(InvalidValueError):
    """A line's purchase-limit category and its Metrc item category disagree (a ``"Concentrate"`` line whose Metrc
    category is ``"Buds"``), raised when the engine is built with ``refuse_category_mismatch=True``.

    MassCIP deducts by the Metrc category, so such a line counts 5.3 times less (or more) than its purchase-limit
    category says. ``field`` is ``"line '<id>' metrc_category"``; ``line_id`` names the line.
    """

    def __init__(self, line_id: str, value: Any, reason: str) -> None:
        super().__init__(line_field(line_id, "metrc_category"), value, reason)
        self.line_id = line_id


class InvalidLineError(InvalidQuantityError):
    """A line value that can never be right: a negative or non-finite quantity, a negative FE, ...

    ``line_id`` names the line; ``field`` is ``"line '<id>' <field>"``.
    """

    def __init__(self, line_id: str, field: str, value: Any, reason: str) -> None:
        super().__init__(line_field(line_id, field), value, reason)
        self.line_id = line_id


class InvalidRuleError(InvalidValueError):
    """A rule or rule pack that cannot be right (until before effective, overlapping versions, unknown category)."""


class LineDataError(MissingDataError):
    """A line lacks the data a rule needs to count it. The cart is not decided: the POS must supply the value."""

    def __init__(self, line_id: str, field: str, reason: str, *, value: Any = None) -> None:
        super().__init__(line_field(line_id, field), reason, value=value)
        self.line_id = line_id


class UnknownStateError(UnknownCategoryError):
    """A state code for which no rule pack is registered."""

    def __init__(self, value: Any, known: tuple[str, ...] = ()) -> None:
        FEComplianceError.__init__(
            self,
            f"state: no rule pack for {value!r}; available: {', '.join(known) or 'none'}",
            field="state",
            value=value,
        )
        self.known = known


class NoRulesInForceError(FEComplianceError, LookupError):
    """No rule of the pack is in force on the date asked (or none covers the customer type asked)."""

    def __init__(self, message: str, *, field: str = "on", value: Any = None) -> None:
        super().__init__(message, field=field, value=value)


class RefusedSaleError(FEComplianceError):
    """A refused cart was handed to the ledger: only allowed carts are recorded as sales."""


class LedgerError(FEComplianceError):
    """A ledger operation that does not match its contents (unknown transaction, double void, over-return)."""
