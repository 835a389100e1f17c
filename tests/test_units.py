"""The unit boundary: one registry, masses only, vendor spellings through one table."""

from __future__ import annotations

import pint
import pytest

from fe_compliance import Q_, FEComplianceError, InvalidQuantityError, InvalidUnitError, ureg
from fe_compliance.units import (
    GRAMS_PER_OUNCE,
    VENDOR_UNIT_SPELLINGS,
    UnitKind,
    checked_mass,
    grams_factor,
    mass_to_grams,
    normalize_unit,
    parse_quantity,
    quantity_from,
)


def test_q_is_the_registry_quantity() -> None:
    assert Q_(1, "g")._REGISTRY is ureg


@pytest.mark.parametrize(
    ("value", "grams"),
    [("16 oz", 16 * GRAMS_PER_OUNCE), ("1 lb", 453.59237), ("100 mg", 0.1), ("2 kg", 2000.0), (Q_(3, "g"), 3.0)],
)
def test_masses_become_grams_exactly(value: object, grams: float) -> None:
    assert mass_to_grams(value, field="x") == pytest.approx(grams, rel=1e-15)


def test_ounce_is_exact() -> None:
    assert grams_factor(ureg.ounce) == 28.349523125


def test_other_registries_are_converted() -> None:
    other = pint.UnitRegistry()
    assert mass_to_grams(other.Quantity(2, "oz"), field="x") == pytest.approx(2 * GRAMS_PER_OUNCE)


@pytest.mark.parametrize(
    "value", ["5 %", "1 floz", "3 count", "-1 g", "nan g", "inf mg", 5, True, "", "1 blorp", [1], "grams", "g"]
)
def test_non_masses_are_refused_naming_the_field(value: object) -> None:
    with pytest.raises(FEComplianceError) as info:
        mass_to_grams(value, field="net_weight")
    assert info.value.field == "net_weight"
    assert isinstance(info.value, ValueError)


def test_zero_can_be_refused() -> None:
    with pytest.raises(InvalidQuantityError):
        mass_to_grams("0 g", field="x", allow_zero=False)


@pytest.mark.parametrize(
    ("spelling", "kind", "grams"),
    [("Grams", UnitKind.MASS, 1.0), ("g", UnitKind.MASS, 1.0), ("gram", UnitKind.MASS, 1.0),
     ("GRAMS", UnitKind.MASS, 1.0), ("Milligrams", UnitKind.MASS, 0.001), ("mg", UnitKind.MASS, 0.001),
     ("Ounces", UnitKind.MASS, GRAMS_PER_OUNCE), ("oz", UnitKind.MASS, GRAMS_PER_OUNCE),
     ("lbs", UnitKind.MASS, 453.59237), ("each", UnitKind.COUNT, None), ("%", UnitKind.PERCENT, None),
     (" Fl Oz ", UnitKind.VOLUME, None)],
)
def test_vendor_spellings(spelling: str, kind: UnitKind, grams: float | None) -> None:
    normalized = normalize_unit(spelling, field="unit")
    assert normalized.kind is kind
    assert normalized.grams_per_unit == (pytest.approx(grams) if grams is not None else None)


def test_every_table_entry_is_lower_case_and_usable() -> None:
    for spelling, (kind, unit) in VENDOR_UNIT_SPELLINGS.items():
        assert spelling == spelling.lower().strip()
        if kind is UnitKind.MASS:
            assert unit is not None and grams_factor(unit) > 0


@pytest.mark.parametrize("spelling", ["bananas", "", None, 3, "g/ml"])
def test_unknown_spellings_are_refused(spelling: object) -> None:
    with pytest.raises(InvalidUnitError):
        normalize_unit(spelling, field="unitWeightUnit")


def test_quantity_from_refuses_counts_and_non_numbers() -> None:
    assert quantity_from(3.5, "Grams", field="w").magnitude == 3.5
    with pytest.raises(InvalidQuantityError):
        quantity_from(1, "each", field="w")
    with pytest.raises(InvalidQuantityError):
        quantity_from("3", "g", field="w")


