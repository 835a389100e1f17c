"""The neutral models refuse bad sales at construction and carry no flower-equivalent field (seed 000)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
import pytest

from fe_compliance.errors import FEComplianceError, InvalidValueError
from fe_compliance.tracktrace import models
from fe_compliance.tracktrace.models import QuantityType, Sale, SaleCustomerType, SaleLine

NY = ZoneInfo("America/New_York")


def line(**changes: object) -> SaleLine:
    values: dict[str, object] = {
        "package_label": "ABCDEF012345670000010331",
        "quantity": 1.0,
        "unit_of_measure": "Ounces",
        "amount": "9.99",
    }
    values.update(changes)
    return SaleLine(**values)  # type: ignore[arg-type]


def sale(**changes: object) -> Sale:
    values: dict[str, object] = {
        "external_receipt_number": "ABC-1234",
        "sold_at": dt.datetime(2016, 10, 4, 16, 44, 53, tzinfo=NY),
        "customer_type": "Consumer",
        "lines": [line()],
    }
    values.update(changes)
    return Sale(**values)  # type: ignore[arg-type]


def test_a_valid_sale_is_built_and_frozen() -> None:
    s = sale()
    assert s.customer_type is SaleCustomerType.CONSUMER
    assert s.lines[0].amount == Decimal("9.99")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        s.external_receipt_number = "X"  # type: ignore[misc]
    assert attrs.evolve(s) == s  # converters are idempotent


def test_no_model_has_a_flower_equivalent_field() -> None:
    for name in models.__all__:
        cls = getattr(models, name)
        if attrs.has(cls):
            for field in attrs.fields(cls):
                assert "equivalen" not in field.name and field.name != "fe", (name, field.name)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sold_at": dt.datetime(2016, 10, 4, 16, 44, 53)}, "sold_at"),
        ({"sold_at": "2016-10-04T16:44:53"}, "sold_at"),
        ({"external_receipt_number": "  "}, "external_receipt_number"),
        ({"external_receipt_number": "A\nB"}, "external_receipt_number"),
        ({"external_receipt_number": "x" * 101}, "external_receipt_number"),
        ({"customer_type": "Tourist"}, "customer_type"),
        ({"lines": []}, "lines"),
        ({"lines": "abc"}, "lines"),
        ({"lines": [{"package_label": "x"}]}, "lines"),
        ({"customer_type": "Patient"}, "patient_license_number"),
        ({"customer_type": "Caregiver", "patient_license_number": "P-1"}, "caregiver_license_number"),
        ({"patient_registration_location_id": -1}, "patient_registration_location_id"),
        ({"patient_registration_location_id": True}, "patient_registration_location_id"),
    ],
)
def test_bad_sales_are_refused_naming_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        sale(**changes)
    assert info.value.field == field
    assert isinstance(info.value, FEComplianceError)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": -1.0}, "quantity"),
        ({"quantity": float("nan")}, "quantity"),
        ({"quantity": float("inf")}, "quantity"),
        ({"quantity": "1"}, "quantity"),
        ({"quantity": True}, "quantity"),
        ({"amount": "-1"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": "ten"}, "amount"),
        ({"amount": None}, "amount"),
        ({"package_label": ""}, "package_label"),
        ({"unit_of_measure": None}, "unit_of_measure"),
        ({"unit_of_measure": 3}, "unit_of_measure"),
        ({"quantity_type": "CountBased"}, "quantity_type"),
    ],
)
def test_bad_lines_are_refused_naming_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        line(**changes)
    assert info.value.field == field


def test_a_count_line_may_leave_the_unit_to_its_quantity_type() -> None:
    counted = line(unit_of_measure=None, quantity_type=QuantityType.COUNT, quantity=2)
    assert counted.unit_of_measure is None and counted.quantity == 2.0


def test_float_amounts_keep_their_decimal_digits() -> None:
    assert line(amount=9.99).amount == Decimal("9.99")


def test_customer_type_spellings() -> None:
    assert sale(customer_type="external_patient", patient_license_number="P").customer_type is (
        SaleCustomerType.EXTERNAL_PATIENT
    )
