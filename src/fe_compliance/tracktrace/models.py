"""Neutral models of what a point of sale reports to a track-and-trace system, and what it reads back.

These classes belong to no vendor: each adapter maps them to its system's wire format (the Metrc adapter to
PascalCase JSON, a BioTrack adapter to its ``sale_dispense`` action), so nothing of one system's shape leaks into
the code that uses them. All are frozen, slotted attrs classes validated at construction: a bad sale never exists.

A :class:`Sale` carries no flower equivalent and has no field for one. Massachusetts' MassCIP computes allotments
from the grams/concentration the sale reports; the POS's flower equivalent is used only to limit sales at the
register and is never transmitted (seeds/000_ccfae62b51cd6f41.txt, "Things to know").

How to use: build a :class:`Sale` from a finished checkout and give it to ``post_sale`` of any
:class:`~fe_compliance.tracktrace.protocol.TrackAndTrace`; keep ``external_receipt_number`` unique per sale, it is
how the sale is found again when an outcome is unknown. Read-side models (:class:`Receipt`, :class:`Patient`,
:class:`Item`, :class:`ItemCategory`, :class:`UnitOfMeasure`) tolerate absent fields as ``None``: the systems
leave many empty.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from ..errors import InvalidValueError

__all__ = [
    "Item",
    "ItemCategory",
    "Patient",
    "PostedSale",
    "QuantityType",
    "Receipt",
    "ReceiptLine",
    "Sale",
    "SaleCustomerType",
    "SaleLine",
    "UnitOfMeasure",
]


class SaleCustomerType(enum.Enum):
    """Who bought. The Massachusetts values of Metrc's ``SalesCustomerType`` (reference/metrc-api.md)."""

    CONSUMER = "Consumer"
    PATIENT = "Patient"
    CAREGIVER = "Caregiver"
    EXTERNAL_PATIENT = "ExternalPatient"


class QuantityType(enum.Enum):
    """How an item is counted: by weight, by count (each) or by volume (Metrc ``QuantityType``)."""

    WEIGHT = "WeightBased"
    COUNT = "CountBased"
    VOLUME = "VolumeBased"


def _to_customer_type(value: Any) -> SaleCustomerType:
    if isinstance(value, SaleCustomerType):
        return value
    if isinstance(value, str):
        folded = value.replace(" ", "").replace("_", "").lower()
        for member in SaleCustomerType:
            if member.value.lower() == folded:
                return member
    raise InvalidValueError("customer_type", value, f"must be one of {', '.join(m.value for m in SaleCustomerType)}")


