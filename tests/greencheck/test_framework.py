"""The framework itself: registry, readers, steps, tiers, results, errors, docs index, limit check."""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path
from typing import Any

import pytest

from fe_compliance.errors import FEComplianceError, InvalidQuantityError, InvalidValueError, MissingDataError
from fe_compliance.explain import Rule
from fe_compliance.greencheck import (
    KNOWN_VENDORS,
    AllOf,
    AnyOf,
    Basis,
    Compute,
    ExtractOptions,
    FieldIs,
    FlagIs,
    ItemWhere,
    LineQuantity,
    NoGramsError,
    NoQuantityError,
    Not,
    NotApplicableError,
    Plausibility,
    PlausibilityWarning,
    Record,
    SaleGrams,
    Tier,
    TierConvention,
    TierSize,
    UnitKindIs,
    UnknownVendorError,
    VendorError,
    VendorFieldError,
    VendorNotImplementedError,
    VendorSpec,
    Weight,
    check_purchase_limit,
    extract_grams,
    get_vendor,
    known_vendors,
    normalize_slug,
    registry,
    tier_grams,
    vendors,
)
from fe_compliance.greencheck.docs import render_index, render_vendor_page
from fe_compliance.greencheck.fields import (
    TOO_LARGE,
    UNKNOWN_UNIT,
    FieldProblem,
    Measure,
    as_flag,
    as_number,
    as_text,
    as_unit,
    as_weight,
    checked_weight,
    lookup,
    mass_factor,
    measure_grams,
    not_a_mass,
    parse_measure,
    parse_measure_range,
)
from fe_compliance.greencheck.steps import Computed, weight_value
from fe_compliance.units import GRAMS_PER_OUNCE, Q_, UnitKind

INDEX = Path(__file__).resolve().parents[2] / "docs" / "vendors" / "index.md"
RULE = Rule("greencheck.test", "test", "003_52e340b70ce4c404.txt", "Test")


# ------------------------------------------------------------------------------------------------ registry


def test_known_vendors_are_the_seed_19_sorted() -> None:
    assert len(KNOWN_VENDORS) == 19
    assert known_vendors() == tuple(sorted(KNOWN_VENDORS))
    assert "sage_intacct" in KNOWN_VENDORS and "proteus420" in KNOWN_VENDORS


def test_vendors_lists_only_implemented_sorted() -> None:
    listed = vendors()
    assert listed == tuple(sorted(listed))
    assert set(listed) <= set(KNOWN_VENDORS)
    assert "metrc" in listed
    for slug in listed:
        assert get_vendor(slug).slug == slug


def test_not_yet_implemented_vendor_is_a_library_error() -> None:
    missing = [slug for slug in KNOWN_VENDORS if slug not in registry.IMPLEMENTED]
    for slug in missing:
        with pytest.raises(VendorNotImplementedError) as caught:
            extract_grams(slug, product={}, sale_line={})
        assert caught.value.vendor == slug
        assert isinstance(caught.value, LookupError)


@pytest.mark.parametrize("name", ["nope", "", 3, None, ["metrc"]])
def test_unknown_vendor(name: Any) -> None:
    with pytest.raises(UnknownVendorError) as caught:
        extract_grams(name, product={}, sale_line={})
    assert caught.value.field == "vendor"
    assert caught.value.value == name
    assert "metrc" in str(caught.value)


@pytest.mark.parametrize(("spelling", "slug"), [
    ("Metrc", "metrc"), (" METRC ", "metrc"), ("LeafLogix", "dutchie"), ("sage-intacct", "sage_intacct"),
    ("Sage Intacct", "sage_intacct"), ("MJ Freeway", "mjfreeway"), ("Proteus", "proteus420"),
])
def test_normalize_slug(spelling: str, slug: str) -> None:
    assert normalize_slug(spelling) == slug


# ------------------------------------------------------------------------------------------------- readers


@pytest.mark.parametrize(("raw", "expected"), [
    (3, 3.0), (3.5, 3.5), ("3.5", 3.5), (" 3.5 ", 3.5), ("1,000", 1000.0), ("12,345.5", 12345.5), ("1e3", 1000.0),
    (".5", 0.5), ("+2", 2.0), ("-0", 0.0), (0, 0.0), (None, None), ("", None), ("  ", None),
])
def test_as_number_reads(raw: Any, expected: float | None) -> None:
    assert as_number(raw, "f") == expected


@pytest.mark.parametrize("raw", [True, False, math.nan, math.inf, -math.inf, -1, -0.1, "-3", "1,5", "1,00",
                                 "1,0000", "abc", "3.5g", "nan", "inf", "1e999", 10**400, {}, [], [1], {"a": 1}])
def test_as_number_refuses(raw: Any) -> None:
    with pytest.raises(FieldProblem) as caught:
        as_number(raw, "product.x")
    assert caught.value.field == "product.x"
    assert caught.value.value is raw or caught.value.value == raw


def test_weights_too_large_are_refused_by_one_helper() -> None:
    assert as_weight("3.5", "f") == 3.5 and as_weight(None, "f") is None and as_weight(0, "f") == 0.0
    for raw in (TOO_LARGE, 1e308, "1e300", 10**300):
        with pytest.raises(FieldProblem, match="too large to be a weight") as caught:
            as_weight(raw, "product.w")
        assert caught.value.field == "product.w" and caught.value.value == raw
    assert as_weight(9.9e299, "f") == 9.9e299
    assert checked_weight(3.5, "f", "3.5 g") == 3.5
    with pytest.raises(FieldProblem, match="too large to be a weight") as computed:
        checked_weight(1e299 * 1000, "product.size", "1e299 kg")
    assert computed.value.field == "product.size" and computed.value.value == "1e299 kg"


def test_weight_value_for_compute_functions_notes_why_it_is_not_set() -> None:
    notes: list[str] = []
    assert weight_value("2", "product.w", notes.append) == 2.0 and notes == []
    assert weight_value(None, "product.w", notes.append) is None
    assert weight_value("0", "product.w", notes.append) is None
    assert weight_value(" ", "product.w", None) is None
    assert notes == ["product.w is missing", "product.w is 0, treated as not set"]
    for raw in ("1,5", -1, math.nan, 1e301, True):
        with pytest.raises(FieldProblem):
            weight_value(raw, "product.w", notes.append)


