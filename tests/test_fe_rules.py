"""One test per rule of ``001_0f6da1db91b12d45.txt`` (see ``fe_compliance.fe_rules``), named ``test_rule_<code>``."""

from __future__ import annotations

import sys

import attrs
import pytest

from fe_compliance import (
    CatalogProduct,
    CustomerType,
    DefinitionNotFoundError,
    DefinitionSet,
    FeatureDisabledError,
    FESource,
    FlowerEquivalencyEngine,
    FlowerEquivalent,
    InvalidValueError,
    LabResults,
    LocationSettings,
    MissingDataError,
    PermissionDeniedError,
    ProductCategoryMap,
    ReadOnlyFieldError,
    RequiredFieldError,
    fe_rules,
)

from .fe_fixtures import (
    ADMIN,
    NOBODY,
    VIEWER,
    cart,
    engine,
    gummy,
    inhalable_potency,
    package,
    solid_edible,
)


def grams(value: FlowerEquivalent | None) -> float | None:
    return None if value is None else value.grams


def test_every_rule_has_a_test_named_after_it() -> None:
    names = set(dir(sys.modules[__name__]))
    missing = [rule.code for rule in fe_rules.ALL_RULES if f"test_rule_{rule.code}" not in names]
    assert missing == []
    assert len({rule.code for rule in fe_rules.ALL_RULES}) == len(fe_rules.ALL_RULES)


def test_rule_ratio() -> None:
    # the flower amount divided by the category amount, not the reverse, both in grams first
    rounded = attrs.evolve(solid_edible(), category_amount="453.59 g", equivalent_flower_amount="1 oz")
    assert rounded.ratio == pytest.approx(28.349523125 / 453.59, rel=1e-15)
    calculation = rounded.calculate("250 mg")
    assert calculation.rule is fe_rules.RATIO
    assert calculation.flower_equivalent_grams == pytest.approx(0.25 * 28.349523125 / 453.59, rel=1e-15)
    # the engine multiplies the based-on value by the same ratio
    result = engine(rounded).product_created(gummy())
    (change,) = result.changes
    assert change.rule is fe_rules.CALC_ON_CREATE
    assert grams(result.product.flower_equivalent) == pytest.approx(10 * 28.349523125 / 453.59, rel=1e-15)
    assert f"x ratio {rounded.ratio:.6g}" in change.detail


def test_rule_specific_customer_type_wins() -> None:
    definitions = DefinitionSet((solid_edible(), solid_edible(CustomerType.MEDICAL, flower="2 oz")))
    assert definitions.lookup("Solid Edible", CustomerType.MEDICAL).ratio == pytest.approx(0.125)
    assert definitions.lookup("Solid Edible", CustomerType.RECREATIONAL).ratio == pytest.approx(0.0625)
    assert definitions.lookup("Solid Edible", CustomerType.ALL).ratio == pytest.approx(0.0625)
    both = LocationSettings(use_both_med_and_rec=True)
    result = engine(*definitions, settings=both).product_created(gummy())
    assert grams(result.product.med_flower_equivalent) == pytest.approx(1.25)
    assert grams(result.product.rec_flower_equivalent) == pytest.approx(0.625)


def test_rule_no_definition_manual() -> None:
    with pytest.raises(DefinitionNotFoundError) as info:
        DefinitionSet().lookup("Solid Edible", CustomerType.ALL)
    assert "manually" in str(info.value) and info.value.field == "purchase_limit_category"
    result = engine(inhalable_potency()).product_created(gummy())
    assert result.product.flower_equivalent is None  # never a silent zero
    (notice,) = result.manual
    assert notice.rule is fe_rules.NO_DEFINITION_MANUAL and notice.field == "flower_equivalent"


def test_rule_unmapped_category_manual() -> None:
    for category in ("Accessories", "Something New"):
        result = engine().product_created(gummy(product_category=category))
        (notice,) = result.manual
        assert notice.rule is fe_rules.UNMAPPED_CATEGORY_MANUAL
        assert result.product.flower_equivalent is None
    with pytest.raises(MissingDataError):
        engine().definition_for(gummy(product_category="Accessories"), CustomerType.ALL)


