"""Canix: the sales-order line's weight in its weight unit; Each lines are the count times the item's unit weight.

Shapes from Canix's public OpenAPI v1.3.10 (vendor-fields.md, Canix): an item has `unit_weight` and
`unit_weight_unit` (and its own `weight_unit`, how it is counted), a sales-order line (`contents[]`) has `weight` and
`weight_unit`, and no `quantity`.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from fe_compliance.greencheck import Basis, NoGramsError, NoQuantityError, extract_grams, extract_many
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import Example, VendorTestBase, approx, assert_field_error

PRE_ROLL_ITEM = {"id": 77, "name": "Pre-Roll 1g", "weight_unit": "Each", "unit_weight": 1, "unit_weight_unit": "Grams"}
CART_ITEM = {"id": 78, "name": "Cart 500mg", "weight_unit": "Each", "unit_weight": 500,
             "unit_weight_unit": "Milligrams"}
BULK_ITEM = {"id": 79, "name": "Bulk Flower", "weight_unit": "Grams", "unit_weight": None, "unit_weight_unit": None}


def _line(weight: Any, unit: Any) -> dict[str, Any]:
    return {"item_id": 77, "weight": weight, "weight_unit": unit, "price": 100}


class TestCanix(VendorTestBase):
    vendor = "canix"
    examples = (
        Example("bulk line in grams", BULK_ITEM, _line(448, "Grams"), 448.0, "sale_line.weight"),
        Example("line in ounces", BULK_ITEM, _line(0.5, "Ounces"), GRAMS_PER_OUNCE / 2, "sale_line.weight"),
        Example("Each line: count x unit weight", PRE_ROLL_ITEM, _line(20, "Each"), 20.0, "product.unit_weight"),
        Example("Each line, unit weight in mg", CART_ITEM, _line(3, "Each"), 1.5, "product.unit_weight"),
    )

    def test_a_grams_line_is_the_whole_line_not_multiplied(self) -> None:
        result = extract_grams("canix", product=PRE_ROLL_ITEM, sale_line=_line(448, "Grams"))
        assert result.grams_value == 448.0 and result.per_unit_value is None and result.quantity is None
        assert result.basis is Basis.WEIGHT_SOLD
        assert result.trace[0].reason == "sale_line.weight = 448 Grams -> 448 g"

    def test_each_line_multiplies_the_item_unit_weight_by_the_count(self) -> None:
        result = extract_grams("canix", product=PRE_ROLL_ITEM, sale_line=_line(20, "Each"))
        assert result.per_unit_value == 1.0 and result.quantity == 20 and result.grams_value == 20.0
        assert result.basis is Basis.UNIT_WEIGHT
        assert "a count" in result.trace[0].reason  # the line's weight is a count, not grams
        assert result.trace[-1].reason == "20 unit(s) x 1 g = 20 g"

    @pytest.mark.parametrize("unit", ["Each", "each", "EA", "units"])
    def test_count_spellings(self, unit: str) -> None:
        assert extract_grams("canix", product=CART_ITEM, sale_line=_line(2, unit)).grams_value == approx(1.0)

    @pytest.mark.parametrize(("unit", "grams_per"), [
        ("g", 1.0), ("Grams", 1.0), ("GRAMS", 1.0), ("Milligrams", 0.001), ("kg", 1000.0),
        ("Ounces", GRAMS_PER_OUNCE), ("lbs", 16 * GRAMS_PER_OUNCE), ("Pounds", 16 * GRAMS_PER_OUNCE),
    ])
    def test_every_mass_spelling_converts(self, unit: str, grams_per: float) -> None:
        result = extract_grams("canix", product=BULK_ITEM, sale_line=_line(2, unit))
        assert result.grams_value == approx(2 * grams_per)

    @pytest.mark.parametrize(("unit", "why"), [
        (None, "missing, so the value's unit is unknown"), ("", "missing"), ("ml", "a volume"),
        ("fl oz", "a volume"), ("%", "a percentage"), ("stone", "not a unit spelling the library reads"),
    ])
    def test_a_line_weight_without_a_mass_or_count_unit_is_no_grams(self, unit: Any, why: str) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams("canix", product=PRE_ROLL_ITEM, sale_line=_line(3.5, unit))
        assert why in caught.value.trace[0].reason
        assert "does not apply" in caught.value.trace[1].reason

    def test_each_line_of_an_item_without_unit_weight_is_no_grams(self) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams("canix", product=BULK_ITEM, sale_line=_line(3, "Each"))
        assert "product.unit_weight is missing" in caught.value.trace[1].reason

    @pytest.mark.parametrize("unit", ["Each", "fl oz", None])
    def test_item_unit_weight_must_be_a_mass(self, unit: Any) -> None:
        with pytest.raises(NoGramsError):
            extract_grams("canix", product={**PRE_ROLL_ITEM, "unit_weight_unit": unit}, sale_line=_line(3, "Each"))

    @pytest.mark.parametrize("weight", [None, 0, "", " "])
    def test_no_weight_on_a_grams_line_is_no_grams_never_zero(self, weight: Any) -> None:
        with pytest.raises(NoGramsError):
            extract_grams("canix", product=BULK_ITEM, sale_line=_line(weight, "Grams"))

    @pytest.mark.parametrize("weight", [None, 0, "0"])
    def test_no_count_on_an_each_line(self, weight: Any) -> None:
        with pytest.raises(NoQuantityError):
            extract_grams("canix", product=PRE_ROLL_ITEM, sale_line=_line(weight, "Each"))

    def test_the_line_quantity_and_item_weight_of_the_old_reading_are_not_read(self) -> None:
        """Issue 9: names Canix does not use on these records (an item has no `weight`, a line no `quantity`)."""
        with pytest.raises(NoGramsError):
            extract_grams("canix", product={"weight": 3.5, "weight_unit": "Grams"}, sale_line={"quantity": 2})

    @pytest.mark.parametrize(("product", "line", "field", "words"), [
        (BULK_ITEM, _line("1,5", "Grams"), "sale_line.weight", "ambiguous"),
        (BULK_ITEM, _line(-1, "Grams"), "sale_line.weight", "negative"),
        (BULK_ITEM, _line(math.nan, "Grams"), "sale_line.weight", "finite"),
        (BULK_ITEM, _line("3.5g", "Grams"), "sale_line.weight", "plain decimal"),
        (BULK_ITEM, _line(3.5, 1), "sale_line.weight_unit", "written as text"),
        (PRE_ROLL_ITEM, _line(True, "Each"), "sale_line.weight", "true/false"),
        ({**PRE_ROLL_ITEM, "unit_weight": "x"}, _line(2, "Each"), "product.unit_weight", "plain decimal"),
        ({**PRE_ROLL_ITEM, "unit_weight_unit": ["g"]}, _line(2, "Each"), "product.unit_weight_unit",
         "written as text"),
    ])
    def test_bad_values_name_the_vendor_field_and_value(self, product: Any, line: Any, field: str,
                                                        words: str) -> None:
        assert_field_error("canix", product, line, field, words)

    def test_plausibility_pounds_per_unit(self) -> None:
        heavy = {**PRE_ROLL_ITEM, "unit_weight": 2, "unit_weight_unit": "lbs"}
        result = extract_grams("canix", product=heavy, sale_line=_line(2, "Each"))
        assert {warning.code for warning in result.warnings} == {"unit_over_pound", "line_over_kilogram"}

    def test_plausible_sale_has_no_warnings(self) -> None:
        assert extract_grams("canix", product=PRE_ROLL_ITEM, sale_line=_line(4, "Each")).warnings == ()

    def test_bulk(self) -> None:
        lines = [(BULK_ITEM, _line(448, "Grams")), (PRE_ROLL_ITEM, _line(20, "Each")), (BULK_ITEM, _line(3, "Each"))]
        bulk = extract_many("canix", lines)
        assert bulk.grams[:2] == [448.0, 20.0] and isinstance(bulk.errors[2], NoGramsError)
