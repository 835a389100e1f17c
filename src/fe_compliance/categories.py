"""Customer types, the "based on" choices, and purchase-limit categories with their state aliases.

A flower-equivalency definition is keyed by a purchase-limit category and a customer type
(``001_0f6da1db91b12d45.txt``, "Purchase limit category and customer type"). The names of purchase-limit categories
differ between a POS and a state: what a POS calls "Combined Inhalable" some states call "Cartridges". The library
keeps one canonical name per category and resolves state names through :class:`CategoryAliases`, comparing names
without regard to case or spacing.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from .errors import InvalidValueError, UnknownCategoryError

__all__ = [
    "DEFAULT_ALIASES",
    "BasedOn",
    "CategoryAliases",
    "CustomerType",
    "ProductCategoryMap",
    "fold_name",
]


class CustomerType(enum.Enum):
    """Who a definition (or a limit) applies to. ``ALL`` is the fallback for any customer without its own."""

    MEDICAL = "medical"
    RECREATIONAL = "recreational"
    ALL = "all"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, value: object, *, field: str = "customer_type") -> CustomerType:
        """Read ``"medical"``, ``"Recreational"``, ``"rec"``, ``"adult-use"``, ``"all"`` or a member."""
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            key = fold_name(value).replace("-", " ").replace("_", " ")
            found = _CUSTOMER_SPELLINGS.get(key)
            if found is not None:
                return found
        raise InvalidValueError(field, value, "expected one of medical, recreational, all")


_CUSTOMER_SPELLINGS: Final = {
    "medical": CustomerType.MEDICAL,
    "med": CustomerType.MEDICAL,
    "patient": CustomerType.MEDICAL,
    "recreational": CustomerType.RECREATIONAL,
    "rec": CustomerType.RECREATIONAL,
    "adult use": CustomerType.RECREATIONAL,
    "adult": CustomerType.RECREATIONAL,
    "all": CustomerType.ALL,
}


class BasedOn(enum.Enum):
    """Which product field a definition multiplies by its ratio (``001_0f6da1db91b12d45.txt``, "Based on")."""

    GRAMS_CONCENTRATION = "grams_concentration"
    NET_WEIGHT = "net_weight"
    POTENCY = "potency"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, value: object, *, field: str = "based_on") -> BasedOn:
        """Read ``"grams_concentration"``, ``"Grams/concentration"``, ``"net weight"``, ``"potency"`` or a member."""
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            key = fold_name(value).replace("/", " ").replace("-", " ").replace("_", " ")
            found = _BASED_ON_SPELLINGS.get(key)
            if found is not None:
                return found
        raise InvalidValueError(field, value, "expected one of grams_concentration, net_weight, potency")


_BASED_ON_SPELLINGS: Final = {
    "grams concentration": BasedOn.GRAMS_CONCENTRATION,
    "grams per concentration": BasedOn.GRAMS_CONCENTRATION,
    "net weight": BasedOn.NET_WEIGHT,
    "package net weight": BasedOn.NET_WEIGHT,
    "potency": BasedOn.POTENCY,
    "thc content": BasedOn.POTENCY,
}


def fold_name(name: str) -> str:
    """The comparison key of a category name: lower case, single spaces, no surrounding space."""
    return " ".join(name.split()).casefold()


def _check_name(field: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(field, value, "expected a non-empty category name")
    return " ".join(value.split())


def _as_dict(field: str, mapping: object) -> dict[str, str | None]:
    """A mapping, or an iterable of (name, name) pairs, as a dict; anything else is a library error."""
    if isinstance(mapping, str | bytes):
        raise InvalidValueError(field, mapping, "expected a mapping of names")
    try:
        return dict(mapping)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError, ArithmeticError) as exc:  # hashing a Quantity of a huge int or a Decimal NaN
        raise InvalidValueError(field, mapping, "expected a mapping of names") from exc


def _str_dict(mapping: Mapping[str, str]) -> dict[str, str]:
    return _as_dict("aliases", mapping)  # type: ignore[return-value]  # values are checked after construction


def _optional_str_dict(mapping: Mapping[str, str | None]) -> dict[str, str | None]:
    return _as_dict("mapping", mapping)


@attrs.frozen(slots=True)
class CategoryAliases:
    """Canonical purchase-limit category names and the other names (a state's, a vendor's) that mean them.

    ``canonical("cartridges")`` gives ``"Combined Inhalable"`` with :data:`DEFAULT_ALIASES`. A name that is neither
    canonical nor an alias is returned as written (tidied): a POS may define categories this table does not know.
    """

    aliases: Mapping[str, str] = attrs.field(factory=dict, converter=_str_dict)
    _index: dict[str, str] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        # folded name -> canonical name, for aliases and canonical names alike; the first pair naming it wins
        index: dict[str, str] = {}
        for alias, canonical in self.aliases.items():
            _check_name("alias", alias)
            tidy = _check_name("canonical category", canonical)
            index.setdefault(fold_name(alias), tidy)
            index.setdefault(fold_name(canonical), tidy)
        object.__setattr__(self, "_index", index)

    def canonical(self, name: object, *, field: str = "purchase_limit_category") -> str:
        clean = _check_name(field, name)
        return self._index.get(fold_name(clean), clean)

    def agrees_with(self, other: CategoryAliases) -> bool:
        """Whether both tables read every name the same way (same names, same canonical categories)."""
        return isinstance(other, CategoryAliases) and self._index == other._index

    def with_aliases(self, extra: Mapping[str, str]) -> CategoryAliases:
        """A new table with ``extra`` added (a state pack's own names, say)."""
        return CategoryAliases({**self.aliases, **extra})


DEFAULT_ALIASES: Final = CategoryAliases({"Cartridges": "Combined Inhalable"})
"""The one alias the seed names: some states call Dutchie's "Combined Inhalable" category "Cartridges"."""


@attrs.frozen(slots=True)
class ProductCategoryMap:
    """Which purchase-limit category each product category belongs to (``001_0f6da1db91b12d45.txt``,
    "Assign product categories to purchase limit categories").

    A product category mapped to ``None``, or not in the map at all, has no purchase-limit category; its products
    need a manual flower equivalent.
    """

    mapping: Mapping[str, str | None] = attrs.field(factory=dict, converter=_optional_str_dict)
    aliases: CategoryAliases = attrs.field(default=DEFAULT_ALIASES)
    _index: dict[str, str | None] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.aliases, CategoryAliases):
            raise InvalidValueError("aliases", self.aliases, "expected CategoryAliases")
        # folded product category -> canonical limit category (or None); the first entry naming it wins
        index: dict[str, str | None] = {}
        for product_category, limit_category in self.mapping.items():
            _check_name("product_category", product_category)
            if limit_category is not None:
                _check_name("purchase_limit_category", limit_category)
                limit_category = self.aliases.canonical(limit_category)
            index.setdefault(fold_name(product_category), limit_category)
        object.__setattr__(self, "_index", index)

    def limit_category(self, product_category: object) -> str | None:
        """The canonical purchase-limit category of ``product_category``, or ``None`` when it has none."""
        return self._index.get(fold_name(_check_name("product_category", product_category)))

    def require_limit_category(self, product_category: object) -> str:
        found = self.limit_category(product_category)
        if found is None:
            raise UnknownCategoryError(
                "product_category", product_category, tuple(sorted(self.mapping))
            )
        return found

    def with_mapping(self, product_category: str, limit_category: str | None) -> ProductCategoryMap:
        return ProductCategoryMap({**self.mapping, product_category: limit_category}, self.aliases)

    @classmethod
    def from_pairs(
        cls, pairs: Iterable[tuple[str, str | None]], aliases: CategoryAliases = DEFAULT_ALIASES
    ) -> ProductCategoryMap:
        return cls(dict(pairs), aliases)
