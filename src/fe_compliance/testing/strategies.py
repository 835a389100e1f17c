"""Hypothesis strategies for fe-compliance's value types.

They build valid values only (every amount a finite, non-negative mass of :data:`fe_compliance.ureg`), so a
property test exercises the rules rather than the validators; mix in your own invalid data to test the errors.
Units are drawn as well as numbers, because a rule that breaks when an amount is written in ounces is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from ..catalog import CatalogProduct, InventoryPackage, LabResults
from ..categories import BasedOn, CustomerType
from ..equivalency import FlowerEquivalencyDefinition
from ..errors import InvalidValueError
from ..units import Q_, grams_factor

__all__ = [
    "based_on",
    "catalog_products",
    "customer_types",
    "definitions",
    "inventory_packages",
    "masses",
    "thc_amounts",
]

MASS_UNITS: tuple[str, ...] = ("gram", "milligram", "kilogram", "ounce", "pound")


def masses(
    *, min_grams: float = 0.0, max_grams: float = 10_000.0, units: Sequence[str] = MASS_UNITS
) -> st.SearchStrategy[Any]:
    """Quantities of mass between ``min_grams`` and ``max_grams``, written in one of ``units``."""
    if not 0 <= min_grams <= max_grams:
        raise InvalidValueError("min_grams", (min_grams, max_grams), "need 0 <= min_grams <= max_grams")

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        unit = draw(st.sampled_from(tuple(units)))
        grams = draw(st.floats(min_value=min_grams, max_value=max_grams, allow_nan=False, allow_infinity=False))
        return Q_(grams / grams_factor(unit), unit)

    return build()


def thc_amounts(*, max_mg: float = 10_000.0) -> st.SearchStrategy[Any]:
    """A THC content as products carry it: a mass (mostly milligrams) or a percentage of weight."""
    as_mass = st.floats(min_value=0, max_value=max_mg, allow_nan=False).map(lambda mg: Q_(mg, "milligram"))
    as_percent = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda pct: Q_(pct, "percent"))
    return st.one_of(as_mass, as_percent)


def customer_types() -> st.SearchStrategy[CustomerType]:
    return st.sampled_from(CustomerType)


def based_on() -> st.SearchStrategy[BasedOn]:
    return st.sampled_from(BasedOn)


def definitions(
    *, categories: Sequence[str] = ("Solid Edible", "Combined Inhalable", "Concentrate", "Topical Infused"),
    min_grams: float = 0.001, max_grams: float = 10_000.0,
) -> st.SearchStrategy[FlowerEquivalencyDefinition]:
    """Valid definitions: a category from ``categories``, any customer type and basis, positive masses."""
    amounts = masses(min_grams=min_grams, max_grams=max_grams)
    return st.builds(
        FlowerEquivalencyDefinition,
        purchase_limit_category=st.sampled_from(tuple(categories)),
        customer_type=customer_types(),
        based_on=based_on(),
        category_amount=amounts,
        equivalent_flower_amount=amounts,
    )


def catalog_products(
    *, product_categories: Sequence[str | None] = ("Gummies", "Vape Carts", "Flower", None),
    ids: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[CatalogProduct]:
    """Catalog products with any mix of blank and filled amount fields."""
    optional_mass = st.none() | masses(max_grams=1_000.0)
    return st.builds(
        CatalogProduct,
        id=ids if ids is not None else st.from_regex(r"P[0-9]{1,4}", fullmatch=True),
        product_category=st.sampled_from(tuple(product_categories)),
        grams_concentration=optional_mass,
        net_weight=optional_mass,
        thc_content=st.none() | thc_amounts(),
        flower_equivalent=st.none() | masses(max_grams=100.0),
    )


def inventory_packages(product: CatalogProduct) -> st.SearchStrategy[InventoryPackage]:
    """Packages of ``product``, with or without lab results."""
    optional_mass = st.none() | masses(max_grams=1_000.0)
    return st.builds(
        InventoryPackage,
        id=st.from_regex(r"K[0-9]{1,6}", fullmatch=True),
        product_id=st.just(product.id),
        grams_concentration=optional_mass,
        net_weight=optional_mass,
        lab_results=st.none() | st.builds(LabResults, thc=thc_amounts()),
        flower_equivalent=st.none() | masses(max_grams=100.0),
    )
