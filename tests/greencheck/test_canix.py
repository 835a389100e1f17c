"""Canix: the product's weight converted by its weight unit, times the units sold."""

from __future__ import annotations

import math
from typing import Any

import pytest

from fe_compliance.greencheck import Basis, NoGramsError, NoQuantityError, extract_grams
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import Example, VendorTestBase, approx, assert_field_error


def _result(weight: Any, unit: Any, quantity: Any = 1) -> Any:
    return extract_grams("canix", product={"weight": weight, "weight_unit": unit}, sale_line={"quantity": quantity})


class TestCanix(VendorTestBase):
    vendor = "canix"
    examples = (
        Example("grams", {"weight": 3.5, "weight_unit": "Grams"}, {"quantity": 2}, 7.0, "product.weight"),
        Example("milligrams", {"weight": "500", "weight_unit": "mg"}, {"quantity": 3}, 1.5, "product.weight"),
        Example("ounces", {"weight": 0.125, "weight_unit": "oz"}, {"quantity": 1}, GRAMS_PER_OUNCE / 8,
                "product.weight"),
    )

    @pytest.mark.parametrize(("unit", "grams_per"), [
        ("g", 1.0), ("G", 1.0), ("gram", 1.0), ("GRAMS", 1.0), ("Milligrams", 0.001), ("kg", 1000.0),
        ("Ounces", GRAMS_PER_OUNCE), ("lbs", 16 * GRAMS_PER_OUNCE), ("Pounds", 16 * GRAMS_PER_OUNCE),
    ])
    def test_every_mass_spelling_converts(self, unit: str, grams_per: float) -> None:
        result = _result(2, unit)
        assert result.grams_value == approx(2 * grams_per)
        assert result.per_unit_value == approx(2 * grams_per)
        assert result.basis is Basis.PRODUCT_WEIGHT

    @pytest.mark.parametrize(("unit", "why"), [
        (None, "missing, so the value's unit is unknown"), ("", "missing"), ("Each", "a count"),
        ("ea", "a count"), ("ml", "a volume"), ("fl oz", "a volume"), ("%", "a percentage"),
        ("stone", "not a unit spelling the library reads"),
    ])
    def test_a_weight_without_a_mass_unit_is_no_grams(self, unit: Any, why: str) -> None:
        with pytest.raises(NoGramsError) as caught:
            _result(3.5, unit)
        assert why in caught.value.trace[0].reason
        assert caught.value.field == "product.weight"

    @pytest.mark.parametrize("weight", [None, 0, "", " "])
    def test_no_weight_is_no_grams_never_zero(self, weight: Any) -> None:
        with pytest.raises(NoGramsError):
            _result(weight, "g")

    @pytest.mark.parametrize(("weight", "unit", "field", "words"), [
        ("1,5", "g", "product.weight", "ambiguous"), (-1, "g", "product.weight", "negative"),
        (math.nan, "g", "product.weight", "finite"), ("3.5g", "g", "product.weight", "plain decimal"),
        ({"value": 1}, "g", "product.weight", "an object"), (3.5, 1, "product.weight_unit", "written as text"),
        (3.5, ["g"], "product.weight_unit", "written as text"), (True, "g", "product.weight", "true/false"),
    ])
    def test_bad_values_name_the_vendor_field_and_value(self, weight: Any, unit: Any, field: str,
                                                        words: str) -> None:
        assert_field_error("canix", {"weight": weight, "weight_unit": unit}, {"quantity": 1}, field, words)

    def test_thousands_of_milligrams(self) -> None:
        assert _result("1,000", "mg").grams_value == approx(1.0)

    def test_trace_shows_the_conversion(self) -> None:
        result = _result(0.5, "Ounces", quantity=2)
        assert result.trace[0].reason == "product.weight = 0.5 Ounces -> 14.1748 g per unit"
        assert result.grams_value == approx(GRAMS_PER_OUNCE)

    def test_missing_quantity(self) -> None:
        with pytest.raises(NoQuantityError):
            extract_grams("canix", product={"weight": 1, "weight_unit": "g"}, sale_line={"quantity": None})

    def test_plausibility_pounds_per_unit(self) -> None:
        result = _result(2, "lbs", quantity=2)
        assert {warning.code for warning in result.warnings} == {"unit_over_pound", "line_over_kilogram"}

    def test_plausible_sale_has_no_warnings(self) -> None:
        assert _result(3.5, "g", quantity=4).warnings == ()
