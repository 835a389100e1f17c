"""IndicaOnline: weight-based products by the item quantity in grams; unit-based by net weight times quantity."""

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
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import Example, VendorTestBase, approx, assert_field_error

FLOWER = {"measurement": "weight", "net_weight": 28}
CART = {"measurement": "unit", "net_weight": 0.5}


class TestIndicaOnline(VendorTestBase):
    vendor = "indicaonline"
    examples = (
        Example("weight-based: quantity is grams", FLOWER, {"quantity": 3.5}, 3.5, "sale_line.quantity"),
        Example("weight range", {"measurement": "weight_range"}, {"quantity": "7"}, 7.0, "sale_line.quantity"),
        Example("unit-based: net weight times quantity", CART, {"quantity": 3}, 1.5, "product.net_weight"),
        Example("unit range", {"measurement": "unit_range", "net_weight": "1"}, {"quantity": 2}, 2.0,
                "product.net_weight"),
        Example("weight-based, charged in ounces", FLOWER, {"quantity": 1, "charge_as": "oz", "price": 200},
                GRAMS_PER_OUNCE, "sale_line.quantity"),
        Example("unit-based, charged per unit", CART, {"quantity": 2, "charge_as": "unit"}, 1.0,
                "product.net_weight"),
    )

    def test_weight_based_is_the_whole_line(self) -> None:
        result = extract_grams("indicaonline", product=FLOWER, sale_line={"quantity": 14})
        assert result.basis is Basis.WEIGHT_SOLD
        assert result.grams_value == 14.0 and result.per_unit_value is None and result.quantity is None
        assert [step.outcome for step in result.trace] == [Outcome.TAKEN]

    def test_unit_based_is_per_unit(self) -> None:
        result = extract_grams("indicaonline", product=CART, sale_line={"quantity": 4})
        assert result.basis is Basis.NET_WEIGHT
        assert result.per_unit_value == 0.5 and result.quantity == 4 and result.grams_value == 2.0
        assert "does not apply: product.measurement is 'unit'" in result.trace[0].reason

    @pytest.mark.parametrize(("measurement", "source"), [
        ("Weight", "sale_line.quantity"), ("WEIGHT_RANGE", "sale_line.quantity"), (" unit ", "product.net_weight"),
        ("Unit_Range", "product.net_weight"),
    ])
    def test_measurement_is_case_folded(self, measurement: str, source: str) -> None:
        result = extract_grams("indicaonline", product={"measurement": measurement, "net_weight": 1},
                               sale_line={"quantity": 2})
        assert result.source == source

    @pytest.mark.parametrize("measurement", [None, "", "each", "grams", "volume"])
    def test_unknown_measurement_is_no_grams(self, measurement: Any) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams("indicaonline", product={"measurement": measurement, "net_weight": 1},
                          sale_line={"quantity": 2})
        assert len(caught.value.trace) == 2
        assert all(step.outcome is Outcome.SKIPPED for step in caught.value.trace)

    def test_unit_based_without_net_weight_does_not_read_quantity_as_grams(self) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams("indicaonline", product={"measurement": "unit"}, sale_line={"quantity": 3})
        assert "product.net_weight is missing" in caught.value.trace[-1].reason

    def test_weight_based_zero_quantity_is_no_grams(self) -> None:
        with pytest.raises(NoGramsError):
            extract_grams("indicaonline", product=FLOWER, sale_line={"quantity": 0})

    def test_weight_based_without_quantity_is_no_grams(self) -> None:
        with pytest.raises(NoGramsError):
            extract_grams("indicaonline", product=FLOWER, sale_line={})

    def test_unit_based_without_quantity(self) -> None:
        with pytest.raises(NoQuantityError) as caught:
            extract_grams("indicaonline", product=CART, sale_line={})
        assert caught.value.field == "sale_line.quantity"

    def test_zero_quantity_is_not_set_on_both_branches(self) -> None:
        """The shared rule: a zero quantity is not set, so neither branch answers 0 g."""
        with pytest.raises(NoQuantityError) as unit_based:
            extract_grams("indicaonline", product=CART, sale_line={"quantity": 0})
        assert unit_based.value.zero and unit_based.value.field == "sale_line.quantity"
        with pytest.raises(NoGramsError) as weight_based:
            extract_grams("indicaonline", product=FLOWER, sale_line={"quantity": 0})
        assert "sale_line.quantity is 0, treated as not set" in str(weight_based.value)
        bulk = extract_many("indicaonline", [(CART, {"quantity": 0}), (FLOWER, {"quantity": 0.0})])
        assert bulk.grams == [None, None]
        assert isinstance(bulk.errors[0], NoQuantityError) and isinstance(bulk.errors[1], NoGramsError)

    @pytest.mark.parametrize(("product", "line", "field"), [
        ({"measurement": 1}, {"quantity": 1}, "product.measurement"),
        ({"measurement": ["weight"]}, {"quantity": 1}, "product.measurement"),
        (FLOWER, {"quantity": "3,5"}, "sale_line.quantity"),
        (FLOWER, {"quantity": -3.5}, "sale_line.quantity"),
        (FLOWER, {"quantity": math.nan}, "sale_line.quantity"),
        (FLOWER, {"quantity": "3.5g"}, "sale_line.quantity"),
        (CART, {"quantity": {"n": 1}}, "sale_line.quantity"),
        ({**CART, "net_weight": "half"}, {"quantity": 1}, "product.net_weight"),
        ({**CART, "net_weight": True}, {"quantity": 1}, "product.net_weight"),
    ])
    def test_bad_values_name_vendor_field_and_value(self, product: Any, line: Any, field: str) -> None:
        assert_field_error("indicaonline", product, line, field)

    def test_thousands(self) -> None:
        result = extract_grams("indicaonline", product=FLOWER, sale_line={"quantity": "1,000"})
        assert result.grams_value == 1000.0
        # a kilogram sold by weight is one line, not a unit over a pound: only the per-line threshold
        assert [warning.code for warning in result.warnings] == ["line_over_kilogram"]
        lighter = extract_grams("indicaonline", product=FLOWER, sale_line={"quantity": "999.5"})
        assert lighter.warnings == ()

    def test_plausibility_net_weight_keyed_in_milligrams(self) -> None:
        result = extract_grams("indicaonline", product={**CART, "net_weight": 500}, sale_line={"quantity": 3})
        assert {warning.code for warning in result.warnings} == {"unit_over_pound", "line_over_kilogram"}

    def test_plausible_lines_have_no_warnings(self) -> None:
        assert extract_grams("indicaonline", product=CART, sale_line={"quantity": 2}).warnings == ()
        assert extract_grams("indicaonline", product=FLOWER, sale_line={"quantity": 3.5}).warnings == ()

    def test_bulk(self) -> None:
        bulk = extract_many("indicaonline", [(FLOWER, {"quantity": 3.5}), (CART, {"quantity": 2}),
                                             ({"measurement": "x"}, {"quantity": 1})])
        assert bulk.grams[:2] == [3.5, approx(1.0)]
        assert bulk.sources[:2] == ["sale_line.quantity", "product.net_weight"]
        assert isinstance(bulk.errors[2], NoGramsError)


