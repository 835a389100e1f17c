"""POSaBIT: bulk items by the weight on the sale (three readings), packaged items by the THC measure text, then
(beyond the seed) the pack size in the inventory's unit text."""

from __future__ import annotations

from typing import Any

import pytest

from fe_compliance.greencheck import Basis, NoGramsError, NoQuantityError, VendorFieldError, extract_grams, extract_many
from fe_compliance.greencheck.posabit import BULK
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import Example, VendorTestBase, approx, assert_field_error

VENDOR = "posabit"
DELI_FLOWER = {"name": "House OG (deli)", "bulk_item": True, "category": "Flower", "thc_measure": "22.5%"}
GUMMIES = {"name": "10pk Gummies", "bulk_item": False, "category": "Edibles", "thc_measure": "100mg"}
DELI_LINE = {"quantity": 1, "weight": 3.5, "unit_of_weight": "g", "weight_in_grams": 3.5}
# Packaged flower: a percentage in thc_measure, the pack size in the inventory's unit text (vendor-fields.md).
PACKAGED_FLOWER = {"name": "Blue Dream 3.5g", "bulk_item": False, "category": "Flower", "thc_measure": "22.5%",
                   "unit": "3.5g"}


def _packaged(measure: Any, **extra: Any) -> dict[str, Any]:
    return {**GUMMIES, "thc_measure": measure, **extra}


