"""Blaze: custom grams, the weight tier sold (weight-based), milligrams of THC (unit-based); tier conventions."""

from __future__ import annotations

from typing import Any

import pytest

from fe_compliance.greencheck import Basis, NoGramsError, TierConvention, extract_grams, extract_many
from fe_compliance.greencheck.blaze import WEIGHT_KEY_TIERS, WEIGHT_PER_UNIT_TIERS
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import Example, VendorTestBase, approx

WEIGHT = {"category": {"unitType": "grams"}}
UNITS = {"category": {"unitType": "units"}}
CUSTOM = {**UNITS, "weightPerUnit": "CUSTOM_GRAMS", "customWeight": 2.5, "customGramType": "GRAM"}


class TestBlaze(VendorTestBase):
    vendor = "blaze"
    examples = (
        Example("custom grams", CUSTOM, {"quantity": 2, "weightKey": "UNIT"}, 5.0, "product.customWeight"),
        Example("weightKey tier", {**WEIGHT, "weightPerUnit": "EACH"}, {"weightKey": "ONE_EIGHTTH", "quantity": 2},
                7.0, "sale_line.weightKey"),
        Example("line weightPerUnit tier", WEIGHT, {"weightKey": "UNIT", "weightPerUnit": "HALF_OUNCE",
                                                     "quantity": 1}, 14.0, "sale_line.weightPerUnit"),
        Example("product tier", {**WEIGHT, "weightPerUnit": "FULL_GRAM"}, {"quantity": 3}, 3.0,
                "product.weightPerUnit"),
        Example("product tier, avoirdupois", {**WEIGHT, "weightPerUnit": "EIGHTH"}, {"quantity": 1},
                GRAMS_PER_OUNCE / 8, "product.weightPerUnit", kwargs={"tier_convention": "avoirdupois"}),
        Example("unit-based mg THC", {**UNITS, "weightPerUnit": "EACH", "potencyAmount": {"thc": 100, "cbd": 0}},
                {"quantity": 2, "weightKey": "UNIT"}, 0.2, "product.potencyAmount.thc"),
    )

    def test_eighth_under_both_conventions(self) -> None:
        product = {**WEIGHT, "weightPerUnit": "EIGHTH"}
        trade = extract_grams("blaze", product=product, sale_line={"quantity": 1})
        exact = extract_grams("blaze", product=product, sale_line={"quantity": 1},
                              tier_convention=TierConvention.AVOIRDUPOIS)
        assert trade.grams_value == 3.5
        assert exact.grams_value == approx(3.543690390625)
        assert "trade convention" in trade.trace[-2].reason
        assert exact.to_dict()["tier_convention"] == "avoirdupois"

    @pytest.mark.parametrize(("tier", "trade", "exact"), [
        ("HALF_GRAM", 0.5, 0.5), ("FULL_GRAM", 1, 1), ("TWO_GRAMS", 2, 2), ("EIGHTH", 3.5, GRAMS_PER_OUNCE / 8),
        ("FOURTH", 7, GRAMS_PER_OUNCE / 4), ("HALF_OUNCE", 14, GRAMS_PER_OUNCE / 2), ("OUNCE", 28, GRAMS_PER_OUNCE),
        ("POUND", 448, 16 * GRAMS_PER_OUNCE),
    ])
    def test_weight_per_unit_tiers(self, tier: str, trade: float, exact: float) -> None:
        assert WEIGHT_PER_UNIT_TIERS[tier]
        product = {**WEIGHT, "weightPerUnit": tier}
        assert extract_grams("blaze", product=product, sale_line={"quantity": 1}).grams_value == approx(trade)
        assert extract_grams("blaze", product=product, sale_line={"quantity": 1},
                             tier_convention="avoirdupois").grams_value == approx(exact)

    @pytest.mark.parametrize(("key", "grams"), [
        ("MILLIGRAM", 0.001), ("HALF_GRAM", 0.5), ("GRAM", 1), ("TWO_GRAMS", 2), ("THREE_GRAMS", 3),
        ("ONE_EIGHTTH", 3.5), ("ONE_EIGHTH", 3.5), ("QUARTER", 7), ("HALF", 14), ("OUNCE", 28), ("POUND", 448),
        ("METRC_ONE_EIGHTH", GRAMS_PER_OUNCE / 8), ("METRC_QUARTER", GRAMS_PER_OUNCE / 4),
        ("METRC_OUNCE", GRAMS_PER_OUNCE),
    ])
    def test_weight_key_tiers_trade(self, key: str, grams: float) -> None:
        assert key in WEIGHT_KEY_TIERS
        result = extract_grams("blaze", product=WEIGHT, sale_line={"weightKey": key, "quantity": 1})
        assert result.grams_value == approx(grams)

    def test_metrc_keys_ignore_the_callers_convention(self) -> None:
        for convention in ("trade", "avoirdupois"):
            result = extract_grams("blaze", product=WEIGHT, sale_line={"weightKey": "METRC_ONE_EIGHTH",
                                                                        "quantity": 1}, tier_convention=convention)
            assert result.grams_value == approx(GRAMS_PER_OUNCE / 8)

    def test_custom_grams_wins_even_for_weight_based(self) -> None:
        product = {**WEIGHT, "weightPerUnit": "CUSTOM_GRAMS", "customWeight": 750, "customGramType": "MILLIGRAM"}
        result = extract_grams("blaze", product=product, sale_line={"weightKey": "GRAM", "quantity": 1})
        assert result.basis is Basis.CUSTOM_WEIGHT and result.grams_value == approx(0.75)

    def test_custom_flag_on_the_line(self) -> None:
        product = {**WEIGHT, "customWeight": 1, "customGramType": "OUNCE"}
        result = extract_grams("blaze", product=product, sale_line={"weightKey": "CUSTOM", "quantity": 1})
        assert result.grams_value == GRAMS_PER_OUNCE

    @pytest.mark.parametrize(("weight", "unit"), [(30, "MILLILITER"), (30, "FLUID_OUNCE"), (30, None), (None, "GRAM"),
                                                  (0, "GRAM")])
    @pytest.mark.parametrize("flag", [{"weightPerUnit": "CUSTOM_GRAMS"}, {"weightPerUnit": "EIGHTH"}])
    def test_custom_grams_never_falls_back_to_a_tier(self, weight: Any, unit: Any, flag: dict[str, Any]) -> None:
        """Seed: the weight sold is read for a product that is *not* custom grams; custom grams is flagged on the
        product (CUSTOM_GRAMS) or on the line (weightKey CUSTOM, here with a tier on the line and the product)."""
        product = {**WEIGHT, **flag, "customWeight": weight, "customGramType": unit}
        key = "GRAM" if flag["weightPerUnit"] == "CUSTOM_GRAMS" else "CUSTOM"
        line = {"weightKey": key, "weightPerUnit": "OUNCE", "quantity": 1}
        with pytest.raises(NoGramsError) as caught:
            extract_grams("blaze", product=product, sale_line=line)
        trace = caught.value.trace
        assert trace[0].outcome.value == "skipped" and trace[0].source == "product.customWeight"
        assert [step.source for step in trace[1:4]] == ["sale_line.weightKey", "sale_line.weightPerUnit",
                                                         "product.weightPerUnit"]
        assert all("does not apply: it is the case that" in step.reason for step in trace[1:4])
        assert isinstance(extract_many("blaze", [(product, line)]).errors[0], NoGramsError)

    def test_unit_based_custom_grams_without_a_weight_uses_the_thc(self) -> None:
        """The seed puts no 'not custom' condition on the THC step of a unit-based product."""
        product = {**UNITS, "weightPerUnit": "CUSTOM_GRAMS", "customWeight": 355, "customGramType": "MILLILITER",
                   "potencyAmount": {"thc": 10}}
        result = extract_grams("blaze", product=product, sale_line={"weightKey": "UNIT", "quantity": 2})
        assert result.source == "product.potencyAmount.thc" and result.grams_value == approx(0.02)
        assert "a volume, not a weight" in result.trace[0].reason

    def test_not_custom_skips_custom_weight(self) -> None:
        product = {**WEIGHT, "weightPerUnit": "EIGHTH", "customWeight": 99, "customGramType": "GRAM"}
        result = extract_grams("blaze", product=product, sale_line={"quantity": 1})
        assert result.grams_value == 3.5

    def test_unit_based_ignores_tiers(self) -> None:
        product = {**UNITS, "weightPerUnit": "EIGHTH", "potencyAmount": {"thc": 10}}
        result = extract_grams("blaze", product=product, sale_line={"weightKey": "GRAM", "quantity": 1})
        assert result.basis is Basis.THC and result.grams_value == approx(0.01)

    def test_weight_based_ignores_thc(self) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams("blaze", product={**WEIGHT, "weightPerUnit": "EACH", "potencyAmount": {"thc": 10}},
                          sale_line={"weightKey": "UNIT", "quantity": 1})
        assert "not a weight tier" in str(caught.value)

    def test_missing_unit_type_is_no_grams(self) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams("blaze", product={"weightPerUnit": "EIGHTH", "potencyAmount": {"thc": 10}},
                          sale_line={"quantity": 1})
        assert "category.unitType is missing" in str(caught.value)

    def test_bulk_convention(self) -> None:
        lines = [({**WEIGHT, "weightPerUnit": "OUNCE"}, {"quantity": 1})] * 3
        assert extract_many("blaze", lines).grams == [28.0] * 3
        assert extract_many("blaze", lines, tier_convention="avoirdupois").grams == [GRAMS_PER_OUNCE] * 3
