"""The bulk "Apply to Inventory" path: same numbers as the record path, whole-call failure on any bad row."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fe_compliance import (
    Q_,
    FEComplianceError,
    FlowerEquivalencyDefinition,
    InvalidQuantityError,
    InvalidValueError,
    LocationSettings,
    apply_definition_bulk,
    fe_rules,
)

from .fe_fixtures import ADMIN, engine, gummy, package, solid_edible

grams = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(values=st.lists(grams, max_size=20))
def test_bulk_agrees_with_apply_to_inventory(values: list[float]) -> None:
    fe_engine = engine()
    product = gummy()
    packages = [package(product, f"K{i}", grams_concentration=f"{v!r} g") for i, v in enumerate(values)]
    records = fe_engine.apply_to_inventory("Solid Edible", "all", by=ADMIN, packages=packages, products=[product])
    rows = [(p.id, v) for p, v in zip(packages, values, strict=True)]
    bulk = fe_engine.apply_to_inventory_bulk("Solid Edible", "all", rows, by=ADMIN)
    assert [p.id for p in records.packages] == [i for i, _ in bulk.pairs]
    for record, (_, fe) in zip(records.packages, bulk.pairs, strict=True):
        assert record.flower_equivalent is not None
        assert record.flower_equivalent.grams == pytest.approx(fe, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(
    "bad",
    [("K2", -1.0), ("K2", math.nan), ("K2", math.inf), ("K2", "10"), ("K2", None), ("K2", True), ("K2",), "K2",
     ("K2", 10**400), ("K2", -math.inf), ("K2", [1.0])],
)
def test_a_bad_row_fails_the_whole_call_naming_it(bad: object) -> None:
    rows = [("K1", 1.0), bad, ("K3", 2.0)]
    with pytest.raises(FEComplianceError) as info:
        apply_definition_bulk(solid_edible(), rows)  # type: ignore[arg-type]
    assert "rows[1]" in str(info.value)


class _Hostile(float):
    def __mul__(self, other: object) -> str:  # type: ignore[override]
        return "not a number"


def test_a_numeric_subclass_is_refused_whatever_its_arithmetic_returns() -> None:
    with pytest.raises(InvalidQuantityError) as info:
        apply_definition_bulk(solid_edible(), [("K1", 1.0), ("K2", _Hostile(2.0))])
    assert "rows[1]" in str(info.value) and "plain float" in str(info.value)


def test_an_overflowing_fe_is_refused() -> None:
    big = FlowerEquivalencyDefinition(purchase_limit_category="X", customer_type="all", based_on="net_weight",
                                      category_amount="1 mg", equivalent_flower_amount="1000 kg")
    with pytest.raises(InvalidQuantityError) as info:
        apply_definition_bulk(big, [("K1", 1.0), ("K2", 1e300)])
    assert "rows[1]" in str(info.value) and "overflow" in str(info.value)


def test_bulk_accepts_ints_and_iterators_and_keeps_order() -> None:
    result = apply_definition_bulk(solid_edible(), iter([(3, 16), (1, 0.0), (2, 32.0)]))
    assert result.pairs == [(3, 1.0), (1, 0.0), (2, 2.0)]
    assert len(result) == 3
    assert apply_definition_bulk(solid_edible(), []).pairs == []


def test_change_records_are_lazy_and_use_previous_values() -> None:
    result = apply_definition_bulk(solid_edible(), [("K1", 16.0), ("K2", 32.0)], previous={"K1": 1.0, "K2": 5.0})
    changes = result.changes()
    assert not isinstance(changes, list)
    (only,) = list(changes)  # K1 is unchanged at 1.0 g, so only K2 is reported
    assert only.record_id == "K2" and only.rule is fe_rules.APPLY_TO_INVENTORY
    assert only.old == Q_(5.0, "g") and only.new.grams == 2.0  # a plain amount: its source is unknown here


def test_bulk_field_follows_med_and_rec_settings() -> None:
    both = engine(solid_edible(), settings=LocationSettings(use_both_med_and_rec=True))
    with pytest.raises(FEComplianceError):
        both.apply_to_inventory_bulk("Solid Edible", "all", [("K1", 1.0)], by=ADMIN)
    result = both.apply_to_inventory_bulk("Solid Edible", "all", [("K1", 16.0)], by=ADMIN,
                                          field="med_flower_equivalent")
    assert result.field == "med_flower_equivalent"
    with pytest.raises(InvalidQuantityError):
        both.apply_to_inventory_bulk("Solid Edible", "all", [("K1", -16.0)], by=ADMIN, field="rec_flower_equivalent")
    with pytest.raises(FEComplianceError):
        both.apply_to_inventory_bulk("Solid Edible", "all", [], by=ADMIN, field="flower_equivalent")


@pytest.mark.parametrize("rows", [None, 5, {"K1": 16.0}, "K116"])
def test_rows_that_are_not_pairs_are_refused_as_a_whole(rows: object) -> None:
    with pytest.raises(InvalidValueError) as info:
        apply_definition_bulk(solid_edible(), rows)  # type: ignore[arg-type]
    assert info.value.field == "rows"
    assert apply_definition_bulk(solid_edible(), {"K1": 16.0}.items()).pairs == [("K1", 1.0)]


@pytest.mark.parametrize("previous", [[("K1", 1.0)], {"K1": "1 g"}, {"K1": -1.0}, {"K1": math.nan}, {"K1": True},
                                      {"K1": 10**400}])
def test_bad_previous_values_fail_the_call_not_the_change_records(previous: object) -> None:
    with pytest.raises(InvalidValueError) as info:
        apply_definition_bulk(solid_edible(), [("K1", 16.0)], previous=previous)  # type: ignore[arg-type]
    assert info.value.field in {"previous", "previous['K1']"}


def test_an_unhashable_id_is_named_when_change_records_look_it_up() -> None:
    result = apply_definition_bulk(solid_edible(), [("K1", 16.0), (["K2"], 16.0)], previous={"K1": 0.5})
    changes = result.changes()
    assert next(changes).record_id == "K1"
    with pytest.raises(InvalidValueError) as info:
        next(changes)
    assert info.value.field == "rows[1]"
