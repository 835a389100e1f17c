"""The MassCIP category table: which Metrc item categories count as flower, which are multiplied, which are not counted.

The table is data. Each :class:`CategoryEntry` is one spelling of a Metrc category (a ``ProductCategoryType`` such as
``"InfusedEdible"``, or a category name as Massachusetts' Metrc writes it, such as ``"Infused"``), with its MassCIP
category, multiplier, citation, status and note. One entry per spelling keeps every spelling's evidence apart: the
``ProductCategoryType`` ``"Buds"`` is confirmed while the name ``"Pre-Roll Flower"`` is not.

Matching: a category is looked up by :func:`category_key`, which ignores case, spacing and punctuation, so
``"Shake/Trim"``, ``"shake trim"``, ``"SHAKE-TRIM"`` and ``"ShakeTrim"`` are one category. Punctuation is ignored
because Metrc writes the same category both ways (``ProductCategoryType`` values are CamelCase words run together,
names carry spaces, slashes, hyphens and parentheses). The table refuses two entries with the same key, so folding can
never merge two different categories silently.
"""

from __future__ import annotations

import enum
import math
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any, Final

import attrs

from ..errors import InvalidValueError, MissingDataError
from .errors import DuplicateMassCIPCategoryError, NotCountedCategoryError, UnknownMassCIPCategoryError
from .rules import FLOWER_MULTIPLIER, MULTIPLIER

__all__ = ["CategoryEntry", "CategoryTable", "MassCIPCategory", "MetrcField", "Status", "category_key"]

_MEMO_LIMIT: Final = 4096


class MassCIPCategory(enum.Enum):
    """What MassCIP does with a Metrc category's grams/concentration value."""

    FLOWER = "flower"
    """Counted as it is (x1)."""
    NON_FLOWER = "non-flower"
    """Multiplied by :data:`~fe_compliance.masscip.MULTIPLIER` (5.3)."""
    NOT_COUNTED = "not counted"
    """No grams/concentration rule (plants, clones, seeds): counting raises :class:`NotCountedCategoryError`."""

    def __str__(self) -> str:
        return self.value


class Status(enum.Enum):
    """How firm an entry is. Everything but ``CONFIRMED`` is flagged for auditors (:meth:`CategoryTable.flagged`)."""

    CONFIRMED = "confirmed"
    """The spelling and its MassCIP category are both stated by a project source (seed, issue, reference page)."""
    UNCONFIRMED = "unconfirmed"
    """The MassCIP category follows from the seed, but the spelling comes only from third-party material or is
    inferred."""
    DECISION = "decision"
    """The sources leave the MassCIP category open; the library decided (the note says how and why)."""

    def __str__(self) -> str:
        return self.value


class MetrcField(enum.Flag):
    """Which Metrc item field a spelling appears in."""

    PRODUCT_CATEGORY_TYPE = enum.auto()
    """``ProductCategoryType`` (``"Buds"``, ``"InfusedEdible"``): Metrc's fixed type behind each category."""
    CATEGORY_NAME = enum.auto()
    """``ProductCategoryName`` / the category ``Name`` as the state's Metrc spells it (``"Infused"``)."""

    def describe(self) -> str:
        parts = []
        if MetrcField.PRODUCT_CATEGORY_TYPE in self:
            parts.append("ProductCategoryType")
        if MetrcField.CATEGORY_NAME in self:
            parts.append("category name")
        return " and ".join(parts) or "none"


def category_key(name: str) -> str:
    """The matching key of a category spelling: Unicode-normalized, case-folded, letters and digits only.

    ``category_key("Pre-Roll Flower") == category_key("preroll  flower") == "prerollflower"``.
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def _tidy_name(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidValueError("name", value, "a category name must be text")
    return " ".join(value.split())


def _check_name(instance: object, attribute: object, value: str) -> None:
    if not category_key(value):
        raise InvalidValueError("name", value, "a category name needs at least one letter or digit")


def _to_multiplier(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidValueError("multiplier", value, "expected a number")
    return float(value)


def _parse_enum(kind: type[enum.Enum], field: str, value: object) -> Any:
    """A member of ``kind`` from itself or its value (``"non-flower"``, ``"decision"``); anything else is an
    :class:`~fe_compliance.errors.InvalidValueError` naming ``field``. Idempotent, as attrs' ``evolve`` needs."""
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except (ValueError, TypeError):
        pass
    allowed = ", ".join(repr(member.value) for member in kind)
    raise InvalidValueError(field, value, f"expected a {kind.__name__} ({allowed})")


def _to_masscip_category(value: object) -> MassCIPCategory:
    category: MassCIPCategory = _parse_enum(MassCIPCategory, "masscip_category", value)
    return category


