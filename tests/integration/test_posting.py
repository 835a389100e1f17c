"""What a MassCIP sale carries on the wire: packages with quantity, unit by the item's quantity type, amount; the
patient's and caregiver's license for a medical sale; never a flower equivalent (seed 000)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fe_compliance.errors import InvalidValueError
from fe_compliance.integration import MassCIPSettings, sale_line_for
from fe_compliance.tracktrace import Item, QuantityType, Sale

from .helpers import ALICE_KEY, LICENSE, fake_metrc, make_integration

PREROLL = Item(id="1", name="Pre-Roll 1g", quantity_type=QuantityType.COUNT)
BUDS = Item(id="2", name="Blue Dream", quantity_type=QuantityType.WEIGHT)


def test_unit_of_measure_follows_the_items_quantity_type() -> None:
    assert sale_line_for(PREROLL, "1A40000000000000000000AA", 2, "20.00").unit_of_measure == "Each"
    assert sale_line_for(BUDS, "1A40000000000000000000BB", 3.5, "35.00").unit_of_measure == "Grams"
    with pytest.raises(InvalidValueError, match="quantity_type"):
        sale_line_for(Item(id="3", name="Tincture", quantity_type=QuantityType.VOLUME), "1A4000000000000000000CC", 1,
                      "9.00")
    with pytest.raises(InvalidValueError):
        sale_line_for(Item(id="4", name="Unknown"), "1A40000000000000000000DD", 1, "9.00")


def test_a_caregiver_sale_posts_packages_and_licenses_and_no_flower_equivalent() -> None:
    sale = Sale(
        external_receipt_number="MED-1", sold_at=dt.datetime(2026, 12, 4, 16, 0, tzinfo=dt.UTC),
        customer_type="Caregiver", patient_license_number="PT-777", caregiver_license_number="CG-555",
        lines=[sale_line_for(PREROLL, "1A40000000000000000000AA", 2, Decimal("20.00")),
               sale_line_for(BUDS, "1A40000000000000000000BB", 3.5, Decimal("35.00"))],
    )
    with fake_metrc() as fake:
        with make_integration(fake, MassCIPSettings(), {"alice": ALICE_KEY}) as integration:
            assert integration.checkout(sale, user_id="alice", license_number=LICENSE).outcome == "posted"
        body = next(r for r in fake.requests if r.method == "POST").json()
    receipt = body[0]
    assert receipt["PatientLicenseNumber"] == "PT-777" and receipt["CaregiverLicenseNumber"] == "CG-555"
    lines = receipt["Transactions"]
    assert [(t["PackageLabel"], t["Quantity"], t["UnitOfMeasure"]) for t in lines] == [
        ("1A40000000000000000000AA", 2, "Each"), ("1A40000000000000000000BB", 3.5, "Grams")]
    assert [Decimal(str(t["TotalAmount"])) for t in lines] == [Decimal("20.00"), Decimal("35.00")]
    text = str(body).lower()
    assert "equivalen" not in text and "fe_grams" not in text, "no flower equivalent is transmitted"
