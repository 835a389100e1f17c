"""Dutchie: THC content (weight units only), product grams, the sale's unit weight, the sale's flower equivalent."""

from __future__ import annotations

from typing import Any

import pytest

from fe_compliance.greencheck import Basis, NoGramsError, NoQuantityError, VendorFieldError, extract_grams
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import Example, VendorTestBase, approx

THC_MG = {"thcContent": 100, "thcContentUnit": "mg", "productGrams": 10}
THC_PCT = {"thcContent": 22.5, "thcContentUnit": "%", "productGrams": 3.5}
SALE_ONLY = {"unitWeight": 1, "unitWeightUnit": "Ounces", "flowerEquivalent": 3, "flowerEquivalentUnit": "g",
             "quantity": 1}
FE_ONLY = {"flowerEquivalent": 2.5, "flowerEquivalentUnit": "grams", "quantity": 2}
# The register / price-check API: PascalCase, unit inside the value (vendor-fields.md, Dutchie).
REGISTER_PRODUCT = {"ProductId": 1201, "ProductName": "Blue Dream 1oz", "ThcContent": "22.5%",
                    "ProductGrams": "28.35 g"}


class TestDutchie(VendorTestBase):
    vendor = "dutchie"
    examples = (
        Example("THC content in mg", THC_MG, {"quantity": 2}, 0.2, "product.thcContent"),
        Example("THC percentage falls back to product grams", THC_PCT, {"quantity": 2}, 7.0, "product.productGrams"),
        Example("sale item weight in ounces", {"thcContent": None, "productGrams": None}, SALE_ONLY, GRAMS_PER_OUNCE,
                "sale_line.unitWeight"),
        Example("flower equivalent", {}, FE_ONLY, 5.0, "sale_line.flowerEquivalent"),
        Example("register API: THC with its unit", {"ThcContent": "100 mg"}, {"Quantity": 2}, 0.2,
                "product.ThcContent"),
        Example("register API: product grams with its unit", REGISTER_PRODUCT, {"Quantity": 1}, 28.35,
                "product.ProductGrams"),
        Example("register API: item weight", {}, {"UnitWeight": "3.5 g", "Quantity": 2}, 7.0, "sale_line.UnitWeight"),
        Example("register API: flower equivalent", {}, {"FlowerEquivalent": 1, "FlowerEquivalentUnit": "g",
                                                        "Quantity": 3}, 3.0, "sale_line.FlowerEquivalent"),
    )

    # --------------------------------------------------------------------------- register API (PascalCase)

    def test_register_api_product_grams_with_the_unit_in_the_value(self) -> None:
        """Issue 9: the register API's `"ProductGrams": "28.35 g"` gave no grams."""
        result = extract_grams("dutchie", product=REGISTER_PRODUCT, sale_line={"Quantity": 2})
        assert result.grams_value == approx(56.7) and result.per_unit_value == approx(28.35)
        assert result.source == "product.ProductGrams" and result.basis is Basis.PRODUCT_WEIGHT
        assert "'22.5%': '%' is a percentage, not a weight" in result.trace[1].reason
        assert result.trace[3].reason == "product.ProductGrams = 28.35 g -> 28.35 g per unit"

    @pytest.mark.parametrize(("value", "grams"), [("28.35 g", 28.35), ("28.35g", 28.35), ("28350 mg", 28.35),
                                                  ("1 oz", GRAMS_PER_OUNCE), ("28.35", 28.35), (28.35, 28.35)])
    def test_product_grams_value_spellings(self, value: Any, grams: float) -> None:
        result = extract_grams("dutchie", product={"ProductGrams": value}, sale_line={"Quantity": 1})
        assert result.grams_value == approx(grams)

    def test_both_shapes_give_the_same_grams(self) -> None:
        camel = extract_grams("dutchie", product={"thcContent": 100, "thcContentUnit": "mg"},
                              sale_line={"quantity": 2})
        pascal = extract_grams("dutchie", product={"ThcContent": "100 mg"}, sale_line={"Quantity": 2})
        sibling = extract_grams("dutchie", product={"ThcContent": 100, "ThcContentUnit": "mg"},
                                sale_line={"Quantity": 2})
        assert camel.grams_value == pascal.grams_value == sibling.grams_value == approx(0.2)

    def test_camel_case_comes_first(self) -> None:
        result = extract_grams("dutchie", product={"productGrams": 3.5, "ProductGrams": "7 g"},
                               sale_line={"quantity": 1})
        assert result.source == "product.productGrams"

    def test_a_unit_in_the_value_that_disagrees_with_the_unit_field_is_an_error(self) -> None:
        with pytest.raises(VendorFieldError) as caught:
            extract_grams("dutchie", product={"ThcContent": "100 mg", "ThcContentUnit": "g"},
                          sale_line={"Quantity": 1})
        assert caught.value.field == "product.ThcContent" and "disagrees" in str(caught.value)
        agreeing = extract_grams("dutchie", product={"ThcContent": "100 mg", "ThcContentUnit": "Milligrams"},
                                 sale_line={"Quantity": 1})
        assert agreeing.grams_value == approx(0.1)

    @pytest.mark.parametrize(("value", "why"), [("22.5%", "a percentage"), ("2 each", "a count"),
                                                ("10 ml", "a volume"), ("0 g", "treated as not set")])
    def test_a_value_whose_own_unit_is_no_weight_falls_back(self, value: str, why: str) -> None:
        result = extract_grams("dutchie", product={"ThcContent": value, "ProductGrams": "1 g"},
                               sale_line={"Quantity": 1})
        assert result.source == "product.ProductGrams" and why in result.trace[1].reason

    @pytest.mark.parametrize("bad", ["N/A", "1,5 g", "-1 g", "g", "1e999 g"])
    def test_garbage_text_is_an_error_naming_the_field(self, bad: str) -> None:
        with pytest.raises(VendorFieldError) as caught:
            extract_grams("dutchie", product={"ProductGrams": bad}, sale_line={"Quantity": 1})
        assert caught.value.field == "product.ProductGrams" and caught.value.value == bad

    def test_thc_in_grams_is_converted(self) -> None:
        result = extract_grams("dutchie", product={"thcContent": "0.25", "thcContentUnit": "g"},
                               sale_line={"quantity": 4})
        assert result.grams_value == approx(1.0)
        assert result.basis is Basis.THC and result.per_unit_value == 0.25

    def test_percentage_is_skipped_with_the_seed_reason(self) -> None:
        result = extract_grams("dutchie", product=THC_PCT, sale_line={"quantity": 1})
        first = result.trace[0]
        assert first.outcome.value == "skipped" and first.source == "product.thcContent"
        assert "thcContentUnit is '%'" in first.reason and "percentage" in first.reason
        assert result.basis is Basis.PRODUCT_WEIGHT

    @pytest.mark.parametrize("unit", [None, "", "each", "ml", "mg/g", 5.0])
    def test_thc_without_a_weight_unit_falls_back(self, unit: Any) -> None:
        product = {"thcContent": 10, "thcContentUnit": unit, "productGrams": 1}
        if isinstance(unit, float):
            with pytest.raises(VendorFieldError) as caught:
                extract_grams("dutchie", product=product, sale_line={"quantity": 1})
            assert caught.value.field == "product.thcContentUnit"
            return
        result = extract_grams("dutchie", product=product, sale_line={"quantity": 1})
        assert result.source == "product.productGrams"

    @pytest.mark.parametrize("thc", [None, 0, "", "  "])
    def test_no_thc_value_falls_back(self, thc: Any) -> None:
        result = extract_grams("dutchie", product={"thcContent": thc, "thcContentUnit": "mg", "productGrams": 2},
                               sale_line={"quantity": 1})
        assert result.source == "product.productGrams" and result.grams_value == 2

    def test_null_product_grams_falls_back_to_the_sale_unit_weight(self) -> None:
        result = extract_grams("dutchie", product={"productGrams": None},
                               sale_line={"unitWeight": 500, "unitWeightUnit": "mg", "quantity": 3})
        assert result.source == "sale_line.unitWeight"
        assert result.grams_value == approx(1.5)
        assert [step.outcome.value for step in result.trace] == ["skipped"] * 4 + ["taken", "note"]

    def test_unit_weight_without_its_unit_falls_back_to_flower_equivalent(self) -> None:
        result = extract_grams("dutchie", product={}, sale_line={"unitWeight": 3.5, **FE_ONLY})
        assert result.source == "sale_line.flowerEquivalent"
        assert "unitWeightUnit is missing" in result.trace[4].reason

    def test_flower_equivalent_needs_its_unit(self) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams("dutchie", product={}, sale_line={"flowerEquivalent": 3.5, "quantity": 1})
        assert len(caught.value.trace) == 8
        assert "flowerEquivalentUnit is missing" in str(caught.value)

    def test_nothing_at_all_is_no_grams(self) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams("dutchie", product={"name": "Gummy"}, sale_line={"quantity": 1})
        assert caught.value.vendor == "dutchie"
        assert caught.value.fields == ("product.thcContent", "product.ThcContent", "product.productGrams",
                                       "product.ProductGrams", "sale_line.unitWeight", "sale_line.UnitWeight",
                                       "sale_line.flowerEquivalent", "sale_line.FlowerEquivalent")

    def test_fractional_quantity(self) -> None:
        result = extract_grams("dutchie", product={"productGrams": 1}, sale_line={"quantity": 3.5})
        assert result.grams_value == 3.5

    def test_missing_quantity(self) -> None:
        with pytest.raises(NoQuantityError):
            extract_grams("dutchie", product={"productGrams": 1}, sale_line={})

    @pytest.mark.parametrize("bad", [-1, "-2", float("nan"), True, {"v": 1}, "1,5"])
    def test_corrupt_product_grams_is_an_error_not_a_fallback(self, bad: Any) -> None:
        with pytest.raises(VendorFieldError) as caught:
            extract_grams("dutchie", product={"productGrams": bad}, sale_line=SALE_ONLY)
        assert caught.value.field == "product.productGrams"

    def test_plausibility_thc_keyed_as_grams_on_a_light_edible(self) -> None:
        result = extract_grams("dutchie", product={"thcContent": 100, "thcContentUnit": "g", "productGrams": 0.1},
                               sale_line={"quantity": 1})
        assert result.grams_value == 100
        assert [warning.code for warning in result.warnings] == ["thc_exceeds_weight"]

    def test_plausibility_weights_disagree(self) -> None:
        result = extract_grams("dutchie", product={"productGrams": 3.5, "netWeight": 3500, "netWeightUnit": "g"},
                               sale_line={"quantity": 1})
        assert [warning.code for warning in result.warnings] == ["weights_disagree"]
        agreeing = extract_grams("dutchie", product={"productGrams": 3.5, "netWeight": 3500, "netWeightUnit": "mg"},
                                 sale_line={"quantity": 1})
        assert agreeing.warnings == ()