def test_rule_aliases() -> None:
    fe_engine = engine()
    assert fe_engine.limit_category(cart()) == "Combined Inhalable"
    assert fe_engine.definitions.lookup("cartridges", CustomerType.ALL) is fe_engine.definitions.lookup(
        "Combined Inhalable", CustomerType.MEDICAL
    )
    # a definition created under the state's name is stored under the canonical name
    definitions = DefinitionSet().added(attrs.evolve(inhalable_potency(), purchase_limit_category="Cartridges"),
                                        by=ADMIN)
    assert definitions.definitions[0].purchase_limit_category == "Combined Inhalable"


def test_rule_shared_by_lsp() -> None:
    first = engine()
    second = first.for_location(LocationSettings(use_both_med_and_rec=True))
    assert second.definitions is first.definitions
    new_first, _ = first.create_definition(solid_edible(CustomerType.MEDICAL, "2 oz"), by=ADMIN)
    # the same LSP definitions reach every location built from them
    assert new_first.for_location(second.settings).definitions.exact("Solid Edible", "medical") is not None


def test_rule_view_permission() -> None:
    definitions = engine().definitions
    assert definitions.view(VIEWER) == definitions.definitions
    assert definitions.view(ADMIN) == definitions.definitions
    with pytest.raises(PermissionDeniedError) as info:
        definitions.view(NOBODY)
    assert "View Flower Equivalency Definition" in str(info.value)


@pytest.mark.parametrize("user", [VIEWER, NOBODY])
def test_rule_edit_permission(user: object) -> None:
    fe_engine = engine()
    attempts = [
        lambda: fe_engine.create_definition(solid_edible(CustomerType.MEDICAL), by=user),  # type: ignore[arg-type]
        lambda: fe_engine.edit_definition(solid_edible(flower="2 oz"), by=user),  # type: ignore[arg-type]
        lambda: fe_engine.delete_definition("Solid Edible", "all", by=user),  # type: ignore[arg-type]
        lambda: fe_engine.apply_to_catalog("Solid Edible", "all", by=user, products=()),  # type: ignore[arg-type]
        lambda: fe_engine.apply_to_inventory("Solid Edible", "all", by=user, packages=(),  # type: ignore[arg-type]
                                             products=()),
        lambda: fe_engine.apply_to_inventory_bulk("Solid Edible", "all", [], by=user),  # type: ignore[arg-type]
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDeniedError) as info:
            attempt()
        assert "Edit Flower Equivalency Definition" in str(info.value)


def test_rule_feature_off() -> None:
    off = engine(settings=LocationSettings(use_flower_equivalency_definition=False))
    product = off.product_created(gummy()).product
    assert product.flower_equivalent is None
    edited = off.product_edited(gummy(flower_equivalent="3 g"), {"grams_concentration": "20 g"})
    assert grams(edited.product.flower_equivalent) == 3.0
    received = off.package_received(package(gummy(), grams_concentration="10 g"), gummy())
    assert received.package.flower_equivalent is None
    with pytest.raises(FeatureDisabledError):
        off.apply_to_catalog("Solid Edible", "all", by=ADMIN, products=[gummy()])
    _, created = off.create_definition(solid_edible(CustomerType.MEDICAL), by=ADMIN, products=[gummy()])
    assert created.changes == ()


def test_rule_enable_preserves() -> None:
    off = engine(settings=LocationSettings(use_flower_equivalency_definition=False))
    on, result = off.enable()
    assert on.settings.use_flower_equivalency_definition and result.changes == ()
    product = gummy(flower_equivalent="3 g")
    # turning it on calculates nothing by itself; an unrelated edit keeps the old value
    assert grams(on.product_edited(product, {"name": "Gummy"}).product.flower_equivalent) == 3.0


def test_rule_both_med_and_rec() -> None:
    single = engine(solid_edible(CustomerType.MEDICAL), solid_edible(CustomerType.RECREATIONAL, "2 oz"))
    result = single.product_created(gummy())
    assert result.product.flower_equivalent is None and result.manual  # All has no definition here
    both = single.for_location(LocationSettings(use_both_med_and_rec=True))
    product = both.product_created(gummy()).product
    assert grams(product.med_flower_equivalent) == pytest.approx(0.625)
    assert grams(product.rec_flower_equivalent) == pytest.approx(1.25)
    assert product.flower_equivalent is None
    pkg = both.package_received(package(product, grams_concentration="20 g"), product).package
    assert both.limit_flower_equivalent(pkg, "medical").magnitude == pytest.approx(1.25)
    assert both.limit_flower_equivalent(pkg, "recreational").magnitude == pytest.approx(2.5)


