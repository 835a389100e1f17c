"""Property tests of the FE engine (issue 2): units, linearity, idempotence, overrides, definition edits."""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fe_compliance import (
    Q_,
    CatalogProduct,
    CustomerType,
    FEComplianceError,
    FESource,
    FlowerEquivalencyDefinition,
)
from fe_compliance.testing import definitions, inventory_packages

from .fe_fixtures import ADMIN, engine, gummy, inhalable_potency, package, solid_edible, topical_net_weight

MASS_UNITS = {"g": 1.0, "mg": 0.001, "kg": 1000.0, "oz": 28.349523125, "lb": 453.59237}

positive = st.floats(min_value=1e-3, max_value=1e4, allow_nan=False, allow_infinity=False)
amount_grams = st.floats(min_value=0.0, max_value=1e4, allow_nan=False, allow_infinity=False)
unit = st.sampled_from(sorted(MASS_UNITS))


@given(category_grams=positive, flower_grams=positive, unit_a=unit, unit_b=unit)
def test_ratio_does_not_depend_on_units(category_grams: float, flower_grams: float, unit_a: str, unit_b: str) -> None:
    in_grams = FlowerEquivalencyDefinition(
        purchase_limit_category="X", customer_type="all", based_on="net_weight",
        category_amount=Q_(category_grams, "g"), equivalent_flower_amount=Q_(flower_grams, "g"),
    )
    rewritten = FlowerEquivalencyDefinition(
        purchase_limit_category="X", customer_type="all", based_on="net_weight",
        category_amount=Q_(category_grams / MASS_UNITS[unit_a], unit_a),
        equivalent_flower_amount=Q_(flower_grams / MASS_UNITS[unit_b], unit_b),
    )
    assert rewritten.ratio == pytest.approx(in_grams.ratio, rel=1e-12)


@given(a=amount_grams, b=amount_grams, k=st.floats(min_value=0, max_value=100), definition=definitions(),
       unit=unit)
def test_fe_is_linear_in_the_based_on_value(
    a: float, b: float, k: float, definition: FlowerEquivalencyDefinition, unit: str
) -> None:
    def fe(grams: float) -> float:
        return float(definition.flower_equivalent(Q_(grams / MASS_UNITS[unit], unit)).magnitude)

    assert fe(a + b) == pytest.approx(fe(a) + fe(b), rel=1e-12, abs=1e-12)
    assert fe(k * a) == pytest.approx(k * fe(a), rel=1e-12, abs=1e-12)


products = st.builds(
    CatalogProduct,
    id=st.sampled_from(["P1", "P2", "P3", "P4"]),
    product_category=st.sampled_from(["Gummies", "Vape Carts", "Accessories", "Infused Tops", None]),
    grams_concentration=st.one_of(st.none(), amount_grams.map(lambda g: Q_(g, "g"))),
    net_weight=st.one_of(st.none(), amount_grams.map(lambda g: Q_(g, "g"))),
    thc_content=st.one_of(st.none(), amount_grams.map(lambda g: Q_(g, "mg")),
                          st.floats(0, 100).map(lambda p: Q_(p, "percent"))),
    flower_equivalent=st.one_of(st.none(), amount_grams.map(lambda g: Q_(g, "g"))),
)


