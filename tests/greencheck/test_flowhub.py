"""Flowhub: the edible/Each branch with the percentage rule, the product weight, the grams multiplier."""

from __future__ import annotations

from typing import Any

import pytest

from fe_compliance.greencheck import Basis, NoGramsError, VendorFieldError, extract_grams

from .common import Example, VendorTestBase, approx

# The reference's example product (vendor-fields.md, Flowhub).
GUMMIES = {"category": "Edibles", "productUnitOfMeasure": "each", "productUnitOfMeasureToGramsMultiplier": None,
           "productWeight": 15, "cannabinoidInformation": [{"name": "thc", "unitOfMeasure": "mg", "lowerRange": 100,
                                                             "upperRange": 100}]}
EDIBLE_PCT = {"category": "Edibles", "productWeight": 15, "productUnitOfMeasureToGramsMultiplier": 20,
              "cannabinoidInformation": [{"name": "thc", "unitOfMeasure": "%", "lowerRange": 5, "upperRange": 6}]}
FLOWER = {"category": "Flower", "productUnitOfMeasure": "grams", "productWeight": None,
          "productUnitOfMeasureToGramsMultiplier": 1,
          "cannabinoidInformation": [{"name": "thc", "unitOfMeasure": "mg", "upperRange": 250}]}


def _edible(**changes: Any) -> dict[str, Any]:
    return {**GUMMIES, **changes}


class TestFlowhub(VendorTestBase):
    vendor = "flowhub"
    examples = (
        Example("edible THC in mg", GUMMIES, {"quantity": 2, "unitOfWeight": "Each"}, 0.2,
                "product.cannabinoidInformation[name=thc].upperRange"),
        Example("THC lower range only",
                _edible(cannabinoidInformation=[{"name": "THC", "unitOfMeasure": "mg", "lowerRange": 50}]),
                {"quantity": 1}, 0.05, "product.cannabinoidInformation[name=thc].lowerRange"),
        Example("edible with THC percentage uses product weight", EDIBLE_PCT, {"quantity": 1}, 15.0,
                "product.productWeight"),
        Example("flower by the gram uses the multiplier", FLOWER, {"quantity": 3.5}, 3.5,
                "product.productUnitOfMeasureToGramsMultiplier"),
    )

    def test_reference_example_product(self) -> None:
        result = extract_grams("flowhub", product=GUMMIES, sale_line={"quantity": 1})
        assert result.basis is Basis.THC and result.grams_value == approx(0.1)

    def test_each_on_the_order_line_selects_the_thc_branch(self) -> None:
        product = {**FLOWER, "category": "Vapes", "productUnitOfMeasure": "grams"}
        via_line = extract_grams("flowhub", product=product, sale_line={"quantity": 1, "unitOfWeight": "Each"})
        assert via_line.basis is Basis.THC and via_line.grams_value == approx(0.25)
        via_product = extract_grams("flowhub", product={**product, "productUnitOfMeasure": "EACH"},
                                    sale_line={"quantity": 1})
        assert via_product.basis is Basis.THC

    def test_non_edible_non_each_never_reads_thc(self) -> None:
        result = extract_grams("flowhub", product={**FLOWER, "productWeight": 3.5}, sale_line={"quantity": 2})
        assert result.source == "product.productWeight" and result.grams_value == 7.0
        assert "does not apply" in result.trace[0].reason

    def test_percentage_rule_then_multiplier_when_weight_missing(self) -> None:
        product = {**EDIBLE_PCT, "productWeight": None}
        result = extract_grams("flowhub", product=product, sale_line={"quantity": 2})
        assert result.source == "product.productUnitOfMeasureToGramsMultiplier"
        assert result.grams_value == 40.0
        assert "a percentage" in result.trace[0].reason

    def test_thca_is_not_thc(self) -> None:
        product = _edible(cannabinoidInformation=[{"name": "thc-a", "unitOfMeasure": "mg", "upperRange": 80}])
        result = extract_grams("flowhub", product=product, sale_line={"quantity": 1})
        assert result.source == "product.productWeight"
        assert "no element cannabinoidInformation[name=thc]" in result.trace[0].reason

    def test_multiplier_as_numeric_string(self) -> None:
        product = {"category": "Flower", "productUnitOfMeasureToGramsMultiplier": "28.35"}
        assert extract_grams("flowhub", product=product, sale_line={"quantity": 1}).grams_value == 28.35

    def test_nothing_is_no_grams(self) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams("flowhub", product={"category": "Edibles", "cannabinoidInformation": []},
                          sale_line={"quantity": 1})
        assert len(caught.value.trace) == 4

    def test_garbage_cannabinoid_list(self) -> None:
        with pytest.raises(VendorFieldError) as caught:
            extract_grams("flowhub", product=_edible(cannabinoidInformation=["thc"]), sale_line={"quantity": 1})
        assert caught.value.field == "product.cannabinoidInformation"

    def test_plausibility_edible_thc_over_a_gram(self) -> None:
        product = _edible(cannabinoidInformation=[{"name": "thc", "unitOfMeasure": "g", "upperRange": 100}],
                          productWeight=0.1)
        result = extract_grams("flowhub", product=product, sale_line={"quantity": 1})
        assert {warning.code for warning in result.warnings} == {"edible_thc_high", "thc_exceeds_weight"}

    def test_plausibility_edible_of_100_g_that_weighs_a_tenth_of_a_gram_by_its_multiplier(self) -> None:
        product = _edible(cannabinoidInformation=[], productWeight=100, productUnitOfMeasureToGramsMultiplier=0.1)
        result = extract_grams("flowhub", product=product, sale_line={"quantity": 1})
        assert result.grams_value == 100.0
        assert [warning.code for warning in result.warnings] == ["weights_disagree"]
        assert "productUnitOfMeasureToGramsMultiplier" in result.warnings[0].message
        agreeing = _edible(cannabinoidInformation=[], productWeight=15, productUnitOfMeasureToGramsMultiplier=15)
        assert extract_grams("flowhub", product=agreeing, sale_line={"quantity": 1}).warnings == ()
        thc = _edible(cannabinoidInformation=[{"name": "thc", "unitOfMeasure": "g", "upperRange": 0.5}],
                      productUnitOfMeasureToGramsMultiplier=0.2)
        assert [warning.code for warning in extract_grams("flowhub", product=thc, sale_line={"quantity": 1}
                                                          ).warnings] == ["thc_exceeds_weight"]

    def test_plausibility_pre_roll(self) -> None:
        product = {"category": "Pre-Rolls", "productWeight": 1000}
        result = extract_grams("flowhub", product=product, sale_line={"quantity": 1})
        assert {warning.code for warning in result.warnings} == {"pre_roll_heavy", "unit_over_pound",
                                                                 "line_over_kilogram"}


