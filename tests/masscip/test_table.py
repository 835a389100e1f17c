"""The category table is data: extension, replacement, duplicates, flagged entries, entry validation."""

from __future__ import annotations

import attrs
import pytest

from fe_compliance.errors import InvalidValueError
from fe_compliance.masscip import (
    DEFAULT_TABLE,
    MULTIPLIER,
    SEED,
    CategoryEntry,
    CategoryTable,
    DuplicateMassCIPCategoryError,
    MassCIPCategory,
    MetrcField,
    Status,
    UnknownMassCIPCategoryError,
    category_key,
    masscip_grams,
    masscip_grams_float,
    multiplier_for,
)


def test_table_extension_adds_a_category_without_touching_the_default() -> None:
    table = DEFAULT_TABLE.with_category("Beverage", MassCIPCategory.NON_FLOWER, source="our catalog review, 2025")
    assert multiplier_for("beverage", table) == MULTIPLIER
    assert float(masscip_grams("Beverage", "1 g", table=table).magnitude) == 5.3
    assert len(table) == len(DEFAULT_TABLE) + 1
    with pytest.raises(UnknownMassCIPCategoryError):
        multiplier_for("Beverage")  # the default table is unchanged


def test_extension_defaults_to_unconfirmed_so_it_is_flagged() -> None:
    table = DEFAULT_TABLE.with_category("Buds (by strain)", MassCIPCategory.FLOWER, source="our review")
    entry = table.lookup("buds by strain")
    assert entry.status is Status.UNCONFIRMED
    assert entry in table.flagged()
    assert entry.fields is MetrcField.CATEGORY_NAME


def test_extension_may_carry_its_own_multiplier_for_non_flower() -> None:
    table = DEFAULT_TABLE.with_category("Gas", MassCIPCategory.NON_FLOWER, source="test", multiplier=6)
    assert multiplier_for("Gas", table) == 6.0
    assert masscip_grams_float("Gas", 2.0, table=table) == 12.0


def test_duplicate_spelling_is_refused_unless_replace() -> None:
    with pytest.raises(DuplicateMassCIPCategoryError) as info:
        DEFAULT_TABLE.with_category("shake trim", MassCIPCategory.NON_FLOWER, source="test")
    assert info.value.existing == "Shake/Trim"
    replaced = DEFAULT_TABLE.with_category(
        "Topical", MassCIPCategory.FLOWER, source="a caller who disagrees", status=Status.DECISION, replace=True
    )
    assert multiplier_for("Topical", replaced) == 1.0
    assert len(replaced) == len(DEFAULT_TABLE)
    assert [e.name for e in replaced] == [e.name for e in DEFAULT_TABLE]  # replaced in place, order kept
    assert multiplier_for("Topical") == MULTIPLIER


def test_table_constructor_refuses_colliding_entries() -> None:
    a = CategoryEntry("Vape Oil", MassCIPCategory.NON_FLOWER, source="x")
    b = CategoryEntry("vape-oil", MassCIPCategory.NON_FLOWER, source="y")
    with pytest.raises(DuplicateMassCIPCategoryError):
        CategoryTable((a, b))


def test_flagged_lists_every_entry_that_is_not_confirmed() -> None:
    flagged = DEFAULT_TABLE.flagged()
    assert flagged == tuple(e for e in DEFAULT_TABLE if e.status is not Status.CONFIRMED)
    names = {e.name for e in flagged}
    # The open questions of the issue are all flagged as decisions.
    for name in ("InfusedPreRoll", "Pre-Roll Infused", "Topical", "Plants", "Immature Plants", "Clones", "Seeds"):
        assert DEFAULT_TABLE.lookup(name).status is Status.DECISION
        assert name in names
    confirmed = {e.name for e in DEFAULT_TABLE if e.confirmed}
    assert confirmed == {"Buds", "Concentrate", "InfusedEdible", "Infused"}


def test_every_default_entry_cites_the_seed_and_explains_itself() -> None:
    for entry in DEFAULT_TABLE:
        assert entry.source.startswith(SEED)
        assert entry.note
        if entry.status is Status.DECISION:
            assert entry.note.startswith("DECISION")


