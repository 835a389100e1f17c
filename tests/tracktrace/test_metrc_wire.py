"""The JSON the Metrc adapter sends equals metrc-api.md's documented example key for key, and every field it
sends or reads exists (case-insensitively) in the community OpenAPI schema, except the keys the reference
documents and the OpenAPI file lacks (listed here; where they disagree the reference wins)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from fe_compliance.errors import InvalidValueError
from fe_compliance.tracktrace import metrc_wire
from fe_compliance.tracktrace.errors import ResponseFormatError
from fe_compliance.tracktrace.metrc_wire import (
    format_sales_datetime,
    item_to_wire,
    page_rows,
    parse_item,
    parse_item_category,
    parse_patient,
    parse_receipt,
    parse_unit_of_measure,
    receipts_of_lookup,
    sale_to_wire,
    unit_for_line,
)
from fe_compliance.tracktrace.models import Item, QuantityType, Sale, SaleCustomerType, SaleLine

NY = ZoneInfo("America/New_York")
UTC = dt.UTC
SCHEMAS: dict[str, list[str]] = json.loads(
    (Path(__file__).parent / "data" / "metrc_openapi_fields.json").read_text(encoding="utf-8")
)["schemas"]

# metrc-api.md, "Sales receipts": the documented POST body (copied as data; the reference is the source).
DOCUMENTED_POST = """
[{"SalesDateTime":"2016-10-04T16:44:53.000","ExternalReceiptNumber":"ABC-1234",
  "SalesCustomerType":"Consumer","PatientLicenseNumber":null,"CaregiverLicenseNumber":null,
  "IdentificationMethod":null,"PatientRegistrationLocationId":null,
  "Transactions":[{"PackageLabel":"ABCDEF012345670000010331","Quantity":1.0,"UnitOfMeasure":"Ounces",
     "TotalAmount":9.99,"UnitThcPercent":null,"UnitThcContent":null,"UnitThcContentUnitOfMeasure":null,
     "UnitWeight":null,"UnitWeightUnitOfMeasure":null,"InvoiceNumber":null,"Price":null,"ExciseTax":null,
     "CityTax":null,"CountyTax":null,"MunicipalTax":null,"DiscountAmount":null,"SubTotal":null,
     "SalesTax":null,"QrCodes":null}]}]