@given(catalog=st.lists(products, max_size=6, unique_by=lambda p: p.id), data=st.data())
def test_a_recalculation_applied_twice_changes_nothing_the_second_time(
    catalog: list[CatalogProduct], data: st.DataObject
) -> None:
    fe_engine = engine()
    stock = [data.draw(inventory_packages(product)) for product in catalog]
    stock = [attrs.evolve(pkg, id=f"K{i}") for i, pkg in enumerate(stock)]
    for category in ("Solid Edible", "Combined Inhalable", "Topical Infused"):
        first = fe_engine.apply_to_catalog(category, "all", by=ADMIN, products=catalog)
        second = fe_engine.apply_to_catalog(category, "all", by=ADMIN, products=first.products)
        assert second.changes == ()
        assert second.products == first.products
        catalog = list(first.products)
        first_inv = fe_engine.apply_to_inventory(category, "all", by=ADMIN, packages=stock, products=catalog)
        second_inv = fe_engine.apply_to_inventory(category, "all", by=ADMIN, packages=first_inv.packages,
                                                  products=catalog)
        assert second_inv.changes == () and second_inv.packages == first_inv.packages
        stock = list(first_inv.packages)
    for product, pkg in zip(catalog, stock, strict=True):  # the record triggers too
        try:
            created = fe_engine.product_created(product)
            received = fe_engine.package_received(pkg, created.product)
        except FEComplianceError:
            continue  # a record the location refuses (a required field blank)
        assert fe_engine.product_created(created.product).changes == ()
        assert fe_engine.package_received(received.package, created.product).changes == ()
    _, filled = fe_engine.create_definition(solid_edible(CustomerType.MEDICAL), by=ADMIN, products=catalog)
    assert filled.changes == ()  # single-field location: a medical definition applies to nothing here


edits = st.fixed_dictionaries(
    {},
    optional={
        "name": st.text(max_size=5),
        "net_weight": amount_grams.map(lambda g: Q_(g, "g")),
        "thc_content": amount_grams.map(lambda g: Q_(g, "mg")),
        "is_cannabis": st.booleans(),
        "grams_concentration": amount_grams.map(lambda g: Q_(g, "g")),
    },
)


@given(manual=amount_grams, edit_sequence=st.lists(st.tuples(edits, st.booleans()), max_size=5))
def test_a_manual_override_survives_every_edit_except_of_the_based_on_field(
    manual: float, edit_sequence: list[tuple[dict[str, object], bool]]
) -> None:
    fe_engine = engine()
    product = fe_engine.product_edited(gummy(), {"flower_equivalent": Q_(manual, "g")}).product
    for edit, resend_fe in edit_sequence:
        before = product.flower_equivalent
        if resend_fe:  # a POS sending the whole form back repeats the FE as it was shown
            edit = {**edit, "flower_equivalent": before}
        based_on_edited = edit.get("grams_concentration", product.grams_concentration) != product.grams_concentration
        product = fe_engine.product_edited(product, edit).product
        if based_on_edited:  # the based-on field of Solid Edible, changed
            assert product.flower_equivalent is not None
            assert product.flower_equivalent.source is FESource.CALCULATED
            assert product.flower_equivalent.grams == pytest.approx(edit["grams_concentration"].magnitude / 16)
        else:
            assert product.flower_equivalent == before
    # Apply to Catalog overwrites overrides: that is its purpose
    overwritten = fe_engine.apply_to_catalog("Solid Edible", "all", by=ADMIN, products=[product]).product
    assert overwritten.flower_equivalent is not None
    assert overwritten.flower_equivalent.source is FESource.CALCULATED


@given(catalog=st.lists(products, max_size=6, unique_by=lambda p: p.id), flower=positive,
       edited=st.sampled_from([solid_edible, inhalable_potency, topical_net_weight]))
def test_editing_a_definition_never_changes_an_existing_fe(
    catalog: list[CatalogProduct], flower: float, edited: Callable[[], FlowerEquivalencyDefinition]
) -> None:
    fe_engine = engine()
    before = []
    for candidate in catalog:
        try:
            product = fe_engine.product_created(candidate).product
            received = fe_engine.package_received(package(product), product).package
        except FEComplianceError:
            continue  # a record the location refuses (a required field blank) has no FE to keep
        before.append((product, received))
    edited_engine, result = fe_engine.edit_definition(
        attrs.evolve(edited(), equivalent_flower_amount=f"{flower} g"), by=ADMIN)
    assert result.changes == ()
    for product, received in before:
        after = edited_engine.product_edited(product, {"name": "renamed", "is_cannabis": True}).product
        assert after.flower_equivalent == product.flower_equivalent
        assert edited_engine.package_edited(received, product, {}).package == received
