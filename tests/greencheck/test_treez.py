"""Treez: the Amount for Grams products and deli-style flower; the open branch (neither) decided and tested."""

from __future__ import annotations

from typing import Any

import pytest

from fe_compliance.greencheck import Basis, NoGramsError, NoQuantityError, VendorFieldError, extract_grams, extract_many
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import Example, VendorTestBase, approx, assert_field_error

VENDOR = "treez"
SOURCE = "product.product_configurable_fields.amount"


def product(amount: Any = 3.5, uom: Any = "GRAMS", subtype: Any = "PRE-PACK", category: Any = "FLOWER",
            **extra: Any) -> dict[str, Any]:
    fields = {"amount": amount, "uom": uom, "subtype": subtype, **extra}
    return {"product_id": "p-1", "category_type": category,
            "product_configurable_fields": {key: value for key, value in fields.items() if value is not None}}


PREPACK = product()
DELI = product(amount=1, uom=None, subtype="Bulk Flower")
GUMMIES = product(amount=100, uom="MILLIGRAMS", subtype="GUMMIES", category="EDIBLE")


class TestTreez(VendorTestBase):
    vendor = VENDOR
    examples = (
        Example("pre-pack in GRAMS", PREPACK, {"quantity": 2}, 7.0, SOURCE),
        Example("deli flower without a unit of measure", DELI, {"quantity": 3.5}, 3.5, SOURCE),
        Example("deli flower in ounces", product(amount=0.125, uom="OUNCES", subtype="BULK FLOWER"), {"quantity": 1},
                GRAMS_PER_OUNCE / 8, SOURCE),
        Example("neither: edible in MILLIGRAMS", GUMMIES, {"quantity": 2}, 0.2, SOURCE),
    )

    def test_grams_branch_trace(self) -> None:
        result = extract_grams(VENDOR, product=PREPACK, sale_line={"quantity": 2})
        assert result.step == "amount (unit of measure Grams)"
        assert result.basis is Basis.PRODUCT_WEIGHT and result.per_unit_value == 3.5 and result.quantity == 2
        assert result.trace[0].reason == f"{SOURCE} = 3.5 GRAMS -> 3.5 g per unit"

    @pytest.mark.parametrize("uom", ["GRAMS", "Grams", "grams", "GRAM", "g"])
    def test_grams_spellings(self, uom: str) -> None:
        result = extract_grams(VENDOR, product=product(uom=uom), sale_line={"quantity": 1})
        assert result.step == "amount (unit of measure Grams)" and result.grams_value == 3.5

    def test_deli_in_grams_takes_the_grams_step(self) -> None:
        result = extract_grams(VENDOR, product=product(amount=1, subtype="Bulk Flower"), sale_line={"quantity": 7})
        assert result.step == "amount (unit of measure Grams)" and result.grams_value == 7.0

    @pytest.mark.parametrize("subtype", ["Bulk Flower", "BULK FLOWER", "bulk", "Deli", "deli style"])
    def test_deli_without_unit_is_grams(self, subtype: str) -> None:
        result = extract_grams(VENDOR, product=product(amount=2, uom=None, subtype=subtype),
                               sale_line={"quantity": 1})
        assert result.step == "amount of deli-style flower" and result.grams_value == 2.0
        assert "weighed by the gram" in result.trace[1].reason

    def test_deli_in_milligrams_is_converted(self) -> None:
        result = extract_grams(VENDOR, product=product(amount=500, uom="MILLIGRAMS", subtype="Bulk Flower"),
                               sale_line={"quantity": 2})
        assert result.step == "amount of deli-style flower" and result.grams_value == approx(1.0)

    @pytest.mark.parametrize(("uom", "why"), [("EACH", "a count"), ("MILLILITERS", "a volume"), ("%", "a percentage"),
                                              ("SCOOPS", "not a unit spelling the library reads")])
    def test_deli_with_a_count_or_volume_is_no_grams(self, uom: str, why: str) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams(VENDOR, product=product(amount=1, uom=uom, subtype="Bulk Flower"),
                          sale_line={"quantity": 1})
        assert why in caught.value.trace[1].reason
        assert [step.outcome.value for step in caught.value.trace] == ["skipped"] * 3

    @pytest.mark.parametrize(("uom", "grams"), [("MILLIGRAMS", 0.1), ("mg", 0.1), ("OUNCES", 100 * GRAMS_PER_OUNCE),
                                                ("KILOGRAMS", 100_000.0)])
    def test_neither_branch_converts_another_weight_unit(self, uom: str, grams: float) -> None:
        result = extract_grams(VENDOR, product=product(amount=100, uom=uom, subtype="PRE-PACK"),
                               sale_line={"quantity": 1})
        assert result.step == "amount in another weight unit (neither deli nor Grams)"
        assert result.grams_value == approx(grams)

    @pytest.mark.parametrize(("uom", "why"), [
        ("EACH", "'EACH', a count, not a weight"),
        ("MILLILITERS", "'MILLILITERS', a volume, not a weight"),
        (None, "uom is missing, so the value's unit is unknown"),
    ])
    def test_neither_branch_count_volume_or_no_unit_is_no_grams_never_zero(self, uom: Any, why: str) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams(VENDOR, product=product(amount=10, uom=uom, subtype="PRE-PACK", category="PILL"),
                          sale_line={"quantity": 1})
        error = caught.value
        assert error.vendor == VENDOR
        assert why in error.trace[2].reason
        assert "does not apply" in error.trace[0].reason and "does not apply" in error.trace[1].reason

    def test_no_subtype_and_no_uom(self) -> None:
        with pytest.raises(NoGramsError):
            extract_grams(VENDOR, product={"product_configurable_fields": {"amount": 3.5}}, sale_line={"quantity": 1})

    @pytest.mark.parametrize("amount", [None, 0, "0", ""])
    def test_no_amount_is_no_grams(self, amount: Any) -> None:
        for record in (product(amount=amount), product(amount=amount, uom=None, subtype="Bulk Flower"),
                       product(amount=amount, uom="MILLIGRAMS")):
            with pytest.raises(NoGramsError):
                extract_grams(VENDOR, product=record, sale_line={"quantity": 1})

    def test_missing_quantity(self) -> None:
        with pytest.raises(NoQuantityError) as caught:
            extract_grams(VENDOR, product=PREPACK, sale_line={})
        assert caught.value.field == "sale_line.quantity"

    @pytest.mark.parametrize(("changes", "field"), [
        ({"amount": "3,5"}, SOURCE), ({"amount": "abc"}, SOURCE), ({"amount": -1}, SOURCE),
        ({"amount": float("nan")}, SOURCE), ({"amount": [3.5]}, SOURCE), ({"amount": True}, SOURCE),
        ({"uom": 5}, "product.product_configurable_fields.uom"),
        ({"uom": {"name": "GRAMS"}}, "product.product_configurable_fields.uom"),
        ({"uom": None, "subtype": ["Bulk Flower"]}, "product.product_configurable_fields.subtype"),
    ])
    def test_bad_values_name_vendor_field_and_value(self, changes: dict[str, Any], field: str) -> None:
        record = product(**{"amount": 3.5, "uom": "GRAMS", "subtype": "PRE-PACK", **changes})
        assert_field_error(VENDOR, record, {"quantity": 1}, field)

    @pytest.mark.parametrize("subtype", ["Bulk Flower", "PRE-PACK"])
    def test_bad_amount_on_each_branch_is_an_error(self, subtype: str) -> None:
        with pytest.raises(VendorFieldError):
            extract_grams(VENDOR, product=product(amount="1,5", uom=None, subtype=subtype), sale_line={"quantity": 1})

    def test_configurable_fields_not_an_object(self) -> None:
        with pytest.raises(VendorFieldError) as caught:
            extract_grams(VENDOR, product={"product_configurable_fields": "GRAMS"}, sale_line={"quantity": 1})
        assert caught.value.field.startswith("product.product_configurable_fields")

    def test_plausibility_pre_roll_keyed_in_milligrams_as_grams(self) -> None:
        result = extract_grams(VENDOR, product=product(amount=1000, category="PREROLL"), sale_line={"quantity": 1})
        assert {warning.code for warning in result.warnings} == {"pre_roll_heavy", "unit_over_pound",
                                                                 "line_over_kilogram"}

    def test_plausible_sale_has_no_warnings(self) -> None:
        result = extract_grams(VENDOR, product=product(category="PREROLL", amount=1), sale_line={"quantity": 2})
        assert result.warnings == ()

    def test_bulk_path(self) -> None:
        lines = [(PREPACK, {"quantity": 1}), (DELI, {"quantity": 2}), (GUMMIES, {"quantity": 1}),
                 (product(uom="EACH"), {"quantity": 1})]
        bulk = extract_many(VENDOR, lines)
        assert bulk.grams[:3] == [3.5, 2.0, approx(0.1)]
        assert isinstance(bulk.errors[3], NoGramsError)