def test_weight_steps_and_compute_steps_refuse_the_same_too_large_values() -> None:
    def read(product: Any, sale_line: Any, options: Any, note: Any) -> float | None:
        return weight_value(product.get("w"), "product.w", note)

    weight = _spec(Weight("w", Record.PRODUCT, "w", Basis.PRODUCT_WEIGHT, unit="g", per_unit=False))
    compute = _spec(Compute("c", "w", Record.PRODUCT, Basis.PRODUCT_WEIGHT, read, ((Record.PRODUCT, "w"),), "w",
                            per_unit=False))
    for spec in (weight, compute):
        with pytest.raises(VendorFieldError, match="too large to be a weight") as caught:
            spec.extract({"w": 1e300}, {}, OPTIONS)
        assert caught.value.field == "product.w"
        assert spec.extract({"w": 9e299}, {}, OPTIONS).grams_value == 9e299
        with pytest.raises(NoGramsError, match=r"product\.w is 0, treated as not set"):
            spec.extract({"w": 0}, {}, OPTIONS)
        assert isinstance(spec.extract_many([({"w": "1e300"}, {})], OPTIONS).errors[0], VendorFieldError)


@pytest.mark.parametrize(("raw", "value", "unit"), [
    ("100mg", 100.0, "mg"), ("100 mg", 100.0, "mg"), (" 3.5g ", 3.5, "g"), ("1,000 mg", 1000.0, "mg"),
    ("0.125 oz", 0.125, "oz"), (".5 G", 0.5, "G"), ("22.5%", 22.5, "%"), ("1e2mg", 100.0, "mg"), ("3.5", 3.5, None),
    (7, 7.0, None), (2.5, 2.5, None), ("10 fl oz", 10.0, "fl oz"), ("100 mg THC", 100.0, "mg THC"),
])
def test_parse_measure_reads_a_number_and_its_unit(raw: Any, value: float, unit: str | None) -> None:
    assert parse_measure(raw, "f") == Measure(value, unit)


@pytest.mark.parametrize(("raw", "reason"), [
    ("mg", "expected an amount"), ("N/A", "expected an amount"), ("nan mg", "expected an amount"),
    ("10mg x 10", "expected an amount"), ("1-3 g", "expected an amount"), ("1-", "expected an amount"),
    ("1,5mg", "ambiguous"),
    ("-5mg", "negative"), ("1e999mg", "finite"), ("1.2.3mg", "plain decimal"), (True, "expected an amount"),
    ({"mg": 1}, "expected an amount"), (["1mg"], "expected an amount"), (math.nan, "finite"), (-1, "negative"),
])
def test_parse_measure_refuses_by_name_with_the_whole_value(raw: Any, reason: str) -> None:
    with pytest.raises(FieldProblem) as caught:
        parse_measure(raw, "product.m")
    assert caught.value.field == "product.m" and reason in caught.value.reason
    assert caught.value.value is raw or caught.value.value == raw


def test_parse_measure_not_set_and_custom_hint() -> None:
    assert parse_measure(None, "f") is None and parse_measure(" ", "f") is None and parse_measure("", "f") is None
    with pytest.raises(FieldProblem, match="my hint"):
        parse_measure("abc", "f", hint="my hint")


@pytest.mark.parametrize(("raw", "ends"), [
    ("3.5g", (None, Measure(3.5, "g"))), ("1-3.5 g", (Measure(1.0, None), Measure(3.5, "g"))),
    ("1 g - 3.5 g", (Measure(1.0, "g"), Measure(3.5, "g"))),
    ("500mg\u20131g", (Measure(500.0, "mg"), Measure(1.0, "g"))),
    ("1,000-2,000 mg", (Measure(1000.0, None), Measure(2000.0, "mg"))),
    ("3.5-1", (Measure(3.5, None), Measure(1.0, None))), ("  ", None),
])
def test_parse_measure_range(raw: str, ends: Any) -> None:
    assert parse_measure_range(raw, "f") == ends


@pytest.mark.parametrize("raw", ["-1-3 g", "1 to 3.5 g", "1-2-3 g", "1-", "-", "1,5-3,5 g", "g-3 g"])
def test_parse_measure_range_refuses(raw: str) -> None:
    with pytest.raises(FieldProblem) as caught:
        parse_measure_range(raw, "product.r", hint="a range hint")
    assert caught.value.field == "product.r" and caught.value.value == raw


def test_measure_grams_goes_through_the_one_unit_table() -> None:
    assert measure_grams(Measure(100, "mg"), "f", "100mg") == pytest.approx(0.1)
    assert measure_grams(Measure(0.125, "Ounces"), "f", "x") == GRAMS_PER_OUNCE / 8
    assert measure_grams(Measure(2, None), "f", "2", default_unit="g") == 2.0
    assert measure_grams(Measure(2, "mg"), "f", "2mg", default_unit="g") == 0.002
    assert measure_grams(Measure(22.5, "%"), "product.t", "22.5%") == (
        "product.t is '22.5%': '%' is a percentage, not a weight")
    assert measure_grams(Measure(22.5, None), "product.t", "22.5", default_unit="%").endswith(
        "a percentage, not a weight")
    assert measure_grams(Measure(100, None), "product.t", "100") == (
        "product.t is '100', a number without a unit, so its unit is unknown (not guessed)")
    assert measure_grams(Measure(2, "each"), "f", "2 each").endswith("'each' is a count, not a weight")
    assert measure_grams(Measure(2, "ml"), "f", "2 ml").endswith("'ml' is a volume, not a weight")
    assert measure_grams(Measure(2, "bag"), "f", "2 bag").endswith("'bag' is not a unit spelling the library reads")
    with pytest.raises(FieldProblem, match="too large"):
        measure_grams(Measure(1e299, "kg"), "f", "1e299 kg")


def test_mass_factor_and_not_a_mass() -> None:
    assert mass_factor("Grams", "f") == 1.0 and mass_factor("oz", "f") == GRAMS_PER_OUNCE
    assert mass_factor(None, "product.u") == "product.u is missing, so the value's unit is unknown"
    assert mass_factor("%", "product.u") == "product.u is '%', a percentage, not a weight"
    assert mass_factor("furlongs", "product.u") == "product.u is 'furlongs', not a unit spelling the library reads"
    with pytest.raises(FieldProblem):
        mass_factor(5, "product.u")
    assert not_a_mass(UNKNOWN_UNIT) == "not a unit spelling the library reads"
    assert not_a_mass(as_unit("EA", "f")) == "a count, not a weight"  # type: ignore[arg-type]


def test_posabit_and_brytemap_read_the_same_text_the_same_way() -> None:
    """One reader: a measure POSaBIT takes as THC is the weight Brytemap takes as a size, and text one refuses the
    other refuses too."""
    for text in ("100mg", "3.5 g", "1,000 mg", "0.125 oz", "1e2mg", ".5G"):
        thc = extract_grams("posabit", product={"thc_measure": text}, sale_line={"quantity": 1}).grams_value
        size = extract_grams("brytemap", product={"sizeMap": text}, sale_line={"quantity": 1}).grams_value
        assert thc == size
    for text in ("N/A", "1,5 mg", "10mg x 10", "nan g"):
        for vendor, product in (("posabit", {"thc_measure": text}), ("brytemap", {"sizeMap": text})):
            with pytest.raises(VendorFieldError) as caught:
                extract_grams(vendor, product=product, sale_line={"quantity": 1})
            assert caught.value.value == text
    for text in ("22.5%", "2 each", "10 ml"):
        for vendor, product in (("posabit", {"thc_measure": text}), ("brytemap", {"sizeMap": text})):
            with pytest.raises(NoGramsError):
                extract_grams(vendor, product=product, sale_line={"quantity": 1})


