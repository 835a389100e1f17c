"""Brytemap: the upper weight of the product's size map, in each accepted shape, times the units sold."""

from __future__ import annotations

import math
from typing import Any

import pytest

from fe_compliance.greencheck import Basis, NoGramsError, NoQuantityError, extract_grams
from fe_compliance.greencheck.brytemap import SHAPES
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import Example, VendorTestBase, approx, assert_field_error

ONE = {"quantity": 1}


def _grams(size_map: Any, quantity: Any = 1) -> float:
    return extract_grams("brytemap", product={"sizeMap": size_map}, sale_line={"quantity": quantity}).grams_value


class TestBrytemap(VendorTestBase):
    vendor = "brytemap"
    examples = (
        Example("range text", {"sizeMap": "1-3.5 g"}, {"quantity": 2}, 7.0, "product.sizeMap"),
        Example("number", {"sizeMap": 3.5}, {"quantity": 1}, 3.5, "product.sizeMap"),
        Example("[low, high] list", {"sizeMap": [1, "3.5"]}, {"quantity": 3}, 10.5, "product.sizeMap"),
        Example("low/high/unit object", {"sizeMap": {"low": 500, "high": 1000, "unit": "mg"}}, {"quantity": 2}, 2.0,
                "product.sizeMap"),
    )

    def test_the_page_lists_every_shape(self) -> None:
        page = self.spec.decisions[0]
        assert all(shape in page for shape in SHAPES)
        assert len(SHAPES) == 4

    # ------------------------------------------------------------------------------------------- shapes

    @pytest.mark.parametrize(("text", "grams"), [
        ("1-3.5 g", 3.5), ("1 - 3.5 g", 3.5), ("1g-3.5g", 3.5), ("1 g - 3.5 g", 3.5), ("1\u20133.5g", 3.5),
        ("3.5g", 3.5), ("3.5", 3.5), (" 7 grams ", 7.0), ("1-3.5", 3.5), ("1g-3.5", 3.5),
        ("0.5 - 1 oz", GRAMS_PER_OUNCE),
        ("500mg-1g", 1.0), (".5-1 g", 1.0), ("1,000-2,000 mg", 2.0), ("0-3.5 g", 3.5), ("3.5-3.5 g", 3.5),
        ("1e3 g", 1000.0), ("1e3-2e3 mg", 2.0),
    ])
    def test_text_ranges(self, text: str, grams: float) -> None:
        assert _grams(text) == approx(grams)

    @pytest.mark.parametrize(("value", "grams"), [
        ([3.5], 3.5), ([1, 3.5], 3.5), (["1", "3.5"], 3.5), ([None, 2], 2.0), ([0, 1.5], 1.5), ((1, 2), 2.0),
    ])
    def test_lists(self, value: Any, grams: float) -> None:
        assert _grams(value) == approx(grams)

    @pytest.mark.parametrize(("value", "grams"), [
        ({"low": 1, "high": 3.5}, 3.5), ({"high": 3.5}, 3.5), ({"high": "3.5", "unit": "Grams"}, 3.5),
        ({"low": 0.25, "high": 0.5, "unit": "oz"}, GRAMS_PER_OUNCE / 2), ({"low": 1, "high": 3.5, "unit": None}, 3.5),
    ])
    def test_objects(self, value: Any, grams: float) -> None:
        assert _grams(value) == approx(grams)

    def test_numbers_are_grams(self) -> None:
        assert _grams(7) == 7.0
        assert _grams(0.5, quantity=4) == 2.0

    def test_result_and_trace(self) -> None:
        result = extract_grams("brytemap", product={"sizeMap": "1-3.5 g"}, sale_line={"quantity": 2})
        assert result.basis is Basis.PRODUCT_WEIGHT
        assert result.per_unit_value == 3.5 and result.quantity == 2
        assert result.trace[0].outcome.value == "taken"
        assert "upper weight 3.5 g per unit" in result.trace[0].reason
        assert "2 unit(s) x 3.5 g = 7 g" in result.trace[1].reason

    # ----------------------------------------------------------------------------------------- no grams

    @pytest.mark.parametrize("value", [None, "", "  ", [], {}, 0, "0 g", [0], {"high": 0}, "0-0 g"])
    def test_not_set_is_no_grams(self, value: Any) -> None:
        with pytest.raises(NoGramsError) as caught:
            _grams(value)
        assert caught.value.field == "product.sizeMap"
        assert caught.value.trace[0].outcome.value == "skipped"

    @pytest.mark.parametrize("value", [{"low": 1}, {"low": 1, "high": None}, [1, None], [None]])
    def test_a_range_without_an_upper_weight_is_no_grams_not_the_low_end(self, value: Any) -> None:
        with pytest.raises(NoGramsError) as caught:
            _grams(value)
        assert "has no upper weight" in caught.value.trace[0].reason

    @pytest.mark.parametrize(("value", "why"), [
        ("10-20 %", "a percentage"), ("1-2 each", "a count"), ({"high": 1, "unit": "ml"}, "a volume"),
        ("1-3.5 furlongs", "not a unit spelling"), ({"high": 3, "unit": "%"}, "a percentage"),
    ])
    def test_a_unit_that_is_not_a_mass_is_skipped_never_converted(self, value: Any, why: str) -> None:
        with pytest.raises(NoGramsError) as caught:
            _grams(value)
        assert why in caught.value.trace[0].reason

    # ---------------------------------------------------------------------------------------- bad input

    @pytest.mark.parametrize(("value", "field", "words"), [
        ("3.5-1 g", "product.sizeMap", "low end is above its high end"),
        ([3.5, 1], "product.sizeMap", "low end is above its high end"),
        ({"low": 2, "high": 1}, "product.sizeMap", "low end is above its high end"),
        ({"low": 1, "high": 2, "max": 3}, "product.sizeMap", "only 'low', 'high' and 'unit'"),
        ({"min": 1, "max": 3}, "product.sizeMap", "only 'low', 'high' and 'unit'"),
        ([1, 2, 3], "product.sizeMap", "at most two ends"),
        ("small", "product.sizeMap", "range of weights"),
        ("1 to 3.5 g", "product.sizeMap", "range of weights"),
        ("-1-3 g", "product.sizeMap", "range of weights"),
        ("nan", "product.sizeMap", "range of weights"),
        ("1,5-3,5 g", "product.sizeMap", "ambiguous"),
        ("1 g-3.5 g-7 g", "product.sizeMap", "range of weights"),
        ("1-3.5 g (x2)", "product.sizeMap", "range of weights"),
        (-1, "product.sizeMap", "negative"),
        (math.nan, "product.sizeMap", "finite"),
        (math.inf, "product.sizeMap", "finite"),
        (1e308, "product.sizeMap", "too large"),
        (10**400, "product.sizeMap", "too large"),
        (True, "product.sizeMap", "true/false"),
        ({"high": "x"}, "product.sizeMap.high", "plain decimal"),
        ({"high": -2}, "product.sizeMap.high", "negative"),
        ({"low": [1], "high": 2}, "product.sizeMap.low", "a list"),
        ({"high": 2, "unit": 5}, "product.sizeMap.unit", "written as text"),
        ([1, "abc"], "product.sizeMap[1]", "plain decimal"),
        ([{"high": 1}], "product.sizeMap[0]", "an object"),
        ([[1, 2]], "product.sizeMap[0]", "a list"),
    ])
    def test_bad_size_maps_name_vendor_field_and_value(self, value: Any, field: str, words: str) -> None:
        assert_field_error("brytemap", {"sizeMap": value}, ONE, field, words)

    def test_thousands_in_a_number_string_are_read(self) -> None:
        assert _grams(["1,000"]) == 1000.0

    def test_missing_quantity(self) -> None:
        with pytest.raises(NoQuantityError) as caught:
            extract_grams("brytemap", product={"sizeMap": "1-3.5 g"}, sale_line={})
        assert caught.value.field == "sale_line.quantity"

    # -------------------------------------------------------------------------------------- plausibility

    def test_plausibility_grams_keyed_as_milligrams(self) -> None:
        result = extract_grams("brytemap", product={"sizeMap": "1000-3500"}, sale_line=ONE)
        assert {warning.code for warning in result.warnings} == {"unit_over_pound", "line_over_kilogram"}

    def test_plausible_sale_has_no_warnings(self) -> None:
        result = extract_grams("brytemap", product={"sizeMap": "1-3.5 g"}, sale_line={"quantity": 4})
        assert result.warnings == ()
