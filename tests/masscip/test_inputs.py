"""Inputs at the boundary: strings and Quantities (any registry) in; bad amounts and bad categories refused."""

from __future__ import annotations

import math

import pint
import pytest

from fe_compliance.errors import FEComplianceError, InvalidQuantityError, InvalidValueError, MissingDataError
from fe_compliance.masscip import explain_masscip, masscip_grams, masscip_grams_float
from fe_compliance.units import Q_


@pytest.mark.parametrize(
    ("amount", "grams"),
    [("1 g", 1.0), ("500 mg", 0.5), ("1 oz", 28.349523125), (" 2 gram ", 2.0), ("0.25 kg", 250.0)],
)
def test_string_inputs(amount: str, grams: float) -> None:
    assert math.isclose(masscip_grams("Concentrate", amount).magnitude, grams * 5.3, rel_tol=1e-12)
    assert math.isclose(masscip_grams("Buds", amount).magnitude, grams, rel_tol=1e-12)


def test_quantity_inputs_come_back_in_grams() -> None:
    result = masscip_grams("Buds", Q_(3.5, "g"))
    assert str(result.units) == "gram"
    assert result.magnitude == 3.5
    assert math.isclose(masscip_grams("Kief", Q_(250, "mg")).magnitude, 1.325, rel_tol=1e-12)


def test_caller_registry_quantity() -> None:
    theirs = pint.UnitRegistry()
    result = masscip_grams("Vape Oil", theirs.Quantity(1, "gram"))
    assert result.magnitude == 5.3
    assert str(result.units) == "gram"


@pytest.mark.parametrize(
    "amount",
    [
        "-1 g",
        Q_(-0.5, "g"),
        Q_(math.nan, "g"),
        Q_(math.inf, "g"),
        "10 %",
        Q_(10, "percent"),
        "5 ml",
        Q_(1, "fluid_ounce"),
        "1 liter",
        5,
        2.5,
        True,
        None,
        "",
        "ten grams",
        object(),
    ],
    ids=repr,
)
def test_bad_grams_inputs_raise_naming_the_field(amount: object) -> None:
    with pytest.raises(InvalidQuantityError) as info:
        masscip_grams("Buds", amount)
    assert info.value.field == "grams_concentration"
    with pytest.raises(InvalidQuantityError):
        explain_masscip("Buds", amount)


@pytest.mark.parametrize("grams", [-1.0, math.nan, math.inf, -math.inf, True, "1", None])
def test_float_path_refuses_bad_grams(grams: object) -> None:
    with pytest.raises(InvalidQuantityError) as info:
        masscip_grams_float("Buds", grams)  # type: ignore[arg-type]
    assert info.value.field == "grams_concentration"


def test_int_grams_are_accepted_on_the_float_path() -> None:
    assert masscip_grams_float("Concentrate", 2) == 2 * 5.3


@pytest.mark.parametrize("category", [None, "", "   "])
def test_missing_category_is_missing_data(category: object) -> None:
    with pytest.raises(MissingDataError) as info:
        masscip_grams(category, "1 g")  # type: ignore[arg-type]
    assert info.value.field == "category"


@pytest.mark.parametrize("category", [5, 1.0, b"Buds", ["Buds"]])
def test_category_must_be_text(category: object) -> None:
    with pytest.raises(InvalidValueError) as info:
        masscip_grams_float(category, 1.0)  # type: ignore[arg-type]
    assert info.value.field == "category"


def test_no_bare_python_error_escapes_for_garbage() -> None:
    for category, amount in [({}, "1 g"), ("Buds", {}), ("Buds", [1, "g"]), ("Buds", "1 g g g")]:
        with pytest.raises(FEComplianceError):
            masscip_grams(category, amount)  # type: ignore[arg-type]