def test_as_text_and_flag() -> None:
    assert as_text(" Edibles ", "f") == "Edibles"
    assert as_text("  ", "f") is None
    assert as_text(None, "f") is None
    for junk in (3, True, [], {}):
        with pytest.raises(FieldProblem):
            as_text(junk, "f")
    assert as_flag(True, "f") is True
    assert as_flag("No", "f") is False
    assert as_flag(1, "f") is True
    assert as_flag(None, "f") is None
    for junk in ("maybe", 2, [], 1.5):
        with pytest.raises(FieldProblem):
            as_flag(junk, "f")


def test_as_unit_through_the_one_table() -> None:
    for spelling in ("Grams", "g", "gram", "GRAMS", "Milligrams", "mg", "Ounces", "oz", "lbs"):
        unit = as_unit(spelling, "f")
        assert unit is not None and unit.kind is UnitKind.MASS and unit.grams_per_unit
    assert as_unit("Ounces", "f").grams_per_unit == GRAMS_PER_OUNCE  # type: ignore[union-attr]
    assert as_unit("%", "f").kind is UnitKind.PERCENT  # type: ignore[union-attr]
    assert as_unit("%", "f").grams_per_unit is None  # type: ignore[union-attr]
    assert as_unit("each", "f").kind is UnitKind.COUNT  # type: ignore[union-attr]
    assert as_unit("furlongs", "f") is UNKNOWN_UNIT
    assert as_unit("", "f") is None and as_unit(None, "f") is None
    with pytest.raises(FieldProblem):
        as_unit(5, "f")


def test_lookup_paths() -> None:
    assert lookup({"a": {"b": 1}}, ("a", "b"), "x") == 1
    assert lookup({"a": None}, ("a", "b"), "x") is None
    assert lookup({}, ("a", "b"), "x") is None
    with pytest.raises(FieldProblem) as caught:
        lookup({"a": "Flower"}, ("a", "b"), "product.a.b")
    assert caught.value.field == "product.a.b"


# ---------------------------------------------------------------------------------------------------- steps


def _spec(*steps: Any, quantity: LineQuantity | None = None, **kwargs: Any) -> VendorSpec:
    return VendorSpec(slug="test", name="Test", rule=RULE, summary="s", records={}, fields=(), steps=steps,
                      quantity=quantity, **kwargs)


OPTIONS = ExtractOptions()


def test_weight_step_needs_exactly_one_unit_source() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Weight("w", Record.PRODUCT, "w", Basis.PRODUCT_WEIGHT)
    with pytest.raises(ValueError, match="exactly one"):
        Weight("w", Record.PRODUCT, "w", Basis.PRODUCT_WEIGHT, unit="g", unit_field="u")
    with pytest.raises(ValueError, match="not a mass"):
        Weight("w", Record.PRODUCT, "w", Basis.PRODUCT_WEIGHT, unit="%")


def test_per_unit_steps_need_a_quantity() -> None:
    with pytest.raises(ValueError, match="LineQuantity"):
        _spec(Weight("w", Record.PRODUCT, "w", Basis.PRODUCT_WEIGHT, unit="g"))
    with pytest.raises(ValueError, match="at least one step"):
        _spec()


def test_weight_within_a_list_element() -> None:
    step = Weight("thc", Record.PRODUCT, "amount", Basis.THC, unit_field="unit",
                  within=ItemWhere("cannabinoids", "name", ("thc",)), per_unit=False)
    spec = _spec(step)
    product = {"cannabinoids": [{"name": "CBD", "amount": 5, "unit": "mg"}, {"name": "THC", "amount": 10,
                                                                            "unit": "mg"}]}
    result = spec.extract(product, {}, OPTIONS)
    assert result.grams_value == pytest.approx(0.01)
    assert result.source == "product.cannabinoids[name=thc].amount"
    with pytest.raises(NoGramsError, match="no element"):
        spec.extract({"cannabinoids": [{"name": "cbd"}]}, {}, OPTIONS)
    with pytest.raises(VendorFieldError) as caught:
        spec.extract({"cannabinoids": "lots"}, {}, OPTIONS)
    assert caught.value.field == "product.cannabinoids"


def test_conditions() -> None:
    edible = FieldIs(Record.PRODUCT, "category", contains=("edible",))
    each = FieldIs(Record.SALE_LINE, "uom", equals=("Each",))
    step = Weight("w", Record.PRODUCT, "w", Basis.PRODUCT_WEIGHT, unit="g", per_unit=False, when=AnyOf(edible, each))
    spec = _spec(step)
    assert spec.extract({"w": 1, "category": "Infused Edibles"}, {}, OPTIONS).grams_value == 1
    assert spec.extract({"w": 1}, {"uom": "EACH"}, OPTIONS).grams_value == 1
    with pytest.raises(NoGramsError) as caught:
        spec.extract({"w": 1, "category": "Flower"}, {}, OPTIONS)
    reason = caught.value.trace[0].reason
    assert "product.category is 'Flower'" in reason and "sale_line.uom is missing" in reason
    both = _spec(Weight("w", Record.PRODUCT, "w", Basis.PRODUCT_WEIGHT, unit="g", per_unit=False,
                        when=AllOf(edible, Not(each))))
    assert both.extract({"w": 1, "category": "edible"}, {}, OPTIONS).grams_value == 1
    with pytest.raises(NoGramsError):
        both.extract({"w": 1, "category": "edible"}, {"uom": "each"}, OPTIONS)
    with pytest.raises(VendorFieldError) as bad:
        spec.extract({"w": 1, "category": 7}, {}, OPTIONS)
    assert bad.value.field == "product.category"
    assert edible.describe() == "`product.category` contains 'edible' (any case)"
    assert FieldIs(Record.PRODUCT, "t", equals=("a", "b"), contains=("c",)).describe() == (
        "`product.t` is 'a' or 'b' or contains 'c' (any case)")
    assert "(a mass unit only" not in step.describe()  # a fixed unit has no unit field to skip
    assert "(a mass unit only" in Weight("w", Record.PRODUCT, "w", Basis.THC, unit_field="u").describe()


TRUE_SPELLINGS = (True, 1, "true", "TRUE", " True ", "yes", "Y", "1")
FALSE_SPELLINGS = (False, 0, "false", "False", "no", "N", " 0 ")


