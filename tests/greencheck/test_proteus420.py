"""Proteus420: the product's MMJ weight, in grams, times the units sold."""

from __future__ import annotations

from typing import Any

import pytest

from fe_compliance.greencheck import Basis, NoGramsError, NoQuantityError, VendorFieldError, extract_grams, extract_many

from .common import Example, VendorTestBase, approx, assert_field_error

VENDOR = "proteus420"
EIGHTH = {"name": "Blue Dream 1/8", "mmjWeight": 3.5}


class TestProteus420(VendorTestBase):
    vendor = VENDOR
    examples = (
        Example("eighths", EIGHTH, {"quantity": 2}, 7.0, "product.mmjWeight"),
        Example("pre-roll weight as text", {"mmjWeight": "0.75"}, {"quantity": "4"}, 3.0, "product.mmjWeight"),
    )

    def test_grams_per_unit_times_quantity(self) -> None:
        result = extract_grams(VENDOR, product=EIGHTH, sale_line={"quantity": 3})
        assert result.per_unit_value == 3.5 and result.quantity == 3 and result.grams_value == approx(10.5)
        assert result.basis is Basis.PRODUCT_WEIGHT
        assert result.trace[0].reason == "product.mmjWeight = 3.5 g -> 3.5 g per unit"

    def test_fractional_quantity(self) -> None:
        assert extract_grams(VENDOR, product={"mmjWeight": 1}, sale_line={"quantity": 2.5}).grams_value == 2.5

    @pytest.mark.parametrize("weight", [None, 0, 0.0, "0", "", "   "])
    def test_no_mmj_weight_is_no_grams_not_zero(self, weight: Any) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams(VENDOR, product={"mmjWeight": weight}, sale_line={"quantity": 1})
        assert caught.value.vendor == VENDOR
        assert caught.value.fields == ("product.mmjWeight",)

    def test_other_spellings_of_the_label_are_not_guessed(self) -> None:
        for key in ("MMJ Weight", "MMJWeight", "mmj_weight"):
            with pytest.raises(NoGramsError):
                extract_grams(VENDOR, product={key: 3.5}, sale_line={"quantity": 1})

    def test_missing_quantity(self) -> None:
        with pytest.raises(NoQuantityError) as caught:
            extract_grams(VENDOR, product=EIGHTH, sale_line={"qty": 1})
        assert caught.value.field == "sale_line.quantity"

    def test_zero_quantity_is_not_set_never_zero_grams(self) -> None:
        with pytest.raises(NoQuantityError) as caught:
            extract_grams(VENDOR, product=EIGHTH, sale_line={"quantity": "0"})
        assert caught.value.value == "0" and "is 0, which counts as not set" in str(caught.value)

    @pytest.mark.parametrize(("field", "bad"), [
        ("mmjWeight", "3,5"), ("mmjWeight", "three"), ("mmjWeight", -3.5), ("mmjWeight", "-1"),
        ("mmjWeight", float("inf")), ("mmjWeight", [3.5]), ("mmjWeight", {"g": 3.5}), ("mmjWeight", False),
        ("quantity", "1,5"), ("quantity", float("nan")), ("quantity", {"n": 1}),
    ])
    def test_bad_values_name_vendor_field_and_value(self, field: str, bad: Any) -> None:
        product, line = dict(EIGHTH), {"quantity": 1}
        (product if field == "mmjWeight" else line)[field] = bad
        where = "product" if field == "mmjWeight" else "sale_line"
        assert_field_error(VENDOR, product, line, f"{where}.{field}")

    def test_thousands_read_and_flagged(self) -> None:
        result = extract_grams(VENDOR, product={"mmjWeight": "1,000"}, sale_line={"quantity": 1})
        assert result.grams_value == 1000.0
        assert {warning.code for warning in result.warnings} == {"unit_over_pound", "line_over_kilogram"}

    def test_bulk_keeps_going_after_bad_lines(self) -> None:
        bulk = extract_many(VENDOR, [(EIGHTH, {"quantity": 2}), ({"mmjWeight": -1}, {"quantity": 1}),
                                     ({}, {"quantity": 1}), (EIGHTH, {})])
        assert bulk.grams == [7.0, None, None, None]
        assert isinstance(bulk.errors[1], VendorFieldError)
        assert isinstance(bulk.errors[2], NoGramsError)
        assert isinstance(bulk.errors[3], NoQuantityError)
