"""MJ Freeway: the product's medicated net weight in its unit of measure, times the units sold."""

from __future__ import annotations

from typing import Any

import pytest

from fe_compliance.greencheck import Basis, NoGramsError, NoQuantityError, VendorFieldError, extract_grams
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import Example, VendorTestBase, approx, assert_field_error

VENDOR = "mjfreeway"
CARTRIDGE = {"name": "Live Resin Cart", "medicated_net_weight": 0.5, "medicated_net_weight_uom": "GR"}
EDIBLE = {"name": "10pk Gummies", "medicated_net_weight": 100, "medicated_net_weight_uom": "MG"}
LINE = {"quantity": 2, "uom": "EA"}


class TestMJFreeway(VendorTestBase):
    vendor = VENDOR
    examples = (
        Example("cartridge in GR", CARTRIDGE, LINE, 1.0, "product.medicated_net_weight"),
        Example("edible in MG", EDIBLE, {"quantity": 3}, 0.3, "product.medicated_net_weight"),
        Example("ounce", {"medicated_net_weight": "1", "medicated_net_weight_uom": "Ounces"}, {"quantity": 1},
                GRAMS_PER_OUNCE, "product.medicated_net_weight"),
    )

    def test_weight_times_quantity_with_trace(self) -> None:
        result = extract_grams(VENDOR, product=CARTRIDGE, sale_line=LINE)
        assert result.per_unit_value == 0.5 and result.quantity == 2 and result.grams_value == 1.0
        assert result.basis is Basis.NET_WEIGHT
        assert [step.outcome.value for step in result.trace] == ["taken", "note"]
        assert "0.5 GR -> 0.5 g per unit" in result.trace[0].reason

    @pytest.mark.parametrize(("uom", "grams"), [("g", 3.5), ("Grams", 3.5), ("GRAMS", 3.5), ("gram", 3.5),
                                                ("mg", 0.0035), ("Milligrams", 0.0035), ("oz", 3.5 * GRAMS_PER_OUNCE)])
    def test_unit_spellings(self, uom: str, grams: float) -> None:
        product = {"medicated_net_weight": 3.5, "medicated_net_weight_uom": uom}
        assert extract_grams(VENDOR, product=product, sale_line={"quantity": 1}).grams_value == approx(grams)

    @pytest.mark.parametrize(("uom", "why"), [
        (None, "medicated_net_weight_uom is missing"),
        ("", "medicated_net_weight_uom is missing"),
        ("EA", "'EA', a count, not a weight"),
        ("ml", "'ml', a volume, not a weight"),
        ("%", "'%', a percentage, not a weight"),
        ("grains of rice", "not a unit spelling the library reads"),
    ])
    def test_weight_without_a_mass_unit_is_no_grams(self, uom: Any, why: str) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams(VENDOR, product={"medicated_net_weight": 100, "medicated_net_weight_uom": uom},
                          sale_line=LINE)
        assert why in str(caught.value)
        assert caught.value.fields == ("product.medicated_net_weight",)

    @pytest.mark.parametrize("weight", [None, 0, "0", "", "  "])
    def test_no_medicated_net_weight_is_no_grams_not_zero(self, weight: Any) -> None:
        with pytest.raises(NoGramsError) as caught:
            extract_grams(VENDOR, product={"medicated_net_weight": weight, "medicated_net_weight_uom": "GR"},
                          sale_line=LINE)
        assert caught.value.vendor == VENDOR
        assert len(caught.value.trace) == 1 and caught.value.trace[0].outcome.value == "skipped"

    def test_quantity_measured_in_grams_is_refused(self) -> None:
        with pytest.raises(VendorFieldError) as caught:
            extract_grams(VENDOR, product=CARTRIDGE, sale_line={"quantity": 3.5, "uom": "GR"})
        assert caught.value.field == "sale_line.uom" and caught.value.value == "GR"

    def test_missing_quantity(self) -> None:
        with pytest.raises(NoQuantityError) as caught:
            extract_grams(VENDOR, product=CARTRIDGE, sale_line={"uom": "EA"})
        assert caught.value.field == "sale_line.quantity"

    def test_thousands_in_a_string(self) -> None:
        product = {"medicated_net_weight": "1,000", "medicated_net_weight_uom": "mg"}
        assert extract_grams(VENDOR, product=product, sale_line={"quantity": "2"}).grams_value == approx(2.0)

    @pytest.mark.parametrize(("field", "record", "bad"), [
        ("medicated_net_weight", "product", "abc"), ("medicated_net_weight", "product", "1,5"),
        ("medicated_net_weight", "product", -1), ("medicated_net_weight", "product", float("nan")),
        ("medicated_net_weight", "product", {"value": 1}), ("medicated_net_weight", "product", True),
        ("medicated_net_weight_uom", "product", 5), ("medicated_net_weight_uom", "product", ["g"]),
        ("quantity", "sale_line", "two"), ("quantity", "sale_line", -2), ("uom", "sale_line", {"u": "EA"}),
    ])
    def test_bad_values_name_vendor_field_and_value(self, field: str, record: str, bad: Any) -> None:
        product, line = dict(CARTRIDGE), dict(LINE)
        (product if record == "product" else line)[field] = bad
        error = assert_field_error(VENDOR, product, line, f"{record}.{field}")
        assert error.value is bad or error.value == bad or (isinstance(bad, float) and error.value != error.value)

    def test_plausibility_milligrams_keyed_as_grams(self) -> None:
        product = {"medicated_net_weight": 500, "medicated_net_weight_uom": "GR"}
        result = extract_grams(VENDOR, product=product, sale_line={"quantity": 3})
        assert {warning.code for warning in result.warnings} == {"unit_over_pound", "line_over_kilogram"}
        assert result.grams_value == 1500.0

    def test_plausible_line_has_no_warnings(self) -> None:
        assert extract_grams(VENDOR, product=EDIBLE, sale_line=LINE).warnings == ()