@pytest.mark.parametrize("raw", TRUE_SPELLINGS + FALSE_SPELLINGS)
def test_flag_condition_reads_the_one_true_false_rule(raw: Any) -> None:
    truth = raw in TRUE_SPELLINGS
    for value in (True, False):
        condition = FlagIs(Record.SALE_LINE, "flag", value)
        assert condition.compile()({}, {"flag": raw}) is (truth is value)
        assert as_flag(raw, "f") is truth
    step = Weight("w", Record.PRODUCT, "w", Basis.PRODUCT_WEIGHT, unit="g", per_unit=False,
                  when=FlagIs(Record.SALE_LINE, "flag", True))
    spec = _spec(step)
    if truth:
        assert spec.extract({"w": 2}, {"flag": raw}, OPTIONS).grams_value == 2
    else:
        with pytest.raises(NoGramsError) as caught:
            spec.extract({"w": 2}, {"flag": raw}, OPTIONS)
        assert caught.value.trace[0].reason == "does not apply: sale_line.flag is false, not true"
    assert spec.extract_many([({"w": 2}, {"flag": raw})], OPTIONS).grams == [2.0 if truth else None]


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_flag_condition_not_set_is_neither_branch(raw: Any) -> None:
    records = {} if raw is None else {"flag": raw}
    for value in (True, False):
        condition = FlagIs(Record.SALE_LINE, "flag", value)
        assert condition.compile()({}, records) is False
        assert condition.explain({}, records) == "sale_line.flag is missing"
    assert Not(FlagIs(Record.SALE_LINE, "flag", True)).compile()({}, records) is True


@pytest.mark.parametrize("raw", ["maybe", "tru", 2, -1, 1.0, 0.0, [True], {"v": True}])
def test_flag_condition_garbage_is_a_field_error_not_a_branch(raw: Any) -> None:
    spec = _spec(Weight("w", Record.PRODUCT, "w", Basis.PRODUCT_WEIGHT, unit="g", per_unit=False,
                        when=FlagIs(Record.PRODUCT, "meta.flag", False)))
    with pytest.raises(VendorFieldError) as caught:
        spec.extract({"w": 2, "meta": {"flag": raw}}, {}, OPTIONS)
    assert caught.value.field == "product.meta.flag" and "expected true or false" in str(caught.value)
    bulk = spec.extract_many([({"w": 2, "meta": {"flag": raw}}, {})], OPTIONS)
    assert isinstance(bulk.errors[0], VendorFieldError)


def test_flag_condition_describes_itself() -> None:
    condition = FlagIs(Record.PRODUCT, "meta.flag", False)
    assert condition.describe() == "`product.meta.flag` is false"
    assert condition.explain({"meta": {"flag": "yes"}}, {}) == "product.meta.flag is true, not false"
    assert condition.fields() == ((Record.PRODUCT, "meta.flag"),)
    assert FlagIs(Record.PRODUCT, "x").value is True


@pytest.mark.parametrize(("raw", "kind"), [
    ("Each", UnitKind.COUNT), ("ea", UnitKind.COUNT), ("PIECES", UnitKind.COUNT), ("Grams", UnitKind.MASS),
    ("oz", UnitKind.MASS), ("lbs", UnitKind.MASS), ("ml", UnitKind.VOLUME), ("%", UnitKind.PERCENT),
])
def test_unit_kind_condition_reads_the_one_spelling_table(raw: str, kind: UnitKind) -> None:
    for wanted in UnitKind:
        condition = UnitKindIs(Record.PRODUCT, "uom", wanted)
        assert condition.compile()({"uom": raw}, {}) is (wanted is kind)
    count = UnitKindIs(Record.PRODUCT, "uom", UnitKind.COUNT)
    if kind is not UnitKind.COUNT:
        assert count.explain({"uom": raw}, {}).startswith(f"product.uom is {raw!r}, a ")
        assert count.explain({"uom": raw}, {}).endswith(", not a count (\"Each\")")


def test_unit_kind_condition_missing_unknown_and_garbage() -> None:
    mass = UnitKindIs(Record.SALE_LINE, "item.uom", UnitKind.MASS)
    for records in ({}, {"item": {}}, {"item": {"uom": None}}, {"item": {"uom": "  "}}):
        assert mass.compile()({}, records) is False
        assert mass.explain({}, records) == "sale_line.item.uom is missing"
    assert mass.compile()({}, {"item": {"uom": "bundle"}}) is False
    assert mass.explain({}, {"item": {"uom": "bundle"}}) == (
        "sale_line.item.uom is 'bundle', not a unit spelling the library reads")
    spec = _spec(Weight("w", Record.PRODUCT, "w", Basis.PRODUCT_WEIGHT, unit="g", per_unit=False, when=mass))
    assert spec.extract({"w": 3}, {"item": {"uom": "Grams"}}, OPTIONS).grams_value == 3
    for junk in (1, ["g"], {"name": "g"}, True):
        with pytest.raises(VendorFieldError) as caught:
            spec.extract({"w": 3}, {"item": {"uom": junk}}, OPTIONS)
        assert caught.value.field == "sale_line.item.uom"
    assert mass.describe() == "`sale_line.item.uom` is a mass unit in the one unit-spelling table"
    assert mass.fields() == ((Record.SALE_LINE, "item.uom"),)


def test_tier_step_and_conventions() -> None:
    table = {"EIGHTH": TierSize.EIGHTH, "METRC_EIGHTH": (TierSize.EIGHTH, TierConvention.AVOIRDUPOIS)}
    spec = _spec(Tier("tier", Record.SALE_LINE, "size", Basis.WEIGHT_SOLD, table, not_tiers=("UNIT",)),
                 quantity=LineQuantity())
    assert spec.extract({}, {"size": "eighth", "quantity": 2}, OPTIONS).grams_value == 7.0
    exact = ExtractOptions(tier_convention="avoirdupois")
    assert spec.extract({}, {"size": "EIGHTH", "quantity": 1}, exact).grams_value == GRAMS_PER_OUNCE / 8
    assert spec.extract({}, {"size": "METRC_EIGHTH", "quantity": 1}, OPTIONS).grams_value == GRAMS_PER_OUNCE / 8
    with pytest.raises(NoGramsError, match="not a weight tier"):
        spec.extract({}, {"size": "UNIT", "quantity": 1}, OPTIONS)
    with pytest.raises(VendorFieldError):
        spec.extract({}, {"size": 8, "quantity": 1}, OPTIONS)


