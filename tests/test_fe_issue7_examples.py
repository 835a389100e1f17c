"""Issue #7: every untyped-exception example it lists raises a library error, and the smaller things it saw."""

from __future__ import annotations

import io
from typing import Any

import pytest

from fe_compliance import (
    CatalogProduct,
    DefinitionSet,
    FEComplianceError,
    FlowerEquivalencyDefinition,
    FlowerEquivalent,
    LabResults,
    apply_definition_bulk,
)
from fe_compliance.cli import main
from fe_compliance.units import grams_factor, mass_to_grams, quantity_from

from .fe_fixtures import ADMIN, cart, engine, gummy, package, solid_edible


def _examples() -> list[Any]:
    fe_engine = engine()
    product = gummy()
    pkg = package(product)
    return [
        lambda: fe_engine.package_edited(pkg, product, None),
        lambda: DefinitionSet(None),
        lambda: DefinitionSet([], aliases={}),
        lambda: fe_engine.fields_using("x"),
        lambda: fe_engine.based_on_fields("x", product, None),
        lambda: fe_engine.based_on_fields(solid_edible(), None, None),
        lambda: fe_engine.based_on_fields(solid_edible(), product, 5),
        lambda: fe_engine.based_on_grams(None, product, pkg),
        lambda: fe_engine.based_on_grams(solid_edible(), "P1", None),
        lambda: CatalogProduct(id="P", thc_content="9" * 400 + " %"),
        lambda: CatalogProduct(id="P", thc_content="9" * 60 + " %"),
        lambda: CatalogProduct(id=10**5000),
        lambda: quantity_from(float("nan"), "g", field="w"),
        lambda: mass_to_grams("1 " + "a" * 15_000, field="w"),
        lambda: mass_to_grams("1 " + "g*" * 1000 + "g", field="w"),
        lambda: grams_factor("9**9**9 ea"),
        lambda: mass_to_grams("10 g**\u0662", field="w"),
        lambda: DefinitionSet(5),
        lambda: fe_engine.apply_to_catalog("Solid Edible", "all", by=ADMIN, products=mass_to_grams),
    ]


@pytest.mark.parametrize("index", range(len(_examples())))
def test_each_listed_example_raises_a_library_error(index: int) -> None:
    with pytest.raises(FEComplianceError):
        _examples()[index]()


def test_bulk_change_records_show_the_input_and_claim_no_source_for_the_old_value() -> None:
    result = apply_definition_bulk(solid_edible(), [("K1", 20.0)], previous={"K1": 0.625})
    (change,) = result.changes()
    assert str(change.old) == "0.625 gram"  # a plain amount: the bulk path does not know its source
    assert "(manual)" not in str(change)
    assert "grams_concentration 20 g x ratio 0.0625" in change.detail and change.detail.endswith("= 1.25 g")


def test_edit_records_show_lab_results_as_people_read_them() -> None:
    fe_engine = engine()
    product = cart()
    pkg = package(product, lab_results=LabResults("700 mg", lab="Acme"))
    result = fe_engine.package_edited(pkg, product, {"lab_results": LabResults("600 mg")})
    edit = result.changes[0]
    assert edit.field == "lab_results"
    assert str(edit) .startswith("package K1: lab_results THC 700 mg (lab: Acme) -> THC 600 mg [edit]")
    assert edit.to_dict()["new"] == "THC 600 mg"


def test_an_fe_has_no_float_noise_when_the_input_is_the_category_amount() -> None:
    definition = FlowerEquivalencyDefinition("Flower", "all", "net_weight", "3 g", "1 oz")
    assert definition.flower_equivalent("3 g").magnitude == 28.349523125  # not 28.349523125000005
    fe_engine = engine(definition)
    assert definition.flower_equivalent_grams(3.0) == 28.349523125
    assert fe_engine.fields_using(definition) == ("flower_equivalent",)


def test_negative_zero_prints_as_zero() -> None:
    assert str(FlowerEquivalent("-0.0 g")) == "0 g (manual)"
    assert str(FlowerEquivalent("-0 mg")) == "0 g (manual)"


def test_the_cli_writes_what_its_stream_cannot_encode_escaped() -> None:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii")
    code = main(["fe", "--category", "Edible \u00e9\udc80", "--based-on", "grams_concentration",
                 "--category-amount", "16 oz", "--flower-amount", "1 oz", "10 g"], out=out, err=io.StringIO())
    out.flush()
    assert code == 0
    assert b"Edible \\xe9\\udc80" in raw.getvalue() and b"0.625 g flower equivalent" in raw.getvalue()