"""

# Keys metrc-api.md documents for a receipt POST that the OpenAPI request schemas lack. The reference wins.
DOCUMENTED_NOT_IN_OPENAPI = {
    "patientregistrationlocationid",
    "unitthcpercent",
    "unitthccontent",
    "unitthccontentunitofmeasure",
    "unitweight",
    "unitweightunitofmeasure",
    "invoicenumber",
    "price",
    "excisetax",
    "citytax",
    "countytax",
    "municipaltax",
    "discountamount",
    "subtotal",
    "salestax",
    "qrcodes",
}


def schema_fields(*names: str) -> set[str]:
    return {field.lower() for name in names for field in SCHEMAS[name]}


def documented_sale() -> Sale:
    # 16:44:53 in New York on 4 October 2016 (EDT, UTC-4), given in UTC to prove the zone conversion.
    return Sale(
        external_receipt_number="ABC-1234",
        sold_at=dt.datetime(2016, 10, 4, 20, 44, 53, 999_000, tzinfo=UTC),
        customer_type=SaleCustomerType.CONSUMER,
        lines=[SaleLine("ABCDEF012345670000010331", 1.0, "Ounces", Decimal("9.99"))],
    )


def test_post_body_equals_the_documented_example_key_for_key() -> None:
    sent = [sale_to_wire(documented_sale(), NY)]
    expected = json.loads(DOCUMENTED_POST)
    assert sent == expected
    assert list(sent[0]) == list(expected[0])
    assert list(sent[0]["Transactions"][0]) == list(expected[0]["Transactions"][0])
    # and the exact JSON types: a float quantity and amount, nulls present
    assert json.dumps(sent, sort_keys=True) == json.dumps(expected, sort_keys=True)


def test_put_body_carries_the_id_first() -> None:
    wire = sale_to_wire(documented_sale(), NY, receipt_id=7)
    assert next(iter(wire)) == "Id" and wire["Id"] == 7
    assert {k.lower() for k in wire} <= schema_fields(
        "PutSaleReceiptsRequest", "SaleReceipt"
    ) | DOCUMENTED_NOT_IN_OPENAPI


def test_every_key_sent_exists_in_the_openapi_schema_or_is_a_listed_reference_key() -> None:
    wire = sale_to_wire(documented_sale(), NY)
    receipt_keys = {k.lower() for k in wire} - {"transactions"}
    line_keys = {k.lower() for k in wire["Transactions"][0]}
    receipt_schema = schema_fields("PostSaleReceiptsRequest", "SaleReceipt")
    line_schema = schema_fields("SaleReceiptTransaction")
    unknown = (receipt_keys - receipt_schema) | (line_keys - line_schema)
    # Exactly the listed keys: a new key outside both sources would fail here.
    assert unknown == DOCUMENTED_NOT_IN_OPENAPI
    item = item_to_wire(Item(id="5", name="Buds A"))
    assert {k.lower() for k in item} <= schema_fields("PutItemsRequest")


class _Recorder:
    def __init__(self) -> None:
        self.names: set[str] = set()


def _read_names(monkeypatch: pytest.MonkeyPatch, parse: Any, sample: Any) -> set[str]:
    recorder = _Recorder()
    original = metrc_wire._Fields.raw

    def raw(self: Any, *names: str) -> Any:
        recorder.names.update(n.lower() for n in names)
        return original(self, *names)

    monkeypatch.setattr(metrc_wire._Fields, "raw", raw)
    parse(sample)
    return recorder.names


def test_every_field_read_exists_in_the_openapi_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    receipt = {"Id": 1, "Transactions": [{"PackageLabel": "X"}]}
    names = _read_names(monkeypatch, lambda d: parse_receipt(d, NY), receipt)
    assert names <= schema_fields("SaleReceipt", "SaleReceiptTransaction", "SaleTransaction")
    assert _read_names(monkeypatch, parse_patient, {"LicenseNumber": "P"}) <= schema_fields("Patient", "PatientStatus")
    assert _read_names(monkeypatch, parse_item, {"Id": 1, "Name": "n"}) <= schema_fields("Item")
    assert _read_names(monkeypatch, parse_item_category, {"Name": "n"}) <= schema_fields("ItemCategory")
    assert _read_names(monkeypatch, parse_unit_of_measure, {"Name": "n"}) <= schema_fields("UnitOfMeasure")
    assert _read_names(monkeypatch, page_rows, {"Data": [], "TotalPages": 1}) <= schema_fields(
        "SaleReceiptMetrcWrapper"
    )


def test_sales_datetime_is_facility_local_without_offset() -> None:
    winter = dt.datetime(2024, 1, 15, 17, 0, 0, tzinfo=UTC)
    assert format_sales_datetime(winter, NY) == "2024-01-15T12:00:00.000"
    summer = dt.datetime(2024, 7, 15, 17, 0, 0, 123456, tzinfo=UTC)
    assert format_sales_datetime(summer, NY) == "2024-07-15T13:00:00.000"
    with pytest.raises(InvalidValueError):
        format_sales_datetime(dt.datetime(2024, 1, 1), NY)


def test_the_repeated_hour_reads_the_same_on_the_wire() -> None:
    # 2024-11-03 01:30 happens twice in New York; both instants are written identically (documented limitation).
    first = dt.datetime(2024, 11, 3, 5, 30, tzinfo=UTC)
    second = dt.datetime(2024, 11, 3, 6, 30, tzinfo=UTC)
    assert format_sales_datetime(first, NY) == format_sales_datetime(second, NY) == "2024-11-03T01:30:00.000"


@pytest.mark.parametrize(
    ("unit", "quantity_type", "expected"),
    [
        ("Grams", QuantityType.WEIGHT, "Grams"),
        ("g", None, "Grams"),
        ("oz", QuantityType.WEIGHT, "Ounces"),
        ("ea", QuantityType.COUNT, "Each"),
        (None, QuantityType.COUNT, "Each"),
        ("Fluid Ounces", QuantityType.VOLUME, "Fluid Ounces"),
    ],
)
def test_unit_of_measure_follows_the_quantity_type(
    unit: str | None, quantity_type: QuantityType | None, expected: str
) -> None:
    assert unit_for_line(SaleLine("P1", 1, unit, 1, quantity_type)) == expected


@pytest.mark.parametrize(
    ("unit", "quantity_type"),
    [("Grams", QuantityType.COUNT), ("Each", QuantityType.WEIGHT), ("g", QuantityType.VOLUME)],
)
def test_a_unit_contradicting_the_item_is_refused(unit: str, quantity_type: QuantityType) -> None:
    with pytest.raises(InvalidValueError) as info:
        unit_for_line(SaleLine("P1", 1, unit, 1, quantity_type))
    assert info.value.field == "unit_of_measure"


def test_receipts_read_with_either_transaction_field_set() -> None:
    write_names = {
        "Id": 11,
        "ExternalReceiptNumber": "E1",
        "SalesDateTime": "2016-10-04T16:44:53.000",
        "Transactions": [{"PackageLabel": "P", "Quantity": 2, "UnitOfMeasure": "Grams", "TotalAmount": 9.99}],
        "SomethingNew": {"x": 1},
    }
    read_names = dict(write_names)
    read_names["Transactions"] = [
        {"PackageLabel": "P", "QuantitySold": 2, "UnitOfMeasureName": "Grams", "TotalPrice": 9.99}
    ]
    a, b = parse_receipt(write_names, NY), parse_receipt(read_names, NY)
    assert a == b
    assert a.id == "11" and a.lines[0].quantity == 2.0 and a.lines[0].amount == Decimal("9.99")
    assert a.sold_at == dt.datetime(2016, 10, 4, 16, 44, 53, tzinfo=NY)
    camel = parse_receipt(
        {
            "id": 11,
            "externalReceiptNumber": "E1",
            "salesDateTime": "2016-10-04T16:44:53.000",
            "transactions": [{"packageLabel": "P", "quantity": 2, "unitOfMeasure": "Grams", "totalAmount": 9.99}],
        },
        NY,
    )
    assert camel == a


def test_lookup_shapes() -> None:
    one = {"Id": 1, "ExternalReceiptNumber": "E"}
    assert receipts_of_lookup([one]) == [one]
    assert receipts_of_lookup(one) == [one]
    assert receipts_of_lookup({"Data": [one], "Total": 1}) == [one]
    assert receipts_of_lookup({"Data": []}) == []
    assert receipts_of_lookup([]) == [] and receipts_of_lookup(None) == []
    with pytest.raises(ResponseFormatError):
        receipts_of_lookup("nope")


@pytest.mark.parametrize(
    "bad",
    [
        {"Id": True},
        {"Id": "abc"},
        {"Id": 1, "SalesDateTime": "yesterday"},
        {"Id": 1, "Transactions": {"a": 1}},
        {"Id": 1, "Transactions": [{"Quantity": "two"}]},
        {"Id": 1, "TotalPrice": 1e400},
        {"Id": 1, "IsFinal": "yes"},
        [1, 2],
    ],
)
def test_malformed_receipts_raise_a_format_error_naming_the_field(bad: Any) -> None:
    with pytest.raises(ResponseFormatError):
        parse_receipt(bad, NY)


def test_patient_item_category_unit() -> None:
    patient = parse_patient(
        {
            "PatientId": 5,
            "LicenseNumber": "PTN-1",
            "LicenseEffectiveStartDate": "2023-01-01",
            "LicenseEffectiveEndDate": "2026-01-01T00:00:00",
            "HasSalesLimitExemption": True,
            "RecommendedSmokableQuantity": 10.0,
            "FirstName": "never read",
        }
    )
    assert patient.license_effective_end == dt.date(2026, 1, 1) and patient.has_sales_limit_exemption is True
    assert not hasattr(patient, "first_name")
    item = parse_item({"Id": 3, "Name": "Gummies", "QuantityType": "CountBased", "UnitOfMeasureName": "Each"})
    assert item.quantity_type is QuantityType.COUNT
    category = parse_item_category({"Name": "Infused", "QuantityType": "CountBased", "RequiresUnitWeight": True})
    assert category.requires_unit_weight is True
    unit = parse_unit_of_measure({"QuantityType": "WeightBased", "Name": "Grams", "Abbreviation": "g"})
    assert unit.abbreviation == "g" and unit.quantity_type is QuantityType.WEIGHT
    with pytest.raises(ResponseFormatError):
        parse_item({"Id": 3, "Name": "x", "QuantityType": "ByMood"})


def test_page_rows_shapes() -> None:
    assert page_rows([1, 2]) == ([1, 2], None)
    assert page_rows({"Data": [1], "TotalPages": 3}) == ([1], 3)
    with pytest.raises(ResponseFormatError):
        page_rows({"Items": []})
    with pytest.raises(ResponseFormatError):
        page_rows({"Data": [], "TotalPages": 1.5})