def test_default_table_keys_are_unique_and_match_category_key() -> None:
    keys = [e.key for e in DEFAULT_TABLE]
    assert len(keys) == len(set(keys))
    assert all(key == category_key(e.name) for key, e in zip(keys, DEFAULT_TABLE, strict=True))


def test_by_category_partitions_the_table() -> None:
    parts = [DEFAULT_TABLE.by_category(c) for c in MassCIPCategory]
    assert sum(len(p) for p in parts) == len(DEFAULT_TABLE)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "  ", "masscip_category": MassCIPCategory.FLOWER, "source": "x"}, "name"),
        ({"name": "--", "masscip_category": MassCIPCategory.FLOWER, "source": "x"}, "name"),
        ({"name": 5, "masscip_category": MassCIPCategory.FLOWER, "source": "x"}, "name"),
        ({"name": "A", "masscip_category": MassCIPCategory.FLOWER, "source": ""}, "source"),
        ({"name": "A", "masscip_category": MassCIPCategory.FLOWER, "source": "x", "multiplier": 5.3}, "multiplier"),
        ({"name": "A", "masscip_category": MassCIPCategory.NON_FLOWER, "source": "x", "multiplier": 0}, "multiplier"),
        (
            {"name": "A", "masscip_category": MassCIPCategory.NON_FLOWER, "source": "x", "multiplier": float("nan")},
            "multiplier",
        ),
        (
            {"name": "A", "masscip_category": MassCIPCategory.NON_FLOWER, "source": "x", "multiplier": True},
            "multiplier",
        ),
        ({"name": "A", "masscip_category": MassCIPCategory.NOT_COUNTED, "source": "x", "multiplier": 1}, "multiplier"),
        ({"name": "A", "masscip_category": "flowery", "source": "x"}, "masscip_category"),
        ({"name": "A", "masscip_category": None, "source": "x"}, "masscip_category"),
        ({"name": "A", "masscip_category": MassCIPCategory.FLOWER, "source": "x", "status": "sure"}, "status"),
        ({"name": "A", "masscip_category": MassCIPCategory.FLOWER, "source": "x", "status": 1}, "status"),
        ({"name": "A", "masscip_category": MassCIPCategory.FLOWER, "source": "x", "fields": None}, "fields"),
        ({"name": "A", "masscip_category": MassCIPCategory.FLOWER, "source": "x", "fields": MetrcField(0)}, "fields"),
    ],
)
def test_bad_entries_are_refused_at_construction(kwargs: dict[str, object], field: str) -> None:
    name = kwargs.pop("name")
    category = kwargs.pop("masscip_category")
    with pytest.raises(InvalidValueError) as info:
        CategoryEntry(name, category, **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_entry_converters_are_idempotent_under_evolve() -> None:
    entry = CategoryEntry("  Vape   Oil ", MassCIPCategory.NON_FLOWER, source="x")
    assert entry.name == "Vape Oil"
    assert attrs.evolve(entry) == entry
    assert attrs.evolve(entry, note="n").multiplier == MULTIPLIER


def test_table_is_immutable_and_comparable() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        DEFAULT_TABLE.entries = ()  # type: ignore[misc]
    assert CategoryTable(DEFAULT_TABLE.entries) == DEFAULT_TABLE
    assert "buds" in DEFAULT_TABLE
    assert "nope" not in DEFAULT_TABLE
    assert 5 not in DEFAULT_TABLE


def test_enum_fields_take_their_values_too() -> None:
    entry = CategoryEntry("Beverage", "non-flower", source="x", status="decision")  # type: ignore[arg-type]
    assert entry.masscip_category is MassCIPCategory.NON_FLOWER and entry.multiplier == MULTIPLIER
    assert entry.status is Status.DECISION and entry.flagged
    assert attrs.evolve(entry) == entry


def test_table_refuses_non_entries() -> None:
    for bad in (None, 5, "Buds"):
        with pytest.raises(InvalidValueError) as info:
            CategoryTable(bad)  # type: ignore[arg-type]
        assert info.value.field == "entries"
    with pytest.raises(InvalidValueError):
        CategoryTable(("Buds",))  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        DEFAULT_TABLE.with_entry("Buds")  # type: ignore[arg-type]
