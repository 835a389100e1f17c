"""The seven wrong compliance numbers of issue #7, each pinned by a test that failed on the code before the fix."""

from __future__ import annotations

import json
from io import StringIO

import pytest

from fe_compliance import (
    BasedOn,
    CategoryAliases,
    CustomerType,
    DefinitionSet,
    FESource,
    FlowerEquivalencyDefinition,
    FlowerEquivalencyEngine,
    InvalidQuantityError,
    InvalidValueError,
    LabResults,
    LocationSettings,
    ProductCategoryMap,
)
from fe_compliance.cli import main
from fe_compliance.units import mass_to_grams

from .fe_fixtures import ADMIN, CATEGORIES, cart, engine, gummy, inhalable_potency, package, solid_edible


def test_1_an_fe_sent_back_as_shown_does_not_freeze_it() -> None:
    fe_engine = engine()
    product = fe_engine.product_created(gummy()).product  # 10 g x 1/16 = 0.625 g, calculated
    assert product.flower_equivalent is not None and product.flower_equivalent.source is FESource.CALCULATED
    result = fe_engine.product_edited(product, {"grams_concentration": "20 g", "flower_equivalent": "0.625 g"})
    fe = result.product.flower_equivalent
    assert fe is not None and fe.grams == pytest.approx(1.25) and fe.source is FESource.CALCULATED
    assert [change.field for change in result.changes] == ["grams_concentration", "flower_equivalent"]


def test_1_an_fe_sent_back_changed_is_a_manual_value() -> None:
    fe_engine = engine()
    product = fe_engine.product_created(gummy()).product
    result = fe_engine.product_edited(product, {"grams_concentration": "20 g", "flower_equivalent": "0.7 g"})
    fe = result.product.flower_equivalent
    assert fe is not None and fe.grams == pytest.approx(0.7) and fe.source is FESource.MANUAL


def test_2_ct_is_a_count_not_carats() -> None:
    with pytest.raises(InvalidQuantityError, match="count"):
        mass_to_grams("10 ct", field="net_weight")
    with pytest.raises(InvalidQuantityError):
        mass_to_grams("2 u", field="net_weight")


@pytest.mark.parametrize("how", ["delete", "unmap"])
def test_3_a_based_on_edit_without_a_definition_asks_for_a_manual_fe(how: str) -> None:
    fe_engine = engine()
    product = fe_engine.product_created(gummy()).product
    if how == "delete":
        fe_engine, _ = fe_engine.delete_definition("Solid Edible", "all", by=ADMIN)
        edit: dict[str, object] = {"grams_concentration": "20 g"}
    else:
        edit = {"product_category": "Accessories", "grams_concentration": "20 g"}
    result = fe_engine.product_edited(product, edit)
    assert result.product.flower_equivalent == product.flower_equivalent  # kept, never zeroed
    assert [item.field for item in result.manual] == ["flower_equivalent"]
    assert "kept at 0.625 g" in result.manual[0].reason
    assert result.manual[0].rule.code == ("no_definition_manual" if how == "delete" else "unmapped_category_manual")


def test_3_an_unrelated_edit_or_a_manual_value_gets_no_notice() -> None:
    fe_engine = engine()
    product = fe_engine.product_created(gummy()).product
    fe_engine, _ = fe_engine.delete_definition("Solid Edible", "all", by=ADMIN)
    assert fe_engine.product_edited(product, {"name": "Sour gummies"}).manual == ()
    typed = fe_engine.product_edited(product, {"flower_equivalent": "1 g"}).product
    assert fe_engine.product_edited(typed, {"grams_concentration": "30 g"}).manual == ()