class TestIndicaOnlineChargeAs:
    """Issue 9: an order item's `charge_as` says what its quantity is counted in; it is checked before the quantity
    is read as grams (IndicaOnline delivery-order guide: "the selected charge measurement unit")."""

    @pytest.mark.parametrize(("charge_as", "grams"), [(None, 3.5), ("", 3.5), ("gram", 3.5), ("g", 3.5),
                                                      ("Grams", 3.5), ("oz", 3.5 * GRAMS_PER_OUNCE),
                                                      ("mg", 0.0035)])
    def test_weight_based_quantity_in_the_unit_charged(self, charge_as: Any, grams: float) -> None:
        result = extract_grams("indicaonline", product=FLOWER, sale_line={"quantity": 3.5, "charge_as": charge_as})
        assert result.grams_value == approx(grams) and result.basis is Basis.WEIGHT_SOLD

    @pytest.mark.parametrize(("charge_as", "why"), [("unit", "a count"), ("each", "a count"), ("ml", "a volume"),
                                                    ("eighth", "not a unit spelling the library reads")])
    def test_weight_based_quantity_not_charged_in_a_weight_is_not_grams(self, charge_as: str, why: str) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams("indicaonline", product=FLOWER, sale_line={"quantity": 2, "charge_as": charge_as})
        assert why in caught.value.trace[0].reason and "not grams" in caught.value.trace[0].reason
        bulk = extract_many("indicaonline", [(FLOWER, {"quantity": 2, "charge_as": charge_as})])
        assert isinstance(bulk.errors[0], NoGramsError)

    def test_unit_based_quantity_must_count_units(self) -> None:
        result = extract_grams("indicaonline", product=CART, sale_line={"quantity": 4, "charge_as": "unit"})
        assert result.grams_value == 2.0
        for charge_as in ("gram", "eighth"):
            assert_field_error("indicaonline", CART, {"quantity": 4, "charge_as": charge_as}, "sale_line.charge_as")

    def test_trace_says_how_the_quantity_was_read(self) -> None:
        seed = extract_grams("indicaonline", product=FLOWER, sale_line={"quantity": 7})
        assert "in grams as the seed reads it (sale_line.charge_as is not given)" in seed.trace[0].reason
        ounces = extract_grams("indicaonline", product=FLOWER, sale_line={"quantity": 1, "charge_as": "oz"})
        assert "sale_line.quantity = 1 charged as 'oz' -> 28.3495 g" in ounces.trace[0].reason

    def test_charge_as_that_is_not_text_is_an_error(self) -> None:
        assert_field_error("indicaonline", FLOWER, {"quantity": 2, "charge_as": 1}, "sale_line.charge_as")