def test_rule_calc_on_create() -> None:
    result = engine().product_created(gummy())
    (change,) = result.changes
    assert change.rule is fe_rules.CALC_ON_CREATE
    assert change.old is None and change.new.source is FESource.CALCULATED
    assert change.new.definition == solid_edible().key


def test_rule_calc_on_receive() -> None:
    product = engine().product_created(gummy()).product
    result = engine().package_received(package(product, grams_concentration="4 g"), product)
    fe_change = [c for c in result.changes if c.field == "flower_equivalent"]
    assert [c.rule for c in fe_change] == [fe_rules.CALC_ON_RECEIVE]
    assert grams(result.package.flower_equivalent) == pytest.approx(0.25)  # package-level field, not catalog


def test_rule_calc_on_based_on_edit() -> None:
    fe_engine = engine()
    product = fe_engine.product_created(gummy()).product
    edited = fe_engine.product_edited(product, {"grams_concentration": "20 g"})
    assert grams(edited.product.flower_equivalent) == pytest.approx(1.25)
    assert any(c.rule is fe_rules.CALC_ON_BASED_ON_EDIT for c in edited.changes)
    pkg = fe_engine.package_received(package(product), product).package
    edited_pkg = fe_engine.package_edited(pkg, product, {"grams_concentration": "2 g"})
    assert grams(edited_pkg.package.flower_equivalent) == pytest.approx(0.125)


def test_rule_manual_override_kept() -> None:
    fe_engine = engine()
    product = fe_engine.product_created(gummy()).product
    manual = fe_engine.product_edited(product, {"flower_equivalent": "2 g"})
    assert manual.product.flower_equivalent is not None
    assert manual.product.flower_equivalent.source is FESource.MANUAL
    assert manual.changes[0].rule is fe_rules.MANUAL_OVERRIDE_KEPT
    kept = fe_engine.product_edited(manual.product, {"name": "Sour gummy", "net_weight": "12 g"})
    assert grams(kept.product.flower_equivalent) == 2.0
    # a form sent back whole repeats the based-on field unchanged: that is not an edit of it
    resent = fe_engine.product_edited(kept.product, {"name": "Sour", "grams_concentration": "10 g"})
    assert grams(resent.product.flower_equivalent) == 2.0
    recalculated = fe_engine.product_edited(kept.product, {"grams_concentration": "12 g"})
    assert grams(recalculated.product.flower_equivalent) == pytest.approx(0.75)
    # an FE typed in together with the record is kept, and the calculated value is noted
    created = fe_engine.product_created(gummy(flower_equivalent="2 g"))
    assert grams(created.product.flower_equivalent) == 2.0 and "0.625" in created.notes[0]


def test_rule_potency_lab_fallback() -> None:
    fe_engine = engine()
    product = fe_engine.product_created(cart()).product
    assert grams(product.flower_equivalent) == pytest.approx(0.8 * 3.5)
    without_lab = fe_engine.package_received(package(product), product).package
    assert grams(without_lab.flower_equivalent) == pytest.approx(2.8)  # catalog THC content as the backup
    with_lab = fe_engine.package_edited(without_lab, product, {"lab_results": LabResults("600 mg")})
    assert grams(with_lab.package.flower_equivalent) == pytest.approx(0.6 * 3.5)
    assert any(c.rule is fe_rules.CALC_ON_BASED_ON_EDIT for c in with_lab.changes)
    # a catalog THC edit moves packages without lab results, not those with
    edited = fe_engine.product_edited(product, {"thc_content": "400 mg"},
                                      packages=[without_lab, attrs.evolve(with_lab.package, id="K2")])
    by_id = {p.id: p for p in edited.packages}
    assert grams(by_id["K1"].flower_equivalent) == pytest.approx(1.4)
    assert grams(by_id["K2"].flower_equivalent) == pytest.approx(2.1)
    assert any(c.rule is fe_rules.POTENCY_LAB_FALLBACK for c in edited.changes)


def test_rule_potency_not_editable() -> None:
    fe_engine = engine()
    product = cart()
    pkg = package(product, lab_results=LabResults("600 mg"))
    with pytest.raises(ReadOnlyFieldError) as info:
        fe_engine.package_edited(pkg, product, {"potency": "900 mg"})
    assert info.value.field == "potency"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        pkg.potency = "1 g"  # type: ignore[misc]


