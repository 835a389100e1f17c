"""Alleaves: the item's usable weight in grams, times the units sold; nothing else."""

from __future__ import annotations

import math
from typing import Any

import pytest

from fe_compliance.greencheck import (
    Basis,
    NoGramsError,
    NoQuantityError,
    VendorFieldError,
    extract_grams,
    extract_many,
)

from .common import Example, VendorTestBase, approx, assert_field_error

ITEM = {"usable_weight": 3.5}


class TestAlleaves(VendorTestBase):
    vendor = "alleaves"
    examples = (
        Example("usable weight times quantity", ITEM, {"quantity": 2}, 7.0, "product.usable_weight"),
        Example("usable weight as a numeric string", {"usable_weight": "0.5"}, {"quantity": "3"}, 1.5,
                "product.usable_weight"),
    )

    def test_result_is_usable_weight_per_unit(self) -> None:
        result = extract_grams("alleaves", product=ITEM, sale_line={"quantity": 4})
        assert result.basis is Basis.USABLE_WEIGHT
        assert result.per_unit_value == 3.5 and result.quantity == 4 and result.grams_value == 14.0
        assert result.trace[0].outcome.value == "taken"
        assert "3.5 g" in result.trace[0].reason
        assert result.rule.section == "Alleaves"

    def test_thousands_are_read(self) -> None:
        result = extract_grams("alleaves", product={"usable_weight": "1,000"}, sale_line={"quantity": 1})
        assert result.grams_value == 1000.0

    @pytest.mark.parametrize("weight", [None, 0, 0.0, "", "   "])
    def test_missing_usable_weight_is_no_grams_never_zero(self, weight: Any) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams("alleaves", product={"usable_weight": weight}, sale_line={"quantity": 1})
        error = caught.value
        assert error.vendor == "alleaves"
        assert error.field == "product.usable_weight"
        assert [step.outcome.value for step in error.trace] == ["skipped"]

    def test_no_fallback_to_other_fields(self) -> None:
        with pytest.raises(NoGramsError):
            extract_grams("alleaves", product={"weight": 3.5, "net_weight": 3.5, "UsableWeight": 3.5},
                          sale_line={"quantity": 1})

    @pytest.mark.parametrize(("weight", "words"), [
        ("1,5", "ambiguous"), ("-2", "negative"), (-1, "negative"), (math.nan, "finite"), (math.inf, "finite"),
        ("abc", "plain decimal"), ("3.5 g", "plain decimal"), (True, "true/false"), ({"value": 3}, "an object"),
        ([3.5], "a list"),
    ])
    def test_bad_usable_weight_names_vendor_field_and_value(self, weight: Any, words: str) -> None:
        error = assert_field_error("alleaves", {"usable_weight": weight}, {"quantity": 1}, "product.usable_weight",
                                   words)
        assert error.value is weight or error.value == weight or (isinstance(weight, float) and math.isnan(weight))

    def test_missing_quantity_is_an_error_not_one_unit(self) -> None:
        with pytest.raises(NoQuantityError) as caught:
            extract_grams("alleaves", product=ITEM, sale_line={})
        assert caught.value.field == "sale_line.quantity"

    @pytest.mark.parametrize("quantity", ["1,5", -1, math.nan, "two", [1]])
    def test_bad_quantity_is_refused_by_name(self, quantity: Any) -> None:
        assert_field_error("alleaves", ITEM, {"quantity": quantity}, "sale_line.quantity")

    def test_zero_quantity_is_not_set_never_zero_grams(self) -> None:
        with pytest.raises(NoQuantityError) as caught:
            extract_grams("alleaves", product=ITEM, sale_line={"quantity": 0})
        assert caught.value.field == "sale_line.quantity" and caught.value.value == 0 and caught.value.zero

    def test_plausibility_grams_keyed_for_milligrams(self) -> None:
        result = extract_grams("alleaves", product={"usable_weight": 3500}, sale_line={"quantity": 1})
        assert {warning.code for warning in result.warnings} == {"unit_over_pound", "line_over_kilogram"}
        assert result.grams_value == 3500.0

    def test_plausible_line_has_no_warnings(self) -> None:
        assert extract_grams("alleaves", product=ITEM, sale_line={"quantity": 2}).warnings == ()

    def test_bulk_keeps_going_past_bad_lines(self) -> None:
        bulk = extract_many("alleaves", [(ITEM, {"quantity": 1}), ({"usable_weight": "x"}, {"quantity": 1}),
                                         ({}, {"quantity": 1}), (ITEM, {"quantity": 3})])
        assert bulk.grams == [3.5, None, None, approx(10.5)]
        assert isinstance(bulk.errors[1], VendorFieldError) and isinstance(bulk.errors[2], NoGramsError)