def test_tier_sizes() -> None:
    assert tier_grams(TierSize.EIGHTH, TierConvention.TRADE) == 3.5
    assert tier_grams(TierSize.EIGHTH, TierConvention.AVOIRDUPOIS) == pytest.approx(3.543690390625)
    assert tier_grams(TierSize.OUNCE, TierConvention.AVOIRDUPOIS) == GRAMS_PER_OUNCE
    assert tier_grams(TierSize.POUND, TierConvention.TRADE) == 448.0
    for size in TierSize:
        if size.value[0] < 3.5:
            assert tier_grams(size, TierConvention.TRADE) == tier_grams(size, TierConvention.AVOIRDUPOIS)
    assert TierConvention.parse("Ounce") is TierConvention.AVOIRDUPOIS
    with pytest.raises(InvalidValueError):
        TierConvention.parse("metric")
    with pytest.raises(FEComplianceError):
        extract_grams("metrc", product={}, sale_line={}, tier_convention="metric")


def test_compute_step_notes_and_validation() -> None:
    def upper(product: Any, sale_line: Any, options: Any, note: Any) -> float | None:
        value = as_number(product.get("hi"), "product.hi")
        if note is not None:
            note("read the upper end")
        return value

    spec = _spec(Compute("range", "hi", Record.PRODUCT, Basis.PRODUCT_WEIGHT, upper, ((Record.PRODUCT, "hi"),),
                         "the upper end", per_unit=False))
    result = spec.extract({"hi": 2}, {}, OPTIONS)
    assert result.grams_value == 2 and result.trace[0].reason == "read the upper end"
    with pytest.raises(NoGramsError, match="treated as not set"):
        spec.extract({"hi": 0}, {}, OPTIONS)
    assert spec.extract_many([({"hi": 2}, {}), ({"hi": -1}, {})], OPTIONS).grams == [2.0, None]


def test_line_quantity_alternatives_in_order() -> None:
    quantity = LineQuantity("qty", alternatives=("Qty", "item.count"))
    assert quantity.paths == ("qty", "Qty", "item.count")
    assert quantity.sources == ("sale_line.qty", "sale_line.Qty", "sale_line.item.count")
    assert quantity.fields() == tuple((Record.SALE_LINE, path) for path in quantity.paths)
    assert quantity.describe() == (
        "`sale_line.qty`, else `sale_line.Qty`, else `sale_line.item.count` (the first that is set)")
    assert LineQuantity("q", alternatives="Q").alternatives == ("Q",)
    spec = _spec(Weight("w", Record.PRODUCT, "w", Basis.PRODUCT_WEIGHT, unit="g"), quantity=quantity)
    cases = [({"qty": 2, "Qty": 3}, 2.0, "sale_line.qty"), ({"Qty": "3", "item": {"count": 4}}, 3.0, "sale_line.Qty"),
             ({"qty": 0, "Qty": None, "item": {"count": 4}}, 4.0, "sale_line.item.count")]
    for line, units, source in cases:
        result = spec.extract({"w": 1.5}, line, OPTIONS)
        assert result.quantity == units and result.grams_value == 1.5 * units
        assert result.trace[-1].source == source
        assert spec.extract_many([({"w": 1.5}, line)], OPTIONS).grams == [1.5 * units]
    with pytest.raises(NoQuantityError) as missing:
        spec.extract({"w": 1}, {"qty": None, "Qty": " "}, OPTIONS)
    assert missing.value.field == "sale_line.qty" and not missing.value.zero
    assert missing.value.also == ("sale_line.Qty", "sale_line.item.count")
    with pytest.raises(VendorFieldError) as corrupt:
        spec.extract({"w": 1}, {"qty": None, "Qty": "x", "item": {"count": 2}}, OPTIONS)
    assert corrupt.value.field == "sale_line.Qty"
    with pytest.raises(ValueError, match="repeat"):
        LineQuantity("q", alternatives=("q",))


def test_line_quantity_alternatives_with_a_unit_field_and_overflow() -> None:
    quantity = LineQuantity("qty", alternatives=("Qty",), unit_field="uom")
    spec = _spec(Weight("w", Record.PRODUCT, "w", Basis.PRODUCT_WEIGHT, unit="g"), quantity=quantity)
    assert spec.extract({"w": 1}, {"Qty": 2, "uom": "Each"}, OPTIONS).grams_value == 2
    with pytest.raises(VendorFieldError, match=r"the quantity sale_line\.Qty is measured in 'g'") as caught:
        spec.extract({"w": 1}, {"Qty": 2, "uom": "g"}, OPTIONS)
    assert caught.value.field == "sale_line.uom"
    with pytest.raises(VendorFieldError, match="overflow") as overflow:
        spec.extract({"w": 9e299}, {"Qty": 1e299}, OPTIONS)
    assert overflow.value.field == "sale_line.Qty"
    assert str(spec.extract_many([({"w": 9e299}, {"Qty": 1e299})], OPTIONS).errors[0]) == str(overflow.value)


def _codes(spec: VendorSpec, product: Any, sale_line: Any) -> list[str]:
    return [warning.code for warning in spec.extract(product, sale_line, OPTIONS).warnings]


def test_plausibility_per_unit_thresholds_apply_to_per_unit_values_only() -> None:
    category = Plausibility(category=((Record.PRODUCT, "category"),))
    line = _spec(Weight("line", Record.SALE_LINE, "sold", Basis.WEIGHT_SOLD, unit="g", per_unit=False),
                 plausibility=category)
    unit = _spec(Weight("unit", Record.PRODUCT, "w", Basis.PRODUCT_WEIGHT, unit="g"), quantity=LineQuantity(),
                 plausibility=category)
    thc_line = _spec(Weight("thc", Record.SALE_LINE, "thc", Basis.THC, unit="g", per_unit=False),
                     plausibility=category)
    thc_unit = _spec(Weight("thc", Record.PRODUCT, "thc", Basis.THC, unit="g"), quantity=LineQuantity(),
                     plausibility=category)
    assert _codes(line, {}, {"sold": 500}) == []  # a 500 g bulk line, not a 500 g unit
    assert _codes(line, {}, {"sold": 1500}) == ["line_over_kilogram"]
    assert _codes(unit, {"w": 500}, {"quantity": 1}) == ["unit_over_pound"]
    assert _codes(unit, {"w": 400}, {"quantity": 3}) == ["line_over_kilogram"]
    assert _codes(unit, {"w": 500}, {"quantity": 3}) == ["unit_over_pound", "line_over_kilogram"]
    assert _codes(line, {"category": "Pre-Rolls"}, {"sold": 6}) == []  # six pre-rolls weighed as one line
    assert _codes(unit, {"w": 6, "category": "Pre-Rolls"}, {"quantity": 1}) == ["pre_roll_heavy"]
    assert _codes(thc_line, {"category": "Edibles"}, {"thc": 2}) == []
    assert _codes(thc_unit, {"thc": 2, "category": "Edibles"}, {"quantity": 1}) == ["edible_thc_high"]
    assert _codes(thc_unit, {"thc": 500, "category": "Edibles"}, {"quantity": 1}) == ["unit_over_pound",
                                                                                      "edible_thc_high"]
    # THC is bounded by the unit's weight: the pound and the pre-roll thresholds bound THC grams too.
    assert _codes(thc_unit, {"thc": 6, "category": "Pre-Rolls"}, {"quantity": 1}) == ["pre_roll_heavy"]
    assert _codes(thc_unit, {"thc": 1000, "category": "Pre-Rolls"}, {"quantity": 1}) == [
        "unit_over_pound", "pre_roll_heavy", "line_over_kilogram"]
    assert _codes(thc_unit, {"thc": 4, "category": "Pre-Rolls"}, {"quantity": 1}) == []
    # A kilogram on one line warns at 1,000 g exactly (a pre-roll line weighed at 1,000 g), not only above it.
    assert _codes(line, {"category": "Pre-Rolls"}, {"sold": 1000}) == ["line_over_kilogram"]
    assert _codes(line, {"category": "Pre-Rolls"}, {"sold": 999.5}) == []