def test_rule_thc_percent_via_net_weight() -> None:
    fe_engine = engine()
    product = fe_engine.product_created(cart(thc_content="80 %", net_weight="1 g")).product
    assert grams(product.flower_equivalent) == pytest.approx(0.8 * 3.5)
    with pytest.raises(MissingDataError):
        fe_engine.based_on_grams(inhalable_potency(), cart(thc_content="80 %"), None)
    missing = fe_engine.product_created(cart(thc_content="80 %"))
    assert missing.product.flower_equivalent is None and "net weight" in missing.manual[0].reason
    # a based-on edit that leaves nothing to calculate from keeps the old value and asks for a person
    stale = fe_engine.product_edited(product, {"thc_content": "70 %", "net_weight": None})
    assert stale.product.flower_equivalent == product.flower_equivalent
    (notice,) = stale.manual
    assert "kept at" in notice.reason and notice.field == "flower_equivalent"
    # the package's own net weight turns the lab percentage into a mass
    pkg = fe_engine.package_received(package(product, net_weight="0.5 g", lab_results=LabResults("90 %")),
                                     product).package
    assert grams(pkg.flower_equivalent) == pytest.approx(0.45 * 3.5)
    # and editing that net weight recalculates, since it is an input of the FE
    edited = fe_engine.package_edited(pkg, product, {"net_weight": "1 g"})
    assert grams(edited.package.flower_equivalent) == pytest.approx(0.9 * 3.5)


def test_rule_net_weight_varies() -> None:
    fe_engine = engine()
    product = CatalogProduct(id="T1", product_category="Infused Tops", net_weight="100 g")
    product = fe_engine.product_created(product).product
    assert grams(product.flower_equivalent) == pytest.approx(10.0)
    first = fe_engine.package_received(package(product, "K1", net_weight="98 g"), product).package
    second = fe_engine.package_received(package(product, "K2", net_weight="103 g"), product).package
    assert grams(first.flower_equivalent) == pytest.approx(9.8)
    assert grams(second.flower_equivalent) == pytest.approx(10.3)


def test_rule_required_grams_concentration() -> None:
    fe_engine = engine()
    with pytest.raises(RequiredFieldError) as info:
        fe_engine.product_created(gummy(grams_concentration=None))
    assert info.value.field == "grams_concentration"
    product = CatalogProduct(id="P9", product_category="Gummies")
    # a package without it takes the catalog default; with neither, it is refused
    with pytest.raises(RequiredFieldError):
        fe_engine.package_received(package(product), product)
    # clearing it on an edit is refused too; other edits of a record without it are not
    with pytest.raises(RequiredFieldError):
        fe_engine.product_edited(gummy(), {"grams_concentration": None})
    legacy = CatalogProduct(id="P10", product_category="Gummies", flower_equivalent="1 g")
    assert fe_engine.product_edited(legacy, {"name": "x"}).product.name == "x"
    # categories without a grams-based definition do not require it
    assert fe_engine.product_created(cart()).product.flower_equivalent is not None


def test_rule_required_configured() -> None:
    strict = engine(settings=LocationSettings(require_net_weight=True, require_thc_content=True))
    with pytest.raises(RequiredFieldError) as info:
        strict.product_created(gummy())
    assert info.value.field == "net_weight" and "thc_content" in str(info.value)
    assert strict.product_created(gummy(net_weight="12 g", thc_content="100 mg")).product.flower_equivalent
    assert strict.product_created(gummy(is_cannabis=False)).product  # only cannabis products
    fe_required = engine(settings=LocationSettings(require_flower_equivalent=True))
    with pytest.raises(RequiredFieldError) as info:
        fe_required.product_created(gummy(product_category="Accessories"))
    assert info.value.field == "flower_equivalent"


def test_rule_pre_existing_preserved() -> None:
    fe_engine = engine()
    legacy = gummy(flower_equivalent="1.5 g")  # entered before calculations were enabled
    assert grams(fe_engine.product_edited(legacy, {"name": "Renamed"}).product.flower_equivalent) == 1.5
    assert grams(fe_engine.product_edited(legacy, {"grams_concentration": "10 g"}).product.flower_equivalent) == 1.5
    assert grams(fe_engine.product_edited(legacy, {"grams_concentration": "12 g"}).product.flower_equivalent) == (
        pytest.approx(0.75)
    )


