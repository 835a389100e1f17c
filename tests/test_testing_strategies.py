"""The shipped hypothesis strategies build valid values, in varied units, and register with st.from_type."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fe_compliance import CatalogProduct, FlowerEquivalencyDefinition, InventoryPackage
from fe_compliance.testing import catalog_products, definitions, inventory_packages, masses
from fe_compliance.units import mass_to_grams

from .fe_fixtures import engine


@given(quantity=masses(min_grams=1.0, max_grams=5.0))
def test_masses_are_in_range_whatever_the_unit(quantity: object) -> None:
    assert 1.0 - 1e-9 <= mass_to_grams(quantity, field="q") <= 5.0 + 1e-9


@given(definition=definitions())
def test_definitions_are_valid_and_explainable(definition: FlowerEquivalencyDefinition) -> None:
    assert definition.ratio > 0
    assert definition.calculate("1 g").flower_equivalent_grams == pytest.approx(definition.ratio)


@given(data=st.data())
def test_products_and_packages_go_through_the_engine(data: st.DataObject) -> None:
    product = data.draw(catalog_products())
    package = data.draw(inventory_packages(product))
    assert isinstance(product, CatalogProduct) and isinstance(package, InventoryPackage)
    assert package.product_id == product.id
    from fe_compliance import FEComplianceError

    try:
        engine().package_received(package, product)
    except FEComplianceError as exc:  # e.g. grams/concentration required and blank at both levels
        assert exc.field


@given(definition=st.from_type(FlowerEquivalencyDefinition))
def test_from_type_knows_the_library_types(definition: FlowerEquivalencyDefinition) -> None:
    assert isinstance(definition, FlowerEquivalencyDefinition)


def test_bad_bounds_are_refused() -> None:
    with pytest.raises(ValueError):
        masses(min_grams=5, max_grams=1)