@pytest.mark.parametrize(
    ("text", "grams"),
    [("3.5g", 3.5), ("1e3 mg", 1.0), ("1/8 oz", GRAMS_PER_OUNCE / 8), ("1 / 8 oz", GRAMS_PER_OUNCE / 8),
     (" +.5 kg ", 500.0), ("1 µg", 1e-6), ("2 Grams", 2.0), ("10 G", 10.0)],
)
def test_text_amounts_are_one_number_and_a_unit(text: str, grams: float) -> None:
    assert mass_to_grams(text, field="x") == pytest.approx(grams, rel=1e-15)


@pytest.mark.parametrize(
    ("text", "unit"),
    [("5 Mg", "milligram"),  # pint: 5 megagrams, five tonnes of THC
     ("1 gr", "gram"),  # pint: a grain (0.065 g)
     ("5 pct", "percent"),  # pint: picocarats, a mass
     ("500 ML", "milliliter"),  # pint: megalitres
     ("36 fl oz", "fluid_ounce"), ("3 Fluid Ounces", "fluid_ounce")],  # pint: femtolitre-ounces, or nothing
)
def test_text_units_are_read_through_the_vendor_spelling_table_first(text: str, unit: str) -> None:
    assert parse_quantity(text, field="x").units == ureg.Unit(unit)


def test_a_count_written_as_text_is_not_an_amount() -> None:
    with pytest.raises(InvalidQuantityError) as info:
        parse_quantity("2 each", field="package_size")
    assert info.value.field == "package_size" and "count" in str(info.value)


def test_whole_numbers_keep_printing_as_written() -> None:
    assert f"{parse_quantity('10 g', field='x'):~P}" == "10 g"
    assert f"{parse_quantity('2.50 oz', field='x'):~P}" == "2.5 oz"


@pytest.mark.parametrize(
    "text",
    [
        "9**9**9 g",  # pint would compute this integer, and never return
        "1 g**9**9**9",  # the same in the unit
        "10 g / 0", "0**-1 g", "1/0 g",  # division by zero inside pint
        "2**2000 g", "9" * 400 + " g", "9" * 5000 + " g", "9" * 400 + "/1 g",  # too large for a float
        "1,5 g", "1,000 g",  # pint reads the comma as nothing: 15 g and 1000 g
        "10 g * 2", "1 g + 1 g", "(1 g)", "2 * 5 g",  # arithmetic is not an amount
        "1 fl oz",  # pint reads femtolitre times ounce
    ],
)
def test_text_that_pint_would_evaluate_is_refused(text: str) -> None:
    with pytest.raises(InvalidQuantityError) as info:
        mass_to_grams(text, field="net_weight")
    assert info.value.field == "net_weight"


def test_a_quantity_with_an_integer_too_large_for_a_float_is_refused() -> None:
    with pytest.raises(InvalidQuantityError) as info:
        mass_to_grams(Q_(10**400, "g"), field="net_weight")
    assert "finite" in str(info.value)


def test_checked_mass_gives_the_quantity_as_read_and_its_grams() -> None:
    quantity, grams = checked_mass("2 oz", field="x")
    assert f"{quantity:~P}" == "2 oz" and quantity._REGISTRY is ureg
    assert grams == 2 * GRAMS_PER_OUNCE
    with pytest.raises(InvalidQuantityError):
        checked_mass("0 g", field="x", allow_zero=False)


# --- the closed grammar (issue #7): text never reaches pint's expression parser -----------------------------------


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("10 ct", "count"),  # pint: ten carats (2 g); a POS means ten items
        ("10 count", "count"),
        ("3 ea", "count"),
        ("2 u", "not a unit"),  # pint: atomic mass units
        ("1 carat", "not a unit"),
        ("1 grain", "not a unit"),
        ("1 tonne", "not a unit"),
        ("10 g**\u0662", "not a unit"),  # an Arabic-Indic digit in a power
        ("\u0661\u0660 g", "number and a unit"),  # Arabic-Indic digits as the number
        ("\uff11\uff10 g", "number and a unit"),  # full-width digits
        ("1 " + "g*" * 1000 + "g", "at most"),  # pint: RecursionError
        ("1 " + "a" * 15000, "at most"),  # pint: quadratic time
        ("9**9**9 g", "not a unit"),
        ("nan g", "number and a unit"),
        ("1e999 g", "finite"),
        ("1e9999 g", "not a unit"),  # at most three exponent digits; the rest is no unit
        ("12", "no unit"),
    ],
)
def test_text_outside_the_grammar_is_refused_naming_the_field(text: str, why: str) -> None:
    with pytest.raises(InvalidQuantityError) as info:
        mass_to_grams(text, field="net_weight")
    assert info.value.field == "net_weight"
    assert why in str(info.value)