def test_plausibility_cross_checks_compare_on_one_footing() -> None:
    line_weight = Weight("line weight", Record.SALE_LINE, "line_g", Basis.WEIGHT_SOLD, unit="g", per_unit=False)
    unit_weight = Weight("unit weight", Record.PRODUCT, "net_g", Basis.NET_WEIGHT, unit="g")
    per_unit = _spec(Weight("w", Record.PRODUCT, "w", Basis.PRODUCT_WEIGHT, unit="g"), quantity=LineQuantity(),
                     plausibility=Plausibility(cross_checks=(line_weight, unit_weight)))
    # 1 g per unit times 10 units is the 10 g on the line: they agree, though 1 and 10 differ tenfold.
    assert _codes(per_unit, {"w": 1, "net_g": 1}, {"quantity": 10, "line_g": 10}) == []
    assert _codes(per_unit, {"w": 1}, {"quantity": 1, "line_g": 10}) == ["weights_disagree"]
    assert _codes(per_unit, {"w": 1, "net_g": 10}, {"quantity": 10}) == ["weights_disagree"]
    per_line = _spec(Weight("w", Record.SALE_LINE, "w", Basis.WEIGHT_SOLD, unit="g", per_unit=False),
                     plausibility=Plausibility(cross_checks=(unit_weight,)))
    # a per-line value is not compared with a per-unit reading: there is no count to put them on one footing
    assert _codes(per_line, {"net_g": 1000}, {"w": 1}) == []


def test_compute_step_can_return_warnings_with_its_value() -> None:
    warning = PlausibilityWarning("own_check", "the rule's own cross-check")

    def rule(product: Any, sale_line: Any, options: Any, note: Any) -> Computed | float | None:
        value = weight_value(product.get("v"), "product.v", note)
        if value is None or note is None:
            return value
        return Computed(value, (warning,)) if product.get("odd") else value

    first = Compute("rule", "v", Record.PRODUCT, Basis.PRODUCT_WEIGHT, rule,
                    ((Record.PRODUCT, "v"), (Record.PRODUCT, "odd")), "v", per_unit=False)
    fallback = Weight("fallback", Record.PRODUCT, "w", Basis.NET_WEIGHT, unit="g", per_unit=False)
    spec = _spec(first, fallback)
    result = spec.extract({"v": 2, "odd": True}, {}, OPTIONS)
    assert result.grams_value == 2 and result.warnings == (warning,)
    assert spec.extract({"v": 2}, {}, OPTIONS).warnings == ()
    assert spec.extract_many([({"v": 2, "odd": True}, {})], OPTIONS).grams == [2.0]

    def zero(product: Any, sale_line: Any, options: Any, note: Any) -> Computed:
        return Computed(0.0, (warning,))

    skipped = _spec(Compute("zero", "v", Record.PRODUCT, Basis.PRODUCT_WEIGHT, zero, (), "0", per_unit=False),
                    fallback)
    fell_back = skipped.extract({"w": 5}, {}, OPTIONS)  # a value not taken carries no warning into the result
    assert fell_back.source == "product.w" and fell_back.warnings == ()

    def impossible(product: Any, sale_line: Any, options: Any, note: Any) -> Computed:
        return Computed(math.inf)

    bad = _spec(Compute("bad", "v", Record.PRODUCT, Basis.PRODUCT_WEIGHT, impossible, (), "inf", per_unit=False))
    with pytest.raises(VendorFieldError, match="impossible weight"):
        bad.extract({}, {}, OPTIONS)
    with pytest.raises(TypeError):
        Computed(1.0, ("not a warning",))  # type: ignore[arg-type]


def test_not_applicable_spec() -> None:
    spec = _spec(not_applicable="a wholesale integration")
    with pytest.raises(NotApplicableError) as caught:
        spec.extract({}, {}, OPTIONS)
    assert "wholesale" in str(caught.value)
    bulk = spec.extract_many([({}, {}), ({}, {})], OPTIONS)
    assert set(bulk.errors) == {0, 1}


# --------------------------------------------------------------------------------------------------- errors


def test_error_tree() -> None:
    assert issubclass(VendorFieldError, VendorError) and issubclass(VendorFieldError, InvalidValueError)
    assert issubclass(VendorFieldError, ValueError)
    assert issubclass(NoGramsError, MissingDataError)
    assert issubclass(VendorError, FEComplianceError)
    error = VendorFieldError("metrc", "product.UnitWeight", math.nan, "must be a finite number")
    assert error.vendor == "metrc" and error.field == "product.UnitWeight" and math.isnan(error.value)
    assert str(error) == "metrc: product.UnitWeight: must be a finite number (got nan)"


# ---------------------------------------------------------------------------------------------------- result


def test_result_to_dict_and_quantities() -> None:
    result = extract_grams("metrc", product={"UnitWeight": 2, "UnitWeightUnitOfMeasureName": "g"},
                           sale_line={"QuantitySold": 3})
    data = result.to_dict()
    assert data["grams"] == 6.0 and data["per_unit_grams"] == 2.0 and data["quantity"] == 3.0
    assert data["basis"] == "unit_weight" and data["unit"] == "g" and data["tier_convention"] == "trade"
    assert [step["outcome"] for step in data["trace"]] == ["taken", "note"]
    assert data["rule"]["citation"] == "003_52e340b70ce4c404.txt, Metrc"
    assert result.grams == Q_(6.0, "g") and result.per_unit == Q_(2.0, "g")
    assert result.basis == "unit_weight"
    assert result.explanation()[-1].startswith("= 6 g")


# ------------------------------------------------------------------------------------------------------ docs