# Flowhub's category enum has "NonEdible" beside "Edibles" (vendor-fields.md, Flowhub).
TOPICAL = {"category": "NonEdible", "productUnitOfMeasure": "grams", "productWeight": 2.0,
           "productUnitOfMeasureToGramsMultiplier": None,
           "cannabinoidInformation": [{"name": "thc", "unitOfMeasure": "mg", "upperRange": 50}]}


class TestFlowhubNonEdible:
    @pytest.mark.parametrize("category", ["NonEdible", "nonedible", "Non-Edible", "non edible", "NON_EDIBLE"])
    def test_non_edible_category_is_not_an_edible(self, category: str) -> None:
        result = extract_grams("flowhub", product={**TOPICAL, "category": category}, sale_line={"quantity": 1})
        assert result.source == "product.productWeight" and result.basis is Basis.PRODUCT_WEIGHT
        assert result.grams_value == 2.0
        assert "does not apply" in result.trace[0].reason

    def test_edible_categories_still_take_the_thc_branch(self) -> None:
        for category in ("Edibles", "Infused Edible", "EDIBLE"):
            result = extract_grams("flowhub", product={**TOPICAL, "category": category}, sale_line={"quantity": 1})
            assert result.basis is Basis.THC and result.grams_value == approx(0.05)

    def test_non_edible_sold_each_still_reads_thc(self) -> None:
        """"Each" is its own reason for the THC branch: a NonEdible vape cartridge sold as Each reads its THC."""
        result = extract_grams("flowhub", product={**TOPICAL, "productUnitOfMeasure": "each"},
                               sale_line={"quantity": 1})
        assert result.basis is Basis.THC

    def test_non_edible_is_no_edible_for_plausibility(self) -> None:
        heavy = {**TOPICAL, "productUnitOfMeasure": "each",
                 "cannabinoidInformation": [{"name": "thc", "unitOfMeasure": "g", "upperRange": 2}]}
        result = extract_grams("flowhub", product=heavy, sale_line={"quantity": 1})
        assert "edible_thc_high" not in {warning.code for warning in result.warnings}