def test_the_length_bound_is_checked_before_anything_else() -> None:
    from fe_compliance.units import MAX_AMOUNT_TEXT_CHARS

    longest = "1" + " " * (MAX_AMOUNT_TEXT_CHARS - 2) + "g"
    assert mass_to_grams(longest, field="x") == 1.0
    with pytest.raises(InvalidQuantityError, match="at most"):
        mass_to_grams(longest + " ", field="x")
    with pytest.raises(InvalidUnitError, match="at most"):
        normalize_unit("g" * (MAX_AMOUNT_TEXT_CHARS + 1), field="unit")


@pytest.mark.parametrize("unit", ["carat", "grain", "u", "tonne", "9**9**9 ea", "g*" * 500])
def test_grams_factor_reads_only_the_closed_table(unit: str) -> None:
    with pytest.raises(FEComplianceError):
        grams_factor(unit)


@pytest.mark.parametrize("unit", [None, [1], 3.5, {"g": 1}])
def test_grams_factor_refuses_non_units(unit: object) -> None:
    with pytest.raises(InvalidUnitError):
        grams_factor(unit)


def test_grams_factor_reads_table_spellings_and_pint_units() -> None:
    assert grams_factor("gr") == 1.0  # a POS's gram, not pint's grain
    assert grams_factor(ureg.milligram) == 0.001
    assert grams_factor("Ounces") == GRAMS_PER_OUNCE


@pytest.mark.parametrize("quantity", [Q_(1, "carat"), Q_(1, "grain"), Q_(1, "g * mg"), Q_(1, "u")])
def test_quantities_outside_the_table_are_refused(quantity: object) -> None:
    with pytest.raises(InvalidUnitError) as info:
        mass_to_grams(quantity, field="grams_concentration")
    assert info.value.field == "grams_concentration"


@pytest.mark.parametrize(
    "magnitude", [float("nan"), float("inf"), -float("inf"), 10**400, True, "3", None, complex(1, 1)]
)
def test_quantity_from_refuses_non_finite_and_non_numbers(magnitude: object) -> None:
    with pytest.raises(InvalidQuantityError) as info:
        quantity_from(magnitude, "g", field="w")
    assert info.value.field == "w"


def test_odd_magnitudes_become_plain_numbers() -> None:
    from decimal import Decimal
    from fractions import Fraction

    assert type(parse_quantity(Q_(Decimal("1.5"), "g"), field="x").magnitude) is float
    assert type(parse_quantity(Q_(Fraction(1, 2), "g"), field="x").magnitude) is float
    for bad in (Decimal("sNaN"), Decimal("NaN"), complex(1, 1)):
        with pytest.raises(InvalidQuantityError):
            parse_quantity(Q_(bad, "g"), field="x")


def test_negative_zero_is_zero() -> None:
    quantity, grams = checked_mass("-0.0 g", field="x")
    assert f"{quantity:~P}" == "0.0 g" and str(grams) == "0.0"
    assert str(mass_to_grams(Q_(-0.0, "g"), field="x")) == "0.0"


def test_every_table_spelling_reads_as_text() -> None:
    for spelling, (kind, unit) in VENDOR_UNIT_SPELLINGS.items():
        if unit is None:
            with pytest.raises(InvalidQuantityError, match="count"):
                parse_quantity(f"2 {spelling}", field="x")
        else:
            assert parse_quantity(f"2 {spelling}", field="x").units == ureg.Unit(unit), (spelling, kind)