class TestPOSaBIT(VendorTestBase):
    vendor = VENDOR
    examples = (
        Example("bulk: weight in its unit", DELI_FLOWER, DELI_LINE, 3.5, "sale_line.weight"),
        Example("bulk: weight in ounces", DELI_FLOWER, {"quantity": 1, "weight": 0.25, "unit_of_weight": "oz"},
                GRAMS_PER_OUNCE / 4, "sale_line.weight"),
        Example("bulk: weight in grams only", DELI_FLOWER, {"quantity": 1, "weight_in_grams": 7}, 7.0,
                "sale_line.weight_in_grams"),
        Example("bulk: unit weight times quantity", DELI_FLOWER,
                {"quantity": 4, "unit_weight": 1, "unit_of_weight": "gram"}, 4.0, "sale_line.unit_weight"),
        Example("packaged: THC measure in mg", GUMMIES, {"quantity": 2}, 0.2, "product.thc_measure"),
        Example("packaged: THC measure in g", _packaged("0.5 g", bulk_item=None), {"quantity": 1}, 0.5,
                "product.thc_measure"),
        Example("packaged flower: THC % then pack size", PACKAGED_FLOWER, {"quantity": 2}, 7.0, "product.unit"),
    )

    # ------------------------------------------------------------------------ packaged flower: pack size

    def test_packaged_flower_reads_its_pack_size(self) -> None:
        """Issue 9: a percentage in thc_measure gave no grams; the pack size is the inventory unit text."""
        result = extract_grams(VENDOR, product=PACKAGED_FLOWER, sale_line={"quantity": 2})
        assert result.grams_value == 7.0 and result.per_unit_value == 3.5 and result.basis is Basis.PRODUCT_WEIGHT
        assert "'%' is a percentage, not a weight" in result.trace[3].reason
        assert result.trace[4].reason == "product.unit = '3.5g' -> 3.5 g per unit"
        assert result.trace[5].reason.startswith("beyond seed 003: ")
        assert extract_many(VENDOR, [(PACKAGED_FLOWER, {"quantity": 2})]).grams == [7.0]

    @pytest.mark.parametrize(("unit", "grams"), [("1g", 1.0), ("1 oz", GRAMS_PER_OUNCE), ("500 mg", 0.5),
                                                 ("28 G", 28.0)])
    def test_pack_size_spellings(self, unit: str, grams: float) -> None:
        result = extract_grams(VENDOR, product={**PACKAGED_FLOWER, "unit": unit}, sale_line={"quantity": 1})
        assert result.grams_value == approx(grams)

    def test_a_thc_measure_in_a_weight_wins_over_the_pack_size(self) -> None:
        result = extract_grams(VENDOR, product={**GUMMIES, "unit": "50g"}, sale_line={"quantity": 1})
        assert result.source == "product.thc_measure"

    @pytest.mark.parametrize("unit", [None, "each", "1 each", "3.5", "1 ml"])
    def test_a_pack_size_that_is_not_a_weight_is_no_grams(self, unit: Any) -> None:
        with pytest.raises(NoGramsError):
            extract_grams(VENDOR, product={**PACKAGED_FLOWER, "unit": unit}, sale_line={"quantity": 1})

    def test_a_corrupt_pack_size_names_the_field(self) -> None:
        assert_field_error(VENDOR, {**PACKAGED_FLOWER, "unit": "N/A"}, {"quantity": 1}, "product.unit")

    def test_bulk_never_reads_the_pack_size(self) -> None:
        with pytest.raises(NoGramsError):
            extract_grams(VENDOR, product={**DELI_FLOWER, "unit": "3.5g"}, sale_line={"quantity": 1})

    # ---------------------------------------------------------------------------------------------- bulk

    def test_bulk_weight_is_the_whole_line_not_multiplied(self) -> None:
        result = extract_grams(VENDOR, product=DELI_FLOWER, sale_line={**DELI_LINE, "quantity": 3})
        assert result.grams_value == 3.5 and result.per_unit_value is None and result.quantity is None
        assert result.basis is Basis.WEIGHT_SOLD
        assert result.trace[0].reason == "sale_line.weight = 3.5 g -> 3.5 g"

    @pytest.mark.parametrize("unit", [None, "", "each", "bag", "%"])
    def test_bulk_weight_without_a_mass_unit_falls_back_to_grams_field(self, unit: Any) -> None:
        line = {"quantity": 1, "weight": 3.5, "unit_of_weight": unit, "weight_in_grams": 3.5}
        result = extract_grams(VENDOR, product=DELI_FLOWER, sale_line=line)
        assert result.source == "sale_line.weight_in_grams" and result.grams_value == 3.5
        assert result.trace[0].outcome.value == "skipped"

    def test_bulk_unit_weight_is_per_unit(self) -> None:
        line = {"quantity": 3, "unit_weight": 500, "unit_of_weight": "mg"}
        result = extract_grams(VENDOR, product=DELI_FLOWER, sale_line=line)
        assert result.per_unit_value == approx(0.5) and result.quantity == 3 and result.grams_value == approx(1.5)
        assert result.basis is Basis.UNIT_WEIGHT

    @pytest.mark.parametrize("flag", [True, "true", "TRUE", "yes", 1])
    def test_bulk_flag_spellings(self, flag: Any) -> None:
        result = extract_grams(VENDOR, product={**DELI_FLOWER, "bulk_item": flag}, sale_line=DELI_LINE)
        assert result.source == "sale_line.weight"

    def test_bulk_never_reads_the_thc_measure(self) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams(VENDOR, product={**DELI_FLOWER, "thc_measure": "100mg"}, sale_line={"quantity": 1})
        trace = caught.value.trace
        assert [step.step for step in trace] == ["weight sold", "weight sold in grams", "unit weight times quantity",
                                                 "THC measure", "pack size"]
        assert "does not apply" in trace[3].reason

    def test_bulk_with_no_weight_is_no_grams_not_zero(self) -> None:
        for line in ({"quantity": 1}, {"quantity": 1, "weight": 0, "unit_of_weight": "g", "weight_in_grams": 0}):
            with pytest.raises(NoGramsError) as caught:
                extract_grams(VENDOR, product=DELI_FLOWER, sale_line=line)
            assert caught.value.vendor == VENDOR

    def test_bulk_unit_weight_needs_a_quantity(self) -> None:
        with pytest.raises(NoQuantityError):
            extract_grams(VENDOR, product=DELI_FLOWER, sale_line={"unit_weight": 1, "unit_of_weight": "g"})

    def test_bulk_weight_needs_no_quantity(self) -> None:
        line = {"weight": 3.5, "unit_of_weight": "g"}
        assert extract_grams(VENDOR, product=DELI_FLOWER, sale_line=line).grams_value == 3.5

    # ------------------------------------------------------------------------------------------ packaged

    @pytest.mark.parametrize(("measure", "grams"), [
        ("100mg", 0.1), ("100 mg", 0.1), ("100 MG", 0.1), ("100Mg", 0.1), (" 100 milligrams ", 0.1),
        ("3.5g", 3.5), ("3.5 g", 3.5), ("3.5 grams", 3.5), ("1,000 mg", 1.0), (".5g", 0.5), ("1e2mg", 0.1),
        ("0.125 oz", GRAMS_PER_OUNCE / 8),
    ])
    def test_thc_measure_formats(self, measure: str, grams: float) -> None:
        result = extract_grams(VENDOR, product=_packaged(measure), sale_line={"quantity": 1})
        assert result.grams_value == approx(grams) and result.basis is Basis.THC

    def test_thc_measure_times_quantity_with_trace(self) -> None:
        result = extract_grams(VENDOR, product=GUMMIES, sale_line={"quantity": 3})
        assert result.per_unit_value == approx(0.1) and result.grams_value == approx(0.3)
        assert [step.outcome.value for step in result.trace] == ["skipped", "skipped", "skipped", "taken", "note"]
        assert result.trace[3].reason == "product.thc_measure = '100mg' -> 0.1 g per unit"

    @pytest.mark.parametrize(("measure", "why"), [
        ("22.5%", "'%' is a percentage, not a weight"),
        ("22.5 %", "'%' is a percentage, not a weight"),
        ("22.5 percent", "a percentage, not a weight"),
        ("100", "a number without a unit"),
        (100, "a number without a unit"),
        ("10 ml", "a volume, not a weight"),
        ("2 each", "a count, not a weight"),
        ("100 mg THC", "not a unit spelling the library reads"),
        ("0mg", "treated as not set"),
        (None, "is missing"),
        ("  ", "is missing"),
    ])
    def test_thc_measure_that_is_not_a_weight_is_no_grams(self, measure: Any, why: str) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams(VENDOR, product=_packaged(measure), sale_line={"quantity": 1})
        assert why in caught.value.trace[3].reason

    def test_missing_bulk_flag_is_packaged(self) -> None:
        product = {"thc_measure": "5mg"}
        result = extract_grams(VENDOR, product=product, sale_line={**DELI_LINE, "quantity": 2})
        assert result.source == "product.thc_measure" and result.grams_value == approx(0.01)
        assert "does not apply: product.bulk_item is missing" in result.trace[0].reason

    def test_packaged_never_reads_the_sale_weight(self) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams(VENDOR, product=_packaged("20%"), sale_line=DELI_LINE)
        assert all("does not apply" in step.reason for step in caught.value.trace[:3])

    @pytest.mark.parametrize(("measure", "reason"), [
        ("N/A", "expected an amount with a unit"), ("high", "expected an amount with a unit"),
        ("1,5mg", "ambiguous"), ("-5mg", "must not be negative"), ("1e999mg", "finite"),
        ("nan mg", "expected an amount with a unit"), ("1.2.3mg", "plain decimal number"),
        (True, "expected an amount with a unit"), ({"mg": 100}, "expected an amount with a unit"),
        (["100mg"], "expected an amount with a unit"), (float("nan"), "finite"), (-1, "negative"),
    ])
    def test_corrupt_thc_measure_names_the_field_and_value(self, measure: Any, reason: str) -> None:
        error = assert_field_error(VENDOR, _packaged(measure), {"quantity": 1}, "product.thc_measure", reason)
        if isinstance(measure, str):
            assert error.value == measure

    # --------------------------------------------------------------------------------------- bad input

    @pytest.mark.parametrize("flag", ["maybe", 2, 0.5, [True], {"v": True}])
    def test_garbage_bulk_flag_is_an_error_not_a_branch(self, flag: Any) -> None:
        assert_field_error(VENDOR, {**DELI_FLOWER, "bulk_item": flag}, DELI_LINE, "product.bulk_item")

    @pytest.mark.parametrize(("field", "bad"), [
        ("weight", "3,5"), ("weight", -3.5), ("weight", "abc"), ("weight", {"g": 3.5}),
        ("weight_in_grams", float("inf")), ("unit_of_weight", 7), ("quantity", "1,5"),
    ])
    def test_bad_sale_values_name_the_field(self, field: str, bad: Any) -> None:
        line: dict[str, Any] = {"quantity": 1, "unit_weight": 1, "unit_of_weight": "g", "weight": 3.5,
                                "weight_in_grams": 3.5}
        line[field] = bad
        if field in ("weight_in_grams", "quantity"):
            line.pop("weight")
        if field == "quantity":  # only the per-unit reading multiplies by the quantity
            line.pop("weight_in_grams")
        with pytest.raises(VendorFieldError) as caught:
            extract_grams(VENDOR, product=DELI_FLOWER, sale_line=line)
        assert caught.value.field == f"sale_line.{field}"

    def test_digits_after_the_unit_are_not_one_amount(self) -> None:
        error = assert_field_error(VENDOR, _packaged("10mg x 10"), {"quantity": 1}, "product.thc_measure")
        assert error.value == "10mg x 10"

    def test_flag_condition_reads_nested_paths_and_explains(self) -> None:
        assert BULK.describe() == "`product.bulk_item` is true"
        assert BULK.explain({"bulk_item": False}, {}) == "product.bulk_item is false, not true"
        assert BULK.fields() == ((BULK.record, "bulk_item"),)

    # ------------------------------------------------------------------------------------- plausibility

    def test_plausibility_weights_disagree_on_a_deli_line(self) -> None:
        line = {"quantity": 1, "weight": 3500, "unit_of_weight": "g", "weight_in_grams": 3.5}
        result = extract_grams(VENDOR, product=DELI_FLOWER, sale_line=line)
        assert result.grams_value == 3500.0
        assert {warning.code for warning in result.warnings} == {"weights_disagree", "line_over_kilogram"}

    def test_plausibility_thc_per_unit_is_checked_against_the_line_weight_on_the_line(self) -> None:
        line = {"quantity": 1, "weight_in_grams": 0.5}
        assert extract_grams(VENDOR, product=GUMMIES, sale_line=line).warnings == ()
        ten = extract_grams(VENDOR, product=GUMMIES, sale_line={**line, "quantity": 10})
        assert [warning.code for warning in ten.warnings] == ["thc_exceeds_weight"]
        assert "1 g of THC on the line from product.thc_measure" in ten.warnings[0].message

    def test_plausibility_edible_thc_keyed_in_grams(self) -> None:
        result = extract_grams(VENDOR, product=_packaged("100g"), sale_line={"quantity": 1, "weight_in_grams": 15})
        assert {warning.code for warning in result.warnings} == {"edible_thc_high", "thc_exceeds_weight"}

    def test_plausibility_pre_roll_of_a_kilogram_on_either_branch(self) -> None:
        """The issue's pre-roll of 1,000 g: as THC per unit (packaged) it is over a pound and heavier than any
        pre-roll; weighed on a bulk line it is a kilogram on one line. Neither passes silently."""
        packaged = extract_grams(VENDOR, product={**_packaged("1000 g"), "category": "Pre-Roll"},
                                 sale_line={"quantity": 1})
        assert [warning.code for warning in packaged.warnings] == ["unit_over_pound", "pre_roll_heavy",
                                                                   "line_over_kilogram"]
        assert "g of THC" in packaged.warnings[0].message
        deli = extract_grams(VENDOR, product={**DELI_FLOWER, "category": "Pre-Roll"},
                             sale_line={"quantity": 1, "weight": "1,000", "unit_of_weight": "g"})
        assert [warning.code for warning in deli.warnings] == ["line_over_kilogram"]

    def test_plausible_lines_have_no_warnings(self) -> None:
        assert extract_grams(VENDOR, product=DELI_FLOWER, sale_line=DELI_LINE).warnings == ()
        assert extract_grams(VENDOR, product=GUMMIES, sale_line={"quantity": 1, "weight_in_grams": 30}).warnings == ()

    def test_bulk_path_mixed(self) -> None:
        lines = [(DELI_FLOWER, DELI_LINE), (GUMMIES, {"quantity": 2}), (_packaged("20%"), {"quantity": 1}),
                 (_packaged("N/A"), {"quantity": 1}), (GUMMIES, {"quantity": 1})]
        bulk = extract_many(VENDOR, lines)
        assert bulk.grams[0] == 3.5 and bulk.grams[1] == approx(0.2) and bulk.grams[4] == approx(0.1)
        assert isinstance(bulk.errors[2], NoGramsError) and isinstance(bulk.errors[3], VendorFieldError)
        assert bulk.sources[1] == "product.thc_measure"