def _optional_text(field: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValueError(field, value, "must be text or None")
    text = value.strip()
    if any(ord(c) < 32 for c in text):
        raise InvalidValueError(field, value, "must not contain control characters")
    return text or None


def _required_text(field: str, value: Any, max_len: int = 100) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(field, value, "must be non-blank text")
    text = value.strip()
    if len(text) > max_len:
        raise InvalidValueError(field, value, f"must be at most {max_len} characters")
    if any(ord(c) < 32 for c in text):
        raise InvalidValueError(field, value, "must not contain control characters")
    return text


def _package_label(value: Any) -> str:
    return _required_text("package_label", value)


def _external_receipt_number(value: Any) -> str:
    return _required_text("external_receipt_number", value)


def _unit_of_measure(value: Any) -> str | None:
    return _optional_text("unit_of_measure", value)


def _patient_license_number(value: Any) -> str | None:
    return _optional_text("patient_license_number", value)


def _caregiver_license_number(value: Any) -> str | None:
    return _optional_text("caregiver_license_number", value)


def _identification_method(value: Any) -> str | None:
    return _optional_text("identification_method", value)


def _positive_quantity(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise InvalidValueError("quantity", value, "must be a number")
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise InvalidValueError("quantity", value, "must be a finite number above zero")
    return number


def _amount(value: Any) -> Decimal:
    field = "amount"
    if isinstance(value, bool):
        raise InvalidValueError(field, value, "must be an amount of money")
    try:
        if isinstance(value, Decimal):
            amount = value
        elif isinstance(value, float):
            amount = Decimal(repr(value))  # 9.99 stays 9.99, not its binary neighbour
        elif isinstance(value, (int, str)):
            amount = Decimal(value)
        else:
            raise InvalidValueError(field, value, "must be an amount of money")
    except InvalidOperation:
        raise InvalidValueError(field, value, "must be an amount of money") from None
    if not amount.is_finite() or amount < 0:
        raise InvalidValueError(field, value, "must be a finite amount of at least zero")
    return amount


def _aware(field: str) -> Any:
    def check(_instance: Any, _attribute: Any, value: Any) -> None:
        if not isinstance(value, dt.datetime):
            raise InvalidValueError(field, value, "must be a datetime")
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidValueError(
                field, value, "must be timezone-aware (a naive time cannot be placed in the facility's zone)"
            )

    return check


@attrs.frozen(slots=True)
class SaleLine:
    """One line of a sale: which package, how much of it, and what was charged.

    ``unit_of_measure`` is the unit the quantity is counted in, as the system names it (``"Grams"``, ``"Each"``);
    it may be left ``None`` when ``quantity_type`` is COUNT (then it is "Each"). ``quantity_type`` is the item's
    quantity type when the POS knows it; adapters use it to refuse a unit that contradicts the item.
    """

    package_label: str = attrs.field(converter=_package_label)
    quantity: float = attrs.field(converter=_positive_quantity)
    unit_of_measure: str | None = attrs.field(converter=_unit_of_measure)
    amount: Decimal = attrs.field(converter=_amount)
    quantity_type: QuantityType | None = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        if self.quantity_type is not None and not isinstance(self.quantity_type, QuantityType):
            raise InvalidValueError("quantity_type", self.quantity_type, "must be a QuantityType or None")
        if self.unit_of_measure is None and self.quantity_type is not QuantityType.COUNT:
            raise InvalidValueError(
                "unit_of_measure", None, "is required unless the item's quantity type is COUNT (then it is Each)"
            )


def _lines(value: Any) -> tuple[SaleLine, ...]:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise InvalidValueError("lines", value, "must be a sequence of SaleLine")
    lines = tuple(value)
    if not lines:
        raise InvalidValueError("lines", value, "a sale needs at least one line")
    for line in lines:
        if not isinstance(line, SaleLine):
            raise InvalidValueError("lines", line, "every line must be a SaleLine")
    return lines


@attrs.frozen(slots=True)
class Sale:
    """A finished sale to report. There is deliberately no flower-equivalent field (seed 000).

    ``external_receipt_number`` is the POS's own id for the sale, unique per sale: it is the only way to find the
    sale again in the system after an outcome-unknown failure. ``sold_at`` must be timezone-aware; adapters
    convert it to the facility's zone. Patient and external-patient sales need the patient's license number,
    caregiver sales the caregiver's and the patient's: without them the system cannot charge the patient's
    allotment (seed 000: MassCIP allotments go through Metrc).
    """

    external_receipt_number: str = attrs.field(converter=_external_receipt_number)
    sold_at: dt.datetime = attrs.field(validator=_aware("sold_at"))
    customer_type: SaleCustomerType = attrs.field(converter=_to_customer_type)
    lines: tuple[SaleLine, ...] = attrs.field(converter=_lines)
    patient_license_number: str | None = attrs.field(default=None, converter=_patient_license_number)
    caregiver_license_number: str | None = attrs.field(default=None, converter=_caregiver_license_number)
    identification_method: str | None = attrs.field(default=None, converter=_identification_method)
    patient_registration_location_id: int | None = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        needs_patient = self.customer_type in (
            SaleCustomerType.PATIENT,
            SaleCustomerType.CAREGIVER,
            SaleCustomerType.EXTERNAL_PATIENT,
        )
        if needs_patient and self.patient_license_number is None:
            raise InvalidValueError(
                "patient_license_number", None, f"is required for a {self.customer_type.value} sale"
            )
        if self.customer_type is SaleCustomerType.CAREGIVER and self.caregiver_license_number is None:
            raise InvalidValueError("caregiver_license_number", None, "is required for a Caregiver sale")
        location = self.patient_registration_location_id
        if location is not None and (isinstance(location, bool) or not isinstance(location, int) or location < 0):
            raise InvalidValueError("patient_registration_location_id", location, "must be a non-negative integer")


@attrs.frozen(slots=True)
class PostedSale:
    """What the system said when it took a sale: its id for the receipt when it gives one, and any warnings."""

    external_receipt_number: str
    receipt_id: str | None = None
    warnings: tuple[str, ...] = ()


@attrs.frozen(slots=True)
class ReceiptLine:
    """One line of a receipt as read back; any field the system left out is None."""

    package_label: str | None = None
    quantity: float | None = None
    unit_of_measure: str | None = None
    amount: Decimal | None = None


@attrs.frozen(slots=True)
class Receipt:
    """A receipt as the system holds it, with the system's id (as text, whatever the system's id type).

    ``sold_at`` is aware (adapters place the system's local time in the facility's zone). ``customer_type`` is the
    system's spelling as read, since a system may add types this library does not know yet.
    """

    id: str
    external_receipt_number: str | None = None
    receipt_number: str | None = None
    sold_at: dt.datetime | None = None
    customer_type: str | None = None
    patient_license_number: str | None = None
    caregiver_license_number: str | None = None
    lines: tuple[ReceiptLine, ...] = ()
    total_price: Decimal | None = None
    is_final: bool | None = None
    archived_at: dt.datetime | None = None
    last_modified: dt.datetime | None = None


@attrs.frozen(slots=True)
class Patient:
    """A medical patient's registration as the system holds it; no demographics (seed 000: none are retrieved).

    Massachusetts fields (reference/metrc-api.md, patients): ``has_sales_limit_exemption``,
    ``recommended_smokable_quantity`` and the license's effective start and end dates.
    """

    license_number: str
    patient_id: str | None = None
    registration_date: dt.date | None = None
    license_effective_start: dt.date | None = None
    license_effective_end: dt.date | None = None
    has_sales_limit_exemption: bool | None = None
    recommended_smokable_quantity: float | None = None
    recommended_plants: int | None = None


@attrs.frozen(slots=True)
class Item:
    """A product the facility sells, as registered in the system (Metrc "item"). Its id is the system's."""

    id: str
    name: str
    category_name: str | None = None
    category_type: str | None = None
    quantity_type: QuantityType | None = None
    unit_of_measure: str | None = None
    unit_thc_percent: float | None = None
    unit_thc_content: float | None = None
    unit_thc_content_unit: str | None = None
    unit_weight: float | None = None
    unit_weight_unit: str | None = None
    unit_volume: float | None = None
    unit_volume_unit: str | None = None
    serving_size: str | None = None
    supply_duration_days: int | None = None
    number_of_doses: int | None = None


@attrs.frozen(slots=True)
class ItemCategory:
    """A product category of the system, with the quantity type and the unit data it requires."""

    name: str
    category_type: str | None = None
    quantity_type: QuantityType | None = None
    requires_unit_thc_content: bool | None = None
    requires_unit_weight: bool | None = None
    requires_unit_volume: bool | None = None


@attrs.frozen(slots=True)
class UnitOfMeasure:
    """A unit the system accepts: its name (``"Grams"``), abbreviation (``"g"``) and quantity type."""

    name: str
    abbreviation: str | None = None
    quantity_type: QuantityType | None = None
