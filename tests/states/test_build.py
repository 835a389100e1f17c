"""The shared pack builders: they assemble rules from what a pack gives them and never supply a figure themselves."""

from __future__ import annotations

import datetime as dt

import pytest

from fe_compliance.limits import CountingBasis, InvalidRuleError
from fe_compliance.limits.vocabulary import CONCENTRATE, FLOWER, LIQUID_EDIBLE, STANDARD_CATEGORIES
from fe_compliance.states import pack_for
from fe_compliance.states._build import (
    CONCENTRATES,
    NOT_CONCENTRATES,
    SEED_001,
    Equivalents,
    batch_permitted,
    categories_except,
    package_fe_counting,
    real_time_required,
)

DAY = dt.date(2024, 1, 1)


def test_categories_except_keeps_the_standard_order() -> None:
    assert tuple(c for c in STANDARD_CATEGORIES if c not in CONCENTRATES) == NOT_CONCENTRATES
    assert set(NOT_CONCENTRATES) | set(CONCENTRATES) == set(STANDARD_CATEGORIES)
    with pytest.raises(InvalidRuleError) as info:
        categories_except("Concentrates")
    assert info.value.value == "Concentrates"


def test_equivalents_share_what_is_common_and_take_overrides() -> None:
    fe = Equivalents(
        prefix="zz_rec", customer_type="recreational", flower="1 oz", citation="Code s.1", effective=DAY, confirmed=True
    )
    flower = fe.by_weight("flower", FLOWER, "flower by weight")
    assert flower.code == "zz_rec_eq_flower" and flower.definition.ratio == pytest.approx(1.0)
    assert flower.definition.source == "Code s.1" and flower.confirmed and flower.until is None
    wax = fe("concentrate", CONCENTRATE, "grams_concentration", "8 g", "8 g = 1 oz", citation="Code s.2", source="x")
    assert wax.citation == "Code s.2" and wax.definition.source == "x"
    assert wax.definition.ratio == pytest.approx(28.349523125 / 8)
    flagged = fe("concentrate", CONCENTRATE, "grams_concentration", "8 g", "8 g = 1 oz", confirmed=False, note="n")
    assert not flagged.confirmed and flagged.note == "n"
    drink = fe.volume("liquid", LIQUID_EDIBLE, "36 floz", "36 fl oz = 1 oz")
    assert drink.code == "zz_rec_eq_liquid" and drink.grams_per_ml * 1064.6470642 == pytest.approx(28.349523125)


def test_counting_and_reporting_rules_name_their_sources() -> None:
    counting = package_fe_counting("zz", DAY)
    assert counting.code == "zz_counting" and counting.basis is CountingBasis.PACKAGE_FE
    assert counting.citation == SEED_001 and counting.confirmed
    required, permitted = real_time_required("zz", DAY), batch_permitted("zz", DAY)
    assert required.real_time_required and not permitted.real_time_required
    assert not required.confirmed and not permitted.confirmed
    assert "vendor" in required.citation and "absence" in permitted.citation
    assert real_time_required("zz", DAY, note="other").note == "other"


def test_every_pack_uses_the_shared_counting_wording() -> None:
    for code in ("AZ", "CO", "CT", "IL", "MD", "MI", "MO", "NJ", "NV", "NY", "OH", "VT"):
        rule = pack_for(code).rule(f"{code.lower()}_counting")
        assert rule == package_fe_counting(code.lower(), pack_for(code).earliest)
