"""Meadow: the content of the option sold; which option the line names; the unit of content by the category's
cannabis type (Meadow list-categories page)."""

from __future__ import annotations

from typing import Any

import pytest

from fe_compliance.greencheck import Basis, NoGramsError, NoQuantityError, extract_grams, extract_many
from fe_compliance.greencheck.meadow import option_sold
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import Example, VendorTestBase, approx, assert_field_error

VENDOR = "meadow"
SOURCE = "product.options[sold].content"

# Shaped after Meadow's public API examples (products/all and menu).
FLOWER = {
    "id": 516, "name": "3C Farms Strawberry Fields", "unit": "gram", "thcAmount": None, "thcUnit": None,
    "primaryCategory": {"id": 1, "name": "Flowers", "cannabisType": "non-concentrated"},
    "options": [
        {"id": 1432, "productId": 516, "name": "Gram", "amount": 1, "price": 1500, "content": "1"},
        {"id": 1433, "productId": 516, "name": "Eighth", "amount": 3.5, "price": 3500, "content": "3.5"},
    ],
}
PEN = {
    "id": 398, "name": "Dosist Pen", "unit": "item", "thcAmount": None, "thcUnit": None,
    "primaryCategory": {"id": 56, "name": "Vape", "cannabisType": "concentrated"},
    "options": [
        {"id": 1114, "name": "Bliss", "amount": 1, "price": 5000, "content": "112.5"},
        {"id": 1110, "name": "Arouse", "amount": 1, "price": 5000, "content": "112.5"},
    ],
}
NON_CONCENTRATED = {"id": 8, "name": "Flower", "cannabisType": "non-concentrated"}
SINGLE = {"unit": "gram", "primaryCategory": NON_CONCENTRATED,
          "options": [{"id": 15472, "name": "Eighth", "amount": 3.5, "content": "3.5"}]}
# A 1 g pre-roll sold per item in a non-concentrated category: content "1" is 1 g (issue 9).
PRE_ROLL = {"id": 801, "name": "Blue Dream Pre-roll", "unit": "item",
            "primaryCategory": {"id": 9, "name": "Pre-Rolls", "cannabisType": "non-concentrated"},
            "options": [{"id": 1250, "name": "", "amount": 1, "price": 1200, "content": "1"}]}


def line(**fields: Any) -> dict[str, Any]:
    return {"quantity": 1, **fields}