def test_not_applicable_pages_say_no_field_is_read_instead_of_an_empty_table() -> None:
    for slug in ("quickbooks", "sage_intacct"):
        page = render_vendor_page(get_vendor(slug))
        section = page.split("## Fields read\n\n", 1)[1].split("\n\n", 1)[0]
        assert section == (f"None: gram extraction does not apply to {get_vendor(slug).name}, so no field of its "
                           "records is read.")
        assert "| field |" not in page
    assert "| field | record | confidence | source | used for |" in render_vendor_page(get_vendor("metrc"))


def test_index_page_matches_code() -> None:
    assert INDEX.read_text(encoding="utf-8") == render_index(), "run: python scripts/gen_vendor_docs.py"
    for slug in KNOWN_VENDORS:
        assert f"({slug}.md)" in render_index()


# -------------------------------------------------------------------------------------------- limit check


def _line(grams: float) -> Any:
    return extract_grams("metrc", product={"UnitWeight": grams, "UnitWeightUnitOfMeasureName": "g"},
                         sale_line={"QuantitySold": 1})


def test_limit_check_per_sale() -> None:
    check = check_purchase_limit({"a": [_line(10), _line(10)], "b": [_line(30)], "c": [_line(28.349523125)]},
                                 "1 oz")
    assert [flag.sale_id for flag in check.flags] == ["b"]
    flag = check.flags[0]
    assert flag.grams == 30 and flag.excess_grams == pytest.approx(30 - GRAMS_PER_OUNCE)
    assert flag.traces == (check.sales[1].lines[0].trace,)
    assert flag.bases == (Basis.UNIT_WEIGHT,)
    assert "exceeds the limit" in flag.explanation()[0]
    assert not check.ok and check.limit == Q_(GRAMS_PER_OUNCE, "g")


def test_limit_check_cumulative() -> None:
    sales = [SaleGrams("a", [_line(10)]), SaleGrams("b", [_line(10)]), SaleGrams("c", [_line(10)])]
    check = check_purchase_limit(sales, Q_(25, "g"), cumulative=True)
    assert [(flag.sale_id, flag.grams, flag.sale_grams) for flag in check.flags] == [("c", 30.0, 10.0)]
    assert check_purchase_limit(sales, Q_(30, "g"), cumulative=True).ok


def test_cumulative_flag_carries_the_traces_of_every_line_in_its_total() -> None:
    """The running total that broke the limit came from sales a and b too: their traces travel with c's flag."""
    a, b, c = _line(10), _line(11), _line(12)
    sales = [SaleGrams("a", [a]), SaleGrams("b", [b]), SaleGrams("c", [c])]
    flag = check_purchase_limit(sales, Q_(25, "g"), cumulative=True).flags[0]
    assert flag.sale_id == "c" and flag.grams == 33.0 and flag.lines == (c,)
    assert [sale.sale_id for sale in flag.earlier] == ["a", "b"]
    assert flag.counted == (a, b, c) and flag.traces == (a.trace, b.trace, c.trace)
    assert sum(line.grams_value for line in flag.counted) == flag.grams
    text = "\n".join(flag.explanation())
    assert "after a (10 g), b (11 g)" in text and "sale a line 1: 10 g" in text and "sale c line 1: 12 g" in text
    per_sale = check_purchase_limit(sales, Q_(11.5, "g")).flags[0]
    assert per_sale.sale_id == "c" and per_sale.earlier == () and per_sale.traces == (c.trace,)


def _failed_line() -> VendorError:
    with pytest.raises(NoGramsError) as caught:
        extract_grams("metrc", product={}, sale_line={"QuantitySold": 1})
    return caught.value


def test_a_line_without_grams_never_clears_its_sale() -> None:
    """Missing grams are unknown, not zero: a sale holding such a line is unchecked, and check.ok is false."""
    missing = _failed_line()
    check = check_purchase_limit({"a": [_line(5), missing], "b": [_line(5)]}, "1 oz")
    assert not check.ok and check.flags == ()
    assert [sale.sale_id for sale in check.unchecked] == ["a"]
    assert check.sales[0].errors == (missing,) and check.sales[0].total_grams == 5.0
    # the known grams are still compared: a sale over the limit on its known lines is flagged too
    over = check_purchase_limit({"a": [_line(30), missing]}, "1 oz")
    assert [flag.sale_id for flag in over.flags] == ["a"] and over.flags[0].lines == (over.sales[0].lines[0],)
    # cumulatively, no total after the unknown line is known: every later sale is unchecked as well
    window = check_purchase_limit({"a": [_line(1)], "b": [missing], "c": [_line(1)]}, "1 oz", cumulative=True)
    assert [sale.sale_id for sale in window.unchecked] == ["b", "c"] and not window.ok
    # bulk errors are accepted as they are
    from fe_compliance.greencheck import extract_many

    bulk = extract_many("metrc", [({}, {"QuantitySold": 1})])
    assert not check_purchase_limit({"x": [bulk.errors[0]]}, "1 g").ok


def test_limit_check_refuses_bad_input() -> None:
    with pytest.raises(InvalidQuantityError):
        check_purchase_limit({}, "20 %")
    with pytest.raises(InvalidQuantityError):
        check_purchase_limit({}, "0 g")
    with pytest.raises(InvalidValueError):
        check_purchase_limit([("a", [])], "1 g")  # type: ignore[list-item]
    with pytest.raises(InvalidValueError):
        SaleGrams("a", [3.5])  # type: ignore[list-item]
    for junk in (3, None, "abc", {"x": 1}):
        with pytest.raises(InvalidValueError):
            SaleGrams("a", junk)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        check_purchase_limit(5, "1 g")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        check_purchase_limit({"a": 7}, "1 g")  # type: ignore[dict-item]


# ------------------------------------------------------------------------------------- compiled chain paths


def test_chain_source_is_kept_for_debugging() -> None:
    source = get_vendor("flowhub")._chain_source
    assert source.startswith("def chain(p, s, options, trace):")
    assert "cannabinoidInformation" in source


def test_inline_fast_paths_agree_with_the_attempts_on_first_and_later_sight() -> None:
    """Every spelling is new the first time (cache miss: the attempt decides and fills the caches) and known the
    second time (the inline path decides): both must give the same outcome, traced and in bulk."""
    from fe_compliance.greencheck import extract_many

    for number in range(40):
        unit = f"{'Grams' if number % 3 else 'Percent'}{' ' * (number % 5)}"
        category = f"Edible{'s' * (number % 4)} {number}" if number % 2 else f"Flower {number}"
        product = {"thcContent": 5 + number, "thcContentUnit": unit, "productGrams": 1 + number,
                   "category": category, "productWeight": number or None,
                   "cannabinoidInformation": [{"name": f"THC{' ' * (number % 3)}", "unitOfMeasure": unit,
                                               "upperRange": number}]}
        sale = {"quantity": 1 + number % 3, "unitWeight": 2, "unitWeightUnit": unit}
        for vendor in ("dutchie", "flowhub"):
            for _ in range(2):
                try:
                    single: float | type[Exception] = extract_grams(vendor, product=product,
                                                                    sale_line=sale).grams_value
                except VendorError as error:
                    single = type(error)
                line = extract_many(vendor, [(product, sale)])[0]
                assert (line.grams if line.error is None else type(line.error)) == single


