"""Properties of the counting rule (hypothesis): linear in grams, x5.3 exactly, and the three paths agree."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fe_compliance.errors import MissingDataError
from fe_compliance.masscip import (
    DEFAULT_TABLE,
    MULTIPLIER,
    MassCIPCategory,
    UnknownMassCIPCategoryError,
    category_key,
    explain_masscip,
    masscip_grams,
    masscip_grams_float,
    multiplier_for,
)
from fe_compliance.units import Q_, mass_to_grams

COUNTED = [e.name for e in DEFAULT_TABLE if e.counted]
NON_FLOWER = [e.name for e in DEFAULT_TABLE.by_category(MassCIPCategory.NON_FLOWER)]
FLOWER = [e.name for e in DEFAULT_TABLE.by_category(MassCIPCategory.FLOWER)]

grams = st.floats(min_value=0.0, max_value=1e6, allow_nan=False, allow_infinity=False)
units = st.sampled_from(["g", "mg", "oz", "kg", "lb"])


@given(st.sampled_from(COUNTED), grams, st.floats(min_value=0.0, max_value=1e3))
def test_linear_in_grams(category: str, amount: float, factor: float) -> None:
    scaled = masscip_grams_float(category, amount * factor)
    assert math.isclose(scaled, masscip_grams_float(category, amount) * factor, rel_tol=1e-12, abs_tol=1e-300)


@given(st.sampled_from(COUNTED), grams, grams)
def test_additive_in_grams(category: str, a: float, b: float) -> None:
    together = masscip_grams_float(category, a + b)
    apart = masscip_grams_float(category, a) + masscip_grams_float(category, b)
    assert math.isclose(together, apart, rel_tol=1e-12, abs_tol=1e-300)


@given(st.sampled_from(NON_FLOWER), st.sampled_from(FLOWER), grams)
def test_non_flower_is_exactly_5_3_times_flower(non_flower: str, flower: str, amount: float) -> None:
    assert masscip_grams_float(non_flower, amount) == MULTIPLIER * masscip_grams_float(flower, amount)
    assert masscip_grams_float(flower, amount) == amount


@given(st.sampled_from(COUNTED), grams, units)
def test_float_path_equals_quantity_path(category: str, magnitude: float, unit: str) -> None:
    quantity = Q_(magnitude, unit)
    as_grams = mass_to_grams(quantity, field="x")
    via_quantity = masscip_grams(category, quantity)
    assert str(via_quantity.units) == "gram"
    assert via_quantity.magnitude == masscip_grams_float(category, as_grams)
    assert via_quantity.magnitude == as_grams * multiplier_for(category)
    assert explain_masscip(category, quantity).grams == via_quantity.magnitude


@given(st.sampled_from(COUNTED), st.text(alphabet=" -/()_.", max_size=3), st.booleans())
def test_spelling_noise_never_changes_the_entry(category: str, noise: str, upper: bool) -> None:
    spelled = noise + (category.upper() if upper else category.lower()).replace(" ", noise or " ") + noise
    assert DEFAULT_TABLE.lookup(spelled) is DEFAULT_TABLE.lookup(category)


@given(st.text(max_size=12))
def test_arbitrary_text_is_found_exactly_when_its_key_is_listed(text: str) -> None:
    keys = {entry.key: entry for entry in DEFAULT_TABLE}
    expected = keys.get(category_key(text))
    assert DEFAULT_TABLE.get(text) is expected
    if expected is None:
        with pytest.raises((UnknownMassCIPCategoryError, MissingDataError)):
            multiplier_for(text)
    elif expected.counted:
        assert multiplier_for(text) == expected.multiplier