def _to_status(value: object) -> Status:
    status: Status = _parse_enum(Status, "status", value)
    return status


def _check_fields(instance: object, attribute: object, value: object) -> None:
    if not isinstance(value, MetrcField) or not value:
        raise InvalidValueError("fields", value, "expected MetrcField.PRODUCT_CATEGORY_TYPE and/or CATEGORY_NAME")


def _check_text(field: str) -> Any:
    def check(instance: object, attribute: object, value: object) -> None:
        if not isinstance(value, str):
            raise InvalidValueError(field, value, "expected text")
        if field == "source" and not value.strip():
            raise InvalidValueError(field, value, "every entry needs a citation")

    return check


@attrs.frozen(slots=True)
class CategoryEntry:
    """One Metrc category spelling and how MassCIP counts it.

    ``multiplier`` defaults from the category: 1.0 for flower, :data:`~fe_compliance.masscip.MULTIPLIER` for
    non-flower, ``None`` for not counted. A flower entry's multiplier must be 1.0 (flower is the unit); a non-flower
    entry may carry another positive multiplier, for a caller modelling a changed MassCIP rule.
    """

    name: str = attrs.field(converter=_tidy_name, validator=_check_name)
    masscip_category: MassCIPCategory = attrs.field(converter=_to_masscip_category)
    source: str = attrs.field(kw_only=True, validator=_check_text("source"))
    status: Status = attrs.field(default=Status.UNCONFIRMED, kw_only=True, converter=_to_status)
    note: str = attrs.field(default="", kw_only=True, validator=_check_text("note"))
    fields: MetrcField = attrs.field(default=MetrcField.CATEGORY_NAME, kw_only=True, validator=_check_fields)
    multiplier: float | None = attrs.field(kw_only=True, converter=_to_multiplier)

    @multiplier.default
    def _default_multiplier(self) -> float | None:
        if self.masscip_category is MassCIPCategory.FLOWER:
            return FLOWER_MULTIPLIER
        if self.masscip_category is MassCIPCategory.NON_FLOWER:
            return MULTIPLIER
        return None

    @multiplier.validator
    def _check_multiplier(self, attribute: object, value: float | None) -> None:
        category = self.masscip_category
        if category is MassCIPCategory.NOT_COUNTED:
            if value is not None:
                raise InvalidValueError("multiplier", value, "a not-counted category has no multiplier")
            return
        if value is None or not math.isfinite(value) or value <= 0:
            raise InvalidValueError("multiplier", value, "expected a finite multiplier greater than zero")
        if category is MassCIPCategory.FLOWER and value != FLOWER_MULTIPLIER:
            raise InvalidValueError("multiplier", value, "a flower category counts as it is: its multiplier is 1.0")

    @property
    def key(self) -> str:
        """The folded matching key (:func:`category_key`)."""
        return category_key(self.name)

    @property
    def confirmed(self) -> bool:
        return self.status is Status.CONFIRMED

    @property
    def flagged(self) -> bool:
        """True for every entry an auditor should review: unconfirmed spellings and the library's own decisions."""
        return self.status is not Status.CONFIRMED

    @property
    def counted(self) -> bool:
        """False for categories MassCIP's grams rule cannot count (plants, clones, seeds)."""
        return self.masscip_category is not MassCIPCategory.NOT_COUNTED


def _to_entries(entries: Iterable[CategoryEntry]) -> tuple[CategoryEntry, ...]:
    if not isinstance(entries, Iterable) or isinstance(entries, (str, bytes)):
        raise InvalidValueError("entries", entries, "expected an iterable of CategoryEntry objects")
    result = tuple(entries)
    for entry in result:
        if not isinstance(entry, CategoryEntry):
            raise InvalidValueError("entries", entry, "expected CategoryEntry objects")
    return result


