"""Errors of the gram-extraction package: every one names the vendor, the field and the value.

::

    FEComplianceError
    └── VendorError                    any failure of a vendor's chain; ``.vendor`` is the slug
        ├── UnknownVendorError         (also LookupError) a slug nobody registered
        ├── VendorNotImplementedError  (also LookupError) a known vendor whose chain is not written yet
        ├── NotApplicableError         the integration never carries retail grams (QuickBooks, Sage Intacct)
        ├── VendorFieldError           (also InvalidValueError / ValueError) a field holds a value that can
        │                              never be right: NaN, negative, a dict where a number belongs, "1,5"
        ├── NoGramsError               (also MissingDataError) every step of the chain was skipped; carries the
        │                              trace that says why. The library never answers zero for "nothing found".
        └── NoQuantityError            (also MissingDataError) a per-unit weight was found but the line does
                                       not say how many units were sold (its quantity is missing, or 0)

A caller who wants one handler catches :class:`VendorError`; one who already handles the library's root catches
:class:`~fe_compliance.errors.FEComplianceError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import FEComplianceError, InvalidValueError, MissingDataError, describe_value

if TYPE_CHECKING:
    from .result import TraceStep

__all__ = [
    "NoGramsError",
    "NoQuantityError",
    "NotApplicableError",
    "UnknownVendorError",
    "VendorError",
    "VendorFieldError",
    "VendorNotImplementedError",
]


class VendorError(FEComplianceError):
    """A vendor's gram extraction failed. ``vendor`` is the slug, ``field`` the field (a dotted path such as
    ``product.thcContentUnit``) and ``value`` the offending value, when there is one."""

    vendor: str

    def __init__(self, vendor: str, message: str, *, field: str | None = None, value: Any = None) -> None:
        FEComplianceError.__init__(self, f"{vendor}: {message}", field=field, value=value)
        self.vendor = vendor


class UnknownVendorError(VendorError, LookupError):
    """No vendor is registered under this slug."""

    def __init__(self, vendor: object, known: Sequence[str]) -> None:
        text = vendor if isinstance(vendor, str) else describe_value(vendor)
        VendorError.__init__(
            self,
            text,
            f"vendor: unknown vendor {describe_value(vendor)}; known: {', '.join(known)}",
            field="vendor",
            value=vendor,
        )
        self.known = tuple(known)


class VendorNotImplementedError(VendorError, LookupError):
    """The slug is one of the vendors Green Check reads, but this version has no chain for it."""

    def __init__(self, vendor: str) -> None:
        VendorError.__init__(
            self,
            vendor,
            f"vendor: {vendor!r} is a known vendor but its gram-extraction chain is not implemented in this version",
            field="vendor",
            value=vendor,
        )


class NotApplicableError(VendorError):
    """The integration is wholesale (or otherwise never sells to a retail customer): grams do not apply."""

    def __init__(self, vendor: str, reason: str) -> None:
        VendorError.__init__(self, vendor, f"vendor: gram extraction is not applicable: {reason}", field="vendor",
                             value=vendor)
        self.reason = reason


class VendorFieldError(VendorError, InvalidValueError):
    """A field holds a value that can never be right for it. Raised instead of falling back, because reading the
    next field of the chain past a corrupt value could give a different, wrong number of grams."""

    def __init__(self, vendor: str, field: str, value: Any, reason: str) -> None:
        VendorError.__init__(self, vendor, f"{field}: {reason} (got {describe_value(value)})", field=field,
                             value=value)
        self.reason = reason


class NoGramsError(VendorError, MissingDataError):
    """Every step of the chain was skipped. ``trace`` holds each step and why it was skipped; ``field`` lists the
    fields tried. Missing grams are never reported as zero: a sale without grams cannot be checked."""

    def __init__(self, vendor: str, fields: Sequence[str], trace: Sequence[TraceStep]) -> None:
        reasons = "; ".join(f"{step.step}: {step.reason}" for step in trace if step.outcome.value == "skipped")
        tried = ", ".join(fields)
        VendorError.__init__(
            self,
            vendor,
            f"no grams: no step of the chain found a usable value ({reasons or 'nothing was tried'})",
            field=tried,
            value=None,
        )
        self.reason = "no step of the chain found a usable value"
        self.fields = tuple(fields)
        self.trace = tuple(trace)


class NoQuantityError(VendorError, MissingDataError):
    """A weight per unit was found, but the sale line does not say how many units were sold: the quantity is
    missing, or 0 (a line of zero units sold is a void or a count never filled in, and is not read as zero grams)."""

    def __init__(self, vendor: str, field: str, value: Any = None, *, zero: bool = False,
                 also: Sequence[str] = ()) -> None:
        what = "is 0, which counts as not set" if zero else "is missing"
        if also:
            what += f" (and is not set under {', '.join(also)} either)"
        VendorError.__init__(
            self,
            vendor,
            f"{field}: the line's quantity {what}, so a weight per unit cannot become the line's grams",
            field=field,
            value=value,
        )
        self.also = tuple(also)
        self.reason = "quantity is 0" if zero else "quantity missing"
        self.zero = zero
