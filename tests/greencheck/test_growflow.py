"""GrowFlow: "Each" products by their unit weight times units; weight-based products by the line's weight grams."""

from __future__ import annotations

import math
from typing import Any

import pytest

from fe_compliance.greencheck import (
    Basis,
    NoGramsError,
    NoQuantityError,
    Outcome,
    extract_grams,
    extract_many,
)
from fe_compliance.greencheck.growflow import EACH, WEIGHT_BASED

from .common import Example, VendorTestBase, approx, assert_field_error

PRE_ROLL = {"unitOfMeasure": "Each", "unitWeight": 1.0}
FLOWER = {"unitOfMeasure": "Grams", "unitWeight": 1.0}


class TestGrowFlow(VendorTestBase):
    vendor = "growflow"
    examples = (
        Example("Each: unit weight times units", PRE_ROLL, {"quantity": 2, "weightGrams": 2}, 2.0,
                "product.unitWeight"),
        Example("weight-based: weight grams on the line", FLOWER, {"quantity": 3.5, "weightGrams": 3.5}, 3.5,
                "sale_line.weightGrams"),
        Example("Each with string numbers", {"unitOfMeasure": "EA", "unitWeight": "0.5"}, {"quantity": "4"}, 2.0,
                "product.unitWeight"),
    )

    def test_each_is_per_unit(self) -> None:
        result = extract_grams("growflow", product=PRE_ROLL, sale_line={"quantity": 3})
        assert result.basis is Basis.UNIT_WEIGHT
        assert result.per_unit_value == 1.0 and result.quantity == 3 and result.grams_value == 3.0

    def test_weight_based_is_the_whole_line(self) -> None:
        result = extract_grams("growflow", product=FLOWER, sale_line={"quantity": 7, "weightGrams": 7})
        assert result.grams_value == 7.0 and result.per_unit_value is None
        assert result.basis is Basis.WEIGHT_SOLD
        assert result.trace[0].outcome is Outcome.SKIPPED
        assert "'Grams', a mass unit, not a count" in result.trace[0].reason

    @pytest.mark.parametrize("unit", ["Each", "each", "EACH", "ea", "unit", "units", "piece"])
    def test_count_spellings_are_each(self, unit: str) -> None:
        result = extract_grams("growflow", product={"unitOfMeasure": unit, "unitWeight": 2}, sale_line={"quantity": 1})
        assert result.source == "product.unitWeight"

    @pytest.mark.parametrize("unit", ["Grams", "g", "gram", "Ounces", "oz", "lb", "mg"])
    def test_mass_spellings_are_weight_based(self, unit: str) -> None:
        result = extract_grams("growflow", product={"unitOfMeasure": unit}, sale_line={"weightGrams": 3.5})
        assert result.source == "sale_line.weightGrams" and result.grams_value == 3.5

    @pytest.mark.parametrize(("unit", "why"), [
        (None, "is missing"), ("", "is missing"), ("ml", "a volume"), ("%", "a percentage"),
        ("bundle", "not a unit spelling the library reads"),
    ])
    def test_other_units_match_neither_branch(self, unit: Any, why: str) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams("growflow", product={"unitOfMeasure": unit, "unitWeight": 1},
                          sale_line={"quantity": 1, "weightGrams": 1})
        assert all(why in step.reason for step in caught.value.trace)
        assert len(caught.value.trace) == 2

    def test_branches_do_not_fall_back_to_each_other(self) -> None:
        with pytest.raises(NoGramsError):
            extract_grams("growflow", product={"unitOfMeasure": "Each"}, sale_line={"quantity": 1, "weightGrams": 1})
        with pytest.raises(NoGramsError):
            extract_grams("growflow", product={"unitOfMeasure": "Grams", "unitWeight": 1}, sale_line={"quantity": 1})

    def test_weight_based_needs_no_quantity(self) -> None:
        assert extract_grams("growflow", product=FLOWER, sale_line={"weightGrams": "1,000"}).grams_value == 1000.0

    def test_each_without_quantity(self) -> None:
        with pytest.raises(NoQuantityError) as caught:
            extract_grams("growflow", product=PRE_ROLL, sale_line={})
        assert caught.value.field == "sale_line.quantity"

    @pytest.mark.parametrize(("product", "line", "field"), [
        ({"unitOfMeasure": 1}, {}, "product.unitOfMeasure"),
        ({"unitOfMeasure": ["Each"]}, {}, "product.unitOfMeasure"),
        ({"unitOfMeasure": {"name": "Each"}}, {}, "product.unitOfMeasure"),
        ({**PRE_ROLL, "unitWeight": "1,5"}, {"quantity": 1}, "product.unitWeight"),
        ({**PRE_ROLL, "unitWeight": -1}, {"quantity": 1}, "product.unitWeight"),
        ({**PRE_ROLL, "unitWeight": math.nan}, {"quantity": 1}, "product.unitWeight"),
        (FLOWER, {"weightGrams": "3.5 g"}, "sale_line.weightGrams"),
        (FLOWER, {"weightGrams": False}, "sale_line.weightGrams"),
        (PRE_ROLL, {"quantity": "lots"}, "sale_line.quantity"),
    ])
    def test_bad_values_name_vendor_field_and_value(self, product: Any, line: Any, field: str) -> None:
        assert_field_error("growflow", product, line, field)

    def test_conditions_describe_themselves(self) -> None:
        assert "a count" in EACH.describe() and "a mass unit" in WEIGHT_BASED.describe()
        assert EACH.fields() == WEIGHT_BASED.fields()

    def test_plausibility(self) -> None:
        heavy = extract_grams("growflow", product={"unitOfMeasure": "Each", "unitWeight": 1000},
                              sale_line={"quantity": 2})
        assert {warning.code for warning in heavy.warnings} == {"unit_over_pound", "line_over_kilogram"}
        assert extract_grams("growflow", product=PRE_ROLL, sale_line={"quantity": 2}).warnings == ()

    def test_bulk(self) -> None:
        bulk = extract_many("growflow", [(PRE_ROLL, {"quantity": 2}), (FLOWER, {"weightGrams": 7}), ({}, {})])
        assert bulk.grams[:2] == [approx(2.0), 7.0]
        assert isinstance(bulk.errors[2], NoGramsError)