def test_unit_cache_is_bounded_and_clearing_it_changes_nothing() -> None:
    from fe_compliance.greencheck import extract_many
    from fe_compliance.greencheck.fields import MASS_FACTORS, NOT_MASS

    lines = [({"UnitWeight": 1, "UnitWeightUnitOfMeasureName": f"unit-{n}"}, {"QuantitySold": 1})
             for n in range(5000)]
    lines.append(({"UnitWeight": 2, "UnitWeightUnitOfMeasureName": "Grams"}, {"QuantitySold": 1}))
    bulk = extract_many("metrc", lines)
    assert len(bulk.errors) == 5000 and bulk.grams[-1] == 2.0
    assert len(NOT_MASS) <= 4096 and len(MASS_FACTORS) <= 4096


def test_benchmark_baseline_and_library_agree() -> None:
    """The benchmark's hand-written baseline returns the library's floats on every branch (no timing here)."""
    from benchmarks import bench_greencheck as bench

    from fe_compliance.greencheck import extract_many

    data = bench.make_lines(3000)
    for vendor, lines in data.items():
        ours = extract_many(vendor, lines).grams
        assert ours == bench.BASELINES[vendor](lines)
        assert None not in ours
        assert len({extract_grams(vendor, *line).step for line in lines}) == len(get_vendor(vendor).steps)


def test_package_docstring_example_runs() -> None:
    import doctest

    import fe_compliance.greencheck as package

    failures, tried = doctest.testmod(package)
    assert tried >= 3 and failures == 0


@pytest.mark.parametrize(("vendor", "product", "sale_line"), [
    ("dutchie", {"thcContent": 5e-324, "thcContentUnit": "mg"}, {"quantity": 1}),  # mg conversion underflows
    ("dutchie", {"productGrams": 1e-200}, {"quantity": 1e-200}),  # weight x quantity underflows
    ("posabit", {"bulk_item": True}, {"weight": "5e-324", "unit_of_weight": "mg"}),  # a whole-line weight
    ("treez", {"product_configurable_fields": {"amount": 5e-324, "uom": "MILLIGRAMS"}}, {"quantity": 1}),
])
def test_grams_that_round_to_zero_are_refused_never_zero(vendor: str, product: Any, sale_line: Any) -> None:
    """A positive weight too small for a float once converted or multiplied is never 0 g, in either path."""
    from fe_compliance.greencheck import extract_many

    with pytest.raises(VendorFieldError) as caught:
        extract_grams(vendor, product=product, sale_line=sale_line)
    assert "round to 0 g" in str(caught.value) and caught.value.vendor == vendor
    line = extract_many(vendor, [(product, sale_line)])[0]
    assert line.grams is None and str(line.error) == str(caught.value)


def test_a_cross_check_reading_that_rounds_to_zero_is_ignored_not_a_crash() -> None:
    """netWeight 5e-324 mg converts to 0.0 g: no ratio can be taken, so there is no warning (and no
    ZeroDivisionError); the same in bulk, where no plausibility runs."""
    from fe_compliance.greencheck import extract_many
    from fe_compliance.greencheck.plausibility import compare_weights

    product = {"productGrams": 3.5, "netWeight": 5e-324, "netWeightUnit": "mg"}
    result = extract_grams("dutchie", product=product, sale_line={"quantity": 1})
    assert result.grams_value == 3.5 and result.warnings == ()
    assert extract_many("dutchie", [(product, {"quantity": 1})]).grams == [3.5]
    assert compare_weights(3.5, Basis.NET_WEIGHT, "a", 0.0, Basis.NET_WEIGHT, "b") is None
    assert compare_weights(3.5, Basis.NET_WEIGHT, "a", 0.35, Basis.NET_WEIGHT, "b") is not None



GENERATED_NAME = re.compile(r"p|s|options|trace|[rcmufgexk]|need|it|nm|type|float|int|str|dict|list|MASS|NOT_MASS|ODD"
                            r"|TRADE|_skip_block|[a-z_]+[0-9]+")
HOSTILE_NAMES = ("a'b", 'a"b', "x')\nimport os\n('", "\\", "__import__('os') or exec('1')", "{p}", "\n", "é ü")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_chain_source_cannot_be_injected_through_field_names(name: str) -> None:
    """Field names reach the generated source only as string literals (repr): a name holding quotes, newlines or
    code is one dictionary key, read as such, and the generated function stays the one ``def chain``. Vendor
    values never reach the source at all."""
    flag, no, items, key, value, unit = (name + suffix for suffix in ("c", "n", "l", "k", "v", "u"))
    when = AllOf(FieldIs(Record.PRODUCT, flag, equals=("yes",)), Not(FieldIs(Record.SALE_LINE, no, equals=("no",))))
    spec = _spec(
        Weight("w", Record.PRODUCT, value, Basis.THC, unit_field=unit, when=when,
               within=ItemWhere(items, key, ("thc",))),
        Tier("t", Record.SALE_LINE, name, Basis.WEIGHT_SOLD, {"EIGHTH": TierSize.EIGHTH}, per_unit=False),
        Weight("n", Record.PRODUCT, f"{name}.{name}", Basis.NET_WEIGHT, unit="g"),
        quantity=LineQuantity(name + "q"),
    )
    tree = ast.parse(spec._chain_source)  # it compiles, and it is one function and nothing else
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.FunctionDef) and tree.body[0].name == "chain"
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    attributes = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert all(GENERATED_NAME.fullmatch(each) for each in names), names  # no name of a field became code
    assert attributes <= {"get", "append", "tier_convention"}
    assert not any(isinstance(node, (ast.Import, ast.ImportFrom, ast.Lambda)) for node in ast.walk(tree))
    product = {flag: "yes", items: [{key: "other", value: 9, unit: "g"}, {key: "THC", value: 5, unit: "mg"}]}
    for trace in (True, False):
        found = spec._chain(product, {name + "q": 2}, OPTIONS, [] if trace else None)
        assert found is not None and found[0] == pytest.approx(0.005) and found[1].step.label == "w"
    assert spec.extract({**product, flag: "no"}, {name: "EIGHTH"}, OPTIONS).step == "t"
    nested = spec.extract({name: {name: 2.5}}, {name + "q": 1}, OPTIONS)
    assert nested.grams_value == 2.5 and nested.source == f"product.{name}.{name}"
