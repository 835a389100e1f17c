"""The MassCIP counting rule (seed 000_ccfae62b51cd6f41.txt): flower x1, every non-flower kind x5.3, unknown refused."""

from __future__ import annotations

import pytest

from fe_compliance.errors import FEComplianceError, UnknownCategoryError
from fe_compliance.masscip import (
    DEFAULT_TABLE,
    MULTIPLIER,
    MassCIPCategory,
    NotCountedCategoryError,
    UnknownMassCIPCategoryError,
    masscip_grams,
    masscip_grams_float,
    multiplier_for,
)


def grams_of(quantity: object) -> float:
    assert str(quantity.units) == "gram"  # type: ignore[attr-defined]
    return float(quantity.magnitude)  # type: ignore[attr-defined]


def test_multiplier_is_exactly_5_3() -> None:
    assert MULTIPLIER == 5.3
    assert isinstance(MULTIPLIER, float)


def test_issue_examples_buds_3_5_g_and_concentrate_1_g() -> None:
    assert grams_of(masscip_grams("Buds", "3.5 g")) == 3.5
    assert grams_of(masscip_grams("Concentrate", "1 g")) == 5.3


FLOWER_SPELLINGS = ["Buds", "Shake/Trim", "ShakeTrim", "Pre-Roll Flower", "Flower"]


@pytest.mark.parametrize("category", FLOWER_SPELLINGS)
def test_flower_counts_times_one(category: str) -> None:
    assert multiplier_for(category) == 1.0
    assert grams_of(masscip_grams(category, "7 g")) == 7.0
    assert DEFAULT_TABLE.lookup(category).masscip_category is MassCIPCategory.FLOWER


# One spelling per kind the issue lists under x5.3, and the ProductCategoryType spellings.
NON_FLOWER_BY_KIND = {
    "concentrate": "Concentrate",
    "concentrate (each)": "Concentrate (Each)",
    "kief": "Kief",
    "vape oil": "Vape Oil",
    "vape cartridge (name)": "Vape Cartridge",
    "vape cartridge (type)": "VapeCartridge",
    "infused edible (type)": "InfusedEdible",
    "infused (MA name)": "Infused",
    "infused edible (name)": "Infused (edible)",
    "infused liquid": "Infused Liquid",
    "infused non-edible (type)": "InfusedNonEdible",
    "infused non-edible (name)": "Infused (non-edible)",
    "tincture": "Tincture",
    "capsule": "Capsule",
    "suppository": "Suppository",
    "infused pre-roll (type)": "InfusedPreRoll",
    "infused pre-roll (name)": "Pre-Roll Infused",
    "topical": "Topical",
}


@pytest.mark.parametrize("category", list(NON_FLOWER_BY_KIND.values()), ids=list(NON_FLOWER_BY_KIND))
def test_each_non_flower_kind_counts_times_5_3(category: str) -> None:
    assert multiplier_for(category) == 5.3
    assert grams_of(masscip_grams(category, "2 g")) == 2 * 5.3
    assert masscip_grams_float(category, 2.0) == 2 * 5.3
    assert DEFAULT_TABLE.lookup(category).masscip_category is MassCIPCategory.NON_FLOWER


@pytest.mark.parametrize(
    ("spelling", "entry"),
    [
        ("buds", "Buds"),
        ("  BUDS  ", "Buds"),
        ("shake trim", "Shake/Trim"),
        ("SHAKE-TRIM", "Shake/Trim"),
        ("Shake / Trim", "Shake/Trim"),
        ("pre roll flower", "Pre-Roll Flower"),
        ("PreRoll Flower", "Pre-Roll Flower"),
        ("vape   oil", "Vape Oil"),
        ("Infused Edible", "InfusedEdible"),
        ("infused pre-roll", "InfusedPreRoll"),
        ("\uff22uds", "Buds"),  # full-width B, folded by NFKC
    ],
)
def test_names_match_without_case_spacing_or_punctuation(spelling: str, entry: str) -> None:
    assert DEFAULT_TABLE.lookup(spelling).name == entry


@pytest.mark.parametrize("category", ["Edibles", "Vape Cart", "Other", "NonCannabis", "Bud", "Wax", "///"])
def test_unknown_category_is_an_error_never_flower(category: str) -> None:
    with pytest.raises(UnknownMassCIPCategoryError) as info:
        masscip_grams(category, "1 g")
    error = info.value
    assert isinstance(error, UnknownCategoryError)
    assert isinstance(error, FEComplianceError)
    assert error.field == "category"
    assert error.value == category
    assert repr(category) in str(error)
    for path in (lambda: multiplier_for(category), lambda: masscip_grams_float(category, 1.0)):
        with pytest.raises(UnknownMassCIPCategoryError):
            path()


@pytest.mark.parametrize("category", ["Plants", "Immature Plants", "Clones", "seeds"])
def test_plants_clones_and_seeds_are_not_counted_and_never_zero(category: str) -> None:
    for path in (
        lambda: masscip_grams(category, "1 g"),
        lambda: masscip_grams_float(category, 1.0),
        lambda: multiplier_for(category),
    ):
        with pytest.raises(NotCountedCategoryError) as info:
            path()
        assert info.value.field == "category"
        assert info.value.value == category


def test_zero_grams_counts_zero_for_a_known_category() -> None:
    assert grams_of(masscip_grams("Concentrate", "0 g")) == 0.0