def test_4_a_single_field_location_refuses_the_other_customer_type() -> None:
    settings = LocationSettings(customer_type="medical")
    fe_engine = engine(solid_edible(CustomerType.MEDICAL, flower="2 oz"), settings=settings)
    pkg = fe_engine.package_received(package(gummy()), gummy()).package
    assert fe_engine.limit_flower_equivalent(pkg, "medical").magnitude == pytest.approx(1.25)
    with pytest.raises(InvalidValueError) as info:
        fe_engine.limit_flower_equivalent(pkg, "recreational")
    assert info.value.field == "customer_type"
    # A location filling from All definitions serves both.
    assert engine().limit_flower_equivalent(pkg, "recreational").magnitude == pytest.approx(1.25)


def test_5_alias_tables_that_disagree_are_refused() -> None:
    custom = CategoryAliases({"Vapes": "Combined Inhalable"})  # drops the default "Cartridges"
    with pytest.raises(InvalidValueError) as info:
        FlowerEquivalencyEngine(DefinitionSet([inhalable_potency()], aliases=custom), CATEGORIES)
    assert info.value.field == "categories.aliases"
    agreed = FlowerEquivalencyEngine(
        DefinitionSet([inhalable_potency()], aliases=custom),
        ProductCategoryMap({"Vape Carts": "Vapes"}, aliases=custom),
    )
    fe = agreed.product_created(cart()).product.flower_equivalent
    assert fe is not None and fe.grams == pytest.approx(2.8)


def _overflowing() -> FlowerEquivalencyDefinition:
    return FlowerEquivalencyDefinition("Solid Edible", "all", BasedOn.GRAMS_CONCENTRATION, "1 mg", "1 kg")


def test_6_an_overflowing_fe_is_refused_by_calculate_and_flower_equivalent() -> None:
    for call in (_overflowing().calculate, _overflowing().flower_equivalent):
        with pytest.raises(InvalidQuantityError) as info:
            call("1e305 g")
        assert info.value.field == "grams_concentration" and "overflows" in str(info.value)


def test_6_an_overflowing_fe_is_refused_by_the_record_path_naming_the_record() -> None:
    fe_engine = engine(_overflowing())
    with pytest.raises(InvalidQuantityError) as info:
        fe_engine.product_created(gummy(id="P-big", grams_concentration="1e305 g"))
    assert "product P-big" in str(info.value) and "(got 1e+305)" in str(info.value)


def test_6_an_overflowing_record_does_not_abort_apply() -> None:
    fe_engine = engine(_overflowing())
    products = [gummy(id="P-big", grams_concentration="1e305 g"), gummy(id="P-ok", grams_concentration="1 g")]
    result = fe_engine.apply_to_catalog("Solid Edible", "all", by=ADMIN, products=products)
    assert [problem.record_id for problem in result.problems] == ["P-big"]
    assert result.products[0] is products[0]
    fe = result.products[1].flower_equivalent
    assert fe is not None and fe.grams == pytest.approx(1e6)


def test_6_the_cli_refuses_an_overflowing_fe() -> None:
    out, err = StringIO(), StringIO()
    code = main(["fe", "--category", "Solid Edible", "--based-on", "grams_concentration",
                 "--category-amount", "1 mg", "--flower-amount", "1 kg", "1e305 g", "--json"], out=out, err=err)
    assert code == 2 and "overflows" in err.getvalue() and out.getvalue() == ""
    code = main(["fe", "--category", "Solid Edible", "--based-on", "grams_concentration",
                 "--category-amount", "1 mg", "--flower-amount", "1 kg", "1 g", "--json"], out=out, err=err)
    assert code == 0 and json.loads(out.getvalue())["results"][0]["flower_equivalent_grams"] == 1e6


def test_7_an_unchanged_potency_sent_back_is_not_an_edit() -> None:
    fe_engine = engine()
    product = cart()
    pkg = fe_engine.package_received(package(product, lab_results=LabResults("700 mg")), product).package
    result = fe_engine.package_edited(pkg, product, {"potency": "700 mg", "net_weight": "1 g"})
    assert result.package.potency == pkg.potency
    for changed in ("800 mg", "junk", None):
        with pytest.raises(Exception, match="potency") as info:
            fe_engine.package_edited(pkg, product, {"potency": changed})
        assert info.type.__name__ == "ReadOnlyFieldError"
