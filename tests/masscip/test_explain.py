"""Every number explains itself: the explained form carries the input, entry, rule with citation and the steps."""

from __future__ import annotations

import attrs
import pytest

from fe_compliance.masscip import (
    DEFAULT_TABLE,
    RULE_BASIS,
    RULE_FLOWER,
    RULE_NON_FLOWER,
    SEED,
    MassCIPCategory,
    NotCountedCategoryError,
    Status,
    UnknownMassCIPCategoryError,
    explain_masscip,
)


def test_explained_non_flower() -> None:
    result = explain_masscip("concentrate", "1 g")
    assert result.category == "concentrate"
    assert result.entry is DEFAULT_TABLE.lookup("Concentrate")
    assert result.grams_concentration == "1 g"
    assert result.input_grams == 1.0
    assert result.multiplier == 5.3
    assert result.grams == 5.3
    assert result.quantity.magnitude == 5.3
    assert result.rule is RULE_NON_FLOWER
    assert result.basis is RULE_BASIS
    assert SEED in result.citation
    text = result.explain()
    assert "1 g x 5.3 = 5.3 g" in text
    assert "not transmitted" in text
    assert str(result) == text
    assert not any(line.startswith("flag") for line in result.lines)  # a confirmed entry carries no flag line


def test_explained_flower() -> None:
    result = explain_masscip("Buds", "3.5 g")
    assert result.rule is RULE_FLOWER
    assert result.grams == 3.5
    assert "3.5 g x 1 = 3.5 g" in result.explain()


def test_flagged_entry_says_so() -> None:
    result = explain_masscip("Topical", "100 mg")
    assert result.entry.status is Status.DECISION
    assert result.lines[-1].startswith("flag (decision): DECISION")


def test_custom_multiplier_cites_the_table_not_the_seed() -> None:
    table = DEFAULT_TABLE.with_category("Gas", MassCIPCategory.NON_FLOWER, source="caller memo 7", multiplier=6)
    result = explain_masscip("Gas", "1 g", table=table)
    assert result.grams == 6.0
    assert result.rule.source == "caller memo 7"
    assert "1 g x 6 = 6 g" in result.explain()


def test_result_is_frozen() -> None:
    result = explain_masscip("Buds", "1 g")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.grams = 0.0  # type: ignore[misc]


def test_explain_refuses_what_counting_refuses() -> None:
    with pytest.raises(UnknownMassCIPCategoryError):
        explain_masscip("Edibles", "1 g")
    with pytest.raises(NotCountedCategoryError):
        explain_masscip("Seeds", "1 g")
