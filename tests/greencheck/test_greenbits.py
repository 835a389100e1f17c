"""Greenbits: the line's weight-based flag picks the product's entered weight (unit-based) or the weight sold."""

from __future__ import annotations

import math
from typing import Any

import pytest

from fe_compliance.greencheck import (
    Basis,
    NoGramsError,
    NoQuantityError,
    Outcome,
    VendorFieldError,
    extract_grams,
    extract_many,
)
from fe_compliance.greencheck.greenbits import UNIT_BASED, WEIGHT_BASED

from .common import Example, VendorTestBase, approx, assert_field_error

PRE_ROLL = {"weight": 1.0}
UNIT_LINE = {"weight_based": False, "quantity": 3}
WEIGHT_LINE = {"weight_based": True, "weight_sold": 3.5, "quantity": 1}


class TestGreenbits(VendorTestBase):
    vendor = "greenbits"
    examples = (
        Example("unit-based: entered weight times units", PRE_ROLL, UNIT_LINE, 3.0, "product.weight"),
        Example("weight-based: weight sold", {"weight": 28}, WEIGHT_LINE, 3.5, "sale_line.weight_sold"),
        Example("flags as text", {"weight": "0.5"}, {"weight_based": "false", "quantity": "2"}, 1.0,
                "product.weight"),
    )

    def test_unit_based_is_per_unit(self) -> None:
        result = extract_grams("greenbits", product=PRE_ROLL, sale_line=UNIT_LINE)
        assert result.basis is Basis.PRODUCT_WEIGHT
        assert result.per_unit_value == 1.0 and result.quantity == 3
        assert [step.outcome for step in result.trace] == [Outcome.TAKEN, Outcome.NOTE]
        assert result.trace[1].reason == "3 unit(s) x 1 g = 3 g"

    def test_weight_based_is_the_whole_line(self) -> None:
        result = extract_grams("greenbits", product={"weight": 28}, sale_line={**WEIGHT_LINE, "quantity": 5})
        assert result.grams_value == 3.5 and result.per_unit_value is None and result.quantity is None
        assert result.basis is Basis.WEIGHT_SOLD
        assert "is true, not false" in result.trace[0].reason

    def test_weight_based_needs_no_quantity(self) -> None:
        result = extract_grams("greenbits", product={}, sale_line={"weight_based": True, "weight_sold": "7"})
        assert result.grams_value == 7.0

    @pytest.mark.parametrize(("flag", "weight_based"), [
        (True, True), (False, False), (1, True), (0, False), ("true", True), ("FALSE", False), ("yes", True),
        ("no", False),
    ])
    def test_flag_spellings(self, flag: Any, weight_based: bool) -> None:
        result = extract_grams("greenbits", product={"weight": 1}, sale_line={"weight_based": flag,
                                                                             "weight_sold": 2, "quantity": 5})
        assert result.source == ("sale_line.weight_sold" if weight_based else "product.weight")
        assert result.grams_value == (2.0 if weight_based else 5.0)

    @pytest.mark.parametrize("flag", [None, "", "  "])
    def test_no_flag_is_no_grams(self, flag: Any) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams("greenbits", product={"weight": 1}, sale_line={"weight_based": flag, "weight_sold": 1,
                                                                        "quantity": 1})
        assert all("sale_line.weight_based is missing" in step.reason for step in caught.value.trace)

    def test_branches_do_not_fall_back_to_each_other(self) -> None:
        with pytest.raises(NoGramsError):
            extract_grams("greenbits", product={"weight": 1}, sale_line={"weight_based": True, "quantity": 1})
        with pytest.raises(NoGramsError):
            extract_grams("greenbits", product={}, sale_line={"weight_based": False, "weight_sold": 3.5,
                                                              "quantity": 1})

    @pytest.mark.parametrize("flag", ["maybe", 2, 1.5, [True], {"v": True}])
    def test_bad_flag_is_refused_by_name(self, flag: Any) -> None:
        assert_field_error("greenbits", PRE_ROLL, {"weight_based": flag, "quantity": 1}, "sale_line.weight_based",
                           "expected true or false")

    @pytest.mark.parametrize(("product", "line", "field"), [
        ({"weight": "1,5"}, UNIT_LINE, "product.weight"), ({"weight": -1}, UNIT_LINE, "product.weight"),
        ({"weight": math.nan}, UNIT_LINE, "product.weight"), ({"weight": [1]}, UNIT_LINE, "product.weight"),
        ({}, {**WEIGHT_LINE, "weight_sold": "3.5g"}, "sale_line.weight_sold"),
        ({}, {**WEIGHT_LINE, "weight_sold": True}, "sale_line.weight_sold"),
        (PRE_ROLL, {**UNIT_LINE, "quantity": "-1"}, "sale_line.quantity"),
    ])
    def test_bad_values_name_vendor_field_and_value(self, product: Any, line: Any, field: str) -> None:
        assert_field_error("greenbits", product, line, field)

    def test_unit_based_without_quantity(self) -> None:
        with pytest.raises(NoQuantityError) as caught:
            extract_grams("greenbits", product=PRE_ROLL, sale_line={"weight_based": False})
        assert caught.value.field == "sale_line.quantity"

    def test_conditions_describe_themselves(self) -> None:
        assert WEIGHT_BASED.describe() == "`sale_line.weight_based` is true"
        assert UNIT_BASED.describe() == "`sale_line.weight_based` is false"
        assert WEIGHT_BASED.fields() == UNIT_BASED.fields()

    def test_plausibility_a_kilogram_sold(self) -> None:
        result = extract_grams("greenbits", product={}, sale_line={**WEIGHT_LINE, "weight_sold": 1500})
        assert {warning.code for warning in result.warnings} == {"line_over_kilogram"}

    def test_plausibility_a_heavy_weight_sold_is_one_line_not_one_unit(self) -> None:
        result = extract_grams("greenbits", product={}, sale_line={**WEIGHT_LINE, "weight_sold": 500})
        assert result.per_unit_value is None and result.warnings == ()

    def test_plausibility_unit_weight_over_a_pound(self) -> None:
        result = extract_grams("greenbits", product={"weight": 500}, sale_line={**UNIT_LINE, "quantity": 1})
        assert [warning.code for warning in result.warnings] == ["unit_over_pound"]

    def test_plausible_lines_have_no_warnings(self) -> None:
        assert extract_grams("greenbits", product=PRE_ROLL, sale_line=UNIT_LINE).warnings == ()
        assert extract_grams("greenbits", product={}, sale_line=WEIGHT_LINE).warnings == ()

    def test_bulk(self) -> None:
        bulk = extract_many("greenbits", [(PRE_ROLL, UNIT_LINE), ({}, WEIGHT_LINE), ({}, {"weight_based": "x"})])
        assert bulk.grams[:2] == [approx(3.0), 3.5]
        assert isinstance(bulk.errors[2], VendorFieldError)