def test_rule_definition_edit_no_effect() -> None:
    fe_engine = engine()
    product = fe_engine.product_created(gummy()).product
    edited_engine, result = fe_engine.edit_definition(solid_edible(flower="2 oz"), by=ADMIN)
    assert result.changes == () and "definition_edit_no_effect" in result.notes[0]
    assert grams(edited_engine.product_edited(product, {"name": "x"}).product.flower_equivalent) == pytest.approx(0.625)
    assert grams(edited_engine.product_edited(product, {"grams_concentration": "12 g"}).product.flower_equivalent) == (
        pytest.approx(1.5)
    )
    with pytest.raises(DefinitionNotFoundError):
        engine(inhalable_potency()).edit_definition(solid_edible(), by=ADMIN)


def test_rule_definition_create_fills_blanks() -> None:
    empty = engine(inhalable_potency())
    blank = gummy()
    typed = gummy(id="P5", flower_equivalent="4 g")
    other = cart()
    pkg_blank = package(blank, "K1", grams_concentration="8 g")
    pkg_typed = package(blank, "K2", grams_concentration="8 g", flower_equivalent="9 g")
    new_engine, result = empty.create_definition(
        solid_edible(), by=ADMIN, products=[blank, typed, other], packages=[pkg_blank, pkg_typed]
    )
    products = {p.id: p for p in result.products}
    packages = {p.id: p for p in result.packages}
    assert grams(products["P1"].flower_equivalent) == pytest.approx(0.625)
    assert grams(products["P5"].flower_equivalent) == 4.0
    assert products["P2"] is other
    assert grams(packages["K1"].flower_equivalent) == pytest.approx(0.5)
    assert grams(packages["K2"].flower_equivalent) == 9.0
    assert {c.rule for c in result.changes} == {fe_rules.DEFINITION_CREATE_FILLS_BLANKS}
    assert new_engine.definitions.exact("Solid Edible", "all") is not None


def test_rule_reassign_fills_blank() -> None:
    fe_engine = engine()
    loose = CatalogProduct(id="P7", product_category="Accessories", grams_concentration="10 g")
    assert fe_engine.product_created(loose).product.flower_equivalent is None
    pkg = package(loose, grams_concentration="10 g")
    moved = fe_engine.product_edited(loose, {"product_category": "Gummies"}, packages=[pkg])
    assert grams(moved.product.flower_equivalent) == pytest.approx(0.625)
    assert grams(moved.package.flower_equivalent) == pytest.approx(0.625)
    assert {c.rule for c in moved.changes if c.field == "flower_equivalent"} == {fe_rules.REASSIGN_FILLS_BLANK}
    typed = attrs.evolve(loose, flower_equivalent=FlowerEquivalent("3 g"))
    assert grams(fe_engine.product_edited(typed, {"product_category": "Gummies"}).product.flower_equivalent) == 3.0


def test_rule_apply_to_catalog() -> None:
    fe_engine = engine()
    products = [gummy(), gummy(id="P3", flower_equivalent="5 g"), cart(), gummy(id="P4", grams_concentration=None)]
    result = fe_engine.apply_to_catalog("Solid Edible", "all", by=ADMIN, products=products)
    by_id = {p.id: p for p in result.products}
    assert grams(by_id["P1"].flower_equivalent) == pytest.approx(0.625)
    assert grams(by_id["P3"].flower_equivalent) == pytest.approx(0.625)  # the override is overwritten
    assert by_id["P2"] is products[2]
    assert [p.record_id for p in result.problems] == ["P4"]  # reported, left as it was, others went ahead
    assert {c.rule for c in result.changes} == {fe_rules.APPLY_TO_CATALOG}
    with pytest.raises(DefinitionNotFoundError):
        fe_engine.apply_to_catalog("Solid Edible", "medical", by=ADMIN, products=products)


def test_rule_apply_to_inventory() -> None:
    fe_engine = engine()
    product = gummy()
    packages = [package(product, "K1", grams_concentration="8 g", flower_equivalent="9 g"),
                package(product, "K2", grams_concentration="16 g"),
                package(cart(), "K3")]
    result = fe_engine.apply_to_inventory("Solid Edible", "all", by=ADMIN, packages=packages, products=[product])
    by_id = {p.id: p for p in result.packages}
    assert grams(by_id["K1"].flower_equivalent) == pytest.approx(0.5)
    assert grams(by_id["K2"].flower_equivalent) == pytest.approx(1.0)
    assert by_id["K3"] is packages[2]  # its product was not given: reported, not touched
    assert [p.record_id for p in result.problems] == ["K3"]
    assert result.products == (product,)  # catalog untouched by Apply to Inventory
    bulk = fe_engine.apply_to_inventory_bulk("Solid Edible", "all", [("K1", 8.0), ("K2", 16.0)], by=ADMIN)
    assert bulk.pairs == [("K1", 0.5), ("K2", 1.0)]
    assert [c.rule for c in bulk.changes()] == [fe_rules.APPLY_TO_INVENTORY] * 2