class TestMeadow(VendorTestBase):
    vendor = VENDOR
    examples = (
        Example("gram product, option by optionId", FLOWER, line(optionId=1433, quantity=2), 7.0, SOURCE),
        Example("gram product, option by productOptionId", FLOWER, line(productOptionId="1432", quantity=3), 3.0,
                SOURCE),
        Example("gram product, option by name", FLOWER, line(optionName="eighth"), 3.5, SOURCE),
        Example("gram product, only option", SINGLE, line(), 3.5, SOURCE),
        Example("concentrated, content in mg", PEN, line(optionId=1110, quantity=2), 0.225, SOURCE),
        Example("pre-roll sold per item, content in g", PRE_ROLL, line(optionId=1250, quantity=3), 3.0, SOURCE),
        Example("edibles (NJ/MA), content in mg",
                {**PEN, "primaryCategory": {"name": "Edibles", "cannabisType": "edibles"}},
                line(optionId=1114), 0.1125, SOURCE),
        Example("Michigan infused solids, content in oz",
                {**PEN, "primaryCategory": {"name": "Infused", "cannabisType": "mi-infused-solids"}},
                line(optionId=1114), 112.5 * GRAMS_PER_OUNCE, SOURCE),
    )

    # ------------------------------------------------------------------------------- which option was sold

    def test_option_by_id_and_trace(self) -> None:
        result = extract_grams(VENDOR, product=FLOWER, sale_line=line(optionId=1433, optionName="Gram", quantity=2))
        assert result.per_unit_value == 3.5 and result.quantity == 2 and result.grams_value == 7.0
        assert result.step == "option content (non-concentrated: grams)" and result.basis is Basis.WEIGHT_SOLD
        reason = result.trace[0].reason
        assert "product.options[1] ('Eighth'), id 1433 from sale_line.optionId" in reason
        assert ("product.options[1].content = '3.5', in grams because product.primaryCategory.cannabisType is "
                "'non-concentrated'") in reason

    @pytest.mark.parametrize("option_id", [1433, "1433", " 1433 ", 1433.0])
    def test_ids_match_as_numbers_or_text(self, option_id: Any) -> None:
        assert extract_grams(VENDOR, product=FLOWER, sale_line=line(optionId=option_id)).grams_value == 3.5

    def test_option_id_wins_over_product_option_id_and_name(self) -> None:
        sale = line(optionId=1432, productOptionId=1433, optionName="Eighth")
        assert extract_grams(VENDOR, product=FLOWER, sale_line=sale).grams_value == 1.0

    def test_unknown_option_id_is_no_grams_not_another_option(self) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams(VENDOR, product=FLOWER, sale_line=line(optionId=9999, optionName="Eighth"))
        assert "no element of product.options has id 9999 (sale_line.optionId)" in str(caught.value)

    def test_name_must_match_exactly_one_option(self) -> None:
        with pytest.raises(NoGramsError, match=r"no element of product\.options named 'Ounce'"):
            extract_grams(VENDOR, product=FLOWER, sale_line=line(optionName="Ounce"))
        twins = {**FLOWER, "options": [{"id": 1, "name": "Eighth", "content": "3.5"},
                                       {"id": 2, "name": "EIGHTH", "content": "3.5"}]}
        with pytest.raises(NoGramsError, match=r"2 elements of product\.options named"):
            extract_grams(VENDOR, product=twins, sale_line=line(optionName="eighth"))

    def test_line_naming_no_option_on_a_product_with_several_is_no_grams(self) -> None:
        with pytest.raises(NoGramsError, match="the line names no option"):
            extract_grams(VENDOR, product=FLOWER, sale_line=line())

    def test_only_option_is_used_when_the_line_names_none(self) -> None:
        result = extract_grams(VENDOR, product=SINGLE, sale_line=line(quantity=2))
        assert result.grams_value == 7.0 and "the product has one" in result.trace[0].reason

    @pytest.mark.parametrize("options", [None, []])
    def test_no_options_is_no_grams(self, options: Any) -> None:
        with pytest.raises(NoGramsError):
            extract_grams(VENDOR, product={**FLOWER, "options": options}, sale_line=line(optionId=1433))

    def test_option_sold_helper(self) -> None:
        notes: list[str] = []
        found = option_sold(FLOWER, {"productOptionId": 1432}, notes.append)
        assert found is not None and found[0] == 0 and found[1]["name"] == "Gram"
        assert option_sold(FLOWER, {}, None) is None

    # -------------------------------------------------------------------------------- the unit of content

    def test_concentrated_content_is_milligrams_of_thc(self) -> None:
        result = extract_grams(VENDOR, product=PEN, sale_line=line(optionId=1114))
        assert result.grams_value == approx(0.1125) and result.basis is Basis.THC
        assert result.step == "option content (concentrated: milligrams)"
        assert "in milligrams because product.primaryCategory.cannabisType is 'concentrated'" in result.trace[1].reason

    def test_pre_roll_sold_per_item_is_grams_not_milligrams(self) -> None:
        """Issue 9: the product's unit ("item") decided milligrams, so this 1 g pre-roll counted 0.001 g."""
        result = extract_grams(VENDOR, product=PRE_ROLL, sale_line=line(optionId=1250))
        assert result.grams_value == 1.0 and result.basis is Basis.WEIGHT_SOLD
        assert result.warnings == ()
        assert extract_many(VENDOR, [(PRE_ROLL, line(optionId=1250, quantity=2))]).grams == [2.0]

    @pytest.mark.parametrize("unit", ["gram", "item", None, "each"])
    def test_product_unit_does_not_decide_the_unit_of_content(self, unit: Any) -> None:
        for category, grams in ((NON_CONCENTRATED, 3.5), ({"cannabisType": "concentrated"}, 0.0035)):
            product = {**SINGLE, "unit": unit, "primaryCategory": category}
            assert extract_grams(VENDOR, product=product, sale_line=line()).grams_value == approx(grams)

    def test_michigan_infused_solids_are_ounces(self) -> None:
        product = {**SINGLE, "primaryCategory": {"name": "Infused Solids", "cannabisType": "mi-infused-solids"},
                   "options": [{"id": 1, "name": "Brownie", "amount": 1, "content": "0.5"}]}
        result = extract_grams(VENDOR, product=product, sale_line=line(quantity=2))
        assert result.grams_value == approx(GRAMS_PER_OUNCE) and result.basis is Basis.NET_WEIGHT

    def test_cannabis_type_is_case_folded(self) -> None:
        product = {**SINGLE, "primaryCategory": {"cannabisType": " Non-Concentrated "}}
        assert extract_grams(VENDOR, product=product, sale_line=line()).grams_value == 3.5

    @pytest.mark.parametrize("cannabis_type", [None, "", "mi-infused-fluids", "immature-plant", "none", "Flower"])
    def test_no_weight_unit_for_the_cannabis_type_is_no_grams(self, cannabis_type: Any) -> None:
        product = {**SINGLE, "primaryCategory": {"name": "Drinks", "cannabisType": cannabis_type}}
        with pytest.raises(NoGramsError) as caught:
            extract_grams(VENDOR, product=product, sale_line=line())
        assert all(step.outcome.value == "skipped" for step in caught.value.trace)
        assert "product.primaryCategory.cannabisType" in caught.value.trace[0].reason

    def test_no_category_is_no_grams(self) -> None:
        with pytest.raises(NoGramsError, match=r"product\.primaryCategory\.cannabisType is missing"):
            extract_grams(VENDOR, product={**SINGLE, "primaryCategory": None}, sale_line=line())

    @pytest.mark.parametrize("content", [None, "", "0", 0])
    def test_no_content_is_no_grams_not_zero(self, content: Any) -> None:
        product = {"unit": "gram", "primaryCategory": NON_CONCENTRATED,
                   "options": [{"id": 1, "name": "Eighth", "content": content}]}
        with pytest.raises(NoGramsError):
            extract_grams(VENDOR, product=product, sale_line=line(optionId=1))

    def test_content_as_a_json_number_and_with_thousands(self) -> None:
        product = {"unit": "item", "primaryCategory": {"cannabisType": "concentrated"},
                   "options": [{"id": 1, "content": 1000}, {"id": 2, "content": "1,000"}]}
        for option_id in (1, 2):
            assert extract_grams(VENDOR, product=product, sale_line=line(optionId=option_id)).grams_value == 1.0

    # ---------------------------------------------------------------------------------------- bad input

    @pytest.mark.parametrize(("content", "reason"), [
        ("3.5g", "plain decimal number"), ("3,5", "ambiguous"), ("-3.5", "negative"), ("nan", "plain decimal"),
        (float("inf"), "finite"), (True, "true/false"), ({"g": 3.5}, "an object"), ([3.5], "a list"),
    ])
    def test_corrupt_content_names_the_option(self, content: Any, reason: str) -> None:
        product = {**FLOWER, "options": [FLOWER["options"][0], {**FLOWER["options"][1], "content": content}]}
        assert_field_error(VENDOR, product, line(optionId=1433), "product.options[1].content", reason)

    @pytest.mark.parametrize(("product", "sale", "field"), [
        ({**FLOWER, "options": {"id": 1}}, line(optionId=1), "product.options"),
        ({**FLOWER, "options": "Eighth"}, line(optionId=1), "product.options"),
        ({**FLOWER, "options": [1433]}, line(optionId=1433), "product.options"),
        ({**FLOWER, "options": [{"id": [1]}]}, line(optionId=1), "product.options[0].id"),
        ({**FLOWER, "options": [{"id": 1.5}]}, line(optionId=1), "product.options[0].id"),
        (FLOWER, line(optionId={"id": 1433}), "sale_line.optionId"),
        (FLOWER, line(optionId=True), "sale_line.optionId"),
        (FLOWER, line(productOptionId=float("nan")), "sale_line.productOptionId"),
        (FLOWER, line(optionName=3), "sale_line.optionName"),
        ({**FLOWER, "options": [{"name": 7}]}, line(optionName="Eighth"), "product.options[0].name"),
        ({**FLOWER, "primaryCategory": {"cannabisType": 1}}, line(optionId=1433),
         "product.primaryCategory.cannabisType"),
        ({**FLOWER, "primaryCategory": "Flowers"}, line(optionId=1433), "product.primaryCategory.cannabisType"),
        (FLOWER, line(optionId=1433, quantity="two"), "sale_line.quantity"),
    ])
    def test_garbage_names_vendor_and_field(self, product: Any, sale: Any, field: str) -> None:
        assert_field_error(VENDOR, product, sale, field)

    def test_missing_quantity(self) -> None:
        with pytest.raises(NoQuantityError):
            extract_grams(VENDOR, product=FLOWER, sale_line={"optionId": 1433})

    # ------------------------------------------------------------------------------------- plausibility

    def test_plausibility_item_content_over_a_gram_of_thc_for_an_edible(self) -> None:
        product = {"unit": "item", "primaryCategory": {"name": "Edibles", "cannabisType": "edibles"},
                   "options": [{"id": 1, "name": "10pk", "content": "5000"}]}
        result = extract_grams(VENDOR, product=product, sale_line=line(optionId=1))
        assert [warning.code for warning in result.warnings] == ["edible_thc_high"]

    def test_plausibility_thc_heavier_than_the_option(self) -> None:
        product = {**SINGLE, "thcAmount": "5000", "thcUnit": "mg"}
        result = extract_grams(VENDOR, product=product, sale_line=line())
        assert [warning.code for warning in result.warnings] == ["thc_exceeds_weight"]
        assert extract_grams(VENDOR, product={**SINGLE, "thcAmount": "22", "thcUnit": "%"},
                             sale_line=line()).warnings == ()

    def test_plausibility_pre_roll_content_keyed_in_mg(self) -> None:
        product = {"unit": "gram", "primaryCategory": {"name": "Pre-Rolls", "cannabisType": "non-concentrated"},
                   "options": [{"id": 1, "name": "Single", "content": "1000"}]}
        result = extract_grams(VENDOR, product=product, sale_line=line(optionId=1))
        assert {warning.code for warning in result.warnings} == {"pre_roll_heavy", "unit_over_pound",
                                                                 "line_over_kilogram"}

    def test_plausibility_content_against_the_option_amount(self) -> None:
        keyed = {**SINGLE, "options": [{"id": 1, "name": "Eighth", "amount": 3.5, "content": "35"}]}
        result = extract_grams(VENDOR, product=keyed, sale_line=line(quantity=2))
        assert result.grams_value == 70.0
        assert [warning.code for warning in result.warnings] == ["weights_disagree"]
        assert result.warnings[0].message.startswith("35 g per unit from product.options[0].content and 3.5 g from "
                                                     "product.options[0].amount differ 10-fold")
        assert extract_many(VENDOR, [(keyed, line(quantity=2))]).grams == [70.0]
        agreeing = {**SINGLE, "options": [{"id": 1, "name": "Eighth", "amount": 3.5, "content": "7"}]}
        assert extract_grams(VENDOR, product=agreeing, sale_line=line()).warnings == ()

    @pytest.mark.parametrize("amount", [None, 0, "x", [3.5], -1, True])
    def test_an_unusable_amount_is_no_cross_check_and_no_error(self, amount: Any) -> None:
        product = {**SINGLE, "options": [{"id": 1, "name": "Eighth", "amount": amount, "content": "350"}]}
        result = extract_grams(VENDOR, product=product, sale_line=line())
        assert result.grams_value == 350.0 and result.warnings == ()

    def test_item_product_amount_counts_items_and_is_not_compared(self) -> None:
        result = extract_grams(VENDOR, product=PEN, sale_line=line(optionId=1114))
        assert PEN["options"][0]["amount"] == 1 and result.warnings == ()

    def test_bulk_path(self) -> None:
        lines = [(FLOWER, line(optionId=1433, quantity=2)), (PEN, line(optionName="Bliss")), (FLOWER, line()),
                 (FLOWER, line(optionId="x"))]
        bulk = extract_many(VENDOR, lines)
        assert bulk.grams[:2] == [7.0, approx(0.1125)]
        assert isinstance(bulk.errors[2], NoGramsError) and isinstance(bulk.errors[3], NoGramsError)
