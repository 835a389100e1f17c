"""Plausibility floors: a value too small (a unit slip a thousandfold down) is flagged as a value too large is.

The thresholds are documented on docs/vendors/index.md and in fe_compliance.greencheck.plausibility.
"""

from __future__ import annotations

import pytest

from fe_compliance.greencheck import extract_grams
from fe_compliance.greencheck.plausibility import (
    MIN_CONCENTRATE_GRAMS,
    MIN_FLOWER_GRAMS,
    MIN_NON_EDIBLE_THC_GRAMS,
    category_kind,
)


def _metrc(category: str, weight: float, unit: str = "Grams") -> set[str]:
    item = {"ProductCategoryName": category, "UnitWeight": weight, "UnitWeightUnitOfMeasureName": unit}
    result = extract_grams("metrc", product=item, sale_line={"QuantitySold": 1, "UnitOfMeasureName": "Each"})
    return {warning.code for warning in result.warnings}


def _posabit_thc(category: str, measure: str) -> set[str]:
    result = extract_grams("posabit", product={"bulk_item": False, "category": category, "thc_measure": measure},
                           sale_line={"quantity": 1})
    return {warning.code for warning in result.warnings}


def test_thresholds_are_the_documented_ones() -> None:
    assert (MIN_FLOWER_GRAMS, MIN_CONCENTRATE_GRAMS, MIN_NON_EDIBLE_THC_GRAMS) == (0.1, 0.05, 0.01)


@pytest.mark.parametrize("weight", [0.35, 0.5, 1.0, 0.1])
def test_a_legal_mini_pre_roll_does_not_warn(weight: float) -> None:
    assert _metrc("Pre-Roll", weight) == set()
    assert _metrc("Flower", weight) == set()


@pytest.mark.parametrize(("category", "weight"), [("Pre-Roll", 0.001), ("Pre-Rolls", 0.099), ("Flower", 0.05),
                                                  ("Buds", 0.001)])
def test_flower_or_pre_roll_unit_under_a_tenth_of_a_gram(category: str, weight: float) -> None:
    assert _metrc(category, weight) == {"weight_too_small"}


def test_pre_roll_of_one_milligram_says_why() -> None:
    item = {"ProductCategoryName": "Pre-Roll", "UnitWeight": 1, "UnitWeightUnitOfMeasureName": "Milligrams"}
    result = extract_grams("metrc", product=item, sale_line={"QuantitySold": 3, "UnitOfMeasureName": "Each"})
    (warning,) = result.warnings
    assert warning.code == "weight_too_small"
    assert "0.001 g per unit" in warning.message and "pre-roll" in warning.message and "0.1 g" in warning.message


@pytest.mark.parametrize(("weight", "codes"), [(0.049, {"weight_too_small"}), (0.001, {"weight_too_small"}),
                                               (0.05, set()), (0.5, set()), (1.0, set())])
def test_concentrate_under_fifty_milligrams(weight: float, codes: set[str]) -> None:
    assert _metrc("Concentrate", weight) == codes
    assert _metrc("Vape Cartridge", weight) == codes


def test_a_concentrate_of_half_a_tenth_of_a_gram_is_not_held_to_the_flower_floor() -> None:
    assert _metrc("Concentrate (Each)", 0.08) == set()
    assert _metrc("Flower (Each)", 0.08) == {"weight_too_small"}


def test_weighed_line_of_no_named_category_is_held_to_the_flower_floor() -> None:
    line = {"weight": 0.05, "unit_of_weight": "g", "quantity": 1}
    result = extract_grams("posabit", product={"bulk_item": True}, sale_line=line)
    assert [warning.code for warning in result.warnings] == ["weight_too_small"]
    assert "weighed line" in result.warnings[0].message and "on the line" in result.warnings[0].message
    fine = extract_grams("posabit", product={"bulk_item": True}, sale_line={**line, "weight": 1.0})
    assert fine.warnings == ()


def test_thc_floor_for_non_edibles_only() -> None:
    assert _posabit_thc("Pre-Rolls", "1mg") == {"thc_too_small"}
    assert _posabit_thc("Concentrates", "5 mg") == {"thc_too_small"}
    assert _posabit_thc("Pre-Rolls", "10mg") == set()
    assert _posabit_thc("Edibles", "1mg") == set()  # micro-dose edibles are sold
    assert _posabit_thc("Gummies", "1mg") == set()  # unknown category: no THC floor


@pytest.mark.parametrize(("text", "kind"), [
    ("NonEdible", None), ("Non-Edible", None), ("non edible topical", None), ("Edibles", "edible"),
    ("Infused Edible", "edible"), ("non-concentrated", None), ("Concentrates", "concentrate"),
    ("Infused Pre-Roll", "pre-roll"), ("Flowers", "flower"), ("Budder", "concentrate"), (None, None),
    ("Accessories", None),
])
def test_category_kinds(text: str | None, kind: str | None) -> None:
    assert category_kind(text) == kind