def test_rule_delete_keeps_values() -> None:
    fe_engine = engine()
    product = fe_engine.product_created(gummy()).product
    deleted, result = fe_engine.delete_definition("Solid Edible", "all", by=ADMIN)
    assert result.changes == ()
    assert grams(deleted.product_edited(product, {"name": "x"}).product.flower_equivalent) == pytest.approx(0.625)
    after = deleted.product_edited(product, {"grams_concentration": "20 g"})
    assert grams(after.product.flower_equivalent) == pytest.approx(0.625)  # no longer calculates
    fresh = deleted.product_created(gummy(id="P8"))
    assert fresh.product.flower_equivalent is None and fresh.manual
    with pytest.raises(DefinitionNotFoundError):
        deleted.delete_definition("Solid Edible", "all", by=ADMIN)


def test_rule_catalog_defaults() -> None:
    fe_engine = engine()
    product = fe_engine.product_created(gummy(net_weight="12 g")).product
    result = fe_engine.package_received(package(product), product)
    assert result.package.grams_concentration == product.grams_concentration
    assert result.package.net_weight == product.net_weight
    defaults = [c for c in result.changes if c.rule is fe_rules.CATALOG_DEFAULTS]
    assert {c.field for c in defaults} == {"grams_concentration", "net_weight"}
    # old and new are the values as the record holds them (a Quantity here, as for a caller's edit), shown short
    assert [c.new for c in defaults] == [product.grams_concentration, product.net_weight]
    assert [c.to_dict()["new"] for c in defaults] == ["10 g", "12 g"]
    edit = fe_engine.product_edited(product, {"net_weight": "14 g"}).changes[0]
    assert edit.new == product.net_weight * 14 / 12 and str(edit).startswith("product P1: net_weight 12 g -> 14 g")
    # with nothing to calculate from, the catalog FE is the package's default
    loose = CatalogProduct(id="P7", product_category="Accessories", flower_equivalent="1 g")
    pkg = fe_engine.package_received(package(loose), loose).package
    assert pkg.flower_equivalent is not None and pkg.flower_equivalent.source is FESource.CATALOG_DEFAULT


def test_rule_package_fe_for_limits() -> None:
    fe_engine = engine()
    product = fe_engine.product_created(gummy()).product
    pkg = fe_engine.package_received(package(product, grams_concentration="4 g"), product).package
    assert fe_engine.limit_flower_equivalent(pkg, "recreational").magnitude == pytest.approx(0.25)
    with pytest.raises(InvalidValueError):
        fe_engine.limit_flower_equivalent(product, "recreational")  # type: ignore[arg-type]
    with pytest.raises(MissingDataError):
        fe_engine.limit_flower_equivalent(package(product, "K9"), "recreational")


@pytest.mark.parametrize(("defined_as", "mapped_to"), [
    ("solid edible", "Solid Edible"), ("Solid Edible", "solid  edible"),  # case and spacing
    ("Cartridges", "Combined Inhalable"), ("Combined Inhalable", "Cartridges"),  # the state's name, either side
])
def test_definitions_match_their_category_however_it_is_written(defined_as: str, mapped_to: str) -> None:
    definition = attrs.evolve(solid_edible(), purchase_limit_category=defined_as)
    categories = ProductCategoryMap({"Gummies": mapped_to})
    fe_engine = FlowerEquivalencyEngine(DefinitionSet([definition]), categories)
    typed = gummy(flower_equivalent="5 g")
    catalog = fe_engine.apply_to_catalog(defined_as, "all", by=ADMIN, products=[typed])
    assert grams(catalog.product.flower_equivalent) == pytest.approx(0.625)  # was silently left at 5 g
    pkg = package(typed, grams_concentration="8 g", flower_equivalent="9 g")
    inventory = fe_engine.apply_to_inventory(defined_as, "all", by=ADMIN, packages=[pkg], products=[typed])
    assert grams(inventory.package.flower_equivalent) == pytest.approx(0.5)
    _, created = FlowerEquivalencyEngine(DefinitionSet(), categories).create_definition(
        definition, by=ADMIN, products=[gummy()])
    assert grams(created.product.flower_equivalent) == pytest.approx(0.625)
    # stored under one canonical name, whoever wrote it how
    (stored,) = fe_engine.definitions
    expected = "Combined Inhalable" if "Inhalable" in defined_as or defined_as == "Cartridges" else defined_as
    assert stored.purchase_limit_category == expected


