"""Builders the state packs share, so that what is the same in every pack is written once.

Only what is really common lives here: category groupings, and (further down) the rule shapes several packs build
the same way. Each pack still says its own numbers, citations, dates and flags; nothing here picks a figure.
"""

from __future__ import annotations

from typing import Final

from ..limits.errors import InvalidRuleError
from ..limits.vocabulary import COMBINED_INHALABLE, CONCENTRATE, STANDARD_CATEGORIES

__all__ = ["CONCENTRATES", "NOT_CONCENTRATES", "categories_except"]


def categories_except(*excluded: str) -> tuple[str, ...]:
    """The standard categories without ``excluded``, in the standard order (for a budget of "everything else")."""
    for name in excluded:
        if name not in STANDARD_CATEGORIES:
            raise InvalidRuleError("categories", name, "not a standard category")
    return tuple(name for name in STANDARD_CATEGORIES if name not in excluded)


CONCENTRATES: Final = (CONCENTRATE, COMBINED_INHALABLE)
"""Concentrate and vape cartridges (which hold concentrate): what a concentrate cap counts."""
NOT_CONCENTRATES: Final = categories_except(*CONCENTRATES)
"""Every other standard category: what a flower budget beside a separate concentrate limit covers."""
