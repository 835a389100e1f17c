"""Cova: edibles by THC content then net weight; non-edibles by net weight, or by the weight sold when sold by mass."""

from __future__ import annotations

import math
from typing import Any

import pytest

from fe_compliance.greencheck import (
    Basis,
    NoGramsError,
    NoQuantityError,
    Outcome,
    VendorFieldError,
    extract_grams,
    extract_many,
)

from .common import Example, VendorTestBase, approx

THC_SOURCE = "product.Specifications[Name=thc content].Value"
NET_SOURCE = "product.Specifications[Name=net weight].Value"


def _specs(thc: Any = None, thc_unit: Any = "mg", net: Any = None, net_unit: Any = "g") -> list[dict[str, Any]]:
    specs = [{"Name": "Brand", "Value": "Acme", "Unit": None}]
    if thc is not None:
        specs.append({"Name": "THC Content", "Value": thc, "Unit": thc_unit})
    if net is not None:
        specs.append({"Name": "Net Weight", "Value": net, "Unit": net_unit})
    return specs


def _product(path: str = "Edibles > Gummies", measurement: str | None = "SingleUnit", **specs: Any) -> dict[str, Any]:
    product: dict[str, Any] = {"ClassificationName": path.split(" > ")[-1], "ClassificationPath": path,
                               "Specifications": _specs(**specs)}
    if measurement is not None:
        product["MeasurementType"] = measurement
    return product


GUMMIES = _product(thc=10, net=50)
FLOWER = _product("Flower > Pre-Packaged", thc=22, thc_unit="%", net=3.5)
BULK = _product("Flower > Bulk", measurement="Mass", thc=22, thc_unit="%", net=1)


def _extract(product: Any, quantity: Any = 1) -> Any:
    return extract_grams("cova", product=product, sale_line={"Quantity": quantity})


