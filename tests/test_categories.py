"""Category names: canonical names, aliases and the product-category map, compared without case or spacing."""

from __future__ import annotations

import pytest

from fe_compliance import CategoryAliases, CustomerType, InvalidValueError, ProductCategoryMap
from fe_compliance.categories import DEFAULT_ALIASES, BasedOn


def test_aliases_and_canonical_names_resolve_to_the_canonical_spelling() -> None:
    aliases = CategoryAliases({"Cartridges": "Combined  Inhalable", "Vapes": "Combined Inhalable"})
    for name in ("cartridges", " CARTRIDGES ", "vapes", "combined inhalable", "Combined   Inhalable"):
        assert aliases.canonical(name) == "Combined Inhalable"
    assert aliases.canonical("  Solid   Edible ") == "Solid Edible"  # unknown: returned tidied, not refused
    with pytest.raises(InvalidValueError):
        aliases.canonical("   ")


def test_the_first_pair_naming_a_name_wins() -> None:
    aliases = CategoryAliases({"Carts": "Combined Inhalable", "carts ": "Concentrate", "Concentrate": "Extract"})
    assert aliases.canonical("CARTS") == "Combined Inhalable"
    assert aliases.canonical("concentrate") == "Concentrate"  # named as a canonical name by the second pair
    assert aliases.with_aliases({"Pens": "Combined Inhalable"}).canonical("pens") == "Combined Inhalable"
    assert DEFAULT_ALIASES.canonical("Cartridges") == "Combined Inhalable"


def test_product_categories_map_to_canonical_limit_categories() -> None:
    categories = ProductCategoryMap({"Vape Carts": "cartridges", "Gummies": "Solid Edible", "Papers": None,
                                     "gummies": "Something Else"})
    assert categories.limit_category("vape  carts") == "Combined Inhalable"
    assert categories.limit_category("GUMMIES") == "Solid Edible"  # the first entry naming it wins
    assert categories.limit_category("Papers") is None
    assert categories.limit_category("Unknown") is None
    assert categories.with_mapping("Papers", "Accessory").limit_category("papers") == "Accessory"
    with pytest.raises(InvalidValueError):
        ProductCategoryMap({"A": "B"}, aliases={"x": "y"})  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "member"), [
    ("Recreational", CustomerType.RECREATIONAL), ("adult-use", CustomerType.RECREATIONAL),
    ("MED", CustomerType.MEDICAL), ("all", CustomerType.ALL),
])
def test_customer_types_are_read_from_their_usual_spellings(text: str, member: CustomerType) -> None:
    assert CustomerType.parse(text) is member


def test_based_on_spellings() -> None:
    assert BasedOn.parse("Grams/concentration") is BasedOn.GRAMS_CONCENTRATION
    assert BasedOn.parse("Package net weight") is BasedOn.NET_WEIGHT
    with pytest.raises(InvalidValueError):
        BasedOn.parse("weight")
