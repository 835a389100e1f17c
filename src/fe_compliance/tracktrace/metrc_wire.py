"""Metrc's JSON wire format: neutral models to PascalCase bodies and back. No I/O here.

Everything follows the project's reference ``metrc-api.md`` (the community OpenAPI file gives field lists only):

* A receipt body carries every documented key, ``null`` for empty ones, in the documented order, and a POST body
  is a list (section "Sales receipts").
* ``SalesDateTime`` is facility-local time without an offset, written ``%Y-%m-%dT%H:%M:%S.000``, from an aware
  time converted to the facility's zone (sections "Metrc transport" and "Massachusetts specifics"). When clocks go
  back, the repeated hour is written the same way twice: the wire cannot tell them apart.
* ``UnitOfMeasure`` follows the item's quantity type: a count-based item is sold in ``Each``, a weight-based one
  in a weight unit (section "Items, categories, units": the units and their quantity types).
* Reading accepts both transaction field sets (``Quantity``/``UnitOfMeasure``/``TotalAmount`` and
  ``QuantitySold``/``UnitOfMeasureName``/``TotalPrice``), a look-up answered as a list, one object or a ``Data``
  wrapper, and ignores unknown keys. Keys are matched case-insensitively (the OpenAPI file spells them camelCase).

Any answer of the wrong shape raises :class:`~fe_compliance.tracktrace.errors.ResponseFormatError` naming the
field; the adapter turns it into a typed error through ``map_failure``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from ..errors import InvalidValueError
from .errors import ResponseFormatError
from .models import (
    Item,
    ItemCategory,
    Patient,
    QuantityType,
    Receipt,
    ReceiptLine,
    Sale,
    SaleLine,
    UnitOfMeasure,
)

__all__ = [
    "ITEM_UPDATE_KEYS",
    "RECEIPT_KEYS",
    "TRANSACTION_KEYS",
    "format_sales_datetime",
    "item_to_wire",
    "page_rows",
    "parse_item",
    "parse_item_category",
    "parse_patient",
    "parse_receipt",
    "parse_unit_of_measure",
    "receipts_of_lookup",
    "sale_to_wire",
    "unit_for_line",
]

# metrc-api.md, "Sales receipts": the documented POST body, every key in this order.
RECEIPT_KEYS = (
    "SalesDateTime",
    "ExternalReceiptNumber",
    "SalesCustomerType",
    "PatientLicenseNumber",
    "CaregiverLicenseNumber",
    "IdentificationMethod",
    "PatientRegistrationLocationId",
    "Transactions",
)
TRANSACTION_KEYS = (
    "PackageLabel",
    "Quantity",
    "UnitOfMeasure",
    "TotalAmount",
    "UnitThcPercent",
    "UnitThcContent",
    "UnitThcContentUnitOfMeasure",
    "UnitWeight",
    "UnitWeightUnitOfMeasure",
    "InvoiceNumber",
    "Price",
    "ExciseTax",
    "CityTax",
    "CountyTax",
    "MunicipalTax",
    "DiscountAmount",
    "SubTotal",
    "SalesTax",
    "QrCodes",
)
# metrc-api.md, "Items, categories, units" (GET /items/v2/active field list) minus the fields Metrc derives from
# the category (ProductCategoryType, QuantityType); the OpenAPI PutItemsRequest schema has each of them.
ITEM_UPDATE_KEYS = (
    "Id",
    "Name",
    "ProductCategoryName",
    "UnitOfMeasureName",
    "UnitThcPercent",
    "UnitThcContent",
    "UnitThcContentUnitOfMeasureName",
    "UnitWeight",
    "UnitWeightUnitOfMeasureName",
    "UnitVolume",
    "UnitVolumeUnitOfMeasureName",
    "ServingSize",
    "SupplyDurationDays",
    "NumberOfDoses",
)

# metrc-api.md: GET /unitsofmeasure/v1/active gives Each/ea, Ounces/oz, Pounds/lb, Grams/g, Milligrams/mg,
# Kilograms/kg with their quantity types. Volume units are not listed there; names below are accepted as given.
_KNOWN_UNITS: dict[str, tuple[str, QuantityType]] = {
    "each": ("Each", QuantityType.COUNT),
    "ea": ("Each", QuantityType.COUNT),
    "ounces": ("Ounces", QuantityType.WEIGHT),
    "oz": ("Ounces", QuantityType.WEIGHT),
    "pounds": ("Pounds", QuantityType.WEIGHT),
    "lb": ("Pounds", QuantityType.WEIGHT),
    "grams": ("Grams", QuantityType.WEIGHT),
    "g": ("Grams", QuantityType.WEIGHT),
    "milligrams": ("Milligrams", QuantityType.WEIGHT),
    "mg": ("Milligrams", QuantityType.WEIGHT),
    "kilograms": ("Kilograms", QuantityType.WEIGHT),
    "kg": ("Kilograms", QuantityType.WEIGHT),
}


def format_sales_datetime(moment: dt.datetime, zone: ZoneInfo) -> str:
    """``SalesDateTime`` text: the aware ``moment`` in the facility's ``zone``, no offset, ``.000`` milliseconds."""
    if not isinstance(moment, dt.datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidValueError("sold_at", moment, "must be a timezone-aware datetime")
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S.000")


def unit_for_line(line: SaleLine) -> str:
    """The Metrc ``UnitOfMeasure`` of a line: its own unit, checked against the item's quantity type.

    A count-based item is sold in ``Each`` (given or not); a known weight unit on a count-based item, or ``Each`` on
    a weight-based one, is refused before anything is sent.
    """
    given = line.unit_of_measure
    known = _KNOWN_UNITS.get(given.lower()) if given is not None else None
    if given is None:
        if line.quantity_type is QuantityType.COUNT:
            return "Each"
        raise InvalidValueError("unit_of_measure", None, "is required for an item that is not count-based")
    if known is None:
        return given
    name, unit_type = known
    if line.quantity_type is not None and unit_type is not line.quantity_type:
        raise InvalidValueError(
            "unit_of_measure",
            given,
            f"is {unit_type.value} but package {line.package_label}'s item is {line.quantity_type.value}",
        )
    return name


def _transaction(line: SaleLine) -> dict[str, Any]:
    wire: dict[str, Any] = dict.fromkeys(TRANSACTION_KEYS)
    wire["PackageLabel"] = line.package_label
    wire["Quantity"] = line.quantity
    wire["UnitOfMeasure"] = unit_for_line(line)
    wire["TotalAmount"] = float(line.amount)
    return wire


def sale_to_wire(sale: Sale, zone: ZoneInfo, *, receipt_id: int | None = None) -> dict[str, Any]:
    """One receipt object of a POST (or, with ``receipt_id``, a PUT) body; the caller wraps it in a list."""
    wire: dict[str, Any] = {}
    if receipt_id is not None:
        wire["Id"] = receipt_id
    wire.update(dict.fromkeys(RECEIPT_KEYS))
    wire["SalesDateTime"] = format_sales_datetime(sale.sold_at, zone)
    wire["ExternalReceiptNumber"] = sale.external_receipt_number
    wire["SalesCustomerType"] = sale.customer_type.value
    wire["PatientLicenseNumber"] = sale.patient_license_number
    wire["CaregiverLicenseNumber"] = sale.caregiver_license_number
    wire["IdentificationMethod"] = sale.identification_method
    wire["PatientRegistrationLocationId"] = sale.patient_registration_location_id
    wire["Transactions"] = [_transaction(line) for line in sale.lines]
    return wire


def item_to_wire(item: Item) -> dict[str, Any]:
    """One object of an item update body (v2 ``PUT /items/v2``, v1 ``POST /items/v1/update``)."""
    if not item.id.isdigit():
        raise InvalidValueError("item.id", item.id, "must be Metrc's numeric item id")
    return {
        "Id": int(item.id),
        "Name": item.name,
        "ProductCategoryName": item.category_name,
        "UnitOfMeasureName": item.unit_of_measure,
        "UnitThcPercent": item.unit_thc_percent,
        "UnitThcContent": item.unit_thc_content,
        "UnitThcContentUnitOfMeasureName": item.unit_thc_content_unit,
        "UnitWeight": item.unit_weight,
        "UnitWeightUnitOfMeasureName": item.unit_weight_unit,
        "UnitVolume": item.unit_volume,
        "UnitVolumeUnitOfMeasureName": item.unit_volume_unit,
        "ServingSize": item.serving_size,
        "SupplyDurationDays": item.supply_duration_days,
        "NumberOfDoses": item.number_of_doses,
    }


# ----------------------------------------------------------------------------- reading


class _Fields:
    """Case-insensitive, typed access to one JSON object of an answer; errors name ``what.Field``."""

    __slots__ = ("_data", "_what")

    def __init__(self, data: Any, what: str) -> None:
        if not isinstance(data, Mapping):
            raise ResponseFormatError(f"{what}: expected a JSON object, got {type(data).__name__}")
        self._data = {str(key).lower(): value for key, value in data.items()}
        self._what = what

    def raw(self, *names: str) -> Any:
        for name in names:
            value = self._data.get(name.lower())
            if value is not None:
                return value
        return None

    def _bad(self, name: str, value: Any, expected: str) -> ResponseFormatError:
        shown = repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        return ResponseFormatError(f"{self._what}.{name}: expected {expected}, got {shown}")

    def text(self, *names: str) -> str | None:
        value = self.raw(*names)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self._bad(names[0], value, "text")
        text = str(value).strip()
        return text or None

    def required_text(self, *names: str) -> str:
        value = self.text(*names)
        if value is None:
            raise ResponseFormatError(f"{self._what}.{names[0]}: missing")
        return value

    def ident(self, *names: str) -> str:
        value = self.raw(*names)
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**18:
            return str(value)
        if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 19:
            return value.strip()
        if value is None:
            raise ResponseFormatError(f"{self._what}.{names[0]}: missing")
        raise self._bad(names[0], value, "a numeric id")

    def number(self, *names: str) -> float | None:
        value = self.raw(*names)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._bad(names[0], value, "a number")
        try:
            number = float(value)
        except OverflowError:
            raise self._bad(names[0], value, "a number of sensible size") from None
        if not math.isfinite(number):
            raise self._bad(names[0], value, "a finite number")
        return number

    def whole(self, *names: str) -> int | None:
        number = self.number(*names)
        if number is None:
            return None
        if number != int(number) or abs(number) > 10**15:
            raise self._bad(names[0], self.raw(*names), "a whole number")
        return int(number)

    def money(self, *names: str) -> Decimal | None:
        number = self.number(*names)
        if number is None:
            return None
        try:
            return Decimal(repr(number))
        except InvalidOperation:  # pragma: no cover - a finite float always converts
            raise self._bad(names[0], number, "an amount") from None

    def flag(self, *names: str) -> bool | None:
        value = self.raw(*names)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise self._bad(names[0], value, "true or false")
        return value

    def moment(self, name: str, zone: ZoneInfo, *, naive_is_local: bool) -> dt.datetime | None:
        """An ISO time; one without an offset is facility-local (``naive_is_local``) or UTC."""
        value = self.text(name)
        if value is None:
            return None
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise self._bad(name, value, "an ISO date and time") from None
        if moment.tzinfo is None:
            return moment.replace(tzinfo=zone if naive_is_local else dt.UTC)
        return moment

    def day(self, name: str) -> dt.date | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            raise self._bad(name, value, "an ISO date") from None

    def quantity_type(self, name: str) -> QuantityType | None:
        value = self.text(name)
        if value is None:
            return None
        for member in QuantityType:
            if member.value.lower() == value.lower():
                return member
        raise self._bad(name, value, "WeightBased, CountBased or VolumeBased")

    def rows(self, name: str) -> list[Any]:
        value = self.raw(name)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._bad(name, value, "a list")
        return value


def _receipt_line(data: Any, what: str) -> ReceiptLine:
    fields = _Fields(data, what)
    return ReceiptLine(
        package_label=fields.text("PackageLabel"),
        quantity=fields.number("Quantity", "QuantitySold"),
        unit_of_measure=fields.text("UnitOfMeasure", "UnitOfMeasureName"),
        amount=fields.money("TotalAmount", "TotalPrice"),
    )


# The keys a receipt (and its lines) can carry as Metrc spells them: metrc-api.md's read fields and both transaction
# field sets, with the write-side line keys of the POST body. A row using only these exact spellings, with values
# of the plain JSON types, is read by _plain_receipt; anything else (another spelling, an unknown key, an odd type)
# goes the general, case-insensitive way of _Fields, which also words the errors.
_PLAIN_RECEIPT_KEYS = frozenset({
    "Id", "ReceiptNumber", "ExternalReceiptNumber", "SalesDateTime", "SalesCustomerType", "PatientLicenseNumber",
    "CaregiverLicenseNumber", "IdentificationMethod", "PatientRegistrationLocationId", "TotalPackages", "TotalPrice",
    "Transactions", "IsFinal", "ArchivedDate", "RecordedDateTime", "RecordedByUserName", "LastModified",
})
_PLAIN_LINE_KEYS = frozenset({
    "PackageLabel", "Quantity", "UnitOfMeasure", "TotalAmount", "UnitThcPercent", "UnitThcContent",
    "UnitThcContentUnitOfMeasure", "UnitWeight", "UnitWeightUnitOfMeasure", "InvoiceNumber", "Price", "ExciseTax",
    "CityTax", "CountyTax", "MunicipalTax", "DiscountAmount", "SubTotal", "SalesTax", "QrCodes", "QuantitySold",
    "UnitOfMeasureName", "TotalPrice",
})

_PLAIN_RECEIPT_TEXTS = (
    "ExternalReceiptNumber", "ReceiptNumber", "SalesCustomerType", "PatientLicenseNumber", "CaregiverLicenseNumber",
)


class _NotPlainError(Exception):
    """A value _plain_receipt leaves to the general reader (which accepts it or words the error)."""


def _plain_text(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is not str:
        raise _NotPlainError
    return value.strip() or None


def _plain_money(value: Any) -> Decimal | None:
    if value is None:
        return None
    if type(value) is not float or not math.isfinite(value):
        raise _NotPlainError
    return Decimal(repr(value))


def _plain_moment(value: Any, zone: dt.tzinfo) -> dt.datetime | None:
    text = _plain_text(value)
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise _NotPlainError from None
    if moment.tzinfo is not None:
        return moment
    return dt.datetime.combine(moment.date(), moment.time(), zone)  # = replace(tzinfo=zone), at a fifth of its cost


def _plain_line(data: Any) -> ReceiptLine:
    if type(data) is not dict or not data.keys() <= _PLAIN_LINE_KEYS:
        raise _NotPlainError
    quantity = data.get("Quantity")
    if quantity is None:
        quantity = data.get("QuantitySold")
    if quantity is not None and (type(quantity) is not float or not math.isfinite(quantity)):
        raise _NotPlainError
    unit = data.get("UnitOfMeasure")
    amount = data.get("TotalAmount")
    return ReceiptLine(
        package_label=_plain_text(data.get("PackageLabel")),
        quantity=quantity,
        unit_of_measure=_plain_text(unit if unit is not None else data.get("UnitOfMeasureName")),
        amount=_plain_money(amount if amount is not None else data.get("TotalPrice")),
    )


def _plain_receipt(data: Any, zone: ZoneInfo) -> Receipt:
    """The common case of :func:`parse_receipt` (a row as Metrc writes it) at a fraction of the cost; it gives the
    same ``Receipt`` as the general reader or raises ``_NotPlainError`` to hand the row over to it."""
    if type(data) is not dict or not data.keys() <= _PLAIN_RECEIPT_KEYS:
        raise _NotPlainError
    receipt_id = data.get("Id")
    if type(receipt_id) is not int or not 0 <= receipt_id < 10**18:
        raise _NotPlainError
    lines = data.get("Transactions")
    if lines is None:
        lines = []
    elif type(lines) is not list:
        raise _NotPlainError
    is_final = data.get("IsFinal")
    if is_final is not None and type(is_final) is not bool:
        raise _NotPlainError
    texts = []
    for key in _PLAIN_RECEIPT_TEXTS:
        value = data.get(key)
        if value is not None:
            if type(value) is not str:
                raise _NotPlainError
            value = value.strip() or None
        texts.append(value)
    external, receipt_number, customer_type, patient, caregiver = texts
    archived = data.get("ArchivedDate")
    return Receipt(
        id=str(receipt_id),
        external_receipt_number=external,
        receipt_number=receipt_number,
        sold_at=_plain_moment(data.get("SalesDateTime"), zone),
        customer_type=customer_type,
        patient_license_number=patient,
        caregiver_license_number=caregiver,
        lines=tuple([_plain_line(line) for line in lines]),
        total_price=_plain_money(data.get("TotalPrice")),
        is_final=is_final,
        archived_at=None if archived is None else _plain_moment(archived, dt.UTC),
        last_modified=_plain_moment(data.get("LastModified"), dt.UTC),
    )


def parse_receipt(data: Any, zone: ZoneInfo) -> Receipt:
    """A receipt object of any answer (read fields of metrc-api.md; either transaction field set)."""
    try:
        return _plain_receipt(data, zone)
    except _NotPlainError:
        pass
    fields = _Fields(data, "receipt")
    return Receipt(
        id=fields.ident("Id"),
        external_receipt_number=fields.text("ExternalReceiptNumber"),
        receipt_number=fields.text("ReceiptNumber"),
        sold_at=fields.moment("SalesDateTime", zone, naive_is_local=True),
        customer_type=fields.text("SalesCustomerType"),
        patient_license_number=fields.text("PatientLicenseNumber"),
        caregiver_license_number=fields.text("CaregiverLicenseNumber"),
        lines=tuple(
            _receipt_line(line, f"receipt.Transactions[{index}]")
            for index, line in enumerate(fields.rows("Transactions"))
        ),
        total_price=fields.money("TotalPrice"),
        is_final=fields.flag("IsFinal"),
        archived_at=fields.moment("ArchivedDate", zone, naive_is_local=False),
        last_modified=fields.moment("LastModified", zone, naive_is_local=False),
    )


def parse_patient(data: Any) -> Patient:
    """A Massachusetts patient (``/patients/v{1,2}/active``): license, dates, exemption; no demographics."""
    fields = _Fields(data, "patient")
    patient_id = fields.raw("PatientId")
    return Patient(
        license_number=fields.required_text("LicenseNumber", "PatientLicenseNumber"),
        patient_id=fields.ident("PatientId") if patient_id is not None else None,
        registration_date=fields.day("RegistrationDate"),
        license_effective_start=fields.day("LicenseEffectiveStartDate"),
        license_effective_end=fields.day("LicenseEffectiveEndDate"),
        has_sales_limit_exemption=fields.flag("HasSalesLimitExemption"),
        recommended_smokable_quantity=fields.number("RecommendedSmokableQuantity"),
        recommended_plants=fields.whole("RecommendedPlants"),
    )


def parse_item(data: Any) -> Item:
    """An item of ``/items/v{1,2}/active``."""
    fields = _Fields(data, "item")
    return Item(
        id=fields.ident("Id"),
        name=fields.required_text("Name"),
        category_name=fields.text("ProductCategoryName"),
        category_type=fields.text("ProductCategoryType"),
        quantity_type=fields.quantity_type("QuantityType"),
        unit_of_measure=fields.text("UnitOfMeasureName"),
        unit_thc_percent=fields.number("UnitThcPercent"),
        unit_thc_content=fields.number("UnitThcContent"),
        unit_thc_content_unit=fields.text("UnitThcContentUnitOfMeasureName"),
        unit_weight=fields.number("UnitWeight"),
        unit_weight_unit=fields.text("UnitWeightUnitOfMeasureName"),
        unit_volume=fields.number("UnitVolume"),
        unit_volume_unit=fields.text("UnitVolumeUnitOfMeasureName"),
        serving_size=fields.text("ServingSize"),
        supply_duration_days=fields.whole("SupplyDurationDays"),
        number_of_doses=fields.whole("NumberOfDoses"),
    )


def parse_item_category(data: Any) -> ItemCategory:
    """An item category of ``/items/v{1,2}/categories``."""
    fields = _Fields(data, "item category")
    return ItemCategory(
        name=fields.required_text("Name"),
        category_type=fields.text("ProductCategoryType"),
        quantity_type=fields.quantity_type("QuantityType"),
        requires_unit_thc_content=fields.flag("RequiresUnitThcContent"),
        requires_unit_weight=fields.flag("RequiresUnitWeight"),
        requires_unit_volume=fields.flag("RequiresUnitVolume"),
    )


def parse_unit_of_measure(data: Any) -> UnitOfMeasure:
    """A unit of ``/unitsofmeasure/v{1,2}/active``: ``{QuantityType, Name, Abbreviation}``."""
    fields = _Fields(data, "unit of measure")
    return UnitOfMeasure(
        name=fields.required_text("Name"),
        abbreviation=fields.text("Abbreviation"),
        quantity_type=fields.quantity_type("QuantityType"),
    )


def page_rows(data: Any) -> tuple[list[Any], int | None]:
    """The rows of a list answer and, for a v2 ``Data`` wrapper, its ``TotalPages`` (None when not given).

    A v1 list is a bare JSON list; a v2 list comes in ``{"Data": [...], "TotalPages": n, ...}``.
    """
    if isinstance(data, list):
        return data, None
    fields = _Fields(data, "list")
    if fields.raw("Data") is None and "data" not in {str(k).lower() for k in data}:
        raise ResponseFormatError("list: expected a JSON list or a Data wrapper")
    return fields.rows("Data"), fields.whole("TotalPages")


def receipts_of_lookup(data: Any) -> list[Any]:
    """The receipt objects of an external-number look-up: a list, one object, or a ``Data`` wrapper; null: none."""
    if data is None:
        return []
    if isinstance(data, list):
        return data
    if isinstance(data, Mapping):
        lowered = {str(key).lower() for key in data}
        if "data" in lowered and "id" not in lowered:
            rows, _pages = page_rows(data)
            return rows
        return [data]
    raise ResponseFormatError(
        f"receipt look-up: expected a list, an object or a Data wrapper, got {type(data).__name__}"
    )