class TestCova(VendorTestBase):
    vendor = "cova"
    examples = (
        Example("edible THC content in mg", GUMMIES, {"Quantity": 2}, 0.02, THC_SOURCE),
        Example("edible with a THC percentage uses the net weight", _product(thc=5, thc_unit="%", net=0.5),
                {"Quantity": 4}, 2.0, NET_SOURCE),
        Example("non-edible net weight", FLOWER, {"Quantity": 2}, 7.0, NET_SOURCE),
        Example("non-edible sold by mass", BULK, {"Quantity": 3.5}, 3.5, "sale_line.Quantity"),
    )

    # ------------------------------------------------------------------------------------------ edibles

    def test_edible_thc_in_grams(self) -> None:
        result = _extract(_product(thc="0.1", thc_unit="Grams", net=10), quantity=3)
        assert result.basis is Basis.THC and result.grams_value == approx(0.3)
        assert result.per_unit_value == approx(0.1)

    @pytest.mark.parametrize(("name", "path"), [
        ("Gummies", "Edibles > Gummies"), ("Edibles", None), (None, "Edible > Chocolate"),
        ("Cannabis Beverages", None), (None, "Beverages > Sparkling"), ("EDIBLES", None),
    ])
    def test_edible_is_read_from_name_or_path(self, name: Any, path: Any) -> None:
        product = {"ClassificationName": name, "ClassificationPath": path, "Specifications": _specs(thc=5, net=40)}
        assert _extract(product).source == THC_SOURCE

    @pytest.mark.parametrize("specs", [
        {"thc": 5, "thc_unit": "%"}, {"thc": 5, "thc_unit": None}, {"thc": 5, "thc_unit": "each"}, {},
        {"thc": 0}, {"thc": ""},
    ])
    def test_edible_without_thc_in_a_weight_unit_falls_back_to_net_weight(self, specs: dict[str, Any]) -> None:
        result = _extract(_product(net=20, **specs), quantity=2)
        assert result.source == NET_SOURCE and result.grams_value == 40.0
        assert result.basis is Basis.NET_WEIGHT
        assert result.trace[0].outcome is Outcome.SKIPPED

    def test_percentage_reason_is_traced(self) -> None:
        result = _extract(_product(thc=5, thc_unit="%", net=20))
        assert "a percentage, not a weight" in result.trace[0].reason

    def test_edible_with_neither_is_no_grams(self) -> None:
        with pytest.raises(NoGramsError) as caught:
            _extract(_product(thc=5, thc_unit="%"))
        assert [step.outcome for step in caught.value.trace] == [Outcome.SKIPPED] * 3

    def test_entry_names_are_case_folded(self) -> None:
        product = {"ClassificationName": "Edibles",
                   "Specifications": [{"Name": " thc CONTENT ", "Value": 10, "Unit": "MG"}]}
        assert _extract(product).grams_value == approx(0.01)

    def test_edible_sold_by_mass_still_follows_the_seed(self) -> None:
        result = _extract(_product(measurement="Mass", thc=5, thc_unit="%", net=10))
        assert result.source == NET_SOURCE
        with pytest.raises(NoGramsError) as caught:  # the seed's edible chain has no third step
            _extract(_product(measurement="Mass", thc=5, thc_unit="%"), quantity=3)
        assert caught.value.trace[-1].source == "sale_line.Quantity"
        assert "does not apply" in caught.value.trace[-1].reason
        assert isinstance(extract_many("cova", [(_product(measurement="Mass"), {"Quantity": 3})]).errors[0],
                          NoGramsError)

    # -------------------------------------------------------------------------------------- non-edibles

    def test_non_edible_never_reads_thc(self) -> None:
        product = _product("Vapes > Cartridges", thc=800, thc_unit="mg", net=1)
        result = _extract(product)
        assert result.source == NET_SOURCE and result.grams_value == 1.0
        assert "does not apply" in result.trace[0].reason
        with pytest.raises(NoGramsError):
            _extract(_product("Vapes > Cartridges", thc=800, thc_unit="mg"))

    @pytest.mark.parametrize("measurement", [None, "SingleUnit", "singleunit"])
    def test_single_unit_or_unknown_measurement_uses_net_weight(self, measurement: Any) -> None:
        result = _extract(_product("Flower", measurement=measurement, net=3.5), quantity=2)
        assert result.source == NET_SOURCE and result.grams_value == 7.0

    def test_sold_by_mass_reads_the_line_quantity_as_grams(self) -> None:
        result = _extract(BULK, quantity="7")
        assert result.source == "sale_line.Quantity" and result.grams_value == 7.0
        assert result.basis is Basis.WEIGHT_SOLD
        assert result.per_unit_value is None
        net_step = result.trace[1]
        assert net_step.source == NET_SOURCE and "does not apply" in net_step.reason

    def test_sold_by_mass_without_quantity_is_no_grams(self) -> None:
        with pytest.raises(NoGramsError) as caught:
            _extract(BULK, quantity=None)
        assert "sale_line.Quantity is missing" in caught.value.trace[-1].reason

    def test_a_unit_product_without_quantity(self) -> None:
        with pytest.raises(NoQuantityError) as caught:
            extract_grams("cova", product=FLOWER, sale_line={})
        assert caught.value.field == "sale_line.Quantity"

    # ---------------------------------------------------------------------------------------- bad input

    @pytest.mark.parametrize(("specifications", "field"), [
        ({"Name": "THC Content"}, "product.Specifications"), ("THC 10mg", "product.Specifications"),
        (["THC Content"], "product.Specifications"), ([{"Name": 5, "Value": 1}], "product.Specifications[].Name"),
        ([{"Name": "THC Content", "Value": "1,5", "Unit": "mg"}], THC_SOURCE),
        ([{"Name": "THC Content", "Value": -1, "Unit": "mg"}], THC_SOURCE),
        ([{"Name": "THC Content", "Value": math.nan, "Unit": "mg"}], THC_SOURCE),
        ([{"Name": "THC Content", "Value": {"mg": 5}, "Unit": "mg"}], THC_SOURCE),
        ([{"Name": "THC Content", "Value": 5, "Unit": 1}], "product.Specifications[Name=thc content].Unit"),
    ])
    def test_bad_specifications_name_the_vendor_field_and_value(self, specifications: Any, field: str) -> None:
        with pytest.raises(VendorFieldError) as caught:
            _extract({"ClassificationName": "Edibles", "Specifications": specifications})
        assert caught.value.vendor == "cova"
        assert caught.value.field == field

    @pytest.mark.parametrize(("field", "value"), [
        ("ClassificationName", 7), ("ClassificationPath", ["Edibles"]), ("MeasurementType", True),
    ])
    def test_non_text_classification_is_refused(self, field: str, value: Any) -> None:
        product = {**FLOWER, field: value}
        if field == "ClassificationName":
            product["ClassificationPath"] = None
        with pytest.raises(VendorFieldError) as caught:
            _extract(product)
        assert caught.value.field == f"product.{field}"

    @pytest.mark.parametrize("quantity", ["1,5", -2, math.inf, "many"])
    def test_bad_quantity_is_refused(self, quantity: Any) -> None:
        for product in (FLOWER, BULK):
            with pytest.raises(VendorFieldError) as caught:
                _extract(product, quantity=quantity)
            assert caught.value.field == "sale_line.Quantity"

    # ------------------------------------------------------------------------------------- plausibility

    def test_plausibility_edible_thc_keyed_in_grams(self) -> None:
        result = _extract(_product(thc=100, thc_unit="g", net=0.1))
        assert {warning.code for warning in result.warnings} == {"edible_thc_high", "thc_exceeds_weight"}
        assert result.grams_value == 100.0

    def test_plausibility_pre_roll_of_a_kilogram(self) -> None:
        result = _extract(_product("Pre-Rolls > Singles", net=1000))
        assert {warning.code for warning in result.warnings} == {"pre_roll_heavy", "unit_over_pound",
                                                                 "line_over_kilogram"}

    def test_a_bulk_line_is_not_cross_checked_against_a_per_unit_net_weight(self) -> None:
        result = _extract(BULK, quantity=28)
        assert result.warnings == ()

    def test_plausible_edible_has_no_warnings(self) -> None:
        assert _extract(GUMMIES, quantity=2).warnings == ()

    def test_bulk_path(self) -> None:
        bulk = extract_many("cova", [(GUMMIES, {"Quantity": 1}), (BULK, {"Quantity": 2}), (FLOWER, {})])
        assert bulk.grams[:2] == [approx(0.01), 2.0]
        assert isinstance(bulk.errors[2], NoQuantityError)
