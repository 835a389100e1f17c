"""The customer at the counter, as far as purchase limits care.

:class:`~fe_compliance.CustomerType` (medical or recreational) picks the limits and keys the FE definitions, as in
the seed. Everything else a state's limits may depend on is an attribute here, read by the packs through their
rules' conditions: residency (Illinois halves non-residents' limits), age (Colorado medical patients aged 18-20),
caregiver status, exemptions (New Jersey's terminally ill patients, Massachusetts' sales-limit exemption), the
certification date (for a medical period anchored to it) and an allotment override.

An allotment override replaces the cap of the customer's budget (every budget, or the one named by
``override_limit``); it never touches a sub-cap, because the overlap of a total and a category cap is exactly
what overrides are known to break.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from ..categories import CustomerType
from ..errors import InvalidValueError
from ..units import mass_to_grams, parse_quantity
from .timeutil import optional_date

__all__ = ["SALES_LIMIT_EXEMPTION", "TERMINALLY_ILL", "Customer"]

TERMINALLY_ILL: Final = "terminally_ill"
"""Exemption name: a patient certified as terminally ill (New Jersey exempts them from the medical limit)."""
SALES_LIMIT_EXEMPTION: Final = "sales_limit_exemption"
"""Exemption name: a Massachusetts patient exempt from the sales limit (as recorded in MassCIP)."""


def _customer_type(value: object) -> CustomerType:
    parsed = CustomerType.parse(value)
    if parsed is CustomerType.ALL:
        raise InvalidValueError("customer_type", value, "a customer is either medical or recreational, not all")
    return parsed


def _exemptions(values: Iterable[str]) -> frozenset[str]:
    if isinstance(values, str):
        values = (values,)
    if not isinstance(values, Iterable) or isinstance(values, Mapping):
        raise InvalidValueError("exemptions", values, "expected exemption names such as 'terminally_ill'")
    result = []
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise InvalidValueError("exemptions", value, "expected exemption names such as 'terminally_ill'")
        result.append(value.strip().lower())
    return frozenset(result)


def _birth_date(value: object) -> dt.date | None:
    """``None``, a date, or an ISO date text (``"1980-01-31"``); anything else is refused."""
    return optional_date(value, field="birth_date")


def _certification_date(value: object) -> dt.date | None:
    return optional_date(value, field="certification_date")


def _optional_bool(field: str) -> Any:
    def check(instance: object, attribute: object, value: object) -> None:
        if value is not None and not isinstance(value, bool):
            raise InvalidValueError(field, value, "expected True, False or None (unknown)")

    return check


def _optional_text(field: str) -> Any:
    def check(instance: object, attribute: object, value: object) -> None:
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise InvalidValueError(field, value, "expected a limit code such as 'ma_med_60_day', or None")

    return check


def _text_id(instance: object, attribute: object, value: object) -> None:
    if not isinstance(value, str):
        raise InvalidValueError("customer_id", value, "expected text (empty when the customer is anonymous)")


@attrs.frozen(slots=True, kw_only=True)
class Customer:
    """A customer record. ``None`` means unknown: a limit that depends on an unknown attribute is an error."""

    customer_type: CustomerType = attrs.field(converter=_customer_type)
    customer_id: str = attrs.field(default="", validator=_text_id)
    resident: bool | None = attrs.field(default=None, validator=_optional_bool("resident"))
    birth_date: dt.date | None = attrs.field(default=None, converter=_birth_date)
    caregiver: bool | None = attrs.field(default=False, validator=_optional_bool("caregiver"))
    exemptions: frozenset[str] = attrs.field(factory=frozenset, converter=_exemptions)
    certification_date: dt.date | None = attrs.field(default=None, converter=_certification_date)
    allotment_override: Any = attrs.field(default=None)
    override_limit: str | None = attrs.field(default=None, validator=_optional_text("override_limit"))
    _override_grams: float | None = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        grams: float | None = None
        if self.allotment_override is not None:
            grams = mass_to_grams(self.allotment_override, field="allotment_override")
            object.__setattr__(
                self, "allotment_override", parse_quantity(self.allotment_override, field="allotment_override")
            )
        elif self.override_limit is not None:
            raise InvalidValueError("override_limit", self.override_limit, "names a limit but no allotment_override")
        object.__setattr__(self, "_override_grams", grams)

    @property
    def override_grams(self) -> float | None:
        """The allotment override in grams, or ``None``."""
        return self._override_grams

    def age_on(self, day: dt.date) -> int | None:
        """Whole years of age on ``day`` (``None`` when the birth date is unknown)."""
        born = self.birth_date
        if born is None:
            return None
        years = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        return years

    def has_exemption(self, name: str) -> bool:
        return name.strip().lower() in self.exemptions
