"""Bad input to the FE layer gives a library error naming the field, never a KeyError, TypeError or pint error."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fe_compliance import (
    Q_,
    CatalogProduct,
    CategoryAliases,
    CustomerType,
    FEComplianceError,
    FESource,
    FlowerEquivalencyDefinition,
    FlowerEquivalencyEngine,
    FlowerEquivalent,
    InvalidValueError,
    InventoryPackage,
    LabResults,
    LocationSettings,
    ProductCategoryMap,
    User,
)

from .fe_fixtures import ADMIN, engine, solid_edible

junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
    | st.sampled_from(["10 g", "5 %", "-1 g", "nan g", "3 floz", "each", "1,000 g", "g", "1e400 g", "12 count"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3),
    max_leaves=6,
)
amountish = junk | st.floats(allow_nan=True).map(lambda v: Q_(v, "g")) | st.floats(0, 200).map(lambda v: Q_(v, "%"))


def _construct(cls: type, **fields: Any) -> object:
    try:
        return cls(**fields)
    except FEComplianceError as exc:
        assert exc.field, exc
        return None


@given(
    record_id=junk, category=junk, gc=amountish, nw=amountish, thc=amountish, fe=amountish, flag=junk, name=junk,
)
def test_catalog_product_fields(
    record_id: Any, category: Any, gc: Any, nw: Any, thc: Any, fe: Any, flag: Any, name: Any
) -> None:
    product = _construct(CatalogProduct, id=record_id, product_category=category, grams_concentration=gc,
                         net_weight=nw, thc_content=thc, flower_equivalent=fe, is_cannabis=flag, name=name)
    if isinstance(product, CatalogProduct):
        try:
            engine().product_created(product)
        except FEComplianceError as exc:
            assert exc.field


@given(gc=amountish, nw=amountish, lab=amountish, edit_field=st.sampled_from(
    ["grams_concentration", "net_weight", "flower_equivalent", "lab_results", "potency", "nonsense"]), edit=junk)
def test_package_fields_and_edits(gc: Any, nw: Any, lab: Any, edit_field: str, edit: Any) -> None:
    product = CatalogProduct(id="P1", product_category="Vape Carts", thc_content="500 mg")
    labs = _construct(LabResults, thc=lab)
    package = _construct(InventoryPackage, id="K1", product_id="P1", grams_concentration=gc, net_weight=nw,
                         lab_results=labs if isinstance(labs, LabResults) else None)
    if not isinstance(package, InventoryPackage):
        return
    try:
        engine().package_edited(package, product, {edit_field: edit})
    except FEComplianceError as exc:
        assert exc.field


@given(category=junk, customer=junk, based_on=junk, amount=amountish, flower=amountish, value=amountish)
def test_definition_fields(category: Any, customer: Any, based_on: Any, amount: Any, flower: Any, value: Any) -> None:
    definition = _construct(FlowerEquivalencyDefinition, purchase_limit_category=category, customer_type=customer,
                            based_on=based_on, category_amount=amount, equivalent_flower_amount=flower)
    if isinstance(definition, FlowerEquivalencyDefinition):
        try:
            result = definition.flower_equivalent(value)
        except FEComplianceError as exc:
            assert exc.field
        else:
            assert result.magnitude >= 0


@pytest.mark.parametrize("changes", [None, [], "grams_concentration", {"id": "new"}, {"product_id": "x"}])
def test_edits_must_be_a_mapping_of_editable_fields(changes: Any) -> None:
    product = CatalogProduct(id="P1", product_category="Gummies", grams_concentration="1 g")
    with pytest.raises(FEComplianceError):
        engine().product_edited(product, changes)


def test_operations_check_their_arguments() -> None:
    fe_engine = engine()
    product = CatalogProduct(id="P1", product_category="Gummies", grams_concentration="1 g")
    with pytest.raises(FEComplianceError):
        fe_engine.product_created("P1")  # type: ignore[arg-type]
    with pytest.raises(FEComplianceError):
        fe_engine.package_received(InventoryPackage(id="K1", product_id="P2"), product)  # not its product
    with pytest.raises(FEComplianceError):
        fe_engine.apply_to_catalog("Solid Edible", "all", by="admin", products=[product])  # type: ignore[arg-type]
    with pytest.raises(FEComplianceError):
        fe_engine.apply_to_catalog("Solid Edible", "all", by=ADMIN, products=["P1"])  # type: ignore[list-item]


@pytest.mark.parametrize("flag", ["use_flower_equivalency_definition", "use_both_med_and_rec", "require_net_weight",
                                  "require_thc_content", "require_flower_equivalent"])
@pytest.mark.parametrize("value", ["false", "", 0, 1, None])
def test_settings_flags_must_be_true_or_false(flag: str, value: object) -> None:
    # "false" is truthy: read as on, it would switch calculations on (or, as "", a required field off) by accident
    with pytest.raises(InvalidValueError) as info:
        LocationSettings(**{flag: value})  # type: ignore[arg-type]
    assert info.value.field == flag


def test_engine_parts_and_arguments_of_the_wrong_type_are_library_errors() -> None:
    for fields in ({"definitions": "x"}, {"categories": {"Gummies": "Solid Edible"}}, {"settings": {"x": 1}}):
        with pytest.raises(InvalidValueError) as info:
            FlowerEquivalencyEngine(**fields)  # type: ignore[arg-type]
        assert info.value.field == next(iter(fields))
    fe_engine = engine()
    product = CatalogProduct(id="P1", product_category="Gummies", grams_concentration="1 g")
    attempts: list[Any] = [
        lambda: fe_engine.for_location("x"),
        lambda: fe_engine.apply_to_catalog("Solid Edible", "all", by=ADMIN, products=None),
        lambda: fe_engine.apply_to_inventory("Solid Edible", "all", by=ADMIN, packages=5, products=[product]),
        lambda: fe_engine.product_edited(product, {}, packages=None),
        lambda: fe_engine.create_definition("x", by=ADMIN),
        lambda: fe_engine.edit_definition("x", by=ADMIN),
        lambda: fe_engine.create_definition(solid_edible(CustomerType.MEDICAL), by=ADMIN, products="P1"),
        lambda: fe_engine.limit_category("Gummies"),
        lambda: fe_engine.definition_for("P1", "all"),
        lambda: fe_engine.validate_product(None),
        lambda: fe_engine.validate_package("K1", product),
    ]
    for attempt in attempts:
        with pytest.raises(InvalidValueError):
            attempt()


@pytest.mark.parametrize(("build", "field"), [
    (lambda: User(5), "name"),
    (lambda: User("a", None), "permissions"),
    (lambda: User("a", "View Flower Equivalency Definition"), "permissions"),  # one string, not letter by letter
    (lambda: LabResults(Q_(1j, "%")), "lab_results.thc"),
    (lambda: FlowerEquivalent("1 g", "typed"), "source"),
    (lambda: FlowerEquivalent("1 g", FESource.CALCULATED, "Solid Edible"), "definition"),
    (lambda: ProductCategoryMap("abc"), "mapping"),
    (lambda: CategoryAliases(["x"]), "aliases"),
    (lambda: solid_edible_with(source=5), "source"),
])
def test_values_of_the_wrong_type_are_library_errors(build: Any, field: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        build()
    assert info.value.field == field


def solid_edible_with(**fields: Any) -> FlowerEquivalencyDefinition:
    return FlowerEquivalencyDefinition(purchase_limit_category="Solid Edible", customer_type="all",
                                       based_on="grams_concentration", category_amount="16 oz",
                                       equivalent_flower_amount="1 oz", **fields)
