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


class TestDutchie(VendorTestBase):
    vendor = "dutchie"
    examples = (
        Example("THC content in mg", THC_MG, {"quantity": 2}, 0.2, "product.thcContent"),
        Example("THC percentage falls back to product grams", THC_PCT, {"quantity": 2}, 7.0, "product.productGrams"),
        Example("sale item weight in ounces", {"thcContent": None, "productGrams": None}, SALE_ONLY, GRAMS_PER_OUNCE,
                "sale_line.unitWeight"),
        Example("flower equivalent", {}, FE_ONLY, 5.0, "sale_line.flowerEquivalent"),
    )

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
        assert [step.outcome.value for step in result.trace] == ["skipped", "skipped", "taken", "note"]

    def test_unit_weight_without_its_unit_falls_back_to_flower_equivalent(self) -> None:
        result = extract_grams("dutchie", product={}, sale_line={"unitWeight": 3.5, **FE_ONLY})
        assert result.source == "sale_line.flowerEquivalent"
        assert "unitWeightUnit is missing" in result.trace[2].reason

    def test_flower_equivalent_needs_its_unit(self) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams("dutchie", product={}, sale_line={"flowerEquivalent": 3.5, "quantity": 1})
        assert len(caught.value.trace) == 4
        assert "flowerEquivalentUnit is missing" in str(caught.value)

    def test_nothing_at_all_is_no_grams(self) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams("dutchie", product={"name": "Gummy"}, sale_line={"quantity": 1})
        assert caught.value.vendor == "dutchie"
        assert caught.value.fields == ("product.thcContent", "product.productGrams", "sale_line.unitWeight",
                                       "sale_line.flowerEquivalent")

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
