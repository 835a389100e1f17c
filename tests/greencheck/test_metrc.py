"""Metrc: the item's unit weight, then its copy on the sales transaction, times the units sold."""

from __future__ import annotations

import pytest

from fe_compliance.greencheck import (
    NoGramsError,
    NoQuantityError,
    VendorFieldError,
    extract_grams,
)
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import Example, VendorTestBase, approx, assert_field_error

ITEM = {"UnitWeight": 3.5, "UnitWeightUnitOfMeasureName": "Grams", "ProductCategoryName": "Buds"}
SALE = {"QuantitySold": 2, "UnitOfMeasureName": "Each"}


class TestMetrc(VendorTestBase):
    vendor = "metrc"
    examples = (
        Example("item unit weight in grams", ITEM, SALE, 7.0, "product.UnitWeight"),
        Example("item unit weight in ounces", {"UnitWeight": 1, "UnitWeightUnitOfMeasureName": "Ounces"},
                {"QuantitySold": 1}, GRAMS_PER_OUNCE, "product.UnitWeight"),
        Example("bulk flower sold by the gram (beyond the seed)", {"QuantityType": "WeightBased", "UnitWeight": None},
                {"QuantitySold": 3.5, "UnitOfMeasureName": "Grams"}, 3.5, "sale_line.QuantitySold"),
        Example("sale line copy", None,
                {"ItemUnitWeight": 500, "ItemUnitWeightUnitOfMeasureName": "Milligrams", "QuantitySold": 3,
                 "UnitOfMeasureName": "Each"}, 1.5, "sale_line.ItemUnitWeight"),
    )

    def test_item_weight_wins_over_the_sale_copy(self) -> None:
        sale = {**SALE, "ItemUnitWeight": 1, "ItemUnitWeightUnitOfMeasureName": "Grams"}
        result = extract_grams("metrc", product=ITEM, sale_line=sale)
        assert result.source == "product.UnitWeight"
        assert result.per_unit_value == 3.5
        assert result.quantity == 2

    @pytest.mark.parametrize("item", [
        {"UnitWeight": None, "UnitWeightUnitOfMeasureName": "Grams"},
        {"UnitWeight": 0, "UnitWeightUnitOfMeasureName": "Grams"},
        {"UnitWeight": 3.5},
        {"UnitWeight": 3.5, "UnitWeightUnitOfMeasureName": "Each"},
        {"UnitWeight": 3.5, "UnitWeightUnitOfMeasureName": "Milliliters"},
        {"UnitWeight": 3.5, "UnitWeightUnitOfMeasureName": "furlongs"},
    ])
    def test_falls_back_to_the_sale_copy(self, item: dict[str, object]) -> None:
        sale = {**SALE, "ItemUnitWeight": 1, "ItemUnitWeightUnitOfMeasureName": "g"}
        result = extract_grams("metrc", product=item, sale_line=sale)
        assert result.source == "sale_line.ItemUnitWeight"
        assert result.grams_value == 2.0
        assert result.trace[0].outcome.value == "skipped"

    def test_skip_reasons_name_the_unit(self) -> None:
        sale = {**SALE, "ItemUnitWeight": 1, "ItemUnitWeightUnitOfMeasureName": "g"}
        result = extract_grams("metrc", product={"UnitWeight": 3, "UnitWeightUnitOfMeasureName": "Each"},
                               sale_line=sale)
        assert "'Each', a count, not a weight" in result.trace[0].reason

    def test_no_weight_anywhere_is_no_grams_not_zero(self) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams("metrc", product={"QuantityType": "CountBased"}, sale_line={"QuantitySold": 3,
                                                                                      "UnitOfMeasureName": "Each"})
        error = caught.value
        assert error.vendor == "metrc"
        assert "product.UnitWeight" in (error.field or "")
        assert [step.outcome.value for step in error.trace] == ["skipped", "skipped", "skipped"]
        assert "'Each', a count, not a weight" in error.trace[2].reason

    # --------------------------------------------------------------------- beyond the seed: bulk flower

    @pytest.mark.parametrize(("quantity", "unit", "grams"), [
        (3.5, "Grams", 3.5), ("28", "Grams", 28.0), (0.5, "Ounces", GRAMS_PER_OUNCE / 2), (1500, "Milligrams", 1.5),
    ])
    def test_weight_based_line_reads_the_quantity_sold_in_a_mass_unit(self, quantity: object, unit: str,
                                                                       grams: float) -> None:
        """Issue 9: a weight-based item has no unit weight; the seed's chain gives it nothing."""
        item = {"QuantityType": "WeightBased", "UnitWeight": None, "ProductCategoryName": "Buds"}
        result = extract_grams("metrc", product=item, sale_line={"QuantitySold": quantity, "UnitOfMeasureName": unit})
        assert result.grams_value == approx(grams) and result.per_unit_value is None and result.quantity is None
        assert result.source == "sale_line.QuantitySold" and result.basis.value == "weight_sold"
        assert result.step == "quantity sold in a mass unit"
        beyond = [step for step in result.trace if step.reason.startswith("beyond seed 003: ")]
        assert len(beyond) == 1 and beyond[0].outcome.value == "note" and beyond[0] == result.trace[-1]

    def test_seed_steps_carry_no_beyond_the_seed_mark(self) -> None:
        result = extract_grams("metrc", product=ITEM, sale_line=SALE)
        assert not any("beyond seed" in step.reason for step in result.trace)

    @pytest.mark.parametrize("unit", ["Each", "Milliliters", "Gallons", None])
    def test_a_quantity_not_in_a_mass_unit_is_not_a_weight(self, unit: object) -> None:
        with pytest.raises(NoGramsError):
            extract_grams("metrc", product={}, sale_line={"QuantitySold": 3.5, "UnitOfMeasureName": unit})

    def test_quantity_in_grams_cannot_multiply_a_unit_weight(self) -> None:
        with pytest.raises(VendorFieldError) as caught:
            extract_grams("metrc", product=ITEM, sale_line={"QuantitySold": 3.5, "UnitOfMeasureName": "Grams"})
        assert caught.value.field == "sale_line.UnitOfMeasureName"
        assert caught.value.value == "Grams"

    @pytest.mark.parametrize(("unit", "words"), [
        ("Gallons", "not a unit spelling the library reads"), ("bag", "not a unit spelling the library reads"),
        ("Fluid Ounces", "not in units"), ("Ounces", "not in units"),
    ])
    def test_quantity_not_known_to_count_units_cannot_multiply_a_unit_weight(self, unit: str, words: str) -> None:
        error = assert_field_error("metrc", ITEM, {"QuantitySold": 2, "UnitOfMeasureName": unit},
                                   "sale_line.UnitOfMeasureName", words)
        assert error.value == unit
        assert extract_grams("metrc", product=ITEM, sale_line={"QuantitySold": 2, "UnitOfMeasureName": " each "}
                             ).grams_value == 7.0

    def test_missing_quantity_is_an_error_not_one_unit(self) -> None:
        with pytest.raises(NoQuantityError) as caught:
            extract_grams("metrc", product=ITEM, sale_line={})
        assert caught.value.field == "sale_line.QuantitySold"

    def test_string_numbers_and_thousands(self) -> None:
        result = extract_grams("metrc", product={"UnitWeight": "1,000", "UnitWeightUnitOfMeasureName": "mg"},
                               sale_line={"QuantitySold": "2"})
        assert result.grams_value == approx(2.0)

    def test_ambiguous_comma_is_refused(self) -> None:
        with pytest.raises(VendorFieldError) as caught:
            extract_grams("metrc", product={"UnitWeight": "3,5", "UnitWeightUnitOfMeasureName": "g"},
                          sale_line=SALE)
        assert caught.value.field == "product.UnitWeight"
        assert "ambiguous" in str(caught.value)

    def test_plausibility_pre_roll_of_a_kilogram(self) -> None:
        item = {"UnitWeight": 1000, "UnitWeightUnitOfMeasureName": "Grams", "ProductCategoryName": "Pre-Roll Flower"}
        result = extract_grams("metrc", product=item, sale_line={"QuantitySold": 1})
        codes = {warning.code for warning in result.warnings}
        assert {"pre_roll_heavy", "unit_over_pound"} <= codes
        assert result.grams_value == 1000.0

    def test_plausibility_weight_lighter_than_its_thc(self) -> None:
        item = {**ITEM, "UnitThcContent": 5, "UnitThcContentUnitOfMeasureName": "Grams"}
        result = extract_grams("metrc", product=item, sale_line=SALE)
        assert [warning.code for warning in result.warnings] == ["thc_exceeds_weight"]

    def test_plausible_sale_has_no_warnings(self) -> None:
        item = {**ITEM, "UnitThcContent": 700, "UnitThcContentUnitOfMeasureName": "Milligrams"}
        assert extract_grams("metrc", product=item, sale_line=SALE).warnings == ()
