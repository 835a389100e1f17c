"""Errors of the MassCIP counting rule, each a subclass of the library's tree (``fe_compliance.errors``).

::

    UnknownCategoryError (fe_compliance.errors)
    └── UnknownMassCIPCategoryError    a Metrc category the MassCIP table does not list (never counted as flower)
    InvalidValueError (fe_compliance.errors)
    ├── NotCountedCategoryError        a listed category that MassCIP's grams rule cannot count (plants, seeds)
    └── DuplicateMassCIPCategoryError  two table entries whose names fold to the same matching key
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidValueError, UnknownCategoryError

__all__ = ["DuplicateMassCIPCategoryError", "NotCountedCategoryError", "UnknownMassCIPCategoryError"]


class UnknownMassCIPCategoryError(UnknownCategoryError):
    """The Metrc item category is not in the MassCIP category table.

    Guessing would be unsafe in both directions: counting an unknown product as flower under-counts a concentrate
    5.3 times, so the library refuses and names the category. Extend the table with
    :meth:`~fe_compliance.masscip.CategoryTable.with_category` to teach it a new name.
    """

    def __init__(self, value: Any, known: tuple[str, ...] = (), *, field: str = "category") -> None:
        super().__init__(field, value, known)


class NotCountedCategoryError(InvalidValueError):
    """The category is known, but MassCIP's grams/concentration rule has nothing to count for it.

    Living plants, clones and seeds carry no grams/concentration value; the rule pack must count them under its own
    plant rule. Returning zero here would let them pass a limit unseen.
    """

    def __init__(self, value: Any, reason: str, *, field: str = "category") -> None:
        super().__init__(field, value, reason)


class DuplicateMassCIPCategoryError(InvalidValueError):
    """Two entries of one table would answer to the same category spelling (names are matched by a folded key)."""

    def __init__(self, value: Any, existing: str, *, field: str = "category") -> None:
        super().__init__(
            field,
            value,
            f"matches the existing entry {existing!r} (names are compared without case, spacing or punctuation); "
            "pass replace=True to replace it",
        )
        self.existing = existing
