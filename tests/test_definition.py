"""The public FE definition API, exactly as issue 2 specifies it."""

from __future__ import annotations

import math

import attrs
import pint
import pytest

import fe_compliance as fc
from fe_compliance import (
    Q_,
    BasedOn,
    CustomerType,
    FEComplianceError,
    FlowerEquivalencyDefinition,
    InvalidQuantityError,
    ureg,
)


def solid_edible(**overrides: object) -> FlowerEquivalencyDefinition:
    fields: dict[str, object] = {
        "purchase_limit_category": "Solid Edible",
        "customer_type": CustomerType.ALL,
        "based_on": BasedOn.GRAMS_CONCENTRATION,
        "category_amount": "16 oz",
        "equivalent_flower_amount": "1 oz",
    }
    fields.update(overrides)
    return FlowerEquivalencyDefinition(**fields)  # type: ignore[arg-type]


def test_public_names_exist() -> None:
    for name in ("ureg", "Q_", "CustomerType", "BasedOn", "FlowerEquivalencyDefinition", "FEComplianceError"):
        assert name in fc.__all__
    assert {m.name for m in CustomerType} >= {"MEDICAL", "RECREATIONAL", "ALL"}
    assert {m.name for m in BasedOn} == {"GRAMS_CONCENTRATION", "NET_WEIGHT", "POTENCY"}
    assert len(set(fc.__all__)) == len(fc.__all__)  # sorted order is enforced by ruff (RUF022)
    for name in fc.__all__:
        assert hasattr(fc, name), name


def test_ratio_of_the_seed_example_in_ounces() -> None:
    assert solid_edible().ratio == pytest.approx(0.0625, abs=1e-12)


def test_ratio_of_the_seed_example_in_rounded_grams() -> None:
    definition = solid_edible(category_amount="453.59 g", equivalent_flower_amount="28.35 g")
    assert definition.ratio == pytest.approx(0.0625, abs=1e-3)
    assert isinstance(definition.ratio, float)


def test_flower_equivalent_of_ten_grams() -> None:
    result = solid_edible().flower_equivalent("10 g")
    assert result.units == ureg.gram
    assert result.magnitude == pytest.approx(0.625)
    assert solid_edible().flower_equivalent(Q_(10_000, "mg")).magnitude == pytest.approx(0.625)


def test_definition_is_frozen_and_evolve_recomputes_ratio() -> None:
    definition = solid_edible()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        definition.category_amount = Q_(8, "oz")  # type: ignore[misc]
    assert attrs.evolve(definition, category_amount="8 oz").ratio == pytest.approx(0.125)
    assert attrs.evolve(definition) == definition


def test_strings_for_enums_and_categories_are_read() -> None:
    definition = solid_edible(customer_type="Recreational", based_on="Grams/concentration",
                              purchase_limit_category="  Solid   Edible ")
    assert definition.customer_type is CustomerType.RECREATIONAL
    assert definition.based_on is BasedOn.GRAMS_CONCENTRATION
    assert definition.purchase_limit_category == "Solid Edible"


def test_quantity_from_another_registry_is_converted_at_the_boundary() -> None:
    other = pint.UnitRegistry()
    definition = solid_edible(
        category_amount=other.Quantity(16, "oz"), equivalent_flower_amount=other.Quantity(1, "oz")
    )
    assert definition.ratio == pytest.approx(0.0625, abs=1e-12)
    assert definition.category_amount._REGISTRY is ureg
    assert definition.flower_equivalent(other.Quantity(10, "g")).magnitude == pytest.approx(0.625)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("category_amount", "0 oz"),
        ("category_amount", "-16 oz"),
        ("category_amount", "nan oz"),
        ("category_amount", "inf oz"),
        ("category_amount", "50 percent"),
        ("category_amount", "16 floz"),
        ("category_amount", "3 count"),
        ("category_amount", 16),
        ("category_amount", "sixteen"),
        ("equivalent_flower_amount", "0 g"),
        ("equivalent_flower_amount", "1 floz"),
        ("equivalent_flower_amount", "5 %"),
        ("equivalent_flower_amount", None),
    ],
)
def test_bad_amounts_raise_a_library_error_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(FEComplianceError) as info:
        solid_edible(**{field: value})
    assert info.value.field == field
    assert field in str(info.value)


@pytest.mark.parametrize("value", ["-1 g", "nan g", "inf g", "5 %", "5 percent", "2 floz", 10, None, "x"])
def test_flower_equivalent_rejects_bad_values(value: object) -> None:
    with pytest.raises(InvalidQuantityError) as info:
        solid_edible().flower_equivalent(value)
    assert info.value.field == "grams_concentration"


def test_zero_value_gives_zero_flower_equivalent() -> None:
    assert solid_edible().flower_equivalent("0 g").magnitude == 0.0


def test_calculate_explains_itself() -> None:
    calculation = solid_edible(source="example state rule").calculate("10 g")
    assert calculation.flower_equivalent_grams == pytest.approx(0.625)
    text = "\n".join(calculation.explanation())
    assert "0.0625" in text and "0.625 g" in text and "001_0f6da1db91b12d45.txt" in text
    assert "example state rule" in text
    as_dict = calculation.to_dict()
    assert as_dict["ratio"] == pytest.approx(0.0625)
    assert as_dict["rule"]["code"] == "ratio"
    assert math.isclose(as_dict["flower_equivalent_grams"], 0.625)


def test_bad_enum_values_are_library_errors() -> None:
    with pytest.raises(FEComplianceError) as info:
        solid_edible(customer_type="tourist")
    assert info.value.field == "customer_type"
    with pytest.raises(FEComplianceError) as info:
        solid_edible(based_on="vibes")
    assert info.value.field == "based_on"
    with pytest.raises(FEComplianceError) as info:
        solid_edible(purchase_limit_category="   ")
    assert info.value.field == "purchase_limit_category"
