"""BioTrack: a usable weight on the line, then the usable weight per unit on the inventory record of the line's
barcode (by state and API version), then the product's default usable weight."""

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

from .common import Example, VendorTestBase, approx, assert_field_error

PRODUCT = {"DefaultUsableWeight": 1.0}
LINE_SPELLINGS = ("UsableWeight", "usable_weight", "usableweight")
# A real sale line: barcode, quantity and price only (vendor-fields.md, BioTrack).
SALE = {"barcodeid": "6647110000012345", "quantity": 2, "price": 25.0}


class TestBioTrack(VendorTestBase):
    vendor = "biotrack"
    examples = (
        Example("line UsableWeight (newer API)", PRODUCT, {"UsableWeight": 3.5, "quantity": 2}, 7.0,
                "sale_line.UsableWeight"),
        Example("line usable_weight (legacy API)", PRODUCT, {"usable_weight": "0.5", "quantity": 4}, 2.0,
                "sale_line.usable_weight"),
        Example("line usableweight (legacy look-up)", None, {"usableweight": 1, "quantity": 1}, 1.0,
                "sale_line.usableweight"),
        Example("product DefaultUsableWeight", {"DefaultUsableWeight": 0.7}, {"UsableWeight": None, "quantity": 10},
                7.0, "product.DefaultUsableWeight"),
        Example("product default_usable_weight", {"default_usable_weight": 2}, {"quantity": 3}, 6.0,
                "product.default_usable_weight"),
        Example("newer API casing throughout", {"DefaultUsableWeight": 1.0}, {"UsableWeight": 3.5, "Quantity": 2},
                7.0, "sale_line.UsableWeight"),
        Example("sale row usableweightperunit (BioTrack sales table)", {"UsableWeight": 9},
                {"inventoryid": "6647110000012345", "usableweightperunit": "0.5", "usableweight": 1, "quantity": 2},
                1.0, "sale_line.usableweightperunit"),
        Example("Illinois inventory usableweightperunit", {"id": "6647110000012345", "usableweightperunit": "1.0"},
                SALE, 2.0, "product.usableweightperunit"),
        Example("newer API inventory UsableWeight", {"UsableWeight": 3.5, "UOM": "g", "UnitBased": True}, SALE, 7.0,
                "product.UsableWeight"),
        Example("New York inventory Rec/Med", {"RecUsableWeight": 3.5, "MedUsableWeight": 3.0}, SALE, 7.0,
                "product.RecUsableWeight|MedUsableWeight"),
        Example("legacy inventory usable_weight", {"usable_weight": 0.5}, SALE, 1.0, "product.usable_weight"),
        Example("legacy inventory rec_usableweight", {"rec_usableweight": 1}, SALE, 2.0, "product.rec_usableweight"),
        Example("legacy transfer look-up usableweight", {"usableweight": "1"}, SALE, 2.0, "product.usableweight"),
    )

    @pytest.mark.parametrize(("field", "value"), [
        ("usableweightperunit", 1.0), ("UsableWeight", 1.0), ("usable_weight", 1.0), ("rec_usableweight", 1.0),
        ("usableweight", 1.0), ("RecUsableWeight", 1.0), ("MedUsableWeight", 1.0),
    ])
    def test_real_sale_line_reads_the_inventory_record_of_its_barcode(self, field: str, value: float) -> None:
        """Issue 9: a real line has barcode, quantity and price only; it gave no grams before."""
        result = extract_grams("biotrack", product={field: value}, sale_line=SALE)
        assert result.grams_value == 2.0 and result.per_unit_value == 1.0 and result.quantity == 2
        assert result.basis is Basis.USABLE_WEIGHT and field in result.source

    def test_rec_and_med_take_the_larger(self) -> None:
        for rec, med, grams in ((3.5, 3.0, 7.0), (1.0, 2.0, 4.0), (None, 2.0, 4.0), (1.5, 0, 3.0)):
            result = extract_grams("biotrack", product={"RecUsableWeight": rec, "MedUsableWeight": med},
                                   sale_line=SALE)
            assert result.grams_value == grams
        traced = extract_grams("biotrack", product={"RecUsableWeight": 1, "MedUsableWeight": 2}, sale_line=SALE)
        assert "product.MedUsableWeight = 2 g per unit, the larger of the two customer types" in str(traced.trace)

    def test_inventory_names_are_tried_in_order(self) -> None:
        record = {"usableweightperunit": 1, "UsableWeight": 2, "RecUsableWeight": 3, "usable_weight": 4,
                  "rec_usableweight": 5, "usableweight": 6, "DefaultUsableWeight": 7}
        order = ["product.usableweightperunit", "product.UsableWeight", "product.RecUsableWeight|MedUsableWeight",
                 "product.usable_weight", "product.rec_usableweight", "product.usableweight",
                 "product.DefaultUsableWeight"]
        for source in order:
            result = extract_grams("biotrack", product=record, sale_line=SALE)
            assert result.source == source
            del record[source.split(".")[1].split("|")[0]]

    def test_a_line_usable_weight_wins_over_the_inventory_record(self) -> None:
        result = extract_grams("biotrack", product={"UsableWeight": 3.5}, sale_line={**SALE, "usable_weight": 1})
        assert result.source == "sale_line.usable_weight"

    def test_quantity_in_either_casing(self) -> None:
        result = extract_grams("biotrack", product={}, sale_line={"UsableWeight": 1, "Quantity": 3})
        assert result.quantity == 3 and result.grams_value == 3.0
        assert result.trace[-1].source == "sale_line.Quantity"
        assert result.trace[-1].reason == "3 unit(s) x 1 g = 3 g"
        legacy = extract_grams("biotrack", product={}, sale_line={"usable_weight": 1, "quantity": 2, "Quantity": 5})
        assert legacy.quantity == 2 and legacy.trace[-1].source == "sale_line.quantity"

    @pytest.mark.parametrize("unset", [None, 0, "0", "", " "])
    def test_unset_quantity_falls_to_the_other_casing(self, unset: Any) -> None:
        result = extract_grams("biotrack", product={}, sale_line={"UsableWeight": 2, "quantity": unset,
                                                                  "Quantity": "4"})
        assert result.grams_value == 8.0 and result.trace[-1].source == "sale_line.Quantity"
        assert extract_many("biotrack", [({}, {"UsableWeight": 2, "quantity": unset, "Quantity": "4"})]).grams == [8.0]

    @pytest.mark.parametrize("bad", ["two", "1,5", -1, True, [2]])
    def test_a_corrupt_quantity_stops_rather_than_reading_the_other_casing(self, bad: Any) -> None:
        assert_field_error("biotrack", {}, {"UsableWeight": 2, "quantity": bad, "Quantity": 4}, "sale_line.quantity")

    def test_no_quantity_in_either_casing(self) -> None:
        with pytest.raises(NoQuantityError) as caught:
            extract_grams("biotrack", product=PRODUCT, sale_line={"UsableWeight": 1, "Quantity": 0})
        error = caught.value
        assert error.field == "sale_line.quantity" and error.also == ("sale_line.Quantity",)
        assert "not set under sale_line.Quantity either" in str(error)

    def test_line_usable_weight_wins_over_the_product_default(self) -> None:
        result = extract_grams("biotrack", product={"DefaultUsableWeight": 1}, sale_line={"usable_weight": 3.5,
                                                                                          "quantity": 1})
        assert result.source == "sale_line.usable_weight" and result.grams_value == 3.5
        assert result.basis is Basis.USABLE_WEIGHT
        assert result.per_unit_value == 3.5 and result.quantity == 1

    def test_spellings_are_tried_in_order(self) -> None:
        line = {"UsableWeight": 1, "usable_weight": 2, "usableweight": 3, "quantity": 1}
        assert extract_grams("biotrack", product={}, sale_line=line).source == "sale_line.UsableWeight"
        del line["UsableWeight"]
        assert extract_grams("biotrack", product={}, sale_line=line).source == "sale_line.usable_weight"

    @pytest.mark.parametrize("empty", [None, 0, "", "  "])
    def test_empty_line_usable_weight_falls_back_to_the_product_default(self, empty: Any) -> None:
        line = {spelling: empty for spelling in LINE_SPELLINGS} | {"quantity": 2}
        result = extract_grams("biotrack", product={"DefaultUsableWeight": "1.25"}, sale_line=line)
        assert result.source == "product.DefaultUsableWeight" and result.grams_value == 2.5
        assert [step.outcome for step in result.trace[:4]] == [Outcome.SKIPPED] * 4
        assert all(step.source.startswith("sale_line.") for step in result.trace[:4])

    def test_legacy_default_after_newer_default(self) -> None:
        result = extract_grams("biotrack", product={"DefaultUsableWeight": 0, "default_usable_weight": 1},
                               sale_line={"quantity": 1})
        assert result.source == "product.default_usable_weight"
        assert "is 0, treated as not set" in result.trace[10].reason

    def test_package_net_weight_is_not_usable_weight(self) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams("biotrack", product={"NetPackageWeight": 3.5, "UOM": "g"}, sale_line=SALE)
        assert len(caught.value.trace) == 12

    def test_a_corrupt_line_value_stops_the_chain_instead_of_falling_back(self) -> None:
        error = assert_field_error("biotrack", PRODUCT, {"UsableWeight": "3,5", "quantity": 1},
                                   "sale_line.UsableWeight")
        assert error.value == "3,5"

    @pytest.mark.parametrize("bad", ["-1", -0.5, math.nan, math.inf, "abc", True, {"g": 1}, [1], "1e999"])
    def test_bad_values_name_the_vendor_field_and_value(self, bad: Any) -> None:
        for where, product, line in (
            ("sale_line.usableweight", {}, {"usableweight": bad, "quantity": 1}),
            ("product.DefaultUsableWeight", {"DefaultUsableWeight": bad}, {"quantity": 1}),
        ):
            assert_field_error("biotrack", product, line, where)

    def test_thousands_separator(self) -> None:
        result = extract_grams("biotrack", product={}, sale_line={"usable_weight": "1,000", "quantity": 1})
        assert result.grams_value == 1000.0

    def test_missing_quantity(self) -> None:
        with pytest.raises(NoQuantityError) as caught:
            extract_grams("biotrack", product=PRODUCT, sale_line={"UsableWeight": 1})
        assert caught.value.field == "sale_line.quantity"

    def test_plausibility_line_and_default_disagree(self) -> None:
        result = extract_grams("biotrack", product={"DefaultUsableWeight": 3.5},
                               sale_line={"UsableWeight": 3500, "quantity": 1})
        codes = {warning.code for warning in result.warnings}
        assert codes == {"weights_disagree", "unit_over_pound", "line_over_kilogram"}
        assert result.grams_value == 3500.0

    def test_plausibility_agreeing_weights_have_no_warning(self) -> None:
        result = extract_grams("biotrack", product={"DefaultUsableWeight": 3.5, "default_usable_weight": 3.5},
                               sale_line={"UsableWeight": 3.5, "quantity": 2})
        assert result.warnings == ()
        assert result.grams_value == approx(7.0)

    def test_bulk(self) -> None:
        bulk = extract_many("biotrack", [(PRODUCT, {"quantity": 2}), ({}, {"quantity": 2}),
                                         ({}, {"usable_weight": 2, "quantity": 2})])
        assert bulk.grams == [2.0, None, 4.0]
        assert bulk.sources == ["product.DefaultUsableWeight", None, "sale_line.usable_weight"]
        assert isinstance(bulk.errors[1], NoGramsError)