def test_an_apply_that_calculates_no_field_here_says_so() -> None:
    medical_only = engine(solid_edible(CustomerType.MEDICAL))  # a single-field location fills from All definitions
    typed = gummy(flower_equivalent="5 g")
    result = medical_only.apply_to_catalog("Solid Edible", "medical", by=ADMIN, products=[typed])
    assert result.changes == () and grams(result.product.flower_equivalent) == 5.0
    (note,) = result.notes
    assert "calculates no FE field at this location" in note
    # the bulk path refuses what the record path would not write, instead of filling the wrong field
    with pytest.raises(InvalidValueError) as info:
        medical_only.apply_to_inventory_bulk("Solid Edible", "medical", [("K1", 16.0)], by=ADMIN)
    assert info.value.field == "field"
    both = engine(solid_edible(), solid_edible(CustomerType.MEDICAL, "2 oz"),
                  settings=LocationSettings(use_both_med_and_rec=True))
    # the All definition calculates only the rec field here: the medical one has its own definition
    every = both.definitions.exact("Solid Edible", "all")
    assert every is not None and both.fields_using(every) == ("rec_flower_equivalent",)
    rows = [("K1", 16.0)]
    assert both.apply_to_inventory_bulk("Solid Edible", "all", rows, by=ADMIN).field == "rec_flower_equivalent"
    with pytest.raises(InvalidValueError):
        both.apply_to_inventory_bulk("Solid Edible", "all", rows, by=ADMIN, field="med_flower_equivalent")


def test_a_form_sent_back_whole_counts_only_the_fields_it_changes() -> None:
    fe_engine = engine()
    product = fe_engine.product_created(gummy()).product
    form = {"name": product.name, "grams_concentration": "20 g", "net_weight": product.net_weight,
            "flower_equivalent": product.flower_equivalent}  # the FE comes back as it was shown
    edited = fe_engine.product_edited(product, form)
    # the unchanged FE does not block the recalculation: a stale 0.625 g would now understate 20 g of edible
    assert grams(edited.product.flower_equivalent) == pytest.approx(1.25)
    assert [c.field for c in edited.changes] == ["grams_concentration", "flower_equivalent"]
    pkg = fe_engine.package_received(package(product, grams_concentration="4 g"), product).package
    repackaged = fe_engine.package_edited(pkg, product, {"grams_concentration": "8 g",
                                                         "flower_equivalent": pkg.flower_equivalent})
    assert grams(repackaged.package.flower_equivalent) == pytest.approx(0.5)
    # a record without grams/concentration is not refused because the form repeats the blank
    legacy = CatalogProduct(id="P10", product_category="Gummies", flower_equivalent="1 g")
    assert fe_engine.product_edited(legacy, {"name": "x", "grams_concentration": None}).product.name == "x"


def test_required_fields_are_checked_when_an_edit_clears_them_or_makes_a_cannabis_product() -> None:
    fe_required = engine(settings=LocationSettings(require_flower_equivalent=True))
    loose = CatalogProduct(id="P7", product_category="Accessories", flower_equivalent="1 g")
    with pytest.raises(RequiredFieldError) as info:
        fe_required.product_edited(loose, {"flower_equivalent": None})
    assert info.value.field == "flower_equivalent"
    pkg = package(loose, flower_equivalent="1 g")
    with pytest.raises(RequiredFieldError):
        fe_required.package_edited(pkg, loose, {"flower_equivalent": None})
    assert fe_required.product_edited(loose, {"name": "Papers"}).product.name == "Papers"
    strict = engine(settings=LocationSettings(require_net_weight=True))
    with pytest.raises(RequiredFieldError) as info:
        strict.product_edited(gummy(is_cannabis=False), {"is_cannabis": True})
    assert info.value.field == "net_weight"