@attrs.frozen(slots=True)
class CategoryTable:
    """An immutable table of :class:`CategoryEntry` objects, looked up by any spelling of their names.

    Extending returns a new table; the one you had is unchanged::

        table = DEFAULT_TABLE.with_category("Beverage", MassCIPCategory.NON_FLOWER, source="our catalog review")
    """

    entries: tuple[CategoryEntry, ...] = attrs.field(converter=_to_entries)
    _index: dict[str, CategoryEntry] = attrs.field(init=False, eq=False, hash=False, repr=False)
    # Raw spelling -> entry, and raw spelling -> multiplier for counted entries, filled on first sight of each
    # spelling: the per-line fast path is then one dict lookup.
    _memo: dict[str, CategoryEntry] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _fast: dict[str, float] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        index: dict[str, CategoryEntry] = {}
        for entry in self.entries:
            existing = index.get(entry.key)
            if existing is not None:
                raise DuplicateMassCIPCategoryError(entry.name, existing.name)
            index[entry.key] = entry
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_memo", {})
        object.__setattr__(self, "_fast", {})

    # --- lookups -------------------------------------------------------------------------------------------------

    def get(self, category: object) -> CategoryEntry | None:
        """The entry for ``category`` (any spelling), or ``None`` when the table does not list it."""
        if isinstance(category, str):
            entry = self._memo.get(category)
            if entry is not None:
                return entry
            entry = self._index.get(category_key(category))
            if entry is not None and len(self._memo) < _MEMO_LIMIT:
                self._memo[category] = entry
            return entry
        return None

    def lookup(self, category: object, *, field: str = "category") -> CategoryEntry:
        """The entry for ``category``; raises :class:`UnknownMassCIPCategoryError` when it is not listed.

        A missing category (``None``, blank text) raises :class:`~fe_compliance.errors.MissingDataError`, and a
        value that is not text raises :class:`~fe_compliance.errors.InvalidValueError`: never a default.
        """
        if isinstance(category, str):
            entry = self.get(category)
            if entry is not None:
                return entry
            if not category.strip():
                raise MissingDataError(field, "no Metrc item category given", value=category)
            raise UnknownMassCIPCategoryError(category, self.names(), field=field)
        if category is None:
            raise MissingDataError(field, "no Metrc item category given")
        raise InvalidValueError(field, category, "a Metrc item category must be text, such as 'Buds'")

    def counted_entry(self, category: object, *, field: str = "category") -> CategoryEntry:
        """Like :meth:`lookup`, but raises :class:`NotCountedCategoryError` for a not-counted category."""
        entry = self.lookup(category, field=field)
        if entry.multiplier is None:
            raise NotCountedCategoryError(
                category,
                f"{entry.name!r} has no grams/concentration rule in MassCIP counting ({entry.note or 'not counted'})",
                field=field,
            )
        return entry

    def multiplier(self, category: object, *, field: str = "category") -> float:
        """The multiplier of ``category`` as a float (the per-line fast path; see :func:`multiplier_for`)."""
        try:
            return self._fast[category]  # type: ignore[index]
        except (KeyError, TypeError):  # first sight of this spelling, or not a string at all
            pass
        multiplier = self.counted_entry(category, field=field).multiplier
        assert multiplier is not None  # counted_entry guarantees it
        if isinstance(category, str) and len(self._fast) < _MEMO_LIMIT:
            self._fast[category] = multiplier
        return multiplier

    def __contains__(self, category: object) -> bool:
        return self.get(category) is not None

    def __iter__(self) -> Iterator[CategoryEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def names(self) -> tuple[str, ...]:
        """Every listed spelling, sorted case-insensitively."""
        return tuple(sorted((entry.name for entry in self.entries), key=str.casefold))

    def flagged(self) -> tuple[CategoryEntry, ...]:
        """Every entry that is not confirmed (unconfirmed spellings and the library's decisions), in table order."""
        return tuple(entry for entry in self.entries if entry.flagged)

    def by_category(self, masscip_category: MassCIPCategory) -> tuple[CategoryEntry, ...]:
        """The entries of one MassCIP category, in table order."""
        return tuple(entry for entry in self.entries if entry.masscip_category is masscip_category)

    # --- extension -----------------------------------------------------------------------------------------------

    def with_entry(self, entry: CategoryEntry, *, replace: bool = False) -> CategoryTable:
        """A new table with ``entry`` added (or, with ``replace=True``, put in place of the entry it matches)."""
        if not isinstance(entry, CategoryEntry):
            raise InvalidValueError("entry", entry, "expected a CategoryEntry")
        existing = self._index.get(entry.key)
        if existing is None:
            return CategoryTable((*self.entries, entry))
        if not replace:
            raise DuplicateMassCIPCategoryError(entry.name, existing.name)
        return CategoryTable(entry if old is existing else old for old in self.entries)

    def with_category(
        self,
        name: str,
        masscip_category: MassCIPCategory,
        *,
        source: str,
        status: Status = Status.UNCONFIRMED,
        note: str = "",
        fields: MetrcField = MetrcField.CATEGORY_NAME,
        multiplier: float | None = None,
        replace: bool = False,
    ) -> CategoryTable:
        """A new table that also knows ``name``. ``source`` (a citation) is required; status defaults to unconfirmed,
        so a caller's additions show up in :meth:`flagged` until someone confirms them."""
        if multiplier is None:
            entry = CategoryEntry(name, masscip_category, source=source, status=status, note=note, fields=fields)
        else:
            entry = CategoryEntry(
                name, masscip_category, source=source, status=status, note=note, fields=fields, multiplier=multiplier
            )
        return self.with_entry(entry, replace=replace)
